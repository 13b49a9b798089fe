/*
 * fault.h - allocation failures on purpose, to prove that every path of a
 * request ends in a clean answer when memory runs out.
 *
 * Compiled in only by test builds (-Dtests=true defines SEN_FAULT_INJECTION
 * for fault.c); a release build (-Dtests=false) gets functions that never
 * fail, ignore the environment and cost one thread-local load per
 * allocation.
 *
 * In a test build it is off unless the environment variable SEN_FAULT_ALLOC
 * holds a number N >= 0 when the process starts. Then every request (see
 * fault_request_begin()) has its Nth allocation fail, once: N = 0 fails
 * nothing, and a request may name its own N in the header
 * "X-Sen-Fault-Alloc: N" (so one server can be swept over N). Counted are
 * the allocations made by the thread that serves the request, from the
 * request's start until its arena is freed: arena blocks and every
 * arena_alloc(), buffer growth in buf.c, SQLite's own memory (db_sqlite.c
 * installs a wrapper with SQLITE_CONFIG_MALLOC) and jansson's (see below).
 * Other threads (the statistics flush) are never failed, so a run is
 * deterministic.
 *
 * Out of memory shows only as a NULL or an error code that callers easily
 * take for "nothing there" (json_array_append_new(a, NULL) skips the row, a
 * sidebar whose query failed is left empty), so a page or an API answer
 * built without memory could go out as 200 with parts missing. Every
 * allocator that takes part notes its failure on the thread
 * (fault_memory_note(): the arena, buffers, SQLite's SQLITE_NOMEM, and
 * jansson, which allocates through fault.c from start-up in every build, by
 * a constructor); the HTTP server clears the note before a handler and
 * answers 500 when it is set afterwards.
 *
 * Nothing here allocates; nothing must be freed.
 */
#ifndef SEN_CORE_FAULT_H
#define SEN_CORE_FAULT_H

#include <stdbool.h>

/* Internal: allocations left before the armed failure on this thread; 0
 * when nothing is armed (always 0 in a release build). */
extern _Thread_local long fault_countdown;

/* Internal: counts one allocation of an armed thread; true when it is the
 * one that must fail. */
bool fault_fire(void);

/* Called by every allocator that takes part (arena.c, buf.c, db_sqlite.c)
 * just before it allocates: true means "fail this allocation". */
static inline bool fault_alloc_fails(void)
{
	return fault_countdown > 0 && fault_fire();
}

/* True when SEN_FAULT_ALLOC was set (and valid) in a test build. Reads the
 * environment once; thread-safe. */
bool fault_enabled(void);

/*
 * Arms the failure for the request whose arena is `request` on this thread:
 * the Nth allocation from now fails, N being `header` (the value of
 * X-Sen-Fault-Alloc, or NULL) when it is a number, else SEN_FAULT_ALLOC.
 * Calling it again for the same arena does nothing, so a request that is
 * answered with an error page after a failure is not failed twice. No-op
 * when disabled.
 */
void fault_request_begin(const void *request, const char *header);

/* Disarms this thread when `arena` is the armed request's (arena_free()
 * calls it), so the failure never reaches the next request. */
void fault_arena_gone(const void *arena);

/* Failures injected so far in this process (for logs and tests). */
unsigned long fault_injected(void);

/* Notes that an allocation of this thread failed (injected or real);
 * allocator is a constant name ("arena", "jansson", "SQLite"...). */
void fault_memory_note(const char *allocator);

/* The allocator whose allocation failed first on this thread since
 * fault_memory_clear(), or NULL: anything built meanwhile may lack parts. */
const char *fault_memory_failed(void);

/* Forgets this thread's note (before each request). */
void fault_memory_clear(void);

#endif
