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
#include <pthread.h>
#include <stdlib.h>
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
	{"pdf", "application/pdf"},
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

/* ------------------------------------------------------------------ */
/* Static files compressed once                                        */
/* ------------------------------------------------------------------ */

/*
 * The coded copies of static files, kept in memory: a fixed table of slots
 * chosen by file and coding, a new copy replacing whatever held its slot,
 * so memory stays bounded (PACKED_SLOTS copies of at most
 * HTTP_COMPRESS_MAX_BYTES, in practice the theme's few dozen files). A
 * copy is recognised by device, inode, size and modification time, so an
 * edited file is compressed again. Compressing happens outside the lock;
 * two first requests at once may both do it, and the second copy wins.
 */
#define PACKED_SLOTS 256

typedef struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	http_coding coding;
	bool used;
	struct http_blob *blob;    /* NULL: compressing did not make it smaller */
} packed_copy;

static packed_copy packed[PACKED_SLOTS];
static pthread_mutex_t packed_lock = PTHREAD_MUTEX_INITIALIZER;

static bool packed_is(const packed_copy *p, const struct stat *st, http_coding coding)
{
	return p->used && p->dev == st->st_dev && p->ino == st->st_ino &&
	       p->size == st->st_size && p->mtime.tv_sec == st->st_mtim.tv_sec &&
	       p->mtime.tv_nsec == st->st_mtim.tv_nsec && p->coding == coding;
}

/* The whole file fd (size bytes) compressed with coding, or NULL. */
static struct http_blob *packed_make(int fd, size_t size, http_coding coding)
{
	char *plain = malloc(size ? size : 1);
	if (plain == NULL)
		return NULL;
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(fd, plain + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	struct http_blob *blob = NULL;
	size_t len;
	char *coded = got == size ? http_compress(coding, HTTP_EFFORT_ONCE, plain, size, &len) : NULL;
	free(plain);
	if (coded != NULL && (blob = malloc(sizeof *blob)) != NULL) {
		blob->data = coded;
		blob->len = len;
		atomic_init(&blob->refs, 1);
	} else {
		free(coded);
	}
	return blob;
}

/* A reference to the coded copy of the open file fd, made now if it is
 * not kept yet; NULL when it is not smaller (or cannot be made). */
static struct http_blob *packed_get(int fd, const struct stat *st, http_coding coding)
{
	uint64_t h = ((uint64_t)st->st_dev * 1099511628211ull) ^ (uint64_t)st->st_ino;
	packed_copy *p = &packed[(h * 3 + (uint64_t)coding) % PACKED_SLOTS];
	pthread_mutex_lock(&packed_lock);
	if (packed_is(p, st, coding)) {
		struct http_blob *blob = p->blob;
		if (blob != NULL)
			http_blob_ref(blob);
		pthread_mutex_unlock(&packed_lock);
		return blob;
	}
	pthread_mutex_unlock(&packed_lock);
	struct http_blob *blob = packed_make(fd, (size_t)st->st_size, coding);
	pthread_mutex_lock(&packed_lock);
	struct http_blob *old = p->blob;
	*p = (packed_copy){.dev = st->st_dev, .ino = st->st_ino, .size = st->st_size,
			   .mtime = st->st_mtim, .coding = coding, .used = true, .blob = blob};
	if (blob != NULL)
		http_blob_ref(blob);
	pthread_mutex_unlock(&packed_lock);
	http_blob_unref(old);
	return blob;
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
	/* Text is sent in the coding the client prefers, compressed once. */
	bool vary = http_compressible_type(res->content_type) &&
		    http_compressible_size((uint64_t)st.st_size);
	http_coding coding =
	    vary ? http_accept_encoding(http_header(req, "Accept-Encoding")) : HTTP_CODING_IDENTITY;
	struct http_blob *blob = NULL;
	if (coding != HTTP_CODING_IDENTITY && (blob = packed_get(fd, &st, coding)) == NULL)
		coding = HTTP_CODING_IDENTITY;
	res->etag = http_coding_etag(
	    res->arena,
	    arena_sprintf(res->arena, "\"%" PRIxMAX "-%" PRIxMAX "-%" PRIxMAX ".%lx\"",
			  (uintmax_t)st.st_ino, (uintmax_t)st.st_size,
			  (uintmax_t)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec),
	    coding);
	res->last_modified = (int64_t)st.st_mtim.tv_sec;
	if (res->etag == NULL ||
	    (cache_control != NULL && http_res_header(res, "Cache-Control", cache_control) != 0) ||
	    (is_svg && http_res_header(res, "Content-Security-Policy", SVG_POLICY) != 0) ||
	    (vary && http_res_header(res, "Vary", "Accept-Encoding") != 0) ||
	    (blob != NULL &&
	     http_res_header(res, "Content-Encoding", http_coding_name(coding)) != 0)) {
		close(fd);
		http_blob_unref(blob);
		res->status = 500;
		return 500;
	}
	if (http_not_modified(req, res->etag, res->last_modified)) {
		close(fd);
		http_blob_unref(blob);
		res->status = 304;
		return 304;
	}
	if (blob != NULL) {
		close(fd);
		if (res->blob != NULL)
			http_blob_unref(res->blob);
		res->blob = blob;
		res->status = 200;
		return 200;
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
