/*
 * server.c - the libmicrohttpd daemon and the life of one request.
 *
 * A request moves through four libmicrohttpd callbacks:
 *   on_request_line  the request line is read: a context with its arena;
 *   on_request       first call: headers are in, check target, path, query
 *                    and Content-Length (errors are answered at once, the
 *                    body is never read), and for multipart/form-data ask
 *                    the upload gate; data calls: collect the body up to
 *                    max_body, or stream a multipart body through upload.c
 *                    (files to disk) up to the gate's limit; last call:
 *                    route, check access, run the handler, respond, delete
 *                    the uploads;
 *   on_completed     the response is sent (or the connection died): one
 *                    access-log line, the arena goes away.
 * The server struct is read-only while serving except for two atomics, so
 * the worker threads share it without locks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/fault.h"
#include "core/log.h"
#include "http/http_private.h"

#define DEFAULT_THREADS 1
#define DEFAULT_MAX_CONNECTIONS 512
#define DEFAULT_PER_IP 32
#define DEFAULT_TIMEOUT 30
#define DEFAULT_MEMORY (32 * 1024)
/* The request line (up to HTTP_MAX_PATH and more), the headers, and
 * libmicrohttpd's own response headers all share connection_memory. */
#define MIN_MEMORY (8 * 1024)
#define DEFAULT_MAX_BODY (1024 * 1024)
#define DEFAULT_BACKLOG 511
#define DEFAULT_MAX_UPLOADS 16
#define ARENA_FIRST_BLOCK 8192
/* How long http_server_stop() waits for requests already running. */
#define STOP_WAIT_MS 10000

struct http_server {
	struct MHD_Daemon *daemon;
	http_server_config cfg;      /* with defaults filled in */
	char proxy[INET6_ADDRSTRLEN]; /* trusted_proxy, normalised; "" = none */
	uint16_t port;
	atomic_uint inflight;        /* requests between request line and completion */
	atomic_bool stopping;
	atomic_uint uploads;         /* multipart bodies being read */
};

typedef struct {
	http_server *srv;
	arena_t *arena;
	http_req req;
	http_res res;
	const char *raw_path;        /* raw target up to '?', for the access log */
	char *body;
	size_t body_len, body_size;
	http_multipart *multipart;   /* a multipart/form-data body being read */
	uint64_t upload_cap;         /* its limit, from upload_gate */
	uint64_t upload_seen;        /* its bytes so far */
	uint64_t upload_length;      /* its Content-Length; UINT64_MAX = chunked */
	int upload_status;           /* its first error; 0 = none */
	int drain_status;            /* a refused multipart body being read and
				      * dropped, answered with this at its end */
	bool upload_slot;            /* counted in srv->uploads */
	uint64_t drained;
	uint64_t start_us;
	uint64_t bytes;
	int status;                  /* what was sent; 0 = nothing yet */
	bool started, responded;
	bool close;                  /* the framing is ambiguous: answer, then close */
} request_ctx;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ------------------------------------------------------------------ */
/* Client address                                                      */
/* ------------------------------------------------------------------ */

/* Numeric form of a socket address; IPv4-mapped IPv6 shows as IPv4. */
static bool format_addr(const struct sockaddr *sa, char *out, size_t len)
{
	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)len) != NULL;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			return inet_ntop(AF_INET, in6->sin6_addr.s6_addr + 12, out, (socklen_t)len) !=
			       NULL;
		return inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)len) != NULL;
	}
	return false;
}

/* Normalises a numeric address ("::0001" -> "::1"); false if not numeric. */
static bool normalise_addr(const char *s, size_t len, char *out, size_t outlen)
{
	char tmp[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	if (len == 0 || len >= sizeof tmp)
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)outlen) != NULL;
	if (inet_pton(AF_INET6, tmp, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outlen) != NULL;
	return false;
}

static enum MHD_Result last_forwarded_for(void *cls, enum MHD_ValueKind kind, const char *key,
					  const char *value)
{
	(void)kind;
	if (key != NULL && value != NULL && strcasecmp(key, "X-Forwarded-For") == 0)
		*(const char **)cls = value;
	return MHD_YES;
}

/* The peer, or behind the trusted proxy the address the proxy appended
 * last: earlier X-Forwarded-For entries are whatever the client claimed. */
static const char *client_address(http_server *srv, struct MHD_Connection *conn, arena_t *a)
{
	char peer[INET6_ADDRSTRLEN];
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || !format_addr(ci->client_addr, peer, sizeof peer))
		return "-";
	if (srv->proxy[0] != '\0' && strcmp(peer, srv->proxy) == 0) {
		const char *xff = NULL;
		MHD_get_connection_values(conn, MHD_HEADER_KIND, last_forwarded_for, &xff);
		if (xff != NULL) {
			const char *comma = strrchr(xff, ',');
			const char *p = comma != NULL ? comma + 1 : xff;
			while (*p == ' ' || *p == '\t')
				p++;
			size_t len = strlen(p);
			while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			char fwd[INET6_ADDRSTRLEN];
			if (normalise_addr(p, len, fwd, sizeof fwd))
				return arena_strdup(a, fwd);
		}
	}
	return arena_strdup(a, peer);
}

/* ------------------------------------------------------------------ */
/* Request setup (first call, headers complete)                         */
/* ------------------------------------------------------------------ */

static bool is_form(const char *content_type)
{
	static const char form[] = "application/x-www-form-urlencoded";
	size_t n = sizeof form - 1;
	if (content_type == NULL || strncasecmp(content_type, form, n) != 0)
		return false;
	char next = content_type[n];
	return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* Asks the upload gate about a multipart body and prepares to read it.
 * Returns 0 (ctx->multipart set), or the status that answers at once. */
static int begin_multipart(request_ctx *ctx, const char *content_type, bool has_length,
			   uint64_t length)
{
	const http_server_config *cfg = &ctx->srv->cfg;
	if (cfg->upload_gate == NULL)
		return 415;
	int status = 0;
	size_t cap = cfg->upload_gate(&ctx->req, &status);
	if (cap == 0)
		return status >= 400 && status <= 599 ? status : 403;
	if (has_length && length > cap)
		return 413;
	/* Disk and memory for uploads are bounded by how many run at once. */
	if (atomic_fetch_add(&ctx->srv->uploads, 1) >= cfg->max_uploads) {
		atomic_fetch_sub(&ctx->srv->uploads, 1);
		log_warn("http: %u uploads at once, one more refused", cfg->max_uploads);
		return 503;
	}
	ctx->upload_slot = true;
	ctx->upload_cap = cap;
	ctx->upload_length = has_length ? length : UINT64_MAX;
	ctx->multipart = http_multipart_new(&ctx->req, content_type, cfg->upload_dir,
					    cfg->max_upload_files, cfg->max_body, &status);
	return ctx->multipart != NULL ? 0 : status;
}

/* Count of '&'-separated fields, at most HTTP_MAX_FIELDS: the array size. */
static size_t field_slots(const char *s, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len && n < HTTP_MAX_FIELDS; i++)
		if (s[i] == '&')
			n++;
	return n;
}

static int parse_fields(arena_t *a, const char *s, size_t len, http_kv **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (len == 0)
		return 0;
	size_t slots = field_slots(s, len);
	http_kv *fields = arena_calloc(a, slots, sizeof *fields);
	if (fields == NULL)
		return -1;
	int count = http_parse_urlencoded(a, s, len, fields, slots);
	if (count < 0)
		return -1;
	*out = fields;
	*n = (size_t)count;
	return 0;
}

/* The path-and-query part of the target. A server must accept the
 * absolute form "http://host/path?q" too (RFC 9112, 3.2.2); the host in it
 * is not used for anything. */
static const char *origin_form(arena_t *a, const char *target)
{
	const char *rest;
	if (strncasecmp(target, "http://", 7) == 0)
		rest = target + 7;
	else if (strncasecmp(target, "https://", 8) == 0)
		rest = target + 8;
	else
		return target;
	rest += strcspn(rest, "/?");
	return *rest == '/' ? rest : arena_sprintf(a, "/%s", rest);
}

/* Strict Content-Length: digits only; huge values saturate. */
static bool parse_length(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			v = UINT64_MAX - 9;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/*
 * Where a request's body ends must be read the same way by Sen and by any
 * proxy in front, or the rest of one request is taken as the next one
 * ("request smuggling"). libmicrohttpd 0.9.75 takes the first of two
 * Content-Length headers, lets Transfer-Encoding: chunked override a
 * Content-Length and keep the connection, and keeps "Content-Length : N"
 * as a header named "Content-Length " that frames nothing. RFC 9112 says a
 * server must refuse whitespace before the colon (§5.1) and should close the
 * connection when both length headers come (§6.1): such a request gets 400
 * and "Connection: close", so nothing after it is read as a request. So
 * does a second Content-Length even with the same value, a second
 * Transfer-Encoding, or one whose value is not exactly "chunked" (the only
 * coding libmicrohttpd reads).
 */
typedef struct {
	int content_lengths, transfer_encodings;
	bool bad_name, bad_coding;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	framing *f = cls;
	if (key == NULL)
		return MHD_YES;
	if (key[strcspn(key, " \t")] != '\0')
		f->bad_name = true;
	if (strcasecmp(key, "Content-Length") == 0) {
		f->content_lengths++;
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->transfer_encodings++;
		if (value == NULL || strcasecmp(value, "chunked") != 0)
			f->bad_coding = true;
	}
	return MHD_YES;
}

/* True when the request's headers frame its body in more than one way. */
static bool framing_ambiguous(struct MHD_Connection *conn)
{
	framing f = {0, 0, false, false};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	return f.bad_name || f.bad_coding || f.content_lengths > 1 || f.transfer_encodings > 1 ||
	       (f.content_lengths > 0 && f.transfer_encodings > 0);
}

/* An early error leaves the path undecoded, but the error page must still
 * tell an API client (JSON) from a browser (HTML): a target under /api/
 * gets the path "/api/", which names no resource and is never routed. */
static int api_or_not(http_req *req, const char *target, int status)
{
	if (strncmp(target, "/api/", 5) == 0)
		req->path = "/api/";
	return status;
}

/* Fills ctx->req from the headers. Returns 0, or the status that answers
 * the request at once (400, 413, 414, 500). */
static int begin_request(request_ctx *ctx, struct MHD_Connection *conn, const char *method)
{
	http_server *srv = ctx->srv;
	http_req *req = &ctx->req;
	arena_t *a = ctx->arena;
	req->method_name = arena_strdup(a, method);
	req->method = http_method_parse(method);
	req->arena = a;
	req->app = srv->cfg.app;
	req->conn = conn;
	req->path = "";
	req->client_addr = client_address(srv, conn, a);
	if (req->method_name == NULL || req->client_addr == NULL)
		return 500;

	if (framing_ambiguous(conn)) {
		ctx->close = true;
		return api_or_not(req, req->raw_target, 400);
	}
	size_t target_len = strlen(req->raw_target);
	if (target_len > HTTP_MAX_PATH)
		return api_or_not(req, req->raw_target, 414);
	const char *target = origin_form(a, req->raw_target);
	if (target == NULL)
		return 500;
	req->raw_target = target;
	target_len = strlen(target);
	const char *q = memchr(target, '?', target_len);
	size_t path_len = q != NULL ? (size_t)(q - target) : target_len;
	const char *path = http_path_decode(a, target, path_len);
	if (path == NULL)
		return api_or_not(req, target, 400);
	req->path = path;
	if (q != NULL && parse_fields(a, q + 1, target_len - path_len - 1, &req->query,
				      &req->nquery) != 0)
		return 400;

	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	uint64_t len = 0;
	if (cl != NULL && !parse_length(cl, &len)) {
		/* libmicrohttpd may have read a length out of it all the same. */
		ctx->close = true;
		return 400;
	}
	/* A multipart body is streamed (files to disk) within the limit the
	 * gate gives; the gate runs before a byte of the body is read. */
	const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	if (http_is_multipart(ctype)) {
		int status = begin_multipart(ctx, ctype, cl != NULL, len);
		/* A client that sends its body without waiting would read a
		 * connection reset instead of an early answer; a body within
		 * max_body is read and dropped first, so that it reads the
		 * refusal. Larger ones, and clients that wait for "100
		 * Continue", are answered at once. */
		const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
		if (status != 0 && status != 413 && (cl == NULL || len <= srv->cfg.max_body) &&
		    expect == NULL) {
			ctx->drain_status = status;
			return 0;
		}
		return status;
	}
	if (cl != NULL) {
		if (len > srv->cfg.max_body)
			return 413;
		/* The whole body fits in one allocation of known size. */
		if (len > 0) {
			ctx->body = arena_alloc(a, (size_t)len + 1);
			if (ctx->body == NULL)
				return 500;
			ctx->body_size = (size_t)len + 1;
		}
	}
	return 0;
}

/* Appends upload data; -1 when the body would exceed max_body (or, very
 * rarely, when memory runs out: the body cannot be kept either way). */
static int append_body(request_ctx *ctx, const char *data, size_t len)
{
	size_t max = ctx->srv->cfg.max_body;
	if (len > max - ctx->body_len)
		return -1;
	size_t need = ctx->body_len + len + 1;
	if (need > ctx->body_size) {
		/* Chunked bodies grow by doubling: at most twice max_body is used. */
		size_t size = ctx->body_size > 0 ? ctx->body_size : 4096;
		while (size < need)
			size *= 2;
		if (size > max + 1)
			size = max + 1;
		char *grown = arena_alloc(ctx->arena, size);
		if (grown == NULL)
			return -1;
		if (ctx->body_len > 0)
			memcpy(grown, ctx->body, ctx->body_len);
		ctx->body = grown;
		ctx->body_size = size;
	}
	memcpy(ctx->body + ctx->body_len, data, len);
	ctx->body_len += len;
	ctx->body[ctx->body_len] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

static void fresh_response(request_ctx *ctx)
{
	http_res_release(&ctx->res);
	http_res_init(&ctx->res, ctx->arena);
	if (ctx->srv->cfg.before != NULL)
		ctx->srv->cfg.before(&ctx->req, &ctx->res);
}

static void fill_error(request_ctx *ctx, int status)
{
	http_res *res = &ctx->res;
	res->status = status;
	if (ctx->srv->cfg.error_page != NULL)
		ctx->srv->cfg.error_page(&ctx->req, res, status);
	if (res->body.len == 0 && res->file == NULL && res->file_path == NULL &&
	    res->stream == NULL) {
		/* No error page configured (or it wrote nothing): a bare one that
		 * says only what the status line says. */
		const char *reason = MHD_get_reason_phrase_for((unsigned)status);
		buf_printf(&res->body, "%d %s\n", status, reason != NULL ? reason : "");
		res->content_type = "text/plain; charset=utf-8";
	}
	res->status = status;
}

/* Routes and runs the handler; returns the status to send. */
static int run_handler(request_ctx *ctx)
{
	http_server *srv = ctx->srv;
	http_req *req = &ctx->req;
	unsigned allowed = 0;
	const http_route *route = http_route_find(srv->cfg.tables, srv->cfg.ntables, req, &allowed);
	if (route == NULL) {
		if (allowed == 0)
			return 404;
		const char *allow = http_allow_header(ctx->arena, allowed);
		if (allow != NULL)
			http_res_header(&ctx->res, "Allow", allow);
		return 405;
	}
	/* The row's access rule first, then where its form came from: a
	 * refusal is the hook's answer. */
	int status = HTTP_ACCESS_PUBLIC(route->access) ? 0 : srv->cfg.access(req, &ctx->res, route);
	/* A row for signed-in users answers with their session's secrets (CSRF
	 * tokens) beside what they typed: never compressed (BREACH). */
	if (!HTTP_ACCESS_PUBLIC(route->access))
		ctx->res.no_compress = true;
	if (status == 0 && (route->access & HTTP_SAME_SITE) != 0 &&
	    (req->method & (HTTP_GET | HTTP_HEAD | HTTP_OPTIONS)) == 0)
		status = srv->cfg.same_site(req, &ctx->res);
	if (status == 0)
		status = route->handler(req, &ctx->res);
	if (status < 100 || status > 599 || ctx->res.body.failed) {
		log_error("http: %s %s: handler failed (status %d%s)", req->method_name, ctx->raw_path,
			  status, ctx->res.body.failed ? ", body too large or out of memory" : "");
		/* Nothing the failed handler set may leak into the 500 page. */
		fresh_response(ctx);
		return 500;
	}
	return status;
}

/* Builds the response for status (0 = route and run the handler) and
 * queues it. */
static enum MHD_Result respond(request_ctx *ctx, struct MHD_Connection *conn, int status)
{
	http_res *res = &ctx->res;
	fault_memory_clear();
	fresh_response(ctx);
	if (status == 0 && ctx->req.body != NULL && is_form(http_header(&ctx->req, "Content-Type")) &&
	    parse_fields(ctx->arena, ctx->req.body, ctx->req.body_len, &ctx->req.form,
			 &ctx->req.nform) != 0)
		status = 400;
	if (status == 0)
		status = run_handler(ctx);
	/* Out of memory is the server's failure, whatever the code that ran
	 * into it answered: not the client's (a failed route capture looks like
	 * 404, a failed form parse like 400; core/arena.h), and not a success
	 * either (a list row that could not be made, a sidebar whose query
	 * failed, are left out without a word; core/fault.h). */
	const char *allocator = fault_memory_failed();
	if (allocator == NULL && arena_failed(ctx->arena))
		allocator = "arena";
	if (status < 500 && allocator != NULL) {
		log_error("http: %s %s: out of memory (%s) while answering %d", ctx->req.method_name,
			  ctx->raw_path, allocator, status);
		fresh_response(ctx);
		status = 500;
	}
	if (status == 500 && ctx->srv->cfg.failure_status != NULL) {
		int temporary = ctx->srv->cfg.failure_status(&ctx->req);
		if (temporary != 500 && temporary >= 400 && temporary <= 599) {
			fresh_response(ctx);
			status = temporary;
		}
	}
	if (status >= 400 && res->body.len == 0 && res->file == NULL && res->file_path == NULL &&
	    res->stream == NULL)
		fill_error(ctx, status);
	res->status = status;
	ctx->responded = true;
	/* Read after the handler: a stop may have begun while it ran. */
	bool closing = ctx->close || atomic_load(&ctx->srv->stopping);
	int queued = http_response_queue(conn, &ctx->req, res, closing, &ctx->bytes);
	/* The handler has kept what it wanted of the uploaded files. */
	http_multipart_cleanup(ctx->multipart);
	if (queued == 0) {
		ctx->status = res->status;
		return MHD_YES;
	}
	/* The response could not be built (a bad header, a vanished file):
	 * one more try with the plain 500 page, then give up the connection. */
	if (status != 500) {
		fresh_response(ctx);
		fill_error(ctx, 500);
		if (http_response_queue(conn, &ctx->req, res, closing, &ctx->bytes) == 0) {
			ctx->status = 500;
			return MHD_YES;
		}
	}
	return MHD_NO;
}

/* A chunked body has grown past max_body (or a multipart body past its
 * cap; status is then 413, or the refusal of a body being dropped).
 * libmicrohttpd 0.9.75 refuses MHD_queue_response() until the upload has
 * ended, and reading a body of unbounded length to its end is what the
 * limit is for; so the answer goes straight to the socket and the
 * connection is dropped. (Plain TCP only: the daemon never runs TLS, a
 * front proxy does.) */
static enum MHD_Result refuse_upload(request_ctx *ctx, struct MHD_Connection *conn, int status)
{
	http_multipart_cleanup(ctx->multipart);
	ctx->responded = true;
	ctx->status = status;
	fresh_response(ctx);
	fill_error(ctx, status);
	if (ctx->res.file != NULL || ctx->res.file_path != NULL) {
		http_res_release(&ctx->res);
		http_res_init(&ctx->res, ctx->arena);
		fill_error(ctx, status);
	}
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		http_response_write_raw(ci->connect_fd, &ctx->req, &ctx->res, &ctx->bytes);
	else
		http_res_release(&ctx->res);
	return MHD_NO;
}

/* True when the client has closed its side and nothing it sent is left
 * unread. libmicrohttpd 0.9.75 (edge-triggered epoll) can miss an end of
 * stream that arrives while it works through a large body, and would keep
 * the connection, and the upload's files, until the idle timeout. */
static bool peer_gone(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return false;
	char c;
	return recv(ci->connect_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* ------------------------------------------------------------------ */
/* libmicrohttpd callbacks                                             */
/* ------------------------------------------------------------------ */

static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)conn;
	http_server *srv = cls;
	arena_t *a = arena_new(ARENA_FIRST_BLOCK);
	if (a == NULL)
		goto fail;
	request_ctx *ctx = arena_calloc(a, 1, sizeof *ctx);
	const char *target = arena_strdup(a, uri != NULL ? uri : "");
	if (ctx == NULL || target == NULL)
		goto fail;
	ctx->srv = srv;
	ctx->arena = a;
	ctx->start_us = now_us();
	ctx->req.raw_target = target;
	ctx->raw_path = arena_strndup(a, target, strcspn(target, "?"));
	if (ctx->raw_path == NULL)
		goto fail;
	http_res_init(&ctx->res, a);
	atomic_fetch_add(&srv->inflight, 1);
	return ctx;
fail:
	log_error("http: out of memory for a new request");
	arena_free(a);
	return NULL;
}

/* libmicrohttpd would decode %XX in the path and query in place, turning
 * "%00" into an early end of string and "%2F" into a separator; the path
 * is decoded and checked by this module instead, from the raw target. */
static size_t keep_escaped(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	request_ctx *ctx = *con_cls;
	if (ctx == NULL)
		return MHD_NO;
	if (!ctx->started) {
		ctx->started = true;
		int early = begin_request(ctx, conn, method);
		/* Answering now means the body is never read. */
		if (early != 0)
			return respond(ctx, conn, early);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (ctx->responded) {
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (ctx->drain_status != 0) {
			ctx->drained += *upload_data_size;
			if (ctx->drained > ctx->srv->cfg.max_body)
				return refuse_upload(ctx, conn, ctx->drain_status);
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (ctx->multipart != NULL) {
			/* Only a chunked body can pass the cap here: libmicrohttpd
			 * reads no more than a Content-Length already checked. */
			size_t n = *upload_data_size;
			if (n > ctx->upload_cap - ctx->upload_seen)
				return refuse_upload(ctx, conn, 413);
			ctx->upload_seen += n;
			/* After an error the rest of the body is read and dropped,
			 * so that the answer can be queued when it ends. */
			if (ctx->upload_status == 0)
				ctx->upload_status = http_multipart_feed(ctx->multipart, upload_data, n);
			*upload_data_size = 0;
			/* A body cut short can never end: its files go now, and so
			 * does the connection. A chunked body may have ended in
			 * what libmicrohttpd has read but not yet parsed: it gets
			 * one more second, which is plenty for its last call. */
			if (ctx->upload_seen < ctx->upload_length && peer_gone(conn)) {
				if (ctx->upload_length != UINT64_MAX) {
					http_multipart_cleanup(ctx->multipart);
					return MHD_NO;
				}
				MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, 1u);
			}
			return MHD_YES;
		}
		if (append_body(ctx, upload_data, *upload_data_size) != 0)
			return refuse_upload(ctx, conn, 413);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->responded)
		return MHD_YES;
	if (ctx->drain_status != 0)
		return respond(ctx, conn, ctx->drain_status);
	if (ctx->multipart != NULL)
		return respond(ctx, conn, http_multipart_finish(ctx->multipart));
	if (ctx->body != NULL) {
		ctx->req.body = ctx->body;
		ctx->req.body_len = ctx->body_len;
		ctx->body[ctx->body_len] = '\0';
	}
	return respond(ctx, conn, 0);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode how)
{
	(void)how;
	http_server *srv = cls;
	request_ctx *ctx = *con_cls;
	if (ctx == NULL)
		return;
	*con_cls = NULL;
	int status = ctx->status;
	if (status == 0) {
		/* Answered by libmicrohttpd itself, e.g. 431 for huge headers. */
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
		status = ci != NULL ? (int)ci->http_status : 0;
	}
	if (!srv->cfg.quiet)
		log_access(ctx->req.method_name != NULL ? ctx->req.method_name : "-", ctx->raw_path,
			   status, ctx->bytes, now_us() - ctx->start_us);
	/* Also when the client went away in the middle of an upload. */
	http_multipart_cleanup(ctx->multipart);
	if (ctx->upload_slot)
		atomic_fetch_sub(&srv->uploads, 1);
	http_res_release(&ctx->res);
	arena_free(ctx->arena);
	atomic_fetch_sub(&srv->inflight, 1);
}

__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt,
							      va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	log_warn("libmicrohttpd: %s", msg);
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                      */
/* ------------------------------------------------------------------ */

static int apply_defaults(http_server *srv)
{
	http_server_config *c = &srv->cfg;
	if (c->threads == 0)
		c->threads = DEFAULT_THREADS;
	if (c->max_connections == 0)
		c->max_connections = DEFAULT_MAX_CONNECTIONS;
	if (c->per_ip_connections == 0)
		c->per_ip_connections = srv->proxy[0] != '\0' ? c->max_connections : DEFAULT_PER_IP;
	if (c->connection_timeout == 0)
		c->connection_timeout = DEFAULT_TIMEOUT;
	if (c->connection_memory == 0)
		c->connection_memory = DEFAULT_MEMORY;
	if (c->connection_memory < MIN_MEMORY)
		c->connection_memory = MIN_MEMORY;
	if (c->max_body == 0)
		c->max_body = DEFAULT_MAX_BODY;
	if (c->max_body >= SIZE_MAX / 4) {
		log_error("http: max_body %zu is too large", c->max_body);
		return -1;
	}
	if (c->listen_backlog == 0)
		c->listen_backlog = DEFAULT_BACKLOG;
	if (c->max_uploads == 0)
		c->max_uploads = DEFAULT_MAX_UPLOADS;
	if (c->ntables > 0 && c->tables == NULL) {
		log_error("http: ntables without tables");
		return -1;
	}
	if (http_routes_check(c->tables, c->ntables) != 0)
		return -1;
	for (size_t t = 0; t < c->ntables; t++) {
		for (size_t i = 0; i < c->tables[t].n; i++) {
			const http_route *r = &c->tables[t].routes[i];
			if (!HTTP_ACCESS_PUBLIC(r->access) && c->access == NULL) {
				log_error("http: route %s: not public, and no access hook",
					  r->pattern);
				return -1;
			}
			if ((r->access & HTTP_SAME_SITE) != 0 && c->same_site == NULL) {
				log_error("http: route %s: same site only, and no same_site hook",
					  r->pattern);
				return -1;
			}
		}
	}
	return 0;
}

http_server *http_server_start(const http_server_config *cfg)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	if (cfg == NULL || cfg->host == NULL) {
		log_error("http: no address to listen on");
		return NULL;
	}
	http_server *srv = calloc(1, sizeof *srv);
	if (srv == NULL) {
		log_error("http: out of memory");
		return NULL;
	}
	srv->cfg = *cfg;
	atomic_init(&srv->inflight, 0);
	atomic_init(&srv->stopping, false);
	atomic_init(&srv->uploads, 0);
	if (cfg->trusted_proxy != NULL && cfg->trusted_proxy[0] != '\0' &&
	    !normalise_addr(cfg->trusted_proxy, strlen(cfg->trusted_proxy), srv->proxy,
			    sizeof srv->proxy)) {
		log_error("http: trusted_proxy %s is not a numeric address", cfg->trusted_proxy);
		goto fail;
	}
	if (apply_defaults(srv) != 0)
		goto fail;

	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, cfg->host, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(cfg->port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, cfg->host, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(cfg->port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		log_error("http: host %s is not a numeric IPv4 or IPv6 address", cfg->host);
		goto fail;
	}

	const http_server_config *c = &srv->cfg;
	srv->daemon = MHD_start_daemon(
	    flags, cfg->port, NULL, NULL, on_request, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)c->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)c->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)c->per_ip_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)c->connection_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->connection_memory,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)c->listen_backlog,
	    MHD_OPTION_URI_LOG_CALLBACK, on_request_line, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_error("http: cannot listen on %s port %u", cfg->host, (unsigned)cfg->port);
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di != NULL ? di->port : cfg->port;
	log_info("http: listening on %s%s%s:%u (%u threads)", sa->sa_family == AF_INET6 ? "[" : "",
		 cfg->host, sa->sa_family == AF_INET6 ? "]" : "", (unsigned)srv->port,
		 c->threads);
	return srv;
fail:
	free(srv);
	return NULL;
}

uint16_t http_server_port(const http_server *srv)
{
	return srv != NULL ? srv->port : 0;
}

void http_server_stop(http_server *srv)
{
	if (srv == NULL)
		return;
	atomic_store(&srv->stopping, true);
	MHD_socket listen_fd = MHD_quiesce_daemon(srv->daemon);
	uint64_t deadline = now_us() + (uint64_t)STOP_WAIT_MS * 1000u;
	while (atomic_load(&srv->inflight) > 0 && now_us() < deadline) {
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	unsigned left = atomic_load(&srv->inflight);
	if (left > 0)
		log_warn("http: stopping with %u requests unfinished", left);
	MHD_stop_daemon(srv->daemon);
	/* After MHD_quiesce_daemon() the listening socket is ours to close,
	 * but only once the daemon's threads are gone. */
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	log_info("http: stopped");
	free(srv);
}
