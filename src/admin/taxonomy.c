/*
 * taxonomy.c - categories ("Chuyên mục") and tags ("Thẻ") in the back
 * office, and the page table of the whole section (the "Liên kết website"
 * links are in links_page.c, what both use in taxonomy_shared.c). Editors
 * and admins only.
 *
 * Categories: list with article counts, add, rename (a changed slug keeps
 * the old one working, model/category.h), reorder with arrow buttons (one
 * small POST form each, so no script is needed) or by dragging (taxonomy.js
 * posts the whole new order), delete when empty. Tags: list with usage
 * counts and search, rename, merge into another tag, delete. Every change
 * goes to the audit log; the public pages show it at once because the page
 * cache follows db_content_generation().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/taxonomy.h"
#include "core/buf.h"
#include "core/fmt.h"
#include "db/db.h"
#include "model/category.h"
#include "model/tag.h"
#include "web/web.h"

#define ADMIN_PATH_CATEGORY_ADD "/admin/chuyen-muc/them"
#define ADMIN_PATH_CATEGORY_ORDER "/admin/chuyen-muc/thu-tu"
#define ADMIN_PATH_CATEGORY_EDIT "/admin/chuyen-muc/:id/sua"
#define ADMIN_PATH_CATEGORY_UP "/admin/chuyen-muc/:id/len"
#define ADMIN_PATH_CATEGORY_DOWN "/admin/chuyen-muc/:id/xuong"
#define ADMIN_PATH_CATEGORY_DELETE "/admin/chuyen-muc/:id/xoa"
#define ADMIN_PATH_TAG_EDIT "/admin/the/:id/sua"
#define ADMIN_PATH_TAG_MERGE "/admin/the/:id/gop"
#define ADMIN_PATH_TAG_DELETE "/admin/the/:id/xoa"

#define TAG_PAGE 50            /* tags per page of the list */
#define TAG_PAGES_MAX 10000    /* ?trang= beyond this is refused */

/* ---- categories -------------------------------------------------------------- */

static const char *category_problem_key(int problem)
{
	switch (problem) {
	case CATEGORY_NAME_EMPTY: return "admin_tax_cat_name_empty";
	case CATEGORY_NAME_LONG: return "admin_tax_cat_name_long";
	case CATEGORY_NAME_INVALID: return "admin_tax_cat_name_invalid";
	case CATEGORY_NAME_TAKEN: return "admin_tax_cat_name_taken";
	case CATEGORY_SLUG_INVALID: return "admin_tax_cat_slug_invalid";
	case CATEGORY_SLUG_RESERVED: return "admin_tax_cat_slug_reserved";
	case CATEGORY_SLUG_TAKEN: return "admin_tax_cat_slug_taken";
	case CATEGORY_TOO_MANY: return "admin_tax_cat_too_many";
	case CATEGORY_ORDER_STALE: return "admin_tax_order_stale";
	default: return "admin_error_400";
	}
}

/* The status a refusal is answered with: 409 when it is about other rows
 * (a name or slug taken, articles still there), 400 for bad input. */
static int category_problem_status(int problem)
{
	switch (problem) {
	case CATEGORY_NAME_TAKEN:
	case CATEGORY_SLUG_TAKEN:
	case CATEGORY_NOT_EMPTY:
	case CATEGORY_TOO_MANY:
	case CATEGORY_ORDER_STALE: return 409;
	default: return 400;
	}
}

static const taxonomy_list categories_spec = {
	"admin_tax_cat_title",	    "categories",	       ADMIN_PATH_CATEGORIES,
	ADMIN_PATH_CATEGORY_UP,	    ADMIN_PATH_CATEGORY_DOWN, ADMIN_PATH_CATEGORY_DELETE,
	ADMIN_PATH_CATEGORY_ORDER, ADMIN_PATH_CATEGORY_ADD,
};

/* The list with an optional notice or message (status >= 400) and the add
 * form's previous values (consumed). */
static int categories_page(http_req *req, http_res *res, const admin_user *me, int status,
			   const char *message, json_t *add_values)
{
	db_t *db = db_get();
	category *items = NULL;
	size_t n = 0;
	if (db == NULL || category_list_counts(db, req->arena, &items, &n) != 0)
		return admin_fail(req, res, me, 500, add_values);
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++) {
		const category *c = &items[i];
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)c->id, "name",
				    c->name, "slug", c->slug, "url",
				    arena_sprintf(req->arena, "/%s", c->slug), "articles",
				    web_textf(req, "admin_tax_cat_count", c->articles), "articles_n",
				    (json_int_t)c->articles));
	}
	json_t *add = json_pack("{s:s, s:s, s:i, s:i}", "name", "", "slug", "", "name_max",
				CATEGORY_NAME_MAX, "slug_max", CATEGORY_SLUG_MAX);
	return taxonomy_list_page(req, res, me, &categories_spec, list, add, add_values, status,
				  message);
}

static int categories_list(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const notices[] = {
		"them", "admin_tax_cat_added", "sua", "admin_tax_cat_saved",
		"thu-tu", "admin_tax_order_saved", "xoa", "admin_tax_cat_deleted", NULL,
	};
	const char *key = admin_notice(req, notices);
	return categories_page(req, res, me, 200, key != NULL ? web_text(req, key) : NULL, NULL);
}

static int category_add(http_req *req, http_res *res, const admin_user *me)
{
	const char *name = admin_field(req, "name", ADMIN_FIELD_MAX);
	const char *slug = admin_field(req, "slug", ADMIN_FIELD_MAX);
	json_t *values = json_pack("{s:s, s:s}", "name", name != NULL ? name : "", "slug",
				   slug != NULL ? slug : "");
	if (name == NULL)
		return categories_page(req, res, me, 400, web_text(req, "admin_tax_cat_name_long"),
				       values);
	if (slug == NULL)
		return categories_page(req, res, me, 400,
				       web_text(req, "admin_tax_cat_slug_invalid"), values);
	db_t *db = db_get();
	int64_t id = 0;
	model_problem why;
	int rc = db != NULL ? category_create(db, name, slug, &id, &why) : -1;
	if (rc > 0)
		return categories_page(req, res, me, category_problem_status(why.code),
				       web_text(req, category_problem_key(why.code)), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	category c;
	if (category_get(db, req->arena, id, &c) == 0)
		taxonomy_audit(req, me, AUDIT_CATEGORY_CHANGE, c.name,
			       arena_sprintf(req->arena, "add /%s", c.slug));
	return http_redirect(res, 303, ADMIN_PATH_CATEGORIES "?ok=them");
}

/* The edit form of category c, with the values typed (consumed; NULL: the
 * stored ones) and an optional message. */
static int category_edit_page(http_req *req, http_res *res, const admin_user *me,
			      const category *c, int status, const char *message, json_t *values)
{
	json_t *ctx = taxonomy_context(req, me, "admin_tax_cat_edit_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, values);
	json_t *form = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:i, s:i}", "id", (json_int_t)c->id, "current_name",
	    c->name, "current_url", arena_sprintf(req->arena, "/%s", c->slug), "name", c->name,
	    "slug", c->slug, "action", taxonomy_row_path(req, ADMIN_PATH_CATEGORIES, c->id, "/sua"), "csrf",
	    admin_csrf_token(req, me, ADMIN_PATH_CATEGORY_EDIT), "name_max", CATEGORY_NAME_MAX,
	    "slug_max", CATEGORY_SLUG_MAX);
	admin_form(ctx, "category", form, values);
	json_object_set_new(ctx, "back", json_string(ADMIN_PATH_CATEGORIES));
	const char **former = NULL;
	size_t nformer = 0;
	json_t *olds = json_array();
	if (category_former_slugs(db_get(), req->arena, c->id, &former, &nformer) == 0)
		for (size_t i = 0; i < nformer; i++)
			json_array_append_new(olds, json_pack("{s:s}", "url", arena_sprintf(req->arena,
										    "/%s", former[i])));
	json_object_set_new(ctx, "former", olds);
	json_object_set_new(ctx, "has_former", json_boolean(nformer > 0));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, "admin/categories_edit", ctx);
}

/* The category of the route's :id: 0, or the status to answer. */
static int target_category(http_req *req, category *out)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	return status != 0 ? status : admin_get_status(category_get(db, req->arena, id, out));
}

static int category_form(http_req *req, http_res *res, const admin_user *me)
{
	category c;
	int status = target_category(req, &c);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	return category_edit_page(req, res, me, &c, 200, NULL, NULL);
}

static int category_save(http_req *req, http_res *res, const admin_user *me)
{
	category c;
	int status = target_category(req, &c);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const char *name = admin_field(req, "name", ADMIN_FIELD_MAX);
	const char *slug = admin_field(req, "slug", ADMIN_FIELD_MAX);
	json_t *values = json_pack("{s:s, s:s}", "name", name != NULL ? name : "", "slug",
				   slug != NULL ? slug : "");
	model_problem why;
	int rc = name == NULL ? model_answer(&why, CATEGORY_NAME_LONG, "name", CATEGORY_NAME_MAX)
		 : slug == NULL ? model_answer(&why, CATEGORY_SLUG_INVALID, "slug", 0)
				: category_rename(db_get(), c.id, name, slug, &why);
	if (rc == CATEGORY_NOT_FOUND)
		return admin_fail(req, res, me, 404, values);
	if (rc > 0)
		return category_edit_page(req, res, me, &c, category_problem_status(why.code),
					  web_text(req, category_problem_key(why.code)), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	category now;
	if (category_get(db_get(), req->arena, c.id, &now) == 0 &&
	    (strcmp(now.name, c.name) != 0 || strcmp(now.slug, c.slug) != 0))
		taxonomy_audit(req, me, AUDIT_CATEGORY_CHANGE, now.name,
			       arena_sprintf(req->arena, "rename %s (/%s) -> %s (/%s)", c.name,
					     c.slug, now.name, now.slug));
	return http_redirect(res, 303, ADMIN_PATH_CATEGORIES "?ok=sua");
}

static int category_shift_by(http_req *req, http_res *res, const admin_user *me, int delta)
{
	category c;
	int status = target_category(req, &c);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int rc = category_shift(db_get(), c.id, delta, NULL);
	if (rc == CATEGORY_NOT_FOUND)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit(req, me, AUDIT_CATEGORY_CHANGE, c.name, delta < 0 ? "move up" : "move down");
	return http_redirect(res, 303, ADMIN_PATH_CATEGORIES "?ok=thu-tu");
}

static int category_up(http_req *req, http_res *res, const admin_user *me)
{
	return category_shift_by(req, res, me, -1);
}

static int category_down(http_req *req, http_res *res, const admin_user *me)
{
	return category_shift_by(req, res, me, 1);
}

static int category_order(http_req *req, http_res *res, const admin_user *me)
{
	int64_t *ids;
	size_t n;
	if (taxonomy_parse_order(req, CATEGORY_LIST_MAX, &ids, &n) != 0)
		return categories_page(req, res, me, 400, web_text(req, "admin_tax_order_bad"),
				       NULL);
	model_problem why;
	int rc = category_reorder(db_get(), ids, n, &why);
	if (rc > 0)
		return categories_page(req, res, me, category_problem_status(why.code),
				       web_text(req, category_problem_key(why.code)), NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit_order(req, me, AUDIT_CATEGORY_CHANGE, CATEGORY_LIST_MAX);
	return http_redirect(res, 303, ADMIN_PATH_CATEGORIES "?ok=thu-tu");
}

static int category_remove(http_req *req, http_res *res, const admin_user *me)
{
	category c;
	int status = target_category(req, &c);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	model_problem why;
	int rc = category_delete(db_get(), c.id, NULL, &why);
	if (rc == CATEGORY_NOT_FOUND)
		return admin_error(req, res, me, 404, NULL);
	if (rc == CATEGORY_NOT_EMPTY) {
		const char *text = web_textf(req, "admin_tax_cat_not_empty", why.count);
		return categories_page(req, res, me, 409,
				       arena_sprintf(req->arena, "%s: %s", c.name, text), NULL);
	}
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit(req, me, AUDIT_CATEGORY_CHANGE, c.name,
		       arena_sprintf(req->arena, "delete /%s", c.slug));
	return http_redirect(res, 303, ADMIN_PATH_CATEGORIES "?ok=xoa");
}

/* ---- tags -------------------------------------------------------------------- */

static const char *tag_problem_key(int problem)
{
	switch (problem) {
	case TAG_NAME_EMPTY: return "admin_tax_tag_name_empty";
	case TAG_NAME_LONG: return "admin_tax_tag_name_long";
	case TAG_NAME_INVALID: return "admin_tax_tag_name_invalid";
	case TAG_NAME_TAKEN: return "admin_tax_tag_name_taken";
	case TAG_MERGE_SELF: return "admin_tax_tag_merge_self";
	default: return "admin_error_400";
	}
}

static int tags_list(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const notices[] = {
		"sua", "admin_tax_tag_saved", "gop", "admin_tax_tag_merged",
		"xoa", "admin_tax_tag_deleted", NULL,
	};
	const char *q = http_query(req, "q");
	const char *page_text = http_query(req, "trang");
	int64_t page = 1;
	if (q == NULL)
		q = "";
	int status = 200;
	const char *message = NULL;
	if (strnlen(q, TAG_QUERY_MAX + 1) > TAG_QUERY_MAX) {
		status = 400;
		message = web_text(req, "admin_tax_tag_query_long");
		q = "";
	}
	if (page_text != NULL && page_text[0] != '\0' &&
	    (parse_int64(page_text, &page) != 0 || page < 1 || page > TAG_PAGES_MAX))
		return admin_error(req, res, me, 400, NULL);
	db_t *db = db_get();
	tag *items = NULL;
	size_t n = 0;
	bool more = false;
	if (db == NULL || tag_list(db, req->arena, q, (size_t)(page - 1) * TAG_PAGE, TAG_PAGE, &items,
				   &n, &more) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = taxonomy_context(req, me, "admin_tax_tag_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		char uses[32];
		fmt_int(uses, sizeof uses, items[i].uses, web_lang(req));
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)items[i].id,
					"name", items[i].name, "slug", items[i].slug, "uses", uses,
					"edit_url", taxonomy_row_path(req, ADMIN_PATH_TAGS, items[i].id, "/sua"));
		if (row != NULL)
			json_array_append_new(list, row);
	}
	json_object_set_new(ctx, "tags", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "q", json_string(q));
	json_object_set_new(ctx, "action", json_string(ADMIN_PATH_TAGS));
	/* The query goes back into a link: percent-encode it. */
	buf_t enc = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)q; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.')
			buf_putc(&enc, (char)*p);
		else
			buf_printf(&enc, "%%%02X", *p);
	}
	const char *qenc = enc.failed || enc.data == NULL ? "" : arena_strdup(req->arena, enc.data);
	buf_free(&enc);
	if (qenc == NULL)
		qenc = "";
	if (page > 1)
		json_object_set_new(ctx, "prev_url",
				    json_string(arena_sprintf(req->arena, "%s?q=%s&trang=%lld",
							      ADMIN_PATH_TAGS, qenc,
							      (long long)(page - 1))));
	if (more)
		json_object_set_new(ctx, "next_url",
				    json_string(arena_sprintf(req->arena, "%s?q=%s&trang=%lld",
							      ADMIN_PATH_TAGS, qenc,
							      (long long)(page + 1))));
	json_object_set_new(ctx, "paged", json_boolean(page > 1 || more));
	if (message == NULL) {
		const char *key = admin_notice(req, notices);
		if (key != NULL)
			json_object_set_new(ctx, "notice", json_string(web_text(req, key)));
	} else {
		json_object_set_new(ctx, "message", json_string(message));
	}
	return admin_render(req, res, status, "admin/tags", ctx);
}

/* The tag of the route's :id: 0, or the status to answer. */
static int target_tag(http_req *req, tag *out)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	return status != 0 ? status : admin_get_status(tag_get(db, req->arena, id, out));
}

/* The edit page of tag t with the rename (and merge) form's typed values
 * (consumed) and an optional message. */
static int tag_edit_page(http_req *req, http_res *res, const admin_user *me, const tag *t,
			 int status, const char *message, json_t *values)
{
	json_t *ctx = taxonomy_context(req, me, "admin_tax_tag_edit_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, values);
	json_t *form = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:i}", "id",
	    (json_int_t)t->id, "current_name", t->name, "slug", t->slug, "name", t->name, "into",
	    "", "uses", web_textf(req, "admin_tax_tag_count", t->uses), "action",
	    taxonomy_row_path(req, ADMIN_PATH_TAGS, t->id, "/sua"), "merge_action",
	    taxonomy_row_path(req, ADMIN_PATH_TAGS, t->id, "/gop"), "delete_action",
	    taxonomy_row_path(req, ADMIN_PATH_TAGS, t->id, "/xoa"), "csrf",
	    admin_csrf_token(req, me, ADMIN_PATH_TAG_EDIT), "merge_csrf",
	    admin_csrf_token(req, me, ADMIN_PATH_TAG_MERGE), "delete_csrf",
	    admin_csrf_token(req, me, ADMIN_PATH_TAG_DELETE), "name_max", TAG_NAME_MAX);
	admin_form(ctx, "tag", form, values);
	json_object_set_new(ctx, "back", json_string(ADMIN_PATH_TAGS));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, "admin/tags_edit", ctx);
}

static int tag_form(http_req *req, http_res *res, const admin_user *me)
{
	tag t;
	int status = target_tag(req, &t);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	return tag_edit_page(req, res, me, &t, 200, NULL, NULL);
}

static int tag_save(http_req *req, http_res *res, const admin_user *me)
{
	tag t;
	int status = target_tag(req, &t);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const char *name = admin_field(req, "name", ADMIN_FIELD_MAX);
	json_t *values = json_pack("{s:s}", "name", name != NULL ? name : "");
	model_problem why;
	int rc = name == NULL ? model_answer(&why, TAG_NAME_LONG, "name", TAG_NAME_MAX)
			      : tag_rename(db_get(), t.id, name, &why);
	if (rc == TAG_NOT_FOUND)
		return admin_fail(req, res, me, 404, values);
	if (rc > 0)
		return tag_edit_page(req, res, me, &t, why.code == TAG_NAME_TAKEN ? 409 : 400,
				     web_text(req, tag_problem_key(why.code)), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	tag now;
	if (tag_get(db_get(), req->arena, t.id, &now) == 0 && strcmp(now.name, t.name) != 0)
		taxonomy_audit(req, me, AUDIT_TAG_CHANGE, now.name,
			       arena_sprintf(req->arena, "rename %s -> %s", t.name, now.name));
	return http_redirect(res, 303, ADMIN_PATH_TAGS "?ok=sua");
}

static int tag_merge_into(http_req *req, http_res *res, const admin_user *me)
{
	tag t, into;
	int status = target_tag(req, &t);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const char *name = admin_field(req, "into", ADMIN_FIELD_MAX);
	json_t *values = json_pack("{s:s}", "into", name != NULL ? name : "");
	db_t *db = db_get();
	int rc = name == NULL || name[0] == '\0' ? 1 : tag_find(db, req->arena, name, &into);
	if (rc == 1)
		return tag_edit_page(req, res, me, &t, 400,
				     web_text(req, "admin_tax_tag_merge_missing"), values);
	if (rc != 0)
		return admin_fail(req, res, me, 500, values);
	int64_t moved = 0;
	model_problem why;
	rc = tag_merge(db, t.id, into.id, &moved, &why);
	if (rc == TAG_NOT_FOUND)
		return admin_fail(req, res, me, 404, values);
	if (rc > 0)
		return tag_edit_page(req, res, me, &t, 400, web_text(req, tag_problem_key(why.code)),
				     values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit(req, me, AUDIT_TAG_CHANGE, into.name,
		       arena_sprintf(req->arena, "merge %s -> %s (%lld)", t.name, into.name,
				     (long long)moved));
	return http_redirect(res, 303, ADMIN_PATH_TAGS "?ok=gop");
}

static int tag_remove(http_req *req, http_res *res, const admin_user *me)
{
	tag t;
	int status = target_tag(req, &t);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int64_t uses = 0;
	int rc = tag_delete(db_get(), t.id, &uses, NULL);
	if (rc == TAG_NOT_FOUND)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit(req, me, AUDIT_TAG_CHANGE, t.name,
		       arena_sprintf(req->arena, "delete (%lld)", (long long)uses));
	return http_redirect(res, 303, ADMIN_PATH_TAGS "?ok=xoa");
}

/* ---- the page table ---------------------------------------------------------- */

/* Fixed paths come before the :id patterns that would also match them. */
static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_CATEGORIES, NULL, USER_EDITOR}, categories_list},
	{{HTTP_POST, ADMIN_PATH_CATEGORY_ADD, NULL, USER_EDITOR}, category_add},
	{{HTTP_POST, ADMIN_PATH_CATEGORY_ORDER, NULL, USER_EDITOR}, category_order},
	{{HTTP_GET, ADMIN_PATH_CATEGORY_EDIT, NULL, USER_EDITOR}, category_form},
	{{HTTP_POST, ADMIN_PATH_CATEGORY_EDIT, NULL, USER_EDITOR}, category_save},
	{{HTTP_POST, ADMIN_PATH_CATEGORY_UP, NULL, USER_EDITOR}, category_up},
	{{HTTP_POST, ADMIN_PATH_CATEGORY_DOWN, NULL, USER_EDITOR}, category_down},
	{{HTTP_POST, ADMIN_PATH_CATEGORY_DELETE, NULL, USER_EDITOR}, category_remove},
	{{HTTP_GET, ADMIN_PATH_TAGS, NULL, USER_EDITOR}, tags_list},
	{{HTTP_GET, ADMIN_PATH_TAG_EDIT, NULL, USER_EDITOR}, tag_form},
	{{HTTP_POST, ADMIN_PATH_TAG_EDIT, NULL, USER_EDITOR}, tag_save},
	{{HTTP_POST, ADMIN_PATH_TAG_MERGE, NULL, USER_EDITOR}, tag_merge_into},
	{{HTTP_POST, ADMIN_PATH_TAG_DELETE, NULL, USER_EDITOR}, tag_remove},
	{{HTTP_GET, ADMIN_PATH_LINKS, NULL, USER_EDITOR}, admin_links_page},
	{{HTTP_POST, ADMIN_PATH_LINK_ADD, NULL, USER_EDITOR}, admin_link_add},
	{{HTTP_POST, ADMIN_PATH_LINK_ORDER, NULL, USER_EDITOR}, admin_link_order},
	{{HTTP_GET, ADMIN_PATH_LINK_EDIT, NULL, USER_EDITOR}, admin_link_form},
	{{HTTP_POST, ADMIN_PATH_LINK_EDIT, NULL, USER_EDITOR}, admin_link_save},
	{{HTTP_POST, ADMIN_PATH_LINK_UP, NULL, USER_EDITOR}, admin_link_up},
	{{HTTP_POST, ADMIN_PATH_LINK_DOWN, NULL, USER_EDITOR}, admin_link_down},
	{{HTTP_POST, ADMIN_PATH_LINK_REMOVE, NULL, USER_EDITOR}, admin_link_remove},
};

const admin_page_table admin_taxonomy_table = {pages, sizeof pages / sizeof pages[0]};
