/*
 * award_demo.c - the demo's emulation and commendation (award.h,
 * award_demo_load): the 2020 campaign and the seed's decision - the
 * Director of the provincial Department of Culture, Sports and Tourism
 * gives a giấy khen to the museum as a unit, to Phòng Nghiệp vụ as a
 * collective and to 09 individuals - and the 2021 registrations. Read
 * against the units and staff of plan_demo.c, loaded first.
 */
#include "model/award.h"

#include <string.h>

#include "core/log.h"

#define ISSUER "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên"

/* The staff the 2020 decision rewards (plan_demo.c's names). */
static const char *const rewarded_2020[] = {
	"Nguyễn Minh Tuấn", "Lê Thị Hồng Nhung", "Trần Văn Khánh", "Lò Thị Hoa",
	"Hoàng Văn Dũng",   "Vũ Thị Thu Trang",  "Phạm Thị Lan",   "Quàng Văn Sơn",
	"Lường Thị Mai",
};

/* The id of the row of table (units or people) named name: 0 with *id,
 * -1 when missing (the plans' demo is not there) or on error. */
static int id_of(db_t *db, const char *sql, const char *name, int64_t *id)
{
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL && db_bind_text(st, 1, name, -1) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*id = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	if (step != DB_ROW)
		log_error("award demo: no %s", name);
	return step == DB_ROW ? 0 : -1;
}

static int unit_id(db_t *db, const char *name, int64_t *id)
{
	return id_of(db, "SELECT id FROM units WHERE name = ? ORDER BY id LIMIT 1", name, id);
}

static int person_id(db_t *db, const char *name, int64_t *id)
{
	return id_of(db, "SELECT id FROM people WHERE name = ? ORDER BY id LIMIT 1", name, id);
}

static int refused(const char *what, int rc, const model_problem *f)
{
	if (rc != 0)
		log_error("award demo: %s refused (%d on %s, item %d)", what, rc,
			  f->field != NULL ? f->field : "", f->item);
	return rc == 0 ? 0 : -1;
}

static int demo_2020(db_t *db, int64_t museum, int64_t nghiep_vu)
{
	award_campaign c = {.year = 2020,
			    .name = "Phong trào thi đua yêu nước năm 2020",
			    .content = "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị năm 2020, "
				       "lập thành tích chào mừng Đại hội Đảng bộ tỉnh lần thứ XIV.",
			    .starts_on = "2020-01-02",
			    .ends_on = "2020-12-15"};
	model_problem f = {0};
	if (refused("campaign", award_campaign_add(db, &c, NULL, &f), &f) != 0)
		return -1;
	award_recipient who[2 + sizeof rewarded_2020 / sizeof rewarded_2020[0]];
	memset(who, 0, sizeof who);
	who[0].unit_id = museum;
	who[1].unit_id = nghiep_vu;
	for (size_t i = 0; i < sizeof rewarded_2020 / sizeof rewarded_2020[0]; i++)
		if (person_id(db, rewarded_2020[i], &who[2 + i].person_id) != 0)
			return -1;
	award_decision d = {
	    .number = "1025/QĐ-SVHTTDL",
	    .decided_on = "2020-12-28",
	    .issuer = ISSUER,
	    .signer_title = "Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên",
	    .signer_name = "Bùi Minh Hải",
	    .year = 2020,
	    .campaign_id = 0, /* a year-end award: the period is the year */
	    .form = "giay_khen",
	    .achievement = "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ chuyên môn năm 2020: "
			   "sưu tầm 135 tài liệu, hiện vật, tổ chức 04 cuộc trưng bày, triển lãm "
			   "và xuất bản sách.",
	    .place = "Điện Biên",
	    .recipients = who,
	    .nrecipients = sizeof who / sizeof who[0]};
	return refused("decision 2020", award_decision_add(db, &d, 0, NULL, &f), &f);
}

static int demo_2021(db_t *db, int64_t museum, int64_t nghiep_vu)
{
	award_campaign c = {.year = 2021,
			    .name = "Thi đua lập thành tích chào mừng 67 năm Chiến thắng Điện Biên Phủ",
			    .content = "",
			    .starts_on = "2021-01-04",
			    .ends_on = "2021-05-07"};
	int64_t campaign;
	model_problem f = {0};
	if (refused("campaign 2021", award_campaign_add(db, &c, &campaign, &f), &f) != 0)
		return -1;
	static const struct {
		int who; /* 0 the museum, 1 Phòng Nghiệp vụ, 2.. a person */
		const char *name;
		const char *form;
	} rows[] = {
		{0, NULL, "tap_the_lao_dong_xuat_sac"},
		{1, NULL, "tap_the_lao_dong_tien_tien"},
		{2, "Trần Văn Khánh", "chien_si_thi_dua_co_so"},
		{2, "Lò Thị Hoa", "lao_dong_tien_tien"},
		{2, "Vũ Thị Thu Trang", "lao_dong_tien_tien"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		award_registration r = {.year = 2021, .campaign_id = campaign, .form = rows[i].form,
					.note = ""};
		if (rows[i].who == 0)
			r.who.unit_id = museum;
		else if (rows[i].who == 1)
			r.who.unit_id = nghiep_vu;
		else if (person_id(db, rows[i].name, &r.who.person_id) != 0)
			return -1;
		if (refused("registration", award_registration_add(db, &r, 0, NULL, &f), &f) != 0)
			return -1;
	}
	return 0;
}

int award_demo_load(db_t *db)
{
	int there = reg_exists(db, "SELECT 1 FROM award_decisions LIMIT ?", 1);
	if (there != 0)
		return there < 0 ? -1 : 0;
	int64_t museum, nghiep_vu;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int rc = unit_id(db, "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ", &museum) != 0 ||
			 unit_id(db, "Phòng Nghiệp vụ", &nghiep_vu) != 0
		     ? -1
		     : 0;
	if (rc == 0)
		rc = demo_2020(db, museum, nghiep_vu);
	if (rc == 0)
		rc = demo_2021(db, museum, nghiep_vu);
	return reg_finish(db, nested, rc);
}
