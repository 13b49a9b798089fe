/*
 * settings.h - site-wide values kept in the settings table.
 */
#ifndef SEN_MODEL_SETTINGS_H
#define SEN_MODEL_SETTINGS_H

#include <stddef.h>

#include "db/db.h"

#define SETTINGS_SECRET_MAX 64

/*
 * Fills key (len bytes, at most SETTINGS_SECRET_MAX) with the random secret
 * stored under `name`, creating it from libsodium's generator the first
 * time. When processes race to create it, the first one stored wins and
 * everyone reads that one. A stored value that is not len bytes of hex is an
 * error, never silently replaced: keys derived from it (visitor ids, login
 * forms) would all change. 0, or -1 (logged; key zeroed).
 */
int settings_secret(db_t *db, const char *name, unsigned char *key, size_t len);

#endif
