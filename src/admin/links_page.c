/*
 * links_page.c - the "Liên kết website" block in the back office at
 * /admin/lien-ket: list, add, edit title and address, remove, move up or
 * down (arrow buttons, or dragging with taxonomy.js). Editors and admins
 * only (the rows are in taxonomy.c's page table).
 *
 * Only absolute http:// and https:// addresses are accepted here (no
 * javascript:, data:, //host, user@host); `sen links` may also add paths
 * inside the site, which are shown and kept as they are.
 */
#include <stdio.h>
#include <string.h>

#include "admin/taxonomy.h"
#include "db/db.h"
#include "model/link.h"

static const char *link_problem_key(enum link_problem p)
{
	switch (p) {
	case LINK_TITLE_EMPTY: return "admin_tax_link_title_empty";
	case LINK_TITLE_LONG: return "admin_tax_link_title_long";
	case LINK_TITLE_UTF8:
	case LINK_TITLE_CONTROL: return "admin_tax_link_title_invalid";
	case LINK_URL_EMPTY: return "admin_tax_link_url_empty";
	case LINK_URL_LONG: return "admin_tax_link_url_long";
	case LINK_URL_UTF8:
	case LINK_URL_INVALID: return "admin_tax_link_url_invalid";
	case LINK_URL_SCHEME: return "admin_tax_link_url_scheme";
	case LINK_URL_HOST: return "admin_tax_link_url_host";
	case LINK_URL_USERINFO: return "admin_tax_link_url_userinfo";
	case LINK_OK: break;
	}
	return "admin_error_400";
}

static const char *link_path(http_req *req, int64_t id, const char *end)
{
	return taxonomy_row_path(req, ADMIN_PATH_LINKS, id, end);
}

static const taxonomy_list links_spec = {
	"admin_tax_link_title",	"links",		ADMIN_PATH_LINKS,
	ADMIN_PATH_LINK_UP,	ADMIN_PATH_LINK_DOWN, ADMIN_PATH_LINK_REMOVE,
	ADMIN_PATH_LINK_ORDER, ADMIN_PATH_LINK_ADD,
};

/* The list with an optional notice or message (status >= 400) and the add
 * form's previous values (consumed). */
static int links_page(http_req *req, http_res *res, const admin_user *me, int status,
		      const char *message, json_t *add_values)
{
	db_t *db = db_get();
	link_item *items = NULL;
	size_t n = 0;
	if (db == NULL || link_list(db, req->arena, &items, &n) != 0)
		return admin_fail(req, res, me, 500, add_values);
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)items[i].id,
						      "title", items[i].title, "url", items[i].url));
	json_t *add = json_pack("{s:s, s:s, s:i, s:i}", "title", "", "url", "", "title_max",
				LINK_TITLE_MAX, "url_max", LINK_URL_MAX);
	return taxonomy_list_page(req, res, me, &links_spec, list, add, add_values, status, message);
}

int admin_links_page(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const notices[] = {
		"them", "admin_tax_link_added", "sua", "admin_tax_link_saved",
		"thu-tu", "admin_tax_order_saved", "xoa", "admin_tax_link_removed", NULL,
	};
	const char *key = admin_notice(req, notices);
	return links_page(req, res, me, 200, key != NULL ? web_text(req, key) : NULL, NULL);
}

/* The title and url fields, checked: LINK_OK, or the problem (the values
 * typed are in *values either way, for the form to come back with). */
static enum link_problem read_fields(http_req *req, const char **title, const char **url,
				     json_t **values)
{
	*title = admin_field(req, "title", LINK_TITLE_MAX * 2);
	*url = admin_field(req, "url", LINK_URL_MAX * 2);
	*values = json_pack("{s:s, s:s}", "title", *title != NULL ? *title : "", "url",
			    *url != NULL ? *url : "");
	if (*title == NULL)
		return LINK_TITLE_LONG;
	if (*url == NULL)
		return LINK_URL_LONG;
	return link_check(*title, *url, 0);
}

int admin_link_add(http_req *req, http_res *res, const admin_user *me)
{
	const char *title, *url;
	json_t *values;
	enum link_problem p = read_fields(req, &title, &url, &values);
	if (p != LINK_OK)
		return links_page(req, res, me, 400, web_text(req, link_problem_key(p)), values);
	db_t *db = db_get();
	link_item *items = NULL;
	size_t n = 0;
	if (db == NULL || link_list(db, req->arena, &items, &n) != 0)
		return admin_fail(req, res, me, 500, values);
	if (n >= LINK_LIST_MAX)
		return links_page(req, res, me, 409,
				  web_textf(req, "admin_tax_link_too_many", LINK_LIST_MAX),
				  values);
	int64_t id;
	if (link_add(db, title, url, &id) != 0)
		return admin_fail(req, res, me, 500, values);
	json_decref(values);
	taxonomy_audit(req, me, AUDIT_LINK_CHANGE, title, arena_sprintf(req->arena, "add %s", url));
	return http_redirect(res, 303, ADMIN_PATH_LINKS "?ok=them");
}

/* The link of the route's :id: 0, or the status to answer. */
static int target_link(http_req *req, link_item *out)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	return status != 0 ? status : admin_get_status(link_get(db, req->arena, id, out));
}

static int edit_page(http_req *req, http_res *res, const admin_user *me, const link_item *l,
		     int status, const char *message, json_t *values)
{
	json_t *ctx = taxonomy_context(req, me, "admin_tax_link_edit_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, values);
	json_t *form = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:i, s:i}", "id", (json_int_t)l->id,
				 "title", l->title, "url", l->url, "action",
				 link_path(req, l->id, "/sua"), "csrf",
				 admin_csrf_token(req, me, ADMIN_PATH_LINK_EDIT), "title_max",
				 LINK_TITLE_MAX, "url_max", LINK_URL_MAX);
	admin_form(ctx, "link", form, values);
	json_object_set_new(ctx, "back", json_string(ADMIN_PATH_LINKS));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, "admin/links_edit", ctx);
}

int admin_link_form(http_req *req, http_res *res, const admin_user *me)
{
	link_item l;
	int status = target_link(req, &l);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	return edit_page(req, res, me, &l, 200, NULL, NULL);
}

int admin_link_save(http_req *req, http_res *res, const admin_user *me)
{
	link_item l;
	int status = target_link(req, &l);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const char *title, *url;
	json_t *values;
	enum link_problem p = read_fields(req, &title, &url, &values);
	/* A path inside the site that `sen links` stored may stay as it is. */
	if (p == LINK_URL_SCHEME && url != NULL && strcmp(url, l.url) == 0 &&
	    link_check(title, url, LINK_ALLOW_PATH) == LINK_OK)
		p = LINK_OK;
	if (p != LINK_OK)
		return edit_page(req, res, me, &l, 400, web_text(req, link_problem_key(p)), values);
	json_decref(values);
	int rc = link_update(db_get(), l.id, title, url);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	if (strcmp(title, l.title) != 0 || strcmp(url, l.url) != 0)
		taxonomy_audit(req, me, AUDIT_LINK_CHANGE, title,
			       arena_sprintf(req->arena, "edit %s | %s -> %s | %s", l.title, l.url,
					     title, url));
	return http_redirect(res, 303, ADMIN_PATH_LINKS "?ok=sua");
}

static int shift(http_req *req, http_res *res, const admin_user *me, int delta)
{
	link_item l;
	int status = target_link(req, &l);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int rc = link_shift(db_get(), l.id, delta);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit(req, me, AUDIT_LINK_CHANGE, l.title, delta < 0 ? "move up" : "move down");
	return http_redirect(res, 303, ADMIN_PATH_LINKS "?ok=thu-tu");
}

int admin_link_up(http_req *req, http_res *res, const admin_user *me)
{
	return shift(req, res, me, -1);
}

int admin_link_down(http_req *req, http_res *res, const admin_user *me)
{
	return shift(req, res, me, 1);
}

int admin_link_order(http_req *req, http_res *res, const admin_user *me)
{
	int64_t *ids;
	size_t n;
	if (taxonomy_parse_order(req, LINK_LIST_MAX, &ids, &n) != 0)
		return links_page(req, res, me, 400, web_text(req, "admin_tax_order_bad"), NULL);
	int rc = link_reorder(db_get(), ids, n);
	if (rc == 2)
		return links_page(req, res, me, 409, web_text(req, "admin_tax_order_stale"), NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit_order(req, me, AUDIT_LINK_CHANGE, LINK_LIST_MAX);
	return http_redirect(res, 303, ADMIN_PATH_LINKS "?ok=thu-tu");
}

int admin_link_remove(http_req *req, http_res *res, const admin_user *me)
{
	link_item l;
	int status = target_link(req, &l);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int rc = link_remove(db_get(), l.id);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	taxonomy_audit(req, me, AUDIT_LINK_CHANGE, l.title,
		       arena_sprintf(req->arena, "remove %s", l.url));
	return http_redirect(res, 303, ADMIN_PATH_LINKS "?ok=xoa");
}
