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

#include "http/http.h"
#include "model/article.h"

/* ---- search.c ---- */
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
