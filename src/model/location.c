/*
 * location.c - the storage tree (see location.h).
 */
#include "model/location.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

static const char *const kinds[] = {"store", "room", "shelf", "box", "exhibit", "outside", NULL};
static const char *const store_kinds[] = {"main", "reference", NULL};

/* Which kinds a kind may sit in ("" = at the top). */
static bool parent_allowed(const char *kind, const char *parent_kind)
{
	if (parent_kind == NULL)
		return strcmp(kind, "store") == 0 || strcmp(kind, "exhibit") == 0 ||
		       strcmp(kind, "outside") == 0;
	if (strcmp(kind, "room") == 0)
		return strcmp(parent_kind, "store") == 0;
	if (strcmp(kind, "shelf") == 0)
		return strcmp(parent_kind, "room") == 0 || strcmp(parent_kind, "store") == 0;
	if (strcmp(kind, "box") == 0)
		return strcmp(parent_kind, "shelf") == 0;
	return false;
}

/* The kind of location id into kind (at least 16 bytes): 0, 1 none, -1. */
static int kind_of(db_t *db, int64_t id, char *kind, size_t len)
{
	db_stmt *st = db_prepare(db, "SELECT kind FROM locations WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		const char *k = db_col_text(st, 0);
		snprintf(kind, len, "%s", k != NULL ? k : "");
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* After writing a place's name: the unique index on siblings' names is the
 * only constraint a checked place can break. */
static int written(int step, model_problem *f)
{
	if (step == DB_CONSTRAINT)
		return reg_refuse(f, REG_DUPLICATE, "name");
	return step == DB_DONE ? 0 : -1;
}

int location_add(db_t *db, const location *l, int64_t *id, model_problem *f)
{
	int rc;
	if ((rc = reg_check_choice(f, "kind", l->kind, kinds, true)) ||
	    (rc = reg_check_text(f, "code", l->code, LOCATION_CODE_MAX, false, false)) ||
	    (rc = reg_check_text(f, "name", l->name, LOCATION_NAME_MAX, true, false)))
		return rc;
	bool store = strcmp(l->kind, "store") == 0;
	if ((rc = reg_check_choice(f, "store_kind", l->store_kind, store_kinds, store)))
		return rc;
	if (!store && l->store_kind != NULL && l->store_kind[0] != '\0')
		return reg_refuse(f, REG_BAD_CHOICE, "store_kind");
	char parent_kind[16];
	if (l->parent_id > 0) {
		int k = kind_of(db, l->parent_id, parent_kind, sizeof parent_kind);
		if (k < 0)
			return -1;
		if (k > 0)
			return reg_refuse(f, REG_NOT_FOUND, "parent_id");
	}
	if (!parent_allowed(l->kind, l->parent_id > 0 ? parent_kind : NULL))
		return reg_refuse(f, REG_WRONG_STATE, "parent_id");
	db_stmt *st = db_prepare(db, "INSERT INTO locations (parent_id, kind, code, name, store_kind)"
				     " VALUES (?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	int step = DB_ERROR;
	if ((l->parent_id > 0 ? db_bind_int64(st, 1, l->parent_id) : db_bind_null(st, 1)) == 0 &&
	    db_bind_text(st, 2, l->kind, -1) == 0 &&
	    db_bind_text(st, 3, l->code != NULL ? l->code : "", -1) == 0 &&
	    db_bind_text(st, 4, l->name, -1) == 0 &&
	    db_bind_text(st, 5, store ? l->store_kind : "", -1) == 0)
		step = db_step(st);
	db_done(st);
	if ((rc = written(step, f)) == 0)
		*id = db_last_insert_id(db);
	return rc;
}

int location_get(db_t *db, arena_t *a, int64_t id, location *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st;
	int rc = reg_fetch(db, "SELECT id, ifnull(parent_id, 0), kind, code, name, store_kind"
			      " FROM locations WHERE id = ?",
			      id, &st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	out->id = db_col_int64(st, 0);
	out->parent_id = db_col_int64(st, 1);
	const char **dst[] = {&out->kind, &out->code, &out->name, &out->store_kind};
	int result = db_col_copy_texts(a, st, 2, dst, 4);
	db_done(st);
	return result;
}

const char *location_path(db_t *db, arena_t *a, int64_t id)
{
	const char *names[LOCATION_DEPTH_MAX];
	size_t n = 0;
	for (int64_t at = id; at > 0 && n < LOCATION_DEPTH_MAX; n++) {
		location l;
		if (location_get(db, a, at, &l) != 0)
			return NULL;
		names[n] = l.name;
		at = l.parent_id;
	}
	if (n == 0)
		return NULL;
	buf_t b = BUF_INIT;
	for (size_t i = n; i-- > 0;) {
		if (buf_puts(&b, names[i]) != 0 || (i > 0 && buf_puts(&b, " › ") != 0)) {
			buf_free(&b);
			return NULL;
		}
	}
	char *s = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return s;
}

/* The child of parent (0 = top) named name[0..len). */
static int child(db_t *db, int64_t parent, const char *name, size_t len, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM locations WHERE ifnull(parent_id, 0) = ?"
				     " AND name = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, parent) == 0 && db_bind_text(st, 2, name, (long)len) == 0
		     ? db_step(st)
		     : DB_ERROR;
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int location_find_path(db_t *db, const char *path, int64_t *id)
{
	int64_t at = 0;
	const char *p = path;
	for (int depth = 0; depth < LOCATION_DEPTH_MAX; depth++) {
		const char *gt = strstr(p, ">"), *sep = strstr(p, "›");
		const char *end = gt;
		size_t skip = 1;
		if (sep != NULL && (end == NULL || sep < end)) {
			end = sep;
			skip = strlen("›");
		}
		const char *stop = end != NULL ? end : p + strlen(p);
		const char *s = p;
		while (s < stop && *s == ' ')
			s++;
		const char *e = stop;
		while (e > s && e[-1] == ' ')
			e--;
		if (e == s)
			return 1;
		int rc = child(db, at, s, (size_t)(e - s), &at);
		if (rc != 0)
			return rc;
		if (end == NULL) {
			*id = at;
			return 0;
		}
		p = end + skip;
	}
	return 1;
}

bool location_within(db_t *db, int64_t id, int64_t ancestor)
{
	arena_t *a = arena_new(512);
	if (a == NULL)
		return false;
	bool in = false;
	for (int depth = 0; id > 0 && depth < LOCATION_DEPTH_MAX; depth++) {
		if (id == ancestor) {
			in = true;
			break;
		}
		location l;
		if (location_get(db, a, id, &l) != 0)
			break;
		id = l.parent_id;
	}
	arena_free(a);
	return in;
}

int location_rename(db_t *db, int64_t id, const char *name, const char *code, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "name", name, LOCATION_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "code", code, LOCATION_CODE_MAX, false, false)))
		return rc;
	db_stmt *st = db_prepare(db, "UPDATE locations SET name = ?, code = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	int step = DB_ERROR;
	if (db_bind_text(st, 1, name, -1) == 0 && db_bind_text(st, 2, code != NULL ? code : "", -1) == 0 &&
	    db_bind_int64(st, 3, id) == 0)
		step = db_step(st);
	db_done(st);
	if ((rc = written(step, f)) != 0)
		return rc;
	return db_changes(db) == 1 ? 0 : reg_refuse(f, REG_NOT_FOUND, "id");
}

static int fill_node(arena_t *a, db_stmt *st, void *item)
{
	location_node *node = item;
	node->place.id = db_col_int64(st, 0);
	node->place.parent_id = db_col_int64(st, 1);
	node->depth = (int)db_col_int64(st, 2);
	node->objects = db_col_int64(st, 3);
	const char **dst[] = {&node->place.kind, &node->place.code, &node->place.name,
			      &node->place.store_kind};
	return db_col_copy_texts(a, st, 4, dst, 4);
}

int location_tree(db_t *db, arena_t *a, location_node **items, size_t *n)
{
	/* The sort key joins the names from the top with char(31), which no
	 * name holds (reg_check_text refuses control characters) and which
	 * sorts before every printable character, so a place's subtree comes
	 * right after it and before its next sibling. */
	db_stmt *st = db_prepare(db,
	    "WITH RECURSIVE t(id, depth, key) AS ("
	    " SELECT id, 0, name FROM locations WHERE parent_id IS NULL"
	    " UNION ALL SELECT l.id, t.depth + 1, t.key || char(31) || l.name"
	    " FROM locations l JOIN t ON l.parent_id = t.id WHERE t.depth < ?1)"
	    " SELECT l.id, ifnull(l.parent_id, 0), t.depth,"
	    "  (SELECT count(*) FROM objects o WHERE o.location_id = l.id),"
	    "  l.kind, l.code, l.name, l.store_kind"
	    " FROM t JOIN locations l ON l.id = t.id ORDER BY t.key LIMIT ?2");
	return db_fill_rows(st,
			    st != NULL && db_bind_int64(st, 1, LOCATION_DEPTH_MAX) == 0 &&
				db_bind_int64(st, 2, LOCATION_LIST_MAX) == 0,
			    a, sizeof **items, SIZE_MAX, fill_node, items, n, NULL);
}
