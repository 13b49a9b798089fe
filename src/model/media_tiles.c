/*
 * media_tiles.c - deep-zoom tiles of the register's photos (see
 * media_tiles.h).
 *
 * A set is written by dzsave into MEDIA_DIR/iiif/.tmp-ID-PID/ID, then
 * renamed to MEDIA_DIR/iiif/ID (a set already there is first renamed aside
 * to .old-ID-PID and removed after): rename(2) is atomic, so a reader sees
 * the old set or the new one, and a crash leaves only dot-folders, which
 * the server never serves (http_send_file refuses hidden names) and the
 * next run sweeps. The row is written after the rename; a set on disk whose
 * row does not say ready is never served.
 */
#include "model/media_tiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

#include "core/dir.h"
#include "core/log.h"

/* ------------------------------------------------------------- the disk */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Removes a folder and everything below it, following no symlink. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void media_tiles_remove(const char *media_dir, int64_t media_id)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/" MEDIA_TILES_DIR "/%lld", media_dir,
		     (long long)media_id) < (int)sizeof path)
		remove_tree(path);
}

/* Removes what a killed run left: .tmp-* and .old-* folders. */
static void sweep(const char *media_dir)
{
	char base[PATH_MAX];
	if (snprintf(base, sizeof base, "%s/" MEDIA_TILES_DIR, media_dir) >= (int)sizeof base)
		return;
	DIR *d = opendir(base);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, ".tmp-", 5) != 0 && strncmp(e->d_name, ".old-", 5) != 0)
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", base, e->d_name) < (int)sizeof path)
			remove_tree(path);
	}
	closedir(d);
}

/* The picture made ready for JPEG tiles: an alpha channel flattened onto
 * white (a JPEG has none). Consumes img; NULL on error. */
static VipsImage *opaque(VipsImage *img)
{
	if (!vips_image_hasalpha(img))
		return img;
	VipsImage *out = NULL;
	VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
	int rc = vips_flatten(img, &out, "background", white, NULL);
	vips_area_unref(VIPS_AREA(white));
	g_object_unref(img);
	return rc == 0 ? out : NULL;
}

/* dzsave into tmp/name. 0 or -1 (why filled). */
static int dzsave(const char *src, const char *tmp, const char *name, int *width, int *height,
		  char *why, size_t whylen)
{
	VipsImage *img = vips_image_new_from_file(src, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (img != NULL && vips_image_get_typeof(img, VIPS_META_N_PAGES) != 0) {
		/* A GIF: its first frame only. */
		g_object_unref(img);
		img = vips_image_new_from_file(src, "access", VIPS_ACCESS_SEQUENTIAL, "n", 1, NULL);
	}
	if (img != NULL)
		img = opaque(img);
	char out[PATH_MAX];
	int rc = -1;
	if (img == NULL ||
	    snprintf(out, sizeof out, "%s/%s", tmp, name) >= (int)sizeof out)
		goto done;
	*width = vips_image_get_width(img);
	*height = vips_image_get_height(img);
	rc = vips_dzsave(img, out, "layout", VIPS_FOREIGN_DZ_LAYOUT_IIIF3, "id",
			 MEDIA_TILES_PLACEHOLDER_ID, "tile_size", MEDIA_TILES_SIZE, "overlap", 0,
			 "suffix", ".jpg[Q=" G_STRINGIFY(MEDIA_TILES_JPEG_Q) ",strip]", NULL);
done:
	if (rc != 0)
		snprintf(why, whylen, "%s", vips_error_buffer());
	vips_error_clear();
	if (img != NULL)
		g_object_unref(img);
	return rc == 0 ? 0 : -1;
}

int media_tiles_write(const char *media_dir, const char *src, const char *name, int *width,
		      int *height, char *why, size_t whylen)
{
	char base[PATH_MAX], tmp[PATH_MAX], made[PATH_MAX], final[PATH_MAX], old[PATH_MAX];
	long pid = (long)getpid();
	if (snprintf(base, sizeof base, "%s/" MEDIA_TILES_DIR, media_dir) >= (int)sizeof base ||
	    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld", base, name, pid) >= (int)sizeof tmp ||
	    snprintf(made, sizeof made, "%s/%s", tmp, name) >= (int)sizeof made ||
	    snprintf(final, sizeof final, "%s/%s", base, name) >= (int)sizeof final ||
	    snprintf(old, sizeof old, "%s/.old-%s-%ld", base, name, pid) >= (int)sizeof old) {
		snprintf(why, whylen, "path too long");
		return -1;
	}
	if ((mkdir(base, 0755) != 0 && errno != EEXIST)) {
		snprintf(why, whylen, "mkdir %s: %s", base, strerror(errno));
		return -1;
	}
	remove_tree(tmp);
	if (mkdir(tmp, 0755) != 0) {
		snprintf(why, whylen, "mkdir %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (dzsave(src, tmp, name, width, height, why, whylen) != 0)
		goto fail;
	if (dir_sync(made, true) != 0)
		log_warn("media: tiles of %s not flushed to disk", name);
	/* A set already there is moved aside first: rename cannot replace a
	 * folder that holds files. */
	bool replaced = rename(final, old) == 0;
	if (rename(made, final) != 0) {
		snprintf(why, whylen, "rename %s: %s", final, strerror(errno));
		if (replaced)
			rename(old, final);
		goto fail;
	}
	if (replaced)
		remove_tree(old);
	rmdir(tmp);
	dir_sync(base, true);
	return 0;
fail:
	remove_tree(tmp);
	return -1;
}

/* ------------------------------------------------------------- the rows */

/* Runs sql with ?1 bound to id and steps once. On a row, returns the
 * statement with *rc 0: the caller reads it and calls db_done. Else NULL
 * with *rc 1 (no row) or -1. */
static db_stmt *first_row(db_t *db, const char *sql, int64_t id, int *rc)
{
	db_stmt *st = db_prepare(db, sql);
	int step = st != NULL && db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	*rc = step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
	if (*rc == 0)
		return st;
	if (st != NULL)
		db_done(st);
	return NULL;
}

/* The stored file of a photo waiting for its tiles and its attempts so far:
 * 0, 1 when there is nothing to do, -1. */
static int load_waiting(db_t *db, int64_t id, char *file, size_t len, int *attempts)
{
	int rc;
	db_stmt *st = first_row(
	    db, "SELECT m.file, ifnull(t.attempts, 0) FROM media m"
		" LEFT JOIN media_tiles t ON t.media_id = m.id"
		" WHERE m.id = ?1 AND ifnull(t.state, 0) = 0"
		" AND EXISTS (SELECT 1 FROM object_media om WHERE om.media_id = m.id)"
		" AND NOT EXISTS (SELECT 1 FROM media_jobs j WHERE j.media_id = m.id)",
	    id, &rc);
	if (st == NULL)
		return rc;
	/* A stored name is one plain file name (media_store.c); anything else
	 * would not be read. */
	const char *f = db_col_text(st, 0);
	rc = f != NULL && strlen(f) < len && strchr(f, '/') == NULL && f[0] != '.' ? 0 : -1;
	if (rc == 0) {
		snprintf(file, len, "%s", f);
		*attempts = (int)db_col_int64(st, 1);
	}
	db_done(st);
	return rc;
}

/* Writes the picture's row: ready with its size, or waiting / failed with
 * attempts and error. 0, 1 when the picture is gone, -1. */
static int save_row(db_t *db, int64_t id, int state, int attempts, int width, int height,
		    const char *error)
{
	db_stmt *st = db_prepare(
	    db, "INSERT INTO media_tiles (media_id, state, attempts, width, height, error,"
		" updated_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM media"
		" WHERE id = ?1) ON CONFLICT (media_id) DO UPDATE SET state = excluded.state,"
		" attempts = excluded.attempts, width = excluded.width, height = excluded.height,"
		" error = excluded.error, updated_at = excluded.updated_at");
	if (st == NULL)
		return -1;
	int step = DB_ERROR;
	if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, state) == 0 &&
	    db_bind_int64(st, 3, attempts) == 0 && db_bind_int64(st, 4, width) == 0 &&
	    db_bind_int64(st, 5, height) == 0 && db_bind_text(st, 6, error, -1) == 0 &&
	    db_bind_int64(st, 7, (int64_t)time(NULL)) == 0)
		step = db_step(st);
	db_done(st);
	if (step != DB_DONE)
		return -1;
	return db_changes(db) == 0 ? 1 : 0;
}

int media_tiles_make(db_t *db, const char *media_dir, int64_t id)
{
	char file[256], src[PATH_MAX], name[32], why[400] = "";
	int attempts;
	int rc = load_waiting(db, id, file, sizeof file, &attempts);
	if (rc != 0)
		return rc;
	if (attempts >= MEDIA_TILES_ATTEMPTS) {
		save_row(db, id, MEDIA_TILES_FAILED, attempts, 0, 0, MEDIA_TILES_ERR_PICTURE);
		return -1;
	}
	/* Counted first: a picture that crashes the process is given up. */
	if (save_row(db, id, MEDIA_TILES_WAITING, attempts + 1, 0, 0, "") != 0)
		return -1;
	snprintf(name, sizeof name, "%lld", (long long)id);
	int width = 0, height = 0;
	if (snprintf(src, sizeof src, "%s/%s", media_dir, file) >= (int)sizeof src ||
	    media_tiles_write(media_dir, src, name, &width, &height, why, sizeof why) != 0) {
		vips_thread_shutdown();
		log_warn("media: tiles of picture %lld (%s): %s", (long long)id, file, why);
		bool last = attempts + 1 >= MEDIA_TILES_ATTEMPTS;
		save_row(db, id, last ? MEDIA_TILES_FAILED : MEDIA_TILES_WAITING, attempts + 1, 0, 0,
			 last ? MEDIA_TILES_ERR_PICTURE : "");
		return -1;
	}
	vips_thread_shutdown();
	rc = save_row(db, id, MEDIA_TILES_READY, attempts + 1, width, height, "");
	if (rc != 0) {
		/* Deleted meanwhile (1): its tiles go too; else tried again. */
		if (rc == 1)
			media_tiles_remove(media_dir, id);
		return rc == 1 ? 1 : -1;
	}
	return 0;
}

/* The oldest photo waiting for tiles after id after: 0 with *id, 1, -1. */
static int next_waiting(db_t *db, int64_t after, int64_t *id)
{
	int rc;
	db_stmt *st = first_row(
	    db, "SELECT DISTINCT om.media_id FROM object_media om"
		" LEFT JOIN media_tiles t ON t.media_id = om.media_id"
		" WHERE om.media_id > ?1 AND ifnull(t.state, 0) = 0"
		" AND NOT EXISTS (SELECT 1 FROM media_jobs j WHERE j.media_id = om.media_id)"
		" ORDER BY om.media_id LIMIT 1",
	    after, &rc);
	if (st != NULL) {
		*id = db_col_int64(st, 0);
		db_done(st);
	}
	return rc;
}

static pthread_once_t sweep_once = PTHREAD_ONCE_INIT;
static char sweep_dir[PATH_MAX];

static void sweep_first(void)
{
	sweep(sweep_dir);
}

int media_tiles_run_pending(db_t *db, const char *media_dir, int max, int *done)
{
	if (sweep_dir[0] == '\0')
		snprintf(sweep_dir, sizeof sweep_dir, "%s", media_dir);
	pthread_once(&sweep_once, sweep_first);
	/* One pass in id order: a picture that fails waits for the next. */
	int count = 0, rc = 0;
	for (int64_t id = 0; count < max && (rc = next_waiting(db, id, &id)) == 0; count++)
		media_tiles_make(db, media_dir, id);
	if (done != NULL)
		*done = count;
	return rc < 0 ? -1 : 0;
}

/* Fills out from a row of state, width, height. */
static void read_info(db_stmt *st, media_tiles_info *out)
{
	*out = (media_tiles_info){.state = (int)db_col_int64(st, 0),
				  .width = (int)db_col_int64(st, 1),
				  .height = (int)db_col_int64(st, 2)};
	db_done(st);
}

int media_tiles_get(db_t *db, int64_t id, media_tiles_info *out)
{
	int rc;
	db_stmt *st = first_row(db, "SELECT state, width, height FROM media_tiles"
				    " WHERE media_id = ?1",
				id, &rc);
	*out = (media_tiles_info){.state = MEDIA_TILES_NONE};
	if (st != NULL)
		read_info(st, out);
	return rc < 0 ? -1 : 0;
}

int media_tiles_public(db_t *db, int64_t id, media_tiles_info *out)
{
	int rc;
	db_stmt *st = first_row(
	    db, "SELECT t.state, t.width, t.height FROM media_tiles t WHERE t.media_id = ?1"
		" AND t.state = 1 AND EXISTS (SELECT 1 FROM object_media om JOIN objects o"
		" ON o.id = om.object_id WHERE om.media_id = ?1 AND o.public = 1)",
	    id, &rc);
	if (st != NULL) {
		media_tiles_info ignored;
		read_info(st, out != NULL ? out : &ignored);
	}
	return rc;
}

/* ------------------------------------------------------- request paths */

/* Reads n comma-separated decimals (no sign, no leading zero, at most
 * 100000) that make up all of s. 0 or -1. */
static int numbers(const char *s, int n, long *v)
{
	for (int i = 0; i < n; i++) {
		if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
			return -1;
		long x = 0;
		int digits = 0;
		for (; *s >= '0' && *s <= '9'; s++)
			if (++digits > 6 || (x = x * 10 + (*s - '0')) > 100000)
				return -1;
		v[i] = x;
		if (*s != (i + 1 < n ? ',' : '\0'))
			return -1;
		if (*s == ',')
			s++;
	}
	return 0;
}

int media_tiles_path(int width, int height, const char *region, const char *size,
		     const char *rotation, const char *file, char *out, size_t len)
{
	long r[4], z[2], rot;
	if (region == NULL || size == NULL || rotation == NULL || file == NULL)
		return 1;
	if (strcmp(region, "full") == 0) {
		r[0] = r[1] = 0;
		r[2] = width;
		r[3] = height;
	} else if (numbers(region, 4, r) != 0) {
		return 1;
	}
	if (strcmp(size, "max") == 0) {
		z[0] = r[2];
		z[1] = r[3];
	} else if (numbers(size, 2, z) != 0) {
		return 1;
	}
	const char *rot_digits = rotation[0] == '!' ? rotation + 1 : rotation;
	if (numbers(rot_digits, 1, &rot) != 0)
		return 1;
	const char *dot = strchr(file, '.');
	if (dot == NULL || dot == file || dot[1] == '\0' || strchr(dot + 1, '.') != NULL)
		return 1;
	for (const char *p = file; *p != '\0'; p++)
		if (p != dot && (*p < 'a' || *p > 'z'))
			return 1;
	/* Well formed: from here on, only whether dzsave wrote such a tile. */
	if (strcmp(rotation, "0") != 0 || strcmp(file, "default.jpg") != 0)
		return 2;
	if (r[2] == 0 || r[3] == 0 || r[0] + r[2] > width || r[1] + r[3] > height ||
	    z[0] == 0 || z[1] == 0 || z[0] > r[2] || z[1] > r[3] || z[0] > MEDIA_TILES_SIZE ||
	    z[1] > MEDIA_TILES_SIZE)
		return 2;
	if (snprintf(out, len, "%ld,%ld,%ld,%ld/%ld,%ld/0/default.jpg", r[0], r[1], r[2], r[3], z[0],
		     z[1]) >= (int)len)
		return 2;
	return 0;
}
