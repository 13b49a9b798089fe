/*
 * http.h - the HTTP server (libmicrohttpd glue), router, requests, responses.
 *
 * Flow: libmicrohttpd accepts and parses -> http_ collects the body (within
 * max_body, else 413) -> router matches the route table -> the handler fills
 * an http_res -> http_ queues it (HEAD gets headers only, conditional GET
 * gets 304) -> one access-log line -> the request arena is freed.
 *
 * Handlers are thin: read the request, call models, render, return a status.
 * A handler that returns a status >= 400 and leaves res->body empty gets the
 * server's error page (config.error_page). Everything a handler allocates for
 * the response lives in req->arena (or in res->body, which http_ frees).
 */
#ifndef SEN_HTTP_HTTP_H
#define SEN_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_DELETE = 1 << 4,
	HTTP_PATCH = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
	HTTP_OTHER = 1 << 7,
};

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_HEADERS 24
#define HTTP_MAX_FIELDS 256       /* query or form fields kept */
#define HTTP_MAX_PATH 2048        /* longer request targets get 414 */

typedef struct {
	const char *name;
	const char *value;
	size_t value_len;
} http_kv;

typedef struct http_req {
	enum http_method method;
	const char *method_name;   /* as sent, e.g. "GET" */
	const char *path;          /* percent-decoded; valid UTF-8, no NUL (else 400) */
	const char *raw_target;    /* as sent, path and query */
	http_kv *query;            /* decoded query fields, in order */
	size_t nquery;
	http_kv *form;             /* decoded application/x-www-form-urlencoded body */
	size_t nform;
	const char *body;          /* raw body, NUL-terminated, may be NULL */
	size_t body_len;
	const char *params[HTTP_MAX_PARAMS]; /* route captures in order (decoded) */
	size_t nparams;
	const char *client_addr;   /* numeric address of the peer; never store it raw */
	arena_t *arena;            /* request-scoped memory */
	void *app;                 /* http_server_config.app */
	void *conn;                /* private: the libmicrohttpd connection */
} http_req;

typedef struct http_res {
	int status;
	const char *content_type;  /* default "text/html; charset=utf-8" */
	buf_t body;
	http_kv headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	const char *file_path;     /* if set, the file is sent instead of body */
	int64_t last_modified;     /* Unix s; 0 = none. Enables If-Modified-Since */
	const char *etag;          /* quoted; enables If-None-Match (304) */
	arena_t *arena;            /* same as the request's */
} http_res;

/* Looks up a request header (case-insensitive), cookie, query or form field.
 * NULL when absent. Values are decoded and NUL-terminated. */
const char *http_header(const http_req *req, const char *name);
const char *http_cookie(const http_req *req, const char *name);
const char *http_query(const http_req *req, const char *name);
const char *http_form(const http_req *req, const char *name);

/* Adds a response header; name and value are copied into the arena. CR/LF in
 * either are refused (-1). */
int http_res_header(http_res *res, const char *name, const char *value);
/* Sets status 301/302/303/307/308 and Location. Returns the status. */
int http_redirect(http_res *res, int status, const char *location);
/* Sets content type "application/json; charset=utf-8", status, and body. */
int http_json(http_res *res, int status, const char *json, size_t len);

/* Returns an HTTP status code (also stored in res->status). */
typedef int (*http_handler_fn)(http_req *req, http_res *res);

/*
 * Route patterns: literal segments, ":name" captures one non-empty segment,
 * "*" as the last segment captures the rest of the path (possibly empty).
 * "/api/v1/articles/:id", "/static/*", "/:category/:slug". Routes are tried
 * in table order; the first whose pattern and method match wins. A path
 * that matches a pattern but not its methods gets 405 with Allow.
 */
typedef struct {
	unsigned methods;          /* bitmask of enum http_method; GET implies HEAD */
	const char *pattern;
	http_handler_fn handler;
	unsigned flags;            /* reserved for auth requirements */
} http_route;

/* The route that matches, or NULL; fills req->params. *allowed gets the
 * methods of routes whose pattern matched (for 405). Exposed for tests. */
const http_route *http_route_match(const http_route *routes, size_t n, http_req *req,
				   unsigned *allowed);

typedef struct {
	const char *host;              /* numeric address to bind, "127.0.0.1" or "::1" */
	uint16_t port;
	unsigned threads;              /* thread pool size, >= 1 */
	unsigned max_connections;
	unsigned per_ip_connections;
	unsigned connection_timeout;   /* seconds */
	size_t connection_memory;      /* per connection; bounds the header size */
	size_t max_body;               /* larger bodies get 413 */
	const http_route *routes;
	size_t nroutes;
	/* Fills res for an error status (404, 405, 413, 500 ...). */
	void (*error_page)(http_req *req, http_res *res, int status);
	/* Called for every request before routing (e.g. security headers); may be NULL. */
	void (*before)(http_req *req, http_res *res);
	void *app;
	int quiet;                     /* no access log (benchmarks, tests) */
} http_server_config;

typedef struct http_server http_server;

/* Starts listening (epoll, thread pool). NULL with the reason logged. */
http_server *http_server_start(const http_server_config *cfg);
/* Stops accepting, lets in-flight requests finish, frees everything. */
void http_server_stop(http_server *srv);

/* Percent-decodes s (len bytes) into the arena; '+' becomes ' ' when
 * plus_is_space. NULL when a %XX is malformed. Exposed for tests/fuzzing. */
char *http_decode(arena_t *a, const char *s, size_t len, bool plus_is_space, size_t *outlen);

/* Parses "a=1&b=2" into fields (at most max). Returns the count or -1. */
int http_parse_urlencoded(arena_t *a, const char *s, size_t len, http_kv *out, size_t max);

/* Parses a Cookie header value; NULL when name is absent. */
const char *http_cookie_parse(arena_t *a, const char *header, const char *name);

#endif
