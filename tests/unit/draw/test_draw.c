/*
 * test_draw.c - placeholder landscapes and CAPTCHA images.
 *
 * Pictures are read back with gd's own PNG decoder and checked for size,
 * determinism (placeholders), randomness (CAPTCHAs) and for actually holding
 * drawn content. SEN_DRAW_KEEP=DIR writes samples there for a human check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <gd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/draw.h"

/* ---- helpers ------------------------------------------------------------ */

struct tmpdir {
	char path[256];
};

static int setup_dir(void **state)
{
	struct tmpdir *d = calloc(1, sizeof *d);
	if (!d)
		return -1;
	snprintf(d->path, sizeof d->path, "/tmp/sen-draw-test-XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int teardown_dir(void **state)
{
	struct tmpdir *d = *state;
	DIR *dir = opendir(d->path);
	if (dir) {
		struct dirent *e;
		char p[512];
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
			unlink(p);
		}
		closedir(dir);
	}
	rmdir(d->path);
	free(d);
	return 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static gdImagePtr load_png(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	gdImagePtr im = gdImageCreateFromPng(f);
	fclose(f);
	return im;
}

static int count_files(const char *dirpath)
{
	int n = 0;
	DIR *dir = opendir(dirpath);
	struct dirent *e;
	if (!dir)
		return -1;
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

static int lum(int c)
{
	return (gdTrueColorGetRed(c) * 299 + gdTrueColorGetGreen(c) * 587 +
		gdTrueColorGetBlue(c) * 114) / 1000;
}

/* Pixels darker than 110: text and lines on a CAPTCHA's pale ground. */
static int dark_pixels(gdImagePtr im)
{
	int n = 0;
	for (int y = 0; y < gdImageSY(im); y++)
		for (int x = 0; x < gdImageSX(im); x++)
			if (lum(gdImageGetTrueColorPixel(im, x, y)) < 110)
				n++;
	return n;
}

static int distinct_colors(gdImagePtr im, int limit)
{
	int *seen = calloc((size_t)limit, sizeof *seen), n = 0;
	assert_non_null(seen);
	for (int y = 0; y < gdImageSY(im) && n < limit; y += 3)
		for (int x = 0; x < gdImageSX(im) && n < limit; x += 3) {
			int c = gdImageGetTrueColorPixel(im, x, y), k;
			for (k = 0; k < n && seen[k] != c; k++)
				;
			if (k == n)
				seen[n++] = c;
		}
	free(seen);
	return n;
}

static void keep(const char *name, const unsigned char *data, size_t len)
{
	const char *dir = getenv("SEN_DRAW_KEEP");
	char p[512];
	if (!dir || !*dir)
		return;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* ---- placeholder -------------------------------------------------------- */

static void placeholder_is_png_of_size(void **state)
{
	struct tmpdir *d = *state;
	char p[512];
	snprintf(p, sizeof p, "%s/hoi-nghi-2021-1.png", d->path);
	assert_int_equal(draw_placeholder_png(p, 1200, 800, 42), 0);

	size_t len = 0;
	unsigned char *b = slurp(p, &len);
	assert_non_null(b);
	assert_true(len > 1000);
	assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
	keep("placeholder-42.png", b, len);
	free(b);

	gdImagePtr im = load_png(p);
	assert_non_null(im);
	assert_int_equal(gdImageSX(im), 1200);
	assert_int_equal(gdImageSY(im), 800);
	/* A picture, not a flat fill: many colours, and the top (sky) is
	 * lighter than the bottom (hills and fields) on average. */
	assert_true(distinct_colors(im, 400) >= 200);
	long top = 0, bottom = 0;
	for (int x = 0; x < 1200; x += 7) {
		top += lum(gdImageGetTrueColorPixel(im, x, 20));
		bottom += lum(gdImageGetTrueColorPixel(im, x, 790));
	}
	assert_true(top != bottom);
	gdImageDestroy(im);

	/* Written atomically: no temporary file is left beside it. */
	assert_int_equal(count_files(d->path), 1);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
}

static void placeholder_is_deterministic(void **state)
{
	struct tmpdir *d = *state;
	char a[512], b[512], c[512];
	snprintf(a, sizeof a, "%s/a.png", d->path);
	snprintf(b, sizeof b, "%s/b.png", d->path);
	snprintf(c, sizeof c, "%s/c.png", d->path);
	assert_int_equal(draw_placeholder_png(a, 320, 200, 7), 0);
	assert_int_equal(draw_placeholder_png(b, 320, 200, 7), 0);
	assert_int_equal(draw_placeholder_png(c, 320, 200, 8), 0);

	size_t la, lb, lc;
	unsigned char *da = slurp(a, &la), *db = slurp(b, &lb), *dc = slurp(c, &lc);
	assert_non_null(da);
	assert_non_null(db);
	assert_non_null(dc);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	assert_true(la != lc || memcmp(da, dc, la) != 0);
	free(da);
	free(db);
	free(dc);
}

static void placeholder_seeds_differ_in_pixels(void **state)
{
	struct tmpdir *d = *state;
	char p[512];
	int same_pairs = 0;
	gdImagePtr prev = NULL;
	for (uint32_t seed = 1; seed <= 6; seed++) {
		snprintf(p, sizeof p, "%s/s%u.png", d->path, seed);
		assert_int_equal(draw_placeholder_png(p, 160, 120, seed), 0);
		gdImagePtr im = load_png(p);
		assert_non_null(im);
		assert_int_equal(gdImageSX(im), 160);
		assert_int_equal(gdImageSY(im), 120);
		if (prev) {
			int diff = 0;
			for (int y = 0; y < 120; y++)
				for (int x = 0; x < 160; x++)
					diff += gdImageGetTrueColorPixel(im, x, y) !=
						gdImageGetTrueColorPixel(prev, x, y);
			if (diff < 160 * 120 / 4)
				same_pairs++;
			gdImageDestroy(prev);
		}
		prev = im;
	}
	gdImageDestroy(prev);
	assert_int_equal(same_pairs, 0);
}

static void placeholder_replaces_existing_file(void **state)
{
	struct tmpdir *d = *state;
	char p[512];
	snprintf(p, sizeof p, "%s/x.png", d->path);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs("not a png", f);
	fclose(f);
	assert_int_equal(draw_placeholder_png(p, 64, 48, 3), 0);
	gdImagePtr im = load_png(p);
	assert_non_null(im);
	assert_int_equal(gdImageSX(im), 64);
	gdImageDestroy(im);
	assert_int_equal(count_files(d->path), 1);
}

static void placeholder_refuses_bad_arguments(void **state)
{
	struct tmpdir *d = *state;
	char p[512];
	snprintf(p, sizeof p, "%s/bad.png", d->path);
	assert_int_equal(draw_placeholder_png(NULL, 100, 100, 1), -1);
	assert_int_equal(draw_placeholder_png("", 100, 100, 1), -1);
	assert_int_equal(draw_placeholder_png(p, 0, 100, 1), -1);
	assert_int_equal(draw_placeholder_png(p, 100, -5, 1), -1);
	assert_int_equal(draw_placeholder_png(p, DRAW_MAX_SIDE + 1, 100, 1), -1);
	assert_int_equal(draw_placeholder_png(p, 100, INT32_MAX, 1), -1);
	char longpath[5000];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	assert_int_equal(draw_placeholder_png(longpath, 100, 100, 1), -1);
	/* A directory that does not exist: fails, and leaves nothing. */
	snprintf(p, sizeof p, "%s/missing/x.png", d->path);
	assert_int_equal(draw_placeholder_png(p, 100, 100, 1), -1);
	assert_int_equal(count_files(d->path), 0);
}

/* ---- CAPTCHA ------------------------------------------------------------ */

static void code_uses_alphabet(void **state)
{
	(void)state;
	int hits[256] = {0};
	for (int i = 0; i < 2000; i++) {
		char code[DRAW_CAPTCHA_DEFAULT_LEN + 1];
		memset(code, 'x', sizeof code);
		draw_captcha_code(code, sizeof code);
		assert_int_equal(strlen(code), DRAW_CAPTCHA_DEFAULT_LEN);
		for (size_t k = 0; k < DRAW_CAPTCHA_DEFAULT_LEN; k++) {
			assert_non_null(strchr(DRAW_CAPTCHA_ALPHABET, code[k]));
			hits[(unsigned char)code[k]]++;
		}
	}
	/* The look-alikes never appear; every allowed character does (12000
	 * draws over 31 characters: missing one by chance is ~1e-160). */
	const char *banned = "0O1IlLio";
	for (const char *b = banned; *b; b++)
		assert_int_equal(hits[(unsigned char)*b], 0);
	for (const char *a = DRAW_CAPTCHA_ALPHABET; *a; a++)
		assert_true(hits[(unsigned char)*a] > 0);
	/* Two codes in a row are not the same (chance 31^-6). */
	char x[7], y[7];
	draw_captcha_code(x, sizeof x);
	draw_captcha_code(y, sizeof y);
	assert_string_not_equal(x, y);
	/* The buffer size is respected. */
	char small[3] = {'a', 'b', 'c'};
	draw_captcha_code(small, 1);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'b');
}

static gdImagePtr render(const char *code, const char *keep_as)
{
	unsigned char *png = NULL;
	size_t len = 0;
	assert_int_equal(draw_captcha_png(code, &png, &len), 0);
	assert_non_null(png);
	assert_true(len > 100);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	if (keep_as)
		keep(keep_as, png, len);
	gdImagePtr im = gdImageCreateFromPngPtr((int)len, png);
	free(png);
	assert_non_null(im);
	assert_int_equal(gdImageSX(im), DRAW_CAPTCHA_WIDTH);
	assert_int_equal(gdImageSY(im), DRAW_CAPTCHA_HEIGHT);
	return im;
}

static void captcha_decodes_with_text(void **state)
{
	(void)state;
	gdImagePtr im = render("K7PX3M", "captcha-K7PX3M.png");
	/* Text, lines and speckles: a good share of dark pixels, but the
	 * ground stays pale (otherwise people could not read it). */
	int dark = dark_pixels(im);
	assert_true(dark > 600);
	assert_true(dark < DRAW_CAPTCHA_WIDTH * DRAW_CAPTCHA_HEIGHT / 3);
	assert_true(distinct_colors(im, 300) > 100);
	gdImageDestroy(im);

	const char *codes[] = {"ABCD", "2345", "WXYZ9", "HJKMNPQR", "TUV678"};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		im = render(codes[i], NULL);
		assert_true(dark_pixels(im) > 400);
		gdImageDestroy(im);
	}
}

static void captcha_differs_each_time(void **state)
{
	(void)state;
	gdImagePtr a = render("MN4R8T", NULL), b = render("MN4R8T", NULL);
	int diff = 0;
	for (int y = 0; y < DRAW_CAPTCHA_HEIGHT; y++)
		for (int x = 0; x < DRAW_CAPTCHA_WIDTH; x++)
			diff += gdImageGetTrueColorPixel(a, x, y) != gdImageGetTrueColorPixel(b, x, y);
	assert_true(diff > DRAW_CAPTCHA_WIDTH * DRAW_CAPTCHA_HEIGHT / 2);
	gdImageDestroy(a);
	gdImageDestroy(b);
}

static void captcha_refuses_bad_codes(void **state)
{
	(void)state;
	unsigned char *png = (unsigned char *)"untouched";
	size_t len = 77;
	const char *bad[] = {"", "ABC", "ABCDEFGHJ", "ABC0", "ABCO", "abcd", "AB D", "AB1D",
			     "ABÀD", "ABCD\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(draw_captcha_png(bad[i], &png, &len), -1);
		assert_string_equal((const char *)png, "untouched");
		assert_int_equal(len, 77);
	}
	assert_int_equal(draw_captcha_png(NULL, &png, &len), -1);
	assert_int_equal(draw_captcha_png("ABCD", NULL, &len), -1);
	assert_int_equal(draw_captcha_png("ABCD", &png, NULL), -1);
}

static void captcha_falls_back_without_font(void **state)
{
	(void)state;
	assert_int_equal(draw_captcha_set_font("/nonexistent/font.ttf"), 0);
	gdImagePtr im = render("R4WH9E", "captcha-fallback.png");
	assert_true(dark_pixels(im) > 500);
	gdImageDestroy(im);
	/* A file that is not a font: FreeType refuses, the fallback draws. */
	assert_int_equal(draw_captcha_set_font("/etc/hostname"), 0);
	im = render("ABCD", NULL);
	assert_true(dark_pixels(im) > 300);
	gdImageDestroy(im);
	assert_int_equal(draw_captcha_set_font(NULL), 0);

	char longpath[600];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	assert_int_equal(draw_captcha_set_font(longpath), -1);
}

static void captcha_answers_match(void **state)
{
	(void)state;
	assert_int_equal(draw_captcha_matches("K7PX3M", "K7PX3M"), 1);
	assert_int_equal(draw_captcha_matches("K7PX3M", "k7px3m"), 1);
	assert_int_equal(draw_captcha_matches("K7PX3M", "  k7Px3M \r\n"), 1);
	assert_int_equal(draw_captcha_matches("K7PX3M", "K7PX3"), 0);
	assert_int_equal(draw_captcha_matches("K7PX3M", "K7PX3MM"), 0);
	assert_int_equal(draw_captcha_matches("K7PX3M", "K7PX3N"), 0);
	assert_int_equal(draw_captcha_matches("K7PX3M", "K7 PX3M"), 0);
	assert_int_equal(draw_captcha_matches("K7PX3M", ""), 0);
	assert_int_equal(draw_captcha_matches("", ""), 0);
	assert_int_equal(draw_captcha_matches(NULL, "A"), 0);
	assert_int_equal(draw_captcha_matches("ABCD", NULL), 0);
	assert_int_equal(draw_captcha_matches("ABCDEFGHJ", "ABCDEFGHJ"), 0);
}

/* Several threads at once, from a cold font cache: the first FreeType use
 * sets gd's cache up, which draw.c serialises. */
static void *render_many(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < 5; i++) {
		char code[DRAW_CAPTCHA_DEFAULT_LEN + 1];
		unsigned char *png = NULL;
		size_t len = 0;
		draw_captcha_code(code, sizeof code);
		if (draw_captcha_png(code, &png, &len) == 0 && len > 100) {
			gdImagePtr im = gdImageCreateFromPngPtr((int)len, png);
			if (im && gdImageSX(im) == DRAW_CAPTCHA_WIDTH)
				(*ok)++;
			if (im)
				gdImageDestroy(im);
		}
		free(png);
	}
	return NULL;
}

static void captcha_from_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	int ok[4] = {0};
	draw_shutdown(); /* start cold */
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, render_many, &ok[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(ok[i], 5);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(placeholder_is_png_of_size, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(placeholder_is_deterministic, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(placeholder_seeds_differ_in_pixels, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(placeholder_replaces_existing_file, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(placeholder_refuses_bad_arguments, setup_dir,
						teardown_dir),
		cmocka_unit_test(code_uses_alphabet),
		cmocka_unit_test(captcha_decodes_with_text),
		cmocka_unit_test(captcha_differs_each_time),
		cmocka_unit_test(captcha_refuses_bad_codes),
		cmocka_unit_test(captcha_falls_back_without_font),
		cmocka_unit_test(captcha_answers_match),
		cmocka_unit_test(captcha_from_threads),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	draw_shutdown();
	return rc;
}
