/*
 * widgets.h - the seed page's widgets as handlers and page-context helpers.
 *
 * feedback.c: rating ("Đánh giá"), comments ("Bình luận") and the CAPTCHA
 *             ("Mã xác thực"), as HTML forms and as JSON API.
 * visits.c:   visitor statistics ("Thống kê", "Online") and related news
 *             ("Tin liên quan").
 * widgets.c: registers the *_context functions as page parts (portal.h).
 * The *_context functions add keys to a page's jansson context; they never
 * fail the page (a widget that cannot load is left out and logged).
 */
#ifndef SEN_PORTAL_WIDGETS_H
#define SEN_PORTAL_WIDGETS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"
#include "model/article.h"

/* ---- feedback.c ---- */

/* Adds "rating" to the article object of the article page (a page part,
 * portal.h). */
void feedback_article_context(http_req *req, json_t *article_obj, const article *art);
/* feedback_comment.c: adds "comments" (count, approved page, notice) and
 * "feedback" (what the empty form needs: time token, CAPTCHA URLs) to it. */
void feedback_comments_context(http_req *req, json_t *article_obj, const article *art);
/* Adds "rating" {count, average} and "comments" (approved count) to an
 * article's API object. */
void feedback_article_json(http_req *req, json_t *obj, int64_t article_id);
int feedback_rate(http_req *req, http_res *res);          /* POST /danh-gia/:id */
int feedback_comment(http_req *req, http_res *res);       /* POST /binh-luan/:id */
int feedback_captcha_image(http_req *req, http_res *res); /* GET /ma-xac-thuc/:name */
int api_rating(http_req *req, http_res *res);   /* POST /api/v1/articles/:id/rating */
int api_comments(http_req *req, http_res *res); /* POST /api/v1/articles/:id/comments */
int api_captcha(http_req *req, http_res *res);  /* POST /api/v1/captcha */

/* ---- visits.c ---- */

/* Counts a page view (article_id 0 for pages that are not articles) for the
 * visitor of req, unless it is a bot. Called before the page cache. */
void visits_count(http_req *req, int64_t article_id);
/* Adds "stats" {total, online} (formatted for the language) to a page (a
 * page part, portal.h). */
void visits_page_context(http_req *req, json_t *ctx);
/* Adds "related" (cards) to the article object of the article page (a
 * page part). */
void visits_related_context(http_req *req, json_t *article_obj, const article *art);
/* Adds "views" and "related" to an article's API object. */
void visits_article_json(http_req *req, json_t *obj, int64_t article_id);
int api_stats(http_req *req, http_res *res);    /* GET /api/v1/stats */

/* Server lifecycle (called by `sen serve`): load totals and start the
 * once-a-second flusher; on shutdown flush everything. 0 or -1. */
int visits_start(int utc_offset);
void visits_stop(void);

/* ---- widgets.c ---- */

/* Registers the widgets' page parts: once, at start-up, before the server
 * answers (`sen serve`). 0 or -1. */
int portal_widgets_register(void);

#endif
