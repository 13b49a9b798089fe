/*
 * register_io_page.c - the register to and from spreadsheets in the back
 * office, the same work as `sen objects import|export` (model/
 * object_import.h, object_export.h):
 *   /admin/so-dang-ky/nhap-tep  upload a CSV or XLSX file; every row and
 *       cell is checked first, the problems come back as a table (file,
 *       row, column, reason: FILE:ROW:COLUMN: reason) and nothing is
 *       written until the file is clean; then one transaction writes it all;
 *   /admin/so-dang-ky/xuat      the register, or the list as filtered (the
 *       list's own q and trang-thai, and chat-lieu), as CSV or XLSX.
 * Curators import; whoever reads the register may export it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/object.h"
#include "model/object_export.h"
#include "model/object_import.h"
#include "model/sheet.h"

#define PATH_IMPORT ADMIN_PATH_REGISTER_IMPORT
#define PATH_EXPORT ADMIN_PATH_REGISTER "/xuat"
/* Problems shown on the page; the rest are counted. */
#define SHOWN_MAX 500

static const char *sheet_problem_key(enum sheet_status st)
{
	switch (st) {
	case SHEET_TOO_BIG: return "admin_imp_too_big";
	case SHEET_ENCODING: return "admin_imp_encoding";
	case SHEET_MALFORMED: return "admin_imp_malformed";
	default: return "admin_imp_failed";
	}
}

static int import_page(http_req *req, http_res *res, const admin_user *me, int status,
		       const char *message, json_t *problems, const char *notice)
{
	json_t *ctx = admin_context(req, me, "admin_imp_title");
	if (ctx == NULL) {
		json_decref(problems);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "action", json_string(PATH_IMPORT));
	json_object_set_new(ctx, "csrf", json_string(admin_csrf_token(req, me, PATH_IMPORT)));
	json_object_set_new(ctx, "back_url", json_string(ADMIN_PATH_REGISTER));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(notice));
	if (problems != NULL) {
		json_object_set_new(ctx, "has_problems", json_boolean(json_array_size(problems) > 0));
		json_object_set_new(ctx, "problems", problems);
	}
	return admin_render(req, res, status, "admin/register_import", ctx);
}

static int import_form(http_req *req, http_res *res, const admin_user *me)
{
	return import_page(req, res, me, 200, NULL, NULL, NULL);
}

/* The report's problems as rows of the table (and as the FILE:ROW:COLUMN:
 * reason line a clerk can paste). */
static json_t *problem_rows(http_req *req, const char *file, const object_import_report *rep)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < rep->nproblems && i < SHOWN_MAX; i++) {
		const object_import_problem *p = &rep->problems[i];
		const char *why = web_text(req, arena_sprintf(req->arena, "admin_%s",
							      reg_problem_key(p->code)));
		json_array_append_new(
		    rows, json_pack("{s:s, s:I, s:s, s:s, s:s}", "file", file, "row",
				    (json_int_t)p->row, "column", p->header, "reason", why, "line",
				    arena_sprintf(req->arena, "%s:%zu:%s: %s", file, p->row, p->header,
						  why)));
	}
	return rows;
}

static int import_submit(http_req *req, http_res *res, const admin_user *me)
{
	const http_upload *up = NULL;
	for (size_t i = 0; i < req->nuploads; i++)
		if (strcmp(req->uploads[i].field, "file") == 0)
			up = &req->uploads[i];
	if (up == NULL || up->size == 0)
		return import_page(req, res, me, 400,
				   arena_sprintf(req->arena, "%s: %s", web_text(req, "admin_imp_field_file"),
						 web_text(req, "admin_reg_required")),
				   NULL, NULL);
	const char *file = up->filename[0] != '\0' ? up->filename : "tep.csv";
	sheet s;
	sheet_info info;
	if (sheet_read_file(up->path, file, &s, &info) != SHEET_OK) {
		const char *why = web_text(req, sheet_problem_key(info.status));
		return import_page(req, res, me, 400, arena_sprintf(req->arena, "%s: %s", file, why),
				   NULL, NULL);
	}
	object_import_report *rep = calloc(1, sizeof *rep);
	db_t *db = db_get();
	int rc = rep != NULL && db != NULL
		     ? object_import(db, &s, false, admin_reg_who(me), rep, NULL, NULL)
		     : -1;
	int status;
	if (rc == 1) {
		json_t *rows = problem_rows(req, file, rep);
		const char *msg = arena_sprintf(req->arena, "%s: %s", file,
						web_textf(req, "admin_imp_refused",
							  (int64_t)rep->total_problems));
		status = import_page(req, res, me, 400, msg, rows, NULL);
	} else if (rc != 0) {
		status = admin_error(req, res, me, 500, NULL);
	} else {
		admin_reg_audit(req, me, db, AUDIT_OBJECT_IMPORT, file,
				arena_sprintf(req->arena, "%zu objects, %zu acquisitions, %zu donors",
					      rep->imported, rep->acquisitions, rep->donors));
		const char *notice = arena_sprintf(req->arena, "%s: %s %zu", file,
						   web_text(req, "admin_imp_done"), rep->imported);
		status = import_page(req, res, me, 200, NULL, NULL, notice);
	}
	/* The report's column names point into the sheet: freed only now. */
	sheet_free(&s);
	free(rep);
	return status;
}

/* ---- export --------------------------------------------------------------------- */

/* The CSV sent while it is made (http_send_stream): its first part made by
 * the handler, so that a failure before any byte is still a 500, the rest
 * on the connection's thread as the client reads. */
typedef struct {
	object_export_cursor *cursor;
	buf_t first;
	int first_rc;
} csv_stream;

static int csv_part(void *ctx, buf_t *out)
{
	csv_stream *s = ctx;
	if (s->first.data != NULL) {
		int rc = buf_append(out, s->first.data, s->first.len) == 0 ? s->first_rc : -1;
		buf_free(&s->first);
		return rc;
	}
	db_t *db = db_get();
	return db != NULL ? object_export_csv_next(db, s->cursor, out) : -1;
}

static void csv_done(void *ctx)
{
	csv_stream *s = ctx;
	object_export_close(s->cursor);
	buf_free(&s->first);
	free(s);
}

static int csv_export(http_res *res, const object_filter *flt)
{
	csv_stream *s = calloc(1, sizeof *s);
	db_t *db = db_get();
	if (s == NULL || db == NULL || (s->cursor = object_export_open(flt)) == NULL ||
	    (s->first_rc = object_export_csv_next(db, s->cursor, &s->first)) < 0) {
		if (s != NULL)
			csv_done(s);
		return 500;
	}
	return http_send_stream(res, csv_part, csv_done, s);
}

/* The XLSX is written to a file first (libxlsxwriter needs one, in its
 * constant-memory mode), then sent from the disk. */
static int xlsx_make(const char *path, void *arg)
{
	db_t *db = db_get();
	size_t rows = 0;
	return db != NULL ? object_export(db, arg, OBJECT_EXPORT_XLSX, path, &rows) : -1;
}

static int xlsx_export(http_res *res, const object_filter *flt)
{
	return admin_send_made(res, xlsx_make, (void *)flt);
}

/* Never the whole register in memory: a register of 100,000 objects is a
 * 46 MB CSV, which goes out a page of rows at a time. */
static int register_export(http_req *req, http_res *res, const admin_user *me)
{
	const char *format = http_query(req, "dinh-dang");
	bool xlsx = format != NULL && strcmp(format, "xlsx") == 0;
	if (format != NULL && !xlsx && strcmp(format, "csv") != 0)
		return admin_error(req, res, me, 400, NULL);
	object_filter flt;
	admin_reg_list_filter(req, &flt);
	if ((xlsx ? xlsx_export(res, &flt) : csv_export(res, &flt)) != 200)
		return admin_error(req, res, me, 500, NULL);
	res->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				 : "text/csv; charset=utf-8";
	admin_set_header(res, "Content-Disposition",
			 xlsx ? "attachment; filename=\"so-dang-ky.xlsx\""
			      : "attachment; filename=\"so-dang-ky.csv\"");
	return 200;
}

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, PATH_IMPORT, NULL, ADMIN_REGISTER_KEEPERS}, import_form},
	{{HTTP_POST, PATH_IMPORT, NULL, ADMIN_REGISTER_KEEPERS}, import_submit},
	{{HTTP_GET, PATH_EXPORT, NULL, ADMIN_REGISTER_READERS}, register_export},
};

const admin_page_table admin_register_io_table = {pages, sizeof pages / sizeof pages[0]};
