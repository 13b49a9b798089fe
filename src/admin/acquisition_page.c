/*
 * acquisition_page.c - acquisitions ("Đợt thu nhận") at
 * /admin/so-dang-ky/thu-nhan: the list (search that ignores marks over the
 * hand-over number, source, giver and note; filters by mode and year; three
 * orders; keyset pages ?sau=ID), a new acquisition (the source chosen among
 * the sources or typed as a new one, created in the same unit of writing),
 * and one acquisition: its hand-over record, its objects, the way to add an
 * object to it (the intake form with ?dot=ID), the print of the hand-over
 * record, and the edit form.
 *
 * Curators (and admins) write; the council reads. Refusals come back as the
 * form with the field named and what was typed kept; every change goes to
 * the audit log. Once an object of the acquisition is registered, what it
 * holds is fixed and only empty fields and the note may be filled in
 * (acquisition_update; docs/REGISTER.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/acquisition.h"
#include "model/donor.h"
#include "model/object.h"

#define PATH_LIST REGISTER_PATH_ACQUISITIONS
#define PATH_NEW REGISTER_PATH_ACQUISITIONS "/them"
#define PATH_ONE REGISTER_PATH_ACQUISITIONS "/:id"
#define LABELS "admin_acq_field_"
#define PAGE_ROWS 50
#define DONOR_CHOICES_MAX 5000

/* The orders of the list as its URL names them (?sap-xep=). */
static const char *const sort_words[] = {"ngay-moi", "ngay-cu", "so-bien-ban", NULL};
static const char *const sort_keys[] = {"admin_acq_sort_newest", "admin_acq_sort_oldest",
					"admin_acq_sort_number"};
static const char *const form_fields[] = {"mode",     "acquired_on", "donor_id", "donor_name",
					  "donor_kind", "handover_no", "giver",    "receiver",
					  "value",    "note",        NULL};

static const char *acquisition_url(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)id);
}

/* ---- the list ----------------------------------------------------------------- */

static int acquisition_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	int64_t after = admin_reg_cursor(req);
	const char *q = http_query(req, "q"), *mode = http_query(req, "phuong-thuc");
	const char *year_s = http_query(req, "nam"), *sort_s = http_query(req, "sap-xep");
	acquisition_filter flt = {.query = q, .mode = mode != NULL && mode[0] ? mode : NULL};
	for (int i = 0; sort_s != NULL && sort_words[i] != NULL; i++)
		if (strcmp(sort_s, sort_words[i]) == 0)
			flt.sort = (enum acquisition_sort)i;
	char *end = NULL;
	long year = year_s != NULL && year_s[0] != '\0' ? strtol(year_s, &end, 10) : 0;
	if (after < 0 || (end != NULL && (*end != '\0' || year < 1000 || year > 9999)))
		return admin_error(req, res, me, 400, NULL);
	flt.year = (int)year;
	acquisition_row *rows = NULL;
	size_t n = 0;
	bool more = false;
	model_problem why = {0};
	int rc = db != NULL ? acquisition_list(db, req->arena, &flt, after, PAGE_ROWS, &rows, &n,
					       &more, &why)
			    : -1;
	json_t *ctx = rc >= 0 ? admin_context(req, me, "admin_acq_title") : NULL;
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array(), *sorts = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "url",
				    acquisition_url(req, rows[i].id), "on",
				    admin_reg_day(req, rows[i].acquired_on), "mode",
				    admin_reg_word(req, "admin_reg_mode_", rows[i].mode), "number",
				    rows[i].handover_no, "donor", rows[i].donor_name, "donor_url",
				    rows[i].donor_id > 0 ? arena_sprintf(req->arena, REGISTER_PATH_DONORS
									 "/%lld",
									 (long long)rows[i].donor_id)
							 : NULL,
				    "value", rows[i].value > 0 ? admin_reg_count(req, rows[i].value) : "",
				    "objects", admin_reg_count(req, rows[i].objects), "registered",
				    admin_reg_count(req, rows[i].registered)));
	for (size_t i = 0; sort_words[i] != NULL; i++)
		json_array_append_new(sorts, json_pack("{s:s, s:s, s:b}", "value", sort_words[i],
						       "label", web_text(req, sort_keys[i]), "selected",
						       (size_t)flt.sort == i));
	if (rc > 0)
		json_object_set_new(ctx, "message", json_string(admin_reg_problem(req, LABELS, &why)));
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "q", json_string(q != NULL ? q : ""));
	json_object_set_new(ctx, "year", json_string(year > 0 ? year_s : ""));
	json_object_set_new(ctx, "modes", admin_reg_choices(req, "admin_reg_mode_", acquisition_modes,
							    flt.mode));
	json_object_set_new(ctx, "sorts", sorts);
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		json_object_set_new(ctx, "new_url", json_string(PATH_NEW));
	if (more && n > 0) {
		const char *pairs[] = {"q", q, "phuong-thuc", flt.mode, "nam", year > 0 ? year_s : NULL,
				       "sap-xep", flt.sort != ACQUISITION_NEWEST ? sort_words[flt.sort] : NULL,
				       "sau", arena_sprintf(req->arena, "%lld", (long long)rows[n - 1].id),
				       NULL};
		json_object_set_new(ctx, "next_url", json_string(admin_reg_url(req, PATH_LIST, pairs)));
	}
	return admin_render(req, res, rc > 0 ? 400 : 200, "admin/acquisition_list", ctx);
}

/* ---- the form ------------------------------------------------------------------ */

/* [{value, label, selected}] of every source (by name), and the empty
 * choice first; NULL on a storage error. */
static json_t *donor_choices(http_req *req, db_t *db, int64_t selected)
{
	json_t *list = json_pack("[{s:s, s:s, s:b}]", "value", "", "label",
				 web_text(req, "admin_acq_donor_none"), "selected", selected == 0);
	int64_t after = 0;
	bool more = true;
	for (size_t total = 0; more && total < DONOR_CHOICES_MAX;) {
		donor_row *rows;
		size_t n;
		if (donor_list(db, req->arena, NULL, after, DONOR_PAGE_MAX, &rows, &n, &more, NULL) != 0) {
			json_decref(list);
			return NULL;
		}
		for (size_t i = 0; i < n; i++, total++)
			json_array_append_new(
			    list, json_pack("{s:s, s:s, s:b}", "value",
					    arena_sprintf(req->arena, "%lld", (long long)rows[i].id),
					    "label", rows[i].name, "selected", rows[i].id == selected));
		after = n > 0 ? rows[n - 1].id : after;
	}
	return list;
}

/* Fills the form's context (modes, sources, kinds of a new source) and
 * renders it with what was typed. */
static int form_page(http_req *req, http_res *res, const admin_user *me, db_t *db, json_t *ctx,
		     int status, const char *action, const char *pattern, const char *message,
		     json_t *values)
{
	static const char *const donor_kinds[] = {"person", "organisation", NULL};
	if (values == NULL)
		values = json_object();
	int64_t donor_id = 0;
	admin_reg_optional_id(json_string_value(json_object_get(values, "donor_id")) != NULL
				  ? json_string_value(json_object_get(values, "donor_id"))
				  : "",
			      &donor_id);
	json_t *donors = donor_choices(req, db, donor_id);
	if (donors == NULL) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "modes",
			    admin_reg_choices(req, "admin_reg_mode_", acquisition_modes,
					      json_string_value(json_object_get(values, "mode"))));
	json_object_set_new(ctx, "donors", donors);
	json_object_set_new(ctx, "donor_kinds",
			    admin_reg_choices(req, "admin_donor_kind_", donor_kinds,
					      json_string_value(json_object_get(values, "donor_kind"))));
	return admin_reg_form_render(req, res, me, ctx, status, action, pattern, PATH_LIST, message,
				    values, "admin/acquisition_form");
}

static int new_page(http_req *req, http_res *res, const admin_user *me, int status,
		    const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_acq_new_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	return form_page(req, res, me, db, ctx, status, PATH_NEW, NULL, message, values);
}

static int acquisition_new_form(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = admin_reg_form_defaults(req, me, "acquired_on", "receiver");
	const char *from = http_query(req, "nguon");
	json_object_set_new(values, "donor_id", json_string(from != NULL ? from : ""));
	return new_page(req, res, me, 200, NULL, values);
}

/*
 * Reads and checks the form into *q (day holds the date): 0 or a
 * reg_problem in *f. The handler's own checks come first: the date and the
 * value as typed, one source (chosen or new, not both), a value only for a
 * purchase (the model says it too; the page says why).
 */
static int read_form(http_req *req, const char **v, json_t *values, acquisition *q, char day[11],
		     model_problem *f)
{
	if (!admin_reg_read_fields(req, form_fields, ACQUISITION_NOTE_MAX, v, values, f))
		return REG_TOO_LONG;
	*q = (acquisition){.mode = v[0], .acquired_on = day, .handover_no = v[5], .giver = v[6],
			   .receiver = v[7], .note = v[9]};
	if (v[1][0] == '\0')
		return reg_refuse(f, REG_REQUIRED, "acquired_on");
	if (!reg_date_parse(v[1], day))
		return reg_refuse(f, REG_BAD_DATE, "acquired_on");
	if (!admin_reg_optional_id(v[2], &q->donor_id))
		return reg_refuse(f, REG_NOT_FOUND, "donor_id");
	if (q->donor_id > 0 && v[3][0] != '\0')
		return reg_refuse(f, REG_BAD_CHOICE, "donor_name");
	if (v[8][0] != '\0' && !reg_money_parse(v[8], &q->value))
		return reg_refuse(f, REG_BAD_NUMBER, "value");
	if (q->value > 0 && strcmp(q->mode, "mua") != 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "value");
	int rc = acquisition_check(q, f);
	return rc != 0 ? rc : acquisition_check_value(q, f);
}

/* A refusal in words: the generic ones, and those of this page. */
static const char *problem_text(http_req *req, const model_problem *f)
{
	const char *field = f->field != NULL ? f->field : "";
	if (f->code == REG_BAD_CHOICE && strcmp(field, "donor_name") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_BAD_CHOICE, "admin_acq_donor_both");
	if (f->code == REG_OUT_OF_RANGE && strcmp(field, "value") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE, "admin_acq_value_only_mua");
	if (f->code == REG_DUPLICATE && strcmp(field, "donor_name") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_DUPLICATE, "admin_acq_donor_exists");
	return admin_reg_problem_as(req, LABELS, f, REG_WRONG_STATE, "admin_acq_fixed");
}

static int acquisition_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	const char *v[12] = {0};
	char day[11] = "";
	acquisition q;
	model_problem f = {0};
	donor d = {.name = "", .kind = ""};
	int rc = read_form(req, v, values, &q, day, &f);
	if (rc == 0 && v[3][0] != '\0') {
		d = (donor){.name = v[3], .kind = v[4]};
		if ((rc = donor_check(&d, &f)) != 0)
			f.field = f.field != NULL && strcmp(f.field, "kind") == 0 ? "donor_kind"
										   : "donor_name";
	}
	if (rc > 0)
		return new_page(req, res, me, 400, problem_text(req, &f), values);
	db_t *db = db_get();
	int nested;
	if (db == NULL || db_write_begin(db, &nested) != 0) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	/* A new source whose name is already there (marks and case aside) is
	 * most often that source: the curator chooses it instead. */
	donor_row *same;
	size_t nsame = 0;
	if (d.name[0] != '\0')
		rc = donor_same_name(db, req->arena, d.name, 1, &same, &nsame);
	if (rc == 0 && nsame > 0)
		rc = reg_refuse(&f, REG_DUPLICATE, "donor_name");
	if (rc == 0 && d.name[0] != '\0')
		rc = donor_add(db, &d, &q.donor_id, &f);
	int64_t id = 0;
	if (rc == 0)
		rc = acquisition_add(db, &q, &id, &f);
	rc = reg_finish(db, nested, rc);
	if (rc > 0)
		return new_page(req, res, me, 400, problem_text(req, &f), values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_ACQUISITION_CHANGE,
			       arena_sprintf(req->arena, "%lld %s %s", (long long)id, q.mode, day),
			       "add", arena_sprintf(req->arena, PATH_LIST "/%lld?ok=them", (long long)id));
}

/* ---- one acquisition ----------------------------------------------------------- */

/*
 * {field: the text it shows} of the fields that are fixed: once an object
 * of the acquisition is registered, a field that holds something is part
 * of what a legal entry says and acquisition_update() refuses a change
 * (which stays the guard). The form shows those read-only, and values gets
 * their stored value even after a refused post, since nobody could type
 * into them.
 */
static json_t *fixed_fields(http_req *req, const acquisition *q, const donor *d, bool locked,
			    json_t *values)
{
	json_t *fixed = json_object();
	const char *donor_id = arena_sprintf(req->arena, "%lld", (long long)q->donor_id);
	const char *value = q->value > 0 ? admin_reg_count(req, q->value) : "";
	const char *day = admin_reg_day(req, q->acquired_on);
	const struct {
		const char *field, *stored, *text;
	} f[] = {
	    {"mode", q->mode, admin_reg_word(req, "admin_reg_mode_", q->mode)},
	    {"acquired_on", day, day},
	    {"donor_id", q->donor_id > 0 ? donor_id : "", d->name},
	    {"handover_no", q->handover_no, q->handover_no},
	    {"giver", q->giver, q->giver},
	    {"receiver", q->receiver, q->receiver},
	    {"value", value, value},
	};
	for (size_t i = 0; locked && i < sizeof f / sizeof f[0]; i++) {
		if (f[i].stored == NULL || f[i].stored[0] == '\0')
			continue;
		json_object_set_new(fixed, f[i].field, json_string(f[i].text));
		json_object_set_new(values, f[i].field, json_string(f[i].stored));
	}
	return fixed;
}

static int one_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		    int status, const char *message, json_t *values)
{
	acquisition q;
	donor d = {.name = ""};
	object_row *objects = NULL;
	size_t n = 0;
	bool more = false;
	model_problem why;
	object_filter flt = {.acquisition_id = id};
	int rc = admin_get_status(acquisition_get(db, req->arena, id, &q));
	if (rc == 0 && q.donor_id > 0)
		rc = admin_get_status(donor_get(db, req->arena, q.donor_id, &d));
	if (rc == 0 && object_list(db, req->arena, &flt, 0, OBJECT_PAGE_MAX, &objects, &n, &more,
				   &why) != 0)
		rc = 500;
	/* The counts and the lock over every object, not only the page listed. */
	int64_t total = 0, registered = 0;
	if (rc == 0 && acquisition_tally(db, id, &total, &registered) != 0)
		rc = 500;
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_acq_one_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	if (values == NULL)
		values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "mode", q.mode,
				   "acquired_on", admin_reg_day(req, q.acquired_on), "donor_id",
				   q.donor_id > 0 ? arena_sprintf(req->arena, "%lld",
								  (long long)q.donor_id)
						  : "",
				   "handover_no", q.handover_no, "giver", q.giver, "receiver",
				   q.receiver, "value", q.value > 0 ? admin_reg_count(req, q.value) : "",
				   "note", q.note);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s}", "url",
				    arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld",
						  (long long)objects[i].id),
				    "number", objects[i].reg_number[0] ? objects[i].reg_number
								       : objects[i].intake_no,
				    "name", objects[i].name, "status",
				    admin_reg_word(req, "admin_reg_status_", objects[i].status)));
	}
	json_t *record = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s}", "on",
	    admin_reg_day(req, q.acquired_on), "mode", admin_reg_word(req, "admin_reg_mode_", q.mode),
	    "number", q.handover_no, "giver", q.giver, "receiver", q.receiver, "value",
	    q.value > 0 ? admin_reg_count(req, q.value) : "", "donor", d.name, "donor_url",
	    q.donor_id > 0 ? arena_sprintf(req->arena, REGISTER_PATH_DONORS "/%lld",
					   (long long)q.donor_id)
			   : NULL,
	    "note", q.note);
	json_object_set_new(ctx, "record", record);
	json_object_set_new(ctx, "objects", list);
	json_object_set_new(ctx, "has_objects", json_boolean(n > 0));
	json_object_set_new(ctx, "object_count", json_string(admin_reg_count(req, total)));
	json_object_set_new(ctx, "more_objects", json_boolean(more));
	json_object_set_new(ctx, "registered_count", json_string(admin_reg_count(req, registered)));
	json_object_set_new(ctx, "locked", json_boolean(registered > 0));
	json_object_set_new(ctx, "fixed", fixed_fields(req, &q, &d, registered > 0, values));
	json_object_set_new(ctx, "print_url",
			    json_string(arena_sprintf(req->arena, PATH_LIST "/%lld/bien-ban",
						      (long long)id)));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS)) {
		json_object_set_new(ctx, "may_edit", json_true());
		json_object_set_new(ctx, "intake_url",
				    json_string(arena_sprintf(req->arena, REGISTER_PATH_INTAKE "?dot=%lld",
							      (long long)id)));
	}
	const char *const notices[] = {"them", "admin_acq_added", "luu", "admin_acq_saved",
				       "nhap", "admin_acq_object_added", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return form_page(req, res, me, db, ctx, status, acquisition_url(req, id), PATH_ONE, message,
			 values);
}

static int one_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return one_page(req, res, me, id, db, 200, NULL, NULL);
}

static int save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	json_t *values = json_object();
	const char *v[12] = {0};
	char day[11] = "";
	acquisition q;
	model_problem f = {0};
	int rc = read_form(req, v, values, &q, day, &f);
	q.id = id;
	if (rc == 0)
		rc = acquisition_update(db, &q, &f);
	if (rc == REG_NOT_FOUND && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return one_page(req, res, me, id, db, 400, problem_text(req, &f), values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_ACQUISITION_CHANGE,
			       arena_sprintf(req->arena, "%lld %s %s", (long long)id, q.mode, day),
			       "edit", arena_sprintf(req->arena, PATH_LIST "/%lld?ok=luu", (long long)id));
}

ADMIN_REG_ROW_PAGE(acquisition_one, one_row)
ADMIN_REG_ROW_PAGE(acquisition_save, save_row)

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LIST, NULL, ADMIN_REGISTER_READERS}, acquisition_list_page},
	{{HTTP_GET, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, acquisition_new_form},
	{{HTTP_POST, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, acquisition_add_submit},
	{{HTTP_GET, PATH_ONE, NULL, ADMIN_REGISTER_READERS}, acquisition_one},
	{{HTTP_POST, PATH_ONE, NULL, ADMIN_REGISTER_KEEPERS}, acquisition_save},
};

const admin_page_table admin_acquisition_table = {pages, sizeof pages / sizeof pages[0]};
