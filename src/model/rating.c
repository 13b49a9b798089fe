/*
 * rating.c - article ratings (see rating.h).
 */
#include "model/rating.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "model/article.h"
#include "model/visitor.h"

/* Votes address gave since `since`, on article_id (or the whole site when
 * article_id is 0). 0 or -1. */
static int address_votes(db_t *db, const char *address, int64_t article_id, int64_t since,
			 int64_t *count)
{
	db_stmt *st = db_prepare(db, article_id != 0
					 ? "SELECT count(*) FROM ratings WHERE address = ? "
					   "AND created_at >= ? AND article_id = ?"
					 : "SELECT count(*) FROM ratings WHERE address = ? "
					   "AND created_at >= ?");
	*count = 0;
	if (st == NULL || db_bind_text(st, 1, address, -1) != 0 ||
	    db_bind_int64(st, 2, since) != 0 ||
	    (article_id != 0 && db_bind_int64(st, 3, article_id) != 0) || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*count = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

/* RATING_OK when address may vote on article_id at now, RATING_ADDRESS_SPENT
 * when not, -1. */
static int address_budget(db_t *db, const char *address, int64_t article_id, int64_t now)
{
	int64_t on_article = 0, in_hour = 0;
	if (address_votes(db, address, article_id, now - RATING_ADDRESS_ARTICLE_WINDOW,
			  &on_article) != 0 ||
	    address_votes(db, address, 0, now - 3600, &in_hour) != 0)
		return -1;
	return on_article >= RATING_ADDRESS_PER_ARTICLE || in_hour >= RATING_ADDRESS_PER_HOUR
		   ? RATING_ADDRESS_SPENT
		   : RATING_OK;
}

static bool address_valid(const char *address)
{
	if (address == NULL || strlen(address) != 33 || address[0] != 'n')
		return false;
	for (size_t i = 1; i < 33; i++)
		if (!((address[i] >= '0' && address[i] <= '9') ||
		      (address[i] >= 'a' && address[i] <= 'f')))
			return false;
	return true;
}

/* rating_add() and rating_add_from(); address "" checks no budget. */
static int add(db_t *db, int64_t article_id, const char *visitor, const char *address,
	       int stars, int64_t now)
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
	int pub = article_public(db, article_id, now);
	if (pub <= 0) {
		result = pub == 0 ? RATING_NOT_FOUND : -1;
		goto fail;
	}
	/* In the same transaction: racing votes from one address cannot all
	 * pass a budget that has room for one more. */
	if (address[0] != '\0' && (result = address_budget(db, address, article_id, now)) != RATING_OK)
		goto fail;
	result = -1;

	st = db_prepare(db, "INSERT INTO ratings (article_id, visitor, stars, created_at, address) "
			    "VALUES (?, ?, ?, ?, ?)");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_text(st, 2, visitor, -1) != 0 || db_bind_int64(st, 3, stars) != 0 ||
	    db_bind_int64(st, 4, now) != 0 || db_bind_text(st, 5, address, -1) != 0)
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

int rating_add(db_t *db, int64_t article_id, const char *visitor, int stars)
{
	return add(db, article_id, visitor, "", stars, (int64_t)time(NULL));
}

int rating_add_from(db_t *db, int64_t article_id, const char *visitor, const char *address,
		    int stars, int64_t now)
{
	if (!address_valid(address))
		return RATING_INVALID;
	return add(db, article_id, visitor, address, stars, now);
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

/* ---- the statistics page -------------------------------------------------- */

int rating_overall(db_t *db, int64_t *count, double *average)
{
	*count = 0;
	*average = 0.0;
	db_stmt *st = db_prepare(db, "SELECT coalesce(sum(count), 0), coalesce(sum(sum), 0) "
				     "FROM rating_totals");
	if (st == NULL || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	int64_t n = db_col_int64(st, 0), sum = db_col_int64(st, 1);
	db_done(st);
	if (n > 0) {
		*count = n;
		*average = (double)sum / (double)n;
	}
	return 0;
}

int rating_distribution(db_t *db, int64_t counts[RATING_MAX])
{
	/* counts[0] holds the votes of one star: RATING_MIN is 1. */
	return db_count_by(db, "SELECT stars, count(*) FROM ratings GROUP BY stars", RATING_MIN,
			   counts, RATING_MAX);
}

static int fill_entry(arena_t *a, db_stmt *st, void *item)
{
	rating_entry *e = item;
	e->article_id = db_col_int64(st, 0);
	e->article_status = (int)db_col_int64(st, 4);
	e->count = db_col_int64(st, 5);
	e->average = e->count > 0 ? (double)db_col_int64(st, 6) / (double)e->count : 0.0;
	const char **dst[] = {&e->title, &e->slug, &e->category_slug};
	return db_col_copy_texts(a, st, 1, dst, 3);
}

int rating_list(db_t *db, arena_t *a, enum rating_order order, int64_t min_count, int limit,
		rating_entry **items, size_t *n)
{
	/* Ties keep a stable order (the article id) so the page does not jump. */
	static const char *const sql[2] = {
		"SELECT t.article_id, a.title, a.slug, g.slug, a.status, t.count, t.sum "
		"FROM rating_totals t JOIN articles a ON a.id = t.article_id "
		"JOIN categories g ON g.id = a.category_id WHERE t.count >= ? "
		"ORDER BY t.count DESC, CAST(t.sum AS REAL) / t.count DESC, t.article_id LIMIT ?",
		"SELECT t.article_id, a.title, a.slug, g.slug, a.status, t.count, t.sum "
		"FROM rating_totals t JOIN articles a ON a.id = t.article_id "
		"JOIN categories g ON g.id = a.category_id WHERE t.count >= ? "
		"ORDER BY CAST(t.sum AS REAL) / t.count DESC, t.count DESC, t.article_id LIMIT ?",
	};
	*items = NULL;
	*n = 0;
	if (limit < 1 || limit > RATING_LIST_MAX || (order != RATING_ORDER_MOST &&
						      order != RATING_ORDER_BEST)) {
		log_error("rating: list of %d in order %d refused", limit, (int)order);
		return -1;
	}
	db_stmt *st = db_prepare(db, sql[order]);
	return db_fill_rows(st,
			    st != NULL && db_bind_int64(st, 1, min_count > 1 ? min_count : 1) == 0 &&
				db_bind_int64(st, 2, limit) == 0,
			    a, sizeof **items, (size_t)limit, fill_entry, items, n, NULL);
}

/* ---- for the moderators ----------------------------------------------------- */

static int fill_concentration(arena_t *a, db_stmt *st, void *item)
{
	rating_concentration *e = item;
	e->article_id = db_col_int64(st, 0);
	e->count = db_col_int64(st, 2);
	e->from_one = db_col_int64(st, 3);
	const char **title[] = {&e->title}, **dst[] = {&e->slug, &e->category_slug};
	return db_col_copy_texts(a, st, 1, title, 1) || db_col_copy_texts(a, st, 4, dst, 2) ? -1 : 0;
}

int rating_concentrated(db_t *db, arena_t *a, int limit, rating_concentration **items,
			size_t *n)
{
	*items = NULL;
	*n = 0;
	if (limit < 1 || limit > RATING_LIST_MAX)
		return -1;
	/* Votes made before addresses were kept (address '') are nobody's. */
	db_stmt *st = db_prepare(
	    db, "SELECT r.article_id, a.title, t.count, max(r.n), a.slug, g.slug FROM "
		"(SELECT article_id, address, count(*) AS n FROM ratings WHERE address <> '' "
		" GROUP BY article_id, address HAVING n >= ?) r "
		"JOIN rating_totals t ON t.article_id = r.article_id "
		"JOIN articles a ON a.id = r.article_id JOIN categories g ON g.id = a.category_id "
		"GROUP BY r.article_id HAVING 2 * max(r.n) > t.count "
		"ORDER BY max(r.n) DESC, r.article_id LIMIT ?");
	return db_fill_rows(st,
			    st != NULL && db_bind_int64(st, 1, RATING_CONCENTRATED_MIN) == 0 &&
				db_bind_int64(st, 2, limit) == 0,
			    a, sizeof **items, (size_t)limit, fill_concentration, items, n, NULL);
}
