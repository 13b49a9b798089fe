/*
 * api_objects.c - the online collection's JSON API v1: GET /api/v1/objects
 * (public objects, newest first, keyset pages) and /api/v1/objects/ID (one
 * public object). No login, like the articles' API; an object that is not
 * marked public answers 404 exactly like one that does not exist. What a
 * museum keeps to itself never leaves here: value, notes, storage place,
 * donor and hand-over record are not in the answers. One object lists its
 * photos, the lead first, as the public variants the media library made
 * (absolute URLs, like the articles' API).
 *
 * Paging follows /api/v1/articles: {"items": [...], "next": CURSOR|null};
 * the next page is ?after=CURSOR (here the last object's id). Filters:
 * q (words, marks ignored: "mu coi" finds "Mũ cối") and material (a code).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "model/media.h"
#include "model/object.h"
#include "model/object_photo.h"
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

/* "/media/a-320.jpg 320w, /media/a-640.jpg 640w" with base in front of
 * each URL. */
static const char *absolute_srcset(http_req *req, const char *base, const char *srcset)
{
	buf_t b = BUF_INIT;
	for (const char *p = srcset; *p != '\0';) {
		const char *end = strstr(p, ", ");
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		buf_printf(&b, "%s%s%.*s", b.len > 0 ? ", " : "", base, (int)len, p);
		p += len + (end != NULL ? 2 : 0);
	}
	const char *out = b.failed ? NULL : arena_strdup(req->arena, b.data != NULL ? b.data : "");
	buf_free(&b);
	return out;
}

/* The photos of a public object, the lead first: pictures still being
 * processed (their files are not served yet) are left out. NULL on error. */
static json_t *object_photos(http_req *req, db_t *db, int64_t id)
{
	const app_t *app = req->app;
	object_photo *p;
	size_t n;
	if (object_photo_list(db, req->arena, id, true, &p, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++) {
		media_responsive r;
		if (p[i].item.state != MEDIA_READY)
			continue;
		int rc = media_responsive_for(db, req->arena, p[i].item.m.file, &r);
		if (rc == 1)
			continue;
		const char *srcset = rc == 0 ? absolute_srcset(req, app->cfg.base_url, r.srcset) : NULL;
		if (srcset == NULL) {
			json_decref(list);
			return NULL;
		}
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:b}", "url",
				    arena_sprintf(req->arena, "%s%s", app->cfg.base_url, r.src),
				    "srcset", srcset, "width", r.width, "height", r.height, "alt",
				    r.alt, "credit", r.credit, "lead", p[i].lead));
	}
	return list;
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
	json_t *photos = object_photos(req, db, id);
	json_t *o = photos != NULL ? object_detail(&c) : NULL;
	if (o == NULL) {
		json_decref(photos);
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	}
	json_object_set_new(o, "photos", photos);
	return web_send_json(req, res, 200, o);
}
