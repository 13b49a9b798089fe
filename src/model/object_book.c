/*
 * object_book.c - the rows of the printed register book (see
 * object_book.h).
 */
#include "model/object_book.h"

#include "model/object_filter.h"

/* ?1 and ?8 bound the running number, ?9 is the limit plus one (to tell
 * whether more follow); ?2..?7 are the list's filter. The newest condition
 * check is the object's condition now. */
static const char book_sql[] =
    "SELECT o.id, ifnull(o.reg_number, ''), o.intake_no, o.status, ifnull(o.register_id, 0),"
    " ifnull(o.reg_seq, 0), q.acquired_on, q.mode,"
    " CASE WHEN d.name IS NOT NULL AND d.name != '' THEN d.name ELSE q.giver END,"
    " o.name, o.other_names, o.kind, o.material_code, ifnull(m.name, ''), o.material_note,"
    " o.technique, ifnull(o.length_cm, 0), ifnull(o.width_cm, 0), ifnull(o.height_cm, 0),"
    " ifnull(o.diameter_cm, 0), ifnull(o.weight_g, 0), o.pieces, o.dating, o.origin_place,"
    " o.class, ifnull((SELECT c.state FROM object_conditions c WHERE c.object_id = o.id"
    "   ORDER BY c.checked_on DESC, c.id DESC LIMIT 1), ''),"
    " ifnull(o.location_id, 0), o.notes"
    " FROM objects o JOIN acquisitions q ON q.id = o.acquisition_id"
    " LEFT JOIN donors d ON d.id = q.donor_id"
    " LEFT JOIN materials m ON m.code = o.material_code"
    " WHERE (?1 = 0 OR o.reg_seq >= ?1) AND (?8 = 0 OR o.reg_seq <= ?8) AND " OBJECT_FILTER_SQL
    " ORDER BY o.register_id IS NULL, o.register_id, o.reg_seq, o.id LIMIT ?9";

static const char *text(db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return s != NULL ? s : "";
}

static void read_row(db_stmt *st, object_book_row *r)
{
	r->id = db_col_int64(st, 0);
	r->reg_number = text(st, 1);
	r->intake_no = text(st, 2);
	r->status = text(st, 3);
	r->register_id = db_col_int64(st, 4);
	r->reg_seq = db_col_int64(st, 5);
	r->acquired_on = text(st, 6);
	r->mode = text(st, 7);
	r->source = text(st, 8);
	r->name = text(st, 9);
	r->other_names = text(st, 10);
	r->kind = text(st, 11);
	r->material_code = text(st, 12);
	r->material_name = text(st, 13);
	r->material_note = text(st, 14);
	r->technique = text(st, 15);
	r->length_cm = db_col_double(st, 16);
	r->width_cm = db_col_double(st, 17);
	r->height_cm = db_col_double(st, 18);
	r->diameter_cm = db_col_double(st, 19);
	r->weight_g = db_col_double(st, 20);
	r->pieces = db_col_int64(st, 21);
	r->dating = text(st, 22);
	r->origin_place = text(st, 23);
	r->heritage_class = text(st, 24);
	r->condition = text(st, 25);
	r->location_id = db_col_int64(st, 26);
	r->notes = text(st, 27);
}

int object_book_each(db_t *db, const object_filter *flt, int64_t from, int64_t to, size_t limit,
		     object_book_fn fn, void *ctx, bool *more, model_problem *f)
{
	*more = false;
	if (limit == 0)
		limit = 1;
	db_stmt *st = db_prepare(db, book_sql);
	if (st == NULL)
		return -1;
	int rc = object_filter_bind(st, flt, f);
	if (rc == 0 && (db_bind_int64(st, 1, from > 0 ? from : 0) != 0 ||
			db_bind_int64(st, 8, to > 0 ? to : 0) != 0 ||
			db_bind_int64(st, 9, (int64_t)limit + 1) != 0))
		rc = -1;
	size_t count = 0;
	int step = DB_DONE;
	while (rc == 0 && (step = db_step(st)) == DB_ROW) {
		if (count == limit) {
			*more = true;
			break;
		}
		object_book_row r;
		read_row(st, &r);
		count++;
		rc = fn(ctx, &r);
	}
	if (rc == 0 && step != DB_DONE && !*more)
		rc = -1;
	db_done(st);
	return rc;
}
