/*
 * web.h - what the public portal (portal/) and the back office (admin/) share:
 * the floor both stand on, so neither ever includes the other.
 *
 * lang.c    the interface language, chosen once per request and kept on it;
 *           catalog text in that language; the language switch
 * json.c    JSON bodies in and out, and API errors
 *           {"error": CODE, "message": TEXT}: CODE is stable for programs,
 *           TEXT follows the request's language
 * frame.c   the frame of every page (site, assets, language) and rendering
 * url.c     ids and article paths in URLs
 * origin.c  whether a POST comes from another site's page
 *
 * A helper goes here when two parts use it; one used by a single part stays
 * in that part's folder. Everything returned lives in the request's arena or
 * in static storage unless said otherwise: nothing needs freeing.
 */
#ifndef SEN_WEB_WEB_H
#define SEN_WEB_WEB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "db/db.h"
#include "http/http.h"
#include "model/article.h"

/* ---- lang.c ---- */

/* The name of the cookie that keeps a reader's choice of language. */
#define WEB_LANG_COOKIE "sen_lang"

/*
 * The interface language of this request, chosen on the first call and kept
 * on the request (req->lang): ?lang=vi|en, else the sen_lang cookie, else the
 * site's language (sen.ini `language`). The browser's Accept-Language never
 * decides: many Vietnamese readers run an English browser.
 */
lang_t web_lang(http_req *req);

/* True when the page is in Vietnamese only because the reader has not
 * chosen (no ?lang=, no cookie) while the browser prefers English: the page
 * then offers English in one line. Pages differ by it (the page cache keys
 * on it). */
bool web_lang_offered(http_req *req);

/* "vi" or "en". */
const char *web_lang_code(lang_t lang);

/* The catalog message `key` (locale/) in the request's language; borrowed,
 * static. The key itself when no catalog has it. */
const char *web_text(http_req *req, const char *key);

/* A word of one of the museum's own lists (a material, ...) in the
 * request's language: in Vietnamese the list's name as the museum keeps it
 * (name), in English the catalog's prefix+code ("material_KL") when the
 * catalog has it, else name (a word the museum added later). Borrowed. */
const char *web_vocab(http_req *req, const char *prefix, const char *code, const char *name);

/* The same with "{n}" replaced by n written the reader's way ("4.000" or
 * "4,000"); in the arena (the message itself when out of memory). */
const char *web_textf(http_req *req, const char *key, int64_t n);

/* A count as the reader writes it: 697.826 (vi), 697,826 (en). */
const char *web_count(http_req *req, int64_t n);

/* A measure as the reader writes it: 1.500,5 (vi) / 1,500.5 (en); "" for
 * 0 (not measured). */
const char *web_decimal(http_req *req, double v);

/* Adds "t" (the catalog), "lang", "other_lang" {code, name, url: this page in
 * the other language} and, when web_lang_offered(), "lang_offer" {code, text,
 * url} to ctx. */
void web_lang_context(http_req *req, json_t *ctx);

/* Content-Language and Vary for a page in the request's language, and the
 * cookie that remembers a choice made with ?lang=. */
void web_lang_headers(http_req *req, http_res *res);

/* ---- json.c ---- */

/*
 * Reads the request body as a JSON object of at most cap bytes. Returns 0
 * with *root (the caller decrefs it), or the HTTP status after writing the
 * API error into res: 415 for another Content-Type, 413 over cap, 400 for
 * an empty body, malformed JSON or a value that is not an object.
 * With optional set, an empty body gives 0 and *root NULL. shape (may be
 * NULL) is the message for malformed JSON, saying what was expected.
 * Every string value comes out in NFC (core/text_json.h), so what the API
 * stores is in one form whichever way it was typed.
 */
int web_json_body(http_req *req, http_res *res, size_t cap, bool optional, const char *shape,
		  json_t **root);

/* Sends o (consumed) as the JSON body with status; reals print in their
 * short form (4.3, not 4.2999999999999998), with Cache-Control: no-store.
 * Returns the status (500 with an API error when o is NULL or cannot be
 * written). */
int web_send_json(http_req *req, http_res *res, int status, json_t *o);

/* ld (consumed) as compact JSON safe inside <script type="application/ld+json">
 * (the element ends at the first "</script"): '<', '>', '&' and the line
 * separators U+2028, U+2029 written as \u escapes, which mean the same in
 * JSON strings, the only place they occur. In the request arena; NULL on
 * error (ld NULL included). */
const char *web_jsonld(http_req *req, json_t *ld);

/* The API error {"error": code, "message": the catalog text of key in the
 * request's language}. Returns status. */
int web_api_error(http_req *req, http_res *res, int status, const char *code, const char *key);

/* The same with a message already in the reader's language. */
int web_api_error_text(http_res *res, int status, const char *code, const char *message);

/* ---- frame.c ---- */

/* The frame every page starts from: page_title (may be NULL), asset_version,
 * site {name, base_url, lang} and the language (web_lang_context). The
 * caller owns the reference; NULL when out of memory. Never touches the
 * database, so error pages can use it. */
json_t *web_frame(http_req *req, const char *title);

/* Renders template `name` with ctx (consumed) into res->body with the
 * language headers; status 200. Returns the status, 500 when ctx is NULL
 * or rendering fails (the body is then empty). */
int web_render(http_req *req, http_res *res, const char *name, json_t *ctx);

/* Every category, in the site's order, as the items of a menu or a choice:
 * {id ("7"), slug, name, url ("/slug"), selected, active}, where selected
 * and active say whether it is the one named by selected (its id when
 * by_id, else its slug; may be NULL). An empty array when the list cannot
 * be read; NULL when out of memory. The caller owns the reference. */
json_t *web_categories(http_req *req, db_t *db, const char *selected, bool by_id);

/* ---- url.c ---- */

/* An id in a URL or a form: 1 to 15 decimal digits, nothing else, not 0.
 * 0 or -1. */
int web_parse_id(const char *s, int64_t *id);

/* "<slug>-<id>" or "<id>", the slug being [a-z0-9-] not ending in '-'.
 * 0 or -1. */
int web_parse_slug_id(const char *s, int64_t *id);

/* The article's public path, "/tin-hoat-dong/hoi-nghi-2021-12", in the
 * arena; NULL when out of memory. */
const char *web_article_path(arena_t *a, const article *art);

/* path?name=value&... of the NULL-terminated {name, value, name, value,
 * ..., NULL} pairs, values percent-encoded, empty or NULL values left out:
 * a list's link to its next page or to another filter, keeping the others.
 * In the arena; path itself when out of memory. */
const char *web_url(http_req *req, const char *path, const char *const *pairs);

/* ---- origin.c ---- */

/*
 * True when a browser says this request comes from another site's page
 * (Sec-Fetch-Site: cross-site, or an Origin that is neither base_url's nor
 * the Host's). A form that carries no secret of the reader's could
 * otherwise be sent by another site through its visitors' browsers.
 * Clients that send neither header (scripts, old browsers) pass.
 */
bool web_cross_site(http_req *req);

#endif
