/*
 * cache.c - a small table of rendered pages (see cache.h for the rules).
 */
#include "portal/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "model/article.h"

#define KEY_MAX 512
/* Seconds before now from which a scheduled publication still ends a
 * copy: a page rendered in the second before an article's time may have
 * been stored just after it. */
#define SCHEDULE_MARGIN_S 2

typedef struct {
	pthread_mutex_t lock;
	char key[KEY_MAX];
	char *page;
	size_t len;
	uint64_t generation;
	uint64_t born_ms;
	int64_t expires_s;     /* wall time a scheduled article appears; 0 = none */
	http_shared *shared;   /* the page as a ready response, or NULL */
} slot;

/* Tables whose rows never appear on a rendered page: writing them must not
 * throw away the cache (a CAPTCHA is written for nearly every article view,
 * sessions on every admin click, statistics every second). */
static const char *const quiet_tables[] = {
	"captchas", "visits_daily", "settings", "sessions", "login_attempts", "audit_log",
	"address_actions",
	/* related_cache is refilled lazily while pages render; the index itself
	 * (related_words, related_terms) changes what "Tin liên quan" shows. */
	"related_cache", "related_state",
};

static slot slots[PAGE_CACHE_SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_bool enabled = true;

static void init_slots(void)
{
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++)
		pthread_mutex_init(&slots[i].lock, NULL);
	const char *env = getenv("SEN_PAGE_CACHE");
	if (env != NULL && strcmp(env, "0") == 0)
		atomic_store(&enabled, false);
}

int page_cache_start(void)
{
	for (size_t i = 0; i < sizeof quiet_tables / sizeof quiet_tables[0]; i++)
		if (db_quiet_table_add(quiet_tables[i]) != 0)
			return -1;
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static slot *slot_for(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return &slots[h % PAGE_CACHE_SLOTS];
}

/*
 * When the next scheduled article appears (model/article.h): a page stored
 * before then may lack it, and no write happens at that moment to move the
 * content generation, so the copy must end by the clock. The answer only
 * changes with a commit or with time, so it is kept per generation and
 * asked again when the time it gave has passed. 0 = nothing scheduled;
 * on a storage error 1 (copies end at once).
 */
static pthread_mutex_t schedule_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t schedule_generation = UINT64_MAX;
static int64_t schedule_at;

static int64_t next_scheduled(uint64_t generation)
{
	int64_t now = (int64_t)time(NULL), after = now - SCHEDULE_MARGIN_S, at = 0;
	pthread_mutex_lock(&schedule_lock);
	if (schedule_generation == generation && (schedule_at == 0 || schedule_at > after)) {
		at = schedule_at;
		pthread_mutex_unlock(&schedule_lock);
		return at;
	}
	pthread_mutex_unlock(&schedule_lock);
	db_t *db = db_get();
	if (db == NULL || article_next_scheduled(db, after, &at) != 0)
		return 1;
	pthread_mutex_lock(&schedule_lock);
	schedule_generation = generation;
	schedule_at = at;
	pthread_mutex_unlock(&schedule_lock);
	return at;
}

static bool fresh(const slot *s, const char *key)
{
	return s->page != NULL && strcmp(s->key, key) == 0 &&
	       s->generation == db_content_generation() &&
	       now_ms() - s->born_ms < PAGE_CACHE_TTL_MS &&
	       (s->expires_s == 0 || (int64_t)time(NULL) < s->expires_s);
}

http_shared *page_cache_get_shared(const char *key)
{
	pthread_once(&once, init_slots);
	if (!atomic_load(&enabled) || strlen(key) >= KEY_MAX)
		return NULL;
	slot *s = slot_for(key);
	http_shared *sh = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->shared != NULL && fresh(s, key)) {
		sh = s->shared;
		http_shared_ref(sh);
	}
	pthread_mutex_unlock(&s->lock);
	return sh;
}

void page_cache_attach_shared(const char *key, http_shared *sh)
{
	pthread_once(&once, init_slots);
	if (strlen(key) >= KEY_MAX)
		return;
	slot *s = slot_for(key);
	http_shared *old = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->page != NULL && strcmp(s->key, key) == 0) {
		old = s->shared;
		http_shared_ref(sh);
		s->shared = sh;
	}
	pthread_mutex_unlock(&s->lock);
	http_shared_unref(old);
}

bool page_cache_get(const char *key, buf_t *out)
{
	pthread_once(&once, init_slots);
	if (!atomic_load(&enabled) || strlen(key) >= KEY_MAX)
		return false;
	slot *s = slot_for(key);
	bool hit = false;
	pthread_mutex_lock(&s->lock);
	if (fresh(s, key))
		hit = buf_append(out, s->page, s->len) == 0;
	pthread_mutex_unlock(&s->lock);
	return hit;
}

void page_cache_put(const char *key, const char *page, size_t len)
{
	pthread_once(&once, init_slots);
	if (!atomic_load(&enabled) || strlen(key) >= KEY_MAX || len > PAGE_CACHE_MAX_PAGE)
		return;
	/* The generation is read before copying: a commit that lands meanwhile
	 * makes this copy stale at once rather than fresh for a second. */
	uint64_t generation = db_content_generation();
	int64_t expires = next_scheduled(generation);
	char *copy = malloc(len ? len : 1);
	if (copy == NULL)
		return;
	memcpy(copy, page, len);
	slot *s = slot_for(key);
	pthread_mutex_lock(&s->lock);
	char *old = s->page;
	http_shared *old_shared = s->shared;
	s->shared = NULL;
	memcpy(s->key, key, strlen(key) + 1);
	s->page = copy;
	s->len = len;
	s->generation = generation;
	s->born_ms = now_ms();
	s->expires_s = expires;
	pthread_mutex_unlock(&s->lock);
	free(old);
	http_shared_unref(old_shared);
}

void page_cache_clear(void)
{
	pthread_once(&once, init_slots);
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++) {
		pthread_mutex_lock(&slots[i].lock);
		free(slots[i].page);
		slots[i].page = NULL;
		http_shared_unref(slots[i].shared);
		slots[i].shared = NULL;
		slots[i].len = 0;
		pthread_mutex_unlock(&slots[i].lock);
	}
}

void page_cache_enable(bool on)
{
	pthread_once(&once, init_slots);
	atomic_store(&enabled, on);
}

bool page_cache_enabled(void)
{
	pthread_once(&once, init_slots);
	return atomic_load(&enabled);
}
