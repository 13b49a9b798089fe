/*
 * text.h - UTF-8 checks, Vietnamese folding and slugs (on top of utf8proc).
 *
 * Folding is what makes "dien bien phu" find "Điện Biên Phủ": text is
 * normalised to NFC, case-folded, tone and vowel marks are removed
 * (including letters with two marks: ắ ố ứ ...), and đ Đ Ð (U+00D0)
 * Ɖ (U+0189) become d. Other scripts are case-folded and stripped of
 * combining marks the same way.
 */
#ifndef SEN_CORE_TEXT_H
#define SEN_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). NUL bytes make it false. */
bool utf8_valid(const char *s, size_t len);

/* Largest n <= max such that s[0..n) does not end inside a UTF-8 sequence. */
size_t utf8_cut(const char *s, size_t len, size_t max);

/* Number of code points in valid UTF-8 text. */
size_t utf8_length(const char *s, size_t len);

/*
 * Normalises Vietnamese text for exact comparison: NFC, and the tone mark of
 * the syllables oa, oe, uy (hoà/hòa, thuý/thúy, oà/òa) moved to one
 * canonical place (the modern one: hòa, thúy). Case is kept. Appends to out.
 * Returns -1 on invalid UTF-8 (out unchanged).
 */
int text_normalize(const char *s, size_t len, buf_t *out);

/* Appends the folded form (see above; lower case, accents gone) to out.
 * Returns -1 on invalid UTF-8 (out unchanged). */
int text_fold(const char *s, size_t len, buf_t *out);

/*
 * Writes a URL slug of s into out (outlen bytes, NUL-terminated): folded,
 * ASCII letters and digits kept, every other run becomes one '-', no
 * leading/trailing '-', at most 80 bytes (cut at a '-' when possible).
 * "Hội nghị triển khai nhiệm vụ công tác năm 2021" ->
 * "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021". Returns the slug length;
 * an empty slug (no letters or digits) returns 0 and out = "".
 */
size_t text_slug(const char *s, size_t len, char *out, size_t outlen);

#endif
