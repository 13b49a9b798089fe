/*
 * media.h - the media store: pictures copied into the media folder under
 * random names, one row each in the `media` table.
 *
 * A stored file is named 32 lower-case hex characters (128 random bits from
 * libsodium) plus the extension of its detected type: "3f9c...e1.jpg". The
 * type comes from the content (libmagic), never from the uploader's file
 * name; only JPEG, PNG, WebP and GIF are accepted, at most MEDIA_MAX_BYTES
 * and MEDIA_MAX_PIXELS. Dimensions are read from the image header, so a
 * huge picture is refused before anything decodes it.
 *
 * why messages are Vietnamese sentences for the person who sent the file
 * ("Tệp không phải là ảnh JPEG, PNG, WebP hoặc GIF (text/plain).").
 * Functions return 0 on success, 1 for "not found" where noted, -1 on
 * failure (storage and I/O errors are logged; refusals only go to why).
 * The functions may be called from several threads.
 */
#ifndef SEN_MODEL_MEDIA_H
#define SEN_MODEL_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define MEDIA_MAX_BYTES (20u * 1024u * 1024u)
#define MEDIA_MAX_PIXELS (40u * 1000u * 1000u)
#define MEDIA_ORIGINAL_NAME_MAX 255   /* bytes, longer names are cut */
#define MEDIA_ALT_MAX 500             /* bytes */
/* Room for a stored name: 32 hex + '.' + "webp" + NUL, rounded up. */
#define MEDIA_FILE_MAX 48

/* What the content of a file turned out to be. mime and ext point to
 * static strings ("image/png", "png"). */
typedef struct {
	const char *mime;
	const char *ext;
	int width, height;
	size_t bytes;
} media_info;

/* A row of the media table; strings are allocated in the caller's arena. */
typedef struct {
	int64_t id;
	const char *file;
	const char *original_name;
	const char *mime;
	int64_t bytes;
	int width, height;
	const char *alt;
	const char *credit;
	int64_t created_at;
} media;

/*
 * Checks that src_path is a regular file holding an accepted picture within
 * the limits, without storing anything. Fills *info (may be NULL).
 * 0, or -1 with the reason in why.
 */
int media_check_file(const char *src_path, media_info *info, char *why, size_t whylen);

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

/* The row for a stored file name. 0 found, 1 not found, -1 error. */
int media_get_by_file(db_t *db, arena_t *a, const char *file, media *out);

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

/*
 * Reads the pixel size from the header of a picture in memory, for the
 * given mime type. 0, or -1 when the header is missing, truncated or says
 * 0 pixels. Exposed for tests and fuzzing; nothing is decoded.
 */
int media_image_size(const unsigned char *data, size_t len, const char *mime,
		     int *width, int *height);

#endif
