/*
 * search_query.c - what the reader typed, made into a query (search.h:
 * search_parse).
 *
 * The reader's text never reaches FTS5 as syntax: search_parse() cuts it
 * into words with the tokenizer's own splitter (db/fts_vn.h) and writes the
 * MATCH expression itself, every word inside double quotes. The text is
 * brought to NFC first, so a query typed in NFD finds what one typed in NFC
 * finds.
 *
 * Memory: everything in the search_query is allocated in the caller's
 * arena; scratch buffers are freed before returning.
 */
#include "model/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "db/fts_vn.h"

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
