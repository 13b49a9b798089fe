/*
 * print.c - the print view of an article ("In bài viết"), at the article's
 * own URL followed by /in: the article alone (title, date, summary, body,
 * figures with captions, tags) with its source URL, in a page made for
 * paper (themes/default/print.mustache, static/css/print.css).
 */
#include <string.h>

#include "core/fmt.h"
#include "core/log.h"
#include "portal/discover.h"
#include "portal/portal.h"

/* Pictures of the article that the body does not already show. */
static json_t *extra_figures(http_req *req, db_t *db, const article *art)
{
	article_image *imgs = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	if (arr == NULL || article_images(db, req->arena, art->id, &imgs, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		const char *url = arena_sprintf(req->arena, "/media/%s", imgs[i].file);
		if (url == NULL || (art->body_html != NULL && strstr(art->body_html, url) != NULL))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:i, s:i}", "url", url, "caption",
						     imgs[i].caption ? imgs[i].caption : "",
						     "width", imgs[i].width, "height",
						     imgs[i].height));
	}
	return arr;
}

/* body_html without loading="lazy": a lazy picture may not have loaded yet
 * when the reader prints. Only the attribute our Markdown renderer writes is
 * removed, so the HTML stays as safe as it was. */
static const char *eager_images(http_req *req, const char *html)
{
	static const char lazy[] = " loading=\"lazy\"";
	if (html == NULL)
		return "";
	size_t len = strlen(html), n = 0;
	char *out = arena_alloc(req->arena, len + 1);
	if (out == NULL)
		return html;
	for (const char *p = html; *p != '\0';) {
		if (strncmp(p, lazy, sizeof lazy - 1) == 0) {
			p += sizeof lazy - 1;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

int print_article(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	int64_t id;
	if (web_parse_slug_id(req->params[1], &id) != 0)
		return 404;
	/* A cached copy exists only under the article's current URL. */
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	article art;
	int rc = article_get(db, req->arena, id, &art);
	if (rc != 0)
		return rc == 1 ? 404 : 500;
	const char *path = web_article_path(req->arena, &art);
	const char *print_path = path != NULL ? arena_sprintf(req->arena, "%s/in", path) : NULL;
	if (print_path == NULL)
		return 500;
	/* The id decides; an old title or category only moves the URL. */
	if (strcmp(print_path, req->path) != 0)
		return http_redirect(res, 301, print_path);

	char date[32], iso[40];
	fmt_datetime(date, sizeof date, art.published_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, art.published_at, app->cfg.utc_offset);
	json_t *tags = json_array();
	for (size_t i = 0; i < art.ntags; i++)
		json_array_append_new(tags, json_pack("{s:s}", "name", art.tags[i]));
	const char *source = arena_sprintf(req->arena, "%s%s", app->cfg.base_url, path);
	json_t *ctx = json_pack(
	    "{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}}",
	    "page_title", art.title, "asset_version", app->asset_version, "site", "name",
	    app->cfg.site_name, "base_url", app->cfg.base_url, "article", "title", art.title,
	    "summary", art.summary ? art.summary : "", "body_html",
	    eager_images(req, art.body_html), "date", date, "date_iso", iso, "category_name",
	    art.category_name, "path", path, "source_url", source, "figures",
	    extra_figures(req, db, &art), "tags", tags, "has_tags", art.ntags > 0);
	if (ctx == NULL)
		return 500;
	web_lang_context(req, ctx);
	json_object_set_new(ctx, "canonical", json_string(source));
	/* The article page is the one to index; this is a copy for paper. */
	http_res_header(res, "X-Robots-Tag", "noindex");
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "print", ctx);
}
