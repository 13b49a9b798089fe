/*
 * test_stats.c - visits, views, online, daily totals, exactness under
 * threads, and nothing lost by flushes or stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/stats.h"
#include "widgets_test.h"

#define VA "00112233445566778899aabbccddeeff"
#define VB "ffeeddccbbaa99887766554433221100"
#define T0 1610904600 /* 2021-01-17T17:30:00Z, 00:30 on the 18th in Vietnam */

static int64_t article(void)
{
	int64_t cat = testdb_category("tin");
	return testdb_article(cat, "Bài", "", 2, T0 - 86400);
}

static int64_t day_value(const char *day, const char *column)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT coalesce((SELECT %s FROM visits_daily WHERE day = '%s'), -1)",
		 column, day);
	return testdb_int(sql);
}

static void visits_views_online(void **state)
{
	(void)state;
	int64_t total, online;
	assert_int_equal(stats_init(), 0);
	stats_hit(VA, 0, T0);
	stats_hit(VA, 0, T0 + 60);                        /* same visit */
	stats_hit(VB, 0, T0);
	assert_int_equal(stats_totals_at(T0 + 61, &total, &online), 0);
	assert_int_equal(total, 2);
	assert_int_equal(online, 2);
	assert_int_equal(stats_totals_at(T0 + 301, &total, &online), 0);
	assert_int_equal(online, 1);                       /* B left 301 s ago */
	assert_int_equal(stats_totals_at(T0 + 60 + 300, &total, &online), 0);
	assert_int_equal(online, 0);
	stats_hit(VA, 0, T0 + 60 + 1799);                  /* 29:59 away: same visit */
	stats_hit(VA, 0, T0 + 60 + 1799 + 1800);           /* 30:00 away: a new visit */
	stats_hit("not an id, hashed", 0, T0);             /* any string is a visitor */
	stats_hit(NULL, 0, T0);                            /* a view, no visit */
	stats_hit("", 0, T0);
	assert_int_equal(stats_totals_at(T0 + 4000, &total, &online), 0);
	assert_int_equal(total, 4);
	assert_int_equal(stats_tracked_visitors(), 3);
	assert_int_equal(stats_stop(), 0);
	assert_int_equal(testdb_int("SELECT sum(visits) FROM visits_daily"), 4);
	assert_int_equal(testdb_int("SELECT sum(views) FROM visits_daily"), 8);
}

static void days_in_local_time(void **state)
{
	(void)state;
	assert_int_equal(stats_init(), 0);
	assert_int_equal(stats_start_flusher(7 * 3600), 0);
	stats_hit(VA, 0, T0);              /* 2021-01-18 00:30 +07 */
	stats_hit(VB, 0, T0 - 3600);       /* 2021-01-17 23:30 +07 */
	stats_hit(VB, 0, T0 - 3599);
	assert_int_equal(stats_flush(), 0);
	assert_int_equal(day_value("2021-01-18", "views"), 1);
	assert_int_equal(day_value("2021-01-18", "visits"), 1);
	assert_int_equal(day_value("2021-01-17", "views"), 2);
	assert_int_equal(day_value("2021-01-17", "visits"), 1);
	assert_int_equal(stats_stop(), 0);
	/* UTC: both on the 17th. */
	assert_int_equal(stats_init(), 0);
	assert_int_equal(stats_start_flusher(0), 0);
	stats_hit(VA, 0, T0);
	assert_int_equal(stats_stop(), 0);
	assert_int_equal(day_value("2021-01-17", "views"), 3);
}

static void article_views_and_flush(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t a = article(), b = article();
	int64_t total, online;
	assert_int_equal(stats_init(), 0);
	for (int i = 0; i < 5; i++)
		stats_hit(VA, a, T0 + i);
	stats_hit(VB, b, T0);
	assert_int_equal(stats_article_views(db, a), 5);
	assert_int_equal(stats_article_views(db, b), 1);
	assert_int_equal(testdb_int("SELECT sum(views) FROM articles"), 0);
	assert_int_equal(stats_flush(), 0);
	assert_int_equal(testdb_int("SELECT views FROM articles WHERE id = 1"), 5);
	assert_int_equal(stats_article_views(db, a), 5);
	stats_hit(VA, a, T0 + 10);
	assert_int_equal(stats_article_views(db, a), 6);
	assert_int_equal(stats_totals_at(T0 + 10, &total, &online), 0);
	assert_int_equal(total, 2);
	assert_int_equal(stats_article_views(db, 4242), -1);
	assert_int_equal(stats_flush(), 0);
	assert_int_equal(stats_flush(), 0); /* nothing to do */
	assert_int_equal(stats_stop(), 0);
	assert_int_equal(testdb_int("SELECT views FROM articles WHERE id = 1"), 6);
	/* Without stats running, the stored number is the answer. */
	assert_int_equal(stats_article_views(db, a), 6);
}

static void restart_keeps_the_total(void **state)
{
	(void)state;
	int64_t total, online;
	assert_int_equal(db_exec(testdb(), "INSERT INTO visits_daily VALUES ('2020-12-31', 697000, 900000)"), 0);
	assert_int_equal(stats_init(), 0);
	stats_hit(VA, 0, T0);
	stats_hit(VB, 0, T0);
	assert_int_equal(stats_totals_at(T0, &total, &online), 0);
	assert_int_equal(total, 697002);
	assert_int_equal(stats_stop(), 0);
	assert_int_equal(stats_stop(), 0); /* twice is fine */
	assert_int_equal(stats_totals_at(T0, &total, &online), -1);
	stats_hit(VA, 0, T0);              /* ignored when stopped */
	assert_int_equal(stats_init(), 0);
	assert_int_equal(stats_init(), -1);
	assert_int_equal(stats_totals_at(T0, &total, &online), 0);
	assert_int_equal(total, 697002);
	assert_int_equal(online, 0);       /* memory of visitors starts afresh */
	assert_int_equal(stats_stop(), 0);
}

/* ---- threads ---------------------------------------------------------------- */

#define THREADS 8
#define HITS 10000
#define VISITORS_PER_THREAD 50

struct worker {
	int index;
	int64_t articles[3];
	int64_t now;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char visitor[33];
	for (int i = 0; i < HITS; i++) {
		snprintf(visitor, sizeof visitor, "%016x%016x", (unsigned)w->index + 1,
			 (unsigned)(i % VISITORS_PER_THREAD));
		stats_hit(visitor, w->articles[i % 3], w->now);
	}
	return NULL;
}

static void exact_under_threads(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t ids[3] = {article(), article(), article()};
	int64_t now = (int64_t)time(NULL);
	pthread_t threads[THREADS];
	struct worker workers[THREADS];
	assert_int_equal(stats_init(), 0);
	/* The flusher writes while the workers count and we read. */
	assert_int_equal(stats_start_flusher(7 * 3600), 0);
	for (int t = 0; t < THREADS; t++) {
		workers[t] = (struct worker){t, {ids[0], ids[1], ids[2]}, now};
		assert_int_equal(pthread_create(&threads[t], NULL, worker_main, &workers[t]), 0);
	}
	/* Readers never see a count go back or exceed what was sent. */
	int64_t last = 0;
	for (int i = 0; i < 200; i++) {
		int64_t v = stats_article_views(db, ids[0]) + stats_article_views(db, ids[1]) +
			    stats_article_views(db, ids[2]);
		assert_true(v >= last);
		assert_true(v <= THREADS * HITS);
		last = v;
		usleep(2000);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(threads[t], NULL);
	int64_t sum = 0;
	for (int k = 0; k < 3; k++)
		sum += stats_article_views(db, ids[k]);
	assert_int_equal(sum, THREADS * HITS);
	int64_t total, online;
	assert_int_equal(stats_totals_at(now, &total, &online), 0);
	assert_int_equal(total, THREADS * VISITORS_PER_THREAD);
	assert_int_equal(online, THREADS * VISITORS_PER_THREAD);
	usleep(1500 * 1000); /* let the flusher take part */
	assert_int_equal(stats_stop(), 0);
	assert_int_equal(testdb_int("SELECT sum(views) FROM articles"), THREADS * HITS);
	assert_int_equal(testdb_int("SELECT sum(views) FROM visits_daily"), THREADS * HITS);
	assert_int_equal(testdb_int("SELECT sum(visits) FROM visits_daily"),
			 THREADS * VISITORS_PER_THREAD);
}

static void flusher_writes_every_second(void **state)
{
	(void)state;
	assert_int_equal(stats_init(), 0);
	assert_int_equal(stats_start_flusher(0), 0);
	stats_hit(VA, 0, (int64_t)time(NULL));
	int64_t seen = 0;
	for (int i = 0; i < 40 && seen == 0; i++) {
		usleep(100 * 1000);
		seen = testdb_int("SELECT coalesce(sum(views), 0) FROM visits_daily");
	}
	/* Written by the thread, without stats_flush() or stats_stop(). */
	assert_int_equal(seen, 1);
	assert_int_equal(stats_stop(), 0);
	assert_int_equal(testdb_int("SELECT sum(views) FROM visits_daily"), 1);
}

static void memory_is_bounded(void **state)
{
	(void)state;
	char visitor[40];
	int64_t total, online;
	assert_int_equal(stats_init(), 0);
	stats_hit("the first", 0, T0);
	for (int i = 0; i < 150000; i++) {
		snprintf(visitor, sizeof visitor, "visitor %d", i);
		stats_hit(visitor, 0, T0 + 1);
	}
	assert_true(stats_tracked_visitors() <= STATS_VISITORS_MAX);
	assert_true(stats_tracked_visitors() >= STATS_VISITORS_MAX - STATS_SHARDS);
	assert_int_equal(stats_totals_at(T0 + 2, &total, &online), 0);
	assert_int_equal(total, 150001);
	/* The oldest was forgotten and counts again; a recent one does not. */
	stats_hit("the first", 0, T0 + 2);
	stats_hit("visitor 149999", 0, T0 + 2);
	assert_int_equal(stats_totals_at(T0 + 3, &total, &online), 0);
	assert_int_equal(total, 150002);
	assert_int_equal(stats_stop(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		widgets_case(visits_views_online),
		widgets_case(days_in_local_time),
		widgets_case(article_views_and_flush),
		widgets_case(restart_keeps_the_total),
		widgets_case(exact_under_threads),
		widgets_case(flusher_writes_every_second),
		widgets_case(memory_is_bounded),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
