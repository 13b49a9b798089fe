/*
 * publication.h - the museum's publications ("ấn phẩm"): books and
 * catalogues it wrote or published, with an ISBN checked by its checksum,
 * a cover picture and an optional PDF from the media library, shown on
 * the portal when public.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too
 * (reg_check.h); no prose. Strings of returned records live in the
 * caller's arena.
 */
#ifndef SEN_MODEL_PUBLICATION_H
#define SEN_MODEL_PUBLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define PUBLICATION_TITLE_MAX 300
#define PUBLICATION_AUTHORS_MAX 1000
#define PUBLICATION_PUBLISHER_MAX 300
#define PUBLICATION_DESCRIPTION_MAX 20000
#define PUBLICATION_YEAR_MIN 1800
#define PUBLICATION_YEAR_MAX 2100
#define PUBLICATION_PAGES_MAX 100000
#define PUBLICATION_LIST_MAX 1000

/*
 * Reads an ISBN as people write it ("978-604-0-12345-6", "0 306 40615 2",
 * a lower-case final x) into out: 10 or 13 characters, digits and a final
 * 'X' for ISBN-10, nothing else. true when it has the right length and its
 * check digit is right (ISBN-10: sum of digit x weight 10..1 divisible by
 * 11; ISBN-13: weights 1, 3 alternating, sum divisible by 10, prefix 978
 * or 979).
 */
bool publication_isbn_normalise(const char *in, char out[14]);

typedef struct {
	int64_t id;
	const char *title;
	const char *authors;      /* as written: "Nguyễn Văn A, Trần Thị B" */
	int64_t year;
	const char *publisher;
	const char *isbn;         /* in: as typed ("" none); out: normalised */
	int64_t pages;            /* 0: not known */
	int64_t cover_media_id;   /* 0: none; a picture of the library */
	int64_t pdf_media_id;     /* 0: none; a PDF of the library */
	const char *description;
	int64_t is_public;        /* 1: shown on the portal */
	int64_t updated_at;       /* read only */
} publication;

/* Checks every field without storage: 0 or a reg_problem (fields: title,
 * authors, year (REG_OUT_OF_RANGE), publisher, isbn (REG_BAD_NUMBER when
 * the checksum or length is wrong), pages (REG_OUT_OF_RANGE), description). */
int publication_check(const publication *p, model_problem *f);

/* Adds one (p->isbn stored normalised): 0 with *id, a reg_problem
 * (REG_DUPLICATE on isbn; REG_NOT_FOUND / REG_NOT_PICTURE on
 * cover_media_id; REG_NOT_FOUND / REG_BAD_CHOICE on pdf_media_id), or -1. */
int publication_add(db_t *db, const publication *p, int64_t *id, model_problem *f);
/* Replaces every field of p->id: the same answers, REG_NOT_FOUND on "id". */
int publication_update(db_t *db, const publication *p, model_problem *f);
/* Deletes one: 0, REG_NOT_FOUND on "id", or -1. */
int publication_delete(db_t *db, int64_t id, model_problem *f);
/* 0, 1 not found, -1. */
int publication_get(db_t *db, arena_t *a, int64_t id, publication *out);

/* Every publication (only_public: those shown on the portal), newest year
 * first, at most PUBLICATION_LIST_MAX (arena). 0 or -1. */
int publication_list(db_t *db, arena_t *a, bool only_public, publication **items, size_t *n);

/* The public publications matching match (an FTS5 expression of the
 * site's search), best first: at most limit after offset, and *total
 * counted up to count_max. 0 or -1. */
int publication_search(db_t *db, arena_t *a, const char *match, int64_t offset, size_t limit,
		       int64_t count_max, publication **items, size_t *n, int64_t *total);

#endif
