/*
 * test_register.c - the museum's register in src/model over a real,
 * migrated SQLite database in a temporary folder (one per test): field
 * checks that name the field, intake, council acceptance and gapless
 * numbers (also under two concurrent connections), the append-only log,
 * corrections, the hash chain and tampering done by hand, storage places,
 * movements, inventory, search and keyset pagination.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/acquisition.h"
#include "model/council.h"
#include "model/donor.h"
#include "model/inventory.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"
#include "model/reg_check.h"
#include "model/register_log.h"
#include "model/register_number.h"
#include "model/sheet.h"
#include "model/vn_encoding.h"

typedef struct {
	TESTDB_FIXTURE;
	int64_t acquisition, session, main_register, ref_register;
} fixture;

/* A donor, a 2020 acquisition, a council session and two registers. */
static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	model_problem why;
	int64_t donor_id;
	donor d = {.name = "Gia đình cựu chiến binh Nguyễn Văn A", .phone = "0215 3824 971"};
	acquisition q = {.mode = "hien_tang", .acquired_on = "2020-05-07", .handover_no = "12/BB"};
	council_session s = {.held_on = "2020-06-01", .members = "Ông A\nBà B"};
	register_book main_r = {.code = "HV", .name = "Sổ hiện vật", .collection = "main",
				.prefix = "BTĐBP"};
	register_book ref_r = {.code = "TK", .name = "Sổ tham khảo", .collection = "reference",
			       .prefix = "BTĐBP", .pattern = "{prefix}-{register}-{n}"};
	if (f == NULL || donor_add(f->db, &d, &donor_id, &why) != 0)
		return -1;
	q.donor_id = donor_id;
	if (acquisition_add(f->db, &q, &f->acquisition, &why) != 0 ||
	    council_session_add(f->db, &s, &f->session, &why) != 0 ||
	    register_number_add(f->db, &main_r, &f->main_register, &why) != 0 ||
	    register_number_add(f->db, &ref_r, &f->ref_register, &why) != 0)
		return -1;
	return 0;
}

static int64_t intake(fixture *f, const char *name, const char *material)
{
	object_card c = {.acquisition_id = f->acquisition, .name = name, .material_code = material,
			 .height_cm = 14.5, .description = "Mũ của chiến sĩ Đại đoàn 308"};
	int64_t id = 0;
	model_problem why;
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	return id;
}

static void accept(fixture *f, int64_t object, char *number, size_t len)
{
	model_problem why;
	assert_int_equal(council_decide(f->db, f->session, object, "main", f->main_register,
					"curator", "", number, len, &why),
			 0);
}

static register_verify_result verify(fixture *f)
{
	register_verify_result r;
	assert_int_equal(register_verify(f->db, &r), 0);
	return r;
}

/* ---- checks ------------------------------------------------------------------ */

static void test_checks(void **state)
{
	(void)state;
	char d[11];
	assert_true(reg_date_parse("07/05/2020", d));
	assert_string_equal(d, "2020-05-07");
	assert_true(reg_date_parse("7/5/2020", d));
	assert_string_equal(d, "2020-05-07");
	assert_true(reg_date_parse("2020-05-07", d));
	assert_true(reg_date_parse("29/02/2024", d));
	assert_false(reg_date_parse("29/02/2023", d));
	assert_false(reg_date_parse("31/04/2020", d));
	assert_false(reg_date_parse("05/07/20", d));
	assert_false(reg_date_parse("07/05/2020x", d));
	assert_false(reg_date_parse("", d));
	double v;
	assert_true(reg_decimal_parse("12,5", &v));
	assert_true(v == 12.5);
	assert_true(reg_decimal_parse(" 12.5 cm", &v));
	assert_true(v == 12.5);
	assert_true(reg_decimal_parse("300 g", &v));
	assert_true(v == 300);
	assert_false(reg_decimal_parse("1.234,5", &v));
	assert_false(reg_decimal_parse("12,", &v));
	assert_false(reg_decimal_parse("abc", &v));
	assert_false(reg_decimal_parse("12 cm 3", &v));

	model_problem f;
	assert_int_equal(reg_check_text(&f, "name", "  ", 10, true, false), REG_REQUIRED);
	assert_string_equal(f.field, "name");
	assert_int_equal(reg_check_text(&f, "name", "a\x01", 10, true, false), REG_BAD_TEXT);
	assert_int_equal(reg_check_text(&f, "name", "\xc3", 10, true, false), REG_BAD_TEXT);
	assert_int_equal(reg_check_text(&f, "name", "abcdefghijk", 10, true, false), REG_TOO_LONG);
	assert_int_equal(reg_check_text(&f, "note", "a\nb", 10, false, true), 0);
	assert_string_equal(reg_problem_key(REG_BAD_DATE), "reg_bad_date");

	/* Patterns: one {n}, one {register}, separators between placeholders. */
	assert_int_equal(register_number_check_pattern("{prefix}.{register}.{n:5}/{material}", &f), 0);
	assert_int_equal(register_number_check_pattern("{prefix}.{n}", &f), REG_BAD_PATTERN);
	assert_string_equal(f.field, "pattern");
	assert_int_equal(register_number_check_pattern("{register}{n}", &f), REG_BAD_PATTERN);
	assert_int_equal(register_number_check_pattern("{register}.{n}.{n}", &f), REG_BAD_PATTERN);
	assert_int_equal(register_number_check_pattern("{register}.{x}.{n}", &f), REG_BAD_PATTERN);
	char num[64];
	assert_int_equal(register_number_format("{prefix}.{register}.{n:5}/{material}", "BTĐBP", "HV",
						17, "KL", num, sizeof num),
			 0);
	assert_string_equal(num, "BTĐBP.HV.00017/KL");
}

/* ---- intake ------------------------------------------------------------------ */

static void test_intake_refusals_name_the_field(void **state)
{
	fixture *f = *state;
	model_problem why;
	int64_t id;
	object_card c = {.acquisition_id = f->acquisition, .name = "", .material_code = "KL"};
	assert_int_equal(object_intake(f->db, &c, &id, &why), REG_REQUIRED);
	assert_string_equal(why.field, "name");
	c.name = "Mũ cối";
	c.material_code = "XX";
	assert_int_equal(object_intake(f->db, &c, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "material_code");
	c.material_code = "KL";
	c.heritage_class = "quý";
	assert_int_equal(object_intake(f->db, &c, &id, &why), REG_BAD_CHOICE);
	assert_string_equal(why.field, "class");
	c.heritage_class = "co_vat";
	c.weight_g = -3;
	assert_int_equal(object_intake(f->db, &c, &id, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "weight_g");
	c.weight_g = 0;
	c.acquisition_id = 999;
	assert_int_equal(object_intake(f->db, &c, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "acquisition_id");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"), 0);

	c.acquisition_id = f->acquisition;
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	object_card got;
	assert_int_equal(object_get(f->db, f->arena, id, &got), 0);
	assert_string_equal(got.status, "intake");
	assert_string_equal(got.reg_number, "");
	assert_true(strncmp(got.intake_no, "NT-", 3) == 0);
	/* A given intake number is kept, and a second one like it refused. */
	c.intake_no = "NT-2020-900";
	assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
	assert_int_equal(object_intake(f->db, &c, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "intake_no");

	acquisition bad = {.mode = "mua_ban", .acquired_on = "2020-01-01"};
	assert_int_equal(acquisition_add(f->db, &bad, &id, &why), REG_BAD_CHOICE);
	assert_string_equal(why.field, "mode");
	bad.mode = "mua";
	bad.acquired_on = "2999-01-01";
	assert_int_equal(acquisition_add(f->db, &bad, &id, &why), REG_IN_FUTURE);
	assert_string_equal(why.field, "acquired_on");
	bad.acquired_on = "2020-01-01";
	bad.donor_id = 77;
	assert_int_equal(acquisition_add(f->db, &bad, &id, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "donor_id");
	donor d = {.name = "Ông B", .email = "không-có-a-còng"};
	assert_int_equal(donor_add(f->db, &d, &id, &why), REG_BAD_TEXT);
	assert_string_equal(why.field, "email");
}

/* ---- council and numbers ----------------------------------------------------- */

static void test_acceptance_numbers_without_gaps(void **state)
{
	fixture *f = *state;
	int64_t a = intake(f, "Mũ cối", "KL"), b = intake(f, "Bi đông", "KL");
	int64_t c = intake(f, "Thư gửi mẹ", "G"), d = intake(f, "Ảnh chụp", "PA");
	char num[REGISTER_NUMBER_MAX + 1];
	accept(f, a, num, sizeof num);
	assert_string_equal(num, "BTĐBP.HV.00001/KL");
	model_problem why;
	/* Returned: no number, and the next acceptance continues at 2. */
	assert_int_equal(council_decide(f->db, f->session, b, "returned", 0, "curator", "trùng",
					num, sizeof num, &why),
			 0);
	accept(f, c, num, sizeof num);
	assert_string_equal(num, "BTĐBP.HV.00002/G");
	/* Deciding twice, the wrong register, no register. */
	assert_int_equal(council_decide(f->db, f->session, a, "main", f->main_register, "curator",
					"", num, sizeof num, &why),
			 REG_WRONG_STATE);
	assert_string_equal(why.field, "object_id");
	assert_int_equal(council_decide(f->db, f->session, d, "main", f->ref_register, "curator",
					"", num, sizeof num, &why),
			 REG_WRONG_STATE);
	assert_string_equal(why.field, "register_id");
	assert_int_equal(council_decide(f->db, f->session, d, "reference", 0, "curator", "", num,
					sizeof num, &why),
			 REG_REQUIRED);
	assert_string_equal(why.field, "register_id");
	/* The refusals took no number. */
	assert_int_equal(council_decide(f->db, f->session, d, "reference", f->ref_register,
					"curator", "", num, sizeof num, &why),
			 0);
	assert_string_equal(num, "BTĐBP-TK-1");
	int64_t e = intake(f, "Bản đồ tác chiến", "G");
	accept(f, e, num, sizeof num);
	assert_string_equal(num, "BTĐBP.HV.00003/G");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM council_decisions"), 5);

	/* What the schema refuses whoever asks. */
	assert_int_not_equal(db_exec(f->db, "UPDATE objects SET reg_number = 'X' WHERE reg_seq = 1"),
			     0);
	assert_int_not_equal(db_exec(f->db, "DELETE FROM objects WHERE reg_seq = 1"), 0);
	assert_int_not_equal(db_exec(f->db, "UPDATE register_log SET who = 'x'"), 0);
	assert_int_not_equal(db_exec(f->db, "DELETE FROM register_log"), 0);
	assert_int_not_equal(db_exec(f->db, "UPDATE registers SET next_number = 1"), 0);
	assert_int_not_equal(db_exec(f->db, "UPDATE objects SET name = 'Khác' WHERE reg_seq = 1"),
			     0);
	/* An intake entry can be deleted, a registered one cannot. */
	int64_t g = intake(f, "Nhập nhầm", "K");
	assert_int_equal(object_delete_intake(f->db, g, &why), 0);
	assert_int_equal(object_delete_intake(f->db, a, &why), REG_WRONG_STATE);

	register_verify_result r = verify(f);
	assert_int_equal(r.problem, REGISTER_FITS);
	assert_int_equal(r.entries, 4);
	assert_int_equal(r.objects, 4);
	assert_int_equal(strlen(r.head), 64);
}

static void test_pattern_that_repeats_a_number_is_refused(void **state)
{
	fixture *f = *state;
	char num[REGISTER_NUMBER_MAX + 1];
	accept(f, intake(f, "Mũ cối", "KL"), num, sizeof num);
	model_problem why;
	int64_t id;
	register_book dup = {.code = "HV", .name = "Lại HV", .collection = "main", .prefix = "X"};
	assert_int_equal(register_number_add(f->db, &dup, &id, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "code");
	register_book bad = {.code = "H.V", .name = "Sai", .collection = "main", .prefix = "X"};
	assert_int_equal(register_number_add(f->db, &bad, &id, &why), REG_BAD_TEXT);
	assert_string_equal(why.field, "code");
	register_book loose = {.code = "HV2", .name = "Sai", .collection = "main", .prefix = "X",
			       .pattern = "{n}"};
	assert_int_equal(register_number_add(f->db, &loose, &id, &why), REG_BAD_PATTERN);
	/* A pattern whose first number is one an object holds. */
	db_exec(f->db, "DROP TRIGGER objects_number_fixed");
	db_exec(f->db, "UPDATE objects SET reg_number = 'BTĐBP.HV2.1' WHERE reg_seq = 1");
	register_book clash = {.code = "HV2", .name = "Trùng", .collection = "main",
			       .prefix = "BTĐBP", .pattern = "{prefix}.{register}.{n}"};
	assert_int_equal(register_number_add(f->db, &clash, &id, &why), REG_BAD_PATTERN);
	assert_string_equal(why.field, "pattern");
}

/* Two connections accept at the same moment: every number once, no gap. */
typedef struct {
	const char *path;
	int64_t session, reg;
	const int64_t *objects;
	size_t n;
	int failures;
	pthread_barrier_t *start;
} acceptor;

static void *accept_all(void *arg)
{
	acceptor *w = arg;
	db_t *db = db_get();   /* this thread's own connection */
	db_set_busy_timeout(db, 20000);
	pthread_barrier_wait(w->start);
	for (size_t i = 0; i < w->n; i++) {
		model_problem why;
		char num[REGISTER_NUMBER_MAX + 1];
		if (council_decide(db, w->session, w->objects[i], "main", w->reg, "thread", "", num,
				   sizeof num, &why) != 0)
			w->failures++;
	}
	db_thread_close();
	return NULL;
}

static void test_concurrent_acceptance(void **state)
{
	fixture *f = *state;
	enum { EACH = 40 };
	int64_t left[EACH], right[EACH];
	for (int i = 0; i < EACH; i++) {
		left[i] = intake(f, "Mũ cối", "KL");
		right[i] = intake(f, "Bi đông", "KL");
	}
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	acceptor a = {f->path, f->session, f->main_register, left, EACH, 0, &start};
	acceptor b = {f->path, f->session, f->main_register, right, EACH, 0, &start};
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, accept_all, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, accept_all, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&start);
	assert_int_equal(a.failures + b.failures, 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(DISTINCT reg_number) FROM objects"
						 " WHERE register_id IS NOT NULL"),
			 2 * EACH);
	assert_int_equal(testdb_query_int(f->db, "SELECT min(reg_seq) FROM objects"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT max(reg_seq) FROM objects"), 2 * EACH);
	assert_int_equal(testdb_query_int(f->db, "SELECT next_number FROM registers WHERE code = 'HV'"),
			 2 * EACH + 1);
	assert_int_equal(verify(f).problem, REGISTER_FITS);
}

/* ---- corrections and the chain ---------------------------------------------- */

static void test_correction_keeps_both(void **state)
{
	fixture *f = *state;
	char num[REGISTER_NUMBER_MAX + 1];
	int64_t id = intake(f, "Mũ coi", "KL");
	accept(f, id, num, sizeof num);
	object_card c;
	assert_int_equal(object_get(f->db, f->arena, id, &c), 0);
	c.name = "Mũ cối";
	model_problem why;
	assert_int_equal(object_update(f->db, &c, "curator", "", &why), REG_REQUIRED);
	assert_string_equal(why.field, "why");
	assert_int_equal(object_update(f->db, &c, "curator", "Sai chính tả", &why), 0);
	/* Fields outside the entry change without a correction. */
	c.notes = "Đã chụp ảnh";
	c.public_ = true;
	assert_int_equal(object_update(f->db, &c, NULL, NULL, &why), 0);
	register_entry *h;
	size_t n;
	assert_int_equal(register_history(f->db, f->arena, id, &h, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(h[0].kind, "register");
	assert_string_equal(h[1].kind, "correct");
	assert_int_equal(h[1].corrects, h[0].id);
	assert_string_equal(h[1].why, "Sai chính tả");
	assert_non_null(strstr(h[0].payload, "\"name\":\"Mũ coi\""));
	assert_non_null(strstr(h[1].payload, "\"name\":\"Mũ cối\""));
	assert_int_equal(verify(f).problem, REGISTER_FITS);
	object_card now;
	assert_int_equal(object_get(f->db, f->arena, id, &now), 0);
	assert_string_equal(now.name, "Mũ cối");
	assert_string_equal(now.reg_number, num);
}

static void test_tampering_is_found(void **state)
{
	fixture *f = *state;
	char num[REGISTER_NUMBER_MAX + 1];
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		ids[i] = intake(f, "Xe đạp thồ", "KL");
		accept(f, ids[i], num, sizeof num);
	}
	assert_int_equal(verify(f).problem, REGISTER_FITS);

	/* Someone with the file drops the guard and edits entry 2. */
	assert_int_equal(db_exec(f->db, "DROP TRIGGER register_log_no_update"), 0);
	assert_int_equal(db_exec(f->db, "UPDATE register_log SET who = 'ai đó' WHERE id = 2"), 0);
	register_verify_result r = verify(f);
	assert_int_equal(r.problem, REGISTER_HASH_WRONG);
	assert_int_equal(r.entry, 2);
	assert_int_equal(r.object_id, ids[1]);

	/* ... and recomputes its hash: then entry 3 no longer follows. */
	assert_int_equal(db_exec(f->db, "UPDATE register_log SET hash = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE id = 2"),
			 0);
	r = verify(f);
	assert_true(r.problem == REGISTER_HASH_WRONG || r.problem == REGISTER_CHAIN_BROKEN);
	assert_int_equal(r.entry, 2);
}

static void test_removed_entry_and_changed_card_are_found(void **state)
{
	fixture *f = *state;
	char num[REGISTER_NUMBER_MAX + 1];
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = intake(f, "Thư", "G");
		accept(f, ids[i], num, sizeof num);
	}
	/* A card changed behind the log's back. */
	assert_int_equal(db_exec(f->db, "DROP TRIGGER objects_registered_corrected"), 0);
	assert_int_equal(db_exec(f->db, "UPDATE objects SET name = 'Thư giả' WHERE id = 3"), 0);
	register_verify_result r = verify(f);
	assert_int_equal(r.problem, REGISTER_CARD_CHANGED);
	assert_int_equal(r.object_id, 3);
	assert_int_equal(r.entry, 3);
	assert_int_equal(db_exec(f->db, "UPDATE objects SET name = 'Thư' WHERE id = 3"), 0);
	assert_int_equal(verify(f).problem, REGISTER_FITS);

	/* An entry removed from the middle: the next one does not follow. */
	assert_int_equal(db_exec(f->db, "DROP TRIGGER register_log_no_delete"), 0);
	assert_int_equal(db_exec(f->db, "PRAGMA foreign_keys = OFF"), 0);
	assert_int_equal(db_exec(f->db, "DELETE FROM register_log WHERE id = 2"), 0);
	r = verify(f);
	assert_int_equal(r.problem, REGISTER_CHAIN_BROKEN);
	assert_int_equal(r.entry, 3);
}

/* ---- places, moves, inventory ------------------------------------------------- */

static void test_locations_movements_inventory(void **state)
{
	fixture *f = *state;
	model_problem why;
	int64_t store, room, shelf, box, hall, other_box;
	location l = {.kind = "store", .name = "Kho chính", .store_kind = "main"};
	assert_int_equal(location_add(f->db, &l, &store, &why), 0);
	l = (location){.kind = "room", .name = "Phòng 1", .parent_id = store};
	assert_int_equal(location_add(f->db, &l, &room, &why), 0);
	l = (location){.kind = "shelf", .name = "Giá A", .parent_id = room};
	assert_int_equal(location_add(f->db, &l, &shelf, &why), 0);
	l = (location){.kind = "box", .name = "Hộp 3", .parent_id = shelf};
	assert_int_equal(location_add(f->db, &l, &box, &why), 0);
	l = (location){.kind = "box", .name = "Hộp 4", .parent_id = shelf};
	assert_int_equal(location_add(f->db, &l, &other_box, &why), 0);
	assert_int_equal(location_add(f->db, &l, &other_box, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "name");
	l = (location){.kind = "box", .name = "Hộp lạc", .parent_id = room};
	assert_int_equal(location_add(f->db, &l, &other_box, &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "parent_id");
	l = (location){.kind = "exhibit", .name = "Phòng trưng bày"};
	assert_int_equal(location_add(f->db, &l, &hall, &why), 0);
	assert_string_equal(location_path(f->db, f->arena, box), "Kho chính › Phòng 1 › Giá A › Hộp 3");
	int64_t found;
	assert_int_equal(location_find_path(f->db, "Kho chính > Phòng 1 > Giá A > Hộp 3", &found), 0);
	assert_int_equal(found, box);
	assert_int_equal(location_find_path(f->db, "Kho chính > Phòng 9", &found), 1);

	char num[REGISTER_NUMBER_MAX + 1];
	int64_t hat = intake(f, "Mũ cối", "KL"), flask = intake(f, "Bi đông", "KL");
	accept(f, hat, num, sizeof num);
	accept(f, flask, num, sizeof num);
	int64_t mid;
	movement m = {.object_id = hat, .moved_on = "2020-06-02", .to_location_id = box,
		      .who = "Thủ kho", .reason = "nhap_kho"};
	assert_int_equal(movement_add(f->db, &m, &mid, &why), 0);
	m.object_id = flask;
	assert_int_equal(movement_add(f->db, &m, &mid, &why), 0);
	m = (movement){.object_id = hat, .moved_on = "2020-06-01", .to_location_id = hall,
		       .who = "Thủ kho", .reason = "trung_bay"};
	assert_int_equal(movement_add(f->db, &m, &mid, &why), REG_OUT_OF_RANGE);
	assert_string_equal(why.field, "moved_on");
	m.moved_on = "2020-07-01";
	m.reason = "đi chơi";
	assert_int_equal(movement_add(f->db, &m, &mid, &why), REG_BAD_CHOICE);
	assert_string_equal(why.field, "reason");
	m.reason = "trung_bay";
	assert_int_equal(movement_add(f->db, &m, &mid, &why), 0);
	assert_int_equal(movement_add(f->db, &m, &mid, &why), REG_WRONG_STATE);
	movement *moves;
	size_t n;
	assert_int_equal(movement_list(f->db, f->arena, hat, &moves, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(moves[0].from_location_id, box);
	assert_int_equal(moves[0].to_location_id, hall);
	assert_int_equal(moves[1].from_location_id, 0);
	object_card c;
	assert_int_equal(object_get(f->db, f->arena, hat, &c), 0);
	assert_int_equal(c.location_id, hall);
	/* A move is not a correction of the register. */
	assert_int_equal(verify(f).problem, REGISTER_FITS);

	/* Inventory of the main store: the flask is found in the wrong box, the
	 * hat is in the exhibition hall (outside the store, not expected). */
	int64_t camp;
	assert_int_equal(inventory_start(f->db, "Kiểm kê 2020", "2020-12-01", store, &camp, &why), 0);
	assert_int_equal(inventory_mark(f->db, camp, flask, "found", other_box, "An", "", &why), 0);
	inventory_difference *diff;
	int64_t checked;
	assert_int_equal(inventory_report(f->db, f->arena, camp, &diff, &n, &checked), 0);
	assert_int_equal(n, 1);
	assert_int_equal(diff[0].object_id, flask);
	assert_string_equal(diff[0].state, "misplaced");
	assert_int_equal(diff[0].seen_location, other_box);
	assert_int_equal(checked, 1);
	assert_int_equal(inventory_mark(f->db, camp, flask, "found", box, "An", "", &why), 0);
	assert_int_equal(inventory_report(f->db, f->arena, camp, &diff, &n, &checked), 0);
	assert_int_equal(n, 0);
	assert_int_equal(inventory_close(f->db, camp, "2020-12-02", &why), 0);
	assert_int_equal(inventory_mark(f->db, camp, flask, "missing", 0, "An", "", &why),
			 REG_WRONG_STATE);
	assert_string_equal(why.field, "campaign_id");
	/* A campaign of everything: the hat was never marked. */
	assert_int_equal(inventory_start(f->db, "Toàn bộ", "2020-12-03", 0, &camp, &why), 0);
	assert_int_equal(inventory_mark(f->db, camp, flask, "damaged", 0, "An", "móp", &why), 0);
	assert_int_equal(inventory_report(f->db, f->arena, camp, &diff, &n, &checked), 0);
	assert_int_equal(n, 2);
	assert_int_equal(diff[0].object_id, hat);
	assert_string_equal(diff[0].state, "unmarked");
	assert_string_equal(diff[1].state, "damaged");
}

/* ---- card extras, search, pages -------------------------------------------------- */

static void test_card_extras(void **state)
{
	fixture *f = *state;
	model_problem why;
	int64_t id = intake(f, "Mũ cối", "KL"), cid;
	assert_int_equal(object_condition_add(f->db, id, "2020-06-02", "kha", "Sờn vành", "An",
					      &cid, &why),
			 0);
	assert_int_equal(object_condition_add(f->db, id, "02/06/2020", "kha", "", "", &cid, &why),
			 REG_BAD_DATE);
	assert_string_equal(why.field, "checked_on");
	assert_int_equal(object_related_add(f->db, id, "unit", "Đại đoàn 308", &why), 0);
	assert_int_equal(object_related_add(f->db, id, "event", "Chiến dịch Điện Biên Phủ 1954", &why),
			 0);
	assert_int_equal(object_related_add(f->db, id, "unit", "Đại đoàn 308", &why), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM object_related"), 2);
	assert_int_equal(db_exec(f->db, "INSERT INTO media (file, mime, bytes) VALUES"
					" ('a.jpg', 'image/jpeg', 1), ('b.jpg', 'image/jpeg', 1)"),
			 0);
	int64_t pics[] = {2, 1};
	assert_int_equal(object_photos_set(f->db, id, pics, 2, 1, &why), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT media_id FROM object_media WHERE lead = 1"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT media_id FROM object_media WHERE position = 0"),
			 2);
	int64_t twice[] = {1, 1};
	assert_int_equal(object_photos_set(f->db, id, twice, 2, 0, &why), REG_DUPLICATE);
	assert_string_equal(why.field, "media_id");
	/* The refused list left the previous one in place. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM object_media"), 2);
	int64_t missing[] = {9};
	assert_int_equal(object_photos_set(f->db, id, missing, 1, 0, &why), REG_NOT_FOUND);
	assert_string_equal(why.field, "media_id");
}

static void test_search_and_pages(void **state)
{
	fixture *f = *state;
	intake(f, "Mũ cối", "KL");
	intake(f, "Bi đông", "KL");
	intake(f, "Bản đồ tác chiến", "G");
	for (int i = 0; i < 25; i++)
		intake(f, "Thư gửi về hậu phương", "G");
	object_row *rows;
	size_t n;
	bool more;
	model_problem why;
	object_filter q = {.query = "mu coi"};
	assert_int_equal(object_list(f->db, f->arena, &q, 0, 10, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "Mũ cối");
	q.query = "nguyen van";   /* the donor's name */
	assert_int_equal(object_list(f->db, f->arena, &q, 0, 50, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 28);
	q.query = "ban do \"OR";  /* quotes are not FTS syntax */
	assert_int_equal(object_list(f->db, f->arena, &q, 0, 10, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 0);
	q = (object_filter){.material_code = "G"};
	int64_t before = 0;
	size_t total = 0, pages = 0;
	do {
		assert_int_equal(object_list(f->db, f->arena, &q, before, 10, &rows, &n, &more, &why), 0);
		total += n;
		pages++;
		if (n > 0)
			before = rows[n - 1].id;
	} while (more);
	assert_int_equal(total, 26);
	assert_int_equal(pages, 3);
	int64_t year;
	assert_int_equal(acquisition_count_objects(f->db, 2020, &year), 0);
	assert_int_equal(year, 28);
	assert_int_equal(acquisition_count_objects(f->db, 2021, &year), 0);
	assert_int_equal(year, 0);
}

/* Every filter of the list, with and without a cursor, is answered from an
 * index or from the search index in id order: no full scan of the objects
 * and no sort. (One statement with "?2 IS NULL OR o.status = ?2" for every
 * filter scanned the objects newest first; bench/README.md has what that
 * cost at 1,000,000 objects.) */
static void test_list_filters_use_indexes(void **state)
{
	fixture *f = *state;
	for (int i = 0; i < 30; i++)
		intake(f, i % 3 ? "Mũ cối" : "Thư gửi mẹ", i % 2 ? "KL" : "G");
	const object_filter shapes[] = {
	    {.status = "intake"},
	    {.material_code = "KL"},
	    {.status = "intake", .material_code = "G"},
	    {.acquisition_id = f->acquisition},
	    {.location_id = 1},
	    {.public_only = true},
	    {.query = "mu coi"},
	    {.query = "mu coi", .status = "intake"},
	    {.query = "thu gui", .material_code = "G", .public_only = true},
	    {0},
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		for (int64_t before = 0; before <= 20; before += 20) {
			if (i == sizeof shapes / sizeof shapes[0] - 1 && before == 0)
				continue;   /* the whole register's first page: the newest rows */
			object_row *rows;
			size_t n;
			bool more;
			model_problem why;
			db_stats s;
			db_reset_stats(f->db);
			assert_int_equal(object_list(f->db, f->arena, &shapes[i], before, 10, &rows, &n,
						     &more, &why),
					 0);
			db_get_stats(f->db, &s);
			if (s.sorts != 0 || s.full_scans != 0)
				fail_msg("filter %zu, cursor %lld: %lu sorts, %lu full-scan steps", i,
					 (long long)before, s.sorts, s.full_scans);
		}
	}
	/* And the answers are the same as before: newest first, filtered. */
	object_filter both = {.query = "mu coi", .material_code = "KL"};
	object_row *rows;
	size_t n;
	bool more;
	model_problem why;
	assert_int_equal(object_list(f->db, f->arena, &both, 0, 50, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 10);   /* i % 3 != 0 and i odd: 10 of 30 */
	for (size_t i = 1; i < n; i++)
		assert_true(rows[i].id < rows[i - 1].id);
	assert_int_equal(object_list(f->db, f->arena, &both, rows[4].id, 50, &rows, &n, &more, &why), 0);
	assert_int_equal(n, 5);
}

/* Every row of flt's list, page after page of `page` rows, into ids. */
static size_t list_all(fixture *f, const object_filter *flt, size_t page, int64_t *ids, size_t max)
{
	size_t total = 0;
	int64_t before = 0;
	bool more = true;
	while (more) {
		object_row *rows;
		size_t n;
		model_problem why;
		assert_int_equal(object_list(f->db, f->arena, flt, before, page, &rows, &n, &more, &why),
				 0);
		for (size_t i = 0; i < n; i++) {
			assert_true(total < max);
			ids[total++] = rows[i].id;
		}
		if (n > 0)
			before = rows[n - 1].id;
		assert_true(n > 0 || !more);
	}
	return total;
}

/* For every filter shape with every query: the list of both is exactly the
 * objects the filter alone and the words alone list, newest first, whole
 * and in pages of 3. Returns the rows found; *empty counts the pairs that
 * found none. */
static size_t compare_searches(fixture *f, int64_t room, int64_t bought, size_t *empty)
{
	const object_filter filters[] = {
	    {.status = "intake"},
	    {.status = "main"},
	    {.status = "reference"},
	    {.material_code = "KL"},
	    {.material_code = "ĐD"},
	    {.acquisition_id = bought},
	    {.location_id = room},
	    {.public_only = true},
	    {.status = "main", .material_code = "KL"},
	    {.status = "intake", .material_code = "ĐD", .acquisition_id = f->acquisition,
	     .public_only = true},
	    {.location_id = room, .material_code = "G", .status = "intake"},
	};
	const char *const words[] = {"mu coi", "thu", "bi dong", "dien bien", "nguyen van"};
	const size_t pages[] = {50, 3};
	size_t found = 0;
	*empty = 0;
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
			int64_t by_filter[64], by_words[64], want[64], got[64];
			object_filter words_only = {.query = words[w]}, both = filters[i];
			both.query = words[w];
			size_t nf = list_all(f, &filters[i], 50, by_filter, 64);
			size_t nw = list_all(f, &words_only, 50, by_words, 64);
			size_t nwant = 0;
			for (size_t a = 0; a < nw; a++)
				for (size_t b = 0; b < nf; b++)
					if (by_words[a] == by_filter[b])
						want[nwant++] = by_words[a];
			for (size_t p = 0; p < 2; p++) {
				size_t ngot = list_all(f, &both, pages[p], got, 64);
				if (ngot != nwant)
					fail_msg("filter %zu, \"%s\", pages of %zu: %zu rows, want %zu", i,
						 words[w], pages[p], ngot, nwant);
				for (size_t k = 0; k < nwant; k++)
					assert_int_equal(got[k], want[k]);
			}
			found += nwant;
			*empty += nwant == 0;
		}
	}
	return found;
}

/* Words with every filter and with several together (the filter's values
 * but the public flag are tokens of the search index since sql/017, which
 * FTS5 intersects with the words): exactly the objects the filter alone and the words alone
 * both list, newest first, whole and page by page, also after a move, a
 * change of the public flag and an acceptance. A filter's token typed as a
 * word finds nothing. */
static void test_search_with_every_filter(void **state)
{
	fixture *f = *state;
	model_problem why;
	int64_t store, room, bought;
	location l = {.kind = "store", .name = "Kho chính", .store_kind = "main"};
	assert_int_equal(location_add(f->db, &l, &store, &why), 0);
	l = (location){.kind = "room", .name = "Phòng 1", .parent_id = store};
	assert_int_equal(location_add(f->db, &l, &room, &why), 0);
	acquisition q = {.mode = "mua", .acquired_on = "2021-03-04", .handover_no = "13/BB"};
	assert_int_equal(acquisition_add(f->db, &q, &bought, &why), 0);
	const char *names[] = {"Mũ cối", "Bi đông", "Mũ cối tai bèo", "Thư gửi mẹ"};
	const char *mats[] = {"KL", "G", "ĐD"};
	char num[REGISTER_NUMBER_MAX + 1];
	for (int i = 0; i < 48; i++) {
		object_card c = {.acquisition_id = i % 5 == 0 ? bought : f->acquisition,
				 .name = names[i % 4], .material_code = mats[i % 3],
				 .description = i % 2 ? "Chiến dịch Điện Biên Phủ" : "Hậu phương"};
		int64_t id, mid;
		assert_int_equal(object_intake(f->db, &c, &id, &why), 0);
		if (i % 7 == 0) {
			movement m = {.object_id = id, .moved_on = "2021-03-05", .to_location_id = room,
				      .who = "An", .reason = "kiem_ke"};
			assert_int_equal(movement_add(f->db, &m, &mid, &why), 0);
		}
		if (i % 6 == 1)
			accept(f, id, num, sizeof num);
		else if (i % 6 == 2)
			assert_int_equal(council_decide(f->db, f->session, id, "reference",
							f->ref_register, "curator", "", num, sizeof num,
							&why),
					 0);
	}
	assert_int_equal(db_exec(f->db, "UPDATE objects SET public = 1 WHERE id % 4 = 1"), 0);
	size_t empty = 0;
	assert_true(compare_searches(f, room, bought, &empty) > 150);
	if (empty == 0 || empty > 27)   /* some shapes find nothing, most something */
		fail_msg("%zu of 55 searches found nothing", empty);
	/* The tokens follow the card: a move, the public flag, an acceptance. */
	int64_t moved = testdb_query_int(f->db, "SELECT max(id) FROM objects WHERE location_id IS NOT NULL"),
		mid;
	movement m = {.object_id = moved, .moved_on = "2021-04-01", .to_location_id = store,
		      .who = "An", .reason = "bao_quan"};
	assert_int_equal(movement_add(f->db, &m, &mid, &why), 0);
	assert_int_equal(db_exec(f->db, "UPDATE objects SET public = 1 - public WHERE id % 3 = 0"), 0);
	accept(f, testdb_query_int(f->db, "SELECT max(id) FROM objects WHERE status = 'intake'"), num,
	       sizeof num);
	assert_true(compare_searches(f, room, bought, &empty) > 150);
	/* A filter's token typed as a word finds nothing. */
	object_filter tokens = {.query = "zs696e74616b65"};   /* "intake" as its token */
	int64_t none[4];
	assert_int_equal(list_all(f, &tokens, 50, none, 4), 0);
	tokens.query = "za1";   /* the acquisition of every object but the bought ones */
	assert_int_equal(list_all(f, &tokens, 50, none, 4), 0);
}

/* ---- spreadsheets ---------------------------------------------------------------- */

static void test_csv_reader(void **state)
{
	(void)state;
	sheet s;
	sheet_info info;
	const char semi[] = "\xef\xbb\xbfT\xc3\xaan;Cao (cm)\r\n\"M\xc5\xa9 c\xe1\xbb\x91i; \"\"A\"\"\";12,5\r\n";
	assert_int_equal(sheet_read_csv(semi, sizeof semi - 1, &s, &info), SHEET_OK);
	assert_string_equal(info.encoding, "UTF-8 BOM");
	assert_int_equal(info.delimiter, ';');
	assert_int_equal(s.n, 2);
	assert_string_equal(s.rows[0].cells[0], "Tên");
	assert_string_equal(s.rows[1].cells[0], "Mũ cối; \"A\"");
	assert_string_equal(s.rows[1].cells[1], "12,5");
	sheet_free(&s);
	/* Windows-1258: "Việt" is Vi + ê (0xEA) + combining dot below (0xF2) + t. */
	const char cp[] = "T\xean,Vi\xea\xf2t Nam\n";
	assert_int_equal(sheet_read_csv(cp, sizeof cp - 1, &s, &info), SHEET_OK);
	assert_string_equal(info.encoding, "Windows-1258");
	assert_string_equal(s.rows[0].cells[1], "Việt Nam");
	sheet_free(&s);
	/* VNI: "Việt" is Vie + 0xE4 (circumflex and dot below) + t. */
	const char vni[] = "Vie\xe4t Nam,\xf1o\xe0ng ch\xed\n";
	assert_int_equal(sheet_read_csv(vni, sizeof vni - 1, &s, &info), SHEET_OK);
	assert_string_equal(info.encoding, "VNI");
	assert_string_equal(s.rows[0].cells[0], "Việt Nam");
	assert_string_equal(s.rows[0].cells[1], "đồng chí");
	sheet_free(&s);
	const char latin[] = "Caf\xe9 cr\xe8me,gar\xe7on\n";
	assert_int_equal(sheet_read_csv(latin, sizeof latin - 1, &s, &info), SHEET_ENCODING);
	assert_true(vn_encoding_score("Mũ cối bi đông", strlen("Mũ cối bi đông")) == 1.0);
	assert_true(vn_encoding_score("Mũä cöi", strlen("Mũä cöi")) < 0.75);
	assert_int_equal(sheet_read_xlsx("PK", 2, &s, &info), SHEET_MALFORMED);

	char buf[256];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	sheet_csv_cell(f, "=1+1", true);
	sheet_csv_cell(f, "@SUM(A1)", false);
	sheet_csv_cell(f, "a,b", false);
	sheet_csv_cell(f, "Mũ cối", false);
	sheet_csv_cell(f, "'Bác", false);
	fclose(f);
	assert_string_equal(buf, "\"'=1+1\",\"'@SUM(A1)\",\"a,b\",Mũ cối,\"''Bác\"");
	/* The mark comes off exactly where an export put it: every text reads
	 * back as it was, whatever apostrophes it started with. */
	const char *const round[] = {"=A1", "+84 912", "-5", "@nhà", "\tx", "'", "'Bác", "''hai",
				     "'=A1", "Mũ cối", "", " =A1", "x'"};
	for (size_t i = 0; i < sizeof round / sizeof round[0]; i++) {
		const char *x = round[i];
		char marked[32];
		snprintf(marked, sizeof marked, "%s%s", sheet_marked(x) ? "'" : "", x);
		assert_string_equal(sheet_unmark(marked), x);
	}
	assert_string_equal(sheet_unmark("'Bác"), "'Bác");   /* typed, not marked */
	/* Every lead a spreadsheet computes, and nothing else. */
	const char *const formulas[] = {"=A1", "+1", "-1", "@A1", "\tx", "\rx"};
	for (size_t i = 0; i < sizeof formulas / sizeof formulas[0]; i++)
		assert_true(sheet_formula_like(formulas[i]));
	const char *const texts[] = {"", "1954", "Mũ cối", " =A1", "'=A1", "\n=A1"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		assert_false(sheet_formula_like(texts[i]));
}

/* ---- the back office's lists: sessions, decisions, registers ---------------- */

static void test_council_and_register_lists(void **state)
{
	fixture *f = *state;
	model_problem why;
	council_session later = {.held_on = "2021-03-02", .members = "Ông C"};
	int64_t second;
	assert_int_equal(council_session_add(f->db, &later, &second, &why), 0);
	int64_t a = intake(f, "Mũ cối", "ĐD"), b = intake(f, "Bi đông", "KL");
	char num[REGISTER_NUMBER_MAX + 1];
	accept(f, a, num, sizeof num);
	assert_int_equal(council_decide(f->db, f->session, b, "returned", 0, "Bà B", "trùng lặp",
					NULL, 0, &why),
			 0);
	council_session *sessions;
	size_t n;
	assert_int_equal(council_session_list(f->db, f->arena, &sessions, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(sessions[0].id, second);   /* newest first */
	assert_int_equal(sessions[0].decisions, 0);
	assert_int_equal(sessions[1].id, f->session);
	assert_int_equal(sessions[1].decisions, 2);
	assert_string_equal(sessions[1].members, "Ông A\nBà B");
	council_decision *ds;
	assert_int_equal(council_decision_list(f->db, f->arena, f->session, &ds, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ds[0].object_id, a);
	assert_string_equal(ds[0].decision, "main");
	assert_string_equal(ds[0].reg_number, num);
	assert_string_equal(ds[0].object_name, "Mũ cối");
	assert_string_equal(ds[1].decision, "returned");
	assert_string_equal(ds[1].reg_number, "");
	assert_string_equal(ds[1].note, "trùng lặp");
	assert_string_equal(ds[1].decided_by, "Bà B");
	assert_int_equal(council_decision_list(f->db, f->arena, second, &ds, &n), 0);
	assert_int_equal(n, 0);
	register_book *books;
	assert_int_equal(register_number_list(f->db, f->arena, &books, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(books[0].code, "HV");
	assert_int_equal(books[0].next_number, 2);
	assert_string_equal(books[1].code, "TK");
	assert_string_equal(books[1].pattern, "{prefix}-{register}-{n}");
}

static void test_object_correct_refusals(void **state)
{
	fixture *f = *state;
	model_problem why;
	int64_t waiting = intake(f, "Bát sắt", "KL"), done = intake(f, "Mũ cối", "ĐD");
	char num[REGISTER_NUMBER_MAX + 1];
	accept(f, done, num, sizeof num);
	object_card c;
	/* Not registered: nothing to correct. */
	assert_int_equal(object_get(f->db, f->arena, waiting, &c), 0);
	c.name = "Bát sắt tự tạo";
	assert_int_equal(object_correct(f->db, &c, "Bà B", "sửa tên", &why), REG_WRONG_STATE);
	assert_string_equal(why.field, "status");
	/* Nothing of the entry changed (only notes): refused, notes not stored either. */
	assert_int_equal(object_get(f->db, f->arena, done, &c), 0);
	c.notes = "ghi chú mới";
	assert_int_equal(object_correct(f->db, &c, "Bà B", "không gì", &why), REG_REQUIRED);
	assert_string_equal(why.field, "changes");
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects WHERE notes <> ''"), 0);
	/* A change without a reason. */
	c.dating = "1954";
	assert_int_equal(object_correct(f->db, &c, "Bà B", "", &why), REG_REQUIRED);
	assert_string_equal(why.field, "why");
	/* Corrected: one more entry, naming the one before. */
	int64_t head = testdb_query_int(f->db, "SELECT log_head FROM objects WHERE reg_number IS NOT NULL");
	assert_int_equal(object_correct(f->db, &c, "Bà B", "bổ sung niên đại", &why), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM register_log"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT corrects FROM register_log"
						 " WHERE kind = 'correct'"),
			 head);
	c.id = 999999;
	assert_int_equal(object_correct(f->db, &c, "Bà B", "x", &why), REG_NOT_FOUND);
	register_verify_result r = verify(f);
	assert_int_equal(r.problem, REGISTER_FITS);
}

static void test_pattern_edit_refuses_repeats(void **state)
{
	fixture *f = *state;
	model_problem why;
	char num[REGISTER_NUMBER_MAX + 1];
	accept(f, intake(f, "Bi đông", "KL"), num, sizeof num);
	assert_string_equal(num, "BTĐBP.HV.00001/KL");
	accept(f, intake(f, "Mũ cối", "ĐD"), num, sizeof num);
	/* A register whose code happens to be a material code. */
	register_book kl = {.code = "KL", .name = "Sổ phụ", .collection = "reference",
			    .prefix = "BTĐBP", .pattern = "{prefix}-{register}-{n}"};
	int64_t kl_id;
	assert_int_equal(register_number_add(f->db, &kl, &kl_id, &why), 0);
	/* Its first number would be BTĐBP.HV.00001/KL, which the bi đông holds. */
	assert_int_equal(register_number_set_pattern(f->db, kl_id, "BTĐBP",
						     "{prefix}.HV.{n:5}/{register}", &why),
			 REG_DUPLICATE);
	assert_string_equal(why.field, "pattern");
	assert_int_equal(register_number_set_pattern(f->db, kl_id, "BT Đ", "{prefix}-{register}-{n}",
						     &why),
			 REG_BAD_TEXT);
	assert_string_equal(why.field, "prefix");
	assert_int_equal(register_number_set_pattern(f->db, kl_id, "BTĐBP", "{n}", &why),
			 REG_BAD_PATTERN);
	assert_int_equal(register_number_set_pattern(f->db, 999, "BTĐBP", "{register}-{n}", &why),
			 REG_NOT_FOUND);
	/* HV's own numbers 1 and 2 lie behind its next number: a new width is fine. */
	assert_int_equal(register_number_set_pattern(f->db, f->main_register, "BTĐBP",
						     "{prefix}.{register}.{n:6}/{material}", &why),
			 0);
	accept(f, intake(f, "Xe đạp thồ", "KL"), num, sizeof num);
	assert_string_equal(num, "BTĐBP.HV.000003/KL");
	/* The numbers given before did not change. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM objects"
						 " WHERE reg_number = 'BTĐBP.HV.00001/KL'"),
			 1);
	assert_int_equal(verify(f).problem, REGISTER_FITS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks),
		testdb_case(test_intake_refusals_name_the_field, setup),
		testdb_case(test_acceptance_numbers_without_gaps, setup),
		testdb_case(test_pattern_that_repeats_a_number_is_refused, setup),
		testdb_case(test_concurrent_acceptance, setup),
		testdb_case(test_correction_keeps_both, setup),
		testdb_case(test_tampering_is_found, setup),
		testdb_case(test_removed_entry_and_changed_card_are_found, setup),
		testdb_case(test_locations_movements_inventory, setup),
		testdb_case(test_card_extras, setup),
		testdb_case(test_search_and_pages, setup),
		testdb_case(test_list_filters_use_indexes, setup),
		testdb_case(test_search_with_every_filter, setup),
		testdb_case(test_council_and_register_lists, setup),
		testdb_case(test_object_correct_refusals, setup),
		testdb_case(test_pattern_edit_refuses_repeats, setup),
		cmocka_unit_test(test_csv_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
