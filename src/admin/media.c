/*
 * media.c - the media library at /admin/thu-vien (docs/MEDIA.md): a grid of
 * pictures with search, filters and pages; upload (a multipart form, or the
 * same form sent by static/js/admin/media.js with a progress bar, answered
 * in JSON); an item page to edit alt text and credit, see where the picture
 * is used and delete it when it is not.
 *
 * Authors, editors, curators and admins may upload and edit; deleting is
 * for editors and admins. Besides pictures the library takes PDF documents
 * (a publication's file): no variants, never shown inline, listed as "PDF". The type of a file comes from its bytes (model/media_format.c), the
 * resizing happens in the background (model/media_image.c): an upload is
 * answered at once and its page says "đang xử lý" until the variants exist.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin_private.h"
#include "admin/media_take.h"
#include "app.h"
#include "core/fmt.h"
#include "db/db.h"
#include "model/article.h"
#include "model/media.h"
#include "model/media_image.h"
#include "web/web.h"

#define PATH_ITEM "/admin/thu-vien/:id"
#define PATH_EDIT "/admin/thu-vien/:id/sua"
#define PATH_DELETE "/admin/thu-vien/:id/xoa"

#define PAGE_SIZE 24
#define STYLE "/static/css/admin/media.css"
#define SCRIPT "/static/js/admin/media.js"

/* ------------------------------------------------------------ helpers */

static void assets(json_t *ctx)
{
	json_object_set_new(ctx, "styles", json_pack("[s]", STYLE));
	json_object_set_new(ctx, "scripts", json_pack("[s]", SCRIPT));
}

/* "1,2 MB" / "35 kB" in the page's language. */
static const char *size_text(http_req *req, int64_t bytes)
{
	char num[32];
	if (bytes >= 1024 * 1024) {
		fmt_decimal1(num, sizeof num, (double)bytes / (1024.0 * 1024.0), web_lang(req));
		return arena_sprintf(req->arena, "%s MB", num);
	}
	fmt_int(num, sizeof num, (bytes + 1023) / 1024, web_lang(req));
	return arena_sprintf(req->arena, "%s kB", num);
}

static const char *dims_text(http_req *req, int w, int h)
{
	if (w == 0 && h == 0)
		return "—"; /* a document (PDF): no pixels */
	char a[32], b[32];
	fmt_int(a, sizeof a, w, web_lang(req));
	fmt_int(b, sizeof b, h, web_lang(req));
	return arena_sprintf(req->arena, "%s × %s", a, b);
}

static const char *type_label(const char *mime)
{
	if (strcmp(mime, "image/jpeg") == 0)
		return "JPEG";
	if (strcmp(mime, "image/png") == 0)
		return "PNG";
	if (strcmp(mime, "image/webp") == 0)
		return "WebP";
	if (strcmp(mime, "image/gif") == 0)
		return "GIF";
	if (media_is_document(mime))
		return "PDF";
	return "?";
}

static const char *state_key(int state)
{
	return state == MEDIA_PROCESSING ? "admin_media_processing"
	       : state == MEDIA_FAILED	 ? "admin_media_failed"
					 : NULL;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "2026-11-27" (an <input type="date">) as the Unix time of that day's
 * start in site time; 0 when empty or malformed. */
static int64_t parse_day(const char *s, int utc_offset)
{
	unsigned y, m, d;
	char tail;
	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return days_from_civil(y, m, d) * 86400 - utc_offset;
}

/* A query field, or "" when absent or longer than max. */
static const char *query(http_req *req, const char *name, size_t max)
{
	const char *v = http_query(req, name);
	return v != NULL && strlen(v) <= max ? v : "";
}

static bool may_delete(const admin_user *me)
{
	return me->role == USER_ADMIN || me->role == USER_EDITOR;
}

static void audit(http_req *req, const admin_user *me, const char *action, const char *target,
		  const char *details)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db_get(), admin_now(), &actor, action, target, details);
}

/* True when the client asked for JSON (the script's uploads). */
static bool wants_json(http_req *req)
{
	const char *accept = http_header(req, "Accept");
	return accept != NULL && strstr(accept, "application/json") != NULL;
}

static int json_reply(http_res *res, int status, json_t *obj)
{
	char *text = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (text == NULL)
		return http_json(res, 500, "{}", 2);
	http_json(res, status, text, strlen(text));
	free(text);
	return status;
}

/* ------------------------------------------------------------ library */

/*
 * The library page: the upload form (with form, what was typed, when an
 * upload was refused), the filters, the grid. message_key/detail: the
 * refusal. Consumes form.
 */

/* The reason a picture failed, in the reader's language: the job keeps a
 * catalog key (MEDIA_IMAGE_ERR_*); anything else (a job that failed before
 * keys were kept held libvips' text, with the server's paths) gets the
 * general message. */
static const char *failure_text(http_req *req, const char *error)
{
	if (error == NULL || error[0] == '\0')
		return "";
	if (strcmp(error, MEDIA_IMAGE_ERR_STORAGE) != 0 && strcmp(error, MEDIA_IMAGE_ERR_ATTEMPTS) != 0)
		error = MEDIA_IMAGE_ERR_PICTURE;
	return web_text(req, error);
}
static int library_page(http_req *req, http_res *res, const admin_user *me, int status,
			const char *message_key, const char *detail, json_t *form)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	media_filter flt = {0};
	flt.q = query(req, "q", MEDIA_SEARCH_MAX);
	flt.type = query(req, "loai", 8);
	const char *from = query(req, "tu", 10), *to = query(req, "den", 10);
	flt.from = parse_day(from, app->cfg.utc_offset);
	flt.to = parse_day(to, app->cfg.utc_offset);
	if (flt.to != 0)
		flt.to += 86400; /* up to the end of that day */
	media_cursor after;
	bool has_after = media_cursor_parse(http_query(req, "sau"), &after) == 0;
	media_item *items = NULL;
	size_t n = 0;
	bool more = false;
	if (db == NULL ||
	    media_list(db, req->arena, &flt, has_after ? &after : NULL, PAGE_SIZE, &items, &n,
		       &more) != 0)
		return admin_fail(req, res, me, 500, form);
	json_t *ctx = admin_context(req, me, "admin_media_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, form);
	assets(ctx);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const media_item *it = &items[i];
		char date[32];
		fmt_date(date, sizeof date, it->m.created_at, app->cfg.utc_offset);
		const char *sk = state_key(it->state);
		json_t *row = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:b}", "id",
		    (json_int_t)it->m.id, "url",
		    arena_sprintf(req->arena, ADMIN_PATH_MEDIA "/%lld", (long long)it->m.id), "thumb",
		    arena_sprintf(req->arena, "/media/%s", it->thumb), "alt", it->m.alt, "credit",
		    it->m.credit, "name", it->m.original_name, "size", size_text(req, it->m.bytes),
		    "dims", dims_text(req, it->m.width, it->m.height), "date", date, "ready",
		    it->state == MEDIA_READY, "state", sk != NULL ? web_text(req, sk) : NULL,
		    "document", media_is_document(it->m.mime));
		json_array_append_new(list, row);
	}
	json_object_set_new(ctx, "items", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (more && n > 0) {
		char cur[48];
		media_cursor c = {items[n - 1].m.created_at, items[n - 1].m.id};
		media_cursor_encode(&c, cur, sizeof cur);
		/* The filters travel with the next page's link (escaped). */
		char *q = NULL;
		json_t *tmp = json_pack("{s:s, s:s, s:s, s:s, s:s}", "q", flt.q, "loai", flt.type,
					"tu", from, "den", to, "sau", cur);
		const char *keys[] = {"q", "loai", "tu", "den", "sau"};
		buf_t b = BUF_INIT;
		buf_puts(&b, ADMIN_PATH_MEDIA "?");
		for (size_t k = 0; tmp != NULL && k < 5; k++) {
			const char *v = json_string_value(json_object_get(tmp, keys[k]));
			if (v == NULL || v[0] == '\0')
				continue;
			buf_printf(&b, "%s%s=", k > 0 && b.len > sizeof ADMIN_PATH_MEDIA ? "&" : "",
				   keys[k]);
			for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
				if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_')
					buf_putc(&b, (char)*p);
				else
					buf_printf(&b, "%%%02X", *p);
			}
		}
		json_decref(tmp);
		if (!b.failed)
			q = arena_strdup(req->arena, b.data);
		buf_free(&b);
		if (q != NULL)
			json_object_set_new(ctx, "next_url", json_string(q));
	}
	static const char *const types[] = {"jpg", "png", "webp", "gif", "pdf"};
	static const char *const type_labels[] = {"JPEG", "PNG", "WebP", "GIF", "PDF"};
	json_t *topts = json_array();
	for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
		json_array_append_new(topts, json_pack("{s:s, s:s, s:b}", "value", types[k], "label",
						       type_labels[k], "selected",
						       strcmp(flt.type, types[k]) == 0));
	json_object_set_new(ctx, "filter",
			    json_pack("{s:s, s:s, s:s, s:o, s:b}", "q", flt.q, "from", from, "to", to,
				      "types", topts, "active",
				      flt.q[0] != '\0' || flt.type[0] != '\0' || from[0] != '\0' ||
					  to[0] != '\0'));
	json_t *up = json_pack("{s:s, s:s?, s:i, s:i, s:i, s:s, s:s}", "action",
			       ADMIN_PATH_MEDIA_UPLOAD, "csrf",
			       admin_csrf_token(req, me, ADMIN_PATH_MEDIA_UPLOAD), "max_mb",
			       (int)(MEDIA_MAX_BYTES / (1024u * 1024u)), "alt_max", MEDIA_ALT_MAX,
			       "credit_max", MEDIA_CREDIT_MAX, "alt", "", "credit", "");
	admin_form(ctx, "upload", up, form);
	if (message_key != NULL)
		json_object_set_new(ctx, status < 400 ? "notice" : "message",
				    json_string(web_text(req, message_key)));
	if (detail != NULL)
		json_object_set_new(ctx, "detail", json_string(detail));
	return admin_render(req, res, status, "admin/media", ctx);
}

static int library(http_req *req, http_res *res, const admin_user *me)
{
	const char *ok = http_query(req, "ok");
	const char *key = ok != NULL && strcmp(ok, "xoa") == 0 ? "admin_media_deleted" : NULL;
	return library_page(req, res, me, 200, key, NULL, NULL);
}

/* ------------------------------------------------------------- upload */

/* Refuses an upload: JSON for the script, else the library page with what
 * was typed. */
static int refuse_upload(http_req *req, http_res *res, const admin_user *me, int status,
			 const char *key, const char *detail, const char *alt, const char *credit)
{
	if (wants_json(req))
		return json_reply(res, status,
				  json_pack("{s:s, s:s?, s:s}", "error", web_text(req, key),
					    "detail", detail, "reselect",
					    web_text(req, "admin_media_reselect")));
	json_t *form = json_pack("{s:s, s:s, s:b}", "alt", alt != NULL ? alt : "", "credit",
				 credit != NULL ? credit : "", "reselect", true);
	return library_page(req, res, me, status, key, detail, form);
}

static int upload(http_req *req, http_res *res, const admin_user *me)
{
	admin_media_upload up;
	admin_media_take(req, me, false, &up);
	if (up.status == 500)
		return admin_error(req, res, me, 500, NULL);
	if (up.status != 0)
		return refuse_upload(req, res, me, up.status, up.key, up.detail, up.alt, up.credit);
	const char *item = arena_sprintf(req->arena, ADMIN_PATH_MEDIA "/%lld", (long long)up.id);
	if (wants_json(req))
		return json_reply(res, 201,
				  json_pack("{s:I, s:s, s:s}", "id", (json_int_t)up.id, "url", item,
					    "state", "processing"));
	return http_redirect(res, 303, arena_sprintf(req->arena, "%s?ok=tai-len", item));
}

/* --------------------------------------------------------------- item */

/* The picture named by the route's :id: 0, or the status to answer. */
static int target(http_req *req, media_item *out)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	return status != 0 ? status : admin_get_status(media_get_item(db, req->arena, id, out));
}

/* The articles using a picture. Someone who may not open an article in the
 * back office (another author's draft, review or scheduled article) learns
 * only that some other article uses the picture, not its title. */
static json_t *uses_json(http_req *req, const admin_user *me, const media_use *u, size_t n)
{
	json_t *arr = json_array();
	int64_t now = admin_now();
	for (size_t i = 0; i < n; i++) {
		bool is_public = u[i].status == ARTICLE_PUBLISHED && u[i].published_at <= now;
		if (!is_public &&
		    !article_may(me->role, me->id, u[i].author_id, u[i].status, ARTICLE_VIEW)) {
			json_array_append_new(
			    arr, json_pack("{s:s}", "title", web_text(req, "admin_media_use_other")));
			continue;
		}
		/* Public articles link to their page; others to the editor. */
		const char *url =
		    is_public ? (u[i].slug[0] != '\0'
				     ? arena_sprintf(req->arena, "/%s/%s-%lld", u[i].category_slug,
						     u[i].slug, (long long)u[i].id)
				     : arena_sprintf(req->arena, "/%s/%lld", u[i].category_slug,
						     (long long)u[i].id))
			      : arena_sprintf(req->arena, ADMIN_PATH_ARTICLES "/%lld", (long long)u[i].id);
		json_array_append_new(arr, json_pack("{s:s, s:s?}", "title", u[i].title, "url", url));
	}
	return arr;
}

/* The item page; form: the edit form's values after a refusal (consumed). */
static int item_page(http_req *req, http_res *res, const admin_user *me, const media_item *it,
		     int status, const char *message_key, json_t *form, const media_use *blocked,
		     size_t nblocked)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	media_variant *v = NULL;
	size_t nv = 0;
	media_use *u = NULL;
	size_t nu = 0;
	if (db == NULL || media_variants(db, req->arena, it->m.id, &v, &nv) != 0 ||
	    media_usage(db, req->arena, it->m.id, &u, &nu) != 0)
		return admin_fail(req, res, me, 500, form);
	if (blocked != NULL) {
		u = (media_use *)blocked;
		nu = nblocked;
	}
	json_t *ctx = admin_context(req, me, "admin_media_item_title");
	if (ctx == NULL)
		return admin_fail(req, res, me, 500, form);
	assets(ctx);
	char date[32];
	fmt_date(date, sizeof date, it->m.created_at, app->cfg.utc_offset);
	/* The preview: the largest variant up to 800 pixels in the original's
	 * format, else the original (pictures stored before variants). */
	const char *preview = it->m.file;
	int pw = 0;
	json_t *vars = json_array();
	for (size_t i = 0; i < nv; i++) {
		if (strcmp(v[i].format, "webp") != 0 || strcmp(it->m.mime, "image/webp") == 0) {
			if (v[i].width <= 800 && v[i].width > pw) {
				preview = v[i].file;
				pw = v[i].width;
			}
		}
		json_array_append_new(
		    vars, json_pack("{s:s, s:s, s:s, s:s}", "url",
				    arena_sprintf(req->arena, "/media/%s", v[i].file), "dims",
				    dims_text(req, v[i].width, v[i].height), "format",
				    strcmp(v[i].format, "jpg") == 0	? "JPEG"
				    : strcmp(v[i].format, "png") == 0 ? "PNG"
								      : "WebP",
				    "size", size_text(req, v[i].bytes)));
	}
	const char *sk = state_key(it->state);
	const char *base = arena_sprintf(req->arena, ADMIN_PATH_MEDIA "/%lld", (long long)it->m.id);
	json_t *item = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s?, s:s, s:o, s:b}", "id",
	    (json_int_t)it->m.id, "preview", arena_sprintf(req->arena, "/media/%s", preview),
	    "original", arena_sprintf(req->arena, "/media/%s", it->m.file), "alt", it->m.alt,
	    "credit", it->m.credit, "name", it->m.original_name, "type", type_label(it->m.mime),
	    "size", size_text(req, it->m.bytes), "dims", dims_text(req, it->m.width, it->m.height),
	    "date", date, "ready", it->state == MEDIA_READY, "failed", it->state == MEDIA_FAILED,
	    "state", sk != NULL ? web_text(req, sk) : NULL, "error", failure_text(req, it->error),
	    "variants", vars, "document", media_is_document(it->m.mime));
	json_object_set_new(ctx, "item", item);
	json_t *edit = json_pack("{s:s, s:s?, s:s, s:s, s:i, s:i}", "action",
				 arena_sprintf(req->arena, "%s/sua", base), "csrf",
				 admin_csrf_token(req, me, PATH_EDIT), "alt", it->m.alt, "credit",
				 it->m.credit, "alt_max", MEDIA_ALT_MAX, "credit_max",
				 MEDIA_CREDIT_MAX);
	admin_form(ctx, "edit", edit, form);
	json_object_set_new(ctx, "uses", uses_json(req, me, u, nu));
	json_object_set_new(ctx, "in_use", json_boolean(nu > 0));
	if (may_delete(me))
		json_object_set_new(ctx, "delete",
				    json_pack("{s:s, s:s?}", "action",
					      arena_sprintf(req->arena, "%s/xoa", base), "csrf",
					      admin_csrf_token(req, me, PATH_DELETE)));
	if (message_key != NULL)
		json_object_set_new(ctx, status < 400 ? "notice" : "message",
				    json_string(web_text(req, message_key)));
	return admin_render(req, res, status, "admin/media_item", ctx);
}

static int item(http_req *req, http_res *res, const admin_user *me)
{
	media_item it;
	int status = target(req, &it);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	static const char *const notices[] = {
		"tai-len", "admin_media_uploaded", "sua", "admin_media_saved", NULL,
	};
	return item_page(req, res, me, &it, 200, admin_notice(req, notices), NULL, NULL, 0);
}

static int edit(http_req *req, http_res *res, const admin_user *me)
{
	media_item it;
	int status = target(req, &it);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const char *alt_raw = admin_field(req, "alt", MEDIA_ALT_MAX);
	const char *credit_raw = admin_field(req, "credit", MEDIA_CREDIT_MAX);
	const char *alt = admin_media_trimmed(req, alt_raw), *credit = admin_media_trimmed(req, credit_raw);
	json_t *form = json_pack("{s:s, s:s}", "alt", alt != NULL ? alt : "", "credit",
				 credit != NULL ? credit : "");
	const char *key = alt_raw == NULL	       ? "admin_media_alt_long"
			  : credit_raw == NULL	       ? "admin_media_credit_long"
			  : alt == NULL || alt[0] == '\0' ? "admin_media_alt_required"
			  : credit == NULL || credit[0] == '\0' ? "admin_media_credit_required"
								: NULL;
	if (key != NULL)
		return item_page(req, res, me, &it, 400, key, form, NULL, 0);
	int rc = media_update_text(db_get(), it.m.id, alt, credit);
	if (rc == 2)
		return item_page(req, res, me, &it, 400, "admin_media_text_bad", form, NULL, 0);
	json_decref(form);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_MEDIA "/%lld?ok=sua",
					   (long long)it.m.id));
}

static int delete(http_req *req, http_res *res, const admin_user *me)
{
	media_item it;
	/* The role first, so that a guessed id tells nothing. */
	if (!may_delete(me))
		return admin_error(req, res, me, 403, NULL);
	int status = target(req, &it);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const app_t *app = req->app;
	media gone;
	media_use *uses = NULL;
	size_t nuses = 0;
	int rc = media_delete(db_get(), req->arena, app->media_dir, it.m.id, &gone, &uses, &nuses);
	if (rc == 3)
		return item_page(req, res, me, &it, 409, "admin_media_in_use", NULL, uses, nuses);
	if (rc == 4)
		return item_page(req, res, me, &it, 409, "admin_media_in_register", NULL, NULL, 0);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	audit(req, me, AUDIT_MEDIA_DELETE, gone.file,
	      arena_sprintf(req->arena, "\"%s\"", gone.original_name));
	return http_redirect(res, 303, ADMIN_PATH_MEDIA "?ok=xoa");
}

/* ------------------------------------------------------------- routes */

/* Curators too: the publications they keep take their PDF (and cover)
 * from the library. */
#define MEDIA_USERS (USER_EDITOR | USER_AUTHOR | USER_CURATOR)

static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_MEDIA, NULL, MEDIA_USERS}, library},
	{{HTTP_POST, ADMIN_PATH_MEDIA_UPLOAD, NULL, MEDIA_USERS}, upload},
	{{HTTP_GET, PATH_ITEM, NULL, MEDIA_USERS}, item},
	{{HTTP_POST, PATH_EDIT, NULL, MEDIA_USERS}, edit},
	/* Deleting is for editors (and admins): authors get 403 for any id. */
	{{HTTP_POST, PATH_DELETE, NULL, USER_EDITOR}, delete},
};

const admin_page_table admin_media_table = {pages, sizeof pages / sizeof pages[0]};
