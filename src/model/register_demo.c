/*
 * register_demo.c - the demo register (see register_demo.h). Everything
 * goes through the models, as a curator's work would.
 */
#include "model/register_demo.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "model/acquisition.h"
#include "model/council.h"
#include "model/donor.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"
#include "model/register_number.h"

static const donor donors[] = {
    {.kind = "person", .name = "Gia đình liệt sĩ Phan Đình Giót", .address = "Cẩm Quan, Cẩm Xuyên, Hà Tĩnh", .phone = "0239 3861 204"},
    {.kind = "person", .name = "Cựu chiến binh Nguyễn Văn Hùng (Đại đoàn 308)", .address = "Ba Đình, Hà Nội", .phone = "0912 345 678"},
    {.kind = "person", .name = "Bà Đặng Thị Lữ (dân công hỏa tuyến)", .address = "Thanh Hóa", .phone = "0237 3852 119"},
    {.kind = "organisation", .name = "Bảo tàng Lịch sử Quân sự Việt Nam", .address = "Hà Nội", .email = "lienhe@btlsqsvn.vn"},
    {.kind = "organisation", .name = "Hội Cựu chiến binh tỉnh Điện Biên", .address = "TP. Điện Biên Phủ", .phone = "0215 3824 971"},
    {.kind = "person", .name = "Ông Lò Văn Inh", .address = "Mường Phăng, Điện Biên"},
};

/* The named objects: {name, kind, material, height, weight, dating,
 * description, donor index, acquired on, mode}. */
static const struct named {
	const char *name, *kind, *material;
	double height_cm, weight_g;
	const char *description;
	int donor;
	const char *acquired_on, *mode;
} named[] = {
    {"Mũ cối của chiến sĩ Đại đoàn 308", "hien_vat", "ĐD", 14, 310, "Mũ cối đan tre bọc vải, lưới ngụy trang, đội trong trận đồi A1.", 1, "1994-05-07", "hien_tang"},
    {"Bi đông nhôm", "hien_vat", "KL", 22, 450, "Bi đông đựng nước bằng nhôm, quai vải, khắc tên người dùng.", 1, "1994-05-07", "hien_tang"},
    {"Xe đạp thồ", "hien_vat", "KL", 105, 22000, "Xe đạp thồ chở gạo ra mặt trận, gióng gia cố bằng tre, tay lái nối dài.", 2, "1996-11-20", "hien_tang"},
    {"Bản đồ tác chiến khu trung tâm Mường Thanh", "tai_lieu", "G", 0, 0, "Bản đồ vẽ tay các cứ điểm, ký hiệu bằng bút chì màu.", 3, "2004-03-12", "dieu_chuyen"},
    {"Thư gửi mẹ của liệt sĩ Phan Đình Giót", "tai_lieu", "G", 0, 0, "Thư viết tay trước trận Him Lam, mực tím trên giấy học trò.", 0, "2009-03-13", "hien_tang"},
    {"Ảnh chụp lá cờ trên nóc hầm De Castries", "tai_lieu", "PA", 0, 0, "Ảnh gốc đen trắng, chiều 7/5/1954.", 3, "2004-03-12", "dieu_chuyen"},
    {"Áo trấn thủ", "hien_vat", "ĐD", 68, 900, "Áo bông trấn thủ may tay, vá ở vai.", 4, "2014-05-06", "suu_tam"},
    {"Dép cao su", "hien_vat", "NH", 0, 380, "Dép cắt từ lốp xe, quai săm.", 4, "2014-05-06", "suu_tam"},
    {"Ống nhòm chỉ huy", "hien_vat", "KL", 12, 1200, "Ống nhòm thu được tại sở chỉ huy tập đoàn cứ điểm.", 3, "2004-03-12", "dieu_chuyen"},
    {"Chiếc bát sắt tráng men", "hien_vat", "KL", 7, 260, "Bát ăn cơm của chiến sĩ, men sứt ở miệng.", 5, "2019-10-02", "suu_tam"},
};

static const char *const kinds_2020[][3] = {
    /* {name prefix, kind, material} */
    {"Thư gửi gia đình", "tai_lieu", "G"},
    {"Ảnh chụp đơn vị", "tai_lieu", "PA"},
    {"Giấy khen", "tai_lieu", "G"},
    {"Nhật ký chiến trường", "tai_lieu", "G"},
    {"Mũ cối", "hien_vat", "ĐD"},
    {"Bi đông", "hien_vat", "KL"},
    {"Ba lô con cóc", "hien_vat", "ĐD"},
    {"Huy hiệu Chiến sĩ Điện Biên", "hien_vat", "KL"},
    {"Đèn dầu", "hien_vat", "KL"},
};
static const char *const people_2020[] = {"Nguyễn Văn Tâm", "Lê Văn Thịnh", "Hoàng Đăng Vinh",
					  "Trần Can", "Bế Văn Đàn", "Tô Vĩnh Diện", "Vũ Văn Hiếu"};

/* The 2020 acquisitions: {date, mode, donor index, objects}. Sums to 135. */
static const struct {
	const char *date, *mode;
	int donor, count;
} in_2020[] = {
    {"2020-03-10", "suu_tam", -1, 30}, {"2020-04-22", "hien_tang", 1, 25},
    {"2020-05-07", "hien_tang", 4, 40}, {"2020-08-19", "mua", 5, 15},
    {"2020-11-03", "dieu_chuyen", 3, 25},
};

typedef struct {
	db_t *db;
	int64_t donor_ids[sizeof donors / sizeof donors[0]];
	int64_t reg_main, reg_ref, session;
	int64_t box[3], shelf_ref, hall;
	int loaded;
} demo;

static int fail(const char *what, int rc, const model_problem *f)
{
	log_error("demo register: %s refused (%d, %s)", what, rc, f->field ? f->field : "-");
	return -1;
}

static int places(demo *d)
{
	model_problem f;
	int64_t store, room, shelf, ref_store, ref_room;
	location l = {.kind = "store", .name = "Kho chính", .store_kind = "main", .code = "K1"};
	int rc = location_add(d->db, &l, &store, &f);
	l = (location){.kind = "room", .name = "Phòng 1", .parent_id = store};
	rc = rc ? rc : location_add(d->db, &l, &room, &f);
	l = (location){.kind = "shelf", .name = "Giá A", .parent_id = room};
	rc = rc ? rc : location_add(d->db, &l, &shelf, &f);
	for (int i = 0; i < 3 && rc == 0; i++) {
		char name[32];
		snprintf(name, sizeof name, "Hộp %d", i + 1);
		l = (location){.kind = "box", .name = name, .parent_id = shelf};
		rc = location_add(d->db, &l, &d->box[i], &f);
	}
	l = (location){.kind = "store", .name = "Kho tham khảo", .store_kind = "reference", .code = "K2"};
	rc = rc ? rc : location_add(d->db, &l, &ref_store, &f);
	l = (location){.kind = "room", .name = "Phòng 2", .parent_id = ref_store};
	rc = rc ? rc : location_add(d->db, &l, &ref_room, &f);
	l = (location){.kind = "shelf", .name = "Giá C", .parent_id = ref_room};
	rc = rc ? rc : location_add(d->db, &l, &d->shelf_ref, &f);
	l = (location){.kind = "exhibit", .name = "Nhà trưng bày chính"};
	rc = rc ? rc : location_add(d->db, &l, &d->hall, &f);
	return rc ? fail("location", rc, &f) : 0;
}

static int setup(demo *d)
{
	model_problem f;
	int rc = 0;
	for (size_t i = 0; i < sizeof donors / sizeof donors[0] && rc == 0; i++)
		rc = donor_add(d->db, &donors[i], &d->donor_ids[i], &f);
	register_book main_r = {.code = "HV", .name = "Sổ đăng ký hiện vật gốc", .collection = "main",
				.prefix = "BTĐBP"};
	register_book ref_r = {.code = "TK", .name = "Sổ hiện vật tham khảo",
			       .collection = "reference", .prefix = "BTĐBP"};
	rc = rc ? rc : register_number_add(d->db, &main_r, &d->reg_main, &f);
	rc = rc ? rc : register_number_add(d->db, &ref_r, &d->reg_ref, &f);
	council_session s = {.held_on = "2020-12-15",
			     .members = "Giám đốc bảo tàng (chủ tịch)\nTrưởng phòng Nghiệp vụ\n"
					"Trưởng phòng Kiểm kê - Bảo quản",
			     .minutes = "Hội đồng xem xét các hiện vật, tài liệu sưu tầm năm 2020 và "
					"các hiện vật còn trong sổ nhập tạm."};
	rc = rc ? rc : council_session_add(d->db, &s, &d->session, &f);
	return rc ? fail("setup", rc, &f) : places(d);
}

static int add_object(demo *d, const object_card *c, int64_t *id)
{
	model_problem f;
	int rc = object_intake(d->db, c, id, &f);
	if (rc != 0)
		return fail("object", rc, &f);
	d->loaded++;
	return 0;
}

/* Accepts into the main or reference register and puts it in a place. */
static int accept_and_store(demo *d, int64_t id, bool reference, int64_t place,
			    const char *on)
{
	model_problem f;
	int rc = council_decide(d->db, d->session, id, reference ? "reference" : "main",
				reference ? d->reg_ref : d->reg_main, "Hội đồng khoa học", "",
				NULL, 0, &f);
	if (rc != 0)
		return fail("decision", rc, &f);
	int64_t mid;
	movement m = {.object_id = id, .moved_on = on, .to_location_id = place,
		      .who = "Thủ kho Lò Thị Hoa", .reason = "nhap_kho"};
	rc = movement_add(d->db, &m, &mid, &f);
	return rc ? fail("movement", rc, &f) : 0;
}

/* The first named objects get photos from the library the demo articles
 * filled (the first object two, the next two one each), so the public
 * object page, its deep zoom and its manifest have something to show; the
 * worker of `sen serve` makes their variants and tiles. None when the
 * library is empty (the register's demo loaded alone). */
static int demo_photos(demo *d, const int64_t *ids, size_t nids)
{
	db_stmt *st = db_prepare(d->db, "SELECT id FROM media WHERE mime IN ('image/png',"
					" 'image/jpeg') ORDER BY id LIMIT 4");
	int64_t pics[4];
	size_t n = 0;
	int step = DB_ERROR;
	while (st != NULL && n < 4 && (step = db_step(st)) == DB_ROW)
		pics[n++] = db_col_int64(st, 0);
	db_done(st);
	if (st == NULL || (step != DB_ROW && step != DB_DONE))
		return -1;
	model_problem f;
	for (size_t i = 0, used = 0; i < nids && i < 3 && used < n; i++) {
		size_t take = i == 0 && n >= 4 ? 2 : 1;
		int rc = object_photos_set(d->db, ids[i], pics + used, take, 0, &f);
		if (rc != 0)
			return fail("photos", rc, &f);
		used += take;
	}
	return 0;
}

static int named_objects(demo *d)
{
	model_problem f;
	int64_t ids[sizeof named / sizeof named[0]];
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		const struct named *n = &named[i];
		acquisition q = {.mode = n->mode, .donor_id = d->donor_ids[n->donor],
				 .acquired_on = n->acquired_on, .receiver = "Phòng Nghiệp vụ"};
		int64_t qid;
		int rc = acquisition_add(d->db, &q, &qid, &f);
		if (rc != 0)
			return fail("acquisition", rc, &f);
		object_card c = {.acquisition_id = qid, .name = n->name, .kind = n->kind,
				 .material_code = n->material, .height_cm = n->height_cm,
				 .weight_g = n->weight_g, .dating = "1953-1954",
				 .origin_place = "Điện Biên Phủ", .heritage_class = "di_vat",
				 .description = n->description, .public_ = true};
		if (add_object(d, &c, &ids[i]) != 0 ||
		    accept_and_store(d, ids[i], false, d->box[i % 3], "2020-12-16") != 0)
			return -1;
		if (object_related_add(d->db, ids[i], "event", "Chiến dịch Điện Biên Phủ 1954", &f) != 0)
			return fail("related", 1, &f);
	}
	if (demo_photos(d, ids, sizeof ids / sizeof ids[0]) != 0)
		return -1;
	int64_t cid;
	if (object_related_add(d->db, ids[0], "unit", "Đại đoàn 308", &f) != 0 ||
	    object_condition_add(d->db, ids[0], "2020-12-16", "kha", "Vải bọc sờn ở vành",
				 "Lò Thị Hoa", &cid, &f) != 0 ||
	    object_condition_add(d->db, ids[2], "2020-12-16", "tot", "", "Lò Thị Hoa", &cid, &f) != 0)
		return fail("card", 1, &f);
	/* The bicycle and the hat go on show; the letter's card gets a correction. */
	int64_t mid;
	movement show = {.object_id = ids[2], .moved_on = "2021-05-07", .to_location_id = d->hall,
			 .who = "Phòng Trưng bày", .reason = "trung_bay"};
	if (movement_add(d->db, &show, &mid, &f) != 0)
		return fail("movement", 1, &f);
	show.object_id = ids[0];
	if (movement_add(d->db, &show, &mid, &f) != 0)
		return fail("movement", 1, &f);
	arena_t *a = arena_new(4096);
	object_card letter;
	int rc = a != NULL && object_get(d->db, a, ids[4], &letter) == 0 ? 0 : -1;
	if (rc == 0) {
		letter.other_names = "Lá thư cuối cùng";
		letter.dating = "Tháng 3 năm 1954";
		rc = object_update(d->db, &letter, "Trưởng phòng Nghiệp vụ",
				   "Bổ sung tên khác và niên đại theo lời kể của gia đình", &f);
	}
	arena_free(a);
	return rc == 0 ? 0 : fail("correction", rc, &f);
}

static int collected_2020(demo *d)
{
	model_problem f;
	int made = 0;
	for (size_t g = 0; g < sizeof in_2020 / sizeof in_2020[0]; g++) {
		char no[32];
		snprintf(no, sizeof no, "%zu/2020/BBGN", g + 1);
		acquisition q = {.mode = in_2020[g].mode, .acquired_on = in_2020[g].date,
				 .donor_id = in_2020[g].donor >= 0 ? d->donor_ids[in_2020[g].donor] : 0,
				 .handover_no = no, .giver = "", .receiver = "Phòng Nghiệp vụ",
				 .value = strcmp(in_2020[g].mode, "mua") == 0 ? 12500000 : 0};
		int64_t qid;
		int rc = acquisition_add(d->db, &q, &qid, &f);
		if (rc != 0)
			return fail("acquisition", rc, &f);
		for (int i = 0; i < in_2020[g].count; i++, made++) {
			const char *const *k = kinds_2020[made % (sizeof kinds_2020 / sizeof kinds_2020[0])];
			const char *who = people_2020[made % (sizeof people_2020 / sizeof people_2020[0])];
			char name[200], desc[300];
			snprintf(name, sizeof name, "%s - %s", k[0], who);
			snprintf(desc, sizeof desc, "%s của chiến sĩ %s, sưu tầm năm 2020.", k[0], who);
			object_card c = {.acquisition_id = qid, .name = name, .kind = k[1],
					 .material_code = k[2], .dating = "1954",
					 .origin_place = "Điện Biên Phủ", .description = desc};
			int64_t id;
			if (add_object(d, &c, &id) != 0)
				return -1;
			/* The council took 60 into the main register, 15 into the
			 * reference one; the rest wait in the intake book. */
			if (made < 75 &&
			    accept_and_store(d, id, made >= 60, made >= 60 ? d->shelf_ref : d->box[made % 3],
					     "2020-12-16") != 0)
				return -1;
		}
	}
	return made == REGISTER_DEMO_2020 ? 0 : -1;
}

int register_demo_load(db_t *db, int *loaded)
{
	demo d = {.db = db};
	int64_t existing;
	int rc = register_number_find(db, "HV", &existing);
	if (loaded != NULL)
		*loaded = 0;
	if (rc <= 0)
		return rc;   /* already there, or an error */
	if (db_begin(db) != 0)
		return -1;
	rc = setup(&d);
	if (rc == 0)
		rc = named_objects(&d);
	if (rc == 0)
		rc = collected_2020(&d);
	if (rc == 0 && db_commit(db) == 0) {
		if (loaded != NULL)
			*loaded = d.loaded;
		return 0;
	}
	db_rollback(db);
	return -1;
}
