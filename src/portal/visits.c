/*
 * visits.c - visitor statistics ("Thống kê", "Online") and related news
 * ("Tin liên quan") on the public pages and in the API (see widgets.h).
 *
 * Counting: a GET of the home, a category or an article page is one page
 * view, counted by visits_count() before the page cache is asked, so a page
 * served from the cache counts exactly like a rendered one. The visitor is
 * the keyed hash of address and user agent (model/visitor.h): no address is
 * kept, and crawlers (visitor_is_bot) are not counted at all. The counters
 * live in memory (model/stats.h) and are written once a second by the
 * flusher thread that visits_start() starts; visits_stop() writes the rest.
 *
 * Related news: articles imported by `sen import` or `sen init --demo` are
 * not indexed by the importer, so visits_start() indexes the articles that
 * never were (related_index_missing): up to RELATED_INDEX_AT_START before
 * the server answers, the rest in a background thread, which then looks
 * again every RELATED_RESCAN_SECONDS so that an import into a running server
 * reaches the other articles' lists too. An article
 * page whose own index is missing indexes itself on the spot (related.h).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/related.h"
#include "model/stats.h"
#include "model/visitor.h"
#include "portal/portal.h"
#include "portal/widgets.h"

#define RELATED_RESCAN_SECONDS 30  /* how often new, unindexed articles are looked for */
#define RELATED_INDEX_BATCH 64     /* articles indexed between checks for a stop */
/* Articles indexed before the server answers (a few ms each); an import
 * larger than this is finished by the background thread. */
#define RELATED_INDEX_AT_START 200

/* ---- the visitor --------------------------------------------------------- */

/* The request this thread last counted with a visitor, so that the page it
 * renders can count its own reader as online (the model computes the online
 * number at most once a second, and may have done so just before this
 * reader arrived). */
static _Thread_local const http_req *counted_req;

/* Fills id with the visitor id of req; false when there is no secret (the
 * view is then counted without a visitor: no visit, not online). */
static bool visitor_of(http_req *req, const char *ua, char id[VISITOR_ID_LEN + 1])
{
	const unsigned char *key = portal_visitor_key();
	if (key == NULL)
		return false;
	visitor_id(key, req->client_addr, ua, id);
	return true;
}

void visits_count(http_req *req, int64_t article_id)
{
	counted_req = NULL;
	/* HEAD is what monitors and link checkers send; nobody reads the page. */
	if (req->method != HTTP_GET)
		return;
	const char *ua = http_header(req, "User-Agent");
	if (visitor_is_bot(ua))
		return;
	char id[VISITOR_ID_LEN + 1];
	bool known = visitor_of(req, ua, id);
	stats_hit(known ? id : NULL, article_id, (int64_t)time(NULL));
	counted_req = known ? req : NULL;
}

/* ---- statistics on pages and in the API ------------------------------------ */

void visits_page_context(http_req *req, json_t *ctx)
{
	const app_t *app = req->app;
	int64_t total, online;
	if (stats_totals(&total, &online) != 0)
		return; /* not started (tests of page.c without a server): no widget */
	if (counted_req == req && online < 1)
		online = 1;
	counted_req = NULL;
	char t[32], o[32];
	fmt_int(t, sizeof t, total, app->lang);
	fmt_int(o, sizeof o, online, app->lang);
	json_object_set_new(ctx, "stats", json_pack("{s:s, s:s}", "total", t, "online", o));
}

int api_stats(http_req *req, http_res *res)
{
	int64_t total, online;
	if (stats_totals(&total, &online) != 0)
		return web_api_error(req, res, 503, "unavailable", "portal_stats_unavailable");
	char body[96];
	int n = snprintf(body, sizeof body, "{\"total_visits\":%" PRId64 ",\"online\":%" PRId64 "}",
			 total, online);
	/* Numbers that change every second are not worth caching anywhere. */
	http_res_header(res, "Cache-Control", "no-store");
	return http_json(res, 200, body, (size_t)n);
}

/* ---- related news ------------------------------------------------------------ */

void visits_related_context(http_req *req, json_t *obj, const article *art)
{
	int64_t article_id = art->id;
	db_t *db = db_get();
	article *items = NULL;
	size_t n = 0;
	if (db == NULL || related_list(db, req->arena, article_id, RELATED_DEFAULT, &items, &n) != 0) {
		log_warn("visits: related news of article %" PRId64 " left out", article_id);
		return;
	}
	json_t *cards = json_array();
	if (cards == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(cards, page_article_card(req, &items[i]));
	json_object_set_new(obj, "related", cards);
	json_object_set_new(obj, "has_related", json_boolean(n > 0));
}

void visits_article_json(http_req *req, json_t *obj, int64_t article_id)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	if (db == NULL)
		return;
	/* Includes the views counted but not written yet. */
	int64_t views = stats_article_views(db, article_id);
	if (views >= 0)
		json_object_set_new(obj, "views", json_integer((json_int_t)views));

	article *items = NULL;
	size_t n = 0;
	if (related_list(db, req->arena, article_id, RELATED_DEFAULT, &items, &n) != 0) {
		log_warn("visits: related news of article %" PRId64 " left out", article_id);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)items[i].id, "title",
				   items[i].title, "url",
				   arena_sprintf(req->arena, "%s%s", app->cfg.base_url,
						 web_article_path(req->arena, &items[i]))));
	if (arr != NULL)
		json_object_set_new(obj, "related", arr);
}

/* ---- the related-news indexer -------------------------------------------------- */

static pthread_mutex_t indexer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t indexer_wake = PTHREAD_COND_INITIALIZER;
static pthread_t indexer;
static bool indexer_running;
static bool indexer_stop;

static bool indexer_stopping(void)
{
	pthread_mutex_lock(&indexer_lock);
	bool stop = indexer_stop;
	pthread_mutex_unlock(&indexer_lock);
	return stop;
}

/* Indexes every article that never was, a batch at a time so that a stop
 * request is honoured within one batch. */
static void index_missing(db_t *db)
{
	int total = 0, got = 0;
	do {
		if (related_index_missing(db, RELATED_INDEX_BATCH, &got) != 0) {
			log_warn("visits: indexing related news failed; trying again later");
			break;
		}
		total += got;
	} while (got == RELATED_INDEX_BATCH && !indexer_stopping());
	if (total > 0)
		log_info("related news: indexed %d new article%s", total, total == 1 ? "" : "s");
}

static void *indexer_main(void *arg)
{
	(void)arg;
	db_t *db = db_get();
	if (db == NULL)
		return NULL;
	index_missing(db);
	pthread_mutex_lock(&indexer_lock);
	while (!indexer_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += RELATED_RESCAN_SECONDS;
		int rc = 0;
		while (!indexer_stop && rc == 0)
			rc = pthread_cond_timedwait(&indexer_wake, &indexer_lock, &until);
		if (indexer_stop)
			break;
		pthread_mutex_unlock(&indexer_lock);
		index_missing(db);
		pthread_mutex_lock(&indexer_lock);
	}
	pthread_mutex_unlock(&indexer_lock);
	db_thread_close();
	return NULL;
}

/* ---- life cycle ------------------------------------------------------------------ */

int visits_start(int utc_offset)
{
	db_t *db = db_get();
	if (db == NULL || stats_init() != 0)
		return -1;
	/* Load the secret now rather than on the first request. */
	portal_visitor_key();
	if (stats_start_flusher(utc_offset) != 0) {
		stats_stop();
		return -1;
	}
	/* The first pass runs before the server answers, so that after a usual
	 * import the first article page already sees every article; a very large
	 * import is finished in the background instead of holding up the start. */
	int indexed = 0;
	if (related_index_missing(db, RELATED_INDEX_AT_START, &indexed) != 0)
		log_warn("visits: indexing related news failed; trying again in the background");
	else if (indexed > 0)
		log_info("related news: indexed %d article%s", indexed, indexed == 1 ? "" : "s");
	pthread_mutex_lock(&indexer_lock);
	indexer_stop = false;
	int rc = pthread_create(&indexer, NULL, indexer_main, NULL);
	indexer_running = rc == 0;
	pthread_mutex_unlock(&indexer_lock);
	if (rc != 0)
		log_warn("visits: cannot start the related-news indexer: %s", strerror(rc));
	return 0;
}

void visits_stop(void)
{
	pthread_mutex_lock(&indexer_lock);
	bool running = indexer_running;
	indexer_stop = true;
	pthread_cond_signal(&indexer_wake);
	pthread_mutex_unlock(&indexer_lock);
	if (running) {
		pthread_join(indexer, NULL);
		indexer_running = false;
	}
	/* Writes every view counted so far; the server has stopped counting. */
	stats_stop();
}
