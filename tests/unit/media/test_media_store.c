/*
 * test_media_store.c - storing pictures (src/model/media_store.c): type
 * from content and limits as the store applies them (media_format.c),
 * random names, atomic copies, rows, and nothing left behind on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>

#include "core/arena.h"
#include "core/log.h"
#include "model/media.h"

#include "../import/import_test_util.h"

static bool is_random_name(const char *file, const char *ext)
{
	if (strlen(file) != 32 + 1 + strlen(ext))
		return false;
	for (int i = 0; i < 32; i++)
		if (!((file[i] >= '0' && file[i] <= '9') || (file[i] >= 'a' && file[i] <= 'f')))
			return false;
	return file[32] == '.' && strcmp(file + 33, ext) == 0;
}

static bool same_content(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa != NULL && fb != NULL;
	while (same) {
		int ca = getc(fa), cb = getc(fb);
		if (ca != cb)
			same = false;
		if (ca == EOF || cb == EOF)
			break;
	}
	if (fa != NULL)
		fclose(fa);
	if (fb != NULL)
		fclose(fb);
	return same;
}

static void test_store_each_type(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *format, *mime, *ext;
	} types[] = {
		{"png", "image/png", "png"},
		{"jpg", "image/jpeg", "jpg"},
		{"gif", "image/gif", "gif"},
		{"webp", "image/webp", "webp"},
	};
	arena_t *a = arena_new(4096);
	assert_non_null(a);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		char path[256], stored[256], file[MEDIA_FILE_MAX], why[256] = "";
		int64_t id = 0;
		snprintf(path, sizeof path, "%s/ảnh-%zu.%s", f->src, i, types[i].format);
		assert_int_equal(make_image(path, types[i].format, 120 + (int)i, 80), 0);

		media_info info;
		assert_int_equal(media_check_file(path, &info, why, sizeof why), 0);
		assert_string_equal(info.mime, types[i].mime);
		assert_int_equal(info.width, 120 + (int)i);
		assert_int_equal(info.height, 80);

		int rc = media_store_file(f->db, f->media, path, path, "Mô tả \"ảnh\"", &id, file,
					  sizeof file, why, sizeof why);
		if (rc != 0)
			fail_msg("%s: %s", types[i].format, why);
		assert_true(id > 0);
		assert_true(is_random_name(file, types[i].ext));
		snprintf(stored, sizeof stored, "%s/%s", f->media, file);
		assert_true(same_content(path, stored));

		media m;
		assert_int_equal(media_get_by_file(f->db, a, file, &m), 0);
		assert_int_equal(m.id, id);
		assert_string_equal(m.file, file);
		assert_string_equal(m.mime, types[i].mime);
		assert_int_equal(m.width, 120 + (int)i);
		assert_int_equal(m.height, 80);
		assert_string_equal(m.alt, "Mô tả \"ảnh\"");
		assert_string_equal(m.credit, "");
		assert_true(m.bytes > 0);
		assert_true(m.created_at > 1600000000);
		/* The folder part of the original name is dropped. */
		char want[64];
		snprintf(want, sizeof want, "ảnh-%zu.%s", i, types[i].format);
		assert_string_equal(m.original_name, want);
	}
	assert_int_equal(count_files(f->media), 4);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media"), 4);
	media m;
	assert_int_equal(media_get_by_file(f->db, a, "khong-co.png", &m), 1);
	arena_free(a);
}

static void test_two_copies_get_two_names(void **state)
{
	fixture *f = *state;
	char path[256], f1[MEDIA_FILE_MAX], f2[MEDIA_FILE_MAX], why[256];
	snprintf(path, sizeof path, "%s/a.png", f->src);
	assert_int_equal(make_image(path, "png", 10, 10), 0);
	assert_int_equal(media_store_file(f->db, f->media, path, "a.png", NULL, NULL, f1, sizeof f1,
					  why, sizeof why), 0);
	assert_int_equal(media_store_file(f->db, f->media, path, "a.png", NULL, NULL, f2, sizeof f2,
					  why, sizeof why), 0);
	assert_string_not_equal(f1, f2);
	assert_int_equal(count_files(f->media), 2);
}

static void assert_refused(fixture *f, const char *path, const char *needle)
{
	char file[MEDIA_FILE_MAX] = "", why[512] = "";
	int64_t id = -7;
	assert_int_equal(media_check_file(path, NULL, why, sizeof why), -1);
	if (strstr(why, needle) == NULL)
		fail_msg("check: \"%s\" does not contain \"%s\"", why, needle);
	why[0] = '\0';
	assert_int_equal(media_store_file(f->db, f->media, path, "x", NULL, &id, file, sizeof file,
					  why, sizeof why), -1);
	if (strstr(why, needle) == NULL)
		fail_msg("store: \"%s\" does not contain \"%s\"", why, needle);
	assert_int_equal(id, -7);
	assert_int_equal(count_files(f->media), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media"), 0);
}

static void test_text_named_png_refused(void **state)
{
	fixture *f = *state;
	char path[256];
	snprintf(path, sizeof path, "%s/gia.png", f->src);
	assert_int_equal(write_text(path, "Đây không phải là ảnh, chỉ là chữ.\n"), 0);
	assert_refused(f, path, "text/plain");
	/* An SVG is an image but not one we accept (it can carry scripts). */
	snprintf(path, sizeof path, "%s/a.svg", f->src);
	assert_int_equal(write_text(path, "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/"
					  "2000/svg\" width=\"10\" height=\"10\"></svg>\n"), 0);
	assert_refused(f, path, "không phải là ảnh");
}

static void test_limits(void **state)
{
	fixture *f = *state;
	char path[256];

	/* Over 20 MiB: refused from the size alone (a sparse file). */
	snprintf(path, sizeof path, "%s/big.jpg", f->src);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)MEDIA_MAX_BYTES + 1), 0);
	close(fd);
	assert_refused(f, path, "quá lớn");

	/* A PNG whose header claims 10000 x 5000 = 50 megapixels. */
	unsigned char png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
				 'I', 'H', 'D', 'R', 0, 0, 0x27, 0x10, 0, 0, 0x13, 0x88,
				 8, 2, 0, 0, 0, 0, 0, 0, 0};
	snprintf(path, sizeof path, "%s/bomb.png", f->src);
	assert_int_equal(write_bytes(path, png, sizeof png), 0);
	assert_refused(f, path, "10000×5000");

	/* Empty, missing, a folder. */
	snprintf(path, sizeof path, "%s/empty.png", f->src);
	assert_int_equal(write_bytes(path, "", 0), 0);
	assert_refused(f, path, "rỗng");
	snprintf(path, sizeof path, "%s/missing.png", f->src);
	assert_refused(f, path, "Không mở được");
	assert_refused(f, f->src, "tệp thông thường");
}

static void test_truncated_header_refused(void **state)
{
	fixture *f = *state;
	char path[256];
	/* A JPEG that stops before its frame header. */
	unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0,
			       1, 1, 0, 0, 1, 0, 1, 0, 0};
	snprintf(path, sizeof path, "%s/cut.jpg", f->src);
	assert_int_equal(write_bytes(path, jpg, sizeof jpg), 0);
	assert_refused(f, path, "kích thước");
}

static void test_database_failure_leaves_no_file(void **state)
{
	fixture *f = *state;
	char path[256], file[MEDIA_FILE_MAX], why[256];
	snprintf(path, sizeof path, "%s/a.gif", f->src);
	assert_int_equal(make_image(path, "gif", 16, 16), 0);
	assert_int_equal(db_exec(f->db, "CREATE TRIGGER media_no BEFORE INSERT ON media "
					"BEGIN SELECT RAISE(ABORT, 'test: refused'); END"), 0);
	int rc = media_store_file(f->db, f->media, path, "a.gif", NULL, NULL, file, sizeof file,
				  why, sizeof why);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "cơ sở dữ liệu"));
	assert_int_equal(count_files(f->media), 0);
}

static void test_unwritable_folder(void **state)
{
	fixture *f = *state;
	char path[256], missing[256], file[MEDIA_FILE_MAX], why[256];
	snprintf(path, sizeof path, "%s/a.png", f->src);
	assert_int_equal(make_image(path, "png", 16, 16), 0);
	snprintf(missing, sizeof missing, "%s/khong-co", f->dir);
	int rc = media_store_file(f->db, missing, path, "a.png", NULL, NULL, file, sizeof file, why,
				  sizeof why);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "Không ghi được"));
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM media"), 0);
}

static void test_alt_checked(void **state)
{
	fixture *f = *state;
	char path[256], file[MEDIA_FILE_MAX], why[256], alt[MEDIA_ALT_MAX + 2];
	snprintf(path, sizeof path, "%s/a.png", f->src);
	assert_int_equal(make_image(path, "png", 16, 16), 0);
	memset(alt, 'a', sizeof alt - 1);
	alt[sizeof alt - 1] = '\0';
	assert_int_equal(media_store_file(f->db, f->media, path, "a.png", alt, NULL, file,
					  sizeof file, why, sizeof why), -1);
	assert_int_equal(media_store_file(f->db, f->media, path, "a.png", "\xC3\x28", NULL, file,
					  sizeof file, why, sizeof why), -1);
	assert_int_equal(count_files(f->media), 0);
}

static void test_names_and_removal(void **state)
{
	fixture *f = *state;
	assert_true(media_file_name_valid("0123abcd.png"));
	assert_true(media_file_name_valid("a_b-c.webp"));
	assert_false(media_file_name_valid(""));
	assert_false(media_file_name_valid(".hidden"));
	assert_false(media_file_name_valid("../sen.db"));
	assert_false(media_file_name_valid("a/b.png"));
	assert_false(media_file_name_valid("ảnh.png"));

	char path[256], file[MEDIA_FILE_MAX], why[256];
	snprintf(path, sizeof path, "%s/a.png", f->src);
	assert_int_equal(make_image(path, "png", 16, 16), 0);
	assert_int_equal(media_store_file(f->db, f->media, path, "a.png", NULL, NULL, file,
					  sizeof file, why, sizeof why), 0);
	assert_int_equal(count_files(f->media), 1);
	assert_int_equal(media_remove_file(f->media, file), 0);
	assert_int_equal(count_files(f->media), 0);
	assert_int_equal(media_remove_file(f->media, file), 0); /* already gone */
	assert_int_equal(media_remove_file(f->src, "../sen.db"), -1);
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		testdb_case(test_store_each_type, fixture_setup),
		testdb_case(test_two_copies_get_two_names, fixture_setup),
		testdb_case(test_text_named_png_refused, fixture_setup),
		testdb_case(test_limits, fixture_setup),
		testdb_case(test_truncated_header_refused, fixture_setup),
		testdb_case(test_database_failure_leaves_no_file, fixture_setup),
		testdb_case(test_unwritable_folder, fixture_setup),
		testdb_case(test_alt_checked, fixture_setup),
		testdb_case(test_names_and_removal, fixture_setup),
	};
	return cmocka_run_group_tests_name("media_store", tests, NULL, NULL);
}
