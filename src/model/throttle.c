/*
 * throttle.c - failed-login counters (see throttle.h).
 */
#include "model/throttle.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "model/user.h"

#define NAME_HASH_MAX 256

static void keyed(const unsigned char secret[THROTTLE_KEY_BYTES], char kind,
		  const char *domain, const char *value, size_t len,
		  char out[THROTTLE_KEY_LEN + 1])
{
	unsigned char h[(THROTTLE_KEY_LEN - 1) / 2];
	crypto_generichash_state state;
	crypto_generichash_init(&state, secret, THROTTLE_KEY_BYTES, sizeof h);
	crypto_generichash_update(&state, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_generichash_update(&state, (const unsigned char *)value, len);
	crypto_generichash_final(&state, h, sizeof h);
	out[0] = kind;
	sodium_bin2hex(out + 1, THROTTLE_KEY_LEN, h, sizeof h);
}

void throttle_account_key(const unsigned char secret[THROTTLE_KEY_BYTES], const char *name,
			  char out[THROTTLE_KEY_LEN + 1])
{
	char login[NAME_HASH_MAX + 1];
	if (name == NULL)
		name = "";
	if (user_name_normalize(name, login, sizeof login) != 0) {
		/* Not a possible login name: still one key per spelling, so
		 * guessing with junk names is throttled like any other. */
		size_t len = strnlen(name, NAME_HASH_MAX);
		for (size_t i = 0; i < len; i++) {
			char c = name[i];
			login[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		login[len] = '\0';
	}
	keyed(secret, 'a', "account", login, strlen(login), out);
}

void throttle_address_key(const unsigned char secret[THROTTLE_KEY_BYTES], const char *addr,
			  char out[THROTTLE_KEY_LEN + 1])
{
	struct in6_addr bin;
	char text[INET6_ADDRSTRLEN];
	if (addr == NULL)
		addr = "";
	if (inet_pton(AF_INET6, addr, &bin) == 1 && !IN6_IS_ADDR_V4MAPPED(&bin)) {
		/* One host usually owns the whole /64: count the network. */
		memset(bin.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &bin, text, sizeof text) != NULL)
			addr = text;
	}
	keyed(secret, 'n', "address", addr, strnlen(addr, 64), out);
}

int64_t throttle_delay(int64_t failures)
{
	if (failures < THROTTLE_FREE)
		return 0;
	int64_t steps = failures - THROTTLE_FREE;
	int64_t d = THROTTLE_BASE;
	while (steps-- > 0 && d < THROTTLE_MAX)
		d *= 2;
	return d < THROTTLE_MAX ? d : THROTTLE_MAX;
}

static bool key_ok(const char *key)
{
	if (key == NULL || strlen(key) != THROTTLE_KEY_LEN || (key[0] != 'a' && key[0] != 'n'))
		return false;
	for (size_t i = 1; i < THROTTLE_KEY_LEN; i++)
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return false;
	return true;
}

/* Reads a key's row. 0 found, 1 none, -1. */
static int read_row(db_t *db, const char *key, int64_t *failures, int64_t *last_at)
{
	db_stmt *st = db_prepare(db, "SELECT failures, last_at FROM login_attempts WHERE key = ?");
	if (st == NULL || db_bind_text(st, 1, key, -1) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*failures = db_col_int64(st, 0);
		*last_at = db_col_int64(st, 1);
		rc = 0;
	} else {
		rc = rc == DB_DONE ? 1 : -1;
	}
	db_done(st);
	return rc;
}

static bool forgotten(int64_t failures, int64_t last_at, int64_t now)
{
	/* A clock that went back does not make a key wait for ever. */
	return now >= last_at + throttle_delay(failures) + THROTTLE_WINDOW || now < last_at - 300;
}

int throttle_wait(db_t *db, const char *key, int64_t now, int64_t *wait)
{
	*wait = 0;
	if (!key_ok(key))
		return -1;
	int64_t failures = 0, last_at = 0;
	int rc = read_row(db, key, &failures, &last_at);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (forgotten(failures, last_at, now))
		return 0;
	int64_t until = last_at + throttle_delay(failures);
	*wait = until > now ? until - now : 0;
	return 0;
}

int throttle_fail(db_t *db, const char *key, int64_t now)
{
	if (!key_ok(key))
		return -1;
	int nested = 0, rc = -1;
	db_stmt *st = NULL;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t failures = 0, last_at = 0;
	int found = read_row(db, key, &failures, &last_at);
	if (found < 0)
		goto done;
	if (found == 1 || forgotten(failures, last_at, now)) {
		st = db_prepare(db, "INSERT INTO login_attempts (key, failures, first_at, last_at) "
				    "VALUES (?, 1, ?, ?) ON CONFLICT (key) DO UPDATE SET "
				    "failures = 1, first_at = excluded.first_at, "
				    "last_at = excluded.last_at");
		if (st == NULL || db_bind_text(st, 1, key, -1) != 0 || db_bind_int64(st, 2, now) != 0 ||
		    db_bind_int64(st, 3, now) != 0)
			goto done;
	} else {
		st = db_prepare(db, "UPDATE login_attempts SET failures = failures + 1, "
				    "last_at = max(last_at, ?) WHERE key = ?");
		if (st == NULL || db_bind_int64(st, 1, now) != 0 || db_bind_text(st, 2, key, -1) != 0)
			goto done;
	}
	if (db_step(st) != DB_DONE)
		goto done;
	rc = 0;
done:
	db_done(st);
	if (db_write_end(db, nested, rc == 0) != 0)
		rc = -1;
	return rc;
}

int throttle_clear(db_t *db, const char *key)
{
	if (!key_ok(key))
		return -1;
	db_stmt *st = db_prepare(db, "DELETE FROM login_attempts WHERE key = ?");
	int rc = st != NULL && db_bind_text(st, 1, key, -1) == 0 && db_step(st) == DB_DONE ? 0 : -1;
	db_done(st);
	return rc;
}

int throttle_purge(db_t *db, int64_t now)
{
	/* forgotten() in SQL: the CASE is throttle_delay(). The first condition
	 * lets the index on last_at find the candidates. */
	db_stmt *st = db_prepare(
	    db, "DELETE FROM login_attempts WHERE last_at <= ? AND last_at + "
		"(CASE WHEN failures < ? THEN 0 ELSE min(? << min(failures - ?, 20), ?) END) + ? <= ?");
	int rc = st != NULL && db_bind_int64(st, 1, now - THROTTLE_WINDOW) == 0 &&
			 db_bind_int64(st, 2, THROTTLE_FREE) == 0 &&
			 db_bind_int64(st, 3, THROTTLE_BASE) == 0 &&
			 db_bind_int64(st, 4, THROTTLE_FREE) == 0 &&
			 db_bind_int64(st, 5, THROTTLE_MAX) == 0 &&
			 db_bind_int64(st, 6, THROTTLE_WINDOW) == 0 && db_bind_int64(st, 7, now) == 0 &&
			 db_step(st) == DB_DONE
		     ? 0
		     : -1;
	db_done(st);
	return rc;
}

/* ---- what one address did recently ---------------------------------------- */

static bool address_ok(const char *key)
{
	return key_ok(key) && key[0] == 'n';
}

int throttle_action_count(db_t *db, const char *address, enum throttle_action action,
			  int64_t since, int64_t *count)
{
	*count = 0;
	if (!address_ok(address))
		return -1;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM address_actions "
				     "WHERE address = ? AND action = ? AND at >= ?");
	if (st == NULL || db_bind_text(st, 1, address, -1) != 0 ||
	    db_bind_int64(st, 2, action) != 0 || db_bind_int64(st, 3, since) != 0 ||
	    db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*count = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

int throttle_action_note(db_t *db, const char *address, enum throttle_action action,
			 int64_t now)
{
	if (!address_ok(address))
		return -1;
	int nested = 0, rc = -1;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	/* Forgetting here keeps the table at about a day of actions without a
	 * separate job; the index on `at` makes it cheap when nothing is due. */
	db_stmt *st = db_prepare(db, "DELETE FROM address_actions WHERE at < ?");
	if (st == NULL || db_bind_int64(st, 1, now - THROTTLE_ACTIONS_KEEP) != 0 ||
	    db_step(st) != DB_DONE)
		goto done;
	db_done(st);
	st = db_prepare(db, "INSERT INTO address_actions (address, action, at) VALUES (?, ?, ?)");
	if (st == NULL || db_bind_text(st, 1, address, -1) != 0 ||
	    db_bind_int64(st, 2, action) != 0 || db_bind_int64(st, 3, now) != 0 ||
	    db_step(st) != DB_DONE)
		goto done;
	rc = 0;
done:
	db_done(st);
	if (db_write_end(db, nested, rc == 0) != 0)
		rc = -1;
	return rc;
}
