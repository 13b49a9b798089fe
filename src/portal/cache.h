/*
 * cache.h - rendered public pages, kept for a second.
 *
 * A public page is the same for every reader until something is written,
 * so a rendered page is kept and served again while (a) no commit of this
 * process changed what pages show since it was rendered
 * (db_content_generation) and (b) it is younger than PAGE_CACHE_TTL_MS, which bounds how stale a counter or a
 * write by another process (sen import, sen links) can look. Anything
 * per-visitor (counting the view) happens before the cache is asked, so
 * counts stay exact.
 *
 * The cache is a fixed table of slots chosen by a hash of the key, each with
 * its own lock; a new page replaces whatever held its slot. Memory is
 * bounded by PAGE_CACHE_SLOTS * PAGE_CACHE_MAX_PAGE.
 */
#ifndef SEN_PORTAL_CACHE_H
#define SEN_PORTAL_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "http/http.h"

#define PAGE_CACHE_SLOTS 1024
#define PAGE_CACHE_TTL_MS 1000
#define PAGE_CACHE_MAX_PAGE (256 * 1024)

/* Tells the database which tables no page shows (db_quiet_table_add), so
 * writing them keeps the cache. Once at start-up, before the database is
 * written. 0 or -1. */
int page_cache_start(void);

/* Appends the cached page for key to out and returns true, or returns false
 * (out untouched) when there is no fresh copy. */
bool page_cache_get(const char *key, buf_t *out);

/* Stores a copy of page (len bytes) under key. Pages over
 * PAGE_CACHE_MAX_PAGE are not kept. */
void page_cache_put(const char *key, const char *page, size_t len);

/* Like page_cache_get(), but hands out the ready-to-send response kept with
 * the page (one reference for the caller), or NULL. */
http_shared *page_cache_get_shared(const char *key);

/* Keeps sh (a reference is taken) with the page stored under key, if that
 * page is still the one in the slot. */
void page_cache_attach_shared(const char *key, http_shared *sh);

/* Drops everything (tests; settings reload). */
void page_cache_clear(void);

/* Turns the cache off or on (on by default); `SEN_PAGE_CACHE=0` at start-up
 * turns it off, for measuring the uncached cost. */
void page_cache_enable(bool on);
/* True while the cache is on. */
bool page_cache_enabled(void);

#endif
