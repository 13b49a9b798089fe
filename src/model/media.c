/*
 * media.c - the media store (see media.h).
 *
 * A file is read once into memory (it is at most MEDIA_MAX_BYTES), its type
 * is detected from the bytes with libmagic, its size read from the image
 * header, and the same bytes are written to the new file, so what is
 * checked is exactly what is stored even if the source changes meanwhile.
 */
#include "model/media.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

/* libmagic looks at the first bytes only; every accepted type is
 * recognised by a signature at the very start. */
#define MAGIC_SCAN_BYTES (64u * 1024u)

static const struct {
	const char *mime;
	const char *ext;
} accepted[] = {
	{"image/jpeg", "jpg"},
	{"image/png", "png"},
	{"image/webp", "webp"},
	{"image/gif", "gif"},
};

/* ------------------------------------------------------------ libmagic */

/* One libmagic handle for the process: loading the database costs far more
 * than a lookup, and a handle is not safe to share without this lock. The
 * handle lives until exit. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_cookie;

/* Writes the detected MIME type of data into mime. 0 or -1 (logged). */
static int detect_mime(const unsigned char *data, size_t len, char *mime, size_t mimelen)
{
	int rc = -1;
	pthread_mutex_lock(&magic_lock);
	if (magic_cookie == NULL) {
		magic_cookie = magic_open(MAGIC_MIME_TYPE);
		if (magic_cookie == NULL) {
			log_error("media: magic_open failed");
			goto out;
		}
		if (magic_load(magic_cookie, NULL) != 0) {
			log_error("media: cannot load the libmagic database: %s",
				  magic_error(magic_cookie));
			magic_close(magic_cookie);
			magic_cookie = NULL;
			goto out;
		}
	}
	const char *m = magic_buffer(magic_cookie, data, len < MAGIC_SCAN_BYTES ? len : MAGIC_SCAN_BYTES);
	if (m == NULL) {
		log_error("media: libmagic: %s", magic_error(magic_cookie));
		goto out;
	}
	snprintf(mime, mimelen, "%s", m);
	rc = 0;
out:
	pthread_mutex_unlock(&magic_lock);
	return rc;
}

/* ------------------------------------------------------- image headers */

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | le24(p);
}

static int png_size(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (len < 24 || memcmp(d, sig, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
		return -1;
	*w = be32(d + 16);
	*h = be32(d + 20);
	return 0;
}

static int gif_size(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
	if (len < 10 || (memcmp(d, "GIF87a", 6) != 0 && memcmp(d, "GIF89a", 6) != 0))
		return -1;
	*w = le16(d + 6);
	*h = le16(d + 8);
	return 0;
}

/* The three WebP encodings keep the canvas size in different places. */
static int webp_size(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
	if (len < 30 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
		return -1;
	if (memcmp(d + 12, "VP8 ", 4) == 0) {
		/* Lossy: frame tag (3 bytes), start code 9d 01 2a, 14-bit sizes. */
		if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A)
			return -1;
		*w = le16(d + 26) & 0x3FFF;
		*h = le16(d + 28) & 0x3FFF;
		return 0;
	}
	if (memcmp(d + 12, "VP8L", 4) == 0) {
		/* Lossless: signature 0x2f, then width-1 and height-1 in 14 bits. */
		if (d[20] != 0x2F)
			return -1;
		uint32_t bits = le32(d + 21);
		*w = (bits & 0x3FFF) + 1;
		*h = ((bits >> 14) & 0x3FFF) + 1;
		return 0;
	}
	if (memcmp(d + 12, "VP8X", 4) == 0) {
		/* Extended: flags (4 bytes), then canvas width-1, height-1 in 24 bits. */
		*w = le24(d + 24) + 1;
		*h = le24(d + 27) + 1;
		return 0;
	}
	return -1;
}

/* Walks the JPEG markers up to the first start-of-frame. */
static int jpeg_size(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
	if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return -1;
	size_t i = 2;
	while (i + 2 <= len) {
		if (d[i] != 0xFF)
			return -1;
		unsigned marker = d[i + 1];
		if (marker == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		i += 2;
		if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7))
			continue; /* no length field */
		if (marker == 0xD9 || marker == 0xDA)
			return -1; /* image data or end before any frame header */
		if (i + 2 > len)
			return -1;
		unsigned seglen = be16(d + i);
		if (seglen < 2)
			return -1;
		if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
		    marker != 0xCC) {
			/* length (2), precision (1), height (2), width (2) */
			if (seglen < 7 || i + 7 > len)
				return -1;
			*h = be16(d + i + 3);
			*w = be16(d + i + 5);
			return 0;
		}
		i += seglen;
	}
	return -1;
}

int media_image_size(const unsigned char *data, size_t len, const char *mime,
		     int *width, int *height)
{
	uint32_t w = 0, h = 0;
	int rc = -1;
	if (strcmp(mime, "image/png") == 0)
		rc = png_size(data, len, &w, &h);
	else if (strcmp(mime, "image/gif") == 0)
		rc = gif_size(data, len, &w, &h);
	else if (strcmp(mime, "image/webp") == 0)
		rc = webp_size(data, len, &w, &h);
	else if (strcmp(mime, "image/jpeg") == 0)
		rc = jpeg_size(data, len, &w, &h);
	if (rc != 0 || w == 0 || h == 0 || w > INT_MAX || h > INT_MAX)
		return -1;
	*width = (int)w;
	*height = (int)h;
	return 0;
}

/* -------------------------------------------------------------- checks */

/* Reads the whole file (a regular file of 1..MEDIA_MAX_BYTES bytes) into
 * *data, which the caller frees. 0, or -1 with why. */
static int read_source(const char *path, unsigned char **data, size_t *len, char *why,
		       size_t whylen)
{
	unsigned char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "Không mở được tệp ảnh: %s.", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "Không phải là một tệp thông thường.");
		goto fail;
	}
	if (st.st_size == 0) {
		snprintf(why, whylen, "Tệp ảnh rỗng.");
		goto fail;
	}
	if ((uint64_t)st.st_size > MEDIA_MAX_BYTES) {
		snprintf(why, whylen, "Tệp ảnh quá lớn (%.1f MiB, tối đa %u MiB).",
			 (double)st.st_size / (1024.0 * 1024.0), MEDIA_MAX_BYTES / (1024u * 1024u));
		goto fail;
	}
	/* One byte more than the size, to notice a file that grew meanwhile. */
	size_t want = (size_t)st.st_size + 1, got = 0;
	buf = malloc(want);
	if (buf == NULL) {
		log_error("media: out of memory reading %s", path);
		snprintf(why, whylen, "Không đủ bộ nhớ để đọc tệp ảnh.");
		goto fail;
	}
	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "Không đọc được tệp ảnh: %s.", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)st.st_size) {
		snprintf(why, whylen, "Tệp ảnh thay đổi trong khi đang đọc.");
		goto fail;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

/* Checks bytes already in memory: accepted type, readable header, pixel
 * cap. 0 and *info, or -1 with why. */
static int check_content(const unsigned char *data, size_t len, media_info *info, char *why,
			 size_t whylen, bool upload_only)
{
	char mime[128];
	if (detect_mime(data, len, mime, sizeof mime) != 0) {
		snprintf(why, whylen, "Không xác định được loại tệp.");
		return -1;
	}
	size_t k;
	for (k = 0; k < sizeof accepted / sizeof accepted[0]; k++)
		if (strcmp(mime, accepted[k].mime) == 0)
			break;
	if (k == sizeof accepted / sizeof accepted[0]) {
		snprintf(why, whylen,
			 upload_only ? "Tệp không phải là ảnh JPEG, PNG hoặc WebP (%s)."
				     : "Tệp không phải là ảnh JPEG, PNG, WebP hoặc GIF (%s).",
			 mime);
		return -1;
	}
	if (upload_only && strcmp(accepted[k].mime, "image/gif") == 0) {
		snprintf(why, whylen, "Chỉ nhận ảnh JPEG, PNG hoặc WebP (ảnh GIF không được nhận).");
		return -1;
	}
	int w, h;
	if (media_image_size(data, len, accepted[k].mime, &w, &h) != 0) {
		snprintf(why, whylen, "Không đọc được kích thước ảnh: tệp hỏng hoặc bị cắt cụt.");
		return -1;
	}
	if ((uint64_t)w * (uint64_t)h > MEDIA_MAX_PIXELS) {
		snprintf(why, whylen, "Ảnh quá lớn: %d×%d điểm ảnh (tối đa %u triệu).", w, h,
			 MEDIA_MAX_PIXELS / 1000000u);
		return -1;
	}
	info->mime = accepted[k].mime;
	info->ext = accepted[k].ext;
	info->width = w;
	info->height = h;
	info->bytes = len;
	return 0;
}

int media_check_file(const char *src_path, media_info *info, char *why, size_t whylen)
{
	unsigned char *data = NULL;
	size_t len = 0;
	media_info tmp;
	if (read_source(src_path, &data, &len, why, whylen) != 0)
		return -1;
	int rc = check_content(data, len, info != NULL ? info : &tmp, why, whylen, false);
	free(data);
	return rc;
}

/* ------------------------------------------------------ upload checks */

/* Markup that makes a picture's bytes also a web page or a script when a
 * browser or a server is tricked into reading them as such. XMP metadata
 * ("<?xpacket", "<x:xmpmeta") does not match. */
static bool has_markup(const unsigned char *p, size_t n)
{
	static const char *const tokens[] = {"<script", "<html", "<?php", "<svg",
					     "<!doctype", "<iframe", "<body", "<object"};
	const unsigned char *end = p + n;
	while (p < end) {
		const unsigned char *lt = memchr(p, '<', (size_t)(end - p));
		if (lt == NULL)
			return false;
		for (size_t t = 0; t < sizeof tokens / sizeof tokens[0]; t++) {
			size_t k = strlen(tokens[t]);
			if ((size_t)(end - lt) < k)
				continue;
			size_t j = 0;
			while (j < k && (lt[j] | (unsigned char)(lt[j] >= 'A' && lt[j] <= 'Z' ? 0x20 : 0)) ==
					    (unsigned char)tokens[t][j])
				j++;
			if (j == k)
				return true;
		}
		p = lt + 1;
	}
	return false;
}

static int refuse(char *why, size_t whylen, const char *msg)
{
	snprintf(why, whylen, "%s", msg);
	return -1;
}

#define TRUNCATED "Tệp ảnh hỏng hoặc bị cắt cụt."
#define TRAILING "Tệp có dữ liệu lạ sau phần ảnh (có thể là tệp giả dạng ảnh)."
#define MARKUP "Tệp ảnh chứa mã HTML hoặc mã lệnh trong phần thông tin kèm theo."

/* JPEG: segments up to each start of scan, the entropy-coded data after it
 * (0xFF is followed by 0x00 or a restart marker there), up to the end
 * marker. Only zero padding may follow it. */
static int jpeg_structure(const unsigned char *d, size_t len, char *why, size_t whylen)
{
	if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return refuse(why, whylen, TRUNCATED);
	size_t i = 2, end = 0;
	while (end == 0) {
		if (i + 2 > len)
			return refuse(why, whylen, TRUNCATED);
		if (d[i] != 0xFF)
			return refuse(why, whylen, TRUNCATED);
		unsigned marker = d[i + 1];
		if (marker == 0xFF) {
			i++;
			continue;
		}
		i += 2;
		if (marker == 0xD9) {
			end = i;
			break;
		}
		if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
			continue;
		if (i + 2 > len)
			return refuse(why, whylen, TRUNCATED);
		size_t seglen = be16(d + i);
		if (seglen < 2 || i + seglen > len)
			return refuse(why, whylen, TRUNCATED);
		if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
			if (has_markup(d + i + 2, seglen - 2))
				return refuse(why, whylen, MARKUP);
		}
		i += seglen;
		if (marker != 0xDA)
			continue;
		/* Entropy-coded data: find the next real marker. */
		for (;;) {
			const unsigned char *ff = memchr(d + i, 0xFF, len - i);
			if (ff == NULL)
				return refuse(why, whylen, TRUNCATED);
			i = (size_t)(ff - d);
			if (i + 1 >= len)
				return refuse(why, whylen, TRUNCATED);
			unsigned m = d[i + 1];
			if (m == 0x00 || (m >= 0xD0 && m <= 0xD7)) {
				i += 2;
				continue;
			}
			if (m == 0xFF) {
				i++;
				continue;
			}
			break;
		}
	}
	for (size_t k = end; k < len; k++)
		if (d[k] != 0)
			return refuse(why, whylen, TRAILING);
	return 0;
}

/* PNG: chunks up to IEND, nothing after it; text chunks are looked at. */
static int png_structure(const unsigned char *d, size_t len, char *why, size_t whylen)
{
	if (len < 8 + 12)
		return refuse(why, whylen, TRUNCATED);
	size_t i = 8;
	for (;;) {
		if (len - i < 12)
			return refuse(why, whylen, TRUNCATED);
		uint32_t clen = be32(d + i);
		if (clen > len - i - 12)
			return refuse(why, whylen, TRUNCATED);
		const unsigned char *type = d + i + 4;
		if (memcmp(type, "IEND", 4) == 0) {
			i += 12 + clen;
			break;
		}
		if (memcmp(type, "IDAT", 4) != 0 && has_markup(d + i + 8, clen))
			return refuse(why, whylen, MARKUP);
		i += 12 + (size_t)clen;
	}
	if (i != len)
		return refuse(why, whylen, TRAILING);
	return 0;
}

/* WebP: the RIFF size covers the file exactly (one pad byte allowed);
 * metadata chunks (EXIF, XMP and unknown ones) are looked at. */
static int webp_structure(const unsigned char *d, size_t len, char *why, size_t whylen)
{
	if (len < 20)
		return refuse(why, whylen, TRUNCATED);
	size_t total = (size_t)le32(d + 4) + 8;
	if (total > len)
		return refuse(why, whylen, TRUNCATED);
	if (len > total + (total & 1))
		return refuse(why, whylen, TRAILING);
	size_t i = 12;
	while (i + 8 <= total) {
		uint32_t clen = le32(d + i + 4);
		if (clen > total - i - 8)
			return refuse(why, whylen, TRUNCATED);
		const unsigned char *cc = d + i;
		bool image = memcmp(cc, "VP8 ", 4) == 0 || memcmp(cc, "VP8L", 4) == 0 ||
			     memcmp(cc, "ANMF", 4) == 0 || memcmp(cc, "ALPH", 4) == 0;
		if (!image && has_markup(d + i + 8, clen))
			return refuse(why, whylen, MARKUP);
		i += 8 + (size_t)clen + (clen & 1);
	}
	if (i < total && total - i > 1)
		return refuse(why, whylen, TRUNCATED);
	return 0;
}

int media_check_structure(const unsigned char *data, size_t len, const char *mime, char *why,
			  size_t whylen)
{
	if (strcmp(mime, "image/jpeg") == 0)
		return jpeg_structure(data, len, why, whylen);
	if (strcmp(mime, "image/png") == 0)
		return png_structure(data, len, why, whylen);
	if (strcmp(mime, "image/webp") == 0)
		return webp_structure(data, len, why, whylen);
	snprintf(why, whylen, "Chỉ nhận ảnh JPEG, PNG hoặc WebP.");
	return -1;
}

/* What uploads are held to beyond check_content(). */
static int check_upload_content(const unsigned char *data, size_t len, const media_info *mi,
				char *why, size_t whylen)
{
	if (strcmp(mi->mime, "image/gif") == 0) {
		snprintf(why, whylen, "Chỉ nhận ảnh JPEG, PNG hoặc WebP (ảnh GIF không được nhận).");
		return -1;
	}
	return media_check_structure(data, len, mi->mime, why, whylen);
}

int media_check_upload(const char *src_path, media_info *info, char *why, size_t whylen)
{
	unsigned char *data = NULL;
	size_t len = 0;
	media_info tmp;
	media_info *mi = info != NULL ? info : &tmp;
	if (read_source(src_path, &data, &len, why, whylen) != 0)
		return -1;
	int rc = check_content(data, len, mi, why, whylen, true) == 0 &&
			 check_upload_content(data, len, mi, why, whylen) == 0
		     ? 0
		     : -1;
	free(data);
	return rc;
}

/* ------------------------------------------------------------- storing */

bool media_file_name_valid(const char *file)
{
	size_t n = strlen(file);
	if (n == 0 || n > 100 || file[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = file[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Writes data to media_dir/name through a temporary dot file, so a reader
 * never sees half a picture and a crash leaves at worst a ".tmp-" file.
 * RENAME_NOREPLACE keeps an existing file safe should two random names
 * ever meet. 0 or -1 (logged).
 */
static int write_file(const char *media_dir, const char *name, const unsigned char *data,
		      size_t len)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	int n1 = snprintf(tmp, sizeof tmp, "%s/.tmp-%s", media_dir, name);
	int n2 = snprintf(dst, sizeof dst, "%s/%s", media_dir, name);
	if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof tmp || (size_t)n2 >= sizeof dst) {
		log_error("media: path too long under %s", media_dir);
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_error("media: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		log_error("media: cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		log_error("media: cannot close %s: %s", tmp, strerror(errno));
		goto fail;
	}
	int rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE);
	if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
		/* The file system cannot refuse to replace; with 128 random bits
		 * a plain rename is as safe in practice. */
		rc = rename(tmp, dst);
	}
	if (rc != 0) {
		log_error("media: cannot rename %s to %s: %s", tmp, dst, strerror(errno));
		goto fail;
	}
	if (fsync_dir(media_dir) != 0) {
		log_error("media: cannot fsync %s: %s", media_dir, strerror(errno));
		unlink(dst);
		return -1;
	}
	return 0;
fail:
	unlink(tmp);
	return -1;
}

/* The last path component of name, cut to MEDIA_ORIGINAL_NAME_MAX bytes at
 * a character boundary; "" when it is not UTF-8. */
static size_t original_base(const char *name, const char **start)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash != NULL ? slash + 1 : name;
	size_t len = strlen(base);
	*start = base;
	if (!utf8_valid(base, len))
		return 0;
	return utf8_cut(base, len, MEDIA_ORIGINAL_NAME_MAX);
}

/* The search key of a picture (the `search` column, 006_media.sql): alt,
 * credit and original name folded, at most 2000 bytes, in a buffer the
 * caller frees with buf_free(). 0 or -1. */
static int search_key(const char *alt, const char *credit, const char *name, buf_t *out)
{
	const char *parts[3] = {alt, credit, name};
	for (size_t i = 0; i < 3; i++) {
		const char *p = parts[i] != NULL ? parts[i] : "";
		if (i > 0)
			buf_putc(out, ' ');
		if (text_fold(p, strlen(p), out) != 0)
			return -1;
	}
	if (out->failed)
		return -1;
	if (out->len > 2000) {
		out->len = utf8_cut(out->data, out->len, 2000);
		out->data[out->len] = '\0';
	}
	return 0;
}

static int insert_row(db_t *db, const char *file, const char *original_name,
		      const media_info *info, const char *alt, const char *credit, int64_t *id)
{
	db_stmt *st = db_prepare(db, "INSERT INTO media (file, original_name, mime, bytes, width, "
				     "height, alt, credit, created_at, search) "
				     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	const char *base;
	size_t baselen = original_base(original_name != NULL ? original_name : "", &base);
	int rc = -1;
	buf_t key = BUF_INIT;
	char *basecopy = strndup(base, baselen);
	if (basecopy == NULL || search_key(alt, credit, basecopy, &key) != 0)
		goto out;
	if (db_bind_text(st, 1, file, -1) != 0 || db_bind_text(st, 2, base, (long)baselen) != 0 ||
	    db_bind_text(st, 3, info->mime, -1) != 0 ||
	    db_bind_int64(st, 4, (int64_t)info->bytes) != 0 ||
	    db_bind_int64(st, 5, info->width) != 0 || db_bind_int64(st, 6, info->height) != 0 ||
	    db_bind_text(st, 7, alt != NULL ? alt : "", -1) != 0 ||
	    db_bind_text(st, 8, credit != NULL ? credit : "", -1) != 0 ||
	    db_bind_int64(st, 9, (int64_t)time(NULL)) != 0 ||
	    db_bind_text(st, 10, key.data != NULL ? key.data : "", -1) != 0)
		goto out;
	if (db_step(st) != DB_DONE)
		goto out;
	*id = db_last_insert_id(db);
	rc = 0;
out:
	free(basecopy);
	buf_free(&key);
	db_done(st);
	return rc;
}

/* Inserts the waiting job of a new upload (media_jobs). 0 or -1. */
static int insert_job(db_t *db, int64_t id)
{
	db_stmt *st = db_prepare(db, "INSERT INTO media_jobs (media_id, state, attempts, created_at, "
				     "updated_at) VALUES (?, 0, 0, ?, ?)");
	if (st == NULL)
		return -1;
	int64_t now = (int64_t)time(NULL);
	int rc = db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, now) == 0 &&
			 db_bind_int64(st, 3, now) == 0 && db_step(st) == DB_DONE
		     ? 0
		     : -1;
	db_done(st);
	return rc;
}

static bool text_ok(const char *s, size_t max)
{
	if (s == NULL)
		return true;
	size_t n = strlen(s);
	return n <= max && utf8_valid(s, n);
}

/* What media_store_file_info() and media_store_upload() share. upload: the
 * stricter check, and a job row with the media row. */
static int store(db_t *db, const char *media_dir, const char *src_path, const char *original_name,
		 const char *alt, const char *credit, bool upload, int64_t *media_id,
		 char *file_out, size_t file_out_len, media_info *info, char *why, size_t whylen)
{
	unsigned char *data = NULL;
	size_t len = 0;
	media_info mi;
	char name[MEDIA_FILE_MAX];
	int64_t id = 0;
	int rc = -1, written = 0;

	if (!text_ok(alt, MEDIA_ALT_MAX)) {
		snprintf(why, whylen, "Mô tả ảnh phải là UTF-8, tối đa %d byte.", MEDIA_ALT_MAX);
		return -1;
	}
	if (!text_ok(credit, MEDIA_CREDIT_MAX)) {
		snprintf(why, whylen, "Nguồn ảnh phải là UTF-8, tối đa %d byte.", MEDIA_CREDIT_MAX);
		return -1;
	}
	if (file_out_len < MEDIA_FILE_MAX) {
		log_error("media: file_out too small (%zu bytes)", file_out_len);
		snprintf(why, whylen, "Lỗi nội bộ khi lưu ảnh.");
		return -1;
	}
	if (sodium_init() < 0) {
		log_error("media: sodium_init failed");
		snprintf(why, whylen, "Lỗi nội bộ khi lưu ảnh.");
		return -1;
	}
	if (read_source(src_path, &data, &len, why, whylen) != 0 ||
	    check_content(data, len, &mi, why, whylen, upload) != 0 ||
	    (upload && check_upload_content(data, len, &mi, why, whylen) != 0))
		goto out;

	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(name, sizeof name, rnd, sizeof rnd);
	size_t hexlen = strlen(name);
	snprintf(name + hexlen, sizeof name - hexlen, ".%s", mi.ext);

	if (write_file(media_dir, name, data, len) != 0) {
		snprintf(why, whylen, "Không ghi được ảnh vào thư mục lưu trữ.");
		goto out;
	}
	written = 1;
	int nested = 0;
	if (db_write_begin(db, &nested) != 0) {
		snprintf(why, whylen, "Không lưu được thông tin ảnh vào cơ sở dữ liệu.");
		goto out;
	}
	int ok = insert_row(db, name, original_name, &mi, alt, credit, &id) == 0 &&
		 (!upload || insert_job(db, id) == 0);
	if (db_write_end(db, nested, ok) != 0) {
		snprintf(why, whylen, "Không lưu được thông tin ảnh vào cơ sở dữ liệu.");
		goto out;
	}
	snprintf(file_out, file_out_len, "%s", name);
	if (media_id != NULL)
		*media_id = id;
	if (info != NULL)
		*info = mi;
	rc = 0;
out:
	if (rc != 0 && written)
		media_remove_file(media_dir, name);
	free(data);
	return rc;
}

int media_store_upload(db_t *db, const char *media_dir, const char *src_path,
		       const char *original_name, const char *alt, const char *credit,
		       int64_t *media_id, char *file_out, size_t file_out_len, media_info *info,
		       char *why, size_t whylen)
{
	return store(db, media_dir, src_path, original_name, alt, credit, true, media_id, file_out,
		     file_out_len, info, why, whylen);
}

int media_store_file_info(db_t *db, const char *media_dir, const char *src_path,
			  const char *original_name, const char *alt, int64_t *media_id,
			  char *file_out, size_t file_out_len, media_info *info,
			  char *why, size_t whylen)
{
	return store(db, media_dir, src_path, original_name, alt, NULL, false, media_id, file_out,
		     file_out_len, info, why, whylen);
}

int media_store_file(db_t *db, const char *media_dir, const char *src_path,
		     const char *original_name, const char *alt, int64_t *media_id,
		     char *file_out, size_t file_out_len, char *why, size_t whylen)
{
	return media_store_file_info(db, media_dir, src_path, original_name, alt, media_id,
				     file_out, file_out_len, NULL, why, whylen);
}

int media_remove_file(const char *media_dir, const char *file)
{
	char path[PATH_MAX];
	if (!media_file_name_valid(file)) {
		log_error("media: refusing to remove '%s': not a media file name", file);
		return -1;
	}
	int n = snprintf(path, sizeof path, "%s/%s", media_dir, file);
	if (n < 0 || (size_t)n >= sizeof path) {
		log_error("media: path too long under %s", media_dir);
		return -1;
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		log_error("media: cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* -------------------------------------------------------------- lookup */

static const char *col_dup(arena_t *a, db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return arena_strdup(a, s != NULL ? s : "");
}

int media_get_by_file(db_t *db, arena_t *a, const char *file, media *out)
{
	db_stmt *st = db_prepare(db, "SELECT id, file, original_name, mime, bytes, width, height, "
				     "alt, credit, created_at FROM media WHERE file = ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_text(st, 1, file, -1) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	out->id = db_col_int64(st, 0);
	out->file = col_dup(a, st, 1);
	out->original_name = col_dup(a, st, 2);
	out->mime = col_dup(a, st, 3);
	out->bytes = db_col_int64(st, 4);
	out->width = (int)db_col_int64(st, 5);
	out->height = (int)db_col_int64(st, 6);
	out->alt = col_dup(a, st, 7);
	out->credit = col_dup(a, st, 8);
	out->created_at = db_col_int64(st, 9);
	if (out->file == NULL || out->original_name == NULL || out->mime == NULL ||
	    out->alt == NULL || out->credit == NULL) {
		log_error("media: out of memory");
		goto out;
	}
	rc = 0;
out:
	db_done(st);
	return rc;
}

/* ------------------------------------------------------------- library */

/* The columns of a media_item, in the order fill_item() reads them. */
#define ITEM_COLUMNS                                                                        \
	"m.id, m.file, m.original_name, m.mime, m.bytes, m.width, m.height, m.alt, m.credit, " \
	"m.created_at, CASE WHEN j.media_id IS NULL THEN 0 WHEN j.state = 0 THEN 1 ELSE 2 END, " \
	"COALESCE(j.error, ''), "                                                             \
	"(SELECT v.file FROM media_variants v WHERE v.media_id = m.id "                       \
	" ORDER BY v.format = 'webp', v.width LIMIT 1), "                                     \
	"(SELECT count(*) FROM media_variants v WHERE v.media_id = m.id)"

static int fill_item(arena_t *a, db_stmt *st, media_item *it)
{
	media *m = &it->m;
	m->id = db_col_int64(st, 0);
	m->file = col_dup(a, st, 1);
	m->original_name = col_dup(a, st, 2);
	m->mime = col_dup(a, st, 3);
	m->bytes = db_col_int64(st, 4);
	m->width = (int)db_col_int64(st, 5);
	m->height = (int)db_col_int64(st, 6);
	m->alt = col_dup(a, st, 7);
	m->credit = col_dup(a, st, 8);
	m->created_at = db_col_int64(st, 9);
	it->state = (int)db_col_int64(st, 10);
	it->error = col_dup(a, st, 11);
	it->thumb = db_col_is_null(st, 12) ? m->file : col_dup(a, st, 12);
	it->nvariants = (int)db_col_int64(st, 13);
	if (m->file == NULL || m->original_name == NULL || m->mime == NULL || m->alt == NULL ||
	    m->credit == NULL || it->error == NULL || it->thumb == NULL) {
		log_error("media: out of memory");
		return -1;
	}
	return 0;
}

void media_cursor_encode(const media_cursor *c, char *out, size_t len)
{
	snprintf(out, len, "%lld.%lld", (long long)c->created_at, (long long)c->id);
}

static int parse_digits(const char *s, size_t n, int64_t *v)
{
	if (n == 0 || n > 18)
		return -1;
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int media_cursor_parse(const char *s, media_cursor *c)
{
	if (s == NULL)
		return -1;
	const char *dot = strchr(s, '.');
	media_cursor t;
	if (dot == NULL || parse_digits(s, (size_t)(dot - s), &t.created_at) != 0 ||
	    parse_digits(dot + 1, strlen(dot + 1), &t.id) != 0 || t.id <= 0)
		return -1;
	*c = t;
	return 0;
}

/* The stored mime type for a type filter ("jpg" -> "image/jpeg"); "" for
 * none or an unknown one. */
static const char *filter_mime(const char *type)
{
	for (size_t k = 0; type != NULL && k < sizeof accepted / sizeof accepted[0]; k++)
		if (strcmp(type, accepted[k].ext) == 0)
			return accepted[k].mime;
	return "";
}

/* A LIKE pattern "%text%" with % _ and \ escaped by '\'. */
static char *like_pattern(arena_t *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3);
	if (p == NULL)
		return NULL;
	size_t k = 0;
	p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			p[k++] = '\\';
		p[k++] = q[i];
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

int media_list(db_t *db, arena_t *a, const media_filter *f, const media_cursor *after,
	       size_t limit, media_item **items, size_t *n, bool *more)
{
	*items = NULL;
	*n = 0;
	*more = false;
	if (limit == 0 || limit > MEDIA_PAGE_MAX)
		limit = MEDIA_PAGE_MAX;
	const char *q = f != NULL && f->q != NULL ? f->q : "";
	if (strlen(q) > MEDIA_SEARCH_MAX)
		q = "";
	/* The folded words find the folded key ("trong dong", "TRỐNG ĐỒNG" ->
	 * "Trống đồng"); the text as typed still finds alt and name as stored. */
	buf_t folded = BUF_INIT;
	bool fold_ok = text_fold(q, strlen(q), &folded) == 0 && !folded.failed;
	const char *pat = like_pattern(a, q);
	const char *fpat = fold_ok ? like_pattern(a, folded.data != NULL ? folded.data : "") : pat;
	buf_free(&folded);
	const char *mime = filter_mime(f != NULL ? f->type : NULL);
	int64_t from = f != NULL ? f->from : 0, to = f != NULL ? f->to : 0;
	media_item *out = arena_calloc(a, limit + 1, sizeof *out);
	if (pat == NULL || fpat == NULL || out == NULL)
		return -1;
	db_stmt *st = db_prepare(
	    db, "SELECT " ITEM_COLUMNS " FROM media m LEFT JOIN media_jobs j ON j.media_id = m.id "
		"WHERE (? = '' OR m.search LIKE ? ESCAPE '\\' OR m.alt LIKE ? ESCAPE '\\' "
		"       OR m.original_name LIKE ? ESCAPE '\\') "
		"AND (? = '' OR m.mime = ?) AND (? = 0 OR m.created_at >= ?) "
		"AND (? = 0 OR m.created_at < ?) AND (? = 0 OR (m.created_at, m.id) < (?, ?)) "
		"ORDER BY m.created_at DESC, m.id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	int64_t ac = after != NULL ? after->created_at : 0, ai = after != NULL ? after->id : 0;
	if (db_bind_text(st, 1, q, -1) != 0 || db_bind_text(st, 2, fpat, -1) != 0 ||
	    db_bind_text(st, 3, pat, -1) != 0 || db_bind_text(st, 4, pat, -1) != 0 ||
	    db_bind_text(st, 5, mime, -1) != 0 || db_bind_text(st, 6, mime, -1) != 0 ||
	    db_bind_int64(st, 7, from) != 0 || db_bind_int64(st, 8, from) != 0 ||
	    db_bind_int64(st, 9, to) != 0 || db_bind_int64(st, 10, to) != 0 ||
	    db_bind_int64(st, 11, after != NULL) != 0 || db_bind_int64(st, 12, ac) != 0 ||
	    db_bind_int64(st, 13, ai) != 0 || db_bind_int64(st, 14, (int64_t)limit + 1) != 0)
		goto out;
	size_t k = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (k == limit) {
			*more = true;
			break;
		}
		if (fill_item(a, st, &out[k]) != 0)
			goto out;
		k++;
	}
	if (step != DB_ROW && step != DB_DONE)
		goto out;
	*items = out;
	*n = k;
	rc = 0;
out:
	db_done(st);
	return rc;
}

int media_get_item(db_t *db, arena_t *a, int64_t id, media_item *out)
{
	db_stmt *st = db_prepare(db, "SELECT " ITEM_COLUMNS " FROM media m LEFT JOIN media_jobs j "
				     "ON j.media_id = m.id WHERE m.id = ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE)
		rc = 1;
	else if (step == DB_ROW)
		rc = fill_item(a, st, out);
out:
	db_done(st);
	return rc;
}

int media_update_text(db_t *db, int64_t id, const char *alt, const char *credit)
{
	if (alt == NULL || credit == NULL || !text_ok(alt, MEDIA_ALT_MAX) ||
	    !text_ok(credit, MEDIA_CREDIT_MAX))
		return 2;
	/* The search key needs the original name, read in the same
	 * transaction as the change. */
	if (db_begin(db) != 0)
		return -1;
	int rc = -1;
	buf_t key = BUF_INIT;
	char *name = NULL;
	db_stmt *st = db_prepare(db, "SELECT original_name FROM media WHERE id = ?");
	if (st == NULL)
		goto out;
	if (db_bind_int64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW) {
			const char *n = db_col_text(st, 0);
			name = strdup(n != NULL ? n : "");
		} else if (step == DB_DONE) {
			rc = 1;
		}
	}
	db_done(st);
	if (name == NULL || search_key(alt, credit, name, &key) != 0)
		goto out;
	st = db_prepare(db, "UPDATE media SET alt = ?, credit = ?, search = ? WHERE id = ?");
	if (st == NULL)
		goto out;
	if (db_bind_text(st, 1, alt, -1) == 0 && db_bind_text(st, 2, credit, -1) == 0 &&
	    db_bind_text(st, 3, key.data != NULL ? key.data : "", -1) == 0 &&
	    db_bind_int64(st, 4, id) == 0) {
		int step = db_step(st);
		if (step == DB_DONE)
			rc = 0;
		else if (step == DB_CONSTRAINT)
			rc = 2;
	}
	db_done(st);
out:
	free(name);
	buf_free(&key);
	if (rc == 0) {
		if (db_commit(db) != 0)
			rc = -1;
	} else {
		db_rollback(db);
	}
	return rc;
}

int media_usage(db_t *db, arena_t *a, int64_t id, media_use **uses, size_t *n)
{
	enum { USES_MAX = 50 };
	*uses = NULL;
	*n = 0;
	media_use *out = arena_calloc(a, USES_MAX, sizeof *out);
	if (out == NULL)
		return -1;
	db_stmt *st = db_prepare(
	    db, "SELECT a.id, a.title, c.slug, a.slug, a.status, coalesce(a.author_id, 0), "
		"a.published_at FROM articles a "
		"JOIN categories c ON c.id = a.category_id WHERE a.image_id = ? "
		"OR a.id IN (SELECT article_id FROM article_images WHERE media_id = ?) "
		"ORDER BY a.id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, id) != 0 ||
	    db_bind_int64(st, 3, USES_MAX) != 0)
		goto out;
	size_t k = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		out[k].id = db_col_int64(st, 0);
		out[k].title = col_dup(a, st, 1);
		out[k].category_slug = col_dup(a, st, 2);
		out[k].slug = col_dup(a, st, 3);
		out[k].status = (int)db_col_int64(st, 4);
		out[k].author_id = db_col_int64(st, 5);
		out[k].published_at = db_col_int64(st, 6);
		if (out[k].title == NULL || out[k].category_slug == NULL || out[k].slug == NULL)
			goto out;
		k++;
	}
	if (step != DB_DONE)
		goto out;
	*uses = out;
	*n = k;
	rc = 0;
out:
	db_done(st);
	return rc;
}

int media_variants(db_t *db, arena_t *a, int64_t id, media_variant **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	media_variant *v = arena_calloc(a, MEDIA_VARIANTS_MAX, sizeof *v);
	if (v == NULL)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT file, format, width, height, bytes FROM media_variants "
				     "WHERE media_id = ? ORDER BY format, width LIMIT ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, MEDIA_VARIANTS_MAX) != 0)
		goto out;
	size_t k = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		v[k].file = col_dup(a, st, 0);
		v[k].format = col_dup(a, st, 1);
		v[k].width = (int)db_col_int64(st, 2);
		v[k].height = (int)db_col_int64(st, 3);
		v[k].bytes = db_col_int64(st, 4);
		if (v[k].file == NULL || v[k].format == NULL)
			goto out;
		k++;
	}
	if (step != DB_DONE)
		goto out;
	*out = v;
	*n = k;
	rc = 0;
out:
	db_done(st);
	return rc;
}

/* One statement run with a single id bound. 0 or -1. */
static int exec_id(db_t *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE ? 0 : -1;
	db_done(st);
	return rc;
}

int media_delete(db_t *db, arena_t *a, const char *media_dir, int64_t id, media *out,
		 media_use **uses, size_t *nuses)
{
	media_item it;
	media_variant *v = NULL;
	size_t nv = 0;
	media_use *u = NULL;
	size_t nu = 0;
	if (uses != NULL)
		*uses = NULL;
	if (nuses != NULL)
		*nuses = 0;
	if (db_begin(db) != 0)
		return -1;
	int rc = media_get_item(db, a, id, &it);
	if (rc != 0)
		goto rollback;
	rc = -1;
	if (media_usage(db, a, id, &u, &nu) != 0 || media_variants(db, a, id, &v, &nv) != 0)
		goto rollback;
	if (nu > 0) {
		if (uses != NULL)
			*uses = u;
		if (nuses != NULL)
			*nuses = nu;
		rc = 3;
		goto rollback;
	}
	if (exec_id(db, "DELETE FROM media_variants WHERE media_id = ?", id) != 0 ||
	    exec_id(db, "DELETE FROM media_jobs WHERE media_id = ?", id) != 0 ||
	    exec_id(db, "DELETE FROM media WHERE id = ?", id) != 0)
		goto rollback;
	if (db_commit(db) != 0)
		return -1;
	/* The rows are gone, so nothing links to the files any more; a file
	 * that cannot be removed is logged and left behind, harmless. */
	for (size_t i = 0; i < nv; i++)
		media_remove_file(media_dir, v[i].file);
	media_remove_file(media_dir, it.m.file);
	if (out != NULL)
		*out = it.m;
	return 0;
rollback:
	db_rollback(db);
	return rc;
}

/* "/media/a 320w, /media/b 800w" of the variants in one format. */
static const char *srcset_of(arena_t *a, const media_variant *v, size_t n, const char *format)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].format, format) != 0)
			continue;
		buf_printf(&b, "%s/media/%s %dw", b.len > 0 ? ", " : "", v[i].file, v[i].width);
	}
	const char *s = b.failed ? NULL : arena_strdup(a, b.data != NULL ? b.data : "");
	buf_free(&b);
	return s;
}

/* The format variants are made in for a stored type (media_image.c makes
 * PNG for GIF). */
static const char *variant_format(const char *mime)
{
	if (strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(mime, "image/webp") == 0)
		return "webp";
	return "png";
}

int media_responsive_for(db_t *db, arena_t *a, const char *file, media_responsive *out)
{
	media m;
	int rc = media_get_by_file(db, a, file, &m);
	if (rc != 0)
		return rc;
	media_variant *v = NULL;
	size_t n = 0;
	if (media_variants(db, a, m.id, &v, &n) != 0)
		return -1;
	const char *fmt = variant_format(m.mime);
	out->src = arena_sprintf(a, "/media/%s", m.file);
	out->alt = m.alt;
	out->credit = m.credit;
	out->width = m.width;
	out->height = m.height;
	/* The src for browsers without srcset: the largest variant up to 800
	 * pixels, else the smallest. */
	const media_variant *best = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].format, fmt) != 0)
			continue;
		if (best == NULL || (v[i].width <= 800 && (best->width > 800 || v[i].width > best->width)))
			best = &v[i];
	}
	if (best != NULL) {
		out->src = arena_sprintf(a, "/media/%s", best->file);
		out->width = best->width;
		out->height = best->height;
	}
	out->srcset = srcset_of(a, v, n, fmt);
	out->webp_srcset = strcmp(fmt, "webp") == 0 ? arena_strdup(a, "") : srcset_of(a, v, n, "webp");
	if (out->src == NULL || out->srcset == NULL || out->webp_srcset == NULL)
		return -1;
	return 0;
}

int media_servable(db_t *db, const char *file)
{
	if (!media_file_name_valid(file))
		return 1;
	const char *dot = strrchr(file, '.');
	if (dot == NULL || (strcmp(dot, ".jpg") != 0 && strcmp(dot, ".png") != 0 &&
			    strcmp(dot, ".webp") != 0 && strcmp(dot, ".gif") != 0))
		return 1;
	db_stmt *st = db_prepare(
	    db, "SELECT 1 FROM media m WHERE m.file = ? AND m.mime LIKE 'image/%' AND NOT EXISTS "
		"(SELECT 1 FROM media_jobs j WHERE j.media_id = m.id) "
		"UNION ALL SELECT 1 FROM media_variants v WHERE v.file = ? LIMIT 1");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_text(st, 1, file, -1) == 0 && db_bind_text(st, 2, file, -1) == 0) {
		int step = db_step(st);
		rc = step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
	}
	db_done(st);
	return rc;
}
