/*
 * iiif.c - the online collection for IIIF viewers (issue 13):
 *   /iiif/ID/info.json and /iiif/ID/REGION/SIZE/ROTATION/default.jpg, the
 *     Image API 3 level 0 service of a photo's tile set (model/media_tiles.h);
 *   /hien-vat/ID/manifest.json, the object's Presentation 3 manifest.
 * Only photos of public objects, and only public objects, are answered;
 * anything else is 404 exactly like a picture that does not exist. Paths
 * are parsed strictly (media_tiles_path): a malformed segment is 400, a
 * well-formed one that names no tile 404, and a file is only ever opened
 * below the picture's tile folder. Every answer carries
 * Access-Control-Allow-Origin: *, because IIIF viewers on other sites
 * (Mirador, Universal Viewer) load them.
 */
#include <stdio.h>
#include <string.h>

#include "core/fmt.h"
#include "model/media.h"
#include "model/media_tiles.h"
#include "model/object.h"
#include "model/object_photo.h"
#include "portal/portal.h"
#include "render/i18n.h"

#define IIIF_IMAGE_CONTEXT "http://iiif.io/api/image/3/context.json"
#define IIIF_PRESENTATION_CONTEXT "http://iiif.io/api/presentation/3/context.json"
/* Tiles of a picture never change; info.json names the site's address. */
#define IIIF_TILE_CACHE "public, max-age=31536000"
#define IIIF_JSON_CACHE "public, max-age=3600"

/* Sends o (consumed) as JSON-LD of a IIIF context with the open CORS and
 * cache headers. */
static int send_ld(http_req *req, http_res *res, json_t *o, const char *context)
{
	char *s = o != NULL ? json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(15)) : NULL;
	json_decref(o);
	if (s == NULL)
		return 500;
	http_json(res, 200, s, strlen(s));
	free(s);
	res->content_type = arena_sprintf(req->arena, "application/ld+json;profile=\"%s\"", context);
	http_res_header(res, "Access-Control-Allow-Origin", "*");
	http_res_header(res, "Cache-Control", IIIF_JSON_CACHE);
	return 200;
}

/* The id of the URL's first segment and this thread's connection: 0, or
 * the status to answer (404 for an id that is not one). */
static int id_and_db(http_req *req, int64_t *id, db_t **db)
{
	if (web_parse_id(req->params[0], id) != 0)
		return 404;
	*db = db_get();
	return *db != NULL ? 0 : 500;
}

/* The public picture of /iiif/ID/...: 0 with its id, tiles' size and folder
 * (dir, PATH_MAX bytes), or the status to answer. */
static int public_picture(http_req *req, int64_t *picture, media_tiles_info *t, char *dir)
{
	int64_t id;
	db_t *db;
	int rc = id_and_db(req, &id, &db);
	if (rc != 0)
		return rc;
	rc = media_tiles_public(db, id, t);
	if (rc != 0)
		return rc == 1 ? 404 : 500;
	const app_t *app = req->app;
	*picture = id;
	return snprintf(dir, PATH_MAX, "%s/" MEDIA_TILES_DIR "/%lld", app->media_dir,
			(long long)id) < PATH_MAX
		   ? 0
		   : 404;
}

int iiif_info(http_req *req, http_res *res)
{
	int64_t id;
	media_tiles_info t;
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int status = public_picture(req, &id, &t, dir);
	if (status != 0)
		return status;
	snprintf(path, sizeof path, "%s/info.json", dir);
	json_error_t err;
	json_t *info = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(info)) {
		/* The row says ready but the file is gone: nothing to show. */
		json_decref(info);
		return 404;
	}
	/* dzsave wrote a placeholder; the service is where it is served now. */
	const app_t *app = req->app;
	json_object_set_new(info, "id",
			    json_string(arena_sprintf(req->arena, "%s/iiif/%lld", app->cfg.base_url,
						      (long long)id)));
	return send_ld(req, res, info, IIIF_IMAGE_CONTEXT);
}

int iiif_tile(http_req *req, http_res *res)
{
	int64_t id;
	media_tiles_info t;
	char rel[64], dir[PATH_MAX];
	int status = public_picture(req, &id, &t, dir);
	if (status != 0)
		return status;
	int rc = media_tiles_path(t.width, t.height, req->params[1], req->params[2], req->params[3],
				  req->params[4], rel, sizeof rel);
	if (rc != 0)
		return rc == 1 ? 400 : 404;
	status = http_send_file(req, res, dir, rel, IIIF_TILE_CACHE);
	if (status == 200 || status == 304)
		http_res_header(res, "Access-Control-Allow-Origin", "*");
	return status;
}

json_t *iiif_deepzoom(http_req *req, db_t *db, int64_t object_id)
{
	object_photo *p;
	size_t n;
	if (object_photo_list(db, req->arena, object_id, true, &p, &n) != 0)
		return NULL;
	const char *tiles = "";
	for (size_t i = 0; tiles != NULL && i < n; i++) {
		media_tiles_info t;
		if (p[i].item.state == MEDIA_READY && media_tiles_get(db, p[i].media_id, &t) == 0 &&
		    t.state == MEDIA_TILES_READY)
			tiles = arena_sprintf(req->arena, "%s%s/iiif/%lld/info.json", tiles,
					      tiles[0] ? " " : "", (long long)p[i].media_id);
	}
	if (tiles == NULL || tiles[0] == '\0')
		return NULL;
	return json_pack("{s:s, s:s}", "tiles", tiles, "manifest",
			 arena_sprintf(req->arena, "/hien-vat/%lld/manifest.json",
				       (long long)object_id));
}

/* ------------------------------------------------------------ manifest */

/* {"vi": [vi], "en": [en]}. */
static json_t *lang_map(const char *vi, const char *en)
{
	return json_pack("{s:[s], s:[s]}", "vi", vi, "en", en);
}

/* A metadata pair whose label is the catalog key in both languages and
 * whose value is the object's own text (as written: the same in both). */
static void meta(json_t *list, const char *key, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	json_array_append_new(list,
			      json_pack("{s:o, s:o}", "label",
					lang_map(i18n_text(LANG_VI, key), i18n_text(LANG_EN, key)),
					"value", json_pack("{s:[s]}", "none", value)));
}

/* The same with a word of the register's vocabulary (prefix + code). */
static void meta_word(http_req *req, json_t *list, const char *key, const char *prefix,
		      const char *code)
{
	if (code == NULL || code[0] == '\0')
		return;
	const char *k = arena_sprintf(req->arena, "%s%s", prefix, code);
	json_array_append_new(
	    list, json_pack("{s:o, s:o}", "label",
			    lang_map(i18n_text(LANG_VI, key), i18n_text(LANG_EN, key)), "value",
			    lang_map(i18n_text(LANG_VI, k), i18n_text(LANG_EN, k))));
}

/* "12,5 × 8 × 30 cm" of the measured sizes (length, width, height,
 * diameter), "" when none was measured. */
static const char *dimensions(http_req *req, const object_card *c)
{
	const double v[] = {c->length_cm, c->width_cm, c->height_cm, c->diameter_cm};
	const char *out = "";
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		if (v[i] <= 0)
			continue;
		char num[32];
		fmt_decimal1(num, sizeof num, v[i], LANG_VI);
		out = arena_sprintf(req->arena, "%s%s%s", out, out[0] ? " × " : "", num);
	}
	return out[0] ? arena_sprintf(req->arena, "%s cm", out) : "";
}

static json_t *metadata(http_req *req, db_t *db, const object_card *c)
{
	json_t *m = json_array();
	meta(m, "admin_reg_field_reg_number", c->reg_number);
	meta(m, "admin_reg_field_other_names", c->other_names);
	meta_word(req, m, "admin_reg_field_kind", "admin_reg_kind_", c->kind);
	meta_word(req, m, "admin_reg_field_class", "admin_reg_class_", c->heritage_class);
	const char *material = object_material_name(db, req->arena, c->material_code);
	meta(m, "admin_reg_field_material_code", material != NULL ? material : c->material_code);
	meta(m, "admin_reg_field_material_note", c->material_note);
	meta(m, "admin_reg_field_technique", c->technique);
	meta(m, "iiif_dimensions", dimensions(req, c));
	if (c->weight_g > 0) {
		char num[32];
		fmt_decimal1(num, sizeof num, c->weight_g, LANG_VI);
		meta(m, "admin_reg_field_weight_g", arena_sprintf(req->arena, "%s g", num));
	}
	if (c->pieces > 1)
		meta(m, "admin_reg_field_pieces",
		     arena_sprintf(req->arena, "%lld", (long long)c->pieces));
	meta(m, "admin_reg_field_dating", c->dating);
	meta(m, "admin_reg_field_origin_place", c->origin_place);
	return m;
}

/* One canvas: the picture as painted on it, with the tile service when its
 * tiles are made. NULL when the picture is not shown (still processing). */
static json_t *canvas(http_req *req, db_t *db, const char *object_url, size_t n,
		      const object_photo *p)
{
	const app_t *app = req->app;
	media_responsive r;
	media_tiles_info t;
	if (p->item.state != MEDIA_READY ||
	    media_responsive_for(db, req->arena, p->item.m.file, &r) != 0 ||
	    media_tiles_get(db, p->media_id, &t) != 0)
		return NULL;
	bool tiled = t.state == MEDIA_TILES_READY;
	int width = tiled ? t.width : p->item.m.width, height = tiled ? t.height : p->item.m.height;
	if (width <= 0 || height <= 0) {
		width = r.width;
		height = r.height;
	}
	const char *cv = arena_sprintf(req->arena, "%s/canvas/%zu", object_url, n);
	json_t *body = json_pack("{s:s, s:s, s:s, s:i, s:i}", "id",
				 arena_sprintf(req->arena, "%s%s", app->cfg.base_url, r.src), "type",
				 "Image", "format", strstr(r.src, ".png") ? "image/png" : "image/jpeg",
				 "width", r.width, "height", r.height);
	if (body != NULL && tiled)
		json_object_set_new(
		    body, "service",
		    json_pack("[{s:s, s:s, s:s}]", "id",
			      arena_sprintf(req->arena, "%s/iiif/%lld", app->cfg.base_url,
					    (long long)p->media_id),
			      "type", "ImageService3", "profile", "level0"));
	const char *label = r.alt != NULL && r.alt[0] ? r.alt : NULL;
	json_t *c = json_pack(
	    "{s:s, s:s, s:i, s:i, s:[{s:s, s:s, s:[{s:s, s:s, s:s, s:o, s:s}]}]}", "id", cv, "type",
	    "Canvas", "width", width, "height", height, "items", "id",
	    arena_sprintf(req->arena, "%s/page", cv), "type", "AnnotationPage", "items", "id",
	    arena_sprintf(req->arena, "%s/annotation", cv), "type", "Annotation", "motivation",
	    "painting", "body", body, "target", cv);
	if (c != NULL)
		json_object_set_new(c, "label",
				    label != NULL ? json_pack("{s:[s]}", "none", label)
						  : lang_map(arena_sprintf(req->arena, "%s %zu",
									   i18n_text(LANG_VI, "iiif_photo"), n),
							     arena_sprintf(req->arena, "%s %zu",
									   i18n_text(LANG_EN, "iiif_photo"), n)));
	return c;
}

int iiif_manifest(http_req *req, http_res *res)
{
	int64_t id;
	db_t *db;
	int rc = id_and_db(req, &id, &db);
	if (rc != 0)
		return rc;
	object_card c;
	rc = object_get_public(db, req->arena, id, &c);
	if (rc != 0)
		return rc == 1 ? 404 : 500;
	object_photo *p;
	size_t n;
	if (object_photo_list(db, req->arena, id, true, &p, &n) != 0)
		return 500;
	const app_t *app = req->app;
	const char *url = arena_sprintf(req->arena, "%s/hien-vat/%lld", app->cfg.base_url,
					(long long)id);
	json_t *items = json_array();
	for (size_t i = 0; items != NULL && i < n; i++) {
		json_t *cv = canvas(req, db, url, json_array_size(items) + 1, &p[i]);
		if (cv != NULL)
			json_array_append_new(items, cv);
	}
	json_t *m = json_pack(
	    "{s:s, s:s, s:s, s:o, s:o, s:o, s:[{s:s, s:s, s:o, s:s}], s:o}", "@context",
	    IIIF_PRESENTATION_CONTEXT, "id", arena_sprintf(req->arena, "%s/manifest.json", url),
	    "type", "Manifest", "label", lang_map(c.name, c.name), "metadata",
	    metadata(req, db, &c), "requiredStatement",
	    json_pack("{s:o, s:o}", "label",
		      lang_map(i18n_text(LANG_VI, "iiif_attribution"),
			       i18n_text(LANG_EN, "iiif_attribution")),
		      "value", lang_map(app->cfg.site_name, app->cfg.site_name)),
	    "homepage", "id", url, "type", "Text", "label", lang_map(c.name, c.name), "format",
	    "text/html", "items", items);
	if (m == NULL)
		return 500;
	if (c.description[0] != '\0')
		json_object_set_new(m, "summary", json_pack("{s:[s]}", "vi", c.description));
	if (strncmp(app->cfg.rights, "http://", 7) == 0 || strncmp(app->cfg.rights, "https://", 8) == 0)
		json_object_set_new(m, "rights", json_string(app->cfg.rights));
	return send_ld(req, res, m, IIIF_PRESENTATION_CONTEXT);
}
