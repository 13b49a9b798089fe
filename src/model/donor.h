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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define DONOR_NAME_MAX 200
#define DONOR_ADDRESS_MAX 500
#define DONOR_PHONE_MAX 40
#define DONOR_EMAIL_MAX 200
#define DONOR_NOTE_MAX 2000
#define DONOR_PAGE_MAX 200
#define DONOR_QUERY_MAX 200

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
/*
 * Replaces every field of donor d->id: 0, REG_NOT_FOUND (field "id"), a
 * reg_problem, or -1. Once an object that came from the donor is
 * registered, the name is part of what the register says about the
 * object's source: changing it is REG_WRONG_STATE on "name" (the contact
 * details stay editable; people move).
 */
int donor_update(db_t *db, const donor *d, model_problem *f);
/* 0, 1 not found, -1. */
int donor_get(db_t *db, arena_t *a, int64_t id, donor *out);
/* The donor with exactly this name (the oldest when several): 0 with *id,
 * 1 none, -1. Importers reuse donors this way. */
int donor_find(db_t *db, const char *name, int64_t *id);

/* A donor in a list, with how many acquisitions came from it and how
 * many objects those brought. */
typedef struct {
	int64_t id;
	const char *kind;
	const char *name;
	const char *address;
	const char *phone;
	int64_t acquisitions;
	int64_t objects;
} donor_row;

/*
 * Donors by name (then id): at most limit (1..DONOR_PAGE_MAX) rows after
 * the donor `after` in that order (0: from the first). *more tells whether
 * another page follows, starting after the last row's id (keyset: page
 * 100 costs what page 1 costs). query (NULL or "": all) is compared
 * folded with the name, address, phone, email and note ("nguyen van"
 * finds "Nguyễn Văn"); REG_TOO_LONG on "query" over DONOR_QUERY_MAX bytes.
 * 0, a reg_problem, or -1. Rows in a.
 */
int donor_list(db_t *db, arena_t *a, const char *query, int64_t after, size_t limit,
	       donor_row **rows, size_t *n, bool *more, model_problem *f);

/*
 * The donors (at most max, oldest first) whose name folded equals name
 * folded ("Nguyễn Văn A" and "nguyen van a" are one person typed twice):
 * what the back office warns about before adding another. 0 with *n, or
 * -1. Rows in a.
 */
int donor_same_name(db_t *db, arena_t *a, const char *name, size_t max, donor_row **rows,
		    size_t *n);

#endif
