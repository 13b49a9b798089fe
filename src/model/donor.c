/*
 * donor.c - sources of acquisitions (see donor.h).
 */
#include "model/donor.h"

#include <stdbool.h>
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

/* donor_update's guard: the donor exists, and its name stays while an
 * object that came from it is registered. */
static int name_guard(db_t *db, arena_t *a, const void *record, model_problem *f)
{
	const donor *d = record;
	db_stmt *st;
	int rc = reg_fetch(db, "SELECT d.name, EXISTS (SELECT 1 FROM acquisitions q"
			      " JOIN objects o ON o.acquisition_id = q.id"
			      " WHERE q.donor_id = d.id AND o.reg_number IS NOT NULL)"
			      " FROM donors d WHERE d.id = ?",
			  d->id, &st);
	if (rc == DB_DONE)
		return reg_refuse(f, REG_NOT_FOUND, "id");
	if (rc != DB_ROW)
		return -1;
	const char *old_name = db_col_copy(a, st, 0, "", NULL);
	bool registered = db_col_int64(st, 1) != 0;
	db_done(st);
	if (old_name == NULL)
		return -1;
	return registered && strcmp(old_name, d->name) != 0 ? reg_refuse(f, REG_WRONG_STATE, "name")
							     : 0;
}

static int bind_update(db_stmt *st, const void *record)
{
	return bind_fields(st, record) != 0 ? -1 : db_bind_int64(st, 7, ((const donor *)record)->id);
}

int donor_update(db_t *db, const donor *d, model_problem *f)
{
	int rc = donor_check(d, f);
	if (rc == 0)
		rc = reg_update(db, "UPDATE donors SET kind = ?, name = ?, address = ?, phone = ?,"
				    " email = ?, note = ? WHERE id = ?",
				d, name_guard, bind_update, "id", f);
	return rc;
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

/* ---- lists ------------------------------------------------------------------ */

#define ROW_COLUMNS                                                                          \
	"SELECT d.id, (SELECT count(*) FROM acquisitions q WHERE q.donor_id = d.id),"       \
	" (SELECT count(*) FROM acquisitions q JOIN objects o ON o.acquisition_id = q.id"    \
	" WHERE q.donor_id = d.id), d.kind, d.name, d.address, d.phone FROM donors d"

static int read_row(arena_t *a, db_stmt *st, void *item)
{
	donor_row *r = item;
	return reg_read_row(a, st, (int64_t *const[]){&r->id, &r->acquisitions, &r->objects}, 3,
			    (const char **const[]){&r->kind, &r->name, &r->address, &r->phone}, 4);
}

int donor_list(db_t *db, arena_t *a, const char *query, int64_t after, size_t limit,
	       donor_row **rows, size_t *n, bool *more, model_problem *f)
{
	*rows = NULL;
	*n = 0;
	*more = false;
	if (limit == 0 || limit > DONOR_PAGE_MAX)
		limit = DONOR_PAGE_MAX;
	int rc = reg_check_text(f, "query", query, DONOR_QUERY_MAX, false, false);
	if (rc != 0)
		return rc;
	const char *like = reg_like_folded(a, query);
	if (like == NULL)
		return -1;
	db_stmt *st = db_prepare(db, ROW_COLUMNS
		" WHERE (?1 = 0 OR (d.name, d.id) > (SELECT name, id FROM donors WHERE id = ?1))"
		" AND (?2 = '' OR sen_fold(d.name || ' ' || d.address || ' ' || d.phone || ' ' ||"
		" d.email || ' ' || d.note) LIKE ?2 ESCAPE '\\')"
		" ORDER BY d.name, d.id LIMIT ?3");
	bool bound = st != NULL && db_bind_int64(st, 1, after > 0 ? after : 0) == 0 &&
		     db_bind_text(st, 2, like, -1) == 0 &&
		     db_bind_int64(st, 3, (int64_t)limit + 1) == 0;
	return db_fill_rows(st, bound, a, sizeof **rows, limit, read_row, rows, n, more);
}

int donor_same_name(db_t *db, arena_t *a, const char *name, size_t max, donor_row **rows,
		    size_t *n)
{
	*rows = NULL;
	*n = 0;
	const char *like = reg_like_folded(a, name);
	if (like == NULL)
		return -1;
	/* The pattern without its '%' ends is the folded name, wildcards
	 * escaped: LIKE without '%' compares whole names, case included. */
	size_t len = strlen(like);
	const char *exact = len >= 2 ? arena_sprintf(a, "%.*s", (int)(len - 2), like + 1) : "";
	if (exact == NULL)
		return -1;
	db_stmt *st = db_prepare(db, ROW_COLUMNS
		" WHERE sen_fold(trim(d.name)) LIKE trim(?1) ESCAPE '\\' ORDER BY d.id LIMIT ?2");
	bool bound = st != NULL && db_bind_text(st, 1, exact, -1) == 0 &&
		     db_bind_int64(st, 2, (int64_t)max) == 0;
	return db_fill_rows(st, bound, a, sizeof **rows, max, read_row, rows, n, NULL);
}
