/*
 * articles.c - the editorial workflow of the back office: the page table
 * of the section, the list of articles at /admin/bai-viet (filters, pages;
 * authors see their own only), the review queue at /admin/duyet-bai, and
 * the workflow actions (submit, publish now or later, unpublish, return to
 * draft, delete), each written to the audit log. The editor is in
 * articles_edit.c, versions in revisions.c, what they share in editorial.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/editorial.h"
#include "app.h"
#include "core/fmt.h"
#include "db/db.h"
#include "model/category.h"
#include "web/web.h"

#define LIST_PAGE_SIZE 20
#define LIST_PAGES_MAX 5000       /* ?trang= above this is refused */

static bool is_editor(const admin_user *me)
{
	return me->role == USER_EDITOR || me->role == USER_ADMIN;
}

/* One row of a list: what the list and the queue show of an article. */
static json_t *row_json(http_req *req, const admin_user *me, const article *a, int64_t now)
{
	json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
				(json_int_t)a->id, "title", a->title, "category",
				a->category_name != NULL ? a->category_name : "", "author",
				a->author_name != NULL ? a->author_name : "", "status",
				editorial_status_label(req, a, now), "status_class",
				editorial_status_class(a, now), "updated",
				editorial_datetime(req, a->updated_at), "url",
				editorial_url(req, a->id, NULL), "revisions_url",
				editorial_url(req, a->id, "/phien-ban"), "publish_action",
				editorial_url(req, a->id, "/dang"));
	if (row == NULL)
		return NULL;
	if (a->status == ARTICLE_PUBLISHED)
		json_object_set_new(row, "published", json_string(editorial_datetime(req, a->published_at)));
	json_object_set_new(row, "return_action", json_string(editorial_url(req, a->id, "/tra-lai")));
	json_object_set_new(row, "may_edit", json_boolean(article_may(me->role, me->id, a->author_id,
								      a->status, ARTICLE_EDIT)));
	return row;
}

/* ---- the list -------------------------------------------------------------------- */

static const struct {
	const char *value;
	int status;
	const char *key;
} status_filters[] = {
	{"nhap", ARTICLE_DRAFT, "admin_editor_status_draft"},
	{"cho-duyet", ARTICLE_REVIEW, "admin_editor_status_review"},
	{"da-dang", ARTICLE_PUBLISHED, "admin_editor_status_published"},
	{"hen-gio", ARTICLE_PUBLISHED, "admin_editor_status_scheduled"},
	{"da-go", ARTICLE_UNPUBLISHED, "admin_editor_status_unpublished"},
};

int editorial_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	article_filter f = {.status = -1};
	bool bad = false;
	int64_t v;

	const char *q_status = http_query(req, "trang-thai");
	const char *status_value = "";
	if (q_status != NULL && q_status[0] != '\0') {
		bad = true;
		for (size_t i = 0; i < sizeof status_filters / sizeof status_filters[0]; i++)
			if (strcmp(q_status, status_filters[i].value) == 0) {
				f.status = status_filters[i].status;
				status_value = status_filters[i].value;
				bad = false;
				/* Scheduled: published, its time still to come. */
				if (strcmp(q_status, "hen-gio") == 0)
					f.published_after = admin_now();
			}
	}
	const char *q_cat = http_query(req, "chuyen-muc");
	if (q_cat != NULL && q_cat[0] != '\0') {
		if (web_parse_id(q_cat, &v) == 0)
			f.category_id = v;
		else
			bad = true;
	}
	const char *q_author = http_query(req, "tac-gia");
	if (!is_editor(me)) {
		f.author_id = me->id;      /* authors see their own, whatever they ask */
	} else if (q_author != NULL && q_author[0] != '\0') {
		if (web_parse_id(q_author, &v) == 0)
			f.author_id = v;
		else
			bad = true;
	}
	const char *q = http_query(req, "q");
	if (q != NULL && strlen(q) > ARTICLE_QUERY_MAX) {
		bad = true;
		q = NULL;
	}
	f.q = q;
	int64_t page = 1;
	const char *q_page = http_query(req, "trang");
	if (q_page != NULL && q_page[0] != '\0' &&
	    (web_parse_id(q_page, &page) != 0 || page > LIST_PAGES_MAX)) {
		bad = true;
		page = 1;
	}
	f.offset = (page - 1) * LIST_PAGE_SIZE;

	article *items = NULL;
	size_t n = 0;
	int64_t total = 0;
	category *cats = NULL;
	size_t ncats = 0;
	if (article_admin_list(db, req->arena, &f, LIST_PAGE_SIZE, &items, &n, &total) != 0 ||
	    category_list(db, req->arena, &cats, &ncats) != 0)
		return admin_error(req, res, me, 500, NULL);

	json_t *ctx = admin_context(req, me, "admin_editor_list_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	int64_t now = admin_now();
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, row_json(req, me, &items[i], now));
	json_object_set_new(ctx, "articles", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));

	json_t *statuses = json_array();
	for (size_t i = 0; i < sizeof status_filters / sizeof status_filters[0]; i++)
		json_array_append_new(statuses,
				      json_pack("{s:s, s:s, s:b}", "value", status_filters[i].value,
						"label", web_text(req, status_filters[i].key),
						"selected", strcmp(status_value, status_filters[i].value) == 0));
	json_t *catlist = json_array();
	for (size_t i = 0; i < ncats; i++)
		json_array_append_new(catlist, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)cats[i].id,
							 "name", cats[i].name, "selected",
							 cats[i].id == f.category_id));
	json_t *filter = json_pack("{s:s, s:o, s:o, s:s, s:b, s:b}", "action", ADMIN_PATH_ARTICLES,
				   "statuses", statuses, "categories", catlist, "q", q != NULL ? q : "",
				   "bad", bad, "editor", is_editor(me));
	if (filter != NULL && is_editor(me)) {
		user *users = NULL;
		size_t nusers = 0;
		json_t *authors = json_array();
		if (user_list(db, req->arena, &users, &nusers) == 0)
			for (size_t i = 0; i < nusers; i++)
				if (users[i].role != USER_MODERATOR)
					json_array_append_new(
					    authors, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)users[i].id,
							       "name", users[i].name, "selected",
							       users[i].id == f.author_id));
		json_object_set_new(filter, "authors", authors);
	}
	json_object_set_new(ctx, "filter", filter);
	json_object_set_new(ctx, "new_url", json_string(EDITORIAL_PATH_NEW));

	/* Pages: the filters again, only in their checked form. */
	char total_text[32];
	fmt_int(total_text, sizeof total_text, total, web_lang(req));
	json_object_set_new(ctx, "total", json_string(total_text));
	buf_t qs = BUF_INIT;
	buf_printf(&qs, ADMIN_PATH_ARTICLES "?trang-thai=%s", status_value);
	if (f.category_id > 0)
		buf_printf(&qs, "&chuyen-muc=%lld", (long long)f.category_id);
	if (is_editor(me) && f.author_id > 0)
		buf_printf(&qs, "&tac-gia=%lld", (long long)f.author_id);
	buf_puts(&qs, "&q=");
	for (const char *p = q != NULL ? q : ""; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			buf_putc(&qs, (char)c);
		else
			buf_printf(&qs, "%%%02X", c);
	}
	buf_putc(&qs, '\0');
	const char *base = !qs.failed ? arena_strdup(req->arena, qs.data) : ADMIN_PATH_ARTICLES "?";
	buf_free(&qs);
	if (page > 1)
		json_object_set_new(ctx, "prev_url",
				    json_string(arena_sprintf(req->arena, "%s&trang=%lld", base,
							      (long long)(page - 1))));
	if (f.offset + (int64_t)n < total)
		json_object_set_new(ctx, "next_url",
				    json_string(arena_sprintf(req->arena, "%s&trang=%lld", base,
							      (long long)(page + 1))));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/editor.css"));

	static const char *const notices[] = {"xoa", "admin_editor_deleted", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return admin_render(req, res, bad ? 400 : 200, "admin/articles", ctx);
}

/* ---- the review queue ------------------------------------------------------------ */

static int by_publication(const void *x, const void *y)
{
	const article *a = x, *b = y;
	if (a->published_at != b->published_at)
		return a->published_at < b->published_at ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

int editorial_review_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	article_filter f = {.status = ARTICLE_REVIEW, .oldest_first = true};
	article *items = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (article_admin_list(db, req->arena, &f, ARTICLE_ADMIN_PAGE_MAX, &items, &n, &total) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_editor_review_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	int64_t now = admin_now();
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, row_json(req, me, &items[i], now));
	json_object_set_new(ctx, "articles", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	char total_text[32];
	fmt_int(total_text, sizeof total_text, total, web_lang(req));
	json_object_set_new(ctx, "total", json_string(total_text));
	/* What will appear by itself, soonest first. */
	article_filter sf = {.status = ARTICLE_PUBLISHED, .published_after = now};
	if (article_admin_list(db, req->arena, &sf, ARTICLE_ADMIN_PAGE_MAX, &items, &n, NULL) != 0)
		return admin_fail(req, res, me, 500, ctx);
	qsort(items, n, sizeof(*items), by_publication);
	json_t *scheduled = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(scheduled, row_json(req, me, &items[i], now));
	json_object_set_new(ctx, "scheduled", scheduled);
	json_object_set_new(ctx, "csrf",
			    json_pack("{s:s?, s:s?}", "publish",
				      admin_csrf_token(req, me, EDITORIAL_PATH_PUBLISH), "return",
				      admin_csrf_token(req, me, EDITORIAL_PATH_RETURN)));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/editor.css"));
	static const char *const notices[] = {
		"dang", "admin_editor_published", "hen-gio", "admin_editor_scheduled",
		"tra-lai", "admin_editor_returned", NULL,
	};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return admin_render(req, res, 200, "admin/review", ctx);
}

/* ---- workflow actions ------------------------------------------------------------ */

int editorial_submit(http_req *req, http_res *res, const admin_user *me)
{
	return editorial_transition(req, res, me, ARTICLE_SUBMIT, 0, AUDIT_ARTICLE_SUBMIT, "gui-duyet");
}

int editorial_unpublish(http_req *req, http_res *res, const admin_user *me)
{
	return editorial_transition(req, res, me, ARTICLE_UNPUBLISH, 0, AUDIT_ARTICLE_UNPUBLISH, "go");
}

int editorial_return(http_req *req, http_res *res, const admin_user *me)
{
	return editorial_transition(req, res, me, ARTICLE_RETURN, 0, EDITORIAL_AUDIT_RETURN, "tra-lai");
}

int editorial_delete(http_req *req, http_res *res, const admin_user *me)
{
	article a;
	int status = editorial_article(req, me, ARTICLE_DELETE, &a);
	if (status == 403)
		return admin_error(req, res, me, 403, "admin_editor_not_allowed");
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	/* A confirmation box must be ticked: a stray click deletes nothing. */
	if (!admin_confirmed(req))
		return http_redirect(res, 303, editorial_url(req, a.id, "?loi=xac-nhan"));
	int rc = article_delete(db_get(), a.id);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	editorial_audit(req, me, AUDIT_ARTICLE_DELETE, &a, "");
	return http_redirect(res, 303, ADMIN_PATH_ARTICLES "?ok=xoa");
}

/* ---- the page table -------------------------------------------------------------- */

#define WRITERS (USER_EDITOR | USER_AUTHOR)

/* Literal paths before the "/:id" ones that would also match them. Only
 * editors (and admins) reach the publishing actions at all; the finer rules
 * (own drafts) are article_may()'s, checked in every handler. */
static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_ARTICLES, NULL, WRITERS}, editorial_list_page},
	{{HTTP_GET, ADMIN_PATH_REVIEW, NULL, USER_EDITOR}, editorial_review_page},
	{{HTTP_GET, EDITORIAL_PATH_NEW, NULL, WRITERS}, editorial_new_form},
	{{HTTP_POST, EDITORIAL_PATH_NEW, NULL, WRITERS}, editorial_create},
	{{HTTP_POST, EDITORIAL_PATH_PREVIEW, NULL, WRITERS}, editorial_preview},
	{{HTTP_GET, EDITORIAL_PATH_EDIT, NULL, WRITERS}, editorial_edit_form},
	{{HTTP_POST, EDITORIAL_PATH_EDIT, NULL, WRITERS}, editorial_save},
	{{HTTP_POST, EDITORIAL_PATH_SUBMIT, NULL, WRITERS}, editorial_submit},
	{{HTTP_POST, EDITORIAL_PATH_PUBLISH, NULL, USER_EDITOR}, editorial_publish},
	{{HTTP_POST, EDITORIAL_PATH_UNPUBLISH, NULL, USER_EDITOR}, editorial_unpublish},
	{{HTTP_POST, EDITORIAL_PATH_RETURN, NULL, USER_EDITOR}, editorial_return},
	{{HTTP_POST, EDITORIAL_PATH_DELETE, NULL, USER_EDITOR}, editorial_delete},
	{{HTTP_GET, EDITORIAL_PATH_REVISIONS, NULL, WRITERS}, editorial_revisions_page},
	{{HTTP_GET, EDITORIAL_PATH_COMPARE, NULL, WRITERS}, editorial_compare_page},
	{{HTTP_POST, EDITORIAL_PATH_RESTORE, NULL, WRITERS}, editorial_restore},
};

const admin_page_table admin_article_table = {pages, sizeof pages / sizeof pages[0]};
