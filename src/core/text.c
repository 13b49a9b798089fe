/*
 * text.c - UTF-8 checks, Vietnamese folding, tone placement and slugs.
 *
 * Unicode work (decomposition, case folding, composition) is utf8proc's;
 * this file only adds the Vietnamese rules (đ look-alikes, tone placement
 * in oa/oe/uy) and the speed paths that make folding cheap enough to run
 * over every article at import and over every search query.
 *
 * Input is cut into pieces that can be processed on their own with the
 * same result as the whole string (checked against the plain utf8proc
 * pipeline for every code point in several contexts): normalising cuts at
 * ASCII bytes that never take part in a canonical composition (all but
 * letters and "<=>", which take a U+0338 overlay); folding cuts at every
 * ASCII byte (see text_fold). A piece is about one word, so it fits a
 * stack buffer; all-ASCII input and precomposed Latin letters never reach
 * utf8proc at all. The tables behind that are filled once (call_once), so
 * every function here may be called from any thread.
 */
#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <utf8proc.h>

/* Code points a segment may hold before we fall back to the heap. */
#define STACK_CPS 256
/* Vietnamese slugs are at most this many bytes (text.h). */
#define SLUG_MAX 80

/* ------------------------------------------------------------------ */
/* UTF-8                                                              */
/* ------------------------------------------------------------------ */

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			if (c == 0xE0)
				lo = 0xA0; /* overlong below U+0800 */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates U+D800..U+DFFF */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			if (c == 0xF0)
				lo = 0x90; /* overlong below U+10000 */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return false; /* NUL, stray continuation, C0/C1, F5..FF */
		}
		if (len - i < n)
			return false;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k < n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (max >= len)
		return len;
	size_t n = max;
	/* Step back over at most three continuation bytes to a lead byte. */
	for (int k = 0; k < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; k++)
		n--;
	if (((unsigned char)s[n] & 0xC0) == 0x80)
		return max; /* not UTF-8 here: nothing sensible to protect */
	return n;
}

size_t utf8_length(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Decodes one code point of text already checked by utf8_valid(). */
static int32_t decode(const unsigned char *p, size_t *i)
{
	unsigned char c = p[*i];
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c < 0xE0) {
		int32_t cp = ((int32_t)(c & 0x1F) << 6) | (p[*i + 1] & 0x3F);
		*i += 2;
		return cp;
	}
	if (c < 0xF0) {
		int32_t cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(p[*i + 1] & 0x3F) << 6) |
			(p[*i + 2] & 0x3F);
		*i += 3;
		return cp;
	}
	int32_t cp = ((int32_t)(c & 0x07) << 18) | ((int32_t)(p[*i + 1] & 0x3F) << 12) |
		((int32_t)(p[*i + 2] & 0x3F) << 6) | (p[*i + 3] & 0x3F);
	*i += 4;
	return cp;
}

/* ------------------------------------------------------------------ */
/* Segments and code point buffers                                    */
/* ------------------------------------------------------------------ */

/* ASCII bytes at which a segment ends: never composed with anything. */
static bool is_break(unsigned char c)
{
	if (c >= 0x80)
		return false;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return false;
	return c != '<' && c != '=' && c != '>';
}

/* End of the segment starting at i (exclusive); *ascii says if it is all ASCII. */
static size_t segment_end(const unsigned char *p, size_t len, size_t i, bool *ascii)
{
	*ascii = true;
	while (i < len && !is_break(p[i])) {
		if (p[i] >= 0x80)
			*ascii = false;
		i++;
	}
	return i;
}

/* A code point array that lives on the stack until it outgrows it. */
typedef struct {
	int32_t *cp;
	size_t n;
	int32_t *heap;
	int32_t stack[STACK_CPS];
} cps_t;

static void cps_release(cps_t *c)
{
	free(c->heap);
	c->heap = NULL;
}

/*
 * Decomposes seg with utf8proc (canonical order included) into c->cp.
 * options: UTF8PROC_DECOMPOSE, plus UTF8PROC_CASEFOLD for folding.
 */
static int cps_decompose(cps_t *c, const unsigned char *seg, size_t len, utf8proc_option_t options)
{
	utf8proc_ssize_t n = utf8proc_decompose(seg, (utf8proc_ssize_t)len, c->stack, STACK_CPS,
		options);
	c->cp = c->stack;
	if (n < 0)
		return -1;
	if (n > STACK_CPS) {
		/* Long non-Latin runs only (Vietnamese words are short). */
		c->heap = malloc((size_t)n * sizeof(int32_t));
		if (c->heap == NULL)
			return -1;
		utf8proc_ssize_t m = utf8proc_decompose(seg, (utf8proc_ssize_t)len, c->heap, n,
			options);
		if (m != n)
			return -1;
		c->cp = c->heap;
	}
	c->n = (size_t)n;
	return 0;
}

static int cps_compose(cps_t *c)
{
	utf8proc_ssize_t n = utf8proc_normalize_utf32(c->cp, (utf8proc_ssize_t)c->n,
		UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (n < 0)
		return -1;
	c->n = (size_t)n;
	return 0;
}

static int cps_write(const cps_t *c, buf_t *out)
{
	/* Encode into a local chunk: one append per chunk, not per letter. */
	utf8proc_uint8_t chunk[512];
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (n > sizeof chunk - 4) {
			if (buf_append(out, chunk, n) != 0)
				return -1;
			n = 0;
		}
		n += (size_t)utf8proc_encode_char(c->cp[i], chunk + n);
	}
	return buf_append(out, chunk, n);
}

/* ------------------------------------------------------------------ */
/* Folding                                                            */
/* ------------------------------------------------------------------ */

/*
 * The Vietnamese letter đ and the letters people type in its place: Ð
 * (U+00D0, Icelandic eth), Ɖ (U+0189, African D) and their case-folded
 * forms ð (U+00F0) and ɖ (U+0256). Case folding runs first, so the small
 * forms are what reach this test; Icelandic ð folds to d as a consequence.
 */
static bool is_d_lookalike(int32_t cp)
{
	return cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0 || cp == 0x0189 ||
		cp == 0x0256;
}

/*
 * Slow path for one segment: decompose with case folding (utf8proc applies
 * the folding before and during decomposition, so NFC and NFD input meet in
 * the same sequence), drop nonspacing marks (Mn: tones, circumflex, breve,
 * horn ...), map đ look-alikes to d, then compose what is left (Hangul
 * jamo, scripts with spacing marks) back to NFC.
 */
static int fold_segment(const unsigned char *seg, size_t len, buf_t *out)
{
	cps_t c = {0};
	int rc = -1;
	if (cps_decompose(&c, seg, len, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD) != 0)
		goto fail;
	size_t k = 0;
	for (size_t i = 0; i < c.n; i++) {
		int32_t cp = c.cp[i];
		if (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_MN)
			continue;
		if (is_d_lookalike(cp))
			cp = 'd';
		c.cp[k++] = cp;
	}
	c.n = k;
	if (cps_compose(&c) != 0 || cps_write(&c, out) != 0)
		goto fail;
	rc = 0;
fail:
	cps_release(&c);
	return rc;
}

/*
 * Fast table for the Latin blocks Vietnamese uses (U+0080..U+02FF and
 * Latin Extended Additional U+1E00..U+1EFF): the single ASCII byte a code
 * point folds to, or 0 when it needs the slow path. Filled once from
 * fold_segment() itself, so it cannot disagree with it.
 */
#define LATIN_END 0x300
static unsigned char latin_fold[LATIN_END];
static unsigned char extended_fold[0x100];
static once_flag fold_table_once = ONCE_FLAG_INIT;

static unsigned char fold_single(int32_t cp)
{
	unsigned char tmp[4];
	buf_t b = BUF_INIT;
	unsigned char r = 0;
	size_t n = (size_t)utf8proc_encode_char(cp, tmp);
	if (fold_segment(tmp, n, &b) == 0 && b.len == 1 && (unsigned char)b.data[0] < 0x80)
		r = (unsigned char)b.data[0];
	buf_free(&b);
	return r;
}

static void fold_table_init(void)
{
	for (int32_t cp = 0x80; cp < LATIN_END; cp++)
		latin_fold[cp] = fold_single(cp);
	for (int32_t cp = 0; cp < 0x100; cp++)
		extended_fold[cp] = fold_single(0x1E00 + cp);
}

static unsigned char fast_fold(int32_t cp)
{
	if (cp < LATIN_END)
		return latin_fold[cp];
	if (cp >= 0x1E00 && cp < 0x1F00)
		return extended_fold[cp - 0x1E00];
	return 0;
}

/*
 * Folds a run of non-ASCII code points. Precomposed Latin letters fold one
 * by one through the table (no letter there composes with a following
 * letter); the first code point outside the table (a mark, another script)
 * sends the whole run to the slow path.
 */
static int fold_run(const unsigned char *run, size_t len, buf_t *out)
{
	size_t saved = out->len;
	/* Every code point here takes two bytes or more and folds to one. */
	if (buf_reserve(out, len) != 0)
		return -1;
	char *d = out->data + out->len;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		unsigned char f = fast_fold(decode(run, &i));
		if (f == 0) {
			out->len = saved;
			return fold_segment(run, len, out);
		}
		d[n++] = (char)f;
	}
	out->len += n;
	out->data[out->len] = '\0';
	return 0;
}

static int fold_ascii(const char *s, size_t len, buf_t *out)
{
	if (buf_reserve(out, len) != 0)
		return -1;
	char *d = out->data + out->len;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		d[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	out->len += len;
	out->data[out->len] = '\0';
	return 0;
}

/* End of the run of ASCII (or of non-ASCII) bytes that starts at i. */
static size_t run_end(const unsigned char *p, size_t len, size_t i)
{
	bool ascii = p[i] < 0x80;
	while (i < len && (p[i] < 0x80) == ascii)
		i++;
	return i;
}

static bool ascii_no_nul(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] - 1u >= 0x7Fu)
			return false;
	return true;
}

/*
 * For folding every ASCII byte is a safe place to cut, not just the break
 * bytes: an ASCII letter never composes with anything but a nonspacing mark,
 * and those are dropped. So ASCII runs are lower-cased in place and only the
 * non-ASCII runs between them see the table or utf8proc.
 */
int text_fold(const char *s, size_t len, buf_t *out)
{
	size_t saved = out->len;
	const unsigned char *p = (const unsigned char *)s;
	if (ascii_no_nul(s, len))
		return fold_ascii(s, len, out);
	if (!utf8_valid(s, len))
		return -1;
	call_once(&fold_table_once, fold_table_init);
	for (size_t i = 0; i < len;) {
		size_t end = run_end(p, len, i);
		int rc = p[i] < 0x80 ? fold_ascii(s + i, end - i, out)
			: fold_run(p + i, end - i, out);
		if (rc != 0)
			goto fail;
		i = end;
	}
	return 0;
fail:
	out->len = saved;
	if (out->data != NULL)
		out->data[saved] = '\0';
	return -1;
}

/* ------------------------------------------------------------------ */
/* Tone placement                                                     */
/* ------------------------------------------------------------------ */

/*
 * The rule. A syllable whose letters are exactly
 *     onset + (oa | oe | uy)
 * with no final consonant, where onset is empty or one of the Vietnamese
 * initial consonants (b c ch d đ g gh gi h k kh l m n ng ngh nh p ph r s t
 * th tr v x), carries its tone mark on the first vowel: hoà -> hòa,
 * hoè -> hòe, thuý -> thúy, oà -> òa, uỷ -> ủy, HOÀ -> HÒA. The two places are
 * both in use ("kiểu cũ" / "kiểu mới"); picking one makes equal words
 * compare equal. Everything else is left alone:
 *  - syllables with a final consonant or a third vowel already carry the
 *    mark on the second vowel in both styles (hoàng, hoạch, khuyến, hoài);
 *  - after q the u belongs to the onset (qu), so quý, quỳ are a lone y;
 *  - letters with a circumflex, breve or horn, two tone marks, or anything
 *    that is not a Vietnamese letter make it "not this pattern".
 * A syllable is a maximal run of letters and marks (Unicode L*, M*).
 */
static const char *const onsets[] = {
	"", "b", "c", "ch", "d", "D", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
	"ng", "ngh", "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x",
};

static bool is_tone_mark(int32_t m)
{
	/* grave, acute, tilde, hook above, dot below */
	return m == 0x0300 || m == 0x0301 || m == 0x0303 || m == 0x0309 || m == 0x0323;
}

/* Lower-case base letter of cp ('D' stands for đ) and its tone mark, or 0
 * when cp is not a plain Vietnamese letter with at most a tone mark. */
static char split_letter(int32_t cp, int32_t *tone)
{
	int32_t d[4];
	*tone = 0;
	if (cp == 0x0110 || cp == 0x0111)
		return 'D';
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, NULL);
	if (n < 1 || n > 2 || d[0] >= 0x80)
		return 0;
	char base = (char)d[0];
	if (base >= 'A' && base <= 'Z')
		base = (char)(base + 32);
	if (base < 'a' || base > 'z')
		return 0;
	if (n == 2) {
		if (!is_tone_mark(d[1]))
			return 0;
		*tone = d[1];
	}
	return base;
}

static int32_t compose_pair(int32_t base, int32_t mark)
{
	int32_t b[3] = {base, mark, 0};
	utf8proc_ssize_t n = utf8proc_normalize_utf32(b, 2, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	return n == 1 ? b[0] : -1;
}

/* The ASCII letter cp folds to (lower case), or 0; needs the fold table. */
static unsigned char plain_letter(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? (unsigned char)(cp + 32) : (unsigned char)cp;
	return fast_fold(cp);
}

/* Applies the rule above to the syllable w[0..n) (NFC code points);
 * true if it moved a mark. */
static bool place_tone(int32_t *w, size_t n)
{
	if (n < 2 || n > 5)
		return false;
	/* Cheap test first: most syllables do not end in oa, oe or uy. */
	char last = (char)plain_letter(w[n - 1]), before = (char)plain_letter(w[n - 2]);
	if (!((before == 'o' && (last == 'a' || last == 'e')) || (before == 'u' && last == 'y')))
		return false;
	char letters[6];
	int32_t tone[5];
	for (size_t i = 0; i < n; i++) {
		letters[i] = split_letter(w[i], &tone[i]);
		if (letters[i] == 0)
			return false;
	}
	letters[n] = '\0';
	const char *v = letters + n - 2;
	if (strcmp(v, "oa") != 0 && strcmp(v, "oe") != 0 && strcmp(v, "uy") != 0)
		return false;
	size_t onset_len = n - 2;
	bool onset_ok = false;
	for (size_t i = 0; i < sizeof onsets / sizeof onsets[0]; i++)
		if (strlen(onsets[i]) == onset_len && memcmp(onsets[i], letters, onset_len) == 0)
			onset_ok = true;
	if (!onset_ok)
		return false;
	for (size_t i = 0; i < onset_len; i++)
		if (tone[i] != 0)
			return false;
	size_t a = n - 2, b = n - 1;
	if (tone[a] != 0 || tone[b] == 0)
		return false; /* already canonical, or no tone at all */
	int32_t base_a[4], base_b[4];
	utf8proc_decompose_char(w[a], base_a, 4, UTF8PROC_DECOMPOSE, NULL);
	utf8proc_decompose_char(w[b], base_b, 4, UTF8PROC_DECOMPOSE, NULL);
	int32_t moved = compose_pair(base_a[0], tone[b]);
	if (moved < 0)
		return false;
	w[a] = moved;
	w[b] = base_b[0];
	return true;
}

static bool is_letter_or_mark(int32_t cp)
{
	if (cp < 0x80)
		return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	utf8proc_category_t cat = utf8proc_category(cp);
	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

/*
 * True if cp is its own NFC and cannot combine with a following letter:
 * then a segment of such code points is already NFC. Filled once from
 * utf8proc.
 */
static unsigned char latin_stable[LATIN_END];
static unsigned char extended_stable[0x100];
static once_flag stable_table_once = ONCE_FLAG_INIT;

static bool nfc_single(int32_t cp)
{
	/* Letters only: marks and symbols take the slow path. */
	utf8proc_category_t cat = utf8proc_category(cp);
	if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
		return false;
	if (utf8proc_get_property(cp)->combining_class != 0)
		return false;
	int32_t d[8];
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, NULL);
	if (n < 1 || n > 8)
		return false;
	n = utf8proc_normalize_utf32(d, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	return n == 1 && d[0] == cp;
}

static void stable_table_init(void)
{
	for (int32_t cp = 0x80; cp < LATIN_END; cp++)
		latin_stable[cp] = nfc_single(cp);
	for (int32_t cp = 0; cp < 0x100; cp++)
		extended_stable[cp] = nfc_single(0x1E00 + cp);
}

static bool fast_stable(int32_t cp)
{
	if (cp < LATIN_END)
		return latin_stable[cp];
	if (cp >= 0x1E00 && cp < 0x1F00)
		return extended_stable[cp - 0x1E00];
	return false;
}

/*
 * NFC of one segment, plus the tone rule on each syllable in it when tones
 * is set. Returns 0 when it appended the result, 1 when the segment is
 * already normal (it appended nothing: the caller copies the original
 * bytes), -1 on failure.
 */
static int normalize_segment(const unsigned char *seg, size_t len, bool tones, buf_t *out)
{
	cps_t c = {0};
	int rc = -1;
	bool stable = true, changed = false;
	size_t n = 0;
	for (size_t i = 0; i < len && stable;) {
		int32_t cp = decode(seg, &i);
		if (cp >= 0x80 && !fast_stable(cp))
			stable = false;
		else if (n < STACK_CPS)
			c.stack[n++] = cp;
		else
			stable = false;
	}
	if (stable) {
		c.cp = c.stack;
		c.n = n;
	} else if (cps_decompose(&c, seg, len, UTF8PROC_DECOMPOSE) != 0 || cps_compose(&c) != 0) {
		goto fail;
	}
	for (size_t i = 0; tones && i < c.n;) {
		if (!is_letter_or_mark(c.cp[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < c.n && is_letter_or_mark(c.cp[j]))
			j++;
		if (place_tone(c.cp + i, j - i))
			changed = true;
		i = j;
	}
	if (stable && !changed)
		rc = 1;
	else if (cps_write(&c, out) == 0)
		rc = 0;
fail:
	cps_release(&c);
	return rc;
}

/*
 * Segments are cut at break bytes (is_break), since an ASCII letter may
 * compose with a following mark (e + U+0301 = é). Bytes that need no change
 * are copied in spans, not one by one.
 */
static int normalize(const char *s, size_t len, bool tones, buf_t *out)
{
	size_t saved = out->len;
	const unsigned char *p = (const unsigned char *)s;
	if (ascii_no_nul(s, len))
		return buf_append(out, s, len);
	if (!utf8_valid(s, len))
		return -1;
	call_once(&stable_table_once, stable_table_init);
	call_once(&fold_table_once, fold_table_init);
	size_t i = 0, copy_from = 0;
	while (i < len) {
		bool ascii;
		size_t end = segment_end(p, len, i, &ascii);
		if (end == i) {
			i++; /* a break byte */
			continue;
		}
		if (!ascii) {
			int rc = 1;
			if (buf_append(out, p + copy_from, i - copy_from) != 0 ||
			    (rc = normalize_segment(p + i, end - i, tones, out)) < 0)
				goto fail;
			copy_from = rc == 1 ? i : end;
		}
		i = end;
	}
	if (buf_append(out, p + copy_from, len - copy_from) != 0)
		goto fail;
	return 0;
fail:
	out->len = saved;
	if (out->data != NULL)
		out->data[saved] = '\0';
	return -1;
}

int text_normalize(const char *s, size_t len, buf_t *out)
{
	return normalize(s, len, true, out);
}

int text_nfc(const char *s, size_t len, buf_t *out)
{
	return normalize(s, len, false, out);
}

const char *text_nfc_arena(arena_t *a, const char *s, size_t len, size_t *outlen)
{
	if (ascii_no_nul(s, len)) {
		if (outlen != NULL)
			*outlen = len;
		return s;
	}
	buf_t b = BUF_INIT;
	const char *r = NULL;
	if (text_nfc(s, len, &b) != 0 || b.failed)
		goto out;
	if (b.len == len && memcmp(b.data, s, len) == 0) {
		r = s;
	} else {
		r = arena_strndup(a, b.data, b.len);
		if (r == NULL)
			goto out;
		len = b.len;
	}
	if (outlen != NULL)
		*outlen = len;
out:
	buf_free(&b);
	return r;
}

/* ------------------------------------------------------------------ */
/* Slugs                                                              */
/* ------------------------------------------------------------------ */

/* Builds a slug of at most `limit` bytes while folded text streams in. */
typedef struct {
	char s[SLUG_MAX + 2];
	size_t n;
	size_t limit;
	bool dash; /* a separator is pending */
	bool full; /* holds limit + 1 bytes: enough to decide the cut */
} slug_t;

static void slug_feed(slug_t *sl, const char *f, size_t len)
{
	for (size_t i = 0; i < len && !sl->full; i++) {
		char c = f[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!keep) {
			sl->dash = true;
			continue;
		}
		if (sl->dash && sl->n > 0)
			sl->s[sl->n++] = '-';
		sl->dash = false;
		if (sl->n <= sl->limit)
			sl->s[sl->n++] = c;
		if (sl->n > sl->limit)
			sl->full = true;
	}
}

size_t text_slug(const char *s, size_t len, char *out, size_t outlen)
{
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	slug_t sl = {.n = 0, .limit = outlen - 1 < SLUG_MAX ? outlen - 1 : SLUG_MAX};
	const unsigned char *p = (const unsigned char *)s;
	if (sl.limit == 0 || !utf8_valid(s, len))
		return 0;
	call_once(&fold_table_once, fold_table_init);
	buf_t f = BUF_INIT;
	/* Fold a run at a time and stop as soon as the slug is decided. */
	for (size_t i = 0; i < len && !sl.full;) {
		size_t end = run_end(p, len, i);
		if (p[i] < 0x80) {
			slug_feed(&sl, s + i, end - i);
		} else {
			buf_clear(&f);
			if (fold_run(p + i, end - i, &f) != 0) {
				buf_free(&f);
				return 0;
			}
			slug_feed(&sl, f.data, f.len);
		}
		i = end;
	}
	buf_free(&f);
	size_t n = sl.n;
	if (n > sl.limit) {
		/* Cut at the last '-' that keeps whole words (s[limit] itself may
		 * be one), else mid-word. */
		size_t cut = sl.limit;
		while (cut > 0 && sl.s[cut] != '-')
			cut--;
		n = cut > 0 ? cut : sl.limit;
	}
	while (n > 0 && sl.s[n - 1] == '-')
		n--;
	memcpy(out, sl.s, n);
	out[n] = '\0';
	return n;
}

uint64_t text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}
