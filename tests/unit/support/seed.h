/*
 * seed.h - rows the model tests start from, written the same way for every
 * test binary that lists ../support/seed.c: news categories, the pictures
 * the media module would have stored, back-office accounts.
 *
 * Each returns 0 (or an id) on success and -1 on failure, so that a cmocka
 * set-up can stop at the first that fails. Nothing is allocated.
 */
#ifndef SEN_TESTS_SEED_H
#define SEN_TESTS_SEED_H

#include <stdint.h>

#include "db/db.h"

/* "Tin hoạt động" into *first and the category named second into *other. */
int seed_categories(db_t *db, const char *second, int64_t *first, int64_t *other);

/* Two stored pictures: a1b2c3.png (hoi-nghi.png, 800x600) and d4e5f6.jpg
 * (bao-tang.jpg, 1024x768). */
int seed_pictures(db_t *db);

/* What the article tests start from: "Tin hoạt động" into *first, "Tin tức
 * - Sự kiện" into *other, and the two pictures of seed_pictures(). */
int seed_newsroom(db_t *db, int64_t *first, int64_t *other);

/* An account with a placeholder Argon2id hash (no one signs in with it);
 * role is "admin", "editor", "author" or "moderator". Its id, or -1. */
int64_t seed_account(db_t *db, const char *name, const char *role);

#endif
