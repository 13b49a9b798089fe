/*
 * plan.h - the year's plans ("kế hoạch") and their indicators ("chỉ
 * tiêu"), issue 14 (sql/018_plans.sql).
 *
 * A plan belongs to a year and to the whole museum (unit_id 0) or one
 * unit. Each indicator has a measure ("hiện vật", "cuộc"), a whole-number
 * target, optionally split by quarter and/or by month, and the source of
 * its actual:
 *   - PLAN_SOURCE_CHECKIN: dated check-ins (value, note, evidence file of
 *     the media library), summed over the period;
 *   - one of five counts read live from the records at every call, never
 *     stored, so changing a record changes the percent on the next read:
 *       objects_accessioned     objects of the register whose acquisition
 *                               is dated in the period (returned ones
 *                               excepted: the council gave them back);
 *       exhibitions_opened      exhibitions whose opening day is in it;
 *       publications_published  publications of the year (a publication
 *                               has a year only: quarters and months
 *                               have no actual, PLAN_NO_ACTUAL);
 *       exhibition_visitors     the sum of dated visitor entries;
 *       articles_published      portal articles published in the period
 *                               (day of publication in Vietnam, UTC+7).
 *   A computed indicator takes no check-in (REG_WRONG_STATE on "value").
 *
 * The split: all four quarters or none, all twelve months or none; when
 * given, it must add up to the target (REG_OUT_OF_RANGE on "quarters" or
 * "months" with limit = the target and count = the sum): refused, so a
 * plan on record always adds up; the form keeps what was typed and says
 * by how much it is off.
 *
 * Percent of plan = actual / target as a whole percent rounded half up
 * (135/115 -> 117, 4/3 -> 133, 1/200 -> 1, 1/201 -> 0), computed in
 * integers. Over 100 reads "vượt kế hoạch" (plan_percent_over()).
 *
 * Refusals are enum reg_problem codes (reg_check.h) with the field at
 * fault; nothing is written unless 0. -1: storage error (logged).
 * Strings returned live in the caller's arena.
 */
#ifndef SEN_MODEL_PLAN_H
#define SEN_MODEL_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define PLAN_YEAR_MIN 2000
#define PLAN_YEAR_MAX 2100
#define PLAN_TITLE_MAX 300
#define PLAN_NOTE_MAX 5000
#define PLAN_NAME_MAX 300
#define PLAN_MEASURE_MAX 60
#define PLAN_TARGET_MAX 1000000000
#define PLAN_CHECKIN_NOTE_MAX 2000
#define PLAN_INDICATORS_MAX 200
#define PLAN_CHECKINS_MAX 1000

/* Periods of a year: the year, the quarters, the months. */
enum plan_period {
	PLAN_YEAR = 0,
	PLAN_Q1 = 1, PLAN_Q2, PLAN_Q3, PLAN_Q4,
	PLAN_M1 = 5, /* January; PLAN_M1 + 11 is December */
	PLAN_PERIOD_LAST = PLAN_M1 + 11,
};
#define PLAN_MONTH(m) (PLAN_M1 + (m) - 1)   /* m 1..12 */

/* The first and last day ("yyyy-mm-dd") of period p of year. false for a
 * period that is not one. */
bool plan_period_days(int year, int p, char first[11], char last[11]);

/* The sources of an actual, as stored (NULL-terminated). */
extern const char *const plan_sources[];
#define PLAN_SOURCE_CHECKIN "checkin"
/* true when source is one of the computed ones. */
bool plan_source_computed(const char *source);

/* Whole percent of actual against target, rounded half up; 0 when target
 * <= 0 or actual < 0. */
int64_t plan_percent(int64_t actual, int64_t target);
/* true when the percent reads "vượt kế hoạch" (actual above the target). */
bool plan_percent_over(int64_t actual, int64_t target);
/* "117%" into out. */
void plan_percent_format(char *out, size_t outlen, int64_t actual, int64_t target);

typedef struct {
	int64_t id;
	int64_t year;
	int64_t unit_id;        /* 0: the whole museum */
	const char *title;
	const char *note;
	/* read only */
	const char *unit_name;  /* "" for the museum */
	int64_t indicators;
} plan;

/* 0, a reg_problem (fields: year, unit_id, title, note; REG_DUPLICATE on
 * year when that year and unit already have a plan), -1. */
int plan_add(db_t *db, const plan *p, int64_t *id, model_problem *f);
int plan_update(db_t *db, const plan *p, model_problem *f);
/* 0, 1 not found, -1. */
int plan_get(db_t *db, arena_t *a, int64_t id, plan *out);
/* The museum-wide plan of a year: 0 with *id, 1 none, -1. */
int plan_find(db_t *db, int year, int64_t *id);
/* Every plan, newest year first. 0 or -1. */
int plan_list(db_t *db, arena_t *a, plan **items, size_t *n);

typedef struct {
	int64_t id;
	int64_t plan_id;
	int64_t position;
	const char *name;
	const char *measure;
	int64_t target;
	const char *source;        /* one of plan_sources */
	const char *note;
	/* The split: has_quarters / has_months say whether one is given. */
	bool has_quarters, has_months;
	int64_t quarters[4];
	int64_t months[12];
} plan_indicator;

/* Checks every field without storage (name, measure, target, source,
 * note, quarters, months): 0 or a reg_problem. */
int plan_indicator_check(const plan_indicator *x, model_problem *f);
/* 0 with *id, a reg_problem (plan_id REG_NOT_FOUND too), -1. */
int plan_indicator_add(db_t *db, const plan_indicator *x, int64_t *id, model_problem *f);
/* Replaces every field of x->id; a source changed from checkin while it
 * has check-ins is REG_WRONG_STATE on "source". */
int plan_indicator_update(db_t *db, const plan_indicator *x, model_problem *f);
/* With its split. 0, 1 not found, -1. */
int plan_indicator_get(db_t *db, arena_t *a, int64_t id, plan_indicator *out);
/* A plan's indicators in order, with their splits. 0 or -1. */
int plan_indicator_list(db_t *db, arena_t *a, int64_t plan_id, plan_indicator **items,
			size_t *n);

/*
 * The actual of indicator id over period p of its plan's year: 0 with
 * *value, 1 when the indicator does not exist, PLAN_NO_ACTUAL (2) when
 * its source says nothing about such a period (publications by quarter),
 * -1. Read live: what the report and the dashboard call.
 */
#define PLAN_NO_ACTUAL 2
int plan_indicator_actual(db_t *db, int64_t id, int p, int64_t *value);

/* The same for a source and year without an indicator (tests, report). */
int plan_source_actual(db_t *db, const char *source, int64_t indicator_id, int year, int p,
		       int64_t *value);

/* The target of period p: the year's, else the quarter's or month's slice
 * (0 with *target), PLAN_NO_ACTUAL when that split is not given. */
int plan_indicator_target(const plan_indicator *x, int p, int64_t *target);

typedef struct {
	int64_t id;
	int64_t indicator_id;
	const char *done_on;       /* yyyy-mm-dd */
	int64_t value;
	const char *note;
	int64_t media_id;          /* evidence in the media library, 0 */
	/* read only */
	const char *who;
	const char *media_name;
} plan_checkin;

/* 0 with *id, or a reg_problem: indicator_id REG_NOT_FOUND, value
 * REG_WRONG_STATE (computed indicator) or REG_OUT_OF_RANGE, done_on
 * REG_BAD_DATE or REG_OUT_OF_RANGE (outside the plan's year), note,
 * media_id REG_NOT_FOUND. user_id 0: the command line. */
int plan_checkin_add(db_t *db, const plan_checkin *c, int64_t user_id, int64_t *id,
		     model_problem *f);
/* 0, REG_NOT_FOUND, -1. */
int plan_checkin_remove(db_t *db, int64_t indicator_id, int64_t checkin_id, model_problem *f);
/* Newest day first. 0 or -1. */
int plan_checkin_list(db_t *db, arena_t *a, int64_t indicator_id, plan_checkin **items,
		      size_t *n);

/* The demo plans (2020: 115 objects, 3 exhibitions and check-in
 * indicators; 2021 with quarterly and monthly targets), once: 0 (also when
 * already there) or -1. Inside the caller's transaction. */
int plan_demo_load(db_t *db);

#endif
