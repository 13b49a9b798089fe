/*
 * exhibition_page.c - the museum's exhibitions ("Trưng bày, triển lãm") at
 * /admin/trung-bay: the list (current, upcoming, past and all, with their
 * objects and visitors), a new exhibition, and one exhibition: its record
 * as the edit form, the objects it shows (chosen from the register by
 * number or name, each with its order and label in Vietnamese and
 * English), its photos from the media library and its visitor entries.
 *
 * Every change of one exhibition is a POST to its page with an `action`
 * (save, object, object_remove, photo, photo_remove, visit, visit_remove,
 * delete), so nothing needs a script. An object put in an open exhibition,
 * or taken out, moves on the register's card (model/exhibition.h).
 * Curators (and admins) write; the Scientific Council reads; editors and
 * authors never reach it (ADMIN_REGISTER_*). A refusal comes back as the
 * page with the field named and what was typed kept; every change goes to
 * the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/exhibition_shared.h"
#include "core/arena.h"
#include "model/exhibition.h"
#include "model/object.h"

#define PATH_LIST ADMIN_PATH_EXHIBITIONS
#define PATH_NEW ADMIN_PATH_EXHIBITIONS "/them"
#define PATH_ONE ADMIN_PATH_EXHIBITIONS "/:id"
#define LABELS "admin_exh_field_"
#define FOUND_MAX 20

static const char *const record_fields[] = {"title", "kind", "location_id", "venue", "province",
					    "opens_on", "closes_on", "curators", "description",
					    "public", NULL};
/* The fields of the small forms on one exhibition's page. */
static const char *const sub_fields[] = {"object_id", "position", "label_vi", "label_en",
					 "media_id", "caption", "counted_on", "visitors", "note",
					 "visit_id", NULL};

static const char *one_url(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)id);
}

static const char *target(http_req *req, int64_t id, const char *title)
{
	return arena_sprintf(req->arena, "%lld %.150s", (long long)id, title);
}

/* ---- the list --------------------------------------------------------------- */

static const struct {
	const char *word;     /* ?khi= */
	const char *key;
	enum exhibition_when when;
} whens[] = {
	{"", "exh_all", EXHIBITION_ALL},
	{"dang-mo", "exh_current", EXHIBITION_CURRENT},
	{"sap-mo", "exh_upcoming", EXHIBITION_UPCOMING},
	{"da-dong", "exh_past", EXHIBITION_PAST},
};

static int exhibition_list_page(http_req *req, http_res *res, const admin_user *me)
{
	const char *word = http_query(req, "khi");
	size_t pick = 0;
	for (size_t i = 0; word != NULL && i < sizeof whens / sizeof whens[0]; i++)
		if (strcmp(word, whens[i].word) == 0)
			pick = i;
	db_t *db = db_get();
	exhibition *rows;
	size_t n;
	if (db == NULL || exhibition_list(db, req->arena, whens[pick].when, false, &rows, &n) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_exh_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *tabs = json_array(), *list = json_array();
	for (size_t i = 0; i < sizeof whens / sizeof whens[0]; i++)
		json_array_append_new(
		    tabs, json_pack("{s:s, s:s, s:b}", "url",
				    whens[i].word[0] ? arena_sprintf(req->arena, PATH_LIST "?khi=%s",
								     whens[i].word)
						     : PATH_LIST,
				    "label", web_text(req, whens[i].key), "current", i == pick));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "url",
				    one_url(req, rows[i].id), "title", rows[i].title, "kind",
				    admin_reg_word(req, "exh_kind_", rows[i].kind), "dates",
				    admin_exh_dates(req, &rows[i]), "venue", admin_exh_venue(req, &rows[i]), "objects",
				    admin_reg_count(req, rows[i].objects), "visitors",
				    admin_reg_count(req, rows[i].visitors), "public",
				    rows[i].is_public != 0));
	json_object_set_new(ctx, "tabs", tabs);
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		json_object_set_new(ctx, "new_url", json_string(PATH_NEW));
	const char *const notices[] = {"xoa", "admin_exh_deleted", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return admin_render(req, res, 200, "admin/exhibition_list", ctx);
}

/* ---- the record's form --------------------------------------------------------- */

/* The form's choices around what values holds. */
static int record_form(http_req *req, db_t *db, json_t *ctx, json_t *values)
{
	const char *kind = json_string_value(json_object_get(values, "kind"));
	const char *hall = json_string_value(json_object_get(values, "location_id"));
	json_t *places = admin_reg_places(req, db, hall != NULL ? atoll(hall) : 0);
	if (places == NULL)
		return -1;
	json_object_set_new(ctx, "kinds", admin_reg_choices(req, "exh_kind_", exhibition_kinds, kind));
	json_object_set_new(ctx, "places", places);
	return 0;
}

/* Reads the record's form into *e (days in the buffers) and values; a
 * refusal in *f: too long, or a day that is not one. */
static int read_record(http_req *req, exhibition *e, char opens[11], char closes[11],
		       json_t *values, model_problem *f)
{
	const char *v[11] = {0};
	if (!admin_reg_read_fields(req, record_fields, EXHIBITION_DESCRIPTION_MAX, v, values, f))
		return REG_TOO_LONG;
	int64_t hall = 0;
	if (!admin_reg_optional_id(v[2], &hall))
		return reg_refuse(f, REG_NOT_FOUND, "location_id");
	if (!admin_exh_day(v[5], opens))
		return reg_refuse(f, REG_BAD_DATE, "opens_on");
	if (!admin_exh_day(v[6], closes))
		return reg_refuse(f, REG_BAD_DATE, "closes_on");
	*e = (exhibition){.title = v[0], .kind = v[1], .location_id = hall, .venue = v[3],
			  .province = v[4], .opens_on = opens, .closes_on = closes,
			  .curators = v[7], .description = v[8],
			  .is_public = strcmp(v[9], "1") == 0};
	return 0;
}

/* A refusal of the record as a sentence: the closing day before the
 * opening one says so. */
static const char *record_problem(http_req *req, const model_problem *f)
{
	if (f->field != NULL && strcmp(f->field, "closes_on") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE, "admin_exh_closes_before");
	if (f->field != NULL && strcmp(f->field, "counted_on") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE, "admin_exh_visit_before");
	return admin_reg_problem(req, LABELS, f);
}

static int exhibition_new_page(http_req *req, http_res *res, const admin_user *me, int status,
		    const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_exh_new_title") : NULL;
	if (values == NULL)
		values = json_pack("{s:s}", "kind", "chuyen_de");
	if (ctx == NULL || record_form(req, db, ctx, values) != 0) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	json_object_set_new(ctx, "may_edit", json_true());
	return admin_reg_form_render(req, res, me, ctx, status, PATH_NEW, NULL, PATH_LIST, message,
				    values, "admin/exhibition_one");
}

static int exhibition_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return exhibition_new_page(req, res, me, 200, NULL, NULL);
}

static int exhibition_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	exhibition e;
	char opens[11], closes[11];
	model_problem f = {0};
	int rc = read_record(req, &e, opens, closes, values, &f);
	db_t *db = db_get();
	int64_t id = 0;
	if (rc == 0)
		rc = db != NULL ? exhibition_add(db, &e, admin_reg_who(me), &id, &f) : -1;
	if (rc > 0)
		return exhibition_new_page(req, res, me, 400, record_problem(req, &f), values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_EXHIBITION_CHANGE,
			       target(req, id, rc == 0 ? e.title : ""), "add",
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=them", (long long)id));
}

/* ---- one exhibition --------------------------------------------------------------- */

/* What one exhibition's page shows besides the stored record. */
typedef struct {
	int status;
	const char *message;   /* a refusal, or NULL */
	json_t *values;        /* the record's form as typed (NULL: as stored) */
	json_t *sub;           /* the small forms as typed (NULL: empty) */
} one_view;

static json_t *objects_json(http_req *req, db_t *db, int64_t id)
{
	exhibition_object *o;
	size_t n;
	if (exhibition_object_list(db, req->arena, id, false, &o, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "object_id",
				    (json_int_t)o[i].object_id, "position", (json_int_t)o[i].position,
				    "number", o[i].number, "name", o[i].name, "label_vi",
				    o[i].label_vi, "label_en", o[i].label_en, "card_url",
				    arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld",
						  (long long)o[i].object_id),
				    "placed", o[i].placed != 0));
	return list;
}

/* The register's objects matching the search ?tim= (number or name). */
static json_t *found_json(http_req *req, db_t *db, const char *q)
{
	object_filter flt = {.query = q};
	object_row *rows;
	size_t n;
	bool more;
	model_problem why;
	json_t *list = json_array();
	if (q == NULL || q[0] == '\0' ||
	    object_list(db, req->arena, &flt, 0, FOUND_MAX, &rows, &n, &more, &why) != 0)
		return list;
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].status, "returned") != 0)
			json_array_append_new(
			    list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)rows[i].id, "number",
					    rows[i].reg_number[0] ? rows[i].reg_number
								  : rows[i].intake_no,
					    "name", rows[i].name));
	return list;
}

static json_t *photos_json(http_req *req, db_t *db, int64_t id)
{
	exhibition_photo *p = NULL;
	size_t n = 0;
	json_t *list = exhibition_photo_list(db, req->arena, id, &p, &n) == 0 ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++) {
		/* A picture deleted from the library meanwhile is left out. */
		json_t *pic = admin_exh_picture(req, db, p[i].media_id);
		if (pic != NULL && json_object_set_new(pic, "caption", json_string(p[i].caption)) == 0)
			json_array_append_new(list, pic);
	}
	return list;
}

static json_t *visits_json(http_req *req, db_t *db, int64_t id)
{
	exhibition_visit *v;
	size_t n;
	if (exhibition_visit_list(db, req->arena, id, &v, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)v[i].id,
						      "on", admin_reg_day(req, v[i].counted_on),
						      "visitors", admin_reg_count(req, v[i].visitors),
						      "note", v[i].note));
	return list;
}

static json_t *stored_values(http_req *req, const exhibition *e)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "title", e->title,
			 "kind", e->kind, "location_id",
			 e->location_id > 0 ? arena_sprintf(req->arena, "%lld",
							    (long long)e->location_id)
					    : "",
			 "venue", e->venue, "province", e->province, "opens_on",
			 admin_reg_day(req, e->opens_on), "closes_on",
			 admin_reg_day(req, e->closes_on), "curators", e->curators, "description",
			 e->description, "public", e->is_public != 0);
}

static int one_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		    one_view *view)
{
	exhibition e;
	int rc = admin_get_status(exhibition_get(db, req->arena, id, &e));
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_exh_one_title") : NULL;
	json_t *values = view->values != NULL ? view->values : rc == 0 ? stored_values(req, &e) : NULL;
	json_t *objects = ctx != NULL ? objects_json(req, db, id) : NULL;
	json_t *photos = objects != NULL ? photos_json(req, db, id) : NULL;
	json_t *visits = photos != NULL ? visits_json(req, db, id) : NULL;
	if (visits == NULL || record_form(req, db, ctx, values) != 0) {
		json_decref(ctx);
		json_decref(values);
		json_decref(view->sub);
		json_decref(objects);
		json_decref(photos);
		json_decref(visits);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	bool may_edit = admin_may(me->role, ADMIN_REGISTER_KEEPERS);
	const char *q = http_query(req, "tim"), *photo_q = http_query(req, "anh");
	json_object_set_new(ctx, "stored_title", json_string(e.title));
	json_object_set_new(ctx, "stored_kind", json_string(admin_reg_word(req, "exh_kind_", e.kind)));
	json_object_set_new(ctx, "stored_dates", json_string(admin_exh_dates(req, &e)));
	json_object_set_new(ctx, "stored_venue", json_string(admin_exh_venue(req, &e)));
	json_object_set_new(ctx, "visitor_total", json_string(admin_reg_count(req, e.visitors)));
	json_object_set_new(ctx, "object_count", json_string(admin_reg_count(req, e.objects)));
	json_object_set_new(ctx, "objects", objects);
	json_object_set_new(ctx, "has_objects", json_boolean(json_array_size(objects) > 0));
	json_object_set_new(ctx, "photos", photos);
	json_object_set_new(ctx, "has_photos", json_boolean(json_array_size(photos) > 0));
	json_object_set_new(ctx, "visits", visits);
	json_object_set_new(ctx, "has_visits", json_boolean(json_array_size(visits) > 0));
	json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
	json_object_set_new(ctx, "public_url",
			    json_string(arena_sprintf(req->arena, "/trung-bay/%lld", (long long)id)));
	json_object_set_new(ctx, "tim", json_string(q != NULL ? q : ""));
	json_object_set_new(ctx, "anh", json_string(photo_q != NULL ? photo_q : ""));
	json_object_set_new(ctx, "sub", view->sub != NULL ? view->sub : json_object());
	if (may_edit) {
		json_t *found = found_json(req, db, q);
		json_object_set_new(ctx, "searched", json_boolean(q != NULL && q[0] != '\0'));
		json_object_set_new(ctx, "found_none", json_boolean(json_array_size(found) == 0));
		json_object_set_new(ctx, "found", found);
		json_object_set_new(ctx, "next_position",
				    json_integer((json_int_t)(json_array_size(objects) + 1)));
		if (admin_exh_library(req, db, photo_q, ctx) != 0) {
			json_decref(ctx);
			json_decref(values);
			return admin_error(req, res, me, 500, NULL);
		}
	}
	const char *const notices[] = {"them", "admin_exh_added", "luu", "admin_exh_saved", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return admin_reg_form_render(req, res, me, ctx, view->status, one_url(req, id), PATH_ONE,
				     PATH_LIST, view->message, values, "admin/exhibition_one");
}

static int exhibition_one_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	one_view view = {.status = 200};
	return one_page(req, res, me, id, db, &view);
}

/* ---- changes to one exhibition ------------------------------------------------------ */

/* An id or count typed in a small form: false when it is not one. */
static bool number_of(const char *s, int64_t *out)
{
	char *end;
	if (s == NULL || s[0] < '0' || s[0] > '9' || strlen(s) > 12)
		return false;
	*out = strtoll(s, &end, 10);
	return *end == '\0';
}

/* Reads digits the Vietnamese way ("12.500" is twelve thousand five
 * hundred) into *out: false when they are not a count. */
static bool count_of(const char *s, int64_t *out)
{
	char digits[32];
	size_t n = 0;
	for (const char *p = s; p != NULL && *p != '\0'; p++) {
		if (*p == '.' || *p == ' ')
			continue;
		if (n + 1 >= sizeof digits)
			return false;
		digits[n++] = *p;
	}
	digits[n] = '\0';
	return number_of(digits, out);
}

/* Runs one small form's change: the model's answer, with the audit's
 * details in *details. */
static int change(http_req *req, const admin_user *me, db_t *db, int64_t id, const char *action,
		  const char **v, const char **details, model_problem *f)
{
	const char *who = admin_reg_who(me);
	int64_t n1 = 0, n2 = 0;
	if (strcmp(action, "object") == 0) {
		if (!number_of(v[0], &n1))
			return reg_refuse(f, v[0][0] ? REG_BAD_NUMBER : REG_REQUIRED, "object_id");
		if (!number_of(v[1], &n2))
			return reg_refuse(f, REG_BAD_NUMBER, "position");
		*details = arena_sprintf(req->arena, "object %lld", (long long)n1);
		return exhibition_object_put(db, id, n1, n2, v[2], v[3], who, f);
	}
	if (strcmp(action, "object_remove") == 0) {
		if (!number_of(v[0], &n1))
			return reg_refuse(f, REG_NOT_FOUND, "object_id");
		*details = arena_sprintf(req->arena, "object_remove %lld", (long long)n1);
		return exhibition_object_remove(db, id, n1, who, f);
	}
	if (strcmp(action, "photo") == 0 || strcmp(action, "photo_remove") == 0) {
		if (!number_of(v[4], &n1))
			return reg_refuse(f, v[4][0] ? REG_NOT_FOUND : REG_REQUIRED, "media_id");
		*details = arena_sprintf(req->arena, "%s %lld", action, (long long)n1);
		return action[5] == '\0' ? exhibition_photo_add(db, id, n1, v[5], f)
					 : exhibition_photo_remove(db, id, n1, f);
	}
	if (strcmp(action, "visit") == 0) {
		char on[11];
		if (!admin_exh_day(v[6], on))
			return reg_refuse(f, REG_BAD_DATE, "counted_on");
		if (!count_of(v[7], &n1))
			return reg_refuse(f, v[7][0] ? REG_BAD_NUMBER : REG_REQUIRED, "visitors");
		exhibition_visit visit = {.counted_on = on, .visitors = n1, .note = v[8]};
		*details = arena_sprintf(req->arena, "visit %s %lld", on, (long long)n1);
		return exhibition_visit_add(db, &visit, id, NULL, f);
	}
	if (strcmp(action, "visit_remove") == 0) {
		if (!number_of(v[9], &n1))
			return reg_refuse(f, REG_NOT_FOUND, "visit_id");
		*details = arena_sprintf(req->arena, "visit_remove %lld", (long long)n1);
		return exhibition_visit_remove(db, id, n1, f);
	}
	return reg_refuse(f, REG_BAD_CHOICE, "action");
}

static int exhibition_save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	const char *action = admin_field(req, "action", 32);
	model_problem f = {0};
	one_view view = {.status = 400};
	int rc;
	const char *details = action != NULL ? action : "";
	exhibition e = {.title = ""};
	if (action != NULL && strcmp(action, "save") == 0) {
		char opens[11], closes[11];
		view.values = json_object();
		rc = read_record(req, &e, opens, closes, view.values, &f);
		e.id = id;
		if (rc == 0)
			rc = exhibition_update(db, &e, admin_reg_who(me), &f);
		details = "edit";
	} else if (action != NULL && strcmp(action, "delete") == 0) {
		exhibition old;
		rc = exhibition_get(db, req->arena, id, &old) == 0
			 ? exhibition_delete(db, id, &f)
			 : reg_refuse(&f, REG_NOT_FOUND, "id");
		if (rc == 0) {
			admin_reg_audit(req, me, db, AUDIT_EXHIBITION_CHANGE, target(req, id, old.title),
					"delete");
			return http_redirect(res, 303, PATH_LIST "?ok=xoa");
		}
	} else {
		const char *v[11] = {0};
		view.sub = json_object();
		rc = admin_reg_read_fields(req, sub_fields, EXHIBITION_LABEL_MAX, v, view.sub, &f)
			 ? change(req, me, db, id, action != NULL ? action : "", v, &details, &f)
			 : REG_TOO_LONG;
	}
	if (rc == REG_NOT_FOUND && f.field != NULL && strcmp(f.field, "id") == 0) {
		json_decref(view.values);
		json_decref(view.sub);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0) {
		view.message = f.code == REG_WRONG_STATE && strcmp(f.field, "objects") == 0
				   ? web_text(req, "admin_exh_delete_objects")
			       : f.code == REG_DUPLICATE && strcmp(f.field, "object_id") == 0
				   ? web_text(req, "admin_exh_object_elsewhere")
				   : record_problem(req, &f);
		return one_page(req, res, me, id, db, &view);
	}
	json_decref(view.values);
	json_decref(view.sub);
	exhibition now;
	if (rc == 0 && exhibition_get(db, req->arena, id, &now) == 0)
		e.title = now.title;
	return admin_reg_saved(req, res, me, db, rc, AUDIT_EXHIBITION_CHANGE, target(req, id, e.title),
			       details,
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=luu", (long long)id));
}

ADMIN_REG_ROW_PAGE(exhibition_one, exhibition_one_row)
ADMIN_REG_ROW_PAGE(exhibition_save, exhibition_save_row)

/* ---- the page table ------------------------------------------------------------------ */

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LIST, NULL, ADMIN_REGISTER_READERS}, exhibition_list_page},
	{{HTTP_GET, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, exhibition_new_form},
	{{HTTP_POST, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, exhibition_add_submit},
	{{HTTP_GET, PATH_ONE, NULL, ADMIN_REGISTER_READERS}, exhibition_one},
	{{HTTP_POST, PATH_ONE, NULL, ADMIN_REGISTER_KEEPERS}, exhibition_save},
};

const admin_page_table admin_exhibition_table = {pages, sizeof pages / sizeof pages[0]};
