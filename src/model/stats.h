/*
 * stats.h - "Thống kê: 697.826" and "Online: 37": visits, page views and
 * visitors online, counted in memory and written to the database once a
 * second.
 *
 * Definitions:
 *   - a page view is one stats_hit();
 *   - a visit is a visitor's first page view, or the first after
 *     STATS_VISIT_GAP seconds without one;
 *   - online is the number of distinct visitors whose last page view was
 *     less than STATS_ONLINE_WINDOW seconds ago;
 *   - daily totals (visits, views) are kept per local day, in the site's UTC
 *     offset, in the table visits_daily; an article's views are added to
 *     articles.views.
 *
 * Memory: the last-seen times of at most STATS_VISITORS_MAX visitors, split
 * in STATS_SHARDS shards with a mutex each; a full shard forgets the visitor
 * it heard from least recently (who then counts as a new visit when they
 * return). Hits only touch one shard, so threads rarely wait for each other.
 *
 * Durability: the flusher thread writes what accumulated in one transaction
 * every second, so a kill -9 loses at most about one second of counts;
 * stats_stop() writes everything. If a write fails the counts stay in memory
 * and go with the next one. Counting is exact: N hits add exactly N views.
 *
 * Life cycle (process-wide state, one instance): db_open(), stats_init(),
 * stats_start_flusher(), hits and reads from any thread, then stats_stop()
 * after the server has stopped calling stats_hit().
 */
#ifndef SEN_MODEL_STATS_H
#define SEN_MODEL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define STATS_VISITORS_MAX 100000  /* visitors whose last-seen time is kept */
#define STATS_SHARDS 64
#define STATS_VISIT_GAP 1800       /* seconds away that make the next view a visit */
#define STATS_ONLINE_WINDOW 300    /* seconds a visitor counts as online */
#define STATS_FLUSH_INTERVAL_MS 1000

/*
 * Allocates the counters and reads the persisted total of visits (sum of
 * visits_daily) with this thread's db_get(). Returns 0, or -1 (logged; also
 * when already initialised and not stopped).
 */
int stats_init(void);

/*
 * Counts one page view by visitor (a visitor id from visitor.h; any other
 * string is hashed; NULL or "" counts the view but no visit and no online
 * visitor) of article article_id (0 for pages that are not an article;
 * callers pass only ids of existing articles), at Unix time now.
 * Never fails and never touches the database; does nothing before
 * stats_init() or after stats_stop(). Bots should not be counted: the
 * handler checks visitor_is_bot() first.
 */
void stats_hit(const char *visitor, int64_t article_id, int64_t now);

/*
 * Starts the thread that writes the counters every STATS_FLUSH_INTERVAL_MS.
 * utc_offset (seconds east of UTC, a whole number of minutes) chooses the
 * local day of visits_daily; it is also used by stats_flush(). 0 or -1.
 */
int stats_start_flusher(int utc_offset);

/* Writes the counters accumulated so far, in one transaction, with this
 * thread's db_get(). 0, or -1 (logged; the counts stay for the next try). */
int stats_flush(void);

/*
 * Stops the flusher (waiting for a write in progress), writes everything
 * that is left with this thread's db_get(), and frees the counters. Call it
 * on SIGTERM after the HTTP server stopped. Returns 0, or -1 when the last
 * write failed (logged; those counts are lost). Safe to call twice.
 */
int stats_stop(void);

/*
 * Total visits ever (persisted + not yet written) and visitors online now
 * (time(NULL)). The online count is computed at most once per second and
 * shared. 0, or -1 before stats_init().
 */
int stats_totals(int64_t *total_visits, int64_t *online);

/* The same at a given time (tests, and callers with their own clock). */
int stats_totals_at(int64_t now, int64_t *total_visits, int64_t *online);

/*
 * An article's views: articles.views plus what has not been written yet,
 * read consistently with the flusher (never counted twice or missed). Call
 * it outside a transaction of your own. Returns the count, or -1 (logged)
 * for a storage error or an unknown article.
 */
int64_t stats_article_views(db_t *db, int64_t article_id);

/* Visitors whose last-seen time is held now (at most STATS_VISITORS_MAX). */
size_t stats_tracked_visitors(void);

/* ---- for the statistics page (reading only) ------------------------------ */

#define STATS_SERIES_MAX 1000  /* days one stats_daily() call covers at most */
#define STATS_TOP_MAX 100      /* articles one stats_top_articles() call lists */

/* Visits and page views of one local day. */
typedef struct {
	char day[11];       /* "2021-01-18", local day in the given UTC offset */
	int64_t visits;
	int64_t views;
} stats_day;

/*
 * The last ndays local days (utc_offset seconds east of UTC) ending with the
 * day of `now`, oldest first, into out[0..ndays-1]: days without a row in
 * visits_daily are there with 0. Counts not written yet are included (read
 * consistently with the flusher, like stats_article_views), so today's bar
 * agrees with stats_totals(). ndays 1..STATS_SERIES_MAX; with 365 the first
 * day is the one 364 days before today. Call it outside a transaction of
 * your own. 0, or -1 (logged; out zeroed).
 */
int stats_daily(db_t *db, int64_t now, int utc_offset, int ndays, stats_day *out);

/* An article and its views, for the most-read list. Strings in the arena. */
typedef struct {
	int64_t id;
	const char *title;
	const char *slug;
	const char *category_slug;
	int64_t views;          /* articles.views (written once a second) */
	int64_t published_at;
} stats_article;

/*
 * The published articles with the most views (ties: newest first), at most
 * limit (1..STATS_TOP_MAX), only those with at least one view. 0 or -1.
 */
int stats_top_articles(db_t *db, arena_t *a, int limit, stats_article **items, size_t *n);

/* Number of articles in each status (enum article_status 0..3), every
 * article, published or not: counts[0] drafts ... counts[3] unpublished.
 * 0 or -1. */
int stats_article_counts(db_t *db, int64_t counts[4]);

#endif
