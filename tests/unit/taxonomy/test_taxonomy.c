/*
 * test_taxonomy.c - the back office's categories, tags and links in
 * src/model (category.c, tag.c, link.c) over a real, migrated SQLite
 * database in a temporary folder (one per test): validation, uniqueness
 * after folding, former slugs, ordering, merge and delete rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/category.h"
#include "model/link.h"
#include "model/tag.h"

typedef testdb_fixture fixture;

/* The names of the categories in display order, joined by '|'. */
static const char *category_order(fixture *f)
{
	category *items;
	size_t n;
	assert_int_equal(category_list(f->db, f->arena, &items, &n), 0);
	static char out[1024];
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, items[i].name);
	}
	return out;
}

static int64_t create(fixture *f, const char *name, const char *slug)
{
	int64_t id = 0;
	assert_int_equal(category_create(f->db, name, slug, &id, NULL), 0);
	assert_true(id > 0);
	return id;
}

static void add_article(fixture *f, int64_t category_id, const char *slug)
{
	db_stmt *st = db_prepare(f->db, "INSERT INTO articles (category_id, slug, title, status)"
					" VALUES (?, ?, ?, 2)");
	assert_non_null(st);
	assert_int_equal(db_bind_int64(st, 1, category_id), 0);
	assert_int_equal(db_bind_text(st, 2, slug, -1), 0);
	assert_int_equal(db_bind_text(st, 3, slug, -1), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
}

/* ---- categories -------------------------------------------------------------- */

static void test_category_checks(void **state)
{
	(void)state;
	assert_int_equal(category_check_name("Tin tức", NULL), 0);
	assert_int_equal(category_check_name("  Tin tức  ", NULL), 0);
	assert_int_equal(category_check_name("", NULL), CATEGORY_NAME_EMPTY);
	assert_int_equal(category_check_name(" \t ", NULL), CATEGORY_NAME_EMPTY);
	assert_int_equal(category_check_name(NULL, NULL), CATEGORY_NAME_EMPTY);
	assert_int_equal(category_check_name("Hai\ndòng", NULL), CATEGORY_NAME_INVALID);
	assert_int_equal(category_check_name("\xc0\xaf", NULL), CATEGORY_NAME_INVALID);
	char name[CATEGORY_NAME_MAX + 2];
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	assert_int_equal(category_check_name(name, NULL), CATEGORY_NAME_LONG);
	name[CATEGORY_NAME_MAX] = '\0';
	assert_int_equal(category_check_name(name, NULL), 0);

	assert_int_equal(category_check_slug("tin-tuc", NULL), 0);
	assert_int_equal(category_check_slug("2021", NULL), 0);
	assert_int_equal(category_check_slug("Tin-tuc", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("tin tuc", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("tin_tuc", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("tức", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("-tin", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("tin-", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("", NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug(NULL, NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_check_slug("api", NULL), CATEGORY_SLUG_RESERVED);
	assert_int_equal(category_check_slug("admin", NULL), CATEGORY_SLUG_RESERVED);
	assert_int_equal(category_check_slug("binh-luan", NULL), CATEGORY_SLUG_RESERVED);
	char slug[CATEGORY_SLUG_MAX + 2];
	memset(slug, 'a', sizeof slug - 1);
	slug[sizeof slug - 1] = '\0';
	assert_int_equal(category_check_slug(slug, NULL), CATEGORY_SLUG_INVALID);
	slug[CATEGORY_SLUG_MAX] = '\0';
	assert_int_equal(category_check_slug(slug, NULL), 0);
}

static void test_category_create(void **state)
{
	fixture *f = *state;
	int64_t a = create(f, "  Tin tức ", NULL);
	category c;
	assert_int_equal(category_get(f->db, f->arena, a, &c), 0);
	assert_string_equal(c.name, "Tin tức");
	assert_string_equal(c.slug, "tin-tuc");

	/* One name to a reader: marks and case do not make another. */
	int64_t id = 0;
	assert_int_equal(category_create(f->db, "Tin tuc", NULL, &id, NULL), CATEGORY_NAME_TAKEN);
	assert_int_equal(category_create(f->db, "TIN TỨC", NULL, &id, NULL), CATEGORY_NAME_TAKEN);
	assert_int_equal(category_create(f->db, "Tin tức", "khac", &id, NULL), CATEGORY_NAME_TAKEN);
	/* A different name with the same slug is numbered. */
	int64_t b = create(f, "Tin-tức", NULL);
	assert_int_equal(category_get(f->db, f->arena, b, &c), 0);
	assert_string_equal(c.slug, "tin-tuc-2");
	/* A slug typed must be free and well formed. */
	assert_int_equal(category_create(f->db, "Sự kiện", "tin-tuc", &id, NULL), CATEGORY_SLUG_TAKEN);
	assert_int_equal(category_create(f->db, "Sự kiện", "Su Kien", &id, NULL), CATEGORY_SLUG_INVALID);
	assert_int_equal(category_create(f->db, "Sự kiện", "api", &id, NULL), CATEGORY_SLUG_RESERVED);
	assert_int_equal(category_create(f->db, "", "su-kien", &id, NULL), CATEGORY_NAME_EMPTY);
	/* A name that makes a reserved slug is numbered, never refused. */
	int64_t api = create(f, "API", NULL);
	assert_int_equal(category_get(f->db, f->arena, api, &c), 0);
	assert_string_equal(c.slug, "api-2");
	int64_t s = create(f, "Sự kiện", "su-kien-noi-bat");
	assert_int_equal(category_get(f->db, f->arena, s, &c), 0);
	assert_string_equal(c.slug, "su-kien-noi-bat");
	assert_string_equal(category_order(f), "Tin tức|Tin-tức|API|Sự kiện");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM categories"), 4);
	assert_int_equal(category_create(NULL, "x", NULL, &id, NULL), -1);
	assert_int_equal(category_create(f->db, "x", NULL, NULL, NULL), -1);
}

static void test_category_rename_keeps_former_slugs(void **state)
{
	fixture *f = *state;
	int64_t a = create(f, "Tin tức", NULL);
	int64_t b = create(f, "Sự kiện", NULL);
	category c;

	/* Only the name: the slug typed is the same, nothing is retired. */
	assert_int_equal(category_rename(f->db, a, "Tin tức mới", "tin-tuc", NULL), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM category_slugs"), 0);
	/* A new slug: the old one becomes former and still finds it. */
	assert_int_equal(category_rename(f->db, a, "Tin tức mới", "tin-moi", NULL), 0);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "tin-moi", &c), 0);
	assert_int_equal(c.id, a);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "tin-tuc", &c), 0);
	assert_int_equal(c.id, a);
	assert_string_equal(c.slug, "tin-moi");   /* the current one, to redirect to */
	assert_string_equal(c.name, "Tin tức mới");
	/* An empty slug follows the name. */
	assert_int_equal(category_rename(f->db, a, "Thời sự", "", NULL), 0);
	assert_int_equal(category_get(f->db, f->arena, a, &c), 0);
	assert_string_equal(c.slug, "thoi-su");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM category_slugs"), 2);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "tin-tuc", &c), 0);
	assert_int_equal(c.id, a);
	const char **former;
	size_t nformer;
	assert_int_equal(category_former_slugs(f->db, f->arena, a, &former, &nformer), 0);
	assert_int_equal(nformer, 2);
	assert_true((strcmp(former[0], "tin-moi") == 0 && strcmp(former[1], "tin-tuc") == 0) ||
		    (strcmp(former[0], "tin-tuc") == 0 && strcmp(former[1], "tin-moi") == 0));
	assert_int_equal(category_former_slugs(f->db, f->arena, b, &former, &nformer), 0);
	assert_int_equal(nformer, 0);

	/* Another category may not take a slug, current or former, of this one. */
	assert_int_equal(category_rename(f->db, b, "Sự kiện", "tin-tuc", NULL), CATEGORY_SLUG_TAKEN);
	assert_int_equal(category_rename(f->db, b, "Sự kiện", "thoi-su", NULL), CATEGORY_SLUG_TAKEN);
	int64_t id;
	assert_int_equal(category_create(f->db, "Khác", "tin-moi", &id, NULL), CATEGORY_SLUG_TAKEN);
	/* A new category named like a former slug gets a numbered one. */
	int64_t t = create(f, "Tin tức", NULL);
	assert_int_equal(category_get(f->db, f->arena, t, &c), 0);
	assert_string_equal(c.slug, "tin-tuc-2");
	/* Nor a name another one has, folded. */
	assert_int_equal(category_rename(f->db, b, "THOI SU", NULL, NULL), CATEGORY_NAME_TAKEN);
	assert_int_equal(category_rename(f->db, b, "", NULL, NULL), CATEGORY_NAME_EMPTY);
	assert_int_equal(category_rename(f->db, 9999, "Không có", NULL, NULL), CATEGORY_NOT_FOUND);
	/* A refusal wrote nothing. */
	assert_int_equal(category_get(f->db, f->arena, b, &c), 0);
	assert_string_equal(c.slug, "su-kien");

	/* Its own former slug may be taken back: it stops being former. */
	assert_int_equal(category_rename(f->db, a, "Tin tức cũ", "tin-tuc", NULL), 0);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "tin-tuc", &c), 0);
	assert_string_equal(c.slug, "tin-tuc");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM category_slugs WHERE slug = 'tin-tuc'"),
			 0);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "thoi-su", &c), 0);
	assert_int_equal(c.id, a);
	assert_int_equal(category_get_by_slug(f->db, f->arena, "khong-co", &c), 1);

	/* A slug made before its word was reserved may be kept, not taken. */
	assert_int_equal(db_exec(f->db, "UPDATE categories SET slug = 'binh-luan' WHERE name = 'Sự kiện'"),
			 0);
	assert_int_equal(category_rename(f->db, b, "Bình luận", "binh-luan", NULL), 0);
	assert_int_equal(category_rename(f->db, b, "Bình luận", "api", NULL), CATEGORY_SLUG_RESERVED);
	assert_int_equal(category_rename(f->db, a, "Tin tức cũ", "binh-luan", NULL), CATEGORY_SLUG_RESERVED);
	assert_int_equal(category_get(f->db, f->arena, b, &c), 0);
	assert_string_equal(c.slug, "binh-luan");
	assert_string_equal(c.name, "Bình luận");
}

static void test_category_order(void **state)
{
	fixture *f = *state;
	int64_t a = create(f, "A", NULL), b = create(f, "B", NULL), c = create(f, "C", NULL);
	assert_string_equal(category_order(f), "A|B|C");
	assert_int_equal(category_shift(f->db, c, -1, NULL), 0);
	assert_string_equal(category_order(f), "A|C|B");
	assert_int_equal(category_shift(f->db, a, -1, NULL), 0);   /* already first */
	assert_string_equal(category_order(f), "A|C|B");
	assert_int_equal(category_shift(f->db, a, 1, NULL), 0);
	assert_string_equal(category_order(f), "C|A|B");
	assert_int_equal(category_shift(f->db, c, 100, NULL), 0);
	assert_string_equal(category_order(f), "A|B|C");
	assert_int_equal(category_shift(f->db, c, -2000000, NULL), 0);
	assert_string_equal(category_order(f), "C|A|B");
	assert_int_equal(category_shift(f->db, 9999, 1, NULL), CATEGORY_NOT_FOUND);
	/* Positions are 1..n without gaps after every move. */
	assert_int_equal(testdb_query_int(f->db, "SELECT group_concat(position, ',') = '1,2,3' FROM"
					  " (SELECT position FROM categories ORDER BY position)"),
			 1);

	int64_t order[] = {b, c, a};
	assert_int_equal(category_reorder(f->db, order, 3, NULL), 0);
	assert_string_equal(category_order(f), "B|C|A");
	/* Not exactly the categories: refused, nothing changes. */
	int64_t missing[] = {a, b};
	assert_int_equal(category_reorder(f->db, missing, 2, NULL), CATEGORY_ORDER_STALE);
	int64_t twice[] = {a, a, b};
	assert_int_equal(category_reorder(f->db, twice, 3, NULL), CATEGORY_ORDER_STALE);
	int64_t unknown[] = {a, b, 9999};
	assert_int_equal(category_reorder(f->db, unknown, 3, NULL), CATEGORY_ORDER_STALE);
	assert_int_equal(category_reorder(f->db, NULL, 0, NULL), CATEGORY_ORDER_STALE);
	assert_string_equal(category_order(f), "B|C|A");
}

static void test_category_delete_only_when_empty(void **state)
{
	fixture *f = *state;
	int64_t a = create(f, "A", NULL), b = create(f, "B", NULL), c = create(f, "C", NULL);
	add_article(f, b, "mot");
	add_article(f, b, "hai");
	int64_t n = -1;
	assert_int_equal(category_delete(f->db, b, &n, NULL), CATEGORY_NOT_EMPTY);
	assert_int_equal(n, 2);
	category *items;
	size_t count;
	assert_int_equal(category_list_counts(f->db, f->arena, &items, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(items[0].articles, 0);
	assert_int_equal(items[1].articles, 2);
	assert_string_equal(items[1].name, "B");

	assert_int_equal(category_rename(f->db, a, "A", "a-moi", NULL), 0);
	assert_int_equal(category_delete(f->db, a, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(category_delete(f->db, a, &n, NULL), CATEGORY_NOT_FOUND);
	/* Its former slugs are forgotten with it, and free again. */
	category got;
	assert_int_equal(category_get_by_slug(f->db, f->arena, "a", &got), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM category_slugs"), 0);
	assert_string_equal(category_order(f), "B|C");
	assert_int_equal(testdb_query_int(f->db, "SELECT group_concat(position, ',') = '1,2' FROM"
					  " (SELECT position FROM categories ORDER BY position)"),
			 1);
	int64_t id = create(f, "A mới", "a");
	assert_int_equal(category_get_by_slug(f->db, f->arena, "a", &got), 0);
	assert_int_equal(got.id, id);
	(void)c;
}

/* ---- tags -------------------------------------------------------------------- */

static int64_t tag_of(fixture *f, const char *slug)
{
	db_stmt *st = db_prepare(f->db, "SELECT id FROM tags WHERE slug = ?");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, slug, -1), 0);
	int64_t id = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
	db_done(st);
	return id;
}

/* Two articles: 1 has "Điện Biên" (0) and "Hội nghị" (1); 2 has "Điện Biên
 * Phủ" (0), "hoi nghi 2021" (1) and "Điện Biên" (2). */
static void tagged(fixture *f)
{
	int64_t cat = create(f, "Tin", NULL);
	add_article(f, cat, "mot");
	add_article(f, cat, "hai");
	assert_int_equal(db_exec(f->db, "INSERT INTO tags (slug, name) VALUES"
					" ('dien-bien', 'Điện Biên'), ('hoi-nghi', 'Hội nghị'),"
					" ('dien-bien-phu', 'Điện Biên Phủ'),"
					" ('hoi-nghi-2021', 'hoi nghi 2021');"
					" INSERT INTO article_tags (article_id, tag_id, position)"
					" SELECT 1, id, 0 FROM tags WHERE slug = 'dien-bien';"
					" INSERT INTO article_tags (article_id, tag_id, position)"
					" SELECT 1, id, 1 FROM tags WHERE slug = 'hoi-nghi';"
					" INSERT INTO article_tags (article_id, tag_id, position)"
					" SELECT 2, id, 0 FROM tags WHERE slug = 'dien-bien-phu';"
					" INSERT INTO article_tags (article_id, tag_id, position)"
					" SELECT 2, id, 1 FROM tags WHERE slug = 'hoi-nghi-2021';"
					" INSERT INTO article_tags (article_id, tag_id, position)"
					" SELECT 2, id, 2 FROM tags WHERE slug = 'dien-bien';"),
			 0);
}

static void test_tag_list_and_search(void **state)
{
	fixture *f = *state;
	tagged(f);
	tag *items;
	size_t n;
	bool more;
	assert_int_equal(tag_list(f->db, f->arena, NULL, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 4);
	assert_false(more);
	assert_string_equal(items[0].slug, "dien-bien");   /* by slug */
	assert_int_equal(items[0].uses, 2);
	assert_string_equal(items[1].name, "Điện Biên Phủ");
	assert_int_equal(items[1].uses, 1);

	assert_int_equal(tag_list(f->db, f->arena, "ĐIỆN biên", 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(tag_list(f->db, f->arena, "  hội  nghị ", 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(tag_list(f->db, f->arena, "2021", 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].name, "hoi nghi 2021");
	assert_int_equal(tag_list(f->db, f->arena, "***", 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_int_equal(tag_list(f->db, f->arena, "'; DROP TABLE tags; --", 0, 10, &items, &n,
				  &more),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 4);

	/* Pages. */
	assert_int_equal(tag_list(f->db, f->arena, "", 0, 3, &items, &n, &more), 0);
	assert_int_equal(n, 3);
	assert_true(more);
	assert_int_equal(tag_list(f->db, f->arena, "", 3, 3, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_string_equal(items[0].slug, "hoi-nghi-2021");
	char longq[TAG_QUERY_MAX + 2];
	memset(longq, 'a', sizeof longq - 1);
	longq[sizeof longq - 1] = '\0';
	assert_int_equal(tag_list(f->db, f->arena, longq, 0, 3, &items, &n, &more), -1);

	tag t;
	assert_int_equal(tag_find(f->db, f->arena, "dien bien", &t), 0);
	assert_string_equal(t.name, "Điện Biên");
	assert_int_equal(tag_find(f->db, f->arena, "không có", &t), 1);
	assert_int_equal(tag_find(f->db, f->arena, "", &t), 1);
	assert_int_equal(tag_get(f->db, f->arena, t.id + 1000, &t), 1);
}

static void test_tag_rename(void **state)
{
	fixture *f = *state;
	tagged(f);
	int64_t id = tag_of(f, "hoi-nghi");
	assert_int_equal(tag_rename(f->db, id, "  Hội nghị tổng kết ", NULL), 0);
	tag t;
	assert_int_equal(tag_get(f->db, f->arena, id, &t), 0);
	assert_string_equal(t.name, "Hội nghị tổng kết");
	assert_string_equal(t.slug, "hoi-nghi-tong-ket");
	assert_int_equal(t.uses, 1);
	/* Only the spelling changes: same slug is fine. */
	assert_int_equal(tag_rename(f->db, id, "HỘI NGHỊ TỔNG KẾT", NULL), 0);
	/* Another tag's slug: merge instead. */
	assert_int_equal(tag_rename(f->db, id, "Dien Bien", NULL), TAG_NAME_TAKEN);
	assert_int_equal(tag_rename(f->db, id, "", NULL), TAG_NAME_EMPTY);
	assert_int_equal(tag_rename(f->db, id, "!!!", NULL), TAG_NAME_INVALID);
	assert_int_equal(tag_rename(f->db, id, "a\tb\x01", NULL), TAG_NAME_INVALID);
	char name[TAG_NAME_MAX + 2];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	assert_int_equal(tag_rename(f->db, id, name, NULL), TAG_NAME_LONG);
	assert_int_equal(tag_rename(f->db, 9999, "Mới", NULL), TAG_NOT_FOUND);
	assert_int_equal(tag_get(f->db, f->arena, id, &t), 0);
	assert_string_equal(t.name, "HỘI NGHỊ TỔNG KẾT");
	assert_int_equal(tag_check_name("Thẻ", NULL), 0);
	assert_int_equal(tag_check_name(NULL, NULL), TAG_NAME_EMPTY);
}

/* A refusal travels as a model_problem too: the code, the field at fault
 * and the numbers its message needs. */
static void test_refusal_in_model_problem(void **state)
{
	fixture *f = *state;
	model_problem why;
	char name[CATEGORY_NAME_MAX + 2];
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	assert_int_equal(category_check_name(name, &why), CATEGORY_NAME_LONG);
	assert_int_equal(why.code, CATEGORY_NAME_LONG);
	assert_string_equal(why.field, "name");
	assert_int_equal(why.limit, CATEGORY_NAME_MAX);
	assert_int_equal(category_create(f->db, "Tin", "api", NULL, &why), -1);
	int64_t id = 0;
	assert_int_equal(category_create(f->db, "Tin", "api", &id, &why), CATEGORY_SLUG_RESERVED);
	assert_int_equal(why.code, CATEGORY_SLUG_RESERVED);
	assert_string_equal(why.field, "slug");
	int64_t b = create(f, "B", NULL);
	add_article(f, b, "mot");
	assert_int_equal(category_delete(f->db, b, NULL, &why), CATEGORY_NOT_EMPTY);
	assert_int_equal(why.count, 1);
	assert_null(why.field);
	assert_int_equal(category_check_name("Tin tức", &why), 0);
	assert_int_equal(why.code, 0);
	assert_null(why.field);
	assert_int_equal(tag_check_name(" ", &why), TAG_NAME_EMPTY);
	assert_int_equal(why.code, TAG_NAME_EMPTY);
	assert_string_equal(why.field, "name");
}

static void test_tag_merge_and_delete(void **state)
{
	fixture *f = *state;
	tagged(f);
	int64_t dien_bien = tag_of(f, "dien-bien"), phu = tag_of(f, "dien-bien-phu");
	int64_t hoi = tag_of(f, "hoi-nghi"), hoi21 = tag_of(f, "hoi-nghi-2021");
	int64_t moved = -1;
	assert_int_equal(tag_merge(f->db, hoi, hoi, &moved, NULL), TAG_MERGE_SELF);
	assert_int_equal(tag_merge(f->db, hoi, 9999, &moved, NULL), TAG_NOT_FOUND);
	assert_int_equal(tag_merge(f->db, 9999, hoi, &moved, NULL), TAG_NOT_FOUND);

	/* Article 2 has both: it keeps one "Điện Biên", at its own place. */
	assert_int_equal(tag_merge(f->db, phu, dien_bien, &moved, NULL), 0);
	assert_int_equal(moved, 0);
	assert_int_equal(tag_of(f, "dien-bien-phu"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM article_tags WHERE article_id = 2"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM article_tags WHERE tag_id NOT IN"
					  " (SELECT id FROM tags)"),
			 0);
	/* "hoi nghi 2021" into "Hội nghị": article 2 gains it at the same place. */
	assert_int_equal(tag_merge(f->db, hoi21, hoi, &moved, NULL), 0);
	assert_int_equal(moved, 1);
	tag t;
	assert_int_equal(tag_get(f->db, f->arena, hoi, &t), 0);
	assert_int_equal(t.uses, 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT position FROM article_tags"
					  " WHERE article_id = 2 AND tag_id = (SELECT id FROM tags"
					  " WHERE slug = 'hoi-nghi')"),
			 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tags"), 2);

	int64_t uses = -1;
	assert_int_equal(tag_delete(f->db, dien_bien, &uses, NULL), 0);
	assert_int_equal(uses, 2);
	assert_int_equal(tag_delete(f->db, dien_bien, &uses, NULL), TAG_NOT_FOUND);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM article_tags"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM articles"), 2);   /* articles stay */
}

/* ---- links ------------------------------------------------------------------- */

static const char *link_order(fixture *f)
{
	link_item *items;
	size_t n;
	assert_int_equal(link_list(f->db, f->arena, &items, &n), 0);
	static char out[1024];
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, items[i].title);
		assert_int_equal(items[i].position, (int)i + 1);
	}
	return out;
}

static void test_link_check(void **state)
{
	(void)state;
	assert_int_equal(link_check("Cổng", "https://dienbien.gov.vn", 0), LINK_OK);
	assert_int_equal(link_check("Cổng", "HTTP://dienbien.gov.vn/a?b#c", 0), LINK_OK);
	/* Paths inside the site: only for `sen links`. */
	assert_int_equal(link_check("Cổng", "/tin-tuc", 0), LINK_URL_SCHEME);
	assert_int_equal(link_check("Cổng", "/tin-tuc", LINK_ALLOW_PATH), LINK_OK);
	assert_int_equal(link_check("Cổng", "//evil.example", LINK_ALLOW_PATH), LINK_URL_SCHEME);
	assert_int_equal(link_check("Cổng", "javascript:alert(1)", 0), LINK_URL_SCHEME);
	assert_int_equal(link_check("Cổng", "JAVASCRIPT:alert(1)", LINK_ALLOW_PATH), LINK_URL_SCHEME);
	assert_int_equal(link_check("Cổng", "data:text/html,x", 0), LINK_URL_SCHEME);
	assert_int_equal(link_check("Cổng", " javascript:x", 0), LINK_URL_INVALID);
	assert_int_equal(link_check("Cổng", "https://a.vn/\"x", 0), LINK_URL_INVALID);
	assert_int_equal(link_check("Cổng", "https://a.vn/\xff", 0), LINK_URL_UTF8);
	assert_int_equal(link_check("Cổng", "https://", 0), LINK_URL_HOST);
	assert_int_equal(link_check("Cổng", "https://u@evil.example", 0), LINK_URL_USERINFO);
	assert_int_equal(link_check("Cổng", "", 0), LINK_URL_EMPTY);
	assert_int_equal(link_check("  ", "https://a.vn", 0), LINK_TITLE_EMPTY);
	assert_int_equal(link_check("a\nb", "https://a.vn", 0), LINK_TITLE_CONTROL);
	assert_int_equal(link_check("\xc0\xaf", "https://a.vn", 0), LINK_TITLE_UTF8);
	char title[LINK_TITLE_MAX + 2];
	memset(title, 't', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	assert_int_equal(link_check(title, "https://a.vn", 0), LINK_TITLE_LONG);
	char url[LINK_URL_MAX + 2];
	memcpy(url, "https://a.vn/", 13);
	memset(url + 13, 'x', sizeof url - 14);
	url[sizeof url - 1] = '\0';
	assert_int_equal(link_check("Cổng", url, 0), LINK_URL_LONG);
	url[LINK_URL_MAX] = '\0';
	assert_int_equal(link_check("Cổng", url, 0), LINK_OK);
	/* link_validate() is link_check() with paths allowed, plus the field. */
	model_problem why;
	assert_int_equal(link_validate("Cổng", "/tin-tuc", &why), 0);
	assert_int_equal(link_validate("Cổng", "javascript:x", &why), -1);
	assert_int_equal(why.code, LINK_URL_SCHEME);
	assert_string_equal(why.field, "url");
}

static void test_link_edit_and_order(void **state)
{
	fixture *f = *state;
	int64_t a, b, c;
	assert_int_equal(link_add(f->db, "A", "https://a.vn", &a), 0);
	assert_int_equal(link_add(f->db, "B", "https://b.vn", &b), 0);
	assert_int_equal(link_add(f->db, "C", "/c", &c), 0);
	assert_string_equal(link_order(f), "A|B|C");

	link_item l;
	assert_int_equal(link_get(f->db, f->arena, b, &l), 0);
	assert_string_equal(l.url, "https://b.vn");
	assert_int_equal(l.position, 2);
	assert_int_equal(link_get(f->db, f->arena, 9999, &l), 1);
	assert_int_equal(link_update(f->db, b, "Bê", "https://be.vn/x"), 0);
	assert_int_equal(link_get(f->db, f->arena, b, &l), 0);
	assert_string_equal(l.title, "Bê");
	assert_string_equal(l.url, "https://be.vn/x");
	assert_int_equal(link_update(f->db, b, "Bê", "javascript:alert(1)"), -1);
	assert_int_equal(link_update(f->db, 9999, "X", "https://x.vn"), 1);
	assert_int_equal(link_get(f->db, f->arena, b, &l), 0);
	assert_string_equal(l.url, "https://be.vn/x");

	assert_int_equal(link_shift(f->db, c, -1), 0);
	assert_string_equal(link_order(f), "A|C|Bê");
	assert_int_equal(link_shift(f->db, a, -1), 0);
	assert_string_equal(link_order(f), "A|C|Bê");
	assert_int_equal(link_shift(f->db, a, 5), 0);
	assert_string_equal(link_order(f), "C|Bê|A");
	assert_int_equal(link_shift(f->db, 9999, 1), 1);

	int64_t order[] = {b, a, c};
	assert_int_equal(link_reorder(f->db, order, 3), 0);
	assert_string_equal(link_order(f), "Bê|A|C");
	int64_t missing[] = {a, c};
	assert_int_equal(link_reorder(f->db, missing, 2), 2);
	int64_t twice[] = {a, a, c};
	assert_int_equal(link_reorder(f->db, twice, 3), 2);
	assert_string_equal(link_order(f), "Bê|A|C");
	assert_int_equal(link_remove(f->db, a), 0);
	assert_string_equal(link_order(f), "Bê|C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_category_checks),
		testdb_bare_case(test_category_create),
		testdb_bare_case(test_category_rename_keeps_former_slugs),
		testdb_bare_case(test_category_order),
		testdb_bare_case(test_category_delete_only_when_empty),
		testdb_bare_case(test_tag_list_and_search),
		testdb_bare_case(test_tag_rename),
		testdb_bare_case(test_tag_merge_and_delete),
		testdb_bare_case(test_refusal_in_model_problem),
		cmocka_unit_test(test_link_check),
		testdb_bare_case(test_link_edit_and_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
