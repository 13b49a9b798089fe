/*
 * test_rating.c - one vote per visitor, the summary, refused input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "model/rating.h"
#include "widgets_test.h"

#define V1 "00112233445566778899aabbccddeeff"
#define V2 "ffeeddccbbaa99887766554433221100"
#define V3 "0123456789abcdef0123456789abcdef"

static int64_t published(void)
{
	int64_t cat = testdb_category("tin-hoat-dong");
	return testdb_article(cat, "Hội nghị triển khai nhiệm vụ năm 2021", "Nội dung.", 2,
			      (int64_t)time(NULL) - 3600);
}

static void one_vote_per_visitor(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published();
	assert_int_equal(rating_add(db, id, V1, 5), RATING_OK);
	assert_int_equal(rating_add(db, id, V1, 5), RATING_DUPLICATE);
	assert_int_equal(rating_add(db, id, V1, 1), RATING_DUPLICATE);
	assert_int_equal(rating_add(db, id, V2, 4), RATING_OK);

	int64_t count;
	double avg;
	assert_int_equal(rating_summary(db, id, &count, &avg), 0);
	assert_int_equal(count, 2);
	assert_true(fabs(avg - 4.5) < 1e-9);
	/* The duplicates changed nothing, in the votes or in the totals. */
	assert_int_equal(testdb_int("SELECT count(*) FROM ratings"), 2);
	assert_int_equal(testdb_int("SELECT sum(stars) FROM ratings"), 9);

	int stars;
	assert_int_equal(rating_get(db, id, V1, &stars), 0);
	assert_int_equal(stars, 5);
	assert_int_equal(rating_get(db, id, V3, &stars), 1);
	assert_int_equal(stars, 0);
}

static void the_database_enforces_uniqueness(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published();
	assert_int_equal(rating_add(db, id, V1, 3), RATING_OK);
	/* A writer that skipped the model still cannot vote twice. */
	db_stmt *st = db_prepare(db, "INSERT INTO ratings (article_id, visitor, stars, created_at) "
				     "VALUES (?, ?, 4, 0)");
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, V1, -1);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_done(st);
}

static void summary_math(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published(), other = published();
	int64_t count = -1;
	double avg = -1;
	assert_int_equal(rating_summary(db, id, &count, &avg), 0);
	assert_int_equal(count, 0);
	assert_true(avg == 0.0);

	assert_int_equal(rating_add(db, id, V1, 5), RATING_OK);
	assert_int_equal(rating_add(db, id, V2, 4), RATING_OK);
	assert_int_equal(rating_add(db, id, V3, 4), RATING_OK);
	assert_int_equal(rating_add(db, other, V1, 1), RATING_OK);
	assert_int_equal(rating_summary(db, id, &count, &avg), 0);
	assert_int_equal(count, 3);
	assert_true(fabs(avg - 13.0 / 3.0) < 1e-9);
	assert_int_equal(rating_summary(db, other, &count, &avg), 0);
	assert_int_equal(count, 1);
	assert_true(fabs(avg - 1.0) < 1e-9);
	assert_int_equal(rating_summary(db, 999999, &count, &avg), 0);
	assert_int_equal(count, 0);
}

static void refuses_bad_input(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published();
	assert_int_equal(rating_add(db, id, V1, 0), RATING_INVALID);
	assert_int_equal(rating_add(db, id, V1, 6), RATING_INVALID);
	assert_int_equal(rating_add(db, id, V1, -1), RATING_INVALID);
	assert_int_equal(rating_add(db, id, "not-a-visitor", 3), RATING_INVALID);
	assert_int_equal(rating_add(db, id, NULL, 3), RATING_INVALID);
	assert_int_equal(rating_add(db, id, "00112233445566778899AABBCCDDEEFF", 3), RATING_INVALID);
	assert_int_equal(rating_add(db, id, V1, 1), RATING_OK);
	assert_int_equal(rating_add(db, id, V2, 5), RATING_OK);
	assert_int_equal(testdb_int("SELECT count(*) FROM ratings"), 2);
}

static void only_public_articles(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t cat = testdb_category("tin");
	int64_t now = (int64_t)time(NULL);
	int64_t draft = testdb_article(cat, "Nháp", "", 0, now - 10);
	int64_t later = testdb_article(cat, "Hẹn giờ", "", 2, now + 3600);
	int64_t gone = testdb_article(cat, "Gỡ", "", 3, now - 10);
	assert_int_equal(rating_add(db, draft, V1, 3), RATING_NOT_FOUND);
	assert_int_equal(rating_add(db, later, V1, 3), RATING_NOT_FOUND);
	assert_int_equal(rating_add(db, gone, V1, 3), RATING_NOT_FOUND);
	assert_int_equal(rating_add(db, 424242, V1, 3), RATING_NOT_FOUND);
	assert_int_equal(testdb_int("SELECT count(*) FROM ratings"), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM rating_totals"), 0);
}

static void inside_a_caller_transaction(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published();
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(rating_add(db, id, V1, 4), RATING_OK);
	assert_int_equal(rating_add(db, id, V1, 4), RATING_DUPLICATE);
	/* The duplicate rolled back only its own savepoint. */
	assert_true(db_in_transaction(db));
	assert_int_equal(db_rollback(db), 0);
	int64_t count;
	double avg;
	assert_int_equal(rating_summary(db, id, &count, &avg), 0);
	assert_int_equal(count, 0);
	assert_int_equal(rating_add(db, id, V1, 4), RATING_OK);
}

/* Many threads vote at once with the same visitor: exactly one vote wins. */
struct race {
	int64_t article;
	int result;
};

static void *race_main(void *arg)
{
	struct race *r = arg;
	db_t *db = db_get();
	r->result = db != NULL ? rating_add(db, r->article, V3, 2) : -1;
	db_thread_close();
	return NULL;
}

static void racing_votes(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published();
	pthread_t threads[8];
	struct race races[8];
	for (int i = 0; i < 8; i++) {
		races[i].article = id;
		races[i].result = -9;
		assert_int_equal(pthread_create(&threads[i], NULL, race_main, &races[i]), 0);
	}
	int ok = 0, dup = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(threads[i], NULL);
		ok += races[i].result == RATING_OK;
		dup += races[i].result == RATING_DUPLICATE;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(dup, 7);
	int64_t count;
	double avg;
	assert_int_equal(rating_summary(db, id, &count, &avg), 0);
	assert_int_equal(count, 1);
	assert_true(fabs(avg - 2.0) < 1e-9);
}

static void votes_go_with_the_article(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published();
	assert_int_equal(rating_add(db, id, V1, 4), RATING_OK);
	db_stmt *st = db_prepare(db, "DELETE FROM articles WHERE id = ?");
	db_bind_int64(st, 1, id);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(testdb_int("SELECT count(*) FROM ratings"), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM rating_totals"), 0);
}

/* Two keyed addresses, as throttle_address_key() writes them. */
#define A1 "n00112233445566778899aabbccddeeff"
#define A2 "nffeeddccbbaa99887766554433221100"

/* Visitor number i: 32 hex digits. */
static void visitor_n(int i, char out[33])
{
	snprintf(out, 33, "%032x", (unsigned)i + 1);
}

static void address_budget_per_article_and_hour(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t id = published(), other = published(), now = (int64_t)time(NULL);
	char v[33];
	/* One address, a new visitor (User-Agent) each time. */
	for (int i = 0; i < RATING_ADDRESS_PER_ARTICLE; i++) {
		visitor_n(i, v);
		assert_int_equal(rating_add_from(db, id, v, A1, 1, now), RATING_OK);
	}
	visitor_n(1000, v);
	assert_int_equal(rating_add_from(db, id, v, A1, 1, now), RATING_ADDRESS_SPENT);
	/* Nothing of the refused vote was kept. */
	int64_t count;
	double avg;
	assert_int_equal(rating_summary(db, id, &count, &avg), 0);
	assert_int_equal(count, RATING_ADDRESS_PER_ARTICLE);
	/* Another address, and the next day, have their own budget. */
	assert_int_equal(rating_add_from(db, id, v, A2, 5, now), RATING_OK);
	visitor_n(1001, v);
	assert_int_equal(rating_add_from(db, id, v, A1, 1, now + RATING_ADDRESS_ARTICLE_WINDOW + 1),
			 RATING_OK);
	/* The hourly budget over the whole site: one vote is in this hour
	 * already; the rest go to other articles, each within its own budget. */
	for (int i = 1; i < RATING_ADDRESS_PER_HOUR; i++) {
		visitor_n(2000 + i, v);
		int64_t target = i < RATING_ADDRESS_PER_ARTICLE ? other : published();
		assert_int_equal(rating_add_from(db, target, v, A1, 3,
						 now + RATING_ADDRESS_ARTICLE_WINDOW + 1), RATING_OK);
	}
	visitor_n(3000, v);
	assert_int_equal(rating_add_from(db, published(), v, A1, 3,
					 now + RATING_ADDRESS_ARTICLE_WINDOW + 1),
			 RATING_ADDRESS_SPENT);
	/* A malformed address is refused, never stored. */
	assert_int_equal(rating_add_from(db, id, V3, "127.0.0.1", 3, now), RATING_INVALID);
	assert_int_equal(rating_add_from(db, id, V3, NULL, 3, now), RATING_INVALID);
}

static void concentrated_votes_are_listed(void **state)
{
	(void)state;
	db_t *db = testdb();
	arena_t *a = arena_new(4096);
	assert_non_null(a);
	int64_t piled = published(), fair = published(), now = (int64_t)time(NULL);
	char v[33];
	for (int i = 0; i < RATING_CONCENTRATED_MIN; i++) {
		visitor_n(i, v);
		assert_int_equal(rating_add_from(db, piled, v, A1, 5, now), RATING_OK);
		/* fair: as many from A1, but more from elsewhere (anonymous and A2). */
		assert_int_equal(rating_add_from(db, fair, v, A1, 5, now), RATING_OK);
		visitor_n(100 + i, v);
		assert_int_equal(rating_add_from(db, fair, v, A2, 3, now), RATING_OK);
		visitor_n(200 + i, v);
		assert_int_equal(rating_add(db, fair, v, 3), RATING_OK);
	}
	visitor_n(300, v);
	assert_int_equal(rating_add_from(db, piled, v, A2, 1, now), RATING_OK);
	rating_concentration *items = NULL;
	size_t n = 0;
	assert_int_equal(rating_concentrated(db, a, 10, &items, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].article_id, piled);
	assert_int_equal(items[0].count, RATING_CONCENTRATED_MIN + 1);
	assert_int_equal(items[0].from_one, RATING_CONCENTRATED_MIN);
	assert_string_equal(items[0].title, "Hội nghị triển khai nhiệm vụ năm 2021");
	assert_int_equal(rating_concentrated(db, a, 0, &items, &n), -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		widgets_case(one_vote_per_visitor),
		widgets_case(the_database_enforces_uniqueness),
		widgets_case(summary_math),
		widgets_case(refuses_bad_input),
		widgets_case(only_public_articles),
		widgets_case(inside_a_caller_transaction),
		widgets_case(racing_votes),
		widgets_case(votes_go_with_the_article),
		widgets_case(address_budget_per_article_and_hour),
		widgets_case(concentrated_votes_are_listed),
	};
	return cmocka_run_group_tests_name("rating", tests, NULL, NULL);
}
