/*
 * import_test_util.h - helpers for the media and import tests: a temporary
 * folder with a migrated database (../testdb.c), pictures made with libgd, file counts.
 * Header-only; every helper is used by both test binaries or marked unused.
 */
#ifndef SEN_TESTS_IMPORT_TEST_UTIL_H
#define SEN_TESTS_IMPORT_TEST_UTIL_H

#include <dirent.h>
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testdb.h"
#include "db/db.h"

#define UNUSED __attribute__((unused))

typedef struct {
	TESTDB_FIXTURE;  /* DIR is /tmp/sen-test-XXXXXX (testdb.h) */
	char src[128];   /* DIR/src: the JSONL file and its pictures */
	char media[128]; /* DIR/media: the media store */
} fixture;

static int fixture_setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	if (f == NULL)
		return -1;
	snprintf(f->src, sizeof f->src, "%s/src", f->dir);
	snprintf(f->media, sizeof f->media, "%s/media", f->dir);
	if (mkdir(f->src, 0700) != 0 || mkdir(f->media, 0700) != 0)
		return -1;
	return 0;
}

static int64_t count_rows(db_t *db, const char *sql)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	int64_t v = db_col_int64(st, 0);
	db_done(st);
	return v;
}

/* Files in a folder, dot files included (a stray ".tmp-" counts). */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int write_bytes(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (fp == NULL)
		return -1;
	int rc = fwrite(data, 1, len, fp) == len ? 0 : -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

static UNUSED int write_text(const char *path, const char *text)
{
	return write_bytes(path, text, strlen(text));
}

/* Writes a w x h picture in the given format ("png", "jpg", "gif",
 * "webp") to path. 0 or -1. */
static int make_image(const char *path, const char *format, int w, int h)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	if (im == NULL)
		return -1;
	gdImageFilledRectangle(im, 0, 0, w / 2, h / 2, gdTrueColor(200, 30, 30));
	int size = 0;
	void *data = NULL;
	if (strcmp(format, "png") == 0)
		data = gdImagePngPtr(im, &size);
	else if (strcmp(format, "jpg") == 0)
		data = gdImageJpegPtr(im, &size, 85);
	else if (strcmp(format, "gif") == 0)
		data = gdImageGifPtr(im, &size);
	else if (strcmp(format, "webp") == 0)
		data = gdImageWebpPtr(im, &size);
	gdImageDestroy(im);
	if (data == NULL)
		return -1;
	int rc = write_bytes(path, data, (size_t)size);
	gdFree(data);
	return rc;
}

#endif
