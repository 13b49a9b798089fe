/*
 * sitemap.h - the published articles and public objects a sitemap lists
 * (portal/feeds.c writes the XML).
 */
#ifndef SEN_MODEL_SITEMAP_H
#define SEN_MODEL_SITEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/* Calls fn for the published articles (status 2, published_at <= now) in
 * id order, skipping the first `offset` and stopping after `limit`; fn
 * returns 0 to go on. Strings are valid during the call only; nothing is
 * allocated. Returns 0, -1 on a storage error (logged by db), or fn's
 * non-zero result. */
typedef int (*sitemap_article_fn)(int64_t id, const char *category_slug, const char *slug,
				  int64_t updated_at, void *arg);
int sitemap_each_article(db_t *db, int64_t offset, int64_t limit, sitemap_article_fn fn,
			 void *arg);

/* A public page of the museum's records besides articles: an exhibition
 * or a publication. */
typedef struct {
	const char *kind;        /* "trung-bay" or "an-pham": its page's first segment */
	int64_t id;
	const char *title;
	const char *description;
	int64_t created_at;
	int64_t updated_at;
} sitemap_museum_page;

/* The public exhibitions and publications, newest first (by when they were
 * written), at most limit, in arena a (feeds take the first ones, the
 * sitemap all). 0 or -1. */
#define SITEMAP_MUSEUM_MAX 10000
int sitemap_museum_pages(db_t *db, arena_t *a, size_t limit, sitemap_museum_page **items,
			 size_t *n);

/* The same for the online collection's objects (model/collection.h: those
 * registered and public), in id order, with their card's last change. */
typedef int (*sitemap_object_fn)(int64_t id, int64_t updated_at, void *arg);
int sitemap_each_object(db_t *db, int64_t offset, int64_t limit, sitemap_object_fn fn, void *arg);

/* How many objects the online collection shows. 0 or -1. */
int sitemap_count_objects(db_t *db, int64_t *n);

#endif
