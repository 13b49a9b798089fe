/*
 * test_import.c - the JSON Lines importer: a good file becomes rows and
 * media files; bad lines are all reported with their numbers and nothing
 * is written; a failure in the middle of writing leaves nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/log.h"
#include "model/article.h"
#include "model/import.h"

#include "import_test_util.h"

/* The result of one import_articles() run, with what it printed. */
typedef struct {
	int rc;
	import_report rep;
	char *errors;
	char *progress;
} run_result;

static char *slurp(FILE *fp)
{
	long n = ftell(fp);
	char *s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	assert_non_null(s);
	rewind(fp);
	if (n > 0)
		assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return s;
}

static run_result run_import(fixture *f, const char *jsonl_name, const char *content)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->src, jsonl_name);
	assert_int_equal(write_text(path, content), 0);
	FILE *errors = tmpfile(), *progress = tmpfile();
	assert_non_null(errors);
	assert_non_null(progress);
	run_result r;
	r.rc = import_articles(f->db, path, NULL, f->media, errors, progress, &r.rep);
	r.errors = slurp(errors);
	r.progress = slurp(progress);
	return r;
}

static void run_free(run_result *r)
{
	free(r->errors);
	free(r->progress);
}

static int count_lines_in(const char *s)
{
	int n = 0;
	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void assert_nothing_written(fixture *f)
{
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM categories"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM tags"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM article_images"), 0);
	assert_int_equal(count_files(f->media), 0);
}

/* ------------------------------------------------------------ good file */

static void test_good_file(void **state)
{
	fixture *f = *state;
	char path[256];
	assert_int_equal(mkdir(strcat(strcpy(path, f->src), "/anh"), 0700), 0);
	snprintf(path, sizeof path, "%s/anh/trong-dong.png", f->src);
	assert_int_equal(make_image(path, "png", 64, 48), 0);
	snprintf(path, sizeof path, "%s/anh/gom.jpg", f->src);
	assert_int_equal(make_image(path, "jpg", 32, 20), 0);

	run_result r = run_import(
		f, "bai.jsonl",
		"{\"title\":\"Trưng bày trống đồng\",\"body\":\"# Trống đồng\\n\\nNội dung *mới*.\","
		"\"category\":\"Tin hoạt động\",\"published_at\":\"2021-01-18T08:30:00+07:00\","
		"\"summary\":\"Tóm tắt.\",\"tags\":[\"Đông Sơn\",\"Trống đồng\"],"
		"\"images\":[{\"src\":\"anh/trong-dong.png\",\"caption\":\"Trống đồng Ngọc Lũ\"},"
		"{\"src\":\"anh/gom.jpg\"}]}\n"
		"\n"
		"   \n"
		"{\"title\":\"Giờ mở cửa Tết\",\"body\":\"Mở cửa từ mùng 2.\",\"category\":\"Thông báo\","
		"\"published_at\":\"2021-01-18T08:30\"}\r\n"
		"{\"title\":\"Hội thảo\",\"body\":\"\",\"category\":\"Tin hoạt động\","
		"\"published_at\":\"2020-12-01\",\"tags\":[],\"images\":[],\"extra\":1}");
	if (r.rc != 0)
		fail_msg("import failed: %s", r.errors);
	assert_string_equal(r.errors, "");
	assert_int_equal(r.rep.lines, 5);
	assert_int_equal(r.rep.imported, 3);
	assert_int_equal(r.rep.bad, 0);

	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles WHERE status = 2"), 3);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM categories"), 2);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media"), 2);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM article_images"), 2);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM article_tags"), 2);
	/* Each picture got its variants as an upload does: narrower than 320
	 * pixels, one width, in its own format and in WebP. */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media_variants"), 4);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media_variants WHERE format = "
					   "'webp'"), 2);
	assert_int_equal(count_files(f->media), 2 + 4);
	/* An offset in the text wins; without one, +07:00 is assumed. */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles WHERE published_at = "
					   "1610933400"), 2);
	assert_int_equal(count_rows(f->db, "SELECT published_at FROM articles WHERE title = "
					   "'Hội thảo'"), 1606755600);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles WHERE summary = "
					   "'Tóm tắt.' AND body_html LIKE '%<em>mới</em>%'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media WHERE width = 64 AND "
					   "height = 48 AND mime = 'image/png' AND alt = "
					   "'Trống đồng Ngọc Lũ' AND original_name = 'trong-dong.png'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM article_images ai JOIN media m "
					   "ON m.id = ai.media_id WHERE ai.position = 0 AND "
					   "ai.caption = 'Trống đồng Ngọc Lũ' AND m.mime = 'image/png'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles a JOIN media m ON "
					   "m.id = a.image_id WHERE m.mime = 'image/png'"), 1);

	/* Progress: both phases end at 100% and a newline. */
	assert_non_null(strstr(r.progress, "\rKiểm tra: 100% (5/5)\n"));
	assert_non_null(strstr(r.progress, "\rNhập: 100% (3/3)\n"));
	assert_int_equal(r.progress[strlen(r.progress) - 1], '\n');
	run_free(&r);
}

/* Text comes in NFC whatever form the export used; a picture's path is
 * left as it was written, since it names a file as the file system has it. */
static void test_nfd_text_stored_nfc(void **state)
{
	fixture *f = *state;
	char path[256];
	/* The file's name is in NFD on disk ("ảnh" with the marks apart). */
	snprintf(path, sizeof path, "%s/a\xCC\x89nh.png", f->src);
	assert_int_equal(make_image(path, "png", 16, 16), 0);
	run_result r = run_import(
		f, "nfd.jsonl",
		/* "Trống đồng Đông Sơn", "Tin hoạt động", a tag and a caption, in NFD. */
		"{\"title\":\"Tro\xCC\x82\xCC\x81ng \xC4\x91o\xCC\x82\xCC\x80ng\","
		"\"body\":\"Bo\xCC\x82\xCC\xA3 su\xCC\x9Bu ta\xCC\x82\xCC\xA3p.\","
		"\"summary\":\"To\xCC\x81m ta\xCC\x86\xCC\x81t.\","
		"\"category\":\"Tin hoa\xCC\xA3t \xC4\x91o\xCC\x82\xCC\xA3ng\","
		"\"published_at\":\"2021-01-18\",\"tags\":[\"\xC4\x90o\xCC\x82ng So\xCC\x9Bn\"],"
		"\"images\":[{\"src\":\"a\xCC\x89nh.png\",\"caption\":\"A\xCC\x89nh\"}]}\n");
	if (r.rc != 0)
		fail_msg("import failed: %s", r.errors);
	assert_int_equal(r.rep.imported, 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles WHERE"
					   " title = 'Trống đồng' AND summary = 'Tóm tắt.'"
					   " AND body_html LIKE '%Bộ sưu tập.%'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM categories"
					   " WHERE name = 'Tin hoạt động'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM tags WHERE name = 'Đông Sơn'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM article_images"
					   " WHERE caption = 'Ảnh'"), 1);
	run_free(&r);
}

static void test_empty_file(void **state)
{
	fixture *f = *state;
	run_result r = run_import(f, "rong.jsonl", "\n\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.rep.imported, 0);
	assert_string_equal(r.errors, "");
	assert_nothing_written(f);
	run_free(&r);
}

/* ------------------------------------------------------------- bad lines */

static const char good_line[] =
	"{\"title\":\"Tốt\",\"body\":\"x\",\"category\":\"Tin\",\"published_at\":\"2021-01-01\"}\n";

static void test_three_bad_lines(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, good_line), 0);                           /* 1 */
	assert_int_equal(buf_puts(&b, "{\"body\":\"x\",\"category\":\"Tin\","   /* 2 */
				      "\"published_at\":\"2021-01-01\"}\n"), 0);
	assert_int_equal(buf_puts(&b, good_line), 0);                           /* 3 */
	assert_int_equal(buf_puts(&b, "{\"title\":\"Hỏng\", \"body\": \n"), 0);  /* 4 */
	assert_int_equal(buf_puts(&b, "\n"), 0);                                /* 5 */
	assert_int_equal(buf_puts(&b, "{\"title\":\"Ngày\",\"body\":\"x\",\"category\":\"Tin\"," /* 6 */
				      "\"published_at\":\"2021-02-30T08:00\"}\n"), 0);
	assert_int_equal(buf_puts(&b, good_line), 0);                           /* 7 */

	run_result r = run_import(f, "loi.jsonl", b.data);
	buf_free(&b);
	char want[512];
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.rep.bad, 3);
	assert_int_equal(r.rep.imported, 0);
	assert_int_equal(r.rep.lines, 7);
	assert_int_equal(count_lines_in(r.errors), 3);
	snprintf(want, sizeof want, "%s/loi.jsonl:2: Thiếu trường \"title\".\n", f->src);
	assert_non_null(strstr(r.errors, want));
	snprintf(want, sizeof want, "%s/loi.jsonl:4: JSON không hợp lệ", f->src);
	assert_non_null(strstr(r.errors, want));
	snprintf(want, sizeof want, "%s/loi.jsonl:6: Trường \"published_at\" không phải ngày giờ "
		 "ISO 8601", f->src);
	assert_non_null(strstr(r.errors, want));
	assert_non_null(strstr(r.errors, "\"2021-02-30T08:00\""));
	/* Lines come in file order. */
	assert_true(strstr(r.errors, ":2:") < strstr(r.errors, ":4:"));
	assert_true(strstr(r.errors, ":4:") < strstr(r.errors, ":6:"));
	assert_nothing_written(f);
	run_free(&r);
}

static void test_field_errors(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *line, *needle;
	} cases[] = {
		{"[1,2]", "đối tượng JSON"},
		{"{\"title\":1,\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\"}",
		 "\"title\" phải là chuỗi"},
		{"{\"title\":\"   \",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\"}",
		 "\"title\" không được để trống"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"\",\"published_at\":\"2021-01-01\"}",
		 "\"category\" không được để trống"},
		{"{\"title\":\"a\",\"title\":\"b\",\"body\":\"x\",\"category\":\"T\","
		 "\"published_at\":\"2021-01-01\"}", "JSON không hợp lệ"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"hôm qua\"}",
		 "ISO 8601"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"summary\":5}", "\"summary\" phải là chuỗi"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"tags\":\"a,b\"}", "\"tags\" phải là mảng"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"tags\":[\"a\",2]}", "tags[1] phải là chuỗi"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"images\":[\"a.png\"]}", "images[0] phải là"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"images\":[{\"caption\":\"c\"}]}", "images[0]: Thiếu trường \"src\""},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"images\":[{\"src\":\"../bi-mat.png\"}]}", "không được chứa \"..\""},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"images\":[{\"src\":\"anh/../../x.png\"}]}", "không được chứa \"..\""},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"images\":[{\"src\":\"/etc/passwd\"}]}", "tương đối"},
		{"{\"title\":\"a\\nb\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\"}",
		 "điều khiển"},
		{"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		 "\"tags\":[\"!!!\"]}", "chữ hoặc số"},
	};
	char why[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		why[0] = '\0';
		int rc = import_validate_line(cases[i].line, strlen(cases[i].line), f->src, why,
					      sizeof why);
		if (rc != -1 || strstr(why, cases[i].needle) == NULL)
			fail_msg("case %zu: rc %d, \"%s\" lacks \"%s\"", i, rc, why, cases[i].needle);
		assert_null(strchr(why, '\n'));
	}
	/* Too long for its field. */
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "{\"title\":\""), 0);
	for (int i = 0; i < ARTICLE_TITLE_MAX + 1; i++)
		assert_int_equal(buf_putc(&b, 'a'), 0);
	assert_int_equal(buf_puts(&b, "\",\"body\":\"x\",\"category\":\"T\","
				      "\"published_at\":\"2021-01-01\"}"), 0);
	assert_int_equal(import_validate_line(b.data, b.len, f->src, why, sizeof why), -1);
	assert_non_null(strstr(why, "tối đa 300"));
	buf_free(&b);
	/* Blank and good. */
	assert_int_equal(import_validate_line(" \t", 2, f->src, why, sizeof why), 1);
	assert_int_equal(import_validate_line(good_line, strlen(good_line) - 1, f->src, why,
					      sizeof why), 0);
	/* Not UTF-8 (jansson refuses it as JSON). */
	const char *bad = "{\"title\":\"\xC3\x28\",\"body\":\"x\",\"category\":\"T\","
			  "\"published_at\":\"2021-01-01\"}";
	assert_int_equal(import_validate_line(bad, strlen(bad), f->src, why, sizeof why), -1);
}

static void test_line_too_long(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, good_line), 0);
	assert_int_equal(buf_puts(&b, "{\"title\":\"dài\",\"body\":\""), 0);
	while (b.len < (size_t)IMPORT_LINE_MAX + 100)
		assert_int_equal(buf_puts(&b, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), 0);
	assert_int_equal(buf_puts(&b, "\",\"category\":\"T\",\"published_at\":\"2021-01-01\"}\n"), 0);
	assert_int_equal(buf_puts(&b, good_line), 0);
	run_result r = run_import(f, "dai.jsonl", b.data);
	buf_free(&b);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.rep.bad, 1);
	assert_int_equal(r.rep.lines, 3);
	assert_int_equal(count_lines_in(r.errors), 1);
	assert_non_null(strstr(r.errors, "dai.jsonl:2: Dòng dài quá"));
	assert_nothing_written(f);
	run_free(&r);
}

/* --------------------------------------------------------------- images */

static void test_image_missing(void **state)
{
	fixture *f = *state;
	run_result r = run_import(
		f, "thieu.jsonl",
		"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		"\"images\":[{\"src\":\"khong-co.png\"}]}\n");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.rep.bad, 1);
	assert_non_null(strstr(r.errors, "thieu.jsonl:1: images[0]: không tìm thấy tệp "
					 "\"khong-co.png\""));
	assert_nothing_written(f);
	run_free(&r);
}

static void test_image_not_an_image(void **state)
{
	fixture *f = *state;
	char path[256];
	snprintf(path, sizeof path, "%s/gia.png", f->src);
	assert_int_equal(write_text(path, "chỉ là chữ, không phải ảnh\n"), 0);
	snprintf(path, sizeof path, "%s/that.png", f->src);
	assert_int_equal(make_image(path, "png", 8, 8), 0);
	run_result r = run_import(
		f, "gia.jsonl",
		"{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\",\"published_at\":\"2021-01-01\","
		"\"images\":[{\"src\":\"that.png\"},{\"src\":\"gia.png\"}]}\n");
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.errors, "gia.jsonl:1: images[1]: tệp \"gia.png\": "));
	assert_non_null(strstr(r.errors, "text/plain"));
	assert_nothing_written(f);
	run_free(&r);
}

static void test_image_link_outside_refused(void **state)
{
	fixture *f = *state;
	char path[256], target[256];
	/* A picture outside the source folder, reached through a symbolic link. */
	snprintf(target, sizeof target, "%s/ngoai.png", f->dir);
	assert_int_equal(make_image(target, "png", 8, 8), 0);
	snprintf(path, sizeof path, "%s/lien-ket.png", f->src);
	assert_int_equal(symlink(target, path), 0);
	char why[512];
	const char *line = "{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\","
			   "\"published_at\":\"2021-01-01\",\"images\":[{\"src\":\"lien-ket.png\"}]}";
	assert_int_equal(import_validate_line(line, strlen(line), f->src, why, sizeof why), -1);
	assert_non_null(strstr(why, "ngoài thư mục"));
}

static void test_media_src_dir(void **state)
{
	fixture *f = *state;
	char dir[128], path[256], jsonl[256];
	snprintf(dir, sizeof dir, "%s/kho-anh", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/a.gif", dir);
	assert_int_equal(make_image(path, "gif", 10, 10), 0);
	snprintf(jsonl, sizeof jsonl, "%s/bai.jsonl", f->src);
	assert_int_equal(write_text(jsonl, "{\"title\":\"a\",\"body\":\"x\",\"category\":\"T\","
					   "\"published_at\":\"2021-01-01\","
					   "\"images\":[{\"src\":\"a.gif\"}]}\n"), 0);
	import_report rep;
	assert_int_equal(import_articles(f->db, jsonl, dir, f->media, NULL, NULL, &rep), 0);
	assert_int_equal(rep.imported, 1);
	/* The GIF as it came, and its variant as PNG and WebP. */
	assert_int_equal(count_files(f->media), 1 + 2);
}

/* -------------------------------------------------------- all or nothing */

static void test_later_write_fails(void **state)
{
	fixture *f = *state;
	char path[256];
	for (int i = 1; i <= 3; i++) {
		snprintf(path, sizeof path, "%s/%d.png", f->src, i);
		assert_int_equal(make_image(path, "png", 10 * i, 10), 0);
	}
	/* The database refuses the third article only when it is written, so
	 * pass 1 finds nothing wrong and pass 2 has copied two articles'
	 * pictures and written two articles before it fails. */
	assert_int_equal(db_exec(f->db, "CREATE TRIGGER no_third BEFORE INSERT ON articles "
					"WHEN NEW.title = 'Bài thứ ba' "
					"BEGIN SELECT RAISE(ABORT, 'test: refused'); END"), 0);
	run_result r = run_import(
		f, "giua.jsonl",
		"{\"title\":\"Bài một\",\"body\":\"x\",\"category\":\"Mới\",\"published_at\":\"2021-01-01\","
		"\"tags\":[\"thẻ\"],\"images\":[{\"src\":\"1.png\"}]}\n"
		"{\"title\":\"Bài hai\",\"body\":\"x\",\"category\":\"Khác\",\"published_at\":\"2021-01-02\","
		"\"images\":[{\"src\":\"2.png\"}]}\n"
		"{\"title\":\"Bài thứ ba\",\"body\":\"x\",\"category\":\"Mới\","
		"\"published_at\":\"2021-01-03\",\"images\":[{\"src\":\"3.png\"}]}\n");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.rep.imported, 0);
	assert_int_equal(r.rep.bad, 1);
	char want[256];
	snprintf(want, sizeof want, "%s/giua.jsonl:3: Không ghi được bài viết", f->src);
	assert_non_null(strstr(r.errors, want));
	assert_non_null(strstr(r.errors, "đã hủy"));
	assert_nothing_written(f);
	/* The database is usable afterwards: no transaction left open. */
	assert_int_equal(db_in_transaction(f->db), 0);
	run_free(&r);
}

/* --------------------------------------------------------------- volume */

static void test_many_articles(void **state)
{
	fixture *f = *state;
	enum { N = 3000 };
	char path[256];
	snprintf(path, sizeof path, "%s/nhieu.jsonl", f->src);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	for (int i = 0; i < N; i++)
		fprintf(fp, "{\"title\":\"Bài số %d\",\"body\":\"Nội dung **%d** của bài.\","
			    "\"category\":\"Chuyên mục %d\",\"published_at\":\"2021-01-%02dT08:00\","
			    "\"tags\":[\"thẻ %d\"]}\n", i, i, i % 7, 1 + i % 28, i % 50);
	assert_int_equal(fclose(fp), 0);
	FILE *progress = tmpfile();
	import_report rep;
	assert_int_equal(import_articles(f->db, path, NULL, f->media, stderr, progress, &rep), 0);
	assert_int_equal(rep.imported, N);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM articles"), N);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM categories"), 7);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM tags"), 50);
	char *p = slurp(progress);
	/* Rate-limited: far fewer updates than lines. */
	int updates = 0;
	for (const char *s = p; (s = strchr(s, '\r')) != NULL; s++)
		updates++;
	assert_true(updates >= 2);
	assert_true(updates < N / 10);
	assert_non_null(strstr(p, "\rNhập: 100% (3000/3000)\n"));
	free(p);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		testdb_case(test_good_file, fixture_setup),
		testdb_case(test_nfd_text_stored_nfc, fixture_setup),
		testdb_case(test_empty_file, fixture_setup),
		testdb_case(test_three_bad_lines, fixture_setup),
		testdb_case(test_field_errors, fixture_setup),
		testdb_case(test_line_too_long, fixture_setup),
		testdb_case(test_image_missing, fixture_setup),
		testdb_case(test_image_not_an_image, fixture_setup),
		testdb_case(test_image_link_outside_refused, fixture_setup),
		testdb_case(test_media_src_dir, fixture_setup),
		testdb_case(test_later_write_fails, fixture_setup),
		testdb_case(test_many_articles, fixture_setup),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
