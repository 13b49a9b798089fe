/*
 * vn_encoding.h - recognising text in the legacy Vietnamese encodings that
 * older office files still use, and converting it to UTF-8.
 *
 * Windows-1258 (precomposed letters plus combining tone marks), TCVN3 /
 * ABC (one byte per lower-case letter, read through glibc's TCVN5712-1)
 * and VNI (a base letter followed by bytes that add its marks, decoded
 * here) are each tried on the text; the one under which the most words
 * are real Vietnamese syllables (letters of the Vietnamese alphabet, at
 * most one tone, a vowel group Vietnamese writes) wins, if at least 3 of 4
 * such words are. Otherwise the text is refused as unknown: a file is never
 * passed on as mojibake. Output is NFC UTF-8.
 *
 * Thread-safe (iconv handles are per call).
 */
#ifndef SEN_MODEL_VN_ENCODING_H
#define SEN_MODEL_VN_ENCODING_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Converts data to UTF-8 into out (appended). Returns the encoding found:
 * "UTF-8", "UTF-8 BOM" (the mark is dropped), "Windows-1258", "TCVN3",
 * "VNI"; or NULL when the text is in none of them (out unchanged), or on
 * out of memory.
 */
const char *vn_encoding_decode(const char *data, size_t len, buf_t *out);

/* The share (0..1) of words with a non-ASCII letter that are plausible
 * Vietnamese syllables in UTF-8 text; 1 when there is no such word. */
double vn_encoding_score(const char *utf8, size_t len);

#endif
