/*
 * task.h - key tasks ("nhiệm vụ trọng tâm") and the action programme
 * (issue 14; sql/020_tasks.sql).
 *
 * A task has a title, a description, a lead unit, supporting units, a
 * person in charge, a start (optional) and a deadline, a status and
 * optionally the plan's indicator it serves; dated progress notes (who,
 * day, text, percent done) follow it. The action programme of a year is
 * its tasks by the quarter and month of their deadline ("kế hoạch từng
 * quý, từng tháng"): task_list() with a year and a period (PLAN_Q1 ..,
 * PLAN_MONTH(m), model/plan.h) is what the programme page and the annual
 * report call.
 *
 * Overdue: the deadline is before today (local time) and the task is
 * neither done nor cancelled; the rule has one spelling, TASK_OVERDUE in
 * task.c, that every read (task_get, task_list, task_count) uses.
 *
 * Refusals are enum reg_problem codes (reg_check.h) with the field at
 * fault; nothing is written unless 0. -1: storage error (logged). Strings
 * returned live in the caller's arena.
 */
#ifndef SEN_MODEL_TASK_H
#define SEN_MODEL_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define TASK_TITLE_MAX 300
#define TASK_DESCRIPTION_MAX 5000
#define TASK_NOTE_MAX 2000
#define TASK_SUPPORT_MAX 20
#define TASKS_MAX 1000
#define TASK_NOTES_MAX 500

/* The statuses, as stored (NULL-terminated), in the order a form lists
 * them; TASK_DONE and TASK_CANCELLED are never overdue. */
extern const char *const task_statuses[];
#define TASK_NOT_STARTED "chua_bat_dau"
#define TASK_IN_PROGRESS "dang_thuc_hien"
#define TASK_DONE "hoan_thanh"
#define TASK_PAUSED "tam_dung"
#define TASK_CANCELLED "huy"

typedef struct {
	int64_t id;
	const char *title;
	const char *description;
	int64_t lead_unit_id;
	int64_t person_id;           /* in charge; 0: none yet */
	const char *starts_on;       /* yyyy-mm-dd or "" */
	const char *due_on;          /* yyyy-mm-dd */
	const char *status;          /* one of task_statuses; "" or NULL: not started */
	int64_t indicator_id;        /* 0: none */
	int64_t support[TASK_SUPPORT_MAX]; /* supporting units */
	size_t nsupport;
	/* read only */
	int64_t percent;             /* of the latest progress note */
	bool overdue;
	const char *lead_unit_name;
	const char *person_name;
	int64_t person_user_id;      /* the account of the person in charge, 0 */
	const char *indicator_name;
	int64_t indicator_year;      /* the year of the indicator's plan, 0 */
	const char *support_names;   /* "Phòng A, Phòng B" */
} task;

/* Checks the fields without storage: title, description, due_on
 * (REG_REQUIRED, REG_BAD_DATE), starts_on (REG_BAD_DATE; REG_OUT_OF_RANGE
 * on "due_on" when the deadline is before the start), status, lead_unit_id
 * REG_REQUIRED, support (REG_OUT_OF_RANGE over TASK_SUPPORT_MAX). */
int task_check(const task *t, model_problem *f);
/* 0 with *id or a reg_problem: lead_unit_id, person_id, indicator_id,
 * support (item = the position) REG_NOT_FOUND; due_on REG_OUT_OF_RANGE
 * (limit = the year) when an indicator is linked and the deadline is not
 * in its plan's year. The lead unit among the supporting ones is dropped. */
int task_add(db_t *db, const task *t, int64_t *id, model_problem *f);
/* Replaces every field of t->id (the status too). */
int task_update(db_t *db, const task *t, model_problem *f);
/* Only the status (what the person in charge may change): 0,
 * REG_NOT_FOUND on "id", REG_BAD_CHOICE on "status", -1. */
int task_set_status(db_t *db, int64_t id, const char *status, model_problem *f);
/* With its supporting units and overdue as of today. 0, 1 not found, -1. */
int task_get(db_t *db, arena_t *a, int64_t id, task *out);

typedef struct {
	int year;             /* deadline in this year; 0: any */
	int period;           /* with year: PLAN_Q1..PLAN_Q4 or PLAN_MONTH(m); 0 the year */
	int64_t unit_id;      /* led or supported by this unit; 0: any */
	int64_t person_id;    /* this person in charge; 0: any */
	int64_t mine_user_id; /* "my tasks": the account's person in charge, or its unit
			       * leads or supports; 0: any */
	bool overdue_only;
	const char *status;   /* one of task_statuses, NULL: any */
} task_filter;

/* The tasks that pass flt, by deadline then id (at most TASKS_MAX): 0 or
 * -1. The supporting units' names are filled, overdue as of today. */
int task_list(db_t *db, arena_t *a, const task_filter *flt, task **items, size_t *n);
/* The number of tasks that pass flt, and of those done: 0 or -1 (the
 * annual report's "x of y tasks of the quarter done"). */
int task_count(db_t *db, const task_filter *flt, int64_t *total, int64_t *done);

typedef struct {
	int64_t id;
	int64_t task_id;
	const char *noted_on;   /* yyyy-mm-dd */
	const char *body;
	int64_t percent;        /* 0..100 */
	/* read only */
	const char *who;
} task_note;

/* Adds a progress note written by user_id (who: the name it keeps) and
 * makes its percent the task's: 0 with *id or a reg_problem: task_id
 * REG_NOT_FOUND, noted_on REG_REQUIRED / REG_BAD_DATE / REG_IN_FUTURE,
 * body REG_REQUIRED / REG_TOO_LONG, percent REG_OUT_OF_RANGE (0..100). */
int task_note_add(db_t *db, const task_note *n, int64_t user_id, const char *who, int64_t *id,
		  model_problem *f);
/* Newest day first. 0 or -1. */
int task_note_list(db_t *db, arena_t *a, int64_t task_id, task_note **items, size_t *n);

/* true when account user_id is the person in charge of task t (the one
 * who reports progress and changes its status). */
bool task_in_charge(const task *t, int64_t user_id);

/* The demo's 2021 key tasks spread over the quarters and months, with
 * progress notes and one overdue (after plan_demo_load), once: 0 (also
 * when already there) or -1. Inside the caller's transaction. */
int task_demo_load(db_t *db);

#endif
