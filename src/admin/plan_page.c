/*
 * plan_page.c - the year's plans ("Kế hoạch") at /admin/ke-hoach: the list
 * of plans with a form for a new year, and one year's dashboard at
 * /admin/ke-hoach/YEAR: a bar per indicator (percent of plan, SVG drawn by
 * render/chart.c), every indicator with its target, actual (read live from
 * the records or summed from check-ins, model/plan.h), percent and "vượt
 * kế hoạch", the year by quarter (and by month where the plan splits it)
 * against each slice, what is behind plan marked; the forms to add an
 * indicator and to check in a result.
 *
 * Roles: planners (and admins) write plans and indicators; planners and
 * curators check in; the Scientific Council reads; editors and authors
 * never reach it. A refusal comes back as the page with the field named and
 * what was typed kept; every change goes to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "core/buf.h"
#include "model/plan.h"
#include "render/chart.h"

#define PATH_LIST "/admin/ke-hoach"
#define PATH_YEAR PATH_LIST "/:id"
#define PATH_INDICATOR PATH_LIST "/:id/chi-tieu"
#define PATH_CHECKIN PATH_LIST "/:id/ket-qua"
#define LABELS "admin_plan_field_"

#define PLAN_WRITERS ((unsigned)USER_PLANNER)
#define PLAN_CHECKERS ((unsigned)(USER_PLANNER | USER_CURATOR))
#define PLAN_READERS ((unsigned)(USER_PLANNER | USER_CURATOR | USER_COUNCIL))

/* A whole number typed in a form, dots or spaces between thousands
 * allowed ("1.500"): false when it is not one (or over 10 digits). */
static bool whole(const char *s, int64_t *out)
{
	*out = 0;
	int digits = 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '.' || *p == ' ')
			continue;
		if (*p < '0' || *p > '9' || ++digits > 10)
			return false;
		*out = *out * 10 + (*p - '0');
	}
	return digits > 0;
}

static const char *problem(http_req *req, const model_problem *f)
{
	static const struct {
		int code;
		const char *field, *key;
	} special[] = {
		{REG_OUT_OF_RANGE, "quarters", "admin_plan_split_sum"},
		{REG_OUT_OF_RANGE, "months", "admin_plan_split_sum"},
		{REG_OUT_OF_RANGE, "done_on", "admin_plan_outside_year"},
		{REG_OUT_OF_RANGE, "target", "admin_plan_target_range"},
		{REG_OUT_OF_RANGE, "year", "admin_plan_year_range"},
		{REG_WRONG_STATE, "value", "admin_plan_computed"},
		{REG_WRONG_STATE, "source", "admin_plan_has_checkins"},
		{REG_DUPLICATE, "year", "admin_plan_year_taken"},
	};
	for (size_t i = 0; f->field != NULL && i < sizeof special / sizeof special[0]; i++)
		if (f->code == special[i].code && strcmp(f->field, special[i].field) == 0) {
			const char *s = admin_reg_problem_as(req, LABELS, f, f->code, special[i].key);
			/* The split's message says the sum found and the target. */
			if (f->code == REG_OUT_OF_RANGE && f->limit > 0 && f->item == 0 &&
			    (strcmp(f->field, "quarters") == 0 || strcmp(f->field, "months") == 0))
				s = arena_sprintf(req->arena, "%s (%s ≠ %s)", s,
						  admin_reg_count(req, f->count),
						  admin_reg_count(req, f->limit));
			return s;
		}
	return admin_reg_problem(req, LABELS, f);
}

/* ---- the list of plans ------------------------------------------------------ */

static int list_page(http_req *req, http_res *res, const admin_user *me, int status,
		     const char *message, json_t *values)
{
	db_t *db = db_get();
	plan *rows;
	size_t n;
	json_t *ctx = NULL;
	if (db == NULL || plan_list(db, req->arena, &rows, &n) != 0 ||
	    (ctx = admin_context(req, me, "admin_plan_title")) == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		if (rows[i].unit_id == 0)
			json_array_append_new(
			    list, json_pack("{s:s, s:I, s:s, s:s}", "url",
					    arena_sprintf(req->arena, PATH_LIST "/%lld",
							  (long long)rows[i].year),
					    "year", (json_int_t)rows[i].year, "title", rows[i].title,
					    "indicators", admin_reg_count(req, rows[i].indicators)));
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(json_array_size(list) == 0));
	json_object_set_new(ctx, "may_plan", json_boolean(admin_may(me->role, PLAN_WRITERS)));
	return admin_reg_form_render(req, res, me, ctx, status, PATH_LIST, NULL, PATH_LIST, message,
				     values, "admin/plan_list");
}

static int plan_list_page(http_req *req, http_res *res, const admin_user *me)
{
	return list_page(req, res, me, 200, NULL, NULL);
}

static int plan_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const names[] = {"year", "title", "note", NULL};
	const char *v[3] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	db_t *db = db_get();
	plan p = {0};
	int64_t id = 0;
	int rc = admin_reg_read_fields(req, names, PLAN_NOTE_MAX, v, values, &f) ? 0 : REG_TOO_LONG;
	if (rc == 0 && v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "year");
	else if (rc == 0 && !whole(v[0], &p.year))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "year");
	p.title = v[1];
	p.note = v[2];
	if (rc == 0)
		rc = db != NULL ? plan_add(db, &p, &id, &f) : -1;
	if (rc > 0)
		return list_page(req, res, me, 400, problem(req, &f), values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_PLAN_CHANGE,
			       arena_sprintf(req->arena, "%lld", (long long)p.year), "add plan",
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=them", (long long)p.year));
}

/* ---- one year ---------------------------------------------------------------- */

/* How far through period p of year today is, in thousandths: 0 before it
 * starts, 1000 once it has ended. */
static int64_t elapsed(int year, int p)
{
	char first[11], last[11], today[11];
	if (!plan_period_days(year, p, first, last))
		return 0;
	reg_today(today);
	if (strcmp(today, first) < 0)
		return 0;
	if (strcmp(today, last) > 0)
		return 1000;
	/* Inside the period: by month, enough for "behind" on a dashboard. */
	int m_first = atoi(first + 5), m_last = atoi(last + 5), m_now = atoi(today + 5);
	return (int64_t)(m_now - m_first) * 1000 / (m_last - m_first + 1);
}

/* One cell of the timeline: actual against the slice's target. */
static json_t *slice_cell(http_req *req, db_t *db, const plan_indicator *x, int year, int p)
{
	int64_t target, actual;
	if (plan_indicator_target(x, p, &target) != 0)
		return json_pack("{s:b}", "none", 1);
	int rc = plan_indicator_actual(db, x->id, p, &actual);
	if (rc < 0)
		return NULL;
	if (rc != 0)
		return json_pack("{s:s, s:b}", "target", admin_reg_count(req, target), "no_actual", 1);
	char pct[16];
	plan_percent_format(pct, sizeof pct, actual, target);
	bool behind = actual < target && elapsed(year, p) == 1000;
	return json_pack("{s:s, s:s, s:s, s:b, s:b}", "target", admin_reg_count(req, target),
			 "actual", admin_reg_count(req, actual), "percent", pct, "behind", behind,
			 "over", plan_percent_over(actual, target));
}

/* [{label, cells}] of the quarters or months of x (NULL when x has no
 * such split and skip_unsplit). */
static json_t *timeline(http_req *req, db_t *db, const plan_indicator *x, int year, int from,
			int to)
{
	json_t *cells = json_array();
	for (int p = from; cells != NULL && p <= to; p++) {
		json_t *c = slice_cell(req, db, x, year, p);
		if (c == NULL) {
			json_decref(cells);
			return NULL;
		}
		json_array_append_new(cells, c);
	}
	return cells;
}

/* [{on, value, note, who, media}] of an indicator's check-ins; NULL on a
 * storage error. */
static json_t *checkins_json(http_req *req, db_t *db, int64_t indicator_id)
{
	plan_checkin *c = NULL;
	size_t n = 0;
	if (plan_checkin_list(db, req->arena, indicator_id, &c, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++) {
		const char *evidence = c[i].media_id <= 0 ? ""
				    : arena_sprintf(req->arena, "%lld %s", (long long)c[i].media_id,
						    c[i].media_name);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "on", admin_reg_day(req, c[i].done_on),
				      "value", admin_reg_count(req, c[i].value), "note", c[i].note,
				      "who", c[i].who, "media", evidence);
		json_array_append_new(list, o);
	}
	return list;
}

/* The indicators of the plan with their figures, and the chart's points. */
static json_t *indicators_json(http_req *req, db_t *db, int year, const plan_indicator *xs,
			       size_t n, chart_point *pts)
{
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++) {
		const plan_indicator *x = &xs[i];
		int64_t actual;
		if (plan_indicator_actual(db, x->id, PLAN_YEAR, &actual) != 0) {
			json_decref(list);
			return NULL;
		}
		int64_t pct = plan_percent(actual, x->target);
		char pct_text[16];
		plan_percent_format(pct_text, sizeof pct_text, actual, x->target);
		bool over = plan_percent_over(actual, x->target);
		/* Behind: below the share of the target the time gone asks for. */
		bool behind = actual * 1000 < x->target * elapsed(year, PLAN_YEAR);
		pts[i] = (chart_point){.label = x->name, .axis_label = arena_sprintf(req->arena, "%zu", i + 1),
				       .value = pct};
		bool checkin = strcmp(x->source, PLAN_SOURCE_CHECKIN) == 0;
		json_t *o = json_pack(
		    "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o}", "id",
		    (json_int_t)x->id, "n", (json_int_t)(i + 1), "name", x->name, "measure",
		    x->measure, "target", admin_reg_count(req, x->target), "actual",
		    admin_reg_count(req, actual), "percent", pct_text, "source",
		    admin_reg_word(req, "admin_plan_source_", x->source), "over", over, "behind",
		    behind, "checkin", checkin, "quarters",
		    x->has_quarters ? timeline(req, db, x, year, PLAN_Q1, PLAN_Q4) : json_null(),
		    "months",
		    x->has_months ? timeline(req, db, x, year, PLAN_M1, PLAN_PERIOD_LAST) : json_null());
		if (o != NULL) {
			json_object_set_new(o, "has_quarters", json_boolean(x->has_quarters));
			json_object_set_new(o, "has_months", json_boolean(x->has_months));
		}
		if (o != NULL && checkin)
			json_object_set_new(o, "checkins", checkins_json(req, db, x->id));
		if (o == NULL) {
			json_decref(list);
			return NULL;
		}
		json_array_append_new(list, o);
	}
	return list;
}

/* The year's page; values (consumed) hold what a refused form had typed,
 * form says which ("indicator" or "checkin"). */
static int year_page(http_req *req, http_res *res, const admin_user *me, int64_t year, db_t *db,
		     int status, const char *message, const char *form, json_t *values)
{
	int64_t plan_id;
	int rc = plan_find(db, (int)year, &plan_id);
	plan p;
	plan_indicator *xs = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = plan_get(db, req->arena, plan_id, &p);
	if (rc == 0)
		rc = plan_indicator_list(db, req->arena, plan_id, &xs, &n);
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_plan_year_title") : NULL;
	chart_point *pts = rc == 0 ? arena_alloc(req->arena, (n + 1) * sizeof *pts) : NULL;
	json_t *inds = ctx != NULL && pts != NULL ? indicators_json(req, db, (int)year, xs, n, pts)
						   : NULL;
	if (inds == NULL) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, rc > 0 ? 404 : 500, NULL);
	}
	json_object_set_new(ctx, "indicators", inds);
	json_object_set_new(ctx, "year", json_integer(year));
	json_object_set_new(ctx, "plan_title", json_string(p.title));
	json_object_set_new(ctx, "plan_note", json_string(p.note));
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	buf_t svg = BUF_INIT;
	chart_opts o = {.kind = CHART_BAR, .title = web_text(req, "admin_plan_chart"), .unit = "%",
			.lang = web_lang(req), .css_class = "plan-chart"};
	if (n > 0 && chart_svg(&svg, pts, n, &o) == 0)
		json_object_set_new(ctx, "chart", json_string(svg.data));
	buf_free(&svg);
	json_t *months = json_array(), *sources = admin_reg_choices(req, "admin_plan_source_",
								  plan_sources, NULL);
	for (int m = 1; m <= 12; m++)
		json_array_append_new(months, json_pack("{s:i}", "m", m));
	json_object_set_new(ctx, "month_numbers", months);
	json_object_set_new(ctx, "sources", sources);
	bool may_plan = admin_may(me->role, PLAN_WRITERS);
	bool may_check = admin_may(me->role, PLAN_CHECKERS);
	json_object_set_new(ctx, "may_plan", json_boolean(may_plan));
	json_object_set_new(ctx, "may_check", json_boolean(may_check));
	/* The year's annual report (report_page.c) is the planners'. */
	json_object_set_new(ctx, "may_report", json_boolean(admin_may(me->role, USER_PLANNER)));
	const char *base = arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)year);
	json_object_set_new(ctx, "indicator_action", json_string(arena_sprintf(req->arena, "%s/chi-tieu", base)));
	json_object_set_new(ctx, "checkin_action", json_string(arena_sprintf(req->arena, "%s/ket-qua", base)));
	json_object_set_new(ctx, "indicator_csrf", json_string(admin_csrf_token(req, me, PATH_INDICATOR)));
	json_object_set_new(ctx, "checkin_csrf", json_string(admin_csrf_token(req, me, PATH_CHECKIN)));
	json_object_set_new(ctx, form != NULL && strcmp(form, "checkin") == 0 ? "checkin_values"
									      : "indicator_values",
			    values != NULL ? values : json_object());
	const char *const notices[] = {"them", "admin_plan_added", "chi-tieu", "admin_plan_indicator_added",
				       "ket-qua", "admin_plan_checkin_added", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	json_object_set_new(ctx, "back_url", json_string(PATH_LIST));
	return admin_render(req, res, status, "admin/plan_year", ctx);
}

static int year_row(http_req *req, http_res *res, const admin_user *me, int64_t year, db_t *db)
{
	return year_page(req, res, me, year, db, 200, NULL, NULL, NULL);
}

/* What a form of the year's page answers: the page again with the
 * refusal (rc > 0), else the audit line and 303 to the page with notice ok. */
static int answer(http_req *req, http_res *res, const admin_user *me, int64_t year, db_t *db,
		  int rc, const model_problem *f, const char *form, json_t *values, const char *name,
		  const char *details, const char *ok)
{
	if (rc > 0)
		return year_page(req, res, me, year, db, 400, problem(req, f), form, values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_PLAN_CHANGE,
			       arena_sprintf(req->arena, "%lld %.150s", (long long)year,
					     rc == 0 ? name : ""),
			       details,
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=%s", (long long)year, ok));
}

static const char *const indicator_fields[] = {
	"name", "measure", "target", "source", "note", "q1", "q2", "q3", "q4", "m1", "m2", "m3",
	"m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", NULL};

/* Reads one split (quarters or months) from v: has when any slice is
 * typed; a slice left empty then counts as 0. */
static int read_split(const char **v, size_t n, const char *field, bool *has, int64_t *out,
		      model_problem *f)
{
	*has = false;
	for (size_t i = 0; i < n; i++)
		if (v[i][0] != '\0')
			*has = true;
	for (size_t i = 0; *has && i < n; i++)
		if (v[i][0] != '\0' && !whole(v[i], &out[i])) {
			reg_refuse(f, REG_BAD_NUMBER, field);
			f->item = (int)i + 1;
			return REG_BAD_NUMBER;
		}
	return 0;
}

static int indicator_row(http_req *req, http_res *res, const admin_user *me, int64_t year,
			 db_t *db)
{
	int64_t plan_id;
	int found = plan_find(db, (int)year, &plan_id);
	if (found != 0)
		return admin_error(req, res, me, found > 0 ? 404 : 500, NULL);
	const char *v[21] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	plan_indicator x = {.plan_id = plan_id};
	int rc = admin_reg_read_fields(req, indicator_fields, PLAN_NAME_MAX, v, values, &f)
			 ? 0
			 : REG_TOO_LONG;
	x.name = v[0];
	x.measure = v[1];
	x.source = v[3];
	x.note = v[4];
	x.position = 1000;
	if (rc == 0 && v[2][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "target");
	else if (rc == 0 && !whole(v[2], &x.target))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "target");
	if (rc == 0)
		rc = read_split(v + 5, 4, "quarters", &x.has_quarters, x.quarters, &f);
	if (rc == 0)
		rc = read_split(v + 9, 12, "months", &x.has_months, x.months, &f);
	int64_t id = 0;
	if (rc == 0)
		rc = plan_indicator_add(db, &x, &id, &f);
	return answer(req, res, me, year, db, rc, &f, "indicator", values, x.name,
		      arena_sprintf(req->arena, "add indicator %lld target %lld source %s",
				    (long long)id, (long long)x.target, x.source),
		      "chi-tieu");
}

static int checkin_row(http_req *req, http_res *res, const admin_user *me, int64_t year,
		       db_t *db)
{
	static const char *const names[] = {"indicator_id", "done_on", "value", "note", "media_id",
					    NULL};
	const char *v[5] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	plan_checkin c = {0};
	char day[11] = "";
	int rc = admin_reg_read_fields(req, names, PLAN_CHECKIN_NOTE_MAX, v, values, &f)
			 ? 0
			 : REG_TOO_LONG;
	/* The indicator must be one of this year's plan. */
	int64_t plan_id = 0;
	if (rc == 0 && (!admin_reg_optional_id(v[0], &c.indicator_id) || c.indicator_id == 0 ||
			plan_find(db, (int)year, &plan_id) != 0))
		rc = reg_refuse(&f, REG_NOT_FOUND, "indicator_id");
	plan_indicator x = {0};
	if (rc == 0 && (plan_indicator_get(db, req->arena, c.indicator_id, &x) != 0 ||
			x.plan_id != plan_id))
		rc = reg_refuse(&f, REG_NOT_FOUND, "indicator_id");
	if (rc == 0 && v[1][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "done_on");
	else if (rc == 0 && !reg_date_parse(v[1], day))
		rc = reg_refuse(&f, REG_BAD_DATE, "done_on");
	if (rc == 0 && v[2][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "value");
	else if (rc == 0 && !whole(v[2], &c.value))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "value");
	if (rc == 0 && !admin_reg_optional_id(v[4], &c.media_id))
		rc = reg_refuse(&f, REG_NOT_FOUND, "media_id");
	c.done_on = day;
	c.note = v[3];
	int64_t id = 0;
	if (rc == 0)
		rc = plan_checkin_add(db, &c, me->id, &id, &f);
	return answer(req, res, me, year, db, rc, &f, "checkin", values, x.name,
		      arena_sprintf(req->arena, "check-in %lld indicator %lld day %s value %lld",
				    (long long)id, (long long)c.indicator_id, day, (long long)c.value),
		      "ket-qua");
}

ADMIN_REG_ROW_PAGE(plan_year, year_row)
ADMIN_REG_ROW_PAGE(plan_indicator_submit, indicator_row)
ADMIN_REG_ROW_PAGE(plan_checkin_submit, checkin_row)

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LIST, NULL, PLAN_READERS}, plan_list_page},
	{{HTTP_POST, PATH_LIST, NULL, PLAN_WRITERS}, plan_add_submit},
	{{HTTP_GET, PATH_YEAR, NULL, PLAN_READERS}, plan_year},
	{{HTTP_POST, PATH_INDICATOR, NULL, PLAN_WRITERS}, plan_indicator_submit},
	{{HTTP_POST, PATH_CHECKIN, NULL, PLAN_CHECKERS}, plan_checkin_submit},
};

const admin_page_table admin_plan_table = {pages, sizeof pages / sizeof pages[0]};
