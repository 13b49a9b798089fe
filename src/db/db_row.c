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
