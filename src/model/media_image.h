/*
 * media_image.h - picture processing with libvips, in a background worker.
 *
 * An upload (media_store_upload) leaves a waiting row in media_jobs. The
 * worker takes waiting pictures one at a time, oldest first, and for each:
 *   - re-saves the stored original with every metadata block stripped
 *     (EXIF with GPS, XMP, IPTC, ICC, comments), upright per its EXIF
 *     orientation, replacing the uploaded file (GIF originals are kept);
 *   - makes the variants: MEDIA_IMAGE_WIDTHS wide (never wider than the
 *     original: a narrower picture gets one variant at its own width), each
 *     in the original's format (PNG for GIF) and in WebP, also stripped,
 *     named after the original: "3f9c...e1-320.jpg", "3f9c...e1-320.webp";
 *   - records them in media_variants, updates the picture's row (bytes,
 *     width and height after rotation) and deletes the job, in one
 *     transaction.
 * A picture that fails is tried again up to MEDIA_IMAGE_ATTEMPTS times (a
 * restart counts as a try), then marked failed with the reason: one of the
 * MEDIA_IMAGE_ERR_* catalog keys below, which the media page shows in the
 * reader's language. What libvips said (it names files by their absolute
 * path) goes only to the server log.
 *
 * libvips runs with one worker thread (vips_concurrency_set(1)), no
 * operation cache, untrusted loaders blocked, and the worker thread at a
 * lower scheduling priority, so that a 20-megapixel photo does not slow the
 * server's request threads. The job rows survive a restart: the serve
 * command calls media_image_start() which resumes them.
 *
 * Between uploads the worker also completes, one every few seconds, the
 * pictures that lack variants (media_image_complete_next below), so an
 * existing database fills in without anyone running `sen media variants`.
 *
 * Functions may be called from any thread; the worker uses its own
 * database connection (db_get()).
 */
#ifndef SEN_MODEL_MEDIA_IMAGE_H
#define SEN_MODEL_MEDIA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define MEDIA_IMAGE_WIDTHS {320, 800, 1600}
#define MEDIA_IMAGE_NWIDTHS 3
#define MEDIA_IMAGE_ATTEMPTS 3

/* Why processing failed (media_jobs.error; catalog keys, locale/media). */
#define MEDIA_IMAGE_ERR_PICTURE "admin_media_err_picture"   /* unreadable or damaged */
#define MEDIA_IMAGE_ERR_STORAGE "admin_media_err_storage"   /* the server cannot write */
#define MEDIA_IMAGE_ERR_ATTEMPTS "admin_media_err_attempts" /* gave up earlier */
/* Encoder settings of the variants (the re-saved JPEG original uses 90). */
#define MEDIA_IMAGE_JPEG_Q 82
#define MEDIA_IMAGE_WEBP_Q 80

/* Starts libvips once per process with the limits above. 0 or -1 (logged).
 * Called by the functions below; exposed for tests. */
int media_image_init(void);

/*
 * Processes picture media_id now, in the calling thread (the worker uses
 * it; so do tests and tools). Only a picture with a waiting job is
 * processed. 0 done, 1 nothing to do (no such picture, no waiting job),
 * -1 failed (the attempt is counted; after MEDIA_IMAGE_ATTEMPTS the job is
 * marked failed with the reason).
 */
int media_image_process(db_t *db, const char *media_dir, int64_t media_id);

/* Processes up to max waiting pictures in the calling thread, oldest
 * first; *done (may be NULL) counts those processed (failed ones too).
 * 0, or -1 when the queue cannot be read. */
int media_image_run_pending(db_t *db, const char *media_dir, int max, int *done);

/*
 * Pictures that came in another way than an upload (`sen import articles`,
 * `sen init --demo`, databases from before variants were made on every
 * path) have no job; these make what such a picture lacks: the same
 * variants as an upload's processing, recorded the same way, the original
 * left as it was (already published so; a JPEG re-saved loses a little).
 * Pictures with a job are left to the worker.
 *
 * media_image_missing: how many pictures lack variants (*count). 0 or -1.
 *
 * media_image_complete_next: completes the first picture after id *after
 * (0: from the start) that lacks variants, and sets *after to its id, so
 * that calling it again walks on: 0 completed, 1 none left, 2 this one
 * failed (logged; it stays served as its original), -1 the database
 * cannot be read or the worker is stopping. Running it over pictures that
 * are complete does nothing: a second run finds none.
 */
int media_image_missing(db_t *db, int64_t *count);
int media_image_complete_next(db_t *db, const char *media_dir, int64_t *after);

/* Starts the background worker for media_dir (a copy is kept) and lets it
 * resume the waiting pictures. Calling it again does nothing. 0 or -1. */
int media_image_start(const char *media_dir);

/* Tells the worker a picture is waiting; starts it first if it is not
 * running (so an upload is processed even when nobody called start). */
void media_image_wake(const char *media_dir);

/* Stops the worker: a picture being processed is finished or left waiting
 * for the next start; returns once the thread has ended. Safe when the
 * worker never started. */
void media_image_stop(void);

/* True while the worker is processing a picture (for tests). */
bool media_image_busy(void);

#endif
