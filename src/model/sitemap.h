/*
 * sitemap.h - the published articles a sitemap lists (portal/feeds.c
 * writes the XML).
 */
#ifndef SEN_MODEL_SITEMAP_H
#define SEN_MODEL_SITEMAP_H

#include <stdint.h>

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

#endif
