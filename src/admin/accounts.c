/*
 * accounts.c - account management for admins at /admin/tai-khoan: list,
 * add with a role, change a role, disable and enable. Every change goes to
 * the audit log. Only admins reach these handlers (routes.c); the model
 * refuses to remove the last enabled admin.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/fmt.h"
#include "db/db.h"

static const int role_order[] = {USER_ADMIN,     USER_EDITOR,  USER_AUTHOR,
				 USER_MODERATOR, USER_CURATOR, USER_COUNCIL,
				 USER_PLANNER,   USER_EMULATION};

static json_t *role_options(http_req *req, int selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < sizeof role_order / sizeof role_order[0]; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value",
						     user_role_name(role_order[i]), "label",
						     admin_role_label(req, role_order[i]), "selected",
						     role_order[i] == selected));
	return arr;
}

/* The page, optionally with a message (an error when status >= 400) and the
 * add form's previous values. Consumes add_values. */
static int users_page(http_req *req, http_res *res, const admin_user *me, int status,
		      const char *message_key, json_t *add_values)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	user *items = NULL;
	size_t n = 0;
	if (db == NULL || user_list(db, req->arena, &items, &n) != 0)
		return admin_fail(req, res, me, 500, add_values);
	json_t *ctx = admin_context(req, me, "admin_users_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, add_values);
	const char *role_csrf = admin_csrf_token(req, me, ADMIN_PATH_USER_ROLE);
	const char *disable_csrf = admin_csrf_token(req, me, ADMIN_PATH_USER_DISABLE);
	const char *enable_csrf = admin_csrf_token(req, me, ADMIN_PATH_USER_ENABLE);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const user *u = &items[i];
		char created[32];
		fmt_date(created, sizeof created, u->created_at, app->cfg.utc_offset);
		json_t *row = json_pack(
		    "{s:I, s:s, s:s, s:s, s:b, s:b, s:s, s:o}", "id", (json_int_t)u->id, "name",
		    u->name, "display_name", u->display_name, "role_label",
		    admin_role_label(req, u->role), "disabled", u->disabled, "is_me", u->id == me->id,
		    "created", created, "roles", role_options(req, u->role));
		if (row == NULL)
			continue;
		json_object_set_new(row, "role_action",
				    json_string(arena_sprintf(req->arena, "/admin/tai-khoan/%lld/vai-tro",
							      (long long)u->id)));
		json_object_set_new(row, "disable_action",
				    json_string(arena_sprintf(req->arena, "/admin/tai-khoan/%lld/khoa",
							      (long long)u->id)));
		json_object_set_new(row, "enable_action",
				    json_string(arena_sprintf(req->arena,
							      "/admin/tai-khoan/%lld/mo-khoa",
							      (long long)u->id)));
		json_array_append_new(list, row);
	}
	json_object_set_new(ctx, "users", list);
	json_object_set_new(ctx, "csrf",
			    json_pack("{s:s?, s:s?, s:s?, s:s?}", "role", role_csrf, "disable",
				      disable_csrf, "enable", enable_csrf, "add",
				      admin_csrf_token(req, me, ADMIN_PATH_USER_ADD)));
	const char *chosen = add_values != NULL
				 ? json_string_value(json_object_get(add_values, "role"))
				 : NULL;
	int add_role = user_role_parse(chosen);
	json_t *add = json_pack("{s:s, s:o, s:i, s:i}", "action", ADMIN_PATH_USER_ADD, "roles",
				role_options(req, add_role != 0 ? add_role : USER_AUTHOR), "min",
				USER_PASSWORD_MIN, "max", USER_PASSWORD_MAX);
	admin_form(ctx, "add", add, add_values);
	if (message_key != NULL)
		json_object_set_new(ctx, status < 400 ? "notice" : "message",
				    json_string(web_text(req, message_key)));
	return admin_render(req, res, status, "admin/users", ctx);
}

int admin_users_page(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const notices[] = {
		"them", "admin_user_added", "vai-tro", "admin_user_role_changed",
		"khoa", "admin_user_disabled", "mo-khoa", "admin_user_enabled", NULL,
	};
	return users_page(req, res, me, 200, admin_notice(req, notices), NULL);
}

static void audit(http_req *req, const admin_user *me, const char *action, const char *target,
		  const char *details)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db_get(), admin_now(), &actor, action, target, details);
}

int admin_user_add(http_req *req, http_res *res, const admin_user *me)
{
	const char *name = admin_field(req, "name", ADMIN_FIELD_MAX);
	const char *display = admin_field(req, "display_name", ADMIN_FIELD_MAX);
	const char *role_text = admin_field(req, "role", 32);
	const char *password = admin_field(req, "password", USER_PASSWORD_INPUT_MAX);
	const char *confirm = admin_field(req, "confirm", USER_PASSWORD_INPUT_MAX);
	json_t *values = json_pack("{s:s, s:s, s:s}", "name", name != NULL ? name : "",
				   "display_name", display != NULL ? display : "", "role",
				   role_text != NULL ? role_text : "");
	char login[USER_NAME_MAX + 1];
	if (name == NULL || user_name_normalize(name, login, sizeof login) != 0)
		return users_page(req, res, me, 400, "admin_user_bad_name", values);
	if (display == NULL || !user_display_name_ok(display))
		return users_page(req, res, me, 400, "admin_user_bad_display", values);
	int role = user_role_parse(role_text);
	if (role == 0)
		return users_page(req, res, me, 400, "admin_user_bad_role", values);
	if (password == NULL || confirm == NULL)
		return users_page(req, res, me, 400, "admin_pw_long", values);
	if (strcmp(password, confirm) != 0)
		return users_page(req, res, me, 400, "admin_pw_mismatch", values);
	admin_common_passwords(req);
	enum user_password_problem p = user_password_check(login, password);
	if (p != USER_PASSWORD_OK)
		return users_page(req, res, me, 400, admin_password_problem_key(p), values);
	db_t *db = db_get();
	int64_t id = 0;
	int rc = db != NULL ? user_create(db, login, display, role, password, admin_now(), &id) : -1;
	if (rc == 1)
		return users_page(req, res, me, 409, "admin_user_taken", values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, rc == 2 ? 400 : 500, NULL);
	audit(req, me, AUDIT_USER_ADD, login,
	      arena_sprintf(req->arena, "role=%s", user_role_name(role)));
	return http_redirect(res, 303, ADMIN_PATH_USERS "?ok=them");
}

/* The account named by the route's :id. 0, or the status to answer. */
static int target_user(http_req *req, user *out)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	return status != 0 ? status : admin_get_status(user_get(db, req->arena, id, out));
}

int admin_user_role(http_req *req, http_res *res, const admin_user *me)
{
	user u;
	int status = target_user(req, &u);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int role = user_role_parse(admin_field(req, "role", 32));
	if (role == 0)
		return users_page(req, res, me, 400, "admin_user_bad_role", NULL);
	if (role == u.role)
		return http_redirect(res, 303, ADMIN_PATH_USERS "?ok=vai-tro");
	int rc = user_set_role(db_get(), u.id, role);
	if (rc == 3)
		return users_page(req, res, me, 409, "admin_user_last_admin", NULL);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, rc == 2 ? 400 : 500, NULL);
	audit(req, me, AUDIT_USER_ROLE, u.name,
	      arena_sprintf(req->arena, "%s -> %s", user_role_name(u.role), user_role_name(role)));
	return http_redirect(res, 303, ADMIN_PATH_USERS "?ok=vai-tro");
}

static int set_disabled(http_req *req, http_res *res, const admin_user *me, bool disabled)
{
	user u;
	int status = target_user(req, &u);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	if (disabled && u.id == me->id)
		return users_page(req, res, me, 409, "admin_user_not_self", NULL);
	int rc = user_set_disabled(db_get(), u.id, disabled);
	if (rc == 3)
		return users_page(req, res, me, 409, "admin_user_last_admin", NULL);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	if (u.disabled != disabled)
		audit(req, me, disabled ? AUDIT_USER_DISABLE : AUDIT_USER_ENABLE, u.name, "");
	return http_redirect(res, 303,
			     disabled ? ADMIN_PATH_USERS "?ok=khoa" : ADMIN_PATH_USERS "?ok=mo-khoa");
}

int admin_user_disable(http_req *req, http_res *res, const admin_user *me)
{
	return set_disabled(req, res, me, true);
}

int admin_user_enable(http_req *req, http_res *res, const admin_user *me)
{
	return set_disabled(req, res, me, false);
}
