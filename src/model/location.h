/*
 * location.h - the storage tree: store -> room -> shelf -> box ("kho",
 * "phòng", "giá", "hộp"), plus top-level places objects go to outside the
 * stores (an exhibition hall, "outside" for loans). A store is the main
 * or the reference store; what is below it inherits that.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 */
#ifndef SEN_MODEL_LOCATION_H
#define SEN_MODEL_LOCATION_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define LOCATION_NAME_MAX 200
#define LOCATION_CODE_MAX 40
#define LOCATION_DEPTH_MAX 8     /* a path is never deeper than this */

typedef struct {
	int64_t id;
	int64_t parent_id;        /* 0 for a store, an exhibition hall or "outside" */
	const char *kind;         /* store, room, shelf, box, exhibit, outside */
	const char *code;
	const char *name;
	const char *store_kind;   /* for a store: main or reference; else "" */
} location;

/*
 * Adds a place. A store, exhibit or outside has no parent; a room sits in a
 * store, a shelf in a room or store, a box on a shelf. Sibling names are
 * unique. 0 with *id, a reg_problem (kind, parent_id, code, name,
 * store_kind), or -1.
 */
int location_add(db_t *db, const location *l, int64_t *id, model_problem *f);
/* 0, 1 not found, -1. */
int location_get(db_t *db, arena_t *a, int64_t id, location *out);
/* "Kho chính › Phòng 1 › Giá A › Hộp 3" (arena), or NULL (not found / error). */
const char *location_path(db_t *db, arena_t *a, int64_t id);
/* The place whose path, written with " > " or " › " between names, is
 * `path` ("Kho chính > Phòng 1 > Giá A"): 0 with *id, 1 none, -1. */
int location_find_path(db_t *db, const char *path, int64_t *id);
/* true when `id` is `ancestor` or lies below it. */
bool location_within(db_t *db, int64_t id, int64_t ancestor);

/* Renames a place (and sets its code): REG_NOT_FOUND on "id", REG_DUPLICATE
 * on "name" when a sibling has that name, or a text problem (name, code).
 * 0, a reg_problem, or -1. */
int location_rename(db_t *db, int64_t id, const char *name, const char *code, model_problem *f);

typedef struct {
	location place;
	int depth;              /* 0 for a top-level place */
	int64_t objects;        /* objects whose card places them exactly here */
} location_node;

/* Every place, depth first (siblings by name), as the tree reads from the
 * top (arena). At most LOCATION_LIST_MAX. 0 or -1. */
#define LOCATION_LIST_MAX 10000
int location_tree(db_t *db, arena_t *a, location_node **items, size_t *n);

#endif
