/*
 * testdb.h - a fresh database for one unit test: a temporary folder
 * /tmp/sen-test-XXXXXX, the file sen.db in it opened as this thread's
 * connection, and (when asked) every migration in $SEN_SOURCE_ROOT/sql
 * applied. Shared by the test binaries that list ../testdb.c in their
 * meson.build.
 *
 * Who frees what: the caller owns the dir and path buffers it passes in; the
 * connection returned by testdb_open() belongs to the db layer and is closed
 * by testdb_close(), which also removes the folder and everything in it.
 * Nothing else is allocated.
 */
#ifndef SEN_TESTS_TESTDB_H
#define SEN_TESTS_TESTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif
