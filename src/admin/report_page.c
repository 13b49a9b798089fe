/*
 * report_page.c - the annual report ("báo cáo tổng kết năm", issue 14) at
 * /admin/bao-cao:
 *   /admin/bao-cao              to the newest year that has a plan;
 *   /admin/bao-cao/YEAR         the report as a print page (A4, sections
 *       on their own pages): the summary paragraph (report_prose.c), every
 *       indicator against plan with its percent and a bar chart, the
 *       objects accessioned by mode and by quarter, the exhibitions opened,
 *       the publications; all read live (model/report.h);
 *   /admin/bao-cao/YEAR.xlsx    the same as a workbook (report_xlsx.c);
 *   POST /admin/bao-cao/YEAR/bai-viet   "Tạo bài viết nháp": the summary
 *       as a draft article of the editorial workflow; a second draft of a
 *       year only when asked again with confirm=1 (the page says one
 *       exists, with its link).
 * Planners (and admins) only; every draft is one line of the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/editorial.h"
#include "admin/exhibition_shared.h"
#include "admin/register_shared.h"
#include "admin/report_prose.h"
#include "admin/report_xlsx.h"
#include "core/arena.h"
#include "core/buf.h"
#include "model/acquisition.h"
#include "model/category.h"
#include "model/report.h"
#include "render/chart.h"

#define PATH_LIST "/admin/bao-cao"
#define PATH_YEAR PATH_LIST "/:id"
#define PATH_XLSX PATH_LIST "/:id.xlsx"
#define PATH_DRAFT PATH_LIST "/:id/bai-viet"
#define LABELS "report_field_"

#define REPORT_READERS ((unsigned)USER_PLANNER)
/* Who may open the editor of the draft the report makes. */
#define ARTICLE_WRITERS ((unsigned)(USER_EDITOR | USER_AUTHOR))

/* ---- the years ---------------------------------------------------------------- */

/* The menu's way in: a back-office page (with the menu) listing each year
 * that has a plan, newest first, with its report to read and print and its
 * workbook. The report itself is a print page, which has no menu. */
static int report_list(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	plan *rows;
	size_t n;
	if (db == NULL || plan_list(db, req->arena, &rows, &n) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "report_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *years = json_array();
	for (size_t i = 0; i < n; i++) {
		if (rows[i].unit_id != 0)
			continue;
		long long y = (long long)rows[i].year;
		json_array_append_new(
		    years, json_pack("{s:I, s:s, s:s}", "year", (json_int_t)y, "url",
				     arena_sprintf(req->arena, PATH_LIST "/%lld", y), "xlsx",
				     arena_sprintf(req->arena, PATH_LIST "/%lld.xlsx", y)));
	}
	json_object_set_new(ctx, "empty", json_boolean(json_array_size(years) == 0));
	json_object_set_new(ctx, "years", years);
	return admin_render(req, res, 200, "admin/report_list", ctx);
}

/* ---- one year ------------------------------------------------------------------- */

/* A chart of the report (SVG), or NULL when it cannot be drawn. */
static json_t *chart(http_req *req, const chart_point *pts, size_t n, const char *title_key,
		     const char *unit, const char *css_class)
{
	buf_t svg = BUF_INIT;
	chart_opts o = {.kind = CHART_BAR, .title = web_text(req, title_key), .unit = unit,
			.lang = web_lang(req), .css_class = css_class, .width = 640, .height = 220,
			.empty_text = web_text(req, "report_none")};
	json_t *out = chart_svg(&svg, pts, n, &o) == 0 && svg.data != NULL ? json_string(svg.data)
									    : NULL;
	buf_free(&svg);
	return out;
}

static json_t *indicators_json(http_req *req, const report_year *r, chart_point *pts)
{
	json_t *list = json_array();
	for (size_t i = 0; i < r->nindicators; i++) {
		const report_indicator *x = &r->indicators[i];
		char pct[16];
		plan_percent_format(pct, sizeof pct, x->actual, x->indicator.target);
		pts[i] = (chart_point){.label = x->indicator.name,
				       .axis_label = arena_sprintf(req->arena, "%zu", i + 1),
				       .value = x->percent};
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "n", (json_int_t)(i + 1),
				    "name", x->indicator.name, "measure", x->indicator.measure,
				    "target", admin_reg_count(req, x->indicator.target), "actual",
				    admin_reg_count(req, x->actual), "percent", pct, "over", x->over));
	}
	return list;
}

/* The quarters of a year as chart points ("Quý I" ...). */
static void quarters(http_req *req, const int64_t values[4], chart_point pts[4])
{
	static const char *const roman[] = {"I", "II", "III", "IV"};
	for (int q = 0; q < 4; q++)
		pts[q] = (chart_point){.label = arena_sprintf(req->arena, "%s %s",
							      web_text(req, "report_q"), roman[q]),
				       .axis_label = arena_sprintf(req->arena, "%s %s",
								   web_text(req, "report_q"), roman[q]),
				       .value = values[q]};
}

static json_t *sections_json(http_req *req, const report_year *r, json_t *ctx)
{
	chart_point *pts = arena_alloc(req->arena, (r->nindicators + 1) * sizeof *pts);
	if (pts == NULL)
		return NULL;
	json_object_set_new(ctx, "indicators", indicators_json(req, r, pts));
	json_object_set_new(ctx, "has_indicators", json_boolean(r->nindicators > 0));
	if (r->nindicators > 0)
		json_object_set_new(ctx, "chart_indicators",
				    chart(req, pts, r->nindicators, "report_chart_indicators", "%",
					  "report-chart"));
	chart_point qs[4];
	quarters(req, r->accessioned_quarters, qs);
	json_object_set_new(ctx, "chart_acquisitions",
			    chart(req, qs, 4, "report_chart_acquisitions",
				  web_text(req, "report_unit_objects"), "report-chart"));
	quarters(req, r->exhibition_quarters, qs);
	json_object_set_new(ctx, "chart_exhibitions",
			    chart(req, qs, 4, "report_chart_exhibitions",
				  web_text(req, "report_unit_exhibitions"), "report-chart"));
	json_t *modes = json_array();
	for (size_t i = 0; i < r->nmodes; i++)
		if (r->by_mode[i] > 0)
			json_array_append_new(
			    modes, json_pack("{s:s, s:s}", "label",
					     admin_reg_word(req, "admin_reg_mode_", acquisition_modes[i]),
					     "count", admin_reg_count(req, r->by_mode[i])));
	json_object_set_new(ctx, "has_modes", json_boolean(json_array_size(modes) > 0));
	json_object_set_new(ctx, "modes", modes);
	json_object_set_new(ctx, "accessioned", json_string(admin_reg_count(req, r->accessioned)));
	json_t *exh = json_array();
	for (size_t i = 0; i < r->nexhibitions; i++) {
		const exhibition *e = &r->exhibitions[i];
		json_array_append_new(
		    exh, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "n", (json_int_t)(i + 1), "title",
				   e->title, "kind", admin_reg_word(req, "exh_kind_", e->kind), "dates",
				   admin_exh_dates(req, e), "venue", admin_exh_venue(req, e),
				   "visitors", admin_reg_count(req, e->visitors)));
	}
	json_object_set_new(ctx, "exhibitions", exh);
	json_object_set_new(ctx, "has_exhibitions", json_boolean(r->nexhibitions > 0));
	json_t *pubs = json_array();
	for (size_t i = 0; i < r->npublications; i++) {
		const publication *p = &r->publications[i];
		json_array_append_new(pubs, json_pack("{s:I, s:s, s:s, s:s, s:s}", "n",
						      (json_int_t)(i + 1), "title", p->title, "authors",
						      p->authors, "publisher", p->publisher, "isbn",
						      p->isbn));
	}
	json_object_set_new(ctx, "publications", pubs);
	json_object_set_new(ctx, "has_publications", json_boolean(r->npublications > 0));
	return ctx;
}

/* The draft form's categories, the one chosen (or the first) selected. */
static json_t *categories_json(http_req *req, db_t *db, const char *chosen)
{
	category *cs = NULL;
	size_t n = 0;
	json_t *list = json_array();
	if (category_list(db, req->arena, &cs, &n) != 0)
		return list;
	for (size_t i = 0; i < n; i++) {
		const char *id = arena_sprintf(req->arena, "%lld", (long long)cs[i].id);
		bool selected = chosen != NULL && chosen[0] != '\0' ? strcmp(chosen, id) == 0 : i == 0;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", id, "label",
						      cs[i].name, "selected", selected));
	}
	return list;
}

/* The report of year; message and values (consumed) come from a refused
 * draft form, ask says a draft exists and a second one needs confirming. */
static int report_page(http_req *req, http_res *res, const admin_user *me, int64_t year,
		       db_t *db, int status, const char *message, json_t *values, bool ask)
{
	report_year r;
	int rc = report_load(db, req->arena, (int)year, &r);
	const char *back = arena_sprintf(req->arena, "/admin/ke-hoach/%lld", (long long)year);
	json_t *ctx = rc == 0 ? admin_print_context(req, me, "report_title", back, false) : NULL;
	const char *summary = ctx != NULL ? report_prose_summary(req->arena, web_lang(req), &r, NULL)
					  : NULL;
	if (summary == NULL || sections_json(req, &r, ctx) == NULL) {
		json_decref(values);
		return admin_fail(req, res, me, rc > 0 ? 404 : 500, ctx);
	}
	const char *base = arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)year);
	json_object_set_new(ctx, "year", json_integer(year));
	json_object_set_new(ctx, "plan_title", json_string(r.plan_title));
	json_object_set_new(ctx, "has_plan", json_boolean(r.plan_id != 0));
	json_object_set_new(ctx, "summary", json_string(summary));
	json_object_set_new(ctx, "xlsx_url", json_string(arena_sprintf(req->arena, "%s.xlsx", base)));
	json_object_set_new(ctx, "draft_action",
			    json_string(arena_sprintf(req->arena, "%s/bai-viet", base)));
	json_object_set_new(ctx, "draft_csrf", json_string(admin_csrf_token(req, me, PATH_DRAFT)));
	const char *chosen = json_string_value(json_object_get(values, "category_id"));
	json_object_set_new(ctx, "categories", categories_json(req, db, chosen));
	int64_t draft = 0;
	if (report_draft_find(db, (int)year, &draft) == 0) {
		json_object_set_new(ctx, "draft_id", json_integer(draft));
		if (admin_may(me->role, ARTICLE_WRITERS))
			json_object_set_new(ctx, "draft_url",
					    json_string(editorial_url(req, draft, "")));
	}
	json_object_set_new(ctx, "ask", json_boolean(ask));
	const char *const notices[] = {"bai-viet", "report_draft_made", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	json_object_set_new(ctx, "draft_values", values != NULL ? values : json_object());
	return admin_render(req, res, status, "admin/report", ctx);
}

static int report_year_row(http_req *req, http_res *res, const admin_user *me, int64_t year,
			   db_t *db)
{
	return report_page(req, res, me, year, db, 200, NULL, NULL, false);
}

/* ---- the workbook ---------------------------------------------------------------- */

typedef struct {
	http_req *req;
	const report_year *r;
	const char *summary;
} workbook_job;

static int workbook_make(const char *path, void *arg)
{
	const workbook_job *job = arg;
	return report_xlsx_write(job->req, job->r, job->summary, path);
}

static int report_xlsx_row(http_req *req, http_res *res, const admin_user *me, int64_t year,
			   db_t *db)
{
	report_year r;
	int rc = report_load(db, req->arena, (int)year, &r);
	const char *summary = rc == 0 ? report_prose_summary(req->arena, web_lang(req), &r, NULL)
				      : NULL;
	if (summary == NULL)
		return admin_error(req, res, me, rc > 0 ? 404 : 500, NULL);
	workbook_job job = {req, &r, summary};
	if (admin_send_made(res, workbook_make, &job) != 200)
		return admin_error(req, res, me, 500, NULL);
	res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	admin_set_header(res, "Content-Disposition",
			 arena_sprintf(req->arena, "attachment; filename=\"bao-cao-%lld.xlsx\"",
				       (long long)year));
	return 200;
}

/* ---- the draft article ------------------------------------------------------------ */

/* Text for Markdown as it was written: the characters Markdown reads as
 * markup are escaped, so a title with * or [ stays a title. */
static void markdown_text(buf_t *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>#|~!", *s) != NULL)
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

static int report_draft_row(http_req *req, http_res *res, const admin_user *me, int64_t year,
			    db_t *db)
{
	static const char *const names[] = {"category_id", "confirm", NULL};
	const char *v[2] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	int rc = admin_reg_read_fields(req, names, 32, v, values, &f) ? 0 : REG_TOO_LONG;
	int64_t category_id = 0;
	category c;
	if (rc == 0 && v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "category_id");
	else if (rc == 0 && (!admin_reg_optional_id(v[0], &category_id) ||
			     category_get(db, req->arena, category_id, &c) != 0))
		rc = reg_refuse(&f, REG_NOT_FOUND, "category_id");
	if (rc > 0)
		return report_page(req, res, me, year, db, 400, admin_reg_problem(req, LABELS, &f),
				   values, false);
	int64_t draft = 0;
	int found = report_draft_find(db, (int)year, &draft);
	if (found < 0) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	/* A second draft of the same year only when asked for knowingly. */
	if (found == 0 && strcmp(v[1], "1") != 0)
		return report_page(req, res, me, year, db, 409, web_text(req, "report_draft_exists"),
				   values, true);
	json_decref(values);
	report_year r;
	rc = report_load(db, req->arena, (int)year, &r);
	const char *summary = rc == 0 ? report_prose_summary(req->arena, web_lang(req), &r, NULL)
				      : NULL;
	if (summary == NULL)
		return admin_error(req, res, me, rc > 0 ? 404 : 500, NULL);
	const app_t *app = req->app;
	char y[16];
	snprintf(y, sizeof y, "%lld", (long long)year);
	const char *pairs[] = {"museum", app->cfg.site_name, "year", y, NULL};
	const char *title = report_prose_fill(req->arena, web_lang(req), "report_draft_title", pairs);
	buf_t body = BUF_INIT;
	markdown_text(&body, summary);
	article_input in = {.title = title,
			    .body_md = body.data != NULL ? body.data : "",
			    .category_id = category_id,
			    .status = ARTICLE_DRAFT,
			    .author_id = me->id};
	int64_t id = 0;
	rc = title != NULL && !body.failed && article_validate(&in, NULL) == 0
		 ? report_draft_create(db, req->arena, (int)year, &in, me->id,
				       editorial_user_name(me), admin_now(), &id)
		 : -1;
	buf_free(&body);
	const char *to = admin_may(me->role, ARTICLE_WRITERS)
			     ? editorial_url(req, id, "?ok=tao")
			     : arena_sprintf(req->arena, PATH_LIST "/%lld?ok=bai-viet", (long long)year);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_ARTICLE_CREATE,
			       arena_sprintf(req->arena, "%lld %.150s", (long long)id,
					     title != NULL ? title : ""),
			       arena_sprintf(req->arena, "draft of the annual report %lld%s",
					     (long long)year, found == 0 ? " (another)" : ""),
			       to);
}

ADMIN_REG_ROW_PAGE(report_year_page, report_year_row)
ADMIN_REG_ROW_PAGE(report_xlsx_page, report_xlsx_row)
ADMIN_REG_ROW_PAGE(report_draft_submit, report_draft_row)

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LIST, NULL, REPORT_READERS}, report_list},
	{{HTTP_GET, PATH_YEAR, NULL, REPORT_READERS}, report_year_page},
	{{HTTP_GET, PATH_XLSX, NULL, REPORT_READERS}, report_xlsx_page},
	{{HTTP_POST, PATH_DRAFT, NULL, REPORT_READERS}, report_draft_submit},
};

const admin_page_table admin_report_table = {pages, sizeof pages / sizeof pages[0]};
