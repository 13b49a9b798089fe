/*
 * routes.c - the public route table, static files, error pages, headers.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "db/db.h"
#include "model/media.h"
#include "portal/discover.h"
#include "portal/portal.h"
#include "portal/widgets.h"

/* Row order does not matter: the most specific pattern wins (http.h). The
 * forms a visitor posts are HTTP_SAME_SITE: a post from another site's page
 * is refused before their handler runs (cli/serve.c). */
const http_route portal_routes[] = {
	{HTTP_GET, "/", portal_home, HTTP_PUBLIC},
	{HTTP_GET, "/static/*", portal_static, HTTP_PUBLIC},
	{HTTP_GET, "/media/*", portal_media, HTTP_PUBLIC},
	{HTTP_GET, "/api/v1/articles", api_articles, HTTP_PUBLIC},
	{HTTP_GET, "/api/v1/articles/:id", api_article, HTTP_PUBLIC},
	{HTTP_GET, "/api/v1/objects", api_objects, HTTP_PUBLIC},
	{HTTP_GET, "/api/v1/objects/:id", api_object, HTTP_PUBLIC},
	{HTTP_GET, "/iiif/:id/info.json", iiif_info, HTTP_PUBLIC},
	{HTTP_GET, "/iiif/:id/:region/:size/:rotation/:file", iiif_tile, HTTP_PUBLIC},
	{HTTP_GET, "/hien-vat/:id/manifest.json", iiif_manifest, HTTP_PUBLIC},
	{HTTP_POST, "/api/v1/articles/:id/rating", api_rating, HTTP_PUBLIC},
	{HTTP_POST, "/api/v1/articles/:id/comments", api_comments, HTTP_PUBLIC},
	{HTTP_POST, "/api/v1/captcha", api_captcha, HTTP_PUBLIC},
	{HTTP_GET, "/api/v1/stats", api_stats, HTTP_PUBLIC},
	{HTTP_GET, "/api/v1/search", api_search, HTTP_PUBLIC},
	{HTTP_POST, "/danh-gia/:id", feedback_rate, HTTP_PUBLIC | HTTP_SAME_SITE},
	{HTTP_POST, "/binh-luan/:id", feedback_comment, HTTP_PUBLIC | HTTP_SAME_SITE},
	{HTTP_GET, "/ma-xac-thuc/:name", feedback_captcha_image, HTTP_PUBLIC},
	{HTTP_GET, "/tim-kiem", portal_search, HTTP_PUBLIC},
	{HTTP_GET, "/trung-bay", portal_exhibitions, HTTP_PUBLIC},
	{HTTP_GET, "/trung-bay/:id", portal_exhibition, HTTP_PUBLIC},
	{HTTP_GET, "/an-pham", portal_publications, HTTP_PUBLIC},
	{HTTP_GET, "/an-pham/:id", portal_publication, HTTP_PUBLIC},
	{HTTP_GET, "/hien-vat", portal_collection, HTTP_PUBLIC},
	{HTTP_GET, "/hien-vat/:id", portal_collection_object, HTTP_PUBLIC},
	{HTTP_GET, "/hien-vat/:id/in", portal_collection_print, HTTP_PUBLIC},
	{HTTP_GET, "/trung-bay/rss.xml", feeds_rss, HTTP_PUBLIC},
	{HTTP_GET, "/trung-bay/atom.xml", feeds_atom, HTTP_PUBLIC},
	{HTTP_GET, "/an-pham/rss.xml", feeds_rss, HTTP_PUBLIC},
	{HTTP_GET, "/an-pham/atom.xml", feeds_atom, HTTP_PUBLIC},
	{HTTP_GET, "/rss.xml", feeds_rss, HTTP_PUBLIC},
	{HTTP_GET, "/atom.xml", feeds_atom, HTTP_PUBLIC},
	{HTTP_GET, "/sitemap.xml", feeds_sitemap, HTTP_PUBLIC},
	{HTTP_GET, "/sitemap-:n.xml", feeds_sitemap_page, HTTP_PUBLIC},
	{HTTP_GET, "/robots.txt", feeds_robots, HTTP_PUBLIC},
	/* Harvesters post from anywhere: no same-site check. */
	{HTTP_GET | HTTP_POST, "/oai", portal_oai, HTTP_PUBLIC},
	{HTTP_GET, "/:category", portal_category, HTTP_PUBLIC},
	{HTTP_GET, "/:category/rss.xml", feeds_rss, HTTP_PUBLIC},
	{HTTP_GET, "/:category/atom.xml", feeds_atom, HTTP_PUBLIC},
	{HTTP_GET, "/:category/:slug", portal_article, HTTP_PUBLIC},
	{HTTP_GET, "/:category/:slug/in", print_article, HTTP_PUBLIC},
};
const size_t portal_nroutes = sizeof portal_routes / sizeof portal_routes[0];

int portal_static(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	/* Asset URLs carry ?v=VERSION, so a year of caching is safe. */
	return http_send_file(req, res, app->static_dir, req->params[0],
			      "public, max-age=31536000, immutable");
}

/* "attachment" with the PDF's name as it was sent: an ASCII slug of it for
 * every browser, the name itself (UTF-8, percent-encoded, RFC 6266 and
 * 8187) for those that read it. The stored name when the row has none. */
static const char *pdf_disposition(http_req *req, db_t *db)
{
	media m;
	const char *name = media_get_by_file(db, req->arena, req->params[0], &m) == 0 &&
				   m.original_name[0] != '\0'
			       ? m.original_name
			       : req->params[0];
	size_t len = strlen(name);
	if (len > 4 && strcasecmp(name + len - 4, ".pdf") == 0)
		len -= 4;
	char slug[128];
	if (text_slug(name, len, slug, sizeof slug) == 0)
		snprintf(slug, sizeof slug, "tai-lieu");
	buf_t b = {0};
	buf_printf(&b, "attachment; filename=\"%s.pdf\"; filename*=UTF-8''", slug);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (isalnum(c) || c == '-' || c == '.' || c == '_')
			buf_printf(&b, "%c", c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	buf_printf(&b, ".pdf");
	const char *out = b.data != NULL ? arena_strdup(req->arena, b.data) : NULL;
	buf_free(&b);
	return out != NULL ? out : "attachment";
}

int portal_media(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	/* Only stored pictures and their variants, once stripped of their
	 * metadata (model/media.h); the type follows the checked extension
	 * (jpg, png, webp, gif: always image/...) and the server adds nosniff. */
	db_t *db = db_get();
	int ok = db != NULL ? media_servable(db, req->params[0]) : -1;
	if (ok != 0)
		return ok == 1 ? 404 : 500;
	/* A PDF (a publication's file) is only ever a download, under the name
	 * it was sent with: the browser never renders it inside the site, and
	 * whatever the file holds cannot run as the site (sandbox). */
	const char *dot = strrchr(req->params[0], '.');
	if (dot != NULL && strcmp(dot, ".pdf") == 0 &&
	    (http_res_header(res, "Content-Disposition", pdf_disposition(req, db)) != 0 ||
	     http_res_header(res, "Content-Security-Policy", "default-src 'none'; sandbox") != 0))
		return 500;
	/* Media names are random and never reused: they can be cached long too. */
	return http_send_file(req, res, app->media_dir, req->params[0],
			      "public, max-age=31536000, immutable");
}

/* The one inline style the public pages allow, by its hash: OpenSeadragon
 * (the deep-zoom viewer, themes/default/vendor) puts
 * "@media (hover: none) {    .openseadragon-canvas:focus {        outline:
 * none !important;    }}" into a <style> element of its own when a viewer
 * starts, and has no setting to leave it out (openseadragon.js, Viewer).
 * The hash allows exactly that text and nothing else; when the vendored
 * version changes the text, the browser test tests/browser/scenarios/
 * deepzoom.mjs reports the violation. */
#define OSD_STYLE_HASH "'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE='"

void portal_before(http_req *req, http_res *res)
{
	(void)req;
	http_res_header(res, "Referrer-Policy", "strict-origin-when-cross-origin");
	http_res_header(res, "X-Frame-Options", "SAMEORIGIN");
	http_res_header(res, "Content-Security-Policy",
			"default-src 'self'; img-src 'self' data:; style-src 'self' " OSD_STYLE_HASH "; "
			"script-src 'self'; object-src 'none'; base-uri 'none'; "
			"frame-ancestors 'self'; form-action 'self'");
}

/* What an error page says for a status: its catalog keys (locale/), the
 * API's stable error code, and for the statuses that pass (the database
 * locked by another process, full storage) when to try again. Any other
 * status is error_500 (5xx) or error_other. */
static const struct {
	int status;
	const char *title, *message, *code, *retry_after;
} error_pages[] = {
	{400, "error_400_title", "error_400", "bad_request", NULL},
	{404, "error_404_title", "error_404", "not_found", NULL},
	{405, "error_405_title", "error_405", "method_not_allowed", NULL},
	{413, "error_413_title", "error_413", "payload_too_large", NULL},
	{414, "error_414_title", "error_414", "uri_too_long", NULL},
	{431, "error_431_title", "error_431", "headers_too_large", NULL},
	{503, "ops_busy_title", "ops_busy", "unavailable", "5"},
	{507, "ops_full_title", "ops_full", "storage_full", "60"},
};

/* The page of status with those keys (see portal_error_page). */
static void error_page(http_req *req, http_res *res, int status, const char *title_key,
		       const char *message_key, const char *code, const char *retry_after)
{
	/* API clients get Vietnamese, the site's first language, unless asked. */
	const char *title = web_text(req, title_key);
	const char *message = web_text(req, message_key);
	buf_clear(&res->body);
	res->status = status;
	if (retry_after != NULL) {
		http_res_header(res, "Retry-After", retry_after);
		http_res_header(res, "Cache-Control", "no-store");
	}
	if (req->path != NULL && strncmp(req->path, "/api/", 5) == 0) {
		web_api_error_text(res, status, code, message);
		return;
	}
	/* The error page must not depend on the database: a 500 may come from it. */
	const app_t *app = req->app;
	json_t *ctx = json_pack("{s:s, s:s, s:i, s:s, s:{s:s}}", "page_title", title,
				"message", message, "status", status, "asset_version",
				app->asset_version, "site", "name", app->cfg.site_name);
	if (ctx != NULL)
		web_lang_context(req, ctx);
	if (ctx == NULL || tmpl_render(app->tmpl, "error", ctx, &res->body) != 0) {
		buf_clear(&res->body);
		buf_printf(&res->body,
			   "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
			   "<title>%d</title><h1>%d</h1><p>",
			   status, status);
		buf_append_html(&res->body, message, strlen(message));
		buf_puts(&res->body, "</p></html>");
	}
	json_decref(ctx);
	res->content_type = "text/html; charset=utf-8";
	if (retry_after == NULL)
		http_res_header(res, "Cache-Control", "no-store");
}

void portal_error_page(http_req *req, http_res *res, int status)
{
	for (size_t i = 0; i < sizeof error_pages / sizeof error_pages[0]; i++)
		if (error_pages[i].status == status) {
			error_page(req, res, status, error_pages[i].title, error_pages[i].message,
				   error_pages[i].code, error_pages[i].retry_after);
			return;
		}
	if (status >= 500)
		error_page(req, res, status, "error_500_title", "error_500", "internal_error", NULL);
	else
		error_page(req, res, status, "error_other_title", "error_other", "error", NULL);
}

void portal_refusal_page(http_req *req, http_res *res, int status, const char *code,
			 const char *message_key)
{
	error_page(req, res, status, status >= 500 ? "error_500_title" : "error_other_title",
		   message_key, code, NULL);
}
