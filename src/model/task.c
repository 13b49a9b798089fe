/*
 * task.c - key tasks and their progress notes (see task.h).
 */
#include "model/task.h"

#include <string.h>

#include "core/log.h"
#include "model/plan.h"

const char *const task_statuses[] = {TASK_NOT_STARTED, TASK_IN_PROGRESS, TASK_DONE, TASK_PAUSED,
				     TASK_CANCELLED, NULL};

/* Overdue, the one spelling of the rule: ?20 is today ("yyyy-mm-dd"). */
#define TASK_OVERDUE "(t.due_on < ?20 AND t.status NOT IN ('hoan_thanh', 'huy'))"
#define TODAY_PARAM 20

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static const char *status_of(const task *t)
{
	return t->status != NULL && t->status[0] != '\0' ? t->status : TASK_NOT_STARTED;
}

static int bind_id(db_stmt *st, int n, int64_t id)
{
	return id > 0 ? db_bind_int64(st, n, id) : db_bind_null(st, n);
}

static int bind_today(db_stmt *st)
{
	char today[11];
	reg_today(today);
	return db_bind_text(st, TODAY_PARAM, today, -1);
}

/* ---- writing a task --------------------------------------------------------- */

int task_check(const task *t, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "title", t->title, TASK_TITLE_MAX, true, false)) ||
	    (rc = reg_check_text(f, "description", t->description, TASK_DESCRIPTION_MAX, false,
				 true)))
		return rc;
	if (t->lead_unit_id <= 0)
		return reg_refuse(f, REG_REQUIRED, "lead_unit_id");
	if ((rc = reg_check_date(f, "starts_on", t->starts_on, false)) ||
	    (rc = reg_check_date(f, "due_on", t->due_on, true)))
		return rc;
	if (t->starts_on != NULL && t->starts_on[0] != '\0' && strcmp(t->due_on, t->starts_on) < 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "due_on");
	if ((rc = reg_check_choice(f, "status", status_of(t), task_statuses, true)))
		return rc;
	if (t->nsupport > TASK_SUPPORT_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "support", TASK_SUPPORT_MAX);
	return 0;
}

/* Inside the unit of writing: every record t points at exists, and a
 * linked indicator's plan is of the deadline's year. */
static int task_guard(db_t *db, const task *t, model_problem *f)
{
	int rc = reg_require(db, f, REG_NOT_FOUND, "lead_unit_id", "SELECT 1 FROM units WHERE id = ?",
			     t->lead_unit_id);
	if (rc == 0 && t->person_id > 0)
		rc = reg_require(db, f, REG_NOT_FOUND, "person_id", "SELECT 1 FROM people WHERE id = ?",
				 t->person_id);
	for (size_t i = 0; rc == 0 && i < t->nsupport; i++) {
		rc = reg_require(db, f, REG_NOT_FOUND, "support", "SELECT 1 FROM units WHERE id = ?",
				 t->support[i]);
		if (rc > 0 && f != NULL)
			f->item = (int)i + 1;
	}
	if (rc != 0 || t->indicator_id <= 0)
		return rc;
	db_stmt *st;
	int step = reg_fetch(db, "SELECT p.year FROM plan_indicators x JOIN plans p ON p.id = x.plan_id"
				 " WHERE x.id = ?",
			     t->indicator_id, &st);
	if (step != DB_ROW)
		return step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "indicator_id") : -1;
	int64_t year = db_col_int64(st, 0);
	db_done(st);
	char first[11], last[11];
	if (!plan_period_days((int)year, PLAN_YEAR, first, last) || strcmp(t->due_on, first) < 0 ||
	    strcmp(t->due_on, last) > 0)
		return model_answer(f, REG_OUT_OF_RANGE, "due_on", year);
	return 0;
}

/* Runs sql with ?1 .. ?n bound to v: 0 when done, -1. */
static int run_ints(db_t *db, const char *sql, const int64_t *v, int n)
{
	return reg_run_ints(db, sql, v, n) == DB_DONE ? 0 : -1;
}

static int write_support(db_t *db, const task *t, int64_t id)
{
	if (run_ints(db, "DELETE FROM task_units WHERE task_id = ?", &id, 1) != 0)
		return -1;
	for (size_t i = 0; i < t->nsupport; i++) {
		const int64_t row[2] = {id, t->support[i]};
		if (t->support[i] != t->lead_unit_id &&
		    run_ints(db, "INSERT OR IGNORE INTO task_units (task_id, unit_id) VALUES (?, ?)",
			     row, 2) != 0)
			return -1;
	}
	return 0;
}

static const char *const task_save_sql[] = {
	"INSERT INTO tasks (title, description, lead_unit_id, person_id, starts_on, due_on, status,"
	" indicator_id) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE ?9 = 0",
	"UPDATE tasks SET title = ?1, description = ?2, lead_unit_id = ?3, person_id = ?4,"
	" starts_on = ?5, due_on = ?6, status = ?7, indicator_id = ?8, updated_at = unixepoch()"
	" WHERE id = ?9"};

static int task_save(db_t *db, const task *t, int64_t record, int64_t *id, model_problem *f)
{
	int result = task_check(t, f), nested;
	if (result != 0)
		return result;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	result = task_guard(db, t, f);
	int64_t saved = 0;
	if (result == 0) {
		bool no_start = t->starts_on == NULL || t->starts_on[0] == '\0';
		db_stmt *st = db_prepare(db, task_save_sql[record != 0]);
		bool bound = st != NULL && db_bind_text(st, 1, t->title, -1) == 0 &&
			     db_bind_text(st, 2, or_empty(t->description), -1) == 0 &&
			     db_bind_int64(st, 3, t->lead_unit_id) == 0 &&
			     bind_id(st, 4, t->person_id) == 0 &&
			     (no_start ? db_bind_null(st, 5) : db_bind_text(st, 5, t->starts_on, -1)) == 0 &&
			     db_bind_text(st, 6, t->due_on, -1) == 0 &&
			     db_bind_text(st, 7, status_of(t), -1) == 0 &&
			     bind_id(st, 8, t->indicator_id) == 0 && db_bind_int64(st, 9, record) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, record, &saved, f);
	}
	if (result == 0)
		result = write_support(db, t, saved);
	if (result == 0 && id != NULL)
		*id = saved;
	return reg_finish(db, nested, result);
}

int task_add(db_t *db, const task *t, int64_t *id, model_problem *f)
{
	return task_save(db, t, 0, id, f);
}

int task_update(db_t *db, const task *t, model_problem *f)
{
	return t->id > 0 ? task_save(db, t, t->id, NULL, f) : reg_refuse(f, REG_NOT_FOUND, "id");
}

int task_set_status(db_t *db, int64_t id, const char *status, model_problem *f)
{
	int rc = reg_check_choice(f, "status", status, task_statuses, true);
	if (rc != 0)
		return rc;
	db_stmt *st = db_prepare(db, "UPDATE tasks SET status = ?, updated_at = unixepoch()"
				     " WHERE id = ?");
	bool bound = st != NULL && db_bind_text(st, 1, status, -1) == 0 &&
		     db_bind_int64(st, 2, id) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	return reg_saved(db, step, id, NULL, f);
}

/* ---- reading ------------------------------------------------------------------ */

#define TASK_COLUMNS                                                                          \
	"SELECT t.id, t.lead_unit_id, ifnull(t.person_id, 0), ifnull(t.indicator_id, 0),"      \
	" t.percent, " TASK_OVERDUE ", ifnull(pe.user_id, 0), ifnull(pl.year, 0),"             \
	" t.title, t.description, ifnull(t.starts_on, ''), t.due_on, t.status, lu.name,"      \
	" ifnull(trim(pe.title || ' ' || pe.name), ''), ifnull(x.name, ''),"                  \
	" ifnull((SELECT group_concat(u.name, ', ') FROM task_units s"                        \
	" JOIN units u ON u.id = s.unit_id WHERE s.task_id = t.id), '')"                       \
	" FROM tasks t JOIN units lu ON lu.id = t.lead_unit_id"                                \
	" LEFT JOIN people pe ON pe.id = t.person_id"                                          \
	" LEFT JOIN plan_indicators x ON x.id = t.indicator_id"                                \
	" LEFT JOIN plans pl ON pl.id = x.plan_id"

static int task_fill(arena_t *a, db_stmt *st, void *item)
{
	task *t = item;
	int64_t overdue = 0;
	int64_t *const numbers[] = {&t->id,      &t->lead_unit_id,   &t->person_id,
				    &t->indicator_id, &t->percent,  &overdue,
				    &t->person_user_id, &t->indicator_year};
	const char **const texts[] = {&t->title,  &t->description,  &t->starts_on,
				      &t->due_on, &t->status,       &t->lead_unit_name,
				      &t->person_name, &t->indicator_name, &t->support_names};
	int rc = reg_read_row(a, st, numbers, 8, texts, 9);
	t->overdue = overdue != 0;
	return rc;
}

int task_get(db_t *db, arena_t *a, int64_t id, task *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(db, TASK_COLUMNS " WHERE t.id = ?1");
	bool bound = st != NULL && db_bind_int64(st, 1, id) == 0 && bind_today(st) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	int rc = step == DB_ROW ? task_fill(a, st, out) : step == DB_DONE ? 1 : -1;
	if (st != NULL)
		db_done(st);
	if (rc != 0)
		return rc;
	st = db_prepare(db, "SELECT s.unit_id FROM task_units s JOIN units u ON u.id = s.unit_id"
			    " WHERE s.task_id = ? ORDER BY u.position, u.name");
	if (st == NULL || db_bind_int64(st, 1, id) != 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW && out->nsupport < TASK_SUPPORT_MAX)
		out->support[out->nsupport++] = db_col_int64(st, 0);
	db_done(st);
	return step == DB_ERROR ? -1 : 0;
}

/* The filter of task_list and task_count: ?1..?7, and ?20 today. */
#define TASK_WHERE                                                                            \
	" WHERE (?1 IS NULL OR t.due_on BETWEEN ?1 AND ?2)"                                    \
	" AND (?3 = 0 OR t.lead_unit_id = ?3 OR EXISTS (SELECT 1 FROM task_units s"            \
	" WHERE s.task_id = t.id AND s.unit_id = ?3))"                                          \
	" AND (?4 = 0 OR t.person_id = ?4)"                                                    \
	" AND (?5 = 0 OR EXISTS (SELECT 1 FROM people me WHERE me.user_id = ?5 AND me.active"  \
	" AND (me.id = t.person_id OR me.unit_id = t.lead_unit_id OR EXISTS (SELECT 1"          \
	" FROM task_units s WHERE s.task_id = t.id AND s.unit_id = me.unit_id))))"              \
	" AND (?6 = 0 OR " TASK_OVERDUE ") AND (?7 IS NULL OR t.status = ?7)"

static int bind_filter(db_stmt *st, const task_filter *flt)
{
	char first[11], last[11];
	bool dated = flt->year > 0 &&
		     plan_period_days(flt->year, flt->period, first, last);
	if (flt->year > 0 && !dated)
		return -1;
	const char *status = flt->status != NULL && flt->status[0] != '\0' ? flt->status : NULL;
	return (dated ? db_bind_text(st, 1, first, -1) : db_bind_null(st, 1)) != 0 ||
			       (dated ? db_bind_text(st, 2, last, -1) : db_bind_null(st, 2)) != 0 ||
			       db_bind_int64(st, 3, flt->unit_id) != 0 ||
			       db_bind_int64(st, 4, flt->person_id) != 0 ||
			       db_bind_int64(st, 5, flt->mine_user_id) != 0 ||
			       db_bind_int64(st, 6, flt->overdue_only ? 1 : 0) != 0 ||
			       (status != NULL ? db_bind_text(st, 7, status, -1) : db_bind_null(st, 7)) != 0 ||
			       bind_today(st) != 0
		       ? -1
		       : 0;
}

int task_list(db_t *db, arena_t *a, const task_filter *flt, task **items, size_t *n)
{
	db_stmt *st = db_prepare(db, TASK_COLUMNS TASK_WHERE " ORDER BY t.due_on, t.id");
	bool bound = st != NULL && bind_filter(st, flt) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, TASKS_MAX, task_fill, items, n, NULL);
}

int task_count(db_t *db, const task_filter *flt, int64_t *total, int64_t *done)
{
	*total = *done = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*), ifnull(sum(t.status = 'hoan_thanh'), 0)"
				     " FROM tasks t" TASK_WHERE);
	bool bound = st != NULL && bind_filter(st, flt) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (step == DB_ROW) {
		*total = db_col_int64(st, 0);
		*done = db_col_int64(st, 1);
	}
	if (st != NULL)
		db_done(st);
	return step == DB_ROW ? 0 : -1;
}

bool task_in_charge(const task *t, int64_t user_id)
{
	return user_id > 0 && t->person_user_id == user_id;
}

/* ---- progress notes ------------------------------------------------------------ */

int task_note_add(db_t *db, const task_note *n, int64_t user_id, const char *who, int64_t *id,
		  model_problem *f)
{
	int rc;
	char today[11];
	reg_today(today);
	if ((rc = reg_check_date(f, "noted_on", n->noted_on, true)))
		return rc;
	if (strcmp(n->noted_on, today) > 0)
		return reg_refuse(f, REG_IN_FUTURE, "noted_on");
	if ((rc = reg_check_text(f, "body", n->body, TASK_NOTE_MAX, true, true)))
		return rc;
	if (n->percent < 0 || n->percent > 100)
		return model_answer(f, REG_OUT_OF_RANGE, "percent", 100);
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = reg_require(db, f, REG_NOT_FOUND, "task_id", "SELECT 1 FROM tasks WHERE id = ?",
				 n->task_id);
	if (result == 0) {
		db_stmt *st = db_prepare(db, "INSERT INTO task_notes (task_id, noted_on, body, percent,"
					     " user_id, who) VALUES (?, ?, ?, ?, ?, ?)");
		bool bound = st != NULL && db_bind_int64(st, 1, n->task_id) == 0 &&
			     db_bind_text(st, 2, n->noted_on, -1) == 0 &&
			     db_bind_text(st, 3, n->body, -1) == 0 &&
			     db_bind_int64(st, 4, n->percent) == 0 && bind_id(st, 5, user_id) == 0 &&
			     db_bind_text(st, 6, or_empty(who), -1) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, 0, id, f);
	}
	/* The task's percent is that of its latest note by day. */
	if (result == 0)
		result = run_ints(db, "UPDATE tasks SET percent = (SELECT percent FROM task_notes"
				      " WHERE task_id = ?1 ORDER BY noted_on DESC, id DESC LIMIT 1),"
				      " updated_at = unixepoch() WHERE id = ?1",
				  &n->task_id, 1);
	return reg_finish(db, nested, result);
}

static int note_fill(arena_t *a, db_stmt *st, void *item)
{
	task_note *n = item;
	int64_t *const numbers[] = {&n->id, &n->task_id, &n->percent};
	const char **const texts[] = {&n->noted_on, &n->body, &n->who};
	return reg_read_row(a, st, numbers, 3, texts, 3);
}

int task_note_list(db_t *db, arena_t *a, int64_t task_id, task_note **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT id, task_id, percent, noted_on, body, who FROM task_notes"
				     " WHERE task_id = ? ORDER BY noted_on DESC, id DESC");
	bool bound = st != NULL && db_bind_int64(st, 1, task_id) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, TASK_NOTES_MAX, note_fill, items, n, NULL);
}
