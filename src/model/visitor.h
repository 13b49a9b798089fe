/*
 * visitor.h - who a visitor is, without keeping who they are.
 *
 * Ratings, comments and statistics need to tell one visitor from another,
 * but the portal must not store addresses. A visitor id is the 16-byte keyed
 * BLAKE2b (libsodium crypto_generichash) of address + '\0' + user agent,
 * written as 32 lower-case hex digits. The key is a 32-byte site secret made
 * at random once and kept in the settings table, so the same visitor gets the
 * same id across restarts, and an id cannot be turned back into an address
 * by trying all 2^32 IPv4 addresses without the secret.
 *
 * Nothing here allocates memory that the caller must free.
 */
#ifndef SEN_MODEL_VISITOR_H
#define SEN_MODEL_VISITOR_H

#include <stdbool.h>

#include "db/db.h"

#define VISITOR_KEY_BYTES 32
#define VISITOR_ID_LEN 32          /* hex digits, without the NUL */

/* Longest address and user agent taken into the hash (bytes); longer input
 * is hashed up to these lengths, which still tells real visitors apart. */
#define VISITOR_ADDR_MAX 64
#define VISITOR_UA_MAX 512

/*
 * Reads the site secret from settings ('visitor_secret', 64 hex digits),
 * creating it with randombytes_buf() the first time. Two processes starting
 * at once agree on one secret (the first insert wins, both read it back).
 * Returns 0 with key filled, or -1 (logged; key zeroed).
 */
int visitor_secret_load(db_t *db, unsigned char key[VISITOR_KEY_BYTES]);

/* Writes the visitor id of (addr, ua) into out (33 bytes: 32 hex digits and
 * a NUL). NULL addr or ua are hashed as "". Never fails. */
void visitor_id(const unsigned char key[VISITOR_KEY_BYTES], const char *addr, const char *ua,
		char out[VISITOR_ID_LEN + 1]);

/* True when s is a well-formed visitor id (exactly 32 lower-case hex digits). */
bool visitor_id_valid(const char *s);

/*
 * True for requests that announce themselves as crawlers, so they are not
 * counted in statistics and cannot rate. A NULL or empty user agent is a bot.
 * Otherwise the test is a case-insensitive search for crawler tokens:
 * "bot" (Googlebot, bingbot, YandexBot, DuckDuckBot, AhrefsBot, SemrushBot,
 * MJ12bot ...; but not the phone maker "Cubot"), "crawl", "spider"
 * (Baiduspider), "slurp" (Yahoo), "facebookexternalhit" and
 * "mediapartners" (AdSense). Command-line clients (curl, wget,
 * Python-urllib, python-requests) are deliberately NOT bots: the end-to-end
 * tests and monitoring use them, and they do not pretend to be browsers.
 */
bool visitor_is_bot(const char *user_agent);

#endif
