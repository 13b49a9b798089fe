/*
 * api.c - JSON API v1 (read side). All JSON is produced by jansson.
 */
#include <string.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/category.h"
#include "portal/portal.h"
#include "portal/widgets.h"

#define API_PAGE 20

static json_t *article_json(http_req *req, const article *art, int with_body)
{
	const app_t *app = req->app;
	char iso[40];
	fmt_iso8601(iso, sizeof iso, art->published_at, app->cfg.utc_offset);
	const char *path = web_article_path(req->arena, art);
	if (path == NULL)
		return NULL;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			      (json_int_t)art->id, "slug", art->slug, "title", art->title, "url",
			      arena_sprintf(req->arena, "%s%s", app->cfg.base_url, path),
			      "published_at", iso, "category", art->category_slug,
			      "category_name", art->category_name, "summary",
			      art->summary ? art->summary : "");
	if (o != NULL && with_body)
		json_object_set_new(o, "body_html", json_string(art->body_html ? art->body_html : ""));
	return o;
}

/* A lookup that found nothing (rc 1: 404 with code and the message of
 * key) or failed (500). */
static int lookup_failed(http_req *req, http_res *res, int rc, const char *code,
			 const char *key)
{
	if (rc == 1)
		return web_api_error(req, res, 404, code, key);
	return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
}

int api_articles(http_req *req, http_res *res)
{
	db_t *db = db_get();
	if (db == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	int64_t category_id = 0;
	const char *slug = http_query(req, "category");
	if (slug != NULL && slug[0] != '\0') {
		category cat;
		int rc = category_get_by_slug(db, req->arena, slug, &cat);
		if (rc != 0)
			return lookup_failed(req, res, rc, "unknown_category",
					     "portal_api_unknown_category");
		category_id = cat.id;
	}
	article_cursor after, *pafter = NULL;
	const char *cursor = http_query(req, "after");
	if (cursor != NULL && cursor[0] != '\0') {
		if (article_cursor_decode(cursor, &after) != 0)
			return web_api_error(req, res, 400, "bad_cursor", "portal_api_bad_cursor");
		pafter = &after;
	}
	article *items = NULL;
	size_t n = 0;
	bool more = false;
	if (article_list(db, req->arena, category_id, pafter, API_PAGE, &items, &n, &more) != 0)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, article_json(req, &items[i], 0));
	json_t *next = json_null();
	if (more && n > 0) {
		char buf[64];
		article_cursor c = {items[n - 1].published_at, items[n - 1].id};
		article_cursor_encode(&c, buf, sizeof buf);
		json_decref(next);
		next = json_string(buf);
	}
	return web_send_json(req, res, 200, json_pack("{s:o, s:o}", "items", arr, "next", next));
}

int api_article(http_req *req, http_res *res)
{
	int64_t id;
	const char *s = req->params[0];
	if (strchr(s, '-') != NULL || web_parse_slug_id(s, &id) != 0)
		return web_api_error(req, res, 404, "not_found", "portal_not_found");
	db_t *db = db_get();
	if (db == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	article art;
	int rc = article_get(db, req->arena, id, &art);
	if (rc != 0)
		return lookup_failed(req, res, rc, "not_found", "portal_not_found");
	json_t *o = article_json(req, &art, 1);
	if (o != NULL) {
		feedback_article_json(req, o, art.id);
		visits_article_json(req, o, art.id);
	}
	return web_send_json(req, res, 200, o);
}
