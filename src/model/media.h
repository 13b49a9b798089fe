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

/* ------------------------------------------------------------------ */
/* The media library of the back office (issue 5). docs/MEDIA.md.     */
/* ------------------------------------------------------------------ */

#define MEDIA_CREDIT_MAX 500          /* bytes */
#define MEDIA_SEARCH_MAX 200          /* bytes of a search text */
#define MEDIA_PAGE_MAX 100            /* items per page at most */
#define MEDIA_VARIANTS_MAX 8          /* rows of media_variants per picture */

/* Where a picture is in its processing (media_jobs). */
enum media_state {
	MEDIA_READY = 0,      /* variants made (or stored before variants existed) */
	MEDIA_PROCESSING = 1, /* waiting for the worker; files not served yet */
	MEDIA_FAILED = 2,     /* the worker gave up; files not served */
};

/*
 * The stricter check for files sent through the back office: everything
 * media_check_file() checks, and also only JPEG, PNG and WebP (no GIF), and
 * the structure of the file (media_check_structure). 0, or -1 with why.
 */
int media_check_upload(const char *src_path, media_info *info, char *why, size_t whylen);

/*
 * Walks the structure of a picture already known (by libmagic) to be mime:
 * refuses a truncated file (a JPEG without its end marker, a PNG without
 * IEND, a WebP shorter than its RIFF size), bytes after the end of the
 * picture (the usual way to make a file that is also HTML, a ZIP or a
 * script: a "polyglot"), and markup (<script, <html, <?php, <svg, <!doctype,
 * <iframe) inside metadata segments. Nothing is decoded. 0, or -1 with why.
 * Exposed for tests and fuzzing.
 */
int media_check_structure(const unsigned char *data, size_t len, const char *mime, char *why,
			  size_t whylen);

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

/* A picture of the library with its state (list and item pages). */
typedef struct {
	media m;
	int state;            /* enum media_state */
	const char *error;    /* why processing failed (a MEDIA_IMAGE_ERR_* key), or "" */
	const char *thumb;    /* smallest variant in the original's format, or
			       * the original itself when there is none */
	int nvariants;
} media_item;

/* What the library may be filtered by. Strings may be NULL or "". */
typedef struct {
	const char *q;        /* part of alt, credit or original name (ASCII
			       * letters compared without case) */
	const char *type;     /* "jpg", "png", "webp", "gif" */
	int64_t from, to;     /* created_at in [from, to); 0 = unbounded */
} media_filter;

/* Keyset position in the list (newest first). */
typedef struct {
	int64_t created_at;
	int64_t id;
} media_cursor;

/* "created.id" into out (>= 48 bytes); parse: 0 or -1. */
void media_cursor_encode(const media_cursor *c, char *out, size_t len);
int media_cursor_parse(const char *s, media_cursor *c);

/*
 * One page of the library, newest first, after *after (NULL: the first
 * page): at most limit (1..MEDIA_PAGE_MAX) items into *items (arena);
 * *more tells whether another page follows. 0 or -1.
 */
int media_list(db_t *db, arena_t *a, const media_filter *f, const media_cursor *after,
	       size_t limit, media_item **items, size_t *n, bool *more);

/* One picture by id. 0 found, 1 not found, -1 error. */
int media_get_item(db_t *db, arena_t *a, int64_t id, media_item *out);

/* Changes alt and credit. 0, 1 not found, 2 refused (not UTF-8, too long),
 * -1 error. */
int media_update_text(db_t *db, int64_t id, const char *alt, const char *credit);

/* An article that shows a picture (as its thumbnail or among its images). */
typedef struct {
	int64_t id;
	const char *title;
	const char *category_slug;
	const char *slug;
	int status;           /* enum article_status */
	int64_t author_id;    /* 0 = none (imported) */
	int64_t published_at; /* Unix s */
} media_use;

/* The articles using picture id (articles.image_id or article_images),
 * at most 50, into *uses (arena). 0 or -1. */
int media_usage(db_t *db, arena_t *a, int64_t id, media_use **uses, size_t *n);

/*
 * Deletes picture id: refused while an article uses it (returns 3; the
 * articles are in *uses, may be NULL). Otherwise the rows (picture,
 * variants, job) go in one transaction, then the files: the original and
 * every variant. 0 deleted (*out, may be NULL, is the row as it was),
 * 1 not found, 3 in use, -1 error.
 */
int media_delete(db_t *db, arena_t *a, const char *media_dir, int64_t id, media *out,
		 media_use **uses, size_t *nuses);

/* A resized copy of a picture (media_variants). */
typedef struct {
	const char *file;
	const char *format;   /* "jpg", "png" or "webp" */
	int width, height;
	int64_t bytes;
} media_variant;

/* The variants of picture id, by format then width, into *out (arena). */
int media_variants(db_t *db, arena_t *a, int64_t id, media_variant **out, size_t *n);

/*
 * What a page needs to show stored file `file` at several sizes: src (the
 * URL of a variant of about 800 pixels in the original's format, or of the
 * original when there are none), srcset ("/media/x-320.jpg 320w, ...",
 * "" when there are no variants), webp_srcset (the same in WebP; "" when
 * none or when the original is WebP itself), width/height of src. In the
 * arena. 0, 1 when file is no stored picture, -1 error.
 */
typedef struct {
	const char *src;
	const char *srcset;
	const char *webp_srcset;
	int width, height;
	const char *alt;      /* the picture's alt text and credit, may be "" */
	const char *credit;
} media_responsive;

int media_responsive_for(db_t *db, arena_t *a, const char *file, media_responsive *out);

/*
 * May /media/file be served? Only a name media_file_name_valid() accepts,
 * with the extension jpg, png, webp or gif, that is a stored picture (or
 * one of its variants) whose processing is not waiting or failed (until
 * then the upload still has its metadata). 0 yes, 1 no, -1 error.
 */
int media_servable(db_t *db, const char *file);

#endif
