/*
 * care_page.c - the card's condition checks ("tình trạng bảo quản") at
 * /admin/so-dang-ky/ID/tinh-trang: every dated check, newest first (the
 * first is the object's state now), and the form that records a new one
 * (date, state tốt / khá / kém / hỏng, who, note). Curators (and admins).
 */
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/object.h"
#include "model/object_care.h"

#define PATH_CONDITION ADMIN_PATH_REGISTER "/:id/tinh-trang"
#define LABELS "admin_care_field_"

static int condition_page(http_req *req, http_res *res, const admin_user *me, int64_t id,
			  int status, const char *message, json_t *values)
{
	db_t *db = db_get();
	object_card c;
	object_condition *checks;
	size_t n;
	json_t *ctx;
	int rc = admin_reg_dated_form(req, me, db, id, "admin_care_title", "checked_on",
				      "checked_by", &c, &ctx, &values);
	if (rc == 0 && object_condition_list(db, req->arena, id, &checks, &n) != 0) {
		json_decref(ctx);
		json_decref(values);
		rc = 500;
	}
	if (rc != 0)
		return admin_error(req, res, me, rc, NULL);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s}", "on",
				    admin_reg_day(req, checks[i].checked_on),
				    "state", admin_reg_word(req, "admin_care_state_", checks[i].state),
				    "who", checks[i].checked_by, "note", checks[i].note));
	const char *state = json_string_value(json_object_get(values, "state"));
	json_object_set_new(ctx, "checks", rows);
	json_object_set_new(ctx, "has_checks", json_boolean(n > 0));
	json_object_set_new(ctx, "states",
			    admin_reg_choices(req, "admin_care_state_", object_states, state));
	return admin_reg_form_render(
	    req, res, me, ctx, status,
	    arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld/tinh-trang", (long long)id),
	    PATH_CONDITION, json_string_value(json_object_get(ctx, "card_url")), message, values,
	    "admin/register_condition");
}

static int form_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	(void)db;
	return condition_page(req, res, me, id, 200, NULL, NULL);
}

static int submit_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	static const char *const names[] = {"checked_on", "state", "checked_by", "note", NULL};
	const char *v[4];
	json_t *values = json_object();
	model_problem f = {0};
	int rc = 0;
	for (size_t i = 0; names[i] != NULL; i++) {
		v[i] = admin_field(req, names[i], 2000);
		if (v[i] == NULL && rc == 0)
			rc = reg_refuse(&f, REG_TOO_LONG, names[i]);
		json_object_set_new(values, names[i], json_string(v[i] != NULL ? v[i] : ""));
	}
	char day[11] = "", today[11];
	reg_today(today);
	if (rc == 0 && v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "checked_on");
	else if (rc == 0 && !reg_date_parse(v[0], day))
		rc = reg_refuse(&f, REG_BAD_DATE, "checked_on");
	else if (rc == 0 && strcmp(day, today) > 0)
		rc = reg_refuse(&f, REG_IN_FUTURE, "checked_on");
	int64_t check = 0;
	if (rc == 0)
		rc = object_condition_add(db, id, day, v[1], v[3], v[2], &check, &f);
	if (rc == REG_NOT_FOUND && f.field != NULL && strcmp(f.field, "object_id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return condition_page(req, res, me, id, 400, admin_reg_problem(req, LABELS, &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_OBJECT_CARE, arena_sprintf(req->arena, "%lld", (long long)id),
			arena_sprintf(req->arena, "condition %s %s", day, v[1]));
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld/tinh-trang",
					   (long long)id));
}

ADMIN_REG_ROW_PAGE(condition_form, form_row)
ADMIN_REG_ROW_PAGE(condition_submit, submit_row)

static const admin_page pages[] = {
	{{HTTP_GET, PATH_CONDITION, NULL, ADMIN_REGISTER_KEEPERS}, condition_form},
	{{HTTP_POST, PATH_CONDITION, NULL, ADMIN_REGISTER_KEEPERS}, condition_submit},
};

const admin_page_table admin_care_table = {pages, sizeof pages / sizeof pages[0]};
