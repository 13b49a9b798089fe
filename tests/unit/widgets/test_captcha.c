/*
 * test_captcha.c - single use, expiry, article binding, case folding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/captcha.h"
#include "widgets_test.h"

#define NOW 1700000000

static void make(int64_t article, const char *code, int64_t now, char id[CAPTCHA_ID_LEN + 1])
{
	assert_int_equal(captcha_create(testdb(), article, code, now, 0, id), 0);
	assert_int_equal(strlen(id), CAPTCHA_ID_LEN);
	assert_int_equal(strspn(id, "0123456789abcdef"), CAPTCHA_ID_LEN);
}

static void right_answer_once(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	make(7, "K3M9PX", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "K3M9PX", NOW + 5), 0);
	/* Used: the same right answer fails the second time. */
	assert_int_equal(captcha_check(db, id, 7, "K3M9PX", NOW + 6), 1);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 0);
}

static void any_attempt_consumes(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	make(7, "ABCD23", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "ABCD24", NOW), 1);
	assert_int_equal(captcha_check(db, id, 7, "ABCD23", NOW), 1);
	make(7, "ABCD23", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, NULL, NOW), 1);
	assert_int_equal(captcha_check(db, id, 7, "ABCD23", NOW), 1);
	make(7, "ABCD23", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "", NOW), 1);
	assert_int_equal(captcha_check(db, id, 7, "ABCD23", NOW), 1);
}

static void case_and_spaces(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	make(7, "HXQ7RT", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "  hxq7rt ", NOW), 0);
	make(7, "hxq7rt", NOW, id); /* stored upper-cased */
	assert_int_equal(captcha_check(db, id, 7, "HXQ7RT", NOW), 0);
	make(7, "HXQ7RT", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "HXQ7R", NOW), 1);
	make(7, "HXQ7RT", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "HXQ7RTT", NOW), 1);
	make(7, "HXQ7RT", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "HX Q7RT", NOW), 1);
	make(7, "HXQ7RT", NOW, id);
	char longer[200];
	memset(longer, 'H', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(captcha_check(db, id, 7, longer, NOW), 1);
}

static void expiry(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	make(7, "EXP123", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "EXP123", NOW + CAPTCHA_TTL - 1), 0);
	make(7, "EXP123", NOW, id);
	assert_int_equal(captcha_check(db, id, 7, "EXP123", NOW + CAPTCHA_TTL), 1);
	assert_int_equal(captcha_create(db, 7, "EXP123", NOW, 30, id), 0);
	assert_int_equal(captcha_check(db, id, 7, "EXP123", NOW + 31), 1);
}

static void foreign_article(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	make(7, "FOR123", NOW, id);
	assert_int_equal(captcha_check(db, id, 8, "FOR123", NOW), 1);
	/* ... and that attempt used it up for its own article as well. */
	assert_int_equal(captcha_check(db, id, 7, "FOR123", NOW), 1);
}

static void unknown_and_malformed_ids(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	make(7, "MAL123", NOW, id);
	assert_int_equal(captcha_check(db, "00000000000000000000000000000000", 7, "MAL123", NOW), 1);
	assert_int_equal(captcha_check(db, NULL, 7, "MAL123", NOW), 1);
	assert_int_equal(captcha_check(db, "' OR 1=1 --", 7, "MAL123", NOW), 1);
	char upper[CAPTCHA_ID_LEN + 1];
	for (size_t i = 0; i <= CAPTCHA_ID_LEN; i++)
		upper[i] = (char)(id[i] >= 'a' && id[i] <= 'f' ? id[i] - 32 : id[i]);
	assert_int_equal(captcha_check(db, upper, 7, "MAL123", NOW), 1);
	/* None of those touched the real one. */
	assert_int_equal(captcha_check(db, id, 7, "MAL123", NOW), 0);
}

static void ids_are_random(void **state)
{
	(void)state;
	char a[CAPTCHA_ID_LEN + 1], b[CAPTCHA_ID_LEN + 1];
	make(7, "RND234", NOW, a);
	make(7, "RND234", NOW, b);
	assert_string_not_equal(a, b);
}

static void bad_codes_refused(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1] = "x";
	assert_int_equal(captcha_create(db, 7, "ABC", NOW, 0, id), -1);
	assert_string_equal(id, "");
	assert_int_equal(captcha_create(db, 7, "ABCDEFGHJ", NOW, 0, id), -1);
	assert_int_equal(captcha_create(db, 7, "AB-CD", NOW, 0, id), -1);
	assert_int_equal(captcha_create(db, 7, NULL, NOW, 0, id), -1);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 0);
}

static void expired_rows_are_purged(void **state)
{
	(void)state;
	db_t *db = testdb();
	char id[CAPTCHA_ID_LEN + 1];
	for (int i = 0; i < 5; i++)
		make(7, "OLD234", NOW, id);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 5);
	make(7, "NEW234", NOW + CAPTCHA_TTL + 1, id);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 1);
	int purged = -1;
	assert_int_equal(captcha_purge(db, NOW + 10 * CAPTCHA_TTL, &purged), 0);
	assert_int_equal(purged, 1);
}

#define ADDRESS "n00112233445566778899aabbccddeeff"

static void issue_checks_article_and_address(void **state)
{
	(void)state;
	db_t *db = testdb();
	int64_t now = time(NULL);
	int64_t cat = testdb_category("tin-hoat-dong");
	int64_t pub = testdb_article(cat, "Bài đã đăng", "Nội dung.", 2, now - 60);
	int64_t draft = testdb_article(cat, "Bản nháp", "Nội dung.", 0, now - 60);
	char id[CAPTCHA_ID_LEN + 1];
	/* No row for an article that is not there or not public. */
	assert_int_equal(captcha_issue(db, 987654, ADDRESS, "ABCDEF", now, 0, id), CAPTCHA_NO_ARTICLE);
	assert_int_equal(captcha_issue(db, draft, ADDRESS, "ABCDEF", now, 0, id), CAPTCHA_NO_ARTICLE);
	assert_string_equal(id, "");
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), 0);
	/* One address holds at most CAPTCHA_PER_ADDRESS codes (0 = any article). */
	for (int i = 0; i < CAPTCHA_PER_ADDRESS; i++)
		assert_int_equal(captcha_issue(db, i % 2 ? pub : 0, ADDRESS, "ABCDEF", now, 0, id),
				 CAPTCHA_OK);
	assert_int_equal(captcha_issue(db, pub, ADDRESS, "ABCDEF", now, 0, id), CAPTCHA_TOO_MANY);
	assert_int_equal(testdb_int("SELECT count(*) FROM captchas"), CAPTCHA_PER_ADDRESS);
	int64_t held = 0;
	assert_int_equal(captcha_outstanding(db, ADDRESS, now, &held), 0);
	assert_int_equal(held, CAPTCHA_PER_ADDRESS);
	/* Expired codes no longer count. */
	assert_int_equal(captcha_issue(db, pub, ADDRESS, "ABCDEF", now + CAPTCHA_TTL, 0, id),
			 CAPTCHA_OK);
	assert_int_equal(captcha_issue(db, pub, NULL, "ABCDEF", now, 0, id), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		widgets_case(right_answer_once),
		widgets_case(any_attempt_consumes),
		widgets_case(case_and_spaces),
		widgets_case(expiry),
		widgets_case(foreign_article),
		widgets_case(unknown_and_malformed_ids),
		widgets_case(ids_are_random),
		widgets_case(bad_codes_refused),
		widgets_case(expired_rows_are_purged),
		widgets_case(issue_checks_article_and_address),
	};
	return cmocka_run_group_tests_name("captcha", tests, NULL, NULL);
}
