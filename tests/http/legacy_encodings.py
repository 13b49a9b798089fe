"""Vietnamese text in the legacy encodings older office files use, for the
import tests: Windows-1258 (tones as combining marks), TCVN3 (through glibc's
iconv) and VNI (base letter + mark bytes)."""
import subprocess
import sys
import unicodedata

TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}
def tcvn3(text):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(),
                          capture_output=True, check=True).stdout


def cp1258(text):
    out = []
    for ch in text:
        d = unicodedata.normalize('NFD', ch)
        base = ''.join(c for c in d if c not in TONES)
        tones = ''.join(c for c in d if c in TONES)
        out.append(unicodedata.normalize('NFC', base) + tones)
    return ''.join(out).encode('cp1258')
# VNI-Windows: base letter + mark bytes
VNI_MARK = {'\u0301': '\xf9', '\u0300': '\xf8', '\u0309': '\xfb', '\u0303': '\xf5', '\u0323': '\xef'}
VNI_COMBO = {('\u0302', None): '\xe2', ('\u0306', None): '\xea',
             ('\u0302', '\u0301'): '\xe1', ('\u0302', '\u0300'): '\xe0', ('\u0302', '\u0309'): '\xe5',
             ('\u0302', '\u0303'): '\xe3', ('\u0302', '\u0323'): '\xe4',
             ('\u0306', '\u0301'): '\xe9', ('\u0306', '\u0300'): '\xe8', ('\u0306', '\u0309'): '\xfa',
             ('\u0306', '\u0303'): '\xfc', ('\u0306', '\u0323'): '\xeb'}
VNI_I = {'í': '\xed', 'ì': '\xec', 'ỉ': '\xe6', 'ĩ': '\xf3', 'ị': '\xf2'}
def vni(text):
    out = []
    for ch in text:
        if ch in VNI_I: out.append(VNI_I[ch]); continue
        if ch.lower() == 'đ': out.append('\xf1' if ch == 'đ' else '\xd1'); continue
        d = unicodedata.normalize('NFD', ch)
        base, marks = d[0], d[1:]
        up = base.isupper()
        tone = next((m for m in marks if m in TONES), None)
        shape = next((m for m in marks if m in ('\u0302', '\u0306', '\u031b')), None)
        s = ''
        if shape == '\u031b':
            s = ('Ơ' if base in 'Oo' and up else 'ơ' if base in 'Oo' else 'Ư' if up else 'ư')
            s = {'ơ': '\xf4', 'Ơ': '\xd4', 'ư': '\xf6', 'Ư': '\xd6'}[s]
            if tone: s += VNI_MARK[tone]
        elif shape:
            s = base + VNI_COMBO[(shape, tone)]
        elif tone:
            s = base + VNI_MARK[tone]
        else:
            s = base
        out.append(s if not up else s.upper() if len(s) == 1 else s[0] + chr(ord(s[1]) - 0x20) if ord(s[1]) >= 0xe0 else s)
    return ''.join(out).encode('latin-1')
if __name__ == '__main__':
    t = open(sys.argv[2], encoding='utf-8').read()
    sys.stdout.buffer.write(cp1258(t) if sys.argv[1] == 'cp1258' else vni(t))
