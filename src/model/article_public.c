/*
 * article_public.c - whether readers may see an article now (article.h).
 *
 * Apart from article.c because the widgets library (ratings, CAPTCHAs)
 * links without the rest of the article model.
 */
#include "model/article.h"

int article_public(db_t *db, int64_t id, int64_t now)
{
	db_stmt *st = db_prepare(db, "SELECT 1 FROM articles "
				     "WHERE id = ? AND " ARTICLE_PUBLIC_SQL(""));
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, now) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : -1;
}
