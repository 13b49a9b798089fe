/*
 * media_format.c - what a picture file is (media_format.h).
 *
 * A file is read once into memory (it is at most MEDIA_MAX_BYTES), its type
 * is detected from the bytes with libmagic and its size read from the image
 * header; the same bytes are then handed to media_store.c, so what is
 * checked is exactly what is stored even if the source changes meanwhile.
 * Nothing here decodes a picture or touches the database.
 *
 * Memory: media_read_source() gives the caller a malloc'ed copy of the
 * file, which the caller frees; everything else works on the caller's
 * bytes and allocates nothing that outlives the call (the libmagic handle
 * lives until exit).
 */
#include "model/media_format.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "model/media_private.h"

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

/* The one kind of file the library takes besides pictures (uploads only):
 * a publication's PDF, stored as it came and only ever served as a
 * download (portal_media), never rendered or turned into pictures. */
#define PDF_MIME "application/pdf"
#define PDF_EXT "pdf"

const char *media_mime_of_ext(const char *ext)
{
	for (size_t k = 0; k < sizeof accepted / sizeof accepted[0]; k++)
		if (strcmp(ext, accepted[k].ext) == 0)
			return accepted[k].mime;
	return strcmp(ext, PDF_EXT) == 0 ? PDF_MIME : NULL;
}

bool media_is_document(const char *mime)
{
	return mime != NULL && strcmp(mime, PDF_MIME) == 0;
}

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

int media_read_source(const char *path, unsigned char **data, size_t *len, char *why,
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
	if (upload_only && strcmp(mime, PDF_MIME) == 0) {
		info->mime = PDF_MIME;
		info->ext = PDF_EXT;
		info->width = info->height = 0;
		info->bytes = len;
		return 0;
	}
	size_t k;
	for (k = 0; k < sizeof accepted / sizeof accepted[0]; k++)
		if (strcmp(mime, accepted[k].mime) == 0)
			break;
	if (k == sizeof accepted / sizeof accepted[0]) {
		snprintf(why, whylen,
			 upload_only ? "Tệp không phải là ảnh JPEG, PNG, WebP hoặc tài liệu PDF (%s)."
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
	if (media_read_source(src_path, &data, &len, why, whylen) != 0)
		return -1;
	int rc = media_check_bytes(data, len, false, info != NULL ? info : &tmp, why, whylen);
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
#define PDF_BROKEN "Tệp PDF hỏng, bị cắt cụt hoặc có dữ liệu lạ sau phần tài liệu."

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

/* PDF: "%PDF-1.x" at the very start (libmagic said so), "%%EOF" at the end
 * with only white space after it, so nothing (a page, a script, an
 * archive) rides behind the document. The content is not parsed: the file
 * is only ever sent as a download. */
static int pdf_structure(const unsigned char *d, size_t len, char *why, size_t whylen)
{
	static const char eof[] = "%%EOF";
	if (len < 16 || memcmp(d, "%PDF-", 5) != 0)
		return refuse(why, whylen, PDF_BROKEN);
	size_t end = len;
	while (end > 0 && (d[end - 1] == '\n' || d[end - 1] == '\r' || d[end - 1] == ' ' ||
			   d[end - 1] == '\t' || d[end - 1] == '\0'))
		end--;
	if (end < sizeof eof - 1 || memcmp(d + end - (sizeof eof - 1), eof, sizeof eof - 1) != 0)
		return refuse(why, whylen, PDF_BROKEN);
	return 0;
}

int media_check_structure(const unsigned char *data, size_t len, const char *mime, char *why,
			  size_t whylen)
{
	if (strcmp(mime, PDF_MIME) == 0)
		return pdf_structure(data, len, why, whylen);
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

int media_check_bytes(const unsigned char *data, size_t len, bool upload, media_info *info,
		      char *why, size_t whylen)
{
	if (check_content(data, len, info, why, whylen, upload) != 0)
		return -1;
	return upload ? check_upload_content(data, len, info, why, whylen) : 0;
}

int media_check_upload(const char *src_path, media_info *info, char *why, size_t whylen)
{
	unsigned char *data = NULL;
	size_t len = 0;
	media_info tmp;
	media_info *mi = info != NULL ? info : &tmp;
	if (media_read_source(src_path, &data, &len, why, whylen) != 0)
		return -1;
	int rc = media_check_bytes(data, len, true, mi, why, whylen);
	free(data);
	return rc;
}
