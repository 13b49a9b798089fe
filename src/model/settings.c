/*
 * settings.c - site-wide values in the settings table.
 */
#include "model/settings.h"

#include <string.h>

#include <sodium.h>

#include "core/log.h"

/* Reads the stored secret. 0 found, 1 missing, -1 error or malformed. */
static int secret_read(db_t *db, const char *name, unsigned char *key, size_t len)
{
	db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?");
	if (st == NULL || db_bind_text(st, 1, name, -1) != 0)
		goto fail;
	int rc = db_step(st);
	if (rc == DB_DONE) {
		db_done(st);
		return 1;
	}
	if (rc != DB_ROW)
		goto fail;
	const char *hex = db_col_text(st, 0);
	size_t got = 0;
	if (hex == NULL || strlen(hex) != 2 * len ||
	    sodium_hex2bin(key, len, hex, strlen(hex), NULL, &got, NULL) != 0 || got != len) {
		log_error("settings: '%s' is malformed; fix or delete it (a new one is then made)",
			  name);
		goto fail;
	}
	db_done(st);
	return 0;
fail:
	db_done(st);
	return -1;
}

int settings_secret(db_t *db, const char *name, unsigned char *key, size_t len)
{
	unsigned char fresh[SETTINGS_SECRET_MAX];
	char hex[2 * SETTINGS_SECRET_MAX + 1];
	int nested = 0, began = 0;
	db_stmt *st = NULL;

	if (len == 0 || len > SETTINGS_SECRET_MAX) {
		log_error("settings: secret '%s' of %zu bytes is not supported", name, len);
		return -1;
	}
	if (sodium_init() < 0) {
		log_error("settings: libsodium cannot start");
		goto fail;
	}
	int rc = secret_read(db, name, key, len);
	if (rc == 0)
		return 0;
	if (rc < 0)
		goto fail;

	randombytes_buf(fresh, len);
	sodium_bin2hex(hex, sizeof hex, fresh, len);
	if (db_write_begin(db, &nested) != 0)
		goto fail;
	began = 1;
	/* Another process may have stored one meanwhile: the first one stays. */
	st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?, ?) "
			    "ON CONFLICT (key) DO NOTHING");
	if (st == NULL || db_bind_text(st, 1, name, -1) != 0 ||
	    db_bind_text(st, 2, hex, -1) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	st = NULL;
	began = 0;
	if (db_write_end(db, nested, 1) != 0)
		goto fail;
	sodium_memzero(fresh, sizeof fresh);
	sodium_memzero(hex, sizeof hex);
	if (secret_read(db, name, key, len) != 0)
		goto fail;
	log_info("settings: created the site secret '%s'", name);
	return 0;
fail:
	db_done(st);
	if (began)
		db_write_end(db, nested, 0);
	sodium_memzero(fresh, sizeof fresh);
	sodium_memzero(hex, sizeof hex);
	sodium_memzero(key, len);
	return -1;
}
