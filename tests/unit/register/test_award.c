/*
 * test_award.c - emulation and commendation (src/model/award.c): every
 * field's refusal, the number unique per issuing body and year, recipients
 * that must exist and fit the form (a person's title, a collective's), the
 * rule that one achievement is not rewarded twice in the same form for the
 * same period, revocation, histories, the annual report's list, campaigns,
 * registrations and the demo's 2020 decision. A fresh migrated database
 * per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/award.h"
#include "model/plan.h"

/* A migrated database with the museum, one department and two people:
 * their ids in u[0..1] and p[0..1]. */
typedef struct {
	TESTDB_FIXTURE;
	int64_t u[2], p[2];
} fixture;

#define ISSUER "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên"

static int64_t insert(fixture *f, const char *sql)
{
	assert_int_equal(db_exec(f->db, sql), 0);
	return db_last_insert_id(f->db);
}

static void people(fixture *f)
{
	int64_t *u = f->u, *p = f->p;
	u[0] = insert(f, "INSERT INTO units (kind, name) VALUES ('bao_tang', 'Bảo tàng')");
	char sql[200];
	snprintf(sql, sizeof sql,
		 "INSERT INTO units (kind, name, parent_id) VALUES ('phong', 'Phòng Nghiệp vụ', %lld)",
		 (long long)u[0]);
	u[1] = insert(f, sql);
	snprintf(sql, sizeof sql, "INSERT INTO people (name, unit_id) VALUES ('Lò Thị Hoa', %lld)",
		 (long long)u[1]);
	p[0] = insert(f, sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO people (name, unit_id) VALUES ('Trần Văn Khánh', %lld)",
		 (long long)u[1]);
	p[1] = insert(f, sql);
}

static award_decision decision(award_recipient *who, size_t n)
{
	return (award_decision){.number = "12/QĐ-SVHTTDL",
				.decided_on = "2020-12-28",
				.issuer = ISSUER,
				.signer_title = "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
				.signer_name = "Bùi Minh Hải",
				.year = 2020,
				.form = "giay_khen",
				.achievement = "Hoàn thành xuất sắc nhiệm vụ năm 2020",
				.place = "Điện Biên",
				.recipients = who,
				.nrecipients = n};
}

static void refused(fixture *f, const award_decision *d, int code, const char *field, int item)
{
	model_problem why = {0};
	int64_t id = 0;
	int64_t before = testdb_query_int(f->db, "SELECT count(*) FROM award_decisions");
	assert_int_equal(award_decision_add(f->db, d, 0, &id, &why), code);
	assert_int_equal(why.code, code);
	assert_string_equal(why.field, field);
	assert_int_equal(why.item, item);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM award_decisions"), before);
}

static void test_form_scope(void **state)
{
	(void)state;
	assert_int_equal(award_form_scope("giay_khen"), AWARD_FOR_ANY);
	assert_int_equal(award_form_scope("bang_khen"), AWARD_FOR_ANY);
	assert_int_equal(award_form_scope("lao_dong_tien_tien"), AWARD_FOR_PERSON);
	assert_int_equal(award_form_scope("chien_si_thi_dua_co_so"), AWARD_FOR_PERSON);
	assert_int_equal(award_form_scope("tap_the_lao_dong_tien_tien"), AWARD_FOR_COLLECTIVE);
	assert_int_equal(award_form_scope("tap_the_lao_dong_xuat_sac"), AWARD_FOR_COLLECTIVE);
	assert_int_equal(award_form_scope("co_thi_dua"), AWARD_FOR_COLLECTIVE);
	assert_int_equal(award_form_scope("Giấy khen"), -1);
	assert_int_equal(award_form_scope(NULL), -1);
	for (size_t i = 0; award_forms[i] != NULL; i++)
		assert_true(award_form_scope(award_forms[i]) >= 0);
}

static void test_add_and_get(void **state)
{
	fixture *f = *state;
	award_recipient who[] = {{.unit_id = f->u[0]}, {.unit_id = f->u[1]}, {.person_id = f->p[1]},
				 {.person_id = f->p[0]}};
	award_decision d = decision(who, 4);
	int64_t id;
	model_problem why;
	assert_int_equal(award_decision_add(f->db, &d, 0, &id, &why), 0);
	award_decision got;
	assert_int_equal(award_decision_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.number, "12/QĐ-SVHTTDL");
	assert_string_equal(got.decided_on, "2020-12-28");
	assert_string_equal(got.form, "giay_khen");
	assert_string_equal(got.revoked_on, "");
	assert_int_equal(got.nrecipients, 4);
	assert_string_equal(got.recipients[0].kind, AWARD_KIND_UNIT);
	assert_string_equal(got.recipients[1].kind, AWARD_KIND_COLLECTIVE);
	assert_string_equal(got.recipients[1].unit_name, "Bảo tàng");
	assert_string_equal(got.recipients[2].kind, AWARD_KIND_PERSON);
	assert_string_equal(got.recipients[2].name, "Trần Văn Khánh");   /* the decision's order */
	assert_string_equal(got.recipients[3].name, "Lò Thị Hoa");
	assert_string_equal(got.recipients[3].unit_name, "Phòng Nghiệp vụ");
	award_recipient r;
	assert_int_equal(award_recipient_get(f->db, f->arena, id, got.recipients[3].id, &r), 0);
	assert_string_equal(r.name, "Lò Thị Hoa");
	assert_int_equal(award_recipient_get(f->db, f->arena, id + 1, got.recipients[3].id, &r), 1);
	assert_int_equal(award_decision_get(f->db, f->arena, id + 1, &got), 1);
	award_recipient *cands;
	size_t n;
	assert_int_equal(award_candidates(f->db, f->arena, &cands, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(cands[0].name, "Bảo tàng");
	assert_string_equal(cands[1].name, "Phòng Nghiệp vụ");
	assert_string_equal(cands[2].kind, AWARD_KIND_PERSON);
}

static void test_fields_refused(void **state)
{
	fixture *f = *state;
	award_recipient who[] = {{.person_id = f->p[0]}};
	award_decision d = decision(who, 1);
	d.number = " ";
	refused(f, &d, REG_REQUIRED, "number", 0);
	d = decision(who, 1);
	d.number = "1234567890123456789012345678901234567890123456789012345678901";
	refused(f, &d, REG_TOO_LONG, "number", 0);
	d = decision(who, 1);
	d.decided_on = "2020-02-30";
	refused(f, &d, REG_BAD_DATE, "decided_on", 0);
	d.decided_on = "2999-01-01";
	d.year = 2100;
	refused(f, &d, REG_IN_FUTURE, "decided_on", 0);
	d = decision(who, 1);
	d.issuer = "";
	refused(f, &d, REG_REQUIRED, "issuer", 0);
	d = decision(who, 1);
	d.signer_title = "";
	refused(f, &d, REG_REQUIRED, "signer_title", 0);
	d = decision(who, 1);
	d.signer_name = "a\001b";
	refused(f, &d, REG_BAD_TEXT, "signer_name", 0);
	d = decision(who, 1);
	d.year = 1999;
	refused(f, &d, REG_OUT_OF_RANGE, "year", 0);
	d.year = 2021;   /* a period after the decision's day */
	refused(f, &d, REG_WRONG_STATE, "year", 0);
	d = decision(who, 1);
	d.form = "huy_chuong_vang";
	refused(f, &d, REG_BAD_CHOICE, "form", 0);
	d.form = "";
	refused(f, &d, REG_REQUIRED, "form", 0);
	d = decision(who, 1);
	d.achievement = "";
	refused(f, &d, REG_REQUIRED, "achievement", 0);
	d = decision(who, 1);
	d.campaign_id = 999;
	refused(f, &d, REG_NOT_FOUND, "campaign_id", 0);
	d = decision(who, 1);
	d.media_id = 999;
	refused(f, &d, REG_NOT_FOUND, "media_id", 0);
	d = decision(who, 0);
	refused(f, &d, REG_REQUIRED, "recipients", 0);
}

static void test_recipients_refused(void **state)
{
	fixture *f = *state;
	award_recipient unknown[] = {{.person_id = f->p[0]}, {.person_id = 999}};
	award_decision d = decision(unknown, 2);
	refused(f, &d, REG_NOT_FOUND, "recipients", 2);
	award_recipient no_unit[] = {{.unit_id = 999}};
	d = decision(no_unit, 1);
	refused(f, &d, REG_NOT_FOUND, "recipients", 1);
	award_recipient twice[] = {{.person_id = f->p[0]}, {.unit_id = f->u[1]},
				   {.person_id = f->p[0]}};
	d = decision(twice, 3);
	refused(f, &d, REG_BAD_CHOICE, "recipients", 3);
	/* Lao động tiên tiến is a person's title; Tập thể ... a collective's. */
	award_recipient mixed[] = {{.person_id = f->p[0]}, {.unit_id = f->u[1]}};
	d = decision(mixed, 2);
	d.form = "lao_dong_tien_tien";
	refused(f, &d, REG_WRONG_STATE, "recipients", 2);
	d.form = "tap_the_lao_dong_tien_tien";
	refused(f, &d, REG_WRONG_STATE, "recipients", 1);
	d.form = "chien_si_thi_dua_co_so";
	refused(f, &d, REG_WRONG_STATE, "recipients", 2);
	d.form = "co_thi_dua";
	refused(f, &d, REG_WRONG_STATE, "recipients", 1);
	d.form = "bang_khen";   /* either */
	model_problem why;
	assert_int_equal(award_decision_add(f->db, &d, 0, NULL, &why), 0);
}

static void test_number_unique_per_issuer_and_year(void **state)
{
	fixture *f = *state;
	award_recipient who[] = {{.person_id = f->p[0]}};
	award_decision d = decision(who, 1);
	model_problem why;
	assert_int_equal(award_decision_add(f->db, &d, 0, NULL, &why), 0);
	award_recipient other[] = {{.person_id = f->p[1]}};
	d = decision(other, 1);
	d.decided_on = "2020-03-01";   /* same body, same year */
	refused(f, &d, REG_DUPLICATE, "number", 0);
	d.issuer = "Ủy ban nhân dân tỉnh Điện Biên";   /* another body */
	assert_int_equal(award_decision_add(f->db, &d, 0, NULL, &why), 0);
	d = decision(other, 1);
	d.decided_on = "2021-01-10";   /* the same number in another year */
	d.form = "bang_khen";
	assert_int_equal(award_decision_add(f->db, &d, 0, NULL, &why), 0);
}

static void test_not_rewarded_twice(void **state)
{
	fixture *f = *state;
	award_recipient who[] = {{.unit_id = f->u[1]}, {.person_id = f->p[0]}};
	award_decision d = decision(who, 2);
	int64_t first;
	model_problem why;
	assert_int_equal(award_decision_add(f->db, &d, 0, &first, &why), 0);
	award_recipient again[] = {{.person_id = f->p[1]}, {.person_id = f->p[0]}};
	d = decision(again, 2);
	d.number = "13/QĐ-SVHTTDL";
	int64_t id = 0;
	assert_int_equal(award_decision_add(f->db, &d, 0, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "recipients");
	assert_int_equal(why.item, 2);
	assert_int_equal(why.count, first);
	/* Another form, or another year, is another achievement. */
	d.form = "bang_khen";
	assert_int_equal(award_decision_add(f->db, &d, 0, &id, &why), 0);
	d = decision(again, 2);
	d.number = "14/QĐ-SVHTTDL";
	d.decided_on = "2021-12-20";
	d.year = 2021;
	assert_int_equal(award_decision_add(f->db, &d, 0, &id, &why), 0);
	/* Editing a decision does not collide with itself. */
	award_decision self = decision(who, 2);
	self.id = first;
	self.achievement = "Sửa lời";
	assert_int_equal(award_decision_update(f->db, &self, &why), 0);
	/* Once the first is revoked, the achievement can be rewarded again. */
	assert_int_equal(award_decision_revoke(f->db, first, "2021-01-05", "Kê khai không đúng", &why),
			 0);
	d = decision(again, 2);
	d.number = "15/QĐ-SVHTTDL";
	assert_int_equal(award_decision_add(f->db, &d, 0, &id, &why), 0);
}

static void test_revoke(void **state)
{
	fixture *f = *state;
	award_recipient who[] = {{.person_id = f->p[0]}};
	award_decision d = decision(who, 1);
	int64_t id;
	model_problem why;
	assert_int_equal(award_decision_add(f->db, &d, 0, &id, &why), 0);
	assert_int_equal(award_decision_revoke(f->db, id, "2021-01-05", " ", &why), REG_REQUIRED);
	assert_string_equal(why.field, "revoked_reason");
	assert_int_equal(award_decision_revoke(f->db, id, "2021-02-30", "Lý do", &why), REG_BAD_DATE);
	assert_string_equal(why.field, "revoked_on");
	assert_int_equal(award_decision_revoke(f->db, id, "2020-12-27", "Lý do", &why),
			 REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "revoked_on");
	assert_int_equal(award_decision_revoke(f->db, id, "2999-01-01", "Lý do", &why), REG_IN_FUTURE);
	assert_int_equal(award_decision_revoke(f->db, id + 1, "2021-01-05", "Lý do", &why),
			 REG_NOT_FOUND);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM award_decisions"
						 " WHERE revoked_on IS NOT NULL"), 0);
	assert_int_equal(award_decision_revoke(f->db, id, "2021-01-05", "Thành tích kê khai không"
					       " trung thực", &why), 0);
	assert_int_equal(award_decision_revoke(f->db, id, "2021-01-06", "Lần nữa", &why),
			 REG_WRONG_STATE);
	assert_string_equal(why.field, "revoked_reason");
	d.id = id;
	assert_int_equal(award_decision_update(f->db, &d, &why), REG_WRONG_STATE);
	/* Still listed, marked; left out of the year's report. */
	award_decision *list;
	size_t n;
	assert_int_equal(award_decision_list(f->db, f->arena, 2020, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].revoked_on, "2021-01-05");
	assert_string_equal(list[0].revoked_reason, "Thành tích kê khai không trung thực");
	assert_int_equal(award_list_year(f->db, f->arena, 2020, &list, &n), 0);
	assert_int_equal(n, 0);
	award_history_row *h;
	assert_int_equal(award_history(f->db, f->arena, 0, f->p[0], &h, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].revoked_on, "2021-01-05");
}

static void test_history_and_year_list(void **state)
{
	fixture *f = *state;
	award_recipient who[] = {{.unit_id = f->u[1]}, {.person_id = f->p[0]}};
	award_decision d = decision(who, 2);
	model_problem why;
	assert_int_equal(award_decision_add(f->db, &d, 0, NULL, &why), 0);
	award_recipient one[] = {{.person_id = f->p[0]}};
	d = decision(one, 1);
	d.number = "40/QĐ-UBND";
	d.issuer = "Ủy ban nhân dân tỉnh Điện Biên";
	d.form = "chien_si_thi_dua_co_so";
	d.decided_on = "2021-03-01";
	assert_int_equal(award_decision_add(f->db, &d, 0, NULL, &why), 0);
	award_history_row *h;
	size_t n;
	assert_int_equal(award_history(f->db, f->arena, 0, f->p[0], &h, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(h[0].number, "40/QĐ-UBND");   /* newest first */
	assert_string_equal(h[1].form, "giay_khen");
	assert_int_equal(award_history(f->db, f->arena, f->u[1], 0, &h, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(award_history(f->db, f->arena, f->u[0], 0, &h, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(award_history(f->db, f->arena, 0, f->p[1], &h, &n), 0);
	assert_int_equal(n, 0);
	award_decision *list;
	assert_int_equal(award_list_year(f->db, f->arena, 2020, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].number, "12/QĐ-SVHTTDL");   /* by day, oldest first */
	assert_int_equal(list[0].nrecipients, 2);
	assert_string_equal(list[0].recipients[0].kind, AWARD_KIND_COLLECTIVE);
	assert_string_equal(list[0].recipients[1].name, "Lò Thị Hoa");
	assert_string_equal(list[1].number, "40/QĐ-UBND");   /* decided 2021, for 2020 */
	assert_int_equal(list[1].nrecipients, 1);
	assert_int_equal(award_list_year(f->db, f->arena, 2019, &list, &n), 0);
	assert_int_equal(n, 0);
}

static void test_campaigns(void **state)
{
	fixture *f = *state;
	award_campaign c = {.year = 2020, .name = "Phong trào thi đua yêu nước", .content = "",
			    .starts_on = "2020-01-02", .ends_on = "2020-12-15"};
	int64_t id;
	model_problem why;
	assert_int_equal(award_campaign_add(f->db, &c, &id, &why), 0);
	assert_int_equal(award_campaign_add(f->db, &c, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "name");
	c.year = 2021;
	c.starts_on = "2021-05-01";
	c.ends_on = "2021-04-30";
	assert_int_equal(award_campaign_add(f->db, &c, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "ends_on");
	c.ends_on = "31/12/2021";   /* the handler turns dd/mm/yyyy into a day */
	assert_int_equal(award_campaign_add(f->db, &c, &id, &why), REG_BAD_DATE);
	c.ends_on = "";
	c.name = "";
	assert_int_equal(award_campaign_add(f->db, &c, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "name");
	c.name = "Thi đua";
	c.year = 1900;
	assert_int_equal(award_campaign_add(f->db, &c, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "year");
	award_campaign *list;
	size_t n;
	assert_int_equal(award_campaign_list(f->db, f->arena, 0, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].ends_on, "2020-12-15");
}

static void test_registrations(void **state)
{
	fixture *f = *state;
	award_campaign c = {.year = 2021, .name = "Thi đua chào mừng", .content = ""};
	int64_t campaign, id;
	model_problem why;
	assert_int_equal(award_campaign_add(f->db, &c, &campaign, &why), 0);
	award_registration r = {.year = 2021, .campaign_id = campaign, .form = "lao_dong_tien_tien",
				.note = ""};
	r.who.person_id = f->p[0];
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), 0);
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "form");
	r.form = "tap_the_lao_dong_tien_tien";
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "form");
	r.who = (award_recipient){.unit_id = f->u[1]};
	r.year = 2020;   /* the campaign is 2021's */
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "campaign_id");
	r.year = 2021;
	r.campaign_id = 999;
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "campaign_id");
	r.campaign_id = 0;
	r.who = (award_recipient){.unit_id = 999};
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "recipient");
	r.who = (award_recipient){0};
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "recipient");
	r.who = (award_recipient){.unit_id = f->u[1]};
	r.form = "cờ";
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), REG_BAD_CHOICE);
	r.form = "tap_the_lao_dong_tien_tien";
	assert_int_equal(award_registration_add(f->db, &r, 0, &id, &why), 0);
	/* A decision in force that gives it marks the registration awarded. */
	award_recipient who[] = {{.person_id = f->p[0]}};
	award_decision d = decision(who, 1);
	d.decided_on = "2021-12-20";
	d.year = 2021;
	d.form = "lao_dong_tien_tien";
	int64_t dec;
	assert_int_equal(award_decision_add(f->db, &d, 0, &dec, &why), 0);
	award_registration *list;
	size_t n;
	assert_int_equal(award_registration_list(f->db, f->arena, 2021, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].who.kind, AWARD_KIND_COLLECTIVE);
	assert_int_equal(list[0].awarded_id, 0);
	assert_string_equal(list[1].who.name, "Lò Thị Hoa");
	assert_int_equal(list[1].awarded_id, dec);
	assert_string_equal(list[1].campaign_name, "Thi đua chào mừng");
}

/* The seed: the museum as a unit, Phòng Nghiệp vụ as a collective and 09
 * individuals, giấy khen of the Department's Director. */
static void test_demo_2020(void **state)
{
	fixture *f = *state;
	assert_int_equal(plan_demo_load(f->db), 0);
	assert_int_equal(award_demo_load(f->db), 0);
	assert_int_equal(award_demo_load(f->db), 0);   /* once */
	award_decision *list;
	size_t n;
	assert_int_equal(award_list_year(f->db, f->arena, 2020, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].form, "giay_khen");
	assert_non_null(strstr(list[0].signer_title, "Giám đốc Sở Văn hóa, Thể thao và Du lịch"));
	assert_int_equal(list[0].nrecipients, 11);
	size_t units = 0, collectives = 0, persons = 0;
	for (size_t i = 0; i < list[0].nrecipients; i++) {
		const char *k = list[0].recipients[i].kind;
		units += strcmp(k, AWARD_KIND_UNIT) == 0;
		collectives += strcmp(k, AWARD_KIND_COLLECTIVE) == 0;
		persons += strcmp(k, AWARD_KIND_PERSON) == 0;
	}
	assert_int_equal(units, 1);
	assert_int_equal(collectives, 1);
	assert_int_equal(persons, 9);
	assert_string_equal(list[0].recipients[1].name, "Phòng Nghiệp vụ");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM award_registrations"), 5);
}

static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	if (f == NULL)
		return -1;
	people(f);
	*state = f;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_scope),
		testdb_case(test_add_and_get, setup),
		testdb_case(test_fields_refused, setup),
		testdb_case(test_recipients_refused, setup),
		testdb_case(test_number_unique_per_issuer_and_year, setup),
		testdb_case(test_not_rewarded_twice, setup),
		testdb_case(test_revoke, setup),
		testdb_case(test_history_and_year_list, setup),
		testdb_bare_case(test_campaigns),
		testdb_case(test_registrations, setup),
		testdb_bare_case(test_demo_2020),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
