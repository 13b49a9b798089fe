/*
 * numbering_page.c - the registers and their number patterns at
 * /admin/so-dang-ky/mau-so: each register's museum prefix and pattern
 * ("{prefix}.{register}.{n:5}/{material}", docs/REGISTER.md), with the
 * number it would give next. Saving a pattern that would give a number an
 * object already holds is refused (model/register_number.h); numbers given
 * before never change. Admins only: the numbering is the museum's rule.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "model/register_number.h"
#include "web/web.h"

#define PATH_NUMBERING ADMIN_PATH_REGISTER "/mau-so"
#define PATH_PATTERN PATH_NUMBERING "/:id"

/* The page; for a refused form, its register's id, message and values. */
static int numbering_page(http_req *req, http_res *res, const admin_user *me, int status,
			  int64_t failed, const char *message, json_t *values)
{
	db_t *db = db_get();
	register_book *books;
	size_t n;
	json_t *ctx = NULL;
	if (db == NULL || register_number_list(db, req->arena, &books, &n) != 0 ||
	    (ctx = admin_context(req, me, "admin_numbering_title")) == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	const char *token = admin_csrf_token(req, me, PATH_PATTERN);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const register_book *r = &books[i];
		char next[REGISTER_NUMBER_MAX + 1] = "";
		register_number_format(r->pattern, r->prefix, r->code, r->next_number, "KL", next,
				       sizeof next);
		json_t *row = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "id", (json_int_t)r->id, "code",
		    r->code, "name", r->name, "collection",
		    admin_reg_word(req, "admin_reg_status_", r->collection), "prefix", r->prefix,
		    "pattern", r->pattern, "next", next, "csrf", token);
		if (row == NULL)
			continue;
		json_object_set_new(row, "action",
				    json_string(arena_sprintf(req->arena, PATH_NUMBERING "/%lld",
							      (long long)r->id)));
		if (r->id == failed && values != NULL) {
			json_object_update(row, values);
			json_object_set_new(row, "message", json_string(message));
		}
		json_array_append_new(list, row);
	}
	json_decref(values);
	json_object_set_new(ctx, "registers", list);
	json_object_set_new(ctx, "back_url", json_string(ADMIN_PATH_REGISTER));
	const char *ok = http_query(req, "ok");
	if (ok != NULL && strcmp(ok, "luu") == 0)
		json_object_set_new(ctx, "notice", json_string(web_text(req, "admin_numbering_saved")));
	return admin_render(req, res, status, "admin/register_numbering", ctx);
}

static int numbering_list(http_req *req, http_res *res, const admin_user *me)
{
	return numbering_page(req, res, me, 200, 0, NULL, NULL);
}

static int numbering_save(http_req *req, http_res *res, const admin_user *me)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	static const char *const names[] = {"prefix", "pattern", NULL};
	const char *v[3] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	int rc = admin_reg_read_fields(req, names, REGISTER_PATTERN_MAX, v, values, &f)
			 ? register_number_set_pattern(db, id, v[0], v[1], &f)
			 : f.code;
	if (rc == REG_NOT_FOUND && f.field != NULL && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return numbering_page(req, res, me, 400, id,
				      admin_reg_problem(req, "admin_reg_field_", &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_REGISTER_PATTERN,
			arena_sprintf(req->arena, "%lld", (long long)id),
			arena_sprintf(req->arena, "%s %s", v[0], v[1]));
	return http_redirect(res, 303, PATH_NUMBERING "?ok=luu");
}

static const admin_page pages[] = {
	{{HTTP_GET, PATH_NUMBERING, NULL, 0}, numbering_list},
	{{HTTP_POST, PATH_PATTERN, NULL, 0}, numbering_save},
};

const admin_page_table admin_numbering_table = {pages, sizeof pages / sizeof pages[0]};
