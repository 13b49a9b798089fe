/*
 * collection.c - the online collection ("Hiện vật trực tuyến"): the list
 * with facets (/hien-vat), one object (/hien-vat/:id), its print view
 * (/hien-vat/:id/in), and the objects' hits on the search page.
 *
 * Handlers only read the request and render: what is public, and which
 * fields, is model/collection.h's. Every filter is in the URL (the names
 * urls.md gives: q, phan-loai, chat-lieu, nien-dai, hinh-thuc, trung-bay,
 * xuat-xu, sau), so a filtered list can be shared and everything works
 * with links and a GET form alone. A refused filter is a 400 page that
 * names the field and keeps what was chosen; a filter given twice with two
 * values is refused the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "model/collection.h"
#include "model/exhibition.h"
#include "model/media.h"
#include "model/object.h"
#include "model/object_photo.h"
#include "portal/discover.h"
#include "portal/portal.h"

#define COLLECTION_PAGE 24     /* objects on a page of the list */
#define RELATED_OBJECTS 6
#define MATERIAL_VOCAB "material_"

/* The facets as the URL and the page name them, in collection.h's order;
 * vocab: the catalog prefix of a vocabulary's words (NULL: the value, or
 * the model's label, is shown as it is). */
static const struct {
	const char *param;
	const char *label_key;
	const char *vocab;
} facets[COLLECTION_FACETS] = {
	{"phan-loai", "coll_facet_class", "admin_reg_class_"},
	{"chat-lieu", "coll_facet_material", NULL},
	{"nien-dai", "coll_facet_dating", NULL},
	{"hinh-thuc", "coll_facet_mode", "admin_reg_mode_"},
	{"trung-bay", "coll_facet_exhibition", NULL},
	{"xuat-xu", "coll_facet_origin", NULL},
};

/* What the list's URL asked for. */
typedef struct {
	const char *q;                /* as typed (NFC), "" when none */
	collection_filter flt;
	int64_t before;               /* sau= */
} list_request;

static const char *say(http_req *req, const char *key, const char *name, const char *value)
{
	const char *msg = web_text(req, key);
	const char *mark = arena_sprintf(req->arena, "{%s}", name);
	const char *at = mark != NULL ? strstr(msg, mark) : NULL;
	if (at == NULL)
		return msg;
	const char *out = arena_sprintf(req->arena, "%.*s%s%s", (int)(at - msg), msg, value,
					at + strlen(mark));
	return out != NULL ? out : msg;
}

/* A vocabulary word of facet k in the reader's language; materials are the
 * museum's own list (web_vocab: its names in Vietnamese, the catalog's in
 * English). */
static const char *value_label(http_req *req, int k, const char *value, const char *label)
{
	if (k == COLLECTION_MATERIAL)
		return web_vocab(req, MATERIAL_VOCAB, value, label);
	if (facets[k].vocab == NULL)
		return label;
	return web_text(req, arena_sprintf(req->arena, "%s%s", facets[k].vocab, value));
}

/* The one value of query field name: NULL when absent, *twice set when it
 * is given again with another value (the same value twice is one). */
static const char *single(http_req *req, const char *name, bool *twice)
{
	const char *found = NULL;
	for (size_t i = 0; i < req->nquery; i++) {
		if (strcmp(req->query[i].name, name) != 0)
			continue;
		if (found != NULL && strcmp(found, req->query[i].value) != 0)
			*twice = true;
		if (found == NULL)
			found = req->query[i].value;
	}
	return found;
}

/* Reads the list's URL. 0, or 400 with the reason in *why. */
static int read_list(http_req *req, list_request *lr, const char **why)
{
	memset(lr, 0, sizeof *lr);
	lr->q = "";
	const char *names[COLLECTION_FACETS + 2];
	for (int k = 0; k < COLLECTION_FACETS; k++)
		names[k] = facets[k].param;
	names[COLLECTION_FACETS] = "q";
	names[COLLECTION_FACETS + 1] = "sau";
	const char *values[COLLECTION_FACETS + 2];
	for (int k = 0; k < COLLECTION_FACETS + 2; k++) {
		bool twice = false;
		values[k] = single(req, names[k], &twice);
		if (twice) {
			const char *label = k < COLLECTION_FACETS ? web_text(req, facets[k].label_key)
								   : names[k];
			*why = say(req, "coll_err_twice", "field", label);
			return 400;
		}
		if (k < COLLECTION_FACETS)
			lr->flt.value[k] = values[k];
	}
	const char *q = values[COLLECTION_FACETS], *cursor = values[COLLECTION_FACETS + 1];
	if (cursor != NULL && cursor[0] != '\0' && web_parse_id(cursor, &lr->before) != 0) {
		*why = web_text(req, "coll_err_cursor");
		return 400;
	}
	if (q != NULL && strspn(q, " \t\r\n") < strlen(q)) {
		search_query sq;
		char text[160] = "";
		int rc = search_parse(req->arena, q, strlen(q), &sq, text, sizeof text);
		if (rc == SEARCH_ERROR)
			return 500;
		if (rc != 0) {
			*why = sq.refusal != NULL ? web_textf(req, sq.refusal, sq.refusal_n) : text;
			return 400;
		}
		lr->q = sq.text;
		lr->flt.match = sq.match_folded;
	}
	model_problem f;
	int rc = collection_check(&lr->flt, &f);
	if (rc != 0) {
		const char *label = "q";
		for (int k = 0; k < COLLECTION_FACETS; k++)
			if (f.field != NULL && strcmp(f.field, collection_facet_names[k]) == 0)
				label = web_text(req, facets[k].label_key);
		*why = arena_sprintf(req->arena, "%s: %s", label,
				     web_text(req, arena_sprintf(req->arena, "admin_%s",
								 reg_problem_key(f.code))));
		return 400;
	}
	return 0;
}

/* /hien-vat with the request's filters, facet k set to value (NULL:
 * removed; k < 0: none changed) and the cursor (0: the first page). */
static const char *list_url(http_req *req, const list_request *lr, int k, const char *value,
			    int64_t before)
{
	const char *pairs[2 * (COLLECTION_FACETS + 2) + 1];
	size_t n = 0;
	pairs[n++] = "q";
	pairs[n++] = lr->q;
	for (int i = 0; i < COLLECTION_FACETS; i++) {
		pairs[n++] = facets[i].param;
		pairs[n++] = i == k ? value : lr->flt.value[i];
	}
	pairs[n++] = "sau";
	pairs[n++] = before > 0 ? arena_sprintf(req->arena, "%lld", (long long)before) : NULL;
	pairs[n] = NULL;
	return web_url(req, "/hien-vat", pairs);
}

/* ---- pictures ------------------------------------------------------------------ */

/* {src, srcset, webp_srcset, sizes, width, height, alt} of a stored picture
 * at list size, or NULL when it cannot be shown (not a picture, not ready). */
static json_t *thumb_json(http_req *req, db_t *db, const char *file, const char *alt,
			  const char *sizes)
{
	media_responsive r;
	if (file == NULL || file[0] == '\0' || media_responsive_for(db, req->arena, file, &r) != 0)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "src", r.src, "srcset", r.srcset,
			 "webp_srcset", r.webp_srcset, "sizes", sizes, "width", r.width, "height",
			 r.height, "alt", r.alt[0] != '\0' ? r.alt : alt);
}

static const char *object_path(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, "/hien-vat/%lld", (long long)id);
}

/* A card of the list, the related objects and the search's hits. */
static json_t *item_json(http_req *req, db_t *db, const collection_item *it)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)it->id,
			      "url", object_path(req, it->id), "name", it->name, "reg_number",
			      it->reg_number, "kind",
			      web_text(req, arena_sprintf(req->arena, "admin_reg_kind_%s", it->kind)),
			      "material",
			      web_vocab(req, MATERIAL_VOCAB, it->material_code, it->material_name),
			      "dating", it->dating);
	if (o != NULL && it->heritage_class[0] != '\0')
		json_object_set_new(o, "class",
				    json_string(value_label(req, COLLECTION_CLASS, it->heritage_class,
							    it->heritage_class)));
	json_t *thumb = thumb_json(req, db, it->lead_file, it->name,
				   "(min-width: 960px) 220px, (min-width: 600px) 30vw, 45vw");
	if (o != NULL && thumb != NULL)
		json_object_set_new(o, "thumb", thumb);
	return o;
}

/* ---- the list ------------------------------------------------------------------- */

static json_t *facets_json(http_req *req, const list_request *lr,
			   const collection_facet_counts *counts)
{
	json_t *arr = json_array();
	for (int k = 0; k < COLLECTION_FACETS; k++) {
		const char *chosen = lr->flt.value[k];
		json_t *values = json_array();
		for (size_t i = 0; i < counts[k].n; i++) {
			const collection_count_row *c = &counts[k].rows[i];
			bool on = chosen != NULL && strcmp(chosen, c->value) == 0;
			json_array_append_new(
			    values, json_pack("{s:s, s:s, s:s, s:b}", "label",
					      value_label(req, k, c->value, c->label), "count",
					      web_count(req, c->count), "url",
					      list_url(req, lr, k, on ? NULL : c->value, 0), "chosen", on));
		}
		if (json_array_size(values) == 0) {
			json_decref(values);
			continue;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "name",
						     web_text(req, facets[k].label_key), "param",
						     facets[k].param, "values", values));
	}
	return arr;
}

/* The filters chosen, each with the link that removes it, and the hidden
 * fields that keep them when the words are searched again. */
static void chosen_json(http_req *req, const list_request *lr,
			const collection_facet_counts *counts, json_t *coll)
{
	json_t *chosen = json_array(), *hidden = json_array();
	for (int k = 0; k < COLLECTION_FACETS; k++) {
		const char *v = lr->flt.value[k];
		if (v == NULL || v[0] == '\0')
			continue;
		const char *label = v;
		for (size_t i = 0; i < counts[k].n; i++)
			if (strcmp(counts[k].rows[i].value, v) == 0)
				label = value_label(req, k, v, counts[k].rows[i].label);
		json_array_append_new(chosen, json_pack("{s:s, s:s, s:s}", "facet",
							web_text(req, facets[k].label_key), "label",
							label, "url", list_url(req, lr, k, NULL, 0)));
		json_array_append_new(hidden,
				      json_pack("{s:s, s:s}", "name", facets[k].param, "value", v));
	}
	json_object_set_new(coll, "has_chosen", json_boolean(json_array_size(chosen) > 0));
	json_object_set_new(coll, "chosen", chosen);
	json_object_set_new(coll, "hidden", hidden);
}

/* The page with a refusal instead of objects: 400, never cached. */
static int list_refused(http_req *req, http_res *res, const char *why)
{
	json_t *ctx = page_context(req, web_text(req, "coll_title"), NULL);
	if (ctx == NULL)
		return 500;
	/* What was asked goes back into the form as it was typed. */
	const char *q = http_query(req, "q");
	json_t *hidden = json_array();
	for (int k = 0; k < COLLECTION_FACETS; k++) {
		const char *v = http_query(req, facets[k].param);
		if (v != NULL && v[0] != '\0')
			json_array_append_new(hidden, json_pack("{s:s, s:s}", "name", facets[k].param,
								"value", v));
	}
	json_object_set_new(ctx, "nav_collection", json_true());
	json_object_set_new(ctx, "coll", json_pack("{s:s, s:s, s:o}", "q", q != NULL ? q : "",
						   "error", why, "hidden", hidden));
	http_res_header(res, "Cache-Control", "no-store");
	int rendered = web_render(req, res, "collection", ctx);
	return rendered == 200 ? 400 : rendered;
}

int portal_collection(http_req *req, http_res *res)
{
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	list_request lr;
	const char *why = NULL;
	int status = read_list(req, &lr, &why);
	if (status == 400)
		return list_refused(req, res, why);
	if (status != 0)
		return status;
	collection_item *items;
	size_t n;
	bool more;
	int64_t total;
	collection_facet_counts counts[COLLECTION_FACETS];
	model_problem f;
	if (collection_list(db, req->arena, &lr.flt, lr.before, COLLECTION_PAGE, &items, &n, &more,
			    &f) != 0 ||
	    collection_count(db, &lr.flt, &total, &f) != 0 ||
	    collection_facets(db, req->arena, &lr.flt, counts, &f) != 0)
		return 500;
	json_t *ctx = page_context(req, web_text(req, "coll_title"), NULL);
	if (ctx == NULL)
		return 500;
	json_t *cards = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(cards, item_json(req, db, &items[i]));
	json_t *coll = json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:o}", "q", lr.q, "total",
				 web_count(req, total), "count_text",
				 web_textf(req, "coll_count", total), "items", cards, "has_items", n > 0, "later",
				 lr.before > 0, "facets", facets_json(req, &lr, counts));
	if (coll == NULL) {
		json_decref(ctx);
		return 500;
	}
	chosen_json(req, &lr, counts, coll);
	if (more && n > 0)
		json_object_set_new(coll, "next_url",
				    json_string(list_url(req, &lr, -1, NULL, items[n - 1].id)));
	if (lr.before > 0)
		json_object_set_new(coll, "first_url", json_string(list_url(req, &lr, -1, NULL, 0)));
	json_object_set_new(coll, "clear_url", json_string("/hien-vat"));
	json_object_set_new(ctx, "coll", coll);
	json_object_set_new(ctx, "nav_collection", json_true());
	const app_t *app = req->app;
	json_object_set_new(ctx, "canonical",
			    json_string(arena_sprintf(req->arena, "%s%s", app->cfg.base_url,
						      list_url(req, &lr, -1, NULL, lr.before))));
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "collection", ctx);
}

/* ---- one object ------------------------------------------------------------------ */

/* {label, value} of each field a visitor reads, leaving out empty ones.
 * Never the value, notes, storage place or source. */
static json_t *fields_json(http_req *req, const object_card *c, const char *material)
{
	json_t *arr = json_array();
	const char *sizes = "";
	const double dims[] = {c->length_cm, c->width_cm, c->height_cm};
	const char *const dim_keys[] = {"coll_length", "coll_width", "coll_height"};
	for (size_t i = 0; i < 3; i++)
		if (dims[i] > 0)
			sizes = arena_sprintf(req->arena, "%s%s%s %s cm", sizes,
					      sizes[0] != '\0' ? " × " : "", web_text(req, dim_keys[i]),
					      web_decimal(req, dims[i]));
	if (c->diameter_cm > 0)
		sizes = arena_sprintf(req->arena, "%s%s%s %s cm", sizes, sizes[0] != '\0' ? "; " : "",
				      web_text(req, "coll_diameter"), web_decimal(req, c->diameter_cm));
	const char *material_text = c->material_note[0] != '\0'
					? arena_sprintf(req->arena, "%s (%s)", material, c->material_note)
					: material;
	const struct {
		const char *key, *value;
	} rows[] = {
	    {"coll_field_reg_number", c->reg_number},
	    {"coll_field_other_names", c->other_names},
	    {"coll_field_kind",
	     web_text(req, arena_sprintf(req->arena, "admin_reg_kind_%s", c->kind))},
	    {"coll_facet_class",
	     c->heritage_class[0] != '\0' ? value_label(req, COLLECTION_CLASS, c->heritage_class, "")
					  : ""},
	    {"coll_facet_material", material_text},
	    {"coll_field_technique", c->technique},
	    {"coll_field_size", sizes},
	    {"coll_field_weight",
	     c->weight_g > 0 ? arena_sprintf(req->arena, "%s g", web_decimal(req, c->weight_g)) : ""},
	    {"coll_field_pieces", c->pieces > 1 ? web_count(req, c->pieces) : ""},
	    {"coll_facet_dating", c->dating},
	    {"coll_facet_origin", c->origin_place},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].value != NULL && rows[i].value[0] != '\0')
			json_array_append_new(arr, json_pack("{s:s, s:s}", "label",
							     web_text(req, rows[i].key), "value",
							     rows[i].value));
	return arr;
}

/* The description as paragraphs (blank lines part them). */
static json_t *paragraphs_json(const char *text)
{
	json_t *arr = json_array();
	const char *p = text;
	while (p != NULL && *p != '\0') {
		const char *end = strstr(p, "\n\n");
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		if (len > 0)
			json_array_append_new(arr, json_pack("{s:s%}", "text", p, len));
		p = end != NULL ? end + 2 : NULL;
		while (p != NULL && (*p == '\n' || *p == '\r'))
			p++;
	}
	return arr;
}

/* Related people, units, events and places, a line per kind. */
static json_t *related_json(http_req *req, db_t *db, int64_t id)
{
	object_related *rel;
	size_t n;
	json_t *arr = json_array();
	if (object_related_list(db, req->arena, id, &rel, &n) != 0)
		return arr;
	json_t *line = NULL;
	const char *kind = NULL;
	for (size_t i = 0; i < n; i++) {
		if (kind == NULL || strcmp(kind, rel[i].kind) != 0) {
			kind = rel[i].kind;
			line = json_pack("{s:s, s:[]}", "kind",
					 web_text(req, arena_sprintf(req->arena, "admin_reg_related_%s",
								     kind)),
					 "names");
			json_array_append_new(arr, line);
		}
		json_array_append_new(json_object_get(line, "names"),
				      json_pack("{s:s}", "name", rel[i].name));
	}
	return arr;
}

/* The photos that can be shown, the lead first, at page size; *images
 * gets their absolute URLs for the JSON-LD. */
static json_t *photos_json(http_req *req, db_t *db, int64_t id, const char *name, json_t *images)
{
	const app_t *app = req->app;
	object_photo *p;
	size_t n;
	json_t *arr = json_array();
	if (object_photo_list(db, req->arena, id, true, &p, &n) != 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		if (p[i].item.state != MEDIA_READY)
			continue;
		json_t *img = thumb_json(req, db, p[i].item.m.file, name,
					 i == 0 ? "(min-width: 760px) 640px, 100vw"
						: "(min-width: 760px) 200px, 30vw");
		if (img == NULL)
			continue;
		json_object_set_new(img, "credit", json_string(p[i].item.m.credit != NULL
								   ? p[i].item.m.credit
								   : ""));
		json_object_set_new(img, "lead", json_boolean(json_array_size(arr) == 0));
		json_array_append_new(
		    images, json_string(arena_sprintf(req->arena, "%s%s", app->cfg.base_url,
						      json_string_value(json_object_get(img, "src")))));
		json_array_append_new(arr, img);
	}
	return arr;
}

/* "dd/mm/yyyy – dd/mm/yyyy", or the opening alone when no end is announced. */
static const char *exhibition_dates(http_req *req, const exhibition *e)
{
	const char *opens = e->opens_on, *closes = e->closes_on;
	if (strlen(opens) != 10)
		return opens;
	if (closes == NULL || strlen(closes) != 10)
		return arena_sprintf(req->arena, "%.2s/%.2s/%.4s", opens + 8, opens + 5, opens);
	return arena_sprintf(req->arena, "%.2s/%.2s/%.4s – %.2s/%.2s/%.4s", opens + 8, opens + 5,
			     opens, closes + 8, closes + 5, closes);
}

/* schema.org VisualArtwork (a document: CreativeWork), escaped for a
 * <script> element; NULL when it cannot be built. */
static const char *object_jsonld(http_req *req, const object_card *c, const char *material,
				 json_t *images, json_t *related)
{
	const app_t *app = req->app;
	const char *url = arena_sprintf(req->arena, "%s%s", app->cfg.base_url,
					object_path(req, c->id));
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "@context",
			       "https://schema.org", "@type",
			       strcmp(c->kind, "tai_lieu") == 0 ? "CreativeWork" : "VisualArtwork",
			       "@id", url, "url", url, "name", c->name, "identifier", c->reg_number,
			       "provider", "@type", "Museum", "name", app->cfg.site_name, "url",
			       arena_sprintf(req->arena, "%s/", app->cfg.base_url));
	if (ld == NULL)
		return NULL;
	if (c->other_names[0] != '\0')
		json_object_set_new(ld, "alternateName", json_string(c->other_names));
	if (c->description[0] != '\0')
		json_object_set_new(ld, "description", json_string(c->description));
	json_object_set_new(ld, strcmp(c->kind, "tai_lieu") == 0 ? "material" : "artMedium",
			    json_string(material));
	if (c->technique[0] != '\0')
		json_object_set_new(ld, "artform", json_string(c->technique));
	if (c->dating[0] != '\0')
		json_object_set_new(ld, "temporalCoverage", json_string(c->dating));
	if (c->origin_place[0] != '\0')
		json_object_set_new(ld, "locationCreated",
				    json_pack("{s:s, s:s}", "@type", "Place", "name", c->origin_place));
	const struct {
		const char *key;
		double v;
		const char *unit;
	} sizes[] = {{"depth", c->length_cm, "CMT"}, {"width", c->width_cm, "CMT"},
		     {"height", c->height_cm, "CMT"}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (sizes[i].v > 0)
			json_object_set_new(ld, sizes[i].key,
					    json_pack("{s:s, s:f, s:s}", "@type", "QuantitativeValue",
						      "value", sizes[i].v, "unitCode", sizes[i].unit));
	if (json_array_size(images) > 0)
		json_object_set(ld, "image", images);
	json_t *about = json_array();
	size_t i, j;
	json_t *line, *name;
	json_array_foreach(related, i, line) {
		json_array_foreach(json_object_get(line, "names"), j, name)
			json_array_append(about, json_object_get(name, "name"));
	}
	if (json_array_size(about) > 0)
		json_object_set_new(ld, "keywords", about);
	else
		json_decref(about);
	return web_jsonld(req, ld);
}

/* The object's page context, shared by the page and its print view; 1 for
 * a 404 (unknown, not registered or not public), -1 on error. */
static int object_context(http_req *req, db_t *db, int64_t id, bool print, json_t **out)
{
	const app_t *app = req->app;
	object_card c;
	int rc = collection_get(db, req->arena, id, &c);
	if (rc != 0)
		return rc;
	const char *material = c.material_code;
	object_material *mats;
	size_t nmats;
	if (object_material_list(db, req->arena, &mats, &nmats) == 0)
		for (size_t i = 0; i < nmats; i++)
			if (strcmp(mats[i].code, c.material_code) == 0)
				material = web_vocab(req, MATERIAL_VOCAB, mats[i].code, mats[i].name);
	json_t *ctx = print ? web_frame(req, c.name) : page_context(req, c.name, NULL);
	if (ctx == NULL)
		return -1;
	json_t *images = json_array(), *related = related_json(req, db, id);
	json_t *photos = photos_json(req, db, id, c.name, images);
	const char *path = object_path(req, id);
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:O, s:b, s:s, s:s}", "id",
			      (json_int_t)id, "name", c.name, "reg_number", c.reg_number, "fields",
			      fields_json(req, &c, material), "description",
			      paragraphs_json(c.description), "related", related, "has_related",
			      json_array_size(related) > 0, "path", path, "print_url",
			      arena_sprintf(req->arena, "%s/in", path));
	if (o == NULL) {
		json_decref(ctx);
		json_decref(images);
		json_decref(related);
		json_decref(photos);
		return -1;
	}
	if (json_array_size(photos) > 0) {
		json_object_set(o, "lead", json_array_get(photos, 0));
		json_array_remove(photos, 0);
	}
	json_object_set_new(o, "photos", photos);
	/* The public exhibitions it is or was shown in, latest first. */
	exhibition *shows;
	size_t nshows;
	json_t *exhibitions = json_array();
	if (exhibition_list_of_object(db, req->arena, id, true, &shows, &nshows) == 0)
		for (size_t i = 0; i < nshows; i++)
			json_array_append_new(
			    exhibitions,
			    json_pack("{s:s, s:s, s:s}", "title", shows[i].title, "url",
				      arena_sprintf(req->arena, "/trung-bay/%lld", (long long)shows[i].id),
				      "dates", exhibition_dates(req, &shows[i])));
	json_object_set_new(o, "has_exhibitions", json_boolean(json_array_size(exhibitions) > 0));
	json_object_set_new(o, "exhibitions", exhibitions);
	json_object_set_new(o, "has_photos", json_boolean(json_array_size(photos) > 0));
	if (!print) {
		collection_item *near;
		size_t n;
		json_t *cards = json_array();
		if (collection_related(db, req->arena, id, RELATED_OBJECTS, &near, &n) == 0)
			for (size_t i = 0; i < n; i++)
				json_array_append_new(cards, item_json(req, db, &near[i]));
		json_object_set_new(o, "has_near", json_boolean(json_array_size(cards) > 0));
		json_object_set_new(o, "near", cards);
		/* The deep-zoom viewer of the photos that have tiles (iiif.c). */
		json_t *zoom = iiif_deepzoom(req, db, id);
		if (zoom != NULL)
			json_object_set_new(o, "deepzoom", zoom);
		const char *ld = object_jsonld(req, &c, material, images, related);
		if (ld != NULL)
			json_object_set_new(o, "jsonld", json_string(ld));
	}
	json_decref(images);
	json_decref(related);
	json_object_set_new(ctx, "object", o);
	json_object_set_new(ctx, "nav_collection", json_true());
	json_object_set_new(ctx, "canonical",
			    json_string(arena_sprintf(req->arena, "%s%s", app->cfg.base_url, path)));
	*out = ctx;
	return 0;
}

static int object_page(http_req *req, http_res *res, bool print)
{
	int64_t id;
	if (web_parse_id(req->params[0], &id) != 0)
		return 404;
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	json_t *ctx;
	int rc = object_context(req, db, id, print, &ctx);
	if (rc != 0)
		return rc == 1 ? 404 : 500;
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, print ? "collection_print" : "collection_object", ctx);
}

int portal_collection_object(http_req *req, http_res *res)
{
	return object_page(req, res, false);
}

int portal_collection_print(http_req *req, http_res *res)
{
	return object_page(req, res, true);
}

/* ---- the search page's hits ------------------------------------------------------ */

int collection_search_hits(http_req *req, db_t *db, const search_query *q, int page,
			   size_t per_page, search_kind_result *out)
{
	memset(out, 0, sizeof *out);
	collection_item *items;
	size_t n;
	int64_t total;
	if (collection_search(db, req->arena, q->match_folded, (int64_t)(page - 1) * (int64_t)per_page,
			      per_page, SEARCH_COUNT_MAX, &items, &n, &total) != 0)
		return -1;
	out->total = total;
	out->total_is_lower_bound = total >= SEARCH_COUNT_MAX;
	out->items = n > 0 ? arena_calloc(req->arena, n, sizeof *out->items) : NULL;
	if (n > 0 && out->items == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const collection_item *it = &items[i];
		search_kind_hit *h = &out->items[i];
		h->title = it->name;
		h->url = object_path(req, it->id);
		h->meta = arena_sprintf(req->arena, "%s · %s%s%s", it->reg_number,
					web_vocab(req, MATERIAL_VOCAB, it->material_code, it->material_name),
					it->dating[0] != '\0' ? " · " : "", it->dating);
		h->text = "";
		json_t *thumb = thumb_json(req, db, it->lead_file, it->name, "");
		if (thumb != NULL) {
			/* A 96-pixel square: the smallest size (srcset's first, 320
			 * wide), not src's 800. */
			const char *set = json_string_value(json_object_get(thumb, "srcset"));
			const char *src = json_string_value(json_object_get(thumb, "src"));
			h->thumb = set != NULL && set[0] != '\0'
				       ? arena_strndup(req->arena, set, strcspn(set, " "))
				       : arena_strdup(req->arena, src);
			json_decref(thumb);
		}
		if (h->url == NULL || h->meta == NULL)
			return -1;
	}
	out->n = n;
	return 0;
}
