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
			 size_t whylen)
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
		snprintf(why, whylen, "Tệp không phải là ảnh JPEG, PNG, WebP hoặc GIF (%s).", mime);
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
	int rc = check_content(data, len, info != NULL ? info : &tmp, why, whylen);
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

static int insert_row(db_t *db, const char *file, const char *original_name,
		      const media_info *info, const char *alt, int64_t *id)
{
	db_stmt *st = db_prepare(db, "INSERT INTO media (file, original_name, mime, bytes, width, "
				     "height, alt, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	const char *base;
	size_t baselen = original_base(original_name != NULL ? original_name : "", &base);
	int rc = -1;
	if (db_bind_text(st, 1, file, -1) != 0 || db_bind_text(st, 2, base, (long)baselen) != 0 ||
	    db_bind_text(st, 3, info->mime, -1) != 0 ||
	    db_bind_int64(st, 4, (int64_t)info->bytes) != 0 ||
	    db_bind_int64(st, 5, info->width) != 0 || db_bind_int64(st, 6, info->height) != 0 ||
	    db_bind_text(st, 7, alt != NULL ? alt : "", -1) != 0 ||
	    db_bind_int64(st, 8, (int64_t)time(NULL)) != 0)
		goto out;
	if (db_step(st) != DB_DONE)
		goto out;
	*id = db_last_insert_id(db);
	rc = 0;
out:
	db_done(st);
	return rc;
}

int media_store_file_info(db_t *db, const char *media_dir, const char *src_path,
			  const char *original_name, const char *alt, int64_t *media_id,
			  char *file_out, size_t file_out_len, media_info *info,
			  char *why, size_t whylen)
{
	unsigned char *data = NULL;
	size_t len = 0;
	media_info mi;
	char name[MEDIA_FILE_MAX];
	int64_t id = 0;
	int rc = -1, written = 0;

	if (alt != NULL) {
		size_t altlen = strlen(alt);
		if (altlen > MEDIA_ALT_MAX || !utf8_valid(alt, altlen)) {
			snprintf(why, whylen, "Mô tả ảnh phải là UTF-8, tối đa %d byte.", MEDIA_ALT_MAX);
			return -1;
		}
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
	    check_content(data, len, &mi, why, whylen) != 0)
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
	if (insert_row(db, name, original_name, &mi, alt, &id) != 0) {
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
