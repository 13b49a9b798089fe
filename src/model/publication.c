/*
 * publication.c - the museum's publications (see publication.h).
 */
#include "model/publication.h"

#include <ctype.h>
#include <string.h>

#include "core/log.h"

/* Saving a record: insert (?11 is 0), or update row ?11. */
static const char *const save_sql[] = {
	"INSERT INTO publications (title, authors, year, publisher, isbn, pages,"
	" cover_media_id, pdf_media_id, description, public)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE ?11 = 0",
	"UPDATE publications SET title = ?1, authors = ?2, year = ?3,"
	" publisher = ?4, isbn = ?5, pages = ?6, cover_media_id = ?7,"
	" pdf_media_id = ?8, description = ?9, public = ?10,"
	" updated_at = unixepoch() WHERE id = ?11"};

bool publication_isbn_normalise(const char *in, char out[14])
{
	size_t n = 0;
	out[0] = '\0';
	if (in == NULL)
		return false;
	for (const char *p = in; *p != '\0'; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		bool digit = isdigit((unsigned char)*p) != 0;
		/* X stands for ten, and only as an ISBN-10's check digit. */
		bool ten = (*p == 'X' || *p == 'x') && n == 9 && p[1 + strspn(p + 1, "- ")] == '\0';
		if ((!digit && !ten) || n >= 13)
			return false;
		out[n++] = ten ? 'X' : *p;
	}
	out[n] = '\0';
	int sum = 0;
	if (n == 10) {
		for (size_t i = 0; i < 10; i++)
			sum += (int)(10 - i) * (out[i] == 'X' ? 10 : out[i] - '0');
		return sum % 11 == 0;
	}
	if (n != 13 || out[9] == 'X' || (strncmp(out, "978", 3) != 0 && strncmp(out, "979", 3) != 0))
		return false;
	for (size_t i = 0; i < 13; i++)
		sum += (i % 2 == 0 ? 1 : 3) * (out[i] - '0');
	return sum % 10 == 0;
}

int publication_check(const publication *p, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "title", p->title, PUBLICATION_TITLE_MAX, true, false)) ||
	    (rc = reg_check_text(f, "authors", p->authors, PUBLICATION_AUTHORS_MAX, false, false)))
		return rc;
	if (p->year < PUBLICATION_YEAR_MIN || p->year > PUBLICATION_YEAR_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "year", PUBLICATION_YEAR_MAX);
	if ((rc = reg_check_text(f, "publisher", p->publisher, PUBLICATION_PUBLISHER_MAX, false,
				 false)))
		return rc;
	char isbn[14];
	if (p->isbn != NULL && p->isbn[0] != '\0' && !publication_isbn_normalise(p->isbn, isbn))
		return reg_refuse(f, REG_BAD_NUMBER, "isbn");
	if (p->pages < 0 || p->pages > PUBLICATION_PAGES_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "pages", PUBLICATION_PAGES_MAX);
	return reg_check_text(f, "description", p->description, PUBLICATION_DESCRIPTION_MAX, false,
			      true);
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* The cover is a picture of the library the worker could read; the PDF a
 * PDF of the library. */
static int media_guard(db_t *db, const publication *p, model_problem *f)
{
	int rc = 0;
	if (p->cover_media_id > 0 &&
	    ((rc = reg_require(db, f, REG_NOT_FOUND, "cover_media_id",
			       "SELECT 1 FROM media WHERE id = ?", p->cover_media_id)) ||
	     (rc = reg_require(db, f, REG_NOT_PICTURE, "cover_media_id",
			       "SELECT 1 FROM media WHERE id = ? AND mime IN ('image/jpeg',"
			       " 'image/png', 'image/webp', 'image/gif')",
			       p->cover_media_id))))
		return rc;
	if (p->pdf_media_id > 0 &&
	    ((rc = reg_require(db, f, REG_NOT_FOUND, "pdf_media_id",
			       "SELECT 1 FROM media WHERE id = ?", p->pdf_media_id)) ||
	     (rc = reg_require(db, f, REG_BAD_CHOICE, "pdf_media_id",
			       "SELECT 1 FROM media WHERE id = ? AND mime = 'application/pdf'",
			       p->pdf_media_id))))
		return rc;
	return 0;
}

static int bind_fields(db_stmt *st, const publication *p, const char *isbn)
{
	return db_bind_text(st, 1, p->title, -1) || db_bind_text(st, 2, or_empty(p->authors), -1) ||
	       db_bind_int64(st, 3, p->year) || db_bind_text(st, 4, or_empty(p->publisher), -1) ||
	       db_bind_text(st, 5, isbn, -1) ||
	       (p->pages > 0 ? db_bind_int64(st, 6, p->pages) : db_bind_null(st, 6)) ||
	       (p->cover_media_id > 0 ? db_bind_int64(st, 7, p->cover_media_id)
				      : db_bind_null(st, 7)) ||
	       (p->pdf_media_id > 0 ? db_bind_int64(st, 8, p->pdf_media_id) : db_bind_null(st, 8)) ||
	       db_bind_text(st, 9, or_empty(p->description), -1) ||
	       db_bind_int64(st, 10, p->is_public ? 1 : 0) || db_bind_int64(st, 11, p->id);
}

/* Inserts (p->id 0) or replaces p in one unit of writing. */
static int save(db_t *db, const publication *p, int64_t *id, model_problem *f)
{
	int rc = publication_check(p, f);
	if (rc != 0)
		return rc;
	char isbn[14] = "";
	if (p->isbn != NULL && p->isbn[0] != '\0')
		publication_isbn_normalise(p->isbn, isbn);
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = media_guard(db, p, f);
	if (result == 0 && isbn[0] != '\0') {
		db_stmt *st = db_prepare(db, "SELECT 1 FROM publications WHERE isbn = ? AND id <> ?");
		int step = st != NULL && db_bind_text(st, 1, isbn, -1) == 0 &&
				   db_bind_int64(st, 2, p->id) == 0
			       ? db_step(st)
			       : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = step == DB_ROW ? reg_refuse(f, REG_DUPLICATE, "isbn")
					: step == DB_DONE ? 0 : -1;
	}
	if (result == 0) {
		db_stmt *st = db_prepare(db, save_sql[p->id != 0]);
		int step = st != NULL && bind_fields(st, p, isbn) == 0 ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, p->id, id, f);
	}
	return reg_finish(db, nested, result);
}

int publication_add(db_t *db, const publication *p, int64_t *id, model_problem *f)
{
	publication copy = *p;
	copy.id = 0;
	return save(db, &copy, id, f);
}

int publication_update(db_t *db, const publication *p, model_problem *f)
{
	if (p->id <= 0)
		return reg_refuse(f, REG_NOT_FOUND, "id");
	return save(db, p, NULL, f);
}

int publication_delete(db_t *db, int64_t id, model_problem *f)
{
	db_stmt *st = db_prepare(db, "DELETE FROM publications WHERE id = ?");
	int step = st != NULL && db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	if (step != DB_DONE)
		return -1;
	return db_changes(db) == 0 ? reg_refuse(f, REG_NOT_FOUND, "id") : 0;
}

#define COLUMNS                                                                              \
	"SELECT id, year, ifnull(pages, 0), ifnull(cover_media_id, 0), ifnull(pdf_media_id, 0),"  \
	" public, updated_at, title, authors, publisher, isbn, description FROM publications"

/* A row of COLUMNS into the publication item. */
static int fill(arena_t *a, db_stmt *st, void *item)
{
	publication *p = item;
	int64_t *const numbers[] = {&p->id, &p->year, &p->pages, &p->cover_media_id,
				    &p->pdf_media_id, &p->is_public, &p->updated_at};
	const char **const texts[] = {&p->title, &p->authors, &p->publisher, &p->isbn,
				      &p->description};
	return reg_read_row(a, st, numbers, 7, texts, 5);
}

int publication_get(db_t *db, arena_t *a, int64_t id, publication *out)
{
	return reg_get_row(db, a, COLUMNS " WHERE id = ?", id, sizeof *out, fill, out);
}

int publication_list(db_t *db, arena_t *a, bool only_public, publication **items, size_t *n)
{
	db_stmt *st = db_prepare(db, COLUMNS " WHERE (?1 = 0 OR public = 1)"
					     " ORDER BY year DESC, id DESC LIMIT ?2");
	bool bound = st != NULL && db_bind_int64(st, 1, only_public ? 1 : 0) == 0 &&
		     db_bind_int64(st, 2, PUBLICATION_LIST_MAX) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, PUBLICATION_LIST_MAX, fill, items, n, NULL);
}

int publication_search(db_t *db, arena_t *a, const char *match, int64_t offset, size_t limit,
		       int64_t count_max, publication **items, size_t *n, int64_t *total)
{
	static const char *const count_sql =
	    "SELECT count(*) FROM (SELECT 1 FROM publication_fts f JOIN publications p"
	    " ON p.id = f.rowid WHERE publication_fts MATCH ?1 AND p.public = 1 LIMIT ?2)";
	return reg_search_page(db, a, count_sql,
			       COLUMNS " JOIN (SELECT rowid AS fid, rank FROM publication_fts"
				       " WHERE publication_fts MATCH ?1) f ON f.fid = id"
				       " WHERE public = 1 ORDER BY f.rank, id DESC LIMIT ?2 OFFSET ?3",
			       match, offset, limit, count_max, sizeof **items, fill, items, n, total);
}
