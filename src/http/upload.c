/*
 * upload.c - multipart/form-data bodies, parsed by libmicrohttpd's post
 * processor and streamed to disk.
 *
 * server.c asks the configured upload_gate before a byte of the body is
 * read and caps the whole body with its answer; this file turns the parts
 * into req->form (text fields) and req->uploads (files). Every limit is
 * explicit: the number of parts, the number of files, the length of a field
 * name, the bytes of all text fields together (max_body, as for a urlencoded
 * form). File bytes go to disk through one fixed buffer, so the memory a
 * request holds does not depend on the size of what it uploads. Before the
 * post processor sees any bytes, scan() checks the framing and refuses
 * what it would accept silently or slowly (see there).
 *
 * Temporary files are created O_EXCL | O_NOFOLLOW with mode 0600 under a
 * random name in upload_dir; the client's file name is only ever data
 * (sanitised for display, never used as a path). The first error deletes
 * every file of the request at once; http_multipart_cleanup() deletes them
 * after the response, and runs again when the request ends however it ends.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/log.h"
#include "core/text.h"
#include "http/http_private.h"

/* libmicrohttpd's working buffer: a part's header line must fit in it.
 * It is also the cost of every header line (the post processor moves its
 * buffer once per line), so it is kept small. */
#define PP_BUFFER 2048
/* File bytes are gathered here and written in large pieces. */
#define WRITE_BUFFER (64 * 1024)
/* Body bytes the post processor may take without handing anything to the
 * iterator: only a part's headers do that, and real ones are a few hundred
 * bytes. Thousands of tiny header lines would otherwise cost a move of
 * PP_BUFFER bytes each (seconds of CPU for one 20 MiB body). */
#define MAX_QUIET_BYTES (64 * 1024)
/* A part's headers: at most this many lines and bytes (a browser sends two
 * or three lines of well under 1 KiB). */
#define MAX_HEADER_LINES 16
#define MAX_HEADER_BYTES (8 * 1024)
/* A form field name longer than this is refused (400). */
#define MAX_NAME 256
/* RFC 2046, 5.1.1: a boundary has 1 to 70 characters. */
#define MAX_BOUNDARY 70
#define DEFAULT_MAX_FILES 8
/* Temporary files are "upload-" and 32 hex digits; only such names are
 * removed by http_upload_dir_prepare(). */
#define TEMP_PREFIX "upload-"

enum part_kind { PART_TEXT, PART_FILE, PART_SKIP };

/* Where the scanner is: it checks the framing before libmicrohttpd parses
 * it (see scan()). */
enum scan_state {
	SCAN_START,      /* comparing the body's first bytes with "--boundary" */
	SCAN_DELIMITER,  /* after a delimiter: CRLF (a part follows) or "--" */
	SCAN_DELIMITER_CR,
	SCAN_DELIMITER_DASH,
	SCAN_HEADERS,    /* a part's header lines, up to an empty line */
	SCAN_VALUE,      /* a part's data, up to the next CRLF "--boundary" */
	SCAN_END,        /* after the close delimiter */
};

struct http_multipart {
	http_req *req;
	arena_t *arena;
	struct MHD_PostProcessor *pp;
	const char *dir;
	size_t max_files;
	size_t max_parts;
	size_t max_text;           /* bytes of all text values together */
	size_t text_total;
	size_t nparts;
	int status;                /* the first error; 0 while all is well */
	char delimiter[MAX_BOUNDARY + 5]; /* CR LF "--" boundary */
	size_t delimiter_len;
	enum scan_state scan;
	size_t match;              /* bytes of the delimiter (or, at the start,
				    * of "--boundary") matched so far */
	size_t header_lines, header_bytes, line_len, line_quotes;
	bool header_cr;            /* the last header byte was CR */
	uint64_t calls;            /* iterator calls so far */
	size_t quiet;              /* bytes fed since the iterator was last called */

	/* The part being read. */
	bool part_open;
	enum part_kind kind;
	uint64_t part_size;
	unsigned char part_id[16]; /* hash of name, file name and type */
	const char *part_name;
	buf_t value;               /* the text value so far (heap) */
	int fd;                    /* the file being written, or -1 */
	http_upload *upload;       /* its entry in uploads */
	char *wbuf;                /* WRITE_BUFFER bytes, in the arena */
	size_t wlen;

	http_kv *form;
	size_t nform;
	http_upload *uploads;
	size_t nuploads;
};

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

bool http_is_multipart(const char *content_type)
{
	static const char mp[] = "multipart/form-data";
	size_t n = sizeof mp - 1;
	if (content_type == NULL || strncasecmp(content_type, mp, n) != 0)
		return false;
	char next = content_type[n];
	return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* RFC 2046 bchars, without the space (a boundary ending in one is not
 * allowed and none is needed). */
static bool boundary_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr("'()+_,-./:=?", c) != NULL;
}

/* The boundary exactly as libmicrohttpd reads it: everything after the
 * first "boundary=", without one pair of quotes. Anything but 1 to 70
 * boundary characters is refused, so "boundary=a; charset=x" is too. */
static size_t parse_boundary(const char *content_type, char out[MAX_BOUNDARY + 1])
{
	const char *b = strstr(content_type + strlen("multipart/form-data"), "boundary=");
	if (b == NULL)
		return 0;
	b += strlen("boundary=");
	size_t len = strnlen(b, MAX_BOUNDARY + 3);
	if (len >= 2 && b[0] == '"' && b[len - 1] == '"') {
		b++;
		len -= 2;
	}
	if (len == 0 || len > MAX_BOUNDARY)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!boundary_char((unsigned char)b[i]))
			return 0;
	memcpy(out, b, len);
	out[len] = '\0';
	return len;
}

/* Length of the UTF-8 sequence at s (at most len bytes) and its code point;
 * 0 when it is not well-formed (overlong, surrogate, above U+10FFFF,
 * truncated). */
static size_t utf8_next(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters a file name shown to people must not carry: C0 and C1
 * controls, DEL, line and paragraph separators, and the bidirectional
 * overrides and isolates that make "gpj.exe" read as "exe.jpg". */
static bool unwanted(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0xfeff;
}

const char *http_upload_filename(arena_t *a, const char *raw, size_t len)
{
	if (a == NULL)
		return NULL;
	if (raw == NULL)
		len = 0;
	/* Only the last segment: browsers on Windows once sent "C:\\x\\y.jpg". */
	size_t start = 0;
	for (size_t i = 0; i < len; i++)
		if (raw[i] == '/' || raw[i] == '\\')
			start = i + 1;
	char *out = arena_alloc(a, HTTP_UPLOAD_NAME_MAX + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)raw;
	for (size_t i = start; i < len;) {
		unsigned cp;
		size_t n = utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			/* Not UTF-8: the byte is dropped. */
			i++;
			continue;
		}
		if (!unwanted(cp)) {
			if (o + n > HTTP_UPLOAD_NAME_MAX)
				break;
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	/* "." and ".." name folders, not files. */
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		out[0] = '\0';
	return out;
}

/* The declared Content-Type of a part, kept only when it is short
 * printable ASCII (a media type has nothing else); "" otherwise. */
static const char *declared_type(arena_t *a, const char *t)
{
	if (t == NULL)
		return "";
	size_t len = strnlen(t, HTTP_UPLOAD_NAME_MAX + 1);
	if (len > HTTP_UPLOAD_NAME_MAX)
		return "";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] > 0x7e)
			return "";
	const char *copy = arena_strndup(a, t, len);
	return copy != NULL ? copy : "";
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

static int status_of_write_error(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EFBIG ? 507 : 500;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new empty file with a random name in dir; the fd, or -1 (errno set). */
static int create_temp(arena_t *a, const char *dir, const char **path_out)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		unsigned char rnd[16];
		char hex[sizeof rnd * 2 + 1];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
		char *path = arena_sprintf(a, "%s/" TEMP_PREFIX "%s", dir, hex);
		if (path == NULL) {
			errno = ENOMEM;
			return -1;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			*path_out = path;
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static void remove_files(http_multipart *mp)
{
	if (mp->fd >= 0) {
		close(mp->fd);
		mp->fd = -1;
	}
	for (size_t i = 0; i < mp->nuploads; i++) {
		http_upload *u = &mp->uploads[i];
		if (u->path != NULL && unlink(u->path) != 0 && errno != ENOENT)
			log_error("http: cannot delete upload %s: %s", u->path, strerror(errno));
		u->path = NULL;
	}
	mp->wlen = 0;
}

/* Records the first error, deletes every file at once, and keeps nothing
 * of the form. Returns status. */
static int fail(http_multipart *mp, int status, const char *why)
{
	if (mp->status == 0) {
		mp->status = status;
		log_info("http: %s %s: multipart body refused (%d): %s", mp->req->method_name,
			 mp->req->path, status, why);
	}
	remove_files(mp);
	buf_free(&mp->value);
	mp->part_open = false;
	mp->nform = 0;
	return status;
}

static int flush_file(http_multipart *mp)
{
	if (mp->wlen == 0)
		return 0;
	if (write_all(mp->fd, mp->wbuf, mp->wlen) != 0) {
		int err = errno;
		log_error("http: cannot write upload %s: %s", mp->upload->path, strerror(err));
		return fail(mp, status_of_write_error(err), "cannot write the file");
	}
	mp->wlen = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parts                                                               */
/* ------------------------------------------------------------------ */

/* What identifies a part between calls of the iterator: libmicrohttpd
 * gives a part's first bytes at offset 0, but may give an empty call at
 * offset 0 before them. */
static void part_identity(const char *key, const char *filename, const char *type,
			  unsigned char out[16])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 16);
	const char *items[3] = {key, filename, type};
	for (size_t i = 0; i < 3; i++) {
		unsigned char tag = items[i] != NULL ? 1 : 0;
		crypto_generichash_update(&st, &tag, 1);
		if (items[i] != NULL)
			crypto_generichash_update(&st, (const unsigned char *)items[i],
						  strlen(items[i]) + 1);
	}
	crypto_generichash_final(&st, out, 16);
}

static int end_part(http_multipart *mp)
{
	if (!mp->part_open)
		return 0;
	mp->part_open = false;
	if (mp->kind == PART_FILE) {
		if (flush_file(mp) != 0)
			return mp->status;
		if (close(mp->fd) != 0) {
			int err = errno;
			mp->fd = -1;
			log_error("http: cannot write upload %s: %s", mp->upload->path, strerror(err));
			return fail(mp, status_of_write_error(err), "cannot write the file");
		}
		mp->fd = -1;
		return 0;
	}
	if (mp->kind == PART_TEXT) {
		const char *v = mp->value.data != NULL ? mp->value.data : "";
		size_t len = mp->value.len;
		if (!utf8_valid(v, len))
			return fail(mp, 400, "a field is not UTF-8 text");
		/* Text is kept in NFC, as in urlencoded forms (request.c). */
		const char *nfc = text_nfc_arena(mp->arena, v, len, &len);
		const char *copy = nfc == v ? arena_strndup(mp->arena, v, len) : nfc;
		if (copy == NULL)
			return fail(mp, 500, "out of memory");
		mp->form[mp->nform].name = mp->part_name;
		mp->form[mp->nform].value = copy;
		mp->form[mp->nform].value_len = len;
		mp->nform++;
	}
	buf_clear(&mp->value);
	return 0;
}

static int start_part(http_multipart *mp, const char *key, const char *filename,
		      const char *type)
{
	if (++mp->nparts > mp->max_parts)
		return fail(mp, 413, "too many parts");
	if (key == NULL)
		return fail(mp, 400, "a part without a name");
	size_t klen = strnlen(key, MAX_NAME + 1);
	if (klen > MAX_NAME || !utf8_valid(key, klen))
		return fail(mp, 400, "a field name too long or not UTF-8");
	const char *name = arena_strndup(mp->arena, key, klen);
	if (name == NULL)
		return fail(mp, 500, "out of memory");
	mp->part_name = name;
	mp->part_size = 0;
	mp->part_open = true;
	if (filename == NULL) {
		if (klen == 0) {
			/* As in a urlencoded form, a field without a name is skipped. */
			mp->kind = PART_SKIP;
			return 0;
		}
		if (mp->nform >= HTTP_MAX_FIELDS)
			return fail(mp, 413, "too many fields");
		mp->kind = PART_TEXT;
		buf_clear(&mp->value);
		return 0;
	}
	if (mp->dir == NULL)
		return fail(mp, 400, "files are not accepted here");
	if (mp->nuploads >= mp->max_files)
		return fail(mp, 413, "too many files");
	http_upload *u = &mp->uploads[mp->nuploads];
	memset(u, 0, sizeof *u);
	u->field = name;
	u->filename = http_upload_filename(mp->arena, filename, strlen(filename));
	u->declared_type = declared_type(mp->arena, type);
	if (u->filename == NULL)
		return fail(mp, 500, "out of memory");
	const char *path = NULL;
	int fd = create_temp(mp->arena, mp->dir, &path);
	if (fd < 0) {
		int err = errno;
		log_error("http: cannot create a file in %s: %s", mp->dir, strerror(err));
		return fail(mp, status_of_write_error(err), "cannot create the file");
	}
	u->path = path;
	mp->nuploads++;
	mp->fd = fd;
	mp->upload = u;
	mp->wlen = 0;
	mp->kind = PART_FILE;
	return 0;
}

static int add_data(http_multipart *mp, const char *data, size_t size)
{
	mp->part_size += size;
	switch (mp->kind) {
	case PART_SKIP:
		return 0;
	case PART_TEXT:
		if (size > mp->max_text - mp->text_total)
			return fail(mp, 413, "text fields too large");
		mp->text_total += size;
		if (buf_append(&mp->value, data, size) != 0)
			return fail(mp, 500, "out of memory");
		return 0;
	case PART_FILE:
		mp->upload->size += size;
		while (size > 0) {
			size_t n = WRITE_BUFFER - mp->wlen;
			if (n > size)
				n = size;
			memcpy(mp->wbuf + mp->wlen, data, n);
			mp->wlen += n;
			data += n;
			size -= n;
			if (mp->wlen == WRITE_BUFFER && flush_file(mp) != 0)
				return mp->status;
		}
		return 0;
	}
	return 0;
}

static enum MHD_Result on_part_data(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *filename, const char *content_type,
				    const char *transfer_encoding, const char *data, uint64_t off,
				    size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	http_multipart *mp = cls;
	mp->calls++;
	if (mp->status != 0)
		return MHD_NO;
	unsigned char id[16];
	part_identity(key, filename, content_type, id);
	bool same;
	if (off > 0)
		same = mp->part_open && off == mp->part_size && memcmp(id, mp->part_id, 16) == 0;
	else
		same = mp->part_open && mp->part_size == 0 && memcmp(id, mp->part_id, 16) == 0;
	if (!same) {
		if (off != 0) {
			fail(mp, 400, "a part out of order");
			return MHD_NO;
		}
		/* Two empty parts in a row with the same headers read as one;
		 * nothing is lost that a form could mean. */
		if (end_part(mp) != 0 || start_part(mp, key, filename, content_type) != 0)
			return MHD_NO;
		memcpy(mp->part_id, id, 16);
	}
	if (size > 0 && add_data(mp, data, size) != 0)
		return MHD_NO;
	return MHD_YES;
}

/* ------------------------------------------------------------------ */
/* The body                                                            */
/* ------------------------------------------------------------------ */

http_multipart *http_multipart_new(http_req *req, const char *content_type,
				   const char *upload_dir, unsigned max_files, size_t max_text,
				   int *status)
{
	arena_t *a = req->arena;
	*status = 500;
	/* The files are named by randombytes_buf(); once initialised, this
	 * call returns at once. */
	if (sodium_init() < 0) {
		log_error("http: sodium_init failed");
		return NULL;
	}
	http_multipart *mp = arena_calloc(a, 1, sizeof *mp);
	if (mp == NULL)
		return NULL;
	mp->req = req;
	mp->arena = a;
	mp->fd = -1;
	mp->dir = upload_dir;
	mp->max_files = max_files > 0 ? max_files : DEFAULT_MAX_FILES;
	mp->max_parts = HTTP_MAX_FIELDS + mp->max_files;
	mp->max_text = max_text;
	char boundary[MAX_BOUNDARY + 1];
	size_t blen = content_type != NULL ? parse_boundary(content_type, boundary) : 0;
	if (blen == 0) {
		log_info("http: %s %s: multipart body without a usable boundary", req->method_name,
			 req->path);
		*status = 400;
		return NULL;
	}
	memcpy(mp->delimiter, "\r\n--", 4);
	memcpy(mp->delimiter + 4, boundary, blen);
	mp->delimiter_len = blen + 4;
	mp->scan = SCAN_START;
	mp->form = arena_calloc(a, HTTP_MAX_FIELDS, sizeof *mp->form);
	mp->uploads = arena_calloc(a, mp->max_files, sizeof *mp->uploads);
	if (mp->form == NULL || mp->uploads == NULL)
		return NULL;
	if (upload_dir != NULL && (mp->wbuf = arena_alloc(a, WRITE_BUFFER)) == NULL)
		return NULL;
	mp->pp = MHD_create_post_processor(req->conn, PP_BUFFER, on_part_data, mp);
	if (mp->pp == NULL) {
		log_info("http: %s %s: multipart body cannot be parsed", req->method_name, req->path);
		*status = 400;
		return NULL;
	}
	*status = 0;
	return mp;
}

/* One byte of a part's headers. Lines end with CRLF; a bare CR or LF, a
 * NUL, or a line with an odd number of '"' (a quoted file name cut by a
 * line break, which libmicrohttpd would silently turn into a text field)
 * make the body malformed. */
static int scan_header_byte(http_multipart *mp, unsigned char c)
{
	if (c == '\r') {
		if (mp->header_cr)
			return fail(mp, 400, "a bare CR in part headers");
		mp->header_cr = true;
		return 0;
	}
	if (c == '\n') {
		if (!mp->header_cr)
			return fail(mp, 400, "a bare LF in part headers");
		mp->header_cr = false;
		if (mp->line_len == 0) {
			mp->scan = SCAN_VALUE;
			mp->match = 0;
			return 0;
		}
		if (mp->line_quotes % 2 != 0)
			return fail(mp, 400, "an unterminated quote in part headers");
		if (++mp->header_lines > MAX_HEADER_LINES)
			return fail(mp, 400, "too many part header lines");
		mp->line_len = 0;
		mp->line_quotes = 0;
		return 0;
	}
	if (mp->header_cr)
		return fail(mp, 400, "a bare CR in part headers");
	if (c == '\0')
		return fail(mp, 400, "a NUL byte in part headers");
	if (++mp->header_bytes > MAX_HEADER_BYTES)
		return fail(mp, 400, "part headers too long");
	mp->line_len++;
	if (c == '"')
		mp->line_quotes++;
	return 0;
}

/*
 * Checks the framing of the body before libmicrohttpd parses it, so that
 * what it would accept silently or slowly is refused: anything before the
 * first boundary (skipped a byte at a time, moving its buffer each time),
 * padding after a delimiter, header lines that are bare-CR/LF terminated,
 * cut inside a quoted value, too many or too long. The data of a part is
 * only searched for the next delimiter (CR LF "--" boundary; the boundary
 * has no CR, so a mismatch restarts at most at one CR).
 */
static int scan(http_multipart *mp, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	const unsigned char *d = (const unsigned char *)mp->delimiter;
	while (p < end) {
		switch (mp->scan) {
		case SCAN_START:
			/* "--boundary" is the delimiter without its CR LF. */
			if (*p++ != d[2 + mp->match])
				return fail(mp, 400, "the body does not start with the boundary");
			if (++mp->match == mp->delimiter_len - 2)
				mp->scan = SCAN_DELIMITER;
			break;
		case SCAN_DELIMITER:
			if (*p == '\r')
				mp->scan = SCAN_DELIMITER_CR;
			else if (*p == '-')
				mp->scan = SCAN_DELIMITER_DASH;
			else
				return fail(mp, 400, "a delimiter not followed by CRLF or --");
			p++;
			break;
		case SCAN_DELIMITER_CR:
			if (*p++ != '\n')
				return fail(mp, 400, "a delimiter not followed by CRLF");
			mp->scan = SCAN_HEADERS;
			mp->header_lines = mp->header_bytes = mp->line_len = mp->line_quotes = 0;
			mp->header_cr = false;
			break;
		case SCAN_DELIMITER_DASH:
			if (*p++ != '-')
				return fail(mp, 400, "a delimiter not followed by CRLF or --");
			mp->scan = SCAN_END;
			break;
		case SCAN_HEADERS:
			if (scan_header_byte(mp, *p++) != 0)
				return mp->status;
			break;
		case SCAN_VALUE:
			if (mp->match == 0) {
				const unsigned char *cr = memchr(p, '\r', (size_t)(end - p));
				if (cr == NULL)
					return 0;
				p = cr + 1;
				mp->match = 1;
				break;
			}
			if (*p == d[mp->match]) {
				if (++mp->match == mp->delimiter_len) {
					mp->scan = SCAN_DELIMITER;
					mp->match = 0;
				}
			} else {
				mp->match = *p == '\r' ? 1 : 0;
			}
			p++;
			break;
		case SCAN_END:
			/* libmicrohttpd takes a CRLF here and refuses anything more. */
			return 0;
		}
	}
	return 0;
}

int http_multipart_feed(http_multipart *mp, const char *data, size_t len)
{
	if (mp == NULL)
		return 500;
	if (mp->status != 0 || len == 0)
		return mp->status;
	if (mp->pp == NULL)
		return fail(mp, 500, "fed after the end");
	if (scan(mp, (const unsigned char *)data, len) != 0)
		return mp->status;
	uint64_t calls = mp->calls;
	if (MHD_post_process(mp->pp, data, len) != MHD_YES && mp->status == 0)
		fail(mp, 400, "malformed");
	if (mp->calls != calls)
		mp->quiet = 0;
	else if ((mp->quiet += len) > MAX_QUIET_BYTES && mp->status == 0)
		fail(mp, 400, "part headers too long");
	return mp->status;
}

int http_multipart_finish(http_multipart *mp)
{
	if (mp == NULL)
		return 500;
	if (mp->status == 0)
		end_part(mp);
	if (mp->pp != NULL) {
		bool complete = MHD_destroy_post_processor(mp->pp) == MHD_YES;
		mp->pp = NULL;
		if (mp->status == 0 && !complete)
			fail(mp, 400, "truncated");
	}
	if (mp->status == 0 && mp->nparts == 0)
		fail(mp, 400, "no parts");
	if (mp->status != 0)
		return mp->status;
	mp->req->form = mp->form;
	mp->req->nform = mp->nform;
	mp->req->uploads = mp->nuploads > 0 ? mp->uploads : NULL;
	mp->req->nuploads = mp->nuploads;
	return 0;
}

void http_multipart_cleanup(http_multipart *mp)
{
	if (mp == NULL)
		return;
	if (mp->pp != NULL) {
		MHD_destroy_post_processor(mp->pp);
		mp->pp = NULL;
	}
	remove_files(mp);
	buf_free(&mp->value);
	mp->part_open = false;
}

/* ------------------------------------------------------------------ */
/* The folder                                                          */
/* ------------------------------------------------------------------ */

int http_upload_dir_prepare(const char *dir)
{
	if (dir == NULL || dir[0] == '\0') {
		log_error("http: no upload folder");
		return -1;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("http: cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		log_error("http: cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(dfd, &st) != 0 || (st.st_mode & 077) != 0) {
		/* Only the server may see what is being uploaded. */
		if (fchmod(dfd, 0700) != 0) {
			log_error("http: cannot make %s private: %s", dir, strerror(errno));
			close(dfd);
			return -1;
		}
	}
	DIR *d = fdopendir(dfd);
	if (d == NULL) {
		log_error("http: cannot read %s: %s", dir, strerror(errno));
		close(dfd);
		return -1;
	}
	int removed = 0, rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
			removed++;
		} else if (errno != ENOENT) {
			log_error("http: cannot delete %s/%s: %s", dir, e->d_name, strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	if (removed > 0)
		log_info("http: deleted %d unfinished upload%s in %s", removed,
			 removed == 1 ? "" : "s", dir);
	return rc;
}
