/*
 * vn_encoding.c - legacy Vietnamese encodings to UTF-8 (see vn_encoding.h).
 */
#include "model/vn_encoding.h"

#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/text.h"

/* Detection looks at this much of the text; conversion takes all of it. */
#define SAMPLE_MAX (64u * 1024)
#define SCORE_MIN 0.75

/* ---- scoring ------------------------------------------------------------------ */

static const char vn_lower[] = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
			       "ùúủũụưừứửữựỳýỷỹỵ";
static const char vn_upper[] = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"
			       "ÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ";
/* Letters that carry a tone (at most one per syllable). */
static const char toned[] = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
			    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ";
/* Vowel groups Vietnamese writes, marks removed. */
static const char *const vowel_groups[] = {
    "a", "e", "i", "o", "u", "y", "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa",
    "oe", "oi", "oo", "ua", "ue", "ui", "uo", "uu", "uy", "ya", "ye", "ieu", "yeu", "oai", "oao",
    "oay", "oeo", "uay", "uoi", "uya", "uye", "uyu", "uou", "uau", NULL};

static size_t char_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static bool in_set(const char *set, const char *ch, size_t n)
{
	for (const char *p = set; *p != '\0'; p += char_len((unsigned char)*p))
		if (char_len((unsigned char)*p) == n && memcmp(p, ch, n) == 0)
			return true;
	return false;
}

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Is the word [s, s+n) (letters only) a plausible Vietnamese syllable? */
static bool plausible(const char *s, size_t n)
{
	int tones = 0;
	for (size_t i = 0; i < n;) {
		size_t k = char_len((unsigned char)s[i]);
		if (k == 1) {
			char c = s[i] | 0x20;
			if (c < 'a' || c > 'z' || c == 'f' || c == 'j' || c == 'w' || c == 'z')
				return false;
		} else if (!in_set(vn_lower, s + i, k) && !in_set(vn_upper, s + i, k)) {
			return false;
		}
		tones += k > 1 && in_set(toned, s + i, k);
		i += k;
	}
	if (tones > 1)
		return false;
	buf_t folded = BUF_INIT;
	if (text_fold(s, n, &folded) != 0) {
		buf_free(&folded);
		return false;
	}
	/* One run of vowels, from the list ("gi" and "qu" start with a vowel
	 * letter that belongs to the onset). */
	const char *f = folded.data != NULL ? folded.data : "";
	size_t len = folded.len, start = 0;
	if (len >= 2 && (strncmp(f, "gi", 2) == 0 || strncmp(f, "qu", 2) == 0) &&
	    len > 2 && is_vowel(f[2]))
		start = 2;
	while (start < len && !is_vowel(f[start]))
		start++;
	size_t end = start;
	while (end < len && is_vowel(f[end]))
		end++;
	bool ok = end > start;
	for (size_t i = end; i < len; i++)
		if (is_vowel(f[i]))
			ok = false;
	if (ok) {
		ok = false;
		for (size_t g = 0; vowel_groups[g] != NULL; g++)
			if (strlen(vowel_groups[g]) == end - start &&
			    memcmp(vowel_groups[g], f + start, end - start) == 0)
				ok = true;
	}
	buf_free(&folded);
	return ok;
}

double vn_encoding_score(const char *s, size_t len)
{
	size_t words = 0, good = 0;
	for (size_t i = 0; i < len;) {
		size_t k = char_len((unsigned char)s[i]);
		bool letter = k > 1 || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z');
		if (!letter) {
			i++;
			continue;
		}
		size_t start = i;
		bool wide = false;
		while (i < len) {
			k = char_len((unsigned char)s[i]);
			if (k == 1 && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
				break;
			wide |= k > 1;
			i += k;
		}
		if (i > len)
			i = len;
		if (wide) {
			words++;
			good += plausible(s + start, i - start);
		}
	}
	return words == 0 ? 1.0 : (double)good / (double)words;
}

/* ---- decoders ------------------------------------------------------------------ */

static int with_iconv(const char *from, const char *data, size_t len, buf_t *out)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -1;
	buf_t raw = BUF_INIT;
	int rc = buf_reserve(&raw, len * 4 + 16);
	if (rc == 0) {
		char *in = (char *)data, *o = raw.data;
		size_t inleft = len, outleft = raw.size;
		if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1)
			rc = -1;
		else
			raw.len = raw.size - outleft;
	}
	iconv_close(cd);
	/* Windows-1258 writes tones as combining marks: compose them. */
	if (rc == 0)
		rc = text_normalize(raw.data, raw.len, out);
	buf_free(&raw);
	return rc;
}

/* VNI: what a byte after a letter adds (combining marks, UTF-8), lower- and
 * upper-case forms alike. */
static const char *vni_marks(unsigned char b)
{
	switch (b) {
	case 0xf9: case 0xd9: return "\xcc\x81";              /* sắc */
	case 0xf8: case 0xd8: return "\xcc\x80";              /* huyền */
	case 0xfb: case 0xdb: return "\xcc\x89";              /* hỏi */
	case 0xf5: case 0xd5: return "\xcc\x83";              /* ngã */
	case 0xef: case 0xcf: return "\xcc\xa3";              /* nặng */
	case 0xe2: case 0xc2: return "\xcc\x82";              /* â ê ô */
	case 0xea: case 0xca: return "\xcc\x86";              /* ă */
	case 0xe1: case 0xc1: return "\xcc\x82\xcc\x81";
	case 0xe0: case 0xc0: return "\xcc\x82\xcc\x80";
	case 0xe5: case 0xc5: return "\xcc\x82\xcc\x89";
	case 0xe3: case 0xc3: return "\xcc\x82\xcc\x83";
	case 0xe4: case 0xc4: return "\xcc\x82\xcc\xa3";
	case 0xe9: case 0xc9: return "\xcc\x86\xcc\x81";
	case 0xe8: case 0xc8: return "\xcc\x86\xcc\x80";
	case 0xfa: case 0xda: return "\xcc\x86\xcc\x89";
	case 0xfc: case 0xdc: return "\xcc\x86\xcc\x83";
	case 0xeb: case 0xcb: return "\xcc\x86\xcc\xa3";
	default: return NULL;
	}
}

/* VNI: bytes that are letters of their own. */
static const char *vni_letter(unsigned char b)
{
	switch (b) {
	case 0xf4: return "ơ";
	case 0xd4: return "Ơ";
	case 0xf6: return "ư";
	case 0xd6: return "Ư";
	case 0xf1: return "đ";
	case 0xd1: return "Đ";
	case 0xed: return "í";
	case 0xcd: return "Í";
	case 0xec: return "ì";
	case 0xcc: return "Ì";
	case 0xe6: return "ỉ";
	case 0xc6: return "Ỉ";
	case 0xf3: return "ĩ";
	case 0xd3: return "Ĩ";
	case 0xf2: return "ị";
	case 0xd2: return "Ị";
	default: return NULL;
	}
}

static int from_vni(const char *data, size_t len, buf_t *out)
{
	buf_t raw = BUF_INIT;
	bool after_letter = false;
	int rc = 0;
	for (size_t i = 0; i < len && rc == 0; i++) {
		unsigned char b = (unsigned char)data[i];
		const char *m = after_letter ? vni_marks(b) : NULL, *l = vni_letter(b);
		if (b < 0x80) {
			rc = buf_putc(&raw, (char)b);
			after_letter = ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
		} else if (m != NULL) {
			rc = buf_puts(&raw, m);
		} else if (l != NULL) {
			rc = buf_puts(&raw, l);
			after_letter = true;
		} else {
			rc = -1;   /* not a VNI byte here */
		}
	}
	if (rc == 0)
		rc = text_normalize(raw.data != NULL ? raw.data : "", raw.len, out);
	buf_free(&raw);
	return rc;
}

static int decode_as(int which, const char *data, size_t len, buf_t *out)
{
	switch (which) {
	case 0: return with_iconv("WINDOWS-1258", data, len, out);
	case 1: return with_iconv("TCVN5712-1", data, len, out);
	default: return from_vni(data, len, out);
	}
}

const char *vn_encoding_decode(const char *data, size_t len, buf_t *out)
{
	static const char *const names[] = {"Windows-1258", "TCVN3", "VNI"};
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 && utf8_valid(data + 3, len - 3))
		return buf_append(out, data + 3, len - 3) == 0 ? "UTF-8 BOM" : NULL;
	if (utf8_valid(data, len))
		return buf_append(out, data, len) == 0 ? "UTF-8" : NULL;
	size_t sample = len < SAMPLE_MAX ? len : SAMPLE_MAX;
	int best = -1;
	double best_score = SCORE_MIN - 1e-9;
	for (int i = 0; i < 3; i++) {
		buf_t b = BUF_INIT;
		if (decode_as(i, data, sample, &b) == 0) {
			double s = vn_encoding_score(b.data != NULL ? b.data : "", b.len);
			if (s > best_score) {
				best_score = s;
				best = i;
			}
		}
		buf_free(&b);
	}
	if (best < 0 || decode_as(best, data, len, out) != 0)
		return NULL;
	return names[best];
}
