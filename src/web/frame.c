/*
 * frame.c - the frame every page starts from, and rendering a page.
 */
#include <string.h>

#include "core/log.h"
#include "model/category.h"
#include "web/web.h"

json_t *web_frame(http_req *req, const char *title)
{
	const app_t *app = req->app;
	json_t *ctx = json_pack("{s:s?, s:s, s:{s:s, s:s, s:s}}", "page_title", title,
				"asset_version", app->asset_version, "site", "name",
				app->cfg.site_name, "base_url", app->cfg.base_url, "lang",
				app->cfg.language);
	if (ctx != NULL)
		web_lang_context(req, ctx);
	return ctx;
}

int web_render(http_req *req, http_res *res, const char *name, json_t *ctx)
{
	const app_t *app = req->app;
	if (ctx == NULL)
		return 500;
	web_lang_headers(req, res);
	int rc = tmpl_render(app->tmpl, name, ctx, &res->body);
	json_decref(ctx);
	if (rc != 0) {
		log_error("rendering template '%s' failed", name);
		buf_clear(&res->body);
		return 500;
	}
	res->status = 200;
	return 200;
}

json_t *web_categories(http_req *req, db_t *db, const char *selected, bool by_id)
{
	category *cats = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	if (arr == NULL || category_list(db, req->arena, &cats, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		const char *id = arena_sprintf(req->arena, "%lld", (long long)cats[i].id);
		const char *key = by_id ? id : cats[i].slug;
		bool chosen = selected != NULL && key != NULL && strcmp(selected, key) == 0;
		json_array_append_new(arr, json_pack("{s:s?, s:s, s:s, s:s?, s:b, s:b}", "id", id,
						     "slug", cats[i].slug, "name", cats[i].name,
						     "url",
						     arena_sprintf(req->arena, "/%s", cats[i].slug),
						     "selected", chosen, "active", chosen));
	}
	return arr;
}
