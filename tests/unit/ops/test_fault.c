/*
 * test_fault.c - core/fault.h: in a test build, the Nth allocation of a
 * request fails, once, on the thread that serves it; arena_alloc() and buffer
 * growth honour it; the request's end (arena_free) disarms it; jansson's
 * allocations take part, and their failure is noted for the server.
 *
 * SEN_FAULT_ALLOC is set to 0 before anything reads it (main), so requests
 * fail only what they ask for with their header value.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/fault.h"

/* How many of `tries` arena allocations of 16 bytes succeed, and which one
 * (1-based) failed first (0 = none). */
static int count_allocs(arena_t *a, int tries, int *first_failed)
{
	int ok = 0;
	*first_failed = 0;
	for (int i = 1; i <= tries; i++) {
		if (arena_alloc(a, 16) != NULL)
			ok++;
		else if (*first_failed == 0)
			*first_failed = i;
	}
	return ok;
}

static void test_enabled_by_environment(void **state)
{
	(void)state;
	assert_true(fault_enabled());
	/* Nothing is armed before a request begins. */
	arena_t *a = arena_new(64);
	assert_non_null(a);
	int first;
	assert_int_equal(count_allocs(a, 500, &first), 500);
	assert_int_equal(first, 0);
	arena_free(a);
}

static void test_nth_allocation_fails_once(void **state)
{
	(void)state;
	arena_t *a = arena_new(64);
	assert_non_null(a);
	unsigned long before = fault_injected();
	fault_request_begin(a, "3");
	int first;
	assert_int_equal(count_allocs(a, 10, &first), 9);
	assert_int_equal(first, 3);
	assert_int_equal(fault_injected(), before + 1);
	arena_free(a);
}

static void test_same_request_is_not_armed_twice(void **state)
{
	(void)state;
	arena_t *a = arena_new(64);
	fault_request_begin(a, "2");
	int first;
	assert_int_equal(count_allocs(a, 3, &first), 2);
	assert_int_equal(first, 2);
	/* The error page after the failure begins the same request again. */
	fault_request_begin(a, "2");
	assert_int_equal(count_allocs(a, 10, &first), 10);
	arena_free(a);
}

static void test_freed_request_disarms(void **state)
{
	(void)state;
	arena_t *a = arena_new(64);
	fault_request_begin(a, "50");
	int first;
	assert_int_equal(count_allocs(a, 5, &first), 5);
	arena_free(a);
	/* The next request on this thread, before its own begin, is untouched. */
	arena_t *b = arena_new(64);
	assert_non_null(b);
	assert_int_equal(count_allocs(b, 100, &first), 100);
	arena_free(b);
}

static void test_header_and_default(void **state)
{
	(void)state;
	int first;
	/* No header: the environment's N, here 0 = nothing fails. */
	arena_t *a = arena_new(64);
	fault_request_begin(a, NULL);
	assert_int_equal(count_allocs(a, 100, &first), 100);
	arena_free(a);
	/* A malformed header is the default too. */
	static const char *const bad[] = {"x", "-1", "1.5", "", " 2", "99999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = arena_new(64);
		fault_request_begin(a, bad[i]);
		if (count_allocs(a, 100, &first) != 100)
			fail_msg("header '%s' failed allocation %d", bad[i], first);
		arena_free(a);
	}
	/* "1": the very first allocation. */
	a = arena_new(64);
	fault_request_begin(a, "1");
	assert_null(arena_alloc(a, 1));
	assert_non_null(arena_alloc(a, 1));
	arena_free(a);
}

static void test_new_block_counts(void **state)
{
	(void)state;
	/* A request that needs a new block fails there too: arena_alloc() is
	 * allocation 1, the block it then needs is allocation 2. */
	arena_t *a = arena_new(1024);
	assert_non_null(arena_alloc(a, 900));
	fault_request_begin(a, "2");
	assert_null(arena_alloc(a, 4000));
	assert_non_null(arena_alloc(a, 4000));
	arena_free(a);
}

static void test_buffer_growth_fails(void **state)
{
	(void)state;
	arena_t *a = arena_new(64);
	buf_t b = BUF_INIT;
	fault_request_begin(a, "1");
	assert_int_equal(buf_puts(&b, "xin chào"), -1);
	assert_true(b.failed);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	/* One failure only: the next buffer grows. */
	assert_int_equal(buf_puts(&b, "xin chào"), 0);
	assert_string_equal(b.data, "xin chào");
	buf_free(&b);
	arena_free(a);
}

static void *other_thread(void *arg)
{
	(void)arg;
	arena_t *a = arena_new(64);
	int first, ok = a != NULL ? count_allocs(a, 200, &first) : -1;
	arena_free(a);
	return (void *)(intptr_t)ok;
}

static void test_other_threads_are_not_failed(void **state)
{
	(void)state;
	arena_t *a = arena_new(64);
	fault_request_begin(a, "1");
	pthread_t t;
	void *ret = NULL;
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_int_equal((int)(intptr_t)ret, 200);
	/* This thread's failure is still waiting. */
	assert_null(arena_alloc(a, 8));
	arena_free(a);
}

static void test_jansson_failure_is_noted(void **state)
{
	(void)state;
	arena_t *a = arena_new(64);
	json_t *rows = json_array();
	assert_non_null(rows);
	fault_memory_clear();
	fault_request_begin(a, "1");
	/* The row jansson cannot make is left out without a word by
	 * json_array_append_new(): only the note tells the server. */
	assert_int_equal(json_array_append_new(rows, json_pack("{s:s}", "title", "Hội nghị")), -1);
	assert_int_equal(json_array_size(rows), 0);
	assert_string_equal(fault_memory_failed(), "jansson");
	fault_memory_clear();
	assert_null(fault_memory_failed());
	assert_int_equal(json_array_append_new(rows, json_pack("{s:s}", "title", "Hội nghị")), 0);
	assert_null(fault_memory_failed());
	json_decref(rows);
	arena_free(a);
}

int main(void)
{
	setenv("SEN_FAULT_ALLOC", "0", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enabled_by_environment),
		cmocka_unit_test(test_nth_allocation_fails_once),
		cmocka_unit_test(test_same_request_is_not_armed_twice),
		cmocka_unit_test(test_freed_request_disarms),
		cmocka_unit_test(test_header_and_default),
		cmocka_unit_test(test_new_block_counts),
		cmocka_unit_test(test_buffer_growth_fails),
		cmocka_unit_test(test_other_threads_are_not_failed),
		cmocka_unit_test(test_jansson_failure_is_noted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
