/*
 * stats.c - visit and page-view counters (see stats.h).
 *
 * Where a count lives, from a hit to the disk:
 *   1. a shard's pending counters (per minute: visits and views; per article:
 *      views), under the shard's mutex;
 *   2. the in-flight counters, moved there by a flush under flush_lock;
 *   3. the database, once the flush commits; the in-flight counters are
 *      cleared under flush_lock in the same critical section as the COMMIT.
 * A reader holding flush_lock therefore sees every count in exactly one place.
 * The flush's statements run without flush_lock, so a slow disk or another
 * writer only delays the flusher, never the hits.
 *
 * Pending visits and views are kept per minute rather than per day: the day
 * (in the site's UTC offset) is worked out when they are written, so hits
 * made before stats_start_flusher() told us the offset land on the right day.
 */
#include "model/stats.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/log.h"
#include "model/article_sql.h"
#include "model/visitor.h"

#define SHARD_CAPACITY (STATS_VISITORS_MAX / STATS_SHARDS)
#define VISITOR_KEY_LEN 16
#define NONE (-1)
/* Hits from different threads may reach a shard slightly out of time order;
 * the walk for the online count looks this many seconds further back. */
#define ONLINE_SLACK 5
#define DAY_SECONDS 86400

/* ---- small growable tables ---------------------------------------------- */

typedef struct {
	int64_t minute;     /* Unix time / 60 */
	int64_t visits;
	int64_t views;
} minute_count;

typedef struct {
	minute_count *items;
	size_t n, cap;
} minute_table;

/* Open addressing, id 0 marks a free slot (articles start at 1). */
typedef struct {
	int64_t id;
	int64_t views;
} article_count;

typedef struct {
	article_count *items;
	size_t n, cap;      /* cap is 0 or a power of two */
} article_table;

static minute_count *minute_slot(minute_table *t, int64_t minute)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->items[i].minute == minute)
			return &t->items[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		minute_count *items = realloc(t->items, cap * sizeof(*items));
		if (items == NULL)
			return t->n > 0 ? &t->items[t->n - 1] : NULL;
		t->items = items;
		t->cap = cap;
	}
	minute_count *m = &t->items[t->n++];
	m->minute = minute;
	m->visits = 0;
	m->views = 0;
	return m;
}

static size_t article_hash(int64_t id, size_t cap)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 32) & (cap - 1);
}

static article_count *article_find(const article_table *t, int64_t id)
{
	if (t->cap == 0)
		return NULL;
	for (size_t i = article_hash(id, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->items[i].id == id)
			return &t->items[i];
		if (t->items[i].id == 0)
			return NULL;
	}
}

/* Adds views to id's counter; -1 when out of memory (nothing changed). */
static int article_add(article_table *t, int64_t id, int64_t views)
{
	if ((t->n + 1) * 4 > t->cap * 3) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		article_count *items = calloc(cap, sizeof(*items));
		if (items == NULL)
			return -1;
		for (size_t i = 0; i < t->cap; i++) {
			if (t->items[i].id == 0)
				continue;
			size_t j = article_hash(t->items[i].id, cap);
			while (items[j].id != 0)
				j = (j + 1) & (cap - 1);
			items[j] = t->items[i];
		}
		free(t->items);
		t->items = items;
		t->cap = cap;
	}
	size_t i = article_hash(id, t->cap);
	while (t->items[i].id != 0 && t->items[i].id != id)
		i = (i + 1) & (t->cap - 1);
	if (t->items[i].id == 0) {
		t->items[i].id = id;
		t->n++;
	}
	t->items[i].views += views;
	return 0;
}

static void article_clear(article_table *t)
{
	if (t->cap > 0)
		memset(t->items, 0, t->cap * sizeof(*t->items));
	t->n = 0;
}

static void tables_free(minute_table *m, article_table *a)
{
	free(m->items);
	memset(m, 0, sizeof(*m));
	free(a->items);
	memset(a, 0, sizeof(*a));
}

/* Moves every count of src into dst (src is emptied). -1 when out of memory;
 * what could not be moved stays in src. */
static int tables_merge(minute_table *dst_m, article_table *dst_a, minute_table *src_m,
			article_table *src_a)
{
	int rc = 0;
	size_t keep = 0;
	for (size_t i = 0; i < src_m->n; i++) {
		minute_count *d = minute_slot(dst_m, src_m->items[i].minute);
		if (d == NULL) {
			src_m->items[keep++] = src_m->items[i];
			rc = -1;
			continue;
		}
		d->visits += src_m->items[i].visits;
		d->views += src_m->items[i].views;
	}
	src_m->n = keep;
	for (size_t i = 0; i < src_a->cap; i++) {
		article_count *c = &src_a->items[i];
		if (c->id == 0)
			continue;
		if (article_add(dst_a, c->id, c->views) != 0) {
			rc = -1;
			continue;
		}
		c->id = 0;
		c->views = 0;
		src_a->n--;
	}
	if (rc != 0 && src_a->n > 0) {
		/* Re-insert the leftovers so the open addressing stays valid. */
		article_table left = {0};
		for (size_t i = 0; i < src_a->cap; i++)
			if (src_a->items[i].id != 0 &&
			    article_add(&left, src_a->items[i].id, src_a->items[i].views) != 0)
				break;
		free(src_a->items);
		*src_a = left;
	}
	return rc;
}

/* ---- shards ------------------------------------------------------------------ */

typedef struct {
	unsigned char key[VISITOR_KEY_LEN];
	int64_t last_seen;
	int32_t hash_next;  /* chain of the bucket */
	int32_t prev, next; /* recency list, head = most recently seen */
} visitor_slot;

#define BUCKETS 2048 /* per shard: a power of two above SHARD_CAPACITY */

typedef struct {
	_Alignas(64) pthread_mutex_t lock;
	visitor_slot *slots;
	int32_t used;
	int32_t head, tail;
	int32_t buckets[BUCKETS];
	minute_table minutes;
	article_table articles;
} shard;

_Static_assert(BUCKETS >= SHARD_CAPACITY, "buckets must outnumber a shard's visitors");

static shard *shards;
static atomic_bool ready;
static int utc_offset_seconds;

/* flush_lock guards inflight_*, persisted_visits and the hand-over from the
 * shards; flusher_lock makes flushes run one at a time. */
static pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t flusher_lock = PTHREAD_MUTEX_INITIALIZER;
static minute_table inflight_minutes;
static article_table inflight_articles;
static int64_t persisted_visits;
static unsigned failed_flushes;

static pthread_mutex_t thread_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thread_wake = PTHREAD_COND_INITIALIZER;
static pthread_t flusher;
static bool flusher_running;
static bool flusher_stop;

static pthread_mutex_t online_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t online_at = INT64_MIN;
static int64_t online_value;

static void list_unlink(shard *s, int32_t i)
{
	visitor_slot *v = &s->slots[i];
	if (v->prev != NONE)
		s->slots[v->prev].next = v->next;
	else
		s->head = v->next;
	if (v->next != NONE)
		s->slots[v->next].prev = v->prev;
	else
		s->tail = v->prev;
	v->prev = v->next = NONE;
}

static void list_push_head(shard *s, int32_t i)
{
	visitor_slot *v = &s->slots[i];
	v->prev = NONE;
	v->next = s->head;
	if (s->head != NONE)
		s->slots[s->head].prev = i;
	s->head = i;
	if (s->tail == NONE)
		s->tail = i;
}

static uint32_t key_bucket(const unsigned char key[VISITOR_KEY_LEN])
{
	uint32_t h;
	memcpy(&h, key + 4, sizeof h);
	return h & (BUCKETS - 1);
}

static void bucket_remove(shard *s, int32_t i)
{
	int32_t *pp = &s->buckets[key_bucket(s->slots[i].key)];
	while (*pp != NONE && *pp != i)
		pp = &s->slots[*pp].hash_next;
	if (*pp == i)
		*pp = s->slots[i].hash_next;
}

/* Finds the visitor, or takes a slot for them (the least recently seen one
 * when the shard is full). *found tells which. */
static int32_t visitor_slot_for(shard *s, const unsigned char key[VISITOR_KEY_LEN], bool *found)
{
	uint32_t b = key_bucket(key);
	for (int32_t i = s->buckets[b]; i != NONE; i = s->slots[i].hash_next)
		if (memcmp(s->slots[i].key, key, VISITOR_KEY_LEN) == 0) {
			*found = true;
			return i;
		}
	*found = false;
	int32_t i;
	if (s->used < SHARD_CAPACITY) {
		i = s->used++;
	} else {
		i = s->tail;
		list_unlink(s, i);
		bucket_remove(s, i);
	}
	visitor_slot *v = &s->slots[i];
	memcpy(v->key, key, VISITOR_KEY_LEN);
	v->last_seen = INT64_MIN;
	v->hash_next = s->buckets[b];
	s->buckets[b] = i;
	list_push_head(s, i);
	return i;
}

static void shards_free(void)
{
	if (shards == NULL)
		return;
	for (size_t i = 0; i < STATS_SHARDS; i++) {
		pthread_mutex_destroy(&shards[i].lock);
		free(shards[i].slots);
		tables_free(&shards[i].minutes, &shards[i].articles);
	}
	free(shards);
	shards = NULL;
}

/* ---- life cycle ------------------------------------------------------------- */

static int read_persisted_total(db_t *db, int64_t *total)
{
	db_stmt *st = db_prepare(db, "SELECT coalesce(sum(visits), 0) FROM visits_daily");
	if (st == NULL || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*total = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

int stats_init(void)
{
	int64_t total = 0;
	if (atomic_load(&ready) || shards != NULL) {
		log_error("stats: already initialised");
		return -1;
	}
	if (sodium_init() < 0) {
		log_error("stats: libsodium cannot start");
		return -1;
	}
	db_t *db = db_get();
	if (db == NULL || read_persisted_total(db, &total) != 0) {
		log_error("stats: cannot read the visit totals");
		return -1;
	}
	/* aligned_alloc keeps each shard's mutex on its own cache line. */
	shards = aligned_alloc(64, STATS_SHARDS * sizeof(shard));
	if (shards == NULL) {
		log_error("stats: out of memory");
		return -1;
	}
	memset(shards, 0, STATS_SHARDS * sizeof(shard));
	for (size_t i = 0; i < STATS_SHARDS; i++) {
		shard *s = &shards[i];
		pthread_mutex_init(&s->lock, NULL);
		s->slots = calloc(SHARD_CAPACITY, sizeof(*s->slots));
		s->head = s->tail = NONE;
		for (size_t b = 0; b < BUCKETS; b++)
			s->buckets[b] = NONE;
		if (s->slots == NULL) {
			log_error("stats: out of memory");
			shards_free();
			return -1;
		}
	}
	pthread_mutex_lock(&flush_lock);
	persisted_visits = total;
	failed_flushes = 0;
	pthread_mutex_unlock(&flush_lock);
	pthread_mutex_lock(&online_lock);
	online_at = INT64_MIN;
	pthread_mutex_unlock(&online_lock);
	atomic_store(&ready, true);
	return 0;
}

/* The 16-byte key of a visitor: the id itself when it is one (the common
 * case, no hashing), otherwise a hash of whatever string was given. */
static void visitor_key(const char *visitor, unsigned char key[VISITOR_KEY_LEN])
{
	if (visitor_id_valid(visitor)) {
		sodium_hex2bin(key, VISITOR_KEY_LEN, visitor, VISITOR_ID_LEN, NULL, NULL, NULL);
		return;
	}
	crypto_generichash(key, VISITOR_KEY_LEN, (const unsigned char *)visitor,
			   strnlen(visitor, VISITOR_UA_MAX), NULL, 0);
}

/* Floor division, so that minutes before 1970 are not off by one. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void stats_hit(const char *visitor, int64_t article_id, int64_t now)
{
	unsigned char key[VISITOR_KEY_LEN];
	bool has_visitor = visitor != NULL && visitor[0] != '\0';
	if (!atomic_load_explicit(&ready, memory_order_acquire))
		return;
	size_t which;
	if (has_visitor) {
		visitor_key(visitor, key);
		uint32_t h;
		memcpy(&h, key, sizeof h);
		which = h % STATS_SHARDS;
	} else {
		which = (size_t)((uint64_t)article_id % STATS_SHARDS);
	}
	shard *s = &shards[which];

	pthread_mutex_lock(&s->lock);
	bool visit = false;
	if (has_visitor) {
		bool found;
		int32_t i = visitor_slot_for(s, key, &found);
		visitor_slot *v = &s->slots[i];
		visit = !found || now - v->last_seen >= STATS_VISIT_GAP;
		/* Last seen never moves back, whatever order hits arrive in. */
		if (now > v->last_seen)
			v->last_seen = now;
		if (found && s->head != i) {
			list_unlink(s, i);
			list_push_head(s, i);
		}
	}
	bool lost = false;
	minute_count *m = minute_slot(&s->minutes, floor_div(now, 60));
	if (m != NULL) {
		m->views++;
		if (visit)
			m->visits++;
	} else {
		lost = true;
	}
	if (article_id > 0 && article_add(&s->articles, article_id, 1) != 0)
		lost = true;
	pthread_mutex_unlock(&s->lock);
	if (lost)
		log_error("stats: out of memory; a page view was not counted");
}

/* ---- writing ------------------------------------------------------------------- */

static void day_string(int64_t minute, int offset, char out[11])
{
	time_t t = (time_t)(floor_div(minute * 60 + offset, DAY_SECONDS) * DAY_SECONDS);
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) {
		memcpy(out, "0000-01-01", 11);
		return;
	}
	/* The year was range-checked above, so the text is exactly 10 bytes; the
	 * wider buffer only keeps the compiler's truncation check quiet. */
	char text[32];
	snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	memcpy(out, text, 10);
	out[10] = '\0';
}

/* Writes the in-flight counters in the flusher's open transaction. */
static int write_inflight(db_t *db, int offset)
{
	db_stmt *st = NULL;
	for (size_t i = 0; i < inflight_minutes.n; i++) {
		const minute_count *m = &inflight_minutes.items[i];
		char day[11];
		if (m->visits == 0 && m->views == 0)
			continue;
		day_string(m->minute, offset, day);
		st = db_prepare(db, "INSERT INTO visits_daily (day, visits, views) VALUES (?, ?, ?) "
				    "ON CONFLICT (day) DO UPDATE SET visits = visits + excluded.visits, "
				    "views = views + excluded.views");
		if (st == NULL || db_bind_text(st, 1, day, 10) != 0 ||
		    db_bind_int64(st, 2, m->visits) != 0 || db_bind_int64(st, 3, m->views) != 0 ||
		    db_step(st) != DB_DONE)
			goto fail;
		db_done(st);
	}
	for (size_t i = 0; i < inflight_articles.cap; i++) {
		const article_count *c = &inflight_articles.items[i];
		if (c->id == 0 || c->views == 0)
			continue;
		/* An article deleted meanwhile simply matches no row. */
		st = db_prepare(db, "UPDATE articles SET views = views + ? WHERE id = ?");
		if (st == NULL || db_bind_int64(st, 1, c->views) != 0 ||
		    db_bind_int64(st, 2, c->id) != 0 || db_step(st) != DB_DONE)
			goto fail;
		db_done(st);
	}
	return 0;
fail:
	db_done(st);
	return -1;
}

int stats_flush(void)
{
	int rc = 0;
	if (!atomic_load(&ready))
		return 0;
	pthread_mutex_lock(&flusher_lock);
	int offset = utc_offset_seconds;

	pthread_mutex_lock(&flush_lock);
	for (size_t i = 0; i < STATS_SHARDS; i++) {
		shard *s = &shards[i];
		pthread_mutex_lock(&s->lock);
		if (tables_merge(&inflight_minutes, &inflight_articles, &s->minutes, &s->articles) != 0)
			rc = -1; /* the rest stays pending for the next flush */
		pthread_mutex_unlock(&s->lock);
	}
	bool empty = inflight_minutes.n == 0 && inflight_articles.n == 0;
	pthread_mutex_unlock(&flush_lock);
	if (rc != 0)
		log_error("stats: out of memory while flushing");
	if (empty)
		goto done;

	db_t *db = db_get();
	if (db == NULL || db_begin(db) != 0) {
		rc = -1;
		goto failed;
	}
	/* View counters are not on any page, so this commit keeps the page cache. */
	db_set_quiet(db);
	if (write_inflight(db, offset) != 0) {
		db_rollback(db);
		rc = -1;
		goto failed;
	}
	int64_t visits = 0;
	for (size_t i = 0; i < inflight_minutes.n; i++)
		visits += inflight_minutes.items[i].visits;
	/* The COMMIT and the clearing are one step for readers. */
	pthread_mutex_lock(&flush_lock);
	int committed = db_commit(db);
	if (committed == 0) {
		persisted_visits += visits;
		inflight_minutes.n = 0;
		article_clear(&inflight_articles);
		failed_flushes = 0;
	}
	pthread_mutex_unlock(&flush_lock);
	if (committed != 0) {
		db_rollback(db);
		rc = -1;
		goto failed;
	}
done:
	pthread_mutex_unlock(&flusher_lock);
	return rc;
failed:
	/* Said once, then once a minute, not every second. */
	if (failed_flushes++ % 60 == 0)
		log_error("stats: could not write the counters; keeping them for the next try");
	pthread_mutex_unlock(&flusher_lock);
	return -1;
}

static void *flusher_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&thread_lock);
	while (!flusher_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += STATS_FLUSH_INTERVAL_MS / 1000;
		until.tv_nsec += (long)(STATS_FLUSH_INTERVAL_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		int rc = 0;
		while (!flusher_stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&thread_wake, &thread_lock, &until);
		if (flusher_stop)
			break;
		pthread_mutex_unlock(&thread_lock);
		stats_flush();
		pthread_mutex_lock(&thread_lock);
	}
	pthread_mutex_unlock(&thread_lock);
	db_thread_close();
	return NULL;
}

int stats_start_flusher(int utc_offset)
{
	if (!atomic_load(&ready)) {
		log_error("stats: stats_start_flusher() before stats_init()");
		return -1;
	}
	pthread_mutex_lock(&flusher_lock);
	utc_offset_seconds = utc_offset;
	pthread_mutex_unlock(&flusher_lock);
	pthread_mutex_lock(&thread_lock);
	if (flusher_running) {
		pthread_mutex_unlock(&thread_lock);
		return 0;
	}
	flusher_stop = false;
	int rc = pthread_create(&flusher, NULL, flusher_main, NULL);
	if (rc == 0)
		flusher_running = true;
	pthread_mutex_unlock(&thread_lock);
	if (rc != 0) {
		log_error("stats: cannot start the flusher thread: %s", strerror(rc));
		return -1;
	}
	return 0;
}

int stats_stop(void)
{
	if (!atomic_load(&ready))
		return 0;
	pthread_mutex_lock(&thread_lock);
	bool running = flusher_running;
	flusher_stop = true;
	pthread_cond_signal(&thread_wake);
	pthread_mutex_unlock(&thread_lock);
	if (running) {
		pthread_join(flusher, NULL);
		pthread_mutex_lock(&thread_lock);
		flusher_running = false;
		pthread_mutex_unlock(&thread_lock);
	}
	int rc = stats_flush();
	if (rc != 0)
		log_error("stats: the last counts could not be written and are lost");
	atomic_store(&ready, false);
	pthread_mutex_lock(&flush_lock);
	tables_free(&inflight_minutes, &inflight_articles);
	pthread_mutex_unlock(&flush_lock);
	shards_free();
	return rc;
}

/* ---- reading -------------------------------------------------------------------- */

static int64_t count_online(int64_t now)
{
	int64_t n = 0;
	for (size_t i = 0; i < STATS_SHARDS; i++) {
		shard *s = &shards[i];
		pthread_mutex_lock(&s->lock);
		/* The list is in order of the last hit, so the walk stops at the
		 * first visitor clearly outside the window: the cost follows the
		 * number online, not the number remembered. */
		for (int32_t j = s->head; j != NONE; j = s->slots[j].next) {
			int64_t seen = s->slots[j].last_seen;
			if (seen <= now - STATS_ONLINE_WINDOW - ONLINE_SLACK)
				break;
			if (seen > now - STATS_ONLINE_WINDOW)
				n++;
		}
		pthread_mutex_unlock(&s->lock);
	}
	return n;
}

int stats_totals_at(int64_t now, int64_t *total_visits, int64_t *online)
{
	*total_visits = 0;
	*online = 0;
	if (!atomic_load(&ready))
		return -1;
	pthread_mutex_lock(&flush_lock);
	int64_t total = persisted_visits;
	for (size_t i = 0; i < inflight_minutes.n; i++)
		total += inflight_minutes.items[i].visits;
	for (size_t i = 0; i < STATS_SHARDS; i++) {
		shard *s = &shards[i];
		pthread_mutex_lock(&s->lock);
		for (size_t k = 0; k < s->minutes.n; k++)
			total += s->minutes.items[k].visits;
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&flush_lock);
	*total_visits = total;

	pthread_mutex_lock(&online_lock);
	if (online_at != now) {
		online_value = count_online(now);
		online_at = now;
	}
	*online = online_value;
	pthread_mutex_unlock(&online_lock);
	return 0;
}

int stats_totals(int64_t *total_visits, int64_t *online)
{
	return stats_totals_at((int64_t)time(NULL), total_visits, online);
}

int64_t stats_article_views(db_t *db, int64_t article_id)
{
	int64_t views = -1;
	pthread_mutex_lock(&flush_lock);
	db_stmt *st = db_prepare(db, "SELECT views FROM articles WHERE id = ?");
	if (st != NULL && db_bind_int64(st, 1, article_id) == 0) {
		int rc = db_step(st);
		if (rc == DB_ROW)
			views = db_col_int64(st, 0);
		else if (rc == DB_DONE)
			log_error("stats: views of unknown article %lld", (long long)article_id);
	}
	db_done(st);
	if (views >= 0 && atomic_load(&ready)) {
		const article_count *c = article_find(&inflight_articles, article_id);
		if (c != NULL)
			views += c->views;
		for (size_t i = 0; i < STATS_SHARDS; i++) {
			shard *s = &shards[i];
			pthread_mutex_lock(&s->lock);
			c = article_find(&s->articles, article_id);
			if (c != NULL)
				views += c->views;
			pthread_mutex_unlock(&s->lock);
		}
	}
	pthread_mutex_unlock(&flush_lock);
	return views;
}

size_t stats_tracked_visitors(void)
{
	size_t n = 0;
	if (!atomic_load(&ready))
		return 0;
	for (size_t i = 0; i < STATS_SHARDS; i++) {
		pthread_mutex_lock(&shards[i].lock);
		n += (size_t)shards[i].used;
		pthread_mutex_unlock(&shards[i].lock);
	}
	return n;
}

/* ---- the statistics page ------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so day strings map to indexes without the C library. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "2021-01-18" -> day number, or -1 when the text is not such a date. */
static int64_t day_number(const char *s)
{
	int64_t v[3] = {0, 0, 0};
	static const int len[3] = {4, 2, 2};
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	const char *p = s;
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < len[k]; i++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[k] = v[k] * 10 + (*p - '0');
		}
		p++;
	}
	return days_from_civil(v[0], v[1], v[2]);
}

/* Adds the counts of a minute table that fall within the series. */
static void add_minutes(const minute_table *t, int offset, int64_t first, int ndays,
			stats_day *out)
{
	for (size_t i = 0; i < t->n; i++) {
		int64_t d = floor_div(t->items[i].minute * 60 + offset, DAY_SECONDS) - first;
		if (d < 0 || d >= ndays)
			continue;
		out[d].visits += t->items[i].visits;
		out[d].views += t->items[i].views;
	}
}

int stats_daily(db_t *db, int64_t now, int utc_offset, int ndays, stats_day *out)
{
	if (ndays < 1 || ndays > STATS_SERIES_MAX) {
		log_error("stats: a series of %d days, allowed 1..%d", ndays, STATS_SERIES_MAX);
		return -1;
	}
	int64_t today = floor_div(now + utc_offset, DAY_SECONDS);
	int64_t first = today - (ndays - 1);
	for (int i = 0; i < ndays; i++) {
		/* day_string() takes minutes in UTC; local midnight is what counts. */
		day_string((first + i) * (DAY_SECONDS / 60) - utc_offset / 60, utc_offset, out[i].day);
		out[i].visits = 0;
		out[i].views = 0;
	}
	int rc = -1;
	pthread_mutex_lock(&flush_lock);
	db_stmt *st = db_prepare(db, "SELECT day, visits, views FROM visits_daily "
				     "WHERE day BETWEEN ? AND ? ORDER BY day");
	if (st == NULL || db_bind_text(st, 1, out[0].day, 10) != 0 ||
	    db_bind_text(st, 2, out[ndays - 1].day, 10) != 0)
		goto done;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		int64_t d = day_number(db_col_text(st, 0)) - first;
		if (d < 0 || d >= ndays)
			continue;
		out[d].visits += db_col_int64(st, 1);
		out[d].views += db_col_int64(st, 2);
	}
	if (step != DB_DONE)
		goto done;
	if (atomic_load(&ready)) {
		add_minutes(&inflight_minutes, utc_offset, first, ndays, out);
		for (size_t i = 0; i < STATS_SHARDS; i++) {
			shard *s = &shards[i];
			pthread_mutex_lock(&s->lock);
			add_minutes(&s->minutes, utc_offset, first, ndays, out);
			pthread_mutex_unlock(&s->lock);
		}
	}
	rc = 0;
done:
	db_done(st);
	pthread_mutex_unlock(&flush_lock);
	if (rc != 0) {
		for (int i = 0; i < ndays; i++)
			out[i].visits = out[i].views = 0;
	}
	return rc;
}

static int fill_top(arena_t *a, db_stmt *st, void *item)
{
	stats_article *e = item;
	*e = (stats_article){.id = db_col_int64(st, 0), .views = db_col_int64(st, 4),
			     .published_at = db_col_int64(st, 5)};
	const char **dst[] = {&e->title, &e->slug, &e->category_slug};
	return db_col_copy_texts(a, st, 1, dst, 3);
}

int stats_top_articles(db_t *db, arena_t *a, int limit, stats_article **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (limit < 1 || limit > STATS_TOP_MAX) {
		log_error("stats: top list of %d, allowed 1..%d", limit, STATS_TOP_MAX);
		return -1;
	}
	db_stmt *st = db_prepare(db, "SELECT a.id, a.title, a.slug, g.slug, a.views, a.published_at "
				     "FROM articles a JOIN categories g ON g.id = a.category_id "
				     "WHERE " ARTICLE_PUBLISHED_SQL("a.") " AND a.views > 0 "
				     "ORDER BY a.views DESC, a.published_at DESC, a.id DESC LIMIT ?");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, limit) == 0, a, sizeof **items,
			    (size_t)limit, fill_top, items, n, NULL);
}

int stats_article_counts(db_t *db, int64_t counts[4])
{
	return db_count_by(db, "SELECT status, count(*) FROM articles GROUP BY status", 0, counts,
			   4);
}
