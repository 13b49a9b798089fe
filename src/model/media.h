/*
 * media.h - the media library of the back office (issue 5, docs/MEDIA.md):
 * looking pictures up, listing them with search, filters and pages,
 * changing their texts, deleting them, and what a page needs to show one.
 *
 * Checking a file is media_format.h, storing it media_store.h (both
 * included here, so "model/media.h" is the one header callers need),
 * making its variants media_image.h.
 *
 * All strings returned are allocated in the caller's arena and die with
 * it. Functions return 0 on success, 1 for "not found" where noted, -1 on
 * failure (logged). The functions may be called from several threads.
 */
#ifndef SEN_MODEL_MEDIA_H
#define SEN_MODEL_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/media_format.h"
#include "model/media_store.h"

#define MEDIA_SEARCH_MAX 200          /* bytes of a search text */
#define MEDIA_PAGE_MAX 100            /* items per page at most */
#define MEDIA_VARIANTS_MAX 8          /* rows of media_variants per picture */

/* Where a picture is in its processing (media_jobs). */
enum media_state {
	MEDIA_READY = 0,      /* variants made (or stored before variants existed) */
	MEDIA_PROCESSING = 1, /* waiting for the worker; files not served yet */
	MEDIA_FAILED = 2,     /* the worker gave up; files not served */
};

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

/* The row for a stored file name. 0 found, 1 not found, -1 error. */
int media_get_by_file(db_t *db, arena_t *a, const char *file, media *out);

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
	const char *type;     /* "jpg", "png", "webp", "gif", "pdf" */
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
 * articles are in *uses, may be NULL) or while the museum's register holds
 * it, as a photo of an object card or a council session's signed minutes
 * (returns 4; the schema would refuse the delete anyway). Otherwise the
 * rows (picture, variants, job) go in one transaction, then the files: the
 * original and every variant. 0 deleted (*out, may be NULL, is the row as
 * it was), 1 not found, 3 in use, 4 held by the register, -1 error.
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
 * with the extension jpg, png, webp, gif or pdf, that is a stored picture
 * (or one of its variants) whose processing is not waiting or failed (until
 * then the upload still has its metadata), or a stored PDF (served only as
 * a download: portal_media). 0 yes, 1 no, -1 error.
 */
int media_servable(db_t *db, const char *file);

#endif
