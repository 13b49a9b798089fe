/*
 * test_comment.c - validation problems and boundaries, the submission with its
 * CAPTCHA, moderation, listings.
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

#include "model/captcha.h"
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

/* Validates (name, email, body) and checks the problem: code 0 = accepted;
 * field NULL with code 0; limit and count 0 when the code carries none. */
static void expect_limit(const char *name, const char *email, const char *body, int code,
			 const char *field, int64_t limit, int64_t count)
{
	comment_input in = {1, name, email, body, V1};
	model_problem p = {99, "unchanged", 7, 7, 7};
	int rc = comment_validate(&in, &p);
	assert_int_equal(rc, code == 0 ? 0 : -1);
	assert_int_equal(p.code, code);
	if (field == NULL)
		assert_null(p.field);
	else
		assert_string_equal(p.field, field);
	assert_int_equal(p.limit, limit);
	assert_int_equal(p.count, count);
	assert_int_equal(p.item, 0);
}

static void expect(const char *name, const char *email, const char *body, int code,
		   const char *field)
{
	expect_limit(name, email, body, code, field, 0, 0);
}

static void validation_messages(void **state)
{
	(void)state;
	expect("Nguyễn Văn A", "", "Bài viết rất hay.", 0, NULL);
	expect("Nguyễn Văn A", NULL, "Bài viết rất hay.", 0, NULL);
	expect("", "", "Nội dung", COMMENT_NAME_MISSING, "name");
	expect(NULL, "", "Nội dung", COMMENT_NAME_MISSING, "name");
	expect("   \t ", "", "Nội dung", COMMENT_NAME_MISSING, "name");
	expect("Nguyễn\r\nVăn A", "", "Nội dung", COMMENT_NAME_NEWLINE, "name");
	expect("Nguyễn\nVăn A", "", "Nội dung", COMMENT_NAME_NEWLINE, "name");
	expect("Nguyễn\rVăn A", "", "Nội dung", COMMENT_NAME_NEWLINE, "name");
	expect("Nguyễn\xe2\x80\xa8Văn A", "", "Nội dung", COMMENT_NAME_NEWLINE, "name");
	expect("Nguyễn\x01Văn", "", "Nội dung", COMMENT_NAME_INVALID, "name");
	expect("Nguyễn\tVăn", "", "Nội dung", COMMENT_NAME_INVALID, "name");
	expect("Xem www.spam.example", "", "Nội dung", COMMENT_NAME_LINK, "name");
	expect("A", "a@b.vn", "", COMMENT_BODY_MISSING, "body");
	expect("A", "a@b.vn", " \r\n\t", COMMENT_BODY_MISSING, "body");
	expect("A", "a@b.vn", NULL, COMMENT_BODY_MISSING, "body");
	expect("A", "", "x\x01y", COMMENT_BODY_INVALID, "body");
	expect("A", "", "dòng 1\r\ndòng 2\tcột", 0, NULL);
	expect("A", "", "\xff\xfe", COMMENT_NOT_UTF8, "body");
	expect("\xc3\x28", "", "Nội dung", COMMENT_NOT_UTF8, "name");
	expect("A", "a\xc3\x28@b.vn", "Nội dung", COMMENT_NOT_UTF8, "email");
}

static void email_is_checked_loosely(void **state)
{
	(void)state;
	const char *good[] = {"a@b.vn", "nguyen.van.a+tin@bao-tang.dienbien.gov.vn",
			      " a@b.vn ", "ngườidùng@ví-dụ.vn"};
	const char *bad[] = {"a", "a@b", "@b.vn", "a@.vn", "a@b.", "a b@c.vn", "a@b..vn",
			     "a@@b.vn", "<a@b.vn>", "a@b.vn\r\nBcc: x@y.vn", "a;b@c.vn"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		expect("A", good[i], "x", 0, NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect("A", bad[i], "x", COMMENT_EMAIL_INVALID, "email");
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
	expect("A", email, "x", 0, NULL);
	snprintf(email, sizeof email, "%s@%sb.vn", local, domain);
	assert_int_equal(strlen(email), 255);
	expect_limit("A", email, "x", COMMENT_EMAIL_LONG, "email", 254, 255);
	free(local);
	free(domain);
}

static void body_length_in_characters(void **state)
{
	(void)state;
	/* "ễ" is one character and three bytes: the limit counts characters. */
	char *body = repeat("ễ", 4000);
	expect("A", "", body, 0, NULL);
	free(body);
	body = repeat("ễ", 4001);
	expect_limit("A", "", body, COMMENT_BODY_LONG, "body", 4000, 4001);
	free(body);
	body = repeat("Điện Biên Phủ ", 1000); /* 14000 characters, trailing space trimmed */
	expect_limit("A", "", body, COMMENT_BODY_LONG, "body", 4000, 13999);
	free(body);
	/* CR LF is one character, as the browser's maxlength counted it. */
	char *lines = repeat("ab\r\n", 1000); /* 3000 characters after trim (last CR LF goes) */
	char *more = malloc(strlen(lines) + 2000);
	snprintf(more, strlen(lines) + 2000, "x%s%s", lines, "y");
	/* x + 1000 * (a b newline) + y = 1 + 3000 + 1 = 3002 */
	expect("A", "", more, 0, NULL);
	free(lines);
	free(more);
	lines = repeat("\r\n", 3999);
	more = malloc(strlen(lines) + 8);
	snprintf(more, strlen(lines) + 8, "a%sb", lines);  /* 4001 characters */
	expect_limit("A", "", more, COMMENT_BODY_LONG, "body", 4000, 4001);
	free(lines);
	free(more);
}

static void name_length_in_characters(void **state)
{
	(void)state;
	char *name = repeat("Ư", 100);
	expect(name, "", "x", 0, NULL);
	free(name);
	name = repeat("Ư", 101);
	expect_limit(name, "", "x", COMMENT_NAME_LONG, "name", 100, 101);
	free(name);
}

static void links(void **state)
{
	(void)state;
	expect("A", "", "Xem https://www.dienbien.gov.vn và http://a.vn", 0, NULL);
	expect_limit("A", "", "Xem https://a.vn, http://b.vn và www.c.vn", COMMENT_BODY_LINKS,
		     "body", 2, 3);
	expect_limit("A", "", "HTTPS://A.VN HTTP://B.VN WWW.C.VN", COMMENT_BODY_LINKS, "body", 2,
		     3);
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
	assert_int_equal(comment_add(testdb(), &in, now, &id, NULL), 0);
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
	model_problem why;
	comment_input in = {art, "A", "", "", V1};
	assert_int_equal(comment_add(db, &in, now, &id, &why), 2);
	assert_int_equal(why.code, COMMENT_BODY_MISSING);
	assert_string_equal(why.field, "body");
	assert_int_equal(id, 0);
	in.body = "ok";
	in.article_id = draft;
	assert_int_equal(comment_add(db, &in, now, &id, &why), 1);
	in.article_id = later;
	assert_int_equal(comment_add(db, &in, now, &id, &why), 1);
	in.article_id = 99999;
	assert_int_equal(comment_add(db, &in, now, &id, &why), 1);
	in.article_id = art;
	in.visitor = "1.2.3.4"; /* an address is never stored */
	assert_int_equal(comment_add(db, &in, now, &id, &why), -1);
	in.visitor = NULL;
	assert_int_equal(comment_add(db, &in, now, &id, &why), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM comments"), 1);
	/* Exactly 4000 Vietnamese characters are stored whole. */
	char *body = repeat("ữ", 4000);
	in.body = body;
	assert_int_equal(comment_add(db, &in, now, &id, &why), 0);
	assert_int_equal(testdb_int("SELECT max(length(body)) FROM comments"), 4000);
	free(body);
}

/* The reader's submission: text first (a refusal keeps the CAPTCHA), then
 * the CAPTCHA, consumed whatever the answer, then the comment, all or none. */
static void add_answered(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t now = (int64_t)time(NULL);
	int64_t art = published(now);
	char cid[CAPTCHA_ID_LEN + 1];
	int64_t id = 5;
	model_problem why;
	assert_int_equal(captcha_create(db, art, "K3M9PX", now, 600, cid), 0);

	comment_input in = {art, "", "", "Nội dung", V1};
	assert_int_equal(comment_add_answered(db, &in, cid, "K3M9PX", now, &id, &why), 2);
	assert_int_equal(why.code, COMMENT_NAME_MISSING);
	assert_string_equal(why.field, "name");
	assert_int_equal(id, 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 1);

	in.name = "A";
	assert_int_equal(comment_add_answered(db, &in, cid, "SAI000", now, &id, &why), 2);
	assert_int_equal(why.code, COMMENT_CAPTCHA_WRONG);
	assert_string_equal(why.field, "captcha");
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM comments"), 0);
	/* Spent: the right answer no longer passes. */
	assert_int_equal(comment_add_answered(db, &in, cid, "K3M9PX", now, &id, &why), 2);
	assert_int_equal(why.code, COMMENT_CAPTCHA_WRONG);

	/* An article that is not public keeps the CAPTCHA and stores nothing. */
	int64_t draft = testdb_article(testdb_category("tin-hoat-dong"), "Nháp", "", 0, now - 10);
	assert_int_equal(captcha_create(db, 0, "ABCD23", now, 600, cid), 0);
	in.article_id = draft;
	assert_int_equal(comment_add_answered(db, &in, cid, "ABCD23", now, &id, &why), 1);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 1);

	/* A CAPTCHA made without an article passes on this one. */
	in.article_id = art;
	assert_int_equal(comment_add_answered(db, &in, cid, "ABCD23", now, &id, &why), 0);
	assert_true(id > 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 0);
	assert_int_equal(testdb_int("SELECT count(*) FROM comments WHERE status = 0"), 1);
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
		widgets_case(add_moderate_and_list),
		widgets_case(add_refuses),
		widgets_case(add_answered),
		widgets_case(flood_control),
	};
	return cmocka_run_group_tests_name("comment", tests, NULL, NULL);
}
