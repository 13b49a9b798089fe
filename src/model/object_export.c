/*
 * object_export.c - the register as CSV or XLSX (see object_export.h).
 */
#include "model/object_export.h"

#include <stdio.h>
#include <stdlib.h>
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
#include "model/sheet_xlsx.h"

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

#define UTF8_MARK "\xef\xbb\xbf"   /* Excel reads UTF-8 in a CSV only with its mark */

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

/* One row to whichever file is open (a: for the XLSX cells' copies). */
static int write_row(FILE *csv, lxw_worksheet *ws, arena_t *a, size_t line, const char **cells,
		     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (csv != NULL)
			sheet_csv_cell(csv, cells[i], i == 0);
		else if (sheet_xlsx_text(ws, a, line, i, cells[i], NULL) != 0)
			return -1;
	}
	if (csv != NULL)
		fputs("\r\n", csv);
	return 0;
}

/* An export under way: the filter (with its own copies of the texts), the
 * keyset position, the rows so far and the arenas of a page and a row. */
struct object_export_cursor {
	object_filter flt;
	char *texts[3];
	int64_t before;
	bool started, more;
	size_t rows, ncols;
	const char *header[64];
	arena_t *a, *ra;
};

void object_export_close(object_export_cursor *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < 3; i++)
		free(c->texts[i]);
	arena_free(c->ra);
	arena_free(c->a);
	free(c);
}

static char *copy_text(const char *s, bool *failed)
{
	char *copy = s != NULL ? strdup(s) : NULL;
	if (s != NULL && copy == NULL)
		*failed = true;
	return copy;
}

object_export_cursor *object_export_open(const object_filter *flt)
{
	object_export_cursor *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	bool failed = false;
	if (flt != NULL) {
		c->flt = *flt;
		c->flt.status = c->texts[0] = copy_text(flt->status, &failed);
		c->flt.material_code = c->texts[1] = copy_text(flt->material_code, &failed);
		c->flt.query = c->texts[2] = copy_text(flt->query, &failed);
	}
	c->more = true;
	c->ncols = EXTRA;
	while (object_import_columns[c->ncols - EXTRA].field != NULL)
		c->ncols++;
	c->header[0] = "Số đăng ký";
	c->header[1] = "Trạng thái";
	for (size_t i = EXTRA; i < c->ncols && i < 64; i++)
		c->header[i] = object_import_columns[i - EXTRA].header;
	c->a = arena_new(65536);
	c->ra = arena_new(16384);
	if (failed || c->ncols > 64 || c->a == NULL || c->ra == NULL) {
		object_export_close(c);
		return NULL;
	}
	return c;
}

/* The header on the first call, then the next page of at most `page` rows,
 * to whichever file is open. 1 while rows are left, 0 after the last, -1. */
static int export_page(db_t *db, object_export_cursor *c, size_t page, FILE *csv,
		       lxw_worksheet *ws)
{
	if (!c->started) {
		c->started = true;
		if (write_row(csv, ws, c->ra, 0, c->header, c->ncols) != 0)
			return -1;
	}
	if (!c->more)
		return 0;
	object_row *list;
	size_t n;
	model_problem why;
	arena_reset(c->a);
	if (object_list(db, c->a, &c->flt, c->before, page, &list, &n, &c->more, &why) != 0)
		return -1;
	if (n > 0)
		c->before = list[n - 1].id;
	/* Each row's strings live in the second arena, reset per row. */
	const char *cells[64];
	for (size_t k = 0; k < n; k++) {
		arena_reset(c->ra);
		if (cells_of(db, c->ra, list[k].id, cells, c->ncols) != 0 ||
		    write_row(csv, ws, c->ra, ++c->rows, cells, c->ncols) != 0)
			return -1;
	}
	return c->more ? 1 : 0;
}

/* Every row is read once: through the memory map, the pages of a large
 * register stayed mapped and counted in the process's memory (1.4 GB at
 * 1,000,000 objects for an export of 100,000, bench/register.py); they are
 * read through the page cache of the connection instead, then mapped
 * again. */
static int map_off(db_t *db)
{
	return db_exec(db, "PRAGMA mmap_size = 0");
}

static int map_on(db_t *db)
{
	return db_exec(db, "PRAGMA mmap_size = " DB_MMAP_BYTES);
}

/* Rows in a part of the streamed CSV, which the server holds while the
 * client reads it: about 25 KB of usual cards, at most about 1 MB. */
#define PART_ROWS 50

int object_export_csv_next(db_t *db, object_export_cursor *c, buf_t *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f == NULL)
		return -1;
	if (!c->started)
		fputs(UTF8_MARK, f);
	int rc = map_off(db) == 0 ? export_page(db, c, PART_ROWS, f, NULL) : -1;
	if (map_on(db) != 0)
		rc = -1;
	if ((ferror(f) | fclose(f)) != 0)
		rc = -1;
	if (rc >= 0 && buf_append(out, text, len) != 0)
		rc = -1;
	free(text);
	return rc;
}

int object_export(db_t *db, const object_filter *flt, enum object_export_format fmt,
		  const char *path, size_t *rows)
{
	*rows = 0;
	FILE *csv = NULL;
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws = NULL;
	if (fmt == OBJECT_EXPORT_CSV) {
		if ((csv = fopen(path, "w")) == NULL) {
			log_error("export: cannot write %s", path);
			return -1;
		}
		fputs(UTF8_MARK, csv);
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
	object_export_cursor *c = object_export_open(flt);
	int rc = c != NULL && map_off(db) == 0 ? 1 : -1;
	while (rc == 1)
		rc = export_page(db, c, OBJECT_PAGE_MAX, csv, ws);
	if (c != NULL)
		*rows = c->rows;
	object_export_close(c);
	if (map_on(db) != 0)
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
