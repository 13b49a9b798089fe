/*
 * category.h - news categories ("Tin hoạt động", ...).
 * Strings are allocated in the caller's arena. 0 ok, 1 not found, -1 error.
 */
#ifndef SEN_MODEL_CATEGORY_H
#define SEN_MODEL_CATEGORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define CATEGORY_NAME_MAX 120

typedef struct {
	int64_t id;
	const char *slug;
	const char *name;
	int position;
} category;

/* Every category in display order. */
int category_list(db_t *db, arena_t *a, category **items, size_t *n);
int category_get(db_t *db, arena_t *a, int64_t id, category *out);
int category_get_by_slug(db_t *db, arena_t *a, const char *slug, category *out);
/* Finds the category with this name (exact) or creates it at the end. */
int category_ensure(db_t *db, const char *name, int64_t *id);

#endif
