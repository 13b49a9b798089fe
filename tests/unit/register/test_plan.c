/*
 * test_plan.c - plans and indicators (src/model/plan.c): the percent rule,
 * each computed source over the year, a quarter and a month, the split
 * that must add up, check-ins (dates outside the year, computed indicators
 * refusing a hand-entered value), and the demo's 2020 plan reading 135 ->
 * 117% and 04 -> 133% from the records. A fresh migrated database per test.
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
#include "model/acquisition.h"
#include "model/exhibition.h"
#include "model/exhibition_demo.h"
#include "model/object.h"
#include "model/plan.h"
#include "model/publication.h"
#include "model/register_demo.h"

typedef testdb_fixture fixture;

static void test_percent_rule(void **state)
{
	(void)state;
	assert_int_equal(plan_percent(135, 115), 117);   /* 117.39 */
	assert_int_equal(plan_percent(4, 3), 133);       /* 133.33 */
	assert_int_equal(plan_percent(1, 200), 1);       /* 0.5 rounds up */
	assert_int_equal(plan_percent(1, 201), 0);       /* 0.497 */
	assert_int_equal(plan_percent(2, 3), 67);        /* 66.67 */
	assert_int_equal(plan_percent(5, 8), 63);        /* 62.5 rounds up */
	assert_int_equal(plan_percent(0, 3), 0);
	assert_int_equal(plan_percent(3, 3), 100);
	assert_int_equal(plan_percent(3, 0), 0);
	assert_int_equal(plan_percent(-1, 3), 0);
	assert_true(plan_percent_over(135, 115));
	assert_false(plan_percent_over(3, 3));
	assert_false(plan_percent_over(2, 3));
	char out[16];
	plan_percent_format(out, sizeof out, 135, 115);
	assert_string_equal(out, "117%");
	plan_percent_format(out, sizeof out, 4, 3);
	assert_string_equal(out, "133%");
}

static void test_period_days(void **state)
{
	(void)state;
	char a[11], b[11];
	assert_true(plan_period_days(2020, PLAN_YEAR, a, b));
	assert_string_equal(a, "2020-01-01");
	assert_string_equal(b, "2020-12-31");
	assert_true(plan_period_days(2020, PLAN_Q2, a, b));
	assert_string_equal(a, "2020-04-01");
	assert_string_equal(b, "2020-06-30");
	assert_true(plan_period_days(2020, PLAN_MONTH(2), a, b));
	assert_string_equal(b, "2020-02-29");
	assert_true(plan_period_days(2021, PLAN_MONTH(2), a, b));
	assert_string_equal(b, "2021-02-28");
	assert_false(plan_period_days(2020, PLAN_PERIOD_LAST + 1, a, b));
}

static int64_t new_plan(fixture *f, int year)
{
	plan p = {.year = year, .title = "Kế hoạch"};
	int64_t id;
	model_problem why;
	assert_int_equal(plan_add(f->db, &p, &id, &why), 0);
	return id;
}

static int64_t indicator(fixture *f, int64_t plan_id, const char *source, int64_t target)
{
	plan_indicator x = {.plan_id = plan_id, .name = "Chỉ tiêu", .measure = "cái",
			    .target = target, .source = source};
	int64_t id;
	model_problem why;
	assert_int_equal(plan_indicator_add(f->db, &x, &id, &why), 0);
	return id;
}

static int64_t actual(fixture *f, int64_t id, int p)
{
	int64_t v = -1;
	assert_int_equal(plan_indicator_actual(f->db, id, p, &v), 0);
	return v;
}

/* Each {period, actual} of the table. */
static void expect(fixture *f, int64_t id, const int64_t (*want)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(actual(f, id, (int)want[i][0]), want[i][1]);
}

static int64_t objects_on(fixture *f, const char *day, int n)
{
	model_problem why;
	int64_t acq, id;
	acquisition q = {.mode = "suu_tam", .acquired_on = day};
	assert_int_equal(acquisition_add(f->db, &q, &acq, &why), 0);
	for (int i = 0; i < n; i++) {
		object_card c = {.name = "Mũ cối", .material_code = "KL", .acquisition_id = acq};
		assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	}
	return acq;
}

static void test_objects_accessioned(void **state)
{
	fixture *f = *state;
	int64_t x = indicator(f, new_plan(f, 2020), "objects_accessioned", 10);
	objects_on(f, "2019-12-31", 4);
	int64_t acq = objects_on(f, "2020-02-10", 3);
	objects_on(f, "2020-11-30", 2);
	objects_on(f, "2021-01-01", 5);
	static const int64_t want[][2] = {
		{PLAN_YEAR, 5}, {PLAN_Q1, 3}, {PLAN_Q4, 2}, {PLAN_MONTH(2), 3}, {PLAN_MONTH(3), 0}};
	expect(f, x, want, 5);
	/* Live: the acquisition moves to 2021, the year's actual follows. */
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE acquisitions SET acquired_on = '2021-02-10' WHERE id = %lld",
		 (long long)acq);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(actual(f, x, PLAN_YEAR), 2);
	/* A returned object is not counted. */
	assert_int_equal(db_exec(f->db, "UPDATE objects SET status = 'returned' WHERE id ="
					" (SELECT max(o.id) FROM objects o JOIN acquisitions q"
					" ON q.id = o.acquisition_id WHERE q.acquired_on = '2020-11-30')"),
			 0);
	assert_int_equal(actual(f, x, PLAN_YEAR), 1);
}

static void exhibition_on(fixture *f, const char *opens, int64_t visitors)
{
	exhibition e = {.title = "Trưng bày", .kind = "chuyen_de", .venue = "Nhà văn hóa",
			.province = "Điện Biên", .opens_on = opens, .closes_on = ""};
	int64_t id;
	model_problem why;
	assert_int_equal(exhibition_add(f->db, &e, "test", &id, &why), 0);
	if (visitors > 0) {
		exhibition_visit v = {.counted_on = opens, .visitors = visitors, .note = ""};
		assert_int_equal(exhibition_visit_add(f->db, &v, id, NULL, &why), 0);
	}
}

static void test_exhibitions_and_visitors(void **state)
{
	fixture *f = *state;
	int64_t p = new_plan(f, 2020);
	int64_t opened = indicator(f, p, "exhibitions_opened", 3);
	int64_t visitors = indicator(f, p, "exhibition_visitors", 1000);
	exhibition_on(f, "2019-12-20", 100);
	exhibition_on(f, "2020-01-05", 250);
	exhibition_on(f, "2020-07-01", 300);
	exhibition_on(f, "2020-12-31", 0);
	static const int64_t want_opened[][2] = {
		{PLAN_YEAR, 3}, {PLAN_Q1, 1}, {PLAN_Q3, 1}, {PLAN_MONTH(12), 1}};
	static const int64_t want_visitors[][2] = {{PLAN_YEAR, 550}, {PLAN_MONTH(1), 250}, {PLAN_Q2, 0}};
	expect(f, opened, want_opened, 4);
	expect(f, visitors, want_visitors, 3);
}

static void test_publications_by_year(void **state)
{
	fixture *f = *state;
	int64_t x = indicator(f, new_plan(f, 2020), "publications_published", 1);
	publication b = {.title = "Sách", .year = 2020};
	publication c = {.title = "Sách khác", .year = 2021};
	model_problem why;
	assert_int_equal(publication_add(f->db, &b, NULL, &why), 0);
	assert_int_equal(publication_add(f->db, &c, NULL, &why), 0);
	assert_int_equal(actual(f, x, PLAN_YEAR), 1);
	int64_t v;
	assert_int_equal(plan_indicator_actual(f->db, x, PLAN_Q1, &v), PLAN_NO_ACTUAL);
}

static void test_articles_published(void **state)
{
	fixture *f = *state;
	int64_t x = indicator(f, new_plan(f, 2020), "articles_published", 12);
	/* 2020-03-31 20:00 UTC is 1 April in Vietnam; a draft and 2019 do
	 * not count. */
	assert_int_equal(db_exec(f->db,
				 "INSERT INTO categories (id, slug, name) VALUES (1, 'tin', 'Tin');"
				 "INSERT INTO articles (category_id, slug, title, status, published_at)"
				 " VALUES (1, 'a', 'A', 2, unixepoch('2020-03-31 20:00:00')),"
				 " (1, 'b', 'B', 2, unixepoch('2020-03-10 08:00:00')),"
				 " (1, 'c', 'C', 0, unixepoch('2020-03-11 08:00:00')),"
				 " (1, 'd', 'D', 2, unixepoch('2019-12-31 10:00:00'))"),
			 0);
	assert_int_equal(actual(f, x, PLAN_YEAR), 2);
	assert_int_equal(actual(f, x, PLAN_Q1), 1);
	assert_int_equal(actual(f, x, PLAN_Q2), 1);
}

static void test_split_must_add_up(void **state)
{
	fixture *f = *state;
	int64_t p = new_plan(f, 2021);
	plan_indicator x = {.plan_id = p, .name = "Sưu tầm", .measure = "hiện vật", .target = 120,
			    .source = "objects_accessioned", .has_quarters = true,
			    .quarters = {20, 30, 40, 20}};
	model_problem why;
	int64_t id;
	assert_int_equal(plan_indicator_add(f->db, &x, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "quarters");
	assert_int_equal(why.limit, 120);
	assert_int_equal(why.count, 110);
	x.quarters[3] = 30;
	x.has_months = true;
	for (int m = 0; m < 12; m++)
		x.months[m] = 10;
	x.months[0] = 9;
	assert_int_equal(plan_indicator_add(f->db, &x, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "months");
	x.months[0] = 10;
	assert_int_equal(plan_indicator_add(f->db, &x, &id, &why), 0);
	plan_indicator back;
	assert_int_equal(plan_indicator_get(f->db, f->arena, id, &back), 0);
	assert_true(back.has_quarters && back.has_months);
	assert_int_equal(back.quarters[2], 40);
	int64_t t;
	assert_int_equal(plan_indicator_target(&back, PLAN_Q3, &t), 0);
	assert_int_equal(t, 40);
	assert_int_equal(plan_indicator_target(&back, PLAN_MONTH(5), &t), 0);
	assert_int_equal(t, 10);
	/* Other refusals name their field. */
	x.target = 0;
	assert_int_equal(plan_indicator_add(f->db, &x, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "target");
	x.target = 120;
	x.source = "by_hand";
	assert_int_equal(plan_indicator_add(f->db, &x, &id, &why), REG_BAD_CHOICE);
	assert_string_equal(why.field, "source");
	plan dup = {.year = 2021};
	assert_int_equal(plan_add(f->db, &dup, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "year");
}

static void test_checkins(void **state)
{
	fixture *f = *state;
	int64_t p = new_plan(f, 2020);
	int64_t talks = indicator(f, p, PLAN_SOURCE_CHECKIN, 10);
	int64_t computed = indicator(f, p, "exhibitions_opened", 3);
	model_problem why;
	int64_t id;
	plan_checkin c = {.indicator_id = talks, .done_on = "2021-01-02", .value = 3};
	assert_int_equal(plan_checkin_add(f->db, &c, 0, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "done_on");
	c.done_on = "2020-02-30";
	assert_int_equal(plan_checkin_add(f->db, &c, 0, &id, &why), REG_BAD_DATE);
	c.done_on = "2020-02-03";
	assert_int_equal(plan_checkin_add(f->db, &c, 0, &id, &why), 0);
	c.done_on = "2020-11-03";
	c.value = 5;
	assert_int_equal(plan_checkin_add(f->db, &c, 0, &id, &why), 0);
	assert_int_equal(actual(f, talks, PLAN_YEAR), 8);
	assert_int_equal(actual(f, talks, PLAN_Q1), 3);
	assert_int_equal(actual(f, talks, PLAN_MONTH(11)), 5);
	/* A computed indicator refuses a hand-entered value, and so does the
	 * database. */
	c.indicator_id = computed;
	assert_int_equal(plan_checkin_add(f->db, &c, 0, NULL, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "value");
	char sql[160];
	snprintf(sql, sizeof sql, "INSERT INTO plan_checkins (indicator_id, done_on, value)"
				  " VALUES (%lld, '2020-05-05', 1)", (long long)computed);
	assert_int_not_equal(db_exec(f->db, sql), 0);
	/* An indicator with check-ins cannot become a computed one. */
	plan_indicator x;
	assert_int_equal(plan_indicator_get(f->db, f->arena, talks, &x), 0);
	x.source = "exhibitions_opened";
	assert_int_equal(plan_indicator_update(f->db, &x, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "source");
	assert_int_equal(plan_checkin_remove(f->db, talks, id, &why), 0);
	assert_int_equal(actual(f, talks, PLAN_YEAR), 3);
}

/* The seed's acceptance: the demo's 2020 plan reads 135 -> 117% and
 * 04 -> 133% from the records. */
static void test_demo_2020(void **state)
{
	fixture *f = *state;
	assert_int_equal(register_demo_load(f->db, NULL), 0);
	assert_int_equal(exhibition_demo_load(f->db, NULL, NULL), 0);
	assert_int_equal(plan_demo_load(f->db), 0);
	assert_int_equal(plan_demo_load(f->db), 0);   /* once */
	int64_t p;
	assert_int_equal(plan_find(f->db, 2020, &p), 0);
	plan_indicator *xs;
	size_t n;
	assert_int_equal(plan_indicator_list(f->db, f->arena, p, &xs, &n), 0);
	assert_true(n >= 4);
	assert_string_equal(xs[0].source, "objects_accessioned");
	assert_int_equal(xs[0].target, 115);
	assert_int_equal(actual(f, xs[0].id, PLAN_YEAR), 135);
	assert_int_equal(plan_percent(135, xs[0].target), 117);
	assert_string_equal(xs[1].source, "exhibitions_opened");
	assert_int_equal(xs[1].target, 3);
	assert_int_equal(actual(f, xs[1].id, PLAN_YEAR), 4);
	assert_int_equal(plan_percent(4, xs[1].target), 133);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM plans"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM units WHERE parent_id IS NULL"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percent_rule),
		cmocka_unit_test(test_period_days),
		testdb_bare_case(test_objects_accessioned),
		testdb_bare_case(test_exhibitions_and_visitors),
		testdb_bare_case(test_publications_by_year),
		testdb_bare_case(test_articles_published),
		testdb_bare_case(test_split_must_add_up),
		testdb_bare_case(test_checkins),
		testdb_bare_case(test_demo_2020),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
