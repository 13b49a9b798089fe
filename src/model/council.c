/*
 * council.c - Scientific Council sessions and decisions; acceptance assigns
 * the registration number (see council.h).
 */
#include "model/council.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "model/object.h"
#include "model/register_log.h"

const char *const council_decisions[] = {"main", "reference", "returned", NULL};

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

int council_session_add(db_t *db, const council_session *s, int64_t *id, model_problem *f)
{
	int rc;
	if ((rc = reg_check_date(f, "held_on", s->held_on, true)) ||
	    (rc = reg_check_text(f, "members", s->members, COUNCIL_MEMBERS_MAX, false, true)) ||
	    (rc = reg_check_text(f, "minutes", s->minutes, COUNCIL_MINUTES_MAX, false, true)))
		return rc;
	db_stmt *st = db_prepare(db, "INSERT INTO council_sessions (held_on, members, minutes,"
				     " minutes_media_id) SELECT ?1, ?2, ?3, ?4"
				     " WHERE ?4 IS NULL OR EXISTS (SELECT 1 FROM media WHERE id = ?4)");
	if (st == NULL)
		return -1;
	int step = DB_ERROR;
	if (db_bind_text(st, 1, s->held_on, -1) == 0 &&
	    db_bind_text(st, 2, or_empty(s->members), -1) == 0 &&
	    db_bind_text(st, 3, or_empty(s->minutes), -1) == 0 &&
	    (s->minutes_media_id > 0 ? db_bind_int64(st, 4, s->minutes_media_id)
				     : db_bind_null(st, 4)) == 0)
		step = db_step(st);
	db_done(st);
	return reg_inserted(db, step, f, "minutes_media_id", id);
}

int council_session_get(db_t *db, arena_t *a, int64_t id, council_session *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st;
	int rc = reg_fetch(db, "SELECT id, ifnull(minutes_media_id, 0), held_on, members,"
			      " minutes FROM council_sessions WHERE id = ?",
			      id, &st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	out->id = db_col_int64(st, 0);
	out->minutes_media_id = db_col_int64(st, 1);
	const char **dst[] = {&out->held_on, &out->members, &out->minutes};
	int result = db_col_copy_texts(a, st, 2, dst, 3);
	db_done(st);
	return result;
}

static int fill_session(arena_t *a, db_stmt *st, void *item)
{
	council_session *s = item;
	s->id = db_col_int64(st, 0);
	s->minutes_media_id = db_col_int64(st, 1);
	s->decisions = db_col_int64(st, 2);
	const char **dst[] = {&s->held_on, &s->members, &s->minutes};
	return db_col_copy_texts(a, st, 3, dst, 3);
}

int council_session_list(db_t *db, arena_t *a, council_session **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT s.id, ifnull(s.minutes_media_id, 0),"
				     " (SELECT count(*) FROM council_decisions d WHERE d.session_id = s.id),"
				     " s.held_on, s.members, s.minutes FROM council_sessions s"
				     " ORDER BY s.held_on DESC, s.id DESC LIMIT ?");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, COUNCIL_LIST_MAX) == 0, a,
			    sizeof **items, SIZE_MAX, fill_session, items, n, NULL);
}

static int fill_decision(arena_t *a, db_stmt *st, void *item)
{
	council_decision *d = item;
	d->object_id = db_col_int64(st, 0);
	const char **dst[] = {&d->object_name, &d->intake_no, &d->decision,
			      &d->reg_number, &d->note, &d->decided_by};
	return db_col_copy_texts(a, st, 1, dst, 6);
}

int council_decision_list(db_t *db, arena_t *a, int64_t session_id, council_decision **items,
			  size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT d.object_id, o.name, o.intake_no, d.decision,"
				     " ifnull(o.reg_number, ''), d.note, d.decided_by"
				     " FROM council_decisions d JOIN objects o ON o.id = d.object_id"
				     " WHERE d.session_id = ? ORDER BY d.id");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, session_id) == 0, a,
			    sizeof **items, SIZE_MAX, fill_decision, items, n, NULL);
}

/* Checks and stores the decision; assigns the number for an acceptance. */
static int decide(db_t *db, arena_t *a, int64_t session_id, int64_t object_id,
		  const char *decision, int64_t register_id, const char *who, const char *note,
		  char *number, size_t number_len, model_problem *f)
{
	council_session s;
	int rc = council_session_get(db, a, session_id, &s);
	if (rc != 0)
		return rc < 0 ? -1 : reg_refuse(f, REG_NOT_FOUND, "session_id");
	object_card c;
	rc = object_get(db, a, object_id, &c);
	if (rc != 0)
		return rc < 0 ? -1 : reg_refuse(f, REG_NOT_FOUND, "object_id");
	if (strcmp(c.status, "intake") != 0)
		return reg_refuse(f, REG_WRONG_STATE, "object_id");
	bool accept = strcmp(decision, "returned") != 0;
	if (accept) {
		if (register_id <= 0)
			return reg_refuse(f, REG_REQUIRED, "register_id");
		register_book r;
		rc = register_number_get(db, a, register_id, &r);
		if (rc != 0)
			return rc < 0 ? -1 : reg_refuse(f, REG_NOT_FOUND, "register_id");
		if (strcmp(r.collection, decision) != 0)
			return reg_refuse(f, REG_WRONG_STATE, "register_id");
		char num[REGISTER_NUMBER_MAX + 1];
		int64_t seq;
		if (register_number_take(db, register_id, c.material_code, &seq, num, sizeof num) != 0)
			return -1;
		db_stmt *st = db_prepare(db, "UPDATE objects SET status = ?, register_id = ?,"
					     " reg_seq = ?, reg_number = ?, registered_at = unixepoch(),"
					     " updated_at = unixepoch() WHERE id = ? AND status = 'intake'");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_text(st, 1, decision, -1) == 0 &&
			    db_bind_int64(st, 2, register_id) == 0 && db_bind_int64(st, 3, seq) == 0 &&
			    db_bind_text(st, 4, num, -1) == 0 && db_bind_int64(st, 5, object_id) == 0)
				step = db_step(st);
			db_done(st);
		}
		/* A number some object already holds (a pattern edited by hand in
		 * the file): refuse rather than write it twice. */
		if (step == DB_CONSTRAINT)
			return reg_refuse(f, REG_DUPLICATE, "register_id");
		if (step != DB_DONE || db_changes(db) != 1)
			return -1;
		c.status = decision;
		c.register_id = register_id;
		c.reg_seq = seq;
		c.reg_number = num;
		int64_t entry;
		if (register_log_append(db, &c, "register", 0, who, "", &entry) != 0)
			return -1;
		st = db_prepare(db, "UPDATE objects SET log_head = ? WHERE id = ?");
		step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, entry) == 0 && db_bind_int64(st, 2, object_id) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step != DB_DONE)
			return -1;
		if (number != NULL)
			snprintf(number, number_len, "%s", num);
	} else {
		if (register_id > 0)
			return reg_refuse(f, REG_WRONG_STATE, "register_id");
		db_stmt *st = db_prepare(db, "UPDATE objects SET status = 'returned',"
					     " updated_at = unixepoch() WHERE id = ?");
		int step = st != NULL && db_bind_int64(st, 1, object_id) == 0 ? db_step(st)
									     : DB_ERROR;
		if (st != NULL)
			db_done(st);
		if (step != DB_DONE)
			return -1;
		if (number != NULL && number_len > 0)
			number[0] = '\0';
	}
	db_stmt *st = db_prepare(db, "INSERT INTO council_decisions (session_id, object_id, decision,"
				     " register_id, note, decided_by) VALUES (?, ?, ?, ?, ?, ?)");
	int step = DB_ERROR;
	if (st != NULL) {
		if (db_bind_int64(st, 1, session_id) == 0 && db_bind_int64(st, 2, object_id) == 0 &&
		    db_bind_text(st, 3, decision, -1) == 0 &&
		    (accept ? db_bind_int64(st, 4, register_id) : db_bind_null(st, 4)) == 0 &&
		    db_bind_text(st, 5, or_empty(note), -1) == 0 && db_bind_text(st, 6, who, -1) == 0)
			step = db_step(st);
		db_done(st);
	}
	return step == DB_DONE ? 0 : -1;
}

int council_decide(db_t *db, int64_t session_id, int64_t object_id, const char *decision,
		   int64_t register_id, const char *who, const char *note, char *number,
		   size_t number_len, model_problem *f)
{
	int rc;
	if ((rc = reg_check_choice(f, "decision", decision, council_decisions, true)) ||
	    (rc = reg_check_text(f, "who", who, REGISTER_WHO_MAX, true, false)) ||
	    (rc = reg_check_text(f, "note", note, COUNCIL_NOTE_MAX, false, true)))
		return rc;
	arena_t *a;
	int nested;
	if (reg_begin_with_arena(db, 4096, &a, &nested) != 0)
		return -1;
	int result = decide(db, a, session_id, object_id, decision, register_id, who, note, number,
			    number_len, f);
	return reg_finish_with_arena(db, nested, a, result);
}
