/*
 * register_page.c - the museum's register in the back office at
 * /admin/so-dang-ky: the list (search that ignores marks, a status filter,
 * keyset pages), the object card with its register history and moves, and
 * the intake form that enters an object into the intake book together with
 * its acquisition and source.
 *
 * Curators keep the register (intake); the Scientific Council reads it;
 * admins do everything; other roles get 403 (admin_private.h). Every change is written to the audit log. Models decide and answer with
 * a problem code and the field; this file turns both into catalog text.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin_private.h"
#include "admin/card_form.h"
#include "admin/register_shared.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/acquisition.h"
#include "model/donor.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"
#include "model/register_log.h"
#include "web/web.h"

#define PATH_INTAKE REGISTER_PATH_INTAKE
#define PATH_CARD REGISTER_PATH_CARD
#define QUERY_MAX 200

/* ---- the list ----------------------------------------------------------------- */

static int register_list(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	const char *before_s = http_query(req, "truoc");
	int64_t before = 0;
	if (before_s != NULL && before_s[0] != '\0' && web_parse_id(before_s, &before) != 0)
		return admin_error(req, res, me, 400, NULL);
	static const char *const statuses[] = {"intake", "main", "reference", "returned", NULL};
	object_filter flt;
	admin_reg_list_filter(req, &flt);
	object_row *rows;
	size_t n;
	bool more;
	model_problem why;
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	int rc = object_list(db, req->arena, &flt, before, 50, &rows, &n, &more, &why);
	if (rc > 0)
		return admin_error(req, res, me, 400, NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_reg_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array(), *filters = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "url",
				    arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld",
						  (long long)rows[i].id),
				    "number", rows[i].reg_number[0] ? rows[i].reg_number : rows[i].intake_no,
				    "name", rows[i].name, "status", admin_reg_word(req, "admin_reg_status_", rows[i].status),
				    "material", rows[i].material_code));
	for (size_t i = 0; statuses[i] != NULL; i++)
		json_array_append_new(filters, json_pack("{s:s, s:s, s:b}", "value", statuses[i],
							 "label", admin_reg_word(req, "admin_reg_status_", statuses[i]),
							 "selected", flt.status != NULL && strcmp(flt.status, statuses[i]) == 0));
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "statuses", filters);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "q", json_string(flt.query != NULL ? flt.query : ""));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		json_object_set_new(ctx, "intake_url", json_string(PATH_INTAKE));
	json_object_set_new(ctx, "is_admin", json_boolean(admin_may(me->role, 0)));
	if (more && n > 0) {
		buf_t next = BUF_INIT;
		buf_printf(&next, ADMIN_PATH_REGISTER "?truoc=%lld", (long long)rows[n - 1].id);
		if (flt.status != NULL)
			buf_printf(&next, "&trang-thai=%s", flt.status);
		if (!next.failed)
			json_object_set_new(ctx, "next_url", json_stringn(next.data, next.len));
		buf_free(&next);
		if (flt.query != NULL)   /* a search is one page: the words would need escaping */
			json_object_del(ctx, "next_url");
	}
	const char *ok = http_query(req, "ok");
	if (ok != NULL && strcmp(ok, "nhap") == 0)
		json_object_set_new(ctx, "notice", json_string(web_text(req, "admin_reg_added")));
	return admin_render(req, res, 200, "admin/register_list", ctx);
}

/* ---- the card ------------------------------------------------------------------ */

static int register_card(http_req *req, http_res *res, const admin_user *me)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	object_card c;
	acquisition q;
	donor d;
	status = admin_reg_card_load(req, db, id, &c, &q, &d);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	register_entry *entries;
	size_t nentries;
	json_t *moved = NULL, *related = NULL;
	object_photo *photos;
	size_t nphotos;
	if (register_history(db, req->arena, id, &entries, &nentries) != 0 ||
	    (moved = admin_reg_moves(req, db, id)) == NULL ||
	    object_photo_list(db, req->arena, id, true, &photos, &nphotos) != 0 ||
	    (related = admin_reg_related_groups(req, db, id)) == NULL) {
		json_decref(related);
		return admin_fail(req, res, me, 500, moved);
	}
	json_t *ctx = admin_context(req, me, "admin_reg_card_title");
	if (ctx == NULL) {
		json_decref(related);
		return admin_fail(req, res, me, 500, moved);
	}
	json_t *history = json_array();
	for (size_t i = 0; i < nentries; i++)
		json_array_append_new(history,
				      json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id",
						(json_int_t)entries[i].id, "who", entries[i].who, "why",
						entries[i].why, "number", entries[i].reg_number,
						"correction", strcmp(entries[i].kind, "correct") == 0,
						"hash", entries[i].hash));
	json_object_set_new(ctx, "name", json_string(c.name));
	json_object_set_new(ctx, "photos", admin_reg_photos(req, photos, nphotos));
	json_object_set_new(ctx, "has_photos", json_boolean(nphotos > 0));
	json_object_set_new(ctx, "styles", json_pack("[s]", REGISTER_PHOTOS_CSS));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		admin_reg_set_url(req, ctx, "photos_url", ADMIN_PATH_REGISTER, id, "/anh");
	json_object_set_new(ctx, "fields", admin_reg_card_fields(req, db, &c, &q, &d));
	json_object_set_new(ctx, "related", related);
	json_object_set_new(ctx, "history", history);
	json_object_set_new(ctx, "moves", moved);
	json_object_set_new(ctx, "has_history", json_boolean(nentries > 0));
	json_object_set_new(ctx, "has_moves", json_boolean(json_array_size(moved) > 0));
	json_object_set_new(ctx, "back_url", json_string(ADMIN_PATH_REGISTER));
	admin_reg_set_url(req, ctx, "acquisition_url", REGISTER_PATH_ACQUISITIONS, c.acquisition_id, "");
	if (q.donor_id > 0)
		admin_reg_set_url(req, ctx, "donor_url", REGISTER_PATH_DONORS, q.donor_id, "");
	admin_reg_set_url(req, ctx, "move_url", ADMIN_PATH_REGISTER, id, "/di-chuyen");
	admin_reg_set_url(req, ctx, "print_url", ADMIN_PATH_REGISTER, id, "/in");
	admin_reg_set_url(req, ctx, "care_url", ADMIN_PATH_REGISTER, id, "/tinh-trang");
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		admin_reg_set_url(req, ctx, "edit_url", ADMIN_PATH_REGISTER, id, "/sua");
	if (c.reg_number[0] != '\0' && admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		admin_reg_set_url(req, ctx, "correct_url", ADMIN_PATH_REGISTER, id, "/dinh-chinh");
	const char *ok = http_query(req, "ok");
	if (ok != NULL && (strcmp(ok, "dinh-chinh") == 0 || strcmp(ok, "sua") == 0))
		json_object_set_new(ctx, "notice", json_string(web_text(
					  req, ok[0] == 's' ? "admin_edit_done" : "admin_corr_done")));
	return admin_render(req, res, 200, "admin/register_card", ctx);
}

/* ---- intake ------------------------------------------------------------------- */

/* What the intake form asks besides the card (admin_card_fields): the new
 * acquisition and its source, unless the object joins one already recorded
 * (the card's "acquisition_id"). */
enum { A_MODE, A_ON, A_DONOR, A_HANDOVER, A_COUNT };
static const char *const acquisition_fields[A_COUNT + 1] = {"mode", "acquired_on", "donor",
							    "handover_no", NULL};

static int intake_page(http_req *req, http_res *res, const admin_user *me, int status,
		       const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_reg_intake_title") : NULL;
	if (values == NULL)
		values = json_pack("{s:s}", "pieces", "1");
	if (ctx == NULL || admin_card_choices(req, db, ctx, values, true) != 0) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "modes",
			    admin_reg_choices(req, "admin_reg_mode_", acquisition_modes,
					      json_string_value(json_object_get(values, "mode"))));
	/* Into an acquisition already recorded (?dot=ID from its page): the
	 * form shows which, and asks nothing about it. */
	const char *into_s = json_string_value(json_object_get(values, "acquisition_id"));
	int64_t into = 0;
	acquisition q;
	const char *back = ADMIN_PATH_REGISTER;
	if (into_s != NULL && admin_reg_optional_id(into_s, &into) && into > 0 &&
	    acquisition_get(db, req->arena, into, &q) == 0) {
		donor d = {.name = ""};
		if (q.donor_id > 0 && donor_get(db, req->arena, q.donor_id, &d) != 0)
			d.name = "";
		back = arena_sprintf(req->arena, REGISTER_PATH_ACQUISITIONS "/%lld", (long long)into);
		json_object_set_new(ctx, "into",
				    json_pack("{s:s, s:s, s:s, s:s, s:s}", "url", back, "on",
					      admin_reg_day(req, q.acquired_on), "mode",
					      admin_reg_word(req, "admin_reg_mode_", q.mode), "number",
					      q.handover_no, "donor", d.name));
	}
	return admin_reg_form_render(req, res, me, ctx, status, PATH_INTAKE, NULL, back, message,
				    values, "admin/register_intake");
}

static int intake_form(http_req *req, http_res *res, const admin_user *me)
{
	const char *into = http_query(req, "dot");
	int64_t id;
	if (into == NULL)
		return intake_page(req, res, me, 200, NULL, NULL);
	db_t *db = db_get();
	int status = !admin_reg_optional_id(into, &id) || id == 0 ? 404
		     : db == NULL				 ? 500
		     : admin_get_status(reg_exists(db, "SELECT 1 FROM acquisitions WHERE id = ?", id) == 1
						? 0
						: 1);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	return intake_page(req, res, me, 200, NULL,
			   json_pack("{s:s, s:s}", "acquisition_id", into, "pieces", "1"));
}

/* Reads and checks the whole form into c, q (its date into day) and *into
 * (an acquisition already recorded): 0, or a reg_problem in *f. */
static int intake_read(http_req *req, json_t *values, const char **v, const char **w,
		       object_card *c, acquisition *q, char day[11], bool *into, model_problem *f)
{
	if (!admin_reg_read_fields(req, admin_card_fields, OBJECT_DESCRIPTION_MAX, v, values, f) ||
	    !admin_reg_read_fields(req, acquisition_fields, OBJECT_DESCRIPTION_MAX, w, values, f))
		return f->code;
	int rc = admin_card_read_entry(v, c, f);
	if (rc == 0)
		rc = admin_card_read_other(v, c, f);
	c->kind = v[CARD_KIND];
	q->mode = w[A_MODE];
	q->handover_no = w[A_HANDOVER];
	*into = v[CARD_ACQUISITION][0] != '\0';
	if (rc == 0 && *into &&
	    (!admin_reg_optional_id(v[CARD_ACQUISITION], &c->acquisition_id) || c->acquisition_id == 0))
		rc = reg_refuse(f, REG_NOT_FOUND, "acquisition_id");
	else if (rc == 0 && !*into && w[A_ON][0] == '\0')
		rc = reg_refuse(f, REG_REQUIRED, "acquired_on");
	else if (rc == 0 && !*into && !reg_date_parse(w[A_ON], day))
		rc = reg_refuse(f, REG_BAD_DATE, "acquired_on");
	if (rc == 0)
		rc = object_check(c, f);
	if (rc == 0 && !*into)
		rc = acquisition_check(q, f);
	if (rc == 0 && !*into)
		rc = reg_check_text(f, "donor", w[A_DONOR], DONOR_NAME_MAX, false, false);
	return rc;
}

/* Checks the whole form, then writes source, acquisition, object and its
 * related entity in one unit of writing: a refusal anywhere leaves nothing
 * behind. */
static int intake_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	const char *v[CARD_COUNT + 1] = {0}, *w[A_COUNT + 1] = {0};
	char day[11] = "";
	object_card c = {.acquisition_id = 1};
	acquisition q = {.acquired_on = day};
	model_problem f = {0};
	bool into = false;
	int rc = intake_read(req, values, v, w, &c, &q, day, &into, &f);
	if (rc > 0)
		return intake_page(req, res, me, 400, admin_reg_problem(req, "admin_reg_field_", &f), values);
	db_t *db = db_get();
	int nested, removed = 0, added = 0;
	if (db == NULL || db_write_begin(db, &nested) != 0) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	int64_t id = 0;
	if (w[A_DONOR][0] != '\0' && !into) {
		rc = donor_find(db, w[A_DONOR], &q.donor_id);
		if (rc == 1) {
			donor d = {.name = w[A_DONOR]};
			rc = donor_add(db, &d, &q.donor_id, &f);
		}
	}
	if (rc == 0 && !into)
		rc = acquisition_add(db, &q, &c.acquisition_id, &f);
	if (rc == 0)
		rc = object_intake(db, &c, &id, &f);
	if (rc == 0)
		rc = admin_card_related(req, db, id, v, &removed, &added, &f);
	if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
		rc = -1;
	if (rc > 0)
		return intake_page(req, res, me, 400, admin_reg_problem(req, "admin_reg_field_", &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_OBJECT_INTAKE,
		  arena_sprintf(req->arena, "%lld %.150s", (long long)id, c.name),
		  into ? arena_sprintf(req->arena, "acquisition %lld; related +%d",
				       (long long)c.acquisition_id, added)
		       : arena_sprintf(req->arena, "%s %s; related +%d", q.mode, q.acquired_on, added));
	return http_redirect(res, 303, into ? arena_sprintf(req->arena, REGISTER_PATH_ACQUISITIONS
									   "/%lld?ok=nhap",
								(long long)c.acquisition_id)
					    : ADMIN_PATH_REGISTER "?ok=nhap");
}

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_REGISTER, NULL, ADMIN_REGISTER_READERS}, register_list},
	{{HTTP_GET, PATH_INTAKE, NULL, ADMIN_REGISTER_KEEPERS}, intake_form},
	{{HTTP_POST, PATH_INTAKE, NULL, ADMIN_REGISTER_KEEPERS}, intake_submit},
	{{HTTP_GET, PATH_CARD, NULL, ADMIN_REGISTER_READERS}, register_card},
};

const admin_page_table admin_register_table = {pages, sizeof pages / sizeof pages[0]};
