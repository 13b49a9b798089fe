/*
 * plan.c - the year's plans and their indicators (see plan.h).
 */
#include "model/plan.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "model/acquisition.h"

const char *const plan_sources[] = {PLAN_SOURCE_CHECKIN,    "objects_accessioned",
				    "exhibitions_opened",   "publications_published",
				    "exhibition_visitors",  "articles_published",
				    NULL};

/* The count of each computed source over days ?1 .. ?2 (inclusive). */
static const struct {
	const char *source;
	const char *sql;
	bool by_year_only;
} computed[] = {
	{"objects_accessioned",
	 "SELECT count(*)" ACQUISITION_ACCESSIONED_FROM,
	 false},
	{"exhibitions_opened", "SELECT count(*) FROM exhibitions WHERE opens_on BETWEEN ?1 AND ?2",
	 false},
	{"publications_published",
	 "SELECT count(*) FROM publications WHERE year = CAST(substr(?1, 1, 4) AS INTEGER)"
	 " AND ?2 IS NOT NULL",
	 true},
	{"exhibition_visitors",
	 "SELECT ifnull(sum(visitors), 0) FROM exhibition_visits"
	 " WHERE counted_on BETWEEN ?1 AND ?2",
	 false},
	{"articles_published",
	 "SELECT count(*) FROM articles WHERE status = 2 AND published_at > 0"
	 " AND published_at <= unixepoch()"
	 " AND date(published_at, 'unixepoch', '+7 hours') BETWEEN ?1 AND ?2",
	 false},
};

bool plan_source_computed(const char *source)
{
	for (size_t i = 0; source != NULL && i < sizeof computed / sizeof computed[0]; i++)
		if (strcmp(source, computed[i].source) == 0)
			return true;
	return false;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

bool plan_period_days(int year, int p, char first[11], char last[11])
{
	int m1, m2;
	if (p == PLAN_YEAR) {
		m1 = 1;
		m2 = 12;
	} else if (p >= PLAN_Q1 && p <= PLAN_Q4) {
		m1 = (p - PLAN_Q1) * 3 + 1;
		m2 = m1 + 2;
	} else if (p >= PLAN_M1 && p <= PLAN_PERIOD_LAST) {
		m1 = m2 = p - PLAN_M1 + 1;
	} else {
		return false;
	}
	if (year < 1000 || year > 9999)
		return false;
	snprintf(first, 11, "%04d-%02d-01", year, m1);
	snprintf(last, 11, "%04d-%02d-%02d", year, m2, month_days(year, m2));
	return true;
}

int64_t plan_percent(int64_t actual, int64_t target)
{
	if (target <= 0 || actual < 0)
		return 0;
	/* Half up in integers: floor((200 * actual + target) / (2 * target)).
	 * Both are at most PLAN_TARGET_MAX-sized, far from overflowing; a
	 * bigger actual (summed check-ins) is clamped first. */
	if (actual > INT64_MAX / 400)
		actual = INT64_MAX / 400;
	return (200 * actual + target) / (2 * target);
}

bool plan_percent_over(int64_t actual, int64_t target)
{
	return target > 0 && actual > target;
}

void plan_percent_format(char *out, size_t outlen, int64_t actual, int64_t target)
{
	if (outlen > 0)
		snprintf(out, outlen, "%lld%%", (long long)plan_percent(actual, target));
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- plans ---------------------------------------------------------------- */

static int plan_check(const plan *p, model_problem *f)
{
	int rc;
	if (p->year < PLAN_YEAR_MIN || p->year > PLAN_YEAR_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "year", PLAN_YEAR_MAX);
	if ((rc = reg_check_text(f, "title", p->title, PLAN_TITLE_MAX, false, false)) ||
	    (rc = reg_check_text(f, "note", p->note, PLAN_NOTE_MAX, false, true)))
		return rc;
	return 0;
}

/* Saving a plan: insert (?5 is 0) or update row ?5, either only while no
 * other plan holds that year and unit. */
#define PLAN_FREE                                                                            \
	" NOT EXISTS (SELECT 1 FROM plans o WHERE o.year = ?1 AND ifnull(o.unit_id, 0) ="    \
	" ifnull(?2, 0) AND o.id <> ?5)"
static const char *const plan_save_sql[] = {
	"INSERT INTO plans (year, unit_id, title, note) SELECT ?1, ?2, ?3, ?4"
	" WHERE ?5 = 0 AND" PLAN_FREE,
	"UPDATE plans SET year = ?1, unit_id = ?2, title = ?3, note = ?4, updated_at = unixepoch()"
	" WHERE id = ?5 AND" PLAN_FREE};

/* Inserts (record 0) or replaces plan record with p's fields. */
static int plan_save(db_t *db, const plan *p, int64_t record, int64_t *id, model_problem *f)
{
	/* The unit is checked before writing; the foreign key stands behind. */
	int result = plan_check(p, f);
	if (result == 0 && p->unit_id > 0)
		result = reg_require(db, f, REG_NOT_FOUND, "unit_id", "SELECT 1 FROM units WHERE id = ?",
				     p->unit_id);
	int nested;
	if (result != 0 || db_write_begin(db, &nested) != 0)
		return result != 0 ? result : -1;
	{
		db_stmt *st = db_prepare(db, plan_save_sql[record != 0]);
		bool bound = st != NULL && db_bind_int64(st, 1, p->year) == 0 &&
			     (p->unit_id > 0 ? db_bind_int64(st, 2, p->unit_id)
					     : db_bind_null(st, 2)) == 0 &&
			     db_bind_text(st, 3, or_empty(p->title), -1) == 0 &&
			     db_bind_text(st, 4, or_empty(p->note), -1) == 0 &&
			     db_bind_int64(st, 5, record) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, record, id, f);
		/* Nothing written: the row is gone, or the year is taken. */
		int exists = result == REG_NOT_FOUND && record != 0
				     ? reg_exists(db, "SELECT 1 FROM plans WHERE id = ?", record)
				     : 1;
		if (result == REG_NOT_FOUND)
			result = exists < 0 ? -1 : exists ? reg_refuse(f, REG_DUPLICATE, "year") : result;
	}
	return reg_finish(db, nested, result);
}

int plan_add(db_t *db, const plan *p, int64_t *id, model_problem *f)
{
	return plan_save(db, p, 0, id, f);
}

int plan_update(db_t *db, const plan *p, model_problem *f)
{
	return p->id > 0 ? plan_save(db, p, p->id, NULL, f) : reg_refuse(f, REG_NOT_FOUND, "id");
}

#define PLAN_COLUMNS                                                                         \
	"SELECT p.id, p.year, ifnull(p.unit_id, 0),"                                          \
	" (SELECT count(*) FROM plan_indicators x WHERE x.plan_id = p.id),"                  \
	" p.title, p.note, ifnull(u.name, '') FROM plans p LEFT JOIN units u ON u.id = p.unit_id"

static int plan_fill(arena_t *a, db_stmt *st, void *item)
{
	plan *p = item;
	int64_t *const numbers[] = {&p->id, &p->year, &p->unit_id, &p->indicators};
	const char **const texts[] = {&p->title, &p->note, &p->unit_name};
	return reg_read_row(a, st, numbers, 4, texts, 3);
}

int plan_get(db_t *db, arena_t *a, int64_t id, plan *out)
{
	return reg_get_row(db, a, PLAN_COLUMNS " WHERE p.id = ?", id, sizeof *out, plan_fill, out);
}

int plan_find(db_t *db, int year, int64_t *id)
{
	return reg_find_id(db, "SELECT id FROM plans WHERE year = ? AND unit_id IS NULL", year, id);
}

int plan_list(db_t *db, arena_t *a, plan **items, size_t *n)
{
	db_stmt *st = db_prepare(db, PLAN_COLUMNS " ORDER BY p.year DESC, p.unit_id IS NOT NULL,"
						  " u.name, p.id LIMIT 500");
	return db_fill_rows(st, st != NULL, a, sizeof **items, 500, plan_fill, items, n, NULL);
}

/* ---- indicators ----------------------------------------------------------- */

/* Runs sql with ?1 .. ?n bound to v: 0 when done, -1. */
static int run_ints(db_t *db, const char *sql, const int64_t *v, int n)
{
	return reg_run_ints(db, sql, v, n) == DB_DONE ? 0 : -1;
}

/* A split of n slices given (has) must add up to target. */
static int check_split(model_problem *f, const char *field, bool has, const int64_t *slices,
		       size_t n, int64_t target)
{
	if (!has)
		return 0;
	int64_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (slices[i] < 0 || slices[i] > PLAN_TARGET_MAX) {
			model_answer(f, REG_OUT_OF_RANGE, field, PLAN_TARGET_MAX);
			if (f != NULL)
				f->item = (int)i + 1;
			return REG_OUT_OF_RANGE;
		}
		sum += slices[i];
	}
	if (sum != target) {
		model_refuse_limit(f, REG_OUT_OF_RANGE, field, target, sum);
		return REG_OUT_OF_RANGE;
	}
	return 0;
}

int plan_indicator_check(const plan_indicator *x, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "name", x->name, PLAN_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "measure", x->measure, PLAN_MEASURE_MAX, true, false)))
		return rc;
	if (x->target < 1 || x->target > PLAN_TARGET_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "target", PLAN_TARGET_MAX);
	if ((rc = reg_check_choice(f, "source", x->source, plan_sources, true)) ||
	    (rc = reg_check_text(f, "note", x->note, PLAN_CHECKIN_NOTE_MAX, false, true)) ||
	    (rc = check_split(f, "quarters", x->has_quarters, x->quarters, 4, x->target)) ||
	    (rc = check_split(f, "months", x->has_months, x->months, 12, x->target)))
		return rc;
	return 0;
}

static int write_slices(db_t *db, const plan_indicator *x, int64_t id)
{
	if (run_ints(db, "DELETE FROM plan_slices WHERE indicator_id = ?", &id, 1) != 0)
		return -1;
	for (int p = PLAN_Q1; p <= PLAN_PERIOD_LAST; p++) {
		bool quarter = p <= PLAN_Q4;
		if (quarter ? !x->has_quarters : !x->has_months)
			continue;
		int64_t t = quarter ? x->quarters[p - PLAN_Q1] : x->months[p - PLAN_M1];
		const int64_t row[3] = {id, p, t};
		if (run_ints(db, "INSERT INTO plan_slices (indicator_id, period, target)"
				 " VALUES (?, ?, ?)", row, 3) != 0)
			return -1;
	}
	return 0;
}

static const char *const indicator_save_sql[] = {
	"INSERT INTO plan_indicators (plan_id, position, name, measure, target, source, note)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ?8 = 0",
	"UPDATE plan_indicators SET position = ?2, name = ?3, measure = ?4, target = ?5,"
	" source = ?6, note = ?7, updated_at = unixepoch() WHERE id = ?8 AND plan_id = ?1"};

/* Inserts (record 0) or replaces indicator record with x's fields. */
static int indicator_save(db_t *db, const plan_indicator *x, int64_t record, int64_t *id,
			  model_problem *f)
{
	int rc = plan_indicator_check(x, f);
	if (rc != 0)
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = reg_require(db, f, REG_NOT_FOUND, "plan_id", "SELECT 1 FROM plans WHERE id = ?",
				 x->plan_id);
	if (result == 0 && record != 0 && strcmp(x->source, PLAN_SOURCE_CHECKIN) != 0) {
		int has = reg_exists(db, "SELECT 1 FROM plan_checkins WHERE indicator_id = ?", record);
		result = has < 0 ? -1 : has > 0 ? reg_refuse(f, REG_WRONG_STATE, "source") : 0;
	}
	int64_t saved = 0;
	if (result == 0) {
		db_stmt *st = db_prepare(db, indicator_save_sql[record != 0]);
		bool bound = st != NULL && db_bind_int64(st, 1, x->plan_id) == 0 &&
			     db_bind_int64(st, 2, x->position) == 0 &&
			     db_bind_text(st, 3, x->name, -1) == 0 &&
			     db_bind_text(st, 4, x->measure, -1) == 0 &&
			     db_bind_int64(st, 5, x->target) == 0 &&
			     db_bind_text(st, 6, x->source, -1) == 0 &&
			     db_bind_text(st, 7, or_empty(x->note), -1) == 0 &&
			     db_bind_int64(st, 8, record) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, record, &saved, f);
	}
	if (result == 0)
		result = write_slices(db, x, saved);
	if (result == 0 && id != NULL)
		*id = saved;
	return reg_finish(db, nested, result);
}

int plan_indicator_add(db_t *db, const plan_indicator *x, int64_t *id, model_problem *f)
{
	return indicator_save(db, x, 0, id, f);
}

int plan_indicator_update(db_t *db, const plan_indicator *x, model_problem *f)
{
	return x->id > 0 ? indicator_save(db, x, x->id, NULL, f)
			 : reg_refuse(f, REG_NOT_FOUND, "id");
}

#define INDICATOR_COLUMNS                                                                    \
	"SELECT id, plan_id, position, target, name, measure, source, note FROM plan_indicators"

static int indicator_fill(arena_t *a, db_stmt *st, void *item)
{
	plan_indicator *x = item;
	int64_t *const numbers[] = {&x->id, &x->plan_id, &x->position, &x->target};
	const char **const texts[] = {&x->name, &x->measure, &x->source, &x->note};
	return reg_read_row(a, st, numbers, 4, texts, 4);
}

/* Reads the split of x from plan_slices. */
static int read_slices(db_t *db, plan_indicator *x)
{
	db_stmt *st = db_prepare(db, "SELECT period, target FROM plan_slices WHERE indicator_id = ?");
	if (st == NULL || db_bind_int64(st, 1, x->id) != 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		int64_t p = db_col_int64(st, 0), t = db_col_int64(st, 1);
		if (p >= PLAN_Q1 && p <= PLAN_Q4) {
			x->has_quarters = true;
			x->quarters[p - PLAN_Q1] = t;
		} else if (p >= PLAN_M1 && p <= PLAN_PERIOD_LAST) {
			x->has_months = true;
			x->months[p - PLAN_M1] = t;
		}
	}
	db_done(st);
	return step == DB_DONE ? 0 : -1;
}

int plan_indicator_get(db_t *db, arena_t *a, int64_t id, plan_indicator *out)
{
	int rc = reg_get_row(db, a, INDICATOR_COLUMNS " WHERE id = ?", id, sizeof *out,
			     indicator_fill, out);
	return rc == 0 ? read_slices(db, out) : rc;
}

int plan_indicator_list(db_t *db, arena_t *a, int64_t plan_id, plan_indicator **items,
			size_t *n)
{
	db_stmt *st = db_prepare(db, INDICATOR_COLUMNS " WHERE plan_id = ? ORDER BY position, id");
	bool bound = st != NULL && db_bind_int64(st, 1, plan_id) == 0;
	if (db_fill_rows(st, bound, a, sizeof **items, PLAN_INDICATORS_MAX, indicator_fill, items,
			 n, NULL) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (read_slices(db, &(*items)[i]) != 0)
			return -1;
	return 0;
}

int plan_indicator_target(const plan_indicator *x, int p, int64_t *target)
{
	if (p == PLAN_YEAR) {
		*target = x->target;
		return 0;
	}
	if (p >= PLAN_Q1 && p <= PLAN_Q4 && x->has_quarters) {
		*target = x->quarters[p - PLAN_Q1];
		return 0;
	}
	if (p >= PLAN_M1 && p <= PLAN_PERIOD_LAST && x->has_months) {
		*target = x->months[p - PLAN_M1];
		return 0;
	}
	return PLAN_NO_ACTUAL;
}

/* ---- actuals -------------------------------------------------------------- */

int plan_source_actual(db_t *db, const char *source, int64_t indicator_id, int year, int p,
		       int64_t *value)
{
	char first[11], last[11];
	*value = 0;
	if (!plan_period_days(year, p, first, last))
		return PLAN_NO_ACTUAL;
	const char *sql = NULL;
	if (source != NULL && strcmp(source, PLAN_SOURCE_CHECKIN) == 0) {
		sql = "SELECT ifnull(sum(value), 0) FROM plan_checkins"
		      " WHERE done_on BETWEEN ?1 AND ?2 AND indicator_id = ?3";
	} else {
		for (size_t i = 0; source != NULL && i < sizeof computed / sizeof computed[0]; i++)
			if (strcmp(source, computed[i].source) == 0) {
				if (computed[i].by_year_only && p != PLAN_YEAR)
					return PLAN_NO_ACTUAL;
				sql = computed[i].sql;
			}
	}
	if (sql == NULL)
		return PLAN_NO_ACTUAL;
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL && db_bind_text(st, 1, first, -1) == 0 &&
		     db_bind_text(st, 2, last, -1) == 0 &&
		     (strstr(sql, "?3") == NULL || db_bind_int64(st, 3, indicator_id) == 0);
	int step = bound ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*value = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	return step == DB_ROW ? 0 : -1;
}

int plan_indicator_actual(db_t *db, int64_t id, int p, int64_t *value)
{
	*value = 0;
	db_stmt *st;
	int step = reg_fetch(db,
			     "SELECT x.source, p.year FROM plan_indicators x"
			     " JOIN plans p ON p.id = x.plan_id WHERE x.id = ?",
			     id, &st);
	if (step != DB_ROW)
		return step == DB_DONE ? 1 : -1;
	char source[32];
	snprintf(source, sizeof source, "%s", or_empty(db_col_text(st, 0)));
	int year = (int)db_col_int64(st, 1);
	db_done(st);
	return plan_source_actual(db, source, id, year, p, value);
}

/* ---- check-ins ------------------------------------------------------------ */

int plan_checkin_add(db_t *db, const plan_checkin *c, int64_t user_id, int64_t *id,
		     model_problem *f)
{
	int rc;
	if ((rc = reg_check_date(f, "done_on", c->done_on, true)))
		return rc;
	if (c->value < 0 || c->value > PLAN_TARGET_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "value", PLAN_TARGET_MAX);
	if ((rc = reg_check_text(f, "note", c->note, PLAN_CHECKIN_NOTE_MAX, false, true)))
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	db_stmt *st;
	int result = 0;
	int step = reg_fetch(db,
			     "SELECT x.source, p.year FROM plan_indicators x"
			     " JOIN plans p ON p.id = x.plan_id WHERE x.id = ?",
			     c->indicator_id, &st);
	if (step == DB_ROW) {
		bool computed_source = strcmp(or_empty(db_col_text(st, 0)), PLAN_SOURCE_CHECKIN) != 0;
		int year = (int)db_col_int64(st, 1);
		db_done(st);
		char first[11], last[11];
		if (computed_source)
			result = reg_refuse(f, REG_WRONG_STATE, "value");
		else if (!plan_period_days(year, PLAN_YEAR, first, last) ||
			 strcmp(c->done_on, first) < 0 || strcmp(c->done_on, last) > 0)
			result = model_answer(f, REG_OUT_OF_RANGE, "done_on", year);
	} else {
		result = step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "indicator_id") : -1;
	}
	if (result == 0 && c->media_id > 0)
		result = reg_require(db, f, REG_NOT_FOUND, "media_id", "SELECT 1 FROM media WHERE id = ?",
				     c->media_id);
	if (result == 0) {
		st = db_prepare(db, "INSERT INTO plan_checkins (indicator_id, done_on, value, note,"
				    " media_id, user_id) VALUES (?, ?, ?, ?, ?, ?)");
		bool bound = st != NULL && db_bind_int64(st, 1, c->indicator_id) == 0 &&
			     db_bind_text(st, 2, c->done_on, -1) == 0 &&
			     db_bind_int64(st, 3, c->value) == 0 &&
			     db_bind_text(st, 4, or_empty(c->note), -1) == 0 &&
			     (c->media_id > 0 ? db_bind_int64(st, 5, c->media_id)
					      : db_bind_null(st, 5)) == 0 &&
			     (user_id > 0 ? db_bind_int64(st, 6, user_id) : db_bind_null(st, 6)) == 0;
		step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, 0, id, f);
	}
	return reg_finish(db, nested, result);
}

int plan_checkin_remove(db_t *db, int64_t indicator_id, int64_t checkin_id, model_problem *f)
{
	const int64_t key[2] = {checkin_id, indicator_id};
	if (run_ints(db, "DELETE FROM plan_checkins WHERE id = ? AND indicator_id = ?", key, 2) != 0)
		return -1;
	return db_changes(db) == 0 ? reg_refuse(f, REG_NOT_FOUND, "id") : 0;
}

static int checkin_fill(arena_t *a, db_stmt *st, void *item)
{
	plan_checkin *c = item;
	int64_t *const numbers[] = {&c->id, &c->indicator_id, &c->value, &c->media_id};
	const char **const texts[] = {&c->done_on, &c->note, &c->who, &c->media_name};
	return reg_read_row(a, st, numbers, 4, texts, 4);
}

int plan_checkin_list(db_t *db, arena_t *a, int64_t indicator_id, plan_checkin **items,
		      size_t *n)
{
	db_stmt *st = db_prepare(
		db, "SELECT c.id, c.indicator_id, c.value, ifnull(c.media_id, 0), c.done_on, c.note,"
		    " ifnull(nullif(u.display_name, ''), ifnull(u.name, '')),"
		    " ifnull(m.original_name, '')"
		    " FROM plan_checkins c LEFT JOIN users u ON u.id = c.user_id"
		    " LEFT JOIN media m ON m.id = c.media_id"
		    " WHERE c.indicator_id = ? ORDER BY c.done_on DESC, c.id DESC");
	bool bound = st != NULL && db_bind_int64(st, 1, indicator_id) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, PLAN_CHECKINS_MAX, checkin_fill, items, n,
			    NULL);
}
