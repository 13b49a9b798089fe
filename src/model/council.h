/*
 * council.h - the Scientific Council ("Hội đồng khoa học"): sessions (date,
 * members, minutes as text and an attached file from the media library)
 * and, per object, one decision: into the main collection, into the
 * reference collection, or returned.
 *
 * Accepting an object (main or reference) gives it its registration number
 * in the same transaction that records the decision and appends the
 * "register" entry to the log: either all of it is stored or none, so a
 * number is never lost (no gap) and never given twice (model/register_number.h).
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 */
#ifndef SEN_MODEL_COUNCIL_H
#define SEN_MODEL_COUNCIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"
#include "model/register_number.h"

#define COUNCIL_MEMBERS_MAX 2000
#define COUNCIL_MINUTES_MAX 100000
#define COUNCIL_NOTE_MAX 2000

extern const char *const council_decisions[];   /* main, reference, returned */

typedef struct {
	int64_t id;
	const char *held_on;        /* yyyy-mm-dd */
	const char *members;        /* one per line */
	const char *minutes;        /* biên bản, as text */
	int64_t minutes_media_id;   /* the signed minutes as a file; 0 none */
	int64_t decisions;          /* read only: decisions recorded (council_session_list) */
} council_session;

/* 0 with *id, a reg_problem (held_on, members, minutes, minutes_media_id),
 * or -1. */
int council_session_add(db_t *db, const council_session *s, int64_t *id, model_problem *f);
/* 0, 1 not found, -1. */
int council_session_get(db_t *db, arena_t *a, int64_t id, council_session *out);

#define COUNCIL_LIST_MAX 500
/* The newest COUNCIL_LIST_MAX sessions, newest first, with their number of
 * decisions (arena). A council meets a few times a year: no pages. 0 or -1. */
int council_session_list(db_t *db, arena_t *a, council_session **items, size_t *n);

/* A decision as the session's page lists it. */
typedef struct {
	int64_t object_id;
	const char *object_name;
	const char *intake_no;
	const char *decision;     /* main, reference, returned */
	const char *reg_number;   /* the number it gave, "" when returned */
	const char *note;
	const char *decided_by;
} council_decision;

/* Every decision of session_id in the order they were taken (arena). 0 or -1. */
int council_decision_list(db_t *db, arena_t *a, int64_t session_id, council_decision **items,
			  size_t *n);

/*
 * Records the council's decision on an object waiting in intake.
 * decision "main" or "reference" needs register_id, a register of that
 * collection ("register_id": REG_REQUIRED, REG_NOT_FOUND, REG_WRONG_STATE),
 * and gives the object its number (copied into number when not NULL);
 * "returned" takes no register. who is recorded in the log entry.
 * REG_WRONG_STATE on "object_id" when the object is not in intake.
 * 0, a reg_problem, or -1.
 */
int council_decide(db_t *db, int64_t session_id, int64_t object_id, const char *decision,
		   int64_t register_id, const char *who, const char *note, char *number,
		   size_t number_len, model_problem *f);

#endif
