/*
 * throttle.h - slowing down password guessing, per account and per address.
 *
 * Failed logins are counted per key: the keyed hash of the account name as
 * typed (whether or not the account exists, so the throttle itself does not
 * tell which names exist) and the keyed hash of the client's network (an
 * IPv4 address, or the /64 an IPv6 address belongs to, since one machine
 * commonly holds a whole /64). The key is the site secret
 * (session_site_key), so the table holds neither names nor addresses.
 *
 * The first THROTTLE_FREE failures cost nothing. From then on each key must
 * wait before its next attempt: THROTTLE_BASE seconds after the fifth
 * failure, doubling with every further failure, at most THROTTLE_MAX. An
 * attempt refused for waiting is not counted (the wait would otherwise grow
 * with the attacker's request rate rather than with their guesses). A key
 * is forgotten once THROTTLE_WINDOW seconds have passed since its wait
 * ended, i.e. after fifteen quiet minutes; a successful login clears the
 * account's key (not the address's: one valid account must not let an
 * address reset its count between guesses at other accounts).
 *
 * Known limit: anyone can make an account wait by failing on purpose; the
 * wait is bounded (THROTTLE_MAX), and the owner can still log in from where
 * they are once it ends.
 *
 * Times are Unix seconds from the caller. 0 or -1 (logged).
 */
#ifndef SEN_MODEL_THROTTLE_H
#define SEN_MODEL_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

#define THROTTLE_FREE 5
#define THROTTLE_BASE 30
#define THROTTLE_MAX 3600
#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_KEY_LEN 33        /* 'a' or 'n' and 32 hex digits */
#define THROTTLE_KEY_BYTES 32      /* the site secret */

/* Key of an account name (normalised like a login name when it is one,
 * else lower-cased ASCII, at most 256 bytes). */
void throttle_account_key(const unsigned char secret[THROTTLE_KEY_BYTES], const char *name,
			  char out[THROTTLE_KEY_LEN + 1]);
/* Key of a client address (numeric IPv4 or IPv6; anything else is hashed
 * as it is). */
void throttle_address_key(const unsigned char secret[THROTTLE_KEY_BYTES], const char *addr,
			  char out[THROTTLE_KEY_LEN + 1]);

/* The wait after `failures` consecutive failures (0 below THROTTLE_FREE). */
int64_t throttle_delay(int64_t failures);

/* Seconds key must still wait at now (0: it may try). */
int throttle_wait(db_t *db, const char *key, int64_t now, int64_t *wait);
/* Counts one failure for key at now. */
int throttle_fail(db_t *db, const char *key, int64_t now);
/* Forgets key (after a successful login). */
int throttle_clear(db_t *db, const char *key);
/* Deletes every key that has been forgotten by now. */
int throttle_purge(db_t *db, int64_t now);

/* ---- what one address did recently ---------------------------------------- */

/*
 * Budgets per address (docs/VISITORS.md) for actions whose own tables keep
 * the visitor but not the address: the keyed address (throttle_address_key)
 * and the time of each action are kept for THROTTLE_ACTIONS_KEEP seconds.
 */
#define THROTTLE_ACTIONS_KEEP 86400

enum throttle_action {
	THROTTLE_ACTION_COMMENT = 1,   /* a comment was stored */
};

/* How many times address did action at or after since. 0 or -1. */
int throttle_action_count(db_t *db, const char *address, enum throttle_action action,
			  int64_t since, int64_t *count);
/* Notes that address did action at now; also forgets actions older than
 * THROTTLE_ACTIONS_KEEP. Inside the caller's transaction when one is open.
 * 0 or -1. */
int throttle_action_note(db_t *db, const char *address, enum throttle_action action,
			 int64_t now);

#endif
