/*
 * test_exhibition.c - exhibitions (src/model/exhibition.c): checks, the
 * movements that follow an open exhibition's objects (put in, taken out,
 * opening and closing by its dates, a venue elsewhere), photos and visitor
 * entries; publications (src/model/publication.c) and the ISBN check.
 * A fresh migrated database per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/acquisition.h"
#include "model/exhibition.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"
#include "model/publication.h"
#include "model/reg_check.h"

typedef testdb_fixture fixture;

/* The day `days` from today (local time), yyyy-mm-dd, in the arena. */
static const char *day(fixture *f, int days)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = 12;
	mktime(&tm);
	return arena_sprintf(f->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			     tm.tm_mday);
}

static int64_t place(fixture *f, const char *kind, const char *name)
{
	location l = {.kind = kind, .name = name, .store_kind = strcmp(kind, "store") == 0 ? "main" : ""};
	int64_t id = 0;
	model_problem why;
	assert_int_equal(location_add(f->db, &l, &id, &why), 0);
	return id;
}

/* An object of the intake book standing at `at` (0: nowhere), moved there
 * a year ago. */
static int64_t object_at(fixture *f, const char *name, int64_t at)
{
	model_problem why;
	int64_t acq, id, mid;
	acquisition q = {.mode = "hien_tang", .acquired_on = "2020-05-07"};
	assert_int_equal(acquisition_add(f->db, &q, &acq, &why), 0);
	object_card c = {.name = name, .material_code = "KL", .acquisition_id = acq};
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	if (at > 0) {
		movement m = {.object_id = id, .moved_on = day(f, -365), .to_location_id = at,
			      .who = "Thủ kho", .reason = "nhap_kho"};
		assert_int_equal(movement_add(f->db, &m, &mid, &why), 0);
	}
	return id;
}

static int64_t location_of(fixture *f, int64_t object)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT ifnull(location_id, 0) FROM objects WHERE id = %lld",
		 (long long)object);
	return testdb_query_int(f->db, sql);
}

static int64_t moves_of(fixture *f, int64_t object)
{
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM movements WHERE object_id = %lld AND reason = 'trung_bay'",
		 (long long)object);
	return testdb_query_int(f->db, sql);
}

/* ---- ISBN ---------------------------------------------------------------- */

static void test_isbn(void **state)
{
	(void)state;
	char out[14];
	/* Known good numbers, written the ways people write them, and what is
	 * stored. */
	static const char *const good[][2] = {{"978-0-306-40615-7", "9780306406157"},
					       {"0 306 40615 2", "0306406152"},
					       {"0-8044-2957-x", "080442957X"},
					       {"978-604-0-00000-2", "9786040000002"}};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_true(publication_isbn_normalise(good[i][0], out));
		assert_string_equal(out, good[i][1]);
	}
	/* Wrong check digits, lengths, characters, prefixes. */
	static const char *const bad[] = {"978-0-306-40615-8", "0-306-40615-3", "030640615",
					  "97803064061577", "978O306406157", "X306406152",
					  "9770306406156", "", "978-0-306-40615"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(publication_isbn_normalise(bad[i], out));
	assert_false(publication_isbn_normalise(NULL, out));
	/* X only as the last character of an ISBN-10. */
	assert_false(publication_isbn_normalise("978030640615X", out));
}

static void test_publication_crud(void **state)
{
	fixture *f = *state;
	model_problem why = {0};
	publication p = {.title = "Năm đại đoàn chủ lực", .authors = "Bảo tàng", .year = 2019,
			 .isbn = "978-0-306-40615-7", .pages = 250, .is_public = true};
	int64_t id = 0, id2 = 0;
	assert_int_equal(publication_add(f->db, &p, &id, &why), 0);
	publication got;
	assert_int_equal(publication_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.isbn, "9780306406157");
	assert_int_equal(got.pages, 250);
	assert_true(got.is_public);
	/* The same ISBN written another way is a duplicate. */
	p.isbn = "9780306406157";
	assert_int_equal(publication_add(f->db, &p, &id2, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "isbn");
	/* Each refusal names its field. */
	struct {
		publication p;
		int code;
		const char *field;
	} refused[] = {
	    {{.title = "A", .year = 2020, .isbn = "978-0-306-40615-8"}, REG_BAD_NUMBER, "isbn"},
	    {{.title = "A", .year = 1799}, REG_OUT_OF_RANGE, "year"},
	    {{.title = "A", .year = 2020, .pages = -1}, REG_OUT_OF_RANGE, "pages"},
	    {{.title = "  ", .year = 2020}, REG_REQUIRED, "title"},
	    {{.title = "A", .year = 2020, .cover_media_id = 77}, REG_NOT_FOUND, "cover_media_id"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(publication_add(f->db, &refused[i].p, &id2, &why), refused[i].code);
		assert_string_equal(why.field, refused[i].field);
	}
	p.isbn = "";
	p.title = "Ấn phẩm hai";
	p.year = 2020;
	p.is_public = false;
	assert_int_equal(publication_add(f->db, &p, &id2, &why), 0);
	/* Update keeps its own ISBN; the list shows public ones when asked. */
	got.title = "Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ";
	assert_int_equal(publication_update(f->db, &got, &why), 0);
	publication *items;
	size_t n;
	assert_int_equal(publication_list(f->db, f->arena, true, &items, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].title, got.title);
	assert_int_equal(publication_list(f->db, f->arena, false, &items, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, id2); /* 2020 before 2019 */
	/* Found by the Vietnamese search without marks. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM publication_fts"
						 " WHERE publication_fts MATCH 'dien bien phu'"),
			 1);
	/* The site's search finds public ones only, by folded words. */
	int64_t total;
	assert_int_equal(publication_search(f->db, f->arena, "dai AND doan", 0, 10, 100, &items, &n,
					    &total),
			 0);
	assert_int_equal(total, 1);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, id);
	assert_int_equal(publication_search(f->db, f->arena, "an AND pham AND hai", 0, 10, 100,
					    &items, &n, &total),
			 0);
	assert_int_equal(total, 0); /* not public */
	assert_int_equal(n, 0);
	assert_int_equal(publication_delete(f->db, id, &why), 0);
	assert_int_equal(publication_delete(f->db, id, &why), REG_NOT_FOUND);
	got.id = id;
	assert_int_equal(publication_update(f->db, &got, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "id");
}

/* ---- exhibitions ----------------------------------------------------------- */

static void test_exhibition_check(void **state)
{
	fixture *f = *state;
	model_problem why = {0};
	int64_t id;
	/* Each refusal names its field; the first problem in form order wins. */
	struct {
		exhibition e;
		int code;
		const char *field;
	} refused[] = {
	    {{.title = "A", .kind = "chuyen_de", .venue = "", .opens_on = "2020-05-01"},
	     REG_REQUIRED, "venue"},
	    {{.title = "A", .kind = "chuyen_de", .venue = "Nhà văn hóa", .opens_on = "2020-05-01"},
	     REG_REQUIRED, "province"},
	    {{.title = "A", .kind = "luu_dong", .venue = "Nhà văn hóa", .province = "Lai Châu",
	      .opens_on = "2020-05-01", .closes_on = "2020-04-30"},
	     REG_OUT_OF_RANGE, "closes_on"},
	    {{.title = "A", .kind = "truc_tuyen", .opens_on = "2020-05-01", .closes_on = "31/05/2020"},
	     REG_BAD_DATE, "closes_on"},
	    {{.title = "A", .kind = "truc_tuyen", .opens_on = ""}, REG_REQUIRED, "opens_on"},
	    {{.title = "A", .kind = "khac", .opens_on = "2020-05-01"}, REG_BAD_CHOICE, "kind"},
	    {{.title = "", .kind = "truc_tuyen", .opens_on = "2020-05-01"}, REG_REQUIRED, "title"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(exhibition_add(f->db, &refused[i].e, "x", &id, &why), refused[i].code);
		assert_string_equal(why.field, refused[i].field);
	}
	exhibition e;
	/* Online: no venue needed. */
	e = (exhibition){.title = "Trực tuyến", .kind = "truc_tuyen", .opens_on = "2020-05-01"};
	assert_int_equal(exhibition_add(f->db, &e, "x", &id, &why), 0);
	e.location_id = 999;
	e.id = id;
	assert_int_equal(exhibition_update(f->db, &e, "x", &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "location_id");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM exhibition_fts"
						 " WHERE exhibition_fts MATCH 'truc tuyen'"),
			 1);
}

/* An object put in an open exhibition moves to the hall, and back where it
 * stood when taken out; both in the register's log with reason trung_bay. */
static void test_open_exhibition_moves_objects(void **state)
{
	fixture *f = *state;
	int64_t store = place(f, "store", "Kho chính");
	int64_t hall = place(f, "exhibit", "Nhà trưng bày");
	int64_t hat = object_at(f, "Mũ cối", store);
	int64_t gun = object_at(f, "Súng", 0);
	model_problem why = {0};
	exhibition e = {.title = "Chiến thắng", .kind = "chuyen_de", .location_id = hall,
			.opens_on = day(f, -3), .closes_on = day(f, 30), .is_public = true};
	int64_t id;
	assert_int_equal(exhibition_add(f->db, &e, "Phòng Trưng bày", &id, &why), 0);
	assert_int_equal(exhibition_object_put(f->db, id, hat, 1, "Mũ", "Helmet", "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), hall);
	assert_int_equal(moves_of(f, hat), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM movements WHERE reason ="
						 " 'trung_bay' AND who = 'Lan' AND moved_on = date('now', 'localtime')"),
			 1);
	/* Changing the label moves nothing. */
	assert_int_equal(exhibition_object_put(f->db, id, hat, 2, "Mũ cối", "Helmet", "Lan", &why), 0);
	assert_int_equal(moves_of(f, hat), 1);
	/* An object placed nowhere goes in; taking it out has nowhere to go. */
	assert_int_equal(exhibition_object_put(f->db, id, gun, 3, "", "", "Lan", &why), 0);
	assert_int_equal(location_of(f, gun), hall);
	/* In another open exhibition at the same time: refused. */
	exhibition e2 = e;
	e2.title = "Khác";
	int64_t id2;
	assert_int_equal(exhibition_add(f->db, &e2, "x", &id2, &why), 0);
	assert_int_equal(exhibition_object_put(f->db, id2, hat, 0, "", "", "Lan", &why), REG_DUPLICATE);
	assert_string_equal(why.field, "object_id");
	/* The list, in order, with the card's number and name. */
	exhibition_object *objs;
	size_t n;
	assert_int_equal(exhibition_object_list(f->db, f->arena, id, false, &objs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(objs[0].object_id, hat);
	assert_string_equal(objs[0].label_vi, "Mũ cối");
	assert_true(objs[0].placed);
	assert_int_equal(exhibition_object_list(f->db, f->arena, id, true, &objs, &n), 0);
	assert_int_equal(n, 0); /* intake cards are not public */
	/* Deleting an exhibition with objects is refused. */
	assert_int_equal(exhibition_delete(f->db, id, &why), REG_WRONG_STATE);
	/* Taken out: back to the store, recorded. */
	assert_int_equal(exhibition_object_remove(f->db, id, hat, "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), store);
	assert_int_equal(moves_of(f, hat), 2);
	assert_int_equal(exhibition_object_remove(f->db, id, hat, "Lan", &why), REG_NOT_FOUND);
	/* Now free: it can go into the other exhibition. */
	assert_int_equal(exhibition_object_put(f->db, id2, hat, 0, "", "", "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), hall);
	/* Both exhibitions shown it. */
	exhibition *list;
	assert_int_equal(exhibition_list_of_object(f->db, f->arena, hat, false, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(exhibition_list(f->db, f->arena, EXHIBITION_CURRENT, true, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(exhibition_list(f->db, f->arena, EXHIBITION_PAST, false, &list, &n), 0);
	assert_int_equal(n, 0);
	/* The site's search: public ones, by folded words, pages. */
	int64_t total;
	assert_int_equal(exhibition_search(f->db, f->arena, "chien AND thang", 0, 10, 100, &list, &n,
					   &total),
			 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, id);
	assert_int_equal(exhibition_search(f->db, f->arena, "chien AND thang", 1, 10, 100, &list, &n,
					   &total),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(exhibition_search(f->db, f->arena, "khac", 0, 10, 100, &list, &n, &total), 0);
	assert_int_equal(total, 1);
}

/* An upcoming exhibition moves nothing until it opens; its dates changing
 * so that it closes bring the objects back. A venue elsewhere becomes an
 * "outside" place. */
static void test_opening_and_closing(void **state)
{
	fixture *f = *state;
	int64_t store = place(f, "store", "Kho chính");
	int64_t hat = object_at(f, "Mũ cối", store);
	model_problem why = {0};
	exhibition e = {.title = "Lưu động", .kind = "luu_dong", .venue = "Nhà văn hóa",
			.province = "Sơn La", .opens_on = day(f, 5), .closes_on = day(f, 20)};
	int64_t id;
	assert_int_equal(exhibition_add(f->db, &e, "x", &id, &why), 0);
	assert_int_equal(exhibition_object_put(f->db, id, hat, 0, "", "", "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), store);
	assert_int_equal(exhibition_list(f->db, f->arena, EXHIBITION_UPCOMING, false,
					 &(exhibition *){0}, &(size_t){0}),
			 0);
	/* It opens (its dates now include today). */
	e.id = id;
	e.opens_on = day(f, -1);
	assert_int_equal(exhibition_update(f->db, &e, "Lan", &why), 0);
	int64_t outside = testdb_query_int(f->db, "SELECT id FROM locations WHERE kind = 'outside'"
						  " AND name = 'Nhà văn hóa, Sơn La'");
	assert_int_equal(location_of(f, hat), outside);
	/* A sync changes nothing now. */
	int moved = 0;
	assert_int_equal(exhibition_sync(f->db, 0, "sen", &moved), 0);
	assert_int_equal(moved, 0);
	/* It closed yesterday: back to the store, dated its closing day. */
	e.opens_on = day(f, -10);
	e.closes_on = day(f, -1);
	assert_int_equal(exhibition_update(f->db, &e, "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), store);
	assert_int_equal(moves_of(f, hat), 2);
	/* Online exhibitions move nothing. */
	exhibition o = {.title = "Trên mạng", .kind = "truc_tuyen", .opens_on = day(f, -1)};
	int64_t oid;
	assert_int_equal(exhibition_add(f->db, &o, "x", &oid, &why), 0);
	assert_int_equal(exhibition_object_put(f->db, oid, hat, 0, "", "", "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), store);
	assert_int_equal(moves_of(f, hat), 2);
	/* The sync over everything moves objects of an exhibition whose
	 * opening day came by the calendar alone. */
	int64_t hall = place(f, "exhibit", "Nhà trưng bày");
	exhibition h = {.title = "Sắp mở", .kind = "chuyen_de", .location_id = hall,
			.opens_on = day(f, 2)};
	int64_t hid;
	assert_int_equal(exhibition_add(f->db, &h, "x", &hid, &why), 0);
	assert_int_equal(exhibition_object_put(f->db, hid, hat, 0, "", "", "Lan", &why), 0);
	assert_int_equal(location_of(f, hat), store);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE exhibitions SET opens_on = '%s' WHERE id = %lld",
		 day(f, 0), (long long)hid);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(exhibition_sync(f->db, 0, "sen", &moved), 0);
	assert_int_equal(moved, 1);
	assert_int_equal(location_of(f, hat), hall);
}

static void test_photos_and_visits(void **state)
{
	fixture *f = *state;
	model_problem why = {0};
	exhibition e = {.title = "Ảnh", .kind = "truc_tuyen", .opens_on = day(f, -10)};
	int64_t id, vid;
	assert_int_equal(exhibition_add(f->db, &e, "x", &id, &why), 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO media (id, file, mime, bytes) VALUES"
					" (1, 'a.jpg', 'image/jpeg', 10), (2, 'b.png', 'image/png', 10),"
					" (3, 'c.txt', 'text/plain', 10)"),
			 0);
	assert_int_equal(exhibition_photo_add(f->db, id, 2, "Khai mạc", &why), 0);
	assert_int_equal(exhibition_photo_add(f->db, id, 1, "", &why), 0);
	assert_int_equal(exhibition_photo_add(f->db, id, 1, "", &why), REG_DUPLICATE);
	assert_int_equal(exhibition_photo_add(f->db, id, 3, "", &why), REG_NOT_PICTURE);
	assert_int_equal(exhibition_photo_add(f->db, id, 9, "", &why), REG_NOT_FOUND);
	exhibition_photo *p;
	size_t n;
	assert_int_equal(exhibition_photo_list(f->db, f->arena, id, &p, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].media_id, 2);
	assert_string_equal(p[0].caption, "Khai mạc");
	assert_int_equal(exhibition_photo_remove(f->db, id, 2, &why), 0);
	assert_int_equal(exhibition_photo_remove(f->db, id, 2, &why), REG_NOT_FOUND);

	exhibition_visit v = {.counted_on = day(f, -2), .visitors = 1200};
	assert_int_equal(exhibition_visit_add(f->db, &v, id, &vid, &why), 0);
	assert_int_equal(exhibition_visit_add(f->db, &v, id, &vid, &why), REG_DUPLICATE);
	v.counted_on = day(f, -1);
	v.visitors = 34;
	assert_int_equal(exhibition_visit_add(f->db, &v, id, &vid, &why), 0);
	v.counted_on = day(f, 1);
	assert_int_equal(exhibition_visit_add(f->db, &v, id, &vid, &why), REG_IN_FUTURE);
	v.counted_on = day(f, -11);
	assert_int_equal(exhibition_visit_add(f->db, &v, id, &vid, &why), REG_OUT_OF_RANGE);
	v.counted_on = day(f, -3);
	v.visitors = -1;
	assert_int_equal(exhibition_visit_add(f->db, &v, id, &vid, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "visitors");
	exhibition got;
	assert_int_equal(exhibition_get(f->db, f->arena, id, &got), 0);
	assert_int_equal(got.visitors, 1234);
	assert_int_equal(got.cover_media_id, 1);
	exhibition_visit *vs;
	assert_int_equal(exhibition_visit_list(f->db, f->arena, id, &vs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vs[0].visitors, 34);
	assert_int_equal(exhibition_visit_remove(f->db, id, vs[0].id, &why), 0);
	assert_int_equal(exhibition_visit_remove(f->db, id, vs[0].id, &why), REG_NOT_FOUND);
	int64_t count;
	assert_int_equal(exhibition_count_opened(f->db, 2020, &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(exhibition_delete(f->db, id, &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_isbn),
	    testdb_bare_case(test_publication_crud),
	    testdb_bare_case(test_exhibition_check),
	    testdb_bare_case(test_open_exhibition_moves_objects),
	    testdb_bare_case(test_opening_and_closing),
	    testdb_bare_case(test_photos_and_visits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
