/*
 * discover.h - how readers and machines find articles: search, feeds,
 * sitemaps, robots.txt, sharing metadata and the print view.
 *
 * search.c: the search page and the search API (model/search.h).
 * feeds.c:  RSS 2.0 and Atom (site and per category), sitemap.xml (a
 *           sitemap index past 50,000 URLs), robots.txt, and the JSON-LD of
 *           the article page.
 * print.c:  the print view of an article ("In bài viết").
 * Handlers return an HTTP status, as every handler does (http.h).
 */
#ifndef SEN_PORTAL_DISCOVER_H
#define SEN_PORTAL_DISCOVER_H

#include <jansson.h>

#include "db/db.h"
#include "http/http.h"
#include "model/article.h"
#include "model/search.h"

/* ---- search.c ---- */

/*
 * One search box looks in several kinds of records: the search page's
 * table (search.c, search_kinds) has a row per kind, {slug of loai=, catalog
 * key of its name, run}. Articles are the page's own list; every other kind
 * gives a run function that fills one page of its hits for query q:
 * page 1.., per_page hits, and the total (counted up to SEARCH_COUNT_MAX,
 * total_is_lower_bound past it). Hits are plain text (the page escapes
 * them) in req's arena. 0, or -1 on a storage error.
 */
typedef struct {
	const char *title;
	const char *url;     /* the record's public page */
	const char *meta;    /* a line under the title: number, dates, kind */
	const char *text;    /* a short passage, or "" */
	const char *thumb;   /* a picture's URL, or NULL */
} search_kind_hit;

typedef struct {
	search_kind_hit *items;
	size_t n;
	int64_t total;
	bool total_is_lower_bound;
} search_kind_result;

typedef int (*search_kind_fn)(http_req *req, db_t *db, const search_query *q, int page,
			      size_t per_page, search_kind_result *out);

typedef struct {
	const char *slug;        /* loai=bai-viet, hien-vat, trung-bay, an-pham */
	const char *label_key;   /* its name in the catalogs */
	search_kind_fn run;      /* NULL for the articles */
} search_kind;

/* collection.c: the public objects (loai=hien-vat). */
int collection_search_hits(http_req *req, db_t *db, const search_query *q, int page,
			   size_t per_page, search_kind_result *out);
/* exhibitions.c: the public exhibitions (loai=trung-bay) and publications
 * (loai=an-pham). */
int exhibition_search_hits(http_req *req, db_t *db, const search_query *q, int page,
			   size_t per_page, search_kind_result *out);
int publication_search_hits(http_req *req, db_t *db, const search_query *q, int page,
			    size_t per_page, search_kind_result *out);

int portal_search(http_req *req, http_res *res); /* GET /tim-kiem?q=&chuyen-muc=&tu=&den=&trang= */
int api_search(http_req *req, http_res *res);    /* GET /api/v1/search?q=&category=&from=&to=&page= */

/* ---- feeds.c ---- */
int feeds_rss(http_req *req, http_res *res);     /* GET /rss.xml, /:category/rss.xml */
int feeds_atom(http_req *req, http_res *res);    /* GET /atom.xml, /:category/atom.xml */
int feeds_sitemap(http_req *req, http_res *res); /* GET /sitemap.xml */
int feeds_robots(http_req *req, http_res *res);  /* GET /robots.txt */
/* GET /sitemap-:n.xml: the Nth file of the sitemap index; 404 for an N
 * that is not a file number (no category slug holds a '.', so the route
 * takes nothing from /:category). */
int feeds_sitemap_page(http_req *req, http_res *res);

/* Adds "jsonld" (schema.org NewsArticle, escaped for a <script> element)
 * to the article object of the article page. Never fails the page. */
void feeds_article_context(http_req *req, json_t *article_obj, const article *art);

/* ---- print.c ---- */
int print_article(http_req *req, http_res *res); /* GET /:category/:slug/in */

#endif
