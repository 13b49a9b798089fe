/*
 * movement.h - where an object is and where it has been: every move is a
 * record (date, from, to, who, why) and the card's current place follows
 * the newest one. Reasons as stored: trung_bay (exhibition), bao_quan
 * (conservation), kiem_ke (inventory), cho_muon (loan), tra_ve (return),
 * nhap_kho (into store), khac.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 */
#ifndef SEN_MODEL_MOVEMENT_H
#define SEN_MODEL_MOVEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define MOVEMENT_WHO_MAX 200
#define MOVEMENT_NOTE_MAX 2000

extern const char *const movement_reasons[];

typedef struct {
	int64_t id;
	int64_t object_id;
	const char *moved_on;       /* yyyy-mm-dd, not after today */
	int64_t from_location_id;   /* read only: where it was (0: nowhere yet) */
	int64_t to_location_id;
	const char *who;
	const char *reason;
	const char *note;
} movement;

/*
 * Moves an object: records the move from where it is now and sets its
 * current place, in one transaction. Refused: unknown object or place
 * (REG_NOT_FOUND on object_id / to_location_id), a move to where it already
 * is (REG_WRONG_STATE on to_location_id), a returned object, a date before
 * its newest move (REG_OUT_OF_RANGE on moved_on). 0 with *id, a
 * reg_problem, or -1.
 */
int movement_add(db_t *db, const movement *m, int64_t *id, model_problem *f);

/* Every move of an object, newest first (arena). 0 or -1. */
int movement_list(db_t *db, arena_t *a, int64_t object_id, movement **items, size_t *n);

#endif
