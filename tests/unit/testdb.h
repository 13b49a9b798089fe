/*
 * testdb.h - a fresh database for one unit test: a temporary folder
 * /tmp/sen-test-XXXXXX, the file sen.db in it opened as this thread's
 * connection, and (when asked) every migration in $SEN_SOURCE_ROOT/sql
 * applied. Shared by the test binaries that list ../testdb.c in their
 * meson.build.
 *
 * Most tests use it through a fixture (testdb_fixture_new(), below), which
 * also gives each test an arena.
 *
 * Who frees what: the caller owns the dir and path buffers it passes in; the
 * connection returned by testdb_open() belongs to the db layer and is closed
 * by testdb_close(), which also removes the folder and everything in it.
 * A fixture from testdb_fixture_new() is freed, arena and all, by
 * testdb_fixture_free().
 */
#ifndef SEN_TESTS_TESTDB_H
#define SEN_TESTS_TESTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/*
 * Makes the folder into dir (at least 64 bytes), writes "DIR/sen.db" into
 * path, opens it in "normal" synchronous mode and, when migrate is true,
 * migrates it from sql/. Returns this thread's connection, or NULL.
 */
db_t *testdb_open(char *dir, size_t dir_len, char *path, size_t path_len, bool migrate);

/* Closes this thread's connection and removes dir (a no-op for ""). */
void testdb_close(const char *dir);

/* Runs a query that returns one integer; fails the cmocka test otherwise. */
int64_t testdb_query_int(db_t *db, const char *sql);

/* ---- a fixture per test -------------------------------------------------- */

/* What every database test keeps per test. */
#define TESTDB_FIELDS                                                                        \
	char dir[64];   /* the temporary folder */                                           \
	char path[128]; /* DIR/sen.db */                                                     \
	db_t *db;                                                                            \
	arena_t *arena /* 64 KiB, freed with the fixture */

typedef struct {
	TESTDB_FIELDS;
} testdb_fixture;

/*
 * A test's own fixture starts with TESTDB_FIXTURE, then adds its fields:
 *     typedef struct { TESTDB_FIXTURE; int64_t cat1; } fixture;
 * The union lets testdb_fixture_new() fill the shared part (through
 * f->testdb) while the test keeps writing f->db and f->arena: both members
 * share their whole initial sequence, so either may be read (C17 6.5.2.3).
 */
#define TESTDB_FIXTURE                                                                       \
	union {                                                                              \
		testdb_fixture testdb;                                                       \
		struct {                                                                     \
			TESTDB_FIELDS;                                                       \
		};                                                                           \
	}

/*
 * Allocates a zeroed fixture of size bytes (a struct that starts with
 * TESTDB_FIXTURE, or a bare testdb_fixture), opens its database (migrated
 * when migrate is true) and makes its arena. NULL, with nothing left behind,
 * on failure.
 */
void *testdb_fixture_new(size_t size, bool migrate);

/* Closes the database, removes the folder, frees the arena and the fixture. */
void testdb_fixture_free(void *fixture);

/* cmocka set-up and tear-down for tests that need a bare, migrated fixture. */
int testdb_fixture_setup(void **state);
int testdb_fixture_teardown(void **state);

/* A cmocka test case with the given set-up and the fixture's tear-down. */
#define testdb_case(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, testdb_fixture_teardown)

/* A cmocka test case with a bare, migrated fixture. */
#define testdb_bare_case(fn) testdb_case(fn, testdb_fixture_setup)

#endif
