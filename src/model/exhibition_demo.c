/*
 * exhibition_demo.c - the demo's exhibitions and publications (see
 * exhibition_demo.h).
 */
#include "model/exhibition_demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "model/exhibition.h"
#include "model/publication.h"

#define WHO "Phòng Trưng bày - Tuyên truyền"
#define OBJECTS_MAX 6
#define VISITS_MAX 4

typedef struct {
	const char *name;
	const char *label_vi;
	const char *label_en;
} demo_object;

typedef struct {
	exhibition e;
	demo_object objects[OBJECTS_MAX];
	exhibition_visit visits[VISITS_MAX];
} demo_exhibition;

static const char *const hall_name = "Nhà trưng bày chính";

static const demo_exhibition exhibitions[] = {
    {{.title = "Chiến dịch Điện Biên Phủ qua tài liệu, hiện vật", .kind = "chuyen_de",
      .opens_on = "2020-05-05", .closes_on = "2020-08-31",
      .curators = "Phòng Trưng bày - Tuyên truyền",
      .description = "Kỷ niệm 66 năm Chiến thắng Điện Biên Phủ (7/5/1954 - 7/5/2020).\n\n"
		     "Gần 100 tài liệu, hiện vật, ảnh về ba đợt tiến công của Chiến dịch." },
     {{"Bản đồ tác chiến khu trung tâm Mường Thanh", "Bản đồ dùng tại Sở Chỉ huy Chiến dịch.",
       "Map used at the campaign's command post."},
      {"Thư gửi mẹ của liệt sĩ Phan Đình Giót", "Lá thư cuối cùng gửi về quê nhà Hà Tĩnh.",
       "His last letter home to Hà Tĩnh."},
      {"Nhật ký chiến trường - Trần Can", "Nhật ký viết trong chiến hào.",
       "A diary written in the trenches."}},
     {{.counted_on = "2020-05-07", .visitors = 2350, .note = "Ngày khai mạc"},
      {.counted_on = "2020-06-30", .visitors = 8120},
      {.counted_on = "2020-08-31", .visitors = 6480}}},
    {{.title = "Điện Biên Phủ - Khát vọng hòa bình", .kind = "luu_dong",
      .venue = "Bảo tàng tỉnh Lai Châu", .province = "Lai Châu", .opens_on = "2020-07-20",
      .closes_on = "2020-09-15", .curators = "Phòng Trưng bày - Tuyên truyền; Bảo tàng tỉnh Lai Châu",
      .description = "Triển lãm lưu động phối hợp với Bảo tàng tỉnh Lai Châu." },
     {{"Dép cao su", "Dép cao su của bộ đội hành quân.", "Rubber sandals worn on the march."},
      {"Bi đông nhôm", "Bi đông nhôm đựng nước.", "Aluminium water flask."}},
     {{.counted_on = "2020-07-31", .visitors = 1870},
      {.counted_on = "2020-08-31", .visitors = 2215},
      {.counted_on = "2020-09-15", .visitors = 960}}},
    {{.title = "Ký ức Điện Biên - trưng bày trực tuyến", .kind = "truc_tuyen",
      .opens_on = "2020-10-10", .closes_on = "2020-12-31",
      .description = "Trưng bày trực tuyến trong thời gian phòng, chống dịch Covid-19." },
     {{"Ảnh chụp lá cờ trên nóc hầm De Castries", "Khoảnh khắc chiều 7/5/1954.",
       "The afternoon of 7 May 1954."}},
     {{.counted_on = "2020-10-31", .visitors = 15430, .note = "Lượt xem trực tuyến"},
      {.counted_on = "2020-11-30", .visitors = 12890, .note = "Lượt xem trực tuyến"},
      {.counted_on = "2020-12-31", .visitors = 9745, .note = "Lượt xem trực tuyến"}}},
    {{.title = "Những chiếc xe đạp thồ ra mặt trận", .kind = "chuyen_de",
      .opens_on = "2020-12-19", .closes_on = "2021-03-31",
      .curators = "Phòng Nghiệp vụ",
      .description = "Kỷ niệm Ngày Toàn quốc kháng chiến 19/12: dân công hỏa tuyến và "
		     "những chiếc xe đạp thồ." },
     {{"Áo trấn thủ", "Áo trấn thủ của dân công.", "Quilted jacket of a front-line porter."}},
     {{.counted_on = "2020-12-19", .visitors = 1120, .note = "Ngày khai mạc"},
      {.counted_on = "2021-01-31", .visitors = 3040},
      {.counted_on = "2021-03-31", .visitors = 4405}}},
    {{.title = "Điện Biên Phủ - Bản hùng ca bất tử", .kind = "thuong_truc",
      .opens_on = "2021-05-07", .closes_on = "",
      .curators = "Phòng Trưng bày - Tuyên truyền",
      .description = "Trưng bày thường trực tại Nhà trưng bày chính: bối cảnh lịch sử, "
		     "ba đợt tiến công và ý nghĩa của Chiến thắng." },
     {{"Mũ cối của chiến sĩ Đại đoàn 308", "Mũ cối của chiến sĩ Đại đoàn Quân Tiên Phong.",
       "Pith helmet of a soldier of the 308th Division."},
      {"Xe đạp thồ", "Xe đạp thồ chở được 200 - 300 kg hàng ra mặt trận.",
       "A bicycle that carried 200 - 300 kg of supplies to the front."},
      {"Ống nhòm chỉ huy", "Ống nhòm của cán bộ chỉ huy trung đoàn.",
       "Field glasses of a regimental commander."},
      {"Chiếc bát sắt tráng men", "", ""}},
     {{.counted_on = "2021-05-07", .visitors = 3560, .note = "Ngày khai mạc"}}},
    {{.title = "Điện Biên Phủ trên không - 12 ngày đêm", .kind = "chuyen_de",
      .opens_on = "+30", .closes_on = "+120", .curators = "Phòng Trưng bày - Tuyên truyền",
      .description = "Trưng bày chuyên đề về chiến thắng Hà Nội - Điện Biên Phủ trên không "
		     "tháng 12/1972."},
     {{0}}, {{0}}},
};

static const publication publications[] = {
    {.title = "Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ",
     .authors = "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ", .year = 2020,
     .publisher = "Nhà xuất bản Quân đội nhân dân", .isbn = "978-604-50-3215-2", .pages = 312,
     .description = "Các Đại đoàn 304, 308, 312, 316 và Đại đoàn công pháo 351 trong Chiến "
		    "dịch Điện Biên Phủ: lực lượng, trận đánh, nhân chứng và hiện vật."},
    {.title = "Điện Biên Phủ - Mốc vàng thời đại", .authors = "Nhiều tác giả", .year = 2014,
     .publisher = "Nhà xuất bản Chính trị quốc gia Sự thật", .isbn = "978-604-62-4183-6",
     .pages = 456, .description = "Tuyển tập bài viết nhân 60 năm Chiến thắng Điện Biên Phủ."},
    {.title = "Sách hướng dẫn tham quan Bảo tàng Chiến thắng lịch sử Điện Biên Phủ",
     .authors = "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ", .year = 2021,
     .publisher = "Nhà xuất bản Thông tin và Truyền thông", .isbn = "978-604-97-7420-1",
     .pages = 96, .description = "Song ngữ Việt - Anh."},
};

static void day_from_today(int days, char out[11])
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The id of the row that sql (one text parameter) finds: 0, 1 none, -1. */
static int find(db_t *db, const char *sql, const char *text, int64_t *id)
{
	db_stmt *st = db_prepare(db, sql);
	int step = st != NULL && db_bind_text(st, 1, text, -1) == 0 ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*id = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	return step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
}

static int add_exhibition(db_t *db, const demo_exhibition *x, int64_t hall)
{
	model_problem f = {0};
	exhibition e = x->e;
	e.is_public = 1;   /* the demo shows all it has */
	char opens[11], closes[11];
	/* "+N": N days from today, so what is to come stays to come. */
	if (e.opens_on[0] == '+') {
		day_from_today(atoi(e.opens_on + 1), opens);
		day_from_today(atoi(e.closes_on + 1), closes);
		e.opens_on = opens;
		e.closes_on = closes;
	}
	if (e.venue == NULL && strcmp(e.kind, "truc_tuyen") != 0)
		e.location_id = hall;
	int64_t id;
	int rc = exhibition_add(db, &e, WHO, &id, &f);
	for (size_t i = 0; rc == 0 && i < OBJECTS_MAX && x->objects[i].name != NULL; i++) {
		int64_t object;
		int found = find(db, "SELECT id FROM objects WHERE name = ? ORDER BY id LIMIT 1",
				 x->objects[i].name, &object);
		if (found < 0)
			return -1;
		if (found == 0)
			rc = exhibition_object_put(db, id, object, (int64_t)i + 1, x->objects[i].label_vi,
						   x->objects[i].label_en, WHO, &f);
	}
	for (size_t i = 0; rc == 0 && i < VISITS_MAX && x->visits[i].counted_on != NULL; i++)
		rc = exhibition_visit_add(db, &x->visits[i], id, NULL, &f);
	if (rc != 0)
		log_error("demo exhibitions: \"%s\" refused (%d, %s)", e.title, rc,
			  f.field != NULL ? f.field : "-");
	return rc == 0 ? 0 : -1;
}

int exhibition_demo_load(db_t *db, int *nexhibitions, int *npublications)
{
	int64_t hall = 0, none;
	if (nexhibitions != NULL)
		*nexhibitions = 0;
	if (npublications != NULL)
		*npublications = 0;
	int rc = find(db, "SELECT id FROM exhibitions WHERE ? <> '' LIMIT 1", "x", &none);
	if (rc <= 0)
		return rc;   /* already there, or an error */
	if (find(db, "SELECT id FROM locations WHERE parent_id IS NULL AND name = ?", hall_name,
		 &hall) < 0 ||
	    db_begin(db) != 0)
		return -1;
	rc = 0;
	size_t ne = sizeof exhibitions / sizeof exhibitions[0];
	size_t np = sizeof publications / sizeof publications[0];
	for (size_t i = 0; rc == 0 && i < ne; i++)
		rc = add_exhibition(db, &exhibitions[i], hall);
	model_problem f = {0};
	int64_t id;
	for (size_t i = 0; rc == 0 && i < np; i++) {
		publication p = publications[i];
		p.is_public = 1;
		if ((rc = publication_add(db, &p, &id, &f)) != 0)
			log_error("demo publications: \"%s\" refused (%d, %s)", publications[i].title, rc,
				  f.field != NULL ? f.field : "-");
	}
	if (rc == 0 && db_commit(db) == 0) {
		if (nexhibitions != NULL)
			*nexhibitions = (int)ne;
		if (npublications != NULL)
			*npublications = (int)np;
		return 0;
	}
	db_rollback(db);
	return -1;
}
