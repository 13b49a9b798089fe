/*
 * tag.h - tags ("Thẻ") as the back office manages them: list with usage
 * counts, search, rename, merge, delete. Articles get their tags when they
 * are written (model/article.c); this file never creates a tag.
 *
 * A tag's identity is its slug (sql/001_init.sql): "Điện Biên" and
 * "dien bien" are one tag, so a rename whose slug belongs to another tag is
 * refused (merge them instead).
 *
 * Strings are allocated in the caller's arena. Functions return 0 ok, 1 not
 * found, -1 error, or a positive enum tag_problem when they refuse a change
 * (nothing is written then); the refusing ones also fill their
 * model_problem p (problem.h; p may be NULL) with that code and the field
 * at fault ("name", "into").
 */
#ifndef SEN_MODEL_TAG_H
#define SEN_MODEL_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/problem.h"

#define TAG_NAME_MAX 64      /* bytes, as in sql/001_init.sql and ARTICLE_TAG_MAX */
#define TAG_QUERY_MAX 200    /* bytes of a search; longer is refused */
#define TAG_PAGE_MAX 200     /* rows one tag_list() call returns at most */

typedef struct {
	int64_t id;
	const char *slug;
	const char *name;
	int64_t uses;        /* articles (of any status) carrying it */
} tag;

enum tag_problem {
	TAG_NOT_FOUND = 1,
	TAG_NAME_EMPTY,      /* blank after trimming spaces */
	TAG_NAME_LONG,       /* more than TAG_NAME_MAX bytes */
	TAG_NAME_INVALID,    /* not UTF-8, a control character, or no letter or digit */
	TAG_NAME_TAKEN,      /* its slug is another tag's: merge instead */
	TAG_MERGE_SELF,      /* merge into itself */
};

/*
 * Tags ordered by slug, optionally only those whose slug contains the slug
 * of query ("điện biên" finds "Điện Biên Phủ"; NULL or "" lists all),
 * skipping `offset`, at most `limit` (1..TAG_PAGE_MAX). *more tells whether
 * further rows follow. A query with no letter or digit finds nothing.
 */
int tag_list(db_t *db, arena_t *a, const char *query, size_t offset, size_t limit, tag **items,
	     size_t *n, bool *more);
int tag_get(db_t *db, arena_t *a, int64_t id, tag *out);
/* The tag whose slug is the slug of name ("dien bien" finds "Điện Biên"). */
int tag_find(db_t *db, arena_t *a, const char *name, tag *out);
/* Checks a name (surrounding spaces ignored): 0 or a tag_problem. */
int tag_check_name(const char *name, model_problem *p);
/* Renames: the new spelling, and the slug that follows from it. 0, a
 * tag_problem (TAG_NAME_TAKEN when the slug is another tag's), or -1. */
int tag_rename(db_t *db, int64_t id, const char *name, model_problem *p);
/*
 * Merges tag `from` into tag `into`: every article carrying `from` carries
 * `into` instead (once, at from's place when it had not both), then `from`
 * is deleted. *moved (may be NULL) gets the number of articles that gained
 * `into`. 0, TAG_NOT_FOUND, TAG_MERGE_SELF or -1.
 */
int tag_merge(db_t *db, int64_t from, int64_t into, int64_t *moved, model_problem *p);
/* Deletes a tag and removes it from every article; *uses (may be NULL) gets
 * how many carried it. 0, TAG_NOT_FOUND or -1. */
int tag_delete(db_t *db, int64_t id, int64_t *uses, model_problem *p);

#endif
