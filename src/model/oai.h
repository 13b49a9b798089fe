/*
 * oai.h - what OAI-PMH (/oai, portal/oai.c) publishes: the records of the
 * online collection with their datestamps, the sets, and resumption tokens.
 *
 * Records: every object ever shown in the online collection (the view
 * objects_shown: registered and marked public) has a row of oai_records
 * (sql/013_oai.sql) kept by triggers: the datestamp of the last change of
 * its public record, and deleted = 1 once it was withdrawn (persistent
 * deleted records). A record is named by its object's id.
 *
 * Lists walk (datestamp, id) in order from a position (keyset), so a page
 * costs the same wherever it is and no record is skipped or repeated when
 * others change during a harvest: the harvest's upper bound `until` is
 * fixed at its first request, before the current second, so a record that
 * changes later moves out of this harvest (and into the next incremental
 * one) instead of coming twice.
 *
 * Tokens carry that position, the harvest's arguments, the count already
 * sent (cursor) and an expiry, signed with the site secret "oai_secret"
 * (HMAC-SHA-512-256 from libsodium), so a forged or altered token is
 * refused. Strings returned live in the caller's arena.
 */
#ifndef SEN_MODEL_OAI_H
#define SEN_MODEL_OAI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/object.h"

#define OAI_SET_MAX 64          /* bytes of a setSpec */
#define OAI_KEY_BYTES 32
#define OAI_TOKEN_TEXT_MAX 256  /* a token as text, NUL included */

/* A set: "class:di_vat" | "class:co_vat" | "class:bao_vat" (the class of
 * the card) or "exhibition:ID" (a public exhibition, sql/012). */
typedef enum { OAI_SET_NONE, OAI_SET_CLASS, OAI_SET_EXHIBITION } oai_set_kind;

typedef struct {
	oai_set_kind kind;
	const char *heritage_class;   /* OAI_SET_CLASS: di_vat, co_vat, bao_vat */
	int64_t exhibition_id;        /* OAI_SET_EXHIBITION */
} oai_set_ref;

/* Reads a setSpec: 0 with *out, 1 when it names no set this repository
 * could have (an exhibition that does not exist is still 0: the list is
 * then empty). */
int oai_set_parse(const char *spec, oai_set_ref *out);

/* Where a list is and what it covers. from/until are inclusive Unix
 * seconds; after_datestamp/after_id the last record already sent (0, 0 at
 * the start). */
typedef struct {
	bool records;                 /* ListRecords (else ListIdentifiers) */
	char set[OAI_SET_MAX + 1];    /* "" = every record */
	int64_t from, until;
	int64_t after_datestamp, after_id;
	int64_t cursor;               /* records sent before this page */
	int64_t expires;              /* Unix seconds; the token is refused after */
	int64_t total;                /* the list's size (completeListSize) as counted
				       * at `checked`; 0: not counted yet */
	int64_t checked;              /* Unix seconds of that count */
} oai_position;

/* One record. Without metadata (or when deleted) only the header fields
 * are filled. */
typedef struct {
	int64_t id;
	int64_t datestamp;
	bool deleted;
	const char *heritage_class;   /* its class set, "" when none */
	int64_t *exhibitions;         /* public exhibitions it is in (sets) */
	size_t nexhibitions;
	bool has_card;                /* card, related and material are filled */
	object_card card;
	const char *material_name;    /* "Kim loại và hợp kim" */
	object_related *related;
	size_t nrelated;
} oai_record;

/*
 * Up to limit records of pos's list after its position, in (datestamp, id)
 * order, with their cards when with_cards (deleted ones never get one).
 * *remaining is how many records of the list follow this page (for
 * completeListSize = cursor + n + remaining). Counting them reads the rest
 * of the list, so a harvest would cost the square of its length: when
 * pos->total is known and no record changed since pos->checked (a change
 * moves a record out of the list, as it gets a datestamp after `until`),
 * *remaining follows from it instead. A set that pos->set does not parse
 * to gives no records. 0 or -1.
 */
int oai_list(db_t *db, arena_t *a, const oai_position *pos, size_t limit, bool with_cards,
	     oai_record **items, size_t *n, int64_t *remaining);

/* One record by object id, with its card unless deleted: 0, 1 when the
 * object was never shown (not a record), -1. */
int oai_get(db_t *db, arena_t *a, int64_t id, oai_record *out);

/* The oldest datestamp of any record (now when there is none). 0 or -1. */
int oai_earliest(db_t *db, int64_t now, int64_t *out);

/* The sets offered: the three classes and every public exhibition. */
typedef struct {
	const char *spec;        /* "class:di_vat", "exhibition:3" */
	const char *class_code;  /* for a class set (its name comes from the catalog) */
	const char *title;       /* an exhibition's title */
} oai_set;

int oai_set_list(db_t *db, arena_t *a, oai_set **items, size_t *n);

/* The site secret that signs tokens (created on first use). 0 or -1. */
int oai_key(db_t *db, unsigned char key[OAI_KEY_BYTES]);

/* Writes pos as a signed token (URL-safe Base64, no padding) into out
 * (OAI_TOKEN_TEXT_MAX bytes). 0 or -1. */
int oai_token_encode(const unsigned char key[OAI_KEY_BYTES], const oai_position *pos, char *out);

/* Reads a token: 0 with *pos; 1 when it is malformed, forged or altered;
 * 2 when it is genuine but expired at now. */
int oai_token_decode(const unsigned char key[OAI_KEY_BYTES], const char *text, int64_t now,
		     oai_position *pos);

#endif
