/*
 * captcha_samples.c - CAPTCHA pictures with known codes (see the header).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gd.h>

#include "captcha_samples.h"
#include "render/draw.h"

/* What an attacker does before OCR: three times larger (tesseract wants
 * letters 30+ pixels high), grey, then black and white at a threshold, so
 * the pale noise goes and dark strokes stay. NULL when gd fails. */
static unsigned char *clean_up(const unsigned char *png, size_t len, int *outlen)
{
	gdImagePtr im = gdImageCreateFromPngPtr((int)len, (void *)png);
	if (im == NULL)
		return NULL;
	gdImageSetInterpolationMethod(im, GD_BICUBIC);
	gdImagePtr big = gdImageScale(im, (unsigned)gdImageSX(im) * 3, (unsigned)gdImageSY(im) * 3);
	gdImageDestroy(im);
	if (big == NULL)
		return NULL;
	gdImageGrayScale(big);
	int white = gdImageColorAllocate(big, 255, 255, 255);
	int black = gdImageColorAllocate(big, 0, 0, 0);
	for (int y = 0; y < gdImageSY(big); y++) {
		for (int x = 0; x < gdImageSX(big); x++) {
			int c = gdImageGetTrueColorPixel(big, x, y);
			int grey = gdTrueColorGetRed(c);
			gdImageSetPixel(big, x, y, grey < 140 ? black : white);
		}
	}
	unsigned char *out = gdImagePngPtr(big, outlen);
	gdImageDestroy(big);
	return out;
}

static int write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		fprintf(stderr, "captcha_samples: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t w = fwrite(data, 1, len, f);
	if (fclose(f) != 0 || w != len) {
		fprintf(stderr, "captcha_samples: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int captcha_samples_write(const char *dir, int n)
{
	if (dir == NULL || n < 1 || n > 100000) {
		fprintf(stderr, "captcha_samples: need a folder and 1..100000 pictures\n");
		return -1;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/codes.txt", dir);
	FILE *codes = fopen(path, "w");
	if (codes == NULL) {
		fprintf(stderr, "captcha_samples: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char code[DRAW_CAPTCHA_DEFAULT_LEN + 1];
		char name[32];
		unsigned char *png = NULL;
		size_t len = 0;
		draw_captcha_code(code, sizeof code);
		snprintf(name, sizeof name, "captcha-%05d.png", i);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (draw_captcha_png(code, &png, &len) != 0) {
			fprintf(stderr, "captcha_samples: cannot draw %s\n", code);
			rc = -1;
			break;
		}
		rc = write_file(path, png, len);
		int clean_len = 0;
		unsigned char *clean = rc == 0 ? clean_up(png, len, &clean_len) : NULL;
		free(png);
		if (rc == 0 && clean == NULL) {
			fprintf(stderr, "captcha_samples: cannot clean up %s\n", name);
			rc = -1;
		}
		if (rc == 0) {
			snprintf(path, sizeof path, "%s/clean-%s", dir, name);
			rc = write_file(path, clean, (size_t)clean_len);
		}
		gdFree(clean);
		if (rc == 0 && fprintf(codes, "%s %s\n", name, code) < 0)
			rc = -1;
	}
	if (fclose(codes) != 0)
		rc = -1;
	return rc;
}
