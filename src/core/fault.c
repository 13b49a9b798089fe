/*
 * fault.c - allocation failures on purpose (see fault.h).
 */
#include "core/fault.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

_Thread_local long fault_countdown;

/* ---- out of memory, noted (every build) ------------------------------------------ */

static _Thread_local const char *memory_failed;

void fault_memory_note(const char *allocator)
{
	if (memory_failed == NULL)
		memory_failed = allocator;
}

const char *fault_memory_failed(void)
{
	return memory_failed;
}

void fault_memory_clear(void)
{
	memory_failed = NULL;
}

static void *json_malloc(size_t size)
{
	void *p = fault_alloc_fails() ? NULL : malloc(size);
	if (p == NULL)
		fault_memory_note("jansson");
	return p;
}

/* Before main(), so before any thread and any jansson value: jansson's
 * allocator is global and not meant to change while values exist. */
__attribute__((constructor)) static void json_hooks_install(void)
{
	json_set_alloc_funcs(json_malloc, free);
}

/* ---- injection ------------------------------------------------------------------ */

#ifdef SEN_FAULT_INJECTION

/* The request that armed this thread, so that a second call for the same
 * request (the error page after a failure) does not arm it again. */
static _Thread_local const void *armed_request;
static _Thread_local long armed_n;      /* the N of the armed request */

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static bool enabled;
static long default_n;
static atomic_ulong injected;

/* A count 0..1000000000, or -1. */
static long parse_count(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 10)
		return -1;
	long v = 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= 1000000000 ? v : -1;
}

static void read_env(void)
{
	const char *v = getenv("SEN_FAULT_ALLOC");
	if (v == NULL)
		return;
	long n = parse_count(v);
	if (n < 0) {
		log_warn("fault: SEN_FAULT_ALLOC=%.16s is not a number; fault injection stays off", v);
		return;
	}
	default_n = n;
	enabled = true;
	log_warn("fault: allocation failures are injected (SEN_FAULT_ALLOC=%ld); tests only", n);
}

bool fault_enabled(void)
{
	pthread_once(&env_once, read_env);
	return enabled;
}

bool fault_fire(void)
{
	if (--fault_countdown != 0)
		return false;
	atomic_fetch_add_explicit(&injected, 1, memory_order_relaxed);
	return true;
}

void fault_request_begin(const void *request, const char *header)
{
	if (!fault_enabled() || request == NULL || request == armed_request)
		return;
	long n = parse_count(header);
	armed_request = request;
	armed_n = n >= 0 ? n : default_n;
	fault_countdown = armed_n;
}

void fault_arena_gone(const void *arena)
{
	if (arena != NULL && arena == armed_request) {
		/* One line per failed request tells a test which N were reached. */
		if (armed_n > 0 && fault_countdown == 0)
			log_info("fault: allocation %ld of the request failed on purpose", armed_n);
		armed_request = NULL;
		fault_countdown = 0;
	}
}

unsigned long fault_injected(void)
{
	return atomic_load_explicit(&injected, memory_order_relaxed);
}

#else /* release build: nothing is ever failed */

bool fault_enabled(void)
{
	return false;
}

bool fault_fire(void)
{
	fault_countdown = 0;
	return false;
}

void fault_request_begin(const void *request, const char *header)
{
	(void)request;
	(void)header;
}

void fault_arena_gone(const void *arena)
{
	(void)arena;
}

unsigned long fault_injected(void)
{
	return 0;
}

#endif
