/*
 * sheet.c - the table the spreadsheet readers fill, and the CSV cell
 * writer (see sheet.h).
 */
#include "model/sheet.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

void sheet_free(sheet *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < s->rows[i].n; j++)
			free(s->rows[i].cells[j]);
		free(s->rows[i].cells);
	}
	free(s->rows);
	memset(s, 0, sizeof *s);
}

/* Appends a copy of cell[0..len) to row r. 0 or -1. */
static int add_cell(sheet_row *r, const char *cell, size_t len)
{
	/* Rows are short: grow one cell at a time in steps of 8. */
	if (r->n % 8 == 0) {
		char **bigger = realloc(r->cells, (r->n + 8) * sizeof *bigger);
		if (bigger == NULL)
			return -1;
		r->cells = bigger;
	}
	char *c = malloc(len + 1);
	if (c == NULL)
		return -1;
	if (len > 0)
		memcpy(c, cell, len);
	c[len] = '\0';
	r->cells[r->n++] = c;
	return 0;
}

int sheet_add(sheet *s, bool new_row, const char *cell, size_t len)
{
	if (new_row || s->n == 0) {
		if (s->n >= SHEET_ROWS_MAX)
			return -1;
		if (s->n == s->cap) {
			size_t ncap = s->cap ? s->cap * 2 : 64;
			sheet_row *bigger = realloc(s->rows, ncap * sizeof *bigger);
			if (bigger == NULL)
				return -1;
			s->rows = bigger;
			s->cap = ncap;
		}
		memset(&s->rows[s->n++], 0, sizeof(sheet_row));
	}
	sheet_row *r = &s->rows[s->n - 1];
	if (cell == NULL)
		return 0;
	if (r->n >= SHEET_COLS_MAX || len > SHEET_CELL_MAX)
		return -1;
	/* Cells are kept in NFC, as all text Sen stores: a name written with
	 * separate marks (NFD, as some Mac programs save it) is then the same
	 * name as one typed on Windows. A cell that is not UTF-8 stays as it
	 * is, for the importer to refuse with its row and column. */
	buf_t nfc = BUF_INIT;
	if (text_nfc(cell, len, &nfc) == 0) {
		if (nfc.failed) {
			buf_free(&nfc);
			return -1;
		}
		cell = nfc.data != NULL ? nfc.data : "";
		len = nfc.len;
	}
	int rc = add_cell(r, cell, len);
	buf_free(&nfc);
	return rc;
}

bool sheet_formula_like(const char *cell)
{
	return cell[0] != '\0' && strchr("=+-@\t\r", cell[0]) != NULL;
}

bool sheet_marked(const char *cell)
{
	return sheet_formula_like(cell) || cell[0] == '\'';
}

const char *sheet_unmark(const char *cell)
{
	return cell[0] == '\'' && sheet_marked(cell + 1) ? cell + 1 : cell;
}

void sheet_csv_cell(FILE *f, const char *cell, bool first)
{
	if (!first)
		fputc(',', f);
	bool formula = sheet_marked(cell);
	bool quote = formula || strpbrk(cell, ",;\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (const char *p = cell; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
}
