/*
 * import.h - bulk import of articles from JSON Lines.
 *
 * One JSON object per line: title (string), body (Markdown string),
 * category (name), published_at (ISO 8601), optional summary (string),
 * tags (array of strings), images (array of {"src": PATH, "caption": TEXT}
 * where PATH is relative to the JSONL file's folder, or to media_src_dir
 * when given). Blank lines are skipped.
 *
 * Every line is validated before anything is written; every bad line is
 * reported with its number and reason. Then all articles are written in one
 * transaction: all or nothing. Images are copied into media_dir under new
 * random names; once the articles are in, each picture gets its variants
 * (widths for srcset, WebP) as an upload does (model/media_image.h).
 */
#ifndef SEN_MODEL_IMPORT_H
#define SEN_MODEL_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "db/db.h"

#define IMPORT_LINE_MAX (1024 * 1024)

typedef struct {
	long lines;       /* lines read */
	long imported;    /* articles written (0 when anything was bad) */
	long bad;         /* lines with an error */
	long pictures_failed; /* pictures imported whose variants could not be made */
} import_report;

/*
 * errors: each bad line is written as "FILE:LINE: reason" (one per line).
 * progress: if not NULL, a progress line is rewritten ("\r... 45% 4500/10000")
 * while validating, writing and making the pictures' variants. Returns 0 when everything was imported,
 * -1 otherwise (nothing written).
 */
int import_articles(db_t *db, const char *jsonl_path, const char *media_src_dir,
		    const char *media_dir, FILE *errors, FILE *progress, import_report *rep);

/* ---- Added by the importer (documented additions to the contract) ---- */

/* A published_at without an offset ("2021-01-18T08:30") is taken in this
 * offset, seconds east of UTC: Vietnam, +07:00. */
#define IMPORT_DEFAULT_UTC_OFFSET 25200

/* Sets that offset for later imports (the site's utc_offset setting).
 * Process-wide; call it before importing, not during. */
void import_set_utc_offset(int seconds);

/*
 * Checks one line (len bytes, without its newline) as pass 1 does: JSON,
 * every field, image paths (relative, no "..") and image files under
 * base_dir (they exist and the media store accepts them). Writes nothing
 * and needs no database. Returns 0 when the line is good, 1 when it is
 * blank (skipped by the importer), -1 with a one-line reason in why.
 */
int import_validate_line(const char *line, size_t len, const char *base_dir, char *why,
			 size_t whylen);

#endif
