/*
 * test_db_failures.c - db_busy_seen() / db_full_seen() (db.h): a write that
 * waits past the busy timeout for another connection's lock, and a write
 * that cannot grow the files (a file size limit, as on a full disk), are
 * noted per thread until cleared; and SQLite's own allocations fail on
 * purpose when fault injection asks (core/fault.h).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/fault.h"
#include "db/db.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/sen-test-dbfail-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/sen.db", dir);
	if (db_open(path, "normal") != 0)
		return -1;
	db_t *db = db_get();
	return db != NULL && db_exec(db, "CREATE TABLE t(x BLOB)") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	db_thread_close();
	char p[160];
	static const char *const names[] = {"sen.db", "sen.db-wal", "sen.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

static int insert_blob(db_t *db, size_t len)
{
	void *blob = calloc(1, len);
	if (blob == NULL)
		return -1;
	int rc = -1;
	db_stmt *st = NULL;
	if (db_begin(db) != 0)
		goto done;
	st = db_prepare(db, "INSERT INTO t(x) VALUES (?)");
	if (st == NULL || db_bind_blob(st, 1, blob, len) != 0 || db_step(st) != DB_DONE) {
		db_done(st);
		db_rollback(db);
		goto done;
	}
	db_done(st);
	rc = db_commit(db) == 0 ? 0 : (db_rollback(db), -1);
done:
	free(blob);
	return rc;
}

static void *flags_of_other_thread(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)(db_busy_seen() || db_full_seen());
}

static void test_busy_is_noted_and_cleared(void **state)
{
	(void)state;
	db_t *db = db_get();
	assert_non_null(db);
	db_failures_clear();
	assert_false(db_busy_seen());

	/* Another connection takes the write lock and keeps it. */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	db_set_busy_timeout(db, 50);
	assert_int_equal(db_begin(db), -1);
	assert_true(db_busy_seen());
	assert_false(db_full_seen());
	/* The note is this thread's only. */
	pthread_t t;
	void *ret = (void *)1;
	assert_int_equal(pthread_create(&t, NULL, flags_of_other_thread, NULL), 0);
	pthread_join(t, &ret);
	assert_null(ret);
	/* It stays until cleared, even across successful calls. */
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(insert_blob(db, 10), 0);
	assert_true(db_busy_seen());
	db_failures_clear();
	assert_false(db_busy_seen());
	assert_int_equal(insert_blob(db, 10), 0);
	assert_false(db_busy_seen());
	sqlite3_close(other);
	db_set_busy_timeout(db, 5000);
}

static void test_full_is_noted(void **state)
{
	(void)state;
	db_t *db = db_get();
	assert_non_null(db);
	/* A file size limit of 0 bytes: no file may grow, as on a full disk.
	 * Past the limit the kernel sends SIGXFSZ, which `sen serve` ignores. */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit old, zero;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	zero = old;
	zero.rlim_cur = 0;
	db_failures_clear();
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &zero), 0);
	int rc = insert_blob(db, 256 * 1024);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, -1);
	assert_true(db_full_seen());
	assert_false(db_busy_seen());
	/* Room again: the write goes through and nothing is noted. */
	db_failures_clear();
	assert_int_equal(insert_blob(db, 256 * 1024), 0);
	assert_false(db_full_seen());
	db_stmt *st = db_prepare(db, "PRAGMA integrity_check");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "ok");
	db_done(st);
}

static void test_other_errors_are_not_noted(void **state)
{
	(void)state;
	db_t *db = db_get();
	db_failures_clear();
	assert_null(db_prepare(db, "SELECT * FROM no_such_table"));
	assert_int_equal(db_exec(db, "INSERT INTO no_such_table VALUES (1)"), -1);
	assert_false(db_busy_seen());
	assert_false(db_full_seen());
}

static void test_sqlite_allocations_fail_on_purpose(void **state)
{
	(void)state;
	db_t *db = db_get();
	assert_true(fault_enabled());
	unsigned long before = fault_injected();
	arena_t *a = arena_new(64);
	/* A statement never prepared before: compiling it needs SQLite memory,
	 * and its first allocation fails. */
	fault_request_begin(a, "1");
	db_stmt *st = db_prepare(db, "SELECT count(*) + 41 FROM t WHERE x IS NOT NULL");
	assert_null(st);
	assert_int_equal(fault_injected(), before + 1);
	assert_false(db_busy_seen() || db_full_seen());
	arena_free(a);
	/* The connection is fine afterwards. */
	st = db_prepare(db, "SELECT count(*) + 41 FROM t WHERE x IS NOT NULL");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int64(st, 0) >= 41);
	db_done(st);
	/* Every N of a write: it either commits whole or not at all. */
	for (int n = 1; n <= 60; n++) {
		char header[16];
		snprintf(header, sizeof header, "%d", n);
		int64_t rows_before = -1, rows_after = -1;
		st = db_prepare(db, "SELECT count(*) FROM t");
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		rows_before = db_col_int64(st, 0);
		db_done(st);
		a = arena_new(64);
		fault_request_begin(a, header);
		int rc = insert_blob(db, 100);
		arena_free(a);
		if (db_in_transaction(db))
			db_rollback(db);
		st = db_prepare(db, "SELECT count(*) FROM t");
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		rows_after = db_col_int64(st, 0);
		db_done(st);
		if (rc == 0)
			assert_int_equal(rows_after, rows_before + 1);
		else
			assert_true(rows_after == rows_before || rows_after == rows_before + 1);
	}
}

int main(void)
{
	/* Before SQLite starts: db_open() installs the failing allocator. */
	setenv("SEN_FAULT_ALLOC", "0", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy_is_noted_and_cleared),
		cmocka_unit_test(test_full_is_noted),
		cmocka_unit_test(test_other_errors_are_not_noted),
		cmocka_unit_test(test_sqlite_allocations_fail_on_purpose),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
