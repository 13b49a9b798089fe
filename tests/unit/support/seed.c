/*
 * seed.c - rows the model tests start from (see seed.h).
 */
#include "seed.h"
#include "model/category.h"

int seed_categories(db_t *db, const char *second, int64_t *first, int64_t *other)
{
	if (category_ensure(db, "Tin hoạt động", first) != 0 ||
	    category_ensure(db, second, other) != 0)
		return -1;
	return 0;
}

int seed_pictures(db_t *db)
{
	return db_exec(db, "INSERT INTO media (file, original_name, mime, bytes, width, height)"
			   " VALUES ('a1b2c3.png', 'hoi-nghi.png', 'image/png', 1000, 800, 600),"
			   " ('d4e5f6.jpg', 'bao-tang.jpg', 'image/jpeg', 2000, 1024, 768)");
}

int seed_newsroom(db_t *db, int64_t *first, int64_t *other)
{
	if (seed_categories(db, "Tin tức - Sự kiện", first, other) != 0 || seed_pictures(db) != 0)
		return -1;
	return 0;
}

int64_t seed_account(db_t *db, const char *name, const char *role)
{
	db_stmt *st = db_prepare(db, "INSERT INTO users (name, role, password_hash, created_at,"
				     " password_changed_at) VALUES (?, ?,"
				     " '$argon2id$v=19$m=65536,t=2,p=1$xxxxxxxx', 1, 1)");
	if (st == NULL || db_bind_text(st, 1, name, -1) != 0 || db_bind_text(st, 2, role, -1) != 0 ||
	    db_step(st) != DB_DONE) {
		db_done(st);
		return -1;
	}
	db_done(st);
	return db_last_insert_id(db);
}
