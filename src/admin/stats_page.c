/*
 * stats_page.c - "Thống kê" at /admin/thong-ke for editors and admins:
 * visits per day for the last 30 and 365 days as SVG charts drawn here
 * (render/chart.h) with the same numbers in tables, total visits and
 * visitors online (the numbers of /api/v1/stats), the most-read articles
 * and an overview of the ratings. Read only; no forms.
 *
 * The route is in moderation.c's page table.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/fmt.h"
#include "db/db.h"
#include "model/article.h"
#include "model/rating.h"
#include "model/stats.h"
#include "web/web.h"
#include "render/chart.h"

#define TOP_ARTICLES 10
#define TOP_RATED 10
#define YEAR_DAYS 365
#define MONTH_DAYS 30

/* "2021-01-18" -> "18/01/2021" (the page's date format); short "18/01". */
static const char *day_label(arena_t *a, const char *day)
{
	return arena_sprintf(a, "%.2s/%.2s/%.4s", day + 8, day + 5, day);
}

static const char *num(http_req *req, int64_t v)
{
	char out[32];
	fmt_int(out, sizeof out, v, web_lang(req));
	return arena_strdup(req->arena, out);
}

static const char *decimal(http_req *req, double v)
{
	char out[32];
	fmt_decimal1(out, sizeof out, v, web_lang(req));
	return arena_strdup(req->arena, out);
}

/* The chart of a series as an SVG string in the arena, or NULL. every: an
 * axis label every that many days (0: on the first of each month). */
static const char *series_chart(http_req *req, const stats_day *days, int n, int every,
				const char *title_key)
{
	chart_point *pts = arena_calloc(req->arena, (size_t)n, sizeof(*pts));
	if (pts == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		const char *d = days[i].day;
		pts[i].label = day_label(req->arena, d);
		pts[i].value = days[i].visits;
		if (every > 0 ? (n - 1 - i) % every == 0 : strcmp(d + 8, "01") == 0)
			pts[i].axis_label = every > 0 ? arena_sprintf(req->arena, "%.2s/%.2s", d + 8,
								      d + 5)
						      : arena_sprintf(req->arena, "%.2s/%.4s", d + 5, d);
	}
	chart_opts o = {.kind = CHART_BAR,
			.title = web_text(req, title_key),
			.unit = web_text(req, "admin_stats_unit_visits"),
			.empty_text = web_text(req, "admin_stats_no_data"),
			.css_class = n > MONTH_DAYS ? "chart-year" : "chart-month",
			.lang = web_lang(req)};
	buf_t svg = BUF_INIT;
	const char *result = NULL;
	if (chart_svg(&svg, pts, (size_t)n, &o) == 0)
		result = arena_strdup(req->arena, svg.data);
	buf_free(&svg);
	return result;
}

/* The table rows of a series, newest first. */
static json_t *series_rows(http_req *req, const stats_day *days, int n)
{
	json_t *rows = json_array();
	for (int i = n - 1; rows != NULL && i >= 0; i--)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "date",
						      day_label(req->arena, days[i].day), "visits",
						      num(req, days[i].visits), "views",
						      num(req, days[i].views)));
	return rows;
}

static int64_t series_sum(const stats_day *days, int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += days[i].visits;
	return sum;
}

static const char *article_url(http_req *req, int64_t id, const char *slug, const char *cat)
{
	article art = {.id = id, .slug = slug, .category_slug = cat};
	return web_article_path(req->arena, &art);
}

static json_t *ratings_json(http_req *req, db_t *db)
{
	int64_t count = 0, dist[RATING_MAX];
	double average = 0.0;
	if (rating_overall(db, &count, &average) != 0 || rating_distribution(db, dist) != 0)
		return NULL;
	json_t *out = json_pack("{s:s, s:s, s:b}", "count", num(req, count), "average",
				decimal(req, average), "any", count > 0);
	if (out == NULL)
		return NULL;
	chart_point pts[RATING_MAX];
	json_t *rows = json_array();
	for (int s = RATING_MIN; s <= RATING_MAX; s++) {
		const char *label =
		    arena_sprintf(req->arena, "%d %s", s, web_text(req, "admin_stats_stars"));
		pts[s - 1] = (chart_point){.label = label,
					   .axis_label = arena_sprintf(req->arena, "%d★", s),
					   .value = dist[s - 1]};
		json_array_append_new(rows, json_pack("{s:s, s:s}", "stars", label, "count",
						      num(req, dist[s - 1])));
	}
	json_object_set_new(out, "distribution", rows);
	chart_opts o = {.kind = CHART_BAR,
			.title = web_text(req, "admin_stats_ratings_chart"),
			.unit = web_text(req, "admin_stats_unit_votes"),
			.css_class = "chart-stars",
			.lang = web_lang(req),
			.width = 360,
			.height = 200};
	buf_t svg = BUF_INIT;
	if (chart_svg(&svg, pts, RATING_MAX, &o) == 0)
		json_object_set_new(out, "chart", json_string(svg.data));
	buf_free(&svg);

	static const struct {
		enum rating_order order;
		const char *field;
	} lists[] = {{RATING_ORDER_BEST, "best"}, {RATING_ORDER_MOST, "most"}};
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
		rating_entry *items = NULL;
		size_t n = 0;
		if (rating_list(db, req->arena, lists[l].order, 1, TOP_RATED, &items, &n) != 0) {
			json_decref(out);
			return NULL;
		}
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *row = json_pack("{s:s, s:s, s:s}", "title", items[i].title, "count",
						num(req, items[i].count), "average",
						decimal(req, items[i].average));
			if (row != NULL && items[i].article_status == ARTICLE_PUBLISHED)
				json_object_set_new(
				    row, "url",
				    json_string(article_url(req, items[i].article_id, items[i].slug,
							    items[i].category_slug)));
			json_array_append_new(arr, row);
		}
		json_object_set_new(out, lists[l].field, arr);
	}
	return out;
}

int admin_stats_page(http_req *req, http_res *res, const admin_user *me)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	int64_t now = (int64_t)time(NULL);
	stats_day *year = arena_calloc(req->arena, YEAR_DAYS, sizeof(*year));
	if (year == NULL || stats_daily(db, now, app->cfg.utc_offset, YEAR_DAYS, year) != 0)
		return admin_error(req, res, me, 500, NULL);
	/* The last 30 days are the end of the year's series: one read, and the
	 * two charts cannot disagree. */
	const stats_day *month = year + (YEAR_DAYS - MONTH_DAYS);
	stats_article *top = NULL;
	size_t ntop = 0;
	if (stats_top_articles(db, req->arena, TOP_ARTICLES, &top, &ntop) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ratings = ratings_json(req, db);
	if (ratings == NULL)
		return admin_error(req, res, me, 500, NULL);

	json_t *ctx = admin_context(req, me, "admin_stats_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, ratings);
	json_object_set_new(ctx, "ratings", ratings);
	int64_t total = 0, online = 0;
	if (stats_totals_at(now, &total, &online) == 0)
		json_object_set_new(ctx, "totals", json_pack("{s:s, s:s}", "visits", num(req, total),
							     "online", num(req, online)));
	const char *c30 = series_chart(req, month, MONTH_DAYS, 5, "admin_stats_chart_30");
	const char *c365 = series_chart(req, year, YEAR_DAYS, 0, "admin_stats_chart_365");
	json_object_set_new(ctx, "month",
			    json_pack("{s:s?, s:o, s:s}", "chart", c30, "rows",
				      series_rows(req, month, MONTH_DAYS), "sum",
				      num(req, series_sum(month, MONTH_DAYS))));
	json_object_set_new(ctx, "year",
			    json_pack("{s:s?, s:o, s:s}", "chart", c365, "rows",
				      series_rows(req, year, YEAR_DAYS), "sum",
				      num(req, series_sum(year, YEAR_DAYS))));
	json_t *arr = json_array();
	for (size_t i = 0; i < ntop; i++)
		json_array_append_new(
		    arr, json_pack("{s:i, s:s, s:s, s:s}", "rank", (int)i + 1, "title", top[i].title,
				   "url",
				   article_url(req, top[i].id, top[i].slug, top[i].category_slug),
				   "views", num(req, top[i].views)));
	json_object_set_new(ctx, "top", arr);
	json_object_set_new(ctx, "has_top", json_boolean(ntop > 0));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/moderation.css"));
	return admin_render(req, res, 200, "admin/stats", ctx);
}
