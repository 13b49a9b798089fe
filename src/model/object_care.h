/*
 * object_care.h - reading the card's dated condition checks ("tình trạng
 * bảo quản"); they are written by object_condition_add (object.h).
 */
#ifndef SEN_MODEL_OBJECT_CARE_H
#define SEN_MODEL_OBJECT_CARE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

typedef struct {
	int64_t id;
	const char *checked_on;   /* yyyy-mm-dd */
	const char *state;        /* tot, kha, kem, hong */
	const char *note;
	const char *checked_by;
} object_condition;

/* The checks of an object, newest first (the first is its state now), at
 * most 1,000 (arena). 0 or -1. */
int object_condition_list(db_t *db, arena_t *a, int64_t object_id, object_condition **items,
			  size_t *n);

#endif
