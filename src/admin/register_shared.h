/*
 * register_shared.h - what the register's back-office files share (the
 * list and card, storage, inventory, import, care of the card, prints):
 * a model's refusal as catalog text, vocabulary words, the choices of a
 * select, the places of the storage tree, and the audit line of a change.
 * Everything returned lives in the request arena (json_t values: the
 * caller owns the reference).
 */
#ifndef SEN_ADMIN_REGISTER_SHARED_H
#define SEN_ADMIN_REGISTER_SHARED_H

#include <jansson.h>

#include "admin/admin_private.h"
#include "db/db.h"
#include "model/acquisition.h"
#include "model/donor.h"
#include "model/object.h"
#include "model/object_photo.h"
#include "model/reg_check.h"

#define REGISTER_PATH_INTAKE ADMIN_PATH_REGISTER "/nhap"
#define REGISTER_PATH_CARD ADMIN_PATH_REGISTER "/:id"
#define REGISTER_PATH_COUNCIL ADMIN_PATH_REGISTER "/hoi-dong"
/* The photos' look, on their page and on the card (photos_page.c). */
#define REGISTER_PHOTOS_CSS "/static/css/admin/photos.css"
#define REGISTER_PATH_DONORS ADMIN_PATH_REGISTER "/nguon"
#define REGISTER_PATH_ACQUISITIONS ADMIN_PATH_REGISTER "/thu-nhan"

/* "LABEL: reason": the label is catalog key labels + f->field
 * ("admin_loc_field_" + "name"), the reason that of the problem code. */
const char *admin_reg_problem(http_req *req, const char *labels, const model_problem *f);

/* The same, but when f->code is code the reason is the catalog text of
 * key: a refusal that needs more than the generic words ("not allowed in
 * this state" becomes why, and what to do instead). */
const char *admin_reg_problem_as(http_req *req, const char *labels, const model_problem *f,
				 enum reg_problem code, const char *key);

/* The interface word of a stored code: catalog key family + code
 * ("admin_reg_reason_" + "trung_bay" -> "trưng bày"). */
const char *admin_reg_word(http_req *req, const char *family, const char *code);

/* [{value, label, selected}] for a select over the NULL-terminated codes. */
json_t *admin_reg_choices(http_req *req, const char *family, const char *const *codes,
			  const char *selected);

/* [{value, label, selected}] of the controlled list of materials ("KL -
 * Kim loại và hợp kim"); NULL on a storage error. */
json_t *admin_reg_materials(http_req *req, db_t *db, const char *selected);

/* [{value, label, selected}] of every place of the storage tree, labelled
 * with its path ("Kho chính › Phòng 1"); NULL on a storage error. */
json_t *admin_reg_places(http_req *req, db_t *db, int64_t selected);

/* The name a record keeps as "who": the user's display name, else login. */
const char *admin_reg_who(const admin_user *me);

/* Writes action to the audit log with the request's actor: 0 or -1 (a
 * caller that writes it inside its unit of writing rolls back on -1). */
int admin_reg_audit(http_req *req, const admin_user *me, db_t *db, const char *action,
		     const char *target, const char *details);

/* What a form's handler answers once the model has written (rc 0): the
 * audit line (action, target, details) and 303 to `to`; rc -1 gives
 * the error page. */
int admin_reg_saved(http_req *req, http_res *res, const admin_user *me, db_t *db, int rc,
		    const char *action, const char *target, const char *details,
		    const char *to);

/* A file made by make(path, arg) (0 or -1) under a temporary name, then
 * sent from the disk: the name is removed at once, the open descriptor
 * keeps the bytes until they are sent (libxlsxwriter writes to a file).
 * 200, or 500 when it was not made. */
int admin_send_made(http_res *res, int (*make)(const char *path, void *arg), void *arg);

/* A handler of one row (the route's :id, already parsed) and this thread's
 * connection. */
typedef int (*admin_reg_row_fn)(http_req *req, http_res *res, const admin_user *me, int64_t id,
				db_t *db);
/* Runs fn for the route's :id; the error page (404, 500) when the id is
 * malformed or there is no database. */
int admin_reg_on_row(http_req *req, http_res *res, const admin_user *me, admin_reg_row_fn fn);
/* Defines the page handler `name` of a page table that runs the row
 * handler `row` through admin_reg_on_row. */
#define ADMIN_REG_ROW_PAGE(name, row)                                               \
	static int name(http_req *req, http_res *res, const admin_user *me)        \
	{                                                                           \
		return admin_reg_on_row(req, res, me, row);                         \
	}

/*
 * Reads the NULL-terminated form fields names into v[] (as many slots) and
 * into values, which keeps what was typed for the form shown again. false
 * with *f (REG_TOO_LONG on the field) when one is longer than max bytes.
 */
bool admin_reg_read_fields(http_req *req, const char *const *names, size_t max, const char **v,
			   json_t *values, model_problem *f);

/* An id typed or chosen in a form: "" is 0; false when s is not an id. */
bool admin_reg_optional_id(const char *s, int64_t *id);

/* Renders a register form page: ctx gets values (consumed; NULL: {}), the
 * form's action, the CSRF token of the route pattern it posts to (NULL:
 * the action itself, a literal route), back_url and message (NULL: none). */
int admin_reg_form_render(http_req *req, http_res *res, const admin_user *me, json_t *ctx,
			  int status, const char *action, const char *pattern,
			  const char *back_url, const char *message, json_t *values,
			  const char *template_name);

/* Sets ctx's key to the URL base + "/" + id + suffix
 * ("/admin/kiem-ke/7/danh-dau"). */
void admin_reg_set_url(http_req *req, json_t *ctx, const char *key, const char *base, int64_t id,
		       const char *suffix);

/* The register list's filter from the query (q: words, trang-thai: a
 * status, chat-lieu: a material code), as the list and its export read it.
 * Unknown statuses are ignored; the strings are the request's. */
void admin_reg_list_filter(http_req *req, object_filter *flt);

/* An object's card with its acquisition and donor (d->name "" when none).
 * 0, or the status to answer: 404 no such object, 500. */
int admin_reg_card_load(http_req *req, db_t *db, int64_t id, object_card *c, acquisition *q,
			donor *d);

/* Every move of an object, newest first, as [{on (dd/mm/yyyy), from, to
 * (paths of the storage tree; "" for nowhere), who, reason (the word),
 * note}]; NULL on a storage error. */
json_t *admin_reg_moves(http_req *req, db_t *db, int64_t object_id);

/* "dd/mm/yyyy" of a stored "yyyy-mm-dd" (anything else gives ""). */
const char *admin_reg_day(http_req *req, const char *iso);

/* What a dated form starts with: {day_field: today as dd/mm/yyyy,
 * who_field: the user's name}. */
json_t *admin_reg_form_defaults(http_req *req, const admin_user *me, const char *day_field,
				const char *who_field);

/* The context of a page about one object (title_key its title): the card
 * in *c, and name, number (registration or intake) and card_url set. 0
 * with *ctx, or the status to answer (404 no such object, 500). */
int admin_reg_object_context(http_req *req, const admin_user *me, db_t *db, int64_t id,
			     const char *title_key, object_card *c, json_t **ctx);

/* The label of a library picture: its alt text, else its uploaded name. */
const char *admin_reg_photo_label(const media_item *it);

/* [{id, position (1, 2 ...), thumb (URL of the smallest variant), label,
 * ready (its files are served), lead, first, last}] of a card's photos, in
 * the order given: the photos page and the card. */
json_t *admin_reg_photos(http_req *req, const object_photo *p, size_t n);
/* path?name=value&... of the NULL-terminated {name, value, name, value,
 * ..., NULL} pairs, values percent-encoded, empty or NULL values left out:
 * the link to a list's next page with its search and filters. */
const char *admin_reg_url(http_req *req, const char *path, const char *const *pairs);

/* A count as the reader writes it: 697.826 (vi), 697,826 (en). */
const char *admin_reg_count(http_req *req, int64_t n);

/* A measure as the reader writes it: 1.500,5 (vi) / 1,500.5 (en); "" for
 * 0 (not measured). */
const char *admin_reg_decimal(http_req *req, double v);

/* The keyset cursor of a list (?sau=ID): 0 when absent, -1 when it is
 * not an id. */
int64_t admin_reg_cursor(http_req *req);

/* The start of a dated form about one object (a move, a condition check):
 * admin_reg_object_context, and *values (what was typed; NULL for a new
 * form) set to admin_reg_form_defaults(day_field, who_field) when NULL. 0,
 * or the status to answer, with *ctx and *values released. */
int admin_reg_dated_form(http_req *req, const admin_user *me, db_t *db, int64_t id,
			 const char *title_key, const char *day_field, const char *who_field,
			 object_card *c, json_t **ctx, json_t **values);

/* [{label, value}] of every field of a card that has a value, in the
 * order of DOMAIN.md: numbers, names, kind and class, material (its name
 * from the controlled list), sizes, pieces, dating, origin, description,
 * the acquisition and source, value ("12.500.000 đ"), place, notes and the
 * public flag. The card page and the printed card. */
json_t *admin_reg_card_fields(http_req *req, db_t *db, const object_card *c, const acquisition *q,
			      const donor *d);

/* [{kind (the word), names: [{name}]}]: the card's related people, units,
 * events and places, one group per kind that has any, for the card page and
 * the printed card; NULL on a storage error. */
json_t *admin_reg_related_groups(http_req *req, db_t *db, int64_t id);

#endif
