/*
 * test_visitor.c - the site secret, keyed visitor ids, crawler detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "model/visitor.h"
#include "widgets_test.h"

static void secret_is_made_once(void **state)
{
	(void)state;
	db_t *db = testdb();
	unsigned char k1[VISITOR_KEY_BYTES], k2[VISITOR_KEY_BYTES], zero[VISITOR_KEY_BYTES] = {0};
	assert_int_equal(testdb_int("SELECT count(*) FROM settings WHERE key = 'visitor_secret'"), 0);
	assert_int_equal(visitor_secret_load(db, k1), 0);
	assert_memory_not_equal(k1, zero, sizeof k1);
	assert_int_equal(testdb_int("SELECT length(value) FROM settings WHERE key = 'visitor_secret'"),
			 64);
	assert_int_equal(visitor_secret_load(db, k2), 0);
	assert_memory_equal(k1, k2, sizeof k1);
}

static void malformed_secret_is_an_error(void **state)
{
	(void)state;
	db_t *db = testdb();
	unsigned char key[VISITOR_KEY_BYTES];
	assert_int_equal(db_exec(db, "INSERT INTO settings VALUES ('visitor_secret', 'abc')"), 0);
	memset(key, 1, sizeof key);
	assert_int_equal(visitor_secret_load(db, key), -1);
	unsigned char zero[VISITOR_KEY_BYTES] = {0};
	assert_memory_equal(key, zero, sizeof key);
	/* It was not silently replaced. */
	assert_int_equal(testdb_int("SELECT length(value) FROM settings WHERE key = 'visitor_secret'"), 3);
}

static void ids(void **state)
{
	(void)state;
	unsigned char key[VISITOR_KEY_BYTES], other[VISITOR_KEY_BYTES];
	char a[33], b[33], c[33];
	for (int i = 0; i < VISITOR_KEY_BYTES; i++) {
		key[i] = (unsigned char)i;
		other[i] = (unsigned char)(i + 1);
	}
	const char *ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0";
	visitor_id(key, "203.0.113.7", ua, a);
	assert_int_equal(strlen(a), 32);
	assert_true(visitor_id_valid(a));
	visitor_id(key, "203.0.113.7", ua, b);
	assert_string_equal(a, b);
	visitor_id(key, "203.0.113.8", ua, b);
	assert_string_not_equal(a, b);
	visitor_id(key, "203.0.113.7", "curl/8.0", b);
	assert_string_not_equal(a, b);
	visitor_id(other, "203.0.113.7", ua, b);
	assert_string_not_equal(a, b);

	/* The value is BLAKE2b-128 keyed, of address NUL agent. */
	unsigned char msg[128], hash[16];
	size_t alen = strlen("203.0.113.7"), ulen = strlen(ua);
	memcpy(msg, "203.0.113.7", alen);
	msg[alen] = '\0';
	memcpy(msg + alen + 1, ua, ulen);
	crypto_generichash(hash, sizeof hash, msg, alen + 1 + ulen, key, sizeof key);
	sodium_bin2hex(c, sizeof c, hash, sizeof hash);
	assert_string_equal(a, c);

	/* The separator keeps the two parts apart. */
	visitor_id(key, "1.2.3.45", "x", a);
	visitor_id(key, "1.2.3.4", "5x", b);
	assert_string_not_equal(a, b);
	/* NULL parts are empty strings. */
	visitor_id(key, NULL, NULL, a);
	visitor_id(key, "", "", b);
	assert_string_equal(a, b);
	/* The address never shows through. */
	visitor_id(key, "203.0.113.7", ua, a);
	assert_null(strstr(a, "203"));
}

static void id_format(void **state)
{
	(void)state;
	assert_true(visitor_id_valid("00112233445566778899aabbccddeeff"));
	assert_false(visitor_id_valid("00112233445566778899aabbccddeefF"));
	assert_false(visitor_id_valid("00112233445566778899aabbccddeef"));
	assert_false(visitor_id_valid("00112233445566778899aabbccddeeff0"));
	assert_false(visitor_id_valid("0011223344556677889-aabbccddeeff"));
	assert_false(visitor_id_valid(""));
	assert_false(visitor_id_valid(NULL));
}

static void bots(void **state)
{
	(void)state;
	const char *bot[] = {
	    "",
	    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
	    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
	    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
	    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
	    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
	    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
	    "Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)",
	    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
	    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
	    "SomeCrawler/1.0",
	    "Mozilla/5.0 (Linux; Android 9; CUBOT X19) Googlebot/2.1",
	};
	const char *human[] = {
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	    "Chrome/120.0.0.0 Safari/537.36",
	    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
	    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
	    "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 Chrome/99 Mobile",
	    "Python-urllib/3.11",
	    "curl/8.5.0",
	    "Wget/1.21",
	    "python-requests/2.31",
	};
	assert_true(visitor_is_bot(NULL));
	for (size_t i = 0; i < sizeof bot / sizeof bot[0]; i++)
		if (!visitor_is_bot(bot[i]))
			fail_msg("not seen as a bot: %s", bot[i]);
	for (size_t i = 0; i < sizeof human / sizeof human[0]; i++)
		if (visitor_is_bot(human[i]))
			fail_msg("seen as a bot: %s", human[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		widgets_case(secret_is_made_once),
		widgets_case(malformed_secret_is_an_error),
		cmocka_unit_test(ids),
		cmocka_unit_test(id_format),
		cmocka_unit_test(bots),
	};
	return cmocka_run_group_tests_name("visitor", tests, NULL, NULL);
}
