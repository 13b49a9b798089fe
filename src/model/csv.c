/*
 * csv.c - CSV files through libcsv (see sheet.h): the encoding is found
 * (vn_encoding.h), then the delimiter (comma or semicolon, whichever the
 * first line uses more outside quotes), then libcsv splits the text, CRLF
 * or LF, quoted fields with doubled quotes and line breaks inside.
 */
#include "model/sheet.h"

#include <csv.h>
#include <string.h>

#include "core/buf.h"
#include "model/vn_encoding.h"

typedef struct {
	sheet *s;
	bool row_open;
	bool failed;
} reader;

static void on_field(void *cell, size_t len, void *arg)
{
	reader *r = arg;
	if (r->failed)
		return;
	if (sheet_add(r->s, !r->row_open, cell != NULL ? cell : "", cell != NULL ? len : 0) != 0)
		r->failed = true;
	r->row_open = true;
}

static void on_row(int end, void *arg)
{
	(void)end;
	reader *r = arg;
	/* libcsv skips blank lines; a row is a record, as a spreadsheet numbers them. */
	if (!r->row_open && !r->failed && sheet_add(r->s, true, "", 0) != 0)
		r->failed = true;
	r->row_open = false;
}

static char delimiter_of(const char *s, size_t len)
{
	size_t commas = 0, semicolons = 0;
	bool quoted = false;
	for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			commas += s[i] == ',', semicolons += s[i] == ';';
	}
	return semicolons > commas ? ';' : ',';
}

enum sheet_status sheet_read_csv(const char *data, size_t len, sheet *out, sheet_info *info)
{
	memset(out, 0, sizeof *out);
	memset(info, 0, sizeof *info);
	info->encoding = "unknown";
	if (len > SHEET_BYTES_MAX)
		return info->status = SHEET_TOO_BIG;
	buf_t text = BUF_INIT;
	const char *enc = vn_encoding_decode(data, len, &text);
	if (enc == NULL) {
		buf_free(&text);
		return info->status = SHEET_ENCODING;
	}
	info->encoding = enc;
	info->delimiter = delimiter_of(text.data != NULL ? text.data : "", text.len);
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		buf_free(&text);
		return info->status = SHEET_NO_MEMORY;
	}
	csv_set_delim(&p, (unsigned char)info->delimiter);
	reader r = {.s = out};
	enum sheet_status st = SHEET_OK;
	if (text.len > 0 && csv_parse(&p, text.data, text.len, on_field, on_row, &r) != text.len)
		st = csv_error(&p) == CSV_ENOMEM ? SHEET_NO_MEMORY : SHEET_MALFORMED;
	if (st == SHEET_OK && csv_fini(&p, on_field, on_row, &r) != 0)
		st = SHEET_MALFORMED;
	csv_free(&p);
	buf_free(&text);
	if (st == SHEET_OK && r.failed)
		st = SHEET_TOO_BIG;
	if (st != SHEET_OK)
		sheet_free(out);
	return info->status = st;
}
