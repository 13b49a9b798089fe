/*
 * inventory_page.c - inventory campaigns ("kiểm kê") in the back office:
 * /admin/kiem-ke lists them and opens one (name, day, the part of the
 * storage tree it walks); /admin/kiem-ke/ID walks the objects there,
 * marking each found, missing, damaged or misplaced (with where it was
 * seen), then closes the campaign; the report of differences stays on the
 * campaign's page (and its print, print_page.c).
 *
 * Curators (and admins) run campaigns; the council reads them. Refusals
 * come back on the page naming the field; every change is audited.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/inventory.h"
#include "model/location.h"

#define PATH_START ADMIN_PATH_INVENTORY "/them"
#define PATH_CAMPAIGN ADMIN_PATH_INVENTORY "/:id"
#define PATH_MARK ADMIN_PATH_INVENTORY "/:id/danh-dau"
#define PATH_CLOSE ADMIN_PATH_INVENTORY "/:id/ket-thuc"
#define LABELS "admin_inv_field_"

static const char *today_text(http_req *req)
{
	char today[11];
	reg_today(today);
	return admin_reg_day(req, today);
}

/* A form's day into day[11], refusing on field. 0 or a reg_problem. */
static int read_day(model_problem *f, const char *field, const char *typed, char day[11])
{
	if (typed == NULL || typed[0] == '\0')
		return reg_refuse(f, REG_REQUIRED, field);
	return reg_date_parse(typed, day) ? 0 : reg_refuse(f, REG_BAD_DATE, field);
}

static const char *place_text(http_req *req, db_t *db, int64_t id)
{
	const char *p = id > 0 ? location_path(db, req->arena, id) : NULL;
	return p != NULL ? p : "";
}

/* ---- the list -------------------------------------------------------------------- */

static int list_page(http_req *req, http_res *res, const admin_user *me, int status,
		     const char *message, json_t *values)
{
	db_t *db = db_get();
	inventory_campaign *items;
	size_t n;
	json_t *ctx = NULL, *places = NULL;
	if (values == NULL)
		values = json_pack("{s:s}", "started_on", today_text(req));
	if (db == NULL || inventory_list(db, req->arena, &items, &n) != 0 ||
	    (places = admin_reg_places(req, db, 0)) == NULL ||
	    (ctx = admin_context(req, me, "admin_inv_title")) == NULL) {
		json_decref(values);
		json_decref(places);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "url",
				    arena_sprintf(req->arena, ADMIN_PATH_INVENTORY "/%lld",
						  (long long)items[i].id),
				    "name", items[i].name, "started_on", admin_reg_day(req, items[i].started_on),
				    "closed_on", admin_reg_day(req, items[i].closed_on), "root",
				    items[i].root_location_id > 0
					? place_text(req, db, items[i].root_location_id)
					: web_text(req, "admin_inv_everywhere"),
				    "marked", (json_int_t)items[i].marked));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "places", places);
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "start_url", json_string(PATH_START));
	json_object_set_new(ctx, "csrf", json_string(admin_csrf_token(req, me, PATH_START)));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, "admin/inventory_list", ctx);
}

static int inventory_index(http_req *req, http_res *res, const admin_user *me)
{
	return list_page(req, res, me, 200, NULL, NULL);
}

static int inventory_start_submit(http_req *req, http_res *res, const admin_user *me)
{
	const char *name = admin_field(req, "name", 400), *on = admin_field(req, "started_on", 40);
	const char *root_s = admin_field(req, "root_location_id", 40);
	json_t *values = json_pack("{s:s, s:s, s:s}", "name", name != NULL ? name : "", "started_on",
				   on != NULL ? on : "", "root_location_id",
				   root_s != NULL ? root_s : "");
	model_problem f = {0};
	char day[11] = "";
	int64_t root = 0, id = 0;
	int rc = 0;
	if (name == NULL)
		rc = reg_refuse(&f, REG_TOO_LONG, "name");
	else if (on == NULL)
		rc = reg_refuse(&f, REG_TOO_LONG, "started_on");
	else if (root_s == NULL || (root_s[0] != '\0' && web_parse_id(root_s, &root) != 0))
		rc = reg_refuse(&f, REG_NOT_FOUND, "root_location_id");
	if (rc == 0)
		rc = read_day(&f, "started_on", on, day);
	db_t *db = db_get();
	if (rc == 0)
		rc = db != NULL ? inventory_start(db, name, day, root, &id, &f) : -1;
	if (rc > 0)
		return list_page(req, res, me, 400, admin_reg_problem(req, LABELS, &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_INVENTORY_CHANGE,
			arena_sprintf(req->arena, "%lld %.150s", (long long)id, name), "start");
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_INVENTORY "/%lld", (long long)id));
}

/* ---- one campaign ---------------------------------------------------------------- */

static json_t *object_rows(http_req *req, db_t *db, const inventory_difference *rows, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
				    (json_int_t)rows[i].object_id, "number", rows[i].number, "name",
				    rows[i].name, "state_code", rows[i].state, "state",
				    admin_reg_word(req, "admin_inv_state_", rows[i].state), "expected",
				    place_text(req, db, rows[i].expected_location), "seen",
				    place_text(req, db, rows[i].seen_location), "marked",
				    strcmp(rows[i].state, "unmarked") != 0));
	return list;
}

static int campaign_page(http_req *req, http_res *res, const admin_user *me, int64_t id,
			 int status, const char *message)
{
	db_t *db = db_get();
	inventory_campaign c;
	inventory_difference *sheet, *diff;
	size_t nsheet = 0, ndiff = 0;
	int64_t checked;
	int rc = db != NULL ? inventory_get(db, req->arena, id, &c) : -1;
	if (rc == 0 && (inventory_sheet(db, req->arena, id, &sheet, &nsheet, &checked) != 0 ||
			inventory_report(db, req->arena, id, &diff, &ndiff, &checked) != 0))
		rc = -1;
	json_t *places = rc == 0 ? admin_reg_places(req, db, 0) : NULL;
	json_t *ctx = places != NULL ? admin_context(req, me, "admin_inv_campaign_title") : NULL;
	if (ctx == NULL) {
		json_decref(places);
		return admin_error(req, res, me, rc == 1 ? 404 : 500, NULL);
	}
	bool open = c.closed_on[0] == '\0';
	json_object_set_new(ctx, "name", json_string(c.name));
	json_object_set_new(ctx, "started_on", json_string(admin_reg_day(req, c.started_on)));
	json_object_set_new(ctx, "closed_on", json_string(admin_reg_day(req, c.closed_on)));
	json_object_set_new(ctx, "root", json_string(c.root_location_id > 0
							  ? place_text(req, db, c.root_location_id)
							  : web_text(req, "admin_inv_everywhere")));
	json_object_set_new(ctx, "open", json_boolean(open));
	json_object_set_new(ctx, "objects", object_rows(req, db, sheet, nsheet));
	json_object_set_new(ctx, "differences", object_rows(req, db, diff, ndiff));
	json_object_set_new(ctx, "no_differences", json_boolean(ndiff == 0));
	json_object_set_new(ctx, "total", json_integer((json_int_t)nsheet));
	json_object_set_new(ctx, "checked", json_integer((json_int_t)checked));
	json_object_set_new(ctx, "places", places);
	json_object_set_new(ctx, "states",
			    admin_reg_choices(req, "admin_inv_state_", inventory_states, NULL));
	admin_reg_set_url(req, ctx, "mark_url", ADMIN_PATH_INVENTORY, id, "/danh-dau");
	admin_reg_set_url(req, ctx, "report_url", ADMIN_PATH_INVENTORY, id, "/bao-cao");
	admin_reg_set_url(req, ctx, "close_url", ADMIN_PATH_INVENTORY, id, "/ket-thuc");
	json_object_set_new(ctx, "mark_csrf", json_string(admin_csrf_token(req, me, PATH_MARK)));
	json_object_set_new(ctx, "close_csrf", json_string(admin_csrf_token(req, me, PATH_CLOSE)));
	json_object_set_new(ctx, "today", json_string(today_text(req)));
	json_object_set_new(ctx, "back_url", json_string(ADMIN_PATH_INVENTORY));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, "admin/inventory_campaign", ctx);
}

static int campaign_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	(void)db;
	return campaign_page(req, res, me, id, 200, NULL);
}

/* The answer to a mark or a close: back to the page, or the page with the
 * refusal (404 when the campaign itself is not there). */
static int after_change(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
			int rc, const model_problem *f, const char *what)
{
	if (rc == REG_NOT_FOUND && f->field != NULL && strcmp(f->field, "campaign_id") == 0)
		return admin_error(req, res, me, 404, NULL);
	if (rc > 0)
		return campaign_page(req, res, me, id, 400, admin_reg_problem(req, LABELS, f));
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_INVENTORY_CHANGE,
			arena_sprintf(req->arena, "%lld", (long long)id), what);
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, ADMIN_PATH_INVENTORY "/%lld", (long long)id));
}

static int mark_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	const char *object_s = admin_field(req, "object_id", 40), *state = admin_field(req, "state", 40);
	const char *seen_s = admin_field(req, "seen_location_id", 40);
	const char *note = admin_field(req, "note", 2000);
	model_problem f = {0};
	int64_t object = 0, seen = 0;
	int rc = 0;
	if (object_s == NULL || web_parse_id(object_s, &object) != 0)
		rc = reg_refuse(&f, REG_NOT_FOUND, "object_id");
	else if (state == NULL)
		rc = reg_refuse(&f, REG_BAD_CHOICE, "state");
	else if (seen_s == NULL || (seen_s[0] != '\0' && web_parse_id(seen_s, &seen) != 0))
		rc = reg_refuse(&f, REG_NOT_FOUND, "seen_location_id");
	else if (note == NULL)
		rc = reg_refuse(&f, REG_TOO_LONG, "note");
	if (rc == 0)
		rc = inventory_mark(db, id, object, state, seen, admin_reg_who(me), note, &f);
	return after_change(req, res, me, id, db, rc, &f,
			    rc == 0 ? arena_sprintf(req->arena, "%lld %s", (long long)object, state)
				    : "");
}

static int close_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	model_problem f = {0};
	char day[11] = "";
	int rc = read_day(&f, "closed_on", admin_field(req, "closed_on", 40), day);
	if (rc == 0)
		rc = inventory_close(db, id, day, &f);
	return after_change(req, res, me, id, db, rc, &f, "close");
}

ADMIN_REG_ROW_PAGE(inventory_campaign_view, campaign_row)
ADMIN_REG_ROW_PAGE(inventory_mark_submit, mark_row)
ADMIN_REG_ROW_PAGE(inventory_close_submit, close_row)

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_INVENTORY, NULL, ADMIN_REGISTER_READERS}, inventory_index},
	{{HTTP_POST, PATH_START, NULL, ADMIN_REGISTER_KEEPERS}, inventory_start_submit},
	{{HTTP_GET, PATH_CAMPAIGN, NULL, ADMIN_REGISTER_READERS}, inventory_campaign_view},
	{{HTTP_POST, PATH_MARK, NULL, ADMIN_REGISTER_KEEPERS}, inventory_mark_submit},
	{{HTTP_POST, PATH_CLOSE, NULL, ADMIN_REGISTER_KEEPERS}, inventory_close_submit},
};

const admin_page_table admin_inventory_table = {pages, sizeof pages / sizeof pages[0]};
