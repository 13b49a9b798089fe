/*
 * award_page.c - award decisions ("Khen thưởng") at /admin/khen-thuong:
 * the decisions of a year (revoked ones marked), a unit's or person's award
 * history (?don-vi=ID, ?ca-nhan=ID), a new decision (/them), one decision
 * (its record, recipients with their certificates, the edit form, the
 * revocation form), the revocation (/:id/thu-hoi) and the printable
 * certificate of one recipient (/:id/giay-khen/:recipient, A4 landscape
 * under the national motto).
 *
 * Emulation officers (and admins) write; planners, curators and the
 * council read (award_shared.h). Refusals come back as the form with the
 * field named in the reader's language and what was typed kept; every
 * change goes to the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "admin/award_shared.h"
#include "core/arena.h"

#define PATH_NEW AWARD_PATH_LIST "/them"
#define PATH_ONE AWARD_PATH_LIST "/:id"
#define PATH_REVOKE AWARD_PATH_LIST "/:id/thu-hoi"
#define PATH_CERTIFICATE AWARD_PATH_LIST "/:id/giay-khen/:recipient"

/* The text fields of the decision form, in award_decision's order. */
enum { F_NUMBER, F_DECIDED_ON, F_ISSUER, F_SIGNER_TITLE, F_SIGNER_NAME, F_YEAR, F_CAMPAIGN,
       F_FORM, F_ACHIEVEMENT, F_PLACE, F_MEDIA, F_COUNT };
static const char *const form_fields[] = {"number",	 "decided_on", "issuer",      "signer_title",
					  "signer_name", "year",       "campaign_id", "form",
					  "achievement", "place",      "media_id",    NULL};

static const char *decision_url(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld", (long long)id);
}

/* The audit log's target of a change: "ID number". */
static const char *target(http_req *req, int64_t id, const char *number)
{
	return arena_sprintf(req->arena, "%lld %.100s", (long long)id, number);
}

/* ---- histories ---------------------------------------------------------------- */

int admin_award_history(http_req *req, db_t *db, json_t *ctx, int64_t unit_id, int64_t person_id)
{
	award_history_row *h;
	size_t n;
	if (award_history(db, req->arena, unit_id, person_id, &h, &n) != 0)
		return -1;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b}", "url",
				    decision_url(req, h[i].decision_id), "number", h[i].number, "on",
				    admin_reg_day(req, h[i].decided_on), "form",
				    admin_reg_word(req, "admin_award_form_", h[i].form), "year",
				    (json_int_t)h[i].year, "achievement", h[i].achievement, "issuer",
				    h[i].issuer, "revoked_on", admin_reg_day(req, h[i].revoked_on),
				    "revoked", h[i].revoked_on[0] != '\0'));
	json_object_set_new(ctx, "award_history", list);
	json_object_set_new(ctx, "has_award_history", json_boolean(n > 0));
	return 0;
}

/* ---- the list ------------------------------------------------------------------ */

static json_t *decision_row(http_req *req, const award_decision *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b}", "url",
			 decision_url(req, d->id), "number", d->number, "on",
			 admin_reg_day(req, d->decided_on), "form",
			 admin_reg_word(req, "admin_award_form_", d->form), "year",
			 (json_int_t)d->year, "issuer", d->issuer, "recipients",
			 admin_reg_count(req, (int64_t)d->nrecipients), "revoked_on",
			 admin_reg_day(req, d->revoked_on), "revoked", d->revoked_on[0] != '\0');
}

/* The unit or person whose history the list shows (?don-vi=, ?ca-nhan=):
 * 0 with *who (kind "" when none asked), 404 for an unknown one, 400 for a
 * malformed id, 500. */
static int history_of(http_req *req, db_t *db, award_recipient *who)
{
	memset(who, 0, sizeof *who);
	who->kind = "";
	const char *u = http_query(req, "don-vi"), *p = http_query(req, "ca-nhan");
	if (u == NULL && p == NULL)
		return 0;
	int64_t id;
	if (web_parse_id(u != NULL ? u : p, &id) != 0)
		return 400;
	award_recipient *c;
	size_t n;
	if (award_candidates(db, req->arena, &c, &n) != 0)
		return 500;
	for (size_t i = 0; i < n; i++)
		if (u != NULL ? c[i].unit_id == id : c[i].person_id == id) {
			*who = c[i];
			return 0;
		}
	return 404;
}

static int award_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	const char *y = http_query(req, "nam");
	int64_t year = 0;
	model_problem f = {0};
	if (y != NULL && y[0] != '\0' &&
	    (admin_award_year(y, &year, &f, "year") != 0 || year < AWARD_YEAR_MIN ||
	     year > AWARD_YEAR_MAX))
		return admin_error(req, res, me, 400, NULL);
	award_recipient who;
	int status = db != NULL ? history_of(req, db, &who) : 500;
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	award_decision *rows;
	size_t n;
	json_t *ctx = NULL;
	if (award_decision_list(db, req->arena, (int)year, &rows, &n) != 0 ||
	    (ctx = admin_context(req, me, "admin_award_title")) == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, decision_row(req, &rows[i]));
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (year > 0)
		json_object_set_new(ctx, "year", json_integer(year));
	if (who.kind[0] != '\0') {
		json_object_set_new(ctx, "history_of",
				    json_string(admin_award_recipient_label(req, &who)));
		if (admin_award_history(req, db, ctx, who.unit_id, who.person_id) != 0) {
			json_decref(ctx);
			return admin_error(req, res, me, 500, NULL);
		}
	}
	json_object_set_new(ctx, "emulation_url", json_string(AWARD_PATH_EMULATION));
	if (admin_may(me->role, AWARD_WRITERS))
		json_object_set_new(ctx, "new_url", json_string(PATH_NEW));
	return admin_render(req, res, 200, "admin/award_list", ctx);
}

/* ---- the form (new, and one decision) ---------------------------------------- */

/* Fills the form's context (forms, campaigns, candidates, what was typed)
 * and renders it. values NULL: an empty form. */
static int form_page(http_req *req, http_res *res, const admin_user *me, db_t *db, json_t *ctx,
		     int status, const char *action, const char *pattern, const char *message,
		     json_t *values)
{
	if (values == NULL) {
		char today[11];
		reg_today(today);
		values = json_pack("{s:s, s:s}", "decided_on", admin_reg_day(req, today), "year",
				   arena_sprintf(req->arena, "%.4s", today));
	}
	const char *form = json_string_value(json_object_get(values, "form"));
	json_t *campaigns = admin_award_campaigns(
	    req, db, json_string_value(json_object_get(values, "campaign_id")));
	json_t *candidates = admin_award_candidates(req, db, json_object_get(values, "recipients"));
	if (campaigns == NULL || candidates == NULL) {
		json_decref(campaigns);
		json_decref(candidates);
		json_decref(values);
		json_decref(ctx);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "forms", admin_reg_choices(req, "admin_award_form_", award_forms,
							     form));
	json_object_set_new(ctx, "campaigns", campaigns);
	json_object_set_new(ctx, "candidates", candidates);
	return admin_reg_form_render(req, res, me, ctx, status, action, pattern, AWARD_PATH_LIST,
				     message, values, "admin/award_form");
}

static int new_page(http_req *req, http_res *res, const admin_user *me, int status,
		    const char *message, json_t *values)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, "admin_award_new_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	json_object_set_new(ctx, "is_new", json_true());
	json_object_set_new(ctx, "may_edit", json_true());
	return form_page(req, res, me, db, ctx, status, PATH_NEW, NULL, message, values);
}

static int award_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return new_page(req, res, me, 200, NULL, NULL);
}

/*
 * Reads the decision form into *d (strings in the request; recipients in
 * the arena) and values (what was typed, the chosen recipients as
 * "recipients": [..]). 0, or the refusal in *f.
 */
static int read_decision(http_req *req, award_decision *d, char day[11], json_t *values,
			 model_problem *f)
{
	const char *v[F_COUNT] = {0};
	memset(d, 0, sizeof *d);
	json_t *chosen = json_array();
	json_object_set_new(values, "recipients", chosen);
	if (!admin_reg_read_fields(req, form_fields, AWARD_ACHIEVEMENT_MAX, v, values, f))
		return REG_TOO_LONG;
	/* Every checked recipient (the field repeats). */
	size_t n = 0;
	for (size_t i = 0; i < req->nform; i++)
		n += strcmp(req->form[i].name, "recipients") == 0;
	award_recipient *who = n > 0 ? arena_alloc(req->arena, n * sizeof *who) : NULL;
	if (n > 0 && who == NULL)
		return -1;
	int rc = 0;
	size_t k = 0;
	for (size_t i = 0; i < req->nform; i++) {
		if (strcmp(req->form[i].name, "recipients") != 0)
			continue;
		json_array_append_new(chosen, json_string(req->form[i].value));
		if (rc == 0 && !admin_award_parse_recipient(req->form[i].value, &who[k])) {
			rc = reg_refuse(f, REG_NOT_FOUND, "recipients");
			f->item = (int)k + 1;
		}
		k++;
	}
	d->recipients = who;
	d->nrecipients = n;
	d->number = v[F_NUMBER];
	d->issuer = v[F_ISSUER];
	d->signer_title = v[F_SIGNER_TITLE];
	d->signer_name = v[F_SIGNER_NAME];
	d->form = v[F_FORM];
	d->achievement = v[F_ACHIEVEMENT];
	d->place = v[F_PLACE];
	d->decided_on = day;
	if (rc != 0)
		return rc;
	if (v[F_DECIDED_ON][0] == '\0')
		return reg_refuse(f, REG_REQUIRED, "decided_on");
	if (!reg_date_parse(v[F_DECIDED_ON], day))
		return reg_refuse(f, REG_BAD_DATE, "decided_on");
	if ((rc = admin_award_year(v[F_YEAR], &d->year, f, "year")) != 0)
		return rc;
	if (!admin_reg_optional_id(v[F_CAMPAIGN], &d->campaign_id))
		return reg_refuse(f, REG_NOT_FOUND, "campaign_id");
	if (!admin_reg_optional_id(v[F_MEDIA], &d->media_id))
		return reg_refuse(f, REG_NOT_FOUND, "media_id");
	return 0;
}

/* The audit details of a saved decision. */
static const char *details(http_req *req, const char *what, const award_decision *d)
{
	return arena_sprintf(req->arena, "%s: %s, %s, year %lld, %zu recipients", what, d->number,
			     d->form, (long long)d->year, d->nrecipients);
}

static int award_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	award_decision d;
	char day[11] = "";
	model_problem f = {0};
	db_t *db = db_get();
	int rc = read_decision(req, &d, day, values, &f);
	int64_t id = 0;
	if (rc == 0)
		rc = db != NULL ? award_decision_add(db, &d, me->id, &id, &f) : -1;
	if (rc > 0)
		return new_page(req, res, me, 400,
				admin_award_problem(req, db, &f, d.recipients, d.nrecipients),
				values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_AWARD_CHANGE, target(req, id, d.number),
			       details(req, "add decision", &d),
			       arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld?ok=them",
					     (long long)id));
}

/* The recipients of a stored decision as the page lists them, with the
 * certificate of each and the link to its history. */
static json_t *recipients_json(http_req *req, const award_decision *d)
{
	json_t *list = json_array();
	for (size_t i = 0; i < d->nrecipients; i++) {
		const award_recipient *r = &d->recipients[i];
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:s, s:s, s:s}", "label", admin_award_recipient_label(req, r),
			      "kind", admin_reg_word(req, "admin_award_kind_", r->kind),
			      "certificate_url",
			      arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld/giay-khen/%lld",
					    (long long)d->id, (long long)r->id),
			      "history_url",
			      r->person_id > 0
				  ? arena_sprintf(req->arena, AWARD_PATH_LIST "?ca-nhan=%lld",
						  (long long)r->person_id)
				  : arena_sprintf(req->arena, AWARD_PATH_LIST "?don-vi=%lld",
						  (long long)r->unit_id)));
	}
	return list;
}

/* What a stored decision's form starts with. */
static json_t *stored_values(http_req *req, const award_decision *d)
{
	json_t *chosen = json_array();
	for (size_t i = 0; i < d->nrecipients; i++)
		json_array_append_new(chosen, json_string(admin_award_recipient_value(
						  req, &d->recipients[i])));
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "number", d->number,
	    "decided_on", admin_reg_day(req, d->decided_on), "issuer", d->issuer, "signer_title",
	    d->signer_title, "signer_name", d->signer_name, "year",
	    arena_sprintf(req->arena, "%lld", (long long)d->year), "campaign_id",
	    d->campaign_id > 0 ? arena_sprintf(req->arena, "%lld", (long long)d->campaign_id) : "",
	    "form", d->form, "achievement", d->achievement, "place", d->place, "media_id",
	    d->media_id > 0 ? arena_sprintf(req->arena, "%lld", (long long)d->media_id) : "",
	    "recipients", chosen);
}

/* One decision: its record, recipients, the edit and revocation forms for
 * those who write. values NULL: the stored record; revoke_values what the
 * revocation form was sent with. */
static int one_page(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db,
		    int status, const char *message, json_t *values, json_t *revoke_values)
{
	award_decision d;
	int rc = admin_get_status(award_decision_get(db, req->arena, id, &d));
	json_t *ctx = rc == 0 ? admin_context(req, me, "admin_award_one_title") : NULL;
	if (ctx == NULL) {
		json_decref(values);
		json_decref(revoke_values);
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	}
	bool revoked = d.revoked_on[0] != '\0';
	bool writer = admin_may(me->role, AWARD_WRITERS);
	json_object_set_new(
	    ctx, "decision",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
		      "number", d.number, "on", admin_reg_day(req, d.decided_on), "issuer", d.issuer,
		      "signer_title", d.signer_title, "signer_name", d.signer_name, "year",
		      (json_int_t)d.year, "campaign", d.campaign_name, "form",
		      admin_reg_word(req, "admin_award_form_", d.form), "achievement", d.achievement,
		      "place", d.place, "media",
		      d.media_id > 0 ? arena_sprintf(req->arena, "%lld %s", (long long)d.media_id,
						     d.media_name)
				     : "",
		      "revoked_on", admin_reg_day(req, d.revoked_on), "revoked_reason",
		      d.revoked_reason, "revoked", revoked));
	json_object_set_new(ctx, "recipients", recipients_json(req, &d));
	json_object_set_new(ctx, "recipient_count", json_string(admin_reg_count(req,
									       (int64_t)d.nrecipients)));
	json_object_set_new(ctx, "may_edit", json_boolean(writer && !revoked));
	if (writer && !revoked) {
		char today[11];
		reg_today(today);
		if (revoke_values == NULL)
			revoke_values = json_pack("{s:s}", "revoked_on", admin_reg_day(req, today));
		json_object_set_new(ctx, "revoke_values", revoke_values);
		json_object_set_new(ctx, "revoke_action",
				    json_string(arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld/thu-hoi",
							      (long long)id)));
		json_object_set_new(ctx, "revoke_csrf",
				    json_string(admin_csrf_token(req, me, PATH_REVOKE)));
	} else {
		json_decref(revoke_values);
	}
	const char *const notices[] = {"them", "admin_award_added", "luu", "admin_award_saved",
				       "thu-hoi", "admin_award_revoked", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return form_page(req, res, me, db, ctx, status, decision_url(req, id), PATH_ONE, message,
			 values != NULL ? values : stored_values(req, &d));
}

static int one_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	return one_page(req, res, me, id, db, 200, NULL, NULL, NULL);
}

static int save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	json_t *values = json_object();
	award_decision d;
	char day[11] = "";
	model_problem f = {0};
	int rc = read_decision(req, &d, day, values, &f);
	d.id = id;
	if (rc == 0)
		rc = award_decision_update(db, &d, &f);
	if (rc == REG_NOT_FOUND && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return one_page(req, res, me, id, db, 400,
				admin_award_problem(req, db, &f, d.recipients, d.nrecipients), values,
				NULL);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_AWARD_CHANGE, target(req, id, d.number),
			       details(req, "edit decision", &d),
			       arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld?ok=luu", (long long)id));
}

static int revoke_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	static const char *const names[] = {"revoked_on", "revoked_reason", NULL};
	const char *v[2] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	char day[11] = "";
	int rc = admin_reg_read_fields(req, names, AWARD_REASON_MAX, v, values, &f) ? 0
										      : REG_TOO_LONG;
	if (rc == 0 && v[0][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "revoked_on");
	else if (rc == 0 && !reg_date_parse(v[0], day))
		rc = reg_refuse(&f, REG_BAD_DATE, "revoked_on");
	if (rc == 0)
		rc = award_decision_revoke(db, id, day, v[1], &f);
	if (rc == REG_NOT_FOUND && strcmp(f.field, "id") == 0) {
		json_decref(values);
		return admin_error(req, res, me, 404, NULL);
	}
	if (rc > 0)
		return one_page(req, res, me, id, db, 400,
				admin_award_problem(req, db, &f, NULL, 0), NULL, values);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_AWARD_CHANGE,
			       arena_sprintf(req->arena, "%lld", (long long)id),
			       arena_sprintf(req->arena, "revoke decision on %s: %.500s", day, v[1]),
			       arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld?ok=thu-hoi",
					     (long long)id));
}

/* ---- the certificate ------------------------------------------------------------ */

/* "Điện Biên, ngày 28 tháng 12 năm 2020" / "Điện Biên, 28 December 2020". */
static const char *place_and_date(http_req *req, const char *place, const char *iso)
{
	int y = 0, m = 0, d = 0;
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return place;
	const char *date = arena_sprintf(
	    req->arena, "%s %02d %s %02d %s %d", web_text(req, "admin_award_date_day"), d,
	    web_text(req, "admin_award_date_month"), m, web_text(req, "admin_award_date_year"), y);
	return place[0] != '\0' ? arena_sprintf(req->arena, "%s, %s", place, date) : date;
}

static int certificate_row(http_req *req, http_res *res, const admin_user *me, int64_t id,
			   db_t *db)
{
	int64_t rid;
	if (req->nparams < 2 || web_parse_id(req->params[1], &rid) != 0)
		return admin_error(req, res, me, 404, NULL);
	award_decision d;
	award_recipient r;
	int rc = admin_get_status(award_decision_get(db, req->arena, id, &d));
	if (rc == 0)
		rc = admin_get_status(award_recipient_get(db, req->arena, id, rid, &r));
	json_t *ctx = rc == 0 ? admin_print_context(req, me, "admin_award_certificate_title",
						    decision_url(req, id), true)
			      : NULL;
	if (ctx == NULL)
		return admin_error(req, res, me, rc != 0 ? rc : 500, NULL);
	bool person = r.person_id > 0;
	json_object_set_new(
	    ctx, "cert",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "issuer",
		      d.issuer, "signer_title", d.signer_title, "signer_name", d.signer_name, "form",
		      admin_reg_word(req, "admin_award_form_", d.form), "name", r.name, "title",
		      person ? r.title : "", "position", person ? r.position : "", "unit",
		      r.unit_name, "achievement", d.achievement, "place_date",
		      place_and_date(req, d.place, d.decided_on), "revoked", d.revoked_on[0] != '\0',
		      "revoked_on", admin_reg_day(req, d.revoked_on), "decision",
		      arena_sprintf(req->arena, "%s %s %s %s", web_text(req, "admin_award_cert_by"),
				    d.number, web_text(req, "admin_award_cert_of"),
				    admin_reg_day(req, d.decided_on))));
	/* The nation's header (admin/print_nation): the issuing body on the
	 * left, the decision's number under it. */
	json_object_set_new(ctx, "doc_issuer", json_string(d.issuer));
	json_object_set_new(ctx, "doc_number", json_string(d.number));
	return admin_render(req, res, 200, "admin/award_certificate", ctx);
}

ADMIN_REG_ROW_PAGE(award_one, one_row)
ADMIN_REG_ROW_PAGE(award_save, save_row)
ADMIN_REG_ROW_PAGE(award_revoke, revoke_row)
ADMIN_REG_ROW_PAGE(award_certificate, certificate_row)

/* ---- the page table --------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, AWARD_PATH_LIST, NULL, AWARD_READERS}, award_list_page},
	{{HTTP_GET, PATH_NEW, NULL, AWARD_WRITERS}, award_new_form},
	{{HTTP_POST, PATH_NEW, NULL, AWARD_WRITERS}, award_add_submit},
	{{HTTP_GET, PATH_ONE, NULL, AWARD_READERS}, award_one},
	{{HTTP_POST, PATH_ONE, NULL, AWARD_WRITERS}, award_save},
	{{HTTP_POST, PATH_REVOKE, NULL, AWARD_WRITERS}, award_revoke},
	{{HTTP_GET, PATH_CERTIFICATE, NULL, AWARD_READERS}, award_certificate},
};

const admin_page_table admin_award_table = {pages, sizeof pages / sizeof pages[0]};
