/*
 * task_demo.c - the demo's key tasks of 2021 (task.h, task_demo_load):
 * the museum's year of work spread over the quarters and months of the
 * action programme, each led by one of the demo's departments
 * (plan_demo.c) with a person in charge, some linked to the 2021 plan's
 * indicators, a few progress notes, and one task still in progress past
 * its deadline (overdue).
 */
#include "model/task.h"

#include <string.h>

#include "core/log.h"
#include "model/plan.h"

/* {title, lead unit, supporting unit or "", person, start, deadline,
 * status, indicator position in the 2021 plan ("" none), description} */
static const char *const tasks[][9] = {
	{"Kiểm kê định kỳ hiện vật kho cơ sở", "Phòng Nghiệp vụ", "Phòng Hành chính – Tổng hợp",
	 "Hoàng Văn Dũng", "2021-01-04", "2021-03-31", TASK_DONE, "",
	 "Kiểm kê toàn bộ hiện vật kho cơ sở, đối chiếu sổ đăng ký và thẻ hiện vật."},
	{"Sưu tầm tài liệu, hiện vật về chiến dịch Điện Biên Phủ", "Phòng Nghiệp vụ", "",
	 "Lò Thị Hoa", "2021-02-01", "2021-12-15", TASK_DONE, "1",
	 "Sưu tầm tại các gia đình cựu chiến binh, dân công hỏa tuyến trong tỉnh và các tỉnh lân cận."},
	{"Trưng bày chuyên đề kỷ niệm 67 năm Chiến thắng Điện Biên Phủ (7/5)",
	 "Phòng Trưng bày – Tuyên truyền", "Phòng Nghiệp vụ", "Quàng Văn Sơn", "2021-03-01",
	 "2021-05-07", TASK_DONE, "2",
	 "Chuyên đề mở cửa đúng ngày 7/5/2021 tại nhà trưng bày chính."},
	{"Số hóa tài liệu, hình ảnh kho tư liệu giai đoạn 1", "Phòng Nghiệp vụ", "", "Vũ Thị Thu Trang",
	 "2021-04-01", "2021-06-30", TASK_DONE, "",
	 "Quét và lập siêu dữ liệu 2.000 ảnh, tài liệu giấy của kho tư liệu."},
	{"Tổ chức nói chuyện chuyên đề tại trường học", "Phòng Trưng bày – Tuyên truyền", "",
	 "Lường Thị Mai", "2021-01-10", "2021-12-20", TASK_DONE, "4", ""},
	{"Triển lãm lưu động tại các huyện vùng cao", "Phòng Trưng bày – Tuyên truyền",
	 "Phòng Hành chính – Tổng hợp", "Bùi Thanh Hà", "2021-07-01", "2021-08-31", TASK_CANCELLED, "",
	 "Hủy do dịch Covid-19; chuyển sang triển lãm trực tuyến."},
	{"Số hóa tài liệu, hình ảnh kho tư liệu giai đoạn 2", "Phòng Nghiệp vụ",
	 "Phòng Trưng bày – Tuyên truyền", "Vũ Thị Thu Trang", "2021-07-01", "2021-09-30",
	 TASK_IN_PROGRESS, "", "Giai đoạn 2: hiện vật ba chiều, ảnh chụp nhiều mặt."},
	{"Kiểm tra phòng cháy chữa cháy, an ninh kho hiện vật", "Phòng Hành chính – Tổng hợp", "",
	 "Đỗ Văn Hùng", "2021-10-01", "2021-10-29", TASK_DONE, "", ""},
	{"Đăng bài viết giới thiệu hiện vật trên cổng thông tin", "Phòng Trưng bày – Tuyên truyền", "",
	 "Quàng Văn Sơn", "2021-01-01", "2021-11-30", TASK_DONE, "3", ""},
	{"Tổng kết công tác năm 2021, xây dựng kế hoạch năm 2022", "Phòng Hành chính – Tổng hợp",
	 "Phòng Nghiệp vụ", "Phạm Thị Lan", "2021-12-01", "2021-12-28", TASK_DONE, "", ""},
};

/* {task index, day, percent, body} */
static const struct {
	int task;
	const char *on;
	int percent;
	const char *body;
} notes[] = {
	{0, "2021-02-15", 60, "Đã kiểm kê xong kho 1 và kho 2, đang đối chiếu sổ đăng ký."},
	{0, "2021-03-30", 100, "Hoàn thành kiểm kê, biên bản trình Giám đốc."},
	{2, "2021-05-07", 100, "Khai mạc chuyên đề đúng ngày 7/5/2021."},
	{6, "2021-08-20", 40, "Đã chụp ảnh 320 hiện vật; máy quét ba chiều hỏng, chờ sửa."},
};

/* The id of the row sql (one text parameter) finds: 0 none, -1. */
static int64_t find_by_name(db_t *db, const char *sql, const char *name)
{
	if (name == NULL || name[0] == '\0')
		return 0;
	db_stmt *st = db_prepare(db, sql);
	int step = st != NULL && db_bind_text(st, 1, name, -1) == 0 ? db_step(st) : DB_ERROR;
	int64_t id = step == DB_ROW ? db_col_int64(st, 0) : step == DB_DONE ? 0 : -1;
	if (st != NULL)
		db_done(st);
	return id;
}

static int add_task(db_t *db, const char *const *row, int64_t plan_id, int64_t *id)
{
	task t = {.title = row[0], .starts_on = row[4], .due_on = row[5], .status = row[6],
		  .description = row[8]};
	t.lead_unit_id = find_by_name(db, "SELECT id FROM units WHERE name = ?", row[1]);
	int64_t support = find_by_name(db, "SELECT id FROM units WHERE name = ?", row[2]);
	t.person_id = find_by_name(db, "SELECT id FROM people WHERE name = ?", row[3]);
	if (row[7][0] != '\0') {
		db_stmt *st = db_prepare(db, "SELECT id FROM plan_indicators WHERE plan_id = ?"
					     " AND position = ?");
		bool bound = st != NULL && db_bind_int64(st, 1, plan_id) == 0 &&
			     db_bind_int64(st, 2, row[7][0] - '0') == 0;
		int step = bound ? db_step(st) : DB_ERROR;
		t.indicator_id = step == DB_ROW ? db_col_int64(st, 0) : -1;
		if (st != NULL)
			db_done(st);
	}
	if (t.lead_unit_id <= 0 || support < 0 || t.person_id < 0 || t.indicator_id < 0)
		return -1;
	if (support > 0)
		t.support[t.nsupport++] = support;
	model_problem f = {0};
	int rc = task_add(db, &t, id, &f);
	if (rc != 0)
		log_error("task demo: %s refused (%d on %s)", row[0], rc, f.field ? f.field : "");
	return rc == 0 ? 0 : -1;
}

int task_demo_load(db_t *db)
{
	int64_t plan_id;
	int rc = plan_find(db, 2021, &plan_id);
	if (rc != 0)
		return rc < 0 ? -1 : 0;   /* no 2021 plan: nothing to attach tasks to */
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int has = reg_exists(db, "SELECT 1 FROM tasks LIMIT ?", 1);
	rc = has < 0 ? -1 : 0;
	int64_t ids[sizeof tasks / sizeof tasks[0]] = {0};
	for (size_t i = 0; rc == 0 && has == 0 && i < sizeof tasks / sizeof tasks[0]; i++)
		rc = add_task(db, tasks[i], plan_id, &ids[i]);
	for (size_t i = 0; rc == 0 && has == 0 && i < sizeof notes / sizeof notes[0]; i++) {
		task_note n = {.task_id = ids[notes[i].task], .noted_on = notes[i].on,
			       .percent = notes[i].percent, .body = notes[i].body};
		model_problem f;
		rc = task_note_add(db, &n, 0, tasks[notes[i].task][3], NULL, &f) == 0 ? 0 : -1;
	}
	return reg_finish(db, nested, rc);
}
