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
 * random names.
 */
#ifndef SEN_MODEL_IMPORT_H
#define SEN_MODEL_IMPORT_H

#include <stdio.h>

#include "db/db.h"

#define IMPORT_LINE_MAX (1024 * 1024)

typedef struct {
	long lines;       /* lines read */
	long imported;    /* articles written (0 when anything was bad) */
	long bad;         /* lines with an error */
} import_report;

/*
 * errors: each bad line is written as "FILE:LINE: reason" (one per line).
 * progress: if not NULL, a progress line is rewritten ("\r... 45% 4500/10000")
 * while validating and writing. Returns 0 when everything was imported,
 * -1 otherwise (nothing written).
 */
int import_articles(db_t *db, const char *jsonl_path, const char *media_src_dir,
		    const char *media_dir, FILE *errors, FILE *progress, import_report *rep);

#endif
