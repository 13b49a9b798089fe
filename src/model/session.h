/*
 * session.h - back-office sessions, CSRF tokens and the site secret.
 *
 * A session starts with 32 random bytes from libsodium (256 bits; the
 * cookie carries them as 64 hex digits). The database keeps only their
 * BLAKE2b-256 hash as the session id, so a copy of the database (or of a
 * backup) does not let anyone log in. Sessions end on the server: after
 * SESSION_IDLE_TIMEOUT without a request, SESSION_ABSOLUTE_TIMEOUT after
 * login whatever happens, at logout, when the account is disabled, and
 * (other sessions of the account) when its password changes.
 *
 * CSRF: each session has its own random 32-byte key. The token for a form
 * is the keyed BLAKE2b-256 of the form's purpose (the back office uses the
 * route pattern it posts to, "/admin/tai-khoan/them"), so a token is good
 * for one session and one action only, and is compared in constant time.
 *
 * Before login there is no session, so the login form is protected by a
 * pre-session cookie of 32 random bytes and a token that is the keyed hash,
 * under the site secret, of that cookie: only this server can make a token
 * that matches a cookie.
 *
 * Times are Unix seconds passed in by the caller (tests move the clock).
 * Functions return 0, 1 where noted, or -1 on a storage error (logged).
 * Nothing here allocates memory the caller must free.
 */
#ifndef SEN_MODEL_SESSION_H
#define SEN_MODEL_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_LEN 64          /* hex digits in the cookie, without NUL */
#define SESSION_ID_LEN 64             /* hex digits of the stored hash */
#define SESSION_KEY_BYTES 32
#define SESSION_CSRF_LEN 64           /* hex digits of a CSRF token */
#define SESSION_UA_MAX 80             /* bytes of the user agent summary */

#define SESSION_IDLE_TIMEOUT (30 * 60)         /* seconds without a request */
#define SESSION_ABSOLUTE_TIMEOUT (12 * 60 * 60) /* seconds after login */
/* last_seen_at is written at most this often (a write per request would
 * serialise every admin page on the database lock). The idle timeout is
 * therefore measured from up to this much before the last request: a
 * session may end that much early, never late. */
#define SESSION_TOUCH_INTERVAL 60

typedef struct {
	char id[SESSION_ID_LEN + 1];  /* hash of the token */
	int64_t user_id;
	int64_t created_at;
	int64_t last_seen_at;
	unsigned char csrf_key[SESSION_KEY_BYTES];
	char user_agent[SESSION_UA_MAX + 1];
} session;

/* True when s is exactly SESSION_TOKEN_LEN lower-case hex digits. */
bool session_token_valid(const char *s);

/* A fresh random token (also used for the pre-session cookie). */
void session_new_token(char out[SESSION_TOKEN_LEN + 1]);

/*
 * Starts a session for user_id: a new random token into `token` (for the
 * cookie), its hash and a new CSRF key stored with now as both times.
 * ua_summary (may be NULL) is kept for the owner to recognise the session.
 * Also deletes sessions that have expired by now. 0 with *out filled, or -1.
 */
int session_create(db_t *db, int64_t user_id, const char *ua_summary, int64_t now,
		   char token[SESSION_TOKEN_LEN + 1], session *out);

/*
 * Finds the session of a cookie token. 0 when it exists and has expired
 * neither way (last_seen_at is then moved to now, at most once per
 * SESSION_TOUCH_INTERVAL); 1 when the token is malformed, unknown or expired
 * (an expired session is deleted); -1 on a storage error.
 */
int session_lookup(db_t *db, const char *token, int64_t now, session *out);

/* True when s has passed the idle or the absolute timeout at now. */
bool session_expired(const session *s, int64_t now);

/* Ends one session by its id (the hash). 0 (also when it did not exist) or -1. */
int session_delete(db_t *db, const char *id);

/* Ends every session of a user except `keep_id` (NULL: all). 0 or -1. */
int session_delete_user(db_t *db, int64_t user_id, const char *keep_id);

/* Deletes every session expired at now; *purged (may be NULL) gets the
 * count. 0 or -1. */
int session_purge(db_t *db, int64_t now, int *purged);

/* Number of live sessions of a user at now. 0 or -1. */
int session_count_user(db_t *db, int64_t user_id, int64_t now, int64_t *count);

/* The CSRF token of a session for one purpose (hex, NUL-terminated). */
void session_csrf_token(const session *s, const char *purpose, char out[SESSION_CSRF_LEN + 1]);

/* True when token is the session's token for purpose (constant time). */
bool session_csrf_check(const session *s, const char *purpose, const char *token);

/* "Firefox / Linux" style summary of a User-Agent (never the whole string,
 * which identifies people far better than it identifies sessions). */
void session_ua_summary(const char *user_agent, char out[SESSION_UA_MAX + 1]);

/* ---- site secret and the login form ---- */

/*
 * The 32-byte secret of this site (settings 'admin_secret', 64 hex digits),
 * made with randombytes_buf() the first time; it keys the login-form token,
 * the throttling keys and the address hashes of the audit log. 0, or -1
 * (logged; key zeroed).
 */
int session_site_key(db_t *db, unsigned char key[SESSION_KEY_BYTES]);

/* The login-form token for a pre-session cookie value. */
void session_login_token(const unsigned char key[SESSION_KEY_BYTES], const char *pre,
			 char out[SESSION_CSRF_LEN + 1]);

/* True when pre is a well-formed cookie value and token its login token. */
bool session_login_token_ok(const unsigned char key[SESSION_KEY_BYTES], const char *pre,
			    const char *token);

#endif
