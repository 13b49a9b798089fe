/*
 * object_book.h - the register as its printed book reads it ("sổ đăng ký
 * hiện vật"): one row per object with the columns a Vietnamese register
 * keeps (number, day of entry, name, source, material, size, pieces,
 * dating, class, condition, place, notes), in the register's order.
 *
 * Rows are handed to a callback one at a time straight from the statement,
 * so a register of a million objects costs one row of memory here; the
 * caller decides how many it keeps (limit).
 */
#ifndef SEN_MODEL_OBJECT_BOOK_H
#define SEN_MODEL_OBJECT_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "model/object.h"

typedef struct {
	int64_t id;
	const char *reg_number;      /* "" in intake */
	const char *intake_no;
	const char *status;          /* intake, main, reference, returned */
	int64_t register_id;         /* 0 in intake */
	int64_t reg_seq;             /* the running number, 0 in intake */
	const char *acquired_on;     /* yyyy-mm-dd: the day it entered */
	const char *mode;            /* acquisition mode code */
	const char *source;          /* the donor's name, else who handed it over; may be "" */
	const char *name;
	const char *other_names;
	const char *kind;            /* hien_vat, tai_lieu */
	const char *material_code;
	const char *material_name;
	const char *material_note;
	const char *technique;
	double length_cm, width_cm, height_cm, diameter_cm, weight_g;   /* 0: not measured */
	int64_t pieces;
	const char *dating;
	const char *origin_place;
	const char *heritage_class;  /* "", di_vat, co_vat, bao_vat */
	const char *condition;       /* the newest check's state, "" when never checked */
	int64_t location_id;         /* 0: nowhere yet */
	const char *notes;
} object_book_row;

/* Called for each row; its strings live until the call returns. Non-zero
 * stops the walk and is returned by object_book_each. */
typedef int (*object_book_fn)(void *ctx, const object_book_row *row);

/*
 * Calls fn for every object flt selects (NULL: all) whose running number
 * lies in [from, to] (0: no bound; any bound leaves out objects without a
 * number), in the register's order: by register and running number, then
 * the intake book by entry. At most limit rows (>= 1); *more tells whether
 * others follow. 0, a reg_problem (REG_TOO_LONG on "query"), fn's non-zero
 * answer, or -1.
 */
int object_book_each(db_t *db, const object_filter *flt, int64_t from, int64_t to, size_t limit,
		     object_book_fn fn, void *ctx, bool *more, model_problem *f);

#endif
