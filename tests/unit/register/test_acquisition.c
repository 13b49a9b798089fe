/*
 * test_acquisition.c - donors and acquisitions as the back office keeps
 * them (src/model/donor.c, acquisition.c): folded search and keyset pages,
 * the duplicate-name look-up, the value of a purchase, and what may still
 * change once an object of an acquisition is registered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../testdb.h"
#include "model/acquisition.h"
#include "model/council.h"
#include "model/donor.h"
#include "model/object.h"
#include "model/register_number.h"

static int64_t add_donor(testdb_fixture *f, const char *name, const char *kind)
{
	donor d = {.name = name, .kind = kind, .address = "Phường Mường Thanh, Điện Biên Phủ"};
	int64_t id = 0;
	model_problem why;
	assert_int_equal(donor_add(f->db, &d, &id, &why), 0);
	return id;
}

static int64_t add_acquisition(testdb_fixture *f, const char *mode, const char *day,
			       const char *number, int64_t donor_id, int64_t value)
{
	acquisition q = {.mode = mode, .acquired_on = day, .handover_no = number,
			 .donor_id = donor_id, .value = value, .note = "Ghi chú đợt"};
	int64_t id = 0;
	model_problem why;
	assert_int_equal(acquisition_add(f->db, &q, &id, &why), 0);
	return id;
}

static int64_t add_object(testdb_fixture *f, int64_t acquisition_id, const char *name)
{
	object_card c = {.acquisition_id = acquisition_id, .name = name, .material_code = "KL"};
	int64_t id = 0;
	model_problem why;
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	return id;
}

/* Gives object the next number of a fresh main register. */
static void register_object(testdb_fixture *f, int64_t object)
{
	register_book book = {.code = "HV", .name = "Sổ hiện vật", .collection = "main",
			      .prefix = "BTĐBP"};
	council_session s = {.held_on = "2021-06-01", .members = "Ông A"};
	int64_t book_id, session;
	model_problem why;
	char number[80];
	assert_int_equal(register_number_add(f->db, &book, &book_id, &why), 0);
	assert_int_equal(council_session_add(f->db, &s, &session, &why), 0);
	assert_int_equal(council_decide(f->db, session, object, "main", book_id, "curator", "",
					number, sizeof number, &why),
			 0);
}

/* The donors a search finds (limit a page), asserting that it answers. */
static size_t find_donors(testdb_fixture *f, const char *query, int64_t after, size_t limit,
			  donor_row **rows, bool *more)
{
	size_t n = 0;
	assert_int_equal(donor_list(f->db, f->arena, query, after, limit, rows, &n, more, NULL), 0);
	return n;
}

static void test_donor_search_and_pages(void **state)
{
	testdb_fixture *f = *state;
	add_donor(f, "Nguyễn Văn Hùng", "person");
	add_donor(f, "NGUYỄN VĂN LỢI", "person");
	add_donor(f, "Bảo tàng Chiến thắng Điện Biên Phủ", "organisation");
	char name[40];
	for (int i = 0; i < 23; i++) {
		snprintf(name, sizeof name, "Cựu chiến binh %02d", i);
		add_donor(f, name, "person");
	}
	donor_row *rows;
	bool more;
	assert_int_equal(find_donors(f, "nguyen van", 0, 10, &rows, &more), 2);
	assert_false(more);
	/* every address says Điện Biên Phủ; LIKE's wildcards are text */
	assert_int_equal(find_donors(f, "dien bien", 0, 50, &rows, &more), 26);
	assert_int_equal(find_donors(f, "100%_", 0, 10, &rows, &more), 0);
	/* Keyset pages in name order: every donor once, in order. */
	size_t total = 0, pages = 0;
	char last[200] = "";
	for (int64_t after = 0, go = 1; go; pages++) {
		size_t n = find_donors(f, NULL, after, 10, &rows, &more);
		for (size_t i = 0; i < n; i++, total++) {
			assert_true(strcmp(last, rows[i].name) <= 0);
			snprintf(last, sizeof last, "%s", rows[i].name);
		}
		after = n > 0 ? rows[n - 1].id : after;
		go = more;
	}
	assert_int_equal(total, 26);
	assert_int_equal(pages, 3);
	char longer[DONOR_QUERY_MAX + 2];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	size_t n;
	model_problem why;
	assert_int_equal(donor_list(f->db, f->arena, longer, 0, 10, &rows, &n, &more, &why),
			 REG_TOO_LONG);
	assert_string_equal(why.field, "query");
	/* The same name typed with other marks and case is found as a duplicate. */
	assert_int_equal(donor_same_name(f->db, f->arena, "nguyen van hung", 5, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "Nguyễn Văn Hùng");
	assert_int_equal(donor_same_name(f->db, f->arena, "Nguyễn Văn", 5, &rows, &n), 0);
	assert_int_equal(n, 0);
}

static void test_donor_counts_and_name_lock(void **state)
{
	testdb_fixture *f = *state;
	int64_t id = add_donor(f, "Gia đình ông Lò Văn Pọm", "person");
	int64_t q = add_acquisition(f, "hien_tang", "2021-04-02", "07/BB", id, 0);
	int64_t obj = add_object(f, q, "Bi đông");
	add_object(f, q, "Mũ cối");
	donor_row *rows;
	bool more;
	assert_int_equal(find_donors(f, "lo van pom", 0, 10, &rows, &more), 1);
	assert_int_equal(rows[0].acquisitions, 1);
	assert_int_equal(rows[0].objects, 2);
	/* In intake only: the name may change. */
	model_problem why;
	donor d = {.id = id, .name = "Gia đình ông Lò Văn Pọm (bản Him Lam)", .phone = "0912 345 678"};
	assert_int_equal(donor_update(f->db, &d, &why), 0);
	register_object(f, obj);
	d.name = "Ông Lò Văn Pọm";
	assert_int_equal(donor_update(f->db, &d, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "name");
	d.name = "Gia đình ông Lò Văn Pọm (bản Him Lam)";
	d.address = "Bản Him Lam 2";
	assert_int_equal(donor_update(f->db, &d, &why), 0);
	donor got;
	assert_int_equal(donor_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.address, "Bản Him Lam 2");
	d.id = 99999;
	assert_int_equal(donor_update(f->db, &d, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "id");
}

static void test_acquisition_value(void **state)
{
	testdb_fixture *f = *state;
	acquisition q = {.mode = "hien_tang", .acquired_on = "2021-04-02", .value = 500000};
	model_problem why;
	int64_t id;
	assert_int_equal(acquisition_add(f->db, &q, &id, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "value");
	q.mode = "mua";
	q.value = 0;
	assert_int_equal(acquisition_check_value(&q, &why), REG_REQUIRED);
	assert_string_equal(why.field, "value");
	q.value = -1;
	assert_int_equal(acquisition_check(&q, &why), REG_OUT_OF_RANGE);
	q.value = 12500000;
	assert_int_equal(acquisition_check_value(&q, &why), 0);
	assert_int_equal(acquisition_add(f->db, &q, &id, &why), 0);
}

static void test_acquisition_update_and_lock(void **state)
{
	testdb_fixture *f = *state;
	int64_t donor_a = add_donor(f, "Ông Hoàng Văn Thái", "person");
	int64_t donor_b = add_donor(f, "Bà Đỗ Thị Lan", "person");
	int64_t id = add_acquisition(f, "hien_tang", "2021-04-02", "", donor_a, 0);
	int64_t obj = add_object(f, id, "Xe đạp thồ");
	model_problem why;
	acquisition q = {.id = id, .mode = "mua", .acquired_on = "2021-04-03",
			 .handover_no = "", .donor_id = donor_b, .value = 3000000};
	assert_int_equal(acquisition_update(f->db, &q, &why), 0);
	q.donor_id = 424242;
	assert_int_equal(acquisition_update(f->db, &q, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "donor_id");
	q.donor_id = donor_b;
	q.id = 424242;
	assert_int_equal(acquisition_update(f->db, &q, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "id");
	q.id = id;
	/* The tally counts every object, the registered one first of 250 (the
	 * back office lists 200, newest first, and still shows it locked). */
	int64_t objects = -1, registered = -1;
	assert_int_equal(acquisition_tally(f->db, id, &objects, &registered), 0);
	assert_int_equal(objects, 1);
	assert_int_equal(registered, 0);
	for (int i = 0; i < 249; i++)
		add_object(f, id, "Vỏ đạn");
	register_object(f, obj);
	assert_int_equal(acquisition_tally(f->db, id, &objects, &registered), 0);
	assert_int_equal(objects, 250);
	assert_int_equal(registered, 1);
	assert_int_equal(acquisition_tally(f->db, 424242, &objects, &registered), 0);
	assert_int_equal(objects, 0);
	assert_int_equal(registered, 0);
	/* Registered: what it holds is fixed, what is empty may be filled in. */
	const struct {
		const char *field;
		acquisition change;
	} fixed[] = {
		{"mode", {.mode = "trao_doi"}},
		{"acquired_on", {.acquired_on = "2021-04-04"}},
		{"donor_id", {.donor_id = donor_a}},
		{"value", {.value = 4000000}},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		acquisition c = q;
		if (fixed[i].change.mode != NULL) {
			c.mode = fixed[i].change.mode;
			c.value = 0;
		}
		if (fixed[i].change.acquired_on != NULL)
			c.acquired_on = fixed[i].change.acquired_on;
		if (fixed[i].change.donor_id != 0)
			c.donor_id = fixed[i].change.donor_id;
		if (fixed[i].change.value != 0)
			c.value = fixed[i].change.value;
		assert_int_equal(acquisition_update(f->db, &c, &why), REG_WRONG_STATE);
		assert_string_equal(why.field, fixed[i].field);
	}
	q.handover_no = "15/BB-BTĐBP";
	q.note = "Biên bản bổ sung số";
	assert_int_equal(acquisition_update(f->db, &q, &why), 0);
	q.handover_no = "16/BB";
	assert_int_equal(acquisition_update(f->db, &q, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "handover_no");
	acquisition got;
	assert_int_equal(acquisition_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.handover_no, "15/BB-BTĐBP");
	assert_string_equal(got.note, "Biên bản bổ sung số");
	assert_int_equal(got.value, 3000000);
}

static size_t find_acquisitions(testdb_fixture *f, const acquisition_filter *flt, int64_t after,
				size_t limit, acquisition_row **rows, bool *more)
{
	size_t n = 0;
	model_problem why;
	assert_int_equal(acquisition_list(f->db, f->arena, flt, after, limit, rows, &n, more, &why), 0);
	return n;
}

static void test_acquisition_list(void **state)
{
	testdb_fixture *f = *state;
	int64_t lan = add_donor(f, "Bà Đỗ Thị Lan", "person");
	int64_t first = add_acquisition(f, "hien_tang", "2020-03-01", "01/BB", lan, 0);
	add_object(f, first, "Thư gửi mẹ");
	add_acquisition(f, "mua", "2021-05-01", "02/BB", 0, 1500000);
	for (int i = 0; i < 12; i++) {
		char day[11], no[12];
		snprintf(day, sizeof day, "2022-01-%02d", i + 1);
		snprintf(no, sizeof no, "%02d/TN", 30 - i);
		add_acquisition(f, "suu_tam", day, no, 0, 0);
	}
	acquisition_row *rows;
	bool more;
	acquisition_filter flt = {.query = "do thi lan"};
	assert_int_equal(find_acquisitions(f, &flt, 0, 10, &rows, &more), 1);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[0].objects, 1);
	assert_int_equal(rows[0].registered, 0);
	assert_string_equal(rows[0].donor_name, "Bà Đỗ Thị Lan");
	flt = (acquisition_filter){.query = "02/bb"};
	assert_int_equal(find_acquisitions(f, &flt, 0, 10, &rows, &more), 1);
	assert_string_equal(rows[0].mode, "mua");
	flt = (acquisition_filter){.mode = "suu_tam", .year = 2022};
	assert_int_equal(find_acquisitions(f, &flt, 0, 50, &rows, &more), 12);
	flt.year = 2021;
	assert_int_equal(find_acquisitions(f, &flt, 0, 50, &rows, &more), 0);
	flt = (acquisition_filter){.donor_id = lan};
	assert_int_equal(find_acquisitions(f, &flt, 0, 50, &rows, &more), 1);
	flt = (acquisition_filter){.mode = "ban"};
	size_t n;
	model_problem why;
	assert_int_equal(acquisition_list(f->db, f->arena, &flt, 0, 50, &rows, &n, &more, &why),
			 REG_BAD_CHOICE);
	assert_string_equal(why.field, "mode");
	/* Every order walks every row once, in its order, in keyset pages of 5. */
	for (int sort = ACQUISITION_NEWEST; sort <= ACQUISITION_BY_NUMBER; sort++) {
		flt = (acquisition_filter){.sort = (enum acquisition_sort)sort};
		size_t total = 0;
		char prev[16] = "";
		for (int64_t after = 0, go = 1; go; go = more) {
			n = find_acquisitions(f, &flt, after, 5, &rows, &more);
			for (size_t i = 0; i < n; i++, total++) {
				const char *key = sort == ACQUISITION_BY_NUMBER ? rows[i].handover_no
									       : rows[i].acquired_on;
				int order = strcmp(prev, key);
				assert_true(prev[0] == '\0' ||
					    (sort == ACQUISITION_NEWEST ? order >= 0 : order <= 0));
				snprintf(prev, sizeof prev, "%s", key);
			}
			after = n > 0 ? rows[n - 1].id : after;
		}
		assert_int_equal(total, 14);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_bare_case(test_donor_search_and_pages),
		testdb_bare_case(test_donor_counts_and_name_lock),
		testdb_bare_case(test_acquisition_value),
		testdb_bare_case(test_acquisition_update_and_lock),
		testdb_bare_case(test_acquisition_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
