/*
 * arena.c - bump allocator made of a linked list of blocks.
 */
#include "core/arena.h"
#include "core/fault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size; /* usable bytes in data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct block *head; /* current block, newest first */
	struct block *first;
	size_t total;
	bool failed;        /* an allocation returned NULL since the last reset */
};

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block) || fault_alloc_fails())
		return NULL;
	struct block *b = malloc(sizeof(struct block) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena_t *arena_new(size_t first_block)
{
	if (first_block < 1024)
		first_block = 1024;
	arena_t *a = malloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	a->first = block_new(first_block);
	if (a->first == NULL) {
		free(a);
		return NULL;
	}
	a->head = a->first;
	a->total = 0;
	a->failed = false;
	return a;
}

void arena_free(arena_t *a)
{
	if (a == NULL)
		return;
	fault_arena_gone(a);
	struct block *b = a->head;
	while (b != NULL) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void arena_reset(arena_t *a)
{
	struct block *b = a->head;
	while (b != NULL && b != a->first) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	a->first->used = 0;
	a->first->next = NULL;
	a->head = a->first;
	a->total = 0;
	a->failed = false;
}

void *arena_alloc(arena_t *a, size_t size)
{
	if (size == 0)
		size = 1;
	/* Test builds can fail any allocation on purpose (core/fault.h). */
	if (size > SIZE_MAX - ARENA_ALIGN || fault_alloc_fails()) {
		a->failed = true;
		fault_memory_note("arena");
		return NULL;
	}
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct block *b = a->head;
	if (b->size - b->used < rounded) {
		/* Blocks double so that a large page needs few mallocs. */
		size_t want = b->size * 2;
		if (want < rounded)
			want = rounded;
		struct block *nb = block_new(want);
		if (nb == NULL) {
			a->failed = true;
			fault_memory_note("arena");
			return NULL;
		}
		nb->next = a->head;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += rounded;
	a->total += rounded;
	return p;
}

void *arena_calloc(arena_t *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		a->failed = true;
		return NULL;
	}
	void *p = arena_alloc(a, n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vsprintf(arena_t *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_sprintf(arena_t *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vsprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const arena_t *a)
{
	return a->total;
}

bool arena_failed(const arena_t *a)
{
	return a != NULL && a->failed;
}
