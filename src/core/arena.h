/*
 * arena.h - request-scoped bump allocator.
 *
 * Everything a request allocates comes from its arena and is released at
 * once by arena_free() when the request ends. Allocations are 16-byte
 * aligned. Allocation failure returns NULL; callers must check.
 * An arena is not thread-safe: one arena belongs to one request/thread.
 */
#ifndef SEN_CORE_ARENA_H
#define SEN_CORE_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct arena arena_t;

/* Creates an arena whose first block holds about `first_block` bytes.
 * The caller frees it with arena_free(). Returns NULL when out of memory. */
arena_t *arena_new(size_t first_block);

/* Releases every block and the arena itself. NULL is accepted. */
void arena_free(arena_t *a);

/* Forgets all allocations but keeps the first block for reuse. */
void arena_reset(arena_t *a);

/* Returns `size` bytes of uninitialised memory owned by the arena. */
void *arena_alloc(arena_t *a, size_t size);

/* Like arena_alloc() but zeroed; n*size is checked for overflow. */
void *arena_calloc(arena_t *a, size_t n, size_t size);

/* Copies a NUL-terminated string / a byte range (adding a NUL) into the arena. */
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t len);

/* printf into the arena. */
char *arena_sprintf(arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vsprintf(arena_t *a, const char *fmt, va_list ap);

/* Bytes handed out so far (for tests and memory caps). */
size_t arena_used(const arena_t *a);

/* True when an allocation from a has returned NULL since it was made or
 * last reset: whatever the request then answered was built without memory
 * it needed, so the server answers 500 instead of a 4xx (a failed route
 * capture would otherwise look like 404, a failed form parse like 400). */
bool arena_failed(const arena_t *a);

#endif
