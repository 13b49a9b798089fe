/*
 * news.c - the public news pages: home, category listing, article.
 */
#include <string.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/category.h"
#include "model/media.h"
#include "portal/portal.h"
#include "portal/widgets.h"

#define HOME_LATEST 7
#define HOME_PER_CATEGORY 4
#define LISTING_PAGE 12

static json_t *cards_json(http_req *req, const article *items, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < n; i++)
		json_array_append_new(arr, page_article_card(req, &items[i]));
	return arr;
}

int portal_home(http_req *req, http_res *res)
{
	visits_count(req, 0);
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	json_t *ctx = page_context(req, NULL, NULL);
	if (ctx == NULL)
		return 500;

	article *latest = NULL;
	size_t n = 0;
	bool more = false;
	if (article_list(db, req->arena, 0, NULL, HOME_LATEST, &latest, &n, &more) != 0)
		goto fail;
	json_t *lead = n > 0 ? page_article_card(req, &latest[0]) : NULL;
	if (lead != NULL)
		json_object_set_new(ctx, "lead", lead);
	json_object_set_new(ctx, "latest", cards_json(req, n > 1 ? latest + 1 : NULL, n > 1 ? n - 1 : 0));
	json_object_set_new(ctx, "has_latest", json_boolean(n > 1));

	category *cats = NULL;
	size_t ncats = 0;
	if (category_list(db, req->arena, &cats, &ncats) != 0)
		goto fail;
	json_t *blocks = json_array();
	for (size_t i = 0; i < ncats; i++) {
		article *items = NULL;
		size_t k = 0;
		if (article_list(db, req->arena, cats[i].id, NULL, HOME_PER_CATEGORY, &items, &k,
				 &more) != 0) {
			json_decref(blocks);
			goto fail;
		}
		if (k == 0)
			continue;
		json_array_append_new(
		    blocks, json_pack("{s:s, s:s, s:o}", "name", cats[i].name, "url",
				      arena_sprintf(req->arena, "/%s", cats[i].slug), "items",
				      cards_json(req, items, k)));
	}
	json_object_set_new(ctx, "blocks", blocks);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "home", ctx);
fail:
	json_decref(ctx);
	return 500;
}

int portal_category(http_req *req, http_res *res)
{
	visits_count(req, 0);
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	category cat;
	int rc = category_get_by_slug(db, req->arena, req->params[0], &cat);
	if (rc != 0)
		return rc == 1 ? 404 : 500;
	/* A former address of a renamed category: send readers and search
	 * engines to the current one, keeping the page they asked for. */
	if (strcmp(cat.slug, req->params[0]) != 0) {
		const char *q = strchr(req->raw_target != NULL ? req->raw_target : "", '?');
		const char *to = arena_sprintf(req->arena, "/%s%s", cat.slug, q != NULL ? q : "");
		return to != NULL ? http_redirect(res, 301, to) : 500;
	}

	article_cursor after, *pafter = NULL;
	const char *cursor = http_query(req, "sau");
	if (cursor != NULL && cursor[0] != '\0') {
		if (article_cursor_decode(cursor, &after) != 0)
			return 400;
		pafter = &after;
	}
	article *items = NULL;
	size_t n = 0;
	bool more = false;
	if (article_list(db, req->arena, cat.id, pafter, LISTING_PAGE, &items, &n, &more) != 0)
		return 500;
	json_t *ctx = page_context(req, cat.name, cat.slug);
	if (ctx == NULL)
		return 500;
	json_object_set_new(ctx, "category", json_pack("{s:s, s:s}", "name", cat.name, "url",
						       arena_sprintf(req->arena, "/%s", cat.slug)));
	json_object_set_new(ctx, "items", cards_json(req, items, n));
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "is_continuation", json_boolean(pafter != NULL));
	if (more && n > 0) {
		char next[64];
		article_cursor c = {items[n - 1].published_at, items[n - 1].id};
		article_cursor_encode(&c, next, sizeof next);
		json_object_set_new(ctx, "next_url", json_string(arena_sprintf(
							 req->arena, "/%s?sau=%s", cat.slug, next)));
	}
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "category", ctx);
}

static json_t *figures_json(http_req *req, db_t *db, int64_t id)
{
	article_image *imgs = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	if (arr == NULL || article_images(db, req->arena, id, &imgs, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		/* The resized copies for srcset (model/media.h); pictures made before
		 * them fall back to the original alone. */
		media_responsive r = {0};
		bool sized = media_responsive_for(db, req->arena, imgs[i].file, &r) == 0;
		json_t *fig = json_pack("{s:s, s:s, s:i, s:i}", "url",
					arena_sprintf(req->arena, "/media/%s", imgs[i].file), "caption",
					imgs[i].caption ? imgs[i].caption : "", "width",
					sized ? r.width : imgs[i].width, "height",
					sized ? r.height : imgs[i].height);
		if (fig != NULL && sized && r.srcset[0] != '\0')
			json_object_set_new(fig, "img",
					    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "src", r.src,
						      "srcset", r.srcset, "webp_srcset", r.webp_srcset,
						      "sizes", "(min-width: 960px) 760px, 100vw", "alt",
						      r.alt[0] != '\0' ? r.alt
								       : (imgs[i].caption ? imgs[i].caption : ""),
						      "credit", r.credit));
		json_array_append_new(arr, fig);
	}
	return arr;
}

/*
 * The article page. With `form` (the comment or rating form re-shown after
 * an error, with what the reader typed) the page is rendered with that
 * status and never cached; otherwise a cached copy may answer.
 */
int portal_article_page(http_req *req, http_res *res, int64_t id, json_t *form, int status)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	if (db == NULL)
		goto fail;
	article art;
	int rc = article_get(db, req->arena, id, &art);
	if (rc != 0) {
		json_decref(form);
		return rc == 1 ? 404 : 500;
	}

	const char *path = web_article_path(req->arena, &art);
	if (path == NULL) {
		json_decref(form);
		return 500;
	}
	if (form == NULL) {
		/* The id decides; a changed title or category only moves the URL. */
		if (strcmp(path, req->path) != 0)
			return http_redirect(res, 301, path);
		visits_count(req, id);
	}

	char date[32], iso[40], updated_iso[40];
	fmt_date(date, sizeof date, art.published_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, art.published_at, app->cfg.utc_offset);
	fmt_iso8601(updated_iso, sizeof updated_iso, art.updated_at, app->cfg.utc_offset);
	json_t *ctx = page_context(req, art.title, art.category_slug);
	if (ctx == NULL)
		goto fail;
	json_t *tags = json_array();
	for (size_t i = 0; i < art.ntags; i++)
		json_array_append_new(tags, json_pack("{s:s}", "name", art.tags[i]));
	json_t *a = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "id",
	    (json_int_t)art.id, "title", art.title, "summary", art.summary ? art.summary : "",
	    "body_html", art.body_html ? art.body_html : "", "date", date, "date_iso", iso,
	    "updated_iso", updated_iso, "category_name", art.category_name, "category_url",
	    arena_sprintf(req->arena, "/%s", art.category_slug), "path", path, "tags", tags,
	    "has_tags", art.ntags > 0);
	if (a == NULL) {
		json_decref(ctx);
		goto fail;
	}
	/* Figures placed in the body are already there; the rest are listed below it. */
	json_t *figs = figures_json(req, db, art.id);
	json_t *extra = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(figs, i, f) {
		const char *url = json_string_value(json_object_get(f, "url"));
		if (url != NULL && art.body_html != NULL && strstr(art.body_html, url) == NULL)
			json_array_append(extra, f);
	}
	if (art.image != NULL)
		json_object_set_new(a, "image_url", json_string(arena_sprintf(
							     req->arena, "%s/media/%s", app->cfg.base_url, art.image)));
	json_decref(figs);
	json_object_set_new(a, "figures", extra);
	/* JSON-LD, rating and comments, related news (portal/widgets.c). */
	page_article_parts(req, a, &art);
	if (form != NULL)
		json_object_set_new(a, "form", form);
	json_object_set_new(ctx, "article", a);
	json_object_set_new(ctx, "canonical",
			    json_string(arena_sprintf(req->arena, "%s%s", app->cfg.base_url, path)));
	if (form != NULL) {
		http_res_header(res, "Cache-Control", "no-store");
		int rendered = web_render(req, res, "article", ctx);
		return rendered == 200 ? status : rendered;
	}
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "article", ctx);
fail:
	json_decref(form);
	return 500;
}

int portal_article(http_req *req, http_res *res)
{
	int64_t id;
	if (web_parse_slug_id(req->params[1], &id) != 0)
		return 404;
	/* A cached copy exists only under the article's current URL. */
	if (page_cached(req, res) == 200) {
		visits_count(req, id);
		return 200;
	}
	return portal_article_page(req, res, id, NULL, 200);
}
