/*
 * category.c - news categories ("Tin hoạt động", ...), in display order,
 * and the back office's changes to them: add, rename (keeping former slugs),
 * reorder, delete when empty.
 *
 * Positions are renumbered 1..n inside the transaction of every reorder, so
 * readers never see a half-moved list.
 */
#include "model/category.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "model/position.h"
#include "model/problem.h"

#define SLUG_MAX 96            /* text_slug() writes at most 80 bytes */
#define SLUG_TRIES 100         /* "slug", "slug-2" ... "slug-100" */
#define NAME_SCAN_MAX 4096     /* longer input is refused without reading on */

/* A category's slug is the first path segment of its pages ("/tin-tuc"), so
 * it must not take a prefix the router gives to something else. */
static const char *const reserved_slugs[] = {
	"api", "admin", "media", "static", "tim-kiem", "search", "feed", "rss",
	"dang-nhap", "login", "tai-khoan", "the", "tag", "hien-vat", "trung-bay",
	"danh-gia", "binh-luan", "ma-xac-thuc", "oai", "an-pham", "iiif",
	/* Operations (issue 15): health and metrics for monitors. */
	"healthz", "metrics",
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
	out->id = db_col_int64(st, 0);
	out->slug = db_col_copy(a, st, 1, "", NULL);
	out->name = db_col_copy(a, st, 2, "", NULL);
	out->position = (int)db_col_int64(st, 3);
	out->articles = 0;
	if (out->slug == NULL || out->name == NULL) {
		log_error("category: out of memory");
		return -1;
	}
	return 0;
}

/* ---- reading ----------------------------------------------------------------- */

static int list(db_t *db, arena_t *a, bool counts, category **items, size_t *n)
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
	category *arr = arena_calloc(a, (size_t)total + 1, sizeof(*arr));
	if (arr == NULL) {
		log_error("category: out of memory");
		return -1;
	}
	/* The count walks the index articles_list_category per category. */
	st = db_prepare(db, counts ? "SELECT c.id, c.slug, c.name, c.position,"
				     " (SELECT count(*) FROM articles a WHERE a.category_id = c.id)"
				     " FROM categories c ORDER BY c.position, c.id LIMIT ?"
				   : "SELECT c.id, c.slug, c.name, c.position FROM categories c"
				     " ORDER BY c.position, c.id LIMIT ?");
	if (st == NULL)
		return -1;
	size_t count = 0;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, total) == 0)
		while ((rc = db_step(st)) == DB_ROW) {
			if (fill(a, st, &arr[count]) != 0) {
				rc = DB_ERROR;
				break;
			}
			if (counts)
				arr[count].articles = db_col_int64(st, 4);
			count++;
		}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	*items = arr;
	*n = count;
	return 0;
}

int category_list(db_t *db, arena_t *a, category **items, size_t *n)
{
	return list(db, a, false, items, n);
}

int category_list_counts(db_t *db, arena_t *a, category **items, size_t *n)
{
	return list(db, a, true, items, n);
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

static int get_by(db_t *db, arena_t *a, const char *sql, const char *slug, category *out)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	if (db_bind_text(st, 1, slug, -1) != 0) {
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
	int rc = get_by(db, a, "SELECT id, slug, name, position FROM categories WHERE slug = ?",
			slug, out);
	if (rc != 1)
		return rc;
	/* A renamed category answers to its former slugs too. */
	return get_by(db, a,
		      "SELECT c.id, c.slug, c.name, c.position FROM category_slugs s"
		      " JOIN categories c ON c.id = s.category_id WHERE s.slug = ?",
		      slug, out);
}

#define FORMER_MAX 50

int category_former_slugs(db_t *db, arena_t *a, int64_t id, const char ***slugs, size_t *n)
{
	if (db == NULL || a == NULL || slugs == NULL || n == NULL)
		return -1;
	*slugs = NULL;
	*n = 0;
	const char **arr = arena_calloc(a, FORMER_MAX + 1, sizeof(*arr));
	if (arr == NULL) {
		log_error("category: out of memory");
		return -1;
	}
	db_stmt *st = db_prepare(db, "SELECT slug FROM category_slugs WHERE category_id = ?"
				     " ORDER BY retired_at DESC, slug LIMIT ?");
	if (st == NULL)
		return -1;
	size_t count = 0;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, FORMER_MAX) == 0) {
		while ((rc = db_step(st)) == DB_ROW) {
			arr[count] = db_col_copy(a, st, 0, "", NULL);
			if (arr[count++] == NULL) {
				log_error("category: out of memory");
				rc = DB_ERROR;
				break;
			}
		}
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	*slugs = arr;
	*n = count;
	return 0;
}

/* ---- checks ------------------------------------------------------------------ */

/* The name without surrounding spaces: "Tin tức " is "Tin tức". */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strnlen(s, NAME_SCAN_MAX);
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

static int check_trimmed(const char *name, size_t len)
{
	if (len == 0)
		return CATEGORY_NAME_EMPTY;
	if (len > CATEGORY_NAME_MAX)
		return CATEGORY_NAME_LONG;
	if (!utf8_valid(name, len))
		return CATEGORY_NAME_INVALID;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return CATEGORY_NAME_INVALID;
	return 0;
}

static int check_name(const char *name)
{
	if (name == NULL)
		return CATEGORY_NAME_EMPTY;
	size_t len;
	name = trim(name, &len);
	return check_trimmed(name, len);
}

static int check_slug(const char *slug)
{
	size_t len = slug != NULL ? strnlen(slug, SLUG_MAX) : 0;
	if (len == 0 || len > CATEGORY_SLUG_MAX || slug[0] == '-' || slug[len - 1] == '-')
		return CATEGORY_SLUG_INVALID;
	for (size_t i = 0; i < len; i++) {
		char c = slug[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return CATEGORY_SLUG_INVALID;
	}
	return reserved(slug) ? CATEGORY_SLUG_RESERVED : 0;
}

/* ---- writing ----------------------------------------------------------------- */

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

/* 1 when some category other than except has this name, also ignoring
 * case and marks ("Tin tức" and "TIN TUC" are one name to a reader), 0 when
 * none, -1 on error. */
static int name_taken(db_t *db, const char *name, size_t len, int64_t except)
{
	buf_t want = BUF_INIT, other = BUF_INIT;
	int result = -1;
	if (text_fold(name, len, &want) != 0 || want.failed)
		goto end;
	db_stmt *st = db_prepare(db, "SELECT id, name FROM categories");
	if (st == NULL)
		goto end;
	int rc;
	result = 0;
	while (result == 0 && (rc = db_step(st)) == DB_ROW) {
		const char *n = db_col_text(st, 1);
		if (db_col_int64(st, 0) == except || n == NULL)
			continue;
		buf_clear(&other);
		if (text_fold(n, strlen(n), &other) == 0 && !other.failed && other.len == want.len &&
		    memcmp(other.data, want.data, want.len) == 0)
			result = 1;
	}
	if (result == 0 && rc != DB_DONE)
		result = -1;
	db_done(st);
end:
	buf_free(&want);
	buf_free(&other);
	return result;
}

/* 1 when slug may not be given to category except (0: a new one): it is
 * reserved, another category's slug, or a former slug of another category
 * (whose old addresses must keep leading there). 0 when free, -1 on error. */
static int slug_taken(db_t *db, const char *slug, int64_t except)
{
	if (reserved(slug))
		return 1;
	db_stmt *st = db_prepare(db, "SELECT 1 FROM categories WHERE slug = ? AND id <> ?"
				     " UNION ALL"
				     " SELECT 1 FROM category_slugs WHERE slug = ? AND category_id <> ?");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, slug, -1) == 0 && db_bind_int64(st, 2, except) == 0 &&
	    db_bind_text(st, 3, slug, -1) == 0 && db_bind_int64(st, 4, except) == 0)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* A free slug derived from name into out (SLUG_MAX + 8 bytes): "tin-tuc",
 * else "tin-tuc-2" ... Two names can fold to one slug ("Tin tức",
 * "Tin-tức"). 0, 1 when none is free, -1 on error. */
static int derive_slug(db_t *db, const char *name, size_t len, int64_t except, char *out)
{
	char base[SLUG_MAX];
	if (text_slug(name, len, base, sizeof base) == 0)
		snprintf(base, sizeof base, "chuyen-muc");
	int taken = 1;
	for (int i = 1; i <= SLUG_TRIES && taken == 1; i++) {
		if (i == 1)
			snprintf(out, SLUG_MAX + 8, "%s", base);
		else
			snprintf(out, SLUG_MAX + 8, "%.*s-%d", CATEGORY_SLUG_MAX - 4, base, i);
		taken = slug_taken(db, out, except);
	}
	if (taken == 1)
		log_error("category: no free slug for \"%.60s\"", name);
	return taken;
}

static int insert(db_t *db, const char *name, size_t len, const char *slug, int64_t *id)
{
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
	size_t len;
	name = trim(name, &len);
	int problem = check_trimmed(name, len);
	if (problem == CATEGORY_NAME_INVALID) {
		log_warn("category: refused name (not UTF-8 or with a control character)");
		return -1;
	}
	if (problem != 0) {
		log_warn("category: refused name (empty or longer than %d bytes)", CATEGORY_NAME_MAX);
		return -1;
	}

	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	char slug[SLUG_MAX + 8];
	int rc = find_by_name(db, name, len, id);
	if (rc == 1)
		rc = derive_slug(db, name, len, 0, slug) != 0 ? -1 : insert(db, name, len, slug, id);
	return db_write_end(db, nested, rc == 0);
}

/* Ends a unit of writing: result is what the caller returns when the unit
 * committed; a refusal (result > 0) or an error rolls it back. */
static int finish(db_t *db, int nested, int result)
{
	int ok = result == 0;
	if (db_write_end(db, nested, ok) != 0)
		return result > 0 ? result : -1;
	return result;
}

static int64_t count_of(db_t *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int64_t v = -1;
	if (db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_ROW)
		v = db_col_int64(st, 0);
	db_done(st);
	return v;
}

/* The slug for a create or rename into out: the one typed (checked by the
 * caller, here only for being free) or one derived from the name. 0, a
 * category_problem or -1. */
static int choose_slug(db_t *db, const char *name, size_t len, const char *slug, int64_t except,
		       char out[SLUG_MAX + 8])
{
	if (slug != NULL && slug[0] != '\0') {
		int taken = slug_taken(db, slug, except);
		if (taken != 0)
			return taken == 1 ? CATEGORY_SLUG_TAKEN : -1;
		snprintf(out, SLUG_MAX + 8, "%s", slug);
		return 0;
	}
	int rc = derive_slug(db, name, len, except, out);
	return rc == 1 ? CATEGORY_SLUG_TAKEN : rc;
}

static int create(db_t *db, const char *name, const char *slug, int64_t *id)
{
	if (db == NULL || id == NULL)
		return -1;
	int problem = check_name(name);
	if (problem == 0 && slug != NULL && slug[0] != '\0')
		problem = check_slug(slug);
	if (problem != 0)
		return problem;
	size_t len;
	name = trim(name, &len);

	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	char chosen[SLUG_MAX + 8];
	int rc;
	int64_t total = count_of(db, "SELECT count(*) FROM categories WHERE id > ?", 0);
	if (total < 0)
		rc = -1;
	else if (total >= CATEGORY_LIST_MAX)
		rc = CATEGORY_TOO_MANY;
	else if ((rc = name_taken(db, name, len, 0)) == 1)
		rc = CATEGORY_NAME_TAKEN;
	if (rc == 0)
		rc = choose_slug(db, name, len, slug, 0, chosen);
	if (rc == 0)
		rc = insert(db, name, len, chosen, id);
	return finish(db, nested, rc);
}

static int rename_category(db_t *db, int64_t id, const char *name, const char *slug)
{
	if (db == NULL)
		return -1;
	bool typed = slug != NULL && slug[0] != '\0';
	int problem = check_name(name);
	int slug_problem = typed ? check_slug(slug) : 0;
	/* A reserved slug is refused below unless it is the one the category
	 * already has (made before the word was reserved): keeping it is fine. */
	if (problem == 0 && slug_problem != CATEGORY_SLUG_RESERVED)
		problem = slug_problem;
	if (problem != 0)
		return problem;
	size_t len;
	name = trim(name, &len);

	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	char old[SLUG_MAX] = "", chosen[SLUG_MAX + 8];
	int rc = -1;
	db_stmt *st = db_prepare(db, "SELECT slug FROM categories WHERE id = ?");
	if (st != NULL && db_bind_int64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW) {
			const char *s = db_col_text(st, 0);
			snprintf(old, sizeof old, "%s", s != NULL ? s : "");
			rc = 0;
		} else if (step == DB_DONE) {
			rc = CATEGORY_NOT_FOUND;
		}
	}
	db_done(st);
	if (rc == 0 && (rc = name_taken(db, name, len, id)) == 1)
		rc = CATEGORY_NAME_TAKEN;
	if (rc == 0 && typed && strcmp(slug, old) == 0)
		snprintf(chosen, sizeof chosen, "%s", old);
	else if (rc == 0 && slug_problem != 0)
		rc = slug_problem;
	else if (rc == 0)
		rc = choose_slug(db, name, len, slug, id, chosen);
	if (rc == 0 && strcmp(old, chosen) != 0) {
		/* The new slug may be one of the category's own former slugs:
		 * it stops being former; the current one becomes former. */
		st = db_prepare(db, "DELETE FROM category_slugs WHERE slug = ?");
		rc = st != NULL && db_bind_text(st, 1, chosen, -1) == 0 && db_step(st) == DB_DONE
			 ? 0
			 : -1;
		db_done(st);
		if (rc == 0) {
			st = db_prepare(db, "INSERT INTO category_slugs (slug, category_id)"
					    " VALUES (?, ?)");
			rc = st != NULL && db_bind_text(st, 1, old, -1) == 0 &&
					 db_bind_int64(st, 2, id) == 0 && db_step(st) == DB_DONE
				 ? 0
				 : -1;
			db_done(st);
		}
	}
	if (rc == 0) {
		st = db_prepare(db, "UPDATE categories SET name = ?, slug = ? WHERE id = ?");
		rc = st != NULL && db_bind_text(st, 1, name, (long)len) == 0 &&
				 db_bind_text(st, 2, chosen, -1) == 0 && db_bind_int64(st, 3, id) == 0 &&
				 db_step(st) == DB_DONE
			 ? 0
			 : -1;
		db_done(st);
	}
	return finish(db, nested, rc);
}

/* ---- order ------------------------------------------------------------------- */

static int shift(db_t *db, int64_t id, int delta)
{
	if (db == NULL)
		return -1;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int rc = position_shift(db, POSITION_CATEGORIES, id, delta);
	return finish(db, nested, rc == 1 ? CATEGORY_NOT_FOUND : rc);
}

static int reorder(db_t *db, const int64_t *ids, size_t n)
{
	if (db == NULL || (ids == NULL && n > 0))
		return -1;
	if (n > CATEGORY_LIST_MAX)
		return CATEGORY_ORDER_STALE;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t *cur = NULL;
	size_t ncur = 0;
	int rc = position_load(db, POSITION_CATEGORIES, &cur, &ncur);
	/* Exactly the current categories, each once: a list made before someone
	 * added or deleted one is refused rather than half applied. */
	if (rc == 0 && !position_same_set(ids, n, cur, ncur))
		rc = CATEGORY_ORDER_STALE;
	if (rc == 0)
		rc = position_store(db, POSITION_CATEGORIES, ids, n);
	free(cur);
	return finish(db, nested, rc);
}

/* ---- deleting ---------------------------------------------------------------- */

static int delete_category(db_t *db, int64_t id, int64_t *articles)
{
	if (db == NULL)
		return -1;
	if (articles != NULL)
		*articles = 0;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int rc = 0;
	int64_t exists = count_of(db, "SELECT count(*) FROM categories WHERE id = ?", id);
	int64_t used = count_of(db, "SELECT count(*) FROM articles WHERE category_id = ?", id);
	if (exists < 0 || used < 0)
		rc = -1;
	else if (exists == 0)
		rc = CATEGORY_NOT_FOUND;
	else if (used > 0) {
		/* Articles are never deleted by a cascade from a lookup table. */
		if (articles != NULL)
			*articles = used;
		rc = CATEGORY_NOT_EMPTY;
	}
	db_stmt *st;
	const char *const steps[] = {
		"DELETE FROM category_slugs WHERE category_id = ?",
		"DELETE FROM categories WHERE id = ?",
	};
	for (size_t i = 0; rc == 0 && i < sizeof steps / sizeof steps[0]; i++) {
		st = db_prepare(db, steps[i]);
		rc = st != NULL && db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE ? 0 : -1;
		db_done(st);
	}
	/* Close the gap so positions stay 1..n. */
	if (rc == 0 && position_renumber(db, POSITION_CATEGORIES) != 0)
		rc = -1;
	return finish(db, nested, rc);
}

/* ---- the back office's entry points: refusals in a model_problem ------------- */

/* Fills p from rc: a refusal (rc > 0) with the field it is about. */
static int answer(model_problem *p, int rc)
{
	const char *field = NULL;
	switch (rc) {
	case CATEGORY_NAME_EMPTY:
	case CATEGORY_NAME_LONG:
	case CATEGORY_NAME_INVALID:
	case CATEGORY_NAME_TAKEN: field = "name"; break;
	case CATEGORY_SLUG_INVALID:
	case CATEGORY_SLUG_RESERVED:
	case CATEGORY_SLUG_TAKEN: field = "slug"; break;
	default: break;
	}
	return model_answer(p, rc, field, rc == CATEGORY_NAME_LONG ? CATEGORY_NAME_MAX : 0);
}

int category_check_name(const char *name, model_problem *p)
{
	return answer(p, check_name(name));
}

int category_check_slug(const char *slug, model_problem *p)
{
	return answer(p, check_slug(slug));
}

int category_create(db_t *db, const char *name, const char *slug, int64_t *id, model_problem *p)
{
	return answer(p, create(db, name, slug, id));
}

int category_rename(db_t *db, int64_t id, const char *name, const char *slug, model_problem *p)
{
	return answer(p, rename_category(db, id, name, slug));
}

int category_shift(db_t *db, int64_t id, int delta, model_problem *p)
{
	return answer(p, shift(db, id, delta));
}

int category_reorder(db_t *db, const int64_t *ids, size_t n, model_problem *p)
{
	return answer(p, reorder(db, ids, n));
}

int category_delete(db_t *db, int64_t id, int64_t *articles, model_problem *p)
{
	int64_t used = 0;
	int rc = answer(p, delete_category(db, id, &used));
	if (articles != NULL)
		*articles = used;
	if (rc == CATEGORY_NOT_EMPTY && p != NULL)
		p->count = used;
	return rc;
}
