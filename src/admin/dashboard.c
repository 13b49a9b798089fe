/*
 * dashboard.c - the first page after login: counts and the way to each
 * section the user may use.
 */
#include <string.h>

#include "admin/admin_private.h"
#include "db/db.h"
#include "core/fmt.h"
#include "model/article.h"
#include "portal/portal.h"

static json_t *count_item(http_req *req, const char *label_key, int64_t n)
{
	char num[32];
	fmt_int(num, sizeof num, n, page_lang(req));
	return json_pack("{s:s, s:s}", "label", admin_text(req, label_key), "value", num);
}

int admin_dashboard(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_dashboard_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	/* Only numbers the database gives; later screens add theirs. */
	json_t *counts = json_array();
	int64_t n = 0;
	if (article_count(db, 0, &n) == 0)
		json_array_append_new(counts, count_item(req, "admin_count_articles", n));
	if (me->role == USER_ADMIN && user_count(db, &n) == 0)
		json_array_append_new(counts, count_item(req, "admin_count_users", n));
	if (session_count_user(db, me->id, admin_now(), &n) == 0)
		json_array_append_new(counts, count_item(req, "admin_count_sessions", n));
	json_object_set_new(ctx, "counts", counts);
	/* The section links are the navigation without the dashboard itself. */
	json_t *nav = json_object_get(ctx, "nav");
	json_t *links = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(nav, i, item)
	{
		const char *url = json_string_value(json_object_get(item, "url"));
		if (url != NULL && strcmp(url, ADMIN_PATH_HOME) != 0)
			json_array_append(links, item);
	}
	json_object_set_new(ctx, "sections", links);
	return admin_render(req, res, 200, "admin/dashboard", ctx);
}
