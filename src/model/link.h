/*
 * link.h - the "Liên kết website" block: ordered links to other sites.
 * Strings are allocated in the caller's arena. 0 ok, 1 not found, -1 error.
 */
#ifndef SEN_MODEL_LINK_H
#define SEN_MODEL_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define LINK_TITLE_MAX 200
#define LINK_URL_MAX 2000

typedef struct {
	int64_t id;
	const char *title;
	const char *url;
	int position;
} link_item;

int link_list(db_t *db, arena_t *a, link_item **items, size_t *n);
/* Validates (title 1..LINK_TITLE_MAX bytes of UTF-8; url absolute http(s)
 * or a path starting with '/'): -1 with a Vietnamese reason in why. */
int link_validate(const char *title, const char *url, char *why, size_t whylen);
int link_add(db_t *db, const char *title, const char *url, int64_t *id);
int link_remove(db_t *db, int64_t id);
/* Moves a link to 1-based position pos, shifting the others. */
int link_move(db_t *db, int64_t id, int pos);

#endif
