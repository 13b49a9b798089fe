/*
 * exhibitions.c - the public pages of the museum's exhibitions and
 * publications: /trung-bay (current, upcoming and past), /trung-bay/ID
 * (dates, venue, photos, the objects shown whose card is public, linking
 * to their page /hien-vat/ID, with their label in the reader's language
 * when it was written in it), /an-pham and /an-pham/ID. Each page carries
 * schema.org JSON-LD (ExhibitionEvent, Book). Only records marked public
 * are shown; anything else is 404. Text is escaped by the templates; the
 * JSON-LD by web_jsonld.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/exhibition.h"
#include "model/media.h"
#include "model/publication.h"
#include "model/search.h"
#include "portal/discover.h"
#include "portal/portal.h"

/* dd/mm/yyyy of a stored yyyy-mm-dd ("" stays ""). */
static const char *day(http_req *req, const char *iso)
{
	if (iso == NULL || strlen(iso) != 10)
		return "";
	return arena_sprintf(req->arena, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static const char *venue_of(http_req *req, const exhibition *e)
{
	if (e->hall[0] != '\0')
		return e->hall;
	if (e->venue[0] == '\0')
		return web_text(req, "exh_kind_truc_tuyen");
	return arena_sprintf(req->arena, "%s, %s", e->venue, e->province);
}

static const char *site_url(http_req *req, const char *path)
{
	const app_t *app = req->app;
	return arena_sprintf(req->arena, "%s%s", app->cfg.base_url, path);
}

/* The address of a picture of the library and its thumbnail, or NULL. */
static json_t *picture(http_req *req, db_t *db, int64_t media_id)
{
	media_item it;
	if (media_id <= 0 || media_get_item(db, req->arena, media_id, &it) != 0 ||
	    it.state != MEDIA_READY)
		return NULL;
	return json_pack("{s:s, s:s, s:s}", "url", arena_sprintf(req->arena, "/media/%s", it.m.file),
			 "thumb", arena_sprintf(req->arena, "/media/%s", it.thumb), "alt", it.m.alt);
}

/* Sets into's key to the picture when it has one ready. */
static void add_picture(http_req *req, db_t *db, json_t *into, const char *key, int64_t media_id)
{
	json_t *pic = picture(req, db, media_id);
	if (pic != NULL)
		json_object_set_new(into, key, pic);
}

/* Paragraphs of a plain text: blank lines part them. */
static json_t *paragraphs(const char *text)
{
	json_t *list = json_array();
	const char *p = text;
	while (p != NULL && *p != '\0') {
		const char *end = strstr(p, "\n\n");
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n'))
			len--;
		if (len > 0)
			json_array_append_new(list, json_stringn(p, len));
		p = end != NULL ? end + 2 : NULL;
	}
	return list;
}

/* The start of a record's page: the route's :id (a number without a
 * leading zero, else 404 in *status) and page_start's database. */
static db_t *record_start(http_req *req, http_res *res, long long *id, int *status)
{
	char *end;
	*id = strtoll(req->params[0], &end, 10);
	if (*end != '\0' || *id <= 0 || req->params[0][0] == '0') {
		*status = 404;
		return NULL;
	}
	return page_start(req, res, status);
}

/* Renders a record's page: the record (consumed) under key with its
 * JSON-LD (NULL: none), the canonical address of path, the template of the
 * key's page ("exhibition", "book" -> "publication"). */
static int render_record(http_req *req, http_res *res, json_t *ctx, const char *key,
			 json_t *record, const char *ld, const char *path)
{
	if (ld != NULL)
		json_object_set_new(record, "jsonld", json_string(ld));
	bool is_book = strcmp(key, "book") == 0;
	json_object_set_new(ctx, key, record);
	json_object_set_new(ctx, is_book ? "nav_publications" : "nav_exhibitions", json_true());
	json_object_set_new(ctx, "canonical", json_string(site_url(req, path)));
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, is_book ? "publication" : key, ctx);
}

/* ---- exhibitions --------------------------------------------------------------- */

static json_t *card(http_req *req, db_t *db, const exhibition *e)
{
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "url",
			      arena_sprintf(req->arena, "/trung-bay/%lld", (long long)e->id), "title",
			      e->title, "kind", web_text(req, arena_sprintf(req->arena, "exh_kind_%s", e->kind)),
			      "opens", day(req, e->opens_on), "closes", day(req, e->closes_on),
			      "venue", venue_of(req, e));
	add_picture(req, db, c, "cover", e->cover_media_id);
	return c;
}

int portal_exhibitions(http_req *req, http_res *res)
{
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	json_t *ctx = page_context(req, web_text(req, "exh_title"), NULL);
	if (ctx == NULL)
		return 500;
	static const struct {
		const char *key;
		const char *title;
		enum exhibition_when when;
	} groups[] = {{"current", "exh_current", EXHIBITION_CURRENT},
		      {"upcoming", "exh_upcoming", EXHIBITION_UPCOMING},
		      {"past", "exh_past", EXHIBITION_PAST}};
	json_t *sections = json_array();
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		exhibition *rows;
		size_t n;
		if (exhibition_list(db, req->arena, groups[g].when, true, &rows, &n) != 0) {
			json_decref(sections);
			json_decref(ctx);
			return 500;
		}
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, card(req, db, &rows[i]));
		json_array_append_new(sections, json_pack("{s:s, s:s, s:o, s:b}", "id", groups[g].key,
							  "title", web_text(req, groups[g].title),
							  "items", list, "empty", n == 0));
	}
	json_object_set_new(ctx, "sections", sections);
	json_object_set_new(ctx, "nav_exhibitions", json_true());
	json_object_set_new(ctx, "canonical", json_string(site_url(req, "/trung-bay")));
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "exhibitions", ctx);
}

/* The schema.org ExhibitionEvent of an exhibition page. */
static const char *exhibition_ld(http_req *req, const exhibition *e, const char *url,
				 json_t *images)
{
	const app_t *app = req->app;
	bool online = e->location_id == 0 && e->venue[0] == '\0';
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "@context",
			       "https://schema.org", "@type", "ExhibitionEvent", "name", e->title,
			       "url", url, "startDate", e->opens_on, "eventAttendanceMode",
			       online ? "https://schema.org/OnlineEventAttendanceMode"
				      : "https://schema.org/OfflineEventAttendanceMode",
			       "eventStatus", "https://schema.org/EventScheduled", "organizer",
			       "@type", "Organization", "name", app->cfg.site_name, "url",
			       site_url(req, "/"));
	if (ld == NULL)
		return NULL;
	if (e->closes_on[0] != '\0')
		json_object_set_new(ld, "endDate", json_string(e->closes_on));
	if (e->description[0] != '\0')
		json_object_set_new(ld, "description", json_string(e->description));
	if (online)
		json_object_set_new(ld, "location", json_pack("{s:s, s:s}", "@type", "VirtualLocation",
							      "url", url));
	else if (e->hall[0] != '\0')
		json_object_set_new(ld, "location",
				    json_pack("{s:s, s:s, s:s}", "@type", "Place", "name", e->hall,
					      "address", app->cfg.site_name));
	else
		json_object_set_new(ld, "location",
				    json_pack("{s:s, s:s, s:{s:s, s:s, s:s}}", "@type", "Place", "name",
					      e->venue, "address", "@type", "PostalAddress",
					      "addressRegion", e->province, "addressCountry", "VN"));
	if (json_array_size(images) > 0)
		json_object_set(ld, "image", images);
	return web_jsonld(req, ld);
}

int portal_exhibition(http_req *req, http_res *res)
{
	long long id;
	int started;
	db_t *db = record_start(req, res, &id, &started);
	if (db == NULL)
		return started;
	exhibition e;
	int rc = exhibition_get(db, req->arena, id, &e);
	if (rc != 0 || !e.is_public)
		return rc < 0 ? 500 : 404;
	exhibition_object *objs;
	exhibition_photo *photos;
	size_t nobj, nphoto;
	if (exhibition_object_list(db, req->arena, id, true, &objs, &nobj) != 0 ||
	    exhibition_photo_list(db, req->arena, id, &photos, &nphoto) != 0)
		return 500;
	json_t *ctx = page_context(req, e.title, NULL);
	if (ctx == NULL)
		return 500;
	bool en = web_lang(req) == LANG_EN;
	json_t *objects = json_array(), *pics = json_array(), *images = json_array();
	for (size_t i = 0; i < nobj; i++) {
		const char *label = en && objs[i].label_en[0] ? objs[i].label_en : objs[i].label_vi;
		json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "url",
				      arena_sprintf(req->arena, "/hien-vat/%lld",
						    (long long)objs[i].object_id),
				      "number", objs[i].number, "name", objs[i].name, "label",
				      paragraphs(label));
		add_picture(req, db, o, "picture", objs[i].lead_media_id);
		json_array_append_new(objects, o);
	}
	for (size_t i = 0; i < nphoto; i++) {
		json_t *pic = picture(req, db, photos[i].media_id);
		if (pic == NULL)
			continue;
		json_array_append_new(images, json_string(site_url(req, json_string_value(
									   json_object_get(pic, "url")))));
		json_object_set_new(pic, "caption", json_string(photos[i].caption));
		json_array_append_new(pics, pic);
	}
	const char *path = arena_sprintf(req->arena, "/trung-bay/%lld", id);
	json_t *x = card(req, db, &e);
	json_object_set_new(x, "curators", json_string(e.curators));
	json_object_set_new(x, "description", paragraphs(e.description));
	json_object_set_new(x, "objects", objects);
	json_object_set_new(x, "has_objects", json_boolean(nobj > 0));
	json_object_set_new(x, "photos", pics);
	const char *ld = exhibition_ld(req, &e, site_url(req, path), images);
	json_decref(images);
	return render_record(req, res, ctx, "exhibition", x, ld, path);
}

/* ---- publications ------------------------------------------------------------------ */

static json_t *book(http_req *req, db_t *db, const publication *p)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "url",
			      arena_sprintf(req->arena, "/an-pham/%lld", (long long)p->id), "title",
			      p->title, "authors", p->authors, "year", (json_int_t)p->year,
			      "publisher", p->publisher, "isbn", p->isbn);
	if (p->pages > 0)
		json_object_set_new(b, "pages", json_integer(p->pages));
	add_picture(req, db, b, "cover", p->cover_media_id);
	return b;
}

int portal_publications(http_req *req, http_res *res)
{
	publication *rows;
	size_t n;
	int status;
	db_t *db = page_start(req, res, &status);
	if (db == NULL || publication_list(db, req->arena, true, &rows, &n) != 0)
		return db == NULL ? status : 500;
	json_t *ctx = page_context(req, web_text(req, "pub_title"), NULL);
	if (ctx == NULL)
		return 500;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, book(req, db, &rows[i]));
	json_object_set_new(ctx, "items", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "nav_publications", json_true());
	json_object_set_new(ctx, "canonical", json_string(site_url(req, "/an-pham")));
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "publications", ctx);
}

/* The schema.org Book of a publication page: authors as written, parted
 * by commas. */
static const char *book_ld(http_req *req, const publication *p, const char *url, json_t *b)
{
	const app_t *app = req->app;
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "@context", "https://schema.org",
			       "@type", "Book", "name", p->title, "url", url, "datePublished",
			       arena_sprintf(req->arena, "%lld", (long long)p->year), "inLanguage",
			       "vi");
	if (ld == NULL)
		return NULL;
	json_t *authors = json_array();
	for (const char *s = p->authors; *s != '\0';) {
		size_t len = strcspn(s, ",;");
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len > 0)
			json_array_append_new(authors, json_pack("{s:s, s:s%}", "@type", "Person",
								 "name", s, len));
		s += len;
		s += strspn(s, " ,;");
	}
	json_object_set_new(ld, "author", authors);
	json_object_set_new(ld, "publisher",
			    json_pack("{s:s, s:s}", "@type", "Organization", "name",
				      p->publisher[0] ? p->publisher : app->cfg.site_name));
	if (p->isbn[0] != '\0')
		json_object_set_new(ld, "isbn", json_string(p->isbn));
	if (p->pages > 0)
		json_object_set_new(ld, "numberOfPages", json_integer(p->pages));
	if (p->description[0] != '\0')
		json_object_set_new(ld, "description", json_string(p->description));
	json_t *cover = json_object_get(b, "cover");
	if (cover != NULL)
		json_object_set_new(ld, "image", json_string(site_url(req, json_string_value(
									  json_object_get(cover, "url")))));
	return web_jsonld(req, ld);
}

int portal_publication(http_req *req, http_res *res)
{
	publication p;
	long long id;
	int status;
	db_t *db = record_start(req, res, &id, &status);
	int rc = db == NULL ? 2 : publication_get(db, req->arena, id, &p);
	if (rc == 2)
		return status;
	if (rc != 0 || !p.is_public)
		return rc < 0 ? 500 : 404;
	json_t *ctx = page_context(req, p.title, NULL);
	if (ctx == NULL)
		return 500;
	const char *path = arena_sprintf(req->arena, "/an-pham/%lld", id);
	json_t *b = book(req, db, &p);
	json_object_set_new(b, "description", paragraphs(p.description));
	media_item pdf;
	if (p.pdf_media_id > 0 && media_get_item(db, req->arena, p.pdf_media_id, &pdf) == 0)
		json_object_set_new(b, "pdf", json_string(arena_sprintf(req->arena, "/media/%s",
									pdf.m.file)));
	return render_record(req, res, ctx, "book", b, book_ld(req, &p, site_url(req, path), b), path);
}

/* ---- the search page's hits ------------------------------------------------------ */

/* The first sentence-sized piece of a description: what a hit shows. */
static const char *passage(http_req *req, const char *text)
{
	size_t len = strcspn(text, "\n");
	if (len <= 200)
		return arena_strndup(req->arena, text, len);
	while (len > 200 || (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80))
		len = len > 200 ? 200 : len - 1;
	return arena_sprintf(req->arena, "%.*s…", (int)len, text);
}

/* out cleared, with room for n hits. 0 or -1. */
static int hits_alloc(http_req *req, search_kind_result *out, size_t n, int64_t total)
{
	memset(out, 0, sizeof *out);
	out->total = total;
	out->total_is_lower_bound = total >= SEARCH_COUNT_MAX;
	out->n = n;
	out->items = n > 0 ? arena_calloc(req->arena, n, sizeof *out->items) : NULL;
	return n > 0 && out->items == NULL ? -1 : 0;
}

/* The thumbnail of a picture for a hit, or NULL. */
static const char *hit_thumb(http_req *req, db_t *db, int64_t media_id)
{
	json_t *pic = picture(req, db, media_id);
	const char *thumb = pic != NULL ? arena_strdup(req->arena, json_string_value(
								  json_object_get(pic, "thumb")))
					: NULL;
	json_decref(pic);
	return thumb;
}

int exhibition_search_hits(http_req *req, db_t *db, const search_query *q, int page,
			   size_t per_page, search_kind_result *out)
{
	exhibition *rows = NULL;
	size_t n = 0;
	int64_t total = 0, skip = (int64_t)(page - 1) * (int64_t)per_page;
	int rc = exhibition_search(db, req->arena, q->match_folded, skip, per_page, SEARCH_COUNT_MAX,
				   &rows, &n, &total);
	if (rc != 0 || hits_alloc(req, out, n, total) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const exhibition *e = &rows[i];
		const char *kind = web_text(req, arena_sprintf(req->arena, "exh_kind_%s", e->kind));
		out->items[i] = (search_kind_hit){
		    .title = e->title,
		    .url = arena_sprintf(req->arena, "/trung-bay/%lld", (long long)e->id),
		    .meta = arena_sprintf(req->arena, "%s · %s%s%s · %s", kind, day(req, e->opens_on),
					  e->closes_on[0] ? " – " : "", day(req, e->closes_on),
					  venue_of(req, e)),
		    .text = passage(req, e->description),
		    .thumb = hit_thumb(req, db, e->cover_media_id)};
	}
	return 0;
}

int publication_search_hits(http_req *req, db_t *db, const search_query *q, int page,
			    size_t per_page, search_kind_result *out)
{
	int64_t total = 0;
	size_t n = 0;
	publication *rows = NULL;
	if (publication_search(db, req->arena, q->match_folded, (int64_t)(page - 1) * (int64_t)per_page,
			       per_page, SEARCH_COUNT_MAX, &rows, &n, &total) != 0)
		return -1;
	if (hits_alloc(req, out, n, total) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const publication *p = &rows[i];
		out->items[i] = (search_kind_hit){
		    .title = p->title,
		    .url = arena_sprintf(req->arena, "/an-pham/%lld", (long long)p->id),
		    .meta = arena_sprintf(req->arena, "%s%s%s, %lld", p->authors,
					  p->authors[0] ? " · " : "", p->publisher, (long long)p->year),
		    .text = passage(req, p->description),
		    .thumb = hit_thumb(req, db, p->cover_media_id)};
	}
	return 0;
}
