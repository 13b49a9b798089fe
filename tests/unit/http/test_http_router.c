/*
 * test_http_router.c - the router's rules (http.h): the most specific
 * pattern wins whatever the row order, captures and their decoding, 404
 * against 405, and the start-up checks that refuse malformed rows, ties and
 * rows that could never be reached.
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

static int h_dummy(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 200;
}

#define ROW(methods, pattern) {methods, pattern, h_dummy, HTTP_PUBLIC}

/* A site's table, in an order that a first-match router would get wrong:
 * every catch-all shape comes before what it would hide. */
static const http_route site[] = {
	ROW(HTTP_GET, "/:category/:slug"),              /* 0 */
	ROW(HTTP_GET, "/:category"),                    /* 1 */
	ROW(HTTP_GET, "/"),                             /* 2 */
	ROW(HTTP_GET, "/static/*"),                     /* 3 */
	ROW(HTTP_GET, "/api/v1/articles"),              /* 4 */
	ROW(HTTP_POST, "/api/v1/articles"),             /* 5 */
	ROW(HTTP_GET | HTTP_PUT, "/api/v1/articles/:id"), /* 6 */
	ROW(HTTP_DELETE, "/api/v1/articles/:id"),       /* 7 */
	ROW(HTTP_GET, "/s:x"),                          /* 8 */
	ROW(HTTP_GET, "/sitemap-:n.xml"),               /* 9 */
	ROW(HTTP_GET, "/sitemap.xml"),                  /* 10 */
	ROW(HTTP_GET, "/:category/rss.xml"),            /* 11 */
	ROW(HTTP_GET, "/admin/*"),                      /* 12 */
	ROW(HTTP_GET, "/admin"),                        /* 13 */
	ROW(HTTP_GET, "/admin/bai-viet/:id"),           /* 14 */
	ROW(HTTP_POST, "/admin/bai-viet/xem-truoc"),    /* 15 */
	ROW(HTTP_POST, "/danh-gia/:id"),                /* 16 */
	ROW(HTTP_GET, "/a/:x/c"),                       /* 17 */
	ROW(HTTP_GET, "/:x/b/:y"),                      /* 18 */
};
#define NSITE (sizeof site / sizeof site[0])

/* The same rows backwards: every answer must be the same. */
static http_route reversed[NSITE];

/* The row of `site` that answers (or NULL), looked up in both orders. */
static const http_route *route_for(arena_t *a, enum http_method m, const char *target,
				   http_req *req, unsigned *allowed)
{
	for (size_t i = 0; i < NSITE; i++)
		reversed[i] = site[NSITE - 1 - i];
	memset(req, 0, sizeof *req);
	req->arena = a;
	req->method = m;
	req->raw_target = target;
	unsigned back_allowed = 0;
	const http_route *back = http_route_match(reversed, NSITE, req, &back_allowed);
	memset(req, 0, sizeof *req);
	req->arena = a;
	req->method = m;
	req->raw_target = target;
	const http_route *r = http_route_match(site, NSITE, req, allowed);
	/* Same winner (by pattern and methods) and same Allow either way. */
	if (r == NULL)
		assert_null(back);
	else
		assert_ptr_equal(back, &reversed[NSITE - 1 - (size_t)(r - site)]);
	assert_int_equal(back_allowed, *allowed);
	assert_ptr_equal(req->route, r);
	return r;
}

static void test_literals(void **state)
{
	http_req req;
	unsigned allowed;
	assert_ptr_equal(route_for(*state, HTTP_GET, "/", &req, &allowed), &site[2]);
	assert_int_equal(req.nparams, 0);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/api/v1/articles", &req, &allowed),
			 &site[4]);
	assert_ptr_equal(route_for(*state, HTTP_POST, "/api/v1/articles?x=1", &req, &allowed),
			 &site[5]);
	/* A literal segment matches its percent-encoded spelling. */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/api/v1/%61rticles", &req, &allowed),
			 &site[4]);
	/* A trailing slash is another path: an empty last segment. */
	assert_null(route_for(*state, HTTP_GET, "/api/v1/articles/", &req, &allowed));
	assert_int_equal(allowed, 0);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/sitemap.xml", &req, &allowed), &site[10]);
}

static void test_captures(void **state)
{
	http_req req;
	unsigned allowed;
	assert_ptr_equal(route_for(*state, HTTP_GET, "/api/v1/articles/42", &req, &allowed),
			 &site[6]);
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0], "42");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/tin-tuc/hoi-nghi-2021-1", &req, &allowed),
			 &site[0]);
	assert_int_equal(req.nparams, 2);
	assert_string_equal(req.params[0], "tin-tuc");
	assert_string_equal(req.params[1], "hoi-nghi-2021-1");
	/* Captures are decoded segments: %2F stays inside its segment. */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/caf%C3%A9/a%2Fb", &req, &allowed),
			 &site[0]);
	assert_string_equal(req.params[0], "caf\xc3\xa9");
	assert_string_equal(req.params[1], "a/b");
	/* A capture needs a non-empty segment. */
	assert_null(route_for(*state, HTTP_GET, "/tin-tuc/", &req, &allowed));
	assert_null(route_for(*state, HTTP_GET, "//x", &req, &allowed));
	assert_null(route_for(*state, HTTP_GET, "/x/y/z/w", &req, &allowed));
	assert_int_equal(req.nparams, 0);
	/* A malformed escape matches nothing, not even a catch-all. */
	assert_null(route_for(*state, HTTP_GET, "/static/%zz", &req, &allowed));
	assert_int_equal(allowed, 0);
	assert_null(route_for(*state, HTTP_GET, "/tin-tuc%2", &req, &allowed));
}

static void test_rest(void **state)
{
	http_req req;
	unsigned allowed;
	assert_ptr_equal(route_for(*state, HTTP_GET, "/static/css/site.css", &req, &allowed),
			 &site[3]);
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0], "css/site.css");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/static/", &req, &allowed), &site[3]);
	assert_string_equal(req.params[0], "");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/static", &req, &allowed), &site[3]);
	assert_string_equal(req.params[0], "");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/static/%2e%2e/x", &req, &allowed),
			 &site[3]);
	assert_string_equal(req.params[0], "../x");
	/* More segments than any pattern has: only a rest takes them. */
	char deep[200] = "/static";
	for (int i = 0; i < 40; i++)
		strcat(deep, "/d");
	assert_ptr_equal(route_for(*state, HTTP_GET, deep, &req, &allowed), &site[3]);
	assert_int_equal(strlen(req.params[0]), 40 * 2 - 1);
	deep[1] = 'x';
	assert_null(route_for(*state, HTTP_GET, deep, &req, &allowed));
}

static void test_most_specific_wins(void **state)
{
	http_req req;
	unsigned allowed;
	/* A literal segment beats a parameter, whatever the order. */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/static/x", &req, &allowed), &site[3]);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/tin-tuc/rss.xml", &req, &allowed),
			 &site[11]);
	assert_string_equal(req.params[0], "tin-tuc");
	/* The first segment that differs decides: "/a/:x/c" over "/:x/b/:y". */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/a/b/c", &req, &allowed), &site[17]);
	assert_string_equal(req.params[0], "b");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/z/b/c", &req, &allowed), &site[18]);
	/* A parameter with a literal prefix and suffix beats a bare one, and
	 * more literal characters beat fewer. */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/sitemap-12.xml", &req, &allowed),
			 &site[9]);
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0], "12");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/sitemap-%31.xml", &req, &allowed),
			 &site[9]);
	assert_string_equal(req.params[0], "1");
	assert_ptr_equal(route_for(*state, HTTP_GET, "/sitemap-x", &req, &allowed), &site[8]);
	assert_string_equal(req.params[0], "itemap-x");
	/* The affixed capture must not be empty. */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/sitemap-.xml", &req, &allowed), &site[8]);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/tin-tuc", &req, &allowed), &site[1]);
	/* A pattern that ends beats a rest that takes nothing. */
	assert_ptr_equal(route_for(*state, HTTP_GET, "/admin", &req, &allowed), &site[13]);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/admin/", &req, &allowed), &site[12]);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/admin/bai-viet/7", &req, &allowed),
			 &site[14]);
	assert_ptr_equal(route_for(*state, HTTP_GET, "/admin/x", &req, &allowed), &site[12]);
	/* GET routes answer HEAD. */
	assert_ptr_equal(route_for(*state, HTTP_HEAD, "/tin-tuc", &req, &allowed), &site[1]);
	assert_string_equal(req.params[0], "tin-tuc");
}

static void test_404_and_405(void **state)
{
	http_req req;
	unsigned allowed = 0;
	/* The methods of every row of the winning pattern. */
	assert_null(route_for(*state, HTTP_PATCH, "/api/v1/articles/7", &req, &allowed));
	assert_int_equal(allowed, HTTP_GET | HTTP_HEAD | HTTP_PUT | HTTP_DELETE);
	assert_int_equal(req.nparams, 0);
	assert_null(req.params[0]);
	assert_ptr_equal(route_for(*state, HTTP_DELETE, "/api/v1/articles/7", &req, &allowed),
			 &site[7]);
	/* A post-only URL answers GET with 405: the less specific pattern that
	 * would take GET ("/admin/bai-viet/:id") is not asked. */
	assert_null(route_for(*state, HTTP_GET, "/admin/bai-viet/xem-truoc", &req, &allowed));
	assert_int_equal(allowed, HTTP_POST);
	assert_string_equal(http_allow_header(*state, allowed), "POST");
	assert_null(route_for(*state, HTTP_HEAD, "/admin/bai-viet/xem-truoc", &req, &allowed));
	assert_ptr_equal(route_for(*state, HTTP_POST, "/admin/bai-viet/xem-truoc", &req, &allowed),
			 &site[15]);
	assert_null(route_for(*state, HTTP_GET, "/danh-gia/5", &req, &allowed));
	assert_int_equal(allowed, HTTP_POST);
	assert_null(route_for(*state, HTTP_POST, "/", &req, &allowed));
	assert_string_equal(http_allow_header(*state, allowed), "GET, HEAD");
	/* Nothing matches: 404. */
	assert_null(route_for(*state, HTTP_GET, "/nothing/here/at/all", &req, &allowed));
	assert_int_equal(allowed, 0);
	assert_string_equal(http_allow_header(*state, HTTP_GET | HTTP_POST | HTTP_OPTIONS),
			    "GET, HEAD, POST, OPTIONS");
}

static void test_decoded_path_and_tables(void **state)
{
	/* Without a raw target the (already decoded) path is split as is. */
	http_req req;
	unsigned allowed;
	memset(&req, 0, sizeof req);
	req.arena = *state;
	req.method = HTTP_GET;
	req.path = "/api/v1/articles/9";
	assert_ptr_equal(http_route_match(site, NSITE, &req, &allowed), &site[6]);
	assert_string_equal(req.params[0], "9");
	req.path = "/a%2Fb/c";
	assert_ptr_equal(http_route_match(site, NSITE, &req, &allowed), &site[0]);
	assert_string_equal(req.params[0], "a%2Fb");
	req.path = "relative";
	assert_null(http_route_match(site, NSITE, &req, &allowed));
	req.path = NULL;
	assert_null(http_route_match(site, NSITE, &req, &allowed));
	/* Split over several tables, the rows answer as one table. */
	const http_route_table split[] = {{site, 5}, {NULL, 0}, {site + 5, NSITE - 5}};
	req.path = "/static/x";
	assert_ptr_equal(http_route_find(split, 3, &req, &allowed), &site[3]);
	req.path = "/sitemap-3.xml";
	assert_ptr_equal(http_route_find(split, 3, &req, &allowed), &site[9]);
	assert_ptr_equal(req.route, &site[9]);
}

static void test_route_valid(void **state)
{
	(void)state;
	static const struct {
		const char *pattern;
		bool valid;
	} cases[] = {
		{"/", true},
		{"/a/:b/*", true},
		{"/sitemap-:n.xml", true},
		{"/:slug.html", true},
		{"/v:n", true},
		{"/a/*/b", false},           /* '*' not last */
		{"/a/x*", false},            /* '*' not the whole segment */
		{"a", false},                /* no leading '/' */
		{"/:", false},               /* unnamed capture */
		{"/x-:.xml", false},         /* unnamed capture */
		{"/:a-:b", false},           /* two captures in a segment */
		{"/a//b", false},            /* empty segment */
		{"/a/", false},              /* empty last segment */
		{"/:a/:b/:c/:d/:e/:f/:g/:h/:i", false}, /* too many captures */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		http_route r = ROW(HTTP_GET, cases[i].pattern);
		assert_int_equal(http_route_valid(&r), cases[i].valid);
	}
	char deep[128] = "";
	for (int i = 0; i < 33; i++)
		strcat(deep, "/a");
	http_route too_deep = ROW(HTTP_GET, deep);
	assert_false(http_route_valid(&too_deep));
	http_route no_handler = {HTTP_GET, "/", NULL, HTTP_PUBLIC};
	assert_false(http_route_valid(&no_handler));
	http_route no_method = {0, "/", h_dummy, HTTP_PUBLIC};
	assert_false(http_route_valid(&no_method));
}

/* http_routes_check on two rows (in both orders, and in two tables). */
static int check_pair(unsigned ma, const char *a, unsigned mb, const char *b)
{
	const http_route rows[] = {ROW(ma, a), ROW(mb, b)};
	const http_route back[] = {ROW(mb, b), ROW(ma, a)};
	const http_route_table t[] = {{rows, 2}};
	const http_route_table u[] = {{back, 2}};
	const http_route_table split[] = {{rows, 1}, {rows + 1, 1}};
	int rc = http_routes_check(t, 1);
	assert_int_equal(http_routes_check(u, 1), rc);
	assert_int_equal(http_routes_check(split, 2), rc);
	return rc;
}

static void test_routes_check(void **state)
{
	(void)state;
	/* The whole site table passes: no row hides another. */
	const http_route_table whole = {site, NSITE};
	assert_int_equal(http_routes_check(&whole, 1), 0);
	/* One pattern, methods apart: fine (405 lists both). */
	assert_int_equal(check_pair(HTTP_GET, "/a/:id", HTTP_POST, "/a/:id"), 0);
	/* One pattern and one method twice: the second could never be reached. */
	assert_int_equal(check_pair(HTTP_GET, "/a/:id", HTTP_GET | HTTP_POST, "/a/:id"), -1);
	/* The same shape under other capture names is the same pattern. */
	assert_int_equal(check_pair(HTTP_GET, "/a/:id", HTTP_GET, "/a/:slug"), -1);
	assert_int_equal(check_pair(HTTP_GET, "/static/*", HTTP_GET, "/static/*"), -1);
	/* GET brings HEAD. */
	assert_int_equal(check_pair(HTTP_GET, "/", HTTP_HEAD, "/"), -1);
	/* Equally specific, different shapes, one path fits both ("x-y"):
	 * neither could be said to win. */
	assert_int_equal(check_pair(HTTP_GET, "/x-:a", HTTP_POST, "/:a-y"), -1);
	assert_int_equal(check_pair(HTTP_GET, "/ab:x", HTTP_GET, "/a:x-"), -1);
	/* Equally specific but no path fits both: fine. */
	assert_int_equal(check_pair(HTTP_GET, "/x-:a", HTTP_GET, "/y-:a"), 0);
	assert_int_equal(check_pair(HTTP_GET, "/a-:x.xml", HTTP_GET, "/a-:x.txt"), 0);
	assert_int_equal(check_pair(HTTP_GET, "/tin-tuc", HTTP_GET, "/su-kien"), 0);
	/* One more specific than the other: fine, wherever they overlap. */
	assert_int_equal(check_pair(HTTP_GET, "/:a", HTTP_GET, "/s:a"), 0);
	assert_int_equal(check_pair(HTTP_GET, "/*", HTTP_GET, "/"), 0);
	assert_int_equal(check_pair(HTTP_GET, "/a/*", HTTP_GET, "/:b/c"), 0);
	/* A malformed row fails the check. */
	assert_int_equal(check_pair(HTTP_GET, "/a", HTTP_GET, "/b/*/c"), -1);
	const http_route_table none = {NULL, 3};
	assert_int_equal(http_routes_check(&none, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		arena_case(test_literals),
		arena_case(test_captures),
		arena_case(test_rest),
		arena_case(test_most_specific_wins),
		arena_case(test_404_and_405),
		arena_case(test_decoded_path_and_tables),
		cmocka_unit_test(test_route_valid),
		cmocka_unit_test(test_routes_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
