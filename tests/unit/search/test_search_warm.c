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
	add_many(f, SEARCH_WARM_MIN_DF + 100, f->cat1, "gom", "Gốm Chu Đậu",
		 "<p>Gốm men lam. Gốm.</p>", 1500000000);
	/* More articles without those words, so that their counts matter
	 * (a word in nearly every article scores the same whatever its count). */
	add_many(f, SEARCH_WARM_MIN_DF + 400, f->cat2, "tranh", "Tranh Đông Hồ",
		 "<p>Tranh dân gian.</p>", 1300000000);
	add(f, f->cat2, "Gốm Bát Tràng", "Làng gốm Bát Tràng, men rạn.", 1400000000,
	    ARTICLE_PUBLISHED);
	/* gom chu dau men lam, tranh dong ho dan gian: not the exact forms
	 * (gốm, đậu, đông, hồ, dân), not the numbers or the words of one article. */
	assert_int_equal(search_warm(f->db), 10);
	search_query q = parse_ok(f, "gom men bat");
	assert_int_equal(rank_like_bm25(f, &q, "warmed"), 1);
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
