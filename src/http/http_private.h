/*
 * http_private.h - what the files of src/http share and nobody else sees.
 *
 * server.c owns the daemon and the per-request state; response.c makes,
 * releases and turns an http_res into a libmicrohttpd response; request.c
 * parses (and fills a response's headers, never releasing one); router.c
 * matches; file.c serves static files. Nothing here allocates outside the
 * request arena except the response body buffer, which response.c hands to
 * libmicrohttpd (or http_res_release() frees).
 */
#ifndef SEN_HTTP_PRIVATE_H
#define SEN_HTTP_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/http.h"

/* An open file chosen by http_send_file; lives in the request arena. */
struct http_file {
	int fd;
	uint64_t size;
};

/* Bytes several answers send (a static file compressed once): reference
 * counted, freed with the last reference. */
struct http_blob {
	char *data;
	size_t len;
	atomic_uint refs;
};
void http_blob_ref(struct http_blob *blob);
void http_blob_unref(struct http_blob *blob);

/* ---- encoding.c ---- */

typedef enum {
	HTTP_CODING_IDENTITY = 0,
	HTTP_CODING_GZIP = 1,
	HTTP_CODING_BR = 2,
} http_coding;
#define HTTP_CODINGS 3

/* The coding to answer with, from an Accept-Encoding header (NULL when the
 * request has none): brotli when acceptable and weighted at least as high
 * as gzip, else gzip when acceptable, else identity. Never fails; any
 * malformed element is ignored. */
http_coding http_accept_encoding(const char *header);
/* "br", "gzip", "identity" (static). */
const char *http_coding_name(http_coding coding);
/* The entity tag of the coded body: "x" becomes "x-br" / "x-gz" (in the
 * arena); etag itself for identity or NULL. */
const char *http_coding_etag(arena_t *a, const char *etag, http_coding coding);
/* True for a content type worth compressing (NULL = the default HTML). */
bool http_compressible_type(const char *content_type);
/* True for a body length worth compressing. */
bool http_compressible_size(uint64_t len);
/* How hard to compress: a body sent once (fast), a page the page cache
 * keeps (sent for a second), a static file (compressed once). */
typedef enum {
	HTTP_EFFORT_NOW = 0,
	HTTP_EFFORT_KEPT = 1,
	HTTP_EFFORT_ONCE = 2,
} http_effort;
#define HTTP_EFFORTS 3
/* The body compressed (malloc'd, *out_len bytes; the caller frees), or NULL
 * when it cannot be or would not be smaller. Thread-safe (zlib streams are
 * kept per thread). */
char *http_compress(http_coding coding, http_effort effort, const char *in, size_t len,
		    size_t *out_len);

/* ---- request.c ---- */

/* 0..15 for a hexadecimal digit, else -1. */
int http_hex_digit(unsigned char c);

/* Method name to enum (HTTP_OTHER for anything unknown). */
enum http_method http_method_parse(const char *name);
/* Decodes and checks the path part of a raw target: a leading '/', valid
 * %XX, no NUL, valid UTF-8. NULL when any of these fails. */
const char *http_path_decode(arena_t *a, const char *raw, size_t len);

/* ---- router.c ---- */

/* False (with the reason logged) for a route the table must not contain:
 * no handler or methods, a pattern not starting with '/', an empty segment
 * (but "/"), a '*' that is not the whole last segment, an unnamed capture,
 * two captures in a segment, more than HTTP_MAX_PARAMS captures or 32
 * segments. */
bool http_route_valid(const http_route *route);
/* 0, or -1 with the reasons logged when a row is not valid or two rows could
 * tie (http.h): patterns of different shapes that compare equal and can
 * match one path, or one shape twice with a method in common (one row of
 * the two could never be reached). */
int http_routes_check(const http_route_table *tables, size_t ntables);

/* ---- response.c ---- */

/* A fresh response: status 200, no body, no file, memory from arena. A
 * zeroed http_res is valid too (only the status differs). */
void http_res_init(http_res *res, arena_t *arena);
/* Frees the body buffer and closes an open file; res can be reused after
 * http_res_init(). */
void http_res_release(http_res *res);

/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), independent of the locale. */
void http_date_format(char out[32], int64_t t);
/* Parses an IMF-fixdate; false for anything else. */
bool http_date_parse(const char *s, int64_t *t);
/* True when a GET or HEAD carrying If-None-Match (compared weakly with etag)
 * or, without it, If-Modified-Since (not older than last_modified) may be
 * answered 304 Not Modified. */
bool http_not_modified(const http_req *req, const char *etag, int64_t last_modified);
/* Queues res on conn. Applies 304 for conditional requests, the default
 * content type and charset, nosniff, ETag, Last-Modified, res->headers, and
 * "Connection: close" when closing. The body buffer and the file move to
 * libmicrohttpd. *bytes gets the body size sent (0 for HEAD and 304).
 * 0, or -1 when the response could not be built or queued (res->status then
 * tells nothing; the caller answers 500 or drops the connection). */
int http_response_queue(struct MHD_Connection *conn, const http_req *req, http_res *res,
			bool closing, uint64_t *bytes);
/* Writes res (a body response, no file) straight to socket fd with
 * "Connection: close" and shuts down the sending side. Used only where
 * libmicrohttpd 0.9.75 cannot queue a response: in the middle of an upload.
 * Waits at most about one second for the socket. 0 or -1. */
int http_response_write_raw(int fd, const http_req *req, http_res *res, uint64_t *bytes);

/* ---- upload.c ---- */

/* A multipart/form-data body being read; lives in the request arena, but
 * holds libmicrohttpd's post processor, an open file and a heap buffer
 * until http_multipart_cleanup(). */
typedef struct http_multipart http_multipart;

/* True for "multipart/form-data" (any case) alone or followed by
 * parameters. */
bool http_is_multipart(const char *content_type);
/* Starts reading the multipart body of req (headers in, nothing of the body
 * read). content_type is the request's header; files go to upload_dir
 * (NULL: a file part is refused with 400), at most max_files of them (0 =
 * 8); the text values together may have max_text bytes. NULL with *status
 * set (400 for a missing or unusable boundary, 500 when out of memory). */
http_multipart *http_multipart_new(http_req *req, const char *content_type,
				   const char *upload_dir, unsigned max_files, size_t max_text,
				   int *status);
/* Feeds the next body bytes. 0, or the status that must answer the
 * request (400 malformed, 413 too many parts / files / text, 500, 507 disk
 * full); after an error every file is already deleted and later bytes are
 * ignored, so the caller just reads the body to its end. */
int http_multipart_feed(http_multipart *mp, const char *data, size_t len);
/* The body has ended: closes the last file and checks the body was
 * complete. 0 with req->form and req->uploads filled, or the status as
 * for http_multipart_feed (files deleted). */
int http_multipart_finish(http_multipart *mp);
/* Deletes every temporary file of mp and frees what it holds outside the
 * arena. Safe to call more than once, and with NULL. */
void http_multipart_cleanup(http_multipart *mp);
/* The client's file name made safe to keep and show: only what follows the
 * last '/' or '\\', no control characters (C0, DEL, C1), line separators or
 * bidirectional controls, invalid UTF-8 bytes dropped, at most
 * HTTP_UPLOAD_NAME_MAX bytes (cut between characters), "." and ".." become
 * "". raw has len bytes (NUL bytes in it are dropped). In the arena; NULL
 * only when out of memory. */
const char *http_upload_filename(arena_t *a, const char *raw, size_t len);

#endif
