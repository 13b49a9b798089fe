/*
 * labels_page.c - QR exhibit labels ("nhãn hiện vật", issue 13) at
 * /admin/so-dang-ky/nhan: the curator chooses objects, by the register
 * list's filters (q, trang-thai, chat-lieu: the same fields and words) or by
 * ticking some, and gets an A4 sheet of labels to print, eight to a page:
 * the object's name as written, its registration number, material and
 * dating (interface words in Vietnamese and English), a short description,
 * and a QR code (render/qr.h, libqrencode, inline SVG) of its public page
 * /hien-vat/ID on the site's configured address.
 *
 * Only objects that are registered and public get a label: an intake
 * object has no number to show, and the QR code of a private object would
 * open a 404. The others are listed on screen as skipped, with the reason.
 * Printing changes nothing, so nothing is audited. Roles as the register's
 * other writing pages: admins and curators (admin_private.h).
 */
#include <string.h>

#include "admin/admin_private.h"
#include "admin/register_shared.h"
#include "core/arena.h"
#include "core/buf.h"
#include "model/object.h"
#include "render/qr.h"
#include "web/web.h"

#define PATH_LABELS ADMIN_PATH_REGISTER "/nhan"
#define FIELDS "admin_label_field_"
#define LABELS_MAX 96          /* labels on one sheet (12 pages of 8) */
#define DESCRIPTION_MAX 180    /* bytes of the description on a label */
#define QR_MM 24

/* The objects the request names: ticked (chon=ID, repeated) or, with
 * in=tat-ca, every one the filters match, at most LABELS_MAX. 0, a
 * reg_problem in f (the field at fault), or -1. */
static int chosen(http_req *req, db_t *db, const object_filter *flt, bool all, int64_t **ids,
		  size_t *n, model_problem *f)
{
	*n = 0;
	*ids = arena_calloc(req->arena, req->nquery + LABELS_MAX + 1, sizeof **ids);
	if (*ids == NULL)
		return -1;
	if (all) {
		/* Only the public ones: the others would all be skipped. */
		object_filter public_only = *flt;
		public_only.public_only = true;
		flt = &public_only;
		object_row *rows;
		size_t nrows;
		bool more;
		int rc = object_list(db, req->arena, flt, 0, LABELS_MAX, &rows, &nrows, &more, f);
		for (size_t i = 0; rc == 0 && i < nrows; i++)
			(*ids)[(*n)++] = rows[i].id;
		return rc != 0 ? rc : nrows == 0 ? reg_refuse(f, REG_NOT_FOUND, "objects") : 0;
	}
	for (size_t i = 0; i < req->nquery; i++) {
		if (strcmp(req->query[i].name, "chon") != 0)
			continue;
		int64_t id;
		if (web_parse_id(req->query[i].value, &id) != 0)
			return reg_refuse(f, REG_NOT_FOUND, "objects");
		if (*n >= LABELS_MAX)
			return reg_refuse(f, REG_OUT_OF_RANGE, "objects");
		(*ids)[(*n)++] = id;
	}
	return *n == 0 ? reg_refuse(f, REG_REQUIRED, "objects") : 0;
}

/* The first sentences of text up to DESCRIPTION_MAX bytes, cut at a space
 * (never inside a UTF-8 character) with "…". */
static const char *shorten(http_req *req, const char *text)
{
	size_t len = strlen(text);
	if (len <= DESCRIPTION_MAX)
		return text;
	size_t cut = DESCRIPTION_MAX;
	while (cut > 0 && text[cut] != ' ')
		cut--;
	if (cut == 0)
		for (cut = DESCRIPTION_MAX; cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
			;
	return arena_sprintf(req->arena, "%.*s…", (int)cut, text);
}

/* One label of a registered, public object: {name, number, material,
 * dating, description, qr (SVG), url}; NULL when out of memory. */
static json_t *label(http_req *req, db_t *db, const object_card *c)
{
	const app_t *app = req->app;
	const char *url = arena_sprintf(req->arena, "%s/hien-vat/%lld", app->cfg.base_url,
					(long long)c->id);
	buf_t svg = BUF_INIT;
	const char *material = object_material_name(db, req->arena, c->material_code);
	json_t *o = NULL;
	if (url != NULL && qr_svg(&svg, url, c->name, QR_MM) == 0)
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s%, s:s}", "name", c->name, "number",
			      c->reg_number, "material", material != NULL ? material : c->material_code,
			      "dating", c->dating, "description", shorten(req, c->description), "qr",
			      svg.data, svg.len, "url", url);
	buf_free(&svg);
	return o;
}

/* Why an object gets no label (catalog key), or NULL when it gets one. */
static const char *skip_reason(const object_card *c)
{
	if (c->reg_number[0] == '\0')
		return strcmp(c->status, "returned") == 0 ? "admin_label_skip_returned"
							 : "admin_label_skip_intake";
	return c->public_ ? NULL : "admin_label_skip_private";
}

/* The sheet of labels for ids, with the skipped ones listed on screen. */
static int sheet(http_req *req, http_res *res, const admin_user *me, db_t *db, const int64_t *ids,
		 size_t n)
{
	json_t *ctx = admin_print_context(req, me, "admin_label_title", PATH_LABELS, false);
	json_t *labels = json_array(), *skipped = json_array();
	if (ctx == NULL || labels == NULL || skipped == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		object_card c;
		int rc = object_get(db, req->arena, ids[i], &c);
		if (rc == 1) {
			json_array_append_new(
			    skipped, json_pack("{s:s, s:s, s:s}", "number",
					       arena_sprintf(req->arena, "%lld", (long long)ids[i]),
					       "name", "", "reason",
					       web_text(req, "admin_label_skip_missing")));
			continue;
		}
		if (rc != 0)
			goto fail;
		const char *why = skip_reason(&c);
		json_t *one = why != NULL ? json_pack("{s:s, s:s, s:s}", "number",
						      c.reg_number[0] ? c.reg_number : c.intake_no,
						      "name", c.name, "reason", web_text(req, why))
					  : label(req, db, &c);
		if (one == NULL)
			goto fail;
		json_array_append_new(why != NULL ? skipped : labels, one);
	}
	json_object_set_new(ctx, "count", json_string(admin_print_int(req, (int64_t)json_array_size(labels))));
	json_object_set_new(ctx, "has_labels", json_boolean(json_array_size(labels) > 0));
	json_object_set_new(ctx, "labels", labels);
	json_object_set_new(ctx, "has_skipped", json_boolean(json_array_size(skipped) > 0));
	json_object_set_new(ctx, "skipped", skipped);
	return admin_render(req, res, 200, "admin/print_labels", ctx);
fail:
	json_decref(ctx);
	json_decref(labels);
	json_decref(skipped);
	return admin_error(req, res, me, 500, NULL);
}

/* The chooser: the filters, the objects they match with a tick each (the
 * ones ticked kept), the two ways to print; status 400 with message when a
 * request was refused. */
static int chooser(http_req *req, http_res *res, const admin_user *me, db_t *db,
		   const object_filter *flt, int status, const char *message)
{
	static const char *const statuses[] = {"intake", "main", "reference", "returned", NULL};
	object_row *rows = NULL;
	size_t n = 0;
	bool more = false;
	model_problem why = {0};
	int rc = object_list(db, req->arena, flt, 0, LABELS_MAX, &rows, &n, &more, &why);
	if (rc > 0) {
		/* A filter the list refuses (an unknown material): say which, and
		 * list nothing. */
		status = 400;
		message = admin_reg_problem(req, FIELDS, &why);
		n = 0;
	} else if (rc != 0) {
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *ctx = admin_context(req, me, "admin_label_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		bool ticked = false;
		for (size_t k = 0; k < req->nquery && !ticked; k++)
			ticked = strcmp(req->query[k].name, "chon") == 0 &&
				 strcmp(req->query[k].value,
					arena_sprintf(req->arena, "%lld", (long long)rows[i].id)) == 0;
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)rows[i].id,
				    "number", rows[i].reg_number[0] ? rows[i].reg_number : rows[i].intake_no,
				    "name", rows[i].name, "status",
				    admin_reg_word(req, "admin_reg_status_", rows[i].status), "ticked",
				    ticked));
	}
	json_t *materials = admin_reg_materials(req, db, flt->material_code);
	json_object_set_new(ctx, "materials", materials != NULL ? materials : json_array());
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "more", json_boolean(more));
	json_object_set_new(ctx, "max", json_string(admin_print_int(req, LABELS_MAX)));
	json_object_set_new(ctx, "q", json_string(flt->query != NULL ? flt->query : ""));
	json_object_set_new(ctx, "statuses", admin_reg_choices(req, "admin_reg_status_", statuses,
								flt->status));
	if (message != NULL)
		json_object_set_new(ctx, "error", json_string(message));
	return admin_render(req, res, status, "admin/register_labels", ctx);
}

static int labels_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	object_filter flt;
	admin_reg_list_filter(req, &flt);
	const char *print = http_query(req, "in");
	if (print == NULL || print[0] == '\0')
		return chooser(req, res, me, db, &flt, 200, NULL);
	model_problem f = {0};
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = strcmp(print, "chon") == 0 || strcmp(print, "tat-ca") == 0
		     ? chosen(req, db, &flt, strcmp(print, "tat-ca") == 0, &ids, &n, &f)
		     : reg_refuse(&f, REG_BAD_CHOICE, "print");
	if (rc > 0)
		return chooser(req, res, me, db, &flt, 400, admin_reg_problem(req, FIELDS, &f));
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	return sheet(req, res, me, db, ids, n);
}

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LABELS, NULL, ADMIN_REGISTER_KEEPERS}, labels_page},
};

const admin_page_table admin_labels_table = {pages, sizeof pages / sizeof pages[0]};
