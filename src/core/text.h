/*
 * text.h - UTF-8 checks, Vietnamese folding and slugs (on top of utf8proc).
 *
 * Folding is what makes "dien bien phu" find "Điện Biên Phủ": text is
 * normalised to NFC, case-folded, tone and vowel marks are removed
 * (including letters with two marks: ắ ố ứ ...), and đ Đ Ð (U+00D0)
 * Ɖ (U+0189) become d. Other scripts are case-folded and stripped of
 * combining marks the same way.
 *
 * Precisely: NFC, full Unicode case folding, canonical decomposition, every
 * nonspacing mark (category Mn) dropped, đ/Đ/Ð/Ɖ and the case-folded forms
 * ð (U+00F0) and ɖ (U+0256) mapped to d, then NFC again (so Hangul stays
 * composed). Spacing marks (Mc, vowel signs of Indic scripts) are kept.
 * NFC and NFD input fold to the same bytes; folding is idempotent.
 *
 * All functions are thread-safe and use no locale. Invalid UTF-8 (see
 * utf8_valid, NUL included) is refused, never repaired.
 */
#ifndef SEN_CORE_TEXT_H
#define SEN_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
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
 * Only a syllable that is exactly [onset] + oa/oe/uy, without final
 * consonant, moves (hoàng, quý, khuya stay); the rule is spelt out in
 * text.c. The result is idempotent and folds like the input.
 */
int text_normalize(const char *s, size_t len, buf_t *out);

/*
 * Appends the NFC form of s (canonical composition only: no tone moved, no
 * case changed) to out. Text is stored in NFC whichever way it comes in
 * (forms, the JSON API, `sen import`), so text that looks equal compares
 * equal. Returns -1 on invalid UTF-8 (out unchanged).
 */
int text_nfc(const char *s, size_t len, buf_t *out);

/*
 * The NFC form of s[0..len): s itself when it is already NFC (all ASCII
 * text is), otherwise a copy in the arena a. *outlen (may be NULL) is its
 * length; the result is NUL-terminated when s is (an arena copy always
 * is). NULL on invalid UTF-8 or out of memory.
 */
const char *text_nfc_arena(arena_t *a, const char *s, size_t len, size_t *outlen);

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
 * Letters that fold to no ASCII letter (北京, emoji) count as separators.
 * The limit is min(80, outlen - 1); one word longer than that is cut hard.
 * Invalid UTF-8 gives the empty slug. outlen 0 writes nothing.
 */
size_t text_slug(const char *s, size_t len, char *out, size_t outlen);

/* FNV-1a of a NUL-terminated string: the hash of the small open-addressing
 * tables of a request or an import. */
uint64_t text_hash(const char *s);

#endif
