/*
 * object_care.c - the card's condition checks (see object_care.h).
 */
#include "model/object_care.h"

#include <stdint.h>


static int read_condition(arena_t *a, db_stmt *st, void *item)
{
	object_condition *c = item;
	c->id = db_col_int64(st, 0);
	const char **dst[] = {&c->checked_on, &c->state, &c->note, &c->checked_by};
	return db_col_copy_texts(a, st, 1, dst, 4);
}

int object_condition_list(db_t *db, arena_t *a, int64_t object_id, object_condition **items,
			  size_t *n)
{
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT id, checked_on, state, note, checked_by"
				     " FROM object_conditions WHERE object_id = ?"
				     " ORDER BY checked_on DESC, id DESC LIMIT 1000");
	bool bound = st != NULL && db_bind_int64(st, 1, object_id) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, SIZE_MAX, read_condition, items, n, NULL);
}
