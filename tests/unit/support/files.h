/*
 * files.h - writing the small files a unit test sets up (a template, a
 * catalog, a static file), failing the cmocka test when it cannot.
 * Header-only; include it after <cmocka.h>.
 */
#ifndef SEN_TESTS_FILES_H
#define SEN_TESTS_FILES_H

#include <stdio.h>

/* Writes text to DIR/NAME (the folders must exist). */
static inline void put_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < sizeof path);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
