/*
 * captcha_samples.h - CAPTCHA pictures with known codes, for the OCR check.
 *
 * tests/check_hard.sh runs tesseract over these and counts how many codes it
 * reads back; the portal must not be that easy to read.
 */
#ifndef SEN_TEST_CAPTCHA_SAMPLES_H
#define SEN_TEST_CAPTCHA_SAMPLES_H

/*
 * Writes n pictures DIR/captcha-NNNNN.png (codes of DRAW_CAPTCHA_DEFAULT_LEN
 * characters from draw_captcha_code(), drawn by draw_captcha_png(), as the
 * portal does), beside each DIR/clean-captcha-NNNNN.png: the same picture as
 * an attacker would prepare it for OCR (3x larger, grey, thresholded to
 * black and white), and DIR/codes.txt with one "captcha-NNNNN.png CODE" line
 * per picture. DIR must exist. n is 1..100000. Returns 0, or -1 with the reason
 * on stderr.
 */
int captcha_samples_write(const char *dir, int n);

#endif
