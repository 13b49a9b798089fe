/*
 * comment.c - readers' comments and their moderation (see comment.h).
 */
#include "model/comment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"
#include "model/article.h"
#include "model/captcha.h"
#include "model/visitor.h"

/* ---- looking at the text ------------------------------------------------ */

/* A field trimmed of surrounding ASCII white space, without copying. */
typedef struct {
	const char *s;
	size_t len;
} span;

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static span trimmed(const char *s)
{
	span t = {"", 0};
	if (s == NULL)
		return t;
	size_t len = strlen(s);
	while (len > 0 && is_space((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_space((unsigned char)s[len - 1]))
		len--;
	t.s = s;
	t.len = len;
	return t;
}

/* Characters as the reader counts them: code points, with CR LF as one. */
static size_t char_count(span t)
{
	size_t n = utf8_length(t.s, t.len);
	for (size_t i = 0; i + 1 < t.len; i++)
		if (t.s[i] == '\r' && t.s[i + 1] == '\n')
			n--;
	return n;
}

enum control_kind { CONTROL_NONE, CONTROL_NEWLINE, CONTROL_OTHER };

/* The worst control character in valid UTF-8 text: CR, LF and the Unicode
 * line and paragraph separators count as newlines; tab is allowed only when
 * allow_tab. C1 controls (U+0080..U+009F) and DEL are other controls. */
static enum control_kind find_control(span t, bool allow_tab)
{
	enum control_kind worst = CONTROL_NONE;
	const unsigned char *p = (const unsigned char *)t.s;
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = p[i];
		if (c == '\r' || c == '\n')
			return CONTROL_NEWLINE;
		if (c == 0xE2 && i + 2 < t.len && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
			return CONTROL_NEWLINE;
		if ((c < 0x20 && !(c == '\t' && allow_tab)) || c == 0x7F ||
		    (c == 0xC2 && i + 1 < t.len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F))
			worst = CONTROL_OTHER;
	}
	return worst;
}

/* Controls in a body, where tab, CR and LF are ordinary. */
static bool body_has_control(span t)
{
	const unsigned char *p = (const unsigned char *)t.s;
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = p[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
		    (c == 0xC2 && i + 1 < t.len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F))
			return true;
	}
	return false;
}

static bool starts_with_nocase(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != prefix[i])
			return false;
	}
	return true;
}

/* Counts links: every http:// or https://, and every www. that does not
 * directly follow one of those (so "https://www.x" is one link). */
static size_t count_links(span t)
{
	size_t n = 0;
	for (size_t i = 0; i < t.len;) {
		size_t rest = t.len - i;
		size_t skip = 0;
		if (starts_with_nocase(t.s + i, rest, "http://"))
			skip = 7;
		else if (starts_with_nocase(t.s + i, rest, "https://"))
			skip = 8;
		if (skip > 0) {
			n++;
			i += skip;
			if (starts_with_nocase(t.s + i, t.len - i, "www."))
				i += 4;
			continue;
		}
		if (starts_with_nocase(t.s + i, rest, "www.")) {
			n++;
			i += 4;
			continue;
		}
		i++;
	}
	return n;
}

/* Loose on purpose: local@domain with a dot in the domain, no spaces, no
 * characters that only appear in attempts to inject headers or markup. The
 * only use of the address is an editor writing back. */
static bool email_plausible(span t)
{
	const char *at = NULL;
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.s[i];
		if (c <= ' ' || c == 0x7F || strchr("<>()[]\\,;:\"", c) != NULL)
			return false;
		if (c == '@')
			at = t.s + i;
	}
	if (at == NULL)
		return false;
	size_t local = (size_t)(at - t.s);
	const char *domain = at + 1;
	size_t dlen = t.len - local - 1;
	if (local == 0 || local > 64 || dlen < 3)
		return false;
	if (memchr(t.s, '@', local) != NULL)
		return false;
	if (domain[0] == '.' || domain[dlen - 1] == '.' || memchr(domain, '.', dlen) == NULL)
		return false;
	for (size_t i = 0; i + 1 < t.len; i++)
		if (t.s[i] == '.' && t.s[i + 1] == '.')
			return false;
	return true;
}

int comment_validate(const comment_input *in, model_problem *problem)
{
	model_problem_clear(problem);
	if (in == NULL)
		return model_refuse(problem, COMMENT_NAME_MISSING, "name");

	span name = trimmed(in->name);
	if (!utf8_valid(name.s, name.len))
		return model_refuse(problem, COMMENT_NOT_UTF8, "name");
	if (name.len == 0)
		return model_refuse(problem, COMMENT_NAME_MISSING, "name");
	size_t name_chars = char_count(name);
	if (name_chars > COMMENT_NAME_MAX)
		return model_refuse_limit(problem, COMMENT_NAME_LONG, "name", COMMENT_NAME_MAX,
					  (int64_t)name_chars);
	enum control_kind control = find_control(name, false);
	if (control == CONTROL_NEWLINE)
		return model_refuse(problem, COMMENT_NAME_NEWLINE, "name");
	if (control == CONTROL_OTHER)
		return model_refuse(problem, COMMENT_NAME_INVALID, "name");
	if (count_links(name) > 0)
		return model_refuse(problem, COMMENT_NAME_LINK, "name");

	span email = trimmed(in->email);
	if (email.len > COMMENT_EMAIL_MAX)
		return model_refuse_limit(problem, COMMENT_EMAIL_LONG, "email", COMMENT_EMAIL_MAX,
					  (int64_t)email.len);
	if (!utf8_valid(email.s, email.len))
		return model_refuse(problem, COMMENT_NOT_UTF8, "email");
	if (email.len > 0 && !email_plausible(email))
		return model_refuse(problem, COMMENT_EMAIL_INVALID, "email");

	span body = trimmed(in->body);
	if (!utf8_valid(body.s, body.len))
		return model_refuse(problem, COMMENT_NOT_UTF8, "body");
	if (body.len == 0)
		return model_refuse(problem, COMMENT_BODY_MISSING, "body");
	size_t body_chars = char_count(body);
	if (body_chars > COMMENT_BODY_MAX)
		return model_refuse_limit(problem, COMMENT_BODY_LONG, "body", COMMENT_BODY_MAX,
					  (int64_t)body_chars);
	if (body_has_control(body))
		return model_refuse(problem, COMMENT_BODY_INVALID, "body");
	size_t links = count_links(body);
	if (links > COMMENT_LINKS_MAX)
		return model_refuse_limit(problem, COMMENT_BODY_LINKS, "body", COMMENT_LINKS_MAX,
					  (int64_t)links);
	return 0;
}

/* The body as stored: trimmed, every CR LF or lone CR turned into LF.
 * malloc'd; the caller frees it. NULL when out of memory. */
static char *body_for_storage(span body, size_t *outlen)
{
	char *out = malloc(body.len + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < body.len; i++) {
		if (body.s[i] == '\r') {
			if (i + 1 < body.len && body.s[i + 1] == '\n')
				i++;
			out[o++] = '\n';
			continue;
		}
		out[o++] = body.s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* ---- writing ---------------------------------------------------------------- */

int comment_add(db_t *db, const comment_input *in, int64_t now, int64_t *id,
		model_problem *problem)
{
	int nested = 0, result = -1;
	char *body = NULL;
	size_t body_len = 0;
	db_stmt *st = NULL;
	*id = 0;
	if (comment_validate(in, problem) != 0)
		return 2;
	const char *visitor = in->visitor != NULL ? in->visitor : "";
	if (visitor[0] != '\0' && !visitor_id_valid(visitor)) {
		log_error("comment: malformed visitor id");
		return -1;
	}
	span name = trimmed(in->name), email = trimmed(in->email);
	body = body_for_storage(trimmed(in->body), &body_len);
	if (body == NULL) {
		log_error("comment: out of memory");
		return -1;
	}
	if (db_write_begin(db, &nested) != 0)
		goto fail_early;

	st = db_prepare(db, "SELECT 1 FROM articles WHERE id = ? AND " ARTICLE_PUBLIC_SQL(""));
	if (st == NULL || db_bind_int64(st, 1, in->article_id) != 0 ||
	    db_bind_int64(st, 2, now) != 0)
		goto fail;
	int rc = db_step(st);
	db_done(st);
	st = NULL;
	if (rc == DB_DONE) {
		result = 1;
		goto fail;
	}
	if (rc != DB_ROW)
		goto fail;

	st = db_prepare(db, "INSERT INTO comments "
			    "(article_id, name, email, body, status, visitor, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL || db_bind_int64(st, 1, in->article_id) != 0 ||
	    db_bind_text(st, 2, name.s, (long)name.len) != 0 ||
	    db_bind_text(st, 3, email.s, (long)email.len) != 0 ||
	    db_bind_text(st, 4, body, (long)body_len) != 0 ||
	    db_bind_int64(st, 5, COMMENT_PENDING) != 0 || db_bind_text(st, 6, visitor, -1) != 0 ||
	    db_bind_int64(st, 7, now) != 0 || db_step(st) != DB_DONE)
		goto fail;
	db_done(st);
	st = NULL;
	int64_t new_id = db_last_insert_id(db);
	if (db_write_end(db, nested, 1) != 0)
		goto fail_early;
	*id = new_id;
	free(body);
	return 0;
fail:
	db_done(st);
	db_write_end(db, nested, 0);
fail_early:
	free(body);
	return result;
}

/* captcha_check() inside one write transaction. A CAPTCHA made by the API
 * without an article (article 0) passes on any article: when the check for
 * this article fails, it is rolled back (the row returns) and done once
 * more for article 0, which consumes it for good either way. The
 * transaction stays open when 0 is returned. */
static int captcha_in_transaction(db_t *db, int *nested, const char *captcha_id,
				  int64_t article_id, const char *answer, int64_t now)
{
	if (db_write_begin(db, nested) != 0)
		return -1;
	int rc = captcha_check(db, captcha_id, article_id, answer, now);
	if (rc == 1) {
		db_write_end(db, *nested, 0);
		if (db_write_begin(db, nested) != 0)
			return -1;
		rc = captcha_check(db, captcha_id, 0, answer, now);
	}
	if (rc == 0)
		return 0;
	/* A failed answer still consumes the CAPTCHA: keep the deletion. */
	if (db_write_end(db, *nested, rc == 1) != 0)
		return -1;
	return rc;
}

int comment_add_answered(db_t *db, const comment_input *in, const char *captcha_id,
			 const char *answer, int64_t now, int64_t *id, model_problem *problem)
{
	*id = 0;
	/* The text first: a typo in the name must not burn the code the reader
	 * solved. */
	if (comment_validate(in, problem) != 0)
		return 2;
	int nested = 0;
	int rc = captcha_in_transaction(db, &nested, captcha_id, in->article_id, answer, now);
	if (rc == 1) {
		model_refuse(problem, COMMENT_CAPTCHA_WRONG, "captcha");
		return 2;
	}
	if (rc != 0)
		return -1;
	rc = comment_add(db, in, now, id, problem);
	if (rc != 0) {
		/* Nothing is stored; the CAPTCHA is not spent either, since the
		 * reader must not pay for the article vanishing or a storage error. */
		db_write_end(db, nested, 0);
		return rc;
	}
	if (db_write_end(db, nested, 1) != 0) {
		*id = 0;
		return -1;
	}
	return 0;
}

int comment_set_status(db_t *db, int64_t id, int status)
{
	if (comment_status_name(status) == NULL) {
		log_error("comment: no such status %d", status);
		return -1;
	}
	db_stmt *st = db_prepare(db, "UPDATE comments SET status = ? WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, status) != 0 || db_bind_int64(st, 2, id) != 0 ||
	    db_step(st) != DB_DONE) {
		db_done(st);
		return -1;
	}
	db_done(st);
	return db_changes(db) > 0 ? 0 : 1;
}

int comment_delete(db_t *db, int64_t id)
{
	db_stmt *st = db_prepare(db, "DELETE FROM comments WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_step(st) != DB_DONE) {
		db_done(st);
		return -1;
	}
	db_done(st);
	return db_changes(db) > 0 ? 0 : 1;
}

/* ---- reading ---------------------------------------------------------------- */

/* Every query selects: id, article_id, name, email, body, visitor, status,
 * created_at (public ones select NULL for email and visitor). */
#define COLUMNS "id, article_id, name, email, body, visitor, status, created_at"
#define PUBLIC_COLUMNS "id, article_id, name, NULL, body, NULL, status, created_at"

/* Copies n text columns from first on into *dst[i], NULL staying NULL (a
 * public listing selects no email). 0 or -1 (logged). */
static int copy_texts(arena_t *a, db_stmt *st, int first, const char **const *dst, size_t n)
{
	bool oom = false;
	for (size_t i = 0; i < n; i++)
		*dst[i] = db_col_copy(a, st, first + (int)i, NULL, &oom);
	if (oom)
		log_error("comment: out of memory");
	return oom ? -1 : 0;
}

static int read_row(arena_t *a, db_stmt *st, void *item)
{
	comment *c = item;
	c->id = db_col_int64(st, 0);
	c->article_id = db_col_int64(st, 1);
	c->status = (int)db_col_int64(st, 6);
	c->created_at = db_col_int64(st, 7);
	const char **dst[] = {&c->name, &c->email, &c->body, &c->visitor};
	return copy_texts(a, st, 2, dst, 4);
}

static int check_limit(int limit)
{
	if (limit < 1 || limit > COMMENT_LIST_MAX) {
		log_error("comment: listing limit %d outside 1..%d", limit, COMMENT_LIST_MAX);
		return -1;
	}
	return 0;
}

int comment_list_approved(db_t *db, arena_t *a, int64_t article_id, int64_t after_id,
			  int limit, comment **items, size_t *n, bool *has_more)
{
	*items = NULL;
	*n = 0;
	*has_more = false;
	if (check_limit(limit) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT " PUBLIC_COLUMNS " FROM comments "
				     "WHERE article_id = ? AND status = ? AND id > ? "
				     "ORDER BY id LIMIT ?");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_int64(st, 2, COMMENT_APPROVED) != 0 || db_bind_int64(st, 3, after_id) != 0 ||
	    db_bind_int64(st, 4, limit + 1) != 0) {
		db_done(st);
		return -1;
	}
	return db_fill_rows(st, true, a, sizeof **items, (size_t)limit, read_row, items, n,
			    has_more);
}

int comment_count_approved(db_t *db, int64_t article_id, int64_t *count)
{
	*count = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM comments WHERE article_id = ? AND status = ?");
	if (st == NULL || db_bind_int64(st, 1, article_id) != 0 ||
	    db_bind_int64(st, 2, COMMENT_APPROVED) != 0 || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*count = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

int comment_list(db_t *db, arena_t *a, int status, int64_t article_id, int64_t before_id,
		 int limit, comment **items, size_t *n, bool *has_more)
{
	/* One statement text per combination of filters, so each can use its
	 * index (comments_status, comments_article or the primary key). */
	static const char *const sql[4] = {
		"SELECT " COLUMNS " FROM comments WHERE id < ? "
		"ORDER BY id DESC LIMIT ?",
		"SELECT " COLUMNS " FROM comments WHERE id < ? AND status = ? "
		"ORDER BY id DESC LIMIT ?",
		"SELECT " COLUMNS " FROM comments WHERE id < ? AND article_id = ? "
		"ORDER BY id DESC LIMIT ?",
		"SELECT " COLUMNS " FROM comments WHERE id < ? AND status = ? AND article_id = ? "
		"ORDER BY id DESC LIMIT ?",
	};
	*items = NULL;
	*n = 0;
	*has_more = false;
	if (check_limit(limit) != 0)
		return -1;
	if (status != -1 && comment_status_name(status) == NULL) {
		log_error("comment: no such status %d", status);
		return -1;
	}
	int variant = (status != -1 ? 1 : 0) | (article_id != 0 ? 2 : 0);
	db_stmt *st = db_prepare(db, sql[variant]);
	if (st == NULL)
		return -1;
	int idx = 1;
	int bad = db_bind_int64(st, idx++, before_id > 0 ? before_id : INT64_MAX);
	if (status != -1)
		bad |= db_bind_int64(st, idx++, status);
	if (article_id != 0)
		bad |= db_bind_int64(st, idx++, article_id);
	bad |= db_bind_int64(st, idx, limit + 1);
	if (bad != 0) {
		db_done(st);
		return -1;
	}
	return db_fill_rows(st, true, a, sizeof **items, (size_t)limit, read_row, items, n,
			    has_more);
}

int comment_get(db_t *db, arena_t *a, int64_t id, comment *out)
{
	memset(out, 0, sizeof(*out));
	db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM comments WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW)
		result = read_row(a, st, out);
	db_done(st);
	return result;
}

int comment_count(db_t *db, int status, int64_t *count)
{
	*count = 0;
	db_stmt *st = status == -1 ? db_prepare(db, "SELECT count(*) FROM comments")
				   : db_prepare(db, "SELECT count(*) FROM comments WHERE status = ?");
	if (st == NULL || (status != -1 && db_bind_int64(st, 1, status) != 0) ||
	    db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*count = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

int comment_recent_count(db_t *db, const char *visitor, int64_t since, int64_t *count)
{
	*count = 0;
	if (visitor == NULL || visitor[0] == '\0')
		return 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM comments WHERE visitor = ? AND created_at >= ?");
	if (st == NULL || db_bind_text(st, 1, visitor, -1) != 0 ||
	    db_bind_int64(st, 2, since) != 0 || db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	*count = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

/* ---- status names ----------------------------------------------------------- */

static const char *const status_names[] = {"pending", "approved", "rejected", "spam"};

const char *comment_status_name(int status)
{
	if (status < 0 || status >= (int)(sizeof status_names / sizeof status_names[0]))
		return NULL;
	return status_names[status];
}

int comment_status_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(name, status_names[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- moderation ------------------------------------------------------------- */

int comment_count_by_status(db_t *db, int64_t counts[COMMENT_STATUS_COUNT])
{
	return db_count_by(db, "SELECT status, count(*) FROM comments GROUP BY status", 0, counts,
			   COMMENT_STATUS_COUNT);
}

/* A comment with the article it belongs to (comment_list_entries). */
static int read_entry(arena_t *a, db_stmt *st, void *item)
{
	comment_entry *e = item;
	e->article_status = (int)db_col_int64(st, 11);
	e->article_published_at = db_col_int64(st, 12);
	const char **dst[] = {&e->article_title, &e->article_slug, &e->category_slug};
	return read_row(a, st, &e->c) != 0 ? -1 : copy_texts(a, st, 8, dst, 3);
}

int comment_list_entries(db_t *db, arena_t *a, int status, int64_t before_id, int limit,
			 comment_entry **items, size_t *n, bool *has_more)
{
	*items = NULL;
	*n = 0;
	*has_more = false;
	if (check_limit(limit) != 0)
		return -1;
	if (comment_status_name(status) == NULL) {
		log_error("comment: no such status %d", status);
		return -1;
	}
	db_stmt *st = db_prepare(db, "SELECT c.id, c.article_id, c.name, c.email, c.body, c.visitor, "
				     "c.status, c.created_at, a.title, a.slug, g.slug, a.status, "
				     "a.published_at FROM comments c "
				     "JOIN articles a ON a.id = c.article_id "
				     "JOIN categories g ON g.id = a.category_id "
				     "WHERE c.status = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?");
	return db_fill_rows(st,
			    st != NULL && db_bind_int64(st, 1, status) == 0 &&
				db_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX) == 0 &&
				db_bind_int64(st, 3, limit + 1) == 0,
			    a, sizeof **items, (size_t)limit, read_entry, items, n, has_more);
}

/* Runs one statement for each id inside one write unit; *changed sums
 * the rows each changed. The statement takes (status, id, status), or only
 * (id) when status < 0 (the delete). */
static int for_each_id(db_t *db, const char *sql, const int64_t *ids, size_t n, int status,
		       size_t *changed)
{
	int nested = 0;
	size_t total = 0;
	*changed = 0;
	if (n > COMMENT_BULK_MAX) {
		log_error("comment: %zu ids in one change, at most %d", n, COMMENT_BULK_MAX);
		return -1;
	}
	if (n == 0)
		return 0;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(db, sql);
		int idx = 1;
		if (st == NULL || (status >= 0 && db_bind_int64(st, idx++, status) != 0) ||
		    db_bind_int64(st, idx++, ids[i]) != 0 ||
		    (status >= 0 && db_bind_int64(st, idx, status) != 0) || db_step(st) != DB_DONE) {
			db_done(st);
			db_write_end(db, nested, 0);
			return -1;
		}
		db_done(st);
		total += (size_t)db_changes(db);
	}
	if (db_write_end(db, nested, 1) != 0)
		return -1;
	*changed = total;
	return 0;
}

int comment_set_status_many(db_t *db, const int64_t *ids, size_t n, int status, size_t *changed)
{
	*changed = 0;
	if (comment_status_name(status) == NULL) {
		log_error("comment: no such status %d", status);
		return -1;
	}
	/* "status <> ?" repeats the value so that a comment already there is
	 * not counted as changed. */
	return for_each_id(db, "UPDATE comments SET status = ? WHERE id = ? AND status <> ?", ids, n,
			   status, changed);
}

int comment_delete_many(db_t *db, const int64_t *ids, size_t n, size_t *changed)
{
	return for_each_id(db, "DELETE FROM comments WHERE id = ?", ids, n, -1, changed);
}
