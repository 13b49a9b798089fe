/*
 * test_http_upload.c - multipart/form-data bodies through a real server on
 * 127.0.0.1: the gate, the limits, text fields, files streamed to disk and
 * deleted afterwards, malformed bodies, a client that goes away, a full
 * disk; and the file name sanitiser on its own.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/http.h"
#include "http/http_private.h"
#include "../support/wire.h"

#define BOUNDARY "----senTestBoundary7MA4YWxkTrZu0gW"

static char root_dir[256];
static char upload_dir[300];

/* ------------------------------------------------------------------ */
/* The application under test                                          */
/* ------------------------------------------------------------------ */

static uint64_t fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Lists the form and the files as the handler sees them; each file is read
 * back from its temporary path (size, hash, mode, where it is). */
static int h_up(http_req *req, http_res *res)
{
	res->content_type = "text/plain; charset=utf-8";
	const char *csrf = http_form(req, "csrf");
	buf_printf(&res->body, "n=%zu f=%zu csrf=%s\n", req->nform, req->nuploads,
		   csrf != NULL ? csrf : "(none)");
	for (size_t i = 0; i < req->nform; i++)
		buf_printf(&res->body, "F %s=%s\n", req->form[i].name, req->form[i].value);
	for (size_t i = 0; i < req->nuploads; i++) {
		const http_upload *u = &req->uploads[i];
		struct stat st;
		uint64_t h = 14695981039346656037ull;
		int fd = open(u->path, O_RDONLY | O_NOFOLLOW);
		if (fd < 0 || fstat(fd, &st) != 0) {
			buf_printf(&res->body, "U missing %s\n", u->path);
			if (fd >= 0)
				close(fd);
			continue;
		}
		unsigned char chunk[65536];
		ssize_t n;
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			h = fnv1a(chunk, (size_t)n, h);
		close(fd);
		bool inside = strncmp(u->path, upload_dir, strlen(upload_dir)) == 0 &&
			      strncmp(u->path + strlen(upload_dir), "/upload-", 8) == 0;
		buf_printf(&res->body, "U %s|%s|%s|%llu|%llu|%016llx|%o|%s\n", u->field, u->filename,
			   u->declared_type, (unsigned long long)u->size,
			   (unsigned long long)st.st_size, (unsigned long long)h,
			   (unsigned)(st.st_mode & 07777), inside ? "inside" : "OUTSIDE");
	}
	return 200;
}

static int h_plain(http_req *req, http_res *res)
{
	(void)req;
	buf_puts(&res->body, "plain");
	return 200;
}

static const http_route routes[] = {
	{HTTP_POST, "/up", h_up, HTTP_PUBLIC},
	{HTTP_POST, "/big", h_up, HTTP_PUBLIC},
	{HTTP_GET | HTTP_POST, "/plain", h_plain, HTTP_PUBLIC},
};
static const http_route_table table = {routes, sizeof routes / sizeof routes[0]};

static size_t gate(http_req *req, int *status)
{
	if (strcmp(req->path, "/up") == 0 && req->method == HTTP_POST)
		return 64 * 1024;
	if (strcmp(req->path, "/big") == 0 && req->method == HTTP_POST)
		return 8 * 1024 * 1024;
	if (strcmp(req->path, "/deny401") == 0) {
		*status = 401;
		return 0;
	}
	if (strcmp(req->path, "/deny403") == 0) {
		*status = 403;
		return 0;
	}
	*status = 415;
	return 0;
}

static void error_page(http_req *req, http_res *res, int status)
{
	buf_clear(&res->body);
	buf_printf(&res->body, "ERR %d path=[%s]", status, req->path != NULL ? req->path : "(null)");
}

static http_server_config base_config(void)
{
	http_server_config cfg = {
		.host = "127.0.0.1",
		.threads = 2,
		.max_connections = 64,
		.per_ip_connections = 64,
		.connection_timeout = 30, /* far above the waits below, so that a
					 * file gone in time was removed on disconnect */
		.connection_memory = 16 * 1024,
		.max_body = 4096,
		.tables = &table,
		.ntables = 1,
		.error_page = error_page,
		.quiet = 1,
		.upload_gate = gate,
		.upload_dir = upload_dir,
		.max_upload_files = 3,
	};
	return cfg;
}

/* ------------------------------------------------------------------ */
/* A tiny client                                                       */
/* ------------------------------------------------------------------ */

static int connect_port(uint16_t p)
{
	int fd = wire_connect("127.0.0.1", p);
	assert_true(fd >= 0);
	return fd;
}

/* A reply without a blank line has an empty body here, not a NULL one. */
static void read_reply(int fd, wire_reply *r)
{
	wire_read(fd, r);
	if (r->body == NULL)
		r->body = r->raw + r->len;
}

static http_server *srv;
static uint16_t port;

/* POSTs body to target with the given content type (NULL: multipart with
 * BOUNDARY) and Content-Length. */
static void post_to(uint16_t p, const char *target, const char *ctype, const char *body,
		    size_t len, wire_reply *r)
{
	char head[1024];
	int n = snprintf(head, sizeof head,
			 "POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 target, ctype != NULL ? ctype : "multipart/form-data; boundary=" BOUNDARY,
			 len);
	int fd = connect_port(p);
	wire_send_all(fd, head, (size_t)n);
	wire_send_all(fd, body, len);
	read_reply(fd, r);
	close(fd);
}

static void post(const char *target, const buf_t *body, wire_reply *r)
{
	post_to(port, target, NULL, body->data, body->len, r);
}

/* Multipart builders. */
static void add_field(buf_t *b, const char *name, const char *value, size_t len)
{
	buf_printf(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n", name);
	buf_append(b, value, len);
	buf_puts(b, "\r\n");
}

static void add_file(buf_t *b, const char *name, const char *filename, const char *type,
		     const void *data, size_t len)
{
	buf_printf(b,
		   "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		   "Content-Type: %s\r\n\r\n",
		   name, filename, type);
	buf_append(b, data, len);
	buf_puts(b, "\r\n");
}

static void end_body(buf_t *b)
{
	buf_puts(b, "--" BOUNDARY "--\r\n");
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Waits up to ms for the upload folder to hold `want` files. */
static int wait_files(int want, int ms)
{
	int n = count_files(upload_dir);
	for (int waited = 0; n != want && waited < ms; waited += 10) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
		n = count_files(upload_dir);
	}
	return n;
}

static int group_setup(void **state)
{
	(void)state;
	if (wire_folder(root_dir, sizeof root_dir, "/tmp/sen-upload-XXXXXX") != 0)
		return -1;
	snprintf(upload_dir, sizeof upload_dir, "%s/tmp", root_dir);
	if (http_upload_dir_prepare(upload_dir) != 0)
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

static void test_fields_and_files(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	/* Binary content with CR, LF, NUL and near-boundaries inside. */
	unsigned char bin[3000];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 7 + 3);
	/* The boundary but for its last character. */
	memcpy(bin + 100, "\r\n--" BOUNDARY, strlen(BOUNDARY) + 4);
	bin[100 + strlen(BOUNDARY) + 3] = '#';
	memcpy(bin + 1000, "\r\n--", 4);
	add_field(&b, "csrf", "abc123", 6);
	add_field(&b, "alt", "Trống đồng Ngọc Lũ", strlen("Trống đồng Ngọc Lũ"));
	add_file(&b, "file", "ảnh.jpg", "image/jpeg", bin, sizeof bin);
	add_file(&b, "more", "", "application/octet-stream", "", 0);
	add_field(&b, "empty", "", 0);
	end_body(&b);
	wire_reply r;
	post("/up", &b, &r);
	assert_int_equal(r.status, 200);
	char want[1024];
	snprintf(want, sizeof want,
		 "n=3 f=2 csrf=abc123\nF csrf=abc123\nF alt=Trống đồng Ngọc Lũ\nF empty=\n"
		 "U file|ảnh.jpg|image/jpeg|3000|3000|%016llx|600|inside\n"
		 "U more||application/octet-stream|0|0|%016llx|600|inside\n",
		 (unsigned long long)fnv1a(bin, sizeof bin, 14695981039346656037ull),
		 (unsigned long long)14695981039346656037ull);
	assert_string_equal(r.body, want);
	wire_reply_free(&r);
	/* Deleted once the answer was queued. */
	assert_int_equal(count_files(upload_dir), 0);

	/* The same body in small chunked pieces gives the same result. */
	char head[512];
	int n = snprintf(head, sizeof head,
			 "POST /up HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
			 "boundary=" BOUNDARY "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
	int fd = connect_port(port);
	wire_send_all(fd, head, (size_t)n);
	for (size_t off = 0; off < b.len; off += 7) {
		size_t len = b.len - off < 7 ? b.len - off : 7;
		char c[32];
		int cn = snprintf(c, sizeof c, "%zx\r\n", len);
		wire_send_all(fd, c, (size_t)cn);
		wire_send_all(fd, b.data + off, len);
		wire_send_all(fd, "\r\n", 2);
	}
	wire_send_all(fd, "0\r\n\r\n", 5);
	read_reply(fd, &r);
	close(fd);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, want);
	wire_reply_free(&r);
	assert_int_equal(count_files(upload_dir), 0);
	buf_free(&b);
}

/* Text fields come out in NFC, as urlencoded ones do; file names are kept
 * as sent (they name files, and upload.c has its own rule for them). */
static void test_text_fields_nfc(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	/* "Trống đồng" typed with the marks apart (NFD). */
	const char *nfd = "Tro\xCC\x82\xCC\x81ng \xC4\x91o\xCC\x82\xCC\x80ng";
	add_field(&b, "alt", nfd, strlen(nfd));
	add_file(&b, "file", "a.jpg", "image/jpeg", "x", 1);
	end_body(&b);
	wire_reply r;
	post("/up", &b, &r);
	assert_int_equal(r.status, 200);
	if (strstr(r.body, "F alt=Tr\xE1\xBB\x91ng \xC4\x91\xE1\xBB\x93ng\n") == NULL)
		fail_msg("not NFC: %s", r.body);
	wire_reply_free(&r);
	buf_free(&b);
}

static void test_filename_over_http(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	add_file(&b, "f", "../../etc/passwd", "text/plain", "x", 1);
	add_file(&b, "g", "C:\\Users\\a\\..\\evil\x01\x7f.jpg", "image/png\x01", "yy", 2);
	add_file(&b, "h", "..", "image/gif", "", 0);
	end_body(&b);
	wire_reply r;
	post("/up", &b, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "U f|passwd|text/plain|1|1|"));
	/* A declared type with a control character is not kept. */
	assert_non_null(strstr(r.body, "U g|evil.jpg||2|2|"));
	assert_non_null(strstr(r.body, "U h||image/gif|0|0|"));
	assert_null(strstr(r.body, "OUTSIDE"));
	wire_reply_free(&r);
	assert_int_equal(count_files(upload_dir), 0);
	buf_free(&b);
}

static void test_gate_answers_before_the_body(void **state)
{
	(void)state;
	static const struct {
		const char *target;
		int status;
	} cases[] = {
		{"/deny401", 401}, {"/deny403", 403}, {"/plain", 415}, {"/nowhere", 415},
		{"/up", 413}, /* 100 MB announced, 64 KiB allowed */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char head[512];
		int n = snprintf(head, sizeof head,
				 "POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
				 "boundary=" BOUNDARY "\r\nContent-Length: 100000000\r\n\r\n",
				 cases[i].target);
		int fd = connect_port(port);
		wire_send_all(fd, head, (size_t)n);
		/* Only headers were sent: the answer arrives anyway, and the
		 * server closes the connection instead of reading 100 MB. */
		wire_reply r;
		read_reply(fd, &r);
		close(fd);
		assert_int_equal(r.status, cases[i].status);
		char want[64];
		snprintf(want, sizeof want, "ERR %d path=[%s]", cases[i].status, cases[i].target);
		assert_string_equal(r.body, want);
		wire_reply_free(&r);
	}
	/* Expect: 100-continue is not answered with 100 when the gate refuses,
	 * even for a small body (which is otherwise read first, below). */
	int fd = connect_port(port);
	const char *head = "POST /deny401 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
			   "Content-Type: multipart/form-data; boundary=" BOUNDARY
			   "\r\nContent-Length: 1000\r\n\r\n";
	wire_send_all(fd, head, strlen(head));
	wire_reply r;
	read_reply(fd, &r);
	close(fd);
	assert_int_equal(r.status, 401);
	assert_null(strstr(r.raw, "100 Continue"));
	wire_reply_free(&r);
	assert_int_equal(count_files(upload_dir), 0);
}

static void test_small_refused_bodies_are_read_first(void **state)
{
	(void)state;
	/* A client that sends its whole (small) body at once gets the refusal,
	 * not a reset connection: the body is read and dropped first. */
	buf_t b = BUF_INIT;
	char filler[3000];
	memset(filler, 'f', sizeof filler);
	add_file(&b, "f", "a.jpg", "image/jpeg", filler, sizeof filler);
	end_body(&b);
	assert_true(b.len <= 4096);
	wire_reply r;
	post("/deny403", &b, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(r.body, "ERR 403 path=[/deny403]");
	wire_reply_free(&r);
	post_to(port, "/nowhere", "multipart/form-data", b.data, b.len, &r);
	assert_int_equal(r.status, 415);
	wire_reply_free(&r);
	/* The same in chunks; and chunks past max_body end it early. */
	for (int rounds = 1; rounds <= 3; rounds += 2) {
		char head[512];
		int n = snprintf(head, sizeof head,
				 "POST /deny401 HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data;"
				 " boundary=" BOUNDARY "\r\nTransfer-Encoding: chunked\r\n"
				 "Connection: close\r\n\r\n");
		int fd = connect_port(port);
		wire_send_all(fd, head, (size_t)n);
		for (int i = 0; i < rounds; i++) {
			char c[32];
			n = snprintf(c, sizeof c, "%zx\r\n", b.len);
			wire_send_all(fd, c, (size_t)n);
			wire_send_all(fd, b.data, b.len);
			wire_send_all(fd, "\r\n", 2);
		}
		if (rounds == 1)
			wire_send_all(fd, "0\r\n\r\n", 5);
		read_reply(fd, &r);
		close(fd);
		assert_int_equal(r.status, 401);
		assert_string_equal(r.body, "ERR 401 path=[/deny401]");
		wire_reply_free(&r);
	}
	buf_free(&b);
	assert_int_equal(count_files(upload_dir), 0);
}

static void test_no_gate_and_no_folder(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	add_field(&b, "a", "1", 1);
	add_file(&b, "f", "x.jpg", "image/jpeg", "abc", 3);
	end_body(&b);
	wire_reply r;

	http_server_config cfg = base_config();
	cfg.upload_gate = NULL;
	http_server *s2 = http_server_start(&cfg);
	assert_non_null(s2);
	post_to(http_server_port(s2), "/up", NULL, b.data, b.len, &r);
	assert_int_equal(r.status, 415);
	wire_reply_free(&r);
	http_server_stop(s2);

	cfg = base_config();
	cfg.upload_dir = NULL;
	s2 = http_server_start(&cfg);
	assert_non_null(s2);
	post_to(http_server_port(s2), "/up", NULL, b.data, b.len, &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);
	/* Text fields alone are fine without a folder. */
	buf_t t = BUF_INIT;
	add_field(&t, "a", "1", 1);
	end_body(&t);
	post_to(http_server_port(s2), "/up", NULL, t.data, t.len, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "n=1 f=0 csrf=(none)\nF a=1\n");
	wire_reply_free(&r);
	http_server_stop(s2);
	buf_free(&t);
	buf_free(&b);
	assert_int_equal(count_files(upload_dir), 0);
}

static void test_uploads_at_once(void **state)
{
	(void)state;
	http_server_config cfg = base_config();
	cfg.max_uploads = 1;
	http_server *s2 = http_server_start(&cfg);
	assert_non_null(s2);
	uint16_t p2 = http_server_port(s2);
	/* One upload in progress... */
	char head[512];
	int n = snprintf(head, sizeof head,
			 "POST /up HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
			 "boundary=" BOUNDARY "\r\nContent-Length: 60000\r\n\r\n"
			 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"f\"; "
			 "filename=\"a\"\r\n\r\nsome bytes");
	int fd = connect_port(p2);
	wire_send_all(fd, head, (size_t)n);
	assert_int_equal(wait_files(1, 3000), 1);
	/* ... and the next one is told to come back later, before its body. */
	buf_t b = BUF_INIT;
	add_field(&b, "a", "1", 1);
	end_body(&b);
	wire_reply r;
	post_to(p2, "/up", NULL, b.data, b.len, &r);
	assert_int_equal(r.status, 503);
	wire_reply_free(&r);
	close(fd);
	assert_int_equal(wait_files(0, 3000), 0);
	/* The slot is free again once the first request has ended. */
	int status = 0;
	for (int i = 0; i < 100 && status != 200; i++) {
		post_to(p2, "/up", NULL, b.data, b.len, &r);
		status = r.status;
		wire_reply_free(&r);
		if (status != 200) {
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(status, 200);
	buf_free(&b);
	http_server_stop(s2);
}

static void test_chunked_over_the_cap(void **state)
{
	(void)state;
	char head[512];
	int n = snprintf(head, sizeof head,
			 "POST /up HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
			 "boundary=" BOUNDARY "\r\nTransfer-Encoding: chunked\r\n\r\n");
	int fd = connect_port(port);
	wire_send_all(fd, head, (size_t)n);
	buf_t b = BUF_INIT;
	buf_printf(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"f\"; "
		       "filename=\"a.bin\"\r\n\r\n");
	char c[32];
	n = snprintf(c, sizeof c, "%zx\r\n", b.len);
	wire_send_all(fd, c, (size_t)n);
	wire_send_all(fd, b.data, b.len);
	wire_send_all(fd, "\r\n", 2);
	/* 16 KiB chunks, never a last one: the 413 must come once 64 KiB pass. */
	char chunk[16384];
	memset(chunk, 'z', sizeof chunk);
	time_t t0 = time(NULL);
	for (int i = 0; i < 8; i++) {
		wire_send_all(fd, "4000\r\n", 6);
		wire_send_all(fd, chunk, sizeof chunk);
		wire_send_all(fd, "\r\n", 2);
	}
	wire_reply r;
	read_reply(fd, &r);
	close(fd);
	assert_int_equal(r.status, 413);
	assert_true(time(NULL) - t0 < 4);
	assert_non_null(strstr(r.body, "ERR 413 path=[/up]"));
	wire_reply_free(&r);
	buf_free(&b);
	assert_int_equal(wait_files(0, 2000), 0);
}

static void test_too_many_parts(void **state)
{
	(void)state;
	/* 10,000 tiny fields within the byte cap: refused at part 260, and the
	 * rest is read and dropped. */
	buf_t b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n"
			       "%d\r\n",
			   i, i);
	end_body(&b);
	assert_true(b.len > 64 * 1024);
	/* The /big gate allows 8 MiB. */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wire_reply r;
	post("/big", &b, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.status, 413);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	wire_reply_free(&r);
	buf_free(&b);

	/* Fields alone: HTTP_MAX_FIELDS are kept, one more is refused. */
	for (int extra = 0; extra < 2; extra++) {
		buf_t f = BUF_INIT;
		for (int i = 0; i < HTTP_MAX_FIELDS + extra; i++)
			add_field(&f, "k", "v", 1);
		end_body(&f);
		post("/big", &f, &r);
		assert_int_equal(r.status, extra == 0 ? 200 : 413);
		if (extra == 0)
			assert_non_null(strstr(r.body, "n=256 f=0"));
		wire_reply_free(&r);
		buf_free(&f);
	}

	/* Four files where three are allowed: none is left behind. */
	b = (buf_t)BUF_INIT;
	for (int i = 0; i < 4; i++)
		add_file(&b, "f", "a.jpg", "image/jpeg", "data", 4);
	end_body(&b);
	post("/up", &b, &r);
	assert_int_equal(r.status, 413);
	wire_reply_free(&r);
	buf_free(&b);
	assert_int_equal(count_files(upload_dir), 0);

	/* The server is still there. */
	post_to(port, "/plain", "text/plain", "x", 1, &r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);
}

static void test_text_limits(void **state)
{
	(void)state;
	wire_reply r;
	/* All text values together may have max_body (4096) bytes. */
	char big[3000];
	memset(big, 'a', sizeof big);
	buf_t b = BUF_INIT;
	add_field(&b, "a", big, sizeof big);
	add_file(&b, "f", "x", "image/png", "1", 1);
	add_field(&b, "b", big, sizeof big);
	end_body(&b);
	post("/up", &b, &r);
	assert_int_equal(r.status, 413);
	wire_reply_free(&r);
	buf_free(&b);
	assert_int_equal(count_files(upload_dir), 0);

	/* A field name over 256 bytes. */
	char name[300];
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	b = (buf_t)BUF_INIT;
	add_field(&b, name, "v", 1);
	end_body(&b);
	post("/up", &b, &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);
	buf_free(&b);
}

static void test_malformed(void **state)
{
	(void)state;
	wire_reply r;
	buf_t good = BUF_INIT;
	add_field(&good, "a", "1", 1);
	add_file(&good, "f", "x.jpg", "image/jpeg", "abcdef", 6);
	end_body(&good);

	static const char *const bad_types[] = {
		"multipart/form-data",                              /* no boundary */
		"multipart/form-data; boundary=",                   /* empty */
		"multipart/form-data; boundary=other",              /* not the body's */
		"multipart/form-data; boundary=" BOUNDARY "; x=y",  /* parameters after it */
		"multipart/form-data; boundary=\"" BOUNDARY "",     /* one quote */
		("multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),             /* 90 characters */
	};
	for (size_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++) {
		post_to(port, "/up", bad_types[i], good.data, good.len, &r);
		assert_int_equal(r.status, 400);
		wire_reply_free(&r);
	}
	/* A quoted boundary is fine. */
	post_to(port, "/up", "multipart/form-data; boundary=\"" BOUNDARY "\"", good.data, good.len,
		&r);
	assert_int_equal(r.status, 200);
	wire_reply_free(&r);

	/* Truncated anywhere: 400, nothing left. */
	size_t cuts[] = {0, 1, 10, 60, good.len / 2, good.len - 10, good.len - 3};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		post_to(port, "/up", NULL, good.data, cuts[i], &r);
		assert_int_equal(r.status, 400);
		wire_reply_free(&r);
	}
	assert_int_equal(count_files(upload_dir), 0);

	static const char *const bodies[] = {
		/* garbage before the boundary */
		"xx--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" BOUNDARY
		"--\r\n",
		/* invalid UTF-8 in a value, then in a name */
		"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--" BOUNDARY
		"--\r\n",
		"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"\xc3\x28\"\r\n\r\n1\r\n--" BOUNDARY
		"--\r\n",
		/* a part without a name */
		"--" BOUNDARY "\r\nContent-Disposition: form-data\r\n\r\n1\r\n--" BOUNDARY "--\r\n",
		/* no parts at all */
		"--" BOUNDARY "--\r\n",
		/* data after the end */
		"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" BOUNDARY
		"--\r\nmore",
		/* a boundary not followed by a line end; padded */
		"--" BOUNDARY "xContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" BOUNDARY
		"--\r\n",
		"--" BOUNDARY " \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" BOUNDARY
		"--\r\n",
		/* a file name cut by CR LF: libmicrohttpd alone would make the
		 * part a text field named "f" */
		"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../a\r\n"
		"X: y.png\"\r\n\r\nGIF89a\r\n--" BOUNDARY "--\r\n",
		/* bare LF and bare CR line ends */
		"--" BOUNDARY "\nContent-Disposition: form-data; name=\"a\"\n\n1\n--" BOUNDARY "--\n",
		"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\n\r\n1\r\n--" BOUNDARY
		"--\r\n",
		"--" BOUNDARY "\r\nContent-Disposition: form-data; na\rme=\"a\"\r\n\r\n1\r\n--" BOUNDARY
		"--\r\n",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		post_to(port, "/up", NULL, bodies[i], strlen(bodies[i]), &r);
		assert_int_equal(r.status, 400);
		wire_reply_free(&r);
	}
	/* A NUL byte in a text value. */
	const char nul[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
			   "a\0b\r\n--" BOUNDARY "--\r\n";
	post_to(port, "/up", NULL, nul, sizeof nul - 1, &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);
	buf_t b;
	/* Seventeen header lines, and 9 KiB of headers in lines of 1 KiB. */
	for (int round = 0; round < 2; round++) {
		buf_t h = BUF_INIT;
		buf_puts(&h, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"\r\n");
		for (int i = 0; i < (round == 0 ? 16 : 9); i++) {
			buf_printf(&h, "X-%d: ", i);
			for (int k = 0; k < (round == 0 ? 1 : 1024); k++)
				buf_putc(&h, 'v');
			buf_puts(&h, "\r\n");
		}
		buf_puts(&h, "\r\n1\r\n--" BOUNDARY "--\r\n");
		post_to(port, "/up", NULL, h.data, h.len, &r);
		assert_int_equal(r.status, 400);
		wire_reply_free(&r);
		buf_free(&h);
	}
	/* Quotes, semicolons and equals signs inside a quoted file name are fine. */
	b = (buf_t)BUF_INIT;
	add_file(&b, "f", "a; name=b.jpg", "image/jpeg", "z", 1);
	end_body(&b);
	post("/up", &b, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "U f|a; name=b.jpg|image/jpeg|1|1|"));
	wire_reply_free(&r);
	buf_free(&b);
	/* A header line longer than the parser's buffer. */
	b = (buf_t)BUF_INIT;
	buf_puts(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"a\"; x=\"");
	for (int i = 0; i < 5000; i++)
		buf_putc(&b, 'q');
	buf_puts(&b, "\"\r\n\r\n1\r\n--" BOUNDARY "--\r\n");
	post_to(port, "/up", NULL, b.data, b.len, &r);
	assert_int_equal(r.status, 400);
	wire_reply_free(&r);
	buf_free(&b);

	buf_free(&good);
	assert_int_equal(count_files(upload_dir), 0);
}

static void test_client_goes_away(void **state)
{
	(void)state;
	char head[512];
	int n = snprintf(head, sizeof head,
			 "POST /up HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
			 "boundary=" BOUNDARY "\r\nContent-Length: 60000\r\n\r\n");
	buf_t b = BUF_INIT;
	buf_printf(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"f\"; "
		       "filename=\"a.bin\"\r\n\r\n");
	char half[20000];
	memset(half, 'h', sizeof half);
	buf_append(&b, half, sizeof half);
	int fd = connect_port(port);
	wire_send_all(fd, head, (size_t)n);
	wire_send_all(fd, b.data, b.len);
	/* The file exists while the body arrives, private to the server. */
	assert_int_equal(wait_files(1, 10000), 1);
	DIR *d = opendir(upload_dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		assert_memory_equal(e->d_name, "upload-", 7);
		assert_int_equal(strlen(e->d_name), 7 + 32);
		struct stat st;
		assert_int_equal(fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(st.st_mode & 07777, 0600);
	}
	closedir(d);
	close(fd);
	assert_int_equal(wait_files(0, 10000), 0);

	/* The same with a chunked body: gone on disconnect, not after the 30 s idle
	 * timeout (10 s of slack for a loaded machine under ASan). */
	fd = connect_port(port);
	n = snprintf(head, sizeof head,
		     "POST /up HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
		     "boundary=" BOUNDARY "\r\nTransfer-Encoding: chunked\r\n\r\n");
	wire_send_all(fd, head, (size_t)n);
	for (size_t off = 0; off < b.len; off += 4096) {
		size_t len = b.len - off < 4096 ? b.len - off : 4096;
		char c[32];
		int cn = snprintf(c, sizeof c, "%zx\r\n", len);
		wire_send_all(fd, c, (size_t)cn);
		wire_send_all(fd, b.data + off, len);
		wire_send_all(fd, "\r\n", 2);
	}
	assert_int_equal(wait_files(1, 10000), 1);
	close(fd);
	assert_int_equal(wait_files(0, 10000), 0);
	buf_free(&b);
}

static void test_big_file_and_full_disk(void **state)
{
	(void)state;
	/* 5 MiB streamed through; the handler reads back the same bytes. */
	size_t size = 5 * 1024 * 1024;
	unsigned char *data = malloc(size);
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (unsigned char)((i * 2654435761u) >> 13);
	buf_t b = BUF_INIT;
	add_file(&b, "f", "big.bin", "application/octet-stream", data, size);
	end_body(&b);
	wire_reply r;
	post("/big", &b, &r);
	assert_int_equal(r.status, 200);
	char want[256];
	snprintf(want, sizeof want, "U f|big.bin|application/octet-stream|%zu|%zu|%016llx|600|inside\n",
		 size, size, (unsigned long long)fnv1a(data, size, 14695981039346656037ull));
	assert_non_null(strstr(r.body, want));
	wire_reply_free(&r);
	assert_int_equal(count_files(upload_dir), 0);

	/* A file size limit makes write() fail with EFBIG, as a full disk
	 * fails with ENOSPC: 507, and the partial file is gone. */
	struct rlimit old;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit small = {256 * 1024, old.rlim_max};
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	post("/big", &b, &r);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(r.status, 507);
	wire_reply_free(&r);
	assert_int_equal(count_files(upload_dir), 0);
	buf_free(&b);
	free(data);
}

static void test_prepare_folder(void **state)
{
	(void)state;
	char dir[400], path[500];
	snprintf(dir, sizeof dir, "%s/prep", root_dir);
	assert_int_equal(http_upload_dir_prepare(dir), 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Leftovers of a crash go; anything else stays. */
	snprintf(path, sizeof path, "%s/upload-0123456789abcdef0123456789abcdef", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof path, "%s/keep.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	chmod(dir, 0755);
	assert_int_equal(http_upload_dir_prepare(dir), 0);
	assert_int_equal(count_files(dir), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* A symlink in the folder's place is refused, not followed. */
	char link[400];
	snprintf(link, sizeof link, "%s/link", root_dir);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(http_upload_dir_prepare(link), -1);
	assert_int_equal(http_upload_dir_prepare(NULL), -1);
	assert_int_equal(http_upload_dir_prepare("/proc/no/such/dir"), -1);
}

static void check_name(arena_t *a, const char *raw, size_t len, const char *want)
{
	const char *got = http_upload_filename(a, raw, len);
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void test_filename_sanitiser(void **state)
{
	(void)state;
	arena_t *a = arena_new(4096);
	assert_non_null(a);
#define NAME(raw, want) check_name(a, raw, sizeof raw - 1, want)
	NAME("photo.jpg", "photo.jpg");
	NAME("../../etc/passwd", "passwd");
	NAME("..\\..\\boot.ini", "boot.ini");
	NAME("C:\\Users\\x\\Ảnh đẹp.png", "Ảnh đẹp.png");
	NAME("dir/", "");
	NAME("", "");
	NAME("..", "");
	NAME(".", "");
	NAME("a/..", "");
	NAME("...", "...");
	NAME("a\r\nSet-Cookie: x=1.jpg", "aSet-Cookie: x=1.jpg");
	NAME("a\0b.jpg", "ab.jpg");
	NAME("tab\there\x7f.jpg", "tabhere.jpg");
	NAME("c1\xc2\x85\xc2\x9f.jpg", "c1.jpg");                /* NEL and C1 */
	NAME("x\xe2\x80\xaegpj.exe", "xgpj.exe");                /* RIGHT-TO-LEFT OVERRIDE */
	NAME("\xe2\x81\xa6i\xe2\x81\xa9.png", "i.png");           /* isolates */
	NAME("line\xe2\x80\xa8sep", "linesep");
	NAME("bad\xff\xfe.jpg", "bad.jpg");
	NAME("overlong\xc0\xaf.jpg", "overlong.jpg");
	NAME("surrogate\xed\xa0\x80.jpg", "surrogate.jpg");
	NAME("big\xf4\x90\x80\x80.jpg", "big.jpg");
	NAME("cut\xe1\xba", "cut");
	NAME("emoji\xf0\x9f\x8c\xb8.png", "emoji\xf0\x9f\x8c\xb8.png");
#undef NAME
	/* 300 bytes of ASCII: cut at 255. */
	char long_ascii[300];
	memset(long_ascii, 'a', sizeof long_ascii);
	const char *got = http_upload_filename(a, long_ascii, sizeof long_ascii);
	assert_int_equal(strlen(got), 255);
	/* 100 three-byte letters: cut between characters, 85 of them. */
	char vi[300];
	for (int i = 0; i < 100; i++)
		memcpy(vi + i * 3, "\xe1\xba\xa3", 3); /* ả */
	got = http_upload_filename(a, vi, sizeof vi);
	assert_int_equal(strlen(got), 255);
	assert_memory_equal(got + 252, "\xe1\xba\xa3", 3);
	vi[298] = 'x';
	vi[299] = 'y';
	got = http_upload_filename(a, vi + 1, 299); /* starts mid-character */
	assert_int_equal(strlen(got), 255);
	/* NULL means "". */
	got = http_upload_filename(a, NULL, 5);
	assert_string_equal(got, "");
	assert_null(http_upload_filename(NULL, "a", 1));
	arena_free(a);
}

static void test_is_multipart(void **state)
{
	(void)state;
	assert_true(http_is_multipart("multipart/form-data; boundary=x"));
	assert_true(http_is_multipart("Multipart/Form-Data;boundary=x"));
	assert_true(http_is_multipart("multipart/form-data"));
	assert_false(http_is_multipart("multipart/form-datax"));
	assert_false(http_is_multipart("multipart/mixed; boundary=x"));
	assert_false(http_is_multipart("application/x-www-form-urlencoded"));
	assert_false(http_is_multipart(NULL));
	assert_false(http_is_multipart(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_multipart),
		cmocka_unit_test(test_filename_sanitiser),
		cmocka_unit_test(test_prepare_folder),
		cmocka_unit_test(test_fields_and_files),
		cmocka_unit_test(test_filename_over_http),
		cmocka_unit_test(test_text_fields_nfc),
		cmocka_unit_test(test_gate_answers_before_the_body),
		cmocka_unit_test(test_small_refused_bodies_are_read_first),
		cmocka_unit_test(test_no_gate_and_no_folder),
		cmocka_unit_test(test_uploads_at_once),
		cmocka_unit_test(test_chunked_over_the_cap),
		cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_client_goes_away),
		cmocka_unit_test(test_big_file_and_full_disk),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
