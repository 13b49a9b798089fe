/*
 * link.c - the "Liên kết website" block: ordered links to other sites.
 *
 * Positions are 1..n without gaps; every change that moves rows renumbers
 * them inside one transaction, so readers never see a half-moved list.
 */
#include "model/link.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"
#include "model/position.h"

#define LINKS_MAX LINK_LIST_MAX
#define INPUT_SCAN_MAX 8192    /* longer input is refused without reading on */

/* ---- validation -------------------------------------------------------------- */

static bool prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *prefix)
			return false;
	}
	return true;
}

enum link_problem link_check(const char *title, const char *url, unsigned flags)
{
	size_t len = title != NULL ? strnlen(title, INPUT_SCAN_MAX) : 0;
	bool blank = true;
	for (size_t i = 0; i < len; i++)
		if (title[i] != ' ' && title[i] != '\t')
			blank = false;
	if (blank)
		return LINK_TITLE_EMPTY;
	if (len > LINK_TITLE_MAX)
		return LINK_TITLE_LONG;
	if (!utf8_valid(title, len))
		return LINK_TITLE_UTF8;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)title[i] < 0x20 || title[i] == 0x7f)
			return LINK_TITLE_CONTROL;

	len = url != NULL ? strnlen(url, INPUT_SCAN_MAX) : 0;
	if (len == 0)
		return LINK_URL_EMPTY;
	if (len > LINK_URL_MAX)
		return LINK_URL_LONG;
	if (!utf8_valid(url, len))
		return LINK_URL_UTF8;
	/* CR/LF could split a header or a log line; spaces, quotes, angle
	 * brackets and backslashes have no place in a well-formed URL and are
	 * how attribute and parser-confusion tricks start. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		    c == '\\' || c == '`')
			return LINK_URL_INVALID;
	}

	const char *host;
	if (url[0] == '/') {
		/* "//host" is a link to another site without a scheme. */
		if (url[1] == '/' || (flags & LINK_ALLOW_PATH) == 0)
			return LINK_URL_SCHEME;
		return LINK_OK;
	}
	if (prefix_nocase(url, "https://"))
		host = url + 8;
	else if (prefix_nocase(url, "http://"))
		host = url + 7;
	else
		/* javascript:, data:, vbscript:, file:, mailto: ... all end here. */
		return LINK_URL_SCHEME;
	size_t host_len = strcspn(host, "/?#");
	if (host_len == 0)
		return LINK_URL_HOST;
	/* user@host shows one site and opens another. */
	if (memchr(host, '@', host_len) != NULL)
		return LINK_URL_USERINFO;
	return LINK_OK;
}

int link_validate(const char *title, const char *url, model_problem *p)
{
	enum link_problem code = link_check(title, url, LINK_ALLOW_PATH);
	model_problem_clear(p);
	switch (code) {
	case LINK_OK:
		return 0;
	case LINK_TITLE_LONG:
		return model_refuse_limit(p, code, "title", LINK_TITLE_MAX, 
					  (int64_t)strnlen(title, INPUT_SCAN_MAX));
	case LINK_URL_LONG:
		return model_refuse_limit(p, code, "url", LINK_URL_MAX, 
					  (int64_t)strnlen(url, INPUT_SCAN_MAX));
	case LINK_TITLE_EMPTY:
	case LINK_TITLE_UTF8:
	case LINK_TITLE_CONTROL:
		return model_refuse(p, code, "title");
	case LINK_URL_EMPTY:
	case LINK_URL_UTF8:
	case LINK_URL_INVALID:
	case LINK_URL_SCHEME:
	case LINK_URL_HOST:
	case LINK_URL_USERINFO:
		break;
	}
	return model_refuse(p, code, "url");
}

/* ---- reading ----------------------------------------------------------------- */

int link_list(db_t *db, arena_t *a, link_item **items, size_t *n)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL)
		return -1;
	*items = NULL;
	*n = 0;
	link_item *list = arena_calloc(a, LINKS_MAX, sizeof(*list));
	if (list == NULL) {
		log_error("link: out of memory");
		return -1;
	}
	db_stmt *st = db_prepare(db, "SELECT id, title, url, position FROM links"
				     " ORDER BY position, id LIMIT ?");
	if (st == NULL)
		return -1;
	size_t count = 0;
	bool oom = false;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, LINKS_MAX) == 0) {
		while ((rc = db_step(st)) == DB_ROW) {
			const char *title = db_col_text(st, 1), *url = db_col_text(st, 2);
			link_item *it = &list[count++];
			it->id = db_col_int64(st, 0);
			it->title = arena_strdup(a, title != NULL ? title : "");
			it->url = arena_strdup(a, url != NULL ? url : "");
			it->position = (int)db_col_int64(st, 3);
			if (it->title == NULL || it->url == NULL) {
				oom = true;
				break;
			}
		}
	}
	db_done(st);
	if (oom) {
		log_error("link: out of memory");
		return -1;
	}
	if (rc != DB_DONE)
		return -1;
	*items = list;
	*n = count;
	return 0;
}

/* ---- writing ----------------------------------------------------------------- */

int link_add(db_t *db, const char *title, const char *url, int64_t *id)
{
	model_problem why;
	if (db == NULL || id == NULL)
		return -1;
	if (link_validate(title, url, &why) != 0) {
		log_warn("link: refused: problem %d in the %s", why.code, why.field);
		return -1;
	}
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int ok = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM links");
	int64_t count = -1;
	if (st != NULL && db_step(st) == DB_ROW)
		count = db_col_int64(st, 0);
	db_done(st);
	if (count >= LINKS_MAX)
		log_warn("link: refused: already %d links", LINKS_MAX);
	if (count < 0 || count >= LINKS_MAX)
		goto end;
	st = db_prepare(db, "INSERT INTO links (title, url, position)"
			    " SELECT ?, ?, coalesce(max(position), 0) + 1 FROM links");
	if (st == NULL)
		goto end;
	if (db_bind_text(st, 1, title, -1) == 0 && db_bind_text(st, 2, url, -1) == 0 &&
	    db_step(st) == DB_DONE) {
		*id = db_last_insert_id(db);
		ok = 1;
	}
	db_done(st);
end:
	return db_write_end(db, nested, ok);
}

int link_remove(db_t *db, int64_t id)
{
	if (db == NULL)
		return -1;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int ok = 0, found = 0;
	db_stmt *st = db_prepare(db, "DELETE FROM links WHERE id = ?");
	if (st == NULL)
		goto end;
	if (db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE) {
		found = db_changes(db) > 0;
		ok = 1;
	}
	db_done(st);
	/* Close the gap so positions stay 1..n. */
	if (ok && found && position_renumber(db, POSITION_LINKS) != 0)
		ok = 0;
end:
	if (db_write_end(db, nested, ok) != 0)
		return -1;
	return found ? 0 : 1;
}

int link_move(db_t *db, int64_t id, int pos)
{
	if (db == NULL)
		return -1;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int ok = 0, found = 0;
	int64_t *ids = NULL;
	size_t n = 0;
	if (position_load(db, POSITION_LINKS, &ids, &n) != 0)
		goto end;
	size_t from = position_index(ids, n, id);
	if (from == n) {
		ok = 1;   /* nothing to change; not found */
		goto end;
	}
	found = 1;
	/* Positions outside 1..n mean "first" or "last". */
	size_t to = pos < 1 ? 0 : (size_t)pos > n ? n - 1 : (size_t)pos - 1;
	position_move(ids, from, to);
	ok = position_store(db, POSITION_LINKS, ids, n) == 0;
end:
	free(ids);
	if (db_write_end(db, nested, ok) != 0)
		return -1;
	return found ? 0 : 1;
}

int link_get(db_t *db, arena_t *a, int64_t id, link_item *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT id, title, url, position FROM links WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, id) == 0)
		rc = db_step(st);
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW) {
		const char *title = db_col_text(st, 1), *url = db_col_text(st, 2);
		out->id = db_col_int64(st, 0);
		out->title = arena_strdup(a, title != NULL ? title : "");
		out->url = arena_strdup(a, url != NULL ? url : "");
		out->position = (int)db_col_int64(st, 3);
		result = out->title != NULL && out->url != NULL ? 0 : -1;
		if (result != 0)
			log_error("link: out of memory");
	}
	db_done(st);
	return result;
}

int link_update(db_t *db, int64_t id, const char *title, const char *url)
{
	model_problem why;
	if (db == NULL)
		return -1;
	if (link_validate(title, url, &why) != 0) {
		log_warn("link: refused: problem %d in the %s", why.code, why.field);
		return -1;
	}
	db_stmt *st = db_prepare(db, "UPDATE links SET title = ?, url = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, title, -1) == 0 && db_bind_text(st, 2, url, -1) == 0 &&
	    db_bind_int64(st, 3, id) == 0)
		rc = db_step(st);
	int changed = rc == DB_DONE ? db_changes(db) : 0;
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	return changed > 0 ? 0 : 1;
}

int link_shift(db_t *db, int64_t id, int delta)
{
	if (db == NULL)
		return -1;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int rc = position_shift(db, POSITION_LINKS, id, delta);
	if (db_write_end(db, nested, rc == 0) != 0)
		return rc == 1 ? 1 : -1;
	return rc;
}

int link_reorder(db_t *db, const int64_t *ids, size_t n)
{
	if (db == NULL || (ids == NULL && n > 0))
		return -1;
	if (n > LINKS_MAX)
		return 2;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t *cur = NULL;
	size_t ncur = 0;
	int rc = position_load(db, POSITION_LINKS, &cur, &ncur);
	/* Exactly the current links, each once: a list made before someone
	 * added or removed one is refused rather than half applied. */
	if (rc == 0 && !position_same_set(ids, n, cur, ncur))
		rc = 2;
	if (rc == 0)
		rc = position_store(db, POSITION_LINKS, ids, n);
	free(cur);
	if (db_write_end(db, nested, rc == 0) != 0)
		return rc == 2 ? 2 : -1;
	return rc;
}
