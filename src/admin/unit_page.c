/*
 * unit_page.c - the museum's units ("Đơn vị", /admin/don-vi) and staff
 * ("Nhân sự", /admin/nhan-su), issue 14: the tree of units (the museum,
 * its departments and teams) with a form for a new one and each unit's
 * page (edit, close, delete while nothing points at it, its staff, its key
 * tasks and its award history); the staff list filtered by unit, a form
 * for a new person and each person's page (edit, the account link, their
 * key tasks and award history).
 *
 * Planners and admins write; curators and the council read (the register
 * and plans point at these); editors, authors and moderators never reach
 * it. Refusals come back as the form with the field named and what was
 * typed kept; every change goes to the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/task.h"
#include "model/unit.h"
#include "model/user.h"

#define UNITS ADMIN_PATH_UNITS
#define UNIT_NEW UNITS "/them"
#define UNIT_ONE UNITS "/:id"
#define UNIT_REMOVE UNITS "/:id/xoa"
#define STAFF ADMIN_PATH_STAFF
#define PERSON_NEW STAFF "/them"
#define PERSON_ONE STAFF "/:id"
#define UNIT_LABELS "admin_unit_field_"
#define PERSON_LABELS "admin_person_field_"

#define ORG_WRITERS ((unsigned)USER_PLANNER)
#define ORG_READERS ((unsigned)(USER_PLANNER | USER_CURATOR | USER_COUNCIL))

/* "ID name", the audit log's target. */
static const char *target(http_req *req, int64_t id, const char *name)
{
	return arena_sprintf(req->arena, "%lld %.150s", (long long)id, name);
}

/* A unit or a person as a form reads it. */
typedef union {
	unit u;
	person p;
} org_record;

/* What differs between the unit form and the person form. */
typedef struct {
	/* Reads the form into *r and values: 0 or a refusal in *f. */
	int (*read)(http_req *req, org_record *r, json_t *values, model_problem *f);
	/* Adds (id 0, *saved the new id) or replaces record id. */
	int (*save)(db_t *db, org_record *r, int64_t id, int64_t *saved, model_problem *f);
	/* The form again (the new one for id 0) with a refusal. */
	int (*again)(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		     int status, const char *message, json_t *values);
	const char *(*problem)(http_req *req, const model_problem *f);
	/* The audit line's details. */
	const char *(*details)(http_req *req, const org_record *r, bool added);
	const char *audit_action;
	const char *base;
	bool is_unit;   /* the record is r.u, else r.p */
} org_form;

/* A submitted form, new (id 0) or of record id: the form again with the
 * field named, or the audit line and 303 to the record. */
static int org_submit(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		      const org_form *k)
{
	json_t *values = json_object();
	org_record r;
	model_problem f = {0};
	int64_t saved = id;
	int rc = db != NULL ? k->read(req, &r, values, &f) : -1;
	if (rc == 0)
		rc = k->save(db, &r, id, &saved, &f);
	if (rc == REG_NOT_FOUND && id > 0 && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return k->again(req, res, me, id, db, 400, k->problem(req, &f), values);
	json_decref(values);
	const char *name = k->is_unit ? r.u.name : r.p.name;
	return admin_reg_saved(req, res, me, db, rc, k->audit_action, target(req, saved, name),
			       k->details(req, &r, id == 0),
			       arena_sprintf(req->arena, "%s/%lld?ok=%s", k->base, (long long)saved,
					     id == 0 ? "them" : "luu"));
}

static const char *notice_of(http_req *req)
{
	static const char *const notices[] = {"them", "admin_org_added", "luu", "admin_org_saved",
					      "xoa", "admin_unit_removed", NULL};
	const char *key = admin_notice(req, notices);
	return key != NULL ? web_text(req, key) : NULL;
}

/* Sets ctx's notice, the tasks (filter flt) and the award history of a
 * unit or a person. 0 or -1. */
static int one_extras(http_req *req, db_t *db, json_t *ctx, const task_filter *flt,
		      int64_t unit_id, int64_t person_id)
{
	const char *notice = notice_of(req);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(notice));
	return admin_task_rows(req, db, ctx, flt) == 0 &&
			       admin_award_history(req, db, ctx, unit_id, person_id) == 0
		       ? 0
		       : -1;
}

/* ---- units ------------------------------------------------------------------------ */

static const char *const unit_fields[] = {"name", "short_name", "parent_id", "position", "active",
					  NULL};

static int unit_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	unit *us;
	size_t n;
	json_t *ctx = NULL;
	if (db == NULL || unit_list(db, req->arena, true, &us, &n) != 0 ||
	    (ctx = admin_context(req, me, "admin_unit_title")) == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:s}", "url",
				    arena_sprintf(req->arena, UNITS "/%lld", (long long)us[i].id),
				    "name", us[i].name, "short_name", us[i].short_name, "kind",
				    admin_reg_word(req, "admin_unit_kind_", us[i].kind), "depth",
				    (json_int_t)us[i].depth, "closed", !us[i].active, "people",
				    admin_reg_count(req, us[i].people)));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (admin_may(me->role, ORG_WRITERS))
		json_object_set_new(ctx, "new_url", json_string(UNIT_NEW));
	return admin_render(req, res, 200, "admin/unit_list", ctx);
}

/* The unit form: the parents to choose from (every unit but this one). */
static int unit_form(http_req *req, http_res *res, const admin_user *me, db_t *db, json_t *ctx,
		     int status, const char *action, const char *pattern, const char *message,
		     json_t *values, int64_t self)
{
	json_t *parents = admin_unit_choices(req, db, self,
					     json_string_value(json_object_get(values, "parent_id")));
	if (parents == NULL) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "parents", parents);
	json_object_set_new(ctx, "may_edit", json_boolean(admin_may(me->role, ORG_WRITERS)));
	return admin_reg_form_render(req, res, me, ctx, status, action, pattern, UNITS, message,
				     values, "admin/unit_form");
}

static int unit_new_page(http_req *req, http_res *res, const admin_user *me, int status,
			 const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_unit_new_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	if (values == NULL)
		values = json_pack("{s:s, s:s}", "active", "1", "position", "0");
	return unit_form(req, res, me, db, ctx, status, UNIT_NEW, NULL, message, values, 0);
}

static int unit_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return unit_new_page(req, res, me, 200, NULL, NULL);
}

/* Reads the unit form into *u and values; 0 or a refusal in *f. */
static int read_unit(http_req *req, org_record *r, json_t *values, model_problem *f)
{
	const char *v[5] = {0};
	unit *u = &r->u;
	if (!admin_reg_read_fields(req, unit_fields, UNIT_NAME_MAX, v, values, f))
		return REG_TOO_LONG;
	*u = (unit){.name = v[0], .short_name = v[1], .active = strcmp(v[4], "1") == 0};
	if (!admin_reg_optional_id(v[2], &u->parent_id))
		return reg_refuse(f, REG_NOT_FOUND, "parent_id");
	/* The order may be 0, which is no id. */
	if (strcmp(v[3], "0") != 0 && !admin_reg_optional_id(v[3], &u->position))
		return reg_refuse(f, REG_BAD_NUMBER, "position");
	return 0;
}

static const char *unit_problem(http_req *req, const model_problem *f)
{
	if (f->code == REG_WRONG_STATE && strcmp(f->field, "id") == 0)
		return admin_reg_problem_as(req, UNIT_LABELS, f, REG_WRONG_STATE, "admin_unit_in_use");
	if (f->code == REG_REQUIRED && strcmp(f->field, "parent_id") == 0)
		return admin_reg_problem_as(req, UNIT_LABELS, f, REG_REQUIRED, "admin_unit_one_museum");
	return admin_reg_problem_as(req, UNIT_LABELS, f, REG_WRONG_STATE, "admin_unit_loop");
}

static int unit_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		     int status, const char *message, json_t *values)
{
	unit u;
	person *ps = NULL;
	size_t n = 0;
	int rc = admin_get_status(unit_get(db, req->arena, id, &u));
	if (rc == 0 && person_list(db, req->arena, id, false, &ps, &n) != 0)
		rc = 500;
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_unit_one_title") : NULL;
	task_filter flt = {.unit_id = id};
	if (ctx != NULL && one_extras(req, db, ctx, &flt, id, 0) != 0) {
		json_decref(ctx);
		ctx = NULL;
		rc = 500;
	}
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	if (values == NULL)
		values = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", u.name, "short_name",
				   u.short_name, "parent_id",
				   u.parent_id > 0 ? arena_sprintf(req->arena, "%lld",
								   (long long)u.parent_id)
						   : "",
				   "position", arena_sprintf(req->arena, "%lld", (long long)u.position),
				   "active", u.active ? "1" : "");
	json_t *people = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    people, json_pack("{s:s, s:s, s:s, s:s}", "url",
				      arena_sprintf(req->arena, STAFF "/%lld", (long long)ps[i].id),
				      "name", ps[i].name, "title", ps[i].title, "position",
				      ps[i].position));
	json_object_set_new(ctx, "people", people);
	json_object_set_new(ctx, "has_people", json_boolean(n > 0));
	json_object_set_new(ctx, "stored_name", json_string(u.name));
	json_object_set_new(ctx, "kind", json_string(admin_reg_word(req, "admin_unit_kind_", u.kind)));
	json_object_set_new(ctx, "closed", json_boolean(!u.active));
	json_object_set_new(ctx, "staff_url", json_string(arena_sprintf(
						   req->arena, STAFF "?don-vi=%lld", (long long)id)));
	const char *remove = arena_sprintf(req->arena, UNITS "/%lld/xoa", (long long)id);
	json_object_set_new(ctx, "remove_action", json_string(remove));
	json_object_set_new(ctx, "remove_csrf", json_string(admin_csrf_token(req, me, UNIT_REMOVE)));
	return unit_form(req, res, me, db, ctx, status,
			 arena_sprintf(req->arena, UNITS "/%lld", (long long)id), UNIT_ONE, message,
			 values, id);
}

static int unit_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return unit_page(req, res, me, id, db, 200, NULL, NULL);
}

static int unit_remove_row(http_req *req, http_res *res, const admin_user *me, int64_t id,
			   db_t *db)
{
	model_problem f = {0};
	unit u;
	int got = unit_get(db, req->arena, id, &u);
	if (got != 0)
		return admin_error(req, res, me, got > 0 ? 404 : 500, NULL);
	int rc = unit_remove(db, id, &f);
	if (rc > 0)
		return unit_page(req, res, me, id, db, 409, unit_problem(req, &f), NULL);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_UNIT_CHANGE, target(req, id, u.name),
			       "delete", UNITS "?ok=xoa");
}

static int unit_save_record(db_t *db, org_record *r, int64_t id, int64_t *saved,
			    model_problem *f)
{
	r->u.id = id;
	return id == 0 ? unit_add(db, &r->u, saved, f) : unit_update(db, &r->u, f);
}

static int unit_again(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		      int status, const char *message, json_t *values)
{
	return id == 0 ? unit_new_page(req, res, me, status, message, values)
		       : unit_page(req, res, me, id, db, status, message, values);
}

static const char *unit_details(http_req *req, const org_record *r, bool added)
{
	(void)req;
	return added ? "add" : r->u.active ? "edit" : "edit, closed";
}

static const org_form unit_form_kind = {
	.read = read_unit, .save = unit_save_record, .again = unit_again, .problem = unit_problem,
	.details = unit_details, .audit_action = AUDIT_UNIT_CHANGE, .base = UNITS, .is_unit = true};

static int unit_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	return org_submit(req, res, me, 0, db_get(), &unit_form_kind);
}

static int unit_save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return org_submit(req, res, me, id, db, &unit_form_kind);
}

ADMIN_REG_ROW_PAGE(unit_one, unit_row)
ADMIN_REG_ROW_PAGE(unit_save, unit_save_row)
ADMIN_REG_ROW_PAGE(unit_remove_submit, unit_remove_row)

/* ---- staff ----------------------------------------------------------------------- */

static const char *const person_fields[] = {"name", "title", "unit_id", "position", "user_id",
					    "active", NULL};

static int staff_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	int64_t unit_id = 0;
	const char *u = http_query(req, "don-vi");
	if (u != NULL && !admin_reg_optional_id(u, &unit_id))
		return admin_error(req, res, me, 400, NULL);
	person *ps;
	size_t n;
	json_t *ctx = NULL, *units = NULL;
	if (db == NULL || person_list(db, req->arena, unit_id, false, &ps, &n) != 0 ||
	    (units = admin_unit_choices(req, db, 0, u)) == NULL ||
	    (ctx = admin_context(req, me, "admin_person_title")) == NULL) {
		json_decref(units);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "url",
				    arena_sprintf(req->arena, STAFF "/%lld", (long long)ps[i].id),
				    "name", ps[i].name, "title", ps[i].title, "unit", ps[i].unit_name,
				    "position", ps[i].position, "account", ps[i].user_name));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "units", units);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (admin_may(me->role, ORG_WRITERS))
		json_object_set_new(ctx, "new_url", json_string(PERSON_NEW));
	return admin_render(req, res, 200, "admin/person_list", ctx);
}

/* [{value, label, selected}] of the accounts a person may be linked to. */
static json_t *account_choices(http_req *req, db_t *db, const char *selected)
{
	user *us;
	size_t n;
	if (user_list(db, req->arena, &us, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *value = arena_sprintf(req->arena, "%lld", (long long)us[i].id);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:b}", "value", value, "label",
				    us[i].display_name[0] != '\0'
					? arena_sprintf(req->arena, "%s (%s)", us[i].display_name,
							us[i].name)
					: us[i].name,
				    "selected", selected != NULL && strcmp(selected, value) == 0));
	}
	return list;
}

static int person_form(http_req *req, http_res *res, const admin_user *me, db_t *db, json_t *ctx,
		       int status, const char *action, const char *pattern, const char *message,
		       json_t *values)
{
	json_t *units = admin_unit_choices(req, db, 0,
					   json_string_value(json_object_get(values, "unit_id")));
	json_t *accounts = account_choices(req, db,
					   json_string_value(json_object_get(values, "user_id")));
	if (units == NULL || accounts == NULL) {
		json_decref(units);
		json_decref(accounts);
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "units", units);
	json_object_set_new(ctx, "accounts", accounts);
	json_object_set_new(ctx, "may_edit", json_boolean(admin_may(me->role, ORG_WRITERS)));
	return admin_reg_form_render(req, res, me, ctx, status, action, pattern, STAFF, message,
				     values, "admin/person_form");
}

static int person_new_page(http_req *req, http_res *res, const admin_user *me, int status,
			   const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_person_new_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	if (values == NULL) {
		const char *u = http_query(req, "don-vi");
		values = json_pack("{s:s, s:s}", "active", "1", "unit_id", u != NULL ? u : "");
	}
	return person_form(req, res, me, db, ctx, status, PERSON_NEW, NULL, message, values);
}

static int person_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return person_new_page(req, res, me, 200, NULL, NULL);
}

static int read_person(http_req *req, org_record *r, json_t *values, model_problem *f)
{
	const char *v[6] = {0};
	person *p = &r->p;
	if (!admin_reg_read_fields(req, person_fields, PERSON_NAME_MAX, v, values, f))
		return REG_TOO_LONG;
	*p = (person){.name = v[0], .title = v[1], .position = v[3],
		      .active = strcmp(v[5], "1") == 0};
	if (!admin_reg_optional_id(v[2], &p->unit_id))
		return reg_refuse(f, REG_NOT_FOUND, "unit_id");
	if (!admin_reg_optional_id(v[4], &p->user_id))
		return reg_refuse(f, REG_NOT_FOUND, "user_id");
	return 0;
}

static const char *person_problem(http_req *req, const model_problem *f)
{
	return admin_reg_problem_as(req, PERSON_LABELS, f, REG_DUPLICATE, "admin_person_account_taken");
}

static int person_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		       int status, const char *message, json_t *values)
{
	person p;
	int rc = admin_get_status(person_get(db, req->arena, id, &p));
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_person_one_title") : NULL;
	task_filter flt = {.person_id = id};
	if (ctx != NULL && one_extras(req, db, ctx, &flt, 0, id) != 0) {
		json_decref(ctx);
		ctx = NULL;
		rc = 500;
	}
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	if (values == NULL)
		values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", p.name, "title", p.title,
				   "unit_id", arena_sprintf(req->arena, "%lld", (long long)p.unit_id),
				   "position", p.position, "user_id",
				   p.user_id > 0 ? arena_sprintf(req->arena, "%lld", (long long)p.user_id)
						 : "",
				   "active", p.active ? "1" : "");
	json_object_set_new(ctx, "stored_name", json_string(p.name));
	json_object_set_new(ctx, "unit_name", json_string(p.unit_name));
	json_object_set_new(ctx, "unit_url", json_string(arena_sprintf(req->arena, UNITS "/%lld",
								       (long long)p.unit_id)));
	json_object_set_new(ctx, "account", json_string(p.user_name));
	return person_form(req, res, me, db, ctx, status,
			   arena_sprintf(req->arena, STAFF "/%lld", (long long)id), PERSON_ONE,
			   message, values);
}

static int person_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return person_page(req, res, me, id, db, 200, NULL, NULL);
}

static int person_save_record(db_t *db, org_record *r, int64_t id, int64_t *saved,
			      model_problem *f)
{
	r->p.id = id;
	return id == 0 ? person_add(db, &r->p, saved, f) : person_update(db, &r->p, f);
}

static int person_again(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
			int status, const char *message, json_t *values)
{
	return id == 0 ? person_new_page(req, res, me, status, message, values)
		       : person_page(req, res, me, id, db, status, message, values);
}

static const char *person_details(http_req *req, const org_record *r, bool added)
{
	return arena_sprintf(req->arena, "%s unit %lld account %lld%s", added ? "add" : "edit",
			     (long long)r->p.unit_id, (long long)r->p.user_id,
			     r->p.active ? "" : ", left");
}

static const org_form person_form_kind = {
	.read = read_person, .save = person_save_record, .again = person_again,
	.problem = person_problem, .details = person_details, .audit_action = AUDIT_PERSON_CHANGE,
	.base = STAFF};

static int person_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	return org_submit(req, res, me, 0, db_get(), &person_form_kind);
}

static int person_save_row(http_req *req, http_res *res, const admin_user *me, int64_t id,
			   db_t *db)
{
	return org_submit(req, res, me, id, db, &person_form_kind);
}

ADMIN_REG_ROW_PAGE(person_one, person_row)
ADMIN_REG_ROW_PAGE(person_save, person_save_row)

static const admin_page pages[] = {
	{{HTTP_GET, UNITS, NULL, ORG_READERS}, unit_list_page},
	{{HTTP_GET, UNIT_NEW, NULL, ORG_WRITERS}, unit_new_form},
	{{HTTP_POST, UNIT_NEW, NULL, ORG_WRITERS}, unit_add_submit},
	{{HTTP_GET, UNIT_ONE, NULL, ORG_READERS}, unit_one},
	{{HTTP_POST, UNIT_ONE, NULL, ORG_WRITERS}, unit_save},
	{{HTTP_POST, UNIT_REMOVE, NULL, ORG_WRITERS}, unit_remove_submit},
	{{HTTP_GET, STAFF, NULL, ORG_READERS}, staff_list_page},
	{{HTTP_GET, PERSON_NEW, NULL, ORG_WRITERS}, person_new_form},
	{{HTTP_POST, PERSON_NEW, NULL, ORG_WRITERS}, person_add_submit},
	{{HTTP_GET, PERSON_ONE, NULL, ORG_READERS}, person_one},
	{{HTTP_POST, PERSON_ONE, NULL, ORG_WRITERS}, person_save},
};

const admin_page_table admin_unit_table = {pages, sizeof pages / sizeof pages[0]};
