/*
 * card_form.c - the object card's form (see card_form.h).
 */
#include "admin/card_form.h"

#include <string.h>

#include "model/object.h"

const char *const admin_card_fields[CARD_COUNT + 1] = {
	"name",     "other_names", "material_code", "material_note", "technique", "length_cm",
	"width_cm", "height_cm",   "diameter_cm",   "weight_g",      "pieces",    "dating",
	"origin_place", "class",   "description",   "why",           "kind",      "value",
	"notes",    "public",      "related_kind",  "related_name",  "acquisition_id", NULL};

static const char *decimal_text(http_req *req, double v)
{
	return v > 0 ? arena_sprintf(req->arena, "%g", v) : "";
}

json_t *admin_card_values(http_req *req, const object_card *c)
{
	const char *v[CARD_COUNT] = {
	    c->name,      c->other_names, c->material_code, c->material_note,
	    c->technique, decimal_text(req, c->length_cm), decimal_text(req, c->width_cm),
	    decimal_text(req, c->height_cm), decimal_text(req, c->diameter_cm),
	    decimal_text(req, c->weight_g), arena_sprintf(req->arena, "%lld", (long long)c->pieces),
	    c->dating,    c->origin_place, c->heritage_class, c->description, "",
	    c->kind,      c->value > 0 ? admin_reg_count(req, c->value) : "",
	    c->notes,     c->public_ ? "1" : "", "person", "",
	    arena_sprintf(req->arena, "%lld", (long long)c->acquisition_id)};
	json_t *values = json_object();
	for (size_t i = 0; i < CARD_COUNT; i++)
		json_object_set_new(values, admin_card_fields[i], json_string(v[i] != NULL ? v[i] : ""));
	return values;
}

/* "" is 0; false when s is not a decimal (or not a whole number). */
static bool read_number(const char *s, double *out, bool whole)
{
	*out = 0;
	if (s[0] == '\0')
		return true;
	return reg_decimal_parse(s, out) && (!whole || *out == (double)(int64_t)*out);
}

int admin_card_read_entry(const char *const *v, object_card *c, model_problem *f)
{
	double *sizes[] = {&c->length_cm, &c->width_cm, &c->height_cm, &c->diameter_cm, &c->weight_g};
	for (int i = CARD_LENGTH; i <= CARD_WEIGHT; i++)
		if (!read_number(v[i], sizes[i - CARD_LENGTH], false))
			return reg_refuse(f, REG_BAD_NUMBER, admin_card_fields[i]);
	double pieces = 0;
	if (!read_number(v[CARD_PIECES], &pieces, true))
		return reg_refuse(f, REG_BAD_NUMBER, "pieces");
	c->name = v[CARD_NAME];
	c->other_names = v[CARD_OTHER_NAMES];
	c->material_code = v[CARD_MATERIAL];
	c->material_note = v[CARD_MATERIAL_NOTE];
	c->technique = v[CARD_TECHNIQUE];
	c->pieces = (int64_t)pieces;
	c->dating = v[CARD_DATING];
	c->origin_place = v[CARD_ORIGIN];
	c->heritage_class = v[CARD_CLASS];
	c->description = v[CARD_DESCRIPTION];
	return 0;
}

int admin_card_read_other(const char *const *v, object_card *c, model_problem *f)
{
	c->value = 0;
	c->notes = v[CARD_NOTES];
	c->public_ = v[CARD_PUBLIC][0] != '\0';
	if (v[CARD_VALUE][0] != '\0' && !reg_money_parse(v[CARD_VALUE], &c->value))
		return reg_refuse(f, REG_BAD_NUMBER, "value");
	return 0;
}

static const char *selected(json_t *values, const char *field)
{
	return json_string_value(json_object_get(values, field));
}

int admin_card_choices(http_req *req, db_t *db, json_t *ctx, json_t *values, bool with_materials)
{
	json_t *materials = with_materials ? admin_reg_materials(req, db, selected(values, "material_code"))
					   : json_array();
	if (materials == NULL)
		return -1;
	json_object_set_new(ctx, "materials", materials);
	json_object_set_new(ctx, "kinds", admin_reg_choices(req, "admin_reg_kind_", object_kinds,
							     selected(values, "kind")));
	json_object_set_new(ctx, "classes", admin_reg_choices(req, "admin_reg_class_", object_classes,
							       selected(values, "class")));
	json_object_set_new(ctx, "related_kinds",
			    admin_reg_choices(req, "admin_reg_related_", object_related_kinds,
					      selected(values, "related_kind")));
	const char *pub = selected(values, "public");
	json_object_set_new(values, "public", json_boolean(pub != NULL && pub[0] != '\0'));
	return 0;
}

static json_t *acquisition_choice(http_req *req, const acquisition_row *r, bool selected)
{
	const char *label = arena_sprintf(req->arena, "%s · %s%s%s%s%s", admin_reg_day(req, r->acquired_on),
					  admin_reg_word(req, "admin_reg_mode_", r->mode),
					  r->handover_no[0] ? " · " : "", r->handover_no,
					  r->donor_name[0] ? " · " : "", r->donor_name);
	return json_pack("{s:s, s:s, s:b}", "value", arena_sprintf(req->arena, "%lld", (long long)r->id),
			 "label", label, "selected", selected);
}

json_t *admin_card_acquisitions(http_req *req, db_t *db, int64_t selected)
{
	acquisition_filter flt = {.sort = ACQUISITION_NEWEST};
	json_t *list = json_array();
	bool more = true, seen = false;
	int64_t after = 0;
	while (more && json_array_size(list) < ADMIN_CARD_ACQUISITIONS_MAX) {
		acquisition_row *rows;
		size_t n;
		if (acquisition_list(db, req->arena, &flt, after, ACQUISITION_PAGE_MAX, &rows, &n, &more,
				     NULL) != 0)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			seen = seen || rows[i].id == selected;
			json_array_append_new(list, acquisition_choice(req, &rows[i], rows[i].id == selected));
		}
		after = n > 0 ? rows[n - 1].id : after;
	}
	/* Past the cap, the object's own acquisition is still offered (one
	 * typed that does not exist is not). */
	acquisition q;
	int rc = !seen && selected > 0 ? acquisition_get(db, req->arena, selected, &q) : 1;
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		donor d = {.name = ""};
		if (q.donor_id > 0 && donor_get(db, req->arena, q.donor_id, &d) != 0)
			goto fail;
		acquisition_row r = {.id = q.id, .mode = q.mode, .acquired_on = q.acquired_on,
				     .handover_no = q.handover_no, .donor_name = d.name};
		json_array_append_new(list, acquisition_choice(req, &r, true));
	}
	return list;
fail:
	json_decref(list);
	return NULL;
}

int admin_card_read_acquisition(const char *const *v, object_card *c, model_problem *f)
{
	int64_t id;
	if (!admin_reg_optional_id(v[CARD_ACQUISITION], &id))
		return reg_refuse(f, REG_NOT_FOUND, "acquisition_id");
	if (id > 0)
		c->acquisition_id = id;
	return 0;
}

const char *admin_card_remove_box(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, "bo-%lld", (long long)id);
}

int admin_card_related(http_req *req, db_t *db, int64_t id, const char *const *v, int *removed,
		       int *added, model_problem *f)
{
	object_related *r;
	size_t n;
	int rc = object_related_list(db, req->arena, id, &r, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (http_form(req, admin_card_remove_box(req, r[i].id)) != NULL &&
		    (rc = object_related_remove(db, id, r[i].id, f)) == 0)
			(*removed)++;
	if (rc == 0 && v[CARD_RELATED_NAME][0] != '\0' &&
	    (rc = object_related_add(db, id, v[CARD_RELATED_KIND], v[CARD_RELATED_NAME], f)) == 0)
		(*added)++;
	return rc;
}
