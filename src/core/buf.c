/*
 * buf.c - growable byte buffer.
 */
#include "core/buf.h"
#include "core/fault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int buf_reserve(buf_t *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len - 1)
		goto fail;
	size_t need = b->len + extra + 1;
	if (b->cap != 0 && b->len + extra > b->cap)
		goto fail;
	if (need <= b->size)
		return 0;
	size_t size = b->size ? b->size : 256;
	while (size < need) {
		if (size > SIZE_MAX / 2) {
			size = need;
			break;
		}
		size *= 2;
	}
	/* Test builds can fail the growth on purpose (core/fault.h). */
	char *p = fault_alloc_fails() ? NULL : realloc(b->data, size);
	if (p == NULL) {
		fault_memory_note("buffer");
		goto fail;
	}
	b->data = p;
	b->size = size;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

/* True if p points into b's own storage (a caller appending part of b to b). */
static int inside(const buf_t *b, const void *p)
{
	uintptr_t u = (uintptr_t)p, start = (uintptr_t)b->data;
	return b->data != NULL && u >= start && u < start + b->size;
}

int buf_append(buf_t *b, const void *data, size_t len)
{
	/* buf_reserve() may move the storage; data may live in it. */
	size_t offset = inside(b, data) ? (size_t)((const char *)data - b->data) : SIZE_MAX;
	if (buf_reserve(b, len) != 0)
		return -1;
	if (offset != SIZE_MAX)
		data = b->data + offset;
	if (len > 0)
		memmove(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(buf_t *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(buf_t *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	/* Format into separate memory, then append: a %s argument may point
	 * into b itself, and writing b while vsnprintf() reads it (or after a
	 * realloc() freed it) is undefined. */
	char small[256];
	char *tmp = (size_t)n < sizeof small ? small : malloc((size_t)n + 1);
	if (tmp == NULL) {
		b->failed = 1;
		return -1;
	}
	vsnprintf(tmp, (size_t)n + 1, fmt, ap);
	int rc = buf_append(b, tmp, (size_t)n);
	if (tmp != small)
		free(tmp);
	return rc;
}

int buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* One table lookup per byte: 0 means the byte is copied as is. */
static const char *const html_entity[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

int buf_append_html(buf_t *b, const char *s, size_t len)
{
	/* Escaping part of b into b: work from a copy, as appends move b. */
	if (inside(b, s)) {
		char *copy = malloc(len ? len : 1);
		if (copy == NULL) {
			b->failed = 1;
			return -1;
		}
		memcpy(copy, s, len);
		int rc = buf_append_html(b, copy, len);
		free(copy);
		return rc;
	}
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *e = html_entity[(unsigned char)s[i]];
		if (e == NULL)
			continue;
		if (buf_append(b, s + start, i - start) != 0 || buf_puts(b, e) != 0)
			return -1;
		start = i + 1;
	}
	return buf_append(b, s + start, len - start);
}

void buf_clear(buf_t *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void buf_free(buf_t *b)
{
	free(b->data);
	size_t cap = b->cap;
	*b = (buf_t)BUF_INIT;
	b->cap = cap;
}

char *buf_detach(buf_t *b, size_t *len)
{
	if (buf_reserve(b, 0) != 0)
		return NULL;
	/* A buffer nothing was appended to has fresh, unterminated storage. */
	b->data[b->len] = '\0';
	char *p = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->size = 0;
	return p;
}
