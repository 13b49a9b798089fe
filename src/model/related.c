/*
 * related.c - related articles: term index, scoring, cached lists, editors'
 * pins and exclusions (see related.h).
 */
#include "model/related.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

#define TOKEN_MAX 31          /* bytes of one folded word; longer ones are noise (a phrase
                               * of two stays within the 64 bytes the table allows) */
#define DF_FLOOR 10           /* a term is never too common below this many articles */
#define DF_CEILING 2000       /* ... and always too common above this many */
#define LINKS_READ_MAX 1000   /* editors' choices looked at per article */
#define GENERATION_KEY "related_generation"

/* ---- terms ------------------------------------------------------------------ */

/* Folded words that carry no topic: Vietnamese and English function words,
 * and the pieces of URLs and file names that Markdown bodies are full of.
 * Sorted for bsearch. Note what is NOT here: "thang" is both "tháng" (month)
 * and "thắng" (victory) once folded, "nam" both "năm" (year) and "Nam". */
static const char *const stop_words[] = {
	"an", "and", "are", "as", "at", "be", "bi", "boi", "by", "cac", "cho", "co", "com",
	"con", "cua", "cung", "da", "dang", "de", "den", "do", "duoc", "for", "from", "gif",
	"hon", "htm", "html", "http", "https", "in", "is", "it", "jpeg", "jpg", "khi", "la",
	"len", "ma", "mot", "nay", "neu", "nhu", "nhung", "of", "on", "or", "php", "png", "ra",
	"rang", "rat", "se", "svg", "tai", "that", "the", "theo", "thi", "this", "to", "trong",
	"tu", "va", "vao", "ve", "vi", "vn", "voi", "was", "webp", "with", "www",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A syllable worth indexing: not a stop word, at least two characters, and
 * numbers only when they look like years (four digits or more). */
static bool significant(const char *tok, size_t len)
{
	char word[TOKEN_MAX + 1];
	const char *key = word;
	if (len < 2 || len > TOKEN_MAX)
		return false;
	bool digits = true;
	for (size_t i = 0; i < len; i++)
		if (tok[i] < '0' || tok[i] > '9')
			digits = false;
	if (digits)
		return len >= 4;
	memcpy(word, tok, len);
	word[len] = '\0';
	return bsearch(&key, stop_words, sizeof stop_words / sizeof stop_words[0],
		       sizeof stop_words[0], cmp_str) == NULL;
}

typedef struct {
	char *term;          /* NULL = free slot */
	unsigned len;
	int count;
	int weight;
} term_entry;

typedef struct {
	term_entry *items;
	size_t n, cap;       /* cap is a power of two */
	arena_t *strings;
	bool failed;
} term_map;

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool map_grow(term_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	term_entry *items = calloc(cap, sizeof(*items));
	if (items == NULL)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->items[i].term == NULL)
			continue;
		size_t j = hash_bytes(m->items[i].term, m->items[i].len) & (cap - 1);
		while (items[j].term != NULL)
			j = (j + 1) & (cap - 1);
		items[j] = m->items[i];
	}
	free(m->items);
	m->items = items;
	m->cap = cap;
	return true;
}

static void map_add(term_map *m, const char *term, size_t len, int weight)
{
	if (m->failed)
		return;
	if ((m->n + 1) * 4 > m->cap * 3 && !map_grow(m)) {
		m->failed = true;
		return;
	}
	size_t i = hash_bytes(term, len) & (m->cap - 1);
	while (m->items[i].term != NULL) {
		term_entry *e = &m->items[i];
		if (e->len == len && memcmp(e->term, term, len) == 0) {
			e->count++;
			if (weight > e->weight)
				e->weight = weight;
			return;
		}
		i = (i + 1) & (m->cap - 1);
	}
	char *copy = arena_strndup(m->strings, term, len);
	if (copy == NULL) {
		m->failed = true;
		return;
	}
	m->items[i] = (term_entry){copy, (unsigned)len, 1, weight};
	m->n++;
}

/* Length of the word character (or separator) at s[i]; *word says which.
 * Folded Vietnamese is ASCII; other scripts are letters unless they are in
 * the punctuation and symbol blocks. */
static size_t char_at(const unsigned char *s, size_t len, size_t i, bool *word)
{
	unsigned char c = s[i];
	if (c < 0x80) {
		*word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		return 1;
	}
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (i + n > len)
		n = len - i;
	uint32_t cp = c & (n == 4 ? 0x07 : n == 3 ? 0x0F : 0x1F);
	for (size_t k = 1; k < n; k++)
		cp = (cp << 6) | (s[i + k] & 0x3F);
	*word = !((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
		  (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
		  (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
		  (cp >= 0xFF00 && cp <= 0xFF20) || cp >= 0x1F000);
	return n;
}

/* Adds the terms of folded text: significant syllables, and phrases of two
 * significant syllables separated only by white space. */
static void collect_terms(term_map *m, const char *text, size_t len, bool title)
{
	const unsigned char *s = (const unsigned char *)text;
	const char *prev = NULL;
	size_t prev_len = 0;
	bool adjacent = false;
	char phrase[2 * TOKEN_MAX + 2];
	size_t i = 0;
	while (i < len) {
		bool word;
		size_t n = char_at(s, len, i, &word);
		if (!word) {
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
				adjacent = false;
			i += n;
			continue;
		}
		size_t start = i;
		while (i < len) {
			n = char_at(s, len, i, &word);
			if (!word)
				break;
			i += n;
		}
		const char *tok = text + start;
		size_t tok_len = i - start;
		if (!significant(tok, tok_len)) {
			prev = NULL;
			adjacent = true;
			continue;
		}
		map_add(m, tok, tok_len, title ? 2 : 1);
		if (prev != NULL && adjacent) {
			memcpy(phrase, prev, prev_len);
			phrase[prev_len] = ' ';
			memcpy(phrase + prev_len + 1, tok, tok_len);
			map_add(m, phrase, prev_len + 1 + tok_len, title ? 4 : 2);
		}
		prev = tok;
		prev_len = tok_len;
		adjacent = true;
	}
}

static int by_importance(const void *a, const void *b)
{
	const term_entry *x = a, *y = b;
	if (x->weight != y->weight)
		return y->weight - x->weight;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->term, y->term);
}

/* ---- the generation counter -------------------------------------------------- */

static int generation_get(db_t *db, int64_t *generation)
{
	*generation = 0;
	db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?");
	if (st == NULL || db_bind_text(st, 1, GENERATION_KEY, -1) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		*generation = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int generation_bump(db_t *db)
{
	db_stmt *st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?, 1) "
				     "ON CONFLICT (key) DO UPDATE SET value = value + 1");
	if (st == NULL || db_bind_text(st, 1, GENERATION_KEY, -1) != 0 || db_step(st) != DB_DONE) {
		db_done(st);
		return -1;
	}
	db_done(st);
	return 0;
}

/* ---- indexing ------------------------------------------------------------------- */

/* Folds and collects title and body of the article row st is on. */
static void collect_article(term_map *m, db_stmt *st)
{
	buf_t folded = BUF_INIT;
	const char *title = db_col_text(st, 0);
	const char *body = db_col_text(st, 1);
	if (title != NULL && text_fold(title, strlen(title), &folded) == 0)
		collect_terms(m, folded.data, folded.len, true);
	buf_clear(&folded);
	if (body != NULL && text_fold(body, strlen(body), &folded) == 0)
		collect_terms(m, folded.data, folded.len, false);
	if (folded.failed)
		m->failed = true;
	buf_free(&folded);
}

int related_index_article(db_t *db, int64_t id)
{
	term_map m = {0};
	int nested = 0, result = -1;
	db_stmt *st = NULL;
	m.strings = arena_new(16 * 1024);
	if (m.strings == NULL) {
		log_error("related: out of memory");
		return -1;
	}
	if (db_write_begin(db, &nested) != 0)
		goto fail_early;

	st = db_prepare(db, "SELECT title, body_md FROM articles WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0)
		goto fail;
	int rc = db_step(st);
	if (rc == DB_DONE)
		result = 1;
	if (rc != DB_ROW)
		goto fail;
	collect_article(&m, st);
	db_done(st);
	st = NULL;
	if (m.failed) {
		log_error("related: out of memory while indexing article %lld", (long long)id);
		goto fail;
	}

	/* Keep the most telling terms: compact the table, then sort it. */
	size_t n = 0;
	for (size_t i = 0; i < m.cap; i++)
		if (m.items[i].term != NULL)
			m.items[n++] = m.items[i];
	if (n > 0)
		qsort(m.items, n, sizeof(*m.items), by_importance);
	if (n > RELATED_TERMS_MAX)
		n = RELATED_TERMS_MAX;

	st = db_prepare(db, "DELETE FROM related_words WHERE article_id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT INTO related_words (article_id, word, weight) VALUES (?, ?, ?)");
		if (st == NULL || db_bind_int64(st, 1, id) != 0 ||
		    db_bind_text(st, 2, m.items[i].term, m.items[i].len) != 0 ||
		    db_bind_int64(st, 3, m.items[i].weight) != 0 || db_step(st) != DB_DONE)
			goto fail;
		db_done(st);
	}
	st = db_prepare(db, "INSERT INTO related_state (article_id, indexed_at, cache_generation) "
			    "VALUES (?, ?, -1) ON CONFLICT (article_id) DO UPDATE "
			    "SET indexed_at = excluded.indexed_at, cache_generation = -1");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 ||
	    db_bind_int64(st, 2, (int64_t)time(NULL)) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	st = NULL;
	/* Any article's list may now include (or lose) this one. */
	if (generation_bump(db) != 0)
		goto fail;
	free(m.items);
	arena_free(m.strings);
	return db_write_end(db, nested, 1) == 0 ? 0 : -1;
fail:
	db_done(st);
	db_write_end(db, nested, 0);
fail_early:
	free(m.items);
	arena_free(m.strings);
	return result;
}

int related_index_missing(db_t *db, int max, int *indexed)
{
	int64_t ids[256];
	int done = 0;
	if (indexed != NULL)
		*indexed = 0;
	while (done < max) {
		int want = max - done < 256 ? max - done : 256;
		size_t n = 0;
		db_stmt *st = db_prepare(db, "SELECT a.id FROM articles a "
					     "WHERE NOT EXISTS (SELECT 1 FROM related_state s "
					     "WHERE s.article_id = a.id) ORDER BY a.id LIMIT ?");
		if (st == NULL || db_bind_int64(st, 1, want) != 0) {
			db_done(st);
			return -1;
		}
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			ids[n++] = db_col_int64(st, 0);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			if (related_index_article(db, ids[i]) < 0)
				return -1;
			done++;
			if (indexed != NULL)
				*indexed = done;
		}
	}
	return 0;
}

/* ---- scoring ---------------------------------------------------------------- */

typedef struct {
	int64_t id;
	int64_t score;
} candidate;

/* Terms in more articles than this are skipped (see related.h). */
static int df_limit(db_t *db, int64_t *limit)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM related_state");
	if (st == NULL || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	int64_t n = db_col_int64(st, 0) / 4;
	db_done(st);
	*limit = n < DF_FLOOR ? DF_FLOOR : n > DF_CEILING ? DF_CEILING : n;
	return 0;
}

/* The best RELATED_CACHE_SIZE candidates of an article, best first. */
static int compute(db_t *db, int64_t id, int64_t category_id, candidate *out, size_t *n)
{
	int64_t dfmax;
	*n = 0;
	if (df_limit(db, &dfmax) != 0)
		return -1;
	/* Candidates come from shared terms, shared tags and the newest of the
	 * same category; a candidate of the same category found only through the
	 * last branch scores RELATED_SCORE_CATEGORY, so the newest such ones are
	 * all that can reach the top. Unpublished candidates (status only: the
	 * time is checked when the list is read) are left out. The unary + on
	 * a.status keeps the planner from walking every published article and
	 * probing the candidates; the candidates must drive the join. */
	db_stmt *st = db_prepare(db,
	    "WITH cand (id, s) AS ("
	    " SELECT o.article_id, w.weight * o.weight"
	    "  FROM related_words w"
	    "  JOIN related_terms t ON t.word = w.word"
	    "  JOIN related_words o ON o.word = w.word"
	    "  WHERE w.article_id = ? AND o.article_id <> ? AND t.df <= ?"
	    " UNION ALL"
	    " SELECT o.article_id, ?"
	    "  FROM article_tags t JOIN article_tags o ON o.tag_id = t.tag_id"
	    "  WHERE t.article_id = ? AND o.article_id <> ?"
	    " UNION ALL"
	    " SELECT id, 0 FROM (SELECT id FROM articles"
	    "  WHERE category_id = ? AND " ARTICLE_PUBLISHED_SQL("") " AND id <> ?"
	    "  ORDER BY published_at DESC, id DESC LIMIT ?)),"
	    " scored (id, s) AS (SELECT id, sum(s) FROM cand GROUP BY id)"
	    " SELECT c.id, c.s + CASE WHEN a.category_id = ? THEN ? ELSE 0 END AS score"
	    " FROM scored c JOIN articles a ON a.id = c.id"
	    " WHERE " ARTICLE_PUBLISHED_SQL("+a.")
	    " ORDER BY score DESC, a.published_at DESC, c.id DESC"
	    " LIMIT ?");
	if (st == NULL)
		return -1;
	int bad = 0, k = 1;
	bad |= db_bind_int64(st, k++, id);
	bad |= db_bind_int64(st, k++, id);
	bad |= db_bind_int64(st, k++, dfmax);
	bad |= db_bind_int64(st, k++, RELATED_SCORE_TAG);
	bad |= db_bind_int64(st, k++, id);
	bad |= db_bind_int64(st, k++, id);
	bad |= db_bind_int64(st, k++, category_id);
	bad |= db_bind_int64(st, k++, id);
	bad |= db_bind_int64(st, k++, RELATED_CACHE_SIZE);
	bad |= db_bind_int64(st, k++, category_id);
	bad |= db_bind_int64(st, k++, RELATED_SCORE_CATEGORY);
	bad |= db_bind_int64(st, k, RELATED_CACHE_SIZE);
	if (bad != 0) {
		db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < RELATED_CACHE_SIZE) {
		out[*n].id = db_col_int64(st, 0);
		out[*n].score = db_col_int64(st, 1);
		(*n)++;
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* Keeps a computed list; failure is logged and otherwise harmless. */
static void store(db_t *db, int64_t id, int64_t generation, const candidate *c, size_t n)
{
	int nested = 0;
	db_stmt *st = NULL;
	if (db_write_begin(db, &nested) != 0)
		return;
	st = db_prepare(db, "DELETE FROM related_cache WHERE article_id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT INTO related_cache (article_id, rank, other_id, score) "
				    "VALUES (?, ?, ?, ?)");
		if (st == NULL || db_bind_int64(st, 1, id) != 0 ||
		    db_bind_int64(st, 2, (int64_t)i) != 0 || db_bind_int64(st, 3, c[i].id) != 0 ||
		    db_bind_int64(st, 4, c[i].score) != 0 || db_step(st) != DB_DONE)
			goto fail;
		db_done(st);
	}
	st = db_prepare(db, "UPDATE related_state SET cache_generation = ? WHERE article_id = ?");
	if (st == NULL || db_bind_int64(st, 1, generation) != 0 || db_bind_int64(st, 2, id) != 0 ||
	    db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	db_write_end(db, nested, 1);
	return;
fail:
	db_done(st);
	db_write_end(db, nested, 0);
	log_warn("related: could not keep the list of article %lld; it will be recomputed",
		 (long long)id);
}

/* Reads the cached list when it is current. 0 and *fresh, or -1. */
static int load_cache(db_t *db, int64_t id, int64_t generation, candidate *out, size_t *n,
		      bool *indexed, bool *fresh)
{
	*n = 0;
	*indexed = *fresh = false;
	db_stmt *st = db_prepare(db, "SELECT cache_generation FROM related_state WHERE article_id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*indexed = true;
		*fresh = db_col_int64(st, 0) == generation;
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	if (!*fresh)
		return 0;
	st = db_prepare(db, "SELECT other_id, score FROM related_cache WHERE article_id = ? "
			    "ORDER BY rank LIMIT ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 ||
	    db_bind_int64(st, 2, RELATED_CACHE_SIZE) != 0) {
		db_done(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && *n < RELATED_CACHE_SIZE) {
		out[*n].id = db_col_int64(st, 0);
		out[*n].score = db_col_int64(st, 1);
		(*n)++;
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* ---- the list ------------------------------------------------------------------ */

typedef struct {
	int64_t other_id;
	int kind;            /* 1 pinned, 2 excluded */
} choice;

enum { KIND_PIN = 1, KIND_EXCLUDE = 2 };

typedef struct {
	int64_t *ids;
	size_t n, max;
	const choice *choices;
	size_t nchoices;
} picked;

static bool already(const picked *p, int64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->ids[i] == id)
			return true;
	return false;
}

static bool excluded(const picked *p, int64_t id)
{
	for (size_t i = 0; i < p->nchoices; i++)
		if (p->choices[i].other_id == id && p->choices[i].kind == KIND_EXCLUDE)
			return true;
	return false;
}

/* Reads one public article into out. 0, 1 when not public now, -1. */
static int fetch_public(db_t *db, arena_t *a, int64_t id, int64_t now, article *out)
{
	db_stmt *st = db_prepare(db,
	    "SELECT a.id, a.category_id, c.slug, c.name, a.slug, a.title, a.summary, m.file,"
	    " a.published_at, a.updated_at, a.status"
	    " FROM articles a JOIN categories c ON c.id = a.category_id"
	    " LEFT JOIN media m ON m.id = a.image_id"
	    " WHERE a.id = ? AND " ARTICLE_PUBLIC_SQL("a."));
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, now) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? 1 : -1;
	}
	memset(out, 0, sizeof(*out));
	out->id = db_col_int64(st, 0);
	out->category_id = db_col_int64(st, 1);
	const char *text[6];
	for (int i = 0; i < 6; i++)
		text[i] = db_col_text(st, 2 + i);
	out->published_at = db_col_int64(st, 8);
	out->updated_at = db_col_int64(st, 9);
	out->status = (int)db_col_int64(st, 10);
	const char **dst[6] = {&out->category_slug, &out->category_name, &out->slug,
			       &out->title, &out->summary, &out->image};
	bool oom = false;
	for (int i = 0; i < 6; i++) {
		*dst[i] = text[i] != NULL ? arena_strdup(a, text[i]) : NULL;
		if (text[i] != NULL && *dst[i] == NULL)
			oom = true;
	}
	db_done(st);
	if (oom) {
		log_error("related: out of memory");
		return -1;
	}
	return 0;
}

/* Adds id to the list when it is public, not excluded and not there yet.
 * 0 (added or skipped) or -1. */
static int offer(db_t *db, arena_t *a, picked *p, article *items, int64_t id, int64_t self,
		 int64_t now)
{
	if (p->n >= p->max || id == self || already(p, id) || excluded(p, id))
		return 0;
	int rc = fetch_public(db, a, id, now, &items[p->n]);
	if (rc < 0)
		return -1;
	if (rc == 0)
		p->ids[p->n++] = id;
	return 0;
}

static int load_choices(db_t *db, arena_t *a, int64_t id, choice **out, size_t *n)
{
	*n = 0;
	*out = arena_calloc(a, LINKS_READ_MAX, sizeof(**out));
	if (*out == NULL) {
		log_error("related: out of memory");
		return -1;
	}
	db_stmt *st = db_prepare(db, "SELECT other_id, kind FROM related_links WHERE article_id = ? "
				     "ORDER BY kind, position, other_id LIMIT ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, LINKS_READ_MAX) != 0) {
		db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		(*out)[*n].other_id = db_col_int64(st, 0);
		(*out)[*n].kind = (int)db_col_int64(st, 1);
		(*n)++;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Fills the rest with the newest public articles, in pages, skipping those
 * already there or excluded; stops when full or when none are left. */
static int fill_newest(db_t *db, arena_t *a, picked *p, article *items, int64_t self, int64_t now)
{
	int64_t after_at = INT64_MAX, after_id = INT64_MAX;
	while (p->n < p->max) {
		int64_t ids[32];
		int64_t last_at = 0;
		size_t got = 0;
		db_stmt *st = db_prepare(db, "SELECT id, published_at FROM articles"
					     " WHERE " ARTICLE_PUBLIC_SQL("")
					     " AND (published_at, id) < (?, ?)"
					     " ORDER BY published_at DESC, id DESC LIMIT 32");
		if (st == NULL || db_bind_int64(st, 1, now) != 0 ||
		    db_bind_int64(st, 2, after_at) != 0 || db_bind_int64(st, 3, after_id) != 0) {
			db_done(st);
			return -1;
		}
		int rc;
		while ((rc = db_step(st)) == DB_ROW && got < 32) {
			ids[got++] = db_col_int64(st, 0);
			last_at = db_col_int64(st, 1);
		}
		db_done(st);
		if (rc != DB_DONE && rc != DB_ROW)
			return -1;
		for (size_t i = 0; i < got; i++)
			if (offer(db, a, p, items, ids[i], self, now) != 0)
				return -1;
		if (got < 32)
			break;
		after_at = last_at;
		after_id = ids[got - 1];
	}
	return 0;
}

int related_list(db_t *db, arena_t *a, int64_t article_id, int limit, article **items,
		 size_t *n)
{
	candidate cands[RELATED_CACHE_SIZE];
	size_t ncands = 0;
	int64_t generation, category_id = 0, now = (int64_t)time(NULL);
	choice *choices = NULL;
	size_t nchoices = 0;
	bool indexed, fresh;

	*items = NULL;
	*n = 0;
	if (limit <= 0)
		limit = RELATED_DEFAULT;
	if (limit > RELATED_LIMIT_MAX)
		limit = RELATED_LIMIT_MAX;

	db_stmt *st = db_prepare(db, "SELECT category_id FROM articles WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		category_id = db_col_int64(st, 0);
	db_done(st);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW)
		return -1;

	if (generation_get(db, &generation) != 0 ||
	    load_cache(db, article_id, generation, cands, &ncands, &indexed, &fresh) != 0)
		return -1;
	if (!indexed) {
		/* Built lazily for articles written before indexing existed. */
		if (related_index_article(db, article_id) < 0)
			log_warn("related: could not index article %lld", (long long)article_id);
		if (generation_get(db, &generation) != 0)
			return -1;
	}
	if (!fresh) {
		if (compute(db, article_id, category_id, cands, &ncands) != 0)
			return -1;
		store(db, article_id, generation, cands, ncands);
	}

	if (load_choices(db, a, article_id, &choices, &nchoices) != 0)
		return -1;
	article *list = arena_calloc(a, (size_t)limit, sizeof(*list));
	int64_t *ids = arena_calloc(a, (size_t)limit, sizeof(*ids));
	if (list == NULL || ids == NULL) {
		log_error("related: out of memory");
		return -1;
	}
	picked p = {ids, 0, (size_t)limit, choices, nchoices};
	for (size_t i = 0; i < nchoices; i++)
		if (choices[i].kind == KIND_PIN &&
		    offer(db, a, &p, list, choices[i].other_id, article_id, now) != 0)
			return -1;
	for (size_t i = 0; i < ncands; i++)
		if (offer(db, a, &p, list, cands[i].id, article_id, now) != 0)
			return -1;
	if (p.n < p.max && fill_newest(db, a, &p, list, article_id, now) != 0)
		return -1;
	*items = list;
	*n = p.n;
	return 0;
}

/* ---- editors' choices ------------------------------------------------------------ */

/* 1 when both articles exist and differ, 0 when not, -1 on error. */
static int pair_valid(db_t *db, int64_t id, int64_t other_id)
{
	if (id == other_id)
		return 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM articles WHERE id IN (?, ?)");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, other_id) != 0 ||
	    db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	int64_t count = db_col_int64(st, 0);
	db_done(st);
	return count == 2 ? 1 : 0;
}

static int choose(db_t *db, int64_t id, int64_t other_id, int kind)
{
	int nested = 0, result = -1;
	db_stmt *st = NULL;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int valid = pair_valid(db, id, other_id);
	if (valid <= 0) {
		result = valid == 0 ? 1 : -1;
		goto fail;
	}
	int64_t position = 0;
	if (kind == KIND_PIN) {
		/* Pinning again keeps the place it already has. */
		st = db_prepare(db, "SELECT count(*), coalesce(max(position), 0),"
				    " sum(other_id = ?) FROM related_links"
				    " WHERE article_id = ? AND kind = ?");
		if (st == NULL || db_bind_int64(st, 1, other_id) != 0 ||
		    db_bind_int64(st, 2, id) != 0 || db_bind_int64(st, 3, KIND_PIN) != 0 ||
		    db_step(st) != DB_ROW)
			goto fail;
		int64_t pins = db_col_int64(st, 0);
		position = db_col_int64(st, 1) + 1;
		bool pinned = db_col_int64(st, 2) > 0;
		db_done(st);
		st = NULL;
		if (pinned) {
			db_write_end(db, nested, 1);
			return 0;
		}
		if (pins >= RELATED_PINS_MAX) {
			result = 2;
			goto fail;
		}
	}
	st = db_prepare(db, "INSERT INTO related_links (article_id, other_id, kind, position)"
			    " VALUES (?, ?, ?, ?) ON CONFLICT (article_id, other_id)"
			    " DO UPDATE SET kind = excluded.kind, position = excluded.position");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, other_id) != 0 ||
	    db_bind_int64(st, 3, kind) != 0 || db_bind_int64(st, 4, position) != 0 ||
	    db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	return db_write_end(db, nested, 1) == 0 ? 0 : -1;
fail:
	db_done(st);
	db_write_end(db, nested, 0);
	return result;
}

int related_pin(db_t *db, int64_t id, int64_t other_id)
{
	return choose(db, id, other_id, KIND_PIN);
}

int related_exclude(db_t *db, int64_t id, int64_t other_id)
{
	return choose(db, id, other_id, KIND_EXCLUDE);
}

int related_clear(db_t *db, int64_t id, int64_t other_id)
{
	db_stmt *st = other_id == 0
	    ? db_prepare(db, "DELETE FROM related_links WHERE article_id = ?")
	    : db_prepare(db, "DELETE FROM related_links WHERE article_id = ? AND other_id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 ||
	    (other_id != 0 && db_bind_int64(st, 2, other_id) != 0) || db_step(st) != DB_DONE) {
		db_done(st);
		return -1;
	}
	db_done(st);
	return db_changes(db) > 0 ? 0 : 1;
}
