/*
 * test_captcha_samples.c - the sample writer the OCR check relies on: the
 * codes file must name every picture with the code it really shows, or the
 * OCR figure in docs/SECURITY.md would mean nothing.
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
#include <gd.h>
#include <unistd.h>

#include "captcha_samples.h"
#include "render/draw.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/sen-captcha-samples-XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	DIR *d = opendir(dir);
	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			char p[512];
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
	draw_shutdown();
	return 0;
}

static void test_writes_pictures_and_codes(void **state)
{
	(void)state;
	enum { N = 6 };
	assert_int_equal(captcha_samples_write(dir, N), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/codes.txt", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char name[64], code[64], seen[N][64];
	int lines = 0;
	while (fscanf(f, "%63s %63s", name, code) == 2) {
		assert_true(lines < N);
		char want[32];
		snprintf(want, sizeof want, "captcha-%05d.png", lines);
		assert_string_equal(name, want);
		assert_int_equal(strlen(code), DRAW_CAPTCHA_DEFAULT_LEN);
		assert_int_equal(strspn(code, DRAW_CAPTCHA_ALPHABET), DRAW_CAPTCHA_DEFAULT_LEN);
		snprintf(seen[lines], sizeof seen[lines], "%s", code);

		/* Every picture is a real PNG of the portal's size. */
		snprintf(path, sizeof path, "%s/%s", dir, name);
		FILE *png = fopen(path, "rb");
		assert_non_null(png);
		gdImagePtr im = gdImageCreateFromPng(png);
		fclose(png);
		assert_non_null(im);
		assert_int_equal(gdImageSX(im), DRAW_CAPTCHA_WIDTH);
		assert_int_equal(gdImageSY(im), DRAW_CAPTCHA_HEIGHT);
		gdImageDestroy(im);

		/* And its cleaned-up twin, three times the size. */
		snprintf(path, sizeof path, "%s/clean-%s", dir, name);
		png = fopen(path, "rb");
		assert_non_null(png);
		im = gdImageCreateFromPng(png);
		fclose(png);
		assert_non_null(im);
		assert_int_equal(gdImageSX(im), 3 * DRAW_CAPTCHA_WIDTH);
		assert_int_equal(gdImageSY(im), 3 * DRAW_CAPTCHA_HEIGHT);
		gdImageDestroy(im);
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, N);
	/* Codes come from a CSPRNG: six equal 6-character codes mean a bug. */
	int same = 1;
	for (int i = 1; i < N; i++)
		same &= strcmp(seen[i], seen[0]) == 0;
	assert_false(same);
}

static void test_refuses_bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(captcha_samples_write(dir, 0), -1);
	assert_int_equal(captcha_samples_write(dir, 100001), -1);
	assert_int_equal(captcha_samples_write(NULL, 1), -1);
	assert_int_equal(captcha_samples_write("/nonexistent/sen-no-such-dir", 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_writes_pictures_and_codes, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_refuses_bad_arguments, make_dir, remove_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
