/*
 * fts_vn.c - the Vietnamese FTS5 tokenizer "sen_vn", the sen_exact()
 * ranking helper and the per-thread statement deadline (see fts_vn.h).
 *
 * The folding itself is core/text.c's (text_fold, text_normalize); this
 * file only cuts text into words and decides which forms go into the index.
 * Document and query words go through the same word splitter and the same
 * folding, so a query finds exactly what the index holds.
 */
#include "db/fts_vn.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

#define TOKENIZER_NAME "sen_vn"
#define EXACT_FUNCTION "sen_exact"
#define RANK_FUNCTION "sen_rank"
#define TOTALS_FUNCTION "sen_totals"
#define ENTITY_NAME_MAX 32        /* "&" + name + ";" longer than this is text */
#define PROGRESS_OPS 1000         /* VM steps between deadline checks */

/* ---- words ------------------------------------------------------------------- */

/* Decodes one code point at s[i]; returns its length, or 0 when the bytes
 * there are not well-formed UTF-8 (documents are not trusted to be). */
static size_t decode_at(const char *s, size_t len, size_t i, int32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s + i;
	size_t left = len - i;
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	int32_t v;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[k] & 0x3F);
	}
	*cp = v;
	return n;
}

static bool ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Letters, marks and digits of every script make words. */
static bool word_cp(int32_t cp)
{
	if (cp < 0x80)
		return ascii_alnum((unsigned char)cp);
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* Where an HTML construct starting at s[i] ends (exclusive): a whole tag,
 * or an entity; i + 1 for a '<' or '&' that starts neither. */
static size_t html_skip(const char *s, size_t len, size_t i)
{
	if (s[i] == '<') {
		unsigned char n = i + 1 < len ? (unsigned char)s[i + 1] : 0;
		if (!(((n | 0x20) >= 'a' && (n | 0x20) <= 'z') || n == '/' || n == '!' || n == '?'))
			return i + 1;
		const char *gt = memchr(s + i, '>', len - i);
		return gt != NULL ? (size_t)(gt - s) + 1 : len;
	}
	size_t j = i + 1;
	if (j < len && s[j] == '#') {
		j++;
		if (j < len && (s[j] == 'x' || s[j] == 'X'))
			j++;
	}
	size_t name = j;
	while (j < len && j - i < ENTITY_NAME_MAX && ascii_alnum((unsigned char)s[j]))
		j++;
	if (j > name && j < len && s[j] == ';')
		return j + 1;
	return i + 1;
}

bool fts_vn_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end,
		      bool html)
{
	size_t i = *pos;
	int32_t cp;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (ascii_alnum(c))
				break;
			i = html && (c == '<' || c == '&') ? html_skip(s, len, i) : i + 1;
			continue;
		}
		size_t n = decode_at(s, len, i, &cp);
		if (n == 0) {
			i++;
			continue;
		}
		if (word_cp(cp))
			break;
		i += n;
	}
	if (i >= len) {
		*pos = len;
		return false;
	}
	*start = i;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (!ascii_alnum(c))
				break;
			i++;
			continue;
		}
		size_t n = decode_at(s, len, i, &cp);
		if (n == 0 || !word_cp(cp))
			break;
		i += n;
	}
	*end = i;
	*pos = i;
	return true;
}

/* ---- the two forms of a word -------------------------------------------------- */

/* Cuts what was appended to out since `from` to FTS_VN_TOKEN_MAX bytes. */
static void cut_token(buf_t *out, size_t from)
{
	size_t n = out->len - from;
	if (n <= FTS_VN_TOKEN_MAX)
		return;
	out->len = from + utf8_cut(out->data + from, n, FTS_VN_TOKEN_MAX);
	out->data[out->len] = '\0';
}

int fts_vn_fold(const char *word, size_t len, buf_t *out)
{
	size_t from = out->len;
	if (text_fold(word, len, out) != 0)
		return -1;
	cut_token(out, from);
	return 0;
}

/* Ð (U+00D0), Ɖ (U+0189) and their small forms ð, ɖ are typed for đ. */
static int32_t exact_letter(int32_t cp)
{
	cp = utf8proc_tolower(cp);
	if (cp == 0x00F0 || cp == 0x0256)
		return 0x0111;
	return cp;
}

/* fts_vn_exact() with a caller's scratch buffer, so the tokenizer does not
 * allocate per word. */
static int exact_with(const char *word, size_t len, buf_t *out, buf_t *scratch)
{
	buf_clear(scratch);
	if (text_normalize(word, len, scratch) != 0)
		return -1;
	size_t from = out->len;
	for (size_t i = 0; i < scratch->len;) {
		int32_t cp;
		size_t n = decode_at(scratch->data, scratch->len, i, &cp);
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t k = n > 0 ? utf8proc_encode_char(exact_letter(cp), enc) : 0;
		if (k <= 0 || buf_append(out, enc, (size_t)k) != 0) {
			out->len = from;
			if (out->data != NULL)
				out->data[from] = '\0';
			return -1;
		}
		i += n;
	}
	cut_token(out, from);
	return 0;
}

int fts_vn_exact(const char *word, size_t len, buf_t *out)
{
	buf_t scratch = BUF_INIT;
	int rc = exact_with(word, len, out, &scratch);
	buf_free(&scratch);
	return rc;
}

/* ---- the tokenizer ------------------------------------------------------------ */

/* The tokenizer keeps no state; FTS5 still wants an object per table. */
struct Fts5Tokenizer {
	int unused;
};

static int tokenizer_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR;
	Fts5Tokenizer *t = sqlite3_malloc(sizeof(*t));
	if (t == NULL)
		return SQLITE_NOMEM;
	t->unused = 0;
	*out = t;
	return SQLITE_OK;
}

static void tokenizer_delete(Fts5Tokenizer *t)
{
	sqlite3_free(t);
}

static bool all_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static int tokenizer_run(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int ntext,
			 int (*token)(void *, int, const char *, int, int, int))
{
	(void)t;
	bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	/* Auxiliary functions (snippet, highlight) only need positions, and
	 * colocated tokens have none of their own. */
	bool both_forms = (flags & FTS5_TOKENIZE_DOCUMENT) != 0;
	size_t len = ntext > 0 ? (size_t)ntext : 0;
	buf_t fold = BUF_INIT, exact = BUF_INIT, scratch = BUF_INIT;
	size_t pos = 0, start, end;
	int rc = SQLITE_OK;
	while (rc == SQLITE_OK && fts_vn_next_word(text, len, &pos, &start, &end, !query)) {
		const char *w = text + start;
		size_t wlen = end - start;
		buf_clear(&fold);
		buf_clear(&exact);
		if (query && start > 0 && text[start - 1] == '=') {
			if (exact_with(w, wlen, &exact, &scratch) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			if (exact.len > 0)
				rc = token(ctx, 0, exact.data, (int)exact.len, (int)start, (int)end);
			continue;
		}
		if (fts_vn_fold(w, wlen, &fold) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		/* A run of marks alone folds to nothing: not a word. */
		if (fold.len == 0)
			continue;
		rc = token(ctx, 0, fold.data, (int)fold.len, (int)start, (int)end);
		if (rc != SQLITE_OK || !both_forms || all_ascii(w, wlen))
			continue;
		if (exact_with(w, wlen, &exact, &scratch) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (exact.len > 0 && (exact.len != fold.len || memcmp(exact.data, fold.data, fold.len) != 0))
			rc = token(ctx, FTS5_TOKEN_COLOCATED, exact.data, (int)exact.len, (int)start,
				   (int)end);
	}
	buf_free(&fold);
	buf_free(&exact);
	buf_free(&scratch);
	return rc;
}

/* ---- sen_exact() ------------------------------------------------------------- */

static void exact_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			   int nval, sqlite3_value **val)
{
	if (nval != 1) {
		sqlite3_result_error(ctx, EXACT_FUNCTION "() takes one argument", -1);
		return;
	}
	uint64_t mask = (uint64_t)sqlite3_value_int64(val[0]);
	int nphrase = api->xPhraseCount(fts);
	int hits = 0;
	for (int i = 0; i < nphrase && i < 64 && mask != 0; i++) {
		if (((mask >> i) & 1u) == 0)
			continue;
		Fts5PhraseIter it;
		int col = -1, off = -1;
		int rc = api->xPhraseFirst(fts, i, &it, &col, &off);
		if (rc != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		if (col >= 0)
			hits++;
	}
	sqlite3_result_int(ctx, hits);
}

/* ---- sen_rank(): bm25 with remembered document frequencies ------------------- */

/*
 * FTS5's bm25() counts, for every phrase of the query, the rows that hold it
 * (its IDF) by walking the phrase's whole doclist on every query: for a
 * word in most of 100,000 articles that is milliseconds per word, far more
 * than scoring the rows themselves. sen_rank() is the same formula (k1 1.2,
 * b 0.75, IDF log((N - n + 0.5) / (n + 0.5)) floored at 1e-6, column
 * weights, -score so that lower is better), with two differences: phrases
 * whose bit is set in the mask (the exact-accent alternatives, which
 * sen_exact() ranks) are left out, and the count n of each phrase is
 * remembered, by the phrase's text, for as long as the index holds the same
 * number of rows and tokens (and at most DF_CACHE_SECONDS).
 */
#define DF_CACHE_SLOTS 8192    /* > 2 x FTS_VN_WARM_WORDS: few warmed words collide */
#define DF_CACHE_KEY_MAX 256
#define DF_CACHE_SECONDS 600
#define RANK_PHRASES_MAX 64

typedef struct {
	uint64_t hash;
	int64_t rows, tokens;     /* the index when df was counted */
	int64_t df;
	time_t when;
	char key[DF_CACHE_KEY_MAX];
} df_entry;

static df_entry df_cache[DF_CACHE_SLOTS];
static pthread_mutex_t df_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash_key(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static bool df_lookup(const char *key, size_t len, int64_t rows, int64_t tokens, int64_t *df)
{
	if (len == 0 || len >= DF_CACHE_KEY_MAX)
		return false;
	uint64_t h = hash_key(key, len);
	bool hit = false;
	pthread_mutex_lock(&df_lock);
	df_entry *e = &df_cache[h % DF_CACHE_SLOTS];
	if (e->hash == h && e->rows == rows && e->tokens == tokens &&
	    time(NULL) - e->when < DF_CACHE_SECONDS && strncmp(e->key, key, len) == 0 &&
	    e->key[len] == '\0') {
		*df = e->df;
		hit = true;
	}
	pthread_mutex_unlock(&df_lock);
	return hit;
}

static void df_store(const char *key, size_t len, int64_t rows, int64_t tokens, int64_t df)
{
	if (len == 0 || len >= DF_CACHE_KEY_MAX)
		return;
	uint64_t h = hash_key(key, len);
	pthread_mutex_lock(&df_lock);
	df_entry *e = &df_cache[h % DF_CACHE_SLOTS];
	e->hash = h;
	e->rows = rows;
	e->tokens = tokens;
	e->df = df;
	e->when = time(NULL);
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	pthread_mutex_unlock(&df_lock);
}

/* What sen_rank() works out once per statement. */
typedef struct {
	int nphrase;
	double avgdl;
	double idf[RANK_PHRASES_MAX];   /* 0 for phrases left out */
} rank_data;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	(void)api;
	(void)fts;
	(*(int64_t *)arg)++;
	return SQLITE_OK;
}

/* The text of phrase i in keys ("a\nb\n..."), or an empty key. */
static const char *phrase_key(const char *keys, int i, size_t *len)
{
	const char *p = keys;
	for (int k = 0; p != NULL && k < i; k++) {
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (p == NULL) {
		*len = 0;
		return "";
	}
	*len = strcspn(p, "\n");
	return p;
}

static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, uint64_t mask,
		      const char *keys, rank_data **out)
{
	rank_data *d = sqlite3_malloc(sizeof(*d));
	if (d == NULL)
		return SQLITE_NOMEM;
	memset(d, 0, sizeof(*d));
	sqlite3_int64 rows = 0, tokens = 0;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	d->nphrase = api->xPhraseCount(fts);
	if (d->nphrase > RANK_PHRASES_MAX)
		d->nphrase = RANK_PHRASES_MAX;
	d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
	for (int i = 0; rc == SQLITE_OK && i < d->nphrase; i++) {
		if (((mask >> i) & 1u) != 0)
			continue;
		size_t klen;
		const char *key = phrase_key(keys, i, &klen);
		int64_t df = 0;
		if (!df_lookup(key, klen, (int64_t)rows, (int64_t)tokens, &df)) {
			rc = api->xQueryPhrase(fts, i, &df, count_row);
			if (rc == SQLITE_OK)
				df_store(key, klen, rows, tokens, df);
		}
		double idf = log(((double)rows - (double)df + 0.5) / ((double)df + 0.5));
		d->idf[i] = idf > 0.0 ? idf : 1e-6;
	}
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, d, sqlite3_free);
	if (rc != SQLITE_OK) {
		sqlite3_free(d);
		return rc;
	}
	*out = d;
	return SQLITE_OK;
}

/* sen_rank(TABLE, MASK, KEYS, WEIGHT...): see above. KEYS holds the text of
 * each phrase, in order, one per line (an empty line: not remembered). */
static void rank_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			  int nval, sqlite3_value **val)
{
	static const double k1 = 1.2, b = 0.75;
	if (nval < 2) {
		sqlite3_result_error(ctx, RANK_FUNCTION "() takes a mask and the phrase keys", -1);
		return;
	}
	uint64_t mask = (uint64_t)sqlite3_value_int64(val[0]);
	const char *keys = (const char *)sqlite3_value_text(val[1]);
	rank_data *d = api->xGetAuxdata(fts, 0);
	int rc = SQLITE_OK;
	if (d == NULL)
		rc = rank_setup(api, fts, mask, keys, &d);
	double freq[RANK_PHRASES_MAX] = {0};
	int ntok = 0;
	/* Each ranked phrase's own positions: cheaper than xInstCount(), which
	 * would also merge and sort those of the exact-accent phrases. */
	for (int i = 0; rc == SQLITE_OK && i < d->nphrase; i++) {
		if (((mask >> i) & 1u) != 0)
			continue;
		Fts5PhraseIter it;
		int col = -1, off = -1;
		rc = api->xPhraseFirst(fts, i, &it, &col, &off);
		for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off))
			freq[i] += col + 2 < nval ? sqlite3_value_double(val[col + 2]) : 1.0;
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &ntok);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0.0, len_norm = k1 * (1 - b + b * (double)ntok / d->avgdl);
	for (int i = 0; i < d->nphrase; i++)
		if (freq[i] > 0.0)
			score += d->idf[i] * (freq[i] * (k1 + 1.0)) / (freq[i] + len_norm);
	sqlite3_result_double(ctx, -score);
}

void fts_vn_remember(const char *word, size_t len, int64_t rows, int64_t tokens, int64_t df)
{
	df_store(word, len, rows, tokens, df);
}

/* sen_totals(TABLE): "ROWS TOKENS", the two numbers sen_rank() keys its
 * remembered counts with (xRowCount, xColumnTotalSize of every column). */
static void totals_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			    int nval, sqlite3_value **val)
{
	(void)nval;
	(void)val;
	sqlite3_int64 rows = 0, tokens = 0;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	char out[48];
	snprintf(out, sizeof out, "%lld %lld", (long long)rows, (long long)tokens);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* ---- deadline ---------------------------------------------------------------- */

static _Thread_local int64_t deadline_ms;   /* CLOCK_MONOTONIC ms; 0 = none */
static _Thread_local bool deadline_hit;

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fts_vn_deadline(int ms)
{
	deadline_hit = false;
	deadline_ms = ms > 0 ? monotonic_ms() + ms : 0;
}

bool fts_vn_deadline_passed(void)
{
	return deadline_hit;
}

/* Connections belong to one thread, so the thread's deadline is the
 * deadline of whatever statement this connection runs. */
static int progress(void *arg)
{
	(void)arg;
	if (deadline_ms == 0 || monotonic_ms() < deadline_ms)
		return 0;
	deadline_hit = true;
	return 1;
}

/* ---- registration ------------------------------------------------------------ */

static fts5_api *fts5_api_of(sqlite3 *conn)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL) == SQLITE_OK)
		sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

/* sen_fold(TEXT), see fts_vn.h. Deterministic and innocuous: no side
 * effect, so it may be used in any statement. */
static void fold_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const char *in = (const char *)sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	if (in == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	buf_t out = BUF_INIT;
	if (len > 4096 || text_fold(in, (size_t)len, &out) != 0 || out.failed) {
		buf_free(&out);
		sqlite3_result_text(ctx, in, len, SQLITE_TRANSIENT);
		return;
	}
	sqlite3_result_text(ctx, out.data != NULL ? out.data : "", (int)out.len, SQLITE_TRANSIENT);
	buf_free(&out);
}

int fts_vn_register(struct sqlite3 *conn)
{
	if (sqlite3_create_function_v2(conn, "sen_fold", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				       fold_function, NULL, NULL, NULL) != SQLITE_OK)
		log_error("db: cannot register sen_fold(): %s", sqlite3_errmsg(conn));
	fts5_tokenizer tokenizer = {tokenizer_create, tokenizer_delete, tokenizer_run};
	fts5_api *api = fts5_api_of(conn);
	if (api == NULL) {
		log_error("db: FTS5 is missing: the search index cannot be used");
		return -1;
	}
	if (api->xCreateTokenizer(api, TOKENIZER_NAME, NULL, &tokenizer, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, EXACT_FUNCTION, NULL, exact_function, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, RANK_FUNCTION, NULL, rank_function, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, TOTALS_FUNCTION, NULL, totals_function, NULL) != SQLITE_OK) {
		log_error("db: cannot register the search tokenizer: %s", sqlite3_errmsg(conn));
		return -1;
	}
	/*
	 * The triggers of sql/003 write to search_fts, and SQLite 3.40's FTS5
	 * does not mark its tables innocuous, so with trusted_schema off every
	 * INSERT INTO articles would fail ("unsafe use of virtual table"); a
	 * TEMP trigger is refused the same way. The schema is written only by
	 * our migrations, defensive mode and the ban on extensions stay, SQLite
	 * keeps its risky built-ins direct-only, and this program defines no SQL
	 * function with side effects, so trusting the schema gives a crafted
	 * database nothing it could not already do to itself.
	 */
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 1, NULL);
	sqlite3_progress_handler(conn, PROGRESS_OPS, progress, NULL);
	return 0;
}
