/*
 * object.h - the object card ("phiếu hiện vật"): an artifact or document
 * from the day it enters the intake book ("sổ nhập tạm") with a temporary
 * number, through the Scientific Council (model/council.h), which gives it
 * a registration number, to every correction after that.
 *
 * While an object waits in intake its card is edited freely. Once it is
 * registered, the fields its register entry records (see
 * object_entry_json) change only through object_update() with who and why:
 * that appends a correction to the register's log in the same transaction
 * (model/register_log.h), and the schema's triggers refuse any other way.
 * The rest of the card (value, notes, public flag, conditions, photos,
 * related people and events) is not part of the legal entry.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h),
 * the field being the column's name. Strings of returned cards live in the
 * caller's arena; strings passed in belong to the caller.
 */
#ifndef SEN_MODEL_OBJECT_H
#define SEN_MODEL_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "model/reg_check.h"

#define OBJECT_INTAKE_NO_MAX 40
#define OBJECT_NAME_MAX 300
#define OBJECT_OTHER_NAMES_MAX 500
#define OBJECT_SHORT_MAX 300       /* material_note, technique, origin_place */
#define OBJECT_DATING_MAX 200
#define OBJECT_DESCRIPTION_MAX 20000
#define OBJECT_NOTES_MAX 5000
#define OBJECT_SIZE_MAX 100000.0   /* cm: nothing a museum keeps is 1 km long */
#define OBJECT_WEIGHT_MAX 1e9      /* g */
#define OBJECT_PIECES_MAX 100000
#define OBJECT_VALUE_MAX 1000000000000000LL   /* đồng */
#define OBJECT_PAGE_MAX 200
#define OBJECT_QUERY_MAX 200
#define OBJECT_PHOTOS_MAX 24        /* photos on a card: a set's pieces, front, back, marks */

/* Vocabularies as stored. NULL-terminated. */
extern const char *const object_kinds[];     /* hien_vat, tai_lieu */
extern const char *const object_classes[];   /* "", di_vat, co_vat, bao_vat */
extern const char *const object_states[];    /* condition: tot, kha, kem, hong */

typedef struct {
	int64_t id;
	const char *intake_no;      /* "" on intake: one is given ("NT-2024-00017") */
	int64_t acquisition_id;
	const char *kind;           /* hien_vat (default) or tai_lieu */
	const char *status;         /* read only: intake, main, reference, returned */
	const char *name;
	const char *other_names;
	int64_t register_id;        /* read only, 0 until registered */
	int64_t reg_seq;            /* read only */
	const char *reg_number;     /* read only, "" until registered */
	const char *material_code;  /* a code of the materials table: KL, ĐD, G ... */
	const char *material_note;
	const char *technique;
	double length_cm, width_cm, height_cm, diameter_cm;   /* 0: not measured */
	double weight_g;                                      /* 0: not weighed */
	int64_t pieces;             /* pieces in the set, >= 1 (0 counts as 1) */
	const char *dating;         /* niên đại: free text ("1953-1954", "thế kỷ XIX") */
	const char *origin_place;
	const char *heritage_class; /* field "class": "", di_vat, co_vat, bao_vat */
	const char *description;
	int64_t value;              /* đồng, 0 unknown */
	const char *notes;
	bool public_;               /* shown in the online collection */
	int64_t location_id;        /* read only: moved by model/movement.h */
	int64_t log_head;           /* read only */
} object_card;

/* Checks every field a person writes (not the references): 0 or a
 * reg_problem naming the field. */
int object_check(const object_card *c, model_problem *f);

/* Checks what the card points at: the acquisition ("acquisition_id"), the
 * material ("material_code"), and that intake_no (when given) is free
 * ("intake_no", REG_DUPLICATE). 0, a reg_problem, or -1. */
int object_check_refs(db_t *db, const object_card *c, model_problem *f);

/*
 * Enters an object into the intake book: status intake, no registration
 * number. An empty intake_no gets "NT-YYYY-NNNNN" (the acquisition's year,
 * the row's number). Runs in its own
 * unit of writing (or inside the caller's transaction). 0 with *id, a
 * reg_problem, or -1.
 */
int object_intake(db_t *db, const object_card *c, int64_t *id, model_problem *f);

/* 0, 1 not found, -1. */
int object_get(db_t *db, arena_t *a, int64_t id, object_card *out);
/* The same, for the public: 1 (as "not found") when the object is not
 * marked public, so a private card never shows. 0, 1, -1. */
int object_get_public(db_t *db, arena_t *a, int64_t id, object_card *out);
/* The object whose registration or intake number is `number`: 0, 1, -1. */
int object_find_number(db_t *db, const char *number, int64_t *id);

/*
 * Replaces the card of object c->id with c's writable fields. On a
 * registered object, a change to a field of the register entry needs who
 * and why (REG_REQUIRED on "why") and appends a correction entry to the
 * log; the other fields change without one. A returned object is not
 * edited (REG_WRONG_STATE). 0, a reg_problem, or -1.
 */
int object_update(db_t *db, const object_card *c, const char *who, const char *why,
		  model_problem *f);

/*
 * A correction of a registered card (the back office's correction form):
 * object_update() that must append a correction entry. REG_WRONG_STATE on
 * "status" when the object is not registered, REG_REQUIRED on "changes"
 * when no field of the register entry changes (nothing is stored then, not
 * even the other fields), REG_REQUIRED on "why" without a reason. 0, a
 * reg_problem, or -1.
 */
int object_correct(db_t *db, const object_card *c, const char *who, const char *why,
		   model_problem *f);

/*
 * Deletes an object still in intake (a mistaken entry); registered ones are
 * never deleted (REG_WRONG_STATE). 0, REG_NOT_FOUND, REG_WRONG_STATE, -1.
 */
int object_delete_intake(db_t *db, int64_t id, model_problem *f);

/*
 * The content of the register entry of a card, as canonical JSON (keys
 * sorted, compact): the registration number, collection and every field
 * the entry records. The log hashes exactly these bytes, and
 * register_verify() rebuilds them from the objects table, so a card that
 * was changed behind the log's back is found. Appends to out; 0 or -1.
 */
int object_entry_json(const object_card *c, buf_t *out);

/* ---- conditions, photos, related people and events ---------------------- */

/* A dated condition check: state tot, kha, kem or hong. 0 with *id, a
 * reg_problem (object_id, checked_on, state, note, checked_by), or -1. */
int object_condition_add(db_t *db, int64_t object_id, const char *checked_on, const char *state,
			 const char *note, const char *checked_by, int64_t *id, model_problem *f);

/*
 * Sets the card's photos: media ids in order, the one at index lead marked
 * as the lead picture ("ảnh đại diện"). At most OBJECT_PHOTOS_MAX; with
 * photos there is exactly one lead, so lead must be < n. Only pictures of
 * the library (JPEG, PNG, WebP, GIF whose processing did not fail) may be
 * chosen. Photos are not part of the legal register entry (docs/REGISTER.md):
 * no correction entry is appended; the caller writes the audit log.
 * Replaces the previous list in one unit of writing. 0, a reg_problem
 * (REG_OUT_OF_RANGE on "photos", REG_REQUIRED on "lead", REG_NOT_FOUND on
 * "object_id" or "media_id", REG_NOT_PICTURE or REG_DUPLICATE on
 * "media_id"), or -1.
 */
int object_photos_set(db_t *db, int64_t object_id, const int64_t *media, size_t n, size_t lead,
		      model_problem *f);

/* Links a related person, unit, event or place (created on first use).
 * 0, a reg_problem (object_id, related_kind, related_name), or -1. */
int object_related_add(db_t *db, int64_t object_id, const char *kind, const char *name,
		       model_problem *f);

/* The kinds of a related entity, as stored: person, unit, event, place. */
extern const char *const object_related_kinds[];

typedef struct {
	int64_t id;         /* the entity, shared by every object linked to it */
	const char *kind;   /* person, unit, event, place */
	const char *name;   /* "Đại đoàn 308" */
} object_related;

/* An object's related entities, by kind (in object_related_kinds' order),
 * then name (arena). 0 or -1. */
int object_related_list(db_t *db, arena_t *a, int64_t object_id, object_related **items, size_t *n);

/* Unlinks entity_id from the object (the entity stays for other objects).
 * 0, REG_NOT_FOUND on "related_id" when it was not linked, or -1. */
int object_related_remove(db_t *db, int64_t object_id, int64_t entity_id, model_problem *f);

/* ---- lists ---------------------------------------------------------------- */

typedef struct {
	const char *code;   /* KL, ĐD, G ... */
	const char *name;   /* Kim loại và hợp kim ... */
} object_material;

/* The controlled list of materials, in its order (arena). 0 or -1. */
int object_material_list(db_t *db, arena_t *a, object_material **items, size_t *n);
/* The list's name of material code ("Kim loại và hợp kim" for KL), in the
 * arena; NULL when the code is not in the list or it cannot be read. */
const char *object_material_name(db_t *db, arena_t *a, const char *code);

typedef struct {
	const char *status;         /* NULL: any */
	const char *material_code;  /* NULL: any */
	int64_t acquisition_id;     /* 0: any */
	int64_t location_id;        /* 0: any; only objects exactly there */
	const char *query;          /* words, folded ("mu coi" finds "Mũ cối"); NULL: none */
	bool public_only;
} object_filter;

typedef struct {
	int64_t id;
	const char *intake_no;
	const char *reg_number;     /* "" until registered */
	const char *name;
	const char *status;
	const char *material_code;
	const char *kind;
} object_row;

/*
 * Newest first (by id): at most limit (1..OBJECT_PAGE_MAX) rows with id <
 * before (0: from the newest). *more tells whether another page follows;
 * the next page starts before the last row's id (keyset pagination: page
 * 1,000 costs what page 1 costs). REG_TOO_LONG on "query" over
 * OBJECT_QUERY_MAX bytes. 0, a reg_problem, or -1.
 */
int object_list(db_t *db, arena_t *a, const object_filter *flt, int64_t before, size_t limit,
		object_row **rows, size_t *n, bool *more, model_problem *f);

/*
 * For writers of many objects in one transaction (the importer): the search
 * index's triggers write one FTS5 segment per changed row inside a
 * transaction, so object_index_hold() turns them off and sets *last to the
 * newest object's id (0: none), until object_index_release(db, *last),
 * which indexes every object with an id above it in one statement and
 * turns the triggers on again. Both inside the caller's write transaction,
 * which may change no older object in between (sql/017_register_search.sql).
 * 0 or -1.
 */
int object_index_hold(db_t *db, int64_t *last);
int object_index_release(db_t *db, int64_t after);

#endif
