/*
 * sitemap.c - the published articles a sitemap lists (sitemap.h).
 *
 * Memory: nothing is allocated; the strings handed to the callback live in
 * the statement and are valid during the call only.
 */
#include "model/sitemap.h"

#include <time.h>

#include "model/article_sql.h"

int sitemap_each_article(db_t *db, int64_t offset, int64_t limit, sitemap_article_fn fn,
			 void *arg)
{
	if (db == NULL || fn == NULL || offset < 0 || limit < 0)
		return -1;
	/* The narrow index filters and orders; only the rows written out are
	 * read from the wide table. */
	db_stmt *st = db_prepare(db, "SELECT a.id, c.slug, a.slug, a.updated_at"
				     " FROM articles a INDEXED BY articles_search"
				     " JOIN categories c ON c.id = a.category_id"
				     " WHERE " ARTICLE_PUBLIC_SQL("a.")
				     " ORDER BY a.id LIMIT ? OFFSET ?");
	if (st == NULL)
		return -1;
	int result = -1, rc = DB_ERROR;
	if (db_bind_int64(st, 1, (int64_t)time(NULL)) == 0 && db_bind_int64(st, 2, limit) == 0 &&
	    db_bind_int64(st, 3, offset) == 0) {
		while ((rc = db_step(st)) == DB_ROW) {
			const char *cat = db_col_text(st, 1), *slug = db_col_text(st, 2);
			int r = fn(db_col_int64(st, 0), cat != NULL ? cat : "", slug != NULL ? slug : "",
				   db_col_int64(st, 3), arg);
			if (r != 0) {
				result = r;
				goto done;
			}
		}
	}
	if (rc == DB_DONE)
		result = 0;
done:
	db_done(st);
	return result;
}

static int fill_museum(arena_t *a, db_stmt *st, void *item)
{
	sitemap_museum_page *p = item;
	p->id = db_col_int64(st, 0);
	p->created_at = db_col_int64(st, 1);
	p->updated_at = db_col_int64(st, 2);
	const char **dst[] = {&p->kind, &p->title, &p->description};
	return db_col_copy_texts(a, st, 3, dst, 3);
}

int sitemap_museum_pages(db_t *db, arena_t *a, size_t limit, sitemap_museum_page **items,
			 size_t *n)
{
	if (limit > SITEMAP_MUSEUM_MAX)
		limit = SITEMAP_MUSEUM_MAX;
	db_stmt *st = db_prepare(db, "SELECT id, created_at, updated_at, 'trung-bay', title,"
				     " description FROM exhibitions WHERE public = 1"
				     " UNION ALL SELECT id, created_at, updated_at, 'an-pham', title,"
				     " description FROM publications WHERE public = 1"
				     " ORDER BY 2 DESC, 4, 1 DESC LIMIT ?");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, (int64_t)limit) == 0, a,
			    sizeof **items, limit, fill_museum, items, n, NULL);
}
