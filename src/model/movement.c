/*
 * movement.c - moves of objects between places (see movement.h).
 */
#include "model/movement.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

const char *const movement_reasons[] = {"trung_bay", "bao_quan", "kiem_ke", "cho_muon",
					"tra_ve", "nhap_kho", "khac", NULL};

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* Where the object is, its status and its newest move's date. */
static int current(db_t *db, int64_t object_id, int64_t *at, char *status, size_t slen,
		   char *last, size_t llen)
{
	db_stmt *st = db_prepare(db, "SELECT ifnull(location_id, 0), status, ifnull((SELECT"
				     " max(moved_on) FROM movements WHERE object_id = o.id), '')"
				     " FROM objects o WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, object_id) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		*at = db_col_int64(st, 0);
		snprintf(status, slen, "%s", or_empty(db_col_text(st, 1)));
		snprintf(last, llen, "%s", or_empty(db_col_text(st, 2)));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int record(db_t *db, const movement *m, int64_t *id, model_problem *f)
{
	int64_t at;
	char status[16], last[16];
	int rc = current(db, m->object_id, &at, status, sizeof status, last, sizeof last);
	if (rc != 0)
		return rc < 0 ? -1 : reg_refuse(f, REG_NOT_FOUND, "object_id");
	if (strcmp(status, "returned") == 0)
		return reg_refuse(f, REG_WRONG_STATE, "object_id");
	rc = reg_require(db, f, REG_NOT_FOUND, "to_location_id", "SELECT 1 FROM locations WHERE id = ?",
			 m->to_location_id);
	if (rc != 0)
		return rc;
	if (at == m->to_location_id)
		return reg_refuse(f, REG_WRONG_STATE, "to_location_id");
	if (strcmp(m->moved_on, last) < 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "moved_on");
	db_stmt *st = db_prepare(db, "INSERT INTO movements (object_id, moved_on, from_location_id,"
				     " to_location_id, who, reason, note) VALUES (?, ?, ?, ?, ?, ?, ?)");
	int step = DB_ERROR;
	if (st != NULL) {
		if (db_bind_int64(st, 1, m->object_id) == 0 && db_bind_text(st, 2, m->moved_on, -1) == 0 &&
		    (at > 0 ? db_bind_int64(st, 3, at) : db_bind_null(st, 3)) == 0 &&
		    db_bind_int64(st, 4, m->to_location_id) == 0 && db_bind_text(st, 5, m->who, -1) == 0 &&
		    db_bind_text(st, 6, m->reason, -1) == 0 &&
		    db_bind_text(st, 7, or_empty(m->note), -1) == 0)
			step = db_step(st);
		db_done(st);
	}
	if (step != DB_DONE)
		return -1;
	*id = db_last_insert_id(db);
	st = db_prepare(db, "UPDATE objects SET location_id = ?, updated_at = unixepoch() WHERE id = ?");
	step = DB_ERROR;
	if (st != NULL) {
		if (db_bind_int64(st, 1, m->to_location_id) == 0 &&
		    db_bind_int64(st, 2, m->object_id) == 0)
			step = db_step(st);
		db_done(st);
	}
	return step == DB_DONE ? 0 : -1;
}

int movement_add(db_t *db, const movement *m, int64_t *id, model_problem *f)
{
	int rc;
	if ((rc = reg_check_date(f, "moved_on", m->moved_on, true)) ||
	    (rc = reg_check_text(f, "who", m->who, MOVEMENT_WHO_MAX, true, false)) ||
	    (rc = reg_check_choice(f, "reason", m->reason, movement_reasons, true)) ||
	    (rc = reg_check_text(f, "note", m->note, MOVEMENT_NOTE_MAX, false, true)))
		return rc;
	char today[11];
	reg_today(today);
	if (strcmp(m->moved_on, today) > 0)
		return reg_refuse(f, REG_IN_FUTURE, "moved_on");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = record(db, m, id, f);
	return reg_finish(db, nested, result);
}

static int fill_movement(arena_t *a, db_stmt *st, void *item)
{
	movement *m = item;
	m->id = db_col_int64(st, 0);
	m->object_id = db_col_int64(st, 1);
	m->from_location_id = db_col_int64(st, 2);
	m->to_location_id = db_col_int64(st, 3);
	const char **dst[] = {&m->moved_on, &m->who, &m->reason, &m->note};
	return db_col_copy_texts(a, st, 4, dst, 4);
}

int movement_list(db_t *db, arena_t *a, int64_t object_id, movement **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT id, object_id, ifnull(from_location_id, 0),"
				     " to_location_id, moved_on, who, reason, note FROM movements"
				     " WHERE object_id = ? ORDER BY moved_on DESC, id DESC LIMIT 10000");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, object_id) == 0, a,
			    sizeof **items, SIZE_MAX, fill_movement, items, n, NULL);
}
