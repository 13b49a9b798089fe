/*
 * dashboard.c - the first page after login: counts and the way to each
 * section the user may use. Those who moderate see the pending comments
 * first, linked to the queue; editors and admins also see the visits.
 */
#include <string.h>

#include "admin/admin_private.h"
#include "db/db.h"
#include "core/fmt.h"
#include "model/article.h"
#include "model/comment.h"
#include "model/stats.h"
#include "web/web.h"

static json_t *count_item(http_req *req, const char *label_key, int64_t n)
{
	char num[32];
	fmt_int(num, sizeof num, n, web_lang(req));
	return json_pack("{s:s, s:s}", "label", web_text(req, label_key), "value", num);
}

/* A count that links to the page where it can be acted on. */
static json_t *linked_item(http_req *req, const char *label_key, int64_t n, const char *url,
			   const char *id)
{
	json_t *item = count_item(req, label_key, n);
	if (item != NULL) {
		json_object_set_new(item, "url", json_string(url));
		json_object_set_new(item, "id", json_string(id));
	}
	return item;
}

int admin_dashboard(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_dashboard_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	/* Only numbers the database gives; later screens add theirs. */
	json_t *counts = json_array();
	int64_t n = 0;
	if (admin_may(me->role, USER_EDITOR | USER_MODERATOR) &&
	    comment_count(db, COMMENT_PENDING, &n) == 0)
		json_array_append_new(counts, linked_item(req, "admin_dash_pending", n,
							  ADMIN_PATH_COMMENTS "?trang-thai=cho-duyet",
							  "cho-duyet"));
	if (article_count(db, 0, &n) == 0)
		json_array_append_new(counts, count_item(req, "admin_count_articles", n));
	int64_t by_status[4];
	if (admin_may(me->role, USER_EDITOR | USER_AUTHOR) && stats_article_counts(db, by_status) == 0) {
		/* Each links to where it is acted on: the review queue for those
		 * who publish, the list of articles in that state for authors. */
		const char *review = admin_may(me->role, USER_EDITOR)
					 ? ADMIN_PATH_REVIEW
					 : ADMIN_PATH_ARTICLES "?trang-thai=cho-duyet";
		json_array_append_new(counts, linked_item(req, "admin_dash_review",
							  by_status[ARTICLE_REVIEW], review,
							  "bai-cho-duyet"));
		json_array_append_new(counts, linked_item(req, "admin_dash_drafts",
							  by_status[ARTICLE_DRAFT],
							  ADMIN_PATH_ARTICLES "?trang-thai=nhap", "bai-nhap"));
	}
	int64_t visits = 0, online = 0;
	if (admin_may(me->role, USER_EDITOR) && stats_totals(&visits, &online) == 0) {
		json_array_append_new(counts, linked_item(req, "admin_dash_visits", visits,
							  ADMIN_PATH_STATS, "truy-cap"));
		json_array_append_new(counts, count_item(req, "admin_dash_online", online));
	}
	if (me->role == USER_ADMIN && user_count(db, &n) == 0)
		json_array_append_new(counts, count_item(req, "admin_count_users", n));
	if (session_count_user(db, me->id, admin_now(), &n) == 0)
		json_array_append_new(counts, count_item(req, "admin_count_sessions", n));
	json_object_set_new(ctx, "counts", counts);
	/* An account linked to a staff record sees its key tasks. */
	if (admin_my_tasks_block(req, db, ctx, me) != 0) {
		json_decref(ctx);
		return admin_error(req, res, me, 500, NULL);
	}
	/* The section links are the navigation without the dashboard itself. */
	json_t *nav = json_object_get(ctx, "nav");
	json_t *links = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(nav, i, item)
	{
		const char *url = json_string_value(json_object_get(item, "url"));
		if (url != NULL && strcmp(url, ADMIN_PATH_HOME) != 0)
			json_array_append(links, item);
	}
	json_object_set_new(ctx, "sections", links);
	return admin_render(req, res, 200, "admin/dashboard", ctx);
}
