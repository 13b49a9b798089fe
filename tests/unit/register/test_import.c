/*
 * test_import.c - the intake book from a spreadsheet (model/object_import.c)
 * over a fresh migrated database: column names as offices write them,
 * cells as offices write them (dd/mm/yyyy or an Excel date number, "12,5",
 * "125 mm", "0,5 kg", "1.500.000 đ", Vietnamese vocabulary words), every
 * problem with its row and column and nothing written, duplicates inside
 * the file and against the book, places, donors and acquisitions reused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/location.h"
#include "model/object.h"
#include "model/object_import.h"
#include "model/sheet.h"

typedef struct {
	TESTDB_FIXTURE;
	sheet s;
	object_import_report rep;
} fixture;

static int setup(void **state)
{
	*state = testdb_fixture_new(sizeof(fixture), true);
	return *state != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sheet_free(&f->s);
	testdb_fixture_free(f);
	return 0;
}

/* Adds a row of cells separated by '|'. */
static void row(fixture *f, const char *cells)
{
	bool first = true;
	for (const char *p = cells;; first = false) {
		const char *bar = strchr(p, '|');
		size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		assert_int_equal(sheet_add(&f->s, first, p, len), 0);
		if (bar == NULL)
			break;
		p = bar + 1;
	}
}

/* Runs the import; prints the problems when the answer is not the one expected. */
static int run(fixture *f, bool dry_run, int want)
{
	int rc = object_import(f->db, &f->s, dry_run, "test", &f->rep, NULL, NULL);
	if (rc != want)
		for (size_t i = 0; i < f->rep.nproblems; i++)
			fprintf(stderr, "problem: row %zu column %s code %d\n", f->rep.problems[i].row,
				f->rep.problems[i].header, (int)f->rep.problems[i].code);
	return rc;
}

/* "Kho chính > Phòng 1", the place the rows below name; returns the room. */
static int64_t add_store_and_room(fixture *f)
{
	int64_t store, room;
	model_problem why;
	location l = {.kind = "store", .name = "Kho chính", .store_kind = "main"};
	assert_int_equal(location_add(f->db, &l, &store, &why), 0);
	l = (location){.kind = "room", .name = "Phòng 1", .parent_id = store};
	assert_int_equal(location_add(f->db, &l, &room, &why), 0);
	return room;
}

static const char *const header =
    "Số đăng ký|TÊN HIỆN VẬT|chat lieu|Phương thức|Ngày thu nhận|Dài (mm)|Trọng lượng|"
    "Giá trị|Phân loại|Số nhập tạm|Người/đơn vị giao|Vị trí";

static void test_cells_as_offices_write_them(void **state)
{
	fixture *f = *state;
	int64_t room = add_store_and_room(f);
	row(f, header);
	row(f, "|Mũ cối|KL|Hiến tặng|43958|125 mm|0,5 kg|1.500.000 đ|bảo vật quốc gia|A-1|Ông Inh|"
	       "Kho chính > Phòng 1");
	row(f, "|||||||||||");
	row(f, "BTĐBP.X|Bi đông|kim loại và hợp kim|hiến tặng|07/05/2020|12,5|300 g||Di vật|A-2|"
	       "Ông Inh|");
	assert_int_equal(run(f, true, 0), 0);
	assert_int_equal(f->rep.rows, 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"), 0);
	assert_int_equal(run(f, false, 0), 0);
	assert_int_equal(f->rep.imported, 2);
	assert_int_equal(f->rep.acquisitions, 1);
	assert_int_equal(f->rep.donors, 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM acquisitions"
						 " WHERE acquired_on = '2020-05-07' AND mode = 'hien_tang'"),
			 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT length_cm * 10 FROM objects WHERE intake_no = 'A-1'"),
			 125);
	assert_int_equal(testdb_query_int(f->db, "SELECT weight_g FROM objects WHERE intake_no = 'A-1'"),
			 500);
	assert_int_equal(testdb_query_int(f->db, "SELECT value FROM objects WHERE intake_no = 'A-1'"),
			 1500000);
	assert_int_equal(testdb_query_int(f->db, "SELECT class = 'bao_vat' FROM objects"
						 " WHERE intake_no = 'A-1'"),
			 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT length_cm * 10 FROM objects WHERE intake_no = 'A-2'"),
			 125);
	/* The place became the object's place, through a first movement. */
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT location_id = %lld FROM objects WHERE intake_no = 'A-1'",
		 (long long)room);
	assert_int_equal(testdb_query_int(f->db, sql), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM movements"), 1);
	/* The registration number column of an export is never imported. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"
						 " WHERE reg_number IS NOT NULL"),
			 0);

	/* The same file again: both intake numbers are taken now. */
	assert_int_equal(run(f, false, 1), 1);
	assert_int_equal(f->rep.total_problems, 2);
	assert_int_equal(f->rep.problems[0].row, 2);
	assert_string_equal(f->rep.problems[0].header, "Số nhập tạm");
	assert_int_equal(f->rep.problems[0].code, REG_DUPLICATE);
	assert_int_equal(f->rep.problems[1].row, 4);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"), 2);
}

static void test_every_problem_and_nothing_written(void **state)
{
	fixture *f = *state;
	row(f, "Tên hiện vật|Chất liệu|Phương thức thu nhận|Ngày thu nhận|Cao (cm)|Vị trí|Số nhập tạm|Màu");
	row(f, "Mũ cối|KL|mua|01/01/2020|14|||");
	row(f, "Mũ|GỖ LIM|mua|30/02/2020|cao lắm|Kho ma|B|");
	row(f, "Thư|G|biếu|01/01/2020|-3||B|");
	assert_int_equal(run(f, false, 1), 1);
	struct {
		size_t row;
		const char *header;
		enum reg_problem code;
	} want[] = {
	    {1, "Màu", REG_UNKNOWN_COLUMN},
	    {3, "Chất liệu", REG_NOT_FOUND},
	    {3, "Cao (cm)", REG_BAD_NUMBER},
	    {3, "Ngày thu nhận", REG_BAD_DATE},
	    {3, "Vị trí", REG_NOT_FOUND},
	    {4, "Cao (cm)", REG_BAD_NUMBER},
	    {4, "Phương thức thu nhận", REG_BAD_CHOICE},
	    {4, "Số nhập tạm", REG_DUPLICATE},
	};
	size_t n = sizeof want / sizeof want[0];
	assert_int_equal(f->rep.total_problems, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(f->rep.problems[i].row, want[i].row);
		assert_string_equal(f->rep.problems[i].header, want[i].header);
		assert_int_equal(f->rep.problems[i].code, want[i].code);
	}
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM acquisitions"), 0);

	/* A file without a required column says which. */
	sheet_free(&f->s);
	row(f, "Tên hiện vật|Chất liệu");
	row(f, "Mũ cối|KL");
	assert_int_equal(run(f, false, 1), 1);
	assert_int_equal(f->rep.problems[0].code, REG_MISSING_COLUMN);
	assert_string_equal(f->rep.problems[0].header, "Phương thức thu nhận");
	assert_string_equal(f->rep.problems[1].header, "Ngày thu nhận");
}

/* A CSV saved with decomposed marks (NFD, as some Mac programs write it)
 * is read in NFC: its column names are recognised and its names stored as
 * the same text typed on Windows. */
static void test_nfd_cells_stored_in_nfc(void **state)
{
	fixture *f = *state;
	/* "Tên hiện vật,Chất liệu,Phương thức thu nhận,Ngày thu nhận" and
	 * "Mũ cối,KL,mua,01/01/2020", every mark a separate code point. */
	const char *csv = "Te\xcc\x82n hie\xcc\xa3\xcc\x82n va\xcc\xa3\xcc\x82t,"
			  "Cha\xcc\x82\xcc\x81t lie\xcc\xa3\xcc\x82u,"
			  "Phu\xcc\x9bo\xcc\x9bng thu\xcc\x81" "c thu nha\xcc\xa3\xcc\x82n,"
			  "Nga\xcc\x80y thu nha\xcc\xa3\xcc\x82n\r\n"
			  "Mu\xcc\x83 co\xcc\x82\xcc\x81i,KL,mua,01/01/2020\r\n";
	sheet_info info;
	assert_int_equal(sheet_read_csv(csv, strlen(csv), &f->s, &info), SHEET_OK);
	assert_string_equal(f->s.rows[0].cells[0], "T\xc3\xaan hi\xe1\xbb\x87n v\xe1\xba\xadt");
	assert_int_equal(run(f, false, 0), 0);
	assert_int_equal(f->rep.imported, 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"
						 " WHERE name = 'M\xc5\xa9 c\xe1\xbb\x91i'"),
			 1);
	/* The XLSX reader hands its cells over the same way. */
	sheet_free(&f->s);
	assert_int_equal(sheet_add(&f->s, true, "Mu\xcc\x83", 4), 0);
	assert_string_equal(f->s.rows[0].cells[0], "M\xc5\xa9");
	/* A cell that is not UTF-8 is kept for the importer to refuse. */
	assert_int_equal(sheet_add(&f->s, false, "\xff", 1), 0);
	assert_string_equal(f->s.rows[0].cells[1], "\xff");
}

/* More donors, acquisitions and intake numbers than the importer's first
 * table holds (256 slots): each found again, none lost, and the import ends. */
static void test_many_donors_and_acquisitions(void **state)
{
	fixture *f = *state;
	enum { ROWS = 1500 };
	row(f, "Tên hiện vật|Chất liệu|Phương thức thu nhận|Ngày thu nhận|Người/đơn vị giao|"
	       "Số biên bản|Số nhập tạm");
	char cells[256];
	for (int i = 0; i < ROWS; i++) {
		/* Two rows of each hand-over record, 700 donors over its 750. */
		snprintf(cells, sizeof cells, "Thư số %d|G|hiến tặng|07/05/2020|Người gửi %d|BB-%d|NT-%d",
			 i, (i / 2) % 700, i / 2, i);
		row(f, cells);
	}
	assert_int_equal(run(f, false, 0), 0);
	assert_int_equal(f->rep.imported, ROWS);
	assert_int_equal(f->rep.donors, 700);
	assert_int_equal(f->rep.acquisitions, ROWS / 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM donors"), 700);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM acquisitions"), ROWS / 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(DISTINCT intake_no) FROM objects"), ROWS);
	/* The same numbers again: every row refused, found in the book. */
	sheet_free(&f->s);
	row(f, "Tên hiện vật|Chất liệu|Phương thức thu nhận|Ngày thu nhận|Số nhập tạm");
	for (int i = 0; i < ROWS; i++) {
		snprintf(cells, sizeof cells, "Thư số %d|G|hiến tặng|07/05/2020|NT-%d", i, i);
		row(f, cells);
	}
	assert_int_equal(run(f, false, 1), 1);
	assert_int_equal(f->rep.total_problems, ROWS);
}

/* The search index is written once, after the file's rows (the import
 * holds the index's triggers, object_index_hold): every imported object is
 * in it with its donor, place and filter tokens, the hold is gone after
 * the commit and after a refused file, and a card entered later is
 * indexed by the triggers again. */
static void test_imported_objects_are_searched(void **state)
{
	fixture *f = *state;
	int64_t room = add_store_and_room(f);
	model_problem why;
	row(f, "Tên hiện vật|Chất liệu|Phương thức thu nhận|Ngày thu nhận|Người/đơn vị giao|Vị trí");
	char cells[256];
	for (int i = 0; i < 40; i++) {
		snprintf(cells, sizeof cells, "%s số %d|%s|hiến tặng|07/05/2020|Bà Lò Thị Xuân|%s",
			 i % 2 ? "Mũ cối" : "Bi đông", i, i % 4 < 2 ? "KL" : "ĐD",
			 i % 3 ? "Kho chính > Phòng 1" : "");
		row(f, cells);
	}
	assert_int_equal(run(f, false, 0), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM object_fts"), 40);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM object_fts_hold"), 0);
	object_row *rows;
	size_t n;
	bool more;
	/* i odd, i % 4 < 2, i % 3 != 0: 1, 5, 13, 17, 25, 29, 37. */
	object_filter q = {.query = "mu coi lo thi xuan", .material_code = "KL", .location_id = room};
	assert_int_equal(object_list(f->db, f->arena, &q, 0, 50, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 7);
	assert_string_equal(rows[0].name, "Mũ cối số 37");
	assert_string_equal(rows[6].name, "Mũ cối số 1");
	/* A refused file never holds the index. */
	sheet_free(&f->s);
	row(f, "Tên hiện vật|Chất liệu|Phương thức thu nhận|Ngày thu nhận");
	row(f, "Mũ cối hỏng|XX|hiến tặng|07/05/2020");
	assert_int_equal(run(f, false, 1), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM object_fts_hold"), 0);
	/* A card entered by hand afterwards is indexed at once. */
	object_card c = {.acquisition_id = 1, .name = "Mũ cối nhập tay", .material_code = "KL"};
	int64_t id;
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	q = (object_filter){.query = "mu coi nhap tay", .material_code = "KL"};
	assert_int_equal(object_list(f->db, f->arena, &q, 0, 50, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cells_as_offices_write_them, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_problem_and_nothing_written, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nfd_cells_stored_in_nfc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_donors_and_acquisitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imported_objects_are_searched, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
