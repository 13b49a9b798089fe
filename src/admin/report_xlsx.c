/*
 * report_xlsx.c - the annual report's workbook (see report_xlsx.h).
 */
#include "admin/report_xlsx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "admin/exhibition_shared.h"
#include "core/log.h"
#include "model/acquisition.h"
#include "model/sheet_xlsx.h"

typedef struct {
	http_req *req;
	lxw_workbook *wb;
	lxw_format *head, *number, *percent, *day, *wrap;
	int failed;
} book;

static lxw_worksheet *sheet(book *b, const char *key)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, web_text(b->req, key));
	if (ws == NULL)
		b->failed = 1;
	return ws;
}

static void text(book *b, lxw_worksheet *ws, size_t row, size_t col, const char *s,
		 lxw_format *f)
{
	if (sheet_xlsx_text(ws, b->req->arena, row, col, s != NULL ? s : "", f) != 0)
		b->failed = 1;
}

static void number(book *b, lxw_worksheet *ws, size_t row, size_t col, double v, lxw_format *f)
{
	if (worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f) != LXW_NO_ERROR)
		b->failed = 1;
}

/* A yyyy-mm-dd day as a date cell; an empty day stays empty. */
static void day(book *b, lxw_worksheet *ws, size_t row, size_t col, const char *iso)
{
	if (iso == NULL || strlen(iso) != 10)
		return;
	lxw_datetime dt = {.year = atoi(iso), .month = atoi(iso + 5), .day = atoi(iso + 8)};
	if (worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt, b->day) !=
	    LXW_NO_ERROR)
		b->failed = 1;
}

/* A sheet (its name from the catalog) whose first row holds the column
 * heads keys, kept in view; columns wide_from .. wide_to are wide. NULL
 * (b->failed) when it cannot be added. */
static lxw_worksheet *table(book *b, const char *name_key, const char *const *keys,
			    int wide_from, int wide_to)
{
	lxw_worksheet *ws = sheet(b, name_key);
	if (ws == NULL)
		return NULL;
	worksheet_set_column(ws, 0, 12, 14, NULL);
	worksheet_set_column(ws, (lxw_col_t)wide_from, (lxw_col_t)wide_to, 40, NULL);
	for (size_t i = 0; keys[i] != NULL; i++)
		text(b, ws, 0, i, web_text(b->req, keys[i]), b->head);
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

/*
 * One row of a table from column 0, a cell per letter of spec: 'i' the
 * row's number (int), 'n' a count (int64_t, grouped), 'p' a whole percent
 * (int64_t, 117 -> 1,17 shown 117%), 'y' a plain number (int64_t, a
 * year), 't' a text, 'd' a yyyy-mm-dd day.
 */
static void row(book *b, lxw_worksheet *ws, size_t r, const char *spec, ...)
{
	va_list ap;
	va_start(ap, spec);
	for (size_t col = 0; spec[col] != '\0'; col++) {
		switch (spec[col]) {
		case 'i':
			number(b, ws, r, col, (double)va_arg(ap, int), NULL);
			break;
		case 'n':
			number(b, ws, r, col, (double)va_arg(ap, int64_t), b->number);
			break;
		case 'p':
			number(b, ws, r, col, (double)va_arg(ap, int64_t) / 100.0, b->percent);
			break;
		case 'y':
			number(b, ws, r, col, (double)va_arg(ap, int64_t), NULL);
			break;
		case 'd':
			day(b, ws, r, col, va_arg(ap, const char *));
			break;
		default:
			text(b, ws, r, col, va_arg(ap, const char *), NULL);
		}
	}
	va_end(ap);
}

static void summary_sheet(book *b, const report_year *r, const char *summary)
{
	lxw_worksheet *ws = sheet(b, "report_sheet_summary");
	if (ws == NULL)
		return;
	worksheet_set_column(ws, 0, 0, 100, b->wrap);
	text(b, ws, 0, 0,
	     arena_sprintf(b->req->arena, "%s %d", web_text(b->req, "report_title"), r->year),
	     b->head);
	text(b, ws, 1, 0, r->plan_title, NULL);
	text(b, ws, 3, 0, summary, b->wrap);
}

static void indicators_sheet(book *b, const report_year *r)
{
	static const char *const keys[] = {"report_col_stt", "report_col_indicator",
					   "report_col_measure", "report_col_target",
					   "report_col_actual", "report_col_percent", NULL};
	lxw_worksheet *ws = table(b, "report_sheet_indicators", keys, 1, 1);
	for (size_t i = 0; ws != NULL && i < r->nindicators; i++) {
		const report_indicator *x = &r->indicators[i];
		row(b, ws, i + 1, "ittnnp", (int)(i + 1), x->indicator.name, x->indicator.measure,
		    x->indicator.target, x->actual, x->percent);
	}
}

static void acquisitions_sheet(book *b, const report_year *r)
{
	static const char *const keys[] = {"report_col_mode", "report_col_objects", NULL};
	lxw_worksheet *ws = table(b, "report_sheet_acquisitions", keys, 0, 0);
	if (ws == NULL)
		return;
	size_t line = 1;
	for (size_t i = 0; i < r->nmodes; i++) {
		if (r->by_mode[i] == 0)
			continue;
		row(b, ws, line++, "tn", admin_reg_word(b->req, "admin_reg_mode_", acquisition_modes[i]),
		    r->by_mode[i]);
	}
	text(b, ws, line, 0, web_text(b->req, "report_col_total"), b->head);
	number(b, ws, line, 1, (double)r->accessioned, b->number);
	line += 2;
	/* The same objects by quarter, as the print page's chart shows them. */
	text(b, ws, line++, 0, web_text(b->req, "report_col_quarter"), b->head);
	for (int q = 0; q < 4; q++)
		row(b, ws, line++, "tn",
		    arena_sprintf(b->req->arena, "%s %d", web_text(b->req, "report_q"), q + 1),
		    r->accessioned_quarters[q]);
}

static void exhibitions_sheet(book *b, const report_year *r)
{
	static const char *const keys[] = {"report_col_stt", "report_col_title", "report_col_kind",
					   "report_col_opens", "report_col_closes",
					   "report_col_venue", "report_col_visitors", NULL};
	lxw_worksheet *ws = table(b, "report_sheet_exhibitions", keys, 1, 1);
	for (size_t i = 0; ws != NULL && i < r->nexhibitions; i++) {
		const exhibition *e = &r->exhibitions[i];
		row(b, ws, i + 1, "ittddtn", (int)(i + 1), e->title,
		    admin_reg_word(b->req, "exh_kind_", e->kind), e->opens_on, e->closes_on,
		    admin_exh_venue(b->req, e), e->visitors);
	}
}

static void publications_sheet(book *b, const report_year *r)
{
	static const char *const keys[] = {"report_col_stt", "report_col_title",
					   "report_col_authors", "report_col_publisher",
					   "report_col_year", "report_col_isbn", NULL};
	lxw_worksheet *ws = table(b, "report_sheet_publications", keys, 1, 3);
	for (size_t i = 0; ws != NULL && i < r->npublications; i++) {
		const publication *p = &r->publications[i];
		row(b, ws, i + 1, "itttyt", (int)(i + 1), p->title, p->authors, p->publisher, p->year,
		    p->isbn);
	}
}

int report_xlsx_write(http_req *req, const report_year *r, const char *summary, const char *path)
{
	book b = {.req = req, .wb = workbook_new(path)};
	if (b.wb == NULL) {
		log_error("report: cannot write %s", path);
		return -1;
	}
	b.head = workbook_add_format(b.wb);
	b.number = workbook_add_format(b.wb);
	b.percent = workbook_add_format(b.wb);
	b.day = workbook_add_format(b.wb);
	b.wrap = workbook_add_format(b.wb);
	if (b.head == NULL || b.number == NULL || b.percent == NULL || b.day == NULL ||
	    b.wrap == NULL)
		b.failed = 1;
	else {
		format_set_bold(b.head);
		format_set_num_format(b.number, "#,##0");
		format_set_num_format(b.percent, "0%");
		format_set_num_format(b.day, "dd/mm/yyyy");
		format_set_text_wrap(b.wrap);
		format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
	}
	if (!b.failed) {
		summary_sheet(&b, r, summary);
		indicators_sheet(&b, r);
		acquisitions_sheet(&b, r);
		exhibitions_sheet(&b, r);
		publications_sheet(&b, r);
	}
	if (workbook_close(b.wb) != LXW_NO_ERROR || b.failed) {
		log_error("report: writing %s failed", path);
		return -1;
	}
	return 0;
}
