/*
 * donor.h - people and organisations objects come from ("người hiến tặng",
 * "đơn vị giao"): kept once with contact details, reused by every
 * acquisition (model/acquisition.h).
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 * Strings of returned records live in the caller's arena.
 */
#ifndef SEN_MODEL_DONOR_H
#define SEN_MODEL_DONOR_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define DONOR_NAME_MAX 200
#define DONOR_ADDRESS_MAX 500
#define DONOR_PHONE_MAX 40
#define DONOR_EMAIL_MAX 200
#define DONOR_NOTE_MAX 2000

typedef struct {
	int64_t id;
	const char *kind;      /* "person" or "organisation" ("" = person) */
	const char *name;
	const char *address;
	const char *phone;
	const char *email;
	const char *note;
} donor;

/* Checks every field: 0 or a reg_problem (fields: kind, name, address,
 * phone, email, note). */
int donor_check(const donor *d, model_problem *f);
/* Adds one: 0 with *id, a reg_problem, or -1. */
int donor_add(db_t *db, const donor *d, int64_t *id, model_problem *f);
/* Replaces every field of donor d->id: 0, REG_NOT_FOUND (field "id"), a
 * reg_problem, or -1. */
int donor_update(db_t *db, const donor *d, model_problem *f);
/* 0, 1 not found, -1. */
int donor_get(db_t *db, arena_t *a, int64_t id, donor *out);
/* The donor with exactly this name (the oldest when several): 0 with *id,
 * 1 none, -1. Importers reuse donors this way. */
int donor_find(db_t *db, const char *name, int64_t *id);

#endif
