/*
 * unit.h - the museum's own organisation (issue 14, "Units and people";
 * sql/018_plans.sql): units ("đơn vị": the museum, its departments and
 * teams, as a tree) and staff ("nhân sự": name, title, unit, position,
 * optionally the back-office account of the person, one person per
 * account). These are what plans, key tasks and awards point at.
 *
 * A unit's kind follows its place in the tree: the museum is the one root
 * (made by `sen init`'s demo or the first unit added), a unit under the
 * museum is a department (phong), one under a department a team (to). A
 * unit that staff, plans, tasks or other units point at is never deleted
 * (REG_WRONG_STATE on "id"): it is closed (active = 0) instead.
 *
 * Refusals are enum reg_problem codes (reg_check.h) with the field at
 * fault; nothing is written unless 0. -1: storage error (logged). Strings
 * returned live in the caller's arena.
 */
#ifndef SEN_MODEL_UNIT_H
#define SEN_MODEL_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define UNIT_NAME_MAX 200
#define UNIT_SHORT_NAME_MAX 60
#define UNIT_POSITION_MAX 1000
#define UNITS_MAX 500
#define PERSON_NAME_MAX 200
#define PERSON_TITLE_MAX 60
#define PERSON_POSITION_MAX 200
#define PEOPLE_MAX 2000

typedef struct {
	int64_t id;
	int64_t parent_id;       /* 0: the museum itself */
	int64_t position;        /* order among siblings, 0..1000 */
	const char *name;
	const char *short_name;
	bool active;
	/* read only */
	const char *kind;        /* bao_tang, phong, to */
	const char *parent_name;
	int64_t depth;           /* 0 the museum, 1 a department ... */
	int64_t people;          /* active staff of the unit */
} unit;

/* Checks the fields without storage (name, short_name, position). */
int unit_check(const unit *u, model_problem *f);
/* 0 with *id, or parent_id REG_NOT_FOUND (REG_REQUIRED once the museum
 * exists: there is one root), REG_DUPLICATE on name (a sibling has it). */
int unit_add(db_t *db, const unit *u, int64_t *id, model_problem *f);
/* The same for u->id; a parent that is the unit or under it is
 * REG_WRONG_STATE on "parent_id"; the museum keeps no parent. */
int unit_update(db_t *db, const unit *u, model_problem *f);
/* Deletes a unit nothing points at: 0, REG_NOT_FOUND, REG_WRONG_STATE on
 * "id" (staff, plans, tasks, awards or units point at it), -1. */
int unit_remove(db_t *db, int64_t id, model_problem *f);
/* 0, 1 not found, -1. */
int unit_get(db_t *db, arena_t *a, int64_t id, unit *out);
/* Every unit in tree order (the museum, then each department followed by
 * its teams, siblings by position and name); closed ones too when
 * with_closed. 0 or -1. */
int unit_list(db_t *db, arena_t *a, bool with_closed, unit **items, size_t *n);

typedef struct {
	int64_t id;
	const char *name;
	const char *title;       /* "ThS.", "CN." */
	int64_t unit_id;
	const char *position;    /* "Trưởng phòng" */
	int64_t user_id;         /* the back-office account, 0: none */
	bool active;
	/* read only */
	const char *unit_name;
	const char *user_name;   /* the account's login, "" */
} person;

/* Checks the fields without storage (name, title, position). */
int person_check(const person *p, model_problem *f);
/* 0 with *id, a reg_problem: unit_id REG_NOT_FOUND (or REG_REQUIRED),
 * user_id REG_NOT_FOUND, or REG_DUPLICATE when another person has that
 * account. */
int person_add(db_t *db, const person *p, int64_t *id, model_problem *f);
int person_update(db_t *db, const person *p, model_problem *f);
/* 0, 1 not found, -1. */
int person_get(db_t *db, arena_t *a, int64_t id, person *out);
/* Staff by name, only of unit_id when > 0 (not its sub-units); closed
 * ones too when with_closed. 0 or -1. */
int person_list(db_t *db, arena_t *a, int64_t unit_id, bool with_closed, person **items,
		size_t *n);
/* The person linked to account user_id: 0 with *id, 1 none, -1. */
int person_of_user(db_t *db, int64_t user_id, int64_t *id);

#endif
