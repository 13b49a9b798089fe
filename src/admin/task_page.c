/*
 * task_page.c - key tasks ("Nhiệm vụ trọng tâm", /admin/nhiem-vu), issue
 * 14: the list (filters: overdue, status, unit, year), a new task, each
 * task's page (the edit form, its status, dated progress notes), the
 * year's action programme by quarter and month as a printable A4 page
 * (/admin/nhiem-vu/chuong-trinh/YEAR), "my tasks" (/admin/nhiem-vu/cua-toi)
 * and the block of the same on the back-office dashboard.
 *
 * Who may do what: admins and planners create and edit tasks; the person
 * in charge (any role, through the account linked to their staff record)
 * adds progress notes and changes the status of their own tasks; every
 * back-office account reads. Overdue tasks (deadline passed, not done or
 * cancelled; model/task.h) carry a badge everywhere. Refusals come back
 * as the form with the field named and what was typed kept; every change
 * goes to the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/plan.h"
#include "model/task.h"
#include "model/unit.h"

#define TASKS ADMIN_PATH_TASKS
#define TASK_NEW TASKS "/them"
#define TASK_ONE TASKS "/:id"
#define TASK_STATUS TASKS "/:id/trang-thai"
#define TASK_NOTE TASKS "/:id/tien-do"
#define TASK_MINE TASKS "/cua-toi"
#define TASK_PROGRAMME TASKS "/chuong-trinh/:id"
#define LABELS "admin_task_field_"

#define TASK_WRITERS ((unsigned)USER_PLANNER)

static const char *task_url(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, TASKS "/%lld", (long long)id);
}

static const char *id_text(http_req *req, int64_t id)
{
	return id > 0 ? arena_sprintf(req->arena, "%lld", (long long)id) : "";
}

int admin_my_tasks_block(http_req *req, db_t *db, json_t *ctx, const admin_user *me)
{
	int64_t person_id;
	int rc = person_of_user(db, me->id, &person_id);
	if (rc != 0)
		return rc < 0 ? -1 : 0;   /* no staff record: no block */
	task_filter flt = {.mine_user_id = me->id};
	json_t *block = json_object();
	if (admin_task_rows(req, db, block, &flt) != 0) {
		json_decref(block);
		return -1;
	}
	json_object_set_new(ctx, "my_tasks", block);
	return 0;
}

/* ---- the list and "my tasks" ------------------------------------------------------- */

static int list_page(http_req *req, http_res *res, const admin_user *me, bool mine)
{
	db_t *db = db_get();
	task_filter flt = {0};
	const char *status = http_query(req, "trang-thai"), *unit_arg = http_query(req, "don-vi");
	const char *year = http_query(req, "nam"), *late = http_query(req, "qua-han");
	int64_t y = 0;
	flt.overdue_only = late != NULL && strcmp(late, "1") == 0;
	for (size_t i = 0; status != NULL && task_statuses[i] != NULL; i++)
		if (strcmp(status, task_statuses[i]) == 0)
			flt.status = task_statuses[i];
	if ((unit_arg != NULL && !admin_reg_optional_id(unit_arg, &flt.unit_id)) ||
	    (year != NULL && (!admin_reg_optional_id(year, &y) ||
			      (y != 0 && (y < PLAN_YEAR_MIN || y > PLAN_YEAR_MAX)))))
		return admin_error(req, res, me, 400, NULL);
	flt.year = (int)y;
	if (mine)
		flt.mine_user_id = me->id;
	int64_t person_id = 0;
	int linked = db != NULL ? person_of_user(db, me->id, &person_id) : -1;
	json_t *ctx = linked >= 0 ? admin_context(req, me, mine ? "admin_task_mine_title"
								: "admin_task_title")
				  : NULL;
	json_t *units = ctx != NULL ? admin_unit_choices(req, db, 0, unit_arg) : NULL;
	if (units == NULL || admin_task_rows(req, db, ctx, &flt) != 0) {
		json_decref(units);
		json_decref(ctx);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "units", units);
	json_object_set_new(ctx, "statuses", admin_reg_choices(req, "admin_task_status_",
							       task_statuses, flt.status));
	json_object_set_new(ctx, "overdue_only", json_boolean(flt.overdue_only));
	json_object_set_new(ctx, "year", json_string(y > 0 ? id_text(req, y) : ""));
	json_object_set_new(ctx, "mine", json_boolean(mine));
	json_object_set_new(ctx, "action", json_string(mine ? TASK_MINE : TASKS));
	json_object_set_new(ctx, "not_linked", json_boolean(mine && linked > 0));
	char today[11];
	reg_today(today);
	json_object_set_new(ctx, "programme_url",
			    json_string(arena_sprintf(req->arena, TASKS "/chuong-trinh/%.4s",
						      y > 0 ? id_text(req, y) : today)));
	if (admin_may(me->role, TASK_WRITERS))
		json_object_set_new(ctx, "new_url", json_string(TASK_NEW));
	return admin_render(req, res, 200, "admin/task_list", ctx);
}

static int task_list_page(http_req *req, http_res *res, const admin_user *me)
{
	return list_page(req, res, me, false);
}

static int task_mine_page(http_req *req, http_res *res, const admin_user *me)
{
	return list_page(req, res, me, true);
}

/* ---- the form ------------------------------------------------------------------------ */

static const char *const form_fields[] = {"title", "description", "lead_unit_id", "person_id",
					  "starts_on", "due_on", "status", "indicator_id",
					  NULL};

/* [{value, label, selected}] of the staff, "Name (unit)". */
static json_t *person_choices(http_req *req, db_t *db, const char *selected)
{
	person *ps;
	size_t n;
	if (person_list(db, req->arena, 0, false, &ps, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *value = id_text(req, ps[i].id);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:b}", "value", value, "label",
				    arena_sprintf(req->arena, "%s (%s)", ps[i].name, ps[i].unit_name),
				    "selected", selected != NULL && strcmp(selected, value) == 0));
	}
	return list;
}

/* [{value, label, selected}] of every plan's indicators, "2021 · name". */
static json_t *indicator_choices(http_req *req, db_t *db, const char *selected)
{
	plan *ps;
	size_t np;
	if (plan_list(db, req->arena, &ps, &np) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < np; i++) {
		plan_indicator *xs;
		size_t n;
		if (plan_indicator_list(db, req->arena, ps[i].id, &xs, &n) != 0) {
			json_decref(list);
			return NULL;
		}
		for (size_t j = 0; j < n; j++) {
			const char *value = id_text(req, xs[j].id);
			json_array_append_new(
			    list, json_pack("{s:s, s:s, s:b}", "value", value, "label",
					    arena_sprintf(req->arena, "%lld · %s", (long long)ps[i].year,
							  xs[j].name),
					    "selected", selected != NULL && strcmp(selected, value) == 0));
		}
	}
	return list;
}

/* The supporting units as checkboxes: [{value, label, selected}]. */
static json_t *support_choices(http_req *req, db_t *db, json_t *values)
{
	json_t *list = admin_unit_choices(req, db, 0, NULL), *chosen = json_object_get(values, "support");
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item)
	{
		const char *v = json_string_value(json_object_get(item, "value"));
		size_t k;
		json_t *c;
		json_array_foreach(chosen, k, c)
			if (v != NULL && json_string_value(c) != NULL &&
			    strcmp(v, json_string_value(c)) == 0)
				json_object_set_new(item, "selected", json_true());
	}
	return list;
}

static int form_page(http_req *req, http_res *res, const admin_user *me, db_t *db, json_t *ctx,
		     int status, const char *action, const char *pattern, const char *message,
		     json_t *values)
{
	const char *(*get)(const json_t *) = json_string_value;
	json_t *units = admin_unit_choices(req, db, 0, get(json_object_get(values, "lead_unit_id")));
	json_t *people = person_choices(req, db, get(json_object_get(values, "person_id")));
	json_t *inds = indicator_choices(req, db, get(json_object_get(values, "indicator_id")));
	json_t *support = support_choices(req, db, values);
	if (units == NULL || people == NULL || inds == NULL || support == NULL) {
		json_decref(units);
		json_decref(people);
		json_decref(inds);
		json_decref(support);
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "units", units);
	json_object_set_new(ctx, "people", people);
	json_object_set_new(ctx, "indicators", inds);
	json_object_set_new(ctx, "support_units", support);
	json_object_set_new(ctx, "statuses",
			    admin_reg_choices(req, "admin_task_status_", task_statuses,
					      get(json_object_get(values, "status"))));
	json_object_set_new(ctx, "may_edit", json_boolean(admin_may(me->role, TASK_WRITERS)));
	return admin_reg_form_render(req, res, me, ctx, status, action, pattern, TASKS, message,
				     values, "admin/task_form");
}

static int new_page(http_req *req, http_res *res, const admin_user *me, int status,
		    const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_task_new_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	return form_page(req, res, me, db, ctx, status, TASK_NEW, NULL, message,
			 values != NULL ? values : json_object());
}

static int task_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return new_page(req, res, me, 200, NULL, NULL);
}

/* Reads the form into *t (days in day[2][11]) and values; 0 or a refusal. */
static int read_task(http_req *req, db_t *db, task *t, const char **v, char day[2][11], json_t *values,
		     model_problem *f)
{
	memset(t, 0, sizeof *t);
	if (!admin_reg_read_fields(req, form_fields, TASK_DESCRIPTION_MAX, v, values, f))
		return REG_TOO_LONG;
	/* Supporting units: a checkbox "support_ID" per unit of the tree. */
	unit *us;
	size_t nu;
	if (unit_list(db, req->arena, true, &us, &nu) != 0)
		return -1;
	json_t *support = json_array();
	json_object_set_new(values, "support", support);
	for (size_t i = 0; i < nu; i++) {
		const char *s = http_form(req, arena_sprintf(req->arena, "support_%lld",
							     (long long)us[i].id));
		if (s == NULL || strcmp(s, "1") != 0)
			continue;
		json_array_append_new(support, json_string(id_text(req, us[i].id)));
		if (t->nsupport >= TASK_SUPPORT_MAX)
			return model_answer(f, REG_OUT_OF_RANGE, "support", TASK_SUPPORT_MAX);
		t->support[t->nsupport++] = us[i].id;
	}
	t->title = v[0];
	t->description = v[1];
	t->status = v[6];
	if (!admin_reg_optional_id(v[2], &t->lead_unit_id))
		return reg_refuse(f, REG_NOT_FOUND, "lead_unit_id");
	if (!admin_reg_optional_id(v[3], &t->person_id))
		return reg_refuse(f, REG_NOT_FOUND, "person_id");
	if (!admin_reg_optional_id(v[7], &t->indicator_id))
		return reg_refuse(f, REG_NOT_FOUND, "indicator_id");
	day[0][0] = day[1][0] = '\0';
	if (v[4][0] != '\0' && !reg_date_parse(v[4], day[0]))
		return reg_refuse(f, REG_BAD_DATE, "starts_on");
	if (v[5][0] != '\0' && !reg_date_parse(v[5], day[1]))
		return reg_refuse(f, REG_BAD_DATE, "due_on");
	t->starts_on = day[0];
	t->due_on = day[1];
	return 0;
}

static const char *problem(http_req *req, const model_problem *f)
{
	if (f->code == REG_OUT_OF_RANGE && f->field != NULL && strcmp(f->field, "due_on") == 0) {
		if (f->limit > 0)
			return arena_sprintf(req->arena, "%s %lld",
					     admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE,
								  "admin_task_outside_year"),
					     (long long)f->limit);
		return admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE, "admin_task_before_start");
	}
	return admin_reg_problem_as(req, LABELS, f, REG_IN_FUTURE, "admin_task_note_future");
}

static int task_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	const char *v[8] = {0};
	char day[2][11];
	task t;
	model_problem f = {0};
	db_t *db = db_get();
	int64_t id = 0;
	int rc = db != NULL ? read_task(req, db, &t, v, day, values, &f) : -1;
	if (rc == 0)
		rc = task_add(db, &t, &id, &f);
	if (rc > 0)
		return new_page(req, res, me, 400, problem(req, &f), values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_TASK_CHANGE,
			       arena_sprintf(req->arena, "%lld %.150s", (long long)id, t.title),
			       arena_sprintf(req->arena, "add due %s lead %lld person %lld", t.due_on,
					     (long long)t.lead_unit_id, (long long)t.person_id),
			       arena_sprintf(req->arena, TASKS "/%lld?ok=them", (long long)id));
}

/* ---- one task ---------------------------------------------------------------------- */

/* values: what a refused form typed (consumed), form: which one
 * ("task", "status" or "note"). */
static int one_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		    int status, const char *message, const char *form, json_t *values)
{
	task t;
	task_note *ns = NULL;
	size_t n = 0;
	int rc = admin_get_status(task_get(db, req->arena, id, &t));
	if (rc == 0 && task_note_list(db, req->arena, id, &ns, &n) != 0)
		rc = 500;
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_task_one_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	json_t *stored = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", t.title,
				   "description", t.description, "lead_unit_id",
				   id_text(req, t.lead_unit_id), "person_id", id_text(req, t.person_id),
				   "starts_on", admin_reg_day(req, t.starts_on), "due_on",
				   admin_reg_day(req, t.due_on), "status", t.status, "indicator_id",
				   id_text(req, t.indicator_id));
	json_t *support = json_array();
	for (size_t i = 0; i < t.nsupport; i++)
		json_array_append_new(support, json_string(id_text(req, t.support[i])));
	json_object_set_new(stored, "support", support);
	bool task_form = form != NULL && strcmp(form, "task") == 0;
	json_t *notes = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(notes, json_pack("{s:s, s:s, s:s, s:s}", "on",
						       admin_reg_day(req, ns[i].noted_on), "who",
						       ns[i].who, "body", ns[i].body, "percent",
						       arena_sprintf(req->arena, "%lld%%",
								     (long long)ns[i].percent)));
	json_object_set_new(ctx, "task", admin_task_json(req, &t));
	json_object_set_new(ctx, "notes", notes);
	json_object_set_new(ctx, "description", json_string(t.description));
	json_object_set_new(ctx, "has_notes", json_boolean(n > 0));
	bool reporter = admin_may(me->role, TASK_WRITERS) || task_in_charge(&t, me->id);
	json_object_set_new(ctx, "may_report", json_boolean(reporter));
	json_object_set_new(ctx, "status_action", json_string(arena_sprintf(
						       req->arena, TASKS "/%lld/trang-thai", (long long)id)));
	json_object_set_new(ctx, "note_action", json_string(arena_sprintf(
						     req->arena, TASKS "/%lld/tien-do", (long long)id)));
	json_object_set_new(ctx, "status_csrf", json_string(admin_csrf_token(req, me, TASK_STATUS)));
	json_object_set_new(ctx, "note_csrf", json_string(admin_csrf_token(req, me, TASK_NOTE)));
	json_object_set_new(ctx, "report_statuses",
			    admin_reg_choices(req, "admin_task_status_", task_statuses, t.status));
	json_t *note_values = form != NULL && strcmp(form, "note") == 0 && values != NULL
				      ? json_incref(values)
				      : admin_reg_form_defaults(req, me, "noted_on", "who");
	json_object_set_new(ctx, "note_values", note_values);
	if (t.indicator_id > 0 && t.indicator_year > 0)
		json_object_set_new(ctx, "indicator_url",
				    json_string(arena_sprintf(req->arena, "/admin/ke-hoach/%lld#chi-tieu-%lld",
							      (long long)t.indicator_year,
							      (long long)t.indicator_id)));
	static const char *const notices[] = {"them", "admin_task_added", "luu", "admin_task_saved",
					      "trang-thai", "admin_task_status_saved", "tien-do",
					      "admin_task_note_added", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	if (!task_form)
		json_decref(values);
	return form_page(req, res, me, db, ctx, status, task_url(req, id), TASK_ONE, message,
			 task_form ? values : stored);
}

static int one_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return one_page(req, res, me, id, db, 200, NULL, NULL, NULL);
}

static int save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	json_t *values = json_object();
	const char *v[8] = {0};
	char day[2][11];
	task t;
	model_problem f = {0};
	int rc = read_task(req, db, &t, v, day, values, &f);
	t.id = id;
	if (rc == 0)
		rc = task_update(db, &t, &f);
	if (rc == REG_NOT_FOUND && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return one_page(req, res, me, id, db, 400, problem(req, &f), "task", values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_TASK_CHANGE,
			       arena_sprintf(req->arena, "%lld %.150s", (long long)id, t.title),
			       arena_sprintf(req->arena, "edit due %s status %s", t.due_on,
					     t.status != NULL ? t.status : ""),
			       arena_sprintf(req->arena, TASKS "/%lld?ok=luu", (long long)id));
}

/* The person in charge (or a planner, an admin) reports on task id: 0 with
 * *t, or the status to answer (403, 404, 500). */
static int reporter_of(http_req *req, const admin_user *me, db_t *db, int64_t id, task *t)
{
	int rc = admin_get_status(task_get(db, req->arena, id, t));
	if (rc != 0)
		return rc;
	return admin_may(me->role, TASK_WRITERS) || task_in_charge(t, me->id) ? 0 : 403;
}

static int status_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	task t;
	int deny = reporter_of(req, me, db, id, &t);
	if (deny != 0)
		return admin_error(req, res, me, deny, NULL);
	const char *status = admin_field(req, "status", 40);
	model_problem f = {0};
	int rc = task_set_status(db, id, status != NULL ? status : "", &f);
	if (rc > 0)
		return one_page(req, res, me, id, db, 400, problem(req, &f), "status", NULL);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_TASK_CHANGE,
			       arena_sprintf(req->arena, "%lld %.150s", (long long)id, t.title),
			       arena_sprintf(req->arena, "status %s -> %s", t.status, status),
			       arena_sprintf(req->arena, TASKS "/%lld?ok=trang-thai", (long long)id));
}

static int note_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	task t;
	int deny = reporter_of(req, me, db, id, &t);
	if (deny != 0)
		return admin_error(req, res, me, deny, NULL);
	static const char *const names[] = {"noted_on", "body", "percent", NULL};
	const char *v[3] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	char day[11] = "";
	task_note n = {.task_id = id};
	int rc = admin_reg_read_fields(req, names, TASK_NOTE_MAX, v, values, &f) ? 0 : REG_TOO_LONG;
	if (rc == 0 && v[0][0] != '\0' && !reg_date_parse(v[0], day))
		rc = reg_refuse(&f, REG_BAD_DATE, "noted_on");
	if (rc == 0 && v[2][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "percent");
	else if (rc == 0 && !admin_reg_optional_id(v[2], &n.percent))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "percent");
	n.noted_on = day;
	n.body = v[1];
	int64_t nid = 0;
	if (rc == 0)
		rc = task_note_add(db, &n, me->id, admin_reg_who(me), &nid, &f);
	if (rc > 0)
		return one_page(req, res, me, id, db, 400, problem(req, &f), "note", values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_TASK_CHANGE,
			       arena_sprintf(req->arena, "%lld %.150s", (long long)id, t.title),
			       arena_sprintf(req->arena, "progress note %lld day %s %lld%%",
					     (long long)nid, day, (long long)n.percent),
			       arena_sprintf(req->arena, TASKS "/%lld?ok=tien-do", (long long)id));
}

/* ---- the action programme ------------------------------------------------------------ */

static int programme_row(http_req *req, http_res *res, const admin_user *me, int64_t year,
			 db_t *db)
{
	if (year < PLAN_YEAR_MIN || year > PLAN_YEAR_MAX)
		return admin_error(req, res, me, 404, NULL);
	json_t *ctx = admin_print_context(req, me, "admin_task_programme_title", TASKS, true);
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *quarters = json_array();
	static const char *const roman[] = {"I", "II", "III", "IV"};
	int64_t total = 0;
	for (int q = 0; q < 4; q++) {
		json_t *months = json_array();
		for (int m = q * 3 + 1; m <= q * 3 + 3; m++) {
			task_filter flt = {.year = (int)year, .period = PLAN_MONTH(m)};
			json_t *month = json_pack("{s:i}", "month", m);
			if (admin_task_rows(req, db, month, &flt) != 0) {
				json_decref(month);
				json_decref(months);
				json_decref(quarters);
				json_decref(ctx);
				return admin_error(req, res, me, 500, NULL);
			}
			total += (int64_t)json_array_size(json_object_get(month, "tasks"));
			json_array_append_new(months, month);
		}
		json_array_append_new(quarters, json_pack("{s:s, s:o}", "quarter", roman[q], "months",
							  months));
	}
	json_object_set_new(ctx, "year", json_integer(year));
	json_object_set_new(ctx, "quarters", quarters);
	json_object_set_new(ctx, "total", json_string(admin_reg_count(req, total)));
	json_object_set_new(ctx, "empty", json_boolean(total == 0));
	admin_print_sign(req, ctx, "admin_task_sign_maker", "");
	admin_print_sign(req, ctx, "admin_task_sign_director", "");
	return admin_render(req, res, 200, "admin/task_programme", ctx);
}

ADMIN_REG_ROW_PAGE(task_one, one_row)
ADMIN_REG_ROW_PAGE(task_save, save_row)
ADMIN_REG_ROW_PAGE(task_status_submit, status_row)
ADMIN_REG_ROW_PAGE(task_note_submit, note_row)
ADMIN_REG_ROW_PAGE(task_programme, programme_row)

static const admin_page pages[] = {
	{{HTTP_GET, TASKS, NULL, ADMIN_ANY_ROLE}, task_list_page},
	{{HTTP_GET, TASK_MINE, NULL, ADMIN_ANY_ROLE}, task_mine_page},
	{{HTTP_GET, TASK_NEW, NULL, TASK_WRITERS}, task_new_form},
	{{HTTP_POST, TASK_NEW, NULL, TASK_WRITERS}, task_add_submit},
	{{HTTP_GET, TASK_ONE, NULL, ADMIN_ANY_ROLE}, task_one},
	{{HTTP_POST, TASK_ONE, NULL, TASK_WRITERS}, task_save},
	/* The person in charge may be of any role: the handler decides. */
	{{HTTP_POST, TASK_STATUS, NULL, ADMIN_ANY_ROLE}, task_status_submit},
	{{HTTP_POST, TASK_NOTE, NULL, ADMIN_ANY_ROLE}, task_note_submit},
	{{HTTP_GET, TASK_PROGRAMME, NULL, ADMIN_ANY_ROLE}, task_programme},
};

const admin_page_table admin_task_table = {pages, sizeof pages / sizeof pages[0]};
