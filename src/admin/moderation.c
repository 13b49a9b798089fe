/*
 * moderation.c - the comment queue at /admin/binh-luan for editors,
 * moderators and admins: one tab per status (pending first), each comment
 * with its article, author, text and date, and four actions - approve,
 * reject, mark as spam, delete - one comment at a time (a small form each)
 * or for the ticked ones at once (one form, one action, at most
 * COMMENT_BULK_MAX ids, one transaction). Every change goes to the audit
 * log as comment_moderate with the action and the count.
 *
 * The roles are checked by the dispatcher (routes.c) for every row below,
 * before the id in the URL is looked at, so a guessed id gets the same 403.
 * A change commits to the comments table, which moves
 * db_content_generation(), so the public article page shows it at once.
 *
 * This file's page table also carries the statistics page (stats_page.c).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/fmt.h"
#include "core/text.h"
#include "db/db.h"
#include "model/article.h"
#include "model/comment.h"
#include "web/web.h"
#include "model/rating.h"

#define PATH_BULK ADMIN_PATH_COMMENTS "/hang-loat"
#define PATH_APPROVE ADMIN_PATH_COMMENTS "/:id/duyet"
#define PATH_REJECT ADMIN_PATH_COMMENTS "/:id/tu-choi"
#define PATH_SPAM ADMIN_PATH_COMMENTS "/:id/thu-rac"
#define PATH_DELETE ADMIN_PATH_COMMENTS "/:id/xoa"

#define MODERATORS (USER_EDITOR | USER_MODERATOR)
#define PAGE_SIZE 50
#define RATING_WARNINGS_MAX 10   /* articles with piled-up votes listed at most */
/* Longer texts show their first SHORT_CHARS characters and the whole text
 * in a <details>. */
#define SHORT_LIMIT 300
#define SHORT_CHARS 240

/* ---- statuses and actions ---------------------------------------------------- */

/* The tabs, in order: the slug in ?trang-thai= and the label key. */
static const struct {
	int status;
	const char *slug;
	const char *label_key;
} tabs[] = {
	{COMMENT_PENDING, "cho-duyet", "admin_mod_tab_pending"},
	{COMMENT_APPROVED, "da-duyet", "admin_mod_tab_approved"},
	{COMMENT_REJECTED, "tu-choi", "admin_mod_tab_rejected"},
	{COMMENT_SPAM, "thu-rac", "admin_mod_tab_spam"},
};

/* The actions: the value of the bulk form's select, the status they set
 * (-1: delete), their label and the notice after they ran. */
enum { DELETE = -1 };
static const struct {
	const char *name;
	int status;
	const char *label_key;
	const char *done_key;
} actions[] = {
	{"approve", COMMENT_APPROVED, "admin_mod_approve", "admin_mod_done_approve"},
	{"reject", COMMENT_REJECTED, "admin_mod_reject", "admin_mod_done_reject"},
	{"spam", COMMENT_SPAM, "admin_mod_spam", "admin_mod_done_spam"},
	{"delete", DELETE, "admin_mod_delete", "admin_mod_done_delete"},
};
#define NACTIONS (sizeof actions / sizeof actions[0])

static int tab_index(int status)
{
	for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
		if (tabs[i].status == status)
			return (int)i;
	return 0;
}

/* The status of a tab slug; pending for anything unknown or absent. */
static int tab_status(const char *slug)
{
	for (size_t i = 0; slug != NULL && i < sizeof tabs / sizeof tabs[0]; i++)
		if (strcmp(slug, tabs[i].slug) == 0)
			return tabs[i].status;
	return COMMENT_PENDING;
}

static int action_index(const char *name)
{
	for (size_t i = 0; name != NULL && i < NACTIONS; i++)
		if (strcmp(name, actions[i].name) == 0)
			return (int)i;
	return -1;
}

/* ---- the queue ------------------------------------------------------------------ */

/* The first `chars` characters of s (UTF-8), in the arena. */
static const char *first_chars(arena_t *a, const char *s, size_t chars)
{
	size_t i = 0, seen = 0;
	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (seen == chars)
				break;
			seen++;
		}
		i++;
	}
	return arena_strndup(a, s, i);
}

static bool id_in(int64_t id, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* show_email: the reader's address is personal data; editors and admins
 * may need it to answer, moderators judge the text alone. */
static json_t *comment_json(http_req *req, const comment_entry *e, const int64_t *checked,
			    size_t nchecked, int64_t now, bool show_email)
{
	const app_t *app = req->app;
	const comment *c = &e->c;
	char when[32], iso[40];
	fmt_datetime(when, sizeof when, c->created_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, c->created_at, app->cfg.utc_offset);
	size_t chars = utf8_length(c->body, strlen(c->body));
	json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)c->id,
				"name", c->name, "email",
				show_email && c->email != NULL ? c->email : "", "body",
				c->body, "date", when, "checked",
				id_in(c->id, checked, nchecked), "article_title", e->article_title);
	if (row == NULL)
		return NULL;
	json_object_set_new(row, "iso", json_string(iso));
	if (chars > SHORT_LIMIT)
		json_object_set_new(row, "short",
				    json_string(first_chars(req->arena, c->body, SHORT_CHARS)));
	if (e->article_status == ARTICLE_PUBLISHED && e->article_published_at <= now) {
		article art = {.id = c->article_id,
			       .slug = e->article_slug,
			       .category_slug = e->category_slug};
		json_object_set_new(row, "article_url",
				    json_string(web_article_path(req->arena, &art)));
	}
	static const struct {
		const char *field, *fmt;
	} forms[] = {
		{"approve_action", ADMIN_PATH_COMMENTS "/%lld/duyet"},
		{"reject_action", ADMIN_PATH_COMMENTS "/%lld/tu-choi"},
		{"spam_action", ADMIN_PATH_COMMENTS "/%lld/thu-rac"},
		{"delete_action", ADMIN_PATH_COMMENTS "/%lld/xoa"},
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		json_object_set_new(row, forms[i].field,
				    json_string(arena_sprintf(req->arena, forms[i].fmt,
							      (long long)c->id)));
	/* The actions that change something from this tab. */
	json_object_set_new(row, "can_approve", json_boolean(c->status != COMMENT_APPROVED));
	json_object_set_new(row, "can_reject", json_boolean(c->status != COMMENT_REJECTED));
	json_object_set_new(row, "can_spam", json_boolean(c->status != COMMENT_SPAM));
	return row;
}

/* Articles most of whose votes came from one address (model/rating.h),
 * which a script changing its User-Agent can produce: the moderators can
 * look at the article's rating. An array (maybe empty), or NULL. */
static json_t *rating_warnings(http_req *req, db_t *db)
{
	rating_concentration *items = NULL;
	size_t n = 0;
	if (rating_concentrated(db, req->arena, RATING_WARNINGS_MAX, &items, &n) != 0)
		return NULL;
	json_t *list = json_array();
	lang_t lang = web_lang(req);
	for (size_t i = 0; list != NULL && i < n; i++) {
		char from_one[32], count[32];
		fmt_int(from_one, sizeof from_one, items[i].from_one, lang);
		fmt_int(count, sizeof count, items[i].count, lang);
		article art = {.id = items[i].article_id, .slug = items[i].slug,
			       .category_slug = items[i].category_slug};
		json_array_append_new(list, json_pack("{s:s, s:s?, s:s, s:s}", "title", items[i].title,
						      "url", web_article_path(req->arena, &art),
						      "from_one", from_one, "count", count));
	}
	return list;
}

/*
 * The queue of one status. message_key: a notice (status < 400) or an
 * error; checked / chosen: what the bulk form had, so a refused form comes
 * back as it was sent.
 */
static int queue_page(http_req *req, http_res *res, const admin_user *me, int status,
		      const char *message, int tab, int64_t before_id, const int64_t *checked,
		      size_t nchecked, const char *chosen)
{
	db_t *db = db_get();
	int64_t counts[COMMENT_STATUS_COUNT];
	comment_entry *items = NULL;
	size_t n = 0;
	bool has_more = false;
	if (db == NULL || comment_count_by_status(db, counts) != 0 ||
	    comment_list_entries(db, req->arena, tab, before_id, PAGE_SIZE, &items, &n,
				 &has_more) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_mod_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	lang_t lang = web_lang(req);
	int64_t now = (int64_t)time(NULL);

	json_t *tab_list = json_array();
	for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
		char num[32];
		fmt_int(num, sizeof num, counts[tabs[i].status], lang);
		json_array_append_new(tab_list,
				      json_pack("{s:s, s:s, s:s, s:b}", "url",
						arena_sprintf(req->arena, "%s?trang-thai=%s",
							      ADMIN_PATH_COMMENTS, tabs[i].slug),
						"label", web_text(req, tabs[i].label_key), "count",
						num, "current", tabs[i].status == tab));
	}
	json_object_set_new(ctx, "tabs", tab_list);
	json_object_set_new(ctx, "tab", json_string(tabs[tab_index(tab)].slug));
	json_object_set_new(ctx, "tab_label",
			    json_string(web_text(req, tabs[tab_index(tab)].label_key)));

	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, comment_json(req, &items[i], checked, nchecked, now,
							 (me->role & (USER_EDITOR | USER_ADMIN)) != 0));
	json_object_set_new(ctx, "comments", list);
	json_object_set_new(ctx, "has_comments", json_boolean(n > 0));
	json_t *warnings = rating_warnings(req, db);
	if (warnings == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_object_set_new(ctx, "has_rating_warnings", json_boolean(json_array_size(warnings) > 0));
	json_object_set_new(ctx, "rating_warnings", warnings);

	json_t *opts = json_array();
	for (size_t i = 0; i < NACTIONS; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", actions[i].name,
						      "label", web_text(req, actions[i].label_key),
						      "selected",
						      chosen != NULL &&
							  strcmp(chosen, actions[i].name) == 0));
	json_object_set_new(ctx, "actions", opts);
	json_object_set_new(ctx, "bulk_action", json_string(PATH_BULK));
	json_object_set_new(ctx, "bulk_max", json_integer(COMMENT_BULK_MAX));
	json_object_set_new(
	    ctx, "csrf",
	    json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "bulk", admin_csrf_token(req, me, PATH_BULK),
		      "approve", admin_csrf_token(req, me, PATH_APPROVE), "reject",
		      admin_csrf_token(req, me, PATH_REJECT), "spam",
		      admin_csrf_token(req, me, PATH_SPAM), "delete",
		      admin_csrf_token(req, me, PATH_DELETE)));
	if (has_more && n > 0)
		json_object_set_new(ctx, "older",
				    json_string(arena_sprintf(req->arena, "%s?trang-thai=%s&truoc=%lld",
							      ADMIN_PATH_COMMENTS,
							      tabs[tab_index(tab)].slug,
							      (long long)items[n - 1].c.id)));
	if (before_id > 0)
		json_object_set_new(ctx, "newest",
				    json_string(arena_sprintf(req->arena, "%s?trang-thai=%s",
							      ADMIN_PATH_COMMENTS,
							      tabs[tab_index(tab)].slug)));
	if (message != NULL)
		json_object_set_new(ctx, status < 400 ? "notice" : "message", json_string(message));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/moderation.css"));
	json_object_set_new(ctx, "scripts", json_pack("[s]", "/static/js/admin/moderation.js"));
	return admin_render(req, res, status, "admin/comments", ctx);
}

static int queue(http_req *req, http_res *res, const admin_user *me)
{
	int tab = tab_status(http_query(req, "trang-thai"));
	int64_t before = 0;
	const char *b = http_query(req, "truoc");
	if (b != NULL && (web_parse_id(b, &before) != 0))
		before = 0;
	const char *message = NULL;
	int a = action_index(http_query(req, "ok"));
	if (a >= 0) {
		int64_t count = 0;
		const char *ns = http_query(req, "n");
		if (ns == NULL || strlen(ns) > 6 || web_parse_id(ns, &count) != 0)
			count = 0;
		message = web_textf(req, actions[a].done_key, count);
	}
	return queue_page(req, res, me, 200, message, tab, before, NULL, 0, NULL);
}

/* ---- changes --------------------------------------------------------------------- */

static void audit(http_req *req, const admin_user *me, const char *action, const int64_t *ids,
		  size_t n, size_t changed)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	buf_t target = BUF_INIT;
	/* The target names the ids (the log cuts it at AUDIT_TARGET_MAX). */
	for (size_t i = 0; i < n && target.len < AUDIT_TARGET_MAX; i++)
		buf_printf(&target, "%s#%lld", i > 0 ? " " : "", (long long)ids[i]);
	admin_actor(req, me, &actor, addr);
	audit_add(db_get(), admin_now(), &actor, AUDIT_COMMENT_MODERATE,
		  target.data != NULL ? target.data : "",
		  arena_sprintf(req->arena, "%s %zu/%zu", action, changed, n));
	buf_free(&target);
}

/* Runs action a on ids. 0 and *changed, or -1. */
static int apply(db_t *db, int a, const int64_t *ids, size_t n, size_t *changed)
{
	if (actions[a].status == DELETE)
		return comment_delete_many(db, ids, n, changed);
	return comment_set_status_many(db, ids, n, actions[a].status, changed);
}

static int done(http_req *req, http_res *res, int tab, int a, size_t changed)
{
	const char *to = arena_sprintf(req->arena, "%s?trang-thai=%s&ok=%s&n=%zu",
				       ADMIN_PATH_COMMENTS, tabs[tab_index(tab)].slug,
				       actions[a].name, changed);
	return to != NULL ? http_redirect(res, 303, to) : 500;
}

/* One comment, by the route's :id. */
static int one(http_req *req, http_res *res, const admin_user *me, const char *action)
{
	int a = action_index(action);
	int64_t id;
	if (a < 0 || req->nparams < 1 || web_parse_id(req->params[0], &id) != 0)
		return admin_error(req, res, me, 404, NULL);
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	comment c;
	int rc = comment_get(db, req->arena, id, &c);
	if (rc == 1)
		return admin_error(req, res, me, 404, "admin_mod_not_found");
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	if (actions[a].status == DELETE && !admin_confirmed(req))
		return queue_page(req, res, me, 400, web_text(req, "admin_confirm_needed"), c.status,
				  0, &id, 1, action);
	size_t changed = 0;
	if (apply(db, a, &id, 1, &changed) != 0)
		return admin_error(req, res, me, 500, NULL);
	audit(req, me, action, &id, 1, changed);
	return done(req, res, c.status, a, changed);
}

static int approve_one(http_req *req, http_res *res, const admin_user *me)
{
	return one(req, res, me, "approve");
}

static int reject_one(http_req *req, http_res *res, const admin_user *me)
{
	return one(req, res, me, "reject");
}

static int spam_one(http_req *req, http_res *res, const admin_user *me)
{
	return one(req, res, me, "spam");
}

static int delete_one(http_req *req, http_res *res, const admin_user *me)
{
	return one(req, res, me, "delete");
}

/* The ticked comments: every "id" field, duplicates dropped. Returns 0,
 * 1 when one is not an id, 2 when there are more than COMMENT_BULK_MAX. */
static int ticked_ids(http_req *req, int64_t *ids, size_t *n)
{
	*n = 0;
	int rc = 0;
	for (size_t i = 0; i < req->nform; i++) {
		if (strcmp(req->form[i].name, "id") != 0)
			continue;
		int64_t id;
		if (req->form[i].value_len > 15 || web_parse_id(req->form[i].value, &id) != 0) {
			rc = rc != 0 ? rc : 1;
			continue;
		}
		if (id_in(id, ids, *n))
			continue;
		if (*n == COMMENT_BULK_MAX) {
			rc = 2;
			continue;
		}
		ids[(*n)++] = id;
	}
	return rc;
}

static int bulk(http_req *req, http_res *res, const admin_user *me)
{
	int64_t ids[COMMENT_BULK_MAX];
	size_t n = 0;
	const char *action = admin_field(req, "action", 16);
	int tab = tab_status(admin_field(req, "tab", 16));
	int idrc = ticked_ids(req, ids, &n);
	int a = action_index(action);
	const char *key = NULL;
	if (idrc == 2)
		return queue_page(req, res, me, 400,
				  web_textf(req, "admin_mod_too_many", COMMENT_BULK_MAX), tab,
				  0, ids, n, action);
	if (idrc == 1)
		key = "admin_mod_bad_ids";
	else if (n == 0)
		key = "admin_mod_none_selected";
	else if (a < 0)
		key = "admin_mod_bad_action";
	else if (actions[a].status == DELETE && !admin_confirmed(req))
		key = "admin_confirm_needed";
	if (key != NULL)
		return queue_page(req, res, me, 400, web_text(req, key), tab, 0, ids, n, action);
	db_t *db = db_get();
	size_t changed = 0;
	if (db == NULL || apply(db, a, ids, n, &changed) != 0)
		return admin_error(req, res, me, 500, NULL);
	audit(req, me, actions[a].name, ids, n, changed);
	return done(req, res, tab, a, changed);
}

static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_COMMENTS, NULL, MODERATORS}, queue},
	{{HTTP_POST, PATH_BULK, NULL, MODERATORS}, bulk},
	{{HTTP_POST, PATH_APPROVE, NULL, MODERATORS}, approve_one},
	{{HTTP_POST, PATH_REJECT, NULL, MODERATORS}, reject_one},
	{{HTTP_POST, PATH_SPAM, NULL, MODERATORS}, spam_one},
	{{HTTP_POST, PATH_DELETE, NULL, MODERATORS}, delete_one},
	{{HTTP_GET, ADMIN_PATH_STATS, NULL, USER_EDITOR}, admin_stats_page},
};

const admin_page_table admin_moderation_table = {pages, sizeof pages / sizeof pages[0]};
