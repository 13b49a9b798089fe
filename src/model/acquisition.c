/*
 * acquisition.c - acquisitions and their hand-over records (see
 * acquisition.h).
 */
#include "model/acquisition.h"

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
	if (q->value < 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "value");
	if (q->donor_id < 0)
		return reg_refuse(f, REG_NOT_FOUND, "donor_id");
	return 0;
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
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
	int step = DB_ERROR;
	if (db_bind_text(st, 1, q->mode, -1) == 0 &&
	    (q->donor_id > 0 ? db_bind_int64(st, 2, q->donor_id) : db_bind_null(st, 2)) == 0 &&
	    db_bind_text(st, 3, q->acquired_on, -1) == 0 &&
	    db_bind_text(st, 4, or_empty(q->handover_no), -1) == 0 &&
	    db_bind_text(st, 5, or_empty(q->giver), -1) == 0 &&
	    db_bind_text(st, 6, or_empty(q->receiver), -1) == 0 &&
	    db_bind_int64(st, 7, q->value) == 0 && db_bind_text(st, 8, or_empty(q->note), -1) == 0)
		step = db_step(st);
	db_done(st);
	return reg_inserted(db, step, f, "donor_id", id);
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

int acquisition_count_objects(db_t *db, int year, int64_t *n)
{
	char from[16], to[16];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-01-01", year + 1);
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM acquisitions q"
				     " JOIN objects o ON o.acquisition_id = q.id"
				     " WHERE q.acquired_on >= ? AND q.acquired_on < ?"
				     " AND o.status <> 'returned'");
	if (st == NULL)
		return -1;
	int rc = db_bind_text(st, 1, from, -1) == 0 && db_bind_text(st, 2, to, -1) == 0
		     ? db_step(st)
		     : DB_ERROR;
	if (rc == DB_ROW)
		*n = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}
