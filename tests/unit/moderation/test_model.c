/*
 * test_model.c - what the moderation queue and the statistics page added to
 * the models: comment counts by status, the queue listing with its
 * articles, bulk changes in one transaction; daily visit series with missing
 * days as 0 and the 365-day boundary; most-read articles; article counts;
 * the ratings overview.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/arena.h"
#include "model/comment.h"
#include "model/rating.h"
#include "model/stats.h"
#include "widgets_test.h"

#define T0 1610904600 /* 2021-01-17T17:30:00Z: 00:30 on the 18th in Vietnam */
#define VN (7 * 3600)

static void exec(const char *sql)
{
	assert_int_equal(db_exec(testdb(), sql), 0);
}

static int64_t add_comment(int64_t article_id, const char *name, int status)
{
	db_stmt *st = db_prepare(testdb(), "INSERT INTO comments "
					   "(article_id, name, body, status, created_at) "
					   "VALUES (?, ?, 'Nội dung', ?, ?)");
	assert_non_null(st);
	db_bind_int64(st, 1, article_id);
	db_bind_text(st, 2, name, -1);
	db_bind_int64(st, 3, status);
	db_bind_int64(st, 4, T0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	return db_last_insert_id(testdb());
}

static int status_of(int64_t id)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT coalesce((SELECT status FROM comments WHERE id = %lld), -1)",
		 (long long)id);
	return (int)testdb_int(sql);
}

/* ---- comments ---------------------------------------------------------------- */

static void counts_by_status(void **state)
{
	(void)state;
	int64_t counts[COMMENT_STATUS_COUNT];
	assert_int_equal(comment_count_by_status(testdb(), counts), 0);
	for (int i = 0; i < COMMENT_STATUS_COUNT; i++)
		assert_int_equal(counts[i], 0);
	int64_t a = testdb_article(testdb_category("tin"), "Bài A", "x", 2, T0);
	for (int i = 0; i < 3; i++)
		add_comment(a, "chờ", COMMENT_PENDING);
	add_comment(a, "duyệt", COMMENT_APPROVED);
	add_comment(a, "rác", COMMENT_SPAM);
	add_comment(a, "rác", COMMENT_SPAM);
	assert_int_equal(comment_count_by_status(testdb(), counts), 0);
	assert_int_equal(counts[COMMENT_PENDING], 3);
	assert_int_equal(counts[COMMENT_APPROVED], 1);
	assert_int_equal(counts[COMMENT_REJECTED], 0);
	assert_int_equal(counts[COMMENT_SPAM], 2);
	int64_t pending;
	assert_int_equal(comment_count(testdb(), COMMENT_PENDING, &pending), 0);
	assert_int_equal(pending, counts[COMMENT_PENDING]);
}

static void queue_listing_with_articles(void **state)
{
	(void)state;
	arena_t *ar = arena_new(4096);
	int64_t cat = testdb_category("van-hoa");
	int64_t a = testdb_article(cat, "Lễ hội <đền> Hùng", "x", 2, T0);
	int64_t draft = testdb_article(cat, "Bản nháp", "x", 0, T0);
	int64_t ids[7];
	for (int i = 0; i < 7; i++)
		ids[i] = add_comment(i == 6 ? draft : a, "Khách", i == 3 ? COMMENT_APPROVED : COMMENT_PENDING);
	comment_entry *items;
	size_t n;
	bool more;
	assert_int_equal(comment_list_entries(testdb(), ar, COMMENT_PENDING, 0, 4, &items, &n, &more), 0);
	assert_int_equal(n, 4);
	assert_true(more);
	/* Newest first, only pending, with the article. */
	assert_int_equal(items[0].c.id, ids[6]);
	assert_string_equal(items[0].article_title, "Bản nháp");
	assert_int_equal(items[0].article_status, 0);
	assert_int_equal(items[1].c.id, ids[5]);
	assert_int_equal(items[2].c.id, ids[4]);
	assert_int_equal(items[3].c.id, ids[2]);      /* ids[3] is approved */
	assert_string_equal(items[1].article_title, "Lễ hội <đền> Hùng");
	assert_string_equal(items[1].category_slug, "van-hoa");
	assert_int_equal(items[1].article_status, 2);
	assert_int_equal(items[1].article_published_at, T0);
	assert_non_null(items[1].article_slug);
	assert_string_equal(items[1].c.name, "Khách");
	assert_int_equal(items[1].c.status, COMMENT_PENDING);
	/* The next page starts below the last id. */
	assert_int_equal(comment_list_entries(testdb(), ar, COMMENT_PENDING, items[3].c.id, 4, &items,
					      &n, &more), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	assert_int_equal(items[0].c.id, ids[1]);
	assert_int_equal(items[1].c.id, ids[0]);
	assert_int_equal(comment_list_entries(testdb(), ar, COMMENT_APPROVED, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].c.id, ids[3]);
	/* Refused: no such status, "any" status, limits. */
	assert_int_equal(comment_list_entries(testdb(), ar, 9, 0, 10, &items, &n, &more), -1);
	assert_int_equal(comment_list_entries(testdb(), ar, -1, 0, 10, &items, &n, &more), -1);
	assert_int_equal(comment_list_entries(testdb(), ar, 0, 0, 0, &items, &n, &more), -1);
	assert_int_equal(comment_list_entries(testdb(), ar, 0, 0, COMMENT_LIST_MAX + 1, &items, &n,
					      &more), -1);
	arena_free(ar);
}

static void bulk_status_changes(void **state)
{
	(void)state;
	int64_t a = testdb_article(testdb_category("tin"), "Bài", "x", 2, T0);
	int64_t ids[4];
	for (int i = 0; i < 4; i++)
		ids[i] = add_comment(a, "K", i == 0 ? COMMENT_APPROVED : COMMENT_PENDING);
	size_t changed = 99;
	/* ids[0] is approved already and 424242 does not exist: neither counts. */
	int64_t pick[] = {ids[0], ids[1], ids[2], 424242};
	assert_int_equal(comment_set_status_many(testdb(), pick, 4, COMMENT_APPROVED, &changed), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(status_of(ids[1]), COMMENT_APPROVED);
	assert_int_equal(status_of(ids[2]), COMMENT_APPROVED);
	assert_int_equal(status_of(ids[3]), COMMENT_PENDING);
	assert_int_equal(comment_set_status_many(testdb(), ids, 4, COMMENT_SPAM, &changed), 0);
	assert_int_equal(changed, 4);
	assert_int_equal(comment_set_status_many(testdb(), ids, 0, COMMENT_SPAM, &changed), 0);
	assert_int_equal(changed, 0);
	/* Refused with nothing changed: a status that does not exist, too many ids. */
	assert_int_equal(comment_set_status_many(testdb(), ids, 4, 7, &changed), -1);
	assert_int_equal(comment_set_status_many(testdb(), ids, 4, -1, &changed), -1);
	int64_t *many = calloc(COMMENT_BULK_MAX + 1, sizeof(*many));
	assert_non_null(many);
	for (int i = 0; i <= COMMENT_BULK_MAX; i++)
		many[i] = ids[i % 4];
	assert_int_equal(comment_set_status_many(testdb(), many, COMMENT_BULK_MAX + 1,
						 COMMENT_REJECTED, &changed), -1);
	assert_int_equal(comment_delete_many(testdb(), many, COMMENT_BULK_MAX + 1, &changed), -1);
	/* Exactly the maximum is fine. */
	assert_int_equal(comment_set_status_many(testdb(), many, COMMENT_BULK_MAX, COMMENT_REJECTED,
						 &changed), 0);
	assert_int_equal(changed, 4);
	free(many);
	for (int i = 0; i < 4; i++)
		assert_int_equal(status_of(ids[i]), COMMENT_REJECTED);
	assert_int_equal(db_in_transaction(testdb()), 0);
}

static void bulk_is_one_transaction(void **state)
{
	(void)state;
	int64_t a = testdb_article(testdb_category("tin"), "Bài", "x", 2, T0);
	int64_t ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = add_comment(a, "K", COMMENT_PENDING);
	/* The third change fails inside the database: the first two must not stay. */
	char sql[256];
	snprintf(sql, sizeof sql,
		 "CREATE TRIGGER refuse_one BEFORE UPDATE ON comments WHEN OLD.id = %lld "
		 "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
		 "CREATE TRIGGER refuse_delete BEFORE DELETE ON comments WHEN OLD.id = %lld "
		 "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
		 (long long)ids[2], (long long)ids[2]);
	exec(sql);
	size_t changed = 99;
	assert_int_equal(comment_set_status_many(testdb(), ids, 3, COMMENT_APPROVED, &changed), -1);
	assert_int_equal(changed, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(status_of(ids[i]), COMMENT_PENDING);
	assert_int_equal(comment_delete_many(testdb(), ids, 3, &changed), -1);
	assert_int_equal(testdb_int("SELECT count(*) FROM comments"), 3);
	assert_int_equal(db_in_transaction(testdb()), 0);
	/* Inside a caller's transaction, a failure rolls back only its own part. */
	assert_int_equal(db_begin(testdb()), 0);
	int64_t first = ids[0];
	assert_int_equal(comment_set_status_many(testdb(), &first, 1, COMMENT_SPAM, &changed), 0);
	assert_int_equal(comment_set_status_many(testdb(), ids, 3, COMMENT_APPROVED, &changed), -1);
	assert_int_equal(db_in_transaction(testdb()), 1);
	assert_int_equal(db_commit(testdb()), 0);
	assert_int_equal(status_of(ids[0]), COMMENT_SPAM);
	assert_int_equal(status_of(ids[1]), COMMENT_PENDING);
	/* Without the failing one, the delete goes through. */
	assert_int_equal(comment_delete_many(testdb(), ids, 2, &changed), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(status_of(ids[0]), -1);
	assert_int_equal(status_of(ids[1]), -1);
	assert_int_equal(comment_delete_many(testdb(), ids, 2, &changed), 0);
	assert_int_equal(changed, 0);
}

/* ---- visits ------------------------------------------------------------------- */

static void put_day(const char *day, int64_t visits, int64_t views)
{
	db_stmt *st = db_prepare(testdb(), "INSERT INTO visits_daily (day, visits, views) VALUES (?, ?, ?)");
	assert_non_null(st);
	db_bind_text(st, 1, day, -1);
	db_bind_int64(st, 2, visits);
	db_bind_int64(st, 3, views);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
}

static void series_fills_missing_days(void **state)
{
	(void)state;
	put_day("2021-01-18", 5, 9);    /* today in Vietnam at T0 */
	put_day("2021-01-16", 2, 3);
	put_day("2020-12-20", 1, 1);    /* 29 days before: the first of 30 */
	put_day("2020-12-19", 100, 100); /* 30 days before: outside */
	put_day("2021-01-19", 70, 70);  /* tomorrow: outside */
	stats_day days[30];
	assert_int_equal(stats_daily(testdb(), T0, VN, 30, days), 0);
	assert_string_equal(days[29].day, "2021-01-18");
	assert_int_equal(days[29].visits, 5);
	assert_int_equal(days[29].views, 9);
	assert_string_equal(days[28].day, "2021-01-17");
	assert_int_equal(days[28].visits, 0);
	assert_int_equal(days[28].views, 0);
	assert_string_equal(days[27].day, "2021-01-16");
	assert_int_equal(days[27].visits, 2);
	assert_string_equal(days[0].day, "2020-12-20");
	assert_int_equal(days[0].visits, 1);
	int64_t sum = 0;
	for (int i = 0; i < 30; i++)
		sum += days[i].visits;
	assert_int_equal(sum, 8);
	/* In UTC, T0 is still the 17th: the window moves with the offset. */
	assert_int_equal(stats_daily(testdb(), T0, 0, 30, days), 0);
	assert_string_equal(days[29].day, "2021-01-17");
	assert_int_equal(days[29].visits, 0);
	assert_int_equal(days[28].visits, 2);
	assert_string_equal(days[0].day, "2020-12-19");
	assert_int_equal(days[0].visits, 100);
	/* One day. */
	assert_int_equal(stats_daily(testdb(), T0, VN, 1, days), 0);
	assert_int_equal(days[0].visits, 5);
	/* Refused sizes. */
	assert_int_equal(stats_daily(testdb(), T0, VN, 0, days), -1);
	stats_day *big = calloc(STATS_SERIES_MAX + 1, sizeof(*big));
	assert_non_null(big);
	assert_int_equal(stats_daily(testdb(), T0, VN, STATS_SERIES_MAX + 1, big), -1);
	assert_int_equal(stats_daily(testdb(), T0, VN, STATS_SERIES_MAX, big), 0);
	free(big);
}

static void year_boundary(void **state)
{
	(void)state;
	/* 2021-01-18 minus 364 days is 2020-01-20 (2020 is a leap year). */
	put_day("2020-01-20", 3, 3);
	put_day("2020-01-19", 40, 40);  /* 365 days before: not in the last 365 */
	put_day("2020-02-29", 7, 7);
	stats_day *days = calloc(365, sizeof(*days));
	assert_non_null(days);
	assert_int_equal(stats_daily(testdb(), T0, VN, 365, days), 0);
	assert_string_equal(days[0].day, "2020-01-20");
	assert_int_equal(days[0].visits, 3);
	assert_string_equal(days[364].day, "2021-01-18");
	assert_string_equal(days[40].day, "2020-02-29");
	assert_int_equal(days[40].visits, 7);
	assert_string_equal(days[41].day, "2020-03-01");
	int64_t sum = 0;
	for (int i = 0; i < 365; i++)
		sum += days[i].visits;
	assert_int_equal(sum, 10);
	/* 366 days reach the 19th. */
	stats_day *more = calloc(366, sizeof(*more));
	assert_non_null(more);
	assert_int_equal(stats_daily(testdb(), T0, VN, 366, more), 0);
	assert_int_equal(more[0].visits, 40);
	free(more);
	free(days);
}

static void series_counts_what_is_not_written_yet(void **state)
{
	(void)state;
	put_day("2021-01-18", 5, 5);
	assert_int_equal(stats_init(), 0);
	stats_hit("00112233445566778899aabbccddeeff", 0, T0);
	stats_hit("00112233445566778899aabbccddeeff", 0, T0 + 10);
	stats_hit("ffeeddccbbaa99887766554433221100", 0, T0 - 3600); /* 23:30 on the 17th */
	stats_day days[2];
	assert_int_equal(stats_daily(testdb(), T0 + 20, VN, 2, days), 0);
	assert_int_equal(days[1].visits, 6);
	assert_int_equal(days[1].views, 7);
	assert_int_equal(days[0].visits, 1);
	/* After the flush (which writes local days in the offset the flusher
	 * was started with) the numbers are the same, now from the table. */
	assert_int_equal(stats_start_flusher(VN), 0);
	assert_int_equal(stats_flush(), 0);
	assert_int_equal(testdb_int("SELECT visits FROM visits_daily WHERE day = '2021-01-18'"), 6);
	assert_int_equal(stats_daily(testdb(), T0 + 20, VN, 2, days), 0);
	assert_int_equal(days[1].visits, 6);
	assert_int_equal(days[1].views, 7);
	assert_int_equal(days[0].visits, 1);
	assert_int_equal(stats_stop(), 0);
}

static void most_read_and_article_counts(void **state)
{
	(void)state;
	arena_t *ar = arena_new(4096);
	int64_t cat = testdb_category("tin");
	int64_t a = testdb_article(cat, "Ít", "x", 2, T0);
	int64_t b = testdb_article(cat, "Nhiều", "x", 2, T0);
	int64_t hidden = testdb_article(cat, "Nháp đọc nhiều", "x", 0, T0);
	testdb_article(cat, "Chưa ai đọc", "x", 2, T0);
	testdb_article(cat, "Chờ duyệt", "x", 1, T0);
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE articles SET views = CASE id WHEN %lld THEN 3 WHEN %lld "
				  "THEN 697826 WHEN %lld THEN 999999 ELSE 0 END",
		 (long long)a, (long long)b, (long long)hidden);
	exec(sql);
	stats_article *items;
	size_t n;
	assert_int_equal(stats_top_articles(testdb(), ar, 10, &items, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, b);
	assert_string_equal(items[0].title, "Nhiều");
	assert_int_equal(items[0].views, 697826);
	assert_string_equal(items[0].category_slug, "tin");
	assert_int_equal(items[1].id, a);
	assert_int_equal(stats_top_articles(testdb(), ar, 1, &items, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(stats_top_articles(testdb(), ar, 0, &items, &n), -1);
	assert_int_equal(stats_top_articles(testdb(), ar, STATS_TOP_MAX + 1, &items, &n), -1);
	int64_t counts[4];
	assert_int_equal(stats_article_counts(testdb(), counts), 0);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 1);
	assert_int_equal(counts[2], 3);
	assert_int_equal(counts[3], 0);
	arena_free(ar);
}

/* ---- ratings ------------------------------------------------------------------- */

static void vote(int64_t article_id, int n, int stars)
{
	for (int i = 0; i < n; i++) {
		char visitor[33];
		static int serial;
		snprintf(visitor, sizeof visitor, "%032x", ++serial);
		assert_int_equal(rating_add(testdb(), article_id, visitor, stars), RATING_OK);
	}
}

static void ratings_overview(void **state)
{
	(void)state;
	arena_t *ar = arena_new(4096);
	int64_t count, dist[RATING_MAX];
	double avg;
	assert_int_equal(rating_overall(testdb(), &count, &avg), 0);
	assert_int_equal(count, 0);
	assert_true(avg == 0.0);
	assert_int_equal(rating_distribution(testdb(), dist), 0);
	for (int i = 0; i < RATING_MAX; i++)
		assert_int_equal(dist[i], 0);
	int64_t cat = testdb_category("tin");
	int64_t a = testdb_article(cat, "Nhiều phiếu", "x", 2, T0);
	int64_t b = testdb_article(cat, "Điểm cao", "x", 2, T0);
	int64_t c = testdb_article(cat, "Một phiếu", "x", 2, T0);
	vote(a, 3, 4);
	vote(a, 1, 2);   /* a: 4 votes, mean 3.5 */
	vote(b, 2, 5);   /* b: 2 votes, mean 5 */
	vote(c, 1, 5);   /* c: 1 vote, mean 5 */
	assert_int_equal(rating_overall(testdb(), &count, &avg), 0);
	assert_int_equal(count, 7);
	assert_true(avg > 4.142 && avg < 4.143); /* 29 / 7 */
	assert_int_equal(rating_distribution(testdb(), dist), 0);
	assert_int_equal(dist[0], 0);
	assert_int_equal(dist[1], 1);
	assert_int_equal(dist[2], 0);
	assert_int_equal(dist[3], 3);
	assert_int_equal(dist[4], 3);
	rating_entry *items;
	size_t n;
	assert_int_equal(rating_list(testdb(), ar, RATING_ORDER_MOST, 1, 10, &items, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].article_id, a);
	assert_int_equal(items[0].count, 4);
	assert_true(items[0].average == 3.5);
	assert_string_equal(items[0].title, "Nhiều phiếu");
	assert_int_equal(items[1].article_id, b);   /* 2 votes */
	assert_int_equal(items[2].article_id, c);
	assert_int_equal(rating_list(testdb(), ar, RATING_ORDER_BEST, 1, 10, &items, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].article_id, b);   /* 5.0 with more votes first */
	assert_int_equal(items[1].article_id, c);
	assert_int_equal(items[2].article_id, a);
	assert_int_equal(rating_list(testdb(), ar, RATING_ORDER_BEST, 2, 10, &items, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].article_id, b);
	assert_int_equal(items[1].article_id, a);
	assert_int_equal(rating_list(testdb(), ar, RATING_ORDER_BEST, 1, 0, &items, &n), -1);
	assert_int_equal(rating_list(testdb(), ar, (enum rating_order)5, 1, 10, &items, &n), -1);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		widgets_case(counts_by_status),
		widgets_case(queue_listing_with_articles),
		widgets_case(bulk_status_changes),
		widgets_case(bulk_is_one_transaction),
		widgets_case(series_fills_missing_days),
		widgets_case(year_boundary),
		widgets_case(series_counts_what_is_not_written_yet),
		widgets_case(most_read_and_article_counts),
		widgets_case(ratings_overview),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
