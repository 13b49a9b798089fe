/*
 * taxonomy_shared.c - what the pages of the taxonomy section (taxonomy.c:
 * categories and tags; links_page.c: website links) share (taxonomy.h): the
 * audit lines, the page context, the notice after an action, and reading a
 * new order. Below both files, so neither needs the other's helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/taxonomy.h"
#include "core/fmt.h"
#include "web/web.h"

void taxonomy_audit(http_req *req, const admin_user *me, const char *action, const char *target,
		    const char *details)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db_get(), admin_now(), &actor, action, target != NULL ? target : "",
		  details != NULL ? details : "");
}

void taxonomy_audit_order(http_req *req, const admin_user *me, const char *action, size_t max)
{
	const char *order_text = admin_field(req, "order", max * 16);
	if (order_text == NULL)
		order_text = "";
	taxonomy_audit(req, me, action, "", arena_sprintf(req->arena, "order %.900s", order_text));
}

json_t *taxonomy_context(http_req *req, const admin_user *me, const char *title_key)
{
	json_t *ctx = admin_context(req, me, title_key);
	if (ctx == NULL)
		return NULL;
	json_object_set_new(ctx, "styles", json_pack("[s]", TAXONOMY_CSS));
	json_object_set_new(ctx, "scripts", json_pack("[s]", TAXONOMY_JS));
	return ctx;
}

int taxonomy_parse_order(http_req *req, size_t max, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	/* 16 bytes per id ("123456789012345,") is more than any real id needs. */
	const char *order = admin_field(req, "order", max * 16);
	if (order == NULL || order[0] == '\0')
		return -1;
	int64_t *out = arena_calloc(req->arena, max + 1, sizeof(*out));
	if (out == NULL)
		return -1;
	size_t count = 0;
	const char *p = order;
	while (*p != '\0') {
		size_t len = strspn(p, "0123456789");
		if (len == 0 || len > 15 || count == max || (p[len] != ',' && p[len] != '\0'))
			return -1;
		char digits[16];
		memcpy(digits, p, len);
		digits[len] = '\0';
		if (web_parse_id(digits, &out[count]) != 0)
			return -1;
		count++;
		p += len;
		if (*p == ',')
			p++;
	}
	*ids = out;
	*n = count;
	return 0;
}

const char *taxonomy_row_path(http_req *req, const char *base, int64_t id, const char *end)
{
	return arena_sprintf(req->arena, "%s/%lld%s", base, (long long)id, end);
}

int taxonomy_list_page(http_req *req, http_res *res, const admin_user *me,
		       const taxonomy_list *spec, json_t *rows, json_t *add, json_t *add_values,
		       int status, const char *message)
{
	json_t *ctx = rows != NULL && add != NULL ? taxonomy_context(req, me, spec->title_key)
						  : NULL;
	if (ctx == NULL) {
		json_decref(rows);
		json_decref(add);
		json_decref(add_values);
		return admin_error(req, res, me, 500, NULL);
	}
	size_t n = json_array_size(rows);
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array_get(rows, i);
		int64_t id = (int64_t)json_integer_value(json_object_get(row, "id"));
		json_object_update_new(
		    row, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "edit_url",
				   taxonomy_row_path(req, spec->base, id, "/sua"), "up_action",
				   taxonomy_row_path(req, spec->base, id, "/len"), "down_action",
				   taxonomy_row_path(req, spec->base, id, "/xuong"), "delete_action",
				   taxonomy_row_path(req, spec->base, id, "/xoa"), "first", i == 0,
				   "last", i + 1 == n));
	}
	json_object_set_new(ctx, spec->name, rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "sortable", json_boolean(n > 1));
	json_object_set_new(ctx, "order_action", json_string(spec->order));
	json_object_set_new(ctx, "csrf",
			    json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "up",
				      admin_csrf_token(req, me, spec->up), "down",
				      admin_csrf_token(req, me, spec->down), "delete",
				      admin_csrf_token(req, me, spec->remove), "order",
				      admin_csrf_token(req, me, spec->order), "add",
				      admin_csrf_token(req, me, spec->add)));
	json_object_set_new(add, "action", json_string(spec->add));
	admin_form(ctx, "add", add, add_values);
	if (message != NULL)
		json_object_set_new(ctx, status < 400 ? "notice" : "message", json_string(message));
	return admin_render(req, res, status,
			    arena_sprintf(req->arena, "admin/%s", spec->name), ctx);
}
