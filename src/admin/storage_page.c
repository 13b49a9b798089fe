/*
 * storage_page.c - where the register's objects are kept: the storage
 * tree at /admin/kho (kho › phòng › giá › hộp, plus exhibition halls and
 * "bên ngoài" for loans: listed as a tree, places added and renamed), and
 * the move of one object (/admin/so-dang-ky/ID/di-chuyen: date, from where
 * it is, to, who, why), which shows where the object is now and every
 * place it has been.
 *
 * Curators (and admins) write; the council reads the tree. Refusals come back as the form with the field named
 * and what was typed kept; every change goes to the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"

#define PATH_ADD ADMIN_PATH_STORAGE "/them"
#define PATH_RENAME ADMIN_PATH_STORAGE "/:id/doi-ten"
#define PATH_MOVE ADMIN_PATH_REGISTER "/:id/di-chuyen"
#define LOC_LABELS "admin_loc_field_"
#define MOVE_LABELS "admin_move_field_"

static const char *const place_kinds[] = {"store", "room", "shelf", "box", "exhibit", "outside",
					  NULL};
static const char *const store_kinds[] = {"main", "reference", NULL};

/* ---- the tree ------------------------------------------------------------------ */

static int tree_page(http_req *req, http_res *res, const admin_user *me, int status,
		     const char *message, json_t *values)
{
	db_t *db = db_get();
	location_node *nodes;
	size_t n;
	json_t *ctx = NULL;
	if (values == NULL)
		values = json_object();
	if (db == NULL || location_tree(db, req->arena, &nodes, &n) != 0 ||
	    (ctx = admin_context(req, me, "admin_loc_title")) == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const location *l = &nodes[i].place;
		char indent[3 * LOCATION_DEPTH_MAX + 1] = "";
		for (int d = 0; d < nodes[i].depth && d < LOCATION_DEPTH_MAX; d++)
			memcpy(indent + 3 * d, "\u2003", 4);   /* an em space a level */
		json_array_append_new(
		    rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)l->id,
				    "indent", indent, "name", l->name, "code", l->code, "kind",
				    admin_reg_word(req, "admin_loc_kind_", l->kind), "objects",
				    (json_int_t)nodes[i].objects, "rename_url",
				    arena_sprintf(req->arena, ADMIN_PATH_STORAGE "/%lld/doi-ten",
						  (long long)l->id)));
	}
	const char *kind = json_string_value(json_object_get(values, "kind"));
	const char *store_kind = json_string_value(json_object_get(values, "store_kind"));
	int64_t parent = 0;
	const char *parent_s = json_string_value(json_object_get(values, "parent_id"));
	if (parent_s != NULL && parent_s[0] != '\0')
		web_parse_id(parent_s, &parent);
	json_t *places = admin_reg_places(req, db, parent);
	if (places == NULL) {
		json_decref(values);
		json_decref(ctx);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "places", places);
	json_object_set_new(ctx, "kinds", admin_reg_choices(req, "admin_loc_kind_", place_kinds, kind));
	json_object_set_new(ctx, "store_kinds",
			    admin_reg_choices(req, "admin_loc_store_", store_kinds, store_kind));
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "add_url", json_string(PATH_ADD));
	json_object_set_new(ctx, "add_csrf", json_string(admin_csrf_token(req, me, PATH_ADD)));
	json_object_set_new(ctx, "rename_csrf", json_string(admin_csrf_token(req, me, PATH_RENAME)));
	json_object_set_new(ctx, "back_url", json_string(ADMIN_PATH_REGISTER));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	const char *ok = http_query(req, "ok");
	if (ok != NULL && strcmp(ok, "1") == 0)
		json_object_set_new(ctx, "notice", json_string(web_text(req, "admin_loc_saved")));
	return admin_render(req, res, status, "admin/storage", ctx);
}

static int storage_tree(http_req *req, http_res *res, const admin_user *me)
{
	return tree_page(req, res, me, 200, NULL, NULL);
}

/* Reads the named fields into a JSON object of what was typed (kept when
 * the form comes back); NULL with *too_long the field over max bytes. */
static json_t *read_form(http_req *req, const char *const *names, const char **v, size_t max,
			 const char **too_long)
{
	json_t *values = json_object();
	for (size_t i = 0; names[i] != NULL; i++) {
		v[i] = admin_field(req, names[i], max);
		if (v[i] == NULL) {
			*too_long = names[i];
			v[i] = "";
		}
		json_object_set_new(values, names[i], json_string(v[i]));
	}
	return values;
}

static int storage_add(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const names[] = {"kind", "parent_id", "name", "code", "store_kind", NULL};
	const char *v[5], *too_long = NULL;
	json_t *values = read_form(req, names, v, LOCATION_NAME_MAX, &too_long);
	model_problem f = {0};
	location l = {.kind = v[0], .name = v[2], .code = v[3], .store_kind = v[4]};
	int rc = too_long != NULL ? reg_refuse(&f, REG_TOO_LONG, too_long) : 0;
	if (rc == 0 && v[1][0] != '\0' && web_parse_id(v[1], &l.parent_id) != 0)
		rc = reg_refuse(&f, REG_NOT_FOUND, "parent_id");
	db_t *db = db_get();
	int64_t id = 0;
	if (rc == 0)
		rc = db != NULL ? location_add(db, &l, &id, &f) : -1;
	if (rc > 0)
		return tree_page(req, res, me, 400, admin_reg_problem(req, LOC_LABELS, &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_LOCATION_CHANGE,
			arena_sprintf(req->arena, "%lld %.150s", (long long)id, l.name), l.kind);
	return http_redirect(res, 303, ADMIN_PATH_STORAGE "?ok=1");
}

static int rename_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	static const char *const names[] = {"name", "code", NULL};
	const char *v[2], *too_long = NULL;
	json_t *values = read_form(req, names, v, LOCATION_NAME_MAX, &too_long);
	model_problem f = {0};
	int rc = too_long != NULL ? reg_refuse(&f, REG_TOO_LONG, too_long)
				  : location_rename(db, id, v[0], v[1], &f);
	json_decref(values);
	if (rc == REG_NOT_FOUND && f.field != NULL && strcmp(f.field, "id") == 0)
		return admin_error(req, res, me, 404, NULL);
	if (rc > 0)
		return tree_page(req, res, me, 400, admin_reg_problem(req, LOC_LABELS, &f), NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_LOCATION_CHANGE,
			arena_sprintf(req->arena, "%lld %.150s", (long long)id, v[0]), "rename");
	return http_redirect(res, 303, ADMIN_PATH_STORAGE "?ok=1");
}

/* ---- moving an object ------------------------------------------------------------ */

static int move_page(http_req *req, http_res *res, const admin_user *me, int64_t id, int status,
		     const char *message, json_t *values)
{
	db_t *db = db_get();
	object_card c;
	json_t *ctx;
	int rc = admin_reg_dated_form(req, me, db, id, "admin_move_title", "moved_on", "who", &c,
				      &ctx, &values);
	if (rc != 0)
		return admin_error(req, res, me, rc, NULL);
	int64_t to = 0;
	const char *to_s = json_string_value(json_object_get(values, "to_location_id"));
	if (to_s != NULL && to_s[0] != '\0')
		web_parse_id(to_s, &to);
	json_t *places = admin_reg_places(req, db, to), *history = admin_reg_moves(req, db, id);
	const char *reason = json_string_value(json_object_get(values, "reason"));
	if (c.location_id > 0)
		json_object_set_new(ctx, "now",
				    json_string(location_path(db, req->arena, c.location_id)));
	json_object_set_new(ctx, "places", places != NULL ? places : json_array());
	json_object_set_new(ctx, "reasons",
			    admin_reg_choices(req, "admin_move_reason_", movement_reasons, reason));
	json_object_set_new(ctx, "has_moves", json_boolean(json_array_size(history) > 0));
	json_object_set_new(ctx, "moves", history != NULL ? history : json_array());
	return admin_reg_form_render(
	    req, res, me, ctx, status,
	    arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld/di-chuyen", (long long)id), PATH_MOVE,
	    json_string_value(json_object_get(ctx, "card_url")), message, values,
	    "admin/register_move");
}

static int move_form_row(http_req *req, http_res *res, const admin_user *me, int64_t id,
			 db_t *db)
{
	(void)db;
	return move_page(req, res, me, id, 200, NULL, NULL);
}

static int move_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	static const char *const names[] = {"moved_on", "to_location_id", "who", "reason", "note",
					    NULL};
	const char *v[5], *too_long = NULL;
	json_t *values = read_form(req, names, v, MOVEMENT_NOTE_MAX, &too_long);
	char day[11] = "";
	model_problem f = {0};
	movement m = {.object_id = id, .moved_on = day, .who = v[2], .reason = v[3], .note = v[4]};
	int rc = 0;
	if (too_long != NULL)
		rc = reg_refuse(&f, REG_TOO_LONG, too_long);
	else if (v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "moved_on");
	else if (!reg_date_parse(v[0], day))
		rc = reg_refuse(&f, REG_BAD_DATE, "moved_on");
	else if (v[1][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "to_location_id");
	else if (web_parse_id(v[1], &m.to_location_id) != 0)
		rc = reg_refuse(&f, REG_NOT_FOUND, "to_location_id");
	int64_t move_id = 0;
	if (rc == 0)
		rc = movement_add(db, &m, &move_id, &f);
	if (rc == REG_NOT_FOUND && strcmp(f.field, "object_id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return move_page(req, res, me, id, 400, admin_reg_problem(req, MOVE_LABELS, &f),
				 values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_OBJECT_MOVE,
			arena_sprintf(req->arena, "%lld", (long long)id),
			arena_sprintf(req->arena, "%s %lld %s", m.moved_on,
				      (long long)m.to_location_id, m.reason));
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld", (long long)id));
}

ADMIN_REG_ROW_PAGE(storage_rename, rename_row)
ADMIN_REG_ROW_PAGE(move_form, move_form_row)
ADMIN_REG_ROW_PAGE(move_submit, move_row)

/* ---- the page table ------------------------------------------------------------- */

/* Curators keep the places and move objects; the council may read the
 * tree; admins may do all. */
static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_STORAGE, NULL, ADMIN_REGISTER_READERS}, storage_tree},
	{{HTTP_POST, PATH_ADD, NULL, ADMIN_REGISTER_KEEPERS}, storage_add},
	{{HTTP_POST, PATH_RENAME, NULL, ADMIN_REGISTER_KEEPERS}, storage_rename},
	{{HTTP_GET, PATH_MOVE, NULL, ADMIN_REGISTER_KEEPERS}, move_form},
	{{HTTP_POST, PATH_MOVE, NULL, ADMIN_REGISTER_KEEPERS}, move_submit},
};

const admin_page_table admin_storage_table = {pages, sizeof pages / sizeof pages[0]};
