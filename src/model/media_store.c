/*
 * media_store.c - pictures copied into the media folder (media_store.h).
 *
 * A picture is checked (media_format.c), written under a random name
 * through a temporary file, and only then given its row, in the caller's
 * transaction if one is open; on any failure the file is taken back, so a
 * row never points at a missing file and no file is left without a row.
 *
 * Memory: the bytes read from the source are freed before returning; the
 * stored name goes to the caller's buffer. Nothing is kept between calls.
 */
#include "model/media_store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dir.h"
#include "core/log.h"
#include "core/text.h"
#include "model/media_private.h"

/* --------------------------------------------------------------- names */

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

/* --------------------------------------------------------------- files */

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
	if (dir_sync(media_dir, true) != 0) {
		log_error("media: cannot fsync %s: %s", media_dir, strerror(errno));
		unlink(dst);
		return -1;
	}
	return 0;
fail:
	unlink(tmp);
	return -1;
}

/* ------------------------------------------------ text of a picture */

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

int media_search_key(const char *alt, const char *credit, const char *name, buf_t *out)
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
	if (basecopy == NULL || media_search_key(alt, credit, basecopy, &key) != 0)
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

bool media_text_ok(const char *s, size_t max)
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

	if (!media_text_ok(alt, MEDIA_ALT_MAX)) {
		snprintf(why, whylen, "Mô tả ảnh phải là UTF-8, tối đa %d byte.", MEDIA_ALT_MAX);
		return -1;
	}
	if (!media_text_ok(credit, MEDIA_CREDIT_MAX)) {
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
	if (media_read_source(src_path, &data, &len, why, whylen) != 0 ||
	    media_check_bytes(data, len, upload, &mi, why, whylen) != 0)
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
	/* A document (PDF) has no variants to make: no job, served at once. */
	int ok = insert_row(db, name, original_name, &mi, alt, credit, &id) == 0 &&
		 (!upload || media_is_document(mi.mime) || insert_job(db, id) == 0);
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
