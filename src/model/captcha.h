/*
 * captcha.h - the store behind "Mã xác thực" on the comment form.
 *
 * A CAPTCHA is a row (random id, article, code, expiry). The form carries the
 * id; the picture (render/draw.h) shows the code. Answers are single use:
 * the first check of an id deletes the row whatever the answer, so a bot
 * cannot try codes against one picture. A CAPTCHA made for one article does
 * not pass on another.
 *
 * Codes are 4..8 characters of A-Z and 0-9 (draw_captcha_code() makes them);
 * answers are compared after trimming spaces and folding to upper case, in
 * constant time. Times are Unix seconds passed in by the caller (the handler
 * passes time(NULL); tests pass what they need).
 *
 * Nothing here allocates memory the caller must free.
 */
#ifndef SEN_MODEL_CAPTCHA_H
#define SEN_MODEL_CAPTCHA_H

#include <stdint.h>

#include "db/db.h"

#define CAPTCHA_TTL 600          /* seconds a code stays valid by default */
#define CAPTCHA_TTL_MAX 86400
#define CAPTCHA_ID_LEN 32        /* hex digits (128 random bits), without the NUL */
#define CAPTCHA_CODE_MIN 4
#define CAPTCHA_CODE_MAX 8
#define CAPTCHA_ANSWER_MAX 64    /* longer answers are wrong without a look */
/* Codes one address may hold unexpired at once (docs/VISITORS.md): far more
 * than the readers behind one shared address open comment forms within
 * CAPTCHA_TTL, and it bounds what a loop can add to the table. */
#define CAPTCHA_PER_ADDRESS 100

/*
 * Stores a new CAPTCHA for article_id with the given code (upper-cased when
 * stored), valid until now + ttl (ttl <= 0 means CAPTCHA_TTL; at most
 * CAPTCHA_TTL_MAX). Writes its id (32 hex digits from randombytes_buf) into
 * id. Also deletes rows that expired before now. Committed before returning,
 * or inside the caller's transaction. Returns 0, or -1 (logged; also for a
 * code that is not 4..8 letters/digits).
 */
int captcha_create(db_t *db, int64_t article_id, const char *code, int64_t now, int ttl,
		   char id[CAPTCHA_ID_LEN + 1]);

/* What captcha_issue() returns besides -1 (storage error, logged). */
enum captcha_result {
	CAPTCHA_OK = 0,
	CAPTCHA_NO_ARTICLE = 1,  /* article_id names no public article */
	CAPTCHA_TOO_MANY = 2,    /* the address holds CAPTCHA_PER_ADDRESS codes */
};

/*
 * captcha_create() for a request from the web: article_id (0: a code that
 * passes on any article, as the API offers) must be a public article, and
 * address (throttle_address_key() of the client) may hold at most
 * CAPTCHA_PER_ADDRESS unexpired codes; the row remembers the address.
 * Checked and stored in one transaction. Returns an enum captcha_result
 * value (id is "" unless CAPTCHA_OK) or -1.
 */
int captcha_issue(db_t *db, int64_t article_id, const char *address, const char *code,
		  int64_t now, int ttl, char id[CAPTCHA_ID_LEN + 1]);

/* How many unexpired codes address holds at now. 0 or -1. */
int captcha_outstanding(db_t *db, const char *address, int64_t now, int64_t *count);

/*
 * Checks an answer and consumes the CAPTCHA in the same step.
 * Returns 0 when id exists, belongs to article_id, has not expired
 * (now < expires_at) and answer matches; 1 for everything else (wrong,
 * missing, expired, already used, made for another article, malformed id,
 * NULL answer); -1 on a storage error (logged).
 */
int captcha_check(db_t *db, const char *id, int64_t article_id, const char *answer,
		  int64_t now);

/* Deletes every CAPTCHA that expired before now; *purged (may be NULL) gets
 * the count. For a periodic job or the CLI. 0 or -1. */
int captcha_purge(db_t *db, int64_t now, int *purged);

#endif
