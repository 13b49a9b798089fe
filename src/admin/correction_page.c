/*
 * correction_page.c - the correction of a registered object's card
 * ("đính chính") at /admin/so-dang-ky/:id/dinh-chinh. A register is a legal
 * record: a registered entry is never edited in place. The form shows what
 * the entry records; saving it with a reason appends a correction entry
 * that names the entry it corrects, who and when (model/object.h,
 * object_correct), and the card's history shows both.
 *
 * Curators (and admins) only. A refusal names the field and keeps what was
 * typed.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "model/object.h"
#include "model/register_log.h"
#include "web/web.h"

#define PATH_CORRECT REGISTER_PATH_CARD "/dinh-chinh"

/* The form's fields, in the order of v[] below. */
enum {
	F_NAME, F_OTHER_NAMES, F_MATERIAL, F_MATERIAL_NOTE, F_TECHNIQUE, F_LENGTH, F_WIDTH,
	F_HEIGHT, F_DIAMETER, F_WEIGHT, F_PIECES, F_DATING, F_ORIGIN, F_CLASS, F_DESCRIPTION,
	F_WHY, F_COUNT
};
static const char *const fields[F_COUNT + 1] = {
	"name",     "other_names", "material_code", "material_note", "technique", "length_cm",
	"width_cm", "height_cm",   "diameter_cm",   "weight_g",      "pieces",    "dating",
	"origin_place", "class",   "description",   "why",           NULL};

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
	    c->dating,    c->origin_place, c->heritage_class, c->description, ""};
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
	double *sizes[] = {&c.length_cm, &c.width_cm, &c.height_cm, &c.diameter_cm, &c.weight_g};
	for (int i = F_LENGTH; rc == 0 && i <= F_WEIGHT; i++)
		if (!read_number(v[i], sizes[i - F_LENGTH], false))
			rc = reg_refuse(&f, REG_BAD_NUMBER, fields[i]);
	double pieces = 0;
	if (rc == 0 && !read_number(v[F_PIECES], &pieces, true))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "pieces");
	if (rc == 0) {
		c.name = v[F_NAME];
		c.other_names = v[F_OTHER_NAMES];
		c.material_code = v[F_MATERIAL];
		c.material_note = v[F_MATERIAL_NOTE];
		c.technique = v[F_TECHNIQUE];
		c.pieces = (int64_t)pieces;
		c.dating = v[F_DATING];
		c.origin_place = v[F_ORIGIN];
		c.heritage_class = v[F_CLASS];
		c.description = v[F_DESCRIPTION];
		rc = object_correct(db, &c, admin_reg_who(me), v[F_WHY], &f);
	}
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

static const admin_page pages[] = {
	{{HTTP_GET, PATH_CORRECT, NULL, ADMIN_REGISTER_KEEPERS}, correct_form},
	{{HTTP_POST, PATH_CORRECT, NULL, ADMIN_REGISTER_KEEPERS}, correct_submit},
};

const admin_page_table admin_correction_table = {pages, sizeof pages / sizeof pages[0]};
