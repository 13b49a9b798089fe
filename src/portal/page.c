/*
 * page.c - the context every public page starts from, and rendering.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/category.h"
#include "model/media.h"
#include "model/link.h"
#include "portal/cache.h"
#include "render/i18n.h"
#include "portal/portal.h"
#include "portal/widgets.h"

static void language_headers(http_req *req, http_res *res);

const char *page_article_path(arena_t *a, const article *art)
{
	if (art->slug != NULL && art->slug[0] != '\0')
		return arena_sprintf(a, "/%s/%s-%lld", art->category_slug, art->slug,
				     (long long)art->id);
	return arena_sprintf(a, "/%s/%lld", art->category_slug, (long long)art->id);
}

int page_parse_slug_id(const char *s, int64_t *id)
{
	/* Accepted: "<id>" or "<slug>-<id>" where slug is [a-z0-9-] and does not
	 * end in '-' ("x--1" and "-1" are not ids of anything). */
	const char *dash = strrchr(s, '-');
	const char *digits = dash != NULL ? dash + 1 : s;
	if (dash != NULL) {
		if (dash == s || dash[-1] == '-')
			return -1;
		for (const char *p = s; p < dash; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
				return -1;
	}
	size_t n = strlen(digits);
	/* Fifteen digits is far beyond any real id and keeps clear of overflow. */
	if (n == 0 || n > 15)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -1;
		v = v * 10 + (digits[i] - '0');
	}
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int lang_code(const char *s, lang_t *out)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "vi") == 0) {
		*out = LANG_VI;
		return 0;
	}
	if (strcmp(s, "en") == 0) {
		*out = LANG_EN;
		return 0;
	}
	return -1;
}

/* Picks vi or en from an Accept-Language header by q-value; ties go to the
 * one listed first. -1 when neither is there. */
static int accept_language(const char *h, lang_t *out)
{
	double best = 0.0;
	int found = -1;
	for (int guard = 0; h != NULL && *h != '\0' && guard < 32; guard++) {
		while (*h == ' ' || *h == ',')
			h++;
		const char *tag = h;
		while (*h != '\0' && *h != ',' && *h != ';' && *h != ' ')
			h++;
		size_t taglen = (size_t)(h - tag);
		double q = 1.0;
		const char *next = strchr(h, ',');
		const char *qs = strstr(h, "q=");
		if (qs != NULL && (next == NULL || qs < next))
			q = strtod(qs + 2, NULL);
		lang_t l;
		int match = -1;
		if (taglen >= 2 && (taglen == 2 || tag[2] == '-')) {
			if (strncasecmp(tag, "vi", 2) == 0)
				match = LANG_VI;
			else if (strncasecmp(tag, "en", 2) == 0)
				match = LANG_EN;
		}
		if (match >= 0 && q > best) {
			best = q;
			l = (lang_t)match;
			*out = l;
			found = 0;
		}
		h = next != NULL ? next : h + strlen(h);
	}
	return found;
}

lang_t page_lang(http_req *req)
{
	const app_t *app = req->app;
	lang_t l;
	if (lang_code(http_query(req, "lang"), &l) == 0 ||
	    lang_code(http_cookie(req, "sen_lang"), &l) == 0 ||
	    accept_language(http_header(req, "Accept-Language"), &l) == 0)
		return l;
	return app->lang;
}

static void url_encode(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

/* The same page in the other language: the path, every query field but
 * lang (a search keeps its words), then lang=CODE. */
static const char *switch_url(http_req *req, const char *code)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, req->path != NULL && req->path[0] == '/' ? req->path : "/");
	char sep = '?';
	for (size_t i = 0; i < req->nquery; i++) {
		if (strcmp(req->query[i].name, "lang") == 0)
			continue;
		buf_putc(&b, sep);
		url_encode(&b, req->query[i].name);
		buf_putc(&b, '=');
		url_encode(&b, req->query[i].value);
		sep = '&';
	}
	buf_printf(&b, "%clang=%s", sep, code);
	const char *url = b.failed ? "/" : arena_strdup(req->arena, b.data);
	buf_free(&b);
	return url != NULL ? url : "/";
}

void page_i18n_context(http_req *req, json_t *ctx)
{
	lang_t l = page_lang(req);
	lang_t other = l == LANG_VI ? LANG_EN : LANG_VI;
	const char *code = other == LANG_EN ? "en" : "vi";
	json_object_set(ctx, "t", i18n_catalog(l));
	json_object_set_new(ctx, "lang", json_string(l == LANG_EN ? "en" : "vi"));
	json_object_set_new(ctx, "other_lang",
			    json_pack("{s:s, s:s, s:s}", "code", code, "name",
				      i18n_text(other, "lang_name"), "url",
				      switch_url(req, code)));
}

static json_t *nav_json(http_req *req, db_t *db, const char *active)
{
	category *cats = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	if (arr == NULL || category_list(db, req->arena, &cats, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_pack("{s:s, s:s, s:b}", "name", cats[i].name, "url",
				      arena_sprintf(req->arena, "/%s", cats[i].slug), "active",
				      active != NULL && strcmp(active, cats[i].slug) == 0);
		json_array_append_new(arr, c);
	}
	return arr;
}

static json_t *links_json(http_req *req, db_t *db)
{
	link_item *links = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	if (arr == NULL || link_list(db, req->arena, &links, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		int external = strncmp(links[i].url, "http://", 7) == 0 ||
			       strncmp(links[i].url, "https://", 8) == 0;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "title", links[i].title,
						     "url", links[i].url, "external", external));
	}
	return arr;
}

json_t *page_context(http_req *req, const char *title, const char *active_category)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	if (db == NULL)
		return NULL;
	json_t *ctx = json_pack("{s:s?, s:s, s:{s:s, s:s, s:s}}", "page_title", title,
				"asset_version", app->asset_version, "site", "name",
				app->cfg.site_name, "base_url", app->cfg.base_url, "lang",
				app->cfg.language);
	if (ctx == NULL)
		return NULL;
	page_i18n_context(req, ctx);
	json_object_set_new(ctx, "nav", nav_json(req, db, active_category));
	json_t *links = links_json(req, db);
	json_object_set_new(ctx, "links", links);
	json_object_set_new(ctx, "has_links", json_boolean(json_array_size(links) > 0));
	visits_page_context(req, ctx);
	return ctx;
}

int page_render(http_req *req, http_res *res, const char *name, json_t *ctx)
{
	const app_t *app = req->app;
	if (ctx == NULL)
		return 500;
	language_headers(req, res);
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

static const char *cache_key(http_req *req)
{
	const app_t *app = req->app;
	if (req->raw_target == NULL)
		return NULL;
	(void)app;
	return arena_sprintf(req->arena, "%s|%s", page_lang(req) == LANG_EN ? "en" : "vi",
			     req->raw_target);
}

/* A choice made with ?lang= is remembered for the next pages. */
static void language_headers(http_req *req, http_res *res)
{
	lang_t l;
	if (lang_code(http_query(req, "lang"), &l) == 0)
		http_res_header(res, "Set-Cookie",
				l == LANG_EN ? "sen_lang=en; Path=/; Max-Age=31536000; SameSite=Lax"
					     : "sen_lang=vi; Path=/; Max-Age=31536000; SameSite=Lax");
	http_res_header(res, "Content-Language", page_lang(req) == LANG_EN ? "en" : "vi");
	http_res_header(res, "Vary", "Accept-Language, Cookie");
}

int page_cached(http_req *req, http_res *res)
{
	const char *key = cache_key(req);
	if (key == NULL)
		return 0;
	/* Without ?lang= nothing in the answer depends on this request, so the
	 * response kept with the page goes out as it is. */
	if (http_query(req, "lang") == NULL) {
		http_shared *sh = page_cache_get_shared(key);
		if (sh != NULL)
			return http_res_send_shared(res, sh);
	}
	if (!page_cache_get(key, &res->body))
		return 0;
	language_headers(req, res);
	http_res_header(res, "Cache-Control", "no-cache");
	res->status = 200;
	return 200;
}

int page_render_cached(http_req *req, http_res *res, const char *name, json_t *ctx)
{
	int status = page_render(req, res, name, ctx);
	const char *key = cache_key(req);
	if (status == 200 && key != NULL) {
		page_cache_put(key, res->body.data, res->body.len);
		if (http_query(req, "lang") == NULL) {
			http_shared *sh = http_shared_new(res);
			if (sh != NULL) {
				page_cache_attach_shared(key, sh);
				http_shared_unref(sh);
			}
		}
	}
	return status;
}

json_t *page_article_card(http_req *req, const article *art)
{
	const app_t *app = req->app;
	char date[32], iso[40];
	fmt_date(date, sizeof date, art->published_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, art->published_at, app->cfg.utc_offset);
	json_t *card = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s}", "id",
				 (json_int_t)art->id, "title", art->title, "url",
				 page_article_path(req->arena, art), "date", date, "date_iso", iso,
				 "summary", art->summary, "category_name", art->category_name,
				 "category_url",
				 arena_sprintf(req->arena, "/%s", art->category_slug));
	if (card != NULL && art->image != NULL) {
		json_t *img = json_pack("{s:s, s:s}", "url",
					arena_sprintf(req->arena, "/media/%s", art->image), "alt",
					art->image_caption ? art->image_caption : art->title);
		/* Resized copies when the media library made them (model/media.h);
		 * older pictures keep the original alone. */
		media_responsive r;
		db_t *db = db_get();
		if (img != NULL && db != NULL &&
		    media_responsive_for(db, req->arena, art->image, &r) == 0 && r.srcset[0] != '\0')
			json_object_set_new(img, "sized",
					    json_pack("{s:s, s:s, s:s, s:s, s:s}", "src", r.src, "srcset",
						      r.srcset, "webp_srcset", r.webp_srcset, "sizes",
						      "(min-width: 960px) 300px, (min-width: 600px) 45vw, 100vw",
						      "lead_sizes", "(min-width: 760px) 720px, 100vw"));
		json_object_set_new(card, "image", img);
	}
	/* Inside {{#image}} "url" is the picture's: the thumbnail's link to the
	 * article needs a name of its own. */
	if (card != NULL)
		json_object_set(card, "href", json_object_get(card, "url"));
	return card;
}
