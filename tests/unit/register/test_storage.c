/*
 * test_storage.c - the storage tree's listing and renaming
 * (src/model/location.c) and the inventory campaigns' list, sheet and
 * report (src/model/inventory.c), and the card's photos (object_photos_set,
 * src/model/object_photo.c), over a fresh migrated database per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/acquisition.h"
#include "model/inventory.h"
#include "model/location.h"
#include "model/object.h"
#include "model/object_photo.h"
#include "model/reg_check.h"

typedef testdb_fixture fixture;

static int64_t place(fixture *f, const char *kind, int64_t parent, const char *name)
{
	location l = {.kind = kind, .parent_id = parent, .name = name,
		      .store_kind = strcmp(kind, "store") == 0 ? "main" : ""};
	int64_t id = 0;
	model_problem why;
	assert_int_equal(location_add(f->db, &l, &id, &why), 0);
	return id;
}

/* Depth first, siblings by name, each subtree right after its place (a
 * sibling whose name extends another's comes after that one's subtree). */
static void test_tree_order(void **state)
{
	fixture *f = *state;
	int64_t b = place(f, "store", 0, "Kho B");
	int64_t a = place(f, "store", 0, "Kho A");
	int64_t ab = place(f, "store", 0, "Kho A B");
	int64_t r2 = place(f, "room", a, "Phòng 2");
	int64_t r1 = place(f, "room", a, "Phòng 1");
	int64_t s1 = place(f, "shelf", r1, "Giá 1");
	int64_t h1 = place(f, "box", s1, "Hộp 1");
	location_node *nodes;
	size_t n;
	assert_int_equal(location_tree(f->db, f->arena, &nodes, &n), 0);
	int64_t want[] = {a, r1, s1, h1, r2, ab, b};
	int depth[] = {0, 1, 2, 3, 1, 0, 0};
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(nodes[i].place.id, want[i]);
		assert_int_equal(nodes[i].depth, depth[i]);
		assert_int_equal(nodes[i].objects, 0);
	}
	assert_string_equal(nodes[3].place.kind, "box");
	assert_int_equal(nodes[3].place.parent_id, s1);
}

static void test_tree_empty(void **state)
{
	fixture *f = *state;
	location_node *nodes;
	size_t n = 99;
	assert_int_equal(location_tree(f->db, f->arena, &nodes, &n), 0);
	assert_int_equal(n, 0);
}

static void test_rename(void **state)
{
	fixture *f = *state;
	int64_t a = place(f, "store", 0, "Kho A");
	int64_t r1 = place(f, "room", a, "Phòng 1");
	place(f, "room", a, "Phòng 2");
	model_problem why = {0};
	assert_int_equal(location_rename(f->db, r1, "Phòng 2", "", &why), REG_DUPLICATE);
	assert_string_equal(why.field, "name");
	assert_int_equal(location_rename(f->db, r1, " ", "", &why), REG_REQUIRED);
	assert_string_equal(why.field, "name");
	assert_int_equal(location_rename(f->db, r1, "P", "a\x01", &why), REG_BAD_TEXT);
	assert_string_equal(why.field, "code");
	assert_int_equal(location_rename(f->db, 9999, "P", "", &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "id");
	assert_string_equal(location_path(f->db, f->arena, r1), "Kho A › Phòng 1");
	assert_int_equal(location_rename(f->db, r1, "Phòng kho 1", "P1", &why), 0);
	assert_string_equal(location_path(f->db, f->arena, r1), "Kho A › Phòng kho 1");
	location l;
	assert_int_equal(location_get(f->db, f->arena, r1, &l), 0);
	assert_string_equal(l.code, "P1");
}

/* An object in the intake book, placed nowhere. */
static int64_t intake(fixture *f, const char *name)
{
	model_problem why;
	int64_t acq, id;
	acquisition q = {.mode = "hien_tang", .acquired_on = "2020-05-07"};
	assert_int_equal(acquisition_add(f->db, &q, &acq, &why), 0);
	object_card c = {.name = name, .material_code = "KL", .acquisition_id = acq};
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	return id;
}

/* The campaigns' list and one campaign; its sheet holds every object
 * marked, with its mark, and the report only those not found. */
static void test_inventory_sheet_and_list(void **state)
{
	fixture *f = *state;
	int64_t a = place(f, "store", 0, "Kho A");
	int64_t first, second;
	model_problem why;
	assert_int_equal(inventory_start(f->db, "Đợt 1", "2026-01-02", a, &first, &why), 0);
	assert_int_equal(inventory_start(f->db, "Đợt 2", "2026-02-03", 0, &second, &why), 0);
	inventory_campaign *list;
	size_t n;
	assert_int_equal(inventory_list(f->db, f->arena, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, second);
	assert_int_equal(list[1].root_location_id, a);
	assert_string_equal(list[1].closed_on, "");
	int64_t x = intake(f, "Mũ cối"), y = intake(f, "Bi đông");
	assert_int_equal(inventory_mark(f->db, first, x, "found", a, "Lan", "", &why), 0);
	assert_int_equal(inventory_mark(f->db, first, y, "damaged", a, "Lan", "", &why), 0);
	inventory_difference *rows;
	int64_t checked;
	assert_int_equal(inventory_sheet(f->db, f->arena, first, &rows, &n, &checked), 0);
	assert_int_equal(n, 2);
	assert_int_equal(checked, 2);
	/* x sits nowhere by its card, so "found" in Kho A is misplaced. */
	assert_string_equal(rows[0].state, "misplaced");
	assert_string_equal(rows[1].state, "damaged");
	assert_int_equal(inventory_close(f->db, first, "2026-01-05", &why), 0);
	inventory_campaign c;
	assert_int_equal(inventory_get(f->db, f->arena, first, &c), 0);
	assert_string_equal(c.name, "Đợt 1");
	assert_string_equal(c.closed_on, "2026-01-05");
	assert_int_equal(c.marked, 2);
	assert_int_equal(inventory_get(f->db, f->arena, 9999, &c), 1);
}

/* The card's photos: only pictures of the library, at most
 * OBJECT_PHOTOS_MAX, exactly one lead; a refusal leaves the list as it was;
 * the card reads them with the lead first. */
static void test_photos(void **state)
{
	fixture *f = *state;
	int64_t id = intake(f, "Mũ cối");
	model_problem why = {0};
	assert_int_equal(db_exec(f->db, "INSERT INTO media (id, file, mime, bytes) VALUES"
					" (1, 'a.jpg', 'image/jpeg', 1), (2, 'b.png', 'image/png', 1),"
					" (3, 'c.webp', 'image/webp', 1), (4, 'bb.pdf', 'application/pdf', 1),"
					" (5, 'd.png', 'image/png', 1)"),
			 0);
	/* 5's processing failed: no variants, no file served. */
	assert_int_equal(db_exec(f->db, "INSERT INTO media_jobs (media_id, state) VALUES (5, 2)"), 0);
	int64_t three[] = {1, 2, 3};
	assert_int_equal(object_photos_set(f->db, id, three, 3, 2, &why), 0);
	object_photo *p;
	size_t n;
	assert_int_equal(object_photo_list(f->db, f->arena, id, false, &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].media_id, 1);
	assert_true(p[2].lead && !p[0].lead && !p[1].lead);
	assert_string_equal(p[1].item.m.file, "b.png");
	assert_int_equal(object_photo_list(f->db, f->arena, id, true, &p, &n), 0);
	int64_t shown[] = {3, 1, 2};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(p[i].media_id, shown[i]);
	int64_t *ids;
	size_t lead;
	assert_int_equal(object_photo_ids(f->db, f->arena, id, &ids, &n, &lead), 0);
	assert_int_equal(n, 3);
	assert_int_equal(lead, 2);
	assert_int_equal(ids[1], 2);

	/* Refusals, each naming its field; the list stays. */
	int64_t pdf[] = {1, 4};
	assert_int_equal(object_photos_set(f->db, id, pdf, 2, 0, &why), REG_NOT_PICTURE);
	assert_string_equal(why.field, "media_id");
	int64_t failed[] = {5};
	assert_int_equal(object_photos_set(f->db, id, failed, 1, 0, &why), REG_NOT_PICTURE);
	int64_t missing[] = {1, 99};
	assert_int_equal(object_photos_set(f->db, id, missing, 2, 0, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "media_id");
	assert_int_equal(object_photos_set(f->db, id, three, 3, 3, &why), REG_REQUIRED);
	assert_string_equal(why.field, "lead");
	int64_t many[OBJECT_PHOTOS_MAX + 1];
	for (size_t i = 0; i <= OBJECT_PHOTOS_MAX; i++)
		many[i] = (int64_t)i + 1;
	assert_int_equal(object_photos_set(f->db, id, many, OBJECT_PHOTOS_MAX + 1, 0, &why),
			 REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "photos");
	assert_int_equal(object_photos_set(f->db, 9999, three, 3, 0, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "object_id");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM object_media"), 3);
	assert_int_equal(testdb_query_int(f->db, "SELECT media_id FROM object_media WHERE lead = 1"),
			 3);

	/* Photos are not a register entry: the log does not grow. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM register_log"), 0);
	/* No photos at all: no lead either. */
	assert_int_equal(object_photos_set(f->db, id, NULL, 0, 0, &why), 0);
	assert_int_equal(object_photo_list(f->db, f->arena, id, true, &p, &n), 0);
	assert_int_equal(n, 0);
	assert_null(p);
	assert_int_equal(object_photo_ids(f->db, f->arena, id, &ids, &n, &lead), 0);
	assert_int_equal(lead, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    testdb_bare_case(test_tree_order),
	    testdb_bare_case(test_tree_empty),
	    testdb_bare_case(test_rename),
	    testdb_bare_case(test_inventory_sheet_and_list),
	    testdb_bare_case(test_photos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
