/*
 * backup.c - backup, restore and check of a data directory (backup.h).
 */
#include "model/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/dir.h"
#include "model/register_log.h"

#define HEX_LEN 64
#define MANIFEST_MAX_FILES 1000000

static int fail(backup_result *r, enum backup_problem p, const char *path, int err)
{
	r->problem = p;
	snprintf(r->path, sizeof r->path, "%s", path != NULL ? path : "");
	r->err = err;
	return -1;
}

static bool storage_full(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

/* Reads the file at path (and, when out_path is set, writes the same bytes
 * to a new file there, flushed), giving its SHA-256 in hex and its size. */
static int copy_hash(const char *path, const char *out_path, char hex[HEX_LEN + 1],
		     uint64_t *size, backup_result *r)
{
	int in = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return fail(r, errno == ENOENT ? BACKUP_FILE_MISSING : BACKUP_READ, path, errno);
	int out = -1;
	if (out_path != NULL) {
		out = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
		if (out < 0) {
			int e = errno;
			close(in);
			return fail(r, storage_full(e) ? BACKUP_FULL : BACKUP_WRITE, out_path, e);
		}
	}
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	static _Thread_local unsigned char buf[1 << 16];
	uint64_t total = 0;
	int rc = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = fail(r, BACKUP_READ, path, errno);
			break;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		total += (uint64_t)n;
		for (ssize_t done = 0; out >= 0 && done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int e = w < 0 ? errno : ENOSPC;
				rc = fail(r, storage_full(e) ? BACKUP_FULL : BACKUP_WRITE, out_path, e);
				break;
			}
			done += w;
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && out >= 0 && fsync(out) != 0)
		rc = fail(r, storage_full(errno) ? BACKUP_FULL : BACKUP_WRITE, out_path, errno);
	if (out >= 0 && close(out) != 0 && rc == 0)
		rc = fail(r, storage_full(errno) ? BACKUP_FULL : BACKUP_WRITE, out_path, errno);
	close(in);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, HEX_LEN + 1, h, sizeof h);
	*size = total;
	return rc;
}

/* Removes path and, for a folder, everything below it. */
static int remove_tree_entry(const char *path, const char *name, void *ctx);

static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		dir_each(path, remove_tree_entry, NULL);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int remove_tree_entry(const char *path, const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	remove_tree(path);
	return 0;
}

/* 1 when dir has no entry (hidden ones count), 0 when it has, -1 when it
 * cannot be read (errno). */
static int dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/* Makes dir, or takes an empty one; *made tells which. */
static int take_dir(const char *dir, bool *made, backup_result *r)
{
	*made = false;
	if (mkdir(dir, 0750) == 0) {
		*made = true;
		return 0;
	}
	if (errno != EEXIST)
		return fail(r, storage_full(errno) ? BACKUP_FULL : BACKUP_WRITE, dir, errno);
	int empty = dir_empty(dir);
	if (empty < 0)
		return fail(r, BACKUP_WRITE, dir, errno);
	return empty ? 0 : fail(r, BACKUP_DEST_NOT_EMPTY, dir, 0);
}

/* Empties dir again after a failure (and removes it when it was made). */
static void undo_dir(const char *dir, bool made)
{
	if (made) {
		remove_tree(dir);
		return;
	}
	dir_each(dir, remove_tree_entry, NULL);
}

/* ---- making a backup ------------------------------------------------------------ */

typedef struct {
	FILE *manifest;
	const char *src_root, *dest_root;
	unsigned long count;
	backup_result *r;
} copy_ctx;

/* Copies src_root/rel to dest_root/rel and writes its MANIFEST line. */
static int copy_one(copy_ctx *c, const char *rel)
{
	char src[PATH_MAX], dst[PATH_MAX], hex[HEX_LEN + 1];
	uint64_t size;
	if ((size_t)snprintf(src, sizeof src, "%s/%s", c->src_root, rel) >= sizeof src ||
	    (size_t)snprintf(dst, sizeof dst, "%s/%s", c->dest_root, rel) >= sizeof dst)
		return fail(c->r, BACKUP_READ, rel, ENAMETOOLONG);
	if (copy_hash(src, dst, hex, &size, c->r) != 0)
		return -1;
	fprintf(c->manifest, "file %s %llu %s\n", hex, (unsigned long long)size, rel);
	c->count++;
	c->r->files++;
	c->r->bytes += size;
	return 0;
}

static int copy_tree(copy_ctx *c, const char *rel);

static int copy_tree_entry(const char *path, const char *name, void *ctx)
{
	copy_ctx *c = ctx;
	struct stat st;
	char rel[PATH_MAX];
	if (lstat(path, &st) != 0)
		return 0; /* removed meanwhile: the database copy no longer needs it */
	const char *root_rel = path + strlen(c->src_root) + 1;
	if ((size_t)snprintf(rel, sizeof rel, "%s", root_rel) >= sizeof rel)
		return fail(c->r, BACKUP_READ, path, ENAMETOOLONG);
	(void)name;
	if (S_ISDIR(st.st_mode))
		return copy_tree(c, rel);
	if (!S_ISREG(st.st_mode))
		return 0;
	return copy_one(c, rel);
}

static int copy_tree(copy_ctx *c, const char *rel)
{
	char src[PATH_MAX], dst[PATH_MAX];
	if ((size_t)snprintf(src, sizeof src, "%s/%s", c->src_root, rel) >= sizeof src ||
	    (size_t)snprintf(dst, sizeof dst, "%s/%s", c->dest_root, rel) >= sizeof dst)
		return fail(c->r, BACKUP_READ, rel, ENAMETOOLONG);
	if (mkdir(dst, 0750) != 0 && errno != EEXIST)
		return fail(c->r, storage_full(errno) ? BACKUP_FULL : BACKUP_WRITE, dst, errno);
	int rc = dir_each(src, copy_tree_entry, c);
	if (rc == -1 && c->r->problem == BACKUP_OK)
		return fail(c->r, BACKUP_READ, src, errno);
	return rc != 0 ? -1 : 0;
}

/* Flushes and closes the MANIFEST being written, then gives it its name. */
static int manifest_finish(copy_ctx *c, const char *tmp, const char *final)
{
	fprintf(c->manifest, "end %lu\n", c->count);
	int bad = fflush(c->manifest) != 0 || fsync(fileno(c->manifest)) != 0;
	int e = errno;
	if (fclose(c->manifest) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	c->manifest = NULL;
	if (bad)
		return fail(c->r, storage_full(e) ? BACKUP_FULL : BACKUP_WRITE, tmp, e);
	if (rename(tmp, final) != 0 || dir_sync(c->dest_root, true) != 0)
		return fail(c->r, BACKUP_WRITE, final, errno);
	return 0;
}

int backup_make(db_t *db, const char *data_dir, const char *dest, const char *version,
		backup_result *r)
{
	memset(r, 0, sizeof *r);
	bool made;
	if (take_dir(dest, &made, r) != 0)
		return -1;
	char path[PATH_MAX], tmp[PATH_MAX], final[PATH_MAX];
	copy_ctx c = {.src_root = data_dir, .dest_root = dest, .r = r};
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s.tmp", dest, BACKUP_MANIFEST) >= sizeof tmp ||
	    (size_t)snprintf(final, sizeof final, "%s/%s", dest, BACKUP_MANIFEST) >= sizeof final ||
	    (size_t)snprintf(path, sizeof path, "%s/sen.db", dest) >= sizeof path) {
		fail(r, BACKUP_WRITE, dest, ENAMETOOLONG);
		goto undo;
	}
	c.manifest = fopen(tmp, "wx");
	if (c.manifest == NULL) {
		fail(r, storage_full(errno) ? BACKUP_FULL : BACKUP_WRITE, tmp, errno);
		goto undo;
	}
	fprintf(c.manifest, "sen-backup 1\nsen %s\ncreated %lld\n", version, (long long)time(NULL));
	db_failures_clear();
	if (db_backup(db, path) != 0) {
		fail(r, db_full_seen() ? BACKUP_FULL : BACKUP_DATABASE, path, 0);
		goto undo;
	}
	/* The copy is read back for its checksum, not the live file. */
	char hex[HEX_LEN + 1];
	uint64_t size;
	if (copy_hash(path, NULL, hex, &size, r) != 0)
		goto undo;
	fprintf(c.manifest, "file %s %llu sen.db\n", hex, (unsigned long long)size);
	c.count++;
	r->files++;
	r->bytes += size;
	char ini[PATH_MAX];
	if ((size_t)snprintf(ini, sizeof ini, "%s/sen.ini", data_dir) < sizeof ini &&
	    access(ini, F_OK) == 0 && copy_one(&c, "sen.ini") != 0)
		goto undo;
	char media[PATH_MAX];
	if ((size_t)snprintf(media, sizeof media, "%s/media", data_dir) < sizeof media &&
	    access(media, F_OK) == 0 && copy_tree(&c, "media") != 0)
		goto undo;
	if (manifest_finish(&c, tmp, final) != 0)
		goto undo;
	return 0;
undo:
	if (c.manifest != NULL)
		fclose(c.manifest);
	undo_dir(dest, made);
	return -1;
}

/* ---- reading a backup ------------------------------------------------------------ */

typedef struct {
	char hex[HEX_LEN + 1];
	uint64_t size;
	char path[PATH_MAX];
} manifest_line;

/* A path MANIFEST may name: sen.db, sen.ini or media/..., relative, no
 * empty, "." or ".." segment, no hidden one, no odd character. */
static bool safe_path(const char *p)
{
	if (strcmp(p, "sen.db") == 0 || strcmp(p, "sen.ini") == 0)
		return true;
	if (strncmp(p, "media/", 6) != 0)
		return false;
	const char *seg = p;
	for (const char *s = p;; s++) {
		if (*s == '/' || *s == '\0') {
			if (s == seg || *seg == '.')
				return false;
			if (*s == '\0')
				return true;
			seg = s + 1;
			continue;
		}
		char ch = *s;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' || ch == ','))
			return false;
	}
}

/* Reads src/MANIFEST into *lines (malloc'd). */
static int manifest_read(const char *src, manifest_line **lines, size_t *n, backup_result *r)
{
	char path[PATH_MAX];
	*lines = NULL;
	*n = 0;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", src, BACKUP_MANIFEST) >= sizeof path)
		return fail(r, BACKUP_READ, src, ENAMETOOLONG);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return fail(r, errno == ENOENT ? BACKUP_NO_MANIFEST : BACKUP_READ, path, errno);
	char line[PATH_MAX + 200];
	size_t cap = 0, lineno = 0;
	bool ended = false, has_db = false;
	int rc = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		size_t len = strlen(line);
		if (len == 0 || line[len - 1] != '\n' || ended) {
			rc = -1;
			break;
		}
		line[len - 1] = '\0';
		if (lineno == 1) {
			if (strcmp(line, "sen-backup 1") != 0)
				rc = -1;
		} else if (strncmp(line, "file ", 5) == 0) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				manifest_line *grown = cap <= MANIFEST_MAX_FILES
							   ? realloc(*lines, cap * sizeof **lines)
							   : NULL;
				if (grown == NULL) {
					rc = -1;
					break;
				}
				*lines = grown;
			}
			manifest_line *m = &(*lines)[*n];
			unsigned long long size;
			int used = 0;
			if (sscanf(line + 5, "%64[0-9a-f] %llu %n", m->hex, &size, &used) != 2 ||
			    strlen(m->hex) != HEX_LEN || used == 0 ||
			    (size_t)snprintf(m->path, sizeof m->path, "%s", line + 5 + used) >=
				sizeof m->path ||
			    !safe_path(m->path)) {
				rc = -1;
				break;
			}
			m->size = size;
			has_db |= strcmp(m->path, "sen.db") == 0;
			(*n)++;
		} else if (strncmp(line, "end ", 4) == 0) {
			ended = strtoul(line + 4, NULL, 10) == *n;
			if (!ended) {
				rc = -1;
				break;
			}
		} else if (strncmp(line, "sen ", 4) != 0 && strncmp(line, "created ", 8) != 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	if (rc == 0 && (!ended || !has_db))
		rc = -1;
	if (rc != 0) {
		char where[64];
		snprintf(where, sizeof where, "%s:%zu", BACKUP_MANIFEST, lineno);
		free(*lines);
		*lines = NULL;
		return fail(r, BACKUP_MANIFEST_BAD, where, 0);
	}
	return 0;
}

/* Compares (and, with dest, copies) every file of the manifest. */
static int manifest_walk(const char *src, const char *dest, const manifest_line *lines, size_t n,
			 backup_result *r)
{
	for (size_t i = 0; i < n; i++) {
		char from[PATH_MAX], to[PATH_MAX], hex[HEX_LEN + 1];
		uint64_t size;
		if ((size_t)snprintf(from, sizeof from, "%s/%s", src, lines[i].path) >= sizeof from ||
		    (dest != NULL &&
		     (size_t)snprintf(to, sizeof to, "%s/%s", dest, lines[i].path) >= sizeof to))
			return fail(r, BACKUP_READ, lines[i].path, ENAMETOOLONG);
		if (dest != NULL) {
			/* Its folders first (media/iiif/7/...). */
			for (char *s = strchr(to + strlen(dest) + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
				*s = '\0';
				int bad = mkdir(to, 0750) != 0 && errno != EEXIST;
				int e = errno;
				*s = '/';
				if (bad)
					return fail(r, storage_full(e) ? BACKUP_FULL : BACKUP_WRITE, to, e);
			}
		}
		if (copy_hash(from, dest != NULL ? to : NULL, hex, &size, r) != 0)
			return -1;
		if (size != lines[i].size || strcmp(hex, lines[i].hex) != 0)
			return fail(r, BACKUP_FILE_DAMAGED, from, 0);
		r->files++;
		r->bytes += size;
	}
	return 0;
}

int backup_verify(const char *src, backup_result *r)
{
	memset(r, 0, sizeof *r);
	manifest_line *lines;
	size_t n;
	if (manifest_read(src, &lines, &n, r) != 0)
		return -1;
	int rc = manifest_walk(src, NULL, lines, n, r);
	free(lines);
	return rc;
}

int backup_restore(const char *src, const char *data_dir, backup_result *r)
{
	memset(r, 0, sizeof *r);
	manifest_line *lines;
	size_t n;
	if (manifest_read(src, &lines, &n, r) != 0)
		return -1;
	/* Everything is read and compared before anything is written. */
	int rc = manifest_walk(src, NULL, lines, n, r);
	bool made = false;
	if (rc == 0)
		rc = take_dir(data_dir, &made, r);
	if (rc == 0) {
		r->files = 0;
		r->bytes = 0;
		rc = manifest_walk(src, data_dir, lines, n, r);
		if (rc == 0 && dir_sync(data_dir, true) != 0)
			rc = fail(r, BACKUP_WRITE, data_dir, errno);
		if (rc != 0)
			undo_dir(data_dir, made);
	}
	free(lines);
	return rc;
}

/* ---- checking a data directory ----------------------------------------------------- */

static int check_fail(check_result *r, enum check_problem p, const char *detail)
{
	r->problem = p;
	snprintf(r->detail, sizeof r->detail, "%s", detail != NULL ? detail : "");
	return p == CHECK_STORAGE ? -1 : 0;
}

/* Every picture and variant the database names is in media_dir with the
 * size it records. */
static int check_media(db_t *db, const char *media_dir, check_result *r)
{
	db_stmt *st = db_prepare(db, "SELECT file, bytes FROM media UNION ALL"
				     " SELECT file, bytes FROM media_variants");
	if (st == NULL)
		return check_fail(r, CHECK_STORAGE, "media");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *file = db_col_text(st, 0);
		char path[PATH_MAX];
		struct stat sb;
		r->media_files++;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", media_dir, file) >= sizeof path ||
		    stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			check_fail(r, CHECK_MEDIA_MISSING, file);
			break;
		}
		if ((int64_t)sb.st_size != db_col_int64(st, 1)) {
			check_fail(r, CHECK_MEDIA_SIZE, file);
			break;
		}
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return check_fail(r, CHECK_STORAGE, "media");
	return 0;
}

int check_data(db_t *db, const char *media_dir, check_result *r)
{
	memset(r, 0, sizeof *r);
	db_stmt *st = db_prepare(db, "PRAGMA integrity_check");
	if (st == NULL || db_step(st) != DB_ROW) {
		if (st != NULL)
			db_done(st);
		return check_fail(r, CHECK_INTEGRITY, db_errmsg(db));
	}
	if (strcmp(db_col_text(st, 0), "ok") != 0) {
		check_fail(r, CHECK_INTEGRITY, db_col_text(st, 0));
		db_done(st);
		return 0;
	}
	db_done(st);
	st = db_prepare(db, "SELECT \"table\" FROM pragma_foreign_key_check");
	if (st == NULL)
		return check_fail(r, CHECK_STORAGE, "foreign_key_check");
	int step = db_step(st);
	if (step == DB_ROW)
		check_fail(r, CHECK_FOREIGN_KEY, db_col_text(st, 0));
	db_done(st);
	if (step != DB_ROW && step != DB_DONE)
		return check_fail(r, CHECK_STORAGE, "foreign_key_check");
	if (r->problem != CHECK_OK)
		return 0;
	register_verify_result v;
	if (register_verify(db, &v) != 0)
		return check_fail(r, CHECK_STORAGE, "register");
	r->register_entries = v.entries;
	if (v.problem != REGISTER_FITS) {
		r->entry = v.entry;
		r->object_id = v.object_id;
		r->register_problem = (int)v.problem;
		return check_fail(r, CHECK_REGISTER, "");
	}
	return check_media(db, media_dir, r);
}
