/*
 * sheet.h - a table read from a spreadsheet file (CSV through libcsv in
 * csv.c, XLSX through libzip + libxml2 in xlsx.c), as rows of UTF-8 cells,
 * and the CSV writer the exports use.
 *
 * Files come as Vietnamese offices make them: UTF-8 with or without a byte
 * order mark, Excel's CSV (comma or semicolon, CRLF), or text in a legacy
 * Vietnamese encoding. Windows-1258 and TCVN3 (ABC) are recognised and
 * converted to UTF-8 (NFC); VNI, which no converter here knows, is refused
 * by name; anything else that is not UTF-8 is refused. Nothing is ever
 * passed on as mojibake. Every cell comes out in NFC (sheet_add), so a file
 * saved with decomposed marks stores the same text as one typed on Windows.
 *
 * Limits keep a hostile file from taking the machine: SHEET_BYTES_MAX of
 * input (and of uncompressed XLSX parts), SHEET_ROWS_MAX rows,
 * SHEET_COLS_MAX columns, SHEET_CELL_MAX bytes per cell.
 *
 * Who frees what: sheet_free() releases everything a reader put in a sheet.
 * Thread-safe (no shared state).
 */
#ifndef SEN_MODEL_SHEET_H
#define SEN_MODEL_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SHEET_BYTES_MAX (256u << 20)
#define SHEET_ROWS_MAX 2000000
#define SHEET_COLS_MAX 256
#define SHEET_CELL_MAX 65536

typedef struct {
	char **cells;     /* NUL-terminated UTF-8; "" for an empty cell */
	size_t n;
} sheet_row;

typedef struct {
	sheet_row *rows;  /* row i is line/row i + 1 of the file */
	size_t n, cap;
} sheet;

/* What the reader found, or why it refused. */
enum sheet_status {
	SHEET_OK = 0,
	SHEET_TOO_BIG,        /* over a limit above */
	SHEET_ENCODING,       /* text in an encoding refused (see encoding) */
	SHEET_MALFORMED,      /* not a CSV / XLSX this reader understands */
	SHEET_NO_MEMORY,
};

typedef struct {
	enum sheet_status status;
	/* The text encoding found: "UTF-8", "UTF-8 BOM", "Windows-1258", "TCVN3",
	 * or, when refused, "VNI" or "unknown" (XLSX: always "UTF-8"). */
	const char *encoding;
	char delimiter;       /* CSV: ',' or ';' */
} sheet_info;

/* Reads CSV bytes (any of the encodings above). SHEET_OK or a refusal in
 * info->status; the sheet holds what was read only on SHEET_OK. */
enum sheet_status sheet_read_csv(const char *data, size_t len, sheet *out, sheet_info *info);

/* Reads the first worksheet of an XLSX file: shared strings, inline
 * strings, numbers as written in the file ("43958", "12.5"), booleans. */
enum sheet_status sheet_read_xlsx(const void *data, size_t len, sheet *out, sheet_info *info);

/* Reads the file at path as XLSX when name ends in ".xlsx" (any case), else
 * as CSV; a file over SHEET_BYTES_MAX is SHEET_TOO_BIG, one that cannot be
 * read SHEET_MALFORMED. Returns info->status. */
enum sheet_status sheet_read_file(const char *path, const char *name, sheet *out,
				  sheet_info *info);

void sheet_free(sheet *s);

/* Appends a cell, brought to NFC when it is UTF-8, to the last row (new_row:
 * starts a row first; cell NULL: only starts the row). 0 or -1 (a limit
 * reached, or out of memory). */
int sheet_add(sheet *s, bool new_row, const char *cell, size_t len);

/*
 * Whether a spreadsheet would read cell as a formula: its first character
 * is = + - @, a tab or a carriage return. Every export (CSV and XLSX)
 * writes such a cell with a leading apostrophe, so opening an export never
 * runs what a visitor typed, and a cell edited in Excel stays text.
 */
bool sheet_formula_like(const char *cell);

/*
 * Whether an export writes cell with a leading apostrophe: a formula-like
 * cell, and a cell that already starts with an apostrophe. Marking the
 * second kind too makes the rule reversible: a cell that starts with an
 * apostrophe followed by = + - @ tab CR or another apostrophe lost exactly
 * one leading apostrophe to sheet_unmark(), and no other cell lost any
 * ("'=1+1" reads back "=1+1", "''Bác" reads back "'Bác", "'Bác" stays).
 */
bool sheet_marked(const char *cell);

/* The text an export marked (see sheet_marked): cell past its leading
 * apostrophe, or cell itself when the export did not mark it. */
const char *sheet_unmark(const char *cell);

/*
 * Writes one CSV cell (quoted when it holds a delimiter, quote or line
 * break; cells marked with an apostrophe as sheet_marked says).
 */
void sheet_csv_cell(FILE *f, const char *cell, bool first);

#endif
