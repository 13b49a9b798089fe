/*
 * category.c - news categories ("Tin hoạt động", ...), in display order.
 */
#include "model/category.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"

#define CATEGORY_LIST_MAX 500  /* a portal menu never has more */
#define SLUG_MAX 96            /* text_slug() writes at most 80 bytes */
#define SLUG_TRIES 100         /* "slug", "slug-2" ... "slug-100" */
#define NAME_SCAN_MAX 4096     /* longer input is refused without reading on */

/* A category's slug is the first path segment of its pages ("/tin-tuc"), so
 * it must not take a prefix the router gives to something else. */
static const char *const reserved_slugs[] = {
	"api", "admin", "media", "static", "tim-kiem", "search", "feed", "rss",
	"dang-nhap", "login", "tai-khoan", "the", "tag", "hien-vat", "trung-bay",
};

static bool reserved(const char *slug)
{
	for (size_t i = 0; i < sizeof reserved_slugs / sizeof reserved_slugs[0]; i++)
		if (strcmp(slug, reserved_slugs[i]) == 0)
			return true;
	return false;
}

static int fill(arena_t *a, db_stmt *st, category *out)
{
	const char *slug = db_col_text(st, 1), *name = db_col_text(st, 2);
	out->id = db_col_int64(st, 0);
	out->slug = arena_strdup(a, slug != NULL ? slug : "");
	out->name = arena_strdup(a, name != NULL ? name : "");
	out->position = (int)db_col_int64(st, 3);
	if (out->slug == NULL || out->name == NULL) {
		log_error("category: out of memory");
		return -1;
	}
	return 0;
}

int category_list(db_t *db, arena_t *a, category **items, size_t *n)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL)
		return -1;
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM categories");
	if (st == NULL)
		return -1;
	int64_t total = -1;
	if (db_step(st) == DB_ROW)
		total = db_col_int64(st, 0);
	db_done(st);
	if (total < 0)
		return -1;
	if (total > CATEGORY_LIST_MAX)
		total = CATEGORY_LIST_MAX;

	/* The count may be stale by the time of the second read: LIMIT keeps
	 * the array from overflowing and a missing row only shortens the list. */
	category *list = arena_calloc(a, (size_t)total + 1, sizeof(*list));
	if (list == NULL) {
		log_error("category: out of memory");
		return -1;
	}
	st = db_prepare(db, "SELECT id, slug, name, position FROM categories"
			    " ORDER BY position, id LIMIT ?");
	if (st == NULL)
		return -1;
	size_t count = 0;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, total) == 0)
		while ((rc = db_step(st)) == DB_ROW)
			if (fill(a, st, &list[count++]) != 0) {
				rc = DB_ERROR;
				break;
			}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	*items = list;
	*n = count;
	return 0;
}

static int get_one(arena_t *a, db_stmt *st, category *out)
{
	int rc = db_step(st);
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW)
		result = fill(a, st, out);
	db_done(st);
	return result;
}

int category_get(db_t *db, arena_t *a, int64_t id, category *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT id, slug, name, position FROM categories WHERE id = ?");
	if (st == NULL)
		return -1;
	if (db_bind_int64(st, 1, id) != 0) {
		db_done(st);
		return -1;
	}
	return get_one(a, st, out);
}

int category_get_by_slug(db_t *db, arena_t *a, const char *slug, category *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	/* Slugs come from URLs: anything longer than a slug can be is absent. */
	if (slug == NULL || slug[0] == '\0' || strnlen(slug, SLUG_MAX) >= SLUG_MAX)
		return 1;
	db_stmt *st =
	    db_prepare(db, "SELECT id, slug, name, position FROM categories WHERE slug = ?");
	if (st == NULL)
		return -1;
	if (db_bind_text(st, 1, slug, -1) != 0) {
		db_done(st);
		return -1;
	}
	return get_one(a, st, out);
}

static int find_by_name(db_t *db, const char *name, size_t len, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM categories WHERE name = ?");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, name, (long)len) == 0)
		rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int slug_taken(db_t *db, const char *slug)
{
	if (reserved(slug))
		return 1;
	db_stmt *st = db_prepare(db, "SELECT 1 FROM categories WHERE slug = ?");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, slug, -1) == 0)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int insert(db_t *db, const char *name, size_t len, int64_t *id)
{
	char base[SLUG_MAX], slug[SLUG_MAX + 8];
	if (text_slug(name, len, base, sizeof base) == 0)
		snprintf(base, sizeof base, "chuyen-muc");
	/* Two names can fold to one slug ("Tin tức", "Tin-tức"): number the later. */
	int taken = 1;
	for (int i = 1; i <= SLUG_TRIES && taken == 1; i++) {
		if (i == 1)
			snprintf(slug, sizeof slug, "%s", base);
		else
			snprintf(slug, sizeof slug, "%.*s-%d", 80 - 4, base, i);
		taken = slug_taken(db, slug);
	}
	if (taken != 0) {
		if (taken == 1)
			log_error("category: no free slug for \"%.60s\"", name);
		return -1;
	}
	db_stmt *st = db_prepare(db, "INSERT INTO categories (slug, name, position)"
				     " SELECT ?, ?, coalesce(max(position), 0) + 1 FROM categories");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, slug, -1) == 0 && db_bind_text(st, 2, name, (long)len) == 0)
		rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	*id = db_last_insert_id(db);
	return 0;
}

int category_ensure(db_t *db, const char *name, int64_t *id)
{
	if (db == NULL || name == NULL || id == NULL)
		return -1;
	/* Surrounding spaces are never meant: "Tin tức " is "Tin tức". */
	size_t len = strnlen(name, NAME_SCAN_MAX);
	while (len > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	if (len == 0 || len > CATEGORY_NAME_MAX || !utf8_valid(name, len)) {
		log_warn("category: refused name (empty, longer than %d bytes or not UTF-8)",
			 CATEGORY_NAME_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
			log_warn("category: refused name with a control character");
			return -1;
		}

	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int rc = find_by_name(db, name, len, id);
	if (rc == 1)
		rc = insert(db, name, len, id);
	return db_write_end(db, nested, rc == 0);
}
