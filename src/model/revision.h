/*
 * revision.h - the saved versions of an article (table article_revisions,
 * sql/005_editorial.sql), saving an article together with its version,
 * restoring an old one, and a line-based comparison of two texts.
 *
 * Every save from the back office goes through revision_save(), which
 * writes the article and its new version in one transaction: a version
 * exists exactly when its save happened. Versions are never changed;
 * restoring one saves its content again as a new version.
 *
 * Strings in returned structs live in the caller's arena. Functions return
 * 0 on success, 1 for "not found" where noted, -1 on a storage error or a
 * refused input (logged). Times are Unix seconds passed in by the caller.
 */
#ifndef SEN_MODEL_REVISION_H
#define SEN_MODEL_REVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"

#define REVISION_NOTE_MAX 200        /* bytes */
#define REVISION_LIST_MAX 200        /* versions revision_list() returns at most */
/* Texts with more lines than this are not compared: the comparison costs
 * time in proportion to the product of the two line counts. */
#define REVISION_DIFF_MAX_LINES 5000

typedef struct {
	int64_t id;
	int64_t article_id;
	int64_t user_id;             /* 0 = nobody (the article as imported) */
	const char *user_name;       /* "" when nobody */
	int64_t created_at;
	const char *title;
	const char *summary;
	const char *body_md;         /* only filled by revision_get() */
	int64_t category_id;
	const char **tags;           /* only filled by revision_get() */
	size_t ntags;
	article_image *images;       /* only filled by revision_get(); file and
				      * caption, no size */
	size_t nimages;
	const char *note;            /* "" for an ordinary save */
} revision;

/*
 * Saves an article and records the version, in one transaction.
 * *article_id == 0: creates the article (in->status, published_at and
 * author_id as article_create takes them) and sets *article_id.
 * Otherwise updates it (article_update); when the article has no version
 * yet (it was imported, or written before versions existed), its content
 * as it was is recorded first, with the note "original", so the first edit
 * can be compared with what was there.
 * user_id / user_name: who saved. note: NULL or "" for an ordinary save.
 * 0, 1 (article not found), -1 (refused input, storage error).
 */
int revision_save(db_t *db, arena_t *a, int64_t *article_id, const article_input *in,
		  int64_t user_id, const char *user_name, int64_t now, const char *note);

/*
 * revision_save() for a person acting in the back office: an update is
 * refused (2, nothing written) when article_may(role, user_id, ...,
 * ARTICLE_EDIT) says no at the moment of writing, checked inside the
 * write transaction (an editor may have published the draft since the
 * author's form was checked). Creating (*article_id == 0) is not checked.
 * 0, 1 not found, 2 refused, -1.
 */
int revision_save_as(db_t *db, arena_t *a, int64_t *article_id, const article_input *in,
		     int role, int64_t user_id, const char *user_name, int64_t now);

/* The versions of an article, newest first, without body, tags or
 * pictures; up to limit (1..REVISION_LIST_MAX). 0 or -1. */
int revision_list(db_t *db, arena_t *a, int64_t article_id, int limit, revision **items,
		  size_t *n);

/* One version of one article, in full. 0, 1 when there is no such version
 * of that article (another article's version is "not found" too), -1. */
int revision_get(db_t *db, arena_t *a, int64_t article_id, int64_t id, revision *out);

/*
 * Saves the content of version `id` of the article again, as a new version
 * with the note "restore ID" (*new_id, may be NULL, gets its id). Pictures
 * no longer in the media store are left out. 0; 1 when the version or the
 * article does not exist; 2 when its category no longer exists; -1.
 * Permission is the caller's business (article_may ARTICLE_EDIT).
 */
int revision_restore(db_t *db, arena_t *a, int64_t article_id, int64_t id, int64_t user_id,
		     const char *user_name, int64_t now, int64_t *new_id);

/* The text two versions are compared by: the title, the summary, the tags
 * and pictures, and the body, one after another (arena). NULL when out of
 * memory. */
char *revision_document(arena_t *a, const revision *r);

/* ---- comparing two texts ------------------------------------------------------ */

enum revision_op {
	REVISION_SAME = 0,
	REVISION_ADDED = 1,
	REVISION_REMOVED = 2,
};

typedef struct {
	enum revision_op op;
	const char *line;            /* without its line break; in the arena */
} revision_diff_line;

/*
 * Compares two texts line by line (a longest common subsequence of lines;
 * "\r\n" and "\n" both end a line): the result turns old_text into
 * new_text, removed lines before the added lines that replace them. Time
 * grows with the product of the line counts, memory with their sum
 * (Hirschberg's method). NULL texts are empty.
 * 0 with *out (arena) and *n; 1 when either text has more than
 * REVISION_DIFF_MAX_LINES lines (nothing compared); -1 out of memory.
 */
int revision_diff(arena_t *a, const char *old_text, const char *new_text,
		  revision_diff_line **out, size_t *n);

#endif
