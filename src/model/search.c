/*
 * search.c - full-text search over published articles (search.h).
 *
 * The reader's text never reaches FTS5 as syntax: search_parse() cuts it
 * into words with the tokenizer's own splitter (db/fts_vn.h) and writes the
 * MATCH expression itself, every word inside double quotes.
 *
 * Running a query is three small statements: the candidates (at most
 * SEARCH_CANDIDATES matches, with their rank), sorted here; the count, only
 * when the candidates ran out; and the title and snippet of each of the ten
 * articles shown, so snippets are never made for articles nobody sees. Work
 * is bounded by those limits, not by the size of the site, and a deadline
 * (fts_vn_deadline) stops anything that still runs long.
 */
#include "model/search.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "db/fts_vn.h"

/* Markers snippet() and highlight() put around matches (search_marked_html). */
#define MARK_OPEN '\x01'
#define MARK_CLOSE '\x02'

/* ---- parsing ----------------------------------------------------------------- */

typedef struct {
	const char *typed;     /* NFC, as typed */
	const char *folded;
	const char *exact;     /* NULL when the word carries no marks */
} word;

typedef struct {
	word *words;
	size_t n;
} term;

static int refuse(char *why, size_t whylen, int code, const char *msg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", msg);
	return code;
}

/* Opening and closing quotes readers type: " “ ” „ « ». Returns the
 * length of the quote at s[i], or 0. */
static size_t quote_at(const char *s, size_t len, size_t i)
{
	const unsigned char *p = (const unsigned char *)s + i;
	size_t left = len - i;
	if (p[0] == '"')
		return 1;
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9D || p[2] == 0x9E))
		return 3;
	if (left >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB))
		return 2;
	return 0;
}

static size_t quotes_between(const char *s, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t i = from; i < to;) {
		size_t q = quote_at(s, to, i);
		n += q > 0;
		i += q > 0 ? q : 1;
	}
	return n;
}

/* True when w is exactly one word for the tokenizer, so the quoted form we
 * send is read back as that same single token. */
static bool one_word(const char *w, size_t len)
{
	size_t pos = 0, start, end;
	return len > 0 && fts_vn_next_word(w, len, &pos, &start, &end, false) && start == 0 &&
	       end == len;
}

/* Folded and exact forms of one word into the arena. 1 when the word folds
 * to nothing usable (skipped), -1 when out of memory. */
static int make_word(arena_t *a, const char *w, size_t len, word *out)
{
	buf_t f = BUF_INIT, e = BUF_INIT;
	int rc = -1;
	if (fts_vn_fold(w, len, &f) != 0 || fts_vn_exact(w, len, &e) != 0)
		goto done;
	rc = 1;
	if (f.len == 0 || !one_word(f.data, f.len))
		goto done;
	rc = -1;
	out->typed = arena_strndup(a, w, len);
	out->folded = arena_strndup(a, f.data, f.len);
	out->exact = NULL;
	if (out->typed == NULL || out->folded == NULL)
		goto done;
	if (e.len > 0 && (e.len != f.len || memcmp(e.data, f.data, f.len) != 0) &&
	    one_word(e.data, e.len)) {
		out->exact = arena_strndup(a, e.data, e.len);
		if (out->exact == NULL)
			goto done;
	}
	rc = 0;
done:
	buf_free(&f);
	buf_free(&e);
	return rc;
}

static bool same_term(const term *x, const term *y)
{
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++) {
		const word *a = &x->words[i], *b = &y->words[i];
		if (strcmp(a->folded, b->folded) != 0)
			return false;
		if ((a->exact == NULL) != (b->exact == NULL) ||
		    (a->exact != NULL && strcmp(a->exact, b->exact) != 0))
			return false;
	}
	return true;
}

/* Adds words[0..n) as one term unless the same term is already there. */
static int add_term(arena_t *a, term *terms, size_t *nterms, const word *words, size_t n)
{
	if (n == 0)
		return 0;
	term t = {arena_calloc(a, n, sizeof(word)), n};
	if (t.words == NULL)
		return -1;
	memcpy(t.words, words, n * sizeof(word));
	for (size_t i = 0; i < *nterms; i++)
		if (same_term(&terms[i], &t))
			return 0;
	terms[(*nterms)++] = t;
	return 0;
}

/* "w1 w2" with each word folded, or with '=' + exact form where the reader
 * typed marks (exact = true). */
static int put_phrase(buf_t *b, const term *t, bool exact)
{
	int rc = buf_putc(b, '"');
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		const word *w = &t->words[i];
		if (i > 0)
			rc |= buf_putc(b, ' ');
		if (exact && w->exact != NULL)
			rc |= buf_printf(b, "=%s", w->exact);
		else
			rc |= buf_puts(b, w->folded);
	}
	return rc | buf_putc(b, '"');
}

static bool term_has_accents(const term *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->words[i].exact != NULL)
			return true;
	return false;
}

/* Writes both MATCH expressions. Each term is `"folded"`, or, when typed
 * with marks, `("folded" OR "exact")`: the same rows (an exact match is
 * also a folded one), but the exact phrase is there for sen_exact() and
 * bm25() to see. */
static int build_match(arena_t *a, const term *terms, size_t n, search_query *out)
{
	buf_t m = BUF_INIT, f = BUF_INIT, keys = BUF_INIT;
	int rc = 0, phrase = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			rc |= buf_puts(&m, " AND ");
			rc |= buf_puts(&f, " AND ");
			rc |= buf_putc(&keys, '\n');
		}
		rc |= put_phrase(&f, &terms[i], false);
		/* The key of a phrase for sen_rank(): its folded words. */
		for (size_t w = 0; w < terms[i].n; w++)
			rc |= buf_printf(&keys, "%s%s", w > 0 ? " " : "", terms[i].words[w].folded);
		if (term_has_accents(&terms[i])) {
			rc |= buf_putc(&m, '(');
			rc |= put_phrase(&m, &terms[i], false);
			rc |= buf_puts(&m, " OR ");
			rc |= put_phrase(&m, &terms[i], true);
			rc |= buf_putc(&m, ')');
			rc |= buf_putc(&keys, '\n');   /* the exact phrase: not ranked by bm25 */
			out->exact_mask |= UINT64_C(1) << (phrase + 1);
			phrase += 2;
		} else {
			rc |= put_phrase(&m, &terms[i], false);
			phrase += 1;
		}
	}
	if (rc == 0) {
		out->match = arena_strndup(a, m.data, m.len);
		out->match_folded = arena_strndup(a, f.data, f.len);
		out->phrase_keys = arena_strndup(a, keys.data != NULL ? keys.data : "", keys.len);
	}
	buf_free(&m);
	buf_free(&f);
	buf_free(&keys);
	return rc == 0 && out->match != NULL && out->match_folded != NULL &&
	       out->phrase_keys != NULL ? 0 : -1;
}

/* The query as shown back: NFC, whitespace runs made one space, trimmed. */
static const char *collapse_spaces(arena_t *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f) {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

static const char *term_text(arena_t *a, const term *t)
{
	buf_t b = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < t->n; i++)
		rc |= buf_printf(&b, "%s%s", i > 0 ? " " : "", t->words[i].typed);
	const char *s = rc == 0 ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	return s;
}

int search_parse(arena_t *a, const char *q, size_t len, search_query *out, char *why,
		 size_t whylen)
{
	buf_t norm = BUF_INIT;
	word words[SEARCH_TERMS_MAX];
	term terms[SEARCH_TERMS_MAX];
	size_t nwords = 0, nterms = 0, phrase_start = 0;
	bool in_phrase = false;
	int rc = SEARCH_ERROR;
	const char *refusal = NULL;
	int refusal_n = 0;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (a == NULL || out == NULL)
		return SEARCH_ERROR;
	memset(out, 0, sizeof(*out));
	if (q == NULL)
		len = 0;
	char msg[96];
	snprintf(msg, sizeof msg, "Từ khóa dài quá %d ký tự.", SEARCH_QUERY_MAX_CHARS);
	if (len > SEARCH_QUERY_MAX_BYTES) {
		out->refusal = "portal_search_err_too_long";
		out->refusal_n = SEARCH_QUERY_MAX_CHARS;
		return refuse(why, whylen, SEARCH_BAD, msg);
	}
	if (len > 0 && !utf8_valid(q, len)) {
		out->refusal = "portal_search_err_utf8";
		return refuse(why, whylen, SEARCH_BAD, "Từ khóa không phải văn bản UTF-8 hợp lệ.");
	}
	if (len > 0 && text_normalize(q, len, &norm) != 0)
		goto done;
	if (utf8_length(norm.data, norm.len) > SEARCH_QUERY_MAX_CHARS) {
		refusal = "portal_search_err_too_long";
		refusal_n = SEARCH_QUERY_MAX_CHARS;
		rc = refuse(why, whylen, SEARCH_BAD, msg);
		goto done;
	}

	const char *s = norm.data;
	size_t pos = 0, start, end, gap = 0;
	for (;;) {
		bool more = fts_vn_next_word(s, norm.len, &pos, &start, &end, false);
		/* Each quote between two words opens or closes a phrase. */
		size_t quotes = quotes_between(s, gap, more ? start : norm.len);
		for (size_t k = 0; k < quotes; k++) {
			if (in_phrase && add_term(a, terms, &nterms, words + phrase_start,
						  nwords - phrase_start) != 0)
				goto done;
			in_phrase = !in_phrase;
			phrase_start = nwords;
		}
		if (!more)
			break;
		gap = end;
		if (nwords == SEARCH_TERMS_MAX) {
			snprintf(msg, sizeof msg, "Chỉ tìm được tối đa %d từ: hãy bỏ bớt từ khóa.",
				 SEARCH_TERMS_MAX);
			refusal = "portal_search_err_too_many";
			refusal_n = SEARCH_TERMS_MAX;
			rc = refuse(why, whylen, SEARCH_BAD, msg);
			goto done;
		}
		int w = make_word(a, s + start, end - start, &words[nwords]);
		if (w < 0)
			goto done;
		if (w > 0)
			continue;
		nwords++;
		if (!in_phrase && add_term(a, terms, &nterms, &words[nwords - 1], 1) != 0)
			goto done;
	}
	if (in_phrase && add_term(a, terms, &nterms, words + phrase_start, nwords - phrase_start) != 0)
		goto done;
	if (nterms == 0) {
		refusal = "portal_search_err_empty";
		rc = refuse(why, whylen, SEARCH_EMPTY, "Hãy nhập từ khóa có chữ hoặc số.");
		goto done;
	}

	out->text = collapse_spaces(a, s, norm.len);
	out->terms = arena_calloc(a, nterms, sizeof(*out->terms));
	out->term_is_phrase = arena_calloc(a, nterms, sizeof(*out->term_is_phrase));
	if (out->text == NULL || out->terms == NULL || out->term_is_phrase == NULL ||
	    build_match(a, terms, nterms, out) != 0)
		goto done;
	for (size_t i = 0; i < nterms; i++) {
		out->terms[i] = term_text(a, &terms[i]);
		if (out->terms[i] == NULL)
			goto done;
		out->term_is_phrase[i] = terms[i].n > 1;
		out->has_accents |= term_has_accents(&terms[i]);
	}
	out->nterms = nterms;
	out->nwords = nwords;
	rc = 0;
done:
	buf_free(&norm);
	if (rc == SEARCH_ERROR)
		log_error("search: out of memory");
	if (rc != 0) {
		memset(out, 0, sizeof(*out));
		out->refusal = refusal;
		out->refusal_n = refusal_n;
		if (rc == SEARCH_ERROR)
			refuse(why, whylen, rc, "Lỗi hệ thống.");
	}
	return rc;
}

/* ---- snippets ---------------------------------------------------------------- */

/* The code point of an entity name (between '&' and ';'), or 0. Only what
 * our own escaping and cmark write, plus numeric references. */
static int32_t entity_value(const char *name, size_t len)
{
	static const struct {
		const char *name;
		int32_t cp;
	} named[] = {
		{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0},
	};
	if (len >= 2 && name[0] == '#') {
		bool hex = name[1] == 'x' || name[1] == 'X';
		size_t i = hex ? 2 : 1;
		int32_t v = 0;
		if (i == len || len - i > 7)
			return 0;
		for (; i < len; i++) {
			char c = name[i];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
				: -1;
			if (d < 0)
				return 0;
			v = v * (hex ? 16 : 10) + d;
		}
		if (v < 0x20 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0x7F)
			return 0;
		return v;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strlen(named[i].name) == len && memcmp(named[i].name, name, len) == 0)
			return named[i].cp;
	return 0;
}

static int put_code_point(buf_t *b, int32_t cp)
{
	char enc[4];
	size_t n;
	if (cp < 0x80) {
		enc[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		enc[0] = (char)(0xC0 | (cp >> 6));
		enc[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		enc[0] = (char)(0xE0 | (cp >> 12));
		enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		enc[0] = (char)(0xF0 | (cp >> 18));
		enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append_html(b, enc, n);
}

/* Pending output of search_marked_html(): a space and a closing </mark> are
 * written only once the next visible character shows they are needed, so
 * "<mark>Điện</mark> <mark>Biên</mark>" comes out as one mark. */
typedef struct {
	buf_t b;
	bool open, closing, space;
	int rc;
} marked;

static void flush_pending(marked *m)
{
	if (m->closing) {
		m->rc |= buf_puts(&m->b, "</mark>");
		m->open = m->closing = false;
	}
	if (m->space && m->b.len > 0)
		m->rc |= buf_putc(&m->b, ' ');
	m->space = false;
}

static void mark_open(marked *m)
{
	if (m->open) {
		/* Touching matches (two words of a query) make one mark. */
		m->closing = false;
		return;
	}
	flush_pending(m);
	m->rc |= buf_puts(&m->b, "<mark>");
	m->open = true;
}

int search_marked_html(arena_t *a, const char *text, size_t len, const char **out)
{
	marked m = {BUF_INIT, false, false, false, 0};
	*out = NULL;
	if (text == NULL)
		len = 0;
	/* Text is copied in runs between the bytes that need a decision. */
	for (size_t i = 0; i < len && m.rc == 0;) {
		unsigned char c = (unsigned char)text[i];
		if (c == '<') {
			const char *gt = memchr(text + i, '>', len - i);
			i = gt != NULL ? (size_t)(gt - text) + 1 : len;
			m.space = true;
			continue;
		}
		if (c == (unsigned char)MARK_OPEN) {
			mark_open(&m);
			i++;
			continue;
		}
		if (c == (unsigned char)MARK_CLOSE) {
			m.closing = m.open;
			i++;
			continue;
		}
		if (c <= ' ' || c == 0x7f) {
			m.space = true;
			i++;
			continue;
		}
		if (c == '&') {
			const char *semi = memchr(text + i, ';', len - i < 12 ? len - i : 12);
			int32_t cp = semi != NULL ? entity_value(text + i + 1, (size_t)(semi - text) - i - 1)
						  : 0;
			if (cp == 0xA0) {
				m.space = true;
				i = (size_t)(semi - text) + 1;
				continue;
			}
			flush_pending(&m);
			if (cp != 0) {
				m.rc |= put_code_point(&m.b, cp);
				i = (size_t)(semi - text) + 1;
			} else {
				m.rc |= buf_puts(&m.b, "&amp;");
				i++;
			}
			continue;
		}
		size_t j = i + 1;
		while (j < len) {
			unsigned char d = (unsigned char)text[j];
			if (d <= ' ' || d == '<' || d == '&' || d == 0x7f)
				break;
			j++;
		}
		/* Invalid UTF-8 is not repeated: the page must stay valid UTF-8. */
		if (utf8_valid(text + i, j - i)) {
			flush_pending(&m);
			m.rc |= buf_append_html(&m.b, text + i, j - i);
		}
		i = j;
	}
	if (m.open)
		m.rc |= buf_puts(&m.b, "</mark>");
	if (m.rc == 0)
		*out = arena_strndup(a, m.b.data != NULL ? m.b.data : "", m.b.len);
	buf_free(&m.b);
	return *out != NULL ? 0 : -1;
}

/* ---- running ----------------------------------------------------------------- */

/* Every statement joins the matches with the narrow index of sql/003 and
 * checks who may see them; CROSS JOIN keeps FTS5 as the outer loop. */
#define SEARCH_FROM \
	" FROM search_fts CROSS JOIN articles a INDEXED BY articles_search" \
	" ON a.id = search_fts.rowid" \
	" WHERE search_fts MATCH ? AND a.status = 2 AND a.published_at <= ?" \
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

static const char *col_copy(arena_t *a, db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return arena_strndup(a, s != NULL ? s : "", s != NULL ? (size_t)db_col_bytes(st, col) : 0);
}

static bool has_mark(const char *s)
{
	return s != NULL && strchr(s, MARK_OPEN) != NULL;
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
	hit->slug = col_copy(a, st, 0);
	hit->category_slug = col_copy(a, st, 1);
	hit->category_name = col_copy(a, st, 2);
	hit->title = col_copy(a, st, 3);
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

/* ---- warming the ranking's word counts ----------------------------------------- */

/* The counts sen_rank() remembers expire after 600 s (db/fts_vn.c): passes
 * come a little sooner than that. */
#define WARM_REFRESH 540
#define WARM_CHECK 60            /* seconds between looks at the index's size */

typedef struct {
	int64_t df;
	char *word;
	size_t len;
} warm_word;

static int64_t monotonic_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int by_df(const void *pa, const void *pb)
{
	const warm_word *x = pa, *y = pb;
	return x->df > y->df ? -1 : x->df < y->df;
}

/* The index's size as sen_rank() sees it; 1 when the index is empty. */
static int index_totals(db_t *db, int64_t *rows, int64_t *tokens)
{
	db_stmt *st = db_prepare(db, "SELECT sen_totals(search_fts) FROM search_fts LIMIT 1");
	if (st == NULL)
		return -1;
	long long r = 0, t = 0;
	int rc = db_step(st), result = -1;
	if (rc == DB_ROW && db_col_text(st, 0) != NULL &&
	    sscanf(db_col_text(st, 0), "%lld %lld", &r, &t) == 2)
		result = 0;
	else if (rc == DB_DONE)
		result = 1;
	db_done(st);
	*rows = r;
	*tokens = t;
	return result;
}

/* True when token is its own folded form: the key sen_rank() is given
 * ("dien", not the exact form "điện" kept beside it in the index). */
static bool folded_token(const char *token, size_t len, buf_t *scratch)
{
	scratch->len = 0;
	return fts_vn_fold(token, len, scratch) == 0 && scratch->len == len &&
	       memcmp(scratch->data, token, len) == 0;
}

int search_warm(db_t *db)
{
	if (db == NULL)
		return SEARCH_ERROR;
	int64_t rows = 0, tokens = 0;
	int t = index_totals(db, &rows, &tokens);
	if (t != 0)
		return t > 0 ? 0 : SEARCH_ERROR;
	if (db_exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab"
			" USING fts5vocab(main, search_fts, row)") != 0)
		return SEARCH_ERROR;
	db_stmt *st = db_prepare(db, "SELECT term, doc FROM temp.search_vocab WHERE doc >= ?");
	if (st == NULL)
		return SEARCH_ERROR;
	warm_word *words = NULL;
	size_t n = 0, cap = 0;
	buf_t scratch = BUF_INIT;
	int rc = DB_ERROR, result = SEARCH_ERROR;
	if (db_bind_int64(st, 1, SEARCH_WARM_MIN_DF) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *token = db_col_text(st, 0);
		size_t len = token != NULL ? (size_t)db_col_bytes(st, 0) : 0;
		if (len == 0 || !folded_token(token, len, &scratch))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			warm_word *grown = realloc(words, ncap * sizeof(*words));
			if (grown == NULL)
				goto oom;
			words = grown;
			cap = ncap;
		}
		words[n].word = malloc(len + 1);
		if (words[n].word == NULL)
			goto oom;
		memcpy(words[n].word, token, len);
		words[n].word[len] = '\0';
		words[n].len = len;
		words[n].df = db_col_int64(st, 1);
		n++;
	}
	if (rc != DB_DONE) {
		log_error("search: cannot read the index's vocabulary");
		goto done;
	}
	if (n > 1)
		qsort(words, n, sizeof(*words), by_df);
	size_t keep = n < FTS_VN_WARM_WORDS ? n : FTS_VN_WARM_WORDS;
	for (size_t i = 0; i < keep; i++)
		fts_vn_remember(words[i].word, words[i].len, rows, tokens, words[i].df);
	result = (int)keep;
	goto done;
oom:
	log_error("search: out of memory");
done:
	db_done(st);
	for (size_t i = 0; i < n; i++)
		free(words[i].word);
	free(words);
	buf_free(&scratch);
	return result;
}

static pthread_mutex_t warm_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t warm_cond = PTHREAD_COND_INITIALIZER;
static pthread_t warm_thread;
static bool warm_started, warm_stopping;

static void *warm_main(void *arg)
{
	(void)arg;
	/* The lowest priority, for this thread only (Linux gives each thread
	 * its own nice value): readers' requests always come first. */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19) != 0)
		log_warn("search: warm-up runs at normal priority");
	time_t last = 0;
	int64_t last_rows = -1, last_tokens = -1;
	for (;;) {
		db_t *db = db_get();
		int64_t rows = 0, tokens = 0;
		time_t now = time(NULL);
		if (db != NULL && index_totals(db, &rows, &tokens) == 0) {
			bool changed = rows != last_rows || tokens != last_tokens;
			if (last == 0 || now - last >= WARM_REFRESH ||
			    (changed && now - last >= SEARCH_WARM_MIN_GAP)) {
				int64_t t0 = monotonic_now_ms();
				int got = search_warm(db);
				if (got >= 0)
					log_info("search: counted %d common words ahead in %" PRId64 " ms",
						 got, monotonic_now_ms() - t0);
				last = now;
				last_rows = rows;
				last_tokens = tokens;
			}
		}
		pthread_mutex_lock(&warm_lock);
		if (!warm_stopping) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += WARM_CHECK;
			pthread_cond_timedwait(&warm_cond, &warm_lock, &until);
		}
		bool stop = warm_stopping;
		pthread_mutex_unlock(&warm_lock);
		if (stop)
			break;
	}
	db_thread_close();
	return NULL;
}

int search_warm_start(void)
{
	pthread_mutex_lock(&warm_lock);
	int rc = 0;
	if (!warm_started) {
		warm_stopping = false;
		rc = pthread_create(&warm_thread, NULL, warm_main, NULL) == 0 ? 0 : -1;
		warm_started = rc == 0;
	}
	pthread_mutex_unlock(&warm_lock);
	if (rc != 0)
		log_error("search: cannot start the warm-up thread");
	return rc;
}

void search_warm_stop(void)
{
	pthread_mutex_lock(&warm_lock);
	bool started = warm_started;
	warm_stopping = true;
	pthread_cond_broadcast(&warm_cond);
	pthread_mutex_unlock(&warm_lock);
	if (started)
		pthread_join(warm_thread, NULL);
	pthread_mutex_lock(&warm_lock);
	warm_started = false;
	pthread_mutex_unlock(&warm_lock);
}

/* ---- sitemap ----------------------------------------------------------------- */

int search_sitemap_each(db_t *db, int64_t offset, int64_t limit, search_sitemap_fn fn,
			void *arg)
{
	if (db == NULL || fn == NULL || offset < 0 || limit < 0)
		return SEARCH_ERROR;
	/* The narrow index filters and orders; only the rows written out are
	 * read from the wide table. */
	db_stmt *st = db_prepare(db, "SELECT a.id, c.slug, a.slug, a.updated_at"
				     " FROM articles a INDEXED BY articles_search"
				     " JOIN categories c ON c.id = a.category_id"
				     " WHERE a.status = 2 AND a.published_at <= ?"
				     " ORDER BY a.id LIMIT ? OFFSET ?");
	if (st == NULL)
		return SEARCH_ERROR;
	int result = SEARCH_ERROR, rc = DB_ERROR;
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
