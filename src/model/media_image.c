/*
 * media_image.c - picture processing with libvips, in a background worker
 * (see media_image.h).
 *
 * Files are written under their final names before the transaction that
 * records them: nothing serves a variant (or the original of a waiting
 * picture) without its row (media_servable), so a crash in between leaves
 * unreferenced files that the next attempt overwrites.
 */
#include "model/media_image.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

#include "core/dir.h"
#include "core/log.h"
#include "model/media.h"
#include "model/media_tiles.h"

/* --------------------------------------------------------------- libvips */

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static int vips_ok = -1;

static void vips_start(void)
{
	if (VIPS_INIT("sen") != 0) {
		log_error("media: libvips does not start: %s", vips_error_buffer());
		vips_error_clear();
		return;
	}
	/* One thread per operation and no operation cache: the server's cores
	 * belong to its request threads, and the cache would keep decoded
	 * pictures (and, keyed by file name, could hand back an original that
	 * has since been replaced by its stripped copy). */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	/* Only the loaders libvips itself trusts (not ImageMagick and the like). */
	vips_block_untrusted_set(TRUE);
	vips_ok = 0;
}

int media_image_init(void)
{
	pthread_once(&vips_once, vips_start);
	return vips_ok;
}

/* ------------------------------------------------------------ the queue */

/* The row of a waiting job and its picture. */
typedef struct {
	char file[MEDIA_FILE_MAX];
	char mime[32];
	int attempts;
} job;

/* Loads job and picture; 0, 1 when there is no waiting job for id, -1. */
static int load_job(db_t *db, int64_t id, job *j)
{
	db_stmt *st = db_prepare(db, "SELECT m.file, m.mime, j.attempts FROM media_jobs j "
				     "JOIN media m ON m.id = j.media_id WHERE j.media_id = ? "
				     "AND j.state = 0");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	const char *file = db_col_text(st, 0), *mime = db_col_text(st, 1);
	if (file == NULL || mime == NULL || strlen(file) >= sizeof j->file ||
	    strlen(mime) >= sizeof j->mime)
		goto out;
	snprintf(j->file, sizeof j->file, "%s", file);
	snprintf(j->mime, sizeof j->mime, "%s", mime);
	j->attempts = (int)db_col_int64(st, 2);
	rc = 0;
out:
	db_done(st);
	return rc;
}

/* Sets the job's attempts (and, when failed, its state and error: a
 * MEDIA_IMAGE_ERR_* catalog key, never text from libvips). */
static int update_job(db_t *db, int64_t id, int attempts, bool failed, const char *error)
{
	db_stmt *st = db_prepare(db, "UPDATE media_jobs SET attempts = ?, state = ?, error = ?, "
				     "updated_at = ? WHERE media_id = ?");
	if (st == NULL)
		return -1;
	char err[MEDIA_ALT_MAX];
	snprintf(err, sizeof err, "%s", error != NULL ? error : "");
	int rc = db_bind_int64(st, 1, attempts) == 0 && db_bind_int64(st, 2, failed ? 2 : 0) == 0 &&
			 db_bind_text(st, 3, err, -1) == 0 &&
			 db_bind_int64(st, 4, (int64_t)time(NULL)) == 0 &&
			 db_bind_int64(st, 5, id) == 0 && db_step(st) == DB_DONE
		     ? 0
		     : -1;
	db_done(st);
	return rc;
}

/* ------------------------------------------------------------- encoding */

/* One file made: its name, format and size. */
typedef struct {
	char file[MEDIA_FILE_MAX + 16];
	const char *format;
	int width, height;
	int64_t bytes;
} made;

static int64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

/* True for the metadata fields libvips carries from a loaded file: EXIF
 * (whole and parsed), XMP, IPTC, ICC, comments. */
static bool metadata_field(const char *name)
{
	static const char *const prefixes[] = {"exif-", "xmp-", "iptc-", "icc-", "png-comment",
					       "gif-comment", "jpeg-comment", "webp-", "heif-"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return strcmp(name, "orientation") == 0;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/*
 * Drops the EXIF, XMP and ICCP chunks of the WebP file at path and clears
 * their flags in VP8X, rewriting the file in place (through a temporary
 * file). 0 or -1.
 */
static int webp_drop_metadata(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	unsigned char *in = NULL, *out = NULL;
	int rc = -1;
	if (fseek(fp, 0, SEEK_END) != 0)
		goto out;
	long len = ftell(fp);
	if (len < 20 || len > (long)MEDIA_MAX_BYTES * 4 || fseek(fp, 0, SEEK_SET) != 0)
		goto out;
	in = malloc((size_t)len);
	out = malloc((size_t)len);
	if (in == NULL || out == NULL || fread(in, 1, (size_t)len, fp) != (size_t)len)
		goto out;
	if (memcmp(in, "RIFF", 4) != 0 || memcmp(in + 8, "WEBP", 4) != 0)
		goto out;
	memcpy(out, in, 12);
	size_t i = 12, o = 12, vp8x = 0;
	bool dropped = false;
	while (i + 8 <= (size_t)len) {
		uint32_t cl = rd32(in + i + 4);
		size_t whole = 8 + (size_t)cl + (cl & 1);
		if (whole > (size_t)len - i)
			goto out;
		if (memcmp(in + i, "EXIF", 4) == 0 || memcmp(in + i, "XMP ", 4) == 0 ||
		    memcmp(in + i, "ICCP", 4) == 0) {
			dropped = true;
		} else {
			if (memcmp(in + i, "VP8X", 4) == 0 && cl >= 1)
				vp8x = o;
			memcpy(out + o, in + i, whole);
			o += whole;
		}
		i += whole;
	}
	if (!dropped) {
		rc = 0;
		goto out;
	}
	if (vp8x != 0)
		out[vp8x + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04);
	wr32(out + 4, (uint32_t)(o - 8));
	char tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.strip", path) >= sizeof tmp)
		goto out;
	FILE *w = fopen(tmp, "wb");
	if (w == NULL)
		goto out;
	bool ok = fwrite(out, 1, o, w) == o;
	if (fclose(w) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(in);
	free(out);
	fclose(fp);
	return rc;
}

/*
 * Saves img to path in format with every metadata block stripped. The
 * savers' own "strip" is asked for, and the fields are also removed from
 * the image first; the WebP saver of libvips 8.14 still writes a small
 * EXIF chunk of its own, which webp_drop_metadata() takes out.
 */
static int save(VipsImage *img, const char *path, const char *format, int jpeg_q)
{
	VipsImage *c = NULL;
	if (vips_copy(img, &c, NULL) != 0)
		return -1;
	gchar **fields = vips_image_get_fields(c);
	for (size_t i = 0; fields != NULL && fields[i] != NULL; i++)
		if (metadata_field(fields[i]))
			vips_image_remove(c, fields[i]);
	g_strfreev(fields);
	int rc;
	if (strcmp(format, "jpg") == 0)
		rc = vips_jpegsave(c, path, "Q", jpeg_q, "strip", TRUE, "optimize_coding", TRUE,
				   "interlace", TRUE, NULL);
	else if (strcmp(format, "png") == 0)
		rc = vips_pngsave(c, path, "strip", TRUE, "compression", 6, NULL);
	else
		rc = vips_webpsave(c, path, "Q", MEDIA_IMAGE_WEBP_Q, "strip", TRUE, NULL) == 0
			 ? webp_drop_metadata(path)
			 : -1;
	g_object_unref(c);
	return rc;
}

/* Makes a picture of at most width x height from src (upright, never
 * enlarged). NULL with the reason in why. */
static VipsImage *shrink(const char *src, int width, int height, char *why, size_t whylen)
{
	VipsImage *out = NULL;
	if (vips_thumbnail(src, &out, width, "height", height, "size", VIPS_SIZE_DOWN, "fail_on",
			   VIPS_FAIL_ON_ERROR, NULL) != 0) {
		snprintf(why, whylen, "cannot read the picture: %.300s", vips_error_buffer());
		vips_error_clear();
		return NULL;
	}
	return out;
}

/* The format variants are made in (GIF becomes PNG). */
static const char *own_format(const char *mime)
{
	if (strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(mime, "image/webp") == 0)
		return "webp";
	return "png";
}

/* The widths picture variants are made at for a picture `width` wide,
 * ascending, never wider than the picture (a narrower one gets one variant
 * at its own width), into out; returns how many. */
static int variant_widths(int width, int out[MEDIA_IMAGE_NWIDTHS])
{
	static const int widths[] = MEDIA_IMAGE_WIDTHS;
	int n = 0;
	for (size_t w = 0; w < MEDIA_IMAGE_NWIDTHS; w++) {
		int target = widths[w] < width ? widths[w] : width;
		if (n == 0 || out[n - 1] != target)
			out[n++] = target;
	}
	return n;
}

/* ------------------------------------------------------------ processing */

/* Set by media_image_stop(); read by the worker between pictures and sizes. */
static atomic_int stopping;

enum { MADE_MAX = 2 * MEDIA_IMAGE_NWIDTHS };

/* Removes the files of made[0..n). */
static void remove_made(const char *dir, const made *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		media_remove_file(dir, m[i].file);
}

/* Records the variants, the new size of the original, and ends the job,
 * in one transaction. 0, 1 when the picture was deleted meanwhile, -1. */
static int record(db_t *db, int64_t id, const made *m, size_t n, int64_t bytes, int width,
		  int height)
{
	if (db_begin(db) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "UPDATE media SET bytes = ?, width = ?, height = ? WHERE id = ?");
	if (st == NULL)
		goto fail;
	int ok = db_bind_int64(st, 1, bytes) == 0 && db_bind_int64(st, 2, width) == 0 &&
		 db_bind_int64(st, 3, height) == 0 && db_bind_int64(st, 4, id) == 0 &&
		 db_step(st) == DB_DONE;
	db_done(st);
	if (!ok)
		goto fail;
	if (db_changes(db) == 0) {
		db_rollback(db);
		return 1;
	}
	st = db_prepare(db, "DELETE FROM media_variants WHERE media_id = ?");
	if (st == NULL)
		goto fail;
	ok = db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE;
	db_done(st);
	if (!ok)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT INTO media_variants (media_id, width, height, format, file, "
				    "bytes) VALUES (?, ?, ?, ?, ?, ?)");
		if (st == NULL)
			goto fail;
		ok = db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, m[i].width) == 0 &&
		     db_bind_int64(st, 3, m[i].height) == 0 &&
		     db_bind_text(st, 4, m[i].format, -1) == 0 &&
		     db_bind_text(st, 5, m[i].file, -1) == 0 &&
		     db_bind_int64(st, 6, m[i].bytes) == 0 && db_step(st) == DB_DONE;
		db_done(st);
		if (!ok)
			goto fail;
	}
	st = db_prepare(db, "DELETE FROM media_jobs WHERE media_id = ?");
	if (st == NULL)
		goto fail;
	ok = db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE;
	db_done(st);
	if (!ok)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

/*
 * The work on the files of one picture: stripped original (replacing the
 * upload; unless keep_original) and variants. 0 with m, *n, *bytes, *width, *height filled;
 * -1 with why (for the log: it may name paths) and *reason (the catalog key
 * the job keeps for the authors); -2 when stopped meanwhile.
 */
static int make_files(const char *dir, const job *j, made *m, size_t *n, int64_t *bytes,
		      int *width, int *height, const char **reason, char *why, size_t whylen,
		      bool keep_original)
{
	char src[PATH_MAX], tmp[PATH_MAX], path[PATH_MAX];
	VipsImage *img = NULL;
	*n = 0;
	/* libvips reports a damaged file only when it decodes the pixels, which
	 * may be while saving: every libvips failure counts as the picture's. */
	*reason = MEDIA_IMAGE_ERR_PICTURE;
	if ((size_t)snprintf(src, sizeof src, "%s/%s", dir, j->file) >= sizeof src ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s/.tmp-%s", dir, j->file) >= sizeof tmp) {
		*reason = MEDIA_IMAGE_ERR_STORAGE;
		snprintf(why, whylen, "path too long");
		return -1;
	}
	const char *dot = strrchr(j->file, '.');
	size_t baselen = dot != NULL ? (size_t)(dot - j->file) : strlen(j->file);
	const char *fmt = own_format(j->mime);
	bool gif = strcmp(j->mime, "image/gif") == 0;

	/* The size the picture has upright: its header may say otherwise when
	 * an EXIF orientation turns it. */
	img = shrink(src, VIPS_MAX_COORD, VIPS_MAX_COORD, why, whylen);
	if (img == NULL)
		return -1;
	*width = vips_image_get_width(img);
	*height = vips_image_get_height(img);
	if (!gif && !keep_original) {
		/* The stripped original replaces the upload. */
		if (save(img, tmp, fmt, 90) != 0 || dir_sync(tmp, false) != 0) {
			snprintf(why, whylen, "cannot write the picture: %.300s", vips_error_buffer());
			vips_error_clear();
			unlink(tmp);
			goto fail;
		}
		if (rename(tmp, src) != 0) {
			*reason = MEDIA_IMAGE_ERR_STORAGE;
			snprintf(why, whylen, "cannot replace the original: %s", strerror(errno));
			unlink(tmp);
			goto fail;
		}
	}
	g_object_unref(img);
	img = NULL;
	*bytes = file_size(src);

	int widths[MEDIA_IMAGE_NWIDTHS];
	int nwidths = variant_widths(*width, widths);
	for (int w = 0; w < nwidths; w++) {
		if (stopping)
			return -2;
		VipsImage *seq = shrink(src, widths[w], VIPS_MAX_COORD, why, whylen);
		if (seq == NULL)
			goto fail;
		/* A sequential pipeline can be read once; the variant is saved
		 * twice, so it is made once in memory (at most 1600 pixels
		 * wide: a few MiB). */
		img = vips_image_copy_memory(seq);
		g_object_unref(seq);
		if (img == NULL) {
			snprintf(why, whylen, "cannot process the picture: %.300s", vips_error_buffer());
			vips_error_clear();
			goto fail;
		}
		const char *formats[2] = {fmt, strcmp(fmt, "webp") == 0 ? NULL : "webp"};
		for (size_t f = 0; f < 2 && formats[f] != NULL; f++) {
			made *v = &m[*n];
			v->format = formats[f];
			v->width = vips_image_get_width(img);
			v->height = vips_image_get_height(img);
			snprintf(v->file, sizeof v->file, "%.*s-%d.%s", (int)baselen, j->file, v->width,
				 formats[f]);
			if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, v->file) >= sizeof path ||
			    save(img, path, formats[f], MEDIA_IMAGE_JPEG_Q) != 0 ||
			    dir_sync(path, false) != 0) {
				snprintf(why, whylen, "cannot write a variant: %.300s",
					 vips_error_buffer());
				vips_error_clear();
				unlink(path);
				goto fail;
			}
			v->bytes = file_size(path);
			(*n)++;
		}
		g_object_unref(img);
		img = NULL;
	}
	if (dir_sync(dir, true) != 0) {
		*reason = MEDIA_IMAGE_ERR_STORAGE;
		snprintf(why, whylen, "cannot sync the media folder: %s", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (img != NULL)
		g_object_unref(img);
	remove_made(dir, m, *n);
	*n = 0;
	return -1;
}

/*
 * Makes the files of picture id (make_files) and records them (record),
 * taking back what was made when it cannot be recorded. 0 done, 1 the
 * picture was deleted meanwhile (its files go too), -1 failed (why is set
 * when the picture's files were at fault, "" when the database was), -2
 * stopped meanwhile.
 */
static int make_and_record(db_t *db, const char *media_dir, int64_t id, const job *j,
			   const char **reason, char *why, size_t whylen, bool keep_original)
{
	made m[MADE_MAX];
	size_t n = 0;
	int64_t bytes = 0;
	int width = 0, height = 0;
	why[0] = '\0';
	int rc = make_files(media_dir, j, m, &n, &bytes, &width, &height, reason, why, whylen,
			    keep_original);
	vips_thread_shutdown();
	if (rc == -2)
		remove_made(media_dir, m, n);
	if (rc != 0)
		return rc;
	rc = record(db, id, m, n, bytes, width, height);
	if (rc != 0) {
		/* Deleted meanwhile (1): its files go too. Else the job stays. */
		remove_made(media_dir, m, n);
		if (rc == 1)
			media_remove_file(media_dir, j->file);
		return rc == 1 ? 1 : -1;
	}
	return 0;
}

int media_image_process(db_t *db, const char *media_dir, int64_t id)
{
	job j;
	int rc = load_job(db, id, &j);
	if (rc != 0)
		return rc;
	char why[400] = "";
	const char *reason = MEDIA_IMAGE_ERR_PICTURE;
	if (j.attempts >= MEDIA_IMAGE_ATTEMPTS) {
		update_job(db, id, j.attempts, true, MEDIA_IMAGE_ERR_ATTEMPTS);
		return -1;
	}
	/* Counted before the work, so a picture that crashes the process is
	 * given up after MEDIA_IMAGE_ATTEMPTS restarts. */
	if (update_job(db, id, j.attempts + 1, false, "") != 0)
		return -1;
	if (media_image_init() != 0) {
		update_job(db, id, j.attempts, false, "");
		return -1;
	}
	rc = make_and_record(db, media_dir, id, &j, &reason, why, sizeof why, false);
	if (rc == -2) {
		/* Stopped: not this picture's fault; the next start resumes it. */
		update_job(db, id, j.attempts, false, "");
		return -1;
	}
	if (rc == -1 && why[0] != '\0') {
		/* The detail (libvips names the data folder's absolute path) stays
		 * in the server log; authors see the reason's catalog message. */
		log_warn("media: picture %lld (%s): %s", (long long)id, j.file, why);
		update_job(db, id, j.attempts + 1, j.attempts + 1 >= MEDIA_IMAGE_ATTEMPTS, reason);
	}
	return rc;
}

/* The oldest waiting picture: 0 with *id, 1 none, -1. */
static int next_waiting(db_t *db, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT media_id FROM media_jobs WHERE state = 0 "
				     "ORDER BY media_id LIMIT 1");
	if (st == NULL)
		return -1;
	int step = db_step(st);
	int rc = step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
	if (rc == 0)
		*id = db_col_int64(st, 0);
	db_done(st);
	return rc;
}

int media_image_run_pending(db_t *db, const char *media_dir, int max, int *done)
{
	int count = 0;
	int64_t last = 0;
	while (count < max && !stopping) {
		int64_t id;
		int rc = next_waiting(db, &id);
		if (rc < 0)
			return -1;
		if (rc == 1)
			break;
		if (id == last) /* a failure left it waiting: try again later */
			break;
		last = id;
		media_image_process(db, media_dir, id);
		count++;
	}
	if (done != NULL)
		*done = count;
	return 0;
}

/* ------------------------------------------------- what pictures lack */

/* How many variants a picture of width pixels in mime has when complete. */
static int variants_expected(int width, const char *mime)
{
	int widths[MEDIA_IMAGE_NWIDTHS];
	return variant_widths(width, widths) * (strcmp(own_format(mime), "webp") == 0 ? 1 : 2);
}

/*
 * Walks the pictures without a job (the worker's queue owns those) after
 * id *after, by id, stopping at the first whose variants are not all
 * there: 0 with *after = its id and *j filled, 1 none left, -1. With count
 * (may be NULL) it walks to the end instead and counts them.
 */
static int next_incomplete(db_t *db, int64_t *after, job *j, int64_t *count)
{
	db_stmt *st = db_prepare(
	    db, "SELECT m.id, m.file, m.mime, m.width, (SELECT count(*) FROM media_variants v"
		" WHERE v.media_id = m.id) FROM media m WHERE m.id > ? AND NOT EXISTS"
		" (SELECT 1 FROM media_jobs q WHERE q.media_id = m.id) ORDER BY m.id");
	if (st == NULL || db_bind_int64(st, 1, *after) != 0) {
		db_done(st);
		return -1;
	}
	int rc = 1, step;
	if (count != NULL)
		*count = 0;
	while ((step = db_step(st)) == DB_ROW) {
		const char *file = db_col_text(st, 1), *mime = db_col_text(st, 2);
		if (file == NULL || mime == NULL ||
		    db_col_int64(st, 4) >= variants_expected((int)db_col_int64(st, 3), mime))
			continue;
		if (count != NULL) {
			(*count)++;
			continue;
		}
		if (strlen(file) >= sizeof j->file || strlen(mime) >= sizeof j->mime)
			continue;
		*after = db_col_int64(st, 0);
		snprintf(j->file, sizeof j->file, "%s", file);
		snprintf(j->mime, sizeof j->mime, "%s", mime);
		j->attempts = 0;
		rc = 0;
		break;
	}
	if (step != DB_ROW && step != DB_DONE)
		rc = -1;
	db_done(st);
	return rc;
}

int media_image_missing(db_t *db, int64_t *count)
{
	int64_t after = 0;
	return next_incomplete(db, &after, NULL, count) < 0 ? -1 : 0;
}

int media_image_complete_next(db_t *db, const char *media_dir, int64_t *after)
{
	job j;
	int rc = next_incomplete(db, after, &j, NULL);
	if (rc != 0)
		return rc;
	if (media_image_init() != 0)
		return -1;
	const char *reason = MEDIA_IMAGE_ERR_PICTURE;
	char why[400];
	/* The original stays as it is: it has been published so (or was
	 * brought by the importer from a site that published it), and a JPEG
	 * re-saved loses a little each time. */
	rc = make_and_record(db, media_dir, *after, &j, &reason, why, sizeof why, true);
	if (rc == -1)
		log_warn("media: picture %lld (%s): %s", (long long)*after, j.file,
			 why[0] != '\0' ? why : "cannot record its variants");
	return rc == -1 ? 2 : rc == -2 ? -1 : 0;
}

/* ------------------------------------------------------------ the worker */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond = PTHREAD_COND_INITIALIZER;
static pthread_t worker;
static bool running, kicked, busy;
static char worker_dir[PATH_MAX];

/* How often the worker looks at the queue without being told (a picture
 * that failed once is tried again then). */
#define IDLE_SECONDS 60
/* Between two pictures the worker completes on its own (pictures from
 * before variants were made on every path): slow enough that a database of
 * thousands of such pictures does not take a core from the readers. */
#define FILL_SECONDS 2

/* The last picture the worker looked at for missing variants: one that
 * fails is not tried again before the next start. */
static int64_t fill_after;

/* Completes one picture missing variants. True when there may be more. */
static bool fill_one(db_t *db)
{
	int rc = media_image_complete_next(db, worker_dir, &fill_after);
	return rc == 0 || rc == 2;
}

static void *worker_main(void *arg)
{
	(void)arg;
	/* Below the request threads: a busy server answers first. */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	db_t *db = db_get();
	bool more = false;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		kicked = false;
		busy = true;
		pthread_mutex_unlock(&lock);
		if (db != NULL || (db = db_get()) != NULL) {
			media_image_run_pending(db, worker_dir, 1000, NULL);
			/* Then the deep-zoom tiles of the register's photos, one at
			 * a time so that a stop is heard between two. */
			int tiled = 0;
			for (int i = 0; i < 1000 && !stopping; i++)
				if (media_tiles_run_pending(db, worker_dir, 1, &tiled) != 0 ||
				    tiled == 0)
					break;
			more = !stopping && fill_one(db);
		}
		pthread_mutex_lock(&lock);
		busy = false;
		if (kicked || stopping)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += more ? FILL_SECONDS : IDLE_SECONDS;
		while (!kicked && !stopping)
			if (pthread_cond_timedwait(&wake_cond, &lock, &until) == ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&lock);
	vips_thread_shutdown();
	db_thread_close();
	return NULL;
}

int media_image_start(const char *media_dir)
{
	int rc = 0;
	pthread_mutex_lock(&lock);
	if (!running) {
		if (strlen(media_dir) >= sizeof worker_dir) {
			log_error("media: media folder path too long");
			rc = -1;
		} else if (media_image_init() != 0) {
			rc = -1;
		} else {
			snprintf(worker_dir, sizeof worker_dir, "%s", media_dir);
			stopping = 0;
			fill_after = 0;
			kicked = true;
			if (pthread_create(&worker, NULL, worker_main, NULL) != 0) {
				log_error("media: cannot start the picture worker");
				rc = -1;
			} else {
				running = true;
			}
		}
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void media_image_wake(const char *media_dir)
{
	if (media_image_start(media_dir) != 0)
		return;
	pthread_mutex_lock(&lock);
	kicked = true;
	pthread_cond_signal(&wake_cond);
	pthread_mutex_unlock(&lock);
}

void media_image_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = 1;
	pthread_cond_signal(&wake_cond);
	pthread_mutex_unlock(&lock);
	pthread_join(worker, NULL);
	pthread_mutex_lock(&lock);
	running = false;
	stopping = 0;
	pthread_mutex_unlock(&lock);
}

bool media_image_busy(void)
{
	pthread_mutex_lock(&lock);
	bool b = busy || kicked;
	pthread_mutex_unlock(&lock);
	return b;
}
