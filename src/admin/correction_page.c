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

#include "admin/register_shared.h"
#include "model/object.h"
#include "model/register_log.h"
#include "web/web.h"

#define PATH_CORRECT REGISTER_PATH_CARD "/dinh-chinh"
#define PATH_EDIT REGISTER_PATH_CARD "/sua"

/* The form's fields, in the order of v[] below. */
enum {
	F_NAME, F_OTHER_NAMES, F_MATERIAL, F_MATERIAL_NOTE, F_TECHNIQUE, F_LENGTH, F_WIDTH,
	F_HEIGHT, F_DIAMETER, F_WEIGHT, F_PIECES, F_DATING, F_ORIGIN, F_CLASS, F_DESCRIPTION,
	F_WHY, F_KIND, F_VALUE, F_NOTES, F_PUBLIC, F_RELATED_KIND, F_RELATED_NAME, F_COUNT
};
static const char *const fields[F_COUNT + 1] = {
	"name",     "other_names", "material_code", "material_note", "technique", "length_cm",
	"width_cm", "height_cm",   "diameter_cm",   "weight_g",      "pieces",    "dating",
	"origin_place", "class",   "description",   "why",           "kind",      "value",
	"notes",    "public",      "related_kind",  "related_name",  NULL};

static const char *decimal_text(http_req *req, double v)
{
	return v > 0 ? arena_sprintf(req->arena, "%g", v) : "";
}

/* What the card records now, as the form's values. */
static json_t *card_values(http_req *req, const object_card *c)
{
	const char *v[F_COUNT] = {
	    c->name,      c->other_names, c->material_code, c->material_note,
	    c->technique, decimal_text(req, c->length_cm), decimal_text(req, c->width_cm),
	    decimal_text(req, c->height_cm), decimal_text(req, c->diameter_cm),
	    decimal_text(req, c->weight_g), arena_sprintf(req->arena, "%lld", (long long)c->pieces),
	    c->dating,    c->origin_place, c->heritage_class, c->description, "",
	    c->kind,      c->value > 0 ? admin_reg_count(req, c->value) : "",
	    c->notes,     c->public_ ? "1" : "", "person", ""};
	json_t *values = json_object();
	for (size_t i = 0; i < F_COUNT; i++)
		json_object_set_new(values, fields[i], json_string(v[i] != NULL ? v[i] : ""));
	return values;
}

static int correct_page(http_req *req, http_res *res, const admin_user *me, db_t *db,
			const object_card *c, int status, const char *message, json_t *values)
{
	json_t *materials = admin_reg_materials(
	    req, db, json_string_value(json_object_get(values, "material_code")));
	json_t *ctx = materials != NULL ? admin_context(req, me, "admin_corr_title") : NULL;
	if (ctx == NULL) {
		json_decref(materials);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "materials", materials);
	json_object_set_new(
	    ctx, "classes",
	    admin_reg_choices(req, "admin_reg_class_", object_classes,
			      json_string_value(json_object_get(values, "class"))));
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
	return correct_page(req, res, me, db, &c, 200, NULL, card_values(req, &c));
}

/* "" is 0; false when s is not a decimal (or not a whole number). */
static bool read_number(const char *s, double *out, bool whole)
{
	*out = 0;
	if (s[0] == '\0')
		return true;
	return reg_decimal_parse(s, out) && (!whole || *out == (double)(int64_t)*out);
}

/* The fields of the register entry typed in v[] into c: 0, or
 * REG_BAD_NUMBER on a size or the pieces that is not a number. */
static int read_entry(const char *const *v, object_card *c, model_problem *f)
{
	double *sizes[] = {&c->length_cm, &c->width_cm, &c->height_cm, &c->diameter_cm, &c->weight_g};
	for (int i = F_LENGTH; i <= F_WEIGHT; i++)
		if (!read_number(v[i], sizes[i - F_LENGTH], false))
			return reg_refuse(f, REG_BAD_NUMBER, fields[i]);
	double pieces = 0;
	if (!read_number(v[F_PIECES], &pieces, true))
		return reg_refuse(f, REG_BAD_NUMBER, "pieces");
	c->name = v[F_NAME];
	c->other_names = v[F_OTHER_NAMES];
	c->material_code = v[F_MATERIAL];
	c->material_note = v[F_MATERIAL_NOTE];
	c->technique = v[F_TECHNIQUE];
	c->pieces = (int64_t)pieces;
	c->dating = v[F_DATING];
	c->origin_place = v[F_ORIGIN];
	c->heritage_class = v[F_CLASS];
	c->description = v[F_DESCRIPTION];
	return 0;
}

static int correct_submit(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db;
	object_card c;
	int status = registered_card(req, res, me, &db, &c);
	if (status != 0)
		return status;
	json_t *values = json_object();
	const char *v[F_COUNT + 1] = {0};
	model_problem f = {0};
	int rc = 0;
	if (!admin_reg_read_fields(req, fields, OBJECT_DESCRIPTION_MAX, v, values, &f))
		rc = f.code;
	if (rc == 0)
		rc = read_entry(v, &c, &f);
	if (rc == 0)
		rc = object_correct(db, &c, admin_reg_who(me), v[F_WHY], &f);
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
			arena_sprintf(req->arena, "%.900s", v[F_WHY]));
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld?ok=dinh-chinh",
					   (long long)c.id));
}

/* ---- the card's edit page ---------------------------------------------------- */

/* The name of the box that unlinks related entity id. */
static const char *remove_box(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, "bo-%lld", (long long)id);
}

static int edit_page(http_req *req, http_res *res, const admin_user *me, db_t *db,
		     const object_card *c, int status, const char *message, json_t *values)
{
	object_related *r;
	size_t n;
	bool intake = strcmp(c->status, "intake") == 0;
	json_t *materials = intake ? admin_reg_materials(
				req, db, json_string_value(json_object_get(values, "material_code")))
				   : json_array();
	json_t *ctx = materials != NULL && object_related_list(db, req->arena, c->id, &r, &n) == 0
			  ? admin_context(req, me, "admin_edit_title")
			  : NULL;
	if (ctx == NULL) {
		json_decref(materials);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *related = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *box = remove_box(req, r[i].id);
		json_array_append_new(related, json_pack("{s:s, s:s, s:s, s:b}", "field", box, "kind",
							 admin_reg_word(req, "admin_reg_related_", r[i].kind),
							 "name", r[i].name, "checked",
							 status != 200 && http_form(req, box) != NULL));
	}
	json_object_set_new(ctx, "related", related);
	json_object_set_new(ctx, "related_kinds",
			    admin_reg_choices(req, "admin_reg_related_", object_related_kinds,
					      json_string_value(json_object_get(values, "related_kind"))));
	json_object_set_new(ctx, "intake", json_boolean(intake));
	json_object_set_new(ctx, "materials", materials);
	json_object_set_new(ctx, "kinds", admin_reg_choices(req, "admin_reg_kind_", object_kinds,
							     json_string_value(json_object_get(values, "kind"))));
	json_object_set_new(ctx, "classes",
			    admin_reg_choices(req, "admin_reg_class_", object_classes,
					      json_string_value(json_object_get(values, "class"))));
	const char *pub = json_string_value(json_object_get(values, "public"));
	json_object_set_new(values, "public", json_boolean(pub != NULL && pub[0] != '\0'));
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
	return edit_page(req, res, me, db, &c, 200, NULL, card_values(req, &c));
}

/* Unlinks the related entities whose box is ticked, then links the one
 * typed (kind + name): 0 with *removed and *added counted, a reg_problem,
 * or -1. Inside the caller's unit of writing. */
static int edit_related(http_req *req, db_t *db, int64_t id, const char *const *v, int *removed,
			int *added, model_problem *f)
{
	object_related *r;
	size_t n;
	int rc = object_related_list(db, req->arena, id, &r, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (http_form(req, remove_box(req, r[i].id)) != NULL &&
		    (rc = object_related_remove(db, id, r[i].id, f)) == 0)
			(*removed)++;
	if (rc == 0 && v[F_RELATED_NAME][0] != '\0' &&
	    (rc = object_related_add(db, id, v[F_RELATED_KIND], v[F_RELATED_NAME], f)) == 0)
		(*added)++;
	return rc;
}

static int edit_submit(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	object_card c;
	int status = admin_get_status(object_get(db, req->arena, id, &c));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	json_t *values = json_object();
	const char *v[F_COUNT + 1] = {0};
	model_problem f = {0};
	int rc = 0, removed = 0, added = 0, nested;
	bool intake = strcmp(c.status, "intake") == 0;
	if (!admin_reg_read_fields(req, fields, OBJECT_DESCRIPTION_MAX, v, values, &f))
		rc = f.code;
	if (rc == 0 && intake && (rc = read_entry(v, &c, &f)) == 0)
		c.kind = v[F_KIND];
	c.value = 0;
	if (rc == 0 && v[F_VALUE][0] != '\0' && !reg_money_parse(v[F_VALUE], &c.value))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "value");
	c.notes = v[F_NOTES];
	c.public_ = v[F_PUBLIC][0] != '\0';
	if (rc == 0 && (rc = object_check(&c, &f)) == 0 && (rc = db_write_begin(db, &nested)) == 0) {
		if ((rc = object_update(db, &c, admin_reg_who(me), NULL, &f)) == 0)
			rc = edit_related(req, db, id, v, &removed, &added, &f);
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
