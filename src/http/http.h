/*
 * http.h - the HTTP server (libmicrohttpd glue), router, requests, responses.
 *
 * Flow: libmicrohttpd accepts and parses -> http_ collects the body (within
 * max_body, else 413) -> the router picks the most specific route (404,
 * 405) -> the access hook, unless the route is public -> the handler fills
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
#define HTTP_ALL_METHODS                                                                      \
	(HTTP_GET | HTTP_HEAD | HTTP_POST | HTTP_PUT | HTTP_DELETE | HTTP_PATCH | HTTP_OPTIONS |   \
	 HTTP_OTHER)

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_HEADERS 24
#define HTTP_MAX_FIELDS 256       /* query or form fields kept */
#define HTTP_MAX_PATH 2048        /* longer request targets get 414 */
#define HTTP_UPLOAD_NAME_MAX 255  /* bytes of http_upload.filename */

struct http_file;

/*
 * A file received in a multipart/form-data body (see upload_gate in
 * http_server_config). The bytes were streamed to a temporary file in
 * http_server_config.upload_dir while they arrived; the server deletes that
 * file after the response has been queued, so a handler that keeps the
 * file copies or renames it. Nothing here is trusted: filename and
 * declared_type are what the client said.
 */
typedef struct {
	const char *field;         /* form field name */
	const char *filename;      /* client's file name: valid UTF-8, control
				    * characters and any folder part removed, at
				    * most 255 bytes, may be ""; never a path */
	const char *declared_type; /* Content-Type of the part as sent, or "" */
	const char *path;          /* the temporary file holding the bytes */
	uint64_t size;             /* bytes received */
} http_upload;

typedef struct {
	const char *name;
	const char *value;
	size_t value_len;
} http_kv;

typedef struct http_req {
	enum http_method method;
	const char *method_name;   /* as sent, e.g. "GET" */
	const char *path;          /* percent-decoded; valid UTF-8, no NUL (else 400,
				    * and path is "" for the error page, or "/api/"
				    * when the raw target starts with it, so that
				    * API clients get a JSON error; the same for
				    * 414) */
	const char *raw_target;    /* as sent, path and query (of an absolute-form
				    * target "http://host/p?q", only "/p?q") */
	http_kv *query;            /* decoded query fields, in order */
	size_t nquery;
	http_kv *form;             /* decoded application/x-www-form-urlencoded body */
	size_t nform;
	http_upload *uploads;      /* files of a multipart body, in order */
	size_t nuploads;
	const char *body;          /* raw body, NUL-terminated, may be NULL */
	size_t body_len;
	const char *params[HTTP_MAX_PARAMS]; /* route captures in order (decoded) */
	size_t nparams;
	const struct http_route *route; /* the row that matched (NULL before routing) */
	const void *user;          /* who the request runs as: left by the server's
				    * access hook for the handler; NULL on a public row */
	const char *client_addr;   /* numeric address of the peer (or, behind
				    * trusted_proxy, of the last X-Forwarded-For
				    * entry); never store it raw */
	arena_t *arena;            /* request-scoped memory */
	void *app;                 /* http_server_config.app */
	bool lang_known;           /* web_lang() has chosen the language ... */
	int lang;                  /* ... of the interface (a lang_t) for this request */
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
	const char *etag;          /* quoted; enables If-None-Match (304). A
				    * compressed answer sends it with "-gz" or
				    * "-br" before the closing quote */
	bool no_compress;          /* the body carries a secret (a CSRF token, a
				    * session's data) beside what the visitor
				    * sent: never compressed (BREACH; the server
				    * sets it for every row that is not
				    * HTTP_PUBLIC, docs/SECURITY.md) */
	arena_t *arena;            /* same as the request's */
	struct http_file *file;    /* private: opened by http_send_file (NULL when
				    * none); the server sends and closes it */
	struct http_shared *shared; /* private: set by http_res_send_shared() */
	struct http_stream *stream; /* private: set by http_send_stream() */
	struct http_blob *blob;    /* private: kept bytes sent as the body (a
				    * static file compressed once, file.c) */
} http_res;

/*
 * A finished response that can be sent again and again without being built
 * again: body, content type and headers are fixed when it is made. The page
 * cache keeps one per cached page, so a hit costs no copy of the body and no
 * header allocations. Reference counted; thread-safe to share.
 */
typedef struct http_shared http_shared;

/* Makes a shared response from a 200 response with a body (no file) and
 * its headers as they are now. The caller owns one reference. NULL when res
 * cannot be shared or memory runs out. */
http_shared *http_shared_new(const http_res *res);
void http_shared_ref(http_shared *sh);
void http_shared_unref(http_shared *sh);
/* Answers with sh (status 200); takes over one reference the caller holds.
 * Whatever res held is released. Returns 200. */
int http_res_send_shared(http_res *res, http_shared *sh);

/* Looks up a request header (case-insensitive), cookie, query or form field.
 * NULL when absent. Values are decoded and NUL-terminated. */
const char *http_header(const http_req *req, const char *name);
const char *http_cookie(const http_req *req, const char *name);
const char *http_query(const http_req *req, const char *name);
const char *http_form(const http_req *req, const char *name);

/* Adds a response header; name and value are copied into the arena. CR/LF in
 * either are refused (-1), and so are other control characters (HTAB is
 * allowed in values), an empty name, a name with ':' or space, more than
 * HTTP_MAX_HEADERS headers, and Content-Length / Transfer-Encoding (the
 * server frames every response itself). */
int http_res_header(http_res *res, const char *name, const char *value);
/*
 * Compression (encoding.c). Every answer with a body of a text type (HTML,
 * CSS, JavaScript, SVG, JSON, XML, feeds) between 860 bytes and
 * HTTP_COMPRESS_MAX_BYTES is sent compressed with the coding the request's
 * Accept-Encoding prefers (brotli, then gzip; q=0 refuses one), with
 * "Vary: Accept-Encoding", unless res->no_compress is set; handlers do
 * nothing. Static files are compressed once and kept (file.c); a page kept
 * by the page cache keeps its compressed copies beside the plain one.
 * Streams, files sent by descriptor and already-compressed types (JPEG,
 * PNG, WebP, PDF, zip, xlsx) go as they are. No Range support exists, so
 * a Range header is ignored and the whole (encoded) body answers.
 */
#define HTTP_COMPRESS_MAX_BYTES (8u * 1024 * 1024)

/* Sets status 301/302/303/307/308 and Location. Returns the status. */
int http_redirect(http_res *res, int status, const char *location);
/* Sets content type "application/json; charset=utf-8", status, and body. */
int http_json(http_res *res, int status, const char *json, size_t len);

/*
 * Serves the file `rel` (a decoded, relative path such as req->params[0])
 * from below the directory `root`. Refused with 404: an empty path, a leading
 * '/', a backslash, an empty segment, any segment starting with '.' (so "..",
 * "." and hidden files), a symlink anywhere below root (every component is
 * opened with O_NOFOLLOW, so no link can lead out of root), and anything but a
 * regular file. Sets the content type from the extension (unknown:
 * application/octet-stream; SVG also gets a Content-Security-Policy that
 * forbids scripts), a strong ETag from inode, size and mtime, Last-Modified,
 * and Cache-Control when cache_control is not NULL. Answers 304 itself when
 * the request's If-None-Match / If-Modified-Since allow it.
 * Returns the status (200, 304 or 404; 500 when out of memory), also stored
 * in res->status; the open file is kept in res->file, and the server sends
 * and closes it.
 */
int http_send_file(http_req *req, http_res *res, const char *root, const char *rel,
		   const char *cache_control);

/* Sends the open regular file fd (from its start, its whole size) as the
 * body with status 200; the server closes it once sent, so a file already
 * unlinked is removed then. Content type and headers are the caller's.
 * Returns 200, or 500 (fd closed) when fd is not a regular file or memory
 * runs out. file.c. */
int http_send_fd(http_res *res, int fd);

/*
 * A body made while it is sent, for answers too large to hold (an export of
 * the whole register): produce(ctx, out) appends the next part to out and
 * returns 1 while more follows, 0 after the last part, -1 on an error (the
 * body is cut short and the connection closed, so the client sees it
 * incomplete). It runs on the thread that serves the connection, between
 * other requests, after the handler has returned: ctx must own everything
 * it needs (not the request's arena). done(ctx) is called once, when the
 * body has been sent or dropped (also when it never started). Status 200;
 * the length is unknown (chunked). Returns 200. response.c.
 */
typedef int (*http_produce_fn)(void *ctx, buf_t *out);
int http_send_stream(http_res *res, http_produce_fn produce, void (*done)(void *ctx), void *ctx);

/*
 * A version string for the static files below dir (12 hex digits into out,
 * len >= 13): it changes whenever a file is added, removed or changed
 * (name, size, mtime, inode), so pages can append it to static URLs that
 * are cached for a year. Reads only the folder's metadata. file.c.
 */
void http_static_version(const char *dir, char *out, size_t len);

/* Returns an HTTP status code (also stored in res->status). */
typedef int (*http_handler_fn)(http_req *req, http_res *res);

/*
 * Routes. A pattern is segments after '/', each one of these, from the
 * most specific kind to the least:
 *   literal   "tin-tuc", "rss.xml"   that text, exactly
 *   affixed   "sitemap-:n.xml"       a literal prefix and/or suffix around one
 *                                    capture; the name (letters, digits, '_')
 *                                    ends at the first other character, which
 *                                    begins the suffix; the capture is the
 *                                    non-empty middle ("7" of "sitemap-7.xml")
 *   parameter ":id"                  any non-empty segment
 *   rest      "*", last segment only the rest of the path, possibly empty:
 *                                    "/static/" then "*" (written apart: together
 *                                    they would close this comment) takes
 *                                    "/static", "/static/" and "/static/css/a.css"
 * "/" is the pattern of the root (no segment); no other pattern has an empty
 * segment, and a segment holds at most one capture. Path segments are
 * compared after percent-decoding, one by one: "%2F" stays inside its
 * segment, and captures are whole decoded segments (the rest decoded too).
 * A trailing '/' makes an empty last segment, which only a rest matches.
 *
 * The most specific pattern wins, whatever the order of rows and tables.
 * Two patterns that match a path are compared segment by segment from the
 * left; at the first segment whose kinds differ, the kind higher in the
 * list above wins, and a pattern that ends there beats a rest that would
 * take nothing ("/admin" beats "/admin/" then "*"). Two affixed segments:
 * the one with more literal characters wins. So "/admin/bai-viet/xem-truoc"
 * beats "/admin/bai-viet/:id", "/sitemap-:n.xml" beats "/:category", and
 * "/static/" then "*" beats "/:category/:slug".
 * Rows whose patterns compare equal and can match one path must have the
 * same shape (the same segments; capture names may differ) and methods that
 * do not overlap; http_server_start() refuses any other table, so no tie is
 * possible and no row is hidden. (A pattern that takes every path another
 * takes is less specific than it, or of the same shape; so one row can hide
 * another only when both have one shape and a method in common, which is
 * refused. Many rows could together cover another's paths, one per first
 * character say; that is not looked for.)
 *
 * The rows of the winning shape decide the method: one of them takes it,
 * or the answer is 405 with Allow listing theirs (GET brings HEAD). No
 * pattern matches: 404. Then, unless the row is HTTP_PUBLIC, the server's
 * access hook decides (http_server_config.access); then, for a row marked
 * HTTP_SAME_SITE and any method but GET, HEAD and OPTIONS, the server's
 * same_site hook; and then the handler runs, with req->route set to its row.
 */
typedef struct http_route {
	unsigned methods;          /* bitmask of enum http_method; GET implies HEAD */
	const char *pattern;
	http_handler_fn handler;
	unsigned access;           /* who may use it: HTTP_PUBLIC, or a set of roles;
				    * HTTP_SAME_SITE may be added to either */
} http_route;

/* http_route.access of a route anyone may use, without signing in. Any
 * other value is a set of roles (bits the application defines, below this
 * one) checked by the server's access hook; 0 names no role, so only the
 * application's most trusted users may use the route (deny by default). */
#define HTTP_PUBLIC (1u << 31)

/* Added to http_route.access: the row's form posts (every method but GET,
 * HEAD and OPTIONS) must come from the site's own pages, which the server
 * asks its same_site hook before the handler runs. For rows a browser can
 * post to from another site without asking first (a plain HTML form, so
 * urlencoded or multipart bodies); a JSON API is not one: a cross-site
 * JSON post needs a CORS preflight, which the server never grants. Not a
 * role: the access hook never sees it. */
#define HTTP_SAME_SITE (1u << 30)

/* True when a row with that access needs no access hook. */
#define HTTP_ACCESS_PUBLIC(access) (((access) & HTTP_PUBLIC) != 0)

/* A table of routes: n rows. */
typedef struct {
	const http_route *routes;
	size_t n;
} http_route_table;

/* The route for req among all rows of the tables, or NULL; sets req->route
 * and fills req->params (copied into req->arena, which must be set).
 * *allowed gets the methods of the most specific pattern that matched (for
 * 405; GET adds HEAD), 0 when none did. When req->raw_target is set its
 * path is split and each segment decoded; otherwise req->path is split as
 * is. A path with a malformed %XX matches nothing. Exposed for tests. */
const http_route *http_route_find(const http_route_table *tables, size_t ntables,
				  http_req *req, unsigned *allowed);
/* The same for one table. */
const http_route *http_route_match(const http_route *routes, size_t n, http_req *req,
				   unsigned *allowed);

/* "GET" for HTTP_GET: the name of one method bit (static), NULL for none. */
const char *http_method_name(unsigned method);
/* "GET, HEAD, POST" for an Allow header (GET brings HEAD), in the arena. */
const char *http_allow_header(arena_t *a, unsigned methods);

/*
 * Limits left at 0 get a default: threads 1, max_connections 512,
 * per_ip_connections 32 (max_connections when trusted_proxy is set, since
 * every client then arrives from the proxy), connection_timeout 30 s,
 * connection_memory 32 KiB (at least 8 KiB), max_body 1 MiB,
 * listen_backlog 511. A request line that does not fit connection_memory
 * gets 414 and a header block that does not fit gets 431, both from
 * libmicrohttpd itself; a target longer than HTTP_MAX_PATH gets 414.
 */
typedef struct {
	const char *host;              /* numeric address to bind, "127.0.0.1" or "::1" */
	uint16_t port;                 /* 0 = any free port, see http_server_port() */
	unsigned threads;              /* thread pool size, >= 1 */
	unsigned max_connections;
	unsigned per_ip_connections;
	unsigned connection_timeout;   /* seconds */
	size_t connection_memory;      /* per connection; bounds the header size */
	size_t max_body;               /* larger bodies get 413 */
	/* Every route, in one or more tables (their order does not matter). */
	const http_route_table *tables;
	size_t ntables;
	/*
	 * Asked, once a row has been chosen and before its handler runs, for
	 * every row that is not HTTP_PUBLIC (404 and 405 never ask it): 0
	 * lets the handler run, with whatever the hook left in req->user; any
	 * other status is the answer, with what the hook put in res (e.g. a
	 * redirect to the login page). Without a hook such a row is refused at
	 * start-up.
	 */
	int (*access)(http_req *req, http_res *res, const http_route *route);
	/*
	 * Asked, after the access hook, for a request of a method other than
	 * GET, HEAD and OPTIONS to a row marked HTTP_SAME_SITE: 0 when it comes
	 * from the site's own pages (the handler runs), else the status of the
	 * refusal with what the hook put in res (an empty body gets the error
	 * page). Without a hook such a row is refused at start-up.
	 */
	int (*same_site)(http_req *req, http_res *res);
	/* Fills res for an error status (404, 405, 413, 500 ...). */
	void (*error_page)(http_req *req, http_res *res, int status);
	/* Called for every request before routing (e.g. security headers); may be NULL. */
	void (*before)(http_req *req, http_res *res);
	void *app;
	int quiet;                     /* no access log (benchmarks, tests) */
	/* Numeric address of a reverse proxy. Only when the peer is this address
	 * does req->client_addr come from the last X-Forwarded-For entry. */
	const char *trusted_proxy;
	unsigned listen_backlog;       /* pending connections queue of the socket */
	/*
	 * multipart/form-data. When a request with that content type has sent
	 * its headers, and before any of its body is read, upload_gate(req,
	 * &status) is asked (req has method, path, headers and cookies; no
	 * body yet). It returns the most bytes the body may have (0 = refuse:
	 * the request is answered with *status, e.g. 401, 403, 413 or 415,
	 * without reading the body). NULL gate: every multipart body gets 415.
	 * Text fields of an accepted body go to req->form (the same caps as a
	 * urlencoded form, in NFC too); file parts are streamed to files in upload_dir
	 * (must exist; NULL = no file parts accepted) and listed in
	 * req->uploads, at most max_upload_files of them (default 8).
	 */
	size_t (*upload_gate)(http_req *req, int *status);
	const char *upload_dir;
	unsigned max_upload_files;
	/* Multipart bodies accepted and being read at once (each may hold its
	 * gate's limit on disk); one more gets 503. 0 = 16. */
	unsigned max_uploads;
	/*
	 * Asked when a handler answered 500 (may be NULL): the status to send
	 * instead when the failure was temporary, e.g. 503 (the database was
	 * locked by another process) or 507 (storage full), else 500. For
	 * another status the handler's response is dropped and the error page of
	 * that status is sent (error_page adds Retry-After and the message).
	 */
	int (*failure_status)(http_req *req);
} http_server_config;

typedef struct http_server http_server;

/* Starts listening (epoll, thread pool). NULL with the reason logged.
 * cfg is copied; the route table, strings and app it points to must outlive
 * the server. */
http_server *http_server_start(const http_server_config *cfg);
/* The port actually bound (useful after asking for port 0). */
uint16_t http_server_port(const http_server *srv);
/* Stops accepting, lets in-flight requests finish (waiting at most 10 s;
 * responses sent meanwhile carry "Connection: close"), then frees
 * everything. NULL is accepted. */
void http_server_stop(http_server *srv);

/* Prepares the upload folder at start-up: creates dir with mode 0700 if
 * missing (makes it 0700 if others could read it), and deletes the
 * temporary files an earlier run left there (a crash mid-upload). Only the
 * server's own temporary names are touched. 0, or -1 with the reason
 * logged. See docs/UPLOADS.md. */
int http_upload_dir_prepare(const char *dir);

/* Percent-decodes s (len bytes) into the arena; '+' becomes ' ' when
 * plus_is_space. NULL when a %XX is malformed. The result is NUL-terminated
 * but may contain NUL bytes (from %00): check *outlen. Exposed for tests/fuzzing. */
char *http_decode(arena_t *a, const char *s, size_t len, bool plus_is_space, size_t *outlen);

/* Parses "a=1&b=2" into fields (at most max). Returns the count or -1.
 * Names and values are decoded ('+' is a space) into the arena. Empty
 * fields ("a=1&&b=2") and fields with an empty name are skipped; "flag"
 * gives the value "". Fields after the first max are dropped unread. -1 when a
 * kept name or value has a malformed %XX, a NUL byte or invalid UTF-8.
 * Names and values are brought to NFC (text_nfc), so whatever the reader's
 * keyboard sent, handlers see and store one form. */
int http_parse_urlencoded(arena_t *a, const char *s, size_t len, http_kv *out, size_t max);

/* Parses a Cookie header value; NULL when name is absent (or header NULL).
 * Spaces around names and values are ignored and one pair of double quotes
 * around the value is removed; values are not percent-decoded. The first
 * cookie of that name wins. The copy lives in the arena. */
const char *http_cookie_parse(arena_t *a, const char *header, const char *name);

#endif
