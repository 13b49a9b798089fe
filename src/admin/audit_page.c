/*
 * audit_page.c - the audit log at /admin/nhat-ky, for admins: newest first,
 * filtered by account, action and a range of local days, 50 entries a page
 * with keyset pagination (?truoc=ID), so a long log costs no more to page
 * through than a short one.
 *
 * Filter values are checked and then written back into links only in
 * their checked form (digits, a-z and '_', YYYY-MM-DD), so nothing needs
 * escaping beyond what the template does.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/fmt.h"
#include "db/db.h"
#include "web/web.h"
#include "render/i18n.h"

#define AUDIT_PAGE_SIZE 50

/* A local day "YYYY-MM-DD" -> its first second (site's offset). 0 or -1. */
static int parse_day(const char *s, int utc_offset, int64_t *t)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	return parse_iso8601(s, utc_offset, t);
}

static const char *action_label(http_req *req, const char *action)
{
	const char *key = arena_sprintf(req->arena, "admin_action_%s", action);
	if (key == NULL)
		return action;
	const char *text = web_text(req, key);
	/* i18n_text() answers with the key itself when no catalog has it: a
	 * later screen's action without a label yet shows its own name. */
	return text == NULL || strcmp(text, key) == 0 ? action : text;
}

int admin_audit_page(http_req *req, http_res *res, const admin_user *me)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);

	audit_filter f = {0};
	int64_t v;
	const char *q_user = http_query(req, "user");
	const char *q_action = http_query(req, "action");
	const char *q_from = http_query(req, "from");
	const char *q_to = http_query(req, "to");
	const char *q_before = http_query(req, "truoc");
	bool bad = false;
	if (q_user != NULL && q_user[0] != '\0') {
		if (web_parse_id(q_user, &v) == 0)
			f.user_id = v;
		else
			bad = true;
	}
	if (q_action != NULL && q_action[0] != '\0') {
		if (audit_action_valid(q_action))
			f.action = q_action;
		else
			bad = true;
	}
	const char *from_text = "", *to_text = "";
	if (q_from != NULL && q_from[0] != '\0') {
		if (parse_day(q_from, app->cfg.utc_offset, &v) == 0) {
			f.from = v;
			from_text = q_from;
		} else {
			bad = true;
		}
	}
	if (q_to != NULL && q_to[0] != '\0') {
		if (parse_day(q_to, app->cfg.utc_offset, &v) == 0) {
			f.to = v + 86400; /* the whole last day */
			to_text = q_to;
		} else {
			bad = true;
		}
	}
	if (q_before != NULL && q_before[0] != '\0') {
		if (web_parse_id(q_before, &v) == 0)
			f.before_id = v;
		else
			bad = true;
	}

	audit_entry *items = NULL;
	size_t n = 0;
	bool has_more = false;
	user *users = NULL;
	size_t nusers = 0;
	if (audit_list(db, req->arena, &f, AUDIT_PAGE_SIZE, &items, &n, &has_more) != 0 ||
	    user_list(db, req->arena, &users, &nusers) != 0)
		return admin_error(req, res, me, 500, NULL);

	json_t *ctx = admin_context(req, me, "admin_audit_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const audit_entry *e = &items[i];
		char when[32], iso[40];
		fmt_datetime(when, sizeof when, e->at, app->cfg.utc_offset);
		fmt_iso8601(iso, sizeof iso, e->at, app->cfg.utc_offset);
		json_array_append_new(
		    rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
				    (json_int_t)e->id, "when", when, "iso", iso, "user",
				    e->user_name[0] != '\0' ? e->user_name : "—", "action",
				    e->action, "action_label", action_label(req, e->action), "target",
				    e->target, "details", e->details, "address",
				    e->address[0] != '\0' ? arena_strndup(req->arena, e->address, 8)
							  : ""));
	}
	json_object_set_new(ctx, "entries", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));

	json_t *user_opts = json_array();
	for (size_t i = 0; i < nusers; i++)
		json_array_append_new(user_opts,
				      json_pack("{s:I, s:s, s:b}", "id", (json_int_t)users[i].id,
						"name", users[i].name, "selected",
						users[i].id == f.user_id));
	json_t *action_opts = json_array();
	for (size_t i = 0; audit_actions[i] != NULL; i++)
		json_array_append_new(action_opts,
				      json_pack("{s:s, s:s, s:b}", "value", audit_actions[i],
						"label", action_label(req, audit_actions[i]),
						"selected",
						f.action != NULL && strcmp(f.action, audit_actions[i]) == 0));
	json_object_set_new(ctx, "filter",
			    json_pack("{s:s, s:o, s:o, s:s, s:s, s:b}", "action", ADMIN_PATH_AUDIT,
				      "users", user_opts, "actions", action_opts, "from", from_text,
				      "to", to_text, "bad", bad));

	/* Links carry the checked filters only. */
	const char *base = arena_sprintf(
	    req->arena, "%s?user=%s&action=%s&from=%s&to=%s", ADMIN_PATH_AUDIT,
	    f.user_id > 0 ? arena_sprintf(req->arena, "%lld", (long long)f.user_id) : "",
	    f.action != NULL ? f.action : "", from_text, to_text);
	if (has_more && n > 0 && base != NULL)
		json_object_set_new(ctx, "next_url",
				    json_string(arena_sprintf(req->arena, "%s&truoc=%lld", base,
							      (long long)items[n - 1].id)));
	if (f.before_id > 0 && base != NULL)
		json_object_set_new(ctx, "first_url", json_string(base));
	return admin_render(req, res, 200, "admin/audit", ctx);
}
