/*
 * oai.c - OAI-PMH's records, sets and resumption tokens (see oai.h).
 */
#include "model/oai.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"
#include "model/settings.h"

#define OAI_SECRET_NAME "oai_secret"

static const char *const class_codes[] = {"di_vat", "co_vat", "bao_vat"};
#define N_CLASSES (sizeof class_codes / sizeof class_codes[0])

/* ---- sets --------------------------------------------------------------------- */

int oai_set_parse(const char *spec, oai_set_ref *out)
{
	memset(out, 0, sizeof *out);
	if (spec == NULL || spec[0] == '\0') {
		out->kind = OAI_SET_NONE;
		return 0;
	}
	if (strncmp(spec, "class:", 6) == 0) {
		for (size_t i = 0; i < N_CLASSES; i++)
			if (strcmp(spec + 6, class_codes[i]) == 0) {
				out->kind = OAI_SET_CLASS;
				out->heritage_class = class_codes[i];
				return 0;
			}
		return 1;
	}
	if (strncmp(spec, "exhibition:", 11) == 0) {
		const char *digits = spec + 11;
		/* parse_int64 takes a sign and leading zeros; a set's name has one spelling. */
		if (digits[0] < '1' || digits[0] > '9' || strlen(digits) > 18 ||
		    strspn(digits, "0123456789") != strlen(digits) ||
		    parse_int64(digits, &out->exhibition_id) != 0)
			return 1;
		out->kind = OAI_SET_EXHIBITION;
		return 0;
	}
	return 1;
}

int oai_set_list(db_t *db, arena_t *a, oai_set **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT id, title FROM exhibitions WHERE public = 1 ORDER BY id");
	if (st == NULL)
		return -1;
	size_t cap = N_CLASSES + 16, count = 0;
	oai_set *sets = arena_calloc(a, cap, sizeof *sets);
	for (size_t i = 0; sets != NULL && i < N_CLASSES; i++)
		sets[count++] = (oai_set){arena_sprintf(a, "class:%s", class_codes[i]), class_codes[i],
					  NULL};
	int rc = DB_ROW;
	while (sets != NULL && (rc = db_step(st)) == DB_ROW) {
		if (count == cap) {
			oai_set *bigger = arena_calloc(a, cap * 2, sizeof *sets);
			if (bigger != NULL)
				memcpy(bigger, sets, count * sizeof *sets);
			sets = bigger;
			cap *= 2;
			if (sets == NULL)
				break;
		}
		bool oom = false;
		sets[count].spec = arena_sprintf(a, "exhibition:%lld", (long long)db_col_int64(st, 0));
		sets[count].class_code = NULL;
		sets[count].title = db_col_copy(a, st, 1, "", &oom);
		if (oom || sets[count].spec == NULL)
			break;
		count++;
	}
	db_done(st);
	if (sets == NULL || rc != DB_DONE)
		return -1;
	*items = sets;
	*n = count;
	return 0;
}

/* ---- records ------------------------------------------------------------------ */

static int fill_id(arena_t *a, db_stmt *st, void *item)
{
	(void)a;
	*(int64_t *)item = db_col_int64(st, 0);
	return 0;
}

static int fill_header(arena_t *a, db_stmt *st, void *item)
{
	oai_record *r = item;
	memset(r, 0, sizeof *r);
	r->id = db_col_int64(st, 0);
	r->datestamp = db_col_int64(st, 1);
	r->deleted = db_col_int64(st, 2) != 0;
	bool oom = false;
	r->heritage_class = db_col_copy(a, st, 3, "", &oom);
	return oom ? -1 : 0;
}

/* The name of a material code among mats, or the code. */
static const char *material_name(const object_material *mats, size_t nmats, const char *code)
{
	for (size_t i = 0; i < nmats; i++)
		if (strcmp(mats[i].code, code) == 0)
			return mats[i].name;
	return code;
}

/* Fills what the header does not hold: the exhibitions (sets) of every
 * record, the card of a record that is not deleted. */
static int complete(db_t *db, arena_t *a, oai_record *r, bool with_card,
		    const object_material *mats, size_t nmats)
{
	db_stmt *st = db_prepare(db, "SELECT e.exhibition_id FROM exhibition_objects e"
				     " JOIN exhibitions x ON x.id = e.exhibition_id"
				     " WHERE e.object_id = ? AND x.public = 1 ORDER BY e.exhibition_id");
	bool bound = st != NULL && db_bind_int64(st, 1, r->id) == 0;
	if (db_fill_rows(st, bound, a, sizeof *r->exhibitions, SIZE_MAX, fill_id, &r->exhibitions,
			 &r->nexhibitions, NULL) != 0)
		return -1;
	if (!with_card || r->deleted)
		return 0;
	if (object_get(db, a, r->id, &r->card) != 0 ||
	    object_related_list(db, a, r->id, &r->related, &r->nrelated) != 0)
		return -1;
	r->material_name = material_name(mats, nmats, r->card.material_code);
	r->has_card = true;
	return 0;
}

/* The FROM and WHERE of a list after pos (?1 from, ?2 until, ?3 and ?4 the
 * position, ?6 the set's value), for a set of kind k. */
static const char *list_where(oai_set_kind k)
{
	switch (k) {
	case OAI_SET_CLASS:
		return " FROM oai_records r WHERE r.class = ?6 AND r.datestamp BETWEEN ?1 AND ?2"
		       " AND (r.datestamp, r.object_id) > (?3, ?4)";
	case OAI_SET_EXHIBITION:
		return " FROM oai_records r JOIN exhibition_objects e ON e.object_id = r.object_id"
		       " AND e.exhibition_id = ?6"
		       " JOIN exhibitions x ON x.id = e.exhibition_id AND x.public = 1"
		       " WHERE r.datestamp BETWEEN ?1 AND ?2 AND (r.datestamp, r.object_id) > (?3, ?4)";
	case OAI_SET_NONE:
	default:
		return " FROM oai_records r WHERE r.datestamp BETWEEN ?1 AND ?2"
		       " AND (r.datestamp, r.object_id) > (?3, ?4)";
	}
}

static bool bind_list(db_stmt *st, const oai_position *pos, const oai_set_ref *set)
{
	if (st == NULL || db_bind_int64(st, 1, pos->from) != 0 ||
	    db_bind_int64(st, 2, pos->until) != 0 || db_bind_int64(st, 3, pos->after_datestamp) != 0 ||
	    db_bind_int64(st, 4, pos->after_id) != 0)
		return false;
	if (set->kind == OAI_SET_CLASS)
		return db_bind_text(st, 6, set->heritage_class, -1) == 0;
	if (set->kind == OAI_SET_EXHIBITION)
		return db_bind_int64(st, 6, set->exhibition_id) == 0;
	return true;
}

/* 1 when a record's datestamp is at or after t (it changed then: the
 * datestamp index answers at once), 0 when none is, -1. */
static int changed_since(db_t *db, int64_t t)
{
	db_stmt *st = db_prepare(db, "SELECT 1 FROM oai_records WHERE datestamp >= ? LIMIT 1");
	int rc = st != NULL && db_bind_int64(st, 1, t) == 0 ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* One page of a list (oai_list() without the memory map). */
static int list_page(db_t *db, arena_t *a, const oai_position *pos, size_t limit,
		     bool with_cards, oai_record **items, size_t *n, int64_t *remaining)
{
	oai_set_ref set;
	if (oai_set_parse(pos->set, &set) != 0)
		return 0;
	const char *where = list_where(set.kind);
	int changed = pos->total > 0 ? changed_since(db, pos->checked) : 1;
	if (changed < 0)
		return -1;
	/* What follows the position, this page included. */
	int64_t total = pos->total - pos->cursor;
	if (changed) {
		db_stmt *st = db_prepare(db, arena_sprintf(a, "SELECT count(*)%s", where));
		int rc = bind_list(st, pos, &set) ? db_step(st) : DB_ERROR;
		total = rc == DB_ROW ? db_col_int64(st, 0) : 0;
		if (st != NULL)
			db_done(st);
		if (rc != DB_ROW)
			return -1;
	}
	db_stmt *st = db_prepare(db, arena_sprintf(a,
					  "SELECT r.object_id, r.datestamp, r.deleted, r.class%s"
					  " ORDER BY r.datestamp, r.object_id LIMIT ?5",
					  where));
	bool bound = bind_list(st, pos, &set) && db_bind_int64(st, 5, (int64_t)limit) == 0;
	if (db_fill_rows(st, bound, a, sizeof **items, limit, fill_header, items, n, NULL) != 0)
		return -1;
	object_material *mats = NULL;
	size_t nmats = 0;
	if (with_cards && *n > 0 && object_material_list(db, a, &mats, &nmats) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (complete(db, a, &(*items)[i], with_cards, mats, nmats) != 0)
			return -1;
	*remaining = total > (int64_t)*n ? total - (int64_t)*n : 0;
	return 0;
}

int oai_list(db_t *db, arena_t *a, const oai_position *pos, size_t limit, bool with_cards,
	     oai_record **items, size_t *n, int64_t *remaining)
{
	*items = NULL;
	*n = 0;
	*remaining = 0;
	/* A harvest reads every public card once, scattered over the whole
	 * register: through the memory map each page it touched stayed mapped
	 * and counted in the server's memory (190 MB for 50,000 records of a
	 * 270 MB database, bench/oai.py). Read through the connection's page
	 * cache instead, then map again, as the export does. */
	if (db_exec(db, "PRAGMA mmap_size = 0") != 0)
		return -1;
	/* One read transaction: the count and the page see the same records
	 * (and SQLite takes its locks once, not once per statement). */
	int rc = db_exec(db, "BEGIN");
	if (rc == 0) {
		rc = list_page(db, a, pos, limit, with_cards, items, n, remaining);
		if (db_exec(db, "COMMIT") != 0)
			rc = -1;
	}
	if (db_exec(db, "PRAGMA mmap_size = " DB_MMAP_BYTES) != 0)
		rc = -1;
	return rc;
}

int oai_get(db_t *db, arena_t *a, int64_t id, oai_record *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(db, "SELECT object_id, datestamp, deleted, class FROM oai_records"
				     " WHERE object_id = ?");
	bool bound = st != NULL && db_bind_int64(st, 1, id) == 0;
	oai_record *rows;
	size_t n;
	if (db_fill_rows(st, bound, a, sizeof *rows, 1, fill_header, &rows, &n, NULL) != 0)
		return -1;
	if (n == 0)
		return 1;
	*out = rows[0];
	object_material *mats = NULL;
	size_t nmats = 0;
	if (!out->deleted && object_material_list(db, a, &mats, &nmats) != 0)
		return -1;
	return complete(db, a, out, true, mats, nmats);
}

int oai_earliest(db_t *db, int64_t now, int64_t *out)
{
	db_stmt *st = db_prepare(db, "SELECT min(datestamp) FROM oai_records");
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_is_null(st, 0) ? now : db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* ---- resumption tokens ---------------------------------------------------------- */

/* Layout: version, flags (1: ListRecords), set length, the set's bytes, eight
 * 64-bit big-endian numbers (from, until, after_datestamp, after_id,
 * cursor, expires, total, checked), then the MAC of everything before it. */
#define TOKEN_VERSION 2
#define TOKEN_NUMBERS 8
#define TOKEN_BODY_MAX (3 + OAI_SET_MAX + TOKEN_NUMBERS * 8)
#define TOKEN_BYTES_MAX (TOKEN_BODY_MAX + crypto_auth_BYTES)

int oai_key(db_t *db, unsigned char key[OAI_KEY_BYTES])
{
	return settings_secret(db, OAI_SECRET_NAME, key, OAI_KEY_BYTES);
}

static void put64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 7; i >= 0; i--, u >>= 8)
		p[i] = (unsigned char)(u & 0xff);
}

static int64_t get64(const unsigned char *p)
{
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t)u;
}

int oai_token_encode(const unsigned char key[OAI_KEY_BYTES], const oai_position *pos, char *out)
{
	unsigned char raw[TOKEN_BYTES_MAX];
	size_t setlen = strlen(pos->set);
	if (setlen > OAI_SET_MAX)
		return -1;
	size_t len = 0;
	raw[len++] = TOKEN_VERSION;
	raw[len++] = pos->records ? 1 : 0;
	raw[len++] = (unsigned char)setlen;
	memcpy(raw + len, pos->set, setlen);
	len += setlen;
	const int64_t numbers[TOKEN_NUMBERS] = {pos->from,   pos->until,   pos->after_datestamp,
						pos->after_id, pos->cursor, pos->expires,
						pos->total,  pos->checked};
	for (size_t i = 0; i < TOKEN_NUMBERS; i++, len += 8)
		put64(raw + len, numbers[i]);
	crypto_auth(raw + len, raw, len, key);
	len += crypto_auth_BYTES;
	/* 4 characters per 3 bytes: 147 bytes at most give 196. */
	sodium_bin2base64(out, OAI_TOKEN_TEXT_MAX, raw, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int oai_token_decode(const unsigned char key[OAI_KEY_BYTES], const char *text, int64_t now,
		     oai_position *pos)
{
	memset(pos, 0, sizeof *pos);
	unsigned char raw[TOKEN_BYTES_MAX];
	size_t len = 0, tlen = strlen(text);
	if (tlen == 0 || tlen >= OAI_TOKEN_TEXT_MAX ||
	    sodium_base642bin(raw, sizeof raw, text, tlen, NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return 1;
	if (len < 3 + TOKEN_NUMBERS * 8 + crypto_auth_BYTES)
		return 1;
	size_t body = len - crypto_auth_BYTES;
	if (crypto_auth_verify(raw + body, raw, body, key) != 0)
		return 1;
	size_t setlen = raw[2];
	if (raw[0] != TOKEN_VERSION || raw[1] > 1 || setlen > OAI_SET_MAX ||
	    body != 3 + setlen + TOKEN_NUMBERS * 8)
		return 1;
	pos->records = raw[1] == 1;
	memcpy(pos->set, raw + 3, setlen);
	pos->set[setlen] = '\0';
	const unsigned char *p = raw + 3 + setlen;
	int64_t *numbers[TOKEN_NUMBERS] = {&pos->from,   &pos->until,   &pos->after_datestamp,
					   &pos->after_id, &pos->cursor, &pos->expires,
					   &pos->total,  &pos->checked};
	for (size_t i = 0; i < TOKEN_NUMBERS; i++, p += 8)
		*numbers[i] = get64(p);
	return now > pos->expires ? 2 : 0;
}
