/*
 * sheet_xlsx.h - text cells of the XLSX files Sen writes (libxlsxwriter):
 * the register's export (object_export.c) and the annual report's
 * workbook (admin/report_xlsx.c) write every text through here, so a
 * value someone typed ("=HYPERLINK(...)") never becomes a formula.
 */
#ifndef SEN_MODEL_SHEET_XLSX_H
#define SEN_MODEL_SHEET_XLSX_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "core/arena.h"

/* One text cell: a string cell is never computed by Excel as it is, but it
 * becomes a formula as soon as someone edits it, so a formula-like cell
 * gets the same leading apostrophe as in the CSV, and so does one already
 * led by an apostrophe, which keeps the mark reversible (sheet_marked;
 * the libxlsxwriter of Debian 12 has no quote-prefix format). format may
 * be NULL. 0 or -1 (a is where the marked copy lives). */
int sheet_xlsx_text(lxw_worksheet *ws, arena_t *a, size_t row, size_t col, const char *cell,
		    lxw_format *format);

#endif
