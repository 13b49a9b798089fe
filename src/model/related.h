/*
 * related.h - "Tin liên quan": other published articles worth reading next.
 *
 * Each article's significant terms are indexed when it is written
 * (related_index_article()): its title and body are folded with text_fold()
 * ("Điện Biên Phủ" -> "dien bien phu"), split into syllables, and the
 * syllables that are not stop words are kept together with the two-syllable
 * phrases they form ("dien bien", "bien phu"), which carry most of the
 * meaning in Vietnamese. At most RELATED_TERMS_MAX terms per article, title
 * terms first.
 *
 * Score of a candidate B for article A:
 *     sum over terms shared by A and B of weight_A(term) * weight_B(term)
 *   + RELATED_SCORE_TAG for every shared tag
 *   + RELATED_SCORE_CATEGORY when both are in the same category,
 * where a term weighs 1 (body syllable), 2 (title syllable or body phrase)
 * or 4 (title phrase). Terms found in more than a quarter of the articles
 * (at least 10, at most 2000) are ignored: they say nothing ("bao tang" on a
 * museum's site) and would make the work grow with the site. Equal scores:
 * the newer article first (published_at, then id).
 *
 * The list: editor pins first (in the order pinned), then the best-scored
 * candidates, then the newest published articles, so it is never empty while
 * another published article exists; never the article itself, never an
 * excluded one, only articles public now.
 *
 * Cost on the article page: the best RELATED_CACHE_SIZE candidates are kept
 * in a table and recomputed only after an article was (re)indexed since
 * (a generation counter in settings), so a page view usually reads a few
 * rows by primary key. Computing and indexing write to the database and may
 * therefore happen during a GET; a failed write only costs a recomputation.
 *
 * All strings in returned structs are allocated in the caller's arena.
 * Functions return 0 on success, 1 for "not found" where noted, -1 on a
 * storage error (already logged).
 */
#ifndef SEN_MODEL_RELATED_H
#define SEN_MODEL_RELATED_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"

#define RELATED_DEFAULT 5        /* items the article page shows */
#define RELATED_LIMIT_MAX 20
#define RELATED_CACHE_SIZE 20    /* scored candidates kept per article */
#define RELATED_PINS_MAX 10      /* pins per article */
#define RELATED_TERMS_MAX 64     /* indexed terms per article */
#define RELATED_SCORE_TAG 8
#define RELATED_SCORE_CATEGORY 4

/*
 * (Re)computes the terms of an article (any status) and marks every cached
 * list stale. Call it after an article is created, imported or changed
 * (title, body, tags, category or status). Inside the caller's transaction
 * when one is open. 0, 1 when the article does not exist, -1.
 */
int related_index_article(db_t *db, int64_t id);

/*
 * Indexes up to max articles that have never been indexed (for example
 * those written before this feature, or by a tool that did not call
 * related_index_article()); *indexed (may be NULL) gets how many. 0 or -1.
 */
int related_index_missing(db_t *db, int max, int *indexed);

/*
 * Fills *items with up to limit related articles (limit <= 0 means
 * RELATED_DEFAULT; at most RELATED_LIMIT_MAX), as article_list() does: no
 * body, no tags; image is the thumbnail file or NULL. Indexes article_id
 * first if it never was. 0, 1 when article_id does not exist, -1.
 */
int related_list(db_t *db, arena_t *a, int64_t article_id, int limit, article **items,
		 size_t *n);

/*
 * Editors' choices for the list of article id (one direction only):
 * related_pin() puts other_id first (after earlier pins); related_exclude()
 * keeps it out (and unpins it); related_clear() removes the choice about
 * other_id, or every choice for id when other_id is 0.
 * related_pin/exclude return 0, 1 when either article does not exist or
 * both are the same, 2 (pin only) when id already has RELATED_PINS_MAX
 * pins, -1. related_clear returns 0, 1 when there was nothing to clear, -1.
 */
int related_pin(db_t *db, int64_t id, int64_t other_id);
int related_exclude(db_t *db, int64_t id, int64_t other_id);
int related_clear(db_t *db, int64_t id, int64_t other_id);

#endif
