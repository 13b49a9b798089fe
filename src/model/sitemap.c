/*
 * sitemap.c - the published articles a sitemap lists (sitemap.h).
 *
 * Memory: nothing is allocated; the strings handed to the callback live in
 * the statement and are valid during the call only.
 */
#include "model/sitemap.h"

#include <time.h>

#include "model/article_sql.h"

/* Steps st (its parameters `first`, the limit, and first + 1, the offset,
 * bound here) and hands each row to row(); the loop both sitemaps share.
 * 0, -1, or row's non-zero result. */
static int each_row(db_stmt *st, int first, int64_t offset, int64_t limit,
		    int (*row)(db_stmt *st, void *ctx), void *ctx)
{
	if (st == NULL)
		return -1;
	int result = -1, rc = DB_ERROR;
	if (db_bind_int64(st, first, limit) == 0 && db_bind_int64(st, first + 1, offset) == 0) {
		while ((rc = db_step(st)) == DB_ROW) {
			int r = row(st, ctx);
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

typedef struct {
	sitemap_article_fn fn;
	void *arg;
} article_rows;

static int article_row(db_stmt *st, void *ctx)
{
	const article_rows *w = ctx;
	const char *cat = db_col_text(st, 1), *slug = db_col_text(st, 2);
	return w->fn(db_col_int64(st, 0), cat != NULL ? cat : "", slug != NULL ? slug : "",
		     db_col_int64(st, 3), w->arg);
}

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
	if (st != NULL && db_bind_int64(st, 1, (int64_t)time(NULL)) != 0) {
		db_done(st);
		return -1;
	}
	article_rows w = {fn, arg};
	return each_row(st, 2, offset, limit, article_row, &w);
}

typedef struct {
	sitemap_object_fn fn;
	void *arg;
} object_rows;

static int object_row(db_stmt *st, void *ctx)
{
	const object_rows *w = ctx;
	return w->fn(db_col_int64(st, 0), db_col_int64(st, 1), w->arg);
}

int sitemap_each_object(db_t *db, int64_t offset, int64_t limit, sitemap_object_fn fn, void *arg)
{
	if (db == NULL || fn == NULL || offset < 0 || limit < 0)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT c.object_id, o.updated_at FROM collection_items c"
				     " JOIN objects o ON o.id = c.object_id"
				     " ORDER BY c.object_id LIMIT ?1 OFFSET ?2");
	object_rows w = {fn, arg};
	return each_row(st, 1, offset, limit, object_row, &w);
}

int sitemap_count_objects(db_t *db, int64_t *n)
{
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM collection_items");
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
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
