/*
 * search_warm.c - counting the ranking's common words ahead, on a thread of
 * its own (search_warm.h).
 *
 * Memory: the vocabulary read in one pass is malloc'ed and freed before the
 * pass returns; the counts themselves are kept by db/fts_vn.c. The thread
 * has its own database connection, closed when it ends.
 */
#include "model/search_warm.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "db/fts_vn.h"
#include "model/search.h"

/* The counts sen_rank() remembers expire after 600 s (db/fts_vn.c): passes
 * come a little sooner than that. */
#define WARM_REFRESH 540
#define WARM_CHECK 60            /* seconds between looks at the index's size */

typedef struct {
	int64_t df;
	char *word;
	size_t len;
} warm_word;

static int64_t monotonic_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int by_df(const void *pa, const void *pb)
{
	const warm_word *x = pa, *y = pb;
	return x->df > y->df ? -1 : x->df < y->df;
}

/* The index's size as sen_rank() sees it; 1 when the index is empty. */
static int index_totals(db_t *db, int64_t *rows, int64_t *tokens)
{
	db_stmt *st = db_prepare(db, "SELECT sen_totals(search_fts) FROM search_fts LIMIT 1");
	if (st == NULL)
		return -1;
	long long r = 0, t = 0;
	int rc = db_step(st), result = -1;
	if (rc == DB_ROW && db_col_text(st, 0) != NULL &&
	    sscanf(db_col_text(st, 0), "%lld %lld", &r, &t) == 2)
		result = 0;
	else if (rc == DB_DONE)
		result = 1;
	db_done(st);
	*rows = r;
	*tokens = t;
	return result;
}

/* True when token is its own folded form: the key sen_rank() is given
 * ("dien", not the exact form "điện" kept beside it in the index). */
static bool folded_token(const char *token, size_t len, buf_t *scratch)
{
	scratch->len = 0;
	return fts_vn_fold(token, len, scratch) == 0 && scratch->len == len &&
	       memcmp(scratch->data, token, len) == 0;
}

int search_warm(db_t *db)
{
	if (db == NULL)
		return SEARCH_ERROR;
	int64_t rows = 0, tokens = 0;
	int t = index_totals(db, &rows, &tokens);
	if (t != 0)
		return t > 0 ? 0 : SEARCH_ERROR;
	if (db_exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab"
			" USING fts5vocab(main, search_fts, row)") != 0)
		return SEARCH_ERROR;
	db_stmt *st = db_prepare(db, "SELECT term, doc FROM temp.search_vocab WHERE doc >= ?");
	if (st == NULL)
		return SEARCH_ERROR;
	warm_word *words = NULL;
	size_t n = 0, cap = 0;
	buf_t scratch = BUF_INIT;
	int rc = DB_ERROR, result = SEARCH_ERROR;
	if (db_bind_int64(st, 1, SEARCH_WARM_MIN_DF) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *token = db_col_text(st, 0);
		size_t len = token != NULL ? (size_t)db_col_bytes(st, 0) : 0;
		if (len == 0 || !folded_token(token, len, &scratch))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			warm_word *grown = realloc(words, ncap * sizeof(*words));
			if (grown == NULL)
				goto oom;
			words = grown;
			cap = ncap;
		}
		words[n].word = malloc(len + 1);
		if (words[n].word == NULL)
			goto oom;
		memcpy(words[n].word, token, len);
		words[n].word[len] = '\0';
		words[n].len = len;
		words[n].df = db_col_int64(st, 1);
		n++;
	}
	if (rc != DB_DONE) {
		log_error("search: cannot read the index's vocabulary");
		goto done;
	}
	if (n > 1)
		qsort(words, n, sizeof(*words), by_df);
	size_t keep = n < FTS_VN_WARM_WORDS ? n : FTS_VN_WARM_WORDS;
	for (size_t i = 0; i < keep; i++)
		fts_vn_remember(words[i].word, words[i].len, rows, tokens, words[i].df);
	result = (int)keep;
	goto done;
oom:
	log_error("search: out of memory");
done:
	db_done(st);
	for (size_t i = 0; i < n; i++)
		free(words[i].word);
	free(words);
	buf_free(&scratch);
	return result;
}

static pthread_mutex_t warm_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t warm_cond = PTHREAD_COND_INITIALIZER;
static pthread_t warm_thread;
static bool warm_started, warm_stopping;

static void *warm_main(void *arg)
{
	(void)arg;
	/* The lowest priority, for this thread only (Linux gives each thread
	 * its own nice value): readers' requests always come first. */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19) != 0)
		log_warn("search: warm-up runs at normal priority");
	time_t last = 0;
	int64_t last_rows = -1, last_tokens = -1;
	for (;;) {
		db_t *db = db_get();
		int64_t rows = 0, tokens = 0;
		time_t now = time(NULL);
		if (db != NULL && index_totals(db, &rows, &tokens) == 0) {
			bool changed = rows != last_rows || tokens != last_tokens;
			if (last == 0 || now - last >= WARM_REFRESH ||
			    (changed && now - last >= SEARCH_WARM_MIN_GAP)) {
				int64_t t0 = monotonic_now_ms();
				int got = search_warm(db);
				if (got >= 0)
					log_info("search: counted %d common words ahead in %" PRId64 " ms",
						 got, monotonic_now_ms() - t0);
				last = now;
				last_rows = rows;
				last_tokens = tokens;
			}
		}
		pthread_mutex_lock(&warm_lock);
		if (!warm_stopping) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += WARM_CHECK;
			pthread_cond_timedwait(&warm_cond, &warm_lock, &until);
		}
		bool stop = warm_stopping;
		pthread_mutex_unlock(&warm_lock);
		if (stop)
			break;
	}
	db_thread_close();
	return NULL;
}

int search_warm_start(void)
{
	pthread_mutex_lock(&warm_lock);
	int rc = 0;
	if (!warm_started) {
		warm_stopping = false;
		rc = pthread_create(&warm_thread, NULL, warm_main, NULL) == 0 ? 0 : -1;
		warm_started = rc == 0;
	}
	pthread_mutex_unlock(&warm_lock);
	if (rc != 0)
		log_error("search: cannot start the warm-up thread");
	return rc;
}

void search_warm_stop(void)
{
	pthread_mutex_lock(&warm_lock);
	bool started = warm_started;
	warm_stopping = true;
	pthread_cond_broadcast(&warm_cond);
	pthread_mutex_unlock(&warm_lock);
	if (started)
		pthread_join(warm_thread, NULL);
	pthread_mutex_lock(&warm_lock);
	warm_started = false;
	pthread_mutex_unlock(&warm_lock);
}
