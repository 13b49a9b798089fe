/*
 * page.c - the frame of every back-office page: context, navigation,
 * rendering and the error page.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/log.h"
#include "web/web.h"

/* The sections of the back office, in menu order, with who sees them. */
static const struct {
	const char *url;
	const char *label_key;
	unsigned roles;               /* as in route flags; admin always sees all */
} sections[] = {
	{ADMIN_PATH_HOME, "admin_nav_home", ADMIN_ANY_ROLE},
	{ADMIN_PATH_ARTICLES, "admin_nav_articles", USER_EDITOR | USER_AUTHOR},
	{ADMIN_PATH_REVIEW, "admin_nav_review", USER_EDITOR},
	{ADMIN_PATH_MEDIA, "admin_nav_media", USER_EDITOR | USER_AUTHOR | USER_CURATOR},
	{ADMIN_PATH_COMMENTS, "admin_nav_comments", USER_EDITOR | USER_MODERATOR},
	{ADMIN_PATH_CATEGORIES, "admin_nav_categories", USER_EDITOR},
	{ADMIN_PATH_TAGS, "admin_nav_tags", USER_EDITOR},
	{ADMIN_PATH_LINKS, "admin_nav_links", USER_EDITOR},
	{ADMIN_PATH_STATS, "admin_nav_stats", USER_EDITOR},
	{ADMIN_PATH_REGISTER, "admin_nav_register", ADMIN_REGISTER_READERS},
	{ADMIN_PATH_STORAGE, "admin_nav_storage", ADMIN_REGISTER_READERS},
	{ADMIN_PATH_INVENTORY, "admin_nav_inventory", ADMIN_REGISTER_READERS},
	{"/admin/trung-bay", "admin_nav_exhibitions", ADMIN_REGISTER_READERS},
	{"/admin/an-pham", "admin_nav_publications", ADMIN_REGISTER_READERS},
	{"/admin/ke-hoach", "admin_nav_plans", USER_PLANNER | USER_CURATOR | USER_COUNCIL},
	{ADMIN_PATH_TASKS, "admin_nav_tasks", ADMIN_ANY_ROLE},
	{ADMIN_PATH_UNITS, "admin_nav_units", USER_PLANNER | USER_CURATOR | USER_COUNCIL},
	{ADMIN_PATH_STAFF, "admin_nav_staff", USER_PLANNER | USER_CURATOR | USER_COUNCIL},
	{"/admin/thi-dua", "admin_nav_emulation",
	 USER_EMULATION | USER_PLANNER | USER_CURATOR | USER_COUNCIL},
	{"/admin/khen-thuong", "admin_nav_awards",
	 USER_EMULATION | USER_PLANNER | USER_CURATOR | USER_COUNCIL},
	{"/admin/bao-cao", "admin_nav_report", USER_PLANNER},
	{ADMIN_PATH_USERS, "admin_nav_users", 0},
	{ADMIN_PATH_AUDIT, "admin_nav_audit", 0},
	{ADMIN_PATH_PASSWORD, "admin_nav_password", ADMIN_ANY_ROLE},
};

const char *admin_role_label(http_req *req, int role)
{
	const char *name = user_role_name(role);
	if (name == NULL)
		return "?";
	char key[32];
	snprintf(key, sizeof key, "admin_role_%s", name);
	return web_text(req, key);
}

bool admin_may(int role, unsigned roles)
{
	return (((roles & USER_ROLES_ALL) | USER_ADMIN) & (unsigned)role) != 0;
}

static bool is_current(const char *path, const char *url)
{
	if (path == NULL)
		return false;
	if (strcmp(path, url) == 0)
		return true;
	/* "/admin" is the dashboard only, not every page below it. */
	size_t n = strlen(url);
	return strcmp(url, ADMIN_PATH_HOME) != 0 && strncmp(path, url, n) == 0 && path[n] == '/';
}

static json_t *nav_json(http_req *req, const admin_user *me)
{
	json_t *nav = json_array();
	for (size_t i = 0; nav != NULL && i < sizeof sections / sizeof sections[0]; i++) {
		if (!admin_may(me->role, sections[i].roles))
			continue;
		json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "url", sections[i].url,
						     "label", web_text(req, sections[i].label_key),
						     "current", is_current(req->path, sections[i].url)));
	}
	return nav;
}

json_t *admin_context(http_req *req, const admin_user *me, const char *title_key)
{
	json_t *ctx = web_frame(req, web_text(req, title_key != NULL ? title_key : "admin_title"));
	if (ctx == NULL)
		return NULL;
	if (me != NULL && me->id > 0) {
		const char *shown = me->display_name != NULL && me->display_name[0] != '\0'
					? me->display_name
					: me->name;
		const char *csrf = admin_csrf_token(req, me, ADMIN_PATH_LOGOUT);
		json_object_set_new(ctx, "user",
				    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)me->id,
					      "name", me->name, "shown", shown, "role_label",
					      admin_role_label(req, me->role)));
		json_object_set_new(ctx, "nav", nav_json(req, me));
		json_object_set_new(ctx, "logout",
				    json_pack("{s:s, s:s?}", "action", ADMIN_PATH_LOGOUT, "csrf", csrf));
	}
	return ctx;
}

int admin_render(http_req *req, http_res *res, int status, const char *name, json_t *ctx)
{
	buf_clear(&res->body);
	int rc = web_render(req, res, name, ctx);
	if (rc != 200) {
		/* Not the error page again: it renders through the same templates. */
		buf_clear(&res->body);
		buf_puts(&res->body, "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
				     "<title>500</title><h1>500</h1><p>Lỗi hệ thống.</p></html>");
		res->content_type = "text/html; charset=utf-8";
		res->status = 500;
		return 500;
	}
	res->content_type = "text/html; charset=utf-8";
	res->status = status;
	return status;
}

static const char *status_title_key(int status)
{
	switch (status) {
	case 400: return "admin_error_400_title";
	case 401: return "admin_error_401_title";
	case 403: return "admin_error_403_title";
	case 404: return "admin_error_404_title";
	case 405: return "admin_error_405_title";
	case 409: return "admin_error_409_title";
	case 429: return "admin_error_429_title";
	default: return status >= 500 ? "admin_error_500_title" : "admin_error_400_title";
	}
}

static const char *status_message_key(int status)
{
	switch (status) {
	case 400: return "admin_error_400";
	case 401: return "admin_error_401";
	case 403: return "admin_error_403";
	case 404: return "admin_error_404";
	case 405: return "admin_error_405";
	case 409: return "admin_error_409";
	case 429: return "admin_error_429";
	default: return status >= 500 ? "admin_error_500" : "admin_error_400";
	}
}

void admin_form(json_t *ctx, const char *key, json_t *form, json_t *typed)
{
	if (form != NULL && typed != NULL)
		json_object_update(form, typed);
	json_decref(typed);
	json_object_set_new(ctx, key, form);
}

int admin_fail(http_req *req, http_res *res, const admin_user *me, int status,
	       json_t *unbuilt)
{
	json_decref(unbuilt);
	return admin_error(req, res, me, status, NULL);
}

int admin_error(http_req *req, http_res *res, const admin_user *me, int status,
		const char *message_key)
{
	json_t *ctx = admin_context(req, me, status_title_key(status));
	if (ctx != NULL) {
		json_object_set_new(ctx, "status", json_integer(status));
		json_object_set_new(
		    ctx, "message",
		    json_string(web_text(req, message_key != NULL ? message_key
								    : status_message_key(status))));
	}
	int rc = admin_render(req, res, status, "admin/error", ctx);
	return rc == 500 ? 500 : status;
}

const char *admin_notice(http_req *req, const char *const *pairs)
{
	const char *ok = http_query(req, "ok");
	for (size_t i = 0; ok != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
		if (strcmp(ok, pairs[i]) == 0)
			return pairs[i + 1];
	return NULL;
}
