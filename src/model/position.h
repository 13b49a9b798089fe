/*
 * position.h - the display order of a small list kept in a table's
 * "position" column (1..n without gaps): categories and links.
 *
 * The table is chosen from a fixed list (position_list), never named by
 * input, so every statement here is a fixed, prepared string. The caller
 * holds the write transaction around a load and the store that follows.
 *
 * Who frees what: position_load() hands back a malloc'd array the caller
 * frees with free(); nothing else allocates.
 */
#ifndef SEN_MODEL_POSITION_H
#define SEN_MODEL_POSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

typedef enum {
	POSITION_CATEGORIES,   /* categories, at most CATEGORY_LIST_MAX rows */
	POSITION_LINKS,        /* links, at most LINK_LIST_MAX rows */
} position_list;

/* The ids in display order (position, then id), at most the list's cap, into
 * *ids (malloc'd, caller frees) and *n. 0 or -1 (*ids is then NULL). */
int position_load(db_t *db, position_list list, int64_t **ids, size_t *n);

/* Writes positions 1..n in the given order, touching only rows that move (an
 * untouched row does not make cached pages stale). 0 or -1. */
int position_store(db_t *db, position_list list, const int64_t *ids, size_t n);

/* Loads the order and writes it back as 1..n, closing the gap a deleted row
 * left. 0 or -1. */
int position_renumber(db_t *db, position_list list);

/* The index of id in ids, or n when it is not there. */
size_t position_index(const int64_t *ids, size_t n, int64_t id);

/* Moves the row id by delta places (negative: up), clamped at the ends, so
 * "up" on the first one changes nothing, and writes 1..n. 0, 1 when id is
 * not in the list, or -1. */
int position_shift(db_t *db, position_list list, int64_t id, int delta);

/* Moves ids[from] to index to (both below n), shifting the ones between. */
void position_move(int64_t *ids, size_t from, size_t to);

/* Whether ids (n of them) are exactly the ids of cur (ncur), each once: a
 * reorder made before someone added or removed a row is refused with this
 * rather than half applied. */
bool position_same_set(const int64_t *ids, size_t n, const int64_t *cur, size_t ncur);

#endif
