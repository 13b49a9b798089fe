/*
 * card_form.h - the object card's form, shared by the intake form
 * (register_page.c), the card's edit page and the correction
 * (correction_page.c): the field names, the card as the form's values, the
 * readers that turn what was typed into an object_card, the choices the
 * form's selects offer, and the related people, units, events and places
 * linked and unlinked. The templates share their partials the same way
 * (admin/register_entry_fields, register_other_fields, register_related_add).
 *
 * Strings live in the request arena; json_t values are the caller's.
 */
#ifndef SEN_ADMIN_CARD_FORM_H
#define SEN_ADMIN_CARD_FORM_H

#include <jansson.h>

#include "admin/register_shared.h"

/* The form's fields, in the order of admin_card_fields (and of v[] below). */
enum admin_card_field {
	CARD_NAME, CARD_OTHER_NAMES, CARD_MATERIAL, CARD_MATERIAL_NOTE, CARD_TECHNIQUE,
	CARD_LENGTH, CARD_WIDTH, CARD_HEIGHT, CARD_DIAMETER, CARD_WEIGHT, CARD_PIECES,
	CARD_DATING, CARD_ORIGIN, CARD_CLASS, CARD_DESCRIPTION, CARD_WHY, CARD_KIND, CARD_VALUE,
	CARD_NOTES, CARD_PUBLIC, CARD_RELATED_KIND, CARD_RELATED_NAME, CARD_ACQUISITION,
	CARD_COUNT
};
/* The form names of the fields, NULL-terminated (admin_reg_read_fields). */
extern const char *const admin_card_fields[CARD_COUNT + 1];

/* What the card records now, as the form's values. */
json_t *admin_card_values(http_req *req, const object_card *c);

/* The fields of the register entry typed in v[] into c (names, material,
 * technique, sizes, pieces, dating, origin, class, description): 0, or
 * REG_BAD_NUMBER on a size or the pieces that is not a number. */
int admin_card_read_entry(const char *const *v, object_card *c, model_problem *f);

/* The fields the register entry does not record (value in đồng, notes,
 * the public flag) typed in v[] into c: 0, or REG_BAD_NUMBER on "value". */
int admin_card_read_other(const char *const *v, object_card *c, model_problem *f);

/* Puts the form's choices into ctx (materials — only when with_materials —,
 * kinds, classes, related_kinds, each with what values selected) and turns
 * values' "public" into a boolean for the box. 0, or -1 on a storage error. */
int admin_card_choices(http_req *req, db_t *db, json_t *ctx, json_t *values, bool with_materials);

/* [{value, label ("07/05/2020 · hiến tặng · 12/2020 · Ông A"), selected}]
 * of the acquisitions an object may belong to, newest first (at most
 * ADMIN_CARD_ACQUISITIONS_MAX; the selected one always among them), for
 * the correction that moves a mistaken object; NULL on a storage error. */
#define ADMIN_CARD_ACQUISITIONS_MAX 2000
json_t *admin_card_acquisitions(http_req *req, db_t *db, int64_t selected);

/* The acquisition typed in v[] into c (unchanged when empty): 0, or
 * REG_NOT_FOUND on "acquisition_id" when it is not an id. */
int admin_card_read_acquisition(const char *const *v, object_card *c, model_problem *f);

/* The name of the box that unlinks related entity id. */
const char *admin_card_remove_box(http_req *req, int64_t id);

/* Unlinks the related entities of object id whose box is ticked, then
 * links the one typed in v[] (kind + name): 0 with *removed and *added
 * counted, a reg_problem, or -1. Inside the caller's unit of writing. */
int admin_card_related(http_req *req, db_t *db, int64_t id, const char *const *v, int *removed,
		       int *added, model_problem *f);

#endif
