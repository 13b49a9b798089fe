/*
 * response.c - turns an http_res into bytes on the wire.
 *
 * One place decides what every response carries: the content type with its
 * charset, X-Content-Type-Options, the validators, the handler's headers,
 * and 304 for a conditional GET. libmicrohttpd adds Date and the framing
 * (Content-Length, Connection) and drops the body of a HEAD; it adds no
 * Server banner, and neither do we.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "http/http_private.h"

#define DEFAULT_CONTENT_TYPE "text/html; charset=utf-8"
/* How long a raw 413 may wait for room in the socket buffer. */
#define RAW_WRITE_MS 1000

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

/* Fixed English names: strftime's %a and %b follow the locale. */
static const char day_names[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void http_date_format(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		snprintf(out, 32, "Thu, 01 Jan 1970 00:00:00 GMT");
		return;
	}
	snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", day_names[tm.tm_wday % 7],
		 tm.tm_mday, month_names[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool http_date_parse(const char *s, int64_t *t)
{
	/* "Sun, 06 Nov 1994 08:49:37 GMT": 29 bytes in fixed places. */
	if (s == NULL || strnlen(s, 30) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
	    s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
	    memcmp(s + 25, " GMT", 4) != 0)
		return false;
	int mon = -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(s + 8, month_names[i], 3) == 0)
			mon = i;
	int day = two_digits(s + 5);
	int y1 = two_digits(s + 12), y2 = two_digits(s + 14);
	int hh = two_digits(s + 17), mm = two_digits(s + 20), ss = two_digits(s + 23);
	if (mon < 0 || day < 1 || day > 31 || y1 < 0 || y2 < 0 || hh < 0 || hh > 23 || mm < 0 ||
	    mm > 59 || ss < 0 || ss > 60)
		return false;
	struct tm tm = {0};
	tm.tm_year = y1 * 100 + y2 - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	time_t v = timegm(&tm);
	if (v == (time_t)-1)
		return false;
	*t = (int64_t)v;
	return true;
}

/* ------------------------------------------------------------------ */
/* Conditional requests                                                */
/* ------------------------------------------------------------------ */

static const char *skip_weak(const char *s, size_t *len)
{
	if (*len >= 2 && s[0] == 'W' && s[1] == '/') {
		*len -= 2;
		return s + 2;
	}
	return s;
}

/* If-None-Match uses the weak comparison (RFC 9110, 13.1.2). */
static bool etag_list_matches(const char *list, const char *etag)
{
	size_t elen = strlen(etag);
	const char *e = skip_weak(etag, &elen);
	const char *p = list;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		size_t len = (size_t)(end - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 1 && p[0] == '*')
			return true;
		const char *tag = skip_weak(p, &len);
		if (len > 0 && len == elen && memcmp(tag, e, len) == 0)
			return true;
		p = end;
	}
	return false;
}

bool http_not_modified(const http_req *req, const char *etag, int64_t last_modified)
{
	if (req == NULL || (req->method != HTTP_GET && req->method != HTTP_HEAD))
		return false;
	const char *inm = http_header(req, "If-None-Match");
	if (inm != NULL)
		return etag != NULL && etag_list_matches(inm, etag);
	const char *ims = http_header(req, "If-Modified-Since");
	int64_t since;
	/* A date in the future is invalid (RFC 9110, 13.1.3) and ignored. */
	if (ims != NULL && last_modified > 0 && http_date_parse(ims, &since) &&
	    since <= (int64_t)time(NULL))
		return last_modified <= since;
	return false;
}

/* ------------------------------------------------------------------ */
/* Content type                                                        */
/* ------------------------------------------------------------------ */

static bool type_is(const char *type, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(type, name, len) == 0;
}

/* Text the browser decodes with a charset: any text/ type, JSON,
 * JavaScript, XML. */
static bool is_text_type(const char *ct)
{
	size_t len = strcspn(ct, "; \t");
	if (len >= 5 && strncasecmp(ct, "text/", 5) == 0)
		return true;
	if (type_is(ct, len, "application/json") || type_is(ct, len, "application/javascript") ||
	    type_is(ct, len, "application/xml") || type_is(ct, len, "image/svg+xml"))
		return true;
	return (len > 4 && strncasecmp(ct + len - 4, "+xml", 4) == 0) ||
	       (len > 5 && strncasecmp(ct + len - 5, "+json", 5) == 0);
}

static const char *content_type_header(arena_t *a, const char *ct)
{
	if (ct == NULL || ct[0] == '\0')
		return DEFAULT_CONTENT_TYPE;
	if (!is_text_type(ct) || strcasestr(ct, "charset=") != NULL)
		return ct;
	return arena_sprintf(a, "%s; charset=utf-8", ct);
}

/* ------------------------------------------------------------------ */
/* Queueing through libmicrohttpd                                      */
/* ------------------------------------------------------------------ */

static bool status_has_body(int status)
{
	return status >= 200 && status != 204 && status != 304;
}

/* ------------------------------------------------------------------ */
/* Bodies made while they are sent                                     */
/* ------------------------------------------------------------------ */

struct http_stream {
	http_produce_fn produce;
	void (*done)(void *ctx);
	void *ctx;
	buf_t part;     /* what produce gave last */
	size_t sent;    /* of part */
	bool last;      /* produce said it was the last part */
};

static void stream_free(void *cls)
{
	struct http_stream *st = cls;
	if (st->done != NULL)
		st->done(st->ctx);
	buf_free(&st->part);
	free(st);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct http_stream *st = cls;
	(void)pos;
	while (st->sent == st->part.len) {
		if (st->last)
			return MHD_CONTENT_READER_END_OF_STREAM;
		buf_clear(&st->part);
		st->sent = 0;
		int rc = st->produce(st->ctx, &st->part);
		if (rc < 0 || st->part.failed) {
			log_error("http: a streamed body failed after it had begun");
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		st->last = rc == 0;
	}
	size_t n = st->part.len - st->sent;
	if (n > max)
		n = max;
	memcpy(out, st->part.data + st->sent, n);
	st->sent += n;
	return (ssize_t)n;
}

int http_send_stream(http_res *res, http_produce_fn produce, void (*done)(void *ctx), void *ctx)
{
	struct http_stream *st = calloc(1, sizeof *st);
	if (st == NULL) {
		if (done != NULL)
			done(ctx);
		res->status = 500;
		return 500;
	}
	*st = (struct http_stream){.produce = produce, .done = done, .ctx = ctx, .part = BUF_INIT};
	if (res->stream != NULL)
		stream_free(res->stream);
	res->stream = st;
	res->status = 200;
	return 200;
}

/* ------------------------------------------------------------------ */
/* Kept bytes                                                          */
/* ------------------------------------------------------------------ */

void http_blob_ref(struct http_blob *blob)
{
	atomic_fetch_add(&blob->refs, 1);
}

void http_blob_unref(struct http_blob *blob)
{
	if (blob == NULL || atomic_fetch_sub(&blob->refs, 1) != 1)
		return;
	free(blob->data);
	free(blob);
}

static void blob_release(void *cls)
{
	http_blob_unref(cls);
}

static struct MHD_Response *body_response(http_res *res, uint64_t *bytes)
{
	struct MHD_Response *r;
	if (res->stream != NULL) {
		struct http_stream *st = res->stream;
		res->stream = NULL;
		/* libmicrohttpd owns st from here and frees it with stream_free,
		 * also when this fails. */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, st,
						      stream_free);
		if (r == NULL)
			stream_free(st);
		*bytes = 0;
		return r;
	}
	if (res->blob != NULL) {
		struct http_blob *blob = res->blob;
		res->blob = NULL;
		/* libmicrohttpd holds the reference from here, also when this fails. */
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		    blob->len, blob->data, blob_release, blob);
		if (r == NULL)
			http_blob_unref(blob);
		*bytes = blob->len;
		return r;
	}
	if (res->file != NULL || res->file_path != NULL) {
		int fd;
		uint64_t size;
		if (res->file != NULL) {
			fd = res->file->fd;
			size = res->file->size;
			res->file = NULL;
		} else {
			struct stat st;
			fd = open(res->file_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
			if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
				log_error("http: cannot send %s: %s", res->file_path,
					  fd < 0 ? strerror(errno) : "not a regular file");
				if (fd >= 0)
					close(fd);
				return NULL;
			}
			size = (uint64_t)st.st_size;
		}
		/* libmicrohttpd owns fd from here, also when this fails. */
		r = MHD_create_response_from_fd64(size, fd);
		if (r == NULL)
			close(fd);
		*bytes = size;
		return r;
	}
	size_t len = res->body.len;
	if (len == 0) {
		buf_free(&res->body);
		*bytes = 0;
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	char *data = buf_detach(&res->body, &len);
	if (data == NULL)
		return NULL;
	r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		free(data);
	*bytes = len;
	return r;
}

static int add_header(struct MHD_Response *r, const char *name, const char *value)
{
	if (MHD_add_response_header(r, name, value) == MHD_YES)
		return 0;
	log_error("http: libmicrohttpd refused header %s", name);
	return -1;
}

/* ------------------------------------------------------------------ */
/* A response's life: made fresh, released after it was queued          */
/* ------------------------------------------------------------------ */

void http_res_init(http_res *res, arena_t *arena)
{
	memset(res, 0, sizeof *res);
	res->status = 200;
	res->arena = arena;
}

void http_res_release(http_res *res)
{
	buf_free(&res->body);
	if (res->shared != NULL) {
		http_shared_unref(res->shared);
		res->shared = NULL;
	}
	if (res->file != NULL) {
		close(res->file->fd);
		res->file = NULL;
	}
	if (res->stream != NULL) {
		stream_free(res->stream);
		res->stream = NULL;
	}
	if (res->blob != NULL) {
		http_blob_unref(res->blob);
		res->blob = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Compression and the headers every answer carries                    */
/* ------------------------------------------------------------------ */

/* True when res's body may go compressed: a text type, no secret in it
 * (BREACH, http.h), not coded by its handler already. */
static bool may_compress(const http_res *res)
{
	if (res->no_compress || !http_compressible_type(res->content_type))
		return false;
	for (size_t i = 0; i < res->nheaders && i < HTTP_MAX_HEADERS; i++)
		if (strcasecmp(res->headers[i].name, "Content-Encoding") == 0)
			return false;
	return true;
}

/* Adds the handler's headers to r. With vary_encoding, "Accept-Encoding"
 * joins the handler's Vary, or comes in a Vary of its own. */
static int add_res_headers(struct MHD_Response *r, const http_res *res, bool vary_encoding)
{
	bool varied = false;
	for (size_t i = 0; i < res->nheaders && i < HTTP_MAX_HEADERS; i++) {
		const char *value = res->headers[i].value;
		if (vary_encoding && !varied && strcasecmp(res->headers[i].name, "Vary") == 0) {
			value = arena_sprintf(res->arena, "%s, Accept-Encoding", value);
			if (value == NULL)
				return -1;
			varied = true;
		}
		if (add_header(r, res->headers[i].name, value) != 0)
			return -1;
	}
	if (vary_encoding && !varied)
		return add_header(r, "Vary", "Accept-Encoding");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Shared responses                                                    */
/* ------------------------------------------------------------------ */

struct http_shared {
	struct MHD_Response *mhd;                  /* the body as it is */
	const char *data;                          /* its bytes (mhd owns them) */
	size_t len;
	bool compressible;
	/* The coded copies, made when the first request asks for each one, so a
	 * page kept in the cache is compressed once (coded[c] stays NULL when
	 * compressing did not help; tried[c] then says not to try again). */
	pthread_mutex_t lock;
	struct MHD_Response *coded[HTTP_CODINGS];
	size_t coded_len[HTTP_CODINGS];
	bool tried[HTTP_CODINGS];
	atomic_uint refs;
};

http_shared *http_shared_new(const http_res *res)
{
	if (res->status != 200 || res->file != NULL || res->file_path != NULL || res->stream != NULL ||
	    res->blob != NULL || res->body.failed ||
	    res->etag != NULL || res->last_modified > 0)
		return NULL;
	http_shared *sh = calloc(1, sizeof *sh);
	if (sh == NULL)
		return NULL;
	char *copy = malloc(res->body.len ? res->body.len : 1);
	if (copy == NULL) {
		free(sh);
		return NULL;
	}
	if (res->body.len > 0)
		memcpy(copy, res->body.data, res->body.len);
	sh->len = res->body.len;
	sh->data = copy;
	sh->compressible = may_compress(res) && http_compressible_size(res->body.len);
	/* libmicrohttpd frees copy with its last use of the response. */
	sh->mhd = MHD_create_response_from_buffer_with_free_callback(res->body.len, copy, free);
	if (sh->mhd == NULL) {
		free(copy);
		free(sh);
		return NULL;
	}
	pthread_mutex_init(&sh->lock, NULL);
	const char *ct = content_type_header(res->arena, res->content_type);
	if (ct == NULL || add_header(sh->mhd, "Content-Type", ct) != 0 ||
	    add_header(sh->mhd, "X-Content-Type-Options", "nosniff") != 0 ||
	    add_res_headers(sh->mhd, res, sh->compressible) != 0)
		goto fail;
	atomic_init(&sh->refs, 1);
	return sh;
fail:
	MHD_destroy_response(sh->mhd);
	pthread_mutex_destroy(&sh->lock);
	free(sh);
	return NULL;
}

void http_shared_ref(http_shared *sh)
{
	atomic_fetch_add(&sh->refs, 1);
}

void http_shared_unref(http_shared *sh)
{
	if (sh == NULL || atomic_fetch_sub(&sh->refs, 1) != 1)
		return;
	/* libmicrohttpd keeps its own count for responses still being sent. */
	MHD_destroy_response(sh->mhd);
	for (int c = 0; c < HTTP_CODINGS; c++)
		if (sh->coded[c] != NULL)
			MHD_destroy_response(sh->coded[c]);
	pthread_mutex_destroy(&sh->lock);
	free(sh);
}

int http_res_send_shared(http_res *res, http_shared *sh)
{
	http_res_release(res);
	if (res->shared != NULL)
		http_shared_unref(res->shared);
	res->shared = sh;
	res->status = 200;
	return 200;
}

static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind, const char *name,
				   const char *value)
{
	(void)kind;
	return MHD_add_response_header(cls, name, value);
}

/* The coded copy of sh, made now (under sh's lock) if it is the first
 * request for it; NULL when it cannot be or would not be smaller. */
static struct MHD_Response *shared_coded(http_shared *sh, http_coding coding, size_t *len)
{
	pthread_mutex_lock(&sh->lock);
	if (!sh->tried[coding]) {
		sh->tried[coding] = true;
		size_t clen;
		char *c = http_compress(coding, HTTP_EFFORT_KEPT, sh->data, sh->len, &clen);
		struct MHD_Response *r =
		    c != NULL ? MHD_create_response_from_buffer(clen, c, MHD_RESPMEM_MUST_FREE) : NULL;
		if (r == NULL)
			free(c);
		if (r != NULL && (MHD_get_response_headers(sh->mhd, copy_header, r) < 0 ||
				  add_header(r, "Content-Encoding", http_coding_name(coding)) != 0)) {
			MHD_destroy_response(r);
			r = NULL;
		}
		sh->coded[coding] = r;
		sh->coded_len[coding] = clen;
	}
	struct MHD_Response *r = sh->coded[coding];
	*len = sh->coded_len[coding];
	pthread_mutex_unlock(&sh->lock);
	return r;
}

static int queue_shared(struct MHD_Connection *conn, const http_req *req, http_res *res,
			uint64_t *bytes)
{
	/* A page sent before, headers and all. During a stop it goes out
	 * without "Connection: close"; libmicrohttpd closes the connection
	 * as it stops anyway. */
	http_shared *sh = res->shared;
	res->shared = NULL;
	struct MHD_Response *r = sh->mhd;
	size_t len = sh->len;
	http_coding coding =
	    sh->compressible ? http_accept_encoding(http_header(req, "Accept-Encoding"))
			     : HTTP_CODING_IDENTITY;
	if (coding != HTTP_CODING_IDENTITY) {
		struct MHD_Response *coded = shared_coded(sh, coding, &len);
		if (coded != NULL)
			r = coded;
		else
			len = sh->len;
	}
	int ok = MHD_queue_response(conn, 200, r) == MHD_YES;
	if (ok)
		*bytes = req->method == HTTP_HEAD ? 0 : len;
	http_shared_unref(sh);
	http_res_release(res);
	if (!ok) {
		log_error("http: libmicrohttpd did not queue a shared response");
		return -1;
	}
	res->status = 200;
	return 0;
}

/* Replaces res's body by its coded copy; false (body untouched) when it
 * cannot be or would not be smaller. */
static bool compress_body(http_res *res, http_coding coding)
{
	size_t len;
	char *c = http_compress(coding, HTTP_EFFORT_NOW, res->body.data, res->body.len, &len);
	if (c == NULL)
		return false;
	buf_free(&res->body);
	res->body = (buf_t){.data = c, .len = len, .size = len};
	return true;
}

int http_response_queue(struct MHD_Connection *conn, const http_req *req, http_res *res,
			bool closing, uint64_t *bytes)
{
	struct MHD_Response *r = NULL;
	int status = res->status;
	*bytes = 0;
	if (res->shared != NULL) {
		(void)closing;
		return queue_shared(conn, req, res, bytes);
	}
	/* Bodies made here; files and kept bytes were decided by file.c. */
	bool vary = status_has_body(status) && res->stream == NULL && res->file == NULL &&
		    res->file_path == NULL && res->blob == NULL && may_compress(res) &&
		    http_compressible_size(res->body.len);
	http_coding coding =
	    vary ? http_accept_encoding(http_header(req, "Accept-Encoding")) : HTTP_CODING_IDENTITY;
	/* One entity tag per coding: a cache holding the gzip copy must not
	 * be told it holds the brotli one. */
	const char *etag = http_coding_etag(res->arena, res->etag, coding);
	if (status == 200 && (etag != NULL || res->last_modified > 0) &&
	    http_not_modified(req, etag, res->last_modified))
		status = 304;
	bool has_body = status_has_body(status);
	if (has_body && coding != HTTP_CODING_IDENTITY && !compress_body(res, coding)) {
		coding = HTTP_CODING_IDENTITY;
		etag = res->etag;
	}
	if (has_body) {
		r = body_response(res, bytes);
	} else {
		http_res_release(res);
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (r == NULL)
		goto fail;
	if (has_body) {
		const char *ct = content_type_header(res->arena, res->content_type);
		if (ct == NULL || add_header(r, "Content-Type", ct) != 0)
			goto fail;
	}
	if (add_header(r, "X-Content-Type-Options", "nosniff") != 0)
		goto fail;
	if (coding != HTTP_CODING_IDENTITY &&
	    add_header(r, "Content-Encoding", http_coding_name(coding)) != 0)
		goto fail;
	if (etag != NULL && add_header(r, "ETag", etag) != 0)
		goto fail;
	if (res->last_modified > 0) {
		char date[32];
		http_date_format(date, res->last_modified);
		if (add_header(r, "Last-Modified", date) != 0)
			goto fail;
	}
	if (add_res_headers(r, res, vary) != 0)
		goto fail;
	if (closing && add_header(r, "Connection", "close") != 0)
		goto fail;
	if (MHD_queue_response(conn, (unsigned)status, r) != MHD_YES) {
		log_error("http: libmicrohttpd did not queue a %d response", status);
		goto fail;
	}
	MHD_destroy_response(r);
	res->status = status;
	if (req->method == HTTP_HEAD || !has_body)
		*bytes = 0;
	return 0;
fail:
	if (r != NULL)
		MHD_destroy_response(r);
	http_res_release(res);
	*bytes = 0;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Raw write (413 in the middle of an upload)                          */
/* ------------------------------------------------------------------ */

static int write_all(int fd, const char *p, size_t len)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= RAW_WRITE_MS)
			return -1;
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		if (poll(&pfd, 1, (int)(RAW_WRITE_MS - spent)) < 0 && errno != EINTR)
			return -1;
	}
	return 0;
}

int http_response_write_raw(int fd, const http_req *req, http_res *res, uint64_t *bytes)
{
	buf_t out = BUF_INIT;
	char date[32];
	const char *reason = MHD_get_reason_phrase_for((unsigned)res->status);
	http_date_format(date, (int64_t)time(NULL));
	const char *ct = content_type_header(res->arena, res->content_type);
	buf_printf(&out, "HTTP/1.1 %d %s\r\nDate: %s\r\nConnection: close\r\n", res->status,
		   reason != NULL && reason[0] != '\0' ? reason : "Error", date);
	buf_printf(&out, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		   ct != NULL ? ct : DEFAULT_CONTENT_TYPE, res->body.len);
	buf_puts(&out, "X-Content-Type-Options: nosniff\r\n");
	for (size_t i = 0; i < res->nheaders && i < HTTP_MAX_HEADERS; i++)
		buf_printf(&out, "%s: %s\r\n", res->headers[i].name, res->headers[i].value);
	buf_puts(&out, "\r\n");
	if (req->method != HTTP_HEAD && res->body.len > 0)
		buf_append(&out, res->body.data, res->body.len);
	int rc = -1;
	*bytes = 0;
	if (!out.failed && write_all(fd, out.data, out.len) == 0) {
		*bytes = req->method == HTTP_HEAD ? 0 : res->body.len;
		rc = 0;
	}
	/* The FIN follows the response, so the client reads it before the close. */
	shutdown(fd, SHUT_WR);
	buf_free(&out);
	http_res_release(res);
	return rc;
}
