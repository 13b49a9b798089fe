/*
 * award_shared.c - see award_shared.h.
 */
#include "admin/award_shared.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

bool admin_award_parse_recipient(const char *s, award_recipient *out)
{
	memset(out, 0, sizeof *out);
	if (s == NULL || (s[0] != 'u' && s[0] != 'p') || s[1] < '1' || s[1] > '9' ||
	    strspn(s + 1, "0123456789") != strlen(s + 1) || strlen(s + 1) > 15)
		return false;
	int64_t id = strtoll(s + 1, NULL, 10);
	if (s[0] == 'u')
		out->unit_id = id;
	else
		out->person_id = id;
	return true;
}

const char *admin_award_recipient_value(http_req *req, const award_recipient *r)
{
	return r->person_id > 0 ? arena_sprintf(req->arena, "p%lld", (long long)r->person_id)
				: arena_sprintf(req->arena, "u%lld", (long long)r->unit_id);
}

const char *admin_award_recipient_label(http_req *req, const award_recipient *r)
{
	const char *kind = admin_reg_word(req, "admin_award_kind_", r->kind);
	bool person = r->person_id > 0;
	const char *title = person && r->title[0] != '\0' ? r->title : "";
	return arena_sprintf(req->arena, "%s: %s%s%s%s%s%s", kind, title, title[0] ? " " : "",
			     r->name, person && r->unit_name[0] ? " (" : "",
			     person ? r->unit_name : "", person && r->unit_name[0] ? ")" : "");
}

static bool chosen_has(const json_t *chosen, const char *value)
{
	size_t i;
	const json_t *v;
	json_array_foreach(chosen, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
			return true;
	return false;
}

json_t *admin_award_candidates(http_req *req, db_t *db, const json_t *chosen)
{
	award_recipient *c;
	size_t n;
	if (award_candidates(db, req->arena, &c, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *value = admin_award_recipient_value(req, &c[i]);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:b}", "value", value, "label",
				    admin_award_recipient_label(req, &c[i]), "kind", c[i].kind,
				    "checked", chosen != NULL && chosen_has(chosen, value)));
	}
	return list;
}

json_t *admin_award_campaigns(http_req *req, db_t *db, const char *selected)
{
	award_campaign *c;
	size_t n;
	if (award_campaign_list(db, req->arena, 0, &c, &n) != 0)
		return NULL;
	json_t *list = json_array();
	json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", "", "label",
					      web_text(req, "admin_award_no_campaign"), "selected",
					      selected == NULL || selected[0] == '\0'));
	for (size_t i = 0; i < n; i++) {
		const char *value = arena_sprintf(req->arena, "%lld", (long long)c[i].id);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:b}", "value", value, "label",
				    arena_sprintf(req->arena, "%lld – %s", (long long)c[i].year,
						  c[i].name),
				    "selected", selected != NULL && strcmp(selected, value) == 0));
	}
	return list;
}

/* The name of the recipient a refusal is about: its label from the
 * candidates, else "mục thứ N". */
static const char *recipient_named(http_req *req, db_t *db, const model_problem *f,
				   const award_recipient *who, size_t n)
{
	const char *item = arena_sprintf(req->arena, "%s %d", web_text(req, "admin_award_item"),
					 f->item);
	if (f->item < 1 || (size_t)f->item > n)
		return item;
	const award_recipient *r = &who[f->item - 1];
	award_recipient *c;
	size_t nc;
	if (award_candidates(db, req->arena, &c, &nc) != 0)
		return item;
	for (size_t i = 0; i < nc; i++)
		if (c[i].unit_id == r->unit_id && c[i].person_id == r->person_id)
			return c[i].name;
	return item;
}

const char *admin_award_problem(http_req *req, db_t *db, const model_problem *f,
				const award_recipient *who, size_t n)
{
	static const struct {
		int code;
		const char *field, *key;
	} special[] = {
		{REG_DUPLICATE, "number", "admin_award_number_taken"},
		{REG_WRONG_STATE, "year", "admin_award_year_after"},
		{REG_WRONG_STATE, "campaign_id", "admin_award_campaign_year"},
		{REG_WRONG_STATE, "revoked_reason", "admin_award_revoked_fixed"},
		{REG_OUT_OF_RANGE, "revoked_on", "admin_award_revoke_before"},
		{REG_DUPLICATE, "name", "admin_award_campaign_taken"},
		{REG_OUT_OF_RANGE, "ends_on", "admin_award_ends_before"},
		{REG_DUPLICATE, "form", "admin_award_registered"},
		{REG_WRONG_STATE, "form", "admin_award_form_not_for"},
		{REG_OUT_OF_RANGE, "year", "admin_award_year_range"},
	};
	if (f->field == NULL)
		return admin_reg_problem(req, AWARD_LABELS, f);
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (f->code == special[i].code && strcmp(f->field, special[i].field) == 0)
			return admin_reg_problem_as(req, AWARD_LABELS, f, f->code, special[i].key);
	if (strcmp(f->field, "recipients") != 0 || f->item == 0)
		return admin_reg_problem(req, AWARD_LABELS, f);
	/* About one recipient: who, and why. */
	const char *label = web_text(req, AWARD_LABELS "recipients");
	const char *name = recipient_named(req, db, f, who, n);
	const char *why;
	if (f->code == REG_DUPLICATE) {
		award_decision by = {.number = ""};
		if (f->count <= 0 || award_decision_get(db, req->arena, f->count, &by) != 0)
			by.number = "";
		why = arena_sprintf(req->arena, "%s %s", web_text(req, "admin_award_twice"), by.number);
	} else if (f->code == REG_WRONG_STATE) {
		bool person = f->item >= 1 && (size_t)f->item <= n && who[f->item - 1].person_id > 0;
		why = web_text(req, person ? "admin_award_for_collective" : "admin_award_for_person");
	} else if (f->code == REG_BAD_CHOICE) {
		why = web_text(req, "admin_award_chosen_twice");
	} else if (f->code == REG_NOT_FOUND) {
		why = web_text(req, "admin_award_unknown_recipient");
	} else {
		why = web_text(req, arena_sprintf(req->arena, "admin_%s", reg_problem_key(f->code)));
	}
	return arena_sprintf(req->arena, "%s: %s – %s", label, name, why);
}

int admin_award_year(const char *s, int64_t *year, model_problem *f, const char *field)
{
	*year = 0;
	s = s != NULL ? s + strspn(s, " ") : "";
	size_t digits = strspn(s, "0123456789");
	if (s[0] == '\0')
		return reg_refuse(f, REG_REQUIRED, field);
	if (digits == 0 || digits > 4 || s[digits + strspn(s + digits, " ")] != '\0')
		return reg_refuse(f, REG_BAD_NUMBER, field);
	*year = strtoll(s, NULL, 10);
	return 0;
}
