/*
 * search_warm.h - warming the ranking's word counts, ahead of the readers.
 *
 * The functions return SEARCH_ERROR (search.h) on a storage error.
 */
#ifndef SEN_MODEL_SEARCH_WARM_H
#define SEN_MODEL_SEARCH_WARM_H

#include "db/db.h"

/*
 * The first query with a common word pays for counting the articles that
 * hold it (sen_rank, db/fts_vn.h): 2 to 5 ms per word at 100,000 articles.
 * search_warm() counts them ahead: one read of the index's vocabulary
 * (fts5vocab), then the FTS_VN_WARM_WORDS most common words (held by at
 * least SEARCH_WARM_MIN_DF articles) are remembered for sen_rank(). It also
 * brings the index's pages into the OS page cache. Returns how many words it
 * remembered, or SEARCH_ERROR (logged). Phrases are not counted ahead.
 *
 * search_warm_start() runs it on a background thread at the lowest CPU
 * priority, at once and again when the index has changed (at most every
 * SEARCH_WARM_MIN_GAP seconds) or the counts are about to expire;
 * search_warm_stop() ends the thread (waiting for a pass in progress) and
 * closes its connection. Call both from `sen serve` (start after the
 * server is up, stop before db_thread_close). 0, or -1 when the thread
 * cannot start (search still works, only colder).
 */
#define SEARCH_WARM_MIN_DF 500
#define SEARCH_WARM_MIN_GAP 300
int search_warm(db_t *db);
int search_warm_start(void);
void search_warm_stop(void);

#endif
