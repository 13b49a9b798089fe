/*
 * test_http_parse.c - router, percent-decoding, urlencoded fields, cookies,
 * dates and response helpers, without a server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"
#include "http/http_private.h"

static int h_dummy(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 200;
}

static int setup_arena(void **state)
{
	*state = arena_new(4096);
	return *state == NULL ? -1 : 0;
}

static int teardown_arena(void **state)
{
	arena_free(*state);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Router                                                              */
/* ------------------------------------------------------------------ */

static const http_route routes[] = {
	{HTTP_GET, "/static/*", h_dummy, 0},               /* 0 */
	{HTTP_GET, "/api/v1/articles", h_dummy, 0},        /* 1 */
	{HTTP_POST, "/api/v1/articles", h_dummy, 0},       /* 2 */
	{HTTP_GET | HTTP_PUT, "/api/v1/articles/:id", h_dummy, 0}, /* 3 */
	{HTTP_DELETE, "/api/v1/articles/:id", h_dummy, 0}, /* 4 */
	{HTTP_GET, "/", h_dummy, 0},                       /* 5 */
	{HTTP_GET, "/:category", h_dummy, 0},              /* 6 */
	{HTTP_GET, "/:category/:slug", h_dummy, 0},        /* 7 */
	{HTTP_POST, "/admin/login", h_dummy, 0},           /* 8 */
};
#define NROUTES (sizeof routes / sizeof routes[0])

static const http_route *match(arena_t *a, enum http_method m, const char *target,
			       http_req *req, unsigned *allowed)
{
	memset(req, 0, sizeof *req);
	req->arena = a;
	req->method = m;
	req->raw_target = target;
	return http_route_match(routes, NROUTES, req, allowed);
}

static void test_router_literals(void **state)
{
	http_req req;
	unsigned allowed;
	const http_route *r = match(*state, HTTP_GET, "/", &req, &allowed);
	assert_ptr_equal(r, &routes[5]);
	assert_int_equal(req.nparams, 0);
	r = match(*state, HTTP_GET, "/api/v1/articles", &req, &allowed);
	assert_ptr_equal(r, &routes[1]);
	r = match(*state, HTTP_POST, "/api/v1/articles?x=1", &req, &allowed);
	assert_ptr_equal(r, &routes[2]);
	/* A literal segment matches its percent-encoded spelling. */
	r = match(*state, HTTP_GET, "/api/v1/%61rticles", &req, &allowed);
	assert_ptr_equal(r, &routes[1]);
	/* A trailing slash is another path. */
	r = match(*state, HTTP_GET, "/api/v1/articles/", &req, &allowed);
	assert_null(r);
	assert_int_equal(allowed, 0);
}

static void test_router_captures(void **state)
{
	http_req req;
	unsigned allowed;
	const http_route *r = match(*state, HTTP_GET, "/api/v1/articles/42", &req, &allowed);
	assert_ptr_equal(r, &routes[3]);
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0], "42");
	r = match(*state, HTTP_GET, "/tin-tuc/hoi-nghi-2021-1", &req, &allowed);
	assert_ptr_equal(r, &routes[7]);
	assert_int_equal(req.nparams, 2);
	assert_string_equal(req.params[0], "tin-tuc");
	assert_string_equal(req.params[1], "hoi-nghi-2021-1");
	/* Captures are decoded segments: %2F stays inside its segment. */
	r = match(*state, HTTP_GET, "/caf%C3%A9/a%2Fb", &req, &allowed);
	assert_ptr_equal(r, &routes[7]);
	assert_string_equal(req.params[0], "caf\xc3\xa9");
	assert_string_equal(req.params[1], "a/b");
	/* A capture needs a non-empty segment. */
	r = match(*state, HTTP_GET, "/tin-tuc/", &req, &allowed);
	assert_null(r);
	r = match(*state, HTTP_GET, "/a/b/c", &req, &allowed);
	assert_null(r);
	assert_int_equal(req.nparams, 0);
}

static void test_router_star(void **state)
{
	http_req req;
	unsigned allowed;
	const http_route *r = match(*state, HTTP_GET, "/static/css/site.css", &req, &allowed);
	assert_ptr_equal(r, &routes[0]);
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0], "css/site.css");
	r = match(*state, HTTP_GET, "/static/", &req, &allowed);
	assert_ptr_equal(r, &routes[0]);
	assert_string_equal(req.params[0], "");
	r = match(*state, HTTP_GET, "/static", &req, &allowed);
	assert_ptr_equal(r, &routes[0]);
	assert_string_equal(req.params[0], "");
	r = match(*state, HTTP_GET, "/static/%2e%2e/x", &req, &allowed);
	assert_ptr_equal(r, &routes[0]);
	assert_string_equal(req.params[0], "../x");
}

static void test_router_order_and_head(void **state)
{
	http_req req;
	unsigned allowed;
	/* "/static/x" would also fit "/:category/:slug"; the table order wins. */
	const http_route *r = match(*state, HTTP_GET, "/static/x", &req, &allowed);
	assert_ptr_equal(r, &routes[0]);
	/* GET routes answer HEAD. */
	r = match(*state, HTTP_HEAD, "/tin-tuc", &req, &allowed);
	assert_ptr_equal(r, &routes[6]);
	assert_string_equal(req.params[0], "tin-tuc");
}

static void test_router_405(void **state)
{
	http_req req;
	unsigned allowed = 0;
	const http_route *r = match(*state, HTTP_PATCH, "/api/v1/articles/7", &req, &allowed);
	assert_null(r);
	assert_int_equal(allowed, HTTP_GET | HTTP_HEAD | HTTP_PUT | HTTP_DELETE);
	assert_int_equal(req.nparams, 0);
	r = match(*state, HTTP_DELETE, "/api/v1/articles/7", &req, &allowed);
	assert_ptr_equal(r, &routes[4]);
	r = match(*state, HTTP_GET, "/admin/login", &req, &allowed);
	/* "/:category/:slug" matches too, so GET is served by it. */
	assert_ptr_equal(r, &routes[7]);
	r = match(*state, HTTP_DELETE, "/admin/login", &req, &allowed);
	assert_null(r);
	assert_int_equal(allowed, HTTP_GET | HTTP_HEAD | HTTP_POST);
	assert_string_equal(http_allow_header(*state, allowed), "GET, HEAD, POST");
	r = match(*state, HTTP_GET, "/nothing/here/at/all", &req, &allowed);
	assert_null(r);
	assert_int_equal(allowed, 0);
}

static void test_router_decoded_path(void **state)
{
	/* Without a raw target the (already decoded) path is split as is. */
	http_req req;
	unsigned allowed;
	memset(&req, 0, sizeof req);
	req.arena = *state;
	req.method = HTTP_GET;
	req.path = "/api/v1/articles/9";
	assert_ptr_equal(http_route_match(routes, NROUTES, &req, &allowed), &routes[3]);
	assert_string_equal(req.params[0], "9");
	req.path = "relative";
	assert_null(http_route_match(routes, NROUTES, &req, &allowed));
	req.path = NULL;
	assert_null(http_route_match(routes, NROUTES, &req, &allowed));
}

static void test_route_valid(void **state)
{
	(void)state;
	http_route ok = {HTTP_GET, "/a/:b/*", h_dummy, 0};
	assert_true(http_route_valid(&ok));
	http_route star_middle = {HTTP_GET, "/a/*/b", h_dummy, 0};
	assert_false(http_route_valid(&star_middle));
	http_route star_part = {HTTP_GET, "/a/x*", h_dummy, 0};
	assert_false(http_route_valid(&star_part));
	http_route no_slash = {HTTP_GET, "a", h_dummy, 0};
	assert_false(http_route_valid(&no_slash));
	http_route unnamed = {HTTP_GET, "/:", h_dummy, 0};
	assert_false(http_route_valid(&unnamed));
	http_route many = {HTTP_GET, "/:a/:b/:c/:d/:e/:f/:g/:h/:i", h_dummy, 0};
	assert_false(http_route_valid(&many));
	http_route no_handler = {HTTP_GET, "/", NULL, 0};
	assert_false(http_route_valid(&no_handler));
}

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
		cmocka_unit_test_setup_teardown(test_router_literals, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_router_captures, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_router_star, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_router_order_and_head, setup_arena,
						teardown_arena),
		cmocka_unit_test_setup_teardown(test_router_405, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_router_decoded_path, setup_arena,
						teardown_arena),
		cmocka_unit_test(test_route_valid),
		cmocka_unit_test_setup_teardown(test_decode, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_path_decode, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_urlencoded_basic, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_urlencoded_edges, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_urlencoded_nfc, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_urlencoded_too_many, setup_arena,
						teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies, setup_arena, teardown_arena),
		cmocka_unit_test(test_dates),
		cmocka_unit_test_setup_teardown(test_res_helpers, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_lookups_without_connection, setup_arena,
						teardown_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
