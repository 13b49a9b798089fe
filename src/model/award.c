/*
 * award.c - emulation and commendation (see award.h): decisions and their
 * recipients, campaigns, registrations, histories.
 */
#include "model/award.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

/* {form, who it is for}, lowest first. */
static const struct {
	const char *form;
	int scope;
} forms[] = {
	{"giay_khen", AWARD_FOR_ANY},
	{"lao_dong_tien_tien", AWARD_FOR_PERSON},
	{"tap_the_lao_dong_tien_tien", AWARD_FOR_COLLECTIVE},
	{"chien_si_thi_dua_co_so", AWARD_FOR_PERSON},
	{"tap_the_lao_dong_xuat_sac", AWARD_FOR_COLLECTIVE},
	{"bang_khen", AWARD_FOR_ANY},
	{"co_thi_dua", AWARD_FOR_COLLECTIVE},
	{"chien_si_thi_dua_tinh", AWARD_FOR_PERSON},
	{"bang_khen_thu_tuong", AWARD_FOR_ANY},
	{"huan_chuong_lao_dong", AWARD_FOR_ANY},
};

const char *const award_forms[] = {
	"giay_khen",		"lao_dong_tien_tien",	 "tap_the_lao_dong_tien_tien",
	"chien_si_thi_dua_co_so", "tap_the_lao_dong_xuat_sac", "bang_khen",
	"co_thi_dua",		"chien_si_thi_dua_tinh", "bang_khen_thu_tuong",
	"huan_chuong_lao_dong",	NULL};

int award_form_scope(const char *form)
{
	for (size_t i = 0; form != NULL && i < sizeof forms / sizeof forms[0]; i++)
		if (strcmp(form, forms[i].form) == 0)
			return forms[i].scope;
	return -1;
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* Binds id, or NULL for 0. */
static int bind_id(db_stmt *st, int idx, int64_t id)
{
	return id > 0 ? db_bind_int64(st, idx, id) : db_bind_null(st, idx);
}

/* Binds a text, or NULL for "". */
static int bind_day(db_stmt *st, int idx, const char *s)
{
	return s != NULL && s[0] != '\0' ? db_bind_text(st, idx, s, -1) : db_bind_null(st, idx);
}

/* Refuses item i (0-based) of the recipients with code; count is the
 * decision that rewarded it for REG_DUPLICATE. */
static int refuse_recipient(model_problem *f, int code, size_t i, int64_t count)
{
	reg_refuse(f, code, "recipients");
	if (f != NULL) {
		f->item = (int)i + 1;
		f->count = count;
	}
	return code;
}

/* ---- recipients ------------------------------------------------------------ */

/* The columns of a recipient, from r (award_recipients, or a row shaped
 * like it), u its unit and p its person. */
#define RECIPIENT_COLUMNS                                                                     \
	" CASE WHEN p.id IS NOT NULL THEN '" AWARD_KIND_PERSON "' WHEN u.parent_id IS NULL"     \
	" THEN '" AWARD_KIND_UNIT "' ELSE '" AWARD_KIND_COLLECTIVE "' END,"                    \
	" coalesce(p.name, u.name, ''), ifnull(p.title, ''), ifnull(p.position, ''),"         \
	" coalesce(pu.name, uu.name, '')"
#define RECIPIENT_JOINS                                                                       \
	" LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN people p ON p.id = r.person_id"      \
	" LEFT JOIN units pu ON pu.id = p.unit_id LEFT JOIN units uu ON uu.id = u.parent_id"

static int recipient_fill(arena_t *a, db_stmt *st, void *item)
{
	award_recipient *r = item;
	int64_t *const numbers[] = {&r->id, &r->unit_id, &r->person_id};
	const char **const texts[] = {&r->kind, &r->name, &r->title, &r->position, &r->unit_name};
	return reg_read_row(a, st, numbers, 3, texts, 5);
}

static int recipients_of(db_t *db, arena_t *a, award_decision *d)
{
	db_stmt *st = db_prepare(db, "SELECT r.id, ifnull(r.unit_id, 0), ifnull(r.person_id, 0),"
				 RECIPIENT_COLUMNS " FROM award_recipients r" RECIPIENT_JOINS
				 " WHERE r.decision_id = ? ORDER BY r.position, r.id");
	bool bound = st != NULL && db_bind_int64(st, 1, d->id) == 0;
	return db_fill_rows(st, bound, a, sizeof *d->recipients, AWARD_RECIPIENTS_MAX,
			    recipient_fill, &d->recipients, &d->nrecipients, NULL);
}

int award_recipient_get(db_t *db, arena_t *a, int64_t decision_id, int64_t recipient_id,
			award_recipient *out)
{
	db_stmt *st = db_prepare(db, "SELECT r.id, ifnull(r.unit_id, 0), ifnull(r.person_id, 0),"
				 RECIPIENT_COLUMNS " FROM award_recipients r" RECIPIENT_JOINS
				 " WHERE r.id = ?1 AND r.decision_id = ?2");
	bool bound = st != NULL && db_bind_int64(st, 1, recipient_id) == 0 &&
		     db_bind_int64(st, 2, decision_id) == 0;
	award_recipient *rows = NULL;
	size_t n = 0;
	if (db_fill_rows(st, bound, a, sizeof *rows, 1, recipient_fill, &rows, &n, NULL) != 0)
		return -1;
	if (n == 0)
		return 1;
	*out = rows[0];
	return 0;
}

int award_candidates(db_t *db, arena_t *a, award_recipient **items, size_t *n)
{
	/* Units in tree order (the museum, then its departments by position),
	 * then people by name; the last three columns only sort. */
	db_stmt *st = db_prepare(
	    db, "SELECT 0, r.unit_id, r.person_id," RECIPIENT_COLUMNS ", r.g, r.k1, r.k2"
		" FROM (SELECT id AS unit_id, NULL AS person_id, 0 AS g,"
		"       parent_id IS NOT NULL AS k1, position AS k2, name AS k3"
		"       FROM units WHERE active = 1"
		"       UNION ALL SELECT NULL, id, 1, 0, 0, name FROM people WHERE active = 1) r"
		RECIPIENT_JOINS " ORDER BY r.g, r.k1, r.k2, r.k3, r.unit_id, r.person_id");
	return db_fill_rows(st, st != NULL, a, sizeof **items, AWARD_LIST_MAX, recipient_fill,
			    items, n, NULL);
}

/* ---- decisions ------------------------------------------------------------- */

int award_decision_check(const award_decision *d, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "number", d->number, AWARD_NUMBER_MAX, true, false)) ||
	    (rc = reg_check_date(f, "decided_on", d->decided_on, true)) ||
	    (rc = reg_check_text(f, "issuer", d->issuer, AWARD_ISSUER_MAX, true, false)) ||
	    (rc = reg_check_text(f, "signer_title", d->signer_title, AWARD_SIGNER_TITLE_MAX, true,
				 false)) ||
	    (rc = reg_check_text(f, "signer_name", d->signer_name, AWARD_SIGNER_NAME_MAX, false,
				 false)))
		return rc;
	if (d->year < AWARD_YEAR_MIN || d->year > AWARD_YEAR_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "year", AWARD_YEAR_MAX);
	if ((rc = reg_check_choice(f, "form", d->form, award_forms, true)) ||
	    (rc = reg_check_text(f, "achievement", d->achievement, AWARD_ACHIEVEMENT_MAX, true,
				 true)) ||
	    (rc = reg_check_text(f, "place", d->place, AWARD_PLACE_MAX, false, false)))
		return rc;
	if (d->nrecipients == 0)
		return reg_refuse(f, REG_REQUIRED, "recipients");
	if (d->nrecipients > AWARD_RECIPIENTS_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "recipients", AWARD_RECIPIENTS_MAX);
	for (size_t i = 0; i < d->nrecipients; i++) {
		const award_recipient *r = &d->recipients[i];
		if ((r->unit_id > 0) == (r->person_id > 0))
			return refuse_recipient(f, REG_NOT_FOUND, i, 0);
		for (size_t j = 0; j < i; j++)
			if (d->recipients[j].unit_id == r->unit_id &&
			    d->recipients[j].person_id == r->person_id)
				return refuse_recipient(f, REG_BAD_CHOICE, i, 0);
	}
	return 0;
}

/* The decision in force, other than `self`, that already rewarded r in
 * d's form for d's period: the rule's one statement. 0 with *by, 1 none,
 * -1. */
static int already_rewarded(db_t *db, const award_decision *d, int64_t self,
			    const award_recipient *r, int64_t *by)
{
	db_stmt *st = db_prepare(db, "SELECT decision_id FROM award_given WHERE form = ?1"
				     " AND year = ?2 AND campaign_id = ?3 AND unit_id IS ?4"
				     " AND person_id IS ?5 AND decision_id <> ?6 LIMIT 1");
	bool bound = st != NULL && db_bind_text(st, 1, d->form, -1) == 0 &&
		     db_bind_int64(st, 2, d->year) == 0 && db_bind_int64(st, 3, d->campaign_id) == 0 &&
		     bind_id(st, 4, r->unit_id) == 0 && bind_id(st, 5, r->person_id) == 0 &&
		     db_bind_int64(st, 6, self) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*by = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	return step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
}

/* Each recipient exists, may receive the form, and was not rewarded so
 * already. */
static int check_recipients(db_t *db, const award_decision *d, int64_t self, model_problem *f)
{
	int scope = award_form_scope(d->form);
	for (size_t i = 0; i < d->nrecipients; i++) {
		const award_recipient *r = &d->recipients[i];
		bool person = r->person_id > 0;
		int found = reg_exists(db,
				       person ? "SELECT 1 FROM people WHERE id = ?"
					      : "SELECT 1 FROM units WHERE id = ?",
				       person ? r->person_id : r->unit_id);
		if (found <= 0)
			return found < 0 ? -1 : refuse_recipient(f, REG_NOT_FOUND, i, 0);
		if ((scope == AWARD_FOR_PERSON && !person) ||
		    (scope == AWARD_FOR_COLLECTIVE && person))
			return refuse_recipient(f, REG_WRONG_STATE, i, 0);
		int64_t by = 0;
		int rc = already_rewarded(db, d, self, r, &by);
		if (rc <= 0)
			return rc < 0 ? -1 : refuse_recipient(f, REG_DUPLICATE, i, by);
	}
	return 0;
}

/* What needs storage before a decision is saved: its own state, the
 * campaign, the file, the number, the recipients. */
static int check_stored(db_t *db, const award_decision *d, int64_t record, model_problem *f)
{
	int rc = 0;
	if (record != 0) {
		db_stmt *st;
		int step = reg_fetch(db, "SELECT revoked_on IS NOT NULL FROM award_decisions"
					 " WHERE id = ?", record, &st);
		if (step == DB_ROW) {
			bool revoked = db_col_int64(st, 0) != 0;
			db_done(st);
			if (revoked)
				return reg_refuse(f, REG_WRONG_STATE, "revoked_reason");
		} else {
			return step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "id") : -1;
		}
	}
	char today[11];
	reg_today(today);
	if (strcmp(d->decided_on, today) > 0)
		return reg_refuse(f, REG_IN_FUTURE, "decided_on");
	/* A period cannot be rewarded before it begins. */
	char year[8];
	snprintf(year, sizeof year, "%04lld", (long long)d->year);
	if (strncmp(year, d->decided_on, 4) > 0)
		return reg_refuse(f, REG_WRONG_STATE, "year");
	if (d->campaign_id > 0) {
		db_stmt *st;
		int step = reg_fetch(db, "SELECT year FROM award_campaigns WHERE id = ?",
				     d->campaign_id, &st);
		if (step != DB_ROW)
			return step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "campaign_id") : -1;
		int64_t campaign_year = db_col_int64(st, 0);
		db_done(st);
		if (campaign_year != d->year)
			return reg_refuse(f, REG_WRONG_STATE, "campaign_id");
	}
	if (d->media_id > 0 &&
	    (rc = reg_require(db, f, REG_NOT_FOUND, "media_id", "SELECT 1 FROM media WHERE id = ?",
			      d->media_id)) != 0)
		return rc;
	db_stmt *st = db_prepare(db, "SELECT 1 FROM award_decisions WHERE issuer = ?1"
				     " AND substr(decided_on, 1, 4) = substr(?2, 1, 4)"
				     " AND number = ?3 AND id <> ?4");
	bool bound = st != NULL && db_bind_text(st, 1, d->issuer, -1) == 0 &&
		     db_bind_text(st, 2, d->decided_on, -1) == 0 &&
		     db_bind_text(st, 3, d->number, -1) == 0 && db_bind_int64(st, 4, record) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	if (step != DB_DONE)
		return step == DB_ROW ? reg_refuse(f, REG_DUPLICATE, "number") : -1;
	return check_recipients(db, d, record, f);
}

static const char *const decision_save_sql[] = {
	"INSERT INTO award_decisions (number, decided_on, issuer, signer_title, signer_name, year,"
	" campaign_id, form, achievement, place, media_id, user_id)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE ?13 = 0",
	"UPDATE award_decisions SET number = ?1, decided_on = ?2, issuer = ?3, signer_title = ?4,"
	" signer_name = ?5, year = ?6, campaign_id = ?7, form = ?8, achievement = ?9, place = ?10,"
	" media_id = ?11, updated_at = unixepoch() WHERE id = ?13 AND revoked_on IS NULL"};

static int write_recipients(db_t *db, const award_decision *d, int64_t id)
{
	db_stmt *st = db_prepare(db, "DELETE FROM award_recipients WHERE decision_id = ?");
	bool ok = st != NULL && db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE;
	if (st != NULL)
		db_done(st);
	for (size_t i = 0; ok && i < d->nrecipients; i++) {
		st = db_prepare(db, "INSERT INTO award_recipients (decision_id, position, unit_id,"
				    " person_id) VALUES (?, ?, ?, ?)");
		ok = st != NULL && db_bind_int64(st, 1, id) == 0 &&
		     db_bind_int64(st, 2, (int64_t)i + 1) == 0 &&
		     bind_id(st, 3, d->recipients[i].unit_id) == 0 &&
		     bind_id(st, 4, d->recipients[i].person_id) == 0 && db_step(st) == DB_DONE;
		if (st != NULL)
			db_done(st);
	}
	return ok ? 0 : -1;
}

/* Inserts (record 0) or replaces decision record with d's fields. */
static int decision_save(db_t *db, const award_decision *d, int64_t record, int64_t user_id,
			 int64_t *id, model_problem *f)
{
	int result = award_decision_check(d, f);
	int nested;
	if (result != 0 || db_write_begin(db, &nested) != 0)
		return result != 0 ? result : -1;
	result = check_stored(db, d, record, f);
	int64_t saved = 0;
	if (result == 0) {
		db_stmt *st = db_prepare(db, decision_save_sql[record != 0]);
		bool bound = st != NULL && db_bind_text(st, 1, d->number, -1) == 0 &&
			     db_bind_text(st, 2, d->decided_on, -1) == 0 &&
			     db_bind_text(st, 3, d->issuer, -1) == 0 &&
			     db_bind_text(st, 4, d->signer_title, -1) == 0 &&
			     db_bind_text(st, 5, or_empty(d->signer_name), -1) == 0 &&
			     db_bind_int64(st, 6, d->year) == 0 && bind_id(st, 7, d->campaign_id) == 0 &&
			     db_bind_text(st, 8, d->form, -1) == 0 &&
			     db_bind_text(st, 9, d->achievement, -1) == 0 &&
			     db_bind_text(st, 10, or_empty(d->place), -1) == 0 &&
			     bind_id(st, 11, d->media_id) == 0 &&
			     bind_id(st, 12, user_id) == 0 &&
			     db_bind_int64(st, 13, record) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, record, &saved, f);
	}
	if (result == 0)
		result = write_recipients(db, d, saved);
	if (result == 0 && id != NULL)
		*id = saved;
	return reg_finish(db, nested, result);
}

int award_decision_add(db_t *db, const award_decision *d, int64_t user_id, int64_t *id,
		       model_problem *f)
{
	return decision_save(db, d, 0, user_id, id, f);
}

int award_decision_update(db_t *db, const award_decision *d, model_problem *f)
{
	return d->id > 0 ? decision_save(db, d, d->id, 0, NULL, f)
			 : reg_refuse(f, REG_NOT_FOUND, "id");
}

int award_decision_revoke(db_t *db, int64_t id, const char *on, const char *reason,
			  model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "revoked_reason", reason, AWARD_REASON_MAX, true, true)) ||
	    (rc = reg_check_date(f, "revoked_on", on, true)))
		return rc;
	char today[11];
	reg_today(today);
	if (strcmp(on, today) > 0)
		return reg_refuse(f, REG_IN_FUTURE, "revoked_on");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	db_stmt *st;
	int step = reg_fetch(db, "SELECT decided_on, revoked_on IS NOT NULL FROM award_decisions"
				 " WHERE id = ?", id, &st);
	int result = step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "id") : step == DB_ROW ? 0 : -1;
	if (step == DB_ROW) {
		const char *decided = db_col_text(st, 0);
		if (db_col_int64(st, 1) != 0)
			result = reg_refuse(f, REG_WRONG_STATE, "revoked_reason");
		else if (decided == NULL || strcmp(on, decided) < 0)
			result = reg_refuse(f, REG_OUT_OF_RANGE, "revoked_on");
		db_done(st);
	}
	if (result == 0) {
		st = db_prepare(db, "UPDATE award_decisions SET revoked_on = ?1, revoked_reason = ?2,"
				    " updated_at = unixepoch() WHERE id = ?3 AND revoked_on IS NULL");
		bool bound = st != NULL && db_bind_text(st, 1, on, -1) == 0 &&
			     db_bind_text(st, 2, reason, -1) == 0 && db_bind_int64(st, 3, id) == 0;
		step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, id, NULL, f);
	}
	return reg_finish(db, nested, result);
}

#define DECISION_COLUMNS                                                                     \
	"SELECT d.id, d.year, ifnull(d.campaign_id, 0), ifnull(d.media_id, 0),"               \
	" (SELECT count(*) FROM award_recipients r WHERE r.decision_id = d.id),"             \
	" d.number, d.decided_on, d.issuer, d.signer_title, d.signer_name, d.form,"           \
	" d.achievement, d.place, ifnull(d.revoked_on, ''), d.revoked_reason,"               \
	" ifnull(c.name, ''), ifnull(m.original_name, '')"                                   \
	" FROM award_decisions d LEFT JOIN award_campaigns c ON c.id = d.campaign_id"         \
	" LEFT JOIN media m ON m.id = d.media_id"

static int decision_fill(arena_t *a, db_stmt *st, void *item)
{
	award_decision *d = item;
	int64_t count = 0;
	int64_t *const numbers[] = {&d->id, &d->year, &d->campaign_id, &d->media_id, &count};
	const char **const texts[] = {&d->number,	  &d->decided_on,     &d->issuer,
				      &d->signer_title,	  &d->signer_name,    &d->form,
				      &d->achievement,	  &d->place,	      &d->revoked_on,
				      &d->revoked_reason, &d->campaign_name, &d->media_name};
	int rc = reg_read_row(a, st, numbers, 5, texts, 12);
	d->nrecipients = (size_t)count;
	return rc;
}

int award_decision_get(db_t *db, arena_t *a, int64_t id, award_decision *out)
{
	int rc = reg_get_row(db, a, DECISION_COLUMNS " WHERE d.id = ?", id, sizeof *out,
			     decision_fill, out);
	if (rc == 0 && recipients_of(db, a, out) != 0)
		rc = -1;
	return rc;
}

int award_decision_list(db_t *db, arena_t *a, int year, award_decision **items, size_t *n)
{
	db_stmt *st = db_prepare(db, DECISION_COLUMNS " WHERE ?1 = 0 OR d.year = ?1"
						      " ORDER BY d.decided_on DESC, d.id DESC");
	bool bound = st != NULL && db_bind_int64(st, 1, year) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, AWARD_LIST_MAX, decision_fill, items, n,
			    NULL);
}

int award_list_year(db_t *db, arena_t *a, int year, award_decision **items, size_t *n)
{
	db_stmt *st = db_prepare(db, DECISION_COLUMNS " WHERE d.year = ?1 AND d.revoked_on IS NULL"
						      " ORDER BY d.decided_on, d.number, d.id");
	bool bound = st != NULL && db_bind_int64(st, 1, year) == 0;
	if (db_fill_rows(st, bound, a, sizeof **items, AWARD_LIST_MAX, decision_fill, items, n,
			 NULL) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (recipients_of(db, a, &(*items)[i]) != 0)
			return -1;
	return 0;
}

static int history_fill(arena_t *a, db_stmt *st, void *item)
{
	award_history_row *h = item;
	int64_t *const numbers[] = {&h->decision_id, &h->recipient_id, &h->year};
	const char **const texts[] = {&h->number, &h->decided_on,  &h->issuer,	   &h->signer_title,
				      &h->form,	  &h->achievement, &h->revoked_on};
	return reg_read_row(a, st, numbers, 3, texts, 7);
}

int award_history(db_t *db, arena_t *a, int64_t unit_id, int64_t person_id,
		  award_history_row **rows, size_t *n)
{
	db_stmt *st = db_prepare(
	    db, "SELECT d.id, r.id, d.year, d.number, d.decided_on, d.issuer, d.signer_title,"
		" d.form, d.achievement, ifnull(d.revoked_on, '')"
		" FROM award_recipients r JOIN award_decisions d ON d.id = r.decision_id"
		" WHERE r.unit_id IS ?1 AND r.person_id IS ?2"
		" ORDER BY d.decided_on DESC, d.id DESC");
	bool bound = st != NULL && bind_id(st, 1, unit_id) == 0 && bind_id(st, 2, person_id) == 0;
	return db_fill_rows(st, bound, a, sizeof **rows, AWARD_LIST_MAX, history_fill, rows, n,
			    NULL);
}

/* ---- campaigns --------------------------------------------------------------- */

int award_campaign_add(db_t *db, const award_campaign *c, int64_t *id, model_problem *f)
{
	int rc;
	if (c->year < AWARD_YEAR_MIN || c->year > AWARD_YEAR_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "year", AWARD_YEAR_MAX);
	if ((rc = reg_check_text(f, "name", c->name, AWARD_CAMPAIGN_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "content", c->content, AWARD_CAMPAIGN_CONTENT_MAX, false,
				 true)) ||
	    (rc = reg_check_date(f, "starts_on", c->starts_on, false)) ||
	    (rc = reg_check_date(f, "ends_on", c->ends_on, false)))
		return rc;
	if (c->starts_on != NULL && c->ends_on != NULL && c->starts_on[0] != '\0' &&
	    c->ends_on[0] != '\0' && strcmp(c->ends_on, c->starts_on) < 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "ends_on");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "INSERT INTO award_campaigns (year, name, content, starts_on,"
				     " ends_on) SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS"
				     " (SELECT 1 FROM award_campaigns WHERE year = ?1 AND name = ?2)");
	bool bound = st != NULL && db_bind_int64(st, 1, c->year) == 0 &&
		     db_bind_text(st, 2, c->name, -1) == 0 &&
		     db_bind_text(st, 3, or_empty(c->content), -1) == 0 &&
		     bind_day(st, 4, c->starts_on) == 0 && bind_day(st, 5, c->ends_on) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	int64_t saved = 0;
	int result = reg_inserted(db, step, f, "name", &saved);
	if (result == REG_NOT_FOUND)
		result = reg_refuse(f, REG_DUPLICATE, "name");
	if (result == 0 && id != NULL)
		*id = saved;
	return reg_finish(db, nested, result);
}

static int campaign_fill(arena_t *a, db_stmt *st, void *item)
{
	award_campaign *c = item;
	int64_t *const numbers[] = {&c->id, &c->year, &c->registrations, &c->decisions};
	const char **const texts[] = {&c->name, &c->content, &c->starts_on, &c->ends_on};
	return reg_read_row(a, st, numbers, 4, texts, 4);
}

int award_campaign_list(db_t *db, arena_t *a, int year, award_campaign **items, size_t *n)
{
	db_stmt *st = db_prepare(
	    db, "SELECT c.id, c.year,"
		" (SELECT count(*) FROM award_registrations g WHERE g.campaign_id = c.id),"
		" (SELECT count(*) FROM award_decisions d WHERE d.campaign_id = c.id),"
		" c.name, c.content, ifnull(c.starts_on, ''), ifnull(c.ends_on, '')"
		" FROM award_campaigns c WHERE ?1 = 0 OR c.year = ?1"
		" ORDER BY c.year DESC, c.name, c.id");
	bool bound = st != NULL && db_bind_int64(st, 1, year) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, AWARD_LIST_MAX, campaign_fill, items, n,
			    NULL);
}

/* ---- registrations -------------------------------------------------------------- */

int award_registration_add(db_t *db, const award_registration *r, int64_t user_id, int64_t *id,
			   model_problem *f)
{
	int rc;
	if (r->year < AWARD_YEAR_MIN || r->year > AWARD_YEAR_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "year", AWARD_YEAR_MAX);
	if ((r->who.unit_id > 0) == (r->who.person_id > 0))
		return reg_refuse(f, REG_REQUIRED, "recipient");
	if ((rc = reg_check_choice(f, "form", r->form, award_forms, true)) ||
	    (rc = reg_check_text(f, "note", r->note, AWARD_NOTE_MAX, false, true)))
		return rc;
	bool person = r->who.person_id > 0;
	int scope = award_form_scope(r->form);
	if ((scope == AWARD_FOR_PERSON && !person) || (scope == AWARD_FOR_COLLECTIVE && person))
		return reg_refuse(f, REG_WRONG_STATE, "form");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = reg_require(db, f, REG_NOT_FOUND, "recipient",
				 person ? "SELECT 1 FROM people WHERE id = ?"
					: "SELECT 1 FROM units WHERE id = ?",
				 person ? r->who.person_id : r->who.unit_id);
	if (result == 0 && r->campaign_id > 0) {
		db_stmt *st;
		int step = reg_fetch(db, "SELECT year FROM award_campaigns WHERE id = ?",
				     r->campaign_id, &st);
		result = step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "campaign_id")
			 : step == DB_ROW ? 0 : -1;
		if (step == DB_ROW) {
			if (db_col_int64(st, 0) != r->year)
				result = reg_refuse(f, REG_WRONG_STATE, "campaign_id");
			db_done(st);
		}
	}
	if (result == 0) {
		db_stmt *st = db_prepare(
		    db, "INSERT INTO award_registrations (year, campaign_id, unit_id, person_id, form,"
			" note, user_id) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS"
			" (SELECT 1 FROM award_registrations WHERE year = ?1 AND unit_id IS ?3"
			" AND person_id IS ?4 AND form = ?5)");
		bool bound = st != NULL && db_bind_int64(st, 1, r->year) == 0 &&
			     bind_id(st, 2, r->campaign_id) == 0 && bind_id(st, 3, r->who.unit_id) == 0 &&
			     bind_id(st, 4, r->who.person_id) == 0 &&
			     db_bind_text(st, 5, r->form, -1) == 0 &&
			     db_bind_text(st, 6, or_empty(r->note), -1) == 0 &&
			     bind_id(st, 7, user_id) == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		int64_t saved = 0;
		result = reg_inserted(db, step, f, "form", &saved);
		if (result == REG_NOT_FOUND)
			result = reg_refuse(f, REG_DUPLICATE, "form");
		if (result == 0 && id != NULL)
			*id = saved;
	}
	return reg_finish(db, nested, result);
}

static int registration_fill(arena_t *a, db_stmt *st, void *item)
{
	award_registration *g = item;
	award_recipient *w = &g->who;
	int64_t *const numbers[] = {&g->id,	    &g->year,	    &g->campaign_id, &g->awarded_id,
				    &w->unit_id, &w->person_id};
	const char **const texts[] = {&g->form,	   &g->note,	      &g->campaign_name,
				      &g->awarded_number, &w->kind,	      &w->name,
				      &w->title,	   &w->position,     &w->unit_name};
	return reg_read_row(a, st, numbers, 6, texts, 9);
}

int award_registration_list(db_t *db, arena_t *a, int year, award_registration **items,
			    size_t *n)
{
	/* "Awarded": a decision in force of the year and form that rewards the
	 * same recipient (award_given, the rule's view). */
	db_stmt *st = db_prepare(
	    db, "SELECT r.id, r.year, ifnull(r.campaign_id, 0), ifnull(g.decision_id, 0),"
		" ifnull(r.unit_id, 0), ifnull(r.person_id, 0), r.form, r.note, ifnull(c.name, ''),"
		" ifnull(g.number, '')," RECIPIENT_COLUMNS
		" FROM award_registrations r LEFT JOIN award_campaigns c ON c.id = r.campaign_id"
		" LEFT JOIN award_given g ON g.recipient_id = (SELECT x.recipient_id FROM award_given x"
		"  WHERE x.year = r.year AND x.form = r.form AND x.unit_id IS r.unit_id"
		"  AND x.person_id IS r.person_id LIMIT 1)" RECIPIENT_JOINS
		" WHERE ?1 = 0 OR r.year = ?1"
		" ORDER BY r.year DESC, r.person_id IS NOT NULL, coalesce(p.name, u.name), r.id");
	bool bound = st != NULL && db_bind_int64(st, 1, year) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, AWARD_LIST_MAX, registration_fill, items,
			    n, NULL);
}
