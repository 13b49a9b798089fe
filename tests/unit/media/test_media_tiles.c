/*
 * test_media_tiles.c - deep-zoom tiles (src/model/media_tiles.c): the
 * strict reading of IIIF tile paths (only what dzsave writes, never a path
 * outside the tile folder), and writing a set through a temporary folder
 * and a rename (no half set under the served name, an old set replaced
 * whole).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vips/vips.h>

#include "model/media_image.h"
#include "model/media_tiles.h"

static int path(const char *region, const char *size, const char *rotation, const char *file,
		char *out)
{
	return media_tiles_path(1200, 800, region, size, rotation, file, out, 64);
}

static void test_path_accepts_what_dzsave_writes(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(path("0,0,512,512", "512,512", "0", "default.jpg", out), 0);
	assert_string_equal(out, "0,0,512,512/512,512/0/default.jpg");
	assert_int_equal(path("1024,0,176,800", "88,400", "0", "default.jpg", out), 0);
	assert_string_equal(out, "1024,0,176,800/88,400/0/default.jpg");
	/* OpenSeadragon names the whole picture "full" and its own size "max". */
	assert_int_equal(media_tiles_path(400, 300, "full", "max", "0", "default.jpg", out, 64), 0);
	assert_string_equal(out, "0,0,400,300/400,300/0/default.jpg");
	assert_int_equal(path("full", "512,341", "0", "default.jpg", out), 0);
	assert_string_equal(out, "0,0,1200,800/512,341/0/default.jpg");
}

static void test_path_refuses_malformed(void **state)
{
	(void)state;
	char out[64];
	const char *bad_regions[] = {"..", "../..", "/etc/passwd", "0,0,512", "0,0,512,512,1",
				     "0,0,-1,512", "+0,0,512,512", "00,0,512,512", "0,0,512,0512",
				     "0x10,0,1,1", "0,0,512,512/..", "0,0,512,512%2F", "pct:0,0,50,50",
				     "square", "", " 0,0,512,512", "0,0,512,512 ", "0,,512,512",
				     "0,0,9999999,1", "0,0,100001,1", "1e3,0,1,1"};
	for (size_t i = 0; i < sizeof bad_regions / sizeof bad_regions[0]; i++)
		assert_int_equal(path(bad_regions[i], "512,512", "0", "default.jpg", out), 1);
	const char *bad_sizes[] = {"512,", ",512", "^512,512", "!512,512", "pct:50", "full", "",
				   "512,512,", "..", "512;512"};
	for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++)
		assert_int_equal(path("0,0,512,512", bad_sizes[i], "0", "default.jpg", out), 1);
	const char *bad_rotations[] = {"", "-90", "0.5", "..", "!", "0/"};
	for (size_t i = 0; i < sizeof bad_rotations / sizeof bad_rotations[0]; i++)
		assert_int_equal(path("0,0,512,512", "512,512", bad_rotations[i], "default.jpg", out),
				 1);
	const char *bad_files[] = {"", "default", ".jpg", "default.", "default.jpg.jpg",
				   "../info.json", "default.JPG", "default.jpg%00", "info.json/x"};
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++)
		assert_int_equal(path("0,0,512,512", "512,512", "0", bad_files[i], out), 1);
	assert_int_equal(path(NULL, "512,512", "0", "default.jpg", out), 1);
}

static void test_path_refuses_what_is_not_a_tile(void **state)
{
	(void)state;
	char out[64];
	/* Well formed, but dzsave wrote no such tile: 2 (404). */
	assert_int_equal(path("0,0,512,512", "512,512", "90", "default.jpg", out), 2);
	assert_int_equal(path("0,0,512,512", "512,512", "!0", "default.jpg", out), 2);
	assert_int_equal(path("0,0,512,512", "512,512", "0", "gray.jpg", out), 2);
	assert_int_equal(path("0,0,512,512", "512,512", "0", "default.png", out), 2);
	/* Huge or outside regions, sizes larger than the region or a tile. */
	assert_int_equal(path("0,0,100000,100000", "512,512", "0", "default.jpg", out), 2);
	assert_int_equal(path("1000,0,512,512", "512,512", "0", "default.jpg", out), 2);
	assert_int_equal(path("0,0,0,512", "1,1", "0", "default.jpg", out), 2);
	assert_int_equal(path("0,0,512,512", "1024,1024", "0", "default.jpg", out), 2);
	assert_int_equal(path("full", "max", "0", "default.jpg", out), 2);
	assert_int_equal(path("0,0,512,512", "0,0", "0", "default.jpg", out), 2);
}

/* ------------------------------------------------------------ writing */

static char dir[] = "/tmp/sen-tiles-XXXXXX";

static int count_hidden(const char *base)
{
	DIR *d = opendir(base);
	int n = 0;
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d != NULL)
		closedir(d);
	return n;
}

static void test_write_is_whole_and_replaces(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(media_image_init(), 0);
	char src[PATH_MAX], p[PATH_MAX], why[400] = "";
	snprintf(src, sizeof src, "%s/pic.jpg", dir);
	VipsImage *black = NULL, *grey = NULL;
	assert_int_equal(vips_black(&black, 1100, 700, "bands", 3, NULL), 0);
	assert_int_equal(vips_linear1(black, &grey, 1.0, 90.0, NULL), 0);
	assert_int_equal(vips_image_write_to_file(grey, src, NULL), 0);
	g_object_unref(black);
	g_object_unref(grey);

	int w = 0, h = 0;
	assert_int_equal(media_tiles_write(dir, src, "7", &w, &h, why, sizeof why), 0);
	assert_int_equal(w, 1100);
	assert_int_equal(h, 700);
	snprintf(p, sizeof p, "%s/iiif/7/info.json", dir);
	json_t *info = json_load_file(p, 0, NULL);
	assert_non_null(info);
	assert_string_equal(json_string_value(json_object_get(info, "type")), "ImageService3");
	assert_string_equal(json_string_value(json_object_get(info, "profile")), "level0");
	assert_int_equal(json_integer_value(json_object_get(info, "width")), 1100);
	json_decref(info);
	/* Every tile the reader accepts for this picture's level 0 is there. */
	char rel[64];
	assert_int_equal(media_tiles_path(1100, 700, "1024,512,76,188", "76,188", "0", "default.jpg",
					  rel, sizeof rel), 0);
	snprintf(p, sizeof p, "%s/iiif/7/%s", dir, rel);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	/* A mark in the old set must be gone after a second run: replaced whole. */
	snprintf(p, sizeof p, "%s/iiif/7/old-mark", dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(media_tiles_write(dir, src, "7", &w, &h, why, sizeof why), 0);
	assert_int_not_equal(stat(p, &st), 0);
	snprintf(p, sizeof p, "%s/iiif", dir);
	assert_int_equal(count_hidden(p), 0);
	/* A picture that cannot be read leaves no folder, neither a half one
	 * under its name nor a temporary one. */
	snprintf(src, sizeof src, "%s/missing.jpg", dir);
	assert_int_equal(media_tiles_write(dir, src, "8", &w, &h, why, sizeof why), -1);
	snprintf(p, sizeof p, "%s/iiif/8", dir);
	assert_int_not_equal(stat(p, &st), 0);
	snprintf(p, sizeof p, "%s/iiif", dir);
	assert_int_equal(count_hidden(p), 0);
	media_tiles_remove(dir, 7);
	snprintf(p, sizeof p, "%s/iiif/7", dir);
	assert_int_not_equal(stat(p, &st), 0);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_accepts_what_dzsave_writes),
		cmocka_unit_test(test_path_refuses_malformed),
		cmocka_unit_test(test_path_refuses_what_is_not_a_tile),
		cmocka_unit_test(test_write_is_whole_and_replaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
