/*
 * test_comment.c - validation messages and boundaries, moderation, listings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/comment.h"
#include "widgets_test.h"

#define V1 "00112233445566778899aabbccddeeff"
#define V2 "ffeeddccbbaa99887766554433221100"

/* n copies of s, malloc'd. */
static char *repeat(const char *s, size_t n)
{
	size_t len = strlen(s);
	char *out = malloc(len * n + 1);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

static int check(const char *name, const char *email, const char *body, char *why)
{
	comment_input in = {1, name, email, body, V1};
	return comment_validate(&in, why, 200);
}

static void expect(const char *name, const char *email, const char *body, const char *msg)
{
	char why[200] = "unchanged";
	int rc = check(name, email, body, why);
	if (msg == NULL) {
		assert_int_equal(rc, 0);
		assert_string_equal(why, "");
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(why, msg);
	}
}

static void validation_messages(void **state)
{
	(void)state;
	expect("Nguyễn Văn A", "", "Bài viết rất hay.", NULL);
	expect("Nguyễn Văn A", NULL, "Bài viết rất hay.", NULL);
	expect("", "", "Nội dung", "Vui lòng nhập họ tên.");
	expect(NULL, "", "Nội dung", "Vui lòng nhập họ tên.");
	expect("   \t ", "", "Nội dung", "Vui lòng nhập họ tên.");
	expect("Nguyễn\r\nVăn A", "", "Nội dung", "Họ tên không được chứa ký tự xuống dòng.");
	expect("Nguyễn\nVăn A", "", "Nội dung", "Họ tên không được chứa ký tự xuống dòng.");
	expect("Nguyễn\rVăn A", "", "Nội dung", "Họ tên không được chứa ký tự xuống dòng.");
	expect("Nguyễn\xe2\x80\xa8Văn A", "", "Nội dung", "Họ tên không được chứa ký tự xuống dòng.");
	expect("Nguyễn\x01Văn", "", "Nội dung", "Họ tên chứa ký tự không hợp lệ.");
	expect("Nguyễn\tVăn", "", "Nội dung", "Họ tên chứa ký tự không hợp lệ.");
	expect("Xem www.spam.example", "", "Nội dung", "Họ tên không được chứa liên kết.");
	expect("A", "a@b.vn", "", "Vui lòng nhập nội dung bình luận.");
	expect("A", "a@b.vn", " \r\n\t", "Vui lòng nhập nội dung bình luận.");
	expect("A", "a@b.vn", NULL, "Vui lòng nhập nội dung bình luận.");
	expect("A", "", "x\x01y", "Nội dung bình luận chứa ký tự không hợp lệ.");
	expect("A", "", "dòng 1\r\ndòng 2\tcột", NULL);
	expect("A", "", "\xff\xfe", "Dữ liệu gửi lên không phải UTF-8 hợp lệ.");
	expect("\xc3\x28", "", "Nội dung", "Dữ liệu gửi lên không phải UTF-8 hợp lệ.");
	expect("A", "a\xc3\x28@b.vn", "Nội dung", "Dữ liệu gửi lên không phải UTF-8 hợp lệ.");
}

static void email_is_checked_loosely(void **state)
{
	(void)state;
	const char *good[] = {"a@b.vn", "nguyen.van.a+tin@bao-tang.dienbien.gov.vn",
			      " a@b.vn ", "ngườidùng@ví-dụ.vn"};
	const char *bad[] = {"a", "a@b", "@b.vn", "a@.vn", "a@b.", "a b@c.vn", "a@b..vn",
			     "a@@b.vn", "<a@b.vn>", "a@b.vn\r\nBcc: x@y.vn", "a;b@c.vn"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		expect("A", good[i], "x", NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect("A", bad[i], "x", "Địa chỉ email không hợp lệ.");
}

static void email_length_boundary(void **state)
{
	(void)state;
	/* local 60 + '@' + 190 + ".vn" = 254 */
	char *local = repeat("a", 60);
	char *domain = repeat("b", 190);
	char email[300];
	snprintf(email, sizeof email, "%s@%s.vn", local, domain);
	assert_int_equal(strlen(email), 254);
	expect("A", email, "x", NULL);
	snprintf(email, sizeof email, "%s@%sb.vn", local, domain);
	assert_int_equal(strlen(email), 255);
	expect("A", email, "x", "Địa chỉ email dài quá 254 ký tự.");
	free(local);
	free(domain);
}

static void body_length_in_characters(void **state)
{
	(void)state;
	/* "ễ" is one character and three bytes: the limit counts characters. */
	char *body = repeat("ễ", 4000);
	expect("A", "", body, NULL);
	free(body);
	body = repeat("ễ", 4001);
	expect("A", "", body, "Nội dung bình luận dài quá 4.000 ký tự (hiện có 4.001).");
	free(body);
	body = repeat("Điện Biên Phủ ", 1000); /* 14000 characters, trailing space trimmed */
	expect("A", "", body, "Nội dung bình luận dài quá 4.000 ký tự (hiện có 13.999).");
	free(body);
	/* CR LF is one character, as the browser's maxlength counted it. */
	char *lines = repeat("ab\r\n", 1000); /* 3000 characters after trim (last CR LF goes) */
	char *more = malloc(strlen(lines) + 2000);
	snprintf(more, strlen(lines) + 2000, "x%s%s", lines, "y");
	/* x + 1000 * (a b newline) + y = 1 + 3000 + 1 = 3002 */
	expect("A", "", more, NULL);
	free(lines);
	free(more);
	lines = repeat("\r\n", 3999);
	more = malloc(strlen(lines) + 8);
	snprintf(more, strlen(lines) + 8, "a%sb", lines);  /* 4001 characters */
	expect("A", "", more, "Nội dung bình luận dài quá 4.000 ký tự (hiện có 4.001).");
	free(lines);
	free(more);
}

static void name_length_in_characters(void **state)
{
	(void)state;
	char *name = repeat("Ư", 100);
	expect(name, "", "x", NULL);
	free(name);
	name = repeat("Ư", 101);
	expect(name, "", "x", "Họ tên dài quá 100 ký tự (hiện có 101).");
	free(name);
}

static void links(void **state)
{
	(void)state;
	expect("A", "", "Xem https://www.dienbien.gov.vn và http://a.vn", NULL);
	expect("A", "", "Xem https://a.vn, http://b.vn và www.c.vn",
	       "Bình luận có quá nhiều liên kết (tối đa 2).");
	expect("A", "", "HTTPS://A.VN HTTP://B.VN WWW.C.VN",
	       "Bình luận có quá nhiều liên kết (tối đa 2).");
}

/* ---- storage --------------------------------------------------------------- */

static int64_t published(int64_t now)
{
	int64_t cat = testdb_category("tin-hoat-dong");
	return testdb_article(cat, "Hội nghị", "Nội dung.", 2, now - 3600);
}

static int64_t add(int64_t article, const char *name, const char *body, const char *visitor,
		   int64_t now)
{
	comment_input in = {article, name, "ban.doc@example.vn", body, visitor};
	int64_t id = 0;
	char why[200];
	assert_int_equal(comment_add(testdb(), &in, now, &id, why, sizeof why), 0);
	assert_true(id > 0);
	return id;
}

static void add_moderate_and_list(void **state)
{
	(void)state;
	db_t *db = testdb();
	arena_t *a = arena_new(4096);
	int64_t now = (int64_t)time(NULL);
	int64_t art = published(now);
	int64_t c1 = add(art, "  Lò Văn Páo ", "Cảm ơn bảo tàng!\r\nRất bổ ích.\r\n", V1, now - 30);
	int64_t c2 = add(art, "Trần Thị B", "Ý kiến thứ hai", V2, now - 20);
	int64_t c3 = add(art, "Spammer", "mua ngay", V2, now - 10);

	comment *items;
	size_t n;
	bool more;
	int64_t count;
	assert_int_equal(comment_list_approved(db, a, art, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_int_equal(comment_count(db, COMMENT_PENDING, &count), 0);
	assert_int_equal(count, 3);

	assert_int_equal(comment_set_status(db, c2, COMMENT_APPROVED), 0);
	assert_int_equal(comment_set_status(db, c1, COMMENT_APPROVED), 0);
	assert_int_equal(comment_set_status(db, c3, COMMENT_SPAM), 0);
	assert_int_equal(comment_set_status(db, 99999, COMMENT_APPROVED), 1);
	assert_int_equal(comment_set_status(db, c3, 7), -1);

	assert_int_equal(comment_list_approved(db, a, art, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	/* Oldest first; trimmed name; CR LF stored as LF; no email or visitor. */
	assert_int_equal(items[0].id, c1);
	assert_string_equal(items[0].name, "Lò Văn Páo");
	assert_string_equal(items[0].body, "Cảm ơn bảo tàng!\nRất bổ ích.");
	assert_null(items[0].email);
	assert_null(items[0].visitor);
	assert_int_equal(items[0].created_at, now - 30);
	assert_int_equal(items[0].status, COMMENT_APPROVED);
	assert_int_equal(items[1].id, c2);
	assert_int_equal(comment_count_approved(db, art, &count), 0);
	assert_int_equal(count, 2);

	/* Paging. */
	assert_int_equal(comment_list_approved(db, a, art, 0, 1, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_true(more);
	assert_int_equal(comment_list_approved(db, a, art, items[0].id, 1, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, c2);
	assert_false(more);

	/* Moderation sees everything, newest first, with email and visitor. */
	assert_int_equal(comment_list(db, a, -1, 0, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].id, c3);
	assert_string_equal(items[0].email, "ban.doc@example.vn");
	assert_string_equal(items[0].visitor, V2);
	assert_int_equal(comment_list(db, a, COMMENT_SPAM, 0, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, c3);
	assert_int_equal(comment_list(db, a, COMMENT_APPROVED, art, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(comment_list(db, a, -1, art, c3, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, c2);
	assert_int_equal(comment_list(db, a, -1, art + 1, 0, 10, &items, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_int_equal(comment_list(db, a, -1, 0, 0, 0, &items, &n, &more), -1);
	assert_int_equal(comment_list(db, a, 9, 0, 0, 10, &items, &n, &more), -1);

	comment one;
	assert_int_equal(comment_get(db, a, c1, &one), 0);
	assert_string_equal(one.email, "ban.doc@example.vn");
	assert_int_equal(comment_get(db, a, 99999, &one), 1);

	assert_int_equal(comment_delete(db, c1), 0);
	assert_int_equal(comment_delete(db, c1), 1);
	assert_int_equal(comment_count_approved(db, art, &count), 0);
	assert_int_equal(count, 1);
	arena_free(a);
}

static void add_refuses(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t now = (int64_t)time(NULL);
	int64_t art = published(now);
	int64_t cat = testdb_category("tin-hoat-dong");
	int64_t draft = testdb_article(cat, "Nháp", "", 0, now - 10);
	int64_t later = testdb_article(cat, "Sau", "", 2, now + 600);
	int64_t id = 5;
	char why[200];
	comment_input in = {art, "A", "", "", V1};
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), 2);
	assert_string_equal(why, "Vui lòng nhập nội dung bình luận.");
	assert_int_equal(id, 0);
	in.body = "ok";
	in.article_id = draft;
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), 1);
	in.article_id = later;
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), 1);
	in.article_id = 99999;
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), 1);
	in.article_id = art;
	in.visitor = "1.2.3.4"; /* an address is never stored */
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), -1);
	in.visitor = NULL;
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM comments"), 1);
	/* Exactly 4000 Vietnamese characters are stored whole. */
	char *body = repeat("ữ", 4000);
	in.body = body;
	assert_int_equal(comment_add(db, &in, now, &id, why, sizeof why), 0);
	assert_int_equal(testdb_int("SELECT max(length(body)) FROM comments"), 4000);
	free(body);
}

static void flood_control(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t now = (int64_t)time(NULL);
	int64_t art = published(now);
	add(art, "A", "một", V1, now - 500);
	add(art, "A", "hai", V1, now - 50);
	add(art, "A", "ba", V1, now - 5);
	add(art, "B", "bốn", V2, now - 5);
	int64_t count;
	assert_int_equal(comment_recent_count(db, V1, now - 60, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(comment_recent_count(db, V1, now - 3600, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(comment_recent_count(db, V2, now - 60, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(comment_recent_count(db, "", now - 60, &count), 0);
	assert_int_equal(count, 0);
}

static void status_names(void **state)
{
	(void)state;
	assert_string_equal(comment_status_name(COMMENT_PENDING), "pending");
	assert_string_equal(comment_status_name(COMMENT_SPAM), "spam");
	assert_null(comment_status_name(4));
	assert_null(comment_status_name(-1));
	assert_int_equal(comment_status_parse("approved"), COMMENT_APPROVED);
	assert_int_equal(comment_status_parse("rejected"), COMMENT_REJECTED);
	assert_int_equal(comment_status_parse("Approved"), -1);
	assert_int_equal(comment_status_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validation_messages),
		cmocka_unit_test(email_is_checked_loosely),
		cmocka_unit_test(email_length_boundary),
		cmocka_unit_test(body_length_in_characters),
		cmocka_unit_test(name_length_in_characters),
		cmocka_unit_test(links),
		cmocka_unit_test(status_names),
		cmocka_unit_test_setup_teardown(add_moderate_and_list, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(add_refuses, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(flood_control, testdb_setup, testdb_teardown),
	};
	return cmocka_run_group_tests_name("comment", tests, NULL, NULL);
}
