/*
 * fts_vn.h - the Vietnamese FTS5 tokenizer "sen_vn", and what the search
 * model shares with it.
 *
 * Words are maximal runs of letters, marks and digits (Unicode L*, M*, N*);
 * Vietnamese writes one syllable per word, so a word is a syllable. In the
 * index every word is stored folded (text_fold: "Điện" -> "dien") and, when
 * it differs, also in its exact form (fts_vn_exact: "điện") at the same
 * position (FTS5_TOKEN_COLOCATED), so a query can ask for either.
 *
 * Documents are read as HTML (tags are skipped, entities separate words):
 * the index is fed body_html, and title and summary escaped (sql/003).
 * Queries are plain text: each word is folded, unless it directly follows
 * '=' ("=điện"), which asks for the exact form only. Nothing else of FTS5
 * query syntax is changed; the search model quotes every word it sends.
 *
 * Every connection gets, from fts_vn_register():
 *   - the tokenizer "sen_vn" (CREATE VIRTUAL TABLE ... tokenize='sen_vn');
 *   - the scalar SQL function sen_fold(TEXT): TEXT folded as core/text.h
 *     does (lower case, marks gone, đ -> d), for accent-blind filters on
 *     short columns such as titles ("trien lam" finds "Triển lãm"); NULL for
 *     NULL, the text itself when it is not valid UTF-8 or longer than 4 KiB;
 *   - the FTS5 auxiliary function sen_exact(TABLE, MASK): how many of the
 *     query's phrases whose bit is set in MASK (bit i = phrase i, the order
 *     in which phrases appear in the MATCH expression, at most 64) occur in
 *     the current row;
 *   - the FTS5 auxiliary function sen_rank(TABLE, MASK, KEYS, W0, W1, ...):
 *     FTS5's bm25() over the phrases whose bit is NOT set in MASK (column
 *     weights W0...; lower is better), with each phrase's document count
 *     remembered across queries under its text from KEYS (one line per
 *     phrase, in order), while the index keeps the same size;
 *   - the FTS5 auxiliary function sen_totals(TABLE): "ROWS TOKENS", the
 *     size of the index as sen_rank() sees it (for fts_vn_remember);
 *   - a progress handler that interrupts a statement once this thread's
 *     deadline (fts_vn_deadline) has passed.
 *
 * All functions are thread-safe. Buffers passed in belong to the caller.
 */
#ifndef SEN_DB_FTS_VN_H
#define SEN_DB_FTS_VN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct sqlite3;

/* Longest token kept, in bytes: longer words are cut (at a character
 * boundary) to this, which keeps URLs and junk from bloating the index. */
#define FTS_VN_TOKEN_MAX 96

/* Registers the tokenizer, sen_exact(), sen_rank() and the progress handler
 * on conn; also lets the schema's triggers write to the index (see
 * fts_vn.c: trusted_schema).
 * 0, or -1 (logged) when this SQLite has no FTS5. */
int fts_vn_register(struct sqlite3 *conn);

/*
 * Finds the next word in s[*pos..len): sets [*start, *end) and moves *pos
 * past it; false when no word is left. With html, "<tag ...>" (a '<'
 * followed by a letter, '/', '!' or '?') is skipped whole and "&name;" /
 * "&#123;" entities separate words. Bytes that are not valid UTF-8 separate
 * words too.
 */
bool fts_vn_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end,
		      bool html);

/* Appends the folded token of one word (text_fold, cut to
 * FTS_VN_TOKEN_MAX bytes). 0, or -1 on invalid UTF-8 / out of memory. */
int fts_vn_fold(const char *word, size_t len, buf_t *out);

/*
 * Appends the exact token of one word: text_normalize (NFC, one tone
 * placement: hoà = hòa), lower case, and Ð Ɖ ð ɖ written as đ, cut to
 * FTS_VN_TOKEN_MAX bytes. "ĐIỆN" -> "điện". It equals the folded token when
 * the word has no marks. 0, or -1 on invalid UTF-8 / out of memory.
 */
int fts_vn_exact(const char *word, size_t len, buf_t *out);

/*
 * Sets this thread's deadline: statements on this thread's connection that
 * are still running `ms` milliseconds from now are interrupted (they fail
 * with an "interrupted" error). ms <= 0 clears it. fts_vn_deadline_passed()
 * tells, after a failure, whether the deadline was the cause.
 */
void fts_vn_deadline(int ms);
bool fts_vn_deadline_passed(void);

/*
 * Remembers, for sen_rank(), that `df` rows hold the one-word phrase `word`
 * (its folded token, as the search model writes the phrase's key) while the
 * index holds `rows` rows and `tokens` tokens (sen_totals). The search
 * model's warm-up counts the most common words at start-up this way, so
 * the first query with such a word does not walk its whole doclist.
 */
#define FTS_VN_WARM_WORDS 2048
void fts_vn_remember(const char *word, size_t len, int64_t rows, int64_t tokens, int64_t df);

#endif
