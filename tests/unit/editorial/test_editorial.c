/*
 * test_editorial.c - the editorial workflow in the model: who may do what
 * (article_may), state transitions, scheduled publication and what the
 * public readers see meanwhile, the back-office list, revisions (save,
 * list, restore, the "original" of an imported article) and the line diff,
 * over a real migrated SQLite database in a temporary folder (one per test).
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

#include "../support/seed.h"
#include "../testdb.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"
#include "model/category.h"
#include "model/revision.h"
#include "model/search.h"
#include "model/sitemap.h"
#include "model/user.h"

typedef struct {
	TESTDB_FIXTURE;
	int64_t cat1, cat2;
	int64_t author1, author2, editor;
} fixture;

/* Two categories, two pictures, two authors and an editor. */
static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	if (f == NULL || seed_newsroom(f->db, &f->cat1, &f->cat2) != 0)
		return -1;
	f->author1 = seed_account(f->db, "tacgia", "author");
	f->author2 = seed_account(f->db, "tacgia2", "author");
	f->editor = seed_account(f->db, "bientap", "editor");
	if (f->author1 < 0 || f->author2 < 0 || f->editor < 0)
		return -1;
	return 0;
}

static article_input draft(int64_t cat, const char *title, const char *body)
{
	article_input in = {0};
	in.title = title;
	in.body_md = body;
	in.category_id = cat;
	in.status = ARTICLE_DRAFT;
	return in;
}

/* A draft by author through the back office's save path. */
static int64_t write_draft(fixture *f, int64_t author, const char *title, const char *body)
{
	article_input in = draft(f->cat1, title, body);
	in.author_id = author;
	int64_t id = 0;
	assert_int_equal(revision_save(f->db, f->arena, &id, &in, author, "tacgia",
				       (int64_t)time(NULL), NULL), 0);
	assert_true(id > 0);
	return id;
}

static int status_of(fixture *f, int64_t id)
{
	article a;
	assert_int_equal(article_get_any(f->db, f->arena, id, &a), 0);
	return a.status;
}

/* ---- who may do what ---------------------------------------------------------- */

static void test_may_author(void **state)
{
	(void)state;
	/* Own draft: view, edit, submit; nothing else. */
	assert_true(article_may(USER_AUTHOR, 5, 5, ARTICLE_DRAFT, ARTICLE_VIEW));
	assert_true(article_may(USER_AUTHOR, 5, 5, ARTICLE_DRAFT, ARTICLE_EDIT));
	assert_true(article_may(USER_AUTHOR, 5, 5, ARTICLE_DRAFT, ARTICLE_SUBMIT));
	assert_false(article_may(USER_AUTHOR, 5, 5, ARTICLE_DRAFT, ARTICLE_PUBLISH));
	assert_false(article_may(USER_AUTHOR, 5, 5, ARTICLE_DRAFT, ARTICLE_DELETE));
	assert_false(article_may(USER_AUTHOR, 5, 5, ARTICLE_DRAFT, ARTICLE_RETURN));
	/* Once submitted or published: view only. */
	for (int s = ARTICLE_REVIEW; s <= ARTICLE_UNPUBLISHED; s++) {
		assert_true(article_may(USER_AUTHOR, 5, 5, s, ARTICLE_VIEW));
		assert_false(article_may(USER_AUTHOR, 5, 5, s, ARTICLE_EDIT));
		assert_false(article_may(USER_AUTHOR, 5, 5, s, ARTICLE_SUBMIT));
		assert_false(article_may(USER_AUTHOR, 5, 5, s, ARTICLE_PUBLISH));
		assert_false(article_may(USER_AUTHOR, 5, 5, s, ARTICLE_UNPUBLISH));
	}
	/* Another author's article, or one without an author: nothing. */
	for (int a = ARTICLE_VIEW; a <= ARTICLE_DELETE; a++) {
		assert_false(article_may(USER_AUTHOR, 5, 6, ARTICLE_DRAFT, (enum article_action)a));
		assert_false(article_may(USER_AUTHOR, 5, 0, ARTICLE_DRAFT, (enum article_action)a));
		assert_false(article_may(USER_AUTHOR, 0, 0, ARTICLE_DRAFT, (enum article_action)a));
		assert_false(article_may(USER_MODERATOR, 5, 5, ARTICLE_DRAFT, (enum article_action)a));
		assert_false(article_may(0, 5, 5, ARTICLE_DRAFT, (enum article_action)a));
	}
}

static void test_may_editor(void **state)
{
	(void)state;
	const int roles[] = {USER_EDITOR, USER_ADMIN};
	for (size_t r = 0; r < 2; r++) {
		int role = roles[r];
		for (int s = ARTICLE_DRAFT; s <= ARTICLE_UNPUBLISHED; s++) {
			assert_true(article_may(role, 1, 9, s, ARTICLE_VIEW));
			assert_true(article_may(role, 1, 9, s, ARTICLE_EDIT));
			assert_true(article_may(role, 1, 0, s, ARTICLE_DELETE));
			assert_true(article_may(role, 1, 9, s, ARTICLE_PUBLISH));
			assert_int_equal(article_may(role, 1, 9, s, ARTICLE_SUBMIT), s == ARTICLE_DRAFT);
			assert_int_equal(article_may(role, 1, 9, s, ARTICLE_UNPUBLISH),
					 s == ARTICLE_PUBLISHED);
			assert_int_equal(article_may(role, 1, 9, s, ARTICLE_RETURN),
					 s == ARTICLE_REVIEW || s == ARTICLE_UNPUBLISHED);
		}
		assert_false(article_may(role, 1, 9, 7, ARTICLE_VIEW)); /* no such status */
	}
}

/* ---- transitions --------------------------------------------------------------- */

static void test_transitions(void **state)
{
	fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	int64_t id = write_draft(f, f->author1, "Hội nghị triển khai kế hoạch", "Nội dung.");
	int from = -1;

	/* Another author cannot submit it; a moderator neither. */
	assert_int_equal(article_transition(f->db, id, USER_AUTHOR, f->author2, ARTICLE_SUBMIT, 0,
					    now, NULL), ARTICLE_TRANSITION_FORBIDDEN);
	/* The author cannot publish own draft. */
	assert_int_equal(article_transition(f->db, id, USER_AUTHOR, f->author1, ARTICLE_PUBLISH, 0,
					    now, NULL), ARTICLE_TRANSITION_FORBIDDEN);
	assert_int_equal(status_of(f, id), ARTICLE_DRAFT);
	/* Submit. */
	assert_int_equal(article_transition(f->db, id, USER_AUTHOR, f->author1, ARTICLE_SUBMIT, 0,
					    now, &from), 0);
	assert_int_equal(from, ARTICLE_DRAFT);
	assert_int_equal(status_of(f, id), ARTICLE_REVIEW);
	/* Twice: not a draft any more. */
	assert_int_equal(article_transition(f->db, id, USER_AUTHOR, f->author1, ARTICLE_SUBMIT, 0,
					    now, NULL), ARTICLE_TRANSITION_FORBIDDEN);
	assert_int_equal(article_transition(f->db, id, USER_AUTHOR, f->author1, ARTICLE_UNPUBLISH,
					    0, now, NULL), ARTICLE_TRANSITION_FORBIDDEN);
	/* The editor sends it back, then publishes it. */
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_RETURN, 0,
					    now, &from), 0);
	assert_int_equal(from, ARTICLE_REVIEW);
	assert_int_equal(status_of(f, id), ARTICLE_DRAFT);
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_PUBLISH, 0,
					    now, &from), 0);
	article a;
	assert_int_equal(article_get(f->db, f->arena, id, &a), 0);
	assert_int_equal(a.published_at, now);
	/* Returning a published article to draft is not a transition. */
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_RETURN, 0,
					    now, NULL), ARTICLE_TRANSITION_FORBIDDEN);
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_UNPUBLISH,
					    0, now, &from), 0);
	assert_int_equal(from, ARTICLE_PUBLISHED);
	assert_int_equal(article_get(f->db, f->arena, id, &a), 1);
	assert_int_equal(status_of(f, id), ARTICLE_UNPUBLISHED);
	/* Unknown id, bad time, not a transition. */
	assert_int_equal(article_transition(f->db, id + 100, USER_EDITOR, f->editor,
					    ARTICLE_PUBLISH, 0, now, NULL),
			 ARTICLE_TRANSITION_NOT_FOUND);
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_PUBLISH, -5,
					    now, NULL), ARTICLE_TRANSITION_BAD_TIME);
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_EDIT, 0, now,
					    NULL), -1);
	/* Nothing was left open. */
	assert_int_equal(db_in_transaction(f->db), 0);
}

static int64_t sitemap_count;

static int count_url(int64_t id, const char *cat, const char *slug, int64_t updated, void *arg)
{
	(void)id, (void)cat, (void)slug, (void)updated, (void)arg;
	sitemap_count++;
	return 0;
}

static void test_scheduled(void **state)
{
	fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	int64_t visible = write_draft(f, f->editor, "Bài đã đăng", "Đăng rồi.");
	int64_t later = write_draft(f, f->editor, "Bài hẹn giờ thienlyma", "Sắp đăng.");
	assert_int_equal(article_transition(f->db, visible, USER_EDITOR, f->editor,
					    ARTICLE_PUBLISH, 0, now, NULL), 0);
	assert_int_equal(article_transition(f->db, later, USER_EDITOR, f->editor, ARTICLE_PUBLISH,
					    now + 3600, now, NULL), 0);
	/* Published, but not yet for readers: page, listings, counts, sitemap, search. */
	assert_int_equal(status_of(f, later), ARTICLE_PUBLISHED);
	article a;
	assert_int_equal(article_get(f->db, f->arena, later, &a), 1);
	article *items;
	size_t n;
	bool more;
	assert_int_equal(article_list(f->db, f->arena, 0, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, visible);
	int64_t count;
	assert_int_equal(article_count(f->db, 0, &count), 0);
	assert_int_equal(count, 1);
	sitemap_count = 0;
	assert_int_equal(sitemap_each_article(f->db, 0, 100, count_url, NULL), 0);
	assert_int_equal(sitemap_count, 1);
	/* The index holds it (the status decides at search time). */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM search_fts"
					  " WHERE search_fts MATCH 'thienlyma'"), 1);

	/* When it appears by itself. */
	int64_t at;
	assert_int_equal(article_next_scheduled(f->db, now, &at), 0);
	assert_int_equal(at, now + 3600);
	assert_int_equal(article_next_scheduled(f->db, now + 3600, &at), 0);
	assert_int_equal(at, 0);

	/* Rescheduled into the past: visible at once, nothing scheduled. */
	assert_int_equal(article_transition(f->db, later, USER_EDITOR, f->editor, ARTICLE_PUBLISH,
					    now - 60, now, NULL), 0);
	assert_int_equal(article_get(f->db, f->arena, later, &a), 0);
	assert_int_equal(article_next_scheduled(f->db, now, &at), 0);
	assert_int_equal(at, 0);
	/* A scheduled article that was unpublished is not waiting any more. */
	assert_int_equal(article_transition(f->db, later, USER_EDITOR, f->editor, ARTICLE_PUBLISH,
					    now + 50, now, NULL), 0);
	assert_int_equal(article_transition(f->db, later, USER_EDITOR, f->editor,
					    ARTICLE_UNPUBLISH, 0, now, NULL), 0);
	assert_int_equal(article_next_scheduled(f->db, now, &at), 0);
	assert_int_equal(at, 0);
}

static void test_scheduled_appears(void **state)
{
	fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	int64_t id = write_draft(f, f->editor, "Sắp xuất hiện", "Chờ hai giây.");
	assert_int_equal(article_transition(f->db, id, USER_EDITOR, f->editor, ARTICLE_PUBLISH,
					    now + 2, now, NULL), 0);
	article a;
	assert_int_equal(article_get(f->db, f->arena, id, &a), 1);
	/* No write happens meanwhile: the clock alone makes it public. */
	struct timespec ts = {2, 100000000};
	while (time(NULL) < now + 2)
		nanosleep(&ts, NULL);
	assert_int_equal(article_get(f->db, f->arena, id, &a), 0);
	assert_string_equal(a.title, "Sắp xuất hiện");
}

/* ---- the back-office list ------------------------------------------------------ */

static void test_admin_list(void **state)
{
	fixture *f = *state;
	int64_t a1 = write_draft(f, f->author1, "Trưng bày 100% hiện vật", "x");
	int64_t a2 = write_draft(f, f->author2, "Triển lãm ảnh", "y");
	int64_t a3 = write_draft(f, f->author1, "Hội nghị tổng kết", "z");
	assert_int_equal(article_transition(f->db, a3, USER_AUTHOR, f->author1, ARTICLE_SUBMIT, 0,
					    (int64_t)time(NULL), NULL), 0);
	article *items;
	size_t n;
	int64_t total;
	article_filter all = {.status = -1};
	assert_int_equal(article_admin_list(f->db, f->arena, &all, 10, &items, &n, &total), 0);
	assert_int_equal(n, 3);
	assert_int_equal(total, 3);

	article_filter mine = {.status = -1, .author_id = f->author1};
	assert_int_equal(article_admin_list(f->db, f->arena, &mine, 10, &items, &n, &total), 0);
	assert_int_equal(total, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(items[i].author_id, f->author1);
		assert_string_equal(items[i].author_name, "tacgia");
	}
	article_filter review = {.status = ARTICLE_REVIEW, .oldest_first = true};
	assert_int_equal(article_admin_list(f->db, f->arena, &review, 10, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, a3);

	/* Title search: LIKE's wildcards are plain characters. */
	article_filter q = {.status = -1, .q = "100%"};
	assert_int_equal(article_admin_list(f->db, f->arena, &q, 10, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, a1);
	q.q = "%";
	assert_int_equal(article_admin_list(f->db, f->arena, &q, 10, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	q.q = "_";
	assert_int_equal(article_admin_list(f->db, f->arena, &q, 10, &items, &n, &total), 0);
	assert_int_equal(n, 0);
	/* Folded on both sides: any case, with or without marks, NFD too. */
	static const char *const same[] = {"ẢNH", "trien lam", "TRIển lãm", "TRIEN LAM ANH",
					   "Trie\xcc\x82\xcc\x89n la\xcc\x83m"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		q.q = same[i];
		assert_int_equal(article_admin_list(f->db, f->arena, &q, 10, &items, &n, &total), 0);
		assert_int_equal(n, 1);
		assert_int_equal(items[0].id, a2);
	}
	q.q = "hoi nghi tong ket";
	assert_int_equal(article_admin_list(f->db, f->arena, &q, 10, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, a3);
	q.q = "trien lam x";
	assert_int_equal(article_admin_list(f->db, f->arena, &q, 10, &items, &n, &total), 0);
	assert_int_equal(n, 0);

	/* Scheduled only: published with a time still to come. */
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(article_transition(f->db, a1, USER_EDITOR, f->editor, ARTICLE_PUBLISH,
					    now + 600, now, NULL), 0);
	assert_int_equal(article_transition(f->db, a2, USER_EDITOR, f->editor, ARTICLE_PUBLISH, 0,
					    now, NULL), 0);
	article_filter sched = {.status = ARTICLE_PUBLISHED, .published_after = now};
	assert_int_equal(article_admin_list(f->db, f->arena, &sched, 10, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(items[0].id, a1);

	/* Category and paging. */
	article_filter cat = {.status = -1, .category_id = f->cat2};
	assert_int_equal(article_admin_list(f->db, f->arena, &cat, 10, &items, &n, &total), 0);
	assert_int_equal(total, 0);
	article_filter page = {.status = -1, .offset = 2};
	assert_int_equal(article_admin_list(f->db, f->arena, &page, 2, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 3);
	assert_int_equal(article_admin_list(f->db, f->arena, &page, 0, &items, &n, &total), -1);
}

/* ---- revisions ----------------------------------------------------------------- */

static void test_revisions(void **state)
{
	fixture *f = *state;
	int64_t id = write_draft(f, f->author1, "Bản đầu", "Dòng một\nDòng hai\n");
	const char *tags[] = {"Điện Biên", "bảo tàng"};
	article_image imgs[] = {{.file = "a1b2c3.png", .caption = "Hội nghị"}};
	article_input in = draft(f->cat2, "Bản hai", "Dòng một\nDòng hai sửa\nDòng ba\n");
	in.tags = tags;
	in.ntags = 2;
	in.images = imgs;
	in.nimages = 1;
	assert_int_equal(revision_save(f->db, f->arena, &id, &in, f->editor, "bientap", 1000, NULL),
			 0);
	/* The update reached the article and the search index. */
	article a;
	assert_int_equal(article_get_any(f->db, f->arena, id, &a), 0);
	assert_string_equal(a.title, "Bản hai");
	assert_int_equal(a.category_id, f->cat2);
	assert_int_equal(a.ntags, 2);
	assert_non_null(a.image);
	assert_string_equal(a.image, "a1b2c3.png");
	assert_int_equal(a.author_id, f->author1);   /* saving does not change the author */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM search_fts"
					  " WHERE search_fts MATCH 'sửa'"), 1);

	revision *list;
	size_t n;
	assert_int_equal(revision_list(f->db, f->arena, id, 10, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].title, "Bản hai");   /* newest first */
	assert_string_equal(list[0].user_name, "bientap");
	assert_int_equal(list[0].created_at, 1000);
	assert_string_equal(list[1].title, "Bản đầu");
	assert_int_equal(list[1].user_id, f->author1);

	revision r;
	assert_int_equal(revision_get(f->db, f->arena, id, list[0].id, &r), 0);
	assert_int_equal(r.ntags, 2);
	assert_string_equal(r.tags[0], "Điện Biên");
	assert_int_equal(r.nimages, 1);
	assert_string_equal(r.images[0].file, "a1b2c3.png");
	assert_string_equal(r.images[0].caption, "Hội nghị");
	/* Another article's id does not open this version. */
	int64_t other = write_draft(f, f->author2, "Bài khác", "k");
	assert_int_equal(revision_get(f->db, f->arena, other, list[0].id, &r), 1);
	assert_int_equal(revision_get(f->db, f->arena, id, 999999, &r), 1);

	/* Restore the first: a new version, the old content back. */
	int64_t first = list[1].id, restored = 0;
	assert_int_equal(revision_restore(f->db, f->arena, id, first, f->editor, "bientap", 2000,
					  &restored), 0);
	assert_true(restored > list[0].id);
	assert_int_equal(article_get_any(f->db, f->arena, id, &a), 0);
	assert_string_equal(a.title, "Bản đầu");
	assert_string_equal(a.body_md, "Dòng một\nDòng hai\n");
	assert_int_equal(a.ntags, 0);
	assert_null(a.image);
	assert_int_equal(revision_list(f->db, f->arena, id, 10, &list, &n), 0);
	assert_int_equal(n, 3);
	char note[32];
	snprintf(note, sizeof note, "restore %lld", (long long)first);
	assert_string_equal(list[0].note, note);
	assert_int_equal(revision_restore(f->db, f->arena, other, first, f->editor, "bientap", 2000,
					  NULL), 1);

	/* Deleting the article deletes its versions. */
	assert_int_equal(article_delete(f->db, id), 0);
	assert_int_equal(article_delete(f->db, id), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM article_revisions"
					  " WHERE article_id NOT IN (SELECT id FROM articles)"), 0);
}

static void test_revision_refused_save_changes_nothing(void **state)
{
	fixture *f = *state;
	int64_t id = write_draft(f, f->author1, "Giữ nguyên", "a");
	article_input in = draft(f->cat1, "   ", "b");   /* blank title */
	assert_int_equal(revision_save(f->db, f->arena, &id, &in, f->author1, "tacgia", 5, NULL), -1);
	article_image missing[] = {{.file = "khongco.png", .caption = ""}};
	in = draft(f->cat1, "Ảnh không có", "b");
	in.images = missing;
	in.nimages = 1;
	assert_int_equal(revision_save(f->db, f->arena, &id, &in, f->author1, "tacgia", 5, NULL), -1);
	/* Checked at the moment of writing: another author, or the author once
	 * the draft is submitted, is refused. */
	in = draft(f->cat1, "Người khác sửa", "b");
	assert_int_equal(revision_save_as(f->db, f->arena, &id, &in, USER_AUTHOR, f->author2,
					  "tacgia2", 5), 2);
	assert_int_equal(revision_save_as(f->db, f->arena, &id, &in, USER_MODERATOR, f->author1,
					  "tacgia", 5), 2);
	assert_int_equal(article_transition(f->db, id, USER_AUTHOR, f->author1, ARTICLE_SUBMIT, 0,
					    5, NULL), 0);
	assert_int_equal(revision_save_as(f->db, f->arena, &id, &in, USER_AUTHOR, f->author1,
					  "tacgia", 5), 2);
	int64_t none = 424242;
	in = draft(f->cat1, "Không có bài", "b");
	assert_int_equal(revision_save(f->db, f->arena, &none, &in, f->author1, "tacgia", 5, NULL),
			 1);
	assert_int_equal(revision_save_as(f->db, f->arena, &none, &in, USER_EDITOR, f->editor,
					  "bientap", 5), 1);
	/* The editor still may. */
	in = draft(f->cat1, "Giữ nguyên", "c");
	assert_int_equal(revision_save_as(f->db, f->arena, &id, &in, USER_EDITOR, f->editor,
					  "bientap", 6), 0);
	revision *list;
	size_t n;
	assert_int_equal(revision_list(f->db, f->arena, id, 10, &list, &n), 0);
	assert_int_equal(n, 2);
	article a;
	assert_int_equal(article_get_any(f->db, f->arena, id, &a), 0);
	assert_string_equal(a.title, "Giữ nguyên");
	assert_string_equal(a.body_md, "c");
	assert_int_equal(db_in_transaction(f->db), 0);
}

static void test_revision_original_of_imported(void **state)
{
	fixture *f = *state;
	/* Written by the importer: no author, no version. */
	article_input in = draft(f->cat1, "Bài nhập từ tệp", "Nguyên bản");
	in.status = ARTICLE_PUBLISHED;
	int64_t id;
	assert_int_equal(article_create(f->db, &in, &id), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM article_revisions"), 0);
	in = draft(f->cat1, "Bài nhập từ tệp", "Đã sửa");
	assert_int_equal(revision_save(f->db, f->arena, &id, &in, f->editor, "bientap", 7, NULL), 0);
	revision *list;
	size_t n;
	assert_int_equal(revision_list(f->db, f->arena, id, 10, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[1].note, "original");
	assert_int_equal(list[1].user_id, 0);
	revision r;
	assert_int_equal(revision_get(f->db, f->arena, id, list[1].id, &r), 0);
	assert_string_equal(r.body_md, "Nguyên bản");
	/* The status stays what it was: a save is not a transition. */
	assert_int_equal(status_of(f, id), ARTICLE_PUBLISHED);
}

/* ---- the diff ------------------------------------------------------------------ */

static void check_diff(arena_t *a, const char *x, const char *y, const char *want)
{
	revision_diff_line *d;
	size_t n;
	assert_int_equal(revision_diff(a, x, y, &d, &n), 0);
	char got[1024] = "";
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(got);
		snprintf(got + len, sizeof got - len, "%c%s|",
			 d[i].op == REVISION_SAME ? '=' : d[i].op == REVISION_ADDED ? '+' : '-',
			 d[i].line);
	}
	assert_string_equal(got, want);
}

static void test_diff_cases(void **state)
{
	fixture *f = *state;
	arena_t *a = f->arena;
	check_diff(a, "", "", "");
	check_diff(a, NULL, "a\nb", "+a|+b|");
	check_diff(a, "a\nb\n", "", "-a|-b|");
	check_diff(a, "a\nb\nc", "a\nb\nc", "=a|=b|=c|");
	check_diff(a, "a\nb\nc", "a\nx\nc", "=a|-b|+x|=c|");
	check_diff(a, "a\r\nb\r\n", "a\nb\n", "=a|=b|");
	check_diff(a, "a\nb\nc\nd", "b\nc\nd\ne", "-a|=b|=c|=d|+e|");
	check_diff(a, "x\ny\nz", "p\nq", "-x|-y|-z|+p|+q|");
	check_diff(a, "a\nb\na\nb", "b\na\nb\na", "-a|=b|=a|=b|+a|");
	check_diff(a, "Lễ <b>&\n", "Lễ <b>&\nhội", "=Lễ <b>&|+hội|");
}

/* The length of the longest common subsequence, the plain way. */
static size_t lcs_plain(const int *x, size_t nx, const int *y, size_t ny)
{
	size_t *t = calloc((nx + 1) * (ny + 1), sizeof(*t));
	assert_non_null(t);
	for (size_t i = 1; i <= nx; i++)
		for (size_t j = 1; j <= ny; j++)
			t[i * (ny + 1) + j] = x[i - 1] == y[j - 1]
						      ? t[(i - 1) * (ny + 1) + j - 1] + 1
						      : (t[(i - 1) * (ny + 1) + j] > t[i * (ny + 1) + j - 1]
							     ? t[(i - 1) * (ny + 1) + j]
							     : t[i * (ny + 1) + j - 1]);
	size_t r = t[nx * (ny + 1) + ny];
	free(t);
	return r;
}

static void test_diff_random(void **state)
{
	fixture *f = *state;
	srand(12345);
	for (int round = 0; round < 300; round++) {
		int x[40], y[40];
		size_t nx = (size_t)(rand() % 40), ny = (size_t)(rand() % 40);
		char tx[200] = "", ty[200] = "";
		for (size_t i = 0; i < nx; i++) {
			x[i] = rand() % 5;
			snprintf(tx + strlen(tx), sizeof tx - strlen(tx), "%d\n", x[i]);
		}
		for (size_t i = 0; i < ny; i++) {
			y[i] = rand() % 5;
			snprintf(ty + strlen(ty), sizeof ty - strlen(ty), "%d\n", y[i]);
		}
		revision_diff_line *d;
		size_t n;
		assert_int_equal(revision_diff(f->arena, tx, ty, &d, &n), 0);
		/* Old = same + removed, new = same + added, in order; and the
		 * common part is as long as it can be. */
		size_t ix = 0, iy = 0, same = 0;
		for (size_t i = 0; i < n; i++) {
			int v = atoi(d[i].line);
			if (d[i].op != REVISION_ADDED) {
				assert_true(ix < nx);
				assert_int_equal(v, x[ix++]);
			}
			if (d[i].op != REVISION_REMOVED) {
				assert_true(iy < ny);
				assert_int_equal(v, y[iy++]);
			}
			same += d[i].op == REVISION_SAME;
		}
		assert_int_equal(ix, nx);
		assert_int_equal(iy, ny);
		assert_int_equal(same, lcs_plain(x, nx, y, ny));
	}
}

static void test_diff_limits(void **state)
{
	fixture *f = *state;
	size_t lines = REVISION_DIFF_MAX_LINES;
	char *big = malloc(lines * 8 + 16), *other = malloc(lines * 8 + 16);
	assert_non_null(big);
	assert_non_null(other);
	char *p = big, *q = other;
	for (size_t i = 0; i < lines; i++) {
		p += sprintf(p, "%zu\n", i);
		q += sprintf(q, "%zu\n", (i * 7919) % lines);  /* a shuffle: little in common */
	}
	revision_diff_line *d;
	size_t n;
	/* At the limit: compared, in bounded time (the worst case of this size). */
	clock_t t0 = clock();
	assert_int_equal(revision_diff(f->arena, big, other, &d, &n), 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 20.0);
	assert_true(n >= lines);
	/* One line more: refused before any work. */
	strcpy(p, "x\n");
	assert_int_equal(revision_diff(f->arena, big, "a", &d, &n), 1);
	assert_int_equal(revision_diff(f->arena, "a", big, &d, &n), 1);
	free(big);
	free(other);
}

static void test_document(void **state)
{
	fixture *f = *state;
	const char *tags[] = {"a", "b"};
	article_image im[] = {{.file = "x.png", .caption = "Chú thích"}};
	revision r = {.title = "T", .summary = "S", .body_md = "B", .tags = tags, .ntags = 2,
		      .images = im, .nimages = 1};
	char *doc = revision_document(f->arena, &r);
	assert_non_null(doc);
	assert_string_equal(doc, "# T\n\nS\n\n[a] [b]\n\n![Chú thích](x.png)\n\nB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_may_author),
		cmocka_unit_test(test_may_editor),
		testdb_case(test_transitions, setup),
		testdb_case(test_scheduled, setup),
		testdb_case(test_scheduled_appears, setup),
		testdb_case(test_admin_list, setup),
		testdb_case(test_revisions, setup),
		testdb_case(test_revision_refused_save_changes_nothing, setup),
		testdb_case(test_revision_original_of_imported, setup),
		testdb_case(test_diff_cases, setup),
		testdb_case(test_diff_random, setup),
		testdb_case(test_diff_limits, setup),
		testdb_case(test_document, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
