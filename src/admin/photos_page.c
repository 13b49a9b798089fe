/*
 * photos_page.c - the photos of an object card ("ảnh hiện vật") at
 * /admin/so-dang-ky/ID/anh: the chosen pictures in their order with the
 * lead ("ảnh đại diện") marked, and a picker over the media library (search
 * by name, thumbnails from the variants the library already makes) to add
 * several at once. Every change is a small POST form, so nothing needs a
 * script; taxonomy.js adds dragging to reorder (it posts the new order).
 *
 * A change of photos is not a register entry (docs/REGISTER.md: photos are
 * not part of the legal record), so no correction is appended; it is
 * written to the audit log. The list is read and written in one unit of
 * writing, so two curators changing it at once do not lose each other's
 * change. Curators (and admins); others as the other register pages.
 */
#include <stdlib.h>
#include <string.h>

#include "admin/media_take.h"
#include "admin/register_shared.h"
#include "admin/taxonomy.h"
#include "core/arena.h"
#include "core/buf.h"
#include "model/media.h"
#include "model/media_image.h"
#include "model/object.h"
#include "model/object_photo.h"

#define PATH_PHOTOS ADMIN_PATH_REGISTER "/:id/anh"
#define LABELS "admin_photo_field_"
#define PICKER_PAGE 24
#define MEDIA_CSS "/static/css/admin/media.css"

/* What the page shows besides the stored state: the library search, the
 * pictures ticked in the picker (kept when a change is refused) and the
 * line above the list. */
typedef struct {
	const char *q;
	const int64_t *ticked;
	size_t nticked;
	int status;
	const char *message;   /* a refusal (role="alert"), or NULL */
	json_t *upload;        /* what the upload form had typed (alt, credit), or NULL */
	const char *notice;    /* a done change (role="status"), or NULL */
} photos_view;

static bool is_picture(const char *mime)
{
	static const char *const pictures[] = {"image/jpeg", "image/png", "image/webp", "image/gif"};
	for (size_t i = 0; i < sizeof pictures / sizeof pictures[0]; i++)
		if (strcmp(mime, pictures[i]) == 0)
			return true;
	return false;
}

static bool holds(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The picker: a page of the library matching the search. */
static int picker_json(http_req *req, db_t *db, const photos_view *v, const object_photo *p,
		       size_t n, json_t *ctx)
{
	media_filter flt = {.q = v->q};
	media_cursor after;
	bool has_after = media_cursor_parse(http_query(req, "sau"), &after) == 0;
	media_item *items;
	size_t count;
	bool more;
	if (media_list(db, req->arena, &flt, has_after ? &after : NULL, PICKER_PAGE, &items, &count,
		       &more) != 0)
		return -1;
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++) {
		const media_item *it = &items[i];
		bool on_card = false;
		for (size_t k = 0; k < n; k++)
			on_card = on_card || p[k].media_id == it->m.id;
		if (!is_picture(it->m.mime) || it->state == MEDIA_FAILED)
			continue;
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)it->m.id,
				    "thumb", arena_sprintf(req->arena, "/media/%s", it->thumb), "label", admin_reg_photo_label(it),
				    "ready", it->state == MEDIA_READY, "on_card", on_card, "ticked",
				    holds(v->ticked, v->nticked, it->m.id)));
	}
	json_object_set_new(ctx, "library", list);
	json_object_set_new(ctx, "library_empty", json_boolean(json_array_size(list) == 0));
	if (more && count > 0) {
		char cur[48];
		media_cursor c = {items[count - 1].m.created_at, items[count - 1].m.id};
		media_cursor_encode(&c, cur, sizeof cur);
		json_object_set_new(ctx, "next_cursor", json_string(cur));
	}
	return 0;
}

static int photos_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		       const photos_view *v)
{
	object_card c;
	object_photo *p = NULL;
	size_t n = 0;
	json_t *ctx;
	int rc = admin_reg_object_context(req, me, db, id, "admin_photo_title", &c, &ctx);
	if (rc == 0 && (object_photo_list(db, req->arena, id, false, &p, &n) != 0 ||
			picker_json(req, db, v, p, n, ctx) != 0))
		rc = 500;
	if (rc != 0) {
		json_decref(ctx);
		json_decref(v->upload);
		return admin_error(req, res, me, rc, NULL);
	}
	const char *action =
	    arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld/anh", (long long)id);
	json_object_set_new(ctx, "photos", admin_reg_photos(req, p, n));
	json_object_set_new(ctx, "has_photos", json_boolean(n > 0));
	json_object_set_new(ctx, "sortable", json_boolean(n > 1));
	json_object_set_new(ctx, "count", json_integer((json_int_t)n));
	json_object_set_new(ctx, "max", json_integer(OBJECT_PHOTOS_MAX));
	json_object_set_new(ctx, "q", json_string(v->q));
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "csrf", json_string(admin_csrf_token(req, me, PATH_PHOTOS)));
	json_object_set_new(ctx, "upload_action", json_string(arena_sprintf(req->arena, "%s/tai-len",
									      action)));
	json_object_set_new(ctx, "upload_csrf",
			    json_string(admin_csrf_token(req, me, ADMIN_PATH_REGISTER_PHOTO_UPLOAD)));
	json_t *up = v->upload != NULL ? v->upload : json_pack("{s:s, s:s}", "alt", "", "credit", "");
	json_object_set_new(up, "max_mb", json_integer(MEDIA_MAX_BYTES / (1024u * 1024u)));
	json_object_set_new(up, "alt_max", json_integer(MEDIA_ALT_MAX));
	json_object_set_new(up, "credit_max", json_integer(MEDIA_CREDIT_MAX));
	json_object_set_new(ctx, "upload", up);
	json_object_set_new(ctx, "full", json_boolean(n >= OBJECT_PHOTOS_MAX));
	json_object_set_new(ctx, "styles", json_pack("[s, s, s]", TAXONOMY_CSS, MEDIA_CSS,
						     REGISTER_PHOTOS_CSS));
	json_object_set_new(ctx, "scripts", json_pack("[s]", TAXONOMY_JS));
	if (v->message != NULL)
		json_object_set_new(ctx, "message", json_string(v->message));
	if (v->notice != NULL)
		json_object_set_new(ctx, "notice", json_string(v->notice));
	return admin_render(req, res, v->status, "admin/register_photos", ctx);
}

static const char *search_text(const char *q)
{
	return q != NULL && strlen(q) <= MEDIA_SEARCH_MAX ? q : "";
}

static int form_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	static const char *const notices[] = {"luu", "admin_photo_saved", "tai-len",
					      "admin_photo_uploaded", NULL};
	const char *key = admin_notice(req, notices);
	photos_view v = {.q = search_text(http_query(req, "q")), .status = 200,
			 .notice = key != NULL ? web_text(req, key) : NULL};
	return photos_page(req, res, me, id, db, &v);
}

/* ---- the changes ------------------------------------------------------------- */

/* The photos as they will be: ids[0..n) with the lead at index lead (n:
 * none). Each change works on the list as stored, read in the same unit
 * of writing. */
typedef struct {
	int64_t *ids;
	size_t n, lead, cap;
} photo_list;

static int64_t parse_id(const char *s)
{
	int64_t id = 0;
	return s != NULL && strlen(s) <= 18 && web_parse_id(s, &id) == 0 ? id : 0;
}

static size_t index_of(const photo_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return i;
	return l->n;
}

/* The ticked pictures of the picker (every "media" field): REG_REQUIRED
 * when none, REG_NOT_FOUND when one is not an id. */
static int read_ticked(http_req *req, int64_t **out, size_t *n, model_problem *f)
{
	*n = 0;
	*out = arena_calloc(req->arena, req->nform + 1, sizeof **out);
	if (*out == NULL)
		return -1;
	for (size_t i = 0; i < req->nform; i++) {
		if (strcmp(req->form[i].name, "media") != 0)
			continue;
		int64_t id = parse_id(req->form[i].value);
		if (id == 0)
			return reg_refuse(f, REG_NOT_FOUND, "media_id");
		(*out)[(*n)++] = id;
	}
	return *n == 0 ? reg_refuse(f, REG_REQUIRED, "media_id") : 0;
}

/* "3,1,2" (the dragged order): the same pictures as now, each once. */
static int reorder(photo_list *l, const char *order, model_problem *f)
{
	int64_t *ids = l->n > 0 ? calloc(l->n, sizeof *ids) : NULL;
	size_t k = 0;
	int rc = 0;
	if (l->n > 0 && ids == NULL)
		return -1;
	const char *s = order;
	while (rc == 0 && s != NULL && *s != '\0') {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s || v <= 0 || (*end != ',' && *end != '\0') || k >= l->n ||
		    index_of(l, v) == l->n || holds(ids, k, v))
			rc = reg_refuse(f, REG_BAD_CHOICE, "order");
		else
			ids[k++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	if (rc == 0 && k != l->n)
		rc = reg_refuse(f, REG_BAD_CHOICE, "order");
	if (rc == 0) {
		int64_t lead = l->lead < l->n ? l->ids[l->lead] : 0;
		memcpy(l->ids, ids, k * sizeof *ids);
		l->lead = index_of(l, lead);
	}
	free(ids);
	return rc;
}

/* Applies the change the form asks for to l (stored order). 0, a
 * reg_problem on the field at fault, or -1. *what is the audit line. */
static int apply(http_req *req, photo_list *l, const char *action, int64_t *ticked,
		 size_t nticked, const char **what, model_problem *f)
{
	if (strcmp(action, "add") == 0) {
		int64_t *ids = arena_calloc(req->arena, l->n + nticked, sizeof *ids);
		if (ids == NULL)
			return -1;
		memcpy(ids, l->ids, l->n * sizeof *ids);
		memcpy(ids + l->n, ticked, nticked * sizeof *ids);
		size_t had = l->n;
		l->ids = ids;
		l->n += nticked;
		if (had == 0 || l->lead >= had)   /* the first photo leads until another is chosen */
			l->lead = 0;
		*what = "add";
		return 0;
	}
	if (strcmp(action, "order") == 0) {
		*what = "order";
		return reorder(l, admin_field(req, "order", ADMIN_FIELD_MAX * 2), f);
	}
	int64_t id = parse_id(http_form(req, "media"));
	size_t at = index_of(l, id);
	if (strcmp(action, "up") != 0 && strcmp(action, "down") != 0 &&
	    strcmp(action, "lead") != 0 && strcmp(action, "remove") != 0)
		return reg_refuse(f, REG_BAD_CHOICE, "action");
	if (at == l->n)
		return reg_refuse(f, REG_NOT_FOUND, "media_id");
	*what = action;
	if (strcmp(action, "lead") == 0) {
		l->lead = at;
	} else if (strcmp(action, "remove") == 0) {
		memmove(l->ids + at, l->ids + at + 1, (l->n - at - 1) * sizeof *l->ids);
		l->n--;
		/* The lead goes with its picture: the next one leads. */
		l->lead = l->lead == at ? 0 : l->lead > at ? l->lead - 1 : l->lead;
	} else {
		size_t to = action[0] == 'u' ? (at > 0 ? at - 1 : at) : (at + 1 < l->n ? at + 1 : at);
		int64_t tmp = l->ids[to];
		l->ids[to] = l->ids[at];
		l->ids[at] = tmp;
		l->lead = l->lead == at ? to : l->lead == to ? at : l->lead;
	}
	return 0;
}

static const char *ids_text(http_req *req, const photo_list *l)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%lld%s", i > 0 ? "," : "", (long long)l->ids[i],
			   i == l->lead ? "*" : "");
	const char *s = b.failed || b.data == NULL ? "" : arena_strdup(req->arena, b.data);
	buf_free(&b);
	return s;
}

static int submit_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	const char *action = admin_field(req, "action", 16);
	int64_t *ticked = NULL;
	size_t nticked = 0;
	model_problem f = {0};
	photo_list l = {0};
	const char *what = "";
	int rc = 0, nested;
	if (action == NULL || action[0] == '\0')
		rc = reg_refuse(&f, REG_BAD_CHOICE, "action");
	else if (strcmp(action, "add") == 0)
		rc = read_ticked(req, &ticked, &nticked, &f);
	if (rc == 0 && db_write_begin(db, &nested) != 0)
		return admin_error(req, res, me, 500, NULL);
	if (rc == 0) {
		rc = object_photo_ids(db, req->arena, id, &l.ids, &l.n, &l.lead);
		if (rc == 0)
			rc = apply(req, &l, action, ticked, nticked, &what, &f);
		if (rc == 0)
			rc = object_photos_set(db, id, l.ids, l.n, l.lead, &f);
		if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
			rc = -1;
	}
	if (rc == REG_NOT_FOUND && f.field != NULL && strcmp(f.field, "object_id") == 0)
		return admin_error(req, res, me, 404, NULL);
	if (rc > 0) {
		photos_view v = {.q = search_text(admin_field(req, "q", MEDIA_SEARCH_MAX)),
				 .ticked = ticked, .nticked = nticked, .status = 400,
				 .message = admin_reg_problem(req, LABELS, &f)};
		return photos_page(req, res, me, id, db, &v);
	}
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	/* A new photo gets its deep-zoom tiles from the picture worker. */
	const app_t *app = req->app;
	media_image_wake(app->media_dir);
	admin_reg_audit(req, me, db, AUDIT_OBJECT_PHOTOS,
			arena_sprintf(req->arena, "%lld", (long long)id),
			arena_sprintf(req->arena, "%s: %s", what, ids_text(req, &l)));
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld/anh?ok=luu",
					   (long long)id));
}

/*
 * A new picture for the card: taken into the media library by the library's
 * own upload path (admin_media_take: the same checks, limit and audit
 * line), then added to the card's photos in one unit of writing, as a
 * picker's "add" (the first photo leads). A card already holding
 * OBJECT_PHOTOS_MAX photos refuses before anything is stored.
 */
static int upload_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	photo_list l = {0};
	model_problem f = {0};
	admin_media_upload up = {.status = 0};
	const char *message = NULL;
	object_card c;
	int status = admin_get_status(object_get(db, req->arena, id, &c));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int nested, rc = object_photo_ids(db, req->arena, id, &l.ids, &l.n, &l.lead);
	if (rc == 0 && l.n >= OBJECT_PHOTOS_MAX)
		rc = reg_refuse(&f, REG_OUT_OF_RANGE, "photos");
	if (rc == 0 && admin_media_take(req, me, true, &up) != 0) {
		if (up.status == 500)
			return admin_error(req, res, me, 500, NULL);
		message = up.detail != NULL && up.detail[0] != '\0'
			      ? arena_sprintf(req->arena, "%s %s", web_text(req, up.key), up.detail)
			      : web_text(req, up.key);
	}
	const char *what = "";
	if (rc == 0 && message == NULL && db_write_begin(db, &nested) == 0) {
		rc = object_photo_ids(db, req->arena, id, &l.ids, &l.n, &l.lead);
		if (rc == 0)
			rc = apply(req, &l, "add", &up.id, 1, &what, &f);
		if (rc == 0)
			rc = object_photos_set(db, id, l.ids, l.n, l.lead, &f);
		if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
			rc = -1;
	} else if (rc == 0 && message == NULL) {
		rc = -1;
	}
	if (rc != 0 && message == NULL)
		admin_media_untake(req, me, &up);
	if (rc > 0 || message != NULL) {
		photos_view v = {.q = "", .status = up.status == 413 ? 413 : 400,
				 .message = message != NULL ? message : admin_reg_problem(req, LABELS, &f),
				 .upload = json_pack("{s:s, s:s}", "alt", up.alt != NULL ? up.alt : "",
						     "credit", up.credit != NULL ? up.credit : "")};
		return photos_page(req, res, me, id, db, &v);
	}
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_OBJECT_PHOTOS, arena_sprintf(req->arena, "%lld", (long long)id),
			arena_sprintf(req->arena, "upload: %s", ids_text(req, &l)));
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld/anh?ok=tai-len",
					   (long long)id));
}

ADMIN_REG_ROW_PAGE(photo_upload, upload_row)

/* One row for both methods: the page, and the change posted to it (the
 * CSRF token is checked for POST before this runs). */
static int photos(http_req *req, http_res *res, const admin_user *me)
{
	return admin_reg_on_row(req, res, me, req->method == HTTP_POST ? submit_row : form_row);
}

static const admin_page pages[] = {
	{{HTTP_GET | HTTP_POST, PATH_PHOTOS, NULL, ADMIN_REGISTER_KEEPERS}, photos},
	{{HTTP_POST, ADMIN_PATH_REGISTER_PHOTO_UPLOAD, NULL, ADMIN_REGISTER_KEEPERS}, photo_upload},
};

const admin_page_table admin_photos_table = {pages, sizeof pages / sizeof pages[0]};
