/*
 * editorial.c - what the files of the editorial section share (editorial.h):
 * loading an article the user may act on, its status as shown, its URLs,
 * dates, and the audit line of an action. Below articles.c, articles_edit.c
 * and revisions.c, which use it and never each other's helpers.
 */
#include <stdio.h>
#include <string.h>

#include "admin/editorial.h"
#include "app.h"
#include "core/fmt.h"
#include "db/db.h"
#include "web/web.h"

int editorial_article(http_req *req, const admin_user *me, enum article_action action,
		      article *out)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	if (status == 0)
		status = admin_get_status(article_get_any(db, req->arena, id, out));
	if (status != 0)
		return status;
	if (!article_may(me->role, me->id, out->author_id, out->status, ARTICLE_VIEW))
		return 404;
	if (!article_may(me->role, me->id, out->author_id, out->status, action))
		return 403;
	return 0;
}

const char *editorial_status_name(int status)
{
	switch (status) {
	case ARTICLE_DRAFT: return "draft";
	case ARTICLE_REVIEW: return "review";
	case ARTICLE_PUBLISHED: return "published";
	case ARTICLE_UNPUBLISHED: return "unpublished";
	default: return "?";
	}
}

const char *editorial_status_class(const article *a, int64_t now)
{
	switch (a->status) {
	case ARTICLE_DRAFT: return "draft";
	case ARTICLE_REVIEW: return "review";
	case ARTICLE_PUBLISHED: return a->published_at > now ? "scheduled" : "published";
	case ARTICLE_UNPUBLISHED: return "unpublished";
	default: return "draft";
	}
}

const char *editorial_status_label(http_req *req, const article *a, int64_t now)
{
	const char *cls = editorial_status_class(a, now);
	return web_text(req, arena_sprintf(req->arena, "admin_editor_status_%s", cls));
}

const char *editorial_url(http_req *req, int64_t id, const char *suffix)
{
	return arena_sprintf(req->arena, ADMIN_PATH_ARTICLES "/%lld%s", (long long)id,
			     suffix != NULL ? suffix : "");
}

void editorial_audit(http_req *req, const admin_user *me, const char *action, const article *a,
		     const char *details)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	const char *target = arena_sprintf(req->arena, "#%lld %s", (long long)a->id,
					   a->title != NULL ? a->title : "");
	audit_add(db_get(), admin_now(), &actor, action, target, details);
}

const char *editorial_datetime(http_req *req, int64_t t)
{
	const app_t *app = req->app;
	if (t <= 0)
		return "";
	char out[32];
	fmt_datetime(out, sizeof out, t, app->cfg.utc_offset);
	return arena_strdup(req->arena, out);
}

const char *editorial_user_name(const admin_user *me)
{
	return me->name != NULL ? me->name : "";
}

