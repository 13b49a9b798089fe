/*
 * test_http_parse.c - percent-decoding, urlencoded fields, cookies, dates
 * and response helpers, without a server (the router: test_http_router.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../support/arena_case.h"
#include "http/http.h"
#include "http/http_private.h"

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

static void test_decode(void **state)
{
	arena_t *a = *state;
	size_t n;
	char *s = http_decode(a, "a%20b+c", 7, false, &n);
	assert_string_equal(s, "a b+c");
	assert_int_equal(n, 5);
	s = http_decode(a, "a%20b+c", 7, true, &n);
	assert_string_equal(s, "a b c");
	s = http_decode(a, "%C3%A9%c3%a9", 12, false, &n);
	assert_string_equal(s, "\xc3\xa9\xc3\xa9");
	/* Malformed escapes. */
	assert_null(http_decode(a, "%", 1, false, &n));
	assert_null(http_decode(a, "%4", 2, false, &n));
	assert_null(http_decode(a, "ab%4", 4, false, &n));
	assert_null(http_decode(a, "%zz", 3, false, &n));
	assert_null(http_decode(a, "%4g", 3, false, &n));
	assert_null(http_decode(a, "% 41", 4, false, &n));
	/* Only len bytes are read: the "%" after them does not count. */
	s = http_decode(a, "ab%", 2, false, &n);
	assert_string_equal(s, "ab");
	/* %00 decodes to a NUL byte that outlen reveals. */
	s = http_decode(a, "a%00b", 5, false, &n);
	assert_non_null(s);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "a\0b", 3);
	s = http_decode(a, NULL, 0, false, &n);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
}

static void test_path_decode(void **state)
{
	arena_t *a = *state;
	assert_string_equal(http_path_decode(a, "/a%20b", 6), "/a b");
	assert_string_equal(http_path_decode(a, "/caf%C3%A9", 10), "/caf\xc3\xa9");
	assert_null(http_path_decode(a, "/a%00b", 6));       /* NUL */
	assert_null(http_path_decode(a, "/%C3%28", 7));      /* bad UTF-8 */
	assert_null(http_path_decode(a, "/%C0%AF", 7));      /* overlong '/' */
	assert_null(http_path_decode(a, "/%ED%A0%80", 10));  /* surrogate */
	assert_null(http_path_decode(a, "/%FF", 4));
	assert_null(http_path_decode(a, "/%zz", 4));
	assert_null(http_path_decode(a, "a", 1));            /* not absolute */
	assert_null(http_path_decode(a, "", 0));
	/* '+' is literal in a path. */
	assert_string_equal(http_path_decode(a, "/a+b", 4), "/a+b");
}

/* ------------------------------------------------------------------ */
/* urlencoded                                                          */
/* ------------------------------------------------------------------ */

static void test_urlencoded_basic(void **state)
{
	arena_t *a = *state;
	http_kv f[8];
	const char *s = "a=1&b=hello+world&c=%C4%90i%E1%BB%87n";
	int n = http_parse_urlencoded(a, s, strlen(s), f, 8);
	assert_int_equal(n, 3);
	assert_string_equal(f[0].name, "a");
	assert_string_equal(f[0].value, "1");
	assert_string_equal(f[1].value, "hello world");
	assert_int_equal(f[1].value_len, 11);
	assert_string_equal(f[2].name, "c");
	assert_string_equal(f[2].value, "\xc4\x90i\xe1\xbb\x87n");
}

/* Whatever form the keyboard sent, handlers see NFC (core/text.h). */
static void test_urlencoded_nfc(void **state)
{
	arena_t *a = *state;
	http_kv f[8];
	/* "Điện Biên" with the marks sent apart (NFD), in a name and a value;
	 * an unchanged ASCII field beside them. */
	const char *s = "ti%CC%82u+%C4%91e%CC%82%CC%80=%C4%90ie%CC%82%CC%A3n+Bie%CC%82n&k=v";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), 2);
	assert_string_equal(f[0].name, "tîu \xC4\x91\xE1\xBB\x81");
	assert_string_equal(f[0].value, "\xC4\x90i\xE1\xBB\x87n Bi\xC3\xAAn");
	assert_int_equal(f[0].value_len, strlen("\xC4\x90i\xE1\xBB\x87n Bi\xC3\xAAn"));
	assert_string_equal(f[1].name, "k");
	assert_string_equal(f[1].value, "v");
	assert_int_equal(f[1].value_len, 1);
}

static void test_urlencoded_edges(void **state)
{
	arena_t *a = *state;
	http_kv f[8];
	assert_int_equal(http_parse_urlencoded(a, "", 0, f, 8), 0);
	assert_int_equal(http_parse_urlencoded(a, NULL, 0, f, 8), 0);
	assert_int_equal(http_parse_urlencoded(a, "&&&", 3, f, 8), 0);
	/* Duplicates are kept in order. */
	const char *s = "x=1&x=2";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), 2);
	assert_string_equal(f[0].value, "1");
	assert_string_equal(f[1].value, "2");
	/* Missing '=': empty value. Empty name: skipped. */
	s = "flag&=v&k=&m";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), 3);
	assert_string_equal(f[0].name, "flag");
	assert_string_equal(f[0].value, "");
	assert_int_equal(f[0].value_len, 0);
	assert_string_equal(f[1].name, "k");
	assert_string_equal(f[1].value, "");
	assert_string_equal(f[2].name, "m");
	/* '=' inside the value stays. */
	s = "a=b=c";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), 1);
	assert_string_equal(f[0].value, "b=c");
	/* Bad input. */
	s = "a=%zz";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), -1);
	s = "a=%00";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), -1);
	s = "a%00=1";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), -1);
	s = "a=%FF";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 8), -1);
}

static void test_urlencoded_too_many(void **state)
{
	arena_t *a = *state;
	http_kv f[3];
	/* The fourth field is dropped unread, malformed or not. */
	const char *s = "a=1&b=2&c=3&d=%zz&e=5";
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), f, 3), 3);
	assert_string_equal(f[2].name, "c");
	assert_int_equal(http_parse_urlencoded(a, s, strlen(s), NULL, 0), 0);

	/* Many fields, bounded by max. */
	char big[4 * 1000 + 1];
	size_t o = 0;
	for (int i = 0; i < 1000; i++) {
		memcpy(big + o, "x=1&", 4);
		o += 4;
	}
	big[o] = '\0';
	http_kv many[HTTP_MAX_FIELDS];
	assert_int_equal(http_parse_urlencoded(a, big, o, many, HTTP_MAX_FIELDS), HTTP_MAX_FIELDS);
}

/* ------------------------------------------------------------------ */
/* Cookies                                                             */
/* ------------------------------------------------------------------ */

static void test_cookies(void **state)
{
	arena_t *a = *state;
	const char *h = "sid=abc123; theme=dark;lang=vi";
	assert_string_equal(http_cookie_parse(a, h, "sid"), "abc123");
	assert_string_equal(http_cookie_parse(a, h, "theme"), "dark");
	assert_string_equal(http_cookie_parse(a, h, "lang"), "vi");
	assert_null(http_cookie_parse(a, h, "the"));
	assert_null(http_cookie_parse(a, h, "missing"));
	assert_null(http_cookie_parse(a, h, ""));
	assert_null(http_cookie_parse(a, NULL, "sid"));
	assert_null(http_cookie_parse(a, h, NULL));
	/* Quotes and spaces. */
	h = "  a = \"quoted value\" ;b=\"\"; c= x ";
	assert_string_equal(http_cookie_parse(a, h, "a"), "quoted value");
	assert_string_equal(http_cookie_parse(a, h, "b"), "");
	assert_string_equal(http_cookie_parse(a, h, "c"), "x");
	/* A lone quote is kept as it is. */
	assert_string_equal(http_cookie_parse(a, "q=\"", "q"), "\"");
	/* First one wins; names are case-sensitive; a bare word is no cookie. */
	h = "x=1; X=2; x=3; novalue; y";
	assert_string_equal(http_cookie_parse(a, h, "x"), "1");
	assert_string_equal(http_cookie_parse(a, h, "X"), "2");
	assert_null(http_cookie_parse(a, h, "novalue"));
	assert_null(http_cookie_parse(a, h, "y"));
	assert_string_equal(http_cookie_parse(a, "e=", "e"), "");
	assert_null(http_cookie_parse(a, "", "e"));
	assert_null(http_cookie_parse(a, ";;;", "e"));
}

/* ------------------------------------------------------------------ */
/* Dates and response helpers                                          */
/* ------------------------------------------------------------------ */

static void test_dates(void **state)
{
	(void)state;
	char out[32];
	http_date_format(out, 784111777);
	assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
	int64_t t = 0;
	assert_true(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t));
	assert_int_equal(t, 784111777);
	assert_false(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	assert_false(http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", &t));
	assert_false(http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT", &t));
	assert_false(http_date_parse("Sun, 36 Nov 1994 08:49:37 GMT", &t));
	assert_false(http_date_parse("Sun, 06 Nov 1994 25:49:37 GMT", &t));
	assert_false(http_date_parse("", &t));
	assert_false(http_date_parse(NULL, &t));
}

static void test_res_helpers(void **state)
{
	arena_t *a = *state;
	http_res res;
	http_res_init(&res, a);
	assert_int_equal(http_res_header(&res, "X-Test", "ok"), 0);
	assert_int_equal(http_res_header(&res, "X-Bad", "a\r\nSet-Cookie: x=1"), -1);
	assert_int_equal(http_res_header(&res, "X-Bad\n", "a"), -1);
	assert_int_equal(http_res_header(&res, "X Bad", "a"), -1);
	assert_int_equal(http_res_header(&res, "X:Bad", "a"), -1);
	assert_int_equal(http_res_header(&res, "", "a"), -1);
	assert_int_equal(http_res_header(&res, "Content-Length", "5"), -1);
	assert_int_equal(http_res_header(&res, "X-Tab", "a\tb"), 0);
	assert_int_equal(res.nheaders, 2);
	assert_string_equal(res.headers[0].name, "X-Test");
	assert_string_equal(res.headers[0].value, "ok");
	for (int i = 0; i < HTTP_MAX_HEADERS; i++)
		http_res_header(&res, "X-Many", "1");
	assert_int_equal(res.nheaders, HTTP_MAX_HEADERS);

	http_res_init(&res, a);
	assert_int_equal(http_redirect(&res, 303, "/xem"), 303);
	assert_int_equal(res.status, 303);
	assert_string_equal(res.headers[0].name, "Location");
	assert_string_equal(res.headers[0].value, "/xem");
	http_res_init(&res, a);
	assert_int_equal(http_redirect(&res, 200, "/xem"), 500);
	assert_int_equal(http_redirect(&res, 302, "/a\r\nb"), 500);

	http_res_init(&res, a);
	assert_int_equal(http_json(&res, 201, "{\"a\":1}", 7), 201);
	assert_string_equal(res.content_type, "application/json; charset=utf-8");
	assert_int_equal(res.body.len, 7);
	assert_string_equal(res.body.data, "{\"a\":1}");
	http_res_release(&res);

	assert_int_equal(http_method_parse("GET"), HTTP_GET);
	assert_int_equal(http_method_parse("HEAD"), HTTP_HEAD);
	assert_int_equal(http_method_parse("get"), HTTP_OTHER);
	assert_int_equal(http_method_parse("BREW"), HTTP_OTHER);
}

static void test_lookups_without_connection(void **state)
{
	http_req req;
	memset(&req, 0, sizeof req);
	req.arena = *state;
	http_kv q[2] = {{"a", "1", 1}, {"b", "2", 1}};
	req.query = q;
	req.nquery = 2;
	assert_string_equal(http_query(&req, "b"), "2");
	assert_null(http_query(&req, "c"));
	assert_null(http_form(&req, "a"));
	assert_null(http_header(&req, "Host"));
	assert_null(http_cookie(&req, "sid"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		arena_case(test_decode),
		arena_case(test_path_decode),
		arena_case(test_urlencoded_basic),
		arena_case(test_urlencoded_edges),
		arena_case(test_urlencoded_nfc),
		arena_case(test_urlencoded_too_many),
		arena_case(test_cookies),
		cmocka_unit_test(test_dates),
		arena_case(test_res_helpers),
		arena_case(test_lookups_without_connection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
