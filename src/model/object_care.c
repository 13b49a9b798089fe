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

typedef struct {
	const char *file, *caption;
} photo;

static int fill_photo(arena_t *a, db_stmt *st, void *item)
{
	photo *p = item;
	const char **dst[] = {&p->file, &p->caption};
	return db_col_copy_texts(a, st, 0, dst, 2);
}

int object_lead_photo(db_t *db, arena_t *a, int64_t object_id, const char **file,
		      const char **caption)
{
	*file = *caption = "";
	db_stmt *st = db_prepare(db, "SELECT m.file, om.caption FROM object_media om"
				     " JOIN media m ON m.id = om.media_id WHERE om.object_id = ?"
				     " ORDER BY om.lead DESC, om.position LIMIT 1");
	photo *found = NULL;
	size_t n = 0;
	if (db_fill_rows(st, st != NULL && db_bind_int64(st, 1, object_id) == 0, a, sizeof *found, 1,
			 fill_photo, &found, &n, NULL) != 0)
		return -1;
	if (n == 0)
		return 1;
	*file = found->file;
	*caption = found->caption;
	return 0;
}
