/*
 * category.h - news categories ("Tin hoạt động", ...).
 * Strings are allocated in the caller's arena. 0 ok, 1 not found, -1 error;
 * the back-office functions below also return a positive enum
 * category_problem when they refuse a change (nothing is written then), and
 * fill their model_problem p (problem.h; p may be NULL) with that code, the
 * field at fault ("name", "slug") and, for a name too long, the limit.
 *
 * A category's slug is the first segment of its addresses ("/tin-tuc"). A
 * rename that changes it keeps the old slug as a former one (table
 * category_slugs), and category_get_by_slug() still finds the category by
 * it, so bookmarks and links from other sites keep working.
 */
#ifndef SEN_MODEL_CATEGORY_H
#define SEN_MODEL_CATEGORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/problem.h"

#define CATEGORY_NAME_MAX 120
#define CATEGORY_SLUG_MAX 80      /* bytes of [a-z0-9-], as in sql/001_init.sql */
#define CATEGORY_LIST_MAX 500     /* a portal menu never has more */

typedef struct {
	int64_t id;
	const char *slug;
	const char *name;
	int position;
	int64_t articles;    /* articles of any status; only category_list_counts() fills it */
} category;

/* Why a change was refused (values above 1, "not found"). */
enum category_problem {
	CATEGORY_NOT_FOUND = 1,
	CATEGORY_NAME_EMPTY,       /* blank after trimming spaces */
	CATEGORY_NAME_LONG,        /* more than CATEGORY_NAME_MAX bytes */
	CATEGORY_NAME_INVALID,     /* not UTF-8, or a control character */
	CATEGORY_NAME_TAKEN,       /* another category has it, also ignoring marks and case */
	CATEGORY_SLUG_INVALID,     /* not 1..80 of a-z 0-9 '-', or '-' at an end */
	CATEGORY_SLUG_RESERVED,    /* a path the site uses for something else ("api") */
	CATEGORY_SLUG_TAKEN,       /* another category's slug, now or formerly */
	CATEGORY_NOT_EMPTY,        /* delete: articles still belong to it */
	CATEGORY_TOO_MANY,         /* already CATEGORY_LIST_MAX categories */
	CATEGORY_ORDER_STALE,      /* reorder: the ids are not exactly the categories */
};

/* Every category in display order. */
int category_list(db_t *db, arena_t *a, category **items, size_t *n);
/* The same list with `articles` filled (for the back office). */
int category_list_counts(db_t *db, arena_t *a, category **items, size_t *n);
int category_get(db_t *db, arena_t *a, int64_t id, category *out);
/* The category whose current slug, or else one of whose former slugs, is
 * slug. out->slug is always the current slug, so a caller can tell a former
 * one (strcmp) and redirect to the current address. */
int category_get_by_slug(db_t *db, arena_t *a, const char *slug, category *out);
/* Finds the category with this name (exact) or creates it at the end. */
int category_ensure(db_t *db, const char *name, int64_t *id);

/* ---- the back office ---- */

/* Checks a name (surrounding spaces ignored): 0 or a category_problem
 * (EMPTY, LONG, INVALID). Uniqueness needs the database: see below. */
int category_check_name(const char *name, model_problem *p);
/* Checks a slug typed by a person: 0, CATEGORY_SLUG_INVALID or
 * CATEGORY_SLUG_RESERVED. */
int category_check_slug(const char *slug, model_problem *p);
/*
 * Adds a category at the end. slug NULL or "" derives it from the name
 * ("Tin tức" -> "tin-tuc", numbered when taken); a slug given must be free.
 * The name must differ from every other category's, also after folding
 * ("Tin tức" and "tin tuc" collide). 0 with *id, a category_problem, or -1.
 */
int category_create(db_t *db, const char *name, const char *slug, int64_t *id, model_problem *p);
/*
 * Renames category id; slug as for category_create() (NULL or "" derives
 * it from the new name). When the slug changes, the old one becomes a former
 * slug of the category; a former slug of the same category may be taken
 * back. 0, a category_problem, or -1.
 */
int category_rename(db_t *db, int64_t id, const char *name, const char *slug, model_problem *p);
/* The former slugs of category id, newest first (at most 50), as strings
 * in the arena. 0 (also when none or no such category) or -1. */
int category_former_slugs(db_t *db, arena_t *a, int64_t id, const char ***slugs, size_t *n);
/* Moves category id by delta places in the display order (-1 up, +1 down;
 * clamped at the ends). Positions become 1..n. 0, CATEGORY_NOT_FOUND or -1. */
int category_shift(db_t *db, int64_t id, int delta, model_problem *p);
/* Sets the whole display order: ids must be every category exactly once
 * (else CATEGORY_ORDER_STALE: someone changed the list meanwhile). */
int category_reorder(db_t *db, const int64_t *ids, size_t n, model_problem *p);
/* Deletes an empty category and its former slugs. CATEGORY_NOT_EMPTY with
 * *articles (and p->count) set when articles (of any status) still belong
 * to it. */
int category_delete(db_t *db, int64_t id, int64_t *articles, model_problem *p);

#endif
