/*
 * council_page.c - the Scientific Council ("Hội đồng khoa học") in the back
 * office, under /admin/so-dang-ky/hoi-dong: the sessions, a new session
 * (date, members, minutes as text, the signed minutes as a file of the media
 * library), and on a session's page its decisions and the form that decides
 * on an object waiting in the intake book: main collection, reference
 * collection, or returned. Accepting gives the registration number in the
 * same transaction (model/council.h); the page says which number.
 *
 * Curators and the council read these pages; only the council (and admins)
 * write. A refusal names the field and keeps what was typed.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "model/council.h"
#include "model/media.h"
#include "model/object.h"
#include "model/register_number.h"
#include "web/web.h"

#define PATH_NEW REGISTER_PATH_COUNCIL "/moi"
#define PATH_SESSION REGISTER_PATH_COUNCIL "/:id"
#define PATH_DECIDE REGISTER_PATH_COUNCIL "/:id/quyet-dinh"
#define COUNCIL_WRITERS ((unsigned)USER_COUNCIL)
#define WAITING_MAX 200      /* objects offered in the decision form */
#define MEDIA_OFFERED 50     /* newest pictures offered as the minutes file */

/* ---- the list of sessions ------------------------------------------------------- */

/* Lines with something on them: the members, one a line. */
static size_t count_lines(const char *s)
{
	size_t n = 0;
	bool blank = true;
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			blank = true;
		} else if (blank && *s != '\r' && *s != ' ') {
			blank = false;
			n++;
		}
	}
	return n;
}

static int council_list(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	council_session *items;
	size_t n;
	if (db == NULL || council_session_list(db, req->arena, &items, &n) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_council_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:I, s:I}", "url",
				    arena_sprintf(req->arena, REGISTER_PATH_COUNCIL "/%lld",
						  (long long)items[i].id),
				    "held_on", items[i].held_on, "members", (json_int_t)count_lines(items[i].members),
				    "decisions", (json_int_t)items[i].decisions));
	}
	json_object_set_new(ctx, "sessions", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (admin_may(me->role, COUNCIL_WRITERS))
		json_object_set_new(ctx, "new_url", json_string(PATH_NEW));
	json_object_set_new(ctx, "back_url", json_string(ADMIN_PATH_REGISTER));
	return admin_render(req, res, 200, "admin/council_list", ctx);
}

/* ---- a new session -------------------------------------------------------------- */

static const char *const session_fields[] = {"held_on", "members", "minutes", "minutes_media_id",
					     NULL};

static int session_form(http_req *req, http_res *res, const admin_user *me, int status,
			const char *message, json_t *values)
{
	db_t *db = db_get();
	media_item *pics = NULL;
	size_t npics = 0;
	bool more;
	media_filter none = {0};
	if (db == NULL ||
	    media_list(db, req->arena, &none, NULL, MEDIA_OFFERED, &pics, &npics, &more) != 0) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_t *ctx = admin_context(req, me, "admin_council_new");
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	if (values == NULL)
		values = json_object();
	const char *chosen = json_string_value(json_object_get(values, "minutes_media_id"));
	json_t *files = json_array();
	for (size_t i = 0; i < npics; i++) {
		const char *id = arena_sprintf(req->arena, "%lld", (long long)pics[i].m.id);
		const char *label = pics[i].m.original_name[0] != '\0' ? pics[i].m.original_name
								     : pics[i].m.file;
		json_array_append_new(files, json_pack("{s:s, s:s, s:b}", "value", id, "label",
						       label, "selected",
						       chosen != NULL && strcmp(chosen, id) == 0));
	}
	json_object_set_new(ctx, "files", files);
	if (admin_may(me->role, USER_EDITOR | USER_AUTHOR))
		json_object_set_new(ctx, "upload_url", json_string(ADMIN_PATH_MEDIA_UPLOAD));
	return admin_reg_form_render(req, res, me, ctx, status, PATH_NEW, NULL, REGISTER_PATH_COUNCIL,
				    message, values, "admin/council_session_form");
}

static int council_session_new(http_req *req, http_res *res, const admin_user *me)
{
	return session_form(req, res, me, 200, NULL, NULL);
}

static int council_session_create(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	const char *v[5] = {0};
	model_problem f = {0};
	char day[11] = "";
	council_session s = {.held_on = day};
	int rc = 0;
	if (!admin_reg_read_fields(req, session_fields, COUNCIL_MINUTES_MAX, v, values, &f))
		rc = f.code;
	else if (v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "held_on");
	else if (!reg_date_parse(v[0], day))
		rc = reg_refuse(&f, REG_BAD_DATE, "held_on");
	else if (!admin_reg_optional_id(v[3], &s.minutes_media_id))
		rc = reg_refuse(&f, REG_NOT_FOUND, "minutes_media_id");
	s.members = v[1];
	s.minutes = v[2];
	int64_t id = 0;
	db_t *db = db_get();
	if (rc == 0)
		rc = db != NULL ? council_session_add(db, &s, &id, &f) : -1;
	if (rc > 0)
		return session_form(req, res, me, 400, admin_reg_problem(req, "admin_reg_field_", &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, AUDIT_COUNCIL_SESSION, arena_sprintf(req->arena, "%lld", (long long)id),
		       day);
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, REGISTER_PATH_COUNCIL "/%lld?ok=moi",
					   (long long)id));
}

/* ---- a session and its decisions ---------------------------------------------------- */

static const char *const decision_fields[] = {"object_id", "decision", "register_id", "note",
					      NULL};

/* The decision form's lists: objects waiting in intake, and the registers. */
static int decision_lists(http_req *req, db_t *db, json_t *ctx, json_t *values)
{
	object_filter flt = {.status = "intake"};
	object_row *rows;
	size_t n;
	bool more;
	model_problem why;
	register_book *books;
	size_t nbooks;
	if (object_list(db, req->arena, &flt, 0, WAITING_MAX, &rows, &n, &more, &why) != 0 ||
	    register_number_list(db, req->arena, &books, &nbooks) != 0)
		return -1;
	const char *obj = json_string_value(json_object_get(values, "object_id"));
	const char *reg = json_string_value(json_object_get(values, "register_id"));
	json_t *waiting = json_array(), *registers = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *id = arena_sprintf(req->arena, "%lld", (long long)rows[i].id);
		json_array_append_new(
		    waiting, json_pack("{s:s, s:s, s:b}", "value", id, "label",
				       arena_sprintf(req->arena, "%s - %s", rows[i].intake_no,
						     rows[i].name),
				       "selected", obj != NULL && strcmp(obj, id) == 0));
	}
	for (size_t i = 0; i < nbooks; i++) {
		const char *id = arena_sprintf(req->arena, "%lld", (long long)books[i].id);
		json_array_append_new(
		    registers,
		    json_pack("{s:s, s:s, s:b}", "value", id, "label",
			      arena_sprintf(req->arena, "%s - %s (%s)", books[i].code, books[i].name,
					    admin_reg_word(req, "admin_reg_status_",
								books[i].collection)),
			      "selected", reg != NULL && strcmp(reg, id) == 0));
	}
	json_object_set_new(ctx, "waiting", waiting);
	json_object_set_new(ctx, "registers", registers);
	json_object_set_new(ctx, "has_waiting", json_boolean(n > 0));
	json_object_set_new(
	    ctx, "decisions_offered",
	    admin_reg_choices(req, "admin_reg_status_", council_decisions,
		    json_string_value(json_object_get(values, "decision"))));
	return 0;
}

static int session_page(http_req *req, http_res *res, const admin_user *me, int status,
			const char *message, json_t *values)
{
	int64_t id;
	db_t *db;
	int st = admin_route_row(req, &id, &db);
	council_session s;
	if (st == 0)
		st = admin_get_status(council_session_get(db, req->arena, id, &s));
	council_decision *ds = NULL;
	size_t nds = 0;
	if (st == 0 && council_decision_list(db, req->arena, id, &ds, &nds) != 0)
		st = 500;
	media_item file = {0};
	if (st == 0 && s.minutes_media_id > 0 &&
	    media_get_item(db, req->arena, s.minutes_media_id, &file) < 0)
		st = 500;
	json_t *ctx = st == 0 ? admin_context(req, me, "admin_council_session") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, st != 0 ? st : 500, NULL);
	}
	json_t *decided = json_array();
	for (size_t i = 0; i < nds; i++)
		json_array_append_new(
		    decided,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "url",
			      arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld",
					    (long long)ds[i].object_id),
			      "name", ds[i].object_name, "intake_no", ds[i].intake_no, "decision",
			      admin_reg_word(req, "admin_reg_status_", ds[i].decision),
			      "number", ds[i].reg_number, "note", ds[i].note, "who",
			      ds[i].decided_by));
	json_object_set_new(ctx, "held_on", json_string(s.held_on));
	json_object_set_new(ctx, "members", json_string(s.members));
	json_object_set_new(ctx, "minutes", json_string(s.minutes));
	if (file.m.file != NULL)
		json_object_set_new(ctx, "minutes_file",
				    json_pack("{s:s, s:s}", "url",
					      arena_sprintf(req->arena, "/media/%s", file.m.file),
					      "name", file.m.original_name[0] != '\0'
							  ? file.m.original_name
							  : file.m.file));
	json_object_set_new(ctx, "decided", decided);
	json_object_set_new(ctx, "has_decided", json_boolean(nds > 0));
	json_object_set_new(ctx, "back_url", json_string(REGISTER_PATH_COUNCIL));
	json_object_set_new(ctx, "print_url",
			    json_string(arena_sprintf(req->arena, REGISTER_PATH_COUNCIL "/%lld/in",
						      (long long)id)));
	if (admin_may(me->role, COUNCIL_WRITERS)) {
		if (values == NULL)
			values = json_object();
		const char *action = arena_sprintf(req->arena, REGISTER_PATH_COUNCIL "/%lld/quyet-dinh",
						   (long long)id);
		if (decision_lists(req, db, ctx, values) != 0) {
			json_decref(ctx);
			json_decref(values);
			return admin_error(req, res, me, 500, NULL);
		}
		json_object_set_new(ctx, "decide",
				    json_pack("{s:s, s:s?, s:o}", "action", action, "csrf",
					      admin_csrf_token(req, me, PATH_DECIDE), "values",
					      values));
		values = NULL;
	}
	json_decref(values);
	/* After a decision: the number it gave, read back from the decisions. */
	const char *ok = http_query(req, "ok"), *obj = http_query(req, "hv"), *number = NULL;
	for (size_t i = 0; obj != NULL && i < nds; i++)
		if (strcmp(obj, arena_sprintf(req->arena, "%lld", (long long)ds[i].object_id)) == 0)
			number = ds[i].reg_number;
	if (ok != NULL && strcmp(ok, "moi") == 0)
		json_object_set_new(ctx, "notice", json_string(web_text(req, "admin_council_added")));
	if (ok != NULL && strcmp(ok, "quyet-dinh") == 0)
		json_object_set_new(
		    ctx, "notice",
		    json_string(number != NULL && number[0] != '\0'
				    ? arena_sprintf(req->arena, "%s %s",
						    web_text(req, "admin_council_numbered"), number)
				    : web_text(req, "admin_council_decided")));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, "admin/council_session", ctx);
}

static int council_session_view(http_req *req, http_res *res, const admin_user *me)
{
	return session_page(req, res, me, 200, NULL, NULL);
}

static int council_session_decide(http_req *req, http_res *res, const admin_user *me)
{
	int64_t session_id;
	db_t *db;
	int status = admin_route_row(req, &session_id, &db);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	json_t *values = json_object();
	const char *v[5] = {0};
	model_problem f = {0};
	int64_t object_id = 0, register_id = 0;
	int rc = 0;
	if (!admin_reg_read_fields(req, decision_fields, COUNCIL_NOTE_MAX, v, values, &f))
		rc = f.code;
	else if (v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "object_id");
	else if (!admin_reg_optional_id(v[0], &object_id))
		rc = reg_refuse(&f, REG_NOT_FOUND, "object_id");
	else if (!admin_reg_optional_id(v[2], &register_id))
		rc = reg_refuse(&f, REG_NOT_FOUND, "register_id");
	char number[REGISTER_NUMBER_MAX + 1] = "";
	/* The decision and its audit line commit together: on a full disk an
	 * acceptance without its line in the log would be a number nobody
	 * can trace to the hand that gave it. */
	int nested;
	if (rc == 0 && db_write_begin(db, &nested) != 0)
		rc = -1;
	else if (rc == 0) {
		rc = council_decide(db, session_id, object_id, v[1], register_id, admin_reg_who(me),
				    v[3], number, sizeof number, &f);
		if (rc == 0 &&
		    admin_reg_audit(req, me, db, AUDIT_COUNCIL_DECISION,
				    arena_sprintf(req->arena, "%lld", (long long)object_id),
				    arena_sprintf(req->arena, "%s %s session %lld", v[1], number,
						  (long long)session_id)) != 0)
			rc = -1;
		if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
			rc = -1;
	}
	if (rc == REG_NOT_FOUND && f.field != NULL && strcmp(f.field, "session_id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return session_page(req, res, me, 400, admin_reg_problem(req, "admin_reg_field_", &f), values);
	json_decref(values);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	return http_redirect(res, 303,
			     arena_sprintf(req->arena, REGISTER_PATH_COUNCIL "/%lld?ok=quyet-dinh&hv=%lld",
					   (long long)session_id, (long long)object_id));
}

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, REGISTER_PATH_COUNCIL, NULL, ADMIN_REGISTER_READERS}, council_list},
	{{HTTP_GET, PATH_NEW, NULL, COUNCIL_WRITERS}, council_session_new},
	{{HTTP_POST, PATH_NEW, NULL, COUNCIL_WRITERS}, council_session_create},
	{{HTTP_GET, PATH_SESSION, NULL, ADMIN_REGISTER_READERS}, council_session_view},
	{{HTTP_POST, PATH_DECIDE, NULL, COUNCIL_WRITERS}, council_session_decide},
};

const admin_page_table admin_council_table = {pages, sizeof pages / sizeof pages[0]};
