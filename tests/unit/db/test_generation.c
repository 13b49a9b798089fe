/*
 * test_generation.c - the content generation the page cache keys on.
 *
 * It must move after a commit that changed something pages show, and only
 * then; it must stay put for CAPTCHA codes, statistics and transactions
 * marked quiet, or the page cache would be thrown away on every view. The
 * quiet tables are the ones registered (db_quiet_table_add; the server's
 * page cache registers its list), here captchas and visits_daily.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../testdb.h"
#include "db/db.h"

static char dir[128];

static int setup(void **state)
{
	(void)state;
	char path[256];
	if (db_quiet_table_add("captchas") != 0 || db_quiet_table_add("visits_daily") != 0 ||
	    db_quiet_table_add("captchas") != 0)
		return -1;
	return testdb_open(dir, sizeof dir, path, sizeof path, true) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	testdb_close(dir);
	return 0;
}

static void test_content_writes_move_it_after_commit(void **state)
{
	(void)state;
	db_t *db = db_get();
	uint64_t g0 = db_content_generation();
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO links (title, url, position) "
				     "VALUES ('Tỉnh Điện Biên', 'https://dienbien.gov.vn', 1)"),
			 0);
	/* Not yet visible to other connections: readers must not cache it as new. */
	assert_int_equal(db_content_generation(), g0);
	assert_int_equal(db_commit(db), 0);
	assert_true(db_content_generation() > g0);
}

static void test_rolled_back_writes_do_not_move_it(void **state)
{
	(void)state;
	db_t *db = db_get();
	uint64_t g0 = db_content_generation();
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO links (title, url, position) "
				     "VALUES ('x', 'https://x.vn', 2)"),
			 0);
	assert_int_equal(db_rollback(db), 0);
	/* A later quiet commit must not inherit the rolled-back change. */
	assert_int_equal(db_exec(db, "INSERT INTO captchas (id, article_id, code, expires_at) "
				     "VALUES ('00112233445566778899aabbccddeeff', 0, 'ABCDEF', 9)"),
			 0);
	assert_int_equal(db_content_generation(), g0);
}

static void test_quiet_tables_and_quiet_transactions(void **state)
{
	(void)state;
	db_t *db = db_get();
	uint64_t g0 = db_content_generation();
	assert_int_equal(db_exec(db, "INSERT INTO visits_daily (day, visits, views) "
				     "VALUES ('2021-01-18', 1, 1)"),
			 0);
	assert_int_equal(db_exec(db, "DELETE FROM captchas"), 0);
	assert_int_equal(db_content_generation(), g0);
	/* The view counter flush writes articles.views inside a quiet transaction. */
	assert_int_equal(db_begin(db), 0);
	db_set_quiet(db);
	assert_int_equal(db_exec(db, "UPDATE links SET position = position"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_content_generation(), g0);
	/* Quiet lasts one transaction only. */
	assert_int_equal(db_exec(db, "UPDATE links SET title = 'Cổng tỉnh'"), 0);
	assert_true(db_content_generation() > g0);
}

static void test_only_registered_tables_are_quiet(void **state)
{
	(void)state;
	db_t *db = db_get();
	uint64_t g0 = db_content_generation();
	/* Settings are quiet in the server (portal/cache.c registers them), not
	 * here: nothing but the registration makes a table quiet. */
	assert_int_equal(db_exec(db, "INSERT INTO settings (key, value) VALUES ('e2e.a', 1)"), 0);
	assert_true(db_content_generation() > g0);
	assert_int_equal(db_quiet_table_add("settings"), 0);
	uint64_t g1 = db_content_generation();
	assert_int_equal(db_exec(db, "INSERT INTO settings (key, value) VALUES ('e2e.b', 1)"), 0);
	assert_int_equal(db_content_generation(), g1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_content_writes_move_it_after_commit),
	    cmocka_unit_test(test_only_registered_tables_are_quiet),
	    cmocka_unit_test(test_rolled_back_writes_do_not_move_it),
	    cmocka_unit_test(test_quiet_tables_and_quiet_transactions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
