/*
 * backup.h - a data directory's backup, its restore and its check (issue 15).
 *
 * A backup is a folder: sen.db, copied with SQLite's online backup API
 * (db_backup: the database as of one commit, while the server goes on
 * serving and writing), sen.ini when there is one, media/ (every file
 * below the data directory's media folder), and MANIFEST, written last
 * (to a temporary name, flushed, renamed): a folder without it is a
 * partial backup. MANIFEST is text:
 *
 *   sen-backup 1
 *   sen VERSION
 *   created UNIX_SECONDS
 *   file SHA256 SIZE PATH       one line per file (PATH relative, '/')
 *   end COUNT
 *
 * A restore reads the whole backup and compares every file with its line
 * (size and SHA-256) before it writes anything, and writes only into an
 * empty (or missing) data directory; what it wrote is removed again when
 * it fails. Paths are checked: relative, no empty, "." or ".." segment, no
 * segment starting with '.', only sen.db, sen.ini and media/... (letters, digits, . _ - ,)
 *
 * Functions fill a backup_result (the problem, the path at fault, errno)
 * and return 0 or -1; the command line words it. Nothing here sees a
 * request.
 */
#ifndef SEN_MODEL_BACKUP_H
#define SEN_MODEL_BACKUP_H

#include <limits.h>
#include <stdint.h>

#include "db/db.h"

enum backup_problem {
	BACKUP_OK = 0,
	BACKUP_DEST_NOT_EMPTY,   /* the backup folder or restore target holds files */
	BACKUP_FULL,             /* storage ran out (ENOSPC, EDQUOT, EFBIG) at path */
	BACKUP_WRITE,            /* cannot create or write path (errno) */
	BACKUP_READ,             /* cannot read path (errno) */
	BACKUP_DATABASE,         /* the database copy failed */
	BACKUP_NO_MANIFEST,      /* no MANIFEST: not a backup, or a partial one */
	BACKUP_MANIFEST_BAD,     /* MANIFEST malformed or cut short (path: the line) */
	BACKUP_FILE_MISSING,     /* a file MANIFEST lists is not there */
	BACKUP_FILE_DAMAGED,     /* a file's size or SHA-256 differs from MANIFEST */
};

typedef struct {
	enum backup_problem problem;
	char path[PATH_MAX];     /* the file at fault ("" when none) */
	int err;                 /* errno of a read or write, else 0 */
	unsigned long files;     /* files copied or verified */
	uint64_t bytes;          /* their bytes */
} backup_result;

#define BACKUP_MANIFEST "MANIFEST"

/* Backs up data_dir (db: its database, open) into dest, a new or empty
 * folder; version is written into MANIFEST. On failure everything written
 * below dest is removed (and dest itself when this call made it); the data
 * directory is never written. 0 or -1. */
int backup_make(db_t *db, const char *data_dir, const char *dest, const char *version,
		backup_result *r);

/* Reads src's MANIFEST and every file it lists; 0 when all fit. */
int backup_verify(const char *src, backup_result *r);

/* backup_verify(src), then copies it into data_dir (new or empty),
 * checking each copy against MANIFEST again. 0 or -1. */
int backup_restore(const char *src, const char *data_dir, backup_result *r);

/* What `sen check` finds in a data directory, first problem first. */
enum check_problem {
	CHECK_OK = 0,
	CHECK_INTEGRITY,         /* PRAGMA integrity_check: detail = its first line */
	CHECK_FOREIGN_KEY,       /* a row points nowhere: detail = table */
	CHECK_REGISTER,          /* the register's hash chain: entry, object */
	CHECK_MEDIA_MISSING,     /* a picture the database names is not there: detail = file */
	CHECK_MEDIA_SIZE,        /* its size is not the one recorded: detail = file */
	CHECK_STORAGE,           /* a read failed */
};

typedef struct {
	enum check_problem problem;
	char detail[256];
	int64_t entry, object_id;    /* CHECK_REGISTER */
	int register_problem;        /* enum register_break of CHECK_REGISTER */
	unsigned long media_files;   /* pictures and variants looked at */
	int64_t register_entries;
} check_result;

/* Checks the database db and the pictures below media_dir. 0 with
 * r->problem set (CHECK_OK when all is well), or -1 (CHECK_STORAGE). */
int check_data(db_t *db, const char *media_dir, check_result *r);

#endif
