/*
 * testdb.c - a fresh, optionally migrated database for each unit test
 * (see testdb.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "db/db_test_util.h"
#include "testdb.h"

db_t *testdb_open(char *dir, size_t dir_len, char *path, size_t path_len, bool migrate)
{
	if (tmpdir_make(dir, dir_len) != 0)
		return NULL;
	snprintf(path, path_len, "%s/sen.db", dir);
	if (db_open(path, "normal") != 0)
		return NULL;
	db_t *db = db_get();
	if (db == NULL || (migrate && db_migrate(db, sql_dir()) != 0))
		return NULL;
	return db;
}

void testdb_close(const char *dir)
{
	db_thread_close();
	tmpdir_remove(dir);
}

int64_t testdb_query_int(db_t *db, const char *sql)
{
	db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_int64(st, 0);
	db_done(st);
	return v;
}

void *testdb_fixture_new(size_t size, bool migrate)
{
	testdb_fixture *t = calloc(1, size);
	if (t == NULL)
		return NULL;
	if (testdb_open(t->dir, sizeof t->dir, t->path, sizeof t->path, migrate) == NULL ||
	    (t->arena = arena_new(64 * 1024)) == NULL) {
		testdb_fixture_free(t);
		return NULL;
	}
	t->db = db_get();
	return t;
}

void testdb_fixture_free(void *fixture)
{
	testdb_fixture *t = fixture;
	if (t == NULL)
		return;
	testdb_close(t->dir);
	arena_free(t->arena);
	free(t);
}

int testdb_fixture_setup(void **state)
{
	*state = testdb_fixture_new(sizeof(testdb_fixture), true);
	return *state != NULL ? 0 : -1;
}

int testdb_fixture_teardown(void **state)
{
	testdb_fixture_free(*state);
	return 0;
}
