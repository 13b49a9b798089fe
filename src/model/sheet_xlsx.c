/*
 * sheet_xlsx.c - text cells of written XLSX files (see sheet_xlsx.h).
 */
#include "model/sheet_xlsx.h"

#include "model/sheet.h"

int sheet_xlsx_text(lxw_worksheet *ws, arena_t *a, size_t row, size_t col, const char *cell,
		    lxw_format *format)
{
	if (sheet_marked(cell) && (cell = arena_sprintf(a, "'%s", cell)) == NULL)
		return -1;
	return worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, cell, format) ==
			       LXW_NO_ERROR
		       ? 0
		       : -1;
}
