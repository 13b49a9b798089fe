/*
 * draw.h - pictures drawn with libgd: demo placeholders and CAPTCHA images.
 *
 * draw_placeholder_png() paints a landscape (sky, sun, layered hills over a
 * valley) for the demo articles; the same seed always gives the same bytes.
 * draw_captcha_png() renders a code for the comment form, distorted so that
 * OCR does poorly while people still read it; every call draws differently.
 * Randomness for CAPTCHAs comes from libsodium (randombytes_uniform).
 *
 * Thread safety: all functions may be called from several threads at once,
 * except draw_captcha_set_font() and draw_shutdown(), which belong to
 * start-up and exit.
 */
#ifndef SEN_RENDER_DRAW_H
#define SEN_RENDER_DRAW_H

#include <stddef.h>
#include <stdint.h>

/* The largest side accepted for a placeholder, in pixels. */
#define DRAW_MAX_SIDE 4096

/* Size of every CAPTCHA image, in pixels. */
#define DRAW_CAPTCHA_WIDTH 200
#define DRAW_CAPTCHA_HEIGHT 70

/* Accepted code lengths, and the length the portal should use. */
#define DRAW_CAPTCHA_MIN_LEN 4
#define DRAW_CAPTCHA_MAX_LEN 8
#define DRAW_CAPTCHA_DEFAULT_LEN 6

/* Characters a code is made of: upper-case letters and digits without the
 * look-alikes 0/O, 1/I/L (lower case is never used, so l/i cannot occur).
 * Checking an answer should fold it to upper case first; see
 * draw_captcha_matches(). */
#define DRAW_CAPTCHA_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* The TrueType font used for CAPTCHAs unless draw_captcha_set_font() says
 * otherwise (Debian package fonts-dejavu-core). */
#define DRAW_CAPTCHA_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/* Draws a width x height landscape chosen by seed and writes it as a PNG to
 * path atomically (a temporary file in the same directory, then rename), so
 * readers never see half a file. Sides must be 16..DRAW_MAX_SIDE and the
 * path shorter than PATH_MAX - 16 bytes. The same seed and size give the
 * same bytes (with the same libm and zlib). Returns 0, or -1 (logged) on
 * bad arguments or I/O failure; no temporary file is left behind then. */
int draw_placeholder_png(const char *path, int width, int height, uint32_t seed);

/* Writes len - 1 characters drawn uniformly from DRAW_CAPTCHA_ALPHABET by a
 * CSPRNG, then a NUL, into out (len is the size of out; use
 * DRAW_CAPTCHA_DEFAULT_LEN + 1). Does nothing when len is 0. */
void draw_captcha_code(char *out, size_t len);

/* Renders code (DRAW_CAPTCHA_MIN_LEN..DRAW_CAPTCHA_MAX_LEN characters, all
 * from DRAW_CAPTCHA_ALPHABET) as a DRAW_CAPTCHA_WIDTH x DRAW_CAPTCHA_HEIGHT
 * PNG in memory. On success *png is a malloc'd buffer of *len bytes that
 * the caller frees with free(), and 0 is returned. Returns -1 (logged) when
 * the code is refused or drawing fails; *png and *len are then untouched.
 * Falls back to gd's built-in giant font when FreeType or the font file is
 * unavailable. */
int draw_captcha_png(const char *code, unsigned char **png, size_t *len);

/* Returns 1 when answer, after trimming surrounding ASCII spaces and folding
 * to upper case, equals expected; 0 otherwise (also for NULL or over-long
 * input). Compares in constant time for equal lengths. */
int draw_captcha_matches(const char *expected, const char *answer);

/* Replaces the CAPTCHA font path (copied; at most 511 bytes). For
 * deployments that keep fonts elsewhere and for tests of the fallback. Call
 * before serving starts. NULL restores DRAW_CAPTCHA_FONT. Returns 0 or -1. */
int draw_captcha_set_font(const char *path);

/* Releases FreeType's font cache; call once at exit (keeps leak checkers
 * quiet). Drawing after this sets the cache up again. */
void draw_shutdown(void);

#endif
