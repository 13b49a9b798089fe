/*
 * plan_demo.c - the demo's units, staff and plans (plan.h, plan_demo_load):
 * the seed's year 2020 (115 objects to collect, 3 exhibitions to open, a
 * book, visitors, articles and check-in indicators), read against the
 * register's demo and the exhibitions' (model/exhibition_demo.c, loaded
 * first), and the 2021 plan with quarterly and monthly targets.
 */
#include "model/plan.h"

#include <string.h>

#include "core/log.h"

/* The museum and its departments; the first is the root. */
static const char *const unit_names[][2] = {
	{"Bảo tàng Chiến thắng lịch sử Điện Biên Phủ", "Bảo tàng"},
	{"Phòng Nghiệp vụ", "P. Nghiệp vụ"},
	{"Phòng Hành chính – Tổng hợp", "P. HC-TH"},
	{"Phòng Trưng bày – Tuyên truyền", "P. TB-TT"},
};

/* {name, title, unit index, position} */
static const char *const staff[][4] = {
	{"Nguyễn Minh Tuấn", "ThS.", "0", "Giám đốc"},
	{"Lê Thị Hồng Nhung", "ThS.", "0", "Phó Giám đốc"},
	{"Trần Văn Khánh", "CN.", "1", "Trưởng phòng"},
	{"Lò Thị Hoa", "CN.", "1", "Cán bộ sưu tầm"},
	{"Hoàng Văn Dũng", "CN.", "1", "Cán bộ kiểm kê, bảo quản"},
	{"Vũ Thị Thu Trang", "CN.", "1", "Cán bộ nghiên cứu"},
	{"Phạm Thị Lan", "CN.", "2", "Trưởng phòng"},
	{"Đỗ Văn Hùng", "", "2", "Kế toán"},
	{"Quàng Văn Sơn", "CN.", "3", "Trưởng phòng"},
	{"Lường Thị Mai", "CN.", "3", "Thuyết minh viên"},
	{"Bùi Thanh Hà", "CN.", "3", "Thuyết minh viên"},
};

static int exec_bound(db_t *db, const char *sql, const char *t1, const char *t2, const char *t3,
		      int64_t i1, int64_t *id)
{
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL && db_bind_text(st, 1, t1, -1) == 0 &&
		     db_bind_text(st, 2, t2, -1) == 0 && db_bind_text(st, 3, t3, -1) == 0 &&
		     (i1 > 0 ? db_bind_int64(st, 4, i1) : db_bind_null(st, 4)) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	if (step != DB_DONE)
		return -1;
	if (id != NULL)
		*id = db_last_insert_id(db);
	return 0;
}

static int demo_units(db_t *db)
{
	int64_t ids[4] = {0};
	for (size_t i = 0; i < 4; i++)
		if (exec_bound(db,
			       "INSERT INTO units (kind, name, short_name, parent_id, position)"
			       " VALUES (?1, ?2, ?3, ?4, (SELECT count(*) FROM units))",
			       i == 0 ? "bao_tang" : "phong", unit_names[i][0], unit_names[i][1],
			       i == 0 ? 0 : ids[0], &ids[i]) != 0)
			return -1;
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		if (exec_bound(db, "INSERT INTO people (name, title, position, unit_id)"
				   " VALUES (?1, ?2, ?3, ?4)",
			       staff[i][0], staff[i][1], staff[i][3], ids[staff[i][2][0] - '0'],
			       NULL) != 0)
			return -1;
	return 0;
}

static int add_indicator(db_t *db, int64_t plan_id, int pos, const char *name, const char *measure,
			 int64_t target, const char *source, const int64_t *quarters,
			 const int64_t *months, int64_t *id)
{
	plan_indicator x = {.plan_id = plan_id, .position = pos, .name = name, .measure = measure,
			    .target = target, .source = source, .note = ""};
	if (quarters != NULL) {
		x.has_quarters = true;
		memcpy(x.quarters, quarters, sizeof x.quarters);
	}
	if (months != NULL) {
		x.has_months = true;
		memcpy(x.months, months, sizeof x.months);
	}
	model_problem f;
	int rc = plan_indicator_add(db, &x, id, &f);
	if (rc != 0)
		log_error("plan demo: indicator %s refused (%d on %s)", name, rc,
			  f.field != NULL ? f.field : "");
	return rc == 0 ? 0 : -1;
}

static int checkin(db_t *db, int64_t indicator, const char *day, int64_t value, const char *note)
{
	plan_checkin c = {.indicator_id = indicator, .done_on = day, .value = value, .note = note};
	model_problem f;
	return plan_checkin_add(db, &c, 0, NULL, &f) == 0 ? 0 : -1;
}

static int demo_2020(db_t *db)
{
	plan p = {.year = 2020, .title = "Kế hoạch công tác năm 2020", .note = ""};
	int64_t id, talks, visits;
	model_problem f;
	if (plan_add(db, &p, &id, &f) != 0 ||
	    add_indicator(db, id, 1, "Sưu tầm tài liệu, hiện vật", "hiện vật", 115,
			  "objects_accessioned", NULL, NULL, NULL) != 0 ||
	    add_indicator(db, id, 2, "Tổ chức trưng bày, triển lãm", "cuộc", 3, "exhibitions_opened",
			  NULL, NULL, NULL) != 0 ||
	    add_indicator(db, id, 3, "Biên soạn, xuất bản sách", "cuốn", 1, "publications_published",
			  NULL, NULL, NULL) != 0 ||
	    add_indicator(db, id, 4, "Đón khách tham quan triển lãm", "lượt khách", 65000,
			  "exhibition_visitors", NULL, NULL, NULL) != 0 ||
	    add_indicator(db, id, 5, "Bài viết đăng trên cổng thông tin", "bài", 12,
			  "articles_published", NULL, NULL, NULL) != 0 ||
	    add_indicator(db, id, 6, "Tổ chức nói chuyện chuyên đề tại trường học", "buổi", 10,
			  PLAN_SOURCE_CHECKIN, NULL, NULL, &talks) != 0 ||
	    add_indicator(db, id, 7, "Đón khách tham quan bảo tàng và di tích", "lượt khách", 150000,
			  PLAN_SOURCE_CHECKIN, NULL, NULL, &visits) != 0)
		return -1;
	return checkin(db, talks, "2020-01-15", 3, "Trường THPT Phan Đình Giót, THCS Him Lam") ||
		       checkin(db, talks, "2020-10-20", 5, "Năm trường trên địa bàn thành phố") ||
		       checkin(db, talks, "2020-12-10", 2, "") ||
		       checkin(db, visits, "2020-06-30", 41250, "Sáu tháng đầu năm (đóng cửa từ 28/3 vì Covid-19)") ||
		       checkin(db, visits, "2020-12-31", 76830, "Sáu tháng cuối năm")
		       ? -1
		       : 0;
}

static int demo_2021(db_t *db)
{
	plan p = {.year = 2021, .title = "Kế hoạch công tác năm 2021",
		  .note = "Có kế hoạch từng quý, từng tháng."};
	int64_t id, talks;
	model_problem f;
	static const int64_t collect_q[4] = {20, 30, 40, 30};
	static const int64_t collect_m[12] = {5, 5, 10, 10, 10, 10, 15, 15, 10, 10, 10, 10};
	static const int64_t exhib_q[4] = {1, 1, 1, 1};
	static const int64_t talks_q[4] = {3, 3, 2, 4};
	static const int64_t talks_m[12] = {1, 1, 1, 1, 1, 1, 0, 1, 1, 2, 1, 1};
	static const int64_t articles_m[12] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
	if (plan_add(db, &p, &id, &f) != 0 ||
	    add_indicator(db, id, 1, "Sưu tầm tài liệu, hiện vật", "hiện vật", 120,
			  "objects_accessioned", collect_q, collect_m, NULL) != 0 ||
	    add_indicator(db, id, 2, "Tổ chức trưng bày, triển lãm", "cuộc", 4, "exhibitions_opened",
			  exhib_q, NULL, NULL) != 0 ||
	    add_indicator(db, id, 3, "Bài viết đăng trên cổng thông tin", "bài", 24,
			  "articles_published", NULL, articles_m, NULL) != 0 ||
	    add_indicator(db, id, 4, "Tổ chức nói chuyện chuyên đề tại trường học", "buổi", 12,
			  PLAN_SOURCE_CHECKIN, talks_q, talks_m, &talks) != 0)
		return -1;
	return checkin(db, talks, "2021-01-12", 1, "Trường THCS Him Lam");
}

int plan_demo_load(db_t *db)
{
	int64_t id;
	int rc = plan_find(db, 2020, &id);
	if (rc <= 0)
		return rc;   /* already there, or an error */
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int has_units = reg_exists(db, "SELECT 1 FROM units LIMIT ?", 1);
	rc = has_units < 0 ? -1 : 0;
	if (rc == 0 && has_units == 0)
		rc = demo_units(db);
	if (rc == 0)
		rc = demo_2020(db);
	if (rc == 0)
		rc = demo_2021(db);
	return reg_finish(db, nested, rc);
}
