/*
 * db_row.c - reading rows into a caller's arena, for every model (see
 * db.h, "Rows into an arena"). Backend-neutral: it only calls db.h.
 */
#include "db/db.h"

#include <string.h>

const char *db_col_copy(arena_t *a, db_stmt *st, int col, const char *null_as, bool *oom)
{
	const char *s = db_col_text(st, col);
	if (s == NULL)
		return null_as;
	/* All the bytes the column holds: SQLite would stop at a NUL. */
	char *copy = arena_strndup(a, s, (size_t)db_col_bytes(st, col));
	if (copy == NULL && oom != NULL)
		*oom = true;
	return copy;
}

int db_col_copy_texts(arena_t *a, db_stmt *st, int first, const char **const *dst, size_t n)
{
	bool oom = false;
	for (size_t i = 0; i < n && !oom; i++)
		*dst[i] = db_col_copy(a, st, first + (int)i, "", &oom);
	return oom ? -1 : 0;
}

int db_fill_rows(db_stmt *st, bool bound, arena_t *a, size_t size, size_t max, db_fill_fn fill,
		 void *items, size_t *n, bool *more)
{
	char *arr = NULL;
	size_t count = 0, cap = 0;
	if (more != NULL)
		*more = false;
	int rc = st != NULL && bound ? DB_ROW : DB_ERROR;
	while (rc == DB_ROW && (rc = db_step(st)) == DB_ROW) {
		if (count == max) {
			if (more != NULL)
				*more = true;
			rc = DB_DONE;
			break;
		}
		if (count == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 16;
			char *bigger = arena_calloc(a, ncap, size);
			if (bigger == NULL) {
				rc = DB_ERROR;
				break;
			}
			if (count > 0)
				memcpy(bigger, arr, count * size);
			arr = bigger;
			cap = ncap;
		}
		if (fill(a, st, arr + count * size) != 0) {
			rc = DB_ERROR;
			break;
		}
		count++;
	}
	db_done(st);
	memcpy(items, &arr, sizeof arr);
	*n = count;
	return rc == DB_DONE ? 0 : -1;
}

int db_count_by(db_t *db, const char *sql, int64_t first, int64_t *counts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		counts[i] = 0;
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t key = db_col_int64(st, 0) - first;
		if (key >= 0 && (uint64_t)key < n)
			counts[key] = db_col_int64(st, 1);
	}
	db_done(st);
	if (rc != DB_DONE) {
		for (size_t i = 0; i < n; i++)
			counts[i] = 0;
		return -1;
	}
	return 0;
}
