/*
 * emulation_page.c - emulation ("Thi đua") at /admin/thi-dua: the
 * campaigns (phong trào thi đua) and the registrations of a year (đăng ký
 * thi đua: a unit or a person registers for a title), with a form for
 * each (POST /admin/thi-dua/phong-trao, /admin/thi-dua/dang-ky). A
 * registration shows the decision in force that gave its title, if any.
 *
 * Emulation officers (and admins) write; planners, curators and the
 * council read (award_shared.h). A refusal comes back as the page with the
 * field named and what was typed kept; every change is audited.
 */
#include <string.h>

#include "admin/award_shared.h"
#include "core/arena.h"

#define PATH_CAMPAIGN AWARD_PATH_EMULATION "/phong-trao"
#define PATH_REGISTRATION AWARD_PATH_EMULATION "/dang-ky"

/* The year the page shows: ?nam=, else this year. 0 when malformed. */
static int64_t shown_year(http_req *req)
{
	const char *y = http_query(req, "nam");
	int64_t year = 0;
	model_problem f;
	if (y == NULL || y[0] == '\0') {
		char today[11];
		reg_today(today);
		admin_award_year(arena_sprintf(req->arena, "%.4s", today), &year, &f, "year");
		return year;
	}
	if (admin_award_year(y, &year, &f, "year") != 0 || year < AWARD_YEAR_MIN ||
	    year > AWARD_YEAR_MAX)
		return 0;
	return year;
}

static json_t *campaigns_json(http_req *req, const award_campaign *c, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", c[i].name, "content",
				    c[i].content, "starts_on", admin_reg_day(req, c[i].starts_on),
				    "ends_on", admin_reg_day(req, c[i].ends_on), "registrations",
				    admin_reg_count(req, c[i].registrations), "decisions",
				    admin_reg_count(req, c[i].decisions)));
	return list;
}

static json_t *registrations_json(http_req *req, const award_registration *g, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "who",
			      admin_award_recipient_label(req, &g[i].who), "form",
			      admin_reg_word(req, "admin_award_form_", g[i].form), "campaign",
			      g[i].campaign_name, "note", g[i].note, "awarded_url",
			      g[i].awarded_id > 0
				  ? arena_sprintf(req->arena, AWARD_PATH_LIST "/%lld",
						  (long long)g[i].awarded_id)
				  : "",
			      "awarded_number", g[i].awarded_number));
	return list;
}

/* The page of year, with the campaign form's values (cvalues) and the
 * registration form's (rvalues); NULL: empty forms. */
static int page(http_req *req, http_res *res, const admin_user *me, int64_t year, int status,
		const char *message, json_t *cvalues, json_t *rvalues)
{
	db_t *db = db_get();
	award_campaign *c = NULL;
	award_registration *g = NULL;
	size_t nc = 0, ng = 0;
	json_t *ctx = NULL, *candidates = NULL, *campaigns = NULL;
	const char *year_text = arena_sprintf(req->arena, "%lld", (long long)year);
	if (cvalues == NULL)
		cvalues = json_pack("{s:s}", "year", year_text);
	if (rvalues == NULL)
		rvalues = json_pack("{s:s}", "year", year_text);
	json_t *chosen = json_pack("[s]", json_string_value(json_object_get(rvalues, "recipient"))
					      ? json_string_value(json_object_get(rvalues, "recipient"))
					      : "");
	if (db == NULL || award_campaign_list(db, req->arena, (int)year, &c, &nc) != 0 ||
	    award_registration_list(db, req->arena, (int)year, &g, &ng) != 0 ||
	    (candidates = admin_award_candidates(req, db, chosen)) == NULL ||
	    (campaigns = admin_award_campaigns(
		 req, db, json_string_value(json_object_get(rvalues, "campaign_id")))) == NULL ||
	    (ctx = admin_context(req, me, "admin_emulation_title")) == NULL) {
		json_decref(chosen);
		json_decref(candidates);
		json_decref(campaigns);
		json_decref(cvalues);
		json_decref(rvalues);
		return admin_error(req, res, me, 500, NULL);
	}
	json_decref(chosen);
	json_object_set_new(ctx, "year", json_integer(year));
	json_object_set_new(ctx, "prev_url", json_string(arena_sprintf(
						 req->arena, AWARD_PATH_EMULATION "?nam=%lld",
						 (long long)(year - 1))));
	json_object_set_new(ctx, "next_url", json_string(arena_sprintf(
						 req->arena, AWARD_PATH_EMULATION "?nam=%lld",
						 (long long)(year + 1))));
	json_object_set_new(ctx, "awards_url",
			    json_string(arena_sprintf(req->arena, AWARD_PATH_LIST "?nam=%lld",
						      (long long)year)));
	json_object_set_new(ctx, "campaign_rows", campaigns_json(req, c, nc));
	json_object_set_new(ctx, "no_campaigns", json_boolean(nc == 0));
	json_object_set_new(ctx, "registration_rows", registrations_json(req, g, ng));
	json_object_set_new(ctx, "no_registrations", json_boolean(ng == 0));
	bool writer = admin_may(me->role, AWARD_WRITERS);
	json_object_set_new(ctx, "may_edit", json_boolean(writer));
	if (writer) {
		json_object_set_new(ctx, "candidates", candidates);
		json_object_set_new(ctx, "campaigns", campaigns);
		json_object_set_new(ctx, "forms",
				    admin_reg_choices(req, "admin_award_form_", award_forms,
						      json_string_value(json_object_get(rvalues,
											"form"))));
		json_object_set_new(ctx, "campaign_action", json_string(PATH_CAMPAIGN));
		json_object_set_new(ctx, "campaign_csrf",
				    json_string(admin_csrf_token(req, me, PATH_CAMPAIGN)));
		json_object_set_new(ctx, "registration_action", json_string(PATH_REGISTRATION));
		json_object_set_new(ctx, "registration_csrf",
				    json_string(admin_csrf_token(req, me, PATH_REGISTRATION)));
	} else {
		json_decref(candidates);
		json_decref(campaigns);
	}
	json_object_set_new(ctx, "cvalues", cvalues);
	json_object_set_new(ctx, "rvalues", rvalues);
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	const char *const notices[] = {"phong-trao", "admin_emulation_campaign_added", "dang-ky",
				       "admin_emulation_registration_added", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return admin_render(req, res, status, "admin/emulation", ctx);
}

static int emulation_page(http_req *req, http_res *res, const admin_user *me)
{
	int64_t year = shown_year(req);
	if (year == 0)
		return admin_error(req, res, me, 400, NULL);
	return page(req, res, me, year, 200, NULL, NULL, NULL);
}

/* A day typed in a form ("" allowed) into day; false when not a day. */
static bool optional_day(const char *typed, char day[11])
{
	day[0] = '\0';
	return typed[0] == '\0' || reg_date_parse(typed, day);
}

static int campaign_submit(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const names[] = {"year", "name", "content", "starts_on", "ends_on",
					    NULL};
	const char *v[5] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	award_campaign c = {0};
	char first[11] = "", last[11] = "";
	db_t *db = db_get();
	int rc = admin_reg_read_fields(req, names, AWARD_CAMPAIGN_CONTENT_MAX, v, values, &f)
			 ? admin_award_year(v[0], &c.year, &f, "year")
			 : REG_TOO_LONG;
	if (rc == 0 && !optional_day(v[3], first))
		rc = reg_refuse(&f, REG_BAD_DATE, "starts_on");
	if (rc == 0 && !optional_day(v[4], last))
		rc = reg_refuse(&f, REG_BAD_DATE, "ends_on");
	c.name = v[1];
	c.content = v[2];
	c.starts_on = first;
	c.ends_on = last;
	int64_t id = 0;
	if (rc == 0)
		rc = db != NULL ? award_campaign_add(db, &c, &id, &f) : -1;
	int64_t year = c.year >= AWARD_YEAR_MIN && c.year <= AWARD_YEAR_MAX ? c.year : shown_year(req);
	if (rc > 0)
		return page(req, res, me, year, 400, admin_award_problem(req, db, &f, NULL, 0), values,
			    NULL);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_AWARD_CHANGE,
			       arena_sprintf(req->arena, "campaign %lld %.100s", (long long)id, c.name),
			       arena_sprintf(req->arena, "add campaign: year %lld", (long long)c.year),
			       arena_sprintf(req->arena, AWARD_PATH_EMULATION "?nam=%lld&ok=phong-trao",
					     (long long)c.year));
}

static int registration_submit(http_req *req, http_res *res, const admin_user *me)
{
	static const char *const names[] = {"year", "recipient", "form", "campaign_id", "note",
					    NULL};
	const char *v[5] = {0};
	json_t *values = json_object();
	model_problem f = {0};
	award_registration g = {0};
	db_t *db = db_get();
	int rc = admin_reg_read_fields(req, names, AWARD_NOTE_MAX, v, values, &f)
			 ? admin_award_year(v[0], &g.year, &f, "year")
			 : REG_TOO_LONG;
	if (rc == 0 && v[1][0] == '\0')
		rc = reg_refuse(&f, REG_REQUIRED, "recipient");
	else if (rc == 0 && !admin_award_parse_recipient(v[1], &g.who))
		rc = reg_refuse(&f, REG_NOT_FOUND, "recipient");
	if (rc == 0 && !admin_reg_optional_id(v[3], &g.campaign_id))
		rc = reg_refuse(&f, REG_NOT_FOUND, "campaign_id");
	g.form = v[2];
	g.note = v[4];
	int64_t id = 0;
	if (rc == 0)
		rc = db != NULL ? award_registration_add(db, &g, me->id, &id, &f) : -1;
	int64_t year = g.year >= AWARD_YEAR_MIN && g.year <= AWARD_YEAR_MAX ? g.year : shown_year(req);
	if (rc > 0) {
		const char *message = admin_award_problem(req, db, &f, NULL, 0);
		/* Which kind of recipient the form is not for. */
		if (rc == REG_WRONG_STATE && strcmp(f.field, "form") == 0)
			message = arena_sprintf(
			    req->arena, "%s: %s", web_text(req, AWARD_LABELS "form"),
			    web_text(req, g.who.person_id > 0 ? "admin_award_for_collective"
							      : "admin_award_for_person"));
		return page(req, res, me, year, 400, message, NULL, values);
	}
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_AWARD_CHANGE,
			       arena_sprintf(req->arena, "registration %lld %s", (long long)id, v[1]),
			       arena_sprintf(req->arena, "add registration: year %lld form %s",
					     (long long)g.year, g.form),
			       arena_sprintf(req->arena, AWARD_PATH_EMULATION "?nam=%lld&ok=dang-ky",
					     (long long)g.year));
}

static const admin_page pages[] = {
	{{HTTP_GET, AWARD_PATH_EMULATION, NULL, AWARD_READERS}, emulation_page},
	{{HTTP_POST, PATH_CAMPAIGN, NULL, AWARD_WRITERS}, campaign_submit},
	{{HTTP_POST, PATH_REGISTRATION, NULL, AWARD_WRITERS}, registration_submit},
};

const admin_page_table admin_emulation_table = {pages, sizeof pages / sizeof pages[0]};
