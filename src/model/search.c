/*
 * search.c - running a search: candidates, ranking, count and the hits
 * shown (search.h: search_run).
 *
 * The query comes from search_parse() (search_query.c); the marked titles
 * and passages are made by search_marked_html() (search_snippet.c).
 *
 * Running a query is three small statements: the candidates (at most
 * SEARCH_CANDIDATES matches, with their rank), sorted here; the count, only
 * when the candidates ran out; and the title and snippet of each of the ten
 * articles shown, so snippets are never made for articles nobody sees. Work
 * is bounded by those limits, not by the size of the site, and a deadline
 * (fts_vn_deadline) stops anything that still runs long.
 *
 * Memory: hits and their strings are in the caller's arena.
 */
#include "model/search.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/fts_vn.h"
#include "model/article_sql.h"
#include "model/search_private.h"

/* Every statement joins the matches with the narrow index of sql/003 and
 * checks who may see them; CROSS JOIN keeps FTS5 as the outer loop. */
#define SEARCH_FROM \
	" FROM search_fts CROSS JOIN articles a INDEXED BY articles_search" \
	" ON a.id = search_fts.rowid" \
	" WHERE search_fts MATCH ? AND " ARTICLE_PUBLIC_SQL("a.") \
	" AND a.published_at >= ? AND (? = 0 OR a.category_id = ?)"

/* The candidates: the newest SEARCH_CANDIDATES matches by id (FTS5 walks its
 * doclists backwards and stops there), with what ranking needs. */
static const char rank_sql[] =
	"SELECT search_fts.rowid, sen_exact(search_fts, ?),"
	" round(sen_rank(search_fts, ?, ?, 5.0, 2.0, 1.0), 2), a.published_at" SEARCH_FROM
	" ORDER BY search_fts.rowid DESC LIMIT ?";

/* How many match in all, counted up to SEARCH_COUNT_MAX + 1. */
static const char count_sql[] = "SELECT count(*) FROM (SELECT 1" SEARCH_FROM " LIMIT ?)";

/* One article shown: the title with its matches marked, and the best
 * passage (30 words) of the summary and of the body, marked the same way. */
static const char detail_sql[] =
	"SELECT a.slug, c.slug, c.name, a.title, a.published_at,"
	" highlight(search_fts, 0, char(1), char(2)),"
	" snippet(search_fts, 1, char(1), char(2), '…', 30),"
	" snippet(search_fts, 2, char(1), char(2), '…', 30)"
	" FROM search_fts JOIN articles a ON a.id = search_fts.rowid"
	" JOIN categories c ON c.id = a.category_id"
	" WHERE search_fts MATCH ? AND search_fts.rowid = ?";

static int bind_filter(db_stmt *st, int p, const char *match, int64_t upper, int64_t lower,
		       int64_t category_id)
{
	if (db_bind_text(st, p, match, -1) != 0 || db_bind_int64(st, p + 1, upper) != 0 ||
	    db_bind_int64(st, p + 2, lower) != 0 || db_bind_int64(st, p + 3, category_id) != 0 ||
	    db_bind_int64(st, p + 4, category_id) != 0)
		return -1;
	return 0;
}

/* What a failed step means: the deadline, or a real error. */
static int step_failed(void)
{
	if (fts_vn_deadline_passed()) {
		log_warn("search: stopped after %d ms", SEARCH_DEADLINE_MS);
		return SEARCH_TIMEOUT;
	}
	return SEARCH_ERROR;
}

static bool has_mark(const char *s)
{
	return s != NULL && strchr(s, SEARCH_MARK_OPEN) != NULL;
}

/* Fills everything shown for one hit. 0, 1 when the article went away
 * meanwhile, or an error code. */
static int load_hit(db_t *db, arena_t *a, const search_query *q, search_hit *hit)
{
	db_stmt *st = db_prepare(db, detail_sql);
	if (st == NULL)
		return SEARCH_ERROR;
	int result = SEARCH_ERROR;
	if (db_bind_text(st, 1, q->match_folded, -1) != 0 || db_bind_int64(st, 2, hit->id) != 0)
		goto done;
	int rc = db_step(st);
	if (rc == DB_DONE) {
		result = 1;
		goto done;
	}
	if (rc != DB_ROW) {
		result = step_failed();
		goto done;
	}
	hit->slug = db_col_copy(a, st, 0, "", NULL);
	hit->category_slug = db_col_copy(a, st, 1, "", NULL);
	hit->category_name = db_col_copy(a, st, 2, "", NULL);
	hit->title = db_col_copy(a, st, 3, "", NULL);
	hit->published_at = db_col_int64(st, 4);
	const char *title = db_col_text(st, 5);
	const char *summary = db_col_text(st, 6);
	const char *body = db_col_text(st, 7);
	/* The body's best passage when the words are there, else the summary
	 * (highlighted where it matches), else the start of the body. */
	int col = has_mark(body) ? 7 : (summary != NULL && summary[0] != '\0') ? 6 : 7;
	if (hit->slug == NULL || hit->category_slug == NULL || hit->category_name == NULL ||
	    hit->title == NULL ||
	    search_marked_html(a, title, title != NULL ? (size_t)db_col_bytes(st, 5) : 0,
			       &hit->title_html) != 0 ||
	    search_marked_html(a, db_col_text(st, col), (size_t)db_col_bytes(st, col),
			       &hit->snippet_html) != 0) {
		log_error("search: out of memory");
		goto done;
	}
	result = 0;
done:
	db_done(st);
	return result;
}

typedef struct {
	int64_t id;
	int exact;
	double score;           /* bm25: lower is better */
	int64_t published_at;
} candidate;

/* More exact-accent words first, then bm25, then the newest. */
static int by_rank(const void *pa, const void *pb)
{
	const candidate *x = pa, *y = pb;
	if (x->exact != y->exact)
		return x->exact > y->exact ? -1 : 1;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	if (x->published_at != y->published_at)
		return x->published_at > y->published_at ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* Reads the candidates into c (room for SEARCH_CANDIDATES). */
static int load_candidates(db_t *db, const search_query *q, const search_filter *f,
			   int64_t upper, int64_t lower, candidate *c, size_t *n)
{
	db_stmt *st = db_prepare(db, rank_sql);
	if (st == NULL)
		return SEARCH_ERROR;
	int rc = DB_ERROR;
	*n = 0;
	if (db_bind_int64(st, 1, (int64_t)q->exact_mask) == 0 &&
	    db_bind_int64(st, 2, (int64_t)q->exact_mask) == 0 &&
	    db_bind_text(st, 3, q->phrase_keys, -1) == 0 &&
	    bind_filter(st, 4, q->match, upper, lower, f->category_id) == 0 &&
	    db_bind_int64(st, 9, SEARCH_CANDIDATES) == 0) {
		while (*n < SEARCH_CANDIDATES && (rc = db_step(st)) == DB_ROW) {
			c[*n].id = db_col_int64(st, 0);
			c[*n].exact = (int)db_col_int64(st, 1);
			c[*n].score = db_col_double(st, 2);
			c[*n].published_at = db_col_int64(st, 3);
			(*n)++;
		}
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return step_failed();
	return 0;
}

static int count_matches(db_t *db, const search_query *q, const search_filter *f, int64_t upper,
			 int64_t lower, int64_t *total)
{
	db_stmt *st = db_prepare(db, count_sql);
	if (st == NULL)
		return SEARCH_ERROR;
	int rc = DB_ERROR;
	if (bind_filter(st, 1, q->match_folded, upper, lower, f->category_id) == 0 &&
	    db_bind_int64(st, 6, SEARCH_COUNT_MAX + 1) == 0)
		rc = db_step(st);
	if (rc == DB_ROW)
		*total = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : step_failed();
}

static int run(db_t *db, arena_t *a, const search_query *q, const search_filter *f,
	       search_result *out)
{
	int64_t upper = (int64_t)time(NULL);
	if (f->until > 0 && f->until - 1 < upper)
		upper = f->until - 1;
	int64_t lower = f->from > 0 ? f->from : 0;
	int page = f->page < 1 ? 1 : f->page > SEARCH_PAGES_MAX ? SEARCH_PAGES_MAX : f->page;
	out->page = page;

	candidate *c = arena_alloc(a, SEARCH_CANDIDATES * sizeof(*c));
	search_hit *hits = arena_calloc(a, SEARCH_PAGE_SIZE, sizeof(*hits));
	if (c == NULL || hits == NULL) {
		log_error("search: out of memory");
		return SEARCH_ERROR;
	}
	size_t n;
	int rc = load_candidates(db, q, f, upper, lower, c, &n);
	if (rc != 0)
		return rc;
	/* Fewer candidates than the limit are all the matches. */
	out->total = (int64_t)n;
	if (n == SEARCH_CANDIDATES && (rc = count_matches(db, q, f, upper, lower, &out->total)) != 0)
		return rc;
	if (out->total > SEARCH_COUNT_MAX) {
		out->total = SEARCH_COUNT_MAX;
		out->total_is_lower_bound = true;
	}
	int64_t pages = (out->total + SEARCH_PAGE_SIZE - 1) / SEARCH_PAGE_SIZE;
	out->pages = pages > SEARCH_PAGES_MAX ? SEARCH_PAGES_MAX : (int)pages;
	size_t first = (size_t)(page - 1) * SEARCH_PAGE_SIZE;
	if (page > out->pages || first >= n)
		return 0;

	qsort(c, n, sizeof(*c), by_rank);
	size_t kept = 0;
	for (size_t i = first; i < n && i < first + SEARCH_PAGE_SIZE; i++) {
		search_hit *h = &hits[kept];
		h->id = c[i].id;
		h->exact = c[i].exact;
		int r = load_hit(db, a, q, h);
		if (r < 0)
			return r;
		/* 1: the article changed since the ranking; it is left out. */
		if (r == 0)
			kept++;
	}
	out->items = hits;
	out->n = kept;
	return 0;
}

int search_run(db_t *db, arena_t *a, const search_query *q, const search_filter *f,
	       search_result *out)
{
	search_filter none = {0, 0, 0, 1};
	if (out == NULL)
		return SEARCH_ERROR;
	memset(out, 0, sizeof(*out));
	if (db == NULL || a == NULL || q == NULL || q->match == NULL || q->match_folded == NULL)
		return SEARCH_ERROR;
	fts_vn_deadline(SEARCH_DEADLINE_MS);
	int rc = run(db, a, q, f != NULL ? f : &none, out);
	fts_vn_deadline(0);
	if (rc != 0) {
		int page = out->page;
		memset(out, 0, sizeof(*out));
		out->page = page;
	}
	return rc;
}
