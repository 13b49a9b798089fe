/*
 * test_related.c - term index, ordering, ties, fallback, pins and exclusions,
 * cache refresh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/related.h"
#include "widgets_test.h"

static int64_t now;

static int64_t art(int64_t cat, const char *title, const char *body, int status, int64_t age)
{
	int64_t id = testdb_article(cat, title, body, status, now - age);
	assert_int_equal(related_index_article(testdb(), id), 0);
	return id;
}

/* The ids of the list, for compact assertions. */
static size_t list_ids(int64_t id, int limit, int64_t *out)
{
	arena_t *a = arena_new(4096);
	article *items;
	size_t n;
	assert_int_equal(related_list(testdb(), a, id, limit, &items, &n), 0);
	for (size_t i = 0; i < n; i++) {
		out[i] = items[i].id;
		assert_non_null(items[i].title);
		assert_non_null(items[i].slug);
		assert_non_null(items[i].category_slug);
	}
	arena_free(a);
	return n;
}

static void expect_list(int64_t id, int limit, const int64_t *want, size_t nwant)
{
	int64_t got[RELATED_LIMIT_MAX];
	size_t n = list_ids(id, limit, got);
	if (n != nwant || memcmp(got, want, n * sizeof(*got)) != 0) {
		char text[400] = "";
		size_t o = 0;
		for (size_t i = 0; i < n && o < sizeof text - 24; i++)
			o += (size_t)snprintf(text + o, sizeof text - o, " %lld", (long long)got[i]);
		fail_msg("related list of %lld is [%s ]", (long long)id, text);
	}
}

typedef struct {
	int64_t a, b, c, d, e, f, g, h;
} fixture;

static fixture make_fixture(void)
{
	fixture x;
	int64_t cat1 = testdb_category("tin-hoat-dong");
	int64_t cat2 = testdb_category("su-kien");
	int64_t cat3 = testdb_category("khac");
	x.a = testdb_article(cat1, "Hội nghị triển khai nhiệm vụ bảo tàng Điện Biên Phủ",
			     "Hội nghị của **Bảo tàng** Chiến thắng lịch sử Điện Biên Phủ.", 2, now - 1000);
	testdb_tag(x.a, "dien-bien");
	x.b = testdb_article(cat2, "Bảo tàng Điện Biên Phủ đón khách", "Khách tham quan.", 2, now - 5000);
	testdb_tag(x.b, "dien-bien");
	x.c = testdb_article(cat1, "Giải bóng chuyền thiếu niên", "Thể thao.", 2, now - 4000);
	x.d = testdb_article(cat3, "Tuyển sinh lớp múa", "Năng khiếu.", 2, now - 100);
	x.e = testdb_article(cat1, "Điện Biên Phủ hôm nay", "Bảo tàng Điện Biên Phủ.", 2, now - 3000);
	x.f = testdb_article(cat3, "Trực ban ngày Tết", "Phân công.", 2, now - 90000);
	x.g = testdb_article(cat1, "Bảo tàng Điện Biên Phủ nháp", "Điện Biên Phủ.", 0, now - 10);
	x.h = testdb_article(cat1, "Bảo tàng Điện Biên Phủ sắp đăng", "Điện Biên Phủ.", 2, now + 3600);
	int indexed = 0;
	assert_int_equal(related_index_missing(testdb(), 100, &indexed), 0);
	assert_int_equal(indexed, 8);
	return x;
}

static void ordering(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	fixture x = make_fixture();
	/* B shares the tag and most title words (score 92); E fewer words but
	 * the category (68); C only the category (4); D and F nothing, D is
	 * newer; G is a draft and H not yet public. */
	int64_t want[] = {x.b, x.e, x.c, x.d, x.f};
	expect_list(x.a, 5, want, 5);
	int64_t want3[] = {x.b, x.e, x.c};
	expect_list(x.a, 3, want3, 3);
	/* limit <= 0 means the default of 5; more than exist gives all there are */
	expect_list(x.a, 0, want, 5);
	expect_list(x.a, 20, want, 5);
}

static void pins_and_exclusions(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	fixture x = make_fixture();
	db_t *db = testdb();
	assert_int_equal(related_pin(db, x.a, x.f), 0);
	assert_int_equal(related_pin(db, x.a, x.d), 0);
	assert_int_equal(related_exclude(db, x.a, x.e), 0);
	int64_t want[] = {x.f, x.d, x.b, x.c};
	expect_list(x.a, 5, want, 4);
	/* Pinning again keeps the order; pinning a draft shows nothing yet. */
	assert_int_equal(related_pin(db, x.a, x.f), 0);
	assert_int_equal(related_pin(db, x.a, x.g), 0);
	expect_list(x.a, 5, want, 4);
	/* Excluding a pinned article unpins it. */
	assert_int_equal(related_exclude(db, x.a, x.d), 0);
	int64_t want2[] = {x.f, x.b, x.c};
	expect_list(x.a, 5, want2, 3);
	/* Only one direction is affected. */
	int64_t got[RELATED_LIMIT_MAX];
	size_t n = list_ids(x.e, 10, got);
	bool has_a = false;
	for (size_t i = 0; i < n; i++)
		has_a |= got[i] == x.a;
	assert_true(has_a);

	assert_int_equal(related_pin(db, x.a, x.a), 1);
	assert_int_equal(related_pin(db, x.a, 99999), 1);
	assert_int_equal(related_exclude(db, 99999, x.a), 1);
	assert_int_equal(related_clear(db, x.a, x.e), 0);
	assert_int_equal(related_clear(db, x.a, x.e), 1);
	int64_t want3[] = {x.f, x.b, x.e, x.c};
	expect_list(x.a, 4, want3, 4);
	assert_int_equal(related_clear(db, x.a, 0), 0);
	int64_t want4[] = {x.b, x.e, x.c, x.d, x.f};
	expect_list(x.a, 5, want4, 5);
	assert_int_equal(related_clear(db, x.a, 0), 1);
}

static void pin_limit(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	db_t *db = testdb();
	int64_t cat = testdb_category("tin");
	int64_t target = art(cat, "Bài chính", "", 2, 10);
	int64_t others[RELATED_PINS_MAX + 1];
	for (int i = 0; i <= RELATED_PINS_MAX; i++) {
		char title[40];
		snprintf(title, sizeof title, "Bài số %d", i);
		others[i] = art(cat, title, "", 2, 100 + i);
	}
	for (int i = 0; i < RELATED_PINS_MAX; i++)
		assert_int_equal(related_pin(db, target, others[i]), 0);
	assert_int_equal(related_pin(db, target, others[RELATED_PINS_MAX]), 2);
	/* Pins come in the order they were made, before anything else. */
	int64_t got[RELATED_LIMIT_MAX];
	size_t n = list_ids(target, RELATED_LIMIT_MAX, got);
	assert_int_equal(n, RELATED_PINS_MAX + 1);
	for (int i = 0; i < RELATED_PINS_MAX; i++)
		assert_int_equal(got[i], others[i]);
	assert_int_equal(got[RELATED_PINS_MAX], others[RELATED_PINS_MAX]);
}

static void newer_breaks_ties(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	int64_t cat = testdb_category("tin"), other = testdb_category("khac");
	int64_t target = art(cat, "Triển lãm ảnh", "", 2, 50);
	int64_t old = art(cat, "Giải cờ tướng", "", 2, 5000);
	int64_t newer = art(cat, "Hội diễn múa", "", 2, 4000);
	int64_t newest_elsewhere = art(other, "Lịch nghỉ lễ", "", 2, 10);
	/* Same score (category only): the newer first; then the fallback. */
	int64_t want[] = {newer, old, newest_elsewhere};
	expect_list(target, 5, want, 3);
	/* Equal scores from words too. */
	int64_t x1 = art(other, "Triển lãm tranh", "", 2, 7000);
	int64_t x2 = art(other, "Triển lãm gốm", "", 2, 6000);
	int64_t want2[] = {x2, x1, newer, old, newest_elsewhere};
	expect_list(target, 5, want2, 5);
}

static void never_empty_never_itself(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	db_t *db = testdb();
	arena_t *a = arena_new(1024);
	article *items;
	size_t n = 9;
	int64_t c1 = testdb_category("mot"), c2 = testdb_category("hai");
	int64_t alone = art(c1, "Xyz", "", 2, 10);
	assert_int_equal(related_list(db, a, alone, 5, &items, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(related_list(db, a, 4242, 5, &items, &n), 1);
	/* Nothing in common with anything: the newest others, newest first. */
	int64_t p = art(c2, "Qwe", "", 2, 300);
	int64_t q = art(c2, "Rty", "", 2, 200);
	art(c2, "Uio", "", 0, 100); /* draft */
	int64_t want[] = {q, p};
	expect_list(alone, 5, want, 2);
	/* An unpublished article still gets a list (preview), without itself. */
	int64_t draft = art(c1, "Nháp", "", 0, 1);
	int64_t want2[] = {alone, q, p};
	expect_list(draft, 5, want2, 3);
	arena_free(a);
}

static void terms(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	int64_t cat = testdb_category("tin");
	int64_t id = art(cat, "Bảo tàng Điện Biên Phủ",
			 "Hội nghị của bảo tàng và [liên kết](https://www.example.com/anh.jpg). "
			 "Năm 2021, 135 hiện vật.", 2, 10);
	(void)id;
	assert_int_equal(testdb_int("SELECT weight FROM related_words WHERE word = 'dien bien'"), 4);
	assert_int_equal(testdb_int("SELECT weight FROM related_words WHERE word = 'bao tang'"), 4);
	assert_int_equal(testdb_int("SELECT weight FROM related_words WHERE word = 'dien'"), 2);
	assert_int_equal(testdb_int("SELECT weight FROM related_words WHERE word = 'hoi nghi'"), 2);
	assert_int_equal(testdb_int("SELECT weight FROM related_words WHERE word = 'hien vat'"), 2);
	assert_int_equal(testdb_int("SELECT weight FROM related_words WHERE word = 'nghi'"), 1);
	assert_int_equal(testdb_int("SELECT count(*) FROM related_words WHERE word = '2021'"), 1);
	/* Stop words, short numbers, URL pieces, and phrases across them: none. */
	const char *absent[] = {"cua", "va", "135", "https", "www", "com", "jpg", "nghi cua",
				"tang va", "lien ket https", "ket https"};
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM related_words WHERE word = '%s'", absent[i]);
		if (testdb_int(sql) != 0)
			fail_msg("indexed: %s", absent[i]);
	}
	/* Term counts follow the index, also when rows go by cascade. */
	assert_int_equal(testdb_int("SELECT df FROM related_terms WHERE word = 'dien bien'"), 1);
	art(cat, "Điện Biên", "", 2, 20);
	assert_int_equal(testdb_int("SELECT df FROM related_terms WHERE word = 'dien bien'"), 2);
	assert_int_equal(db_exec(testdb(), "DELETE FROM articles WHERE title = 'Điện Biên'"), 0);
	assert_int_equal(testdb_int("SELECT df FROM related_terms WHERE word = 'dien bien'"), 1);
	/* Re-indexing replaces, never adds. */
	int64_t before = testdb_int("SELECT count(*) FROM related_words");
	assert_int_equal(related_index_article(testdb(), id), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM related_words"), before);
	assert_int_equal(related_index_article(testdb(), 4242), 1);

	/* Long words next to each other, other scripts, a body of the largest
	 * size: indexed within the limits, at most RELATED_TERMS_MAX terms. */
	static char body[512 * 1024];
	size_t o = 0;
	const char *pieces[] = {"abcdefghijklmnopqrstuvwxyzabcde ", "abcdefghijklmnopqrstuvwxyzabcdef ",
				"北京欢迎你 ", "Ελληνικά κείμενα ", "— “trích dẫn” … ", "từ%u "};
	for (unsigned i = 0; o + 64 < sizeof body; i++) {
		const char *piece = pieces[i % 6];
		o += (size_t)snprintf(body + o, sizeof body - o, piece, i);
	}
	int64_t big = testdb_article(cat, "Bài rất dài", body, 2, now - 5);
	assert_int_equal(related_index_article(testdb(), big), 0);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM related_words WHERE article_id = %lld", (long long)big);
	assert_int_equal(testdb_int(sql), RELATED_TERMS_MAX);
	snprintf(sql, sizeof sql, "SELECT max(length(CAST(word AS BLOB))) FROM related_words "
		 "WHERE article_id = %lld", (long long)big);
	assert_true(testdb_int(sql) <= 63);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM related_words WHERE article_id = %lld "
		 "AND word GLOB '*abcdefghijklmnopqrstuvwxyzabcdef*'", (long long)big);
	assert_int_equal(testdb_int(sql), 0);
}

static int computations;

static void count_computations(const char *sql, void *arg)
{
	(void)arg;
	if (strncmp(sql, "WITH cand", 9) == 0)
		computations++;
}

static void cached_until_articles_change(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	fixture x = make_fixture();
	db_t *db = testdb();
	int64_t want[] = {x.b, x.e, x.c, x.d, x.f};
	computations = 0;
	db_set_trace(db, count_computations, NULL);
	expect_list(x.a, 5, want, 5);
	assert_int_equal(computations, 1);
	expect_list(x.a, 5, want, 5);
	expect_list(x.a, 5, want, 5);
	assert_int_equal(computations, 1);
	/* A new article on the same subject: the next read recomputes. */
	int64_t cat2 = testdb_category("su-kien");
	int64_t n = art(cat2, "Hội nghị triển khai nhiệm vụ bảo tàng Điện Biên Phủ năm mới",
			"Bảo tàng Chiến thắng lịch sử Điện Biên Phủ.", 2, 1);
	testdb_tag(n, "dien-bien");
	assert_int_equal(related_index_article(db, n), 0);
	int64_t want2[] = {n, x.b, x.e, x.c, x.d};
	expect_list(x.a, 5, want2, 5);
	assert_int_equal(computations, 2);
	/* Unpublishing is seen at once, even from the cache. */
	char sql[100];
	snprintf(sql, sizeof sql, "UPDATE articles SET status = 3 WHERE id = %lld", (long long)n);
	assert_int_equal(db_exec(db, sql), 0);
	int64_t want3[] = {x.b, x.e, x.c, x.d, x.f};
	expect_list(x.a, 5, want3, 5);
	assert_int_equal(computations, 2);
	db_set_trace(db, NULL, NULL);
}

static void lazy_index(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	int64_t cat = testdb_category("tin"), other = testdb_category("khac");
	/* Written without indexing (an older database or another tool). */
	int64_t a = testdb_article(cat, "Điện Biên Phủ", "", 2, now - 10);
	int64_t b = testdb_article(other, "Điện Biên Phủ xưa", "", 2, now - 500);
	int64_t c = testdb_article(other, "Khác hẳn", "", 2, now - 100);
	assert_int_equal(related_index_article(testdb(), b), 0);
	int64_t want[] = {b, c};
	expect_list(a, 5, want, 2);
	assert_int_equal(testdb_int("SELECT count(*) FROM related_state"), 2);
}

/* Many articles sharing the site's common words: the common terms are
 * skipped, and a cached read walks no table and sorts nothing. */
static void bounded_work(void **state)
{
	(void)state;
	now = (int64_t)time(NULL);
	db_t *db = testdb();
	int64_t cat = testdb_category("tin"), other = testdb_category("khac");
	assert_int_equal(db_begin(db), 0);
	int64_t first = 0, twin = 0;
	for (int i = 0; i < 1200; i++) {
		char title[120];
		snprintf(title, sizeof title, "Bảo tàng Điện Biên Phủ tin số %d", i);
		int64_t id = art(i % 2 ? cat : other, title, "Hoạt động của bảo tàng.", 2, 10000 + i);
		if (i == 0)
			first = id;
	}
	twin = art(other, "Chiến dịch Điện Biên Phủ: hồi ức người lính pháo binh", "", 2, 50000);
	int64_t target = art(other, "Hồi ức người lính pháo binh", "", 2, 60000);
	int64_t third = testdb_category("thu-ba");
	int64_t peer = art(third, "Một bài khác hẳn", "", 2, 90000);
	int64_t common = art(third, "Bảo tàng Điện Biên Phủ tin số", "", 2, 5);
	assert_int_equal(db_commit(db), 0);
	/* Every term of `common` is in 1200 articles (more than a quarter), so
	 * none counts: the peer in its category wins over 1200 look-alikes. */
	int64_t top[1];
	assert_int_equal(list_ids(common, 1, top), 1);
	assert_int_equal(top[0], peer);
	(void)first;
	/* "bao tang", "dien bien" ... are in every article: they do not count,
	 * so the article with the rare words comes first. */
	int64_t got[RELATED_LIMIT_MAX];
	size_t n = list_ids(target, 5, got);
	assert_int_equal(n, 5);
	assert_int_equal(got[0], twin);
	db_stats stats;
	db_reset_stats(db);
	n = list_ids(target, 5, got);
	assert_int_equal(n, 5);
	assert_int_equal(got[0], twin);
	db_get_stats(db, &stats);
	assert_int_equal(stats.full_scans, 0);
	assert_int_equal(stats.sorts, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		widgets_case(ordering),
		widgets_case(pins_and_exclusions),
		widgets_case(pin_limit),
		widgets_case(newer_breaks_ties),
		widgets_case(never_empty_never_itself),
		widgets_case(terms),
		widgets_case(cached_until_articles_change),
		widgets_case(lazy_index),
		widgets_case(bounded_work),
	};
	return cmocka_run_group_tests_name("related", tests, NULL, NULL);
}
