/*
 * widgets_test.c - temporary databases for the widget tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "widgets_test.h"

static char dir[64];
static char path[128];

int testdb_setup(void **state)
{
	(void)state;
	if (getenv("SEN_SOURCE_ROOT") == NULL) {
		fprintf(stderr, "SEN_SOURCE_ROOT is not set\n");
		return -1;
	}
	return testdb_open(dir, sizeof dir, path, sizeof path, true) != NULL ? 0 : -1;
}

int testdb_teardown(void **state)
{
	(void)state;
	testdb_close(dir);
	return 0;
}

db_t *testdb(void)
{
	db_t *db = db_get();
	assert_non_null(db);
	return db;
}

int64_t testdb_int(const char *sql)
{
	return testdb_query_int(testdb(), sql);
}

int64_t testdb_category(const char *slug)
{
	db_t *db = testdb();
	db_stmt *st = db_prepare(db, "INSERT INTO categories (slug, name) VALUES (?, ?) "
				     "ON CONFLICT (slug) DO NOTHING");
	assert_non_null(st);
	db_bind_text(st, 1, slug, -1);
	db_bind_text(st, 2, slug, -1);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	st = db_prepare(db, "SELECT id FROM categories WHERE slug = ?");
	db_bind_text(st, 1, slug, -1);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t id = db_col_int64(st, 0);
	db_done(st);
	return id;
}

int64_t testdb_article(int64_t category_id, const char *title, const char *body, int status,
		       int64_t published_at)
{
	static int serial;
	char slug[32];
	snprintf(slug, sizeof slug, "bai-%d", ++serial);
	db_t *db = testdb();
	db_stmt *st = db_prepare(db, "INSERT INTO articles "
				     "(category_id, slug, title, body_md, status, published_at) "
				     "VALUES (?, ?, ?, ?, ?, ?)");
	assert_non_null(st);
	db_bind_int64(st, 1, category_id);
	db_bind_text(st, 2, slug, -1);
	db_bind_text(st, 3, title, -1);
	db_bind_text(st, 4, body, -1);
	db_bind_int64(st, 5, status);
	db_bind_int64(st, 6, published_at);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	return db_last_insert_id(db);
}

void testdb_tag(int64_t article_id, const char *slug)
{
	db_t *db = testdb();
	db_stmt *st = db_prepare(db, "INSERT INTO tags (slug, name) VALUES (?, ?) "
				     "ON CONFLICT (slug) DO NOTHING");
	db_bind_text(st, 1, slug, -1);
	db_bind_text(st, 2, slug, -1);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	st = db_prepare(db, "INSERT INTO article_tags (article_id, tag_id) "
			    "SELECT ?, id FROM tags WHERE slug = ?");
	db_bind_int64(st, 1, article_id);
	db_bind_text(st, 2, slug, -1);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
}
