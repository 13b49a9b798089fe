/*
 * acquisition.c - acquisitions and their hand-over records (see
 * acquisition.h).
 */
#include "model/acquisition.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

const char *const acquisition_modes[] = {"suu_tam", "hien_tang", "mua", "khai_quat",
					 "dieu_chuyen", "trao_doi", "thu_hoi", "khac", NULL};

int acquisition_check(const acquisition *q, model_problem *f)
{
	int rc;
	if ((rc = reg_check_choice(f, "mode", q->mode, acquisition_modes, true)) ||
	    (rc = reg_check_date(f, "acquired_on", q->acquired_on, true)) ||
	    (rc = reg_check_text(f, "handover_no", q->handover_no, ACQUISITION_NO_MAX, false,
				 false)) ||
	    (rc = reg_check_text(f, "giver", q->giver, ACQUISITION_TEXT_MAX, false, false)) ||
	    (rc = reg_check_text(f, "receiver", q->receiver, ACQUISITION_TEXT_MAX, false,
				 false)) ||
	    (rc = reg_check_text(f, "note", q->note, ACQUISITION_NOTE_MAX, false, true)))
		return rc;
	char today[11];
	reg_today(today);
	if (strcmp(q->acquired_on, today) > 0)
		return reg_refuse(f, REG_IN_FUTURE, "acquired_on");
	if (q->value < 0 || q->value > ACQUISITION_VALUE_MAX)
		return reg_refuse(f, REG_OUT_OF_RANGE, "value");
	if (q->value > 0 && strcmp(q->mode, "mua") != 0)
		return reg_refuse(f, REG_WRONG_STATE, "value");
	if (q->donor_id < 0)
		return reg_refuse(f, REG_NOT_FOUND, "donor_id");
	return 0;
}

int acquisition_check_value(const acquisition *q, model_problem *f)
{
	if (q->mode != NULL && strcmp(q->mode, "mua") == 0 && q->value == 0)
		return reg_refuse(f, REG_REQUIRED, "value");
	return 0;
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* Binds the fields of q to ?1..?8 (mode, donor, date, hand-over number,
 * giver, receiver, value, note): 0 or -1. */
static int bind_fields(db_stmt *st, const acquisition *q)
{
	return db_bind_text(st, 1, q->mode, -1) != 0 ||
	       (q->donor_id > 0 ? db_bind_int64(st, 2, q->donor_id) : db_bind_null(st, 2)) != 0 ||
	       db_bind_text(st, 3, q->acquired_on, -1) != 0 ||
	       db_bind_text(st, 4, or_empty(q->handover_no), -1) != 0 ||
	       db_bind_text(st, 5, or_empty(q->giver), -1) != 0 ||
	       db_bind_text(st, 6, or_empty(q->receiver), -1) != 0 ||
	       db_bind_int64(st, 7, q->value) != 0 || db_bind_text(st, 8, or_empty(q->note), -1) != 0
		   ? -1
		   : 0;
}

int acquisition_add(db_t *db, const acquisition *q, int64_t *id, model_problem *f)
{
	int rc = acquisition_check(q, f);
	if (rc != 0)
		return rc;
	db_stmt *st = db_prepare(db, "INSERT INTO acquisitions (mode, donor_id, acquired_on,"
				     " handover_no, giver, receiver, value, note)"
				     " SELECT ?, ?, ?, ?, ?, ?, ?, ?"
				     " WHERE ?2 IS NULL OR EXISTS (SELECT 1 FROM donors WHERE id = ?2)");
	if (st == NULL)
		return -1;
	int step = bind_fields(st, q) == 0 ? db_step(st) : DB_ERROR;
	db_done(st);
	return reg_inserted(db, step, f, "donor_id", id);
}

/* The field of a registered acquisition that q would change rather than
 * fill in, or NULL: what acquisition_update() refuses. */
static const char *fixed_field(const acquisition *old, const acquisition *q)
{
	const struct {
		const char *name, *was, *now;
	} texts[] = {{"mode", old->mode, q->mode},
		     {"acquired_on", old->acquired_on, q->acquired_on},
		     {"handover_no", old->handover_no, or_empty(q->handover_no)},
		     {"giver", old->giver, or_empty(q->giver)},
		     {"receiver", old->receiver, or_empty(q->receiver)}};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i].was[0] != '\0' && strcmp(texts[i].was, texts[i].now) != 0)
			return texts[i].name;
	if (old->donor_id > 0 && old->donor_id != q->donor_id)
		return "donor_id";
	if (old->value > 0 && old->value != q->value)
		return "value";
	return NULL;
}

/* acquisition_update's guard: the acquisition exists and, once one of
 * its objects is registered, only empty fields and the note change. */
static int registered_guard(db_t *db, arena_t *a, const void *record, model_problem *f)
{
	const acquisition *q = record;
	acquisition old;
	int found = acquisition_get(db, a, q->id, &old);
	if (found != 0)
		return found == 1 ? reg_refuse(f, REG_NOT_FOUND, "id") : -1;
	int registered = reg_exists(db, "SELECT 1 FROM objects WHERE acquisition_id = ?"
				    " AND reg_number IS NOT NULL LIMIT 1", q->id);
	const char *fixed = registered == 1 ? fixed_field(&old, q) : NULL;
	return registered < 0 ? -1 : fixed != NULL ? reg_refuse(f, REG_WRONG_STATE, fixed) : 0;
}

static int bind_update(db_stmt *st, const void *record)
{
	const acquisition *q = record;
	return bind_fields(st, q) == 0 && db_bind_int64(st, 9, q->id) == 0 ? 0 : -1;
}

int acquisition_update(db_t *db, const acquisition *q, model_problem *f)
{
	int rc = acquisition_check(q, f);
	return rc != 0 ? rc
		       : reg_update(db, "UPDATE acquisitions SET mode = ?1, donor_id = ?2,"
					" acquired_on = ?3, handover_no = ?4, giver = ?5, receiver = ?6,"
					" value = ?7, note = ?8 WHERE id = ?9 AND (?2 IS NULL OR"
					" EXISTS (SELECT 1 FROM donors WHERE id = ?2))",
				    q, registered_guard, bind_update, "donor_id", f);
}

int acquisition_get(db_t *db, arena_t *a, int64_t id, acquisition *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st;
	int rc = reg_fetch(db, "SELECT id, ifnull(donor_id, 0), value, mode, acquired_on,"
			      " handover_no, giver, receiver, note FROM acquisitions WHERE id = ?",
			      id, &st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	out->id = db_col_int64(st, 0);
	out->donor_id = db_col_int64(st, 1);
	out->value = db_col_int64(st, 2);
	const char **dst[] = {&out->mode, &out->acquired_on, &out->handover_no,
			      &out->giver, &out->receiver, &out->note};
	int result = db_col_copy_texts(a, st, 3, dst, 6);
	db_done(st);
	return result;
}

int acquisition_tally(db_t *db, int64_t id, int64_t *objects, int64_t *registered)
{
	db_stmt *st = db_prepare(db, "SELECT count(*), count(reg_number) FROM objects"
				     " WHERE acquisition_id = ?");
	int rc = st != NULL && db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		*objects = db_col_int64(st, 0);
		*registered = db_col_int64(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Binds the first and last day of year to ?1 and ?2. */
static int bind_year(db_stmt *st, int year)
{
	char from[16], to[16];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	return db_bind_text(st, 1, from, -1) == 0 && db_bind_text(st, 2, to, -1) == 0 ? 0 : -1;
}

int acquisition_count_objects(db_t *db, int year, int64_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT count(*)" ACQUISITION_ACCESSIONED_FROM);
	if (st == NULL)
		return -1;
	int rc = bind_year(st, year) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*n = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int acquisition_count_by_mode(db_t *db, int year, int64_t counts[])
{
	size_t modes = 0;
	while (acquisition_modes[modes] != NULL)
		counts[modes++] = 0;
	db_stmt *st = db_prepare(db, "SELECT q.mode, count(*)" ACQUISITION_ACCESSIONED_FROM
				     " GROUP BY q.mode");
	if (st == NULL)
		return -1;
	int rc = bind_year(st, year) == 0 ? db_step(st) : DB_ERROR;
	for (; rc == DB_ROW; rc = db_step(st)) {
		const char *mode = db_col_text(st, 0);
		for (size_t i = 0; mode != NULL && i < modes; i++)
			if (strcmp(mode, acquisition_modes[i]) == 0)
				counts[i] = db_col_int64(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* ---- lists ------------------------------------------------------------------ */

/* Per order: ORDER BY and the keyset condition on the row ?1 (the last one
 * of the previous page), both over the same keys so pages never overlap. */
static const struct {
	const char *order, *after;
} sorts[] = {
	[ACQUISITION_NEWEST] = {"q.acquired_on DESC, q.id DESC",
				"(q.acquired_on, q.id) < (SELECT acquired_on, id FROM acquisitions"
				" WHERE id = ?1)"},
	[ACQUISITION_OLDEST] = {"q.acquired_on, q.id",
				"(q.acquired_on, q.id) > (SELECT acquired_on, id FROM acquisitions"
				" WHERE id = ?1)"},
	[ACQUISITION_BY_NUMBER] = {"q.handover_no, q.id",
				   "(q.handover_no, q.id) > (SELECT handover_no, id FROM acquisitions"
				   " WHERE id = ?1)"},
};

/* Columns: id, donor_id, value, objects, registered, then the texts. */
static int read_row(arena_t *a, db_stmt *st, void *item)
{
	acquisition_row *r = item;
	int64_t *const ints[] = {&r->id, &r->donor_id, &r->value, &r->objects, &r->registered};
	const char **const texts[] = {&r->mode, &r->acquired_on, &r->handover_no, &r->donor_name};
	return reg_read_row(a, st, ints, 5, texts, 4);
}

int acquisition_list(db_t *db, arena_t *a, const acquisition_filter *flt, int64_t after,
		     size_t limit, acquisition_row **rows, size_t *n, bool *more,
		     model_problem *f)
{
	static const acquisition_filter none = {0};
	if (flt == NULL)
		flt = &none;
	*rows = NULL;
	*n = 0;
	*more = false;
	if (limit == 0 || limit > ACQUISITION_PAGE_MAX)
		limit = ACQUISITION_PAGE_MAX;
	int rc = reg_check_text(f, "query", flt->query, ACQUISITION_QUERY_MAX, false, false);
	if (rc == 0)
		rc = reg_check_choice(f, "mode", flt->mode, acquisition_modes, false);
	if (rc != 0)
		return rc;
	unsigned sort = (unsigned)flt->sort < sizeof sorts / sizeof sorts[0] ? flt->sort
									   : ACQUISITION_NEWEST;
	char from[16] = "", to[16] = "";
	if (flt->year > 0 && flt->year < 10000) {
		snprintf(from, sizeof from, "%04d-01-01", flt->year);
		snprintf(to, sizeof to, "%04d-01-01", flt->year + 1);
	}
	const char *like = reg_like_folded(a, flt->query);
	const char *sql = like == NULL ? NULL : arena_sprintf(a,
		"SELECT q.id, ifnull(q.donor_id, 0), q.value,"
		" (SELECT count(*) FROM objects o WHERE o.acquisition_id = q.id),"
		" (SELECT count(*) FROM objects o WHERE o.acquisition_id = q.id"
		" AND o.reg_number IS NOT NULL),"
		" q.mode, q.acquired_on, q.handover_no, ifnull(d.name, '')"
		" FROM acquisitions q LEFT JOIN donors d ON d.id = q.donor_id"
		" WHERE (?1 = 0 OR %s) AND (?2 IS NULL OR q.mode = ?2)"
		" AND (?3 = '' OR (q.acquired_on >= ?3 AND q.acquired_on < ?4))"
		" AND (?5 = 0 OR q.donor_id = ?5)"
		" AND (?6 = '' OR sen_fold(q.handover_no || ' ' || ifnull(d.name, '') || ' ' ||"
		" q.giver || ' ' || q.note) LIKE ?6 ESCAPE '\\')"
		" ORDER BY %s LIMIT ?7", sorts[sort].after, sorts[sort].order);
	db_stmt *st = sql != NULL ? db_prepare(db, sql) : NULL;
	bool bound = st != NULL && db_bind_int64(st, 1, after > 0 ? after : 0) == 0 &&
		     db_bind_text(st, 2, flt->mode != NULL && flt->mode[0] ? flt->mode : NULL, -1) == 0 &&
		     db_bind_text(st, 3, from, -1) == 0 && db_bind_text(st, 4, to, -1) == 0 &&
		     db_bind_int64(st, 5, flt->donor_id) == 0 && db_bind_text(st, 6, like, -1) == 0 &&
		     db_bind_int64(st, 7, (int64_t)limit + 1) == 0;
	return db_fill_rows(st, bound, a, sizeof **rows, limit, read_row, rows, n, more);
}
