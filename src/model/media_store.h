/*
 * media_store.h - pictures copied into the media folder under random names,
 * one row each in the `media` table.
 *
 * A stored file is named 32 lower-case hex characters (128 random bits from
 * libsodium) plus the extension of its detected type: "3f9c...e1.jpg".
 * What is stored is exactly what was checked (media_format.h): the file is
 * read once, and the same bytes are checked and written.
 *
 * why messages are Vietnamese sentences for the person who sent the file.
 * Functions return 0 on success, -1 on failure (storage and I/O errors are
 * logged; refusals only go to why). The stored name is written to the
 * caller's buffer; nothing is allocated for the caller. The functions may
 * be called from several threads.
 */
#ifndef SEN_MODEL_MEDIA_STORE_H
#define SEN_MODEL_MEDIA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "model/media_format.h"

#define MEDIA_ORIGINAL_NAME_MAX 255   /* bytes, longer names are cut */
#define MEDIA_ALT_MAX 500             /* bytes */
#define MEDIA_CREDIT_MAX 500          /* bytes */
/* Room for a stored name: 32 hex + '.' + "webp" + NUL, rounded up. */
#define MEDIA_FILE_MAX 48

/*
 * Copies the picture at src_path into media_dir under a new random name
 * (written to a temporary file, fsync'ed, renamed, folder fsync'ed) and
 * inserts its row (inside the caller's transaction if one is open).
 * original_name is kept for people (its folder part dropped, cut to
 * MEDIA_ORIGINAL_NAME_MAX bytes); alt (may be NULL) is the default
 * description. On success *media_id (may be NULL) is the row id and
 * file_out (file_out_len >= MEDIA_FILE_MAX) the stored name. On failure
 * nothing is left behind in media_dir or the table; -1 with why.
 */
int media_store_file(db_t *db, const char *media_dir, const char *src_path,
		     const char *original_name, const char *alt, int64_t *media_id,
		     char *file_out, size_t file_out_len, char *why, size_t whylen);

/* media_store_file() that also reports what was stored in *info (may be
 * NULL): the importer needs the dimensions for article_image. */
int media_store_file_info(db_t *db, const char *media_dir, const char *src_path,
			  const char *original_name, const char *alt, int64_t *media_id,
			  char *file_out, size_t file_out_len, media_info *info,
			  char *why, size_t whylen);

/*
 * Stores an upload of the back office: media_check_upload(), then like
 * media_store_file_info() with the credit too, and a waiting job
 * (media_jobs) in the same transaction, so the picture is processed even if
 * the server stops before the worker sees it. alt and credit are required
 * by the caller's form; here they only have to be UTF-8 within their caps.
 * The caller wakes the worker (media_image_wake). 0, or -1 with why.
 */
int media_store_upload(db_t *db, const char *media_dir, const char *src_path,
		       const char *original_name, const char *alt, const char *credit,
		       int64_t *media_id, char *file_out, size_t file_out_len, media_info *info,
		       char *why, size_t whylen);

/* True if file could be a stored name: 1..100 bytes of [A-Za-z0-9._-], not
 * starting with '.' (the rule of the media table; no paths, no dot files).
 * Whoever serves /media/NAME checks this first. */
bool media_file_name_valid(const char *file);

/*
 * Deletes a stored file from media_dir (not its row): the importer uses it
 * to take back copies when its transaction rolls back. A missing file is
 * not an error. 0 or -1 (logged).
 */
int media_remove_file(const char *media_dir, const char *file);

#endif
