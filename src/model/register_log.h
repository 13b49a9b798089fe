/*
 * register_log.h - the register as a legal record: an append-only log of
 * entries joined by a hash chain.
 *
 * An object receives its registration number with a "register" entry; any
 * later change of what the entry records is a "correct" entry that names
 * the entry it corrects, who made it, when and why. Both stay: the history
 * of an object lists every entry. The table refuses UPDATE and DELETE
 * (sql/009_register.sql).
 *
 * Each entry stores hash = SHA-256(previous entry's hash, then each of its
 * own fields as "<length>:<bytes>"): id, register_id, object_id, kind,
 * corrects, reg_number, payload, who, at, why. The first entry's previous
 * hash is 64 zeros. Changing any stored byte of an entry, removing an
 * entry or reordering entries breaks the chain at that entry or the next;
 * register_verify() walks it and names the first entry that does not fit,
 * and also rebuilds each registered object's card from the objects table to
 * find a card changed behind the log's back. Removing the newest entries
 * together with their objects cannot be seen from inside the file: print
 * or copy the newest hash elsewhere (`sen register verify` prints it).
 */
#ifndef SEN_MODEL_REGISTER_LOG_H
#define SEN_MODEL_REGISTER_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/object.h"

#define REGISTER_HASH_HEX 64
#define REGISTER_WHO_MAX 200
#define REGISTER_WHY_MAX 2000

/*
 * Appends an entry for card c (its id, register_id and reg_number must be
 * set): kind "register" (corrects 0, why may be "") or "correct" (corrects
 * = the entry corrected, why required). Must run inside the caller's write
 * transaction. *entry (may be NULL) gets the new entry's id. 0 or -1.
 */
int register_log_append(db_t *db, const object_card *c, const char *kind, int64_t corrects,
			const char *who, const char *why, int64_t *entry);

typedef struct {
	int64_t id;
	const char *kind;        /* register, correct */
	int64_t corrects;        /* 0 for register */
	const char *reg_number;
	const char *payload;     /* canonical JSON, object_entry_json() */
	const char *who;
	int64_t at;              /* Unix seconds */
	const char *why;
	const char *hash;
} register_entry;

/* Every entry of one object, oldest first (arena). 0 or -1. */
int register_history(db_t *db, arena_t *a, int64_t object_id, register_entry **entries,
		     size_t *n);

enum register_break {
	REGISTER_FITS = 0,
	REGISTER_HASH_WRONG,     /* the entry's content or hash was changed */
	REGISTER_CHAIN_BROKEN,   /* its previous hash is not the entry before's: one removed or moved */
	REGISTER_CARD_CHANGED,   /* the object's card no longer matches its newest entry */
	REGISTER_UNLOGGED,       /* a registered object has no entry, or points at a wrong one */
};

typedef struct {
	int64_t entries;              /* entries walked */
	int64_t objects;              /* registered objects compared */
	enum register_break problem;
	int64_t entry;                /* the first entry that does not fit (0 when none) */
	int64_t object_id;            /* its object (or the object at fault) */
	char head[REGISTER_HASH_HEX + 1];   /* the newest entry's hash ("" when empty) */
} register_verify_result;

/* Walks the whole chain, then every registered object. 0 with *out filled
 * (out->problem tells whether all fits), or -1 (storage error). */
int register_verify(db_t *db, register_verify_result *out);

#endif
