/*
 * unit.c - units and staff of the museum (see unit.h).
 */
#include "model/unit.h"

#include <string.h>

#include "core/log.h"

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* Binds ?n to id, or NULL when id is 0. */
static int bind_id(db_stmt *st, int n, int64_t id)
{
	return id > 0 ? db_bind_int64(st, n, id) : db_bind_null(st, n);
}

/* ---- units ------------------------------------------------------------------ */

int unit_check(const unit *u, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "name", u->name, UNIT_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "short_name", u->short_name, UNIT_SHORT_NAME_MAX, false, false)))
		return rc;
	if (u->position < 0 || u->position > UNIT_POSITION_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "position", UNIT_POSITION_MAX);
	return 0;
}

/* The kind a unit under parent takes ("bao_tang" for no parent), or NULL
 * when the parent does not exist (*rc 1) or on error (*rc -1). */
static const char *kind_under(db_t *db, int64_t parent, int *rc)
{
	*rc = 0;
	if (parent == 0)
		return "bao_tang";
	db_stmt *st;
	int step = reg_fetch(db, "SELECT kind FROM units WHERE id = ?", parent, &st);
	if (step != DB_ROW) {
		*rc = step == DB_DONE ? 1 : -1;
		return NULL;
	}
	bool root = strcmp(or_empty(db_col_text(st, 0)), "bao_tang") == 0;
	db_done(st);
	return root ? "phong" : "to";
}

/* Inside the unit of writing: the parent is valid for unit record (0 for
 * a new one): it exists, it is not record nor under it, and the museum
 * stays the one root. Sets *kind. */
static int parent_guard(db_t *db, const unit *u, int64_t record, const char **kind,
			model_problem *f)
{
	int rc;
	*kind = kind_under(db, u->parent_id, &rc);
	if (rc != 0)
		return rc < 0 ? -1 : reg_refuse(f, REG_NOT_FOUND, "parent_id");
	if (u->parent_id == 0) {
		/* Only the museum itself has no parent. */
		int other = reg_exists(db, "SELECT 1 FROM units WHERE parent_id IS NULL AND id <> ?",
				       record);
		return other < 0 ? -1 : other ? reg_refuse(f, REG_REQUIRED, "parent_id") : 0;
	}
	if (record == 0)
		return 0;
	/* Walk up from the new parent: meeting record would make a loop; the
	 * museum cannot move under anything. */
	db_stmt *st = db_prepare(db,
				 "WITH RECURSIVE up(id, parent_id) AS ("
				 " SELECT id, parent_id FROM units WHERE id = ?2"
				 " UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id)"
				 " SELECT EXISTS (SELECT 1 FROM up WHERE id = ?1)"
				 " OR EXISTS (SELECT 1 FROM units WHERE id = ?1 AND parent_id IS NULL)");
	bool bound = st != NULL && db_bind_int64(st, 1, record) == 0 &&
		     db_bind_int64(st, 2, u->parent_id) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	bool loop = step == DB_ROW && db_col_int64(st, 0) != 0;
	if (st != NULL)
		db_done(st);
	if (step != DB_ROW)
		return -1;
	return loop ? reg_refuse(f, REG_WRONG_STATE, "parent_id") : 0;
}

static const char *const unit_save_sql[] = {
	"INSERT INTO units (parent_id, kind, name, short_name, position, active)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE ?7 = 0",
	"UPDATE units SET parent_id = ?1, kind = ?2, name = ?3, short_name = ?4, position = ?5,"
	" active = ?6, updated_at = unixepoch() WHERE id = ?7"};

/* Inserts (record 0) or replaces unit record. */
static int unit_save(db_t *db, const unit *u, int64_t record, int64_t *id, model_problem *f)
{
	int result = unit_check(u, f), nested;
	if (result != 0)
		return result;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	const char *kind = NULL;
	result = parent_guard(db, u, record, &kind, f);
	if (result == 0) {
		db_stmt *st = db_prepare(db, unit_save_sql[record != 0]);
		bool bound = st != NULL && bind_id(st, 1, u->parent_id) == 0 &&
			     db_bind_text(st, 2, kind, -1) == 0 && db_bind_text(st, 3, u->name, -1) == 0 &&
			     db_bind_text(st, 4, or_empty(u->short_name), -1) == 0 &&
			     db_bind_int64(st, 5, u->position) == 0 &&
			     db_bind_int64(st, 6, u->active ? 1 : 0) == 0 &&
			     db_bind_int64(st, 7, record) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		/* The one constraint a checked unit can still meet: a sibling
		 * of the same name (units_sibling_name). */
		result = step == DB_CONSTRAINT ? reg_refuse(f, REG_DUPLICATE, "name")
					       : reg_saved(db, step, record, id, f);
	}
	return reg_finish(db, nested, result);
}

int unit_add(db_t *db, const unit *u, int64_t *id, model_problem *f)
{
	return unit_save(db, u, 0, id, f);
}

int unit_update(db_t *db, const unit *u, model_problem *f)
{
	return u->id > 0 ? unit_save(db, u, u->id, NULL, f) : reg_refuse(f, REG_NOT_FOUND, "id");
}

int unit_remove(db_t *db, int64_t id, model_problem *f)
{
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = reg_require(db, f, REG_NOT_FOUND, "id", "SELECT 1 FROM units WHERE id = ?", id);
	if (result == 0) {
		int step = reg_run_ints(db, "DELETE FROM units WHERE id = ?", &id, 1);
		/* Whatever points at the unit (staff, plans, tasks, awards,
		 * sub-units) holds it through its foreign key: that is the rule,
		 * so a table added later is covered without a list here. */
		result = step == DB_DONE ? 0 : step == DB_CONSTRAINT ? reg_refuse(f, REG_WRONG_STATE, "id")
								     : -1;
	}
	return reg_finish(db, nested, result);
}

/* Tree order: each unit's path of (position, name, id) keys. */
#define UNIT_TREE                                                                             \
	"WITH RECURSIVE tree(id, depth, path) AS ("                                          \
	" SELECT id, 0, printf('%04d', position) || name || printf('%012d', id) FROM units"     \
	" WHERE parent_id IS NULL"                                                            \
	" UNION ALL SELECT u.id, t.depth + 1, t.path || char(1) || printf('%04d', u.position)"  \
	" || u.name || printf('%012d', u.id) FROM units u JOIN tree t ON u.parent_id = t.id)"
#define UNIT_COLUMNS                                                                          \
	" SELECT u.id, ifnull(u.parent_id, 0), u.position, u.active, t.depth,"                 \
	" (SELECT count(*) FROM people p WHERE p.unit_id = u.id AND p.active),"                \
	" u.name, u.short_name, u.kind, ifnull(pu.name, '')"                                   \
	" FROM tree t JOIN units u ON u.id = t.id LEFT JOIN units pu ON pu.id = u.parent_id"

static int unit_fill(arena_t *a, db_stmt *st, void *item)
{
	unit *u = item;
	int64_t active = 0;
	int64_t *const numbers[] = {&u->id, &u->parent_id, &u->position, &active, &u->depth,
				    &u->people};
	const char **const texts[] = {&u->name, &u->short_name, &u->kind, &u->parent_name};
	int rc = reg_read_row(a, st, numbers, 6, texts, 4);
	u->active = active != 0;
	return rc;
}

int unit_get(db_t *db, arena_t *a, int64_t id, unit *out)
{
	return reg_get_row(db, a, UNIT_TREE UNIT_COLUMNS " WHERE u.id = ?", id, sizeof *out,
			   unit_fill, out);
}

int unit_list(db_t *db, arena_t *a, bool with_closed, unit **items, size_t *n)
{
	db_stmt *st = db_prepare(db, UNIT_TREE UNIT_COLUMNS " WHERE u.active OR ?1 ORDER BY t.path");
	bool bound = st != NULL && db_bind_int64(st, 1, with_closed ? 1 : 0) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, UNITS_MAX, unit_fill, items, n, NULL);
}

/* ---- staff ------------------------------------------------------------------ */

int person_check(const person *p, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "name", p->name, PERSON_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "title", p->title, PERSON_TITLE_MAX, false, false)) ||
	    (rc = reg_check_text(f, "position", p->position, PERSON_POSITION_MAX, false, false)))
		return rc;
	if (p->unit_id <= 0)
		return reg_refuse(f, REG_REQUIRED, "unit_id");
	return 0;
}

static const char *const person_save_sql[] = {
	"INSERT INTO people (name, title, unit_id, position, user_id, active)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE ?7 = 0",
	"UPDATE people SET name = ?1, title = ?2, unit_id = ?3, position = ?4, user_id = ?5,"
	" active = ?6, updated_at = unixepoch() WHERE id = ?7"};

static int person_save(db_t *db, const person *p, int64_t record, int64_t *id, model_problem *f)
{
	int result = person_check(p, f), nested;
	if (result != 0)
		return result;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	result = reg_require(db, f, REG_NOT_FOUND, "unit_id", "SELECT 1 FROM units WHERE id = ?",
			     p->unit_id);
	if (result == 0 && p->user_id > 0)
		result = reg_require(db, f, REG_NOT_FOUND, "user_id", "SELECT 1 FROM users WHERE id = ?",
				     p->user_id);
	if (result == 0 && p->user_id > 0) {
		/* One person per account. */
		int64_t holder = 0;
		int found = reg_find_id(db, "SELECT id FROM people WHERE user_id = ?", p->user_id,
					&holder);
		result = found < 0 ? -1
			 : found == 0 && holder != record ? reg_refuse(f, REG_DUPLICATE, "user_id")
							  : 0;
	}
	if (result == 0) {
		db_stmt *st = db_prepare(db, person_save_sql[record != 0]);
		bool bound = st != NULL && db_bind_text(st, 1, p->name, -1) == 0 &&
			     db_bind_text(st, 2, or_empty(p->title), -1) == 0 &&
			     db_bind_int64(st, 3, p->unit_id) == 0 &&
			     db_bind_text(st, 4, or_empty(p->position), -1) == 0 &&
			     bind_id(st, 5, p->user_id) == 0 &&
			     db_bind_int64(st, 6, p->active ? 1 : 0) == 0 &&
			     db_bind_int64(st, 7, record) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, record, id, f);
	}
	return reg_finish(db, nested, result);
}

int person_add(db_t *db, const person *p, int64_t *id, model_problem *f)
{
	return person_save(db, p, 0, id, f);
}

int person_update(db_t *db, const person *p, model_problem *f)
{
	return p->id > 0 ? person_save(db, p, p->id, NULL, f) : reg_refuse(f, REG_NOT_FOUND, "id");
}

#define PERSON_COLUMNS                                                                        \
	"SELECT p.id, p.unit_id, ifnull(p.user_id, 0), p.active, p.name, p.title, p.position,"  \
	" u.name, ifnull(a.name, '') FROM people p JOIN units u ON u.id = p.unit_id"           \
	" LEFT JOIN users a ON a.id = p.user_id"

static int person_fill(arena_t *a, db_stmt *st, void *item)
{
	person *p = item;
	int64_t active = 0;
	int64_t *const numbers[] = {&p->id, &p->unit_id, &p->user_id, &active};
	const char **const texts[] = {&p->name, &p->title, &p->position, &p->unit_name,
				      &p->user_name};
	int rc = reg_read_row(a, st, numbers, 4, texts, 5);
	p->active = active != 0;
	return rc;
}

int person_get(db_t *db, arena_t *a, int64_t id, person *out)
{
	return reg_get_row(db, a, PERSON_COLUMNS " WHERE p.id = ?", id, sizeof *out, person_fill,
			   out);
}

int person_list(db_t *db, arena_t *a, int64_t unit_id, bool with_closed, person **items,
		size_t *n)
{
	db_stmt *st = db_prepare(db, PERSON_COLUMNS " WHERE (?1 = 0 OR p.unit_id = ?1)"
						    " AND (p.active OR ?2) ORDER BY p.name, p.id");
	bool bound = st != NULL && db_bind_int64(st, 1, unit_id > 0 ? unit_id : 0) == 0 &&
		     db_bind_int64(st, 2, with_closed ? 1 : 0) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, PEOPLE_MAX, person_fill, items, n, NULL);
}

int person_of_user(db_t *db, int64_t user_id, int64_t *id)
{
	return reg_find_id(db, "SELECT id FROM people WHERE user_id = ? AND active", user_id, id);
}
