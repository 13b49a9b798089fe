/*
 * tiles.c - the time to make one photo's deep-zoom tile set (issue 13):
 * a 24-megapixel JPEG (6000 x 4000, a gradient with noise, so that the
 * encoder has real work) is generated with libvips, then media_tiles_write
 * (dzsave, IIIF 3 layout, 512-pixel JPEG tiles, through a temporary folder
 * and a rename) runs on it RUNS times under the picture worker's own
 * settings (one libvips thread, no cache: media_image_init). Prints each
 * run's wall and CPU time, the medians, and the tile count and bytes.
 *
 * Usage: build/bench/tiles [RUNS]   (not installed; see bench/README.md)
 */
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <vips/vips.h>

#include "model/media_image.h"
#include "model/media_tiles.h"

static long files, bytes;

static int count(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F) {
		files++;
		bytes += (long)st->st_size;
	}
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 3;
	if (runs < 1 || runs > 50)
		runs = 3;
	char dir[] = "/tmp/sen-bench-tiles-XXXXXX", src[PATH_MAX], why[400] = "";
	if (mkdtemp(dir) == NULL || media_image_init() != 0)
		return 1;
	snprintf(src, sizeof src, "%s/photo.jpg", dir);
	VipsImage *x = NULL, *y = NULL, *g = NULL, *n = NULL, *sum = NULL, *rgb = NULL, *out = NULL;
	if (vips_xyz(&x, 6000, 4000, NULL) || vips_extract_band(x, &y, 0, NULL) ||
	    vips_gaussnoise(&n, 6000, 4000, "sigma", 30.0, NULL) ||
	    vips_linear1(y, &g, 255.0 / 6000.0, 0.0, NULL) || vips_add(g, n, &sum, NULL) ||
	    vips_bandjoin_const1(sum, &rgb, 128.0, NULL) ||
	    vips_bandjoin_const1(rgb, &out, 64.0, NULL)) {
		fprintf(stderr, "tiles: cannot make the picture: %s\n", vips_error_buffer());
		return 1;
	}
	VipsImage *u8 = NULL;
	if (vips_cast(out, &u8, VIPS_FORMAT_UCHAR, NULL) ||
	    vips_jpegsave(u8, src, "Q", 90, NULL)) {
		fprintf(stderr, "tiles: cannot save the picture: %s\n", vips_error_buffer());
		return 1;
	}
	VipsImage *all[] = {x, y, g, n, sum, rgb, out, u8};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		g_object_unref(all[i]);
	struct stat st;
	stat(src, &st);
	printf("picture: 6000 x 4000 JPEG, %ld bytes\n", (long)st.st_size);
	double t[50], cpu[50];
	for (int i = 0; i < runs; i++) {
		struct timespec a, b, ca, cb;
		int w, h;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (media_tiles_write(dir, src, "1", &w, &h, why, sizeof why) != 0) {
			fprintf(stderr, "tiles: %s\n", why);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
		t[i] = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		cpu[i] = (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) / 1e9;
		printf("run %d: %.2f s wall, %.2f s CPU\n", i + 1, t[i], cpu[i]);
	}
	char tiles[PATH_MAX + 16];
	snprintf(tiles, sizeof tiles, "%s/iiif/1", dir);
	nftw(tiles, count, 16, FTW_PHYS);
	qsort(t, (size_t)runs, sizeof t[0], by_value);
	qsort(cpu, (size_t)runs, sizeof cpu[0], by_value);
	printf("median: %.2f s wall, %.2f s CPU; %ld files, %ld bytes\n", t[runs / 2],
	       cpu[runs / 2], files, bytes);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
