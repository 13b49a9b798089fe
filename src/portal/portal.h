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

/* The route table for `sen serve`. */
extern const http_route portal_routes[];
extern const size_t portal_nroutes;

/* Fills res with the Vietnamese error page (JSON under /api/). */
void portal_error_page(http_req *req, http_res *res, int status);
/* Security and caching headers every response gets. */
void portal_before(http_req *req, http_res *res);

/* ---- page.c: shared context and rendering ---- */

/* The reader's language: ?lang=vi|en, else the sen_lang cookie, else the
 * best of vi/en in Accept-Language, else the site's default. */
lang_t page_lang(http_req *req);

/* Adds "t" (the catalog), "lang" and the language switch to ctx. */
void page_i18n_context(http_req *req, json_t *ctx);

/* New context with site, navigation (active category slug may be NULL),
 * links block and page title. The caller owns the reference. NULL on error. */
json_t *page_context(http_req *req, const char *title, const char *active_category);

/* Renders template `name` into res->body with status 200. Consumes ctx.
 * Returns the status (500 when rendering fails). */
int page_render(http_req *req, http_res *res, const char *name, json_t *ctx);

/* Serves the page for this request target from the page cache when a fresh
 * copy exists (status 200 returned, else 0). */
int page_cached(http_req *req, http_res *res);

/* page_render(), then keeps the page in the cache under the request target. */
int page_render_cached(http_req *req, http_res *res, const char *name, json_t *ctx);

/* "/tin-hoat-dong/hoi-nghi-...-2021-1" in the arena. */
const char *page_article_path(arena_t *a, const article *art);

/* A listing card: title, url, date, date_iso, summary, thumbnail. */
json_t *page_article_card(http_req *req, const article *art);

/* Parses "<slug>-<id>" or "<id>" (id: 1..10^15, digits only). 0 or -1. */
int page_parse_slug_id(const char *s, int64_t *id);

/* ---- handlers ---- */
int portal_home(http_req *req, http_res *res);
int portal_category(http_req *req, http_res *res);
int portal_article(http_req *req, http_res *res);
/* The article page for id; with form (consumed) re-shown after a refused
 * comment or rating, answered with `status` and never cached. */
int portal_article_page(http_req *req, http_res *res, int64_t id, json_t *form, int status);
int portal_static(http_req *req, http_res *res);
int portal_media(http_req *req, http_res *res);
int api_articles(http_req *req, http_res *res);
int api_article(http_req *req, http_res *res);

/* JSON error body {"error": code, "message": message}. Returns status. */
int api_error(http_res *res, int status, const char *code, const char *message);

#endif
