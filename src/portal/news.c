/*
 * news.c - the public news pages: home, category listing, article.
 */
#include <string.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/category.h"
#include "model/media.h"
#include "render/markdown.h"
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

/* The article column's width for sizes (themes/default/static/css/site.css):
 * the main column (page.c, CARD_SIZES) less the article's 2 x 23 px of
 * padding and border. */
#define FIGURE_SIZES                                                                              \
	"(min-width: 1140px) 738px, (min-width: 900px) calc(100vw - 402px), calc(100vw - 78px)"

static const char *first_text(const char *a, const char *b, const char *c, const char *d)
{
	return a != NULL && a[0] != '\0'   ? a
	       : b != NULL && b[0] != '\0' ? b
	       : c != NULL && c[0] != '\0' ? c
					   : (d != NULL ? d : "");
}

/*
 * One figure of the article page (partials/figure.mustache): its variants
 * when it has them (WebP and the original's format, srcset, sizes, width
 * and height), the original otherwise; caption and credit; alt never
 * empty while there is something to say: alt given, the picture's own,
 * the caption, the article's title. Every key is set, so the partial never
 * reads one of the article's.
 */
static json_t *figure_json(http_req *req, db_t *db, const char *file, const char *alt,
			   const char *caption, int width, int height, const char *title)
{
	media_responsive r = {.alt = "", .credit = ""};
	bool sized = media_responsive_for(db, req->arena, file, &r) == 0;
	json_t *fig = json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "url", arena_sprintf(req->arena, "/media/%s", file),
	    "caption", caption != NULL ? caption : "", "alt", first_text(alt, r.alt, caption, title),
	    "credit", sized ? r.credit : "", "width", sized ? r.width : width, "height",
	    sized ? r.height : height, "img", 0);
	if (fig != NULL && sized && r.srcset[0] != '\0')
		json_object_set_new(fig, "img",
				    json_pack("{s:s, s:s, s:s, s:s}", "src", r.src, "srcset", r.srcset,
					      "webp_srcset", r.webp_srcset, "sizes", FIGURE_SIZES));
	return fig;
}

static json_t *figures_json(http_req *req, db_t *db, const article *art)
{
	article_image *imgs = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	if (arr == NULL || article_images(db, req->arena, art->id, &imgs, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, figure_json(req, db, imgs[i].file, NULL, imgs[i].caption,
						       imgs[i].width, imgs[i].height, art->title));
	return arr;
}

/* A piece of the body: HTML as stored, or a figure (partials/figure). */
static json_t *body_part(const char *html, size_t len, json_t *figure)
{
	return json_pack("{s:s%, s:o}", "html", html, len, "figure",
			 figure != NULL ? figure : json_false());
}

/*
 * The body as pieces, each picture the author placed in the text ("Chèn
 * vào nội dung": a figure of the Markdown renderer, render/markdown.h)
 * taken out of the stored HTML and shown as the figures below it are: at
 * its variants' sizes, with its credit, its alt falling back to the
 * picture's, the caption or the title. figs (figures_json) already looked
 * the article's pictures up; a picture placed in the text without being
 * one of them is looked up here.
 */
static json_t *body_json(http_req *req, db_t *db, const article *art, json_t *figs)
{
	const char *html = art->body_html != NULL ? art->body_html : "";
	size_t len = strlen(html), at = 0;
	json_t *parts = json_array();
	buf_t alt = BUF_INIT, caption = BUF_INIT;
	markdown_figure f;
	while (parts != NULL && markdown_figure_next(html, len, at, &f) == 1) {
		const char *file = arena_strndup(req->arena, f.file, f.file_len);
		const char *url = arena_sprintf(req->arena, "/media/%.*s", (int)f.file_len, f.file);
		buf_clear(&alt);
		buf_clear(&caption);
		if (file == NULL || url == NULL || markdown_unescape(f.alt, f.alt_len, &alt) != 0 ||
		    markdown_unescape(f.caption, f.caption_len, &caption) != 0)
			break;
		json_t *fig = NULL, *known;
		size_t i;
		json_array_foreach(figs, i, known) {
			const char *u = json_string_value(json_object_get(known, "url"));
			if (u != NULL && strcmp(u, url) == 0) {
				fig = json_deep_copy(known);
				break;
			}
		}
		if (fig == NULL)
			fig = figure_json(req, db, file, alt.data, caption.data, 0, 0, art->title);
		else if (alt.data[0] != '\0')
			json_object_set_new(fig, "alt", json_string(alt.data));
		if (fig != NULL)
			json_object_set_new(fig, "caption", json_string(caption.data));
		json_array_append_new(parts, body_part(html + at, f.start - at, NULL));
		json_array_append_new(parts, body_part("", 0, fig));
		at = f.end;
	}
	buf_free(&alt);
	buf_free(&caption);
	json_array_append_new(parts, body_part(html + at, len - at, NULL));
	return parts;
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
	/* Figures placed in the body are shown there; the rest are listed below it. */
	json_t *figs = figures_json(req, db, &art);
	json_object_set_new(a, "body", body_json(req, db, &art, figs));
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
