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

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define ACQUISITION_TEXT_MAX 200
#define ACQUISITION_NO_MAX 60
#define ACQUISITION_NOTE_MAX 2000

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
 * receiver, value, note). Does not look the donor up. */
int acquisition_check(const acquisition *q, model_problem *f);
/* 0 with *id, a reg_problem (REG_NOT_FOUND on donor_id), or -1. */
int acquisition_add(db_t *db, const acquisition *q, int64_t *id, model_problem *f);
/* 0, 1 not found, -1. */
int acquisition_get(db_t *db, arena_t *a, int64_t id, acquisition *out);
/*
 * How many objects (of every status but "returned") came through
 * acquisitions dated in `year`: what a year's plan counts as "sưu tầm tài
 * liệu, hiện vật". 0 with *n, or -1.
 */
int acquisition_count_objects(db_t *db, int year, int64_t *n);

#endif
