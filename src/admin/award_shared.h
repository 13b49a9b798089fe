/*
 * award_shared.h - what the emulation and commendation pages share
 * (award_page.c: decisions, certificates, histories; emulation_page.c:
 * campaigns and registrations): who may use them, a recipient as a form
 * writes it ("u12" a unit, "p7" a person), the candidates of a form, the
 * campaigns of a select and the refusals of model/award.h as catalog text.
 * Everything returned lives in the request arena (json_t values: the
 * caller owns the reference).
 */
#ifndef SEN_ADMIN_AWARD_SHARED_H
#define SEN_ADMIN_AWARD_SHARED_H

#include <jansson.h>

#include "admin/register_shared.h"
#include "model/award.h"

#define AWARD_PATH_LIST "/admin/khen-thuong"
#define AWARD_PATH_EMULATION "/admin/thi-dua"
#define AWARD_LABELS "admin_award_field_"

/* Emulation officers (and admins) record; the planners, curators and the
 * Scientific Council read. Editors, authors and moderators never reach it. */
#define AWARD_WRITERS ((unsigned)USER_EMULATION)
#define AWARD_READERS \
	((unsigned)(USER_EMULATION | USER_PLANNER | USER_CURATOR | USER_COUNCIL))

/* A recipient typed as "u12" (unit 12) or "p7" (person 7): false when s
 * is neither. */
bool admin_award_parse_recipient(const char *s, award_recipient *out);
/* "u12" / "p7" of r. */
const char *admin_award_recipient_value(http_req *req, const award_recipient *r);
/* "Tập thể: Phòng Nghiệp vụ", "Cá nhân: ThS. Lò Thị Hoa (Phòng Nghiệp vụ)". */
const char *admin_award_recipient_label(http_req *req, const award_recipient *r);

/* [{value, label, kind, checked}] of every candidate recipient, checked
 * when its value is among the chosen (a JSON array of strings; NULL: none).
 * NULL on a storage error. */
json_t *admin_award_candidates(http_req *req, db_t *db, const json_t *chosen);

/* [{value, label, selected}] of the campaigns (every year), with a first
 * empty choice; NULL on a storage error. */
json_t *admin_award_campaigns(http_req *req, db_t *db, const char *selected);

/* The refusal f as "LABEL: reason" in the reader's language. who and n
 * are the recipients the form sent (named in the message when f is about
 * one of them); the decision a duplicate collides with is read from db. */
const char *admin_award_problem(http_req *req, db_t *db, const model_problem *f,
				const award_recipient *who, size_t n);

/* A year typed in a form: 0 with *year, or REG_REQUIRED / REG_BAD_NUMBER
 * on field. */
int admin_award_year(const char *s, int64_t *year, model_problem *f, const char *field);

#endif
