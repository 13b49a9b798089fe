/*
 * object_card.c - reading an object card, and the register entry it makes
 * (see object.h). The log (register_log.c) and the card's changes
 * (object.c) both build on these, so they sit in a file of their own
 * below both.
 */
#include "model/object.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

#define CARD_COLUMNS                                                                          \
	"id, acquisition_id, ifnull(register_id, 0), ifnull(reg_seq, 0), pieces, value, public," \
	" ifnull(location_id, 0), ifnull(log_head, 0), ifnull(length_cm, 0), ifnull(width_cm, 0),"\
	" ifnull(height_cm, 0), ifnull(diameter_cm, 0), ifnull(weight_g, 0), intake_no, kind,"   \
	" status, name, other_names, ifnull(reg_number, ''), material_code, material_note,"       \
	" technique, dating, origin_place, class, description, notes"

static int fill_card(arena_t *a, db_stmt *st, object_card *c)
{
	c->id = db_col_int64(st, 0);
	c->acquisition_id = db_col_int64(st, 1);
	c->register_id = db_col_int64(st, 2);
	c->reg_seq = db_col_int64(st, 3);
	c->pieces = db_col_int64(st, 4);
	c->value = db_col_int64(st, 5);
	c->public_ = db_col_int64(st, 6) != 0;
	c->location_id = db_col_int64(st, 7);
	c->log_head = db_col_int64(st, 8);
	c->length_cm = db_col_double(st, 9);
	c->width_cm = db_col_double(st, 10);
	c->height_cm = db_col_double(st, 11);
	c->diameter_cm = db_col_double(st, 12);
	c->weight_g = db_col_double(st, 13);
	const char **dst[] = {&c->intake_no, &c->kind, &c->status, &c->name, &c->other_names,
			      &c->reg_number, &c->material_code, &c->material_note, &c->technique,
			      &c->dating, &c->origin_place, &c->heritage_class, &c->description,
			      &c->notes};
	return db_col_copy_texts(a, st, 14, dst, sizeof dst / sizeof dst[0]);
}

int object_get(db_t *db, arena_t *a, int64_t id, object_card *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(db, "SELECT " CARD_COLUMNS " FROM objects WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW)
		result = fill_card(a, st, out);
	db_done(st);
	return result;
}

/* ---- the register entry ------------------------------------------------------ */

static int set_real(json_t *o, const char *key, double v)
{
	return json_object_set_new(o, key, v > 0 ? json_real(v) : json_null());
}

int object_entry_json(const object_card *c, buf_t *out)
{
	json_t *o = json_object();
	if (o == NULL)
		return -1;
	const char *collection = c->status != NULL && strcmp(c->status, "reference") == 0
				     ? "reference"
				     : "main";
	int bad = json_object_set_new(o, "reg_number", json_string(or_empty(c->reg_number))) |
		  json_object_set_new(o, "collection", json_string(collection)) |
		  json_object_set_new(o, "acquisition_id", json_integer(c->acquisition_id)) |
		  json_object_set_new(o, "kind", json_string(or_empty(c->kind))) |
		  json_object_set_new(o, "name", json_string(or_empty(c->name))) |
		  json_object_set_new(o, "other_names", json_string(or_empty(c->other_names))) |
		  json_object_set_new(o, "material_code", json_string(or_empty(c->material_code))) |
		  json_object_set_new(o, "material_note", json_string(or_empty(c->material_note))) |
		  json_object_set_new(o, "technique", json_string(or_empty(c->technique))) |
		  set_real(o, "length_cm", c->length_cm) | set_real(o, "width_cm", c->width_cm) |
		  set_real(o, "height_cm", c->height_cm) |
		  set_real(o, "diameter_cm", c->diameter_cm) | set_real(o, "weight_g", c->weight_g) |
		  json_object_set_new(o, "pieces", json_integer(c->pieces > 0 ? c->pieces : 1)) |
		  json_object_set_new(o, "dating", json_string(or_empty(c->dating))) |
		  json_object_set_new(o, "origin_place", json_string(or_empty(c->origin_place))) |
		  json_object_set_new(o, "class", json_string(or_empty(c->heritage_class))) |
		  json_object_set_new(o, "description", json_string(or_empty(c->description)));
	char *s = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (s == NULL)
		return -1;
	int rc = buf_puts(out, s);
	free(s);
	return rc;
}
