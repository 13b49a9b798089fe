/*
 * session.c - sessions, CSRF tokens and the site secret (see session.h).
 */
#include "model/session.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/log.h"
#include "model/settings.h"

#define SITE_KEY_NAME "admin_secret"

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

static bool is_hex(const char *s, size_t len)
{
	if (s == NULL)
		return false;
	size_t i = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[i] == '\0';
}

bool session_token_valid(const char *s)
{
	return is_hex(s, SESSION_TOKEN_LEN);
}

void session_new_token(char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char raw[SESSION_TOKEN_BYTES];
	if (sodium_init() < 0)
		fatal("session: libsodium cannot start");
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, SESSION_TOKEN_LEN + 1, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

/* The stored id of a token: hex of its BLAKE2b-256. A plain hash suffices:
 * the token has 256 random bits, nothing to guess. */
static void token_id(const char *token, char out[SESSION_ID_LEN + 1])
{
	unsigned char h[SESSION_ID_LEN / 2];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, SESSION_ID_LEN + 1, h, sizeof h);
}

/* ------------------------------------------------------------------ */
/* Sessions                                                            */
/* ------------------------------------------------------------------ */

bool session_expired(const session *s, int64_t now)
{
	return now - s->last_seen_at >= SESSION_IDLE_TIMEOUT ||
	       now - s->created_at >= SESSION_ABSOLUTE_TIMEOUT || now < s->created_at - 300;
}

int session_purge(db_t *db, int64_t now, int *purged)
{
	if (purged != NULL)
		*purged = 0;
	db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE last_seen_at <= ? "
				     "OR created_at <= ?");
	int rc = -1;
	if (st != NULL && db_bind_int64(st, 1, now - SESSION_IDLE_TIMEOUT) == 0 &&
	    db_bind_int64(st, 2, now - SESSION_ABSOLUTE_TIMEOUT) == 0 && db_step(st) == DB_DONE) {
		if (purged != NULL)
			*purged = db_changes(db);
		rc = 0;
	}
	db_done(st);
	return rc;
}

int session_create(db_t *db, int64_t user_id, const char *ua_summary, int64_t now,
		   char token[SESSION_TOKEN_LEN + 1], session *out)
{
	char key_hex[2 * SESSION_KEY_BYTES + 1];
	memset(out, 0, sizeof *out);
	session_new_token(token);
	token_id(token, out->id);
	randombytes_buf(out->csrf_key, sizeof out->csrf_key);
	sodium_bin2hex(key_hex, sizeof key_hex, out->csrf_key, sizeof out->csrf_key);
	out->user_id = user_id;
	out->created_at = now;
	out->last_seen_at = now;
	snprintf(out->user_agent, sizeof out->user_agent, "%s", ua_summary ? ua_summary : "");

	int nested = 0, rc = -1;
	db_stmt *st = NULL;
	if (db_write_begin(db, &nested) != 0)
		goto fail;
	if (session_purge(db, now, NULL) != 0)
		goto end;
	st = db_prepare(db, "INSERT INTO sessions (id, user_id, created_at, last_seen_at, "
			    "csrf_key, user_agent) VALUES (?, ?, ?, ?, ?, ?)");
	if (st == NULL || db_bind_text(st, 1, out->id, -1) != 0 ||
	    db_bind_int64(st, 2, user_id) != 0 || db_bind_int64(st, 3, now) != 0 ||
	    db_bind_int64(st, 4, now) != 0 || db_bind_text(st, 5, key_hex, -1) != 0 ||
	    db_bind_text(st, 6, out->user_agent, -1) != 0 || db_step(st) != DB_DONE)
		goto end;
	rc = 0;
end:
	db_done(st);
	if (db_write_end(db, nested, rc == 0) != 0)
		rc = -1;
fail:
	sodium_memzero(key_hex, sizeof key_hex);
	if (rc != 0) {
		sodium_memzero(token, SESSION_TOKEN_LEN + 1);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

int session_delete(db_t *db, const char *id)
{
	if (!is_hex(id, SESSION_ID_LEN))
		return 0;
	db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id = ?");
	int rc = st != NULL && db_bind_text(st, 1, id, -1) == 0 && db_step(st) == DB_DONE ? 0 : -1;
	db_done(st);
	return rc;
}

int session_delete_user(db_t *db, int64_t user_id, const char *keep_id)
{
	db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?");
	int rc = st != NULL && db_bind_int64(st, 1, user_id) == 0 &&
			 db_bind_text(st, 2, keep_id != NULL ? keep_id : "", -1) == 0 &&
			 db_step(st) == DB_DONE
		     ? 0
		     : -1;
	db_done(st);
	return rc;
}

int session_count_user(db_t *db, int64_t user_id, int64_t now, int64_t *count)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM sessions WHERE user_id = ? "
				     "AND last_seen_at > ? AND created_at > ?");
	int rc = -1;
	if (st != NULL && db_bind_int64(st, 1, user_id) == 0 &&
	    db_bind_int64(st, 2, now - SESSION_IDLE_TIMEOUT) == 0 &&
	    db_bind_int64(st, 3, now - SESSION_ABSOLUTE_TIMEOUT) == 0 && db_step(st) == DB_ROW) {
		*count = db_col_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int touch(db_t *db, const char *id, int64_t now)
{
	db_stmt *st = db_prepare(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ? "
				     "AND last_seen_at < ?");
	int rc = st != NULL && db_bind_int64(st, 1, now) == 0 && db_bind_text(st, 2, id, -1) == 0 &&
			 db_bind_int64(st, 3, now) == 0 && db_step(st) == DB_DONE
		     ? 0
		     : -1;
	db_done(st);
	return rc;
}

int session_lookup(db_t *db, const char *token, int64_t now, session *out)
{
	memset(out, 0, sizeof *out);
	if (!session_token_valid(token))
		return 1;
	token_id(token, out->id);
	db_stmt *st = db_prepare(db, "SELECT user_id, created_at, last_seen_at, csrf_key, "
				     "user_agent FROM sessions WHERE id = ?");
	if (st == NULL || db_bind_text(st, 1, out->id, -1) != 0)
		goto fail;
	int rc = db_step(st);
	if (rc == DB_DONE) {
		db_done(st);
		memset(out, 0, sizeof *out);
		return 1;
	}
	if (rc != DB_ROW)
		goto fail;
	out->user_id = db_col_int64(st, 0);
	out->created_at = db_col_int64(st, 1);
	out->last_seen_at = db_col_int64(st, 2);
	const char *key = db_col_text(st, 3);
	size_t got = 0;
	if (key == NULL || sodium_hex2bin(out->csrf_key, sizeof out->csrf_key, key, strlen(key),
					  NULL, &got, NULL) != 0 ||
	    got != sizeof out->csrf_key) {
		log_error("session: malformed CSRF key in the sessions table");
		goto fail;
	}
	const char *ua = db_col_text(st, 4);
	snprintf(out->user_agent, sizeof out->user_agent, "%s", ua != NULL ? ua : "");
	db_done(st);
	if (session_expired(out, now)) {
		char id[SESSION_ID_LEN + 1];
		memcpy(id, out->id, sizeof id);
		memset(out, 0, sizeof *out);
		return session_delete(db, id) == 0 ? 1 : -1;
	}
	if (now - out->last_seen_at >= SESSION_TOUCH_INTERVAL) {
		if (touch(db, out->id, now) != 0)
			return -1;
		out->last_seen_at = now;
	}
	return 0;
fail:
	db_done(st);
	memset(out, 0, sizeof *out);
	return -1;
}

/* ------------------------------------------------------------------ */
/* CSRF                                                                */
/* ------------------------------------------------------------------ */

static void keyed_token(const unsigned char key[SESSION_KEY_BYTES], const char *domain,
			const char *msg, char out[SESSION_CSRF_LEN + 1])
{
	unsigned char h[SESSION_CSRF_LEN / 2];
	crypto_generichash_state state;
	/* The domain and its NUL keep the login token and form tokens apart. */
	crypto_generichash_init(&state, key, SESSION_KEY_BYTES, sizeof h);
	crypto_generichash_update(&state, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_generichash_update(&state, (const unsigned char *)msg, strlen(msg));
	crypto_generichash_final(&state, h, sizeof h);
	sodium_bin2hex(out, SESSION_CSRF_LEN + 1, h, sizeof h);
}

static bool token_equal(const char *expected, const char *token)
{
	if (token == NULL || strnlen(token, SESSION_CSRF_LEN + 1) != SESSION_CSRF_LEN)
		return false;
	return sodium_memcmp(expected, token, SESSION_CSRF_LEN) == 0;
}

void session_csrf_token(const session *s, const char *purpose, char out[SESSION_CSRF_LEN + 1])
{
	keyed_token(s->csrf_key, "form", purpose != NULL ? purpose : "", out);
}

bool session_csrf_check(const session *s, const char *purpose, const char *token)
{
	char expected[SESSION_CSRF_LEN + 1];
	session_csrf_token(s, purpose, expected);
	return token_equal(expected, token);
}

void session_login_token(const unsigned char key[SESSION_KEY_BYTES], const char *pre,
			 char out[SESSION_CSRF_LEN + 1])
{
	keyed_token(key, "login", pre != NULL ? pre : "", out);
}

bool session_login_token_ok(const unsigned char key[SESSION_KEY_BYTES], const char *pre,
			    const char *token)
{
	if (!session_token_valid(pre))
		return false;
	char expected[SESSION_CSRF_LEN + 1];
	session_login_token(key, pre, expected);
	return token_equal(expected, token);
}

/* ------------------------------------------------------------------ */
/* User agent summary                                                  */
/* ------------------------------------------------------------------ */

void session_ua_summary(const char *ua, char out[SESSION_UA_MAX + 1])
{
	/* Order matters: Edge and Opera say "Chrome", Chrome says "Safari". */
	static const struct {
		const char *token, *name;
	} browsers[] = {
		{"Edg/", "Edge"},         {"OPR/", "Opera"},     {"Firefox/", "Firefox"},
		{"coc_coc", "Cốc Cốc"},   {"Chrome/", "Chrome"},
		{"Safari/", "Safari"},    {"curl/", "curl"},     {"python", "Python"},
	}, systems[] = {
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"},
		{"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"},
		{"Linux", "Linux"},
	};
	const char *b = NULL, *o = NULL;
	if (ua != NULL) {
		char head[512];
		snprintf(head, sizeof head, "%s", ua);
		for (size_t i = 0; b == NULL && i < sizeof browsers / sizeof browsers[0]; i++)
			if (strcasestr(head, browsers[i].token) != NULL)
				b = browsers[i].name;
		for (size_t i = 0; o == NULL && i < sizeof systems / sizeof systems[0]; i++)
			if (strstr(head, systems[i].token) != NULL)
				o = systems[i].name;
	}
	if (b == NULL && o == NULL)
		snprintf(out, SESSION_UA_MAX + 1, "%s", "?");
	else
		snprintf(out, SESSION_UA_MAX + 1, "%s / %s", b != NULL ? b : "?", o != NULL ? o : "?");
}

/* ------------------------------------------------------------------ */
/* The site secret                                                     */
/* ------------------------------------------------------------------ */

int session_site_key(db_t *db, unsigned char key[SESSION_KEY_BYTES])
{
	return settings_secret(db, SITE_KEY_NAME, key, SESSION_KEY_BYTES);
}
