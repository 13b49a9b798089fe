/*
 * register_log.c - the register's append-only log and its hash chain (see
 * register_log.h).
 */
#include "model/register_log.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void field(crypto_hash_sha256_state *h, const char *s, size_t len)
{
	char n[24];
	int k = snprintf(n, sizeof n, "%zu:", len);
	crypto_hash_sha256_update(h, (const unsigned char *)n, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)s, len);
}

static void field_int(crypto_hash_sha256_state *h, int64_t v)
{
	char n[24];
	int k = snprintf(n, sizeof n, "%" PRId64, v);
	field(h, n, (size_t)k);
}

/* The hash of one entry given the previous one; hex into out. */
static void entry_hash(const char *prev, const register_entry *e, int64_t register_id,
		       int64_t object_id, char out[REGISTER_HASH_HEX + 1])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	field(&h, prev, strlen(prev));
	field_int(&h, e->id);
	field_int(&h, register_id);
	field_int(&h, object_id);
	field(&h, e->kind, strlen(e->kind));
	field_int(&h, e->corrects);
	field(&h, e->reg_number, strlen(e->reg_number));
	field(&h, e->payload, strlen(e->payload));
	field(&h, e->who, strlen(e->who));
	field_int(&h, e->at);
	field(&h, e->why, strlen(e->why));
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, REGISTER_HASH_HEX + 1, digest, sizeof digest);
}

int register_log_append(db_t *db, const object_card *c, const char *kind, int64_t corrects,
			const char *who, const char *why, int64_t *entry)
{
	if (!db_in_transaction(db)) {
		log_error("register_log_append: outside a transaction");
		return -1;
	}
	char prev[REGISTER_HASH_HEX + 1];
	int64_t id = 1;
	db_stmt *st = db_prepare(db, "SELECT id, hash FROM register_log ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	snprintf(prev, sizeof prev, "%s", zero_hash);
	if (rc == DB_ROW) {
		id = db_col_int64(st, 0) + 1;
		const char *hp = db_col_text(st, 1);
		snprintf(prev, sizeof prev, "%s", hp != NULL ? hp : "");
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	buf_t payload = BUF_INIT;
	if (object_entry_json(c, &payload) != 0 || buf_putc(&payload, '\0') != 0) {
		buf_free(&payload);
		return -1;
	}
	register_entry e = {.id = id, .kind = kind, .corrects = corrects,
			    .reg_number = c->reg_number, .payload = payload.data,
			    .who = who, .at = (int64_t)time(NULL), .why = why != NULL ? why : ""};
	char hash[REGISTER_HASH_HEX + 1];
	entry_hash(prev, &e, c->register_id, c->id, hash);
	st = db_prepare(db, "INSERT INTO register_log (id, register_id, object_id, kind, corrects,"
			    " reg_number, payload, who, at, why, prev_hash, hash)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int step = DB_ERROR;
	if (st != NULL) {
		if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, c->register_id) == 0 &&
		    db_bind_int64(st, 3, c->id) == 0 && db_bind_text(st, 4, kind, -1) == 0 &&
		    (corrects > 0 ? db_bind_int64(st, 5, corrects) : db_bind_null(st, 5)) == 0 &&
		    db_bind_text(st, 6, c->reg_number, -1) == 0 &&
		    db_bind_text(st, 7, payload.data, -1) == 0 && db_bind_text(st, 8, who, -1) == 0 &&
		    db_bind_int64(st, 9, e.at) == 0 && db_bind_text(st, 10, e.why, -1) == 0 &&
		    db_bind_text(st, 11, prev, -1) == 0 && db_bind_text(st, 12, hash, -1) == 0)
			step = db_step(st);
		db_done(st);
	}
	buf_free(&payload);
	if (step != DB_DONE)
		return -1;
	if (entry != NULL)
		*entry = id;
	return 0;
}

#define ENTRY_COLUMNS                                                                          \
	"id, kind, ifnull(corrects, 0), reg_number, payload, who, at, why, hash, register_id,"   \
	" object_id, prev_hash"

static int fill_entry(arena_t *a, db_stmt *st, void *item)
{
	register_entry *e = item;
	e->id = db_col_int64(st, 0);
	e->corrects = db_col_int64(st, 2);
	e->at = db_col_int64(st, 6);
	const char **texts[] = {&e->kind}, **more[] = {&e->reg_number, &e->payload, &e->who},
		   **last[] = {&e->why, &e->hash};
	return db_col_copy_texts(a, st, 1, texts, 1) || db_col_copy_texts(a, st, 3, more, 3) ||
			       db_col_copy_texts(a, st, 7, last, 2)
		   ? -1
		   : 0;
}

int register_history(db_t *db, arena_t *a, int64_t object_id, register_entry **entries,
		     size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT " ENTRY_COLUMNS " FROM register_log"
				     " WHERE object_id = ? ORDER BY id");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, object_id) == 0, a,
			    sizeof **entries, SIZE_MAX, fill_entry, entries, n, NULL);
}

/* Walks the chain; stops at the first entry that does not fit. */
static int walk_chain(db_t *db, arena_t *a, register_verify_result *out)
{
	char prev[REGISTER_HASH_HEX + 1];
	snprintf(prev, sizeof prev, "%s", zero_hash);
	db_stmt *st = db_prepare(db, "SELECT " ENTRY_COLUMNS " FROM register_log ORDER BY id");
	if (st == NULL)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		register_entry e;
		arena_reset(a);
		if (fill_entry(a, st, &e) != 0) {
			rc = DB_ERROR;
			break;
		}
		int64_t register_id = db_col_int64(st, 9), object_id = db_col_int64(st, 10);
		const char *stored_prev = db_col_text(st, 11);
		out->entries++;
		char hash[REGISTER_HASH_HEX + 1];
		entry_hash(prev, &e, register_id, object_id, hash);
		if (stored_prev == NULL || strcmp(stored_prev, prev) != 0) {
			out->problem = REGISTER_CHAIN_BROKEN;
		} else if (strcmp(hash, e.hash) != 0) {
			out->problem = REGISTER_HASH_WRONG;
		}
		if (out->problem != REGISTER_FITS) {
			out->entry = e.id;
			out->object_id = object_id;
			break;
		}
		snprintf(prev, sizeof prev, "%s", e.hash);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	snprintf(out->head, sizeof out->head, "%s", strcmp(prev, zero_hash) == 0 ? "" : prev);
	return 0;
}

/* Compares every registered object's card with its newest entry. */
static int compare_cards(db_t *db, arena_t *a, register_verify_result *out)
{
	db_stmt *st = db_prepare(db, "SELECT o.id, o.log_head, l.id, l.payload, l.reg_number"
				     " FROM objects o LEFT JOIN register_log l ON l.id ="
				     " (SELECT max(x.id) FROM register_log x WHERE x.object_id = o.id)"
				     " WHERE o.reg_number IS NOT NULL ORDER BY l.id, o.id");
	if (st == NULL)
		return -1;
	int rc;
	buf_t json = BUF_INIT;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0), head = db_col_int64(st, 1);
		int64_t newest = db_col_int64(st, 2);
		const char *payload = db_col_copy(a, st, 3, "", NULL);
		out->objects++;
		if (db_col_is_null(st, 2) || head != newest) {
			out->problem = REGISTER_UNLOGGED;
			out->entry = newest;
			out->object_id = id;
			break;
		}
		/* object_get prepares its own statement; this one stays open. */
		object_card c;
		buf_clear(&json);
		if (payload == NULL || object_get(db, a, id, &c) != 0 ||
		    object_entry_json(&c, &json) != 0 || buf_putc(&json, '\0') != 0) {
			rc = DB_ERROR;
			break;
		}
		if (strcmp(json.data, payload) != 0) {
			out->problem = REGISTER_CARD_CHANGED;
			out->entry = newest;
			out->object_id = id;
			break;
		}
		arena_reset(a);
	}
	db_done(st);
	buf_free(&json);
	return rc == DB_ERROR ? -1 : 0;
}

int register_verify(db_t *db, register_verify_result *out)
{
	memset(out, 0, sizeof *out);
	arena_t *a = arena_new(4096);
	if (a == NULL)
		return -1;
	/* One read transaction: a writer committing meanwhile cannot make a
	 * sound register look broken. */
	int rc = db_exec(db, "BEGIN");
	if (rc == 0) {
		rc = walk_chain(db, a, out);
		if (rc == 0 && out->problem == REGISTER_FITS)
			rc = compare_cards(db, a, out);
		db_exec(db, "COMMIT");
	}
	arena_free(a);
	return rc;
}
