/*
 * position.c - the display order of categories and links (see position.h).
 */
#include "model/position.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "model/category.h"
#include "model/link.h"

/* One row per position_list; the statements are fixed strings, so a table
 * name never comes from input. */
static const struct {
	const char *module;    /* the prefix of log lines */
	const char *select_sql;
	const char *update_sql;
	size_t max;
} lists[] = {
	[POSITION_CATEGORIES] = {"category", "SELECT id FROM categories ORDER BY position, id LIMIT ?",
				 "UPDATE categories SET position = ? WHERE id = ? AND position <> ?",
				 CATEGORY_LIST_MAX},
	[POSITION_LINKS] = {"link", "SELECT id FROM links ORDER BY position, id LIMIT ?",
			    "UPDATE links SET position = ? WHERE id = ? AND position <> ?",
			    LINK_LIST_MAX},
};

int position_load(db_t *db, position_list list, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if ((size_t)list >= sizeof lists / sizeof lists[0])
		return -1;
	int64_t *arr = malloc(lists[list].max * sizeof(*arr));
	if (arr == NULL) {
		log_error("%s: out of memory", lists[list].module);
		return -1;
	}
	db_stmt *st = db_prepare(db, lists[list].select_sql);
	if (st == NULL) {
		free(arr);
		return -1;
	}
	size_t count = 0;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, (int64_t)lists[list].max) == 0)
		while ((rc = db_step(st)) == DB_ROW)
			arr[count++] = db_col_int64(st, 0);
	db_done(st);
	if (rc != DB_DONE) {
		free(arr);
		return -1;
	}
	*ids = arr;
	*n = count;
	return 0;
}

int position_store(db_t *db, position_list list, const int64_t *ids, size_t n)
{
	if ((size_t)list >= sizeof lists / sizeof lists[0])
		return -1;
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(db, lists[list].update_sql);
		if (st == NULL)
			return -1;
		int rc = DB_ERROR;
		if (db_bind_int64(st, 1, (int64_t)i + 1) == 0 && db_bind_int64(st, 2, ids[i]) == 0 &&
		    db_bind_int64(st, 3, (int64_t)i + 1) == 0)
			rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

int position_renumber(db_t *db, position_list list)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = position_load(db, list, &ids, &n) == 0 && position_store(db, list, ids, n) == 0
			 ? 0
			 : -1;
	free(ids);
	return rc;
}

size_t position_index(const int64_t *ids, size_t n, int64_t id)
{
	size_t at = n;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			at = i;
	return at;
}

int position_shift(db_t *db, position_list list, int64_t id, int delta)
{
	int64_t *ids = NULL;
	size_t n = 0;
	if (position_load(db, list, &ids, &n) != 0)
		return -1;
	size_t from = position_index(ids, n, id);
	int rc = 1;
	if (from < n) {
		long max = (long)lists[list].max;
		long to = (long)from + (delta < -max ? -max : delta > max ? max : delta);
		position_move(ids, from, to < 0 ? 0 : (size_t)to >= n ? n - 1 : (size_t)to);
		rc = position_store(db, list, ids, n);
	}
	free(ids);
	return rc;
}

void position_move(int64_t *ids, size_t from, size_t to)
{
	int64_t id = ids[from];
	if (from < to)
		memmove(&ids[from], &ids[from + 1], (to - from) * sizeof(*ids));
	else if (from > to)
		memmove(&ids[to + 1], &ids[to], (from - to) * sizeof(*ids));
	ids[to] = id;
}

bool position_same_set(const int64_t *ids, size_t n, const int64_t *cur, size_t ncur)
{
	if (ncur != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t seen = 0;
		for (size_t j = 0; j < n; j++)
			seen += ids[j] == ids[i];
		bool found = false;
		for (size_t j = 0; j < ncur && !found; j++)
			found = cur[j] == ids[i];
		if (seen != 1 || !found)
			return false;
	}
	return true;
}
