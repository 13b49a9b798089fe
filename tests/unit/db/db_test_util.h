/*
 * db_test_util.h - helpers shared by the db and model unit tests: a fresh
 * temporary folder per test, stderr capture, and the path of sql/.
 * Header-only (static functions) so each test binary stays one file.
 */
#ifndef SEN_TESTS_DB_TEST_UTIL_H
#define SEN_TESTS_DB_TEST_UTIL_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* Tests may leave folders read-only on purpose. */
	if (flag == FTW_DP || flag == FTW_D)
		chmod(path, 0700);
	return remove(path) == 0 ? 0 : 0;
}

/* Creates /tmp/sen-test-XXXXXX into dir (at least 64 bytes). 0 or -1. */
static inline int tmpdir_make(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/sen-test-XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

/* Removes a folder and everything in it. */
static inline void tmpdir_remove(const char *dir)
{
	if (dir != NULL && dir[0] != '\0') {
		chmod(dir, 0700);
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
}

/* The repository's sql/ folder (SEN_SOURCE_ROOT is set by meson test). */
static inline const char *sql_dir(void)
{
	static char path[4096];
	const char *root = getenv("SEN_SOURCE_ROOT");
	snprintf(path, sizeof path, "%s/sql", root != NULL ? root : ".");
	return path;
}

static inline int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	size_t n = strlen(text);
	int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* stderr capture: everything written to fd 2 between begin and end. */
typedef struct {
	int saved;
	FILE *file;
} capture;

static inline void capture_begin(capture *c)
{
	fflush(stderr);
	c->file = tmpfile();
	c->saved = dup(2);
	dup2(fileno(c->file), 2);
}

/* Returns what was written (malloc'd, caller frees). */
static inline char *capture_end(capture *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	long n = ftell(c->file);
	char *text = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (text != NULL && n > 0) {
		rewind(c->file);
		if (fread(text, 1, (size_t)n, c->file) != (size_t)n)
			text[0] = '\0';
	}
	fclose(c->file);
	/* Echo it, so a failing test still shows the log. */
	if (text != NULL)
		fputs(text, stderr);
	return text;
}

#endif
