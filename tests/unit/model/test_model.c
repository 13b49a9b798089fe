/*
 * test_model.c - articles, categories and links over a real, migrated
 * SQLite database in a temporary folder (one per test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "../support/seed.h"
#include "../testdb.h"
#include "db/db.h"
#include "model/article.h"
#include "model/category.h"
#include "model/link.h"

typedef struct {
	TESTDB_FIXTURE;
	int64_t cat1, cat2;
} fixture;

/* Two categories and the pictures the media module would have stored. */
static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	return f != NULL && seed_newsroom(f->db, &f->cat1, &f->cat2) == 0 ? 0 : -1;
}

static article_input input(int64_t cat, const char *title, int64_t published_at)
{
	article_input in = {0};
	in.title = title;
	in.body_md = "Nội dung **bài viết**.";
	in.category_id = cat;
	in.published_at = published_at;
	in.status = ARTICLE_PUBLISHED;
	return in;
}

static int64_t create(fixture *f, int64_t cat, const char *title, int64_t published_at,
		      int status)
{
	article_input in = input(cat, title, published_at);
	in.status = status;
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), 0);
	assert_true(id > 0);
	return id;
}

/* ---- articles ------------------------------------------------------------------- */

static void test_create_get(void **state)
{
	fixture *f = *state;
	const char *tags[] = {"Điện Biên", "Lịch sử", "  dien bien ", "Lịch sử"};
	article_image images[] = {
	    {"a1b2c3.png", "Quang cảnh hội nghị", 0, 0},
	    {"d4e5f6.jpg", NULL, 0, 0},
	};
	article_input in = input(f->cat1, "  Hội nghị triển khai nhiệm vụ công tác năm 2021 ",
				 1600000000);
	in.body_md = "# Tiêu đề phụ\n\nBảo tàng tỉnh Điện Biên **tổ chức** hội nghị "
		     "[tổng kết](https://example.org).\n\n- một\n- hai\n";
	in.tags = tags;
	in.ntags = 4;
	in.images = images;
	in.nimages = 2;
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), 0);

	article a;
	assert_int_equal(article_get(f->db, f->arena, id, &a), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(a.category_id, f->cat1);
	assert_string_equal(a.category_slug, "tin-hoat-dong");
	assert_string_equal(a.category_name, "Tin hoạt động");
	assert_string_equal(a.title, "Hội nghị triển khai nhiệm vụ công tác năm 2021");
	assert_string_equal(a.slug, "hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021");
	assert_int_equal(a.status, ARTICLE_PUBLISHED);
	assert_int_equal(a.published_at, 1600000000);
	assert_true(a.updated_at >= (int64_t)time(NULL) - 60);
	assert_string_equal(a.body_md, in.body_md);
	assert_non_null(strstr(a.body_html, "<strong>tổ chức</strong>"));
	assert_non_null(strstr(a.body_html, "<li>hai</li>"));
	/* The summary comes from the body as plain text. */
	assert_non_null(strstr(a.summary, "Bảo tàng tỉnh Điện Biên tổ chức hội nghị tổng kết"));
	assert_null(strchr(a.summary, '*'));
	assert_null(strchr(a.summary, '<'));
	/* Tags: deduplicated by slug, first spelling kept, in the writer's order. */
	assert_int_equal(a.ntags, 2);
	assert_string_equal(a.tags[0], "Điện Biên");
	assert_string_equal(a.tags[1], "Lịch sử");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 2);
	/* The thumbnail is the first picture. */
	assert_string_equal(a.image, "a1b2c3.png");
	assert_string_equal(a.image_caption, "Quang cảnh hội nghị");

	article_image *imgs = NULL;
	size_t n = 0;
	assert_int_equal(article_images(f->db, f->arena, id, &imgs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(imgs[0].file, "a1b2c3.png");
	assert_string_equal(imgs[0].caption, "Quang cảnh hội nghị");
	assert_int_equal(imgs[0].width, 800);
	assert_int_equal(imgs[0].height, 600);
	assert_string_equal(imgs[1].file, "d4e5f6.jpg");
	assert_string_equal(imgs[1].caption, "");
	assert_int_equal(imgs[1].width, 1024);

	/* A second article reuses existing tags; a given summary is kept. */
	const char *tags2[] = {"dien-bien"};
	article_input in2 = input(f->cat2, "!!!", 1600000001);
	in2.summary = "Tóm tắt viết tay.";
	in2.tags = tags2;
	in2.ntags = 1;
	int64_t id2 = 0;
	assert_int_equal(article_create(f->db, &in2, &id2), 0);
	assert_int_equal(article_get(f->db, f->arena, id2, &a), 0);
	assert_string_equal(a.summary, "Tóm tắt viết tay.");
	assert_string_equal(a.slug, "bai-viet");   /* a title without letters */
	assert_null(a.image);
	assert_null(a.image_caption);
	assert_int_equal(a.ntags, 1);
	assert_string_equal(a.tags[0], "Điện Biên");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 2);
	assert_int_equal(article_images(f->db, f->arena, id2, &imgs, &n), 0);
	assert_int_equal(n, 0);

	/* Long bodies give a summary of about 300 bytes, cut cleanly. */
	char body[4000];
	size_t o = 0;
	while (o + 30 < sizeof body)
		o += (size_t)snprintf(body + o, sizeof body - o, "Hiện vật được trưng bày. ");
	article_input in3 = input(f->cat1, "Dài", 1600000002);
	in3.body_md = body;
	int64_t id3 = 0;
	assert_int_equal(article_create(f->db, &in3, &id3), 0);
	assert_int_equal(article_get(f->db, f->arena, id3, &a), 0);
	assert_true(strlen(a.summary) > 200);
	assert_true(strlen(a.summary) <= 300 + 3);
}

static void test_hidden_articles(void **state)
{
	fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	int64_t pub = create(f, f->cat1, "Đã đăng", now - 60, ARTICLE_PUBLISHED);
	int64_t draft = create(f, f->cat1, "Bản nháp", now - 60, ARTICLE_DRAFT);
	int64_t review = create(f, f->cat1, "Chờ duyệt", now - 60, ARTICLE_REVIEW);
	int64_t unpub = create(f, f->cat1, "Đã gỡ", now - 60, ARTICLE_UNPUBLISHED);
	int64_t future = create(f, f->cat1, "Hẹn giờ", now + 3600, ARTICLE_PUBLISHED);
	/* Published without a date means now: visible. */
	int64_t undated = create(f, f->cat2, "Không ngày", 0, ARTICLE_PUBLISHED);

	article a;
	assert_int_equal(article_get(f->db, f->arena, pub, &a), 0);
	assert_int_equal(article_get(f->db, f->arena, undated, &a), 0);
	assert_true(a.published_at >= now - 5);
	assert_int_equal(article_get(f->db, f->arena, draft, &a), 1);
	assert_int_equal(article_get(f->db, f->arena, review, &a), 1);
	assert_int_equal(article_get(f->db, f->arena, unpub, &a), 1);
	assert_int_equal(article_get(f->db, f->arena, future, &a), 1);
	assert_int_equal(article_get(f->db, f->arena, 999999, &a), 1);
	assert_int_equal(article_get(f->db, f->arena, 0, &a), 1);
	assert_int_equal(article_get(f->db, f->arena, -5, &a), 1);

	int64_t count = -1;
	assert_int_equal(article_count(f->db, 0, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(article_count(f->db, f->cat1, &count), 0);
	assert_int_equal(count, 1);

	article *items = NULL;
	size_t n = 0;
	bool more = true;
	assert_int_equal(article_list(f->db, f->arena, 0, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	assert_int_equal(items[0].id, undated);
	assert_int_equal(items[1].id, pub);
	/* Even a cursor from the future does not reveal the scheduled article. */
	article_cursor c = {now + 7200, INT64_MAX};
	assert_int_equal(article_list(f->db, f->arena, f->cat1, &c, 10, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, pub);
}

/* Pages through a listing; checks order, no duplicates, no gaps. */
static void walk(fixture *f, int64_t cat, int per_page, const int64_t *expected,
		 size_t nexpected)
{
	article_cursor cur, *after = NULL;
	size_t seen = 0, pages = 0;
	for (;;) {
		article *items = NULL;
		size_t n = 0;
		bool more = false;
		assert_int_equal(
		    article_list(f->db, f->arena, cat, after, per_page, &items, &n, &more), 0);
		pages++;
		assert_true(n <= (size_t)per_page);
		for (size_t i = 0; i < n; i++) {
			assert_true(seen < nexpected);
			if (items[i].id != expected[seen])
				fail_msg("page %zu item %zu: id %lld, expected %lld", pages, i,
					 (long long)items[i].id, (long long)expected[seen]);
			assert_null(items[i].body_html);
			assert_null(items[i].tags);
			seen++;
		}
		if (!more)
			break;
		assert_int_equal(n, (size_t)per_page);
		/* The cursor goes through its text form, as it does in a URL. */
		char text[48];
		article_cursor last = {items[n - 1].published_at, items[n - 1].id};
		article_cursor_encode(&last, text, sizeof text);
		assert_int_equal(article_cursor_decode(text, &cur), 0);
		after = &cur;
		assert_true(pages < 100);
	}
	assert_int_equal(seen, nexpected);
	/* A full last page says "no more" itself: no empty page follows. */
	assert_int_equal(pages, (nexpected + (size_t)per_page - 1) / (size_t)per_page);
}

static void test_list_pages(void **state)
{
	fixture *f = *state;
	int64_t base = (int64_t)time(NULL) - 100000;
	int64_t ids[25], cats[25];
	char title[64];
	/* Groups of three share a second, so the id must break the ties; the
	 * creation order is shuffled against the date order. */
	for (int i = 0; i < 25; i++) {
		int k = (i * 7) % 25;
		snprintf(title, sizeof title, "Bài số %d", k);
		cats[k] = k % 2 == 0 ? f->cat1 : f->cat2;
		ids[k] = create(f, cats[k], title, base + (k / 3) * 60, ARTICLE_PUBLISHED);
	}
	/* Noise that must never appear. */
	create(f, f->cat1, "Nháp", base + 500, ARTICLE_DRAFT);
	create(f, f->cat2, "Tương lai", (int64_t)time(NULL) + 86400, ARTICLE_PUBLISHED);
	create(f, f->cat1, "Gỡ", base + 500, ARTICLE_UNPUBLISHED);

	/* Expected order: published_at DESC, id DESC. */
	int64_t order[25], times[25];
	for (int k = 0; k < 25; k++) {
		order[k] = ids[k];
		times[k] = base + (k / 3) * 60;
	}
	for (int i = 0; i < 25; i++)
		for (int j = i + 1; j < 25; j++)
			if (times[j] > times[i] || (times[j] == times[i] && order[j] > order[i])) {
				int64_t t = order[i];
				order[i] = order[j];
				order[j] = t;
				t = times[i];
				times[i] = times[j];
				times[j] = t;
			}
	walk(f, 0, 10, order, 25);
	walk(f, 0, 7, order, 25);
	walk(f, 0, 25, order, 25);
	walk(f, 0, 1, order, 25);

	/* Per category: the same walk over the subset. */
	int64_t sub[25];
	size_t nsub = 0;
	for (int i = 0; i < 25; i++) {
		for (int k = 0; k < 25; k++)
			if (ids[k] == order[i] && cats[k] == f->cat2)
				sub[nsub++] = order[i];
	}
	assert_int_equal(nsub, 12);
	walk(f, f->cat2, 10, sub, nsub);
	int64_t count = 0;
	assert_int_equal(article_count(f->db, f->cat2, &count), 0);
	assert_int_equal(count, 12);
	assert_int_equal(article_count(f->db, 0, &count), 0);
	assert_int_equal(count, 25);

	/* An unknown category is an empty list; bad limits are refused. */
	article *items;
	size_t n;
	bool more;
	assert_int_equal(article_list(f->db, f->arena, 9999, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_int_equal(article_list(f->db, f->arena, 0, NULL, 0, &items, &n, &more), -1);
	assert_int_equal(article_list(f->db, f->arena, 0, NULL, -3, &items, &n, &more), -1);
	/* A huge limit is capped, not trusted. */
	assert_int_equal(article_list(f->db, f->arena, 0, NULL, 1 << 30, &items, &n, &more), 0);
	assert_int_equal(n, 25);
	/* A cursor past the end gives an empty last page. */
	article_cursor end = {0, 1};
	assert_int_equal(article_list(f->db, f->arena, 0, &end, 10, &items, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_false(more);
}

typedef struct {
	char *sql[16];
	size_t n;
} trace_log;

static void trace_fn(const char *sql, void *arg)
{
	trace_log *t = arg;
	if (t->n < 16 && strstr(sql, "ORDER BY a.published_at DESC") != NULL)
		t->sql[t->n++] = strdup(sql);
}

/* Runs the four listing shapes, then checks what they did and how SQLite
 * plans them: an index walk, no sort, no table scan. */
static void check_list_plans(fixture *f, int64_t base)
{
	trace_log t = {0};
	db_set_trace(f->db, trace_fn, &t);
	db_reset_stats(f->db);
	article *items;
	size_t n;
	bool more;
	article_cursor c = {base + 20, 99};
	assert_int_equal(article_list(f->db, f->arena, 0, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(article_list(f->db, f->arena, 0, &c, 10, &items, &n, &more), 0);
	assert_int_equal(article_list(f->db, f->arena, f->cat1, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(article_list(f->db, f->arena, f->cat1, &c, 10, &items, &n, &more), 0);
	db_set_trace(f->db, NULL, NULL);
	assert_int_equal(t.n, 4);

	/* The statements really ran without a sort or a full scan. */
	db_stats s;
	db_get_stats(f->db, &s);
	assert_int_equal(s.sorts, 0);
	assert_int_equal(s.full_scans, 0);

	for (size_t i = 0; i < t.n; i++) {
		char sql[4096];
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", t.sql[i]);
		db_stmt *st = db_prepare(f->db, sql);
		assert_non_null(st);
		bool uses_index = false, bad = false;
		char plan[2048] = "";
		while (db_step(st) == DB_ROW) {
			const char *detail = db_col_text(st, 3);
			assert_non_null(detail);
			strncat(plan, detail, sizeof plan - strlen(plan) - 2);
			strcat(plan, "\n");
			if (strstr(detail, "TEMP B-TREE") != NULL || strncmp(detail, "SCAN ", 5) == 0)
				bad = true;
			if (strstr(detail, "USING COVERING INDEX articles_list_all ") != NULL ||
			    strstr(detail, "USING COVERING INDEX articles_list_category ") != NULL)
				uses_index = true;
		}
		db_done(st);
		if (bad || !uses_index)
			fail_msg("plan sorts, scans or misses the index:\n%sfor %s", plan, t.sql[i]);
		free(t.sql[i]);
	}
}

static void test_list_uses_index(void **state)
{
	fixture *f = *state;
	int64_t base = (int64_t)time(NULL) - 1000;
	article_image img[] = {{"a1b2c3.png", "Ảnh", 0, 0}};
	for (int i = 0; i < 30; i++) {
		article_input in = input(i % 2 ? f->cat1 : f->cat2, "Bài", base + i);
		in.images = img;
		in.nimages = i % 3 == 0;
		int64_t id;
		assert_int_equal(article_create(f->db, &in, &id), 0);
	}
	check_list_plans(f, base);
	/* With statistics of these tiny tables the planner is tempted most to
	 * scan instead; the plans must hold there too. */
	assert_int_equal(db_exec(f->db, "ANALYZE"), 0);
	check_list_plans(f, base);
}

static void test_cursor(void **state)
{
	(void)state;
	char text[48];
	article_cursor c, d;
	struct {
		int64_t t, id;
	} good[] = {{0, 1}, {1600000000, 42}, {253402300799, INT64_MAX}};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		c.published_at = good[i].t;
		c.id = good[i].id;
		article_cursor_encode(&c, text, sizeof text);
		assert_int_equal(article_cursor_decode(text, &d), 0);
		assert_true(d.published_at == c.published_at && d.id == c.id);
	}
	assert_int_equal(article_cursor_decode("1600000000-42", &d), 0);
	assert_true(d.published_at == 1600000000 && d.id == 42);

	const char *bad[] = {
	    "", "-", "1-", "-1", "1--1", "-1-1", "1-2-3", "+1-1", "1-+1", " 1-1", "1-1 ", "1 -1",
	    "01-1", "1-01", "1-0", "00-1", "1.5-2", "abc", "1-2x", "0x10-1", "1-1\n",
	    "253402300800-1",                  /* after year 9999 */
	    "99999999999999999999-1",           /* overflow */
	    "1-9223372036854775808",            /* INT64_MAX + 1 */
	    "1-18446744073709551617",           /* wraps to 1 in 64 bits */
	    "1-00000000000000000000000000000000000000000000000001",
	    "１-1",                              /* full-width digit */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		d.published_at = -7;
		if (article_cursor_decode(bad[i], &d) != -1)
			fail_msg("accepted bad cursor \"%s\"", bad[i]);
		assert_true(d.published_at == -7);   /* untouched on failure */
	}
	assert_int_equal(article_cursor_decode(NULL, &d), -1);
	assert_int_equal(article_cursor_decode("1-1", NULL), -1);
	assert_int_equal(article_cursor_decode("1-9223372036854775807", &d), 0);
	assert_true(d.id == INT64_MAX);

	/* Random strings: whatever is accepted must be canonical (re-encodes
	 * to the same text), so one position has one URL. */
	const char alphabet[] = "0123456789--+ x9";
	unsigned seed = 12345;
	int accepted = 0;
	for (int round = 0; round < 20000; round++) {
		char s[32];
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % 24;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		s[len] = '\0';
		if (article_cursor_decode(s, &d) == 0) {
			accepted++;
			assert_true(d.published_at >= 0 && d.id >= 1);
			article_cursor_encode(&d, text, sizeof text);
			assert_string_equal(text, s);
		}
	}
	assert_true(accepted > 0);

	/* A short output buffer is cut, never overrun. */
	char small[5] = "zzzz";
	c.published_at = 1600000000;
	c.id = 1;
	article_cursor_encode(&c, small, sizeof small);
	assert_string_equal(small, "1600");
}

/* article_validate() refuses in with code, about field (NULL: none), item
 * (1-based, 0: none) and limit (0: none). */
static void expect_invalid(const article_input *in, int code, const char *field, int item,
			   int64_t limit)
{
	model_problem p = {0, "unset", -1, -1, -1};
	assert_int_equal(article_validate(in, &p), -1);
	assert_int_equal(p.code, code);
	if (field == NULL)
		assert_null(p.field);
	else
		assert_string_equal(p.field, field);
	assert_int_equal(p.item, item);
	assert_int_equal(p.limit, limit);
}

static void test_validate(void **state)
{
	fixture *f = *state;
	model_problem why = {9, "unset", 9, 9, 9};
	article_input ok = input(f->cat1, "Tiêu đề", 1600000000);
	assert_int_equal(article_validate(&ok, &why), 0);
	assert_int_equal(why.code, ARTICLE_OK);
	assert_null(why.field);

	article_input in = ok;
	in.title = NULL;
	expect_invalid(&in, ARTICLE_EMPTY, "title", 0, 0);
	in.title = " \t \xc2\xa0 ";
	expect_invalid(&in, ARTICLE_EMPTY, "title", 0, 0);
	char longtitle[302];
	memset(longtitle, 'a', 301);
	longtitle[301] = '\0';
	in.title = longtitle;
	expect_invalid(&in, ARTICLE_TOO_LONG, "title", 0, 300);
	longtitle[300] = '\0';
	assert_int_equal(article_validate(&in, &why), 0);   /* exactly 300 */
	in.title = "Sai \xff mã";
	expect_invalid(&in, ARTICLE_NOT_UTF8, "title", 0, 0);
	in.title = "Hai\ndòng";
	expect_invalid(&in, ARTICLE_CONTROL, "title", 0, 0);

	in = ok;
	in.body_md = "Nội dung \xc3\x28 hỏng";
	expect_invalid(&in, ARTICLE_NOT_UTF8, "body", 0, 0);
	in.body_md = "\xed\xa0\x80";   /* a surrogate */
	expect_invalid(&in, ARTICLE_NOT_UTF8, "body", 0, 0);
	char *body = malloc(ARTICLE_BODY_MAX + 2);
	assert_non_null(body);
	memset(body, 'x', ARTICLE_BODY_MAX + 1);
	body[ARTICLE_BODY_MAX + 1] = '\0';
	in.body_md = body;
	expect_invalid(&in, ARTICLE_TOO_LONG, "body", 0, ARTICLE_BODY_MAX);
	free(body);

	in = ok;
	char longsum[ARTICLE_SUMMARY_MAX + 2];
	memset(longsum, 's', sizeof longsum - 1);
	longsum[sizeof longsum - 1] = '\0';
	in.summary = longsum;
	expect_invalid(&in, ARTICLE_TOO_LONG, "summary", 0, 2000);
	in.summary = "\x80";
	expect_invalid(&in, ARTICLE_NOT_UTF8, "summary", 0, 0);

	in = ok;
	in.category_id = 0;
	expect_invalid(&in, ARTICLE_EMPTY, "category", 0, 0);
	in = ok;
	in.status = 7;
	expect_invalid(&in, ARTICLE_OUT_OF_RANGE, "status", 0, 0);
	in.status = -1;
	expect_invalid(&in, ARTICLE_OUT_OF_RANGE, "status", 0, 0);
	in = ok;
	in.published_at = -1;
	expect_invalid(&in, ARTICLE_OUT_OF_RANGE, "published_at", 0, 0);

	const char *many[ARTICLE_TAGS_MAX + 1];
	for (size_t i = 0; i <= ARTICLE_TAGS_MAX; i++)
		many[i] = "thẻ";
	in = ok;
	in.tags = many;
	in.ntags = ARTICLE_TAGS_MAX + 1;
	expect_invalid(&in, ARTICLE_TOO_MANY, "tags", 0, 20);
	const char *tags[] = {"tốt", "  "};
	in.tags = tags;
	in.ntags = 2;
	expect_invalid(&in, ARTICLE_EMPTY, "tags", 2, 0);
	tags[1] = "!!!";
	expect_invalid(&in, ARTICLE_NO_WORD, "tags", 2, 0);
	tags[1] = "01234567890123456789012345678901234567890123456789012345678901234";
	expect_invalid(&in, ARTICLE_TOO_LONG, "tags", 2, 64);
	in.tags = NULL;
	expect_invalid(&in, ARTICLE_INPUT_MISSING, "tags", 0, 0);

	in = ok;
	article_image imgs[ARTICLE_IMAGES_MAX + 1];
	for (size_t i = 0; i <= ARTICLE_IMAGES_MAX; i++)
		imgs[i] = (article_image){"a1b2c3.png", "", 0, 0};
	in.images = imgs;
	in.nimages = ARTICLE_IMAGES_MAX + 1;
	expect_invalid(&in, ARTICLE_TOO_MANY, "images", 0, 50);
	in.nimages = 2;
	imgs[1].file = "../etc/passwd";
	expect_invalid(&in, ARTICLE_BAD_FILE, "images", 2, 0);
	imgs[1].file = "";
	expect_invalid(&in, ARTICLE_BAD_FILE, "images", 2, 0);
	imgs[1].file = "d4e5f6.jpg";
	char longcap[ARTICLE_CAPTION_MAX + 2];
	memset(longcap, 'c', sizeof longcap - 1);
	longcap[sizeof longcap - 1] = '\0';
	imgs[1].caption = longcap;
	expect_invalid(&in, ARTICLE_TOO_LONG, "captions", 2, 500);

	/* Without a problem to fill the answer is the same; NULL input is refused. */
	in = ok;
	in.title = NULL;
	assert_int_equal(article_validate(&in, NULL), -1);
	assert_int_equal(article_validate(NULL, &why), -1);
	assert_int_equal(why.code, ARTICLE_INPUT_MISSING);

	/* article_create refuses the same inputs and writes nothing. */
	in = ok;
	in.title = "";
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), -1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 0);
}

static void test_create_atomic(void **state)
{
	fixture *f = *state;
	const char *tags[] = {"Bảo tàng"};
	article_image missing[] = {{"a1b2c3.png", "", 0, 0}, {"nothere.png", "", 0, 0}};
	article_input in = input(f->cat1, "Thiếu ảnh", 1600000000);
	in.tags = tags;
	in.ntags = 1;
	in.images = missing;
	in.nimages = 2;
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), -1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM article_images"), 0);
	assert_int_equal(db_in_transaction(f->db), 0);

	/* A category that does not exist. */
	in = input(9999, "Không chuyên mục", 1600000000);
	assert_int_equal(article_create(f->db, &in, &id), -1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 0);

	/* Inside the caller's transaction: a failed create undoes only itself. */
	assert_int_equal(db_begin(f->db), 0);
	in = input(f->cat1, "Một", 1600000000);
	in.tags = tags;
	in.ntags = 1;
	int64_t first = 0;
	assert_int_equal(article_create(f->db, &in, &first), 0);
	in.title = "Hai";
	in.images = missing;
	in.nimages = 2;
	assert_int_equal(article_create(f->db, &in, &id), -1);
	assert_int_equal(db_in_transaction(f->db), 1);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 1);
	article a;
	assert_int_equal(article_get(f->db, f->arena, first, &a), 0);
	assert_string_equal(a.title, "Một");

	/* The caller's rollback takes the article with it. */
	assert_int_equal(db_begin(f->db), 0);
	in = input(f->cat1, "Ba", 1600000000);
	assert_int_equal(article_create(f->db, &in, &id), 0);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(article_get(f->db, f->arena, id, &a), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 1);
}

/* The disk fills up in the middle of a write. */
static void test_fault_disk_full(void **state)
{
	fixture *f = *state;
	int64_t pages = testdb_query_int(f->db, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
	assert_int_equal(db_exec(f->db, sql), 0);

	char *body = malloc(200 * 1024);
	assert_non_null(body);
	for (size_t i = 0; i < 200 * 1024 - 1; i++)
		body[i] = (char)('a' + (i * 7919) % 26);
	body[200 * 1024 - 1] = '\0';
	const char *tags[] = {"một", "hai", "ba"};
	article_input in = input(f->cat1, "Đầy đĩa", 1600000000);
	in.body_md = body;
	in.tags = tags;
	in.ntags = 3;
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), -1);
	assert_int_equal(db_in_transaction(f->db), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 0);

	/* Space again: the same connection works. */
	assert_int_equal(db_exec(f->db, "PRAGMA max_page_count = 1000000"), 0);
	assert_int_equal(article_create(f->db, &in, &id), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 3);
	free(body);
}

/* The data folder is read-only / the database unreadable: clean -1s. Root
 * ignores permissions, so under root the checks run in a child that has
 * dropped to "nobody". */
#define CHILD_CHECK(cond)                                                          \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "child check failed at line %d: %s\n", __LINE__, \
				#cond);                                            \
			_exit(1);                                                  \
		}                                                                  \
	} while (0)

static void fault_checks(const char *dir, const char *path)
{
	char file[256];
	arena_t *a = arena_new(4096);
	CHILD_CHECK(a != NULL);

	/* 1. Folder read-only, file read-only: open must fail or writes must. */
	if (db_open(path, "normal") == 0) {
		db_t *db = db_get();
		if (db != NULL) {
			int64_t id;
			CHILD_CHECK(link_add(db, "Bị từ chối", "https://example.org", &id) == -1);
			article_input in = input(1, "Bị từ chối", 1600000000);
			CHILD_CHECK(article_create(db, &in, &id) == -1);
			CHILD_CHECK(category_ensure(db, "Mới", &id) == -1);
			CHILD_CHECK(db_in_transaction(db) == 0);
		}
		db_thread_close();
	}

	/* 2. A new database cannot be created in a read-only folder. */
	snprintf(file, sizeof file, "%s/new.db", dir);
	CHILD_CHECK(db_open(file, "normal") == -1);

	/* 3. Models on a failed connection return -1, never crash. */
	link_item *links;
	category *cats;
	article *items;
	size_t n;
	bool more;
	int64_t count, id;
	CHILD_CHECK(link_list(NULL, a, &links, &n) == -1);
	CHILD_CHECK(category_list(NULL, a, &cats, &n) == -1);
	CHILD_CHECK(article_list(NULL, a, 0, NULL, 10, &items, &n, &more) == -1);
	CHILD_CHECK(article_count(NULL, 0, &count) == -1);
	CHILD_CHECK(link_add(NULL, "x", "/x", &id) == -1);
	CHILD_CHECK(link_move(NULL, 1, 1) == -1);
	CHILD_CHECK(link_remove(NULL, 1) == -1);
	CHILD_CHECK(category_ensure(NULL, "x", &id) == -1);
	arena_free(a);
}

static void test_fault_readonly(void **state)
{
	fixture *f = *state;
	int64_t id;
	assert_int_equal(link_add(f->db, "Cổng", "https://example.org", &id), 0);
	db_thread_close();
	assert_int_equal(chmod(f->path, 0444), 0);
	assert_int_equal(chmod(f->dir, 0555), 0);

	if (geteuid() != 0) {
		fault_checks(f->dir, f->path);
	} else {
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
				_exit(77);
			fault_checks(f->dir, f->path);
			_exit(0);
		}
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 77) {
			chmod(f->dir, 0700);
			skip();
		}
		assert_int_equal(WEXITSTATUS(status), 0);
	}

	/* 4. The file unreadable (also for root: a folder in its place). */
	assert_int_equal(chmod(f->dir, 0700), 0);
	assert_int_equal(chmod(f->path, 0644), 0);
	char other[256];
	snprintf(other, sizeof other, "%s/dir.db", f->dir);
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(db_open(other, "normal"), -1);

	/* The original file, writable again, still holds its data. */
	assert_int_equal(db_open(f->path, "normal"), 0);
	f->db = db_get();
	assert_non_null(f->db);
	link_item *links;
	size_t n;
	assert_int_equal(link_list(f->db, f->arena, &links, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(links[0].title, "Cổng");
}

/* ---- categories ------------------------------------------------------------------ */

static void test_categories(void **state)
{
	fixture *f = *state;
	int64_t id = 0;
	assert_int_equal(category_ensure(f->db, "Tin hoạt động", &id), 0);
	assert_int_equal(id, f->cat1);
	assert_int_equal(category_ensure(f->db, "  Tin hoạt động ", &id), 0);
	assert_int_equal(id, f->cat1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM categories"), 2);

	/* Same slug, different name: numbered. Reserved words are avoided. */
	int64_t dash = 0, api = 0;
	assert_int_equal(category_ensure(f->db, "Tin-hoạt-động", &dash), 0);
	assert_true(dash != f->cat1);
	assert_int_equal(category_ensure(f->db, "API", &api), 0);
	int64_t nameless = 0;
	assert_int_equal(category_ensure(f->db, "***", &nameless), 0);

	category c;
	assert_int_equal(category_get(f->db, f->arena, dash, &c), 0);
	assert_string_equal(c.slug, "tin-hoat-dong-2");
	assert_string_equal(c.name, "Tin-hoạt-động");
	assert_int_equal(c.position, 3);
	assert_int_equal(category_get(f->db, f->arena, api, &c), 0);
	assert_string_equal(c.slug, "api-2");
	assert_int_equal(category_get(f->db, f->arena, nameless, &c), 0);
	assert_string_equal(c.slug, "chuyen-muc");

	assert_int_equal(category_get_by_slug(f->db, f->arena, "tin-tuc-su-kien", &c), 0);
	assert_int_equal(c.id, f->cat2);
	assert_string_equal(c.name, "Tin tức - Sự kiện");
	assert_int_equal(c.position, 2);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "khong-co", &c), 1);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "", &c), 1);
	assert_int_equal(category_get_by_slug(f->db, f->arena, NULL, &c), 1);
	char longslug[300];
	memset(longslug, 'a', sizeof longslug - 1);
	longslug[sizeof longslug - 1] = '\0';
	assert_int_equal(category_get_by_slug(f->db, f->arena, longslug, &c), 1);
	assert_int_equal(category_get(f->db, f->arena, 9999, &c), 1);
	assert_int_equal(category_get(f->db, f->arena, -1, &c), 1);

	category *list;
	size_t n;
	assert_int_equal(category_list(f->db, f->arena, &list, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(list[0].name, "Tin hoạt động");
	assert_string_equal(list[1].name, "Tin tức - Sự kiện");
	assert_string_equal(list[2].name, "Tin-hoạt-động");
	for (size_t i = 0; i < n; i++)
		assert_int_equal(list[i].position, (int)i + 1);

	/* Refused names. */
	char longname[CATEGORY_NAME_MAX + 2];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(category_ensure(f->db, longname, &id), -1);
	longname[CATEGORY_NAME_MAX] = '\0';
	assert_int_equal(category_ensure(f->db, longname, &id), 0);   /* exactly the maximum */
	assert_int_equal(category_ensure(f->db, "", &id), -1);
	assert_int_equal(category_ensure(f->db, "   ", &id), -1);
	assert_int_equal(category_ensure(f->db, "Sai \xff", &id), -1);
	assert_int_equal(category_ensure(f->db, "Hai\ndòng", &id), -1);
	assert_int_equal(category_ensure(f->db, NULL, &id), -1);
	assert_int_equal(db_in_transaction(f->db), 0);

	/* Inside a transaction it joins it. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(category_ensure(f->db, "Thông báo", &id), 0);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(category_get(f->db, f->arena, id, &c), 1);
}

/* ---- links ------------------------------------------------------------------------ */

static void expect_order(fixture *f, const int64_t *ids, size_t n)
{
	link_item *items;
	size_t got;
	assert_int_equal(link_list(f->db, f->arena, &items, &got), 0);
	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++) {
		if (items[i].id != ids[i])
			fail_msg("position %zu: id %lld, expected %lld", i + 1,
				 (long long)items[i].id, (long long)ids[i]);
		assert_int_equal(items[i].position, (int)i + 1);
	}
}

static void test_links(void **state)
{
	fixture *f = *state;
	int64_t a, b, c, d;
	assert_int_equal(link_add(f->db, "Bộ Văn hóa, Thể thao và Du lịch", "https://bvhttdl.gov.vn",
				  &a),
			 0);
	assert_int_equal(link_add(f->db, "Cổng thông tin tỉnh", "http://dienbien.gov.vn/", &b), 0);
	assert_int_equal(link_add(f->db, "Giới thiệu", "/gioi-thieu", &c), 0);
	assert_int_equal(link_add(f->db, "Wikipedia",
				  "https://vi.wikipedia.org/wiki/Điện_Biên_Phủ?x=1#y", &d),
			 0);
	expect_order(f, (int64_t[]){a, b, c, d}, 4);

	link_item *items;
	size_t n;
	assert_int_equal(link_list(f->db, f->arena, &items, &n), 0);
	assert_string_equal(items[0].title, "Bộ Văn hóa, Thể thao và Du lịch");
	assert_string_equal(items[0].url, "https://bvhttdl.gov.vn");

	assert_int_equal(link_move(f->db, d, 1), 0);
	expect_order(f, (int64_t[]){d, a, b, c}, 4);
	assert_int_equal(link_move(f->db, d, 3), 0);
	expect_order(f, (int64_t[]){a, b, d, c}, 4);
	assert_int_equal(link_move(f->db, a, 99), 0);    /* past the end: last */
	expect_order(f, (int64_t[]){b, d, c, a}, 4);
	assert_int_equal(link_move(f->db, a, 0), 0);     /* before the start: first */
	expect_order(f, (int64_t[]){a, b, d, c}, 4);
	assert_int_equal(link_move(f->db, b, 2), 0);     /* where it already is */
	expect_order(f, (int64_t[]){a, b, d, c}, 4);
	assert_int_equal(link_move(f->db, 9999, 1), 1);
	expect_order(f, (int64_t[]){a, b, d, c}, 4);

	assert_int_equal(link_remove(f->db, b), 0);
	expect_order(f, (int64_t[]){a, d, c}, 3);
	assert_int_equal(link_remove(f->db, b), 1);
	int64_t e;
	assert_int_equal(link_add(f->db, "Mới", "/moi", &e), 0);
	expect_order(f, (int64_t[]){a, d, c, e}, 4);
	assert_int_equal(link_remove(f->db, a), 0);
	assert_int_equal(link_remove(f->db, e), 0);
	expect_order(f, (int64_t[]){d, c}, 2);

	/* Refused input writes nothing. */
	assert_int_equal(link_add(f->db, "Xấu", "javascript:alert(1)", &e), -1);
	expect_order(f, (int64_t[]){d, c}, 2);

	/* Inside a caller's transaction, moves join it. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(link_move(f->db, c, 1), 0);
	assert_int_equal(db_rollback(f->db), 0);
	expect_order(f, (int64_t[]){d, c}, 2);
}

static void test_link_validate(void **state)
{
	(void)state;
	model_problem why;
	const char *good[] = {
	    "https://bvhttdl.gov.vn", "HTTP://Example.com/a?b=c#d", "/gioi-thieu", "/",
	    "https://vi.wikipedia.org/wiki/Điện_Biên_Phủ", "http://[::1]:8080/x",
	    "https://example.org?q=1",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (link_validate("Trang", good[i], &why) != 0)
			fail_msg("refused %s: problem %d", good[i], why.code);

	struct {
		const char *url;
		enum link_problem code;
	} bad[] = {
	    {"javascript:alert(1)", LINK_URL_SCHEME},
	    {"JaVaScRiPt:alert(1)", LINK_URL_SCHEME},
	    {"data:text/html;base64,PHNjcmlwdD4=", LINK_URL_SCHEME},
	    {"vbscript:x", LINK_URL_SCHEME},
	    {"ftp://example.org", LINK_URL_SCHEME},
	    {"mailto:a@b.vn", LINK_URL_SCHEME},
	    {"example.org", LINK_URL_SCHEME},
	    {"//evil.example", LINK_URL_SCHEME},
	    {"http:/x", LINK_URL_SCHEME},
	    {"http://", LINK_URL_HOST},
	    {"https:///path", LINK_URL_HOST},
	    {"https://user:pw@evil.example/", LINK_URL_USERINFO},
	    {"https://a.vn/\r\nSet-Cookie:x", LINK_URL_INVALID},
	    {"https://a.vn/\n", LINK_URL_INVALID},
	    {" https://a.vn", LINK_URL_INVALID},
	    {"java\tscript:alert(1)", LINK_URL_INVALID},
	    {"https://a.vn/\"onmouseover=x", LINK_URL_INVALID},
	    {"/\\evil.example", LINK_URL_INVALID},
	    {"https://a.vn/\xff", LINK_URL_UTF8},
	    {"", LINK_URL_EMPTY},
	    {NULL, LINK_URL_EMPTY},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = (model_problem){0, NULL, 0, 0, 0};
		if (link_validate("Trang", bad[i].url, &why) != -1)
			fail_msg("accepted %s", bad[i].url);
		assert_int_equal(why.code, bad[i].code);
		assert_string_equal(why.field, "url");
	}
	char longurl[LINK_URL_MAX + 2];
	memcpy(longurl, "https://a.vn/", 13);
	memset(longurl + 13, 'x', sizeof longurl - 14);
	longurl[sizeof longurl - 1] = '\0';
	assert_int_equal(link_validate("Trang", longurl, &why), -1);
	assert_int_equal(why.code, LINK_URL_LONG);
	assert_string_equal(why.field, "url");
	assert_int_equal(why.limit, LINK_URL_MAX);
	assert_int_equal(why.count, LINK_URL_MAX + 1);
	longurl[LINK_URL_MAX] = '\0';
	assert_int_equal(link_validate("Trang", longurl, &why), 0);
	assert_int_equal(why.code, LINK_OK);

	assert_int_equal(link_validate("", "/x", &why), -1);
	assert_int_equal(why.code, LINK_TITLE_EMPTY);
	assert_string_equal(why.field, "title");
	assert_int_equal(link_validate(NULL, "/x", &why), -1);
	assert_int_equal(why.code, LINK_TITLE_EMPTY);
	assert_int_equal(link_validate("Hai\r\ndòng", "/x", &why), -1);
	assert_int_equal(why.code, LINK_TITLE_CONTROL);
	assert_int_equal(link_validate("\xc0\xaf", "/x", &why), -1);
	assert_int_equal(why.code, LINK_TITLE_UTF8);
	char longtitle[LINK_TITLE_MAX + 2];
	memset(longtitle, 't', sizeof longtitle - 1);
	longtitle[sizeof longtitle - 1] = '\0';
	assert_int_equal(link_validate(longtitle, "/x", &why), -1);
	assert_int_equal(why.code, LINK_TITLE_LONG);
	assert_string_equal(why.field, "title");
	assert_int_equal(why.limit, LINK_TITLE_MAX);
	assert_int_equal(why.count, LINK_TITLE_MAX + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_create_get, setup),
		testdb_case(test_hidden_articles, setup),
		testdb_case(test_list_pages, setup),
		testdb_case(test_list_uses_index, setup),
		cmocka_unit_test(test_cursor),
		testdb_case(test_validate, setup),
		testdb_case(test_create_atomic, setup),
		testdb_case(test_fault_disk_full, setup),
		testdb_case(test_fault_readonly, setup),
		testdb_case(test_categories, setup),
		testdb_case(test_links, setup),
		cmocka_unit_test(test_link_validate),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
