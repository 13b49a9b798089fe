/*
 * register_number.c - registers and registration numbers (see
 * register_number.h).
 */
#include "model/register_number.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

static const char *const collections[] = {"main", "reference", NULL};

enum token { TOK_NONE, TOK_PREFIX, TOK_REGISTER, TOK_MATERIAL, TOK_N };

/* Reads a placeholder at p ('{'): its kind, width (for {n:W}) and length. */
static enum token placeholder(const char *p, int *width, size_t *len)
{
	static const struct {
		const char *text;
		enum token t;
	} names[] = {{"{prefix}", TOK_PREFIX}, {"{register}", TOK_REGISTER},
		     {"{material}", TOK_MATERIAL}, {"{n}", TOK_N}};
	*width = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strncmp(p, names[i].text, strlen(names[i].text)) == 0) {
			*len = strlen(names[i].text);
			return names[i].t;
		}
	if (strncmp(p, "{n:", 3) == 0 && p[3] >= '1' && p[3] <= '9' && p[4] == '}') {
		*width = p[3] - '0';
		*len = 5;
		return TOK_N;
	}
	return TOK_NONE;
}

int register_number_check_pattern(const char *pattern, model_problem *f)
{
	if (pattern == NULL || strlen(pattern) > REGISTER_PATTERN_MAX ||
	    !utf8_valid(pattern, strlen(pattern)))
		return reg_refuse(f, REG_BAD_PATTERN, "pattern");
	int ns = 0, registers = 0;
	bool separated = true;   /* a separator since the last placeholder */
	for (const char *p = pattern; *p != '\0';) {
		if (*p == '{') {
			int width;
			size_t len;
			enum token t = placeholder(p, &width, &len);
			if (t == TOK_NONE || !separated)
				return reg_refuse(f, REG_BAD_PATTERN, "pattern");
			ns += t == TOK_N;
			registers += t == TOK_REGISTER;
			separated = false;
			p += len;
			continue;
		}
		unsigned char c = (unsigned char)*p;
		if (c == '}' || c < 0x20)
			return reg_refuse(f, REG_BAD_PATTERN, "pattern");
		if (c < 0x80 && !isalnum(c))
			separated = true;
		p++;
	}
	if (ns != 1 || registers != 1)
		return reg_refuse(f, REG_BAD_PATTERN, "pattern");
	return 0;
}

int register_number_format(const char *pattern, const char *prefix, const char *code, int64_t n,
			   const char *material, char *out, size_t len)
{
	if (register_number_check_pattern(pattern, NULL) != 0 || n < 1)
		return -1;
	buf_t b = BUF_INIT;
	for (const char *p = pattern; *p != '\0';) {
		int width;
		size_t plen;
		enum token t = *p == '{' ? placeholder(p, &width, &plen) : TOK_NONE;
		switch (t) {
		case TOK_PREFIX: buf_puts(&b, prefix); break;
		case TOK_REGISTER: buf_puts(&b, code); break;
		case TOK_MATERIAL: buf_puts(&b, material); break;
		case TOK_N: buf_printf(&b, "%0*lld", width, (long long)n); break;
		case TOK_NONE: buf_putc(&b, *p); plen = 1; break;
		}
		p += plen;
	}
	int rc = -1;
	if (!b.failed && b.len > 0 && b.len < len && b.len <= REGISTER_NUMBER_MAX) {
		memcpy(out, b.data, b.len);
		out[b.len] = '\0';
		rc = 0;
	}
	buf_free(&b);
	return rc;
}

/* Letters (ASCII or Đ/đ) and digits only: a code is one token of a number. */
static bool word_only(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
		if (*p < 0x80) {
			if (!isalnum(*p))
				return false;
			p++;
		} else if ((p[0] == 0xc4 && (p[1] == 0x90 || p[1] == 0x91))) {
			p += 2;   /* Đ đ */
		} else {
			return false;
		}
	}
	return true;
}

/* Would register r write, for its next number, a number an object holds? */
static int collides(db_t *db, const register_book *r, const char *pattern, bool *hit)
{
	*hit = false;
	db_stmt *st = db_prepare(db, "SELECT code FROM materials");
	if (st == NULL)
		return -1;
	int rc;
	char number[REGISTER_NUMBER_MAX + 1];
	while ((rc = db_step(st)) == DB_ROW && !*hit) {
		const char *m = db_col_text(st, 0);
		if (register_number_format(pattern, r->prefix, r->code, 1, m, number,
					   sizeof number) != 0)
			continue;
		db_stmt *q = db_prepare(db, "SELECT id FROM objects WHERE reg_number = ?");
		if (q == NULL) {
			rc = DB_ERROR;
			break;
		}
		int qr = db_bind_text(q, 1, number, -1) == 0 ? db_step(q) : DB_ERROR;
		if (qr == DB_ROW)
			*hit = true;
		db_done(q);
		if (qr == DB_ERROR) {
			rc = DB_ERROR;
			break;
		}
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int register_number_add(db_t *db, const register_book *r, int64_t *id, model_problem *f)
{
	const char *pattern =
	    r->pattern != NULL && r->pattern[0] != '\0' ? r->pattern : REGISTER_DEFAULT_PATTERN;
	int rc;
	if ((rc = reg_check_text(f, "code", r->code, REGISTER_CODE_MAX, true, false)) ||
	    (rc = reg_check_text(f, "name", r->name, REGISTER_NAME_MAX, true, false)) ||
	    (rc = reg_check_choice(f, "collection", r->collection, collections, true)) ||
	    (rc = reg_check_text(f, "prefix", r->prefix, REGISTER_PREFIX_MAX, true, false)) ||
	    (rc = register_number_check_pattern(pattern, f)))
		return rc;
	if (!word_only(r->code))
		return reg_refuse(f, REG_BAD_TEXT, "code");
	if (!word_only(r->prefix))
		return reg_refuse(f, REG_BAD_TEXT, "prefix");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	bool hit;
	int result = collides(db, r, pattern, &hit);
	if (result == 0 && hit)
		result = reg_refuse(f, REG_BAD_PATTERN, "pattern");
	if (result == 0) {
		db_stmt *st = db_prepare(db, "INSERT INTO registers (code, name, collection, prefix,"
					     " pattern) VALUES (?, ?, ?, ?, ?)");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_text(st, 1, r->code, -1) == 0 &&
			    db_bind_text(st, 2, r->name, -1) == 0 &&
			    db_bind_text(st, 3, r->collection, -1) == 0 &&
			    db_bind_text(st, 4, r->prefix, -1) == 0 &&
			    db_bind_text(st, 5, pattern, -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step == DB_CONSTRAINT)
			result = reg_refuse(f, REG_DUPLICATE, "code");
		else if (step != DB_DONE)
			result = -1;
		else
			*id = db_last_insert_id(db);
	}
	return reg_finish(db, nested, result);
}

#define REGISTER_COLUMNS "id, next_number, code, name, collection, prefix, pattern"

/* Reads the REGISTER_COLUMNS of st's row into out. 0 or -1. */
static int read_register(arena_t *a, db_stmt *st, void *item)
{
	register_book *out = item;
	out->id = db_col_int64(st, 0);
	out->next_number = db_col_int64(st, 1);
	const char **dst[] = {&out->code, &out->name, &out->collection, &out->prefix,
			      &out->pattern};
	return db_col_copy_texts(a, st, 2, dst, 5);
}

int register_number_get(db_t *db, arena_t *a, int64_t id, register_book *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st;
	int rc = reg_fetch(db, "SELECT " REGISTER_COLUMNS " FROM registers WHERE id = ?", id, &st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	int result = read_register(a, st, out);
	db_done(st);
	return result;
}

int register_number_list(db_t *db, arena_t *a, register_book **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT " REGISTER_COLUMNS " FROM registers ORDER BY code");
	return db_fill_rows(st, true, a, sizeof **items, SIZE_MAX, read_register, items, n, NULL);
}

/* Reads s as pattern writes numbers for (prefix, code): true with the
 * running number *n and the material (at most mlen bytes) when it fits. */
static bool number_match(const char *pattern, const char *prefix, const char *code,
			 const char *s, int64_t *n, char *material, size_t mlen)
{
	*n = 0;
	material[0] = '\0';
	for (const char *p = pattern; *p != '\0';) {
		int width;
		size_t plen = 1;
		enum token t = *p == '{' ? placeholder(p, &width, &plen) : TOK_NONE;
		const char *literal = t == TOK_PREFIX ? prefix : t == TOK_REGISTER ? code : NULL;
		if (t == TOK_NONE) {
			if (*s++ != *p)
				return false;
		} else if (literal != NULL) {
			size_t l = strlen(literal);
			if (strncmp(s, literal, l) != 0)
				return false;
			s += l;
		} else if (t == TOK_N) {
			const char *start = s;
			for (; isdigit((unsigned char)*s) && *n < INT64_MAX / 10 - 9; s++)
				*n = *n * 10 + (*s - '0');
			if (s == start)
				return false;
		} else {
			/* The material runs to the separator that follows it. */
			char stop = p[plen];
			size_t l = 0;
			while (s[l] != '\0' && s[l] != stop)
				l++;
			if (l == 0 || l >= mlen)
				return false;
			memcpy(material, s, l);
			material[l] = '\0';
			s += l;
		}
		p += plen;
	}
	return *s == '\0';
}

/* Would r, with pattern, still give a number some object holds? */
static int would_repeat(db_t *db, const register_book *r, const char *pattern, bool *hit)
{
	*hit = false;
	db_stmt *st = db_prepare(db, "SELECT reg_number FROM objects WHERE reg_number IS NOT NULL");
	if (st == NULL)
		return -1;
	int rc;
	char material[REGISTER_NUMBER_MAX + 1], again[REGISTER_NUMBER_MAX + 1];
	while (!*hit && (rc = db_step(st)) == DB_ROW) {
		const char *number = db_col_text(st, 0);
		int64_t n;
		if (number != NULL &&
		    number_match(pattern, r->prefix, r->code, number, &n, material, sizeof material) &&
		    n >= r->next_number &&
		    register_number_format(pattern, r->prefix, r->code, n, material, again,
					   sizeof again) == 0 &&
		    strcmp(again, number) == 0)
			*hit = true;
	}
	db_done(st);
	return *hit || rc == DB_DONE ? 0 : -1;
}

int register_number_set_pattern(db_t *db, int64_t id, const char *prefix, const char *pattern,
				model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "prefix", prefix, REGISTER_PREFIX_MAX, true, false)) ||
	    (rc = register_number_check_pattern(pattern, f)))
		return rc;
	if (!word_only(prefix))
		return reg_refuse(f, REG_BAD_TEXT, "prefix");
	arena_t *a = arena_new(1024);
	int nested;
	if (a == NULL || db_write_begin(db, &nested) != 0) {
		arena_free(a);
		return -1;
	}
	register_book r;
	int result = register_number_get(db, a, id, &r);
	if (result == 1)
		result = reg_refuse(f, REG_NOT_FOUND, "id");
	bool hit = false;
	if (result == 0) {
		r.prefix = prefix;
		result = would_repeat(db, &r, pattern, &hit);
	}
	if (result == 0 && hit)
		result = reg_refuse(f, REG_DUPLICATE, "pattern");
	if (result == 0) {
		db_stmt *st = db_prepare(db, "UPDATE registers SET prefix = ?, pattern = ? WHERE id = ?");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_text(st, 1, prefix, -1) == 0 &&
			    db_bind_text(st, 2, pattern, -1) == 0 && db_bind_int64(st, 3, id) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step != DB_DONE)
			result = -1;
	}
	arena_free(a);
	return reg_finish(db, nested, result);
}

int register_number_find(db_t *db, const char *code, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM registers WHERE code = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_text(st, 1, code, -1) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int register_number_take(db_t *db, int64_t register_id, const char *material, int64_t *seq,
			 char *out, size_t len)
{
	if (!db_in_transaction(db)) {
		log_error("register_number_take: outside a transaction");
		return -1;
	}
	db_stmt *st = db_prepare(db, "UPDATE registers SET next_number = next_number + 1"
				     " WHERE id = ? RETURNING next_number - 1, prefix, code, pattern");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, register_id) == 0 ? db_step(st) : DB_ERROR;
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW) {
		*seq = db_col_int64(st, 0);
		result = register_number_format(db_col_text(st, 3), db_col_text(st, 1),
						db_col_text(st, 2), *seq, material, out, len);
		if (result != 0)
			log_error("register %lld: its pattern cannot write number %lld",
				  (long long)register_id, (long long)*seq);
	}
	/* RETURNING: the statement must run to its end before the change counts. */
	while (rc == DB_ROW)
		rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? result : -1;
}
