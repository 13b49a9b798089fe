/*
 * object_export.h - the register, or any filtered list of it, as a CSV or
 * XLSX file that object_import.h reads back: the same column names, dates
 * dd/mm/yyyy, decimals with a comma, vocabularies in Vietnamese words, the
 * place as its path, plus the registration number and status in front.
 *
 * CSV cells that a spreadsheet would take for a formula (= + - @ first)
 * are neutralised (sheet_csv_cell). XLSX is written by libxlsxwriter in
 * constant-memory mode (rows go to disk as they come), every cell as a
 * string or a number, never a formula.
 */
#ifndef SEN_MODEL_OBJECT_EXPORT_H
#define SEN_MODEL_OBJECT_EXPORT_H

#include <stddef.h>

#include "core/buf.h"
#include "db/db.h"
#include "model/object.h"

enum object_export_format { OBJECT_EXPORT_CSV, OBJECT_EXPORT_XLSX };

/* Writes every object flt selects (NULL: all), newest first, to path.
 * *rows gets how many. 0 or -1 (logged; a partial file is removed). */
int object_export(db_t *db, const object_filter *flt, enum object_export_format fmt,
		  const char *path, size_t *rows);

/*
 * The same CSV made piece by piece, for an answer sent while it is made
 * (the back office): object_export_open copies flt (NULL: all), then each
 * object_export_csv_next appends the next part (the byte order mark and
 * the header first, then up to 50 rows) to out and returns 1 while rows
 * are left, 0 after the last part, -1 (logged). Each call is complete in
 * itself (no statement stays open between calls), so other work may use
 * the connection in between. object_export_open returns NULL when memory
 * runs out.
 */
typedef struct object_export_cursor object_export_cursor;
object_export_cursor *object_export_open(const object_filter *flt);
int object_export_csv_next(db_t *db, object_export_cursor *c, buf_t *out);
void object_export_close(object_export_cursor *c);

#endif
