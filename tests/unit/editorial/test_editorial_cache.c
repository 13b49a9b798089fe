/*
 * test_editorial_cache.c - the public page cache and scheduled articles: a
 * page kept before a scheduled article's time must not be served after it,
 * although no write happens at that moment (src/portal/cache.c asks
 * article_next_scheduled). The copies are checked well inside the cache's
 * one-second lifetime, so only the schedule can end them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../testdb.h"
#include "core/buf.h"
#include "db/db.h"
#include "model/article.h"
#include "model/category.h"
#include "model/user.h"
#include "portal/cache.h"

typedef struct {
	TESTDB_FIXTURE;
	int64_t cat;
} fixture;

static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	if (f == NULL || category_ensure(f->db, "Tin tức", &f->cat) != 0)
		return -1;
	page_cache_clear();
	return 0;
}

static int teardown(void **state)
{
	page_cache_clear();
	return testdb_fixture_teardown(state);
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d;
	while ((d = t - wall()) > 0) {
		struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
		nanosleep(&ts, NULL);
	}
}

static bool cached(const char *key)
{
	buf_t b = BUF_INIT;
	bool hit = page_cache_get(key, &b);
	if (hit)
		assert_memory_equal(b.data, "<p>trang</p>", 12);
	buf_free(&b);
	return hit;
}

static int64_t scheduled_article(fixture *f, int64_t at)
{
	article_input in = {.title = "Hẹn giờ", .body_md = "x", .category_id = f->cat,
			    .status = ARTICLE_DRAFT};
	int64_t id;
	assert_int_equal(article_create(f->db, &in, &id), 0);
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, 1, ARTICLE_PUBLISH, at,
					    (int64_t)time(NULL), NULL), 0);
	return id;
}

/* Without a scheduled article a copy lives its second. */
static void test_copy_lives_without_schedule(void **state)
{
	(void)state;
	double t0 = wall();
	page_cache_put("/", "<p>trang</p>", 12);
	assert_true(cached("/"));
	sleep_until(t0 + 0.5);
	assert_true(cached("/"));
}

static void test_copy_ends_at_scheduled_time(void **state)
{
	fixture *f = *state;
	/* A time 2 s ahead, and a copy made 0.4 s before it. */
	int64_t at = (int64_t)time(NULL) + 2;
	scheduled_article(f, at);
	sleep_until((double)at - 0.4);
	page_cache_put("/", "<p>trang</p>", 12);
	assert_true(cached("/"));
	http_shared *sh = page_cache_get_shared("/");
	assert_null(sh);       /* none attached yet */
	/* Past the time, 0.45 s after the copy: it must go. */
	sleep_until((double)at + 0.05);
	assert_false(cached("/"));
	/* For a moment after the time no copy is kept: a page rendered just
	 * before it may be stored just after it (cache.c, SCHEDULE_MARGIN_S). */
	page_cache_put("/", "<p>trang</p>", 12);
	assert_false(cached("/"));
	/* Then copies live their second again (nothing else is scheduled). */
	sleep_until((double)at + 2.05);
	page_cache_put("/", "<p>trang</p>", 12);
	assert_true(cached("/"));
}

static void test_copy_kept_before_scheduled_time(void **state)
{
	fixture *f = *state;
	int64_t at = (int64_t)time(NULL) + 30;
	scheduled_article(f, at);
	double t0 = wall();
	page_cache_put("/", "<p>trang</p>", 12);
	sleep_until(t0 + 0.3);
	assert_true(cached("/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_lives_without_schedule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_ends_at_scheduled_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_kept_before_scheduled_time, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
