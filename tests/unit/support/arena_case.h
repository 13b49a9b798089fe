/*
 * arena_case.h - a cmocka test case whose state is a fresh 4 KiB arena
 * (core/arena.h), freed after the case: arena_case(test_fn) in a test
 * list, and `arena_t *a = *state;` in the test. Header-only.
 */
#ifndef SEN_TESTS_ARENA_CASE_H
#define SEN_TESTS_ARENA_CASE_H

#include "core/arena.h"

static inline int arena_case_setup(void **state)
{
	*state = arena_new(4096);
	return *state == NULL ? -1 : 0;
}

static inline int arena_case_teardown(void **state)
{
	arena_free(*state);
	return 0;
}

#define arena_case(fn) cmocka_unit_test_setup_teardown(fn, arena_case_setup, arena_case_teardown)

#endif
