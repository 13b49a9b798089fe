/*
 * captcha.c - single-use CAPTCHA codes (see captcha.h).
 */
#include "model/captcha.h"

#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "model/article.h"

/* Both sides of a comparison are padded to this many bytes, so the time it
 * takes does not depend on how long the answer was. */
#define COMPARE_LEN 16

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

/* Copies s, trimmed of ASCII spaces and tabs and upper-cased, into out
 * (COMPARE_LEN bytes, zero padded). Returns the length, or -1 when it is
 * longer than CAPTCHA_CODE_MAX. */
static int normalise(const char *s, unsigned char out[COMPARE_LEN])
{
	memset(out, 0, COMPARE_LEN);
	size_t len = strnlen(s, CAPTCHA_ANSWER_MAX + 1);
	if (len > CAPTCHA_ANSWER_MAX)
		return -1;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len > CAPTCHA_CODE_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		out[i] = (unsigned char)upper(s[i]);
	return (int)len;
}

static int code_valid(const char *code)
{
	size_t len = strnlen(code, CAPTCHA_CODE_MAX + 1);
	if (len < CAPTCHA_CODE_MIN || len > CAPTCHA_CODE_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = upper(code[i]);
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static int id_valid(const char *id)
{
	size_t i = 0;
	for (; i < CAPTCHA_ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return id[i] == '\0';
}

static int purge(db_t *db, int64_t now, int *purged)
{
	db_stmt *st = db_prepare(db, "DELETE FROM captchas WHERE expires_at <= ?");
	if (st == NULL || db_bind_int64(st, 1, now) != 0 || db_step(st) != DB_DONE) {
		db_done(st);
		return -1;
	}
	db_done(st);
	if (purged != NULL)
		*purged = db_changes(db);
	return 0;
}

int captcha_outstanding(db_t *db, const char *address, int64_t now, int64_t *count)
{
	*count = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM captchas "
				     "WHERE address = ? AND expires_at > ?");
	if (st == NULL || db_bind_text(st, 1, address != NULL ? address : "", -1) != 0 ||
	    db_bind_int64(st, 2, now) != 0 || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*count = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

/* The checks of captcha_issue(), inside its transaction: CAPTCHA_OK, another
 * enum captcha_result value, or -1. */
static int may_issue(db_t *db, int64_t article_id, const char *address, int64_t now)
{
	if (article_id != 0) {
		int pub = article_public(db, article_id, now);
		if (pub <= 0)
			return pub == 0 ? CAPTCHA_NO_ARTICLE : -1;
	}
	int64_t held = 0;
	if (captcha_outstanding(db, address, now, &held) != 0)
		return -1;
	return held >= CAPTCHA_PER_ADDRESS ? CAPTCHA_TOO_MANY : CAPTCHA_OK;
}

/* Stores a code for captcha_create() and captcha_issue(); address NULL
 * stores '' and checks nothing. */
static int create(db_t *db, int64_t article_id, const char *address, const char *code,
		  int64_t now, int ttl, char id[CAPTCHA_ID_LEN + 1])
{
	unsigned char raw[CAPTCHA_ID_LEN / 2];
	unsigned char norm[COMPARE_LEN];
	int nested = 0, result = -1;
	db_stmt *st = NULL;

	id[0] = '\0';
	if (code == NULL || !code_valid(code)) {
		log_error("captcha: refusing a code that is not %d-%d letters or digits",
			  CAPTCHA_CODE_MIN, CAPTCHA_CODE_MAX);
		return -1;
	}
	if (sodium_init() < 0) {
		log_error("captcha: libsodium cannot start");
		return -1;
	}
	if (ttl <= 0)
		ttl = CAPTCHA_TTL;
	if (ttl > CAPTCHA_TTL_MAX)
		ttl = CAPTCHA_TTL_MAX;
	int len = normalise(code, norm);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(id, CAPTCHA_ID_LEN + 1, raw, sizeof raw);

	if (db_write_begin(db, &nested) != 0)
		goto fail_early;
	/* Purging here keeps the table at about one TTL's worth of rows
	 * without a separate job; the index makes it cheap when nothing is due. */
	if (purge(db, now, NULL) != 0)
		goto fail;
	if (address != NULL && (result = may_issue(db, article_id, address, now)) != CAPTCHA_OK)
		goto fail;
	result = -1;
	st = db_prepare(db, "INSERT INTO captchas (id, article_id, code, expires_at, address) "
			    "VALUES (?, ?, ?, ?, ?)");
	if (st == NULL || db_bind_text(st, 1, id, CAPTCHA_ID_LEN) != 0 ||
	    db_bind_int64(st, 2, article_id) != 0 ||
	    db_bind_text(st, 3, (const char *)norm, len) != 0 ||
	    db_bind_int64(st, 4, now + ttl) != 0 ||
	    db_bind_text(st, 5, address != NULL ? address : "", -1) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	if (db_write_end(db, nested, 1) != 0)
		goto fail_early;
	return CAPTCHA_OK;
fail:
	db_done(st);
	db_write_end(db, nested, 0);
fail_early:
	id[0] = '\0';
	return result;
}

int captcha_create(db_t *db, int64_t article_id, const char *code, int64_t now, int ttl,
		   char id[CAPTCHA_ID_LEN + 1])
{
	return create(db, article_id, NULL, code, now, ttl, id);
}

int captcha_issue(db_t *db, int64_t article_id, const char *address, const char *code,
		  int64_t now, int ttl, char id[CAPTCHA_ID_LEN + 1])
{
	if (address == NULL) {
		id[0] = '\0';
		return -1;
	}
	return create(db, article_id, address, code, now, ttl, id);
}

int captcha_check(db_t *db, const char *id, int64_t article_id, const char *answer,
		  int64_t now)
{
	unsigned char expected[COMPARE_LEN], given[COMPARE_LEN];
	if (id == NULL || !id_valid(id))
		return 1;
	/* DELETE ... RETURNING takes the row and consumes it in one statement
	 * (its own transaction unless the caller has one): two requests with
	 * the same id cannot both get it, and a wrong answer burns it too. */
	db_stmt *st = db_prepare(db, "DELETE FROM captchas WHERE id = ? "
				     "RETURNING article_id, code, expires_at");
	if (st == NULL || db_bind_text(st, 1, id, CAPTCHA_ID_LEN) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? 1 : -1;
	}
	int64_t owner = db_col_int64(st, 0);
	const char *code = db_col_text(st, 1);
	int64_t expires_at = db_col_int64(st, 2);
	int expected_len = normalise(code != NULL ? code : "", expected);
	/* Finish the statement so the DELETE is complete before we answer. */
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;

	int given_len = normalise(answer != NULL ? answer : "", given);
	int same = sodium_memcmp(expected, given, COMPARE_LEN) == 0;
	if (given_len < CAPTCHA_CODE_MIN || given_len != expected_len || !same)
		return 1;
	if (owner != article_id || now >= expires_at)
		return 1;
	return 0;
}

int captcha_purge(db_t *db, int64_t now, int *purged)
{
	if (purged != NULL)
		*purged = 0;
	return purge(db, now, purged);
}
