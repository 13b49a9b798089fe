/*
 * widgets_test.h - a fresh, migrated database for each widget test.
 *
 * testdb_setup() (a cmocka setup) makes a temporary folder, points db_open()
 * at a new file in it and applies every migration in $SEN_SOURCE_ROOT/sql;
 * testdb_teardown() closes the connection and removes the folder. Both use
 * the shared helper of ../testdb.h, which the binary must be linked with. The
 * helpers below write rows directly with SQL so that these tests depend on
 * the storage layer only, not on the article model.
 */
#ifndef SEN_TEST_WIDGETS_H
#define SEN_TEST_WIDGETS_H

#include <stdint.h>

#include "db/db.h"

int testdb_setup(void **state);
int testdb_teardown(void **state);

/* A cmocka test case on a fresh database (testdb_setup, testdb_teardown). */
#define widgets_case(fn) cmocka_unit_test_setup_teardown(fn, testdb_setup, testdb_teardown)

/* The connection of this thread (fails the test if there is none). */
db_t *testdb(void);

/* A category with this slug (and name), created once. */
int64_t testdb_category(const char *slug);

/* An article; status 2 is published. Returns its id. */
int64_t testdb_article(int64_t category_id, const char *title, const char *body, int status,
		       int64_t published_at);

/* Attaches a tag (created once by slug) to an article. */
void testdb_tag(int64_t article_id, const char *slug);

/* Runs a query that returns one integer. */
int64_t testdb_int(const char *sql);

#endif
