/*
 * link.h - the "Liên kết website" block: ordered links to other sites.
 * Strings are allocated in the caller's arena. 0 ok, 1 not found, -1 error.
 * Used by `sen links` (cli/site.c), the public block (portal/page.c) and
 * the back office (admin/links_page.c).
 */
#ifndef SEN_MODEL_LINK_H
#define SEN_MODEL_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/problem.h"

#define LINK_TITLE_MAX 200
#define LINK_URL_MAX 2000
#define LINK_LIST_MAX 500          /* a block of links never needs more */

/* Why link_check() refuses a title or an address. */
enum link_problem {
	LINK_OK = 0,
	LINK_TITLE_EMPTY,
	LINK_TITLE_LONG,           /* more than LINK_TITLE_MAX bytes */
	LINK_TITLE_UTF8,           /* not UTF-8 */
	LINK_TITLE_CONTROL,        /* a control character */
	LINK_URL_EMPTY,
	LINK_URL_LONG,             /* more than LINK_URL_MAX bytes */
	LINK_URL_UTF8,             /* not UTF-8 */
	LINK_URL_INVALID,          /* spaces, quotes, <>, \, ` or controls */
	LINK_URL_SCHEME,           /* not http(s):// nor (when allowed) '/': javascript:, //host */
	LINK_URL_HOST,             /* http:// without a host */
	LINK_URL_USERINFO,         /* user@host shows one site and opens another */
};
/* link_check() flag: a path inside the site ("/tin-tuc") is allowed. */
#define LINK_ALLOW_PATH 1u

typedef struct {
	int64_t id;
	const char *title;
	const char *url;
	int position;
} link_item;

int link_list(db_t *db, arena_t *a, link_item **items, size_t *n);
/* Validates (title 1..LINK_TITLE_MAX bytes of UTF-8; url absolute http(s)
 * or a path starting with '/'): 0, or -1 with the enum link_problem, the
 * field ("title" or "url") and, for the LONG codes, the limit and length
 * in p (problem.h; p may be NULL). */
int link_validate(const char *title, const char *url, model_problem *p);
/* The same checks as a code: LINK_OK or the first problem found. Without
 * LINK_ALLOW_PATH only absolute http:// and https:// addresses pass (what the
 * back office accepts). */
enum link_problem link_check(const char *title, const char *url, unsigned flags);
int link_get(db_t *db, arena_t *a, int64_t id, link_item *out);
int link_add(db_t *db, const char *title, const char *url, int64_t *id);
int link_remove(db_t *db, int64_t id);
/* Moves a link to 1-based position pos, shifting the others. */
int link_move(db_t *db, int64_t id, int pos);
/* Changes title and url (validated as link_add() does; -1 when refused).
 * 0, 1 not found, -1. */
int link_update(db_t *db, int64_t id, const char *title, const char *url);
/* Moves a link by delta places (-1 up, +1 down), clamped at the ends. */
int link_shift(db_t *db, int64_t id, int delta);
/* Sets the whole order: ids must be every link exactly once, else 2 (the
 * list changed meanwhile) and nothing is written. 0, 2 or -1. */
int link_reorder(db_t *db, const int64_t *ids, size_t n);

#endif
