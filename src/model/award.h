/*
 * award.h - emulation and commendation ("thi đua, khen thưởng"), issue 14
 * (sql/019_awards.sql): campaigns, the year's registrations, award
 * decisions with their recipients, each unit's and person's history, and
 * the list of a year's decisions the annual report reads.
 *
 * A recipient is a unit of the museum's tree (the museum itself reads as a
 * unit, "đơn vị"; a department as a collective, "tập thể") or a person of
 * the staff. Each form says who may receive it (award_form_scope): "Lao
 * động tiên tiến" and "Chiến sĩ thi đua" go to a person, "Tập thể lao
 * động ..." and "Cờ thi đua" to a unit, "Giấy khen" and "Bằng khen" to
 * either.
 *
 * Rules the model keeps (nothing is written unless the answer is 0):
 *   - a decision's number is unique for its issuing body and the year of
 *     its day: REG_DUPLICATE on "number";
 *   - one achievement is not rewarded twice in the same form for the same
 *     period (the year rewarded, and the campaign when there is one): a
 *     recipient already rewarded so by a decision in force is
 *     REG_DUPLICATE on "recipients" with item = the recipient's 1-based
 *     place and count = the id of the decision that rewarded it;
 *   - a recipient that does not exist is REG_NOT_FOUND on "recipients"
 *     (item as above); one named twice REG_BAD_CHOICE; one the form is not
 *     for REG_WRONG_STATE;
 *   - a revoked decision stays, with its day and reason, and no longer
 *     counts; it cannot be edited or revoked again (REG_WRONG_STATE on
 *     "revoked_reason").
 *
 * Refusals are enum reg_problem codes (reg_check.h) with the field at
 * fault; -1 is a storage error (logged). Strings returned live in the
 * caller's arena.
 */
#ifndef SEN_MODEL_AWARD_H
#define SEN_MODEL_AWARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define AWARD_YEAR_MIN 2000
#define AWARD_YEAR_MAX 2100
#define AWARD_NUMBER_MAX 60
#define AWARD_ISSUER_MAX 300
#define AWARD_SIGNER_TITLE_MAX 300
#define AWARD_SIGNER_NAME_MAX 200
#define AWARD_ACHIEVEMENT_MAX 2000
#define AWARD_PLACE_MAX 100
#define AWARD_REASON_MAX 2000
#define AWARD_CAMPAIGN_NAME_MAX 300
#define AWARD_CAMPAIGN_CONTENT_MAX 5000
#define AWARD_NOTE_MAX 2000
#define AWARD_RECIPIENTS_MAX 200
#define AWARD_LIST_MAX 1000

/* The forms as stored, NULL-terminated, highest last. */
extern const char *const award_forms[];

enum award_scope {
	AWARD_FOR_ANY = 0,        /* a unit, a collective or a person */
	AWARD_FOR_PERSON = 1,     /* individuals only */
	AWARD_FOR_COLLECTIVE = 2, /* units and collectives only */
};
/* Who form is for; -1 when form is not one of award_forms. */
int award_form_scope(const char *form);

/* The kinds of recipient, as award_recipient.kind says them. */
#define AWARD_KIND_UNIT "unit"             /* the museum as a unit */
#define AWARD_KIND_COLLECTIVE "collective" /* a department or team */
#define AWARD_KIND_PERSON "person"

/* One recipient: exactly one of unit_id and person_id is set. */
typedef struct {
	int64_t unit_id;
	int64_t person_id;
	/* read only */
	int64_t id;            /* the award_recipients row; 0 for a candidate */
	const char *kind;      /* AWARD_KIND_* */
	const char *name;
	const char *title;     /* a person's title ("ThS."), else "" */
	const char *position;  /* a person's post, else "" */
	const char *unit_name; /* a person's unit, a collective's parent, else "" */
} award_recipient;

typedef struct {
	int64_t id;
	const char *number;       /* "1025/QĐ-SVHTTDL" */
	const char *decided_on;   /* yyyy-mm-dd */
	const char *issuer;       /* the issuing body */
	const char *signer_title; /* who rewards: "Giám đốc Sở ..." */
	const char *signer_name;
	int64_t year;             /* the period rewarded */
	int64_t campaign_id;      /* 0: none */
	const char *form;
	const char *achievement;
	const char *place;        /* "Điện Biên" before the date of a certificate */
	int64_t media_id;         /* the scanned decision; 0: none */
	award_recipient *recipients;
	size_t nrecipients;
	/* read only */
	const char *revoked_on;   /* "" when in force */
	const char *revoked_reason;
	const char *campaign_name;
	const char *media_name;
} award_decision;

/* Checks every field that needs no storage (number, decided_on, issuer,
 * signer_title, signer_name, year, form, achievement, place, recipients
 * REG_REQUIRED / REG_OUT_OF_RANGE / REG_BAD_CHOICE): 0 or a reg_problem. */
int award_decision_check(const award_decision *d, model_problem *f);
/* Adds a decision and its recipients (user_id 0: the command line): 0
 * with *id, a reg_problem, or -1. campaign_id REG_NOT_FOUND, or
 * REG_WRONG_STATE when the campaign is of another year; media_id
 * REG_NOT_FOUND; decided_on REG_IN_FUTURE; year REG_WRONG_STATE when
 * after the decision's year. */
int award_decision_add(db_t *db, const award_decision *d, int64_t user_id, int64_t *id,
		       model_problem *f);
/* Replaces every field and the recipients of d->id: the same answers, and
 * REG_NOT_FOUND on "id", REG_WRONG_STATE on "revoked_reason" (revoked). */
int award_decision_update(db_t *db, const award_decision *d, model_problem *f);
/* With its recipients in order. 0, 1 not found, -1. */
int award_decision_get(db_t *db, arena_t *a, int64_t id, award_decision *out);
/* Revokes decision id on day `on` (yyyy-mm-dd, not before the decision,
 * not in the future) for reason: 0, REG_NOT_FOUND on "id", REG_REQUIRED /
 * REG_TOO_LONG on "revoked_reason", REG_BAD_DATE / REG_OUT_OF_RANGE /
 * REG_IN_FUTURE on "revoked_on", REG_WRONG_STATE on "revoked_reason" when
 * already revoked; -1. */
int award_decision_revoke(db_t *db, int64_t id, const char *on, const char *reason,
			  model_problem *f);

/* Decisions newest first, revoked ones too, without their recipients
 * (nrecipients holds their count); year 0: every year. 0 or -1. */
int award_decision_list(db_t *db, arena_t *a, int year, award_decision **items, size_t *n);

/*
 * The decisions in force rewarding period `year`, by day then number, each
 * with its recipients in order: what the annual report lists ("đơn vị …
 * và tập thể Phòng Nghiệp vụ cùng 9 cá nhân"). Revoked decisions are left
 * out. 0 or -1.
 */
int award_list_year(db_t *db, arena_t *a, int year, award_decision **items, size_t *n);

/* Recipient recipient_id of decision decision_id (the certificate's). 0,
 * 1 not found, -1. */
int award_recipient_get(db_t *db, arena_t *a, int64_t decision_id, int64_t recipient_id,
			award_recipient *out);

/* Every active unit (tree order) then every active person (by name) as a
 * candidate recipient. 0 or -1. */
int award_candidates(db_t *db, arena_t *a, award_recipient **items, size_t *n);

/* One line of a unit's or person's award history. */
typedef struct {
	int64_t decision_id;
	int64_t recipient_id;
	const char *number;
	const char *decided_on;
	const char *issuer;
	const char *signer_title;
	const char *form;
	const char *achievement;
	const char *revoked_on; /* "" when in force */
	int64_t year;
} award_history_row;

/* What unit unit_id (person_id 0) or person person_id (unit_id 0) was
 * rewarded, newest first, revoked decisions included and marked. 0 or -1. */
int award_history(db_t *db, arena_t *a, int64_t unit_id, int64_t person_id,
		  award_history_row **rows, size_t *n);

/* ---- campaigns and registrations ------------------------------------------- */

typedef struct {
	int64_t id;
	int64_t year;
	const char *name;
	const char *content;
	const char *starts_on; /* yyyy-mm-dd or "" */
	const char *ends_on;
	/* read only */
	int64_t registrations;
	int64_t decisions;
} award_campaign;

/* 0 with *id, or a reg_problem: year REG_OUT_OF_RANGE, name (REG_DUPLICATE
 * for that year), content, starts_on / ends_on REG_BAD_DATE, ends_on
 * REG_OUT_OF_RANGE before starts_on; -1. */
int award_campaign_add(db_t *db, const award_campaign *c, int64_t *id, model_problem *f);
/* Newest year first; year 0: every year. 0 or -1. */
int award_campaign_list(db_t *db, arena_t *a, int year, award_campaign **items, size_t *n);

typedef struct {
	int64_t id;
	int64_t year;
	int64_t campaign_id; /* 0: none */
	award_recipient who;
	const char *form;
	const char *note;
	/* read only */
	const char *campaign_name;
	int64_t awarded_id;        /* a decision in force that gave it, else 0 */
	const char *awarded_number;
} award_registration;

/* 0 with *id, or a reg_problem: year, form (REG_BAD_CHOICE, REG_WRONG_STATE
 * when not for this kind of recipient, REG_DUPLICATE when registered
 * already), recipient REG_REQUIRED / REG_NOT_FOUND, campaign_id
 * REG_NOT_FOUND / REG_WRONG_STATE (another year), note; -1. */
int award_registration_add(db_t *db, const award_registration *r, int64_t user_id, int64_t *id,
			   model_problem *f);
/* By year (newest first) then recipient; year 0: every year. 0 or -1. */
int award_registration_list(db_t *db, arena_t *a, int year, award_registration **items,
			    size_t *n);

/* The demo's 2020 decision (the museum as a unit, Phòng Nghiệp vụ as a
 * collective and 09 individuals, giấy khen of the Department's Director),
 * a campaign and the 2021 registrations, once: 0 (also when already
 * there) or -1. Needs the demo's units and staff (plan_demo_load). */
int award_demo_load(db_t *db);

#endif
