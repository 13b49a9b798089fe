/*
 * object_care.c - the card's condition checks (see object_care.h).
 */
#include "model/object_care.h"

#include "model/reg_check.h"

int object_condition_list(db_t *db, arena_t *a, int64_t object_id, object_condition **items,
			  size_t *n)
{
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT id, checked_on, state, note, checked_by"
				     " FROM object_conditions WHERE object_id = ?"
				     " ORDER BY checked_on DESC, id DESC LIMIT 1000");
	if (st == NULL)
		return -1;
	size_t cap = 0;
	object_condition *arr = NULL;
	int rc = db_bind_int64(st, 1, object_id) == 0 ? DB_ROW : DB_ERROR;
	while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW) {
		if ((arr = reg_grow(a, arr, *n, &cap, sizeof *arr)) == NULL) {
			rc = DB_ERROR;
			break;
		}
		object_condition *c = &arr[(*n)++];
		c->id = db_col_int64(st, 0);
		const char **dst[] = {&c->checked_on, &c->state, &c->note, &c->checked_by};
		if (db_col_copy_texts(a, st, 1, dst, 4) != 0)
			rc = DB_ERROR;
	}
	db_done(st);
	*items = arr;
	return rc == DB_DONE ? 0 : -1;
}
