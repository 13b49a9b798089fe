/*
 * search_test_util.h - the fixture of the search tests: a migrated database
 * in a temporary folder (../testdb.c) with two categories, and helpers to
 * add articles and run queries. Header-only; every helper is marked unused,
 * since no test binary needs all of them.
 */
#ifndef SEN_TESTS_SEARCH_TEST_UTIL_H
#define SEN_TESTS_SEARCH_TEST_UTIL_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/seed.h"
#include "../testdb.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"
#include "model/category.h"
#include "model/search.h"

#define UNUSED __attribute__((unused))

typedef struct {
	TESTDB_FIXTURE;
	int64_t cat1, cat2;
} fixture;

UNUSED static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	if (f == NULL || seed_categories(f->db, "Trưng bày - Triển lãm", &f->cat1, &f->cat2) != 0)
		return -1;
	return 0;
}

UNUSED static int64_t add(fixture *f, int64_t cat, const char *title, const char *body,
		   int64_t published_at, int status)
{
	article_input in = {0};
	in.title = title;
	in.body_md = body;
	in.category_id = cat;
	in.published_at = published_at;
	in.status = status;
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), 0);
	return id;
}

/* Adds n published articles in one statement (the model would take minutes
 * for thousands): titled "TITLE i" with body_html, published at from + i,
 * i = 1..n. The strings must not hold a quote. */
UNUSED static void add_many(fixture *f, int n, int64_t cat, const char *slug, const char *title,
			    const char *body_html, int64_t from)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO articles (category_id, slug, title, summary, body_html, status,"
		 " published_at) SELECT %" PRId64 ", '%s', '%s ' || i, '', '%s', %d, %" PRId64
		 " + i FROM n",
		 n, cat, slug, title, body_html, ARTICLE_PUBLISHED, from);
	assert_int_equal(db_exec(f->db, sql), 0);
}

/* Runs q (which must parse) and returns the result. */
UNUSED static search_result find(fixture *f, const char *q, const search_filter *filter)
{
	search_query sq;
	char why[128];
	int rc = search_parse(f->arena, q, strlen(q), &sq, why, sizeof why);
	if (rc != 0)
		fail_msg("query \"%s\" refused: %s", q, why);
	search_result r;
	assert_int_equal(search_run(f->db, f->arena, &sq, filter, &r), 0);
	return r;
}

UNUSED static bool found(const search_result *r, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].id == id)
			return true;
	return false;
}

/* Scores the matches of q with sen_rank() and with SQLite's bm25() (the same
 * weights, exact-accent alternatives left out) and fails the test, naming
 * what, where the two differ. Returns the number of matches. */
UNUSED static int rank_like_bm25(fixture *f, const search_query *q, const char *what)
{
	db_stmt *st = db_prepare(f->db, "SELECT bm25(search_fts, 5.0, 2.0, 1.0),"
					" sen_rank(search_fts, 0, ?, 5.0, 2.0, 1.0)"
					" FROM search_fts WHERE search_fts MATCH ?");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, q->phrase_keys, -1), 0);
	assert_int_equal(db_bind_text(st, 2, q->match, -1), 0);
	int rows = 0;
	while (db_step(st) == DB_ROW) {
		double want = db_col_double(st, 0), got = db_col_double(st, 1);
		if (got - want > 1e-9 || want - got > 1e-9)
			fail_msg("%s: sen_rank %.12f, bm25 %.12f", what, got, want);
		rows++;
	}
	db_done(st);
	return rows;
}

UNUSED static search_query parse_ok(fixture *f, const char *q)
{
	search_query sq;
	char why[128];
	int rc = search_parse(f->arena, q, strlen(q), &sq, why, sizeof why);
	if (rc != 0)
		fail_msg("query \"%s\" refused (%d): %s", q, rc, why);
	return sq;
}

#endif
