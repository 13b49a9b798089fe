/*
 * portal.h - public handlers (thin: parse, call models, render) and the
 * shared page context every public page starts from.
 */
#ifndef SEN_PORTAL_PORTAL_H
#define SEN_PORTAL_PORTAL_H

#include <jansson.h>
#include <stddef.h>

#include "app.h"
#include "http/http.h"
#include "model/article.h"
#include "web/web.h"

/* The route table for `sen serve`. */
extern const http_route portal_routes[];
extern const size_t portal_nroutes;

/* Fills res with the error page of status in the reader's language (JSON
 * under /api/); 503 (database busy) and 507 (storage full) say when to try
 * again (Retry-After). The only error page `sen serve` has (cli/serve.c). */
void portal_error_page(http_req *req, http_res *res, int status);
/* The same page for a refusal that has its own reason: the catalog
 * message key and the API's error code replace the status's own. */
void portal_refusal_page(http_req *req, http_res *res, int status, const char *code,
			 const char *message_key);
/* Security and caching headers every response gets. */
void portal_before(http_req *req, http_res *res);

/* ---- visitor.c ---- */

/* The site's visitor key (model/visitor.h), loaded on the first call;
 * NULL (logged once) when it cannot be read. */
const unsigned char *portal_visitor_key(void);

/* ---- page.c: the public page base ---- */

/* New context: the frame (web_frame) with the site's navigation (active
 * category slug may be NULL), links block, and what every registered page
 * part adds. The caller owns the reference. NULL on error. */
json_t *page_context(http_req *req, const char *title, const char *active_category);

/*
 * Page parts: a widget that shows on every public page (the visitor
 * counter) or on the article page (comments, related news) registers its
 * context function once at start-up, before the server answers; the page
 * base runs them in the order they were added. This way the base never
 * calls up into the widgets that use it. A part adds keys to ctx (or to the
 * article object) and never fails the page. 0, or -1 when the table is full.
 */
typedef void (*page_part_fn)(http_req *req, json_t *ctx);
typedef void (*page_article_part_fn)(http_req *req, json_t *article_obj, const article *art);
int page_part_add(page_part_fn fn);
int page_article_part_add(page_article_part_fn fn);

/* Runs the article parts on the article object of art's page. */
void page_article_parts(http_req *req, json_t *article_obj, const article *art);

/* Serves the page for this request target from the page cache when a fresh
 * copy exists (status 200 returned, else 0). */
int page_cached(http_req *req, http_res *res);

/* Where a cacheable page starts: page_cached(), else the database to build
 * the page from. NULL when there is nothing to build, with *status the
 * answer: 200 (served from the cache) or 500 (no database). */
db_t *page_start(http_req *req, http_res *res, int *status);

/* web_render(), then keeps the page in the cache under the request target. */
int page_render_cached(http_req *req, http_res *res, const char *name, json_t *ctx);

/* A listing card: title, url, date, date_iso, summary, thumbnail. */
json_t *page_article_card(http_req *req, const article *art);

/* ---- handlers ---- */
int portal_home(http_req *req, http_res *res);
int portal_category(http_req *req, http_res *res);
int portal_article(http_req *req, http_res *res);
/* The article page for id; with form (consumed) re-shown after a refused
 * comment or rating, answered with `status` and never cached. */
int portal_article_page(http_req *req, http_res *res, int64_t id, json_t *form, int status);
int portal_static(http_req *req, http_res *res);
/* exhibitions.c: exhibitions and publications. */
int portal_exhibitions(http_req *req, http_res *res);
int portal_exhibition(http_req *req, http_res *res);
int portal_publications(http_req *req, http_res *res);
int portal_publication(http_req *req, http_res *res);
int portal_media(http_req *req, http_res *res);
int api_articles(http_req *req, http_res *res);
int api_article(http_req *req, http_res *res);
/* oai.c: OAI-PMH 2.0 over the online collection (GET and POST). */
int portal_oai(http_req *req, http_res *res);

/* api_objects.c: the online collection (public objects of the register). */
int api_objects(http_req *req, http_res *res);
int api_object(http_req *req, http_res *res);
/* collection.c: the online collection's pages. */
int portal_collection(http_req *req, http_res *res);        /* GET /hien-vat */
int portal_collection_object(http_req *req, http_res *res); /* GET /hien-vat/:id */
int portal_collection_print(http_req *req, http_res *res);  /* GET /hien-vat/:id/in */

/* iiif.c: a photo's IIIF Image API level 0 service (info.json, tiles) and
 * an object's IIIF Presentation 3 manifest, for public objects only. */
int iiif_info(http_req *req, http_res *res);
int iiif_tile(http_req *req, http_res *res);
int iiif_manifest(http_req *req, http_res *res);
/* The context of partials/deepzoom.mustache for public object object_id:
 * {"tiles": "/iiif/1/info.json /iiif/2/info.json" (its photos that have
 * tiles, the lead first), "manifest": "/hien-vat/ID/manifest.json"}; NULL
 * when no photo has tiles yet (or on error): the page then shows its lead
 * picture only. The object page sets it as its object's "deepzoom". */
json_t *iiif_deepzoom(http_req *req, db_t *db, int64_t object_id);

#endif
