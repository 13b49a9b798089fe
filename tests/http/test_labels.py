"""Issue 13, QR exhibit labels at /admin/so-dang-ky/nhan: objects chosen by the
register list's filters or ticked; an A4 sheet of labels (name, registration
number, material, dating, short description, a QR code of /hien-vat/ID on the
configured site address) for registered public objects only, the others listed
as skipped with the reason. Admins and curators only. Refusals name the field
in Vietnamese and keep what was typed. The QR codes are decoded with zbarimg
(zbar-tools, in the Makefile's test packages)."""
import html as htmllib
import os
import re
import subprocess
import tempfile
import urllib.parse

from admin_client import accounts_module
from register_users import rows
from test_register_roles import PASSWORDS, ROLES   # every role

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

PATH = "/admin/so-dang-ky/nhan"


def sheet(b, ids=None, **params):
    query = list(params.items()) + [("chon", str(i)) for i in ids or []]
    return b.get(PATH + "?" + urllib.parse.urlencode(query))


def labels(r):
    return re.findall(r'<article class="label".*?</article>', r.text, re.S)


def alert(r):
    return htmllib.unescape(" ".join(re.findall(r'role="alert">([^<]*)', r.text)))


def decode_qr(svg):
    """The text of an SVG QR code as render/qr.c draws it (unit squares in
    one path), rasterised to a PGM and read by zbarimg."""
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = 8
    dark = [[False] * side for _ in range(side)]
    for x, y, run in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", svg):
        for i in range(int(run)):
            dark[int(y)][int(x) + i] = True
    px = bytearray()
    for row in dark:
        line = bytearray()
        for d in row:
            line += bytes([0 if d else 255]) * scale
        px += bytes(line) * scale
    with tempfile.NamedTemporaryFile(suffix=".pgm", delete=False) as f:
        f.write(b"P5 %d %d 255\n" % (side * scale, side * scale) + bytes(px))
    try:
        r = subprocess.run(["zbarimg", "--raw", "-q", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    assert r.returncode == 0, f"zbarimg: {r.returncode} {r.stderr}"
    return r.stdout.strip()


def test_roles(s):
    oid = rows(s, "SELECT id FROM objects WHERE public = 1 AND reg_number IS NOT NULL LIMIT 1")[0][0]
    for name in ("quantri", "baotang"):
        b = browser(s, name)
        assert b.get(PATH).status == 200, name
        assert sheet(b, [oid], **{"in": "chon"}).status == 200, name
    for name in ("hoidong", "bientap", "tacgia"):
        b = browser(s, name)
        assert b.get(PATH).status == 403, name
        assert sheet(b, [oid], **{"in": "chon"}).status == 403, name
    # The register list offers the labels to those who may print them.
    assert PATH in browser(s, "baotang").get("/admin/so-dang-ky").text
    assert PATH not in browser(s, "hoidong").get("/admin/so-dang-ky").text


def test_chooser_follows_the_register_filters(s):
    b = browser(s, "baotang")
    r = b.get(PATH + "?q=" + urllib.parse.quote("mu coi"))
    assert r.status == 200
    names = [htmllib.unescape(n) for n in re.findall(r'<label for="chon-\d+">([^<]*)</label>', r.text)]
    assert names and all("Mũ cối" in n for n in names), names
    assert 'value="mu coi"' in r.text                  # the search is kept
    r = b.get(PATH + "?trang-thai=intake")
    shown = [int(i) for i in re.findall(r'name="chon" value="(\d+)"', r.text)]
    intake = {i for (i,) in rows(s, "SELECT id FROM objects WHERE status = 'intake'")}
    assert shown and set(shown) <= intake
    r = b.get(PATH + "?chat-lieu=KL")
    shown = [int(i) for i in re.findall(r'name="chon" value="(\d+)"', r.text)]
    metal = {i for (i,) in rows(s, "SELECT id FROM objects WHERE material_code = 'KL'")}
    assert shown and set(shown) <= metal


def test_sheet_of_ticked_objects_with_skipped(s):
    b = browser(s, "baotang")
    public = [i for (i,) in rows(s, "SELECT id FROM objects WHERE public = 1 AND reg_number IS NOT NULL"
                                    " ORDER BY id LIMIT 3")]
    intake = rows(s, "SELECT id, name FROM objects WHERE status = 'intake' LIMIT 1")[0]
    private = rows(s, "SELECT id, name FROM objects WHERE public = 0 AND reg_number IS NOT NULL LIMIT 1")[0]
    r = sheet(b, public + [intake[0], private[0]], **{"in": "chon"})
    assert r.status == 200
    assert '<link rel="stylesheet" href="/static/css/admin/print.css' in r.text
    got = labels(r)
    assert len(got) == 3
    text = htmllib.unescape(r.text)
    assert "chưa có số đăng ký (đang ở sổ nhập tạm)" in text and intake[1] in text
    assert "chưa được công khai trên cổng thông tin" in text and private[1] in text
    for oid, lab in zip(public, got):
        name, number, material = rows(s, "SELECT o.name, o.reg_number, m.name FROM objects o JOIN"
                                         " materials m ON m.code = o.material_code WHERE o.id = ?", oid)[0]
        plain = htmllib.unescape(lab)
        assert name in plain and number in plain and material in plain
        assert "Số đăng ký" in plain and "Registration no." in plain
        svg = re.search(r"<svg.*?</svg>", lab, re.S).group(0)
        url = decode_qr(svg)
        assert re.fullmatch(rf"https?://[^/]+/hien-vat/{oid}", url), url
        assert url in plain                               # written under the code too
    # Nothing the museum keeps to itself is on a label.
    for value, notes in rows(s, "SELECT value, notes FROM objects WHERE id IN (%s)"
                                % ",".join(map(str, public))):
        if notes:
            assert notes not in text


def test_sheet_by_filter_and_page_size(s):
    b = browser(s, "quantri")
    r = sheet(b, **{"in": "tat-ca", "trang-thai": "main", "q": "mu coi"})
    assert r.status == 200
    want = rows(s, "SELECT count(*) FROM objects WHERE status = 'main' AND public = 1"
                   " AND name LIKE 'Mũ cối%'")[0][0]
    assert want >= 1 and len(labels(r)) == want
    # Every object of the list: the public ones (the others would only be
    # skipped), capped at 96 labels (12 sheets of 8).
    r = sheet(b, **{"in": "tat-ca"})
    want = rows(s, "SELECT count(*) FROM objects WHERE public = 1 AND reg_number IS NOT NULL")[0][0]
    assert r.status == 200 and len(labels(r)) == min(want, 96)


def test_refusals_name_the_field_and_keep_the_input(s):
    b = browser(s, "baotang")
    r = sheet(b, **{"in": "chon", "q": "Bi đông <b>"})
    assert r.status == 400
    assert alert(r).startswith("Hiện vật được chọn:"), alert(r)
    assert 'value="Bi đông &lt;b&gt;"' in r.text and "<b>" not in r.text.split("<main", 1)[-1]
    r = b.get(PATH + "?in=chon&chon=abc&trang-thai=main")
    assert r.status == 400 and alert(r).startswith("Hiện vật được chọn:")
    assert re.search(r'<option value="main" selected>', r.text)
    r = b.get(PATH + "?in=ve")
    assert r.status == 400 and alert(r).startswith("Cách in:"), alert(r)
    r = b.get(PATH + "?in=tat-ca&q=" + urllib.parse.quote("không có hiện vật nào như thế"))
    assert r.status == 400 and alert(r).startswith("Hiện vật được chọn:")
    r = b.get(PATH + "?q=" + "a" * 400)
    assert r.status == 400 and alert(r).startswith("Tìm hiện vật:"), alert(r)
    r = b.get(PATH + "?in=chon" + "".join(f"&chon={i}" for i in range(1, 100)))
    assert r.status == 400 and alert(r).startswith("Hiện vật được chọn:")
    # An id that names no object is listed as skipped, not an error.
    r = sheet(b, [999999], **{"in": "chon"})
    assert r.status == 200 and "không có hiện vật này" in htmllib.unescape(r.text)
    # English.
    r = b.get(PATH + "?in=ve&lang=en")
    assert r.status == 400 and alert(r).startswith("Print:"), alert(r)
    assert b.get(PATH + "?lang=vi").status == 200     # the session reads Vietnamese again


def test_hostile_names_are_escaped(s):
    """A name and description with markup, entered through the correction
    form (a registered entry is never edited in place), come out as text on
    the label and in the QR code's title."""
    from admin_client import csrf_of
    from test_register_correction import form_of
    b = browser(s, "baotang")
    oid = rows(s, "SELECT id FROM objects WHERE public = 1 AND reg_number IS NOT NULL"
                  " AND NOT EXISTS (SELECT 1 FROM object_media p WHERE p.object_id = objects.id)"
                  " ORDER BY id DESC LIMIT 1")[0][0]
    path = f"/admin/so-dang-ky/{oid}/dinh-chinh"
    page = b.get(path)
    form = dict(form_of(page.text), csrf=csrf_of(page.text, path))
    r = b.post(path, dict(form, name="Mũ <script>alert(1)</script>",
                          description="Mô tả <img src=x onerror=alert(2)> " + "dài " * 100,
                          why="Kiểm tra nhãn"))
    assert r.status == 303, htmllib.unescape(r.text)[-600:]
    r = sheet(b, [oid], **{"in": "chon"})
    assert r.status == 200
    assert "<script>alert(1)" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)" in r.text
    lab = labels(r)[0]
    desc = htmllib.unescape(re.search(r'<p class="label-desc">([^<]*)</p>', lab).group(1))
    assert desc.endswith("…") and len(desc.encode()) <= 200
    svg = re.search(r"<svg.*?</svg>", lab, re.S).group(0)
    assert "<script" not in svg and "&lt;script&gt;" in svg     # the title, escaped
    assert re.fullmatch(rf"https?://[^/]+/hien-vat/{oid}", decode_qr(svg))
