/*
 * file.c - static files below a root directory (themes, media).
 *
 * The relative path comes from the URL, so it is hostile until proven
 * otherwise. Lexical checks refuse "..", hidden names, backslashes and
 * absolute paths; then every component is opened with openat(O_NOFOLLOW)
 * from the root, so no symlink, wherever it points, is ever followed below
 * the root, and there is no window between checking a path and opening it.
 * Every refusal is a plain 404: the client learns nothing about the tree.
 *
 * http_static_version() names the state of a folder of static files, so
 * their URLs can change whenever a file does and be cached for a year.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dir.h"
#include "core/log.h"
#include "http/http_private.h"

/* SVG can carry script; served as an image it must not run any. */
#define SVG_POLICY "default-src 'none'; style-src 'unsafe-inline'; sandbox"

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{"css", "text/css; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"webp", "image/webp"},
	{"gif", "image/gif"},
	{"svg", "image/svg+xml; charset=utf-8"},
	{"ico", "image/x-icon"},
	{"woff2", "font/woff2"},
	{"txt", "text/plain; charset=utf-8"},
	{"xml", "application/xml; charset=utf-8"},
	{"json", "application/json; charset=utf-8"},
	{"html", "text/html; charset=utf-8"},
};

static const char *content_type_for(const char *name, bool *is_svg)
{
	*is_svg = false;
	const char *dot = strrchr(name, '.');
	if (dot == NULL)
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++) {
		if (strcasecmp(dot + 1, content_types[i].ext) == 0) {
			*is_svg = strcmp(content_types[i].ext, "svg") == 0;
			return content_types[i].type;
		}
	}
	return "application/octet-stream";
}

static int not_found(http_res *res)
{
	res->status = 404;
	return 404;
}

/* Opens rel below the directory fd dir, one component at a time. Returns an
 * fd of a regular file, or -1. dir is consumed. */
static int open_below(int dir, char *rel)
{
	int fd = -1;
	char *seg = rel;
	for (;;) {
		char *slash = strchr(seg, '/');
		if (slash != NULL)
			*slash = '\0';
		/* Empty segments, ".", ".." and hidden names are all refused here. */
		if (seg[0] == '\0' || seg[0] == '.')
			goto fail;
		if (slash == NULL) {
			/* O_NONBLOCK keeps a FIFO from blocking the open; it does not
			 * matter for the regular file that is all we accept. */
			fd = openat(dir, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
			close(dir);
			return fd;
		}
		int next = openat(dir, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		dir = next;
		if (dir < 0)
			return -1;
		seg = slash + 1;
	}
fail:
	close(dir);
	return -1;
}

/* Keeps fd (size bytes) in res for the server to send and close; closes
 * it and answers 500 when memory runs out. */
static int send_open(http_res *res, int fd, uint64_t size)
{
	struct http_file *file = arena_alloc(res->arena, sizeof *file);
	if (file == NULL) {
		close(fd);
		res->status = 500;
		return 500;
	}
	file->fd = fd;
	file->size = size;
	if (res->file != NULL)
		close(res->file->fd);
	res->file = file;
	res->file_path = NULL;
	res->status = 200;
	return 200;
}

int http_send_file(http_req *req, http_res *res, const char *root, const char *rel,
		   const char *cache_control)
{
	if (res == NULL)
		return 404;
	if (req == NULL || root == NULL || rel == NULL || res->arena == NULL)
		return not_found(res);
	size_t len = strnlen(rel, PATH_MAX);
	if (len == 0 || len >= PATH_MAX || rel[0] == '/' || memchr(rel, '\\', len) != NULL)
		return not_found(res);
	char *copy = arena_strndup(res->arena, rel, len);
	if (copy == NULL)
		return not_found(res);
	const char *last = strrchr(rel, '/');
	last = last != NULL ? last + 1 : rel;

	int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		log_error("http: static root %s: %s", root, strerror(errno));
		return not_found(res);
	}
	int fd = open_below(dir, copy);
	if (fd < 0)
		return not_found(res);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return not_found(res);
	}

	bool is_svg;
	res->content_type = content_type_for(last, &is_svg);
	res->etag = arena_sprintf(res->arena, "\"%" PRIxMAX "-%" PRIxMAX "-%" PRIxMAX ".%lx\"",
				  (uintmax_t)st.st_ino, (uintmax_t)st.st_size,
				  (uintmax_t)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec);
	res->last_modified = (int64_t)st.st_mtim.tv_sec;
	if (res->etag == NULL ||
	    (cache_control != NULL && http_res_header(res, "Cache-Control", cache_control) != 0) ||
	    (is_svg && http_res_header(res, "Content-Security-Policy", SVG_POLICY) != 0)) {
		close(fd);
		res->status = 500;
		return 500;
	}
	if (http_not_modified(req, res->etag, res->last_modified)) {
		close(fd);
		res->status = 304;
		return 304;
	}
	return send_open(res, fd, (uint64_t)st.st_size);
}

int http_send_fd(http_res *res, int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		res->status = 500;
		return 500;
	}
	return send_open(res, fd, (uint64_t)st.st_size);
}

/* ------------------------------------------------------------------ */
/* The version of a folder of static files                             */
/* ------------------------------------------------------------------ */

/* FNV-1a over the name, size, mtime and inode of every file below a folder
 * (dir_each's fn; ctx: the uint64_t hash). */
static int hash_entry(const char *path, const char *name, void *ctx)
{
	uint64_t *h = ctx;
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		dir_each(path, hash_entry, h);
		return 0;
	}
	uint64_t parts[3] = {(uint64_t)st.st_size, (uint64_t)st.st_mtime, (uint64_t)st.st_ino};
	for (const char *c = name; *c; c++)
		*h = (*h ^ (unsigned char)*c) * 1099511628211ull;
	for (int i = 0; i < 3; i++)
		*h = (*h ^ parts[i]) * 1099511628211ull;
	return 0;
}

void http_static_version(const char *dir, char *out, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	dir_each(dir, hash_entry, &h);
	snprintf(out, len, "%012llx", (unsigned long long)(h & 0xffffffffffffull));
}
