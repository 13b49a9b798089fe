/*
 * feedback.c - "Đánh giá" (ratings) on the article page and in the API, and
 * what the rating and comment handlers share: who the visitor is, the
 * article's public path.
 *
 * A visitor is the keyed hash of address and User-Agent (model/visitor.h);
 * the one-vote rule is the ratings table's primary key, so two racing votes
 * cannot both count. The article page is cached for every reader
 * (portal/cache.h), so nothing here puts anything per-visitor into it: the
 * "thank you" notes come from the redirect's query string, which is the
 * same for everyone who lands on that URL.
 *
 * Comments: feedback_comment.c. CAPTCHA: feedback_captcha.c.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/article.h"
#include "model/comment.h"
#include "model/rating.h"
#include "portal/feedback_private.h"
#include "portal/portal.h"
#include "portal/widgets.h"

/* Messages are catalog keys (locale/vi.po, en.po), shown in the reader's
 * language through web_text() (web/web.h). */
#define MSG_BOT_RATE "portal_rating_bot"
#define MSG_STARS_MISSING "portal_rating_stars_missing"
#define MSG_STARS_INVALID "portal_rating_stars_invalid"
#define MSG_RATED "portal_rating_thanks"
#define MSG_ALREADY_RATED "portal_rating_already"
#define MSG_ADDRESS_SPENT "portal_rating_address_spent"
#define MSG_NOT_FOUND "portal_not_found"
#define MSG_INTERNAL "portal_internal"

/* ---- the visitor ------------------------------------------------------------ */

bool feedback_visitor(http_req *req, char id[VISITOR_ID_LEN + 1])
{
	const unsigned char *key = portal_visitor_key();
	id[0] = '\0';
	if (key == NULL)
		return false;
	visitor_id(key, req->client_addr, http_header(req, "User-Agent"), id);
	return true;
}

bool feedback_address(http_req *req, char address[THROTTLE_KEY_LEN + 1])
{
	const unsigned char *key = portal_visitor_key();
	address[0] = '\0';
	if (key == NULL)
		return false;
	throttle_address_key(key, req->client_addr, address);
	return true;
}

bool feedback_is_bot(http_req *req)
{
	return visitor_is_bot(http_header(req, "User-Agent"));
}

const char *feedback_article_path(http_req *req, int64_t id, int *missing)
{
	*missing = 0;
	db_t *db = db_get();
	if (db == NULL)
		return NULL;
	article art;
	int rc = article_get(db, req->arena, id, &art);
	if (rc != 0) {
		*missing = rc == 1;
		return NULL;
	}
	return web_article_path(req->arena, &art);
}

/* ---- rating numbers --------------------------------------------------------- */

/*
 * The average in tenths, rounded half up from the exact count and sum, so
 * the page ("4,3") and the API (4.3) always agree. rating_summary() gives
 * the mean as a double; count * mean gives back the integer sum exactly for
 * any realistic count.
 */
static int64_t average_tenths(int64_t count, double average)
{
	if (count <= 0 || !isfinite(average))
		return 0;
	int64_t sum = llround(average * (double)count);
	return (20 * sum + count) / (2 * count);
}

static json_t *rating_numbers_json(int64_t count, double average)
{
	if (count <= 0)
		return json_pack("{s:I, s:n}", "count", (json_int_t)0, "average");
	return json_pack("{s:I, s:f}", "count", (json_int_t)count, "average",
			 (double)average_tenths(count, average) / 10.0);
}

/* ---- the article page and the article JSON ---------------------------------- */

static json_t *rating_context(http_req *req, db_t *db, int64_t article_id)
{
	/* Numbers follow the page's language (the cache keeps languages apart);
	 * widgets.js formats the numbers it updates the same way. */
	lang_t lang = web_lang(req);
	int64_t count = 0;
	double average = 0.0;
	if (rating_summary(db, article_id, &count, &average) != 0)
		return NULL;
	char count_text[32], average_text[32];
	fmt_int(count_text, sizeof count_text, count, lang);
	fmt_decimal1(average_text, sizeof average_text,
		     (double)average_tenths(count, average) / 10.0, lang);
	json_t *r = json_pack("{s:b, s:I, s:s, s:s}", "has_ratings", count > 0, "count",
			      (json_int_t)count, "count_text", count_text, "average_text",
			      average_text);
	/* The redirect after a vote lands on ?danh-gia=...; that URL's page is
	 * the same for everyone who reaches it, so it may be cached. */
	const char *done = http_query(req, "danh-gia");
	if (r != NULL && done != NULL) {
		if (strcmp(done, "da-ghi") == 0)
			json_object_set_new(r, "notice", json_string(web_text(req, MSG_RATED)));
		else if (strcmp(done, "da-co") == 0)
			json_object_set_new(r, "notice",
					    json_string(web_text(req, MSG_ALREADY_RATED)));
	}
	return r;
}

void feedback_article_context(http_req *req, json_t *art_obj, const article *art)
{
	int64_t article_id = art->id;
	db_t *db = db_get();
	if (db == NULL || art_obj == NULL)
		return;
	json_t *r = rating_context(req, db, article_id);
	if (r != NULL)
		json_object_set_new(art_obj, "rating", r);
	else
		log_error("feedback: no rating for article %" PRId64, article_id);
}

void feedback_article_json(http_req *req, json_t *obj, int64_t article_id)
{
	(void)req;
	db_t *db = db_get();
	if (db == NULL || obj == NULL)
		return;
	int64_t count = 0, comments = 0;
	double average = 0.0;
	if (rating_summary(db, article_id, &count, &average) == 0)
		json_object_set_new(obj, "rating", rating_numbers_json(count, average));
	if (comment_count_approved(db, article_id, &comments) == 0)
		json_object_set_new(obj, "comments", json_integer((json_int_t)comments));
}

/* ---- rating: the HTML form ------------------------------------------------------ */

/* Stars from a form field: exactly one digit 1..5. 0 when absent/empty,
 * -1 for anything else (0, 6, 3.5, huge, text). */
static int form_stars(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return 0;
	if (s[1] == '\0' && s[0] >= '1' && s[0] <= '5')
		return s[0] - '0';
	return -1;
}

static int reshow_rating(http_req *req, http_res *res, int64_t id, const char *message,
			 int status)
{
	json_t *form = json_pack("{s:s}", "rating_error", message);
	if (form == NULL)
		return 500;
	return portal_article_page(req, res, id, form, status);
}

int feedback_rate(http_req *req, http_res *res)
{
	int64_t id;
	if (web_parse_id(req->params[0], &id) != 0)
		return 404;
	if (feedback_is_bot(req))
		return reshow_rating(req, res, id, web_text(req, MSG_BOT_RATE), 403);
	int stars = form_stars(http_form(req, "stars"));
	if (stars <= 0)
		return reshow_rating(req, res, id,
				     web_text(req, stars == 0 ? MSG_STARS_MISSING
								   : MSG_STARS_INVALID),
				     400);
	char visitor[VISITOR_ID_LEN + 1], address[THROTTLE_KEY_LEN + 1];
	db_t *db = db_get();
	if (db == NULL || !feedback_visitor(req, visitor) || !feedback_address(req, address))
		return 500;
	int rc = rating_add_from(db, id, visitor, address, stars, (int64_t)time(NULL));
	if (rc == RATING_NOT_FOUND)
		return 404;
	if (rc == RATING_ADDRESS_SPENT)
		return reshow_rating(req, res, id, web_text(req, MSG_ADDRESS_SPENT), 429);
	if (rc == RATING_INVALID)
		return reshow_rating(req, res, id, web_text(req, MSG_STARS_INVALID), 400);
	if (rc != RATING_OK && rc != RATING_DUPLICATE)
		return 500;
	int missing = 0;
	const char *path = feedback_article_path(req, id, &missing);
	if (path == NULL)
		return missing ? 404 : 500;
	const char *to = arena_sprintf(req->arena, "%s?danh-gia=%s#danh-gia", path,
				       rc == RATING_OK ? "da-ghi" : "da-co");
	if (to == NULL)
		return 500;
	http_res_header(res, "Cache-Control", "no-store");
	return http_redirect(res, 303, to);
}

/* ---- rating: the API ------------------------------------------------------------ */

int api_rating(http_req *req, http_res *res)
{
	int64_t id;
	if (web_parse_id(req->params[0], &id) != 0)
		return web_api_error(req, res, 404, "not_found", MSG_NOT_FOUND);
	if (feedback_is_bot(req))
		return web_api_error(req, res, 403, "forbidden", MSG_BOT_RATE);
	json_t *root = NULL;
	/* jansson refuses numbers it cannot hold (1e400, 10^30): that is a bad
	 * number of stars to the reader, not a syntax lesson. */
	int status = web_json_body(req, res, FEEDBACK_SMALL_BODY_MAX, false,
					web_text(req, "portal_api_stars_shape"),
					&root);
	if (status != 0)
		return status;
	json_t *v = json_object_get(root, "stars");
	int stars = 0;
	if (json_is_integer(v) && json_integer_value(v) >= RATING_MIN &&
	    json_integer_value(v) <= RATING_MAX)
		stars = (int)json_integer_value(v);
	bool absent = v == NULL || json_is_null(v);
	json_decref(root);
	if (stars == 0)
		return web_api_error(req, res, 400, "invalid_stars",
				     absent ? MSG_STARS_MISSING : MSG_STARS_INVALID);

	char visitor[VISITOR_ID_LEN + 1], address[THROTTLE_KEY_LEN + 1];
	db_t *db = db_get();
	if (db == NULL || !feedback_visitor(req, visitor) || !feedback_address(req, address))
		return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
	int rc = rating_add_from(db, id, visitor, address, stars, (int64_t)time(NULL));
	if (rc == RATING_NOT_FOUND)
		return web_api_error(req, res, 404, "not_found", MSG_NOT_FOUND);
	if (rc == RATING_ADDRESS_SPENT)
		return web_api_error(req, res, 429, "too_many_votes", MSG_ADDRESS_SPENT);
	if (rc == RATING_DUPLICATE)
		return web_api_error(req, res, 409, "already_rated", MSG_ALREADY_RATED);
	if (rc == RATING_INVALID)
		return web_api_error(req, res, 400, "invalid_stars", MSG_STARS_INVALID);
	if (rc != RATING_OK)
		return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
	/* The vote is committed; the totals now include it (and any vote that
	 * committed meanwhile). */
	int64_t count = 0;
	double average = 0.0;
	if (rating_summary(db, id, &count, &average) != 0)
		return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
	return web_send_json(req, res, 200, rating_numbers_json(count, average));
}
