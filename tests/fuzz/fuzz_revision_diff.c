/*
 * fuzz_revision_diff.c - the line diff of two versions of an article
 * (model/revision.h), whose texts are whatever writers typed. The input is
 * split at its first NUL byte (or in the middle) into the old and the new
 * text. Whatever the bytes, the result must rebuild both texts line by
 * line (same + removed = old, same + added = new) and never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "model/revision.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The lines of s as revision_diff sees them, joined back with '\n'. */
static char *normal(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 2);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	while (*s != '\0') {
		size_t n = strcspn(s, "\n");
		size_t keep = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
		memcpy(out + o, s, keep);
		o += keep;
		out[o++] = '\n';
		s += n;
		if (*s == '\n')
			s++;
	}
	out[o] = '\0';
	return out;
}

static void rebuild(const revision_diff_line *d, size_t n, enum revision_op skip, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i].op == skip)
			continue;
		size_t l = strlen(d[i].line);
		memcpy(out + o, d[i].line, l);
		o += l;
		out[o++] = '\n';
	}
	out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *buf = malloc(size + 2);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	size_t cut = strnlen(buf, size);
	const char *x = buf, *y;
	if (cut < size) {
		y = buf + cut + 1;
	} else {
		memmove(buf + size / 2 + 1, buf + size / 2, size - size / 2 + 1);
		buf[size / 2] = '\0';
		y = buf + size / 2 + 1;
	}
	arena_t *a = arena_new(16 * 1024);
	revision_diff_line *d = NULL;
	size_t n = 0;
	if (a != NULL && revision_diff(a, x, y, &d, &n) == 0) {
		char *nx = normal(x), *ny = normal(y);
		char *rx = malloc(strlen(x) + n + 2), *ry = malloc(strlen(y) + n + 2);
		if (nx != NULL && ny != NULL && rx != NULL && ry != NULL) {
			rebuild(d, n, REVISION_ADDED, rx);
			rebuild(d, n, REVISION_REMOVED, ry);
			if (strcmp(rx, nx) != 0 || strcmp(ry, ny) != 0)
				abort();
		}
		free(nx);
		free(ny);
		free(rx);
		free(ry);
	}
	arena_free(a);
	free(buf);
	return 0;
}
