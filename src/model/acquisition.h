/*
 * acquisition.h - acquisitions ("đợt thu nhận"): how and when a group of
 * objects came to the museum, from whom, with the hand-over record ("biên
 * bản giao nhận": number, both parties, value when purchased). One
 * acquisition covers many objects (model/object.h).
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 */
#ifndef SEN_MODEL_ACQUISITION_H
#define SEN_MODEL_ACQUISITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define ACQUISITION_TEXT_MAX 200
#define ACQUISITION_NO_MAX 60
#define ACQUISITION_NOTE_MAX 2000
#define ACQUISITION_PAGE_MAX 200
#define ACQUISITION_VALUE_MAX 1000000000000000LL   /* đồng */
#define ACQUISITION_QUERY_MAX 200

/* The modes, as stored; the interface shows sưu tầm, hiến tặng, mua, khai
 * quật, điều chuyển, trao đổi, thu hồi, khác. NULL-terminated. */
extern const char *const acquisition_modes[];

typedef struct {
	int64_t id;
	const char *mode;          /* one of acquisition_modes */
	int64_t donor_id;          /* 0: none recorded (field collection) */
	const char *acquired_on;   /* yyyy-mm-dd, not after today */
	const char *handover_no;   /* số biên bản */
	const char *giver;         /* bên giao (the person who signed) */
	const char *receiver;      /* bên nhận */
	int64_t value;             /* đồng, when purchased; >= 0 */
	const char *note;
} acquisition;

/* 0 or a reg_problem (mode, donor_id, acquired_on, handover_no, giver,
 * receiver, value, note). Only a purchase ("mua") states a value: a value
 * with another mode is REG_WRONG_STATE on "value". Does not look the donor
 * up. */
int acquisition_check(const acquisition *q, model_problem *f);
/* The hand-over record of a purchase states what was paid: REG_REQUIRED on
 * "value" when the mode is "mua" and the value 0. The acquisition pages
 * ask it; the intake form and the importer may leave the price for later. */
int acquisition_check_value(const acquisition *q, model_problem *f);
/* 0 with *id, a reg_problem (REG_NOT_FOUND on donor_id), or -1. */
int acquisition_add(db_t *db, const acquisition *q, int64_t *id, model_problem *f);
/*
 * Replaces the fields of acquisition q->id. While none of its objects is
 * registered, everything may change. Once one is, the acquisition is part
 * of what a legal entry says (how, when, from whom and by which hand-over
 * record the object came): a field that holds something is fixed
 * (REG_WRONG_STATE on that field) and only an empty one may be filled in
 * (a missing hand-over number, the price of a purchase); the note stays
 * free. An object that was entered under the wrong acquisition is moved
 * by a correction of its card (object_correct). 0, REG_NOT_FOUND ("id" or
 * "donor_id"), a reg_problem, or -1.
 */
int acquisition_update(db_t *db, const acquisition *q, model_problem *f);
/* 0, 1 not found, -1. */
int acquisition_get(db_t *db, arena_t *a, int64_t id, acquisition *out);
/*
 * How many objects the acquisition `id` brought (*objects, every status)
 * and how many of those are registered (*registered): a registered one
 * fixes the acquisition's record (acquisition_update). 0, or -1.
 */
int acquisition_tally(db_t *db, int64_t id, int64_t *objects, int64_t *registered);
/*
 * How many objects (of every status but "returned") came through
 * acquisitions dated in `year`: what a year's plan counts as "sưu tầm tài
 * liệu, hiện vật". 0 with *n, or -1.
 */
int acquisition_count_objects(db_t *db, int year, int64_t *n);
/* The same count by mode: counts[i] for acquisition_modes[i] (every slot
 * written, 0 when none). 0 or -1. The annual report's acquisitions. */
int acquisition_count_by_mode(db_t *db, int year, int64_t counts[]);

/* The one spelling of "objects accessioned over days ?1 .. ?2" (inclusive,
 * yyyy-mm-dd; the council's returned objects excepted), for a SELECT of
 * count(*) and what else a caller groups by (q.mode): the plan's actual
 * (plan.c) and the counts above read the same rule. */
#define ACQUISITION_ACCESSIONED_FROM                                        \
	" FROM acquisitions q JOIN objects o ON o.acquisition_id = q.id"    \
	" WHERE q.acquired_on BETWEEN ?1 AND ?2 AND o.status <> 'returned'"

/* ---- lists ---------------------------------------------------------------- */

/* The orders of acquisition_list, as the list's URL names them. */
enum acquisition_sort {
	ACQUISITION_NEWEST = 0,   /* by date, newest first (then id) */
	ACQUISITION_OLDEST,       /* by date, oldest first */
	ACQUISITION_BY_NUMBER,    /* by hand-over number */
};

typedef struct {
	const char *query;        /* folded words in hand-over number, donor, note, giver; NULL: none */
	const char *mode;         /* NULL: any */
	int year;                 /* 0: any */
	int64_t donor_id;         /* 0: any */
	enum acquisition_sort sort;
} acquisition_filter;

typedef struct {
	int64_t id;
	const char *mode;
	const char *acquired_on;
	const char *handover_no;
	int64_t donor_id;         /* 0: none */
	const char *donor_name;   /* "" when none */
	int64_t value;
	int64_t objects;          /* every object of the acquisition */
	int64_t registered;       /* of those, the registered ones */
} acquisition_row;

/*
 * At most limit (1..ACQUISITION_PAGE_MAX) acquisitions in the filter's
 * order after the acquisition `after` (0: from the first); *more tells
 * whether another page follows, starting after the last row's id (keyset).
 * REG_TOO_LONG on "query" over ACQUISITION_QUERY_MAX bytes, REG_BAD_CHOICE
 * on "mode". 0, a reg_problem, or -1. Rows in a.
 */
int acquisition_list(db_t *db, arena_t *a, const acquisition_filter *flt, int64_t after,
		     size_t limit, acquisition_row **rows, size_t *n, bool *more,
		     model_problem *f);

#endif
