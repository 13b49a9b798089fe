/*
 * object_export.c - the register as CSV or XLSX (see object_export.h).
 */
#include "model/object_export.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/log.h"
#include "model/acquisition.h"
#include "model/donor.h"
#include "model/location.h"
#include "model/object_import.h"
#include "model/sheet.h"

/* Stored codes as the words the importer reads back. */
static const char *word(const char *code)
{
	static const char *const words[][2] = {
	    {"hien_vat", "hiện vật"}, {"tai_lieu", "tài liệu"}, {"di_vat", "di vật"},
	    {"co_vat", "cổ vật"}, {"bao_vat", "bảo vật quốc gia"}, {"suu_tam", "sưu tầm"},
	    {"hien_tang", "hiến tặng"}, {"mua", "mua"}, {"khai_quat", "khai quật"},
	    {"dieu_chuyen", "điều chuyển"}, {"trao_doi", "trao đổi"}, {"thu_hoi", "thu hồi"},
	    {"khac", "khác"}, {"intake", "nhập tạm"}, {"main", "sưu tập chính"},
	    {"reference", "sưu tập tham khảo"}, {"returned", "trả lại"}};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(code, words[i][0]) == 0)
			return words[i][1];
	return code;
}

/* "12,5" for 12.5, "" for 0 (not measured). */
static const char *decimal(arena_t *a, double v)
{
	if (v <= 0)
		return "";
	char *s = arena_sprintf(a, "%.10g", v);
	for (char *p = s; p != NULL && *p != '\0'; p++)
		if (*p == '.')
			*p = ',';
	return s != NULL ? s : "";
}

static const char *day(arena_t *a, const char *iso)
{
	if (iso == NULL || strlen(iso) != 10)
		return "";
	return arena_sprintf(a, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

enum { EXTRA = 2 };   /* registration number and status come first */

/* The cells of one object, in the header's order. */
static int cells_of(db_t *db, arena_t *a, int64_t id, const char **out, size_t n)
{
	object_card c;
	acquisition q;
	donor d = {.name = ""};
	if (object_get(db, a, id, &c) != 0 || acquisition_get(db, a, c.acquisition_id, &q) != 0)
		return -1;
	if (q.donor_id > 0 && donor_get(db, a, q.donor_id, &d) != 0)
		return -1;
	const char *place = c.location_id > 0 ? location_path(db, a, c.location_id) : "";
	out[0] = c.reg_number;
	out[1] = word(c.status);
	for (size_t i = 0; i + EXTRA < n; i++) {
		const char *f = object_import_columns[i].field, *v = "";
		if (strcmp(f, "intake_no") == 0) v = c.intake_no;
		else if (strcmp(f, "name") == 0) v = c.name;
		else if (strcmp(f, "other_names") == 0) v = c.other_names;
		else if (strcmp(f, "kind") == 0) v = word(c.kind);
		else if (strcmp(f, "material_code") == 0) v = c.material_code;
		else if (strcmp(f, "material_note") == 0) v = c.material_note;
		else if (strcmp(f, "technique") == 0) v = c.technique;
		else if (strcmp(f, "length_cm") == 0) v = decimal(a, c.length_cm);
		else if (strcmp(f, "width_cm") == 0) v = decimal(a, c.width_cm);
		else if (strcmp(f, "height_cm") == 0) v = decimal(a, c.height_cm);
		else if (strcmp(f, "diameter_cm") == 0) v = decimal(a, c.diameter_cm);
		else if (strcmp(f, "weight_g") == 0) v = decimal(a, c.weight_g);
		else if (strcmp(f, "pieces") == 0) v = arena_sprintf(a, "%lld", (long long)c.pieces);
		else if (strcmp(f, "dating") == 0) v = c.dating;
		else if (strcmp(f, "origin_place") == 0) v = c.origin_place;
		else if (strcmp(f, "class") == 0) v = word(c.heritage_class);
		else if (strcmp(f, "description") == 0) v = c.description;
		else if (strcmp(f, "value") == 0) v = c.value > 0 ? arena_sprintf(a, "%lld", (long long)c.value) : "";
		else if (strcmp(f, "notes") == 0) v = c.notes;
		else if (strcmp(f, "mode") == 0) v = word(q.mode);
		else if (strcmp(f, "acquired_on") == 0) v = day(a, q.acquired_on);
		else if (strcmp(f, "donor") == 0) v = d.name;
		else if (strcmp(f, "handover_no") == 0) v = q.handover_no;
		else if (strcmp(f, "location") == 0) v = place;
		out[i + EXTRA] = v != NULL ? v : "";
	}
	return arena_failed(a) ? -1 : 0;
}

/* One XLSX cell: a string cell is never computed by Excel as it is, but it
 * becomes a formula as soon as someone edits it, so a formula-like cell gets
 * the same leading apostrophe as in the CSV, and so does one already led by
 * an apostrophe, which keeps the mark reversible (sheet_marked; the
 * libxlsxwriter of Debian 12 has no quote-prefix format). */
static int xlsx_cell(lxw_worksheet *ws, arena_t *a, size_t line, size_t col, const char *cell)
{
	if (sheet_marked(cell) && (cell = arena_sprintf(a, "'%s", cell)) == NULL)
		return -1;
	return worksheet_write_string(ws, (lxw_row_t)line, (lxw_col_t)col, cell, NULL) ==
			       LXW_NO_ERROR
		       ? 0
		       : -1;
}

/* One row to whichever file is open (a: for the XLSX cells' copies). */
static int write_row(FILE *csv, lxw_worksheet *ws, arena_t *a, size_t line, const char **cells,
		     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (csv != NULL)
			sheet_csv_cell(csv, cells[i], i == 0);
		else if (xlsx_cell(ws, a, line, i, cells[i]) != 0)
			return -1;
	}
	if (csv != NULL)
		fputs("\r\n", csv);
	return 0;
}

int object_export(db_t *db, const object_filter *flt, enum object_export_format fmt,
		  const char *path, size_t *rows)
{
	*rows = 0;
	size_t ncols = EXTRA;
	while (object_import_columns[ncols - EXTRA].field != NULL)
		ncols++;
	const char *header[64], *cells[64];
	if (ncols > 64)
		return -1;
	header[0] = "Số đăng ký";
	header[1] = "Trạng thái";
	for (size_t i = EXTRA; i < ncols; i++)
		header[i] = object_import_columns[i - EXTRA].header;

	FILE *csv = NULL;
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws = NULL;
	if (fmt == OBJECT_EXPORT_CSV) {
		if ((csv = fopen(path, "w")) == NULL) {
			log_error("export: cannot write %s", path);
			return -1;
		}
		fputs("\xef\xbb\xbf", csv);   /* Excel reads UTF-8 only with its mark */
	} else {
		lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
		if ((wb = workbook_new_opt(path, &opt)) == NULL ||
		    (ws = workbook_add_worksheet(wb, "Sổ đăng ký")) == NULL) {
			log_error("export: cannot write %s", path);
			if (wb != NULL)
				workbook_close(wb);
			unlink(path);
			return -1;
		}
	}
	/* Every row is read once: through the memory map, the pages of a large
	 * register stayed mapped and counted in the process's memory (1.4 GB at
	 * 1,000,000 objects for an export of 100,000, bench/register.py);
	 * read through the page cache of the connection instead, then mapped
	 * again. */
	arena_t *a = arena_new(65536), *ra = arena_new(16384);
	int rc = a != NULL && ra != NULL && db_exec(db, "PRAGMA mmap_size = 0") == 0
			 ? write_row(csv, ws, ra, 0, header, ncols)
			 : -1;
	int64_t before = 0;
	for (bool more = true; rc == 0 && more;) {
		object_row *list;
		size_t n;
		model_problem why;
		arena_reset(a);
		if (object_list(db, a, flt, before, OBJECT_PAGE_MAX, &list, &n, &more, &why) != 0) {
			rc = -1;
			break;
		}
		if (n > 0)
			before = list[n - 1].id;
		/* Each row's strings live in the second arena, reset per row. */
		for (size_t k = 0; k < n && rc == 0; k++) {
			arena_reset(ra);
			rc = cells_of(db, ra, list[k].id, cells, ncols);
			if (rc == 0)
				rc = write_row(csv, ws, ra, ++*rows, cells, ncols);
		}
	}
	arena_free(ra);
	arena_free(a);
	if (db_exec(db, "PRAGMA mmap_size = " DB_MMAP_BYTES) != 0)
		rc = -1;
	if (csv != NULL && (ferror(csv) | fclose(csv)) != 0)
		rc = -1;
	if (wb != NULL && workbook_close(wb) != LXW_NO_ERROR)
		rc = -1;
	if (rc != 0) {
		log_error("export: writing %s failed", path);
		unlink(path);
	}
	return rc;
}
