/*
 * test_http_server.c - a real server on 127.0.0.1 (ephemeral port), spoken
 * to through plain sockets, so what is tested is what goes on the wire.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/http.h"
#include "http/http_private.h"
#include "../support/files.h"
#include "../support/wire.h"

/* ------------------------------------------------------------------ */
/* The application under test                                          */
/* ------------------------------------------------------------------ */

static char root_dir[256];   /* temporary directory */
static char static_dir[300]; /* root_dir/static: what /static/ serves */
static atomic_bool slow_started;

static int h_home(http_req *req, http_res *res)
{
	(void)req;
	buf_puts(&res->body, "<p>hi</p>");
	return 200;
}

static int h_text(http_req *req, http_res *res)
{
	(void)req;
	res->content_type = "text/plain";
	buf_puts(&res->body, "plain");
	return 200;
}

static int h_etag(http_req *req, http_res *res)
{
	(void)req;
	res->etag = "\"v1\"";
	res->last_modified = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
	buf_puts(&res->body, "tagged");
	return 200;
}

static int h_form(http_req *req, http_res *res)
{
	const char *a = http_form(req, "a");
	buf_printf(&res->body, "a=%s n=%zu len=%zu", a != NULL ? a : "(none)", req->nform,
		   req->body_len);
	return 200;
}

static int h_query(http_req *req, http_res *res)
{
	const char *q = http_query(req, "q");
	buf_printf(&res->body, "q=%s n=%zu", q != NULL ? q : "(none)", req->nquery);
	return 200;
}

static int h_item(http_req *req, http_res *res)
{
	buf_printf(&res->body, "id=%s", req->params[0]);
	return 200;
}

static int h_static(http_req *req, http_res *res)
{
	return http_send_file(req, res, static_dir, req->params[0], "public, max-age=60");
}

static int h_slow(http_req *req, http_res *res)
{
	(void)req;
	atomic_store(&slow_started, true);
	struct timespec ts = {0, 800 * 1000 * 1000};
	nanosleep(&ts, NULL);
	buf_puts(&res->body, "slow done");
	return 200;
}

static int h_fail(http_req *req, http_res *res)
{
	(void)req;
	/* Neither this header nor this body may reach the client. */
	http_res_header(res, "X-Secret", "leak");
	buf_puts(&res->body, "internal detail");
	return 0;
}

static int h_ip(http_req *req, http_res *res)
{
	buf_puts(&res->body, req->client_addr);
	return 200;
}

static int h_own404(http_req *req, http_res *res)
{
	(void)req;
	buf_puts(&res->body, "my own 404");
	return 404;
}

static int h_cookie(http_req *req, http_res *res)
{
	const char *sid = http_cookie(req, "sid");
	buf_printf(&res->body, "sid=%s", sid != NULL ? sid : "(none)");
	return 200;
}

static int h_badfile(http_req *req, http_res *res)
{
	(void)req;
	/* The file is gone by the time the response is built. */
	res->file_path = "/nonexistent/sen-test-file";
	return 200;
}

/* Bodies made while they are sent: three parts, or one and a failure. */
static atomic_int streams_done;

typedef struct {
	int next;
	bool fail;
} stream_state;

static int stream_part(void *ctx, buf_t *out)
{
	stream_state *st = ctx;
	if (st->fail && st->next == 1)
		return -1;
	buf_printf(out, "part%d;", st->next++);
	return st->next < 3 ? 1 : 0;
}

static void stream_done(void *ctx)
{
	free(ctx);
	atomic_fetch_add(&streams_done, 1);
}

static int h_stream(http_req *req, http_res *res)
{
	stream_state *st = calloc(1, sizeof *st);
	if (st == NULL)
		return 500;
	st->fail = strstr(req->path, "fail") != NULL;
	res->content_type = "text/plain";
	return http_send_stream(res, stream_part, stream_done, st);
}

/* A row for signed-in members (role bit 1): see access_hook. */
static int h_member(http_req *req, http_res *res)
{
	buf_printf(&res->body, "user=%s", req->user != NULL ? (const char *)req->user : "(none)");
	return 200;
}

static atomic_int access_calls;

/* "X-Role: 1" lets the request through as "member"; "X-Role: away" is sent
 * elsewhere; anything else is refused. */
static int access_hook(http_req *req, http_res *res, const http_route *route)
{
	atomic_fetch_add(&access_calls, 1);
	const char *role = http_header(req, "X-Role");
	if (route != req->route || (route->access & ~HTTP_SAME_SITE) != 1u)
		return 500;
	if (role != NULL && strcmp(role, "1") == 0) {
		req->user = "member";
		return 0;
	}
	if (role != NULL && strcmp(role, "away") == 0)
		return http_redirect(res, 303, "/");
	return 403;
}

static atomic_int same_site_calls;

/* "X-Site: cross" says the form comes from another site's page: refused,
 * with the error page (the body is left empty). */
static int same_site_hook(http_req *req, http_res *res)
{
	(void)res;
	atomic_fetch_add(&same_site_calls, 1);
	const char *site = http_header(req, "X-Site");
	return site != NULL && strcmp(site, "cross") == 0 ? 403 : 0;
}

static const http_route routes[] = {
	{HTTP_GET | HTTP_POST, "/members", h_member, 1u},
	{HTTP_POST, "/members/form", h_member, 1u | HTTP_SAME_SITE},
	{HTTP_GET | HTTP_POST | HTTP_PUT, "/same", h_text, HTTP_PUBLIC | HTTP_SAME_SITE},
	{HTTP_GET, "/", h_home, HTTP_PUBLIC},
	{HTTP_GET, "/text", h_text, HTTP_PUBLIC},
	{HTTP_GET, "/etag", h_etag, HTTP_PUBLIC},
	{HTTP_POST, "/form", h_form, HTTP_PUBLIC},
	{HTTP_GET, "/query", h_query, HTTP_PUBLIC},
	{HTTP_GET | HTTP_PUT, "/items/:id", h_item, HTTP_PUBLIC},
	{HTTP_GET, "/static/*", h_static, HTTP_PUBLIC},
	{HTTP_GET, "/slow", h_slow, HTTP_PUBLIC},
	{HTTP_GET, "/fail", h_fail, HTTP_PUBLIC},
	{HTTP_GET, "/ip", h_ip, HTTP_PUBLIC},
	{HTTP_GET, "/own404", h_own404, HTTP_PUBLIC},
	{HTTP_GET, "/cookie", h_cookie, HTTP_PUBLIC},
	{HTTP_GET, "/badfile", h_badfile, HTTP_PUBLIC},
	{HTTP_GET, "/stream", h_stream, HTTP_PUBLIC},
	{HTTP_GET, "/stream-fail", h_stream, HTTP_PUBLIC},
};

static const http_route_table table = {routes, sizeof routes / sizeof routes[0]};

static void error_page(http_req *req, http_res *res, int status)
{
	buf_clear(&res->body);
	buf_printf(&res->body, "ERR %d path=[%s]", status, req->path != NULL ? req->path : "(null)");
	http_res_header(res, "X-Error-Page", "1");
}

static void before(http_req *req, http_res *res)
{
	(void)req;
	http_res_header(res, "X-Before", "1");
}

static http_server_config base_config(void)
{
	http_server_config cfg = {
		.host = "127.0.0.1",
		.port = 0,
		.threads = 2,
		.max_connections = 64,
		.per_ip_connections = 64,
		.connection_timeout = 5,
		.connection_memory = 16 * 1024,
		.max_body = 1024,
		.tables = &table,
		.ntables = 1,
		.error_page = error_page,
		.before = before,
		.access = access_hook,
		.same_site = same_site_hook,
		.quiet = 1,
	};
	return cfg;
}

/* ------------------------------------------------------------------ */
/* A tiny client                                                       */
/* ------------------------------------------------------------------ */

static void exchange_at(const char *host, uint16_t port, const char *req, size_t len,
			wire_reply *r)
{
	int fd = wire_connect(host, port);
	assert_true(fd >= 0);
	wire_send_all(fd, req, len);
	wire_read(fd, r);
	close(fd);
}

static void exchange(uint16_t port, const char *req, wire_reply *r)
{
	exchange_at("127.0.0.1", port, req, strlen(req), r);
}

static void get(uint16_t port, const char *target, const char *extra_headers, wire_reply *r)
{
	char req[8192];
	snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: test\r\n%sConnection: close\r\n\r\n",
		 target, extra_headers != NULL ? extra_headers : "");
	exchange(port, req, r);
}

static void post(uint16_t port_, const char *target, const char *type, const char *body,
		 wire_reply *r)
{
	char req[8192];
	snprintf(req, sizeof req,
		 "POST %s HTTP/1.1\r\nHost: test\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s",
		 target, type, strlen(body), body);
	exchange(port_, req, r);
}

/* Value of a response header (first one), copied into out; NULL if absent. */
static const char *header(const wire_reply *r, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = strstr(r->raw, "\r\n");
	const char *end = r->body != NULL ? r->body : r->raw + r->len;
	while (p != NULL && p + 2 < end) {
		p += 2;
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			while (*v == ' ')
				v++;
			const char *e = strstr(v, "\r\n");
			size_t len = e != NULL ? (size_t)(e - v) : strlen(v);
			if (len >= outlen)
				len = outlen - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return out;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

static int count_headers(const wire_reply *r, const char *name)
{
	int n = 0;
	size_t nlen = strlen(name);
	const char *end = r->body != NULL ? r->body : r->raw + r->len;
	for (const char *p = strstr(r->raw, "\r\n"); p != NULL && p + 2 < end;
	     p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, name, nlen) == 0 && p[2 + nlen] == ':')
			n++;
	return n;
}

static bool body_is(const wire_reply *r, const char *s)
{
	return r->body != NULL && r->body_len == strlen(s) && memcmp(r->body, s, r->body_len) == 0;
}

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static http_server *srv;
static uint16_t port;

static int group_setup(void **state)
{
	(void)state;
	if (wire_folder(root_dir, sizeof root_dir, "/tmp/sen-http-test-XXXXXX") != 0)
		return -1;
	snprintf(static_dir, sizeof static_dir, "%s/static", root_dir);
	char path[512];
	if (mkdir(static_dir, 0755) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/sub", static_dir);
	mkdir(path, 0755);
	put_file(static_dir, "a.css", "body{color:red}");
	put_file(static_dir, "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
	put_file(static_dir, "data.bin", "\x01\x02");
	put_file(static_dir, "sub/b.txt", "nested");
	put_file(static_dir, ".hidden", "hidden");
	put_file(root_dir, "secret.txt", "top secret");
	snprintf(path, sizeof path, "%s/escape.txt", static_dir);
	if (symlink("../secret.txt", path) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/up", static_dir);
	if (symlink("..", path) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/inside.css", static_dir);
	if (symlink("a.css", path) != 0)
		return -1;

	http_server_config cfg = base_config();
	srv = wire_start(&cfg, &port);
	return srv != NULL ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	return wire_stop(srv, root_dir);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void test_ok_and_headers(void **state)
{
	(void)state;
	wire_reply r;
	char v[256];
	get(port, "/", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "<p>hi</p>"));
	assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
	assert_string_equal(header(&r, "Content-Length", v, sizeof v), "9");
	assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	assert_string_equal(header(&r, "X-Before", v, sizeof v), "1");
	assert_null(header(&r, "Server", v, sizeof v));
	assert_int_equal(count_headers(&r, "Content-Type"), 1);
	assert_int_equal(count_headers(&r, "X-Content-Type-Options"), 1);
	wire_reply_free(&r);

	get(port, "/text", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/plain; charset=utf-8");
	wire_reply_free(&r);
}

/* http_send_stream: the parts in order with no length ahead (chunked for
 * HTTP/1.1, up to the close for HTTP/1.0); a producer that fails after the
 * first part cuts the body short; done runs once for every stream. */
static void test_streamed_body(void **state)
{
	(void)state;
	int before = atomic_load(&streams_done);
	wire_reply r;
	char v[256];
	exchange(port, "GET /stream HTTP/1.0\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "part0;part1;part2;"));
	assert_null(header(&r, "Content-Length", v, sizeof v));
	assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	wire_reply_free(&r);
	get(port, "/stream", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Transfer-Encoding", v, sizeof v), "chunked");
	assert_non_null(strstr(r.body, "part0;"));
	assert_non_null(strstr(r.body, "part2;"));
	assert_non_null(strstr(r.body, "\r\n0\r\n"));   /* the last chunk */
	wire_reply_free(&r);
	get(port, "/stream-fail", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "part0;"));
	assert_null(strstr(r.body, "part1;"));
	assert_null(strstr(r.body, "\r\n0\r\n"));       /* never ended as complete */
	wire_reply_free(&r);
	for (int i = 0; i < 200 && atomic_load(&streams_done) < before + 3; i++)
		usleep(10000);
	assert_int_equal(atomic_load(&streams_done), before + 3);
}

static void test_head(void **state)
{
	(void)state;
	wire_reply r;
	char v[64];
	exchange(port, "HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Length", v, sizeof v), "9");
	assert_non_null(r.body);
	assert_int_equal(r.body_len, 0);
	wire_reply_free(&r);
}

static void test_keep_alive_two_requests(void **state)
{
	(void)state;
	wire_reply r;
	exchange(port,
		 "GET /items/1 HTTP/1.1\r\nHost: t\r\n\r\n"
		 "GET /items/2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
		 &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.raw, "id=1"));
	assert_non_null(strstr(r.raw, "id=2"));
	wire_reply_free(&r);
}

static void test_404_405(void **state)
{
	(void)state;
	wire_reply r;
	char v[128];
	get(port, "/nope", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_true(body_is(&r, "ERR 404 path=[/nope]"));
	assert_string_equal(header(&r, "X-Error-Page", v, sizeof v), "1");
	assert_string_equal(header(&r, "X-Before", v, sizeof v), "1");
	wire_reply_free(&r);

	exchange(port, "POST /items/5 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
		       "Connection: close\r\n\r\n", &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(header(&r, "Allow", v, sizeof v), "GET, HEAD, PUT");
	assert_true(body_is(&r, "ERR 405 path=[/items/5]"));
	wire_reply_free(&r);

	/* A handler's own 404 body is kept. */
	get(port, "/own404", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_true(body_is(&r, "my own 404"));
	assert_null(header(&r, "X-Error-Page", v, sizeof v));
	wire_reply_free(&r);
}

static void test_access_rule(void **state)
{
	(void)state;
	wire_reply r;
	char v[64];
	int before_calls = atomic_load(&access_calls);
	get(port, "/members", "X-Role: 1\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "user=member"));
	wire_reply_free(&r);
	/* Refused: the hook's status, the handler never runs. */
	get(port, "/members", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_true(body_is(&r, "ERR 403 path=[/members]"));
	wire_reply_free(&r);
	get(port, "/members", "X-Role: away\r\n", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(header(&r, "Location", v, sizeof v), "/");
	wire_reply_free(&r);
	assert_int_equal(atomic_load(&access_calls), before_calls + 3);
	/* 405 comes before the access rule, and public rows never ask it. */
	exchange(port, "DELETE /members HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(header(&r, "Allow", v, sizeof v), "GET, HEAD, POST");
	wire_reply_free(&r);
	get(port, "/text", NULL, &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	assert_int_equal(atomic_load(&access_calls), before_calls + 3);
}

/* Posts a=1 to target with "X-Site: from" (and more header lines after
 * it); checks the status and, when body is not NULL, the body. */
static void post_from(const char *target, const char *from, int status, const char *body)
{
	char type[128];
	wire_reply r;
	snprintf(type, sizeof type, "application/x-www-form-urlencoded\r\nX-Site: %s", from);
	post(port, target, type, "a=1", &r);
	assert_int_equal(r.status, status);
	if (body != NULL)
		assert_true(body_is(&r, body));
	wire_reply_free(&r);
}

/* A row marked HTTP_SAME_SITE: its form posts are asked about, after the
 * access rule and before the handler; its reads are not. */
static void test_same_site_rule(void **state)
{
	(void)state;
	wire_reply r;
	int calls = atomic_load(&same_site_calls);
	get(port, "/same", "X-Site: cross\r\n", &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	exchange(port, "HEAD /same HTTP/1.1\r\nHost: t\r\nX-Site: cross\r\nConnection: close\r\n\r\n",
		 &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	assert_int_equal(atomic_load(&same_site_calls), calls);
	post_from("/same", "own", 200, "plain");
	/* Refused: the hook's status and the error page; the handler never runs. */
	post_from("/same", "cross", 403, "ERR 403 path=[/same]");
	exchange(port, "PUT /same HTTP/1.1\r\nHost: t\r\nX-Site: cross\r\nContent-Length: 0\r\n"
		       "Connection: close\r\n\r\n",
		 &r);
	assert_int_equal(r.status, 403);
	wire_reply_free(&r);
	assert_int_equal(atomic_load(&same_site_calls), calls + 3);
	/* The access rule first: a refused member is never asked where from. */
	int access_before = atomic_load(&access_calls);
	post_from("/members/form", "cross", 403, NULL);
	assert_int_equal(atomic_load(&same_site_calls), calls + 3);
	post_from("/members/form", "cross\r\nX-Role: 1", 403, "ERR 403 path=[/members/form]");
	post_from("/members/form", "own\r\nX-Role: 1", 200, "user=member");
	assert_int_equal(atomic_load(&same_site_calls), calls + 5);
	assert_int_equal(atomic_load(&access_calls), access_before + 3);
	/* A row that is not marked is never asked, whatever the headers. */
	post_from("/form", "cross", 200, NULL);
	assert_int_equal(atomic_load(&same_site_calls), calls + 5);
}

static void test_500(void **state)
{
	(void)state;
	wire_reply r;
	char v[64];
	get(port, "/fail", NULL, &r);
	assert_int_equal(r.status, 500);
	assert_true(body_is(&r, "ERR 500 path=[/fail]"));
	assert_null(header(&r, "X-Secret", v, sizeof v));
	assert_string_equal(header(&r, "X-Before", v, sizeof v), "1");
	wire_reply_free(&r);

	get(port, "/badfile", NULL, &r);
	assert_int_equal(r.status, 500);
	assert_true(body_is(&r, "ERR 500 path=[/badfile]"));
	wire_reply_free(&r);
}

static void test_absolute_form(void **state)
{
	(void)state;
	wire_reply r;
	get(port, "http://example.org/items/7?x=1", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "id=7"));
	wire_reply_free(&r);
	get(port, "HTTP://example.org", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "<p>hi</p>"));
	wire_reply_free(&r);
}

static void test_form_query_captures(void **state)
{
	(void)state;
	wire_reply r;
	post(port, "/form", "application/x-www-form-urlencoded; charset=utf-8",
	     "a=hello+world&b=%C3%A9&a=x", &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "a=hello world n=3 len=26"));
	wire_reply_free(&r);

	get(port, "/query?q=a%20b+c&z=1", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "q=a b c n=2"));
	wire_reply_free(&r);

	get(port, "/query?q=%zz", NULL, &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);

	get(port, "/items/caf%C3%A9", NULL, &r);
	assert_true(body_is(&r, "id=caf\xc3\xa9"));
	wire_reply_free(&r);
	get(port, "/items/a%2Fb", NULL, &r);
	assert_true(body_is(&r, "id=a/b"));
	wire_reply_free(&r);

	get(port, "/cookie", "Cookie: theme=dark; sid=\"s3cr3t\"\r\n", &r);
	assert_true(body_is(&r, "sid=s3cr3t"));
	wire_reply_free(&r);

	/* A form body that is not valid UTF-8 is refused. */
	post(port, "/form", "application/x-www-form-urlencoded", "a=%FF", &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);
	/* Other content types are not parsed as forms. */
	post(port, "/form", "text/plain", "a=1", &r);
	assert_true(body_is(&r, "a=(none) n=0 len=3"));
	wire_reply_free(&r);
}

static void test_413_content_length(void **state)
{
	(void)state;
	wire_reply r;
	char v[64];
	/* Only the headers are sent: the answer must not wait for the body. */
	exchange(port, "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n", &r);
	assert_int_equal(r.status, 413);
	assert_true(body_is(&r, "ERR 413 path=[/form]"));
	assert_string_equal(header(&r, "Connection", v, sizeof v), "close");
	wire_reply_free(&r);

	/* Absurd lengths do not overflow. */
	exchange(port, "POST /form HTTP/1.1\r\nHost: t\r\n"
		       "Content-Length: 99999999999999999999999999\r\n\r\n", &r);
	assert_true(r.status == 413 || r.status == 400);
	wire_reply_free(&r);

	/* Exactly max_body is fine. */
	char req[2048];
	int n = snprintf(req, sizeof req,
			 "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n"
			 "Connection: close\r\n\r\n");
	memset(req + n, 'x', 1024);
	exchange_at("127.0.0.1", port, req, (size_t)n + 1024, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "a=(none) n=0 len=1024"));
	wire_reply_free(&r);
}

static void test_413_chunked(void **state)
{
	(void)state;
	wire_reply r;
	char req[4096];
	/* Three chunks of 400 bytes pass max_body (1024); no final chunk is
	 * ever sent, so a server that waits for the end would time out. */
	size_t o = (size_t)snprintf(req, sizeof req,
				    "POST /form HTTP/1.1\r\nHost: t\r\n"
				    "Transfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 3; i++) {
		o += (size_t)snprintf(req + o, sizeof req - o, "190\r\n");
		memset(req + o, 'y', 400);
		o += 400;
		o += (size_t)snprintf(req + o, sizeof req - o, "\r\n");
	}
	time_t t0 = time(NULL);
	exchange_at("127.0.0.1", port, req, o, &r);
	assert_int_equal(r.status, 413);
	assert_true(time(NULL) - t0 < 4);
	assert_non_null(strstr(r.raw, "ERR 413 path=[/form]"));
	char v[64];
	assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	wire_reply_free(&r);

	/* A small chunked body is collected whole. */
	exchange(port, "POST /form HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
		       "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n"
		       "4\r\na=12\r\n3\r\n3&b\r\n0\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "a=123 n=2 len=7"));
	wire_reply_free(&r);
}

static void test_431_and_414(void **state)
{
	(void)state;
	wire_reply r;
	size_t big = 20000;
	char *req = malloc(big + 256);
	assert_non_null(req);
	int n = snprintf(req, 256, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: ");
	memset(req + n, 'a', big);
	memcpy(req + n + big, "\r\n\r\n", 5);
	exchange_at("127.0.0.1", port, req, strlen(req), &r);
	assert_int_equal(r.status, 431);
	wire_reply_free(&r);

	/* Longer than HTTP_MAX_PATH but within the connection memory: ours. */
	n = snprintf(req, 256, "GET /");
	memset(req + n, 'a', 3000);
	snprintf(req + n + 3000, 256, " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	exchange_at("127.0.0.1", port, req, strlen(req), &r);
	assert_int_equal(r.status, 414);
	assert_non_null(strstr(r.raw, "ERR 414"));
	wire_reply_free(&r);

	/* Longer than the connection memory: libmicrohttpd's own 414. */
	n = snprintf(req, 256, "GET /");
	memset(req + n, 'a', big);
	snprintf(req + n + big, 256, " HTTP/1.1\r\nHost: t\r\n\r\n");
	exchange_at("127.0.0.1", port, req, strlen(req), &r);
	assert_int_equal(r.status, 414);
	wire_reply_free(&r);
	free(req);
}

static void test_400_paths(void **state)
{
	(void)state;
	static const char *bad[] = {"/a%00b", "/%C3%28", "/%zz", "/a%", "/%ED%A0%80", "/%FF"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wire_reply r;
		get(port, bad[i], NULL, &r);
		assert_int_equal(r.status, 400);
		/* The error page sees an empty path, never the bad bytes. */
		assert_true(body_is(&r, "ERR 400 path=[]"));
		wire_reply_free(&r);
	}
	/* Raw bytes that are valid UTF-8 are fine: 404, not 400. */
	wire_reply r;
	get(port, "/caf\xc3\xa9", NULL, &r);
	assert_int_equal(r.status, 404);
	wire_reply_free(&r);
	get(port, "/caf\xc3", NULL, &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);
}

static void test_304(void **state)
{
	(void)state;
	wire_reply r;
	char v[128];
	get(port, "/etag", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "ETag", v, sizeof v), "\"v1\"");
	assert_string_equal(header(&r, "Last-Modified", v, sizeof v),
			    "Sun, 06 Nov 1994 08:49:37 GMT");
	wire_reply_free(&r);

	get(port, "/etag", "If-None-Match: \"v1\"\r\n", &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(header(&r, "ETag", v, sizeof v), "\"v1\"");
	wire_reply_free(&r);

	get(port, "/etag", "If-None-Match: \"x\", W/\"v1\"\r\n", &r);
	assert_int_equal(r.status, 304);
	wire_reply_free(&r);

	get(port, "/etag", "If-None-Match: \"other\"\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "tagged"));
	wire_reply_free(&r);

	get(port, "/etag", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", &r);
	assert_int_equal(r.status, 304);
	wire_reply_free(&r);
	get(port, "/etag", "If-Modified-Since: Sat, 05 Nov 1994 08:49:37 GMT\r\n", &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	/* A date in the future is ignored. */
	get(port, "/etag", "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n", &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	get(port, "/etag", "If-Modified-Since: yesterday\r\n", &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	/* If-None-Match wins over If-Modified-Since. */
	get(port, "/etag",
	    "If-None-Match: \"other\"\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
	exchange(port, "HEAD /etag HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"v1\"\r\n"
		       "Connection: close\r\n\r\n", &r);
	assert_int_equal(r.status, 304);
	wire_reply_free(&r);
}

static void test_send_file(void **state)
{
	(void)state;
	wire_reply r;
	char v[256], etag[128], lm[64];
	get(port, "/static/a.css", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "body{color:red}"));
	assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/css; charset=utf-8");
	assert_string_equal(header(&r, "Cache-Control", v, sizeof v), "public, max-age=60");
	assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	assert_non_null(header(&r, "ETag", etag, sizeof etag));
	assert_int_equal(etag[0], '"');
	assert_non_null(header(&r, "Last-Modified", lm, sizeof lm));
	wire_reply_free(&r);

	char extra[256];
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
	get(port, "/static/a.css", extra, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(header(&r, "Cache-Control", v, sizeof v), "public, max-age=60");
	wire_reply_free(&r);
	snprintf(extra, sizeof extra, "If-Modified-Since: %s\r\n", lm);
	get(port, "/static/a.css", extra, &r);
	assert_int_equal(r.status, 304);
	wire_reply_free(&r);

	exchange(port, "HEAD /static/a.css HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Length", v, sizeof v), "15");
	assert_int_equal(r.body_len, 0);
	wire_reply_free(&r);

	get(port, "/static/sub/b.txt", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "nested"));
	assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/plain; charset=utf-8");
	wire_reply_free(&r);

	get(port, "/static/logo.svg", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(header(&r, "Content-Type", v, sizeof v), "image/svg+xml"));
	assert_non_null(strstr(header(&r, "Content-Security-Policy", v, sizeof v),
			       "default-src 'none'"));
	wire_reply_free(&r);

	get(port, "/static/data.bin", NULL, &r);
	assert_string_equal(header(&r, "Content-Type", v, sizeof v), "application/octet-stream");
	wire_reply_free(&r);
}

static void test_send_file_refusals(void **state)
{
	(void)state;
	static const char *refused[] = {
		"/static/../secret.txt",         /* raw dot-dot */
		"/static/%2e%2e/secret.txt",     /* encoded dot-dot */
		"/static/%2E%2E%2Fsecret.txt",   /* encoded, slash too */
		"/static/sub/../a.css",          /* dot-dot inside */
		"/static/./a.css",
		"/static/escape.txt",            /* symlink out of the root */
		"/static/up/secret.txt",         /* directory symlink out */
		"/static/inside.css",            /* symlinks are never followed */
		"/static/.hidden",
		"/static/sub",                   /* a directory */
		"/static/sub/",
		"/static/",
		"/static/sub//b.txt",
		"/static/a.css%5C",              /* backslash */
		"/static/nothere.css",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		wire_reply r;
		get(port, refused[i], NULL, &r);
		if (r.status != 404)
			fail_msg("%s gave %d", refused[i], r.status);
		assert_null(strstr(r.raw, "top secret"));
		wire_reply_free(&r);
	}
}

static void test_send_file_direct(void **state)
{
	(void)state;
	arena_t *a = arena_new(4096);
	http_req req;
	http_res res;
	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	req.arena = a;
	req.method = HTTP_GET;
	res.arena = a;
	static const char *refused[] = {"", "/etc/passwd", "a\\b", "..", "sub/..", "sub/./b.txt",
					"sub//b.txt", "sub/", ".hidden", "escape.txt"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(http_send_file(&req, &res, static_dir, refused[i], NULL), 404);
		assert_null(res.file);
	}
	assert_int_equal(http_send_file(&req, &res, static_dir, NULL, NULL), 404);
	assert_int_equal(http_send_file(&req, &res, "/nonexistent-root", "a.css", NULL), 404);
	assert_int_equal(http_send_file(&req, &res, static_dir, "sub/b.txt", NULL), 200);
	assert_non_null(res.file);
	assert_string_equal(res.content_type, "text/plain; charset=utf-8");
	assert_non_null(res.etag);
	assert_true(res.last_modified > 0);
	/* Serving a second file closes the first. */
	assert_int_equal(http_send_file(&req, &res, static_dir, "A.CSS", NULL), 404);
	assert_int_equal(http_send_file(&req, &res, static_dir, "a.css", NULL), 200);
	buf_free(&res.body);
	/* What the server does with every response it is done with. */
	http_res_release(&res);
	arena_free(a);
}

static void test_client_addr(void **state)
{
	(void)state;
	wire_reply r;
	/* Not behind a trusted proxy: X-Forwarded-For is ignored. */
	get(port, "/ip", "X-Forwarded-For: 9.9.9.9\r\n", &r);
	assert_true(body_is(&r, "127.0.0.1"));
	wire_reply_free(&r);

	http_server_config cfg = base_config();
	cfg.trusted_proxy = "127.0.0.1";
	http_server *proxied = http_server_start(&cfg);
	assert_non_null(proxied);
	uint16_t pp = http_server_port(proxied);
	get(pp, "/ip", "X-Forwarded-For: 6.6.6.6, 203.0.113.7\r\n", &r);
	assert_true(body_is(&r, "203.0.113.7"));
	wire_reply_free(&r);
	/* Several header lines: the proxy's line is the last one. */
	get(pp, "/ip", "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-For: 2001:db8::0001\r\n", &r);
	assert_true(body_is(&r, "2001:db8::1"));
	wire_reply_free(&r);
	get(pp, "/ip", "X-Forwarded-For: 1.2.3.4, not-an-ip\r\n", &r);
	assert_true(body_is(&r, "127.0.0.1"));
	wire_reply_free(&r);
	get(pp, "/ip", NULL, &r);
	assert_true(body_is(&r, "127.0.0.1"));
	wire_reply_free(&r);
	http_server_stop(proxied);
}

static void test_bad_config(void **state)
{
	(void)state;
	http_server_config cfg = base_config();
	cfg.host = "localhost";
	assert_null(http_server_start(&cfg));
	cfg = base_config();
	cfg.trusted_proxy = "proxy.example";
	assert_null(http_server_start(&cfg));
	static const http_route bad_routes[] = {{HTTP_GET, "/a/*/b", h_home, HTTP_PUBLIC}};
	static const http_route_table bad = {bad_routes, 1};
	cfg = base_config();
	cfg.tables = &bad;
	assert_null(http_server_start(&cfg));
	/* Two rows for one request: one of them could never be reached. */
	static const http_route twice[] = {{HTTP_GET, "/a/:x", h_home, HTTP_PUBLIC},
					   {HTTP_GET, "/a/:y", h_text, HTTP_PUBLIC}};
	static const http_route_table twice_table = {twice, 2};
	cfg.tables = &twice_table;
	assert_null(http_server_start(&cfg));
	/* A row that is not public, and nothing to check who may use it. */
	cfg = base_config();
	cfg.access = NULL;
	assert_null(http_server_start(&cfg));
	/* A same-site row, and nothing to tell where a form comes from. */
	cfg = base_config();
	cfg.same_site = NULL;
	assert_null(http_server_start(&cfg));
	static const http_route same_public[] = {{HTTP_POST, "/p", h_home, HTTP_PUBLIC | HTTP_SAME_SITE}};
	static const http_route_table same_public_table = {same_public, 1};
	cfg.tables = &same_public_table;
	cfg.access = NULL;
	assert_null(http_server_start(&cfg));
	cfg.same_site = same_site_hook;
	http_server *ok = http_server_start(&cfg);
	assert_non_null(ok); /* public and same-site: no access hook needed */
	http_server_stop(ok);
	assert_null(http_server_start(NULL));
	http_server_stop(NULL);
}

static void test_ipv6(void **state)
{
	(void)state;
	http_server_config cfg = base_config();
	cfg.host = "::1";
	http_server *s6 = http_server_start(&cfg);
	if (s6 == NULL)
		skip(); /* no IPv6 loopback here */
	wire_reply r;
	const char *req = "GET /ip HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	exchange_at("::1", http_server_port(s6), req, strlen(req), &r);
	assert_int_equal(r.status, 200);
	assert_true(body_is(&r, "::1"));
	wire_reply_free(&r);
	http_server_stop(s6);
}

static void test_access_log(void **state)
{
	(void)state;
	char path[400];
	snprintf(path, sizeof path, "%s/access.log", root_dir);
	int logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(logfd >= 0);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(logfd, STDERR_FILENO);

	http_server_config cfg = base_config();
	cfg.quiet = 0;
	http_server *logged = http_server_start(&cfg);
	wire_reply r;
	if (logged != NULL) {
		get(http_server_port(logged), "/nope/caf%C3%A9?secret=1", NULL, &r);
		wire_reply_free(&r);
		/* The line is written once the response is out: wait for it. */
		http_server_stop(logged);
	}
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(logfd);
	assert_non_null(logged);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char text[8192];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	const char *line = strstr(text, " access GET /nope/caf%C3%A9 404 ");
	if (line == NULL)
		fail_msg("no access line in: %s", text);
	assert_null(strstr(text, "secret"));
	assert_non_null(strstr(line, "us\n"));
}

struct slow_client {
	uint16_t port;
	wire_reply r;
};

static void *slow_client_main(void *arg)
{
	struct slow_client *c = arg;
	int fd = wire_connect("127.0.0.1", c->port);
	if (fd < 0)
		return NULL;
	const char *req = "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n";
	wire_send_all(fd, req, strlen(req));
	/* Keep-alive on purpose: the server must close once it stops. */
	wire_read(fd, &c->r);
	close(fd);
	return NULL;
}

static void test_graceful_stop(void **state)
{
	(void)state;
	http_server_config cfg = base_config();
	cfg.threads = 1;
	http_server *s = http_server_start(&cfg);
	assert_non_null(s);
	uint16_t sp = http_server_port(s);
	struct slow_client c = {.port = sp};
	atomic_store(&slow_started, false);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, slow_client_main, &c), 0);
	for (int i = 0; i < 500 && !atomic_load(&slow_started); i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	assert_true(atomic_load(&slow_started));
	http_server_stop(s);
	pthread_join(t, NULL);
	assert_int_equal(c.r.status, 200);
	assert_true(body_is(&c.r, "slow done"));
	char v[32];
	assert_string_equal(header(&c.r, "Connection", v, sizeof v), "close");
	wire_reply_free(&c.r);
	/* Nobody listens any more. */
	int fd = wire_connect("127.0.0.1", sp);
	assert_true(fd < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_and_headers),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_streamed_body),
		cmocka_unit_test(test_keep_alive_two_requests),
		cmocka_unit_test(test_404_405),
		cmocka_unit_test(test_access_rule),
		cmocka_unit_test(test_same_site_rule),
		cmocka_unit_test(test_500),
		cmocka_unit_test(test_absolute_form),
		cmocka_unit_test(test_form_query_captures),
		cmocka_unit_test(test_413_content_length),
		cmocka_unit_test(test_413_chunked),
		cmocka_unit_test(test_431_and_414),
		cmocka_unit_test(test_400_paths),
		cmocka_unit_test(test_304),
		cmocka_unit_test(test_send_file),
		cmocka_unit_test(test_send_file_refusals),
		cmocka_unit_test(test_send_file_direct),
		cmocka_unit_test(test_client_addr),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_access_log),
		cmocka_unit_test(test_graceful_stop),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
