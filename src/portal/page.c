/*
 * page.c - the public page base: the frame with the site's navigation and
 * links, the page parts widgets register, the page cache, listing cards.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/fault.h"
#include "core/fmt.h"
#include "core/log.h"
#include "model/category.h"
#include "model/media.h"
#include "model/link.h"
#include "portal/cache.h"
#include "portal/portal.h"

/* Page parts (portal.h): filled at start-up, read-only while serving. */
#define PARTS_MAX 8
static page_part_fn page_parts[PARTS_MAX];
static size_t npage_parts;
static page_article_part_fn article_parts[PARTS_MAX];
static size_t narticle_parts;

int page_part_add(page_part_fn fn)
{
	if (npage_parts == PARTS_MAX)
		return -1;
	page_parts[npage_parts++] = fn;
	return 0;
}

int page_article_part_add(page_article_part_fn fn)
{
	if (narticle_parts == PARTS_MAX)
		return -1;
	article_parts[narticle_parts++] = fn;
	return 0;
}

void page_article_parts(http_req *req, json_t *article_obj, const article *art)
{
	for (size_t i = 0; i < narticle_parts; i++)
		article_parts[i](req, article_obj, art);
}

static json_t *links_json(http_req *req, db_t *db)
{
	/* The links cannot be read: the page goes without them. */
	link_item *links = NULL;
	size_t n = 0;
	if (link_list(db, req->arena, &links, &n) != 0)
		n = 0;
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < n; i++) {
		int external = strncmp(links[i].url, "http://", 7) == 0 ||
			       strncmp(links[i].url, "https://", 8) == 0;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "title", links[i].title,
						     "url", links[i].url, "external", external));
	}
	return arr;
}

json_t *page_context(http_req *req, const char *title, const char *active_category)
{
	db_t *db = db_get();
	if (db == NULL)
		return NULL;
	json_t *ctx = web_frame(req, title);
	if (ctx == NULL)
		return NULL;
	json_object_set_new(ctx, "nav", web_categories(req, db, active_category, false));
	json_t *links = links_json(req, db);
	json_object_set_new(ctx, "links", links);
	json_object_set_new(ctx, "has_links", json_boolean(json_array_size(links) > 0));
	for (size_t i = 0; i < npage_parts; i++)
		page_parts[i](req, ctx);
	return ctx;
}

static const char *cache_key(http_req *req)
{
	if (req->raw_target == NULL)
		return NULL;
	/* "vi", "vi+en" (Vietnamese with the offer to read in English), "en". */
	return arena_sprintf(req->arena, "%s%s|%s", web_lang_code(web_lang(req)),
			     web_lang_offered(req) ? "+en" : "", req->raw_target);
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
	web_lang_headers(req, res);
	http_res_header(res, "Cache-Control", "no-cache");
	res->status = 200;
	return 200;
}

db_t *page_start(http_req *req, http_res *res, int *status)
{
	*status = page_cached(req, res) == 200 ? 200 : 500;
	return *status == 200 ? NULL : db_get();
}

int page_render_cached(http_req *req, http_res *res, const char *name, json_t *ctx)
{
	int status = web_render(req, res, name, ctx);
	const char *key = cache_key(req);
	/* A page built while memory ran out may lack parts: the server answers
	 * 500 for it (http/server.c), and it must not be kept for the next
	 * readers. */
	if (status == 200 && key != NULL && page_cache_enabled() && fault_memory_failed() == NULL &&
	    !arena_failed(req->arena)) {
		page_cache_put(key, res->body.data, res->body.len);
		if (http_query(req, "lang") == NULL) {
			http_shared *sh = http_shared_new(res);
			if (sh != NULL) {
				page_cache_attach_shared(key, sh);
				/* This answer goes out as the kept one, so the copy
				 * compressed for it serves the next readers too. */
				return http_res_send_shared(res, sh);
			}
		}
	}
	return status;
}

/* The widths pictures are shown at, for sizes (themes/default/static/css/
 * site.css): the page is 100vw less 32 px of padding, and from 900 px a main
 * column beside the 300 px sidebar (356 px with the gap), at most 784 px; a
 * card is half of it from 600 px (16 px gap), the lead 1.3 of 2.3 parts
 * from 700 px. A little more than the layout's width is safe; less would
 * make a blurred picture. */
#define CARD_SIZES                                                                                \
	"(min-width: 1140px) 384px, (min-width: 900px) calc(50vw - 186px), "                      \
	"(min-width: 600px) calc(50vw - 24px), calc(100vw - 32px)"
#define LEAD_SIZES                                                                                \
	"(min-width: 1140px) 444px, (min-width: 900px) calc((100vw - 356px) * 0.57), "            \
	"(min-width: 700px) calc((100vw - 32px) * 0.57), calc(100vw - 32px)"

json_t *page_article_card(http_req *req, const article *art)
{
	const app_t *app = req->app;
	char date[32], iso[40];
	fmt_date(date, sizeof date, art->published_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, art->published_at, app->cfg.utc_offset);
	json_t *card = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s}", "id",
				 (json_int_t)art->id, "title", art->title, "url",
				 web_article_path(req->arena, art), "date", date, "date_iso", iso,
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
						      CARD_SIZES, "lead_sizes", LEAD_SIZES));
		json_object_set_new(card, "image", img);
	}
	/* Inside {{#image}} "url" is the picture's: the thumbnail's link to the
	 * article needs a name of its own. */
	if (card != NULL)
		json_object_set(card, "href", json_object_get(card, "url"));
	return card;
}
