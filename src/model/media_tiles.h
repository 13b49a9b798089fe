/*
 * media_tiles.h - deep-zoom tiles of the register's photos (issue 13): one
 * IIIF Image API level 0 tile set per picture shown on an object card, made
 * once by libvips dzsave (IIIF 3 layout, libvips 8.14 of Debian 12) in the
 * background worker of media_image.h, never in a request.
 *
 * On disk: MEDIA_DIR/iiif/MEDIA_ID/ holds info.json and the tiles as dzsave
 * names them, REGION/SIZE/0/default.jpg with REGION "x,y,w,h" in the
 * picture's pixels and SIZE "w,h" of the tile. A set is written into a
 * temporary folder (MEDIA_DIR/iiif/.tmp-*) and renamed into place whole,
 * then its row (media_tiles, sql/014_iiif.sql) says ready: a killed process
 * leaves no half set under a served name, and the next run sweeps the
 * leftovers. The info.json on disk names a placeholder id; whoever serves it
 * puts the public URL in (the site's address may change after the tiles).
 *
 * Which sets may be shown is the model's rule too: a ready set of a picture
 * that is a photo of at least one public object (media_tiles_public).
 *
 * Functions may be called from any thread with that thread's connection.
 * 0 / 1 / -1 as stated; -1 is logged.
 */
#ifndef SEN_MODEL_MEDIA_TILES_H
#define SEN_MODEL_MEDIA_TILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define MEDIA_TILES_DIR "iiif"     /* below the media folder */
#define MEDIA_TILES_SIZE 512       /* tile side in pixels */
#define MEDIA_TILES_JPEG_Q 85
#define MEDIA_TILES_ATTEMPTS 3
/* The id dzsave writes into info.json; replaced when served. */
#define MEDIA_TILES_PLACEHOLDER_ID "https://sen.invalid/iiif"
/* Why a set failed (media_tiles.error; catalog keys). */
#define MEDIA_TILES_ERR_PICTURE "admin_media_err_picture"
#define MEDIA_TILES_ERR_STORAGE "admin_media_err_storage"

/* Where a picture's tiles are (enum of media_tiles.state, plus none). */
enum media_tiles_state {
	MEDIA_TILES_WAITING = 0,
	MEDIA_TILES_READY = 1,
	MEDIA_TILES_FAILED = 2,
	MEDIA_TILES_NONE = 3,   /* no row: not (yet) a photo of an object */
};

typedef struct {
	int state;            /* enum media_tiles_state */
	int width, height;    /* of the picture, when ready */
} media_tiles_info;

/*
 * Makes the tile set of picture media_id now, in the calling thread (the
 * worker calls it; so do tests and the benchmark). libvips must have been
 * started (media_image_init). Only a photo of an object whose variants are
 * made and whose set is not ready or failed is tiled. 0 made, 1 nothing to
 * do, -1 failed (the attempt is counted; after MEDIA_TILES_ATTEMPTS the row
 * says failed).
 */
int media_tiles_make(db_t *db, const char *media_dir, int64_t media_id);

/* Makes up to max waiting sets, oldest picture first; *done (may be NULL)
 * counts those tried. The first call of a process sweeps temporary folders
 * a killed run left. 0, or -1 when the queue cannot be read. */
int media_tiles_run_pending(db_t *db, const char *media_dir, int max, int *done);

/* Writes a tile set of the picture file src into MEDIA_DIR/iiif/NAME,
 * replacing one that is there, through a temporary folder and a rename;
 * *width and *height are the picture's. No database. For tests and the
 * benchmark (media_tiles_make uses it). 0 or -1 (why filled). */
int media_tiles_write(const char *media_dir, const char *src, const char *name, int *width,
		      int *height, char *why, size_t whylen);

/* The state of a picture's tiles. 0 (also for MEDIA_TILES_NONE) or -1. */
int media_tiles_get(db_t *db, int64_t media_id, media_tiles_info *out);

/* Whether a visitor may see picture media_id's tiles: they are ready and it
 * is a photo of a public object. 0 yes (*out filled, may be NULL), 1 no,
 * -1 error. */
int media_tiles_public(db_t *db, int64_t media_id, media_tiles_info *out);

/* Removes a picture's tile set from the disk (the row goes with the
 * picture's). Safe when there is none. */
void media_tiles_remove(const char *media_dir, int64_t media_id);

/*
 * The file of a tile request below the picture's tile folder, from the
 * IIIF Image API 3 path segments region/size/rotation/quality.format,
 * accepting only what dzsave writes: region "full" or "x,y,w,h", size
 * "max" or "w,h" (decimal, no sign, no leading zero, each at most 100000),
 * rotation "0", "default.jpg". "full" and "max" are written as the numbers
 * dzsave uses (the whole picture, width x height; OpenSeadragon asks for
 * them by name).
 * 0 with out (at least 64 bytes) "x,y,w,h/w,h/0/default.jpg"; 1 malformed
 * (the caller answers 400); 2 well formed but no tile of this picture: a
 * region outside it, a size larger than its region, another rotation or
 * quality (404). Nothing is read: whether the file exists is the caller's
 * next step, below the tile folder only.
 */
int media_tiles_path(int width, int height, const char *region, const char *size,
		     const char *rotation, const char *file, char *out, size_t len);

#endif
