/*
 * object_photo.h - reading the card's photos ("ảnh hiện vật"): pictures of
 * the media library, in the order the curator gave them, one of them the
 * lead ("ảnh đại diện"). They are written by object_photos_set (object.h);
 * what a picture is (file, variants, state) is model/media.h's.
 */
#ifndef SEN_MODEL_OBJECT_PHOTO_H
#define SEN_MODEL_OBJECT_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/media.h"

typedef struct {
	int64_t media_id;
	bool lead;
	media_item item;   /* the picture: file, thumb, alt, state (media.h) */
} object_photo;

/* The photos of an object in their order; with lead_first the lead comes
 * first and the others follow in order (as the card shows them). At most
 * OBJECT_PHOTOS_MAX (object.h), in the arena; *items is NULL when there are
 * none. 0 or -1. */
int object_photo_list(db_t *db, arena_t *a, int64_t object_id, bool lead_first,
		      object_photo **items, size_t *n);

/* The same list as ids (ids[0..n) in the arena) and the index of the lead
 * (*lead = n when there is none): what object_photos_set takes back after
 * a change. 0 or -1. */
int object_photo_ids(db_t *db, arena_t *a, int64_t object_id, int64_t **ids, size_t *n,
		     size_t *lead);

#endif
