/*
 * search.h - full-text search over published articles.
 *
 * A search is two steps: search_parse() turns what the reader typed into a
 * search_query (never passing it to SQL as syntax: every word is quoted by
 * us), and search_run() ranks the matching published articles.
 *
 * What matches: every word of the query, in the title, summary or body,
 * compared folded ("dien bien phu" = "Điện Biên Phủ" = "DIEN BIEN PHU";
 * NFD input, Ð and Ɖ for Đ, hoà/hòa all count). Text in double quotes ("..."
 * or “...”) must appear as a phrase, word after word.
 * Ranking: first the articles that contain more of the words exactly as the
 * reader accented them ("đường" before "dương" for the query "đường"), then
 * bm25 (title weighs 5, summary 2, body 1) rounded to 0.01, then the newest;
 * among at most SEARCH_CANDIDATES matches (see there).
 * bm25 gives words found in more than half of the articles almost no weight,
 * so when only such words are asked for, the newest article comes first.
 *
 * Parsing is search_query.c, running search.c, the marked titles and
 * passages search_snippet.c; counting common words ahead is search_warm.h.
 *
 * All strings returned are allocated in the caller's arena. Functions return
 * 0 on success; the SEARCH_* codes below otherwise.
 */
#ifndef SEN_MODEL_SEARCH_H
#define SEN_MODEL_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/* Limits on what a reader may type. */
#define SEARCH_QUERY_MAX_CHARS 200   /* code points, after NFC */
#define SEARCH_QUERY_MAX_BYTES 2400  /* refused before any other work */
#define SEARCH_TERMS_MAX 20          /* words, counting those inside phrases */
#define SEARCH_PAGE_SIZE 10
#define SEARCH_PAGES_MAX 50
/* Ranking looks at the newest (highest id) this many matches: every match
 * of all but the broadest queries. Past it, the words are in most articles,
 * so bm25 tells them apart little and the time to rank all would grow with
 * the site; the 50 pages shown are always taken from the same candidates. */
#define SEARCH_CANDIDATES 1000
/* Totals are counted up to this; past it, total = SEARCH_COUNT_MAX and
 * total_is_lower_bound is set ("hơn 5.000 kết quả"). */
#define SEARCH_COUNT_MAX 5000
/* A search still running after this long is stopped (SEARCH_TIMEOUT). */
#define SEARCH_DEADLINE_MS 1500

enum {
	SEARCH_EMPTY = 1,     /* search_parse: no letters or digits to search for */
	SEARCH_ERROR = -1,    /* storage error, logged */
	SEARCH_BAD = -2,      /* search_parse: refused, message in why */
	SEARCH_TIMEOUT = -3,  /* search_run: stopped at SEARCH_DEADLINE_MS */
};

typedef struct {
	const char *text;        /* NFC, spaces collapsed: for showing back */
	const char *match;       /* FTS5 expression: folded words, exact alternatives */
	const char *match_folded; /* the same without the exact alternatives */
	uint64_t exact_mask;     /* phrases of `match` that are exact alternatives */
	const char *phrase_keys; /* the text of each phrase of `match`, one per line */
	const char **terms;      /* each word or phrase as typed (NFC), for suggestions */
	bool *term_is_phrase;
	size_t nterms;
	size_t nwords;
	bool has_accents;        /* some word was typed with marks */
	/* After a refusal (SEARCH_EMPTY, SEARCH_BAD): why, as a catalog key
	 * (locale/vi.po: "portal_search_err_too_long" ...), so a page can say it
	 * in the reader's language; "{n}" in the message stands for
	 * refusal_n. NULL otherwise. The rest of the struct is then zero. */
	const char *refusal;
	int refusal_n;
} search_query;

/*
 * Parses q (len bytes). Returns 0; SEARCH_EMPTY when q holds no word (why
 * says so); SEARCH_BAD for invalid UTF-8, more than SEARCH_QUERY_MAX_CHARS
 * characters or more than SEARCH_TERMS_MAX words, with a Vietnamese message
 * in why ("Từ khóa dài quá 200 ký tự."); SEARCH_ERROR when out of memory.
 * Quotes, '*', '^', ':', '(', '-', NEAR/AND/OR/NOT, '%', '_' and '\' have
 * no meaning: punctuation separates words and keywords are words. Repeated
 * terms count once. An unclosed quote runs to the end.
 */
int search_parse(arena_t *a, const char *q, size_t len, search_query *out, char *why,
		 size_t whylen);

typedef struct {
	int64_t category_id;     /* 0: every category */
	int64_t from;            /* published_at >= from (0: no bound) */
	int64_t until;           /* published_at < until (0: no bound) */
	int page;                /* 1 .. SEARCH_PAGES_MAX */
} search_filter;

typedef struct {
	int64_t id;
	const char *slug;
	const char *category_slug;
	const char *category_name;
	const char *title;          /* plain text */
	const char *title_html;     /* escaped, matched words in <mark> */
	const char *snippet_html;   /* escaped, matched words in <mark>, "…" where cut */
	int64_t published_at;
	int exact;                  /* words matched with the reader's accents */
} search_hit;

typedef struct {
	search_hit *items;
	size_t n;
	int64_t total;           /* published matches, at most SEARCH_COUNT_MAX */
	bool total_is_lower_bound; /* there are more than SEARCH_COUNT_MAX */
	int page;
	int pages;               /* at most SEARCH_PAGES_MAX */
} search_result;

/* Runs q with filter f (NULL: page 1, no filter). 0, SEARCH_ERROR, or
 * SEARCH_TIMEOUT. A page past the last gives no items (not an error). */
int search_run(db_t *db, arena_t *a, const search_query *q, const search_filter *f,
	       search_result *out);

/*
 * Makes the HTML of text as the index returns it (HTML with tags,
 * entities, and matches between the bytes 0x01 and 0x02): tags become a
 * space, entities are decoded, everything is escaped again, whitespace is
 * collapsed and the markers become <mark>...</mark> (always balanced).
 * Nothing of the input reaches out unescaped. The result is in the arena.
 * 0, or -1 when out of memory.
 */
int search_marked_html(arena_t *a, const char *text, size_t len, const char **out);

#endif
