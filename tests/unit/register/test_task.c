/*
 * test_task.c - units, staff and key tasks (src/model/unit.c, task.c): the
 * tree of units (one museum, no loops, names unique among siblings, a unit
 * something points at is closed, never deleted), staff (unit required and
 * known, one person per account), tasks (every field's refusal, the
 * indicator's year, the overdue rule, filters by quarter and month, unit,
 * person and "my tasks"), progress notes, and the demo's 2021 tasks. A
 * fresh migrated database per test.
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
#include "model/exhibition_demo.h"
#include "model/plan.h"
#include "model/register_demo.h"
#include "model/task.h"
#include "model/unit.h"

typedef testdb_fixture fixture;

static int64_t add_unit(fixture *f, int64_t parent, const char *name)
{
	unit u = {.parent_id = parent, .name = name, .short_name = "", .active = true};
	int64_t id = 0;
	model_problem why = {0};
	assert_int_equal(unit_add(f->db, &u, &id, &why), 0);
	return id;
}

static int64_t add_person(fixture *f, int64_t unit_id, const char *name, int64_t user_id)
{
	person p = {.name = name, .title = "CN.", .unit_id = unit_id, .position = "",
		    .user_id = user_id, .active = true};
	int64_t id = 0;
	model_problem why = {0};
	assert_int_equal(person_add(f->db, &p, &id, &why), 0);
	return id;
}

static int64_t add_user(fixture *f, const char *name)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "INSERT INTO users (name, role, password_hash, created_at, password_changed_at)"
		 " VALUES ('%s', 'editor', '$argon2id$v=19$m=1,t=1,p=1$xxxxxxxxxx', 0, 0)",
		 name);
	assert_int_equal(db_exec(f->db, sql), 0);
	return db_last_insert_id(f->db);
}

static void test_unit_tree(void **state)
{
	fixture *f = *state;
	int64_t museum = add_unit(f, 0, "Bảo tàng");
	int64_t a = add_unit(f, museum, "Phòng Nghiệp vụ");
	int64_t team = add_unit(f, a, "Tổ Kiểm kê");
	add_unit(f, museum, "Phòng Hành chính – Tổng hợp");
	model_problem why = {0};
	unit u = {.parent_id = 0, .name = "Bảo tàng thứ hai", .active = true};
	int64_t id;
	/* One museum. */
	assert_int_equal(unit_add(f->db, &u, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "parent_id");
	/* Names unique among siblings; the same name elsewhere is fine. */
	u = (unit){.parent_id = museum, .name = "Phòng Nghiệp vụ", .active = true};
	assert_int_equal(unit_add(f->db, &u, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "name");
	u.parent_id = a;
	assert_int_equal(unit_add(f->db, &u, &id, &why), 0);
	/* Unknown parent, empty name, position out of range. */
	u = (unit){.parent_id = 9999, .name = "X", .active = true};
	assert_int_equal(unit_add(f->db, &u, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "parent_id");
	u = (unit){.parent_id = museum, .name = "  ", .active = true};
	assert_int_equal(unit_add(f->db, &u, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "name");
	u = (unit){.parent_id = museum, .name = "Y", .position = 1001, .active = true};
	assert_int_equal(unit_add(f->db, &u, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "position");
	/* No loops: a department under its own team, the museum under anything. */
	u = (unit){.id = a, .parent_id = team, .name = "Phòng Nghiệp vụ", .active = true};
	assert_int_equal(unit_update(f->db, &u, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "parent_id");
	u = (unit){.id = museum, .parent_id = a, .name = "Bảo tàng", .active = true};
	assert_int_equal(unit_update(f->db, &u, &why), REG_WRONG_STATE);
	/* The tree in order, with depth and kind. */
	unit *us;
	size_t n;
	assert_int_equal(unit_list(f->db, f->arena, true, &us, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(us[0].id, museum);
	assert_string_equal(us[0].kind, "bao_tang");
	/* Siblings by position, then name. */
	assert_string_equal(us[1].name, "Phòng Hành chính – Tổng hợp");
	assert_int_equal(us[2].id, a);
	assert_string_equal(us[2].kind, "phong");
	assert_int_equal(us[3].depth, 2);
	assert_string_equal(us[3].kind, "to");
	assert_string_equal(us[3].parent_name, "Phòng Nghiệp vụ");
	/* Closed units leave the default list. */
	u = (unit){.id = team, .parent_id = a, .name = "Tổ Kiểm kê", .active = false};
	assert_int_equal(unit_update(f->db, &u, &why), 0);
	assert_int_equal(unit_list(f->db, f->arena, false, &us, &n), 0);
	assert_int_equal(n, 4);
}

static void test_unit_remove(void **state)
{
	fixture *f = *state;
	int64_t museum = add_unit(f, 0, "Bảo tàng");
	int64_t a = add_unit(f, museum, "Phòng A");
	int64_t b = add_unit(f, museum, "Phòng B");
	int64_t c = add_unit(f, museum, "Phòng C");
	add_person(f, a, "Nguyễn Văn A", 0);
	task t = {.title = "Việc", .lead_unit_id = c, .due_on = "2021-05-07"};
	int64_t tid;
	model_problem why = {0};
	assert_int_equal(task_add(f->db, &t, &tid, &why), 0);
	/* Staff, a task, sub-units hold a unit; an empty one goes. */
	assert_int_equal(unit_remove(f->db, a, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "id");
	assert_int_equal(unit_remove(f->db, c, &why), REG_WRONG_STATE);
	assert_int_equal(unit_remove(f->db, museum, &why), REG_WRONG_STATE);
	assert_int_equal(unit_remove(f->db, b, &why), 0);
	assert_int_equal(unit_remove(f->db, b, &why), REG_NOT_FOUND);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM units"), 3);
}

static void test_people(void **state)
{
	fixture *f = *state;
	int64_t museum = add_unit(f, 0, "Bảo tàng");
	int64_t a = add_unit(f, museum, "Phòng A");
	int64_t user = add_user(f, "hoa");
	int64_t p1 = add_person(f, a, "Lò Thị Hoa", user);
	add_person(f, museum, "Nguyễn Minh Tuấn", 0);
	model_problem why = {0};
	int64_t id;
	person p = {.name = "Người khác", .unit_id = a, .user_id = user, .active = true};
	assert_int_equal(person_add(f->db, &p, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "user_id");
	p.user_id = 777;
	assert_int_equal(person_add(f->db, &p, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "user_id");
	p = (person){.name = "Người khác", .unit_id = 888, .active = true};
	assert_int_equal(person_add(f->db, &p, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "unit_id");
	p.unit_id = 0;
	assert_int_equal(person_add(f->db, &p, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "unit_id");
	p = (person){.name = "", .unit_id = a, .active = true};
	assert_int_equal(person_add(f->db, &p, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "name");
	/* The holder keeps its own account on edit. */
	p = (person){.id = p1, .name = "Lò Thị Hoa", .unit_id = a, .user_id = user,
		     .position = "Trưởng phòng", .active = true};
	assert_int_equal(person_update(f->db, &p, &why), 0);
	int64_t found;
	assert_int_equal(person_of_user(f->db, user, &found), 0);
	assert_int_equal(found, p1);
	person *ps;
	size_t n;
	assert_int_equal(person_list(f->db, f->arena, a, false, &ps, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ps[0].user_name, "hoa");
	assert_int_equal(person_list(f->db, f->arena, 0, false, &ps, &n), 0);
	assert_int_equal(n, 2);
}

static void test_task_fields(void **state)
{
	fixture *f = *state;
	int64_t museum = add_unit(f, 0, "Bảo tàng");
	int64_t a = add_unit(f, museum, "Phòng A");
	plan pl = {.year = 2021, .title = ""};
	int64_t plan_id, ind;
	model_problem why = {0};
	assert_int_equal(plan_add(f->db, &pl, &plan_id, &why), 0);
	plan_indicator x = {.plan_id = plan_id, .name = "Sưu tầm", .measure = "hiện vật",
			    .target = 10, .source = "checkin"};
	assert_int_equal(plan_indicator_add(f->db, &x, &ind, &why), 0);
	int64_t id;
	task t = {.title = "", .lead_unit_id = a, .due_on = "2021-05-07"};
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "title");
	t.title = "Trưng bày chuyên đề 7/5";
	t.due_on = "2021-02-30";
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_BAD_DATE);
	assert_string_equal(why.field, "due_on");
	t.due_on = "";
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "due_on");
	t.due_on = "2021-05-07";
	t.starts_on = "2021-06-01";
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "due_on");
	t.starts_on = "2021-03-01";
	t.status = "xong";
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_BAD_CHOICE);
	assert_string_equal(why.field, "status");
	t.status = NULL;
	t.lead_unit_id = 0;
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "lead_unit_id");
	t.lead_unit_id = 4242;
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "lead_unit_id");
	t.lead_unit_id = a;
	t.person_id = 4242;
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "person_id");
	t.person_id = 0;
	t.support[t.nsupport++] = museum;
	t.support[t.nsupport++] = 4242;
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "support");
	assert_int_equal(why.item, 2);
	t.nsupport = 1;
	t.indicator_id = 4242;
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "indicator_id");
	/* The indicator's plan is of 2021: a 2022 deadline is outside it. */
	t.indicator_id = ind;
	t.due_on = "2022-01-10";
	assert_int_equal(task_add(f->db, &t, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "due_on");
	assert_int_equal(why.limit, 2021);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tasks"), 0);
	t.due_on = "2021-05-07";
	assert_int_equal(task_add(f->db, &t, &id, &why), 0);
	task got;
	assert_int_equal(task_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.status, TASK_NOT_STARTED);
	assert_string_equal(got.lead_unit_name, "Phòng A");
	assert_string_equal(got.support_names, "Bảo tàng");
	assert_int_equal(got.nsupport, 1);
	assert_string_equal(got.indicator_name, "Sưu tầm");
	assert_int_equal(got.indicator_year, 2021);
	assert_int_equal(task_get(f->db, f->arena, id + 100, &got), 1);
	assert_int_equal(task_set_status(f->db, id, "xong", &why), REG_BAD_CHOICE);
	assert_int_equal(task_set_status(f->db, id + 100, TASK_DONE, &why), REG_NOT_FOUND);
	assert_int_equal(task_set_status(f->db, id, TASK_DONE, &why), 0);
	assert_int_equal(task_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.status, TASK_DONE);
}

/* Overdue: the deadline passed and neither done nor cancelled. */
static void test_overdue_and_filters(void **state)
{
	fixture *f = *state;
	int64_t museum = add_unit(f, 0, "Bảo tàng");
	int64_t a = add_unit(f, museum, "Phòng A");
	int64_t b = add_unit(f, museum, "Phòng B");
	int64_t c = add_unit(f, museum, "Phòng C");
	int64_t user = add_user(f, "lan");
	int64_t lan = add_person(f, b, "Phạm Thị Lan", user);
	int64_t other = add_person(f, c, "Người khác", 0);
	static const struct {
		const char *due, *status;
		int lead; /* 0 a, 1 b, 2 c */
		int support;   /* -1 none */
		int person;    /* 0 none, 1 lan, 2 other */
	} rows[] = {
		{"2021-02-10", TASK_IN_PROGRESS, 0, -1, 0},   /* overdue, Q1, M2 */
		{"2021-03-31", TASK_DONE, 0, -1, 0},          /* done */
		{"2021-05-07", TASK_CANCELLED, 2, 1, 2},      /* cancelled, supported by b */
		{"2021-05-20", TASK_PAUSED, 2, -1, 1},        /* overdue, lan in charge */
		{"2021-11-30", TASK_NOT_STARTED, 1, -1, 2},   /* overdue, b leads */
		{"2099-12-31", TASK_IN_PROGRESS, 2, -1, 2},   /* not yet */
	};
	const int64_t units[3] = {a, b, c}, people[3] = {0, lan, other};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		task t = {.title = "Việc", .lead_unit_id = units[rows[i].lead], .due_on = rows[i].due,
			  .status = rows[i].status, .person_id = people[rows[i].person]};
		if (rows[i].support >= 0)
			t.support[t.nsupport++] = units[rows[i].support];
		int64_t id;
		model_problem why;
		assert_int_equal(task_add(f->db, &t, &id, &why), 0);
	}
	task *ts;
	size_t n;
	task_filter flt = {0};
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 6);
	bool want[] = {true, false, false, true, true, false};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ts[i].overdue, want[i]);
	flt.overdue_only = true;
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 3);
	/* The programme: 2021 by quarter and month. */
	flt = (task_filter){.year = 2021, .period = PLAN_Q2};
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 2);
	flt.period = PLAN_MONTH(2);
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 1);
	flt.period = PLAN_YEAR;
	int64_t total, done;
	assert_int_equal(task_count(f->db, &flt, &total, &done), 0);
	assert_int_equal(total, 5);
	assert_int_equal(done, 1);
	/* By unit: led or supported. */
	flt = (task_filter){.unit_id = b};
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 2);
	flt = (task_filter){.person_id = other};
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 3);
	/* My tasks: lan is in charge of one, her unit (b) leads one and
	 * supports one. */
	flt = (task_filter){.mine_user_id = user};
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 3);
	assert_true(task_in_charge(&ts[1], user));
	assert_false(task_in_charge(&ts[0], user));
	flt.mine_user_id = user + 1;
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 0);
	flt = (task_filter){.status = TASK_DONE};
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 1);
}

static void test_notes(void **state)
{
	fixture *f = *state;
	int64_t museum = add_unit(f, 0, "Bảo tàng");
	task t = {.title = "Số hóa tài liệu", .lead_unit_id = museum, .due_on = "2021-09-30"};
	int64_t id, nid;
	model_problem why = {0};
	assert_int_equal(task_add(f->db, &t, &id, &why), 0);
	task_note n = {.task_id = id, .noted_on = "2021-08-20", .body = "Đã chụp 320 hiện vật",
		       .percent = 40};
	assert_int_equal(task_note_add(f->db, &n, 0, "Trang", &nid, &why), 0);
	n.noted_on = "2021-07-01";
	n.percent = 10;
	assert_int_equal(task_note_add(f->db, &n, 0, "Trang", &nid, &why), 0);
	task got;
	assert_int_equal(task_get(f->db, f->arena, id, &got), 0);
	assert_int_equal(got.percent, 40);   /* the latest by day */
	n.percent = 101;
	assert_int_equal(task_note_add(f->db, &n, 0, "", &nid, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "percent");
	n.percent = 50;
	n.body = " ";
	assert_int_equal(task_note_add(f->db, &n, 0, "", &nid, &why), REG_REQUIRED);
	assert_string_equal(why.field, "body");
	n.body = "x";
	n.noted_on = "2999-01-01";
	assert_int_equal(task_note_add(f->db, &n, 0, "", &nid, &why), REG_IN_FUTURE);
	assert_string_equal(why.field, "noted_on");
	n.noted_on = "31/02/2021";
	assert_int_equal(task_note_add(f->db, &n, 0, "", &nid, &why), REG_BAD_DATE);
	n.noted_on = "2021-08-21";
	n.task_id = id + 1;
	assert_int_equal(task_note_add(f->db, &n, 0, "", &nid, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "task_id");
	task_note *ns;
	size_t count;
	assert_int_equal(task_note_list(f->db, f->arena, id, &ns, &count), 0);
	assert_int_equal(count, 2);
	assert_string_equal(ns[0].noted_on, "2021-08-20");
	assert_string_equal(ns[0].who, "Trang");
}

/* The demo: 2021's tasks over the four quarters, notes, one overdue. */
static void test_demo_2021(void **state)
{
	fixture *f = *state;
	assert_int_equal(register_demo_load(f->db, NULL), 0);
	assert_int_equal(exhibition_demo_load(f->db, NULL, NULL), 0);
	assert_int_equal(plan_demo_load(f->db), 0);
	assert_int_equal(task_demo_load(f->db), 0);
	assert_int_equal(task_demo_load(f->db), 0);   /* once */
	int64_t total, done;
	task_filter flt = {.year = 2021};
	assert_int_equal(task_count(f->db, &flt, &total, &done), 0);
	assert_int_equal(total, 10);
	for (int q = PLAN_Q1; q <= PLAN_Q4; q++) {
		flt.period = q;
		assert_int_equal(task_count(f->db, &flt, &total, &done), 0);
		assert_true(total >= 1);
	}
	flt = (task_filter){.overdue_only = true};
	task *ts;
	size_t n;
	assert_int_equal(task_list(f->db, f->arena, &flt, &ts, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ts[0].title, "Số hóa tài liệu, hình ảnh kho tư liệu giai đoạn 2");
	assert_int_equal(ts[0].percent, 40);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM task_notes"), 4);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM tasks WHERE indicator_id"
						 " IS NOT NULL"), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_bare_case(test_unit_tree),
		testdb_bare_case(test_unit_remove),
		testdb_bare_case(test_people),
		testdb_bare_case(test_task_fields),
		testdb_bare_case(test_overdue_and_filters),
		testdb_bare_case(test_notes),
		testdb_bare_case(test_demo_2021),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
