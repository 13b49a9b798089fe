/*
 * donor_page.c - the sources of the register's objects ("Nguồn hiện vật":
 * người hiến tặng, đơn vị giao) at /admin/so-dang-ky/nguon: the list
 * (search that ignores marks, keyset pages ?sau=ID in name order), a new
 * source (with a warning when a source of the same name exists: a museum
 * reuses its donors across acquisitions), and one source (its record, the
 * edit form, its acquisitions and how many objects they brought).
 *
 * Curators (and admins) write; the council reads. Refusals come back as the
 * form with the field named and what was typed kept; every change goes to
 * the audit log. Once an object from a source is registered its name is
 * fixed (donor_update): the register says where the object came from.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/acquisition.h"
#include "model/donor.h"

#define PATH_LIST REGISTER_PATH_DONORS
#define PATH_NEW REGISTER_PATH_DONORS "/them"
#define PATH_ONE REGISTER_PATH_DONORS "/:id"
#define LABELS "admin_donor_field_"
#define PAGE_ROWS 50
#define SAME_NAME_MAX 5

static const char *const kinds[] = {"person", "organisation", NULL};
static const char *const form_fields[] = {"kind", "name", "address", "phone", "email", "note",
					  "same_name_ok", NULL};

static const char *donor_url(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)id);
}

/* The audit log's target of a change: "ID name". */
static const char *target(http_req *req, int64_t id, const donor *d)
{
	return arena_sprintf(req->arena, "%lld %.150s", (long long)id, d->name);
}

/* ---- the list ----------------------------------------------------------------- */

static json_t *row_json(http_req *req, const donor_row *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "url", donor_url(req, r->id), "name",
			 r->name, "kind", admin_reg_word(req, "admin_donor_kind_", r->kind),
			 "address", r->address, "phone", r->phone, "acquisitions",
			 admin_reg_count(req, r->acquisitions), "objects",
			 admin_reg_count(req, r->objects));
}

static int donor_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	int64_t after = admin_reg_cursor(req);
	if (after < 0)
		return admin_error(req, res, me, 400, NULL);
	const char *q = http_query(req, "q");
	donor_row *rows;
	size_t n;
	bool more;
	model_problem why = {0};
	int rc = db != NULL ? donor_list(db, req->arena, q, after, PAGE_ROWS, &rows, &n, &more, &why)
			    : -1;
	json_t *ctx = rc >= 0 ? admin_context(req, me, "admin_donor_title") : NULL;
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array();
	for (size_t i = 0; rc == 0 && i < n; i++)
		json_array_append_new(list, row_json(req, &rows[i]));
	if (rc > 0)
		json_object_set_new(ctx, "message", json_string(admin_reg_problem(req, LABELS, &why)));
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(rc != 0 || n == 0));
	json_object_set_new(ctx, "q", json_string(q != NULL ? q : ""));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		json_object_set_new(ctx, "new_url", json_string(PATH_NEW));
	if (rc == 0 && more && n > 0) {
		const char *pairs[] = {"q", q, "sau", arena_sprintf(req->arena, "%lld",
								    (long long)rows[n - 1].id),
				       NULL};
		json_object_set_new(ctx, "next_url", json_string(admin_reg_url(req, PATH_LIST, pairs)));
	}
	return admin_render(req, res, rc > 0 ? 400 : 200, "admin/donor_list", ctx);
}

/* ---- the form (new, and one source) ----------------------------------------- */

/* Fills the form's context: the kinds, what was typed and the action. */
static int form_page(http_req *req, http_res *res, const admin_user *me, json_t *ctx,
		     int status, const char *action, const char *pattern, const char *message,
		     json_t *values)
{
	if (values == NULL)
		values = json_object();
	const char *kind = json_string_value(json_object_get(values, "kind"));
	json_object_set_new(ctx, "kinds", admin_reg_choices(req, "admin_donor_kind_", kinds, kind));
	return admin_reg_form_render(req, res, me, ctx, status, action, pattern, PATH_LIST, message,
				    values, "admin/donor_form");
}

static int new_page(http_req *req, http_res *res, const admin_user *me, int status,
		    const char *message, json_t *values, json_t *same)
{
	json_t *ctx = admin_context(req, me, "admin_donor_new_title");
	if (ctx == NULL) {
		json_decref(values);
		json_decref(same);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	if (same != NULL) {
		json_object_set_new(ctx, "same_name", same);
		json_object_set_new(ctx, "has_same_name", json_true());
	}
	return form_page(req, res, me, ctx, status, PATH_NEW, NULL, message, values);
}

static int donor_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return new_page(req, res, me, 200, NULL, NULL, NULL);
}

/* Reads the form into *d and values; a refusal (too long) in *f. */
static bool read_donor(http_req *req, donor *d, const char **v, json_t *values, model_problem *f)
{
	if (!admin_reg_read_fields(req, form_fields, DONOR_NOTE_MAX, v, values, f))
		return false;
	*d = (donor){.kind = v[0], .name = v[1], .address = v[2], .phone = v[3], .email = v[4],
		     .note = v[5]};
	return true;
}

static int donor_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	const char *v[8] = {0};
	donor d;
	model_problem f = {0};
	int rc = read_donor(req, &d, v, values, &f) ? donor_check(&d, &f) : REG_TOO_LONG;
	if (rc > 0)
		return new_page(req, res, me, 400, admin_reg_problem(req, LABELS, &f), values, NULL);
	db_t *db = db_get();
	donor_row *same;
	size_t nsame = 0;
	if (db == NULL || donor_same_name(db, req->arena, d.name, SAME_NAME_MAX, &same, &nsame) != 0) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	/* A source of the same name is most often the same person typed
	 * again: say so, and add only when the curator confirms. */
	if (nsame > 0 && strcmp(v[6], "1") != 0) {
		json_t *list = json_array();
		for (size_t i = 0; i < nsame; i++)
			json_array_append_new(list, row_json(req, &same[i]));
		return new_page(req, res, me, 409, web_text(req, "admin_donor_same_name"), values,
				list);
	}
	int64_t id = 0;
	rc = donor_add(db, &d, &id, &f);
	if (rc > 0)
		return new_page(req, res, me, 400, admin_reg_problem(req, LABELS, &f), values, NULL);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_DONOR_CHANGE, target(req, id, &d), "add",
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=them", (long long)id));
}

/* One source: the record (as the edit form for those who keep the
 * register), its acquisitions and the objects they brought. values NULL:
 * the stored record. */
static int one_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		    int status, const char *message, json_t *values)
{
	donor d;
	acquisition_row *rows = NULL;
	size_t n = 0;
	bool more;
	model_problem why;
	acquisition_filter flt = {.donor_id = id};
	int rc = admin_get_status(donor_get(db, req->arena, id, &d));
	if (rc == 0 && acquisition_list(db, req->arena, &flt, 0, ACQUISITION_PAGE_MAX, &rows, &n,
					&more, &why) != 0)
		rc = 500;
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_donor_one_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	if (values == NULL)
		values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", d.kind, "name", d.name,
				   "address", d.address, "phone", d.phone, "email", d.email,
				   "note", d.note);
	json_t *list = json_array();
	int64_t objects = 0;
	for (size_t i = 0; i < n; i++) {
		objects += rows[i].objects;
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "url",
				    arena_sprintf(req->arena, REGISTER_PATH_ACQUISITIONS "/%lld",
						  (long long)rows[i].id),
				    "on", admin_reg_day(req, rows[i].acquired_on), "mode",
				    admin_reg_word(req, "admin_reg_mode_", rows[i].mode), "number",
				    rows[i].handover_no, "objects", admin_reg_count(req, rows[i].objects)));
	}
	json_object_set_new(ctx, "stored_name", json_string(d.name));
	json_object_set_new(ctx, "stored_kind", json_string(admin_reg_word(req, "admin_donor_kind_",
									   d.kind)));
	json_object_set_new(ctx, "acquisitions", list);
	json_object_set_new(ctx, "has_acquisitions", json_boolean(n > 0));
	json_object_set_new(ctx, "acquisition_count", json_string(admin_reg_count(req, (int64_t)n)));
	json_object_set_new(ctx, "object_count", json_string(admin_reg_count(req, objects)));
	json_object_set_new(ctx, "may_edit", json_boolean(admin_may(me->role, ADMIN_REGISTER_KEEPERS)));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		json_object_set_new(ctx, "new_acquisition_url",
				    json_string(arena_sprintf(req->arena,
							      REGISTER_PATH_ACQUISITIONS "/them?nguon=%lld",
							      (long long)id)));
	const char *const notices[] = {"them", "admin_donor_added", "luu", "admin_donor_saved", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return form_page(req, res, me, ctx, status, donor_url(req, id), PATH_ONE, message, values);
}

static int one_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return one_page(req, res, me, id, db, 200, NULL, NULL);
}

static int save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	json_t *values = json_object();
	const char *v[8] = {0};
	donor d;
	model_problem f = {0};
	int rc = read_donor(req, &d, v, values, &f) ? 0 : REG_TOO_LONG;
	d.id = id;
	if (rc == 0)
		rc = donor_update(db, &d, &f);
	if (rc == REG_NOT_FOUND && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return one_page(req, res, me, id, db, 400,
				admin_reg_problem_as(req, LABELS, &f, REG_WRONG_STATE,
						     "admin_donor_name_fixed"),
				values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_DONOR_CHANGE, target(req, id, &d), "edit",
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=luu", (long long)id));
}

ADMIN_REG_ROW_PAGE(donor_one, one_row)
ADMIN_REG_ROW_PAGE(donor_save, save_row)

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LIST, NULL, ADMIN_REGISTER_READERS}, donor_list_page},
	{{HTTP_GET, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, donor_new_form},
	{{HTTP_POST, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, donor_add_submit},
	{{HTTP_GET, PATH_ONE, NULL, ADMIN_REGISTER_READERS}, donor_one},
	{{HTTP_POST, PATH_ONE, NULL, ADMIN_REGISTER_KEEPERS}, donor_save},
};

const admin_page_table admin_donor_table = {pages, sizeof pages / sizeof pages[0]};
