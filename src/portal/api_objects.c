/*
 * api_objects.c - the online collection's JSON API v1: GET /api/v1/objects
 * (public objects, newest first, keyset pages) and /api/v1/objects/ID (one
 * public object). No login, like the articles' API; an object that is not
 * marked public answers 404 exactly like one that does not exist. What a
 * museum keeps to itself never leaves here: value, notes, storage place,
 * donor and hand-over record are not in the answers.
 *
 * Paging follows /api/v1/articles: {"items": [...], "next": CURSOR|null};
 * the next page is ?after=CURSOR (here the last object's id). Filters:
 * q (words, marks ignored: "mu coi" finds "Mũ cối") and material (a code).
 */
#include <stdlib.h>
#include <string.h>

#include "model/object.h"
#include "portal/portal.h"

#define API_OBJECTS_PAGE 20

static json_t *object_summary(const object_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "reg_number",
			 r->reg_number, "name", r->name, "kind", r->kind, "material_code",
			 r->material_code);
}

/* A decimal for a measure, or null when it was not measured. */
static json_t *measure(double v)
{
	return v > 0 ? json_real(v) : json_null();
}

static json_t *object_detail(const object_card *c)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
			      (json_int_t)c->id, "reg_number", c->reg_number, "name", c->name,
			      "other_names", c->other_names, "kind", c->kind, "material_code",
			      c->material_code, "technique", c->technique, "dating", c->dating,
			      "origin_place", c->origin_place, "class", c->heritage_class,
			      "description", c->description, "pieces", (json_int_t)c->pieces);
	if (o != NULL)
		json_object_set_new(o, "dimensions",
				    json_pack("{s:o, s:o, s:o, s:o, s:o}", "length_cm",
					      measure(c->length_cm), "width_cm", measure(c->width_cm),
					      "height_cm", measure(c->height_cm), "diameter_cm",
					      measure(c->diameter_cm), "weight_g",
					      measure(c->weight_g)));
	return o;
}

int api_objects(http_req *req, http_res *res)
{
	db_t *db = db_get();
	if (db == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	int64_t before = 0;
	const char *cursor = http_query(req, "after");
	if (cursor != NULL && cursor[0] != '\0' && web_parse_id(cursor, &before) != 0)
		return web_api_error(req, res, 400, "bad_cursor", "portal_api_bad_cursor");
	const char *q = http_query(req, "q"), *material = http_query(req, "material");
	object_filter flt = {.public_only = true,
			     .query = q != NULL && q[0] != '\0' ? q : NULL,
			     .material_code = material != NULL && material[0] != '\0' ? material : NULL};
	object_row *rows;
	size_t n;
	bool more;
	model_problem why;
	int rc = object_list(db, req->arena, &flt, before, API_OBJECTS_PAGE, &rows, &n, &more, &why);
	if (rc > 0)
		return web_api_error(req, res, 400, "bad_query", "portal_api_bad_query");
	if (rc != 0)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, object_summary(&rows[i]));
	json_t *next = more && n > 0
			   ? json_string(arena_sprintf(req->arena, "%lld", (long long)rows[n - 1].id))
			   : json_null();
	return web_send_json(req, res, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

int api_object(http_req *req, http_res *res)
{
	int64_t id;
	if (web_parse_id(req->params[0], &id) != 0)
		return web_api_error(req, res, 404, "not_found", "portal_not_found");
	db_t *db = db_get();
	if (db == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	object_card c;
	int rc = object_get_public(db, req->arena, id, &c);
	if (rc == 1)
		return web_api_error(req, res, 404, "not_found", "portal_not_found");
	if (rc != 0)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	return web_send_json(req, res, 200, object_detail(&c));
}
