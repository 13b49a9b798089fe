/*
 * buf.h - growable byte buffer (heap backed).
 *
 * A buf_t starts zeroed (BUF_INIT) and owns its memory; buf_free()
 * releases it. data is always NUL-terminated after any successful append,
 * so it can be used as a C string when it holds text.
 * Append functions return 0, or -1 when out of memory or when the buffer
 * would exceed `cap` (if cap is non-zero); on failure the buffer keeps its
 * previous content and sets `failed`.
 */
#ifndef SEN_CORE_BUF_H
#define SEN_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *data;
	size_t len;
	size_t size;   /* allocated bytes */
	size_t cap;    /* 0 = unlimited, else maximum len */
	int failed;    /* sticky: an append failed */
} buf_t;

#define BUF_INIT {NULL, 0, 0, 0, 0}

int buf_reserve(buf_t *b, size_t extra);
int buf_append(buf_t *b, const void *data, size_t len);
int buf_puts(buf_t *b, const char *s);
int buf_putc(buf_t *b, char c);
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' replaced by HTML entities. */
int buf_append_html(buf_t *b, const char *s, size_t len);
void buf_clear(buf_t *b);   /* len = 0, keeps memory */
void buf_free(buf_t *b);    /* releases memory, back to BUF_INIT */
/* Hands the memory to the caller (who frees it with free()); b is reset. */
char *buf_detach(buf_t *b, size_t *len);

#endif
