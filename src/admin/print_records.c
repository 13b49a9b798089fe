/*
 * print_records.c - the printed records of the register's work: the
 * minutes of a Scientific Council session ("Biên bản họp Hội đồng khoa
 * học": date, members, minutes, the decision on each object, signatures of
 * the chair and the secretary) at /admin/so-dang-ky/hoi-dong/ID/in, and the
 * report of an inventory campaign ("Báo cáo kiểm kê": area, period, counts
 * found / missing / damaged / misplaced, the differences, signatures) at
 * /admin/kiem-ke/ID/bao-cao. A4 portrait (print_page.c).
 *
 * Everyone who reads the register may print them (admin_private.h).
 */
#include <string.h>

#include "admin/admin_private.h"
#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/council.h"
#include "model/inventory.h"
#include "model/location.h"

#define PATH_COUNCIL_PRINT ADMIN_PATH_REGISTER "/hoi-dong/:id/in"
#define PATH_INVENTORY_REPORT ADMIN_PATH_INVENTORY "/:id/bao-cao"

/* ---- council minutes ------------------------------------------------------------ */

static int council_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	council_session s;
	int status = admin_get_status(council_session_get(db, req->arena, id, &s));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	council_decision *items;
	size_t n;
	json_t *ctx = NULL;
	if (council_decision_list(db, req->arena, id, &items, &n) != 0 ||
	    (ctx = admin_print_context(req, me, "admin_print_council_title",
				       arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/hoi-dong/%lld",
						     (long long)id),
				       false)) == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *decided = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    decided, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "stt",
				       admin_print_int(req, (int64_t)i + 1), "intake_no",
				       items[i].intake_no, "name", items[i].object_name, "decision",
				       admin_reg_word(req, "admin_reg_status_", items[i].decision),
				       "number", items[i].reg_number, "note", items[i].note));
	json_object_set_new(ctx, "held_on", json_string(admin_reg_day(req, s.held_on)));
	json_object_set_new(ctx, "members", json_string(s.members));
	json_object_set_new(ctx, "minutes", json_string(s.minutes));
	json_object_set_new(ctx, "decided", decided);
	json_object_set_new(ctx, "has_decided", json_boolean(n > 0));
	admin_print_sign(req, ctx, "admin_print_secretary", "");
	admin_print_sign(req, ctx, "admin_print_chair", "");
	return admin_render(req, res, 200, "admin/print_council", ctx);
}

static int council_print(http_req *req, http_res *res, const admin_user *me)
{
	return admin_reg_on_row(req, res, me, council_row);
}

/* ---- inventory report ----------------------------------------------------------- */

static const char *place_or(http_req *req, db_t *db, int64_t id, const char *none)
{
	const char *p = id > 0 ? location_path(db, req->arena, id) : NULL;
	return p != NULL ? p : none;
}

static int inventory_row(http_req *req, http_res *res, const admin_user *me, int64_t id,
			 db_t *db)
{
	inventory_campaign c;
	int status = admin_get_status(inventory_get(db, req->arena, id, &c));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	inventory_difference *sheet, *diff;
	size_t nsheet, ndiff;
	int64_t checked;
	json_t *ctx = NULL;
	if (inventory_sheet(db, req->arena, id, &sheet, &nsheet, &checked) != 0 ||
	    inventory_report(db, req->arena, id, &diff, &ndiff, &checked) != 0 ||
	    (ctx = admin_print_context(req, me, "admin_print_inventory_title",
				       arena_sprintf(req->arena, ADMIN_PATH_INVENTORY "/%lld",
						     (long long)id),
				       false)) == NULL)
		return admin_error(req, res, me, 500, NULL);
	/* The walk's objects by their mark; "unmarked" last. */
	static const char *const states[] = {"found", "missing", "damaged", "misplaced", "unmarked"};
	int64_t count[5] = {0};
	for (size_t i = 0; i < nsheet; i++)
		for (size_t k = 0; k < 5; k++)
			if (strcmp(sheet[i].state, states[k]) == 0)
				count[k]++;
	json_t *counts = json_array();
	json_array_append_new(counts, json_pack("{s:s, s:s}", "label",
						web_text(req, "admin_print_inventory_total"), "value",
						admin_print_int(req, (int64_t)nsheet)));
	for (size_t k = 0; k < 5; k++)
		json_array_append_new(
		    counts, json_pack("{s:s, s:s}", "label",
				      admin_reg_word(req, "admin_print_inventory_", states[k]), "value",
				      admin_print_int(req, count[k])));
	json_t *rows = json_array();
	for (size_t i = 0; i < ndiff; i++)
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "stt",
				    admin_print_int(req, (int64_t)i + 1), "number", diff[i].number,
				    "name", diff[i].name, "state",
				    admin_reg_word(req, "admin_inv_state_", diff[i].state), "expected",
				    place_or(req, db, diff[i].expected_location, ""), "seen",
				    place_or(req, db, diff[i].seen_location, "")));
	json_object_set_new(ctx, "name", json_string(c.name));
	json_object_set_new(ctx, "root", json_string(place_or(req, db, c.root_location_id,
							       web_text(req, "admin_inv_everywhere"))));
	json_object_set_new(ctx, "started_on", json_string(admin_reg_day(req, c.started_on)));
	json_object_set_new(ctx, "closed_on", json_string(admin_reg_day(req, c.closed_on)));
	json_object_set_new(ctx, "counts", counts);
	json_object_set_new(ctx, "differences", rows);
	json_object_set_new(ctx, "no_differences", json_boolean(ndiff == 0));
	admin_print_sign(req, ctx, "admin_print_keeper", "");
	admin_print_sign(req, ctx, "admin_print_head_of_team", "");
	admin_print_sign(req, ctx, "admin_print_director", "");
	return admin_render(req, res, 200, "admin/print_inventory", ctx);
}

static int inventory_print(http_req *req, http_res *res, const admin_user *me)
{
	return admin_reg_on_row(req, res, me, inventory_row);
}

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, PATH_COUNCIL_PRINT, NULL, ADMIN_REGISTER_READERS}, council_print},
	{{HTTP_GET, PATH_INVENTORY_REPORT, NULL, ADMIN_REGISTER_READERS}, inventory_print},
};

const admin_page_table admin_print_records_table = {pages, sizeof pages / sizeof pages[0]};
