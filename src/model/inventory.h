/*
 * inventory.h - inventory campaigns ("kiểm kê"): a campaign walks the
 * places under a root (or every place), marks each object found, missing,
 * damaged or misplaced (seen elsewhere than the card says), and ends with a
 * report of differences: every object expected there and not marked found,
 * and every object found there that the register places elsewhere.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 */
#ifndef SEN_MODEL_INVENTORY_H
#define SEN_MODEL_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

extern const char *const inventory_states[];   /* found, missing, damaged, misplaced */

/* Opens a campaign: 0 with *id, a reg_problem (name, started_on,
 * root_location_id), or -1. */
int inventory_start(db_t *db, const char *name, const char *started_on, int64_t root_location_id,
		    int64_t *id, model_problem *f);

/*
 * Marks one object (again: the newest mark counts). seen_location_id is
 * where it was seen (0: where the card says); a mark "found" at another
 * place than the card's becomes "misplaced". Refused on a closed campaign
 * (REG_WRONG_STATE on campaign_id). 0, a reg_problem, or -1.
 */
int inventory_mark(db_t *db, int64_t campaign_id, int64_t object_id, const char *state,
		   int64_t seen_location_id, const char *who, const char *note, model_problem *f);

/* Closes the campaign on closed_on; objects never marked count as
 * missing in the report. 0, a reg_problem, or -1. */
int inventory_close(db_t *db, int64_t campaign_id, const char *closed_on, model_problem *f);

typedef struct {
	int64_t object_id;
	const char *number;          /* registration or intake number */
	const char *name;
	const char *state;           /* missing, damaged, misplaced, or "unmarked" */
	int64_t expected_location;   /* where the card places it (0 nowhere) */
	int64_t seen_location;       /* where it was seen (0 not seen) */
} inventory_difference;

/* The differences of a campaign, by object (arena); *checked gets how many
 * objects were marked. 0 or -1. */
int inventory_report(db_t *db, arena_t *a, int64_t campaign_id, inventory_difference **rows,
		     size_t *n, int64_t *checked);

/* Every object of the campaign's walk: those the register places under its
 * root and those marked in it, each with its mark ("unmarked" when none
 * yet), by object (arena). 0 or -1. */
int inventory_sheet(db_t *db, arena_t *a, int64_t campaign_id, inventory_difference **rows,
		    size_t *n, int64_t *checked);

typedef struct {
	int64_t id;
	const char *name;
	const char *started_on;      /* yyyy-mm-dd */
	const char *closed_on;       /* "" while open */
	int64_t root_location_id;    /* 0: every place */
	int64_t marked;              /* objects marked so far */
	const char *note;
} inventory_campaign;

/* 0, 1 not found, -1. */
int inventory_get(db_t *db, arena_t *a, int64_t id, inventory_campaign *out);
/* Campaigns newest first, at most 1,000 (arena). 0 or -1. */
int inventory_list(db_t *db, arena_t *a, inventory_campaign **items, size_t *n);

#endif
