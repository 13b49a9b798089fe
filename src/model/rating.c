/*
 * rating.c - article ratings (see rating.h).
 */
#include "model/rating.h"

#include <time.h>

#include "core/log.h"
#include "model/article.h"
#include "model/visitor.h"

/* 1 when the article is public now, 0 when not, -1 on error. */
static int article_public(db_t *db, int64_t article_id)
{
	db_stmt *st = db_prepare(db, "SELECT 1 FROM articles "
				     "WHERE id = ? AND status = ? AND published_at <= ?");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_int64(st, 2, ARTICLE_PUBLISHED) != 0 ||
	    db_bind_int64(st, 3, (int64_t)time(NULL)) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : -1;
}

int rating_add(db_t *db, int64_t article_id, const char *visitor, int stars)
{
	int nested = 0, result = -1;
	db_stmt *st = NULL;
	if (stars < RATING_MIN || stars > RATING_MAX || !visitor_id_valid(visitor))
		return RATING_INVALID;
	if (db_write_begin(db, &nested) != 0)
		return -1;

	/* Checked inside the write transaction, so the article cannot vanish
	 * between the check and the insert; this also keeps a foreign-key
	 * failure from being mistaken for a duplicate vote below. */
	int pub = article_public(db, article_id);
	if (pub <= 0) {
		result = pub == 0 ? RATING_NOT_FOUND : -1;
		goto fail;
	}

	st = db_prepare(db, "INSERT INTO ratings (article_id, visitor, stars, created_at) "
			    "VALUES (?, ?, ?, ?)");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_text(st, 2, visitor, -1) != 0 || db_bind_int64(st, 3, stars) != 0 ||
	    db_bind_int64(st, 4, (int64_t)time(NULL)) != 0)
		goto fail;
	int rc = db_step(st);
	db_done(st);
	st = NULL;
	if (rc == DB_CONSTRAINT) {
		result = RATING_DUPLICATE;
		goto fail;
	}
	if (rc != DB_DONE)
		goto fail;

	st = db_prepare(db, "INSERT INTO rating_totals (article_id, count, sum) VALUES (?, 1, ?) "
			    "ON CONFLICT (article_id) DO UPDATE "
			    "SET count = count + 1, sum = sum + excluded.sum");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_int64(st, 2, stars) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	st = NULL;
	if (db_write_end(db, nested, 1) != 0)
		return -1;
	return RATING_OK;
fail:
	db_done(st);
	db_write_end(db, nested, 0);
	return result;
}

int rating_summary(db_t *db, int64_t article_id, int64_t *count, double *average)
{
	*count = 0;
	*average = 0.0;
	db_stmt *st = db_prepare(db, "SELECT count, sum FROM rating_totals WHERE article_id = ?");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int64_t n = db_col_int64(st, 0), sum = db_col_int64(st, 1);
		if (n > 0) {
			*count = n;
			*average = (double)sum / (double)n;
		}
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int rating_get(db_t *db, int64_t article_id, const char *visitor, int *stars)
{
	*stars = 0;
	if (!visitor_id_valid(visitor))
		return 1;
	db_stmt *st = db_prepare(db, "SELECT stars FROM ratings WHERE article_id = ? AND visitor = ?");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_text(st, 2, visitor, -1) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		*stars = (int)db_col_int64(st, 0);
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	return rc == DB_DONE ? 1 : -1;
}
