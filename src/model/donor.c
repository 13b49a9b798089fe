/*
 * donor.c - sources of acquisitions (see donor.h).
 */
#include "model/donor.h"

#include <string.h>

#include "core/log.h"

static const char *const kinds[] = {"person", "organisation", NULL};

int donor_check(const donor *d, model_problem *f)
{
	int rc;
	if ((rc = reg_check_choice(f, "kind", d->kind, kinds, false)) ||
	    (rc = reg_check_text(f, "name", d->name, DONOR_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "address", d->address, DONOR_ADDRESS_MAX, false, false)) ||
	    (rc = reg_check_text(f, "phone", d->phone, DONOR_PHONE_MAX, false, false)) ||
	    (rc = reg_check_text(f, "email", d->email, DONOR_EMAIL_MAX, false, false)) ||
	    (rc = reg_check_text(f, "note", d->note, DONOR_NOTE_MAX, false, true)))
		return rc;
	if (d->email != NULL && d->email[0] != '\0' && strchr(d->email, '@') == NULL)
		return reg_refuse(f, REG_BAD_TEXT, "email");
	return 0;
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static int bind_fields(db_stmt *st, const donor *d)
{
	return db_bind_text(st, 1, d->kind != NULL && d->kind[0] ? d->kind : "person", -1) ||
	       db_bind_text(st, 2, d->name, -1) || db_bind_text(st, 3, or_empty(d->address), -1) ||
	       db_bind_text(st, 4, or_empty(d->phone), -1) ||
	       db_bind_text(st, 5, or_empty(d->email), -1) ||
	       db_bind_text(st, 6, or_empty(d->note), -1);
}

int donor_add(db_t *db, const donor *d, int64_t *id, model_problem *f)
{
	int rc = donor_check(d, f);
	if (rc != 0)
		return rc;
	db_stmt *st = db_prepare(db, "INSERT INTO donors (kind, name, address, phone, email, note)"
				     " VALUES (?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	int step = bind_fields(st, d) == 0 ? db_step(st) : DB_ERROR;
	db_done(st);
	if (step != DB_DONE)
		return -1;
	*id = db_last_insert_id(db);
	return 0;
}

int donor_update(db_t *db, const donor *d, model_problem *f)
{
	int rc = donor_check(d, f);
	if (rc != 0)
		return rc;
	db_stmt *st = db_prepare(db, "UPDATE donors SET kind = ?, name = ?, address = ?, phone = ?,"
				     " email = ?, note = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	int step = bind_fields(st, d) == 0 && db_bind_int64(st, 7, d->id) == 0 ? db_step(st)
										: DB_ERROR;
	db_done(st);
	if (step != DB_DONE)
		return -1;
	return db_changes(db) == 1 ? 0 : reg_refuse(f, REG_NOT_FOUND, "id");
}

int donor_get(db_t *db, arena_t *a, int64_t id, donor *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(db, "SELECT id, kind, name, address, phone, email, note"
				     " FROM donors WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st), result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW) {
		out->id = db_col_int64(st, 0);
		const char **dst[] = {&out->kind, &out->name, &out->address, &out->phone,
				      &out->email, &out->note};
		result = db_col_copy_texts(a, st, 1, dst, 6);
	}
	db_done(st);
	return result;
}

int donor_find(db_t *db, const char *name, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM donors WHERE name = ? ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	int rc = db_bind_text(st, 1, name, -1) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
