/*
 * correction_page.c - the correction of a registered object's card
 * ("đính chính") at /admin/so-dang-ky/:id/dinh-chinh. A register is a legal
 * record: a registered entry is never edited in place. The form shows what
 * the entry records; saving it with a reason appends a correction entry
 * that names the entry it corrects, who and when (model/object.h,
 * object_correct), and the card's history shows both.
 *
 * The same file keeps the card's edit page (/admin/so-dang-ky/:id/sua),
 * which shares the correction's fields: an object in intake has every
 * field of its card edited freely (object_update); a registered one only
 * what its register entry does not record (value, notes, the public flag),
 * the rest linking to the correction. Both edit the related people, units,
 * events and places.
 *
 * Curators (and admins) only. A refusal names the field and keeps what was
 * typed; nothing is half-stored.
 */
#include <stdio.h>
#include <string.h>

#include "admin/card_form.h"
#include "admin/register_shared.h"
#include "model/object.h"
#include "model/register_log.h"
#include "web/web.h"

#define PATH_CORRECT REGISTER_PATH_CARD "/dinh-chinh"
#define PATH_EDIT REGISTER_PATH_CARD "/sua"

static int correct_page(http_req *req, http_res *res, const admin_user *me, db_t *db,
			const object_card *c, int status, const char *message, json_t *values)
{
	json_t *ctx = admin_context(req, me, "admin_corr_title");
	const char *typed = json_string_value(json_object_get(values, "acquisition_id"));
	int64_t acq = 0;
	admin_reg_optional_id(typed != NULL ? typed : "", &acq);
	json_t *acquisitions = ctx != NULL ? admin_card_acquisitions(req, db, acq > 0 ? acq
										      : c->acquisition_id)
					   : NULL;
	if (acquisitions == NULL || admin_card_choices(req, db, ctx, values, true) != 0) {
		json_decref(acquisitions);
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "acquisitions", acquisitions);
	json_object_set_new(ctx, "name", json_string(c->name));
	json_object_set_new(ctx, "number", json_string(c->reg_number));
	const char *card = arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld", (long long)c->id);
	const char *action = arena_sprintf(req->arena, "%s/dinh-chinh", card);
	return admin_reg_form_render(req, res, me, ctx, status, action, PATH_CORRECT, card,
				     message, values, "admin/register_correct");
}

/* The card to correct: 0, or the status of the error page it answered
 * (404, 409 when the object is not registered, 500). */
static int registered_card(http_req *req, http_res *res, const admin_user *me, db_t **db,
			   object_card *c)
{
	int64_t id;
	int status = admin_route_row(req, &id, db);
	if (status == 0)
		status = admin_get_status(object_get(*db, req->arena, id, c));
	if (status == 0 && c->reg_number[0] == '\0')
		status = 409;
	if (status == 0)
		return 0;
	return admin_error(req, res, me, status, status == 409 ? "admin_corr_not_registered" : NULL);
}

static int correct_form(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db;
	object_card c;
	int status = registered_card(req, res, me, &db, &c);
	if (status != 0)
		return status;
	return correct_page(req, res, me, db, &c, 200, NULL, admin_card_values(req, &c));
}

static int correct_submit(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db;
	object_card c;
	int status = registered_card(req, res, me, &db, &c);
	if (status != 0)
		return status;
	json_t *values = json_object();
	const char *v[CARD_COUNT + 1] = {0};
	model_problem f = {0};
	int rc = 0;
	if (!admin_reg_read_fields(req, admin_card_fields, OBJECT_DESCRIPTION_MAX, v, values, &f))
		rc = f.code;
	if (rc == 0)
		rc = admin_card_read_entry(v, &c, &f);
	if (rc == 0)
		rc = admin_card_read_acquisition(v, &c, &f);
	if (rc == 0)
		rc = object_correct(db, &c, admin_reg_who(me), v[CARD_WHY], &f);
	if (rc > 0) {
		object_card shown;
		if (object_get(db, req->arena, c.id, &shown) != 0) {
			json_decref(values);
			return admin_error(req, res, me, 500, NULL);
		}
		return correct_page(req, res, me, db, &shown, 400,
				    admin_reg_problem(req, "admin_reg_field_", &f), values);
	}
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_OBJECT_CORRECT,
			arena_sprintf(req->arena, "%lld %.150s", (long long)c.id, c.reg_number),
			arena_sprintf(req->arena, "%.900s", v[CARD_WHY]));
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld?ok=dinh-chinh",
					   (long long)c.id));
}

/* ---- the card's edit page ---------------------------------------------------- */

static int edit_page(http_req *req, http_res *res, const admin_user *me, db_t *db,
		     const object_card *c, int status, const char *message, json_t *values)
{
	object_related *r;
	size_t n;
	bool intake = strcmp(c->status, "intake") == 0;
	json_t *ctx = object_related_list(db, req->arena, c->id, &r, &n) == 0
			  ? admin_context(req, me, "admin_edit_title")
			  : NULL;
	if (ctx == NULL || admin_card_choices(req, db, ctx, values, intake) != 0) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *related = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *box = admin_card_remove_box(req, r[i].id);
		json_array_append_new(related, json_pack("{s:s, s:s, s:s, s:b}", "field", box, "kind",
							 admin_reg_word(req, "admin_reg_related_", r[i].kind),
							 "name", r[i].name, "checked",
							 status != 200 && http_form(req, box) != NULL));
	}
	json_object_set_new(ctx, "related", related);
	json_object_set_new(ctx, "intake", json_boolean(intake));
	json_object_set_new(ctx, "name", json_string(c->name));
	json_object_set_new(ctx, "number", json_string(c->reg_number));
	const char *card = arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld", (long long)c->id);
	if (!intake && c->reg_number[0] != '\0')
		admin_reg_set_url(req, ctx, "correct_url", ADMIN_PATH_REGISTER, c->id, "/dinh-chinh");
	return admin_reg_form_render(req, res, me, ctx, status, arena_sprintf(req->arena, "%s/sua", card),
				     PATH_EDIT, card, message, values, "admin/register_edit");
}

static int edit_form(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	object_card c;
	int status = admin_get_status(object_get(db, req->arena, id, &c));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	return edit_page(req, res, me, db, &c, 200, NULL, admin_card_values(req, &c));
}

static int edit_submit(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	object_card c;
	int status = admin_get_status(object_get(db, req->arena, id, &c));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	json_t *values = json_object();
	const char *v[CARD_COUNT + 1] = {0};
	model_problem f = {0};
	int rc = 0, removed = 0, added = 0, nested;
	bool intake = strcmp(c.status, "intake") == 0;
	if (!admin_reg_read_fields(req, admin_card_fields, OBJECT_DESCRIPTION_MAX, v, values, &f))
		rc = f.code;
	if (rc == 0 && intake && (rc = admin_card_read_entry(v, &c, &f)) == 0)
		c.kind = v[CARD_KIND];
	if (rc == 0)
		rc = admin_card_read_other(v, &c, &f);
	if (rc == 0 && (rc = object_check(&c, &f)) == 0 && (rc = db_write_begin(db, &nested)) == 0) {
		if ((rc = object_update(db, &c, admin_reg_who(me), NULL, &f)) == 0)
			rc = admin_card_related(req, db, id, v, &removed, &added, &f);
		if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
			rc = -1;
	}
	if (rc > 0) {
		object_card shown;
		if (object_get(db, req->arena, id, &shown) == 0)
			return edit_page(req, res, me, db, &shown, 400,
					 admin_reg_problem(req, "admin_reg_field_", &f), values);
		rc = -1;
	}
	json_decref(values);
	const char *target = arena_sprintf(req->arena, "%lld %.150s", (long long)id, c.name);
	const char *details = arena_sprintf(req->arena, "%s; value %lld; public %d; related +%d -%d",
					    intake ? "card" : "not in the entry", (long long)c.value,
					    c.public_ ? 1 : 0, added, removed);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_OBJECT_EDIT, target, details,
			       arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld?ok=sua", (long long)id));
}

ADMIN_REG_ROW_PAGE(edit_get, edit_form)
ADMIN_REG_ROW_PAGE(edit_post, edit_submit)

static const admin_page pages[] = {
	{{HTTP_GET, PATH_CORRECT, NULL, ADMIN_REGISTER_KEEPERS}, correct_form},
	{{HTTP_POST, PATH_CORRECT, NULL, ADMIN_REGISTER_KEEPERS}, correct_submit},
	{{HTTP_GET, PATH_EDIT, NULL, ADMIN_REGISTER_KEEPERS}, edit_get},
	{{HTTP_POST, PATH_EDIT, NULL, ADMIN_REGISTER_KEEPERS}, edit_post},
};

const admin_page_table admin_correction_table = {pages, sizeof pages / sizeof pages[0]};
