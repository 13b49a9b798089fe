/*
 * test_search_warm.c - counting the ranking's common words ahead
 * (src/model/search_warm.c), in a pass and on its thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>

#include "model/search_warm.h"
#include "search_test_util.h"

/* The warm-up remembers the right counts for the common folded words only,
 * and sen_rank() then gives bm25's scores without counting. */
static void test_warm(void **state)
{
	fixture *f = *state;
	assert_int_equal(search_warm(f->db), 0);   /* an empty index: nothing to do */
	char sql[512];
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO articles (category_id, slug, title, summary, body_html, status,"
		 " published_at) SELECT %" PRId64 ", 'gom', 'Gốm Chu Đậu ' || i, '',"
		 " '<p>Gốm men lam. Gốm.</p>', 2, 1500000000 + i FROM n",
		 SEARCH_WARM_MIN_DF + 100, f->cat1);
	assert_int_equal(db_exec(f->db, sql), 0);
	/* More articles without those words, so that their counts matter
	 * (a word in nearly every article scores the same whatever its count). */
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO articles (category_id, slug, title, summary, body_html, status,"
		 " published_at) SELECT %" PRId64 ", 'tranh', 'Tranh Đông Hồ ' || i, '',"
		 " '<p>Tranh dân gian.</p>', 2, 1300000000 + i FROM n",
		 SEARCH_WARM_MIN_DF + 400, f->cat2);
	assert_int_equal(db_exec(f->db, sql), 0);
	add(f, f->cat2, "Gốm Bát Tràng", "Làng gốm Bát Tràng, men rạn.", 1400000000,
	    ARTICLE_PUBLISHED);
	/* gom chu dau men lam, tranh dong ho dan gian: not the exact forms
	 * (gốm, đậu, đông, hồ, dân), not the numbers or the words of one article. */
	assert_int_equal(search_warm(f->db), 10);
	search_query q = parse_ok(f, "gom men bat");
	db_stmt *st = db_prepare(f->db, "SELECT bm25(search_fts, 5.0, 2.0, 1.0),"
					" sen_rank(search_fts, 0, ?, 5.0, 2.0, 1.0)"
					" FROM search_fts WHERE search_fts MATCH ?");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, q.phrase_keys, -1), 0);
	assert_int_equal(db_bind_text(st, 2, q.match, -1), 0);
	int rows = 0;
	while (db_step(st) == DB_ROW) {
		double want = db_col_double(st, 0), got = db_col_double(st, 1);
		if (got - want > 1e-9 || want - got > 1e-9)
			fail_msg("sen_rank %.12f, bm25 %.12f", got, want);
		rows++;
	}
	db_done(st);
	assert_int_equal(rows, 1);
	/* The background thread starts, warms and stops on request. */
	assert_int_equal(search_warm_start(), 0);
	assert_int_equal(search_warm_start(), 0);   /* once is enough */
	search_warm_stop();
	search_warm_stop();
	search_result r = find(f, "gom chu dau", NULL);
	assert_int_equal(r.total, SEARCH_WARM_MIN_DF + 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_warm, setup),
	};
	return cmocka_run_group_tests_name("search_warm", tests, NULL, NULL);
}
