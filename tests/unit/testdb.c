/*
 * testdb.c - a fresh, optionally migrated database for each unit test
 * (see testdb.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
