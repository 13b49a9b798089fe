/*
 * tag.c - tags as the back office manages them (see tag.h).
 *
 * Every change runs in one transaction: a merge never leaves an article
 * with both tags or neither.
 */
#include "model/tag.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"
#include "model/problem.h"

#define SLUG_MAX 96               /* text_slug() writes at most 80 bytes */
#define INPUT_SCAN_MAX 4096       /* longer input is refused without reading on */
#define OFFSET_MAX 1000000        /* no tag list is ever paged this far */

/* ---- reading ----------------------------------------------------------------- */

static int fill(arena_t *a, db_stmt *st, tag *out)
{
	out->id = db_col_int64(st, 0);
	out->slug = db_col_copy(a, st, 1, "", NULL);
	out->name = db_col_copy(a, st, 2, "", NULL);
	out->uses = db_col_int64(st, 3);
	if (out->slug == NULL || out->name == NULL) {
		log_error("tag: out of memory");
		return -1;
	}
	return 0;
}

/* The usage count walks the index article_tags_tag (tag_id, article_id). */
#define TAG_COLUMNS                                                                           \
	"t.id, t.slug, t.name, (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id)"

int tag_list(db_t *db, arena_t *a, const char *query, size_t offset, size_t limit, tag **items,
	     size_t *n, bool *more)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL || more == NULL)
		return -1;
	*items = NULL;
	*n = 0;
	*more = false;
	if (limit == 0 || limit > TAG_PAGE_MAX)
		limit = TAG_PAGE_MAX;
	if (offset > OFFSET_MAX)
		offset = OFFSET_MAX;
	char want[SLUG_MAX] = "";
	size_t qlen = query != NULL ? strnlen(query, TAG_QUERY_MAX + 1) : 0;
	if (qlen > TAG_QUERY_MAX)
		return -1;
	if (qlen > 0 && text_slug(query, qlen, want, sizeof want) == 0) {
		/* Nothing searchable ("***"): an empty result, not every tag. */
		*items = arena_calloc(a, 1, sizeof(tag));
		return *items != NULL ? 0 : -1;
	}
	tag *arr = arena_calloc(a, limit + 1, sizeof(*arr));
	if (arr == NULL) {
		log_error("tag: out of memory");
		return -1;
	}
	/* Slugs hold only a-z 0-9 '-', so instr() needs no escaping as LIKE would. */
	db_stmt *st = db_prepare(db, "SELECT " TAG_COLUMNS " FROM tags t"
				     " WHERE ? = '' OR instr(t.slug, ?) > 0"
				     " ORDER BY t.slug LIMIT ? OFFSET ?");
	if (st == NULL)
		return -1;
	size_t count = 0;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, want, -1) == 0 && db_bind_text(st, 2, want, -1) == 0 &&
	    db_bind_int64(st, 3, (int64_t)limit + 1) == 0 &&
	    db_bind_int64(st, 4, (int64_t)offset) == 0) {
		while ((rc = db_step(st)) == DB_ROW) {
			if (count == limit) {
				*more = true;
				continue;
			}
			if (fill(a, st, &arr[count++]) != 0) {
				rc = DB_ERROR;
				break;
			}
		}
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	*items = arr;
	*n = count;
	return 0;
}

static int get_one(arena_t *a, db_stmt *st, tag *out)
{
	int rc = db_step(st);
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW)
		result = fill(a, st, out);
	db_done(st);
	return result;
}

int tag_get(db_t *db, arena_t *a, int64_t id, tag *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.id = ?");
	if (st == NULL)
		return -1;
	if (db_bind_int64(st, 1, id) != 0) {
		db_done(st);
		return -1;
	}
	return get_one(a, st, out);
}

int tag_find(db_t *db, arena_t *a, const char *name, tag *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	char slug[SLUG_MAX];
	size_t len = name != NULL ? strnlen(name, INPUT_SCAN_MAX) : 0;
	if (len == 0 || len >= INPUT_SCAN_MAX || text_slug(name, len, slug, sizeof slug) == 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.slug = ?");
	if (st == NULL)
		return -1;
	if (db_bind_text(st, 1, slug, -1) != 0) {
		db_done(st);
		return -1;
	}
	return get_one(a, st, out);
}

/* ---- checks ------------------------------------------------------------------ */

static const char *trim(const char *s, size_t *len)
{
	size_t n = strnlen(s, INPUT_SCAN_MAX);
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

static int check_trimmed(const char *name, size_t len, char slug[SLUG_MAX])
{
	if (len == 0)
		return TAG_NAME_EMPTY;
	if (len > TAG_NAME_MAX)
		return TAG_NAME_LONG;
	if (!utf8_valid(name, len))
		return TAG_NAME_INVALID;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return TAG_NAME_INVALID;
	/* "!!!" has no slug, so it could never be told from another tag. */
	if (text_slug(name, len, slug, SLUG_MAX) == 0)
		return TAG_NAME_INVALID;
	return 0;
}

static int check_name(const char *name)
{
	if (name == NULL)
		return TAG_NAME_EMPTY;
	size_t len;
	char slug[SLUG_MAX];
	name = trim(name, &len);
	return check_trimmed(name, len, slug);
}

/* ---- writing ----------------------------------------------------------------- */

/* Ends a unit of writing: a refusal (result > 0) or an error rolls it back. */
static int finish(db_t *db, int nested, int result)
{
	if (db_write_end(db, nested, result == 0) != 0)
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

/* Runs one statement binding id twice at most (unused places stay NULL). */
static int run(db_t *db, const char *sql, int64_t a, int64_t b)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, a) == 0 && (b == 0 || db_bind_int64(st, 2, b) == 0) &&
			 db_step(st) == DB_DONE
		     ? 0
		     : -1;
	db_done(st);
	return rc;
}

static int rename_tag(db_t *db, int64_t id, const char *name)
{
	if (db == NULL)
		return -1;
	if (name == NULL)
		return TAG_NAME_EMPTY;
	size_t len;
	char slug[SLUG_MAX];
	name = trim(name, &len);
	int rc = check_trimmed(name, len, slug);
	if (rc != 0)
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t exists = count_of(db, "SELECT count(*) FROM tags WHERE id = ?", id);
	rc = exists < 0 ? -1 : exists == 0 ? TAG_NOT_FOUND : 0;
	if (rc == 0) {
		db_stmt *st = db_prepare(db, "SELECT 1 FROM tags WHERE slug = ? AND id <> ?");
		int step = DB_ERROR;
		if (st != NULL && db_bind_text(st, 1, slug, -1) == 0 && db_bind_int64(st, 2, id) == 0)
			step = db_step(st);
		db_done(st);
		rc = step == DB_ROW ? TAG_NAME_TAKEN : step == DB_DONE ? 0 : -1;
	}
	if (rc == 0) {
		db_stmt *st = db_prepare(db, "UPDATE tags SET name = ?, slug = ? WHERE id = ?");
		rc = st != NULL && db_bind_text(st, 1, name, (long)len) == 0 &&
				 db_bind_text(st, 2, slug, -1) == 0 && db_bind_int64(st, 3, id) == 0 &&
				 db_step(st) == DB_DONE
			 ? 0
			 : -1;
		db_done(st);
	}
	return finish(db, nested, rc);
}

static int merge(db_t *db, int64_t from, int64_t into, int64_t *moved)
{
	if (db == NULL)
		return -1;
	if (moved != NULL)
		*moved = 0;
	if (from == into)
		return TAG_MERGE_SELF;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t a = count_of(db, "SELECT count(*) FROM tags WHERE id = ?", from);
	int64_t b = count_of(db, "SELECT count(*) FROM tags WHERE id = ?", into);
	int rc = a < 0 || b < 0 ? -1 : a == 0 || b == 0 ? TAG_NOT_FOUND : 0;
	/* An article that had both keeps `into` where it was. */
	if (rc == 0)
		rc = run(db,
			 "INSERT INTO article_tags (article_id, tag_id, position)"
			 " SELECT article_id, ?, position FROM article_tags WHERE tag_id = ?"
			 " ON CONFLICT (article_id, tag_id) DO NOTHING",
			 into, from);
	if (rc == 0 && moved != NULL)
		*moved = db_changes(db);
	if (rc == 0)
		rc = run(db, "DELETE FROM article_tags WHERE tag_id = ?", from, 0);
	if (rc == 0)
		rc = run(db, "DELETE FROM tags WHERE id = ?", from, 0);
	return finish(db, nested, rc);
}

static int delete_tag(db_t *db, int64_t id, int64_t *uses)
{
	if (db == NULL)
		return -1;
	if (uses != NULL)
		*uses = 0;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t exists = count_of(db, "SELECT count(*) FROM tags WHERE id = ?", id);
	int rc = exists < 0 ? -1 : exists == 0 ? TAG_NOT_FOUND : 0;
	if (rc == 0)
		rc = run(db, "DELETE FROM article_tags WHERE tag_id = ?", id, 0);
	if (rc == 0 && uses != NULL)
		*uses = db_changes(db);
	if (rc == 0)
		rc = run(db, "DELETE FROM tags WHERE id = ?", id, 0);
	return finish(db, nested, rc);
}

/* ---- the back office's entry points: refusals in a model_problem ------------- */

/* Fills p from rc: a refusal (rc > 0) with the field it is about. */
static int answer(model_problem *p, int rc)
{
	const char *field = rc >= TAG_NAME_EMPTY && rc <= TAG_NAME_TAKEN ? "name"
			    : rc == TAG_MERGE_SELF			  ? "into"
									  : NULL;
	return model_answer(p, rc, field, rc == TAG_NAME_LONG ? TAG_NAME_MAX : 0);
}

int tag_check_name(const char *name, model_problem *p)
{
	return answer(p, check_name(name));
}

int tag_rename(db_t *db, int64_t id, const char *name, model_problem *p)
{
	return answer(p, rename_tag(db, id, name));
}

int tag_merge(db_t *db, int64_t from, int64_t into, int64_t *moved, model_problem *p)
{
	return answer(p, merge(db, from, into, moved));
}

int tag_delete(db_t *db, int64_t id, int64_t *uses, model_problem *p)
{
	return answer(p, delete_tag(db, id, uses));
}
