/*
 * object_photo.c - the card's photos (see object_photo.h).
 */
#include "model/object_photo.h"

#include "model/object.h"

static int fill_photo(arena_t *a, db_stmt *st, void *item)
{
	(void)a;
	object_photo *p = item;
	p->media_id = db_col_int64(st, 0);
	p->lead = db_col_int64(st, 1) != 0;
	return 0;
}

int object_photo_list(db_t *db, arena_t *a, int64_t object_id, bool lead_first,
		      object_photo **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT media_id, lead FROM object_media WHERE object_id = ?1"
				     " ORDER BY CASE WHEN ?2 THEN lead ELSE 0 END DESC, position");
	bool bound = st != NULL && db_bind_int64(st, 1, object_id) == 0 &&
		     db_bind_int64(st, 2, lead_first) == 0;
	if (db_fill_rows(st, bound, a, sizeof **items, OBJECT_PHOTOS_MAX, fill_photo, items, n,
			 NULL) != 0)
		return -1;
	/* The schema keeps a chosen picture from being deleted (ON DELETE
	 * RESTRICT), so each one is there. */
	for (size_t i = 0; i < *n; i++)
		if (media_get_item(db, a, (*items)[i].media_id, &(*items)[i].item) != 0)
			return -1;
	return 0;
}

int object_photo_ids(db_t *db, arena_t *a, int64_t object_id, int64_t **ids, size_t *n,
		     size_t *lead)
{
	object_photo *p;
	*ids = NULL;
	if (object_photo_list(db, a, object_id, false, &p, n) != 0)
		return -1;
	*lead = *n;
	if (*n == 0)
		return 0;
	if ((*ids = arena_calloc(a, *n, sizeof **ids)) == NULL)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		(*ids)[i] = p[i].media_id;
		if (p[i].lead)
			*lead = i;
	}
	return 0;
}
