/*
 * register_number.h - registers ("sổ đăng ký") and their registration
 * numbers ("số đăng ký").
 *
 * A register has a code (letters and digits: "HV", "TK"), a collection
 * (main or reference), the museum's prefix ("BTĐBP") and a pattern such as
 * "{prefix}.{register}.{n:5}/{material}" -> "BTĐBP.HV.00017/KL".
 * Placeholders: {prefix}, {register}, {material} (the object's material
 * code), {n} (the running number) or {n:W} (zero-padded to W digits, 1..9).
 *
 * Numbers run per register without gaps from 1: register_number_take()
 * gives the next one inside the caller's transaction, so a rollback gives
 * it back and a commit keeps it for good (the transaction is BEGIN
 * IMMEDIATE, so two acceptances at the same moment are serialised and
 * never receive one number). A number is never reused: the schema refuses
 * to lower next_number or delete a register that gave numbers.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too (reg_check.h).
 */
#ifndef SEN_MODEL_REGISTER_NUMBER_H
#define SEN_MODEL_REGISTER_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define REGISTER_CODE_MAX 16
#define REGISTER_NAME_MAX 200
#define REGISTER_PREFIX_MAX 32
#define REGISTER_PATTERN_MAX 100
#define REGISTER_NUMBER_MAX 120
#define REGISTER_DEFAULT_PATTERN "{prefix}.{register}.{n:5}/{material}"

typedef struct {
	int64_t id;
	const char *code;
	const char *name;
	const char *collection;   /* main or reference */
	const char *prefix;
	const char *pattern;      /* NULL or "": REGISTER_DEFAULT_PATTERN */
	int64_t next_number;      /* read only */
} register_book;

/*
 * Checks a pattern: only the placeholders above, exactly one {n...}, one
 * {register}, and a literal character that is neither a letter nor a digit
 * between any two placeholders (so "A" + 15 and "A1" + 5 can never write
 * the same number). 0 or REG_BAD_PATTERN (field "pattern").
 */
int register_number_check_pattern(const char *pattern, model_problem *f);

/*
 * Writes the number for (prefix, register code, n, material) into out.
 * 0, or -1 when the pattern is invalid or the number would not fit in len
 * (or REGISTER_NUMBER_MAX).
 */
int register_number_format(const char *pattern, const char *prefix, const char *code, int64_t n,
			   const char *material, char *out, size_t len);

/*
 * Adds a register. Refused: code not letters/digits ("code"), an invalid
 * pattern, or a pattern that would write a number some object already has
 * (REG_BAD_PATTERN, REG_DUPLICATE on "code"). 0 with *id, a reg_problem, -1.
 */
int register_number_add(db_t *db, const register_book *r, int64_t *id, model_problem *f);
/* 0, 1 not found, -1. */
int register_number_get(db_t *db, arena_t *a, int64_t id, register_book *out);
/*
 * Changes register id's prefix and pattern. Refused like register_number_add
 * (REG_BAD_TEXT on "prefix", REG_BAD_PATTERN on "pattern"), and with
 * REG_DUPLICATE on "pattern" when a number the register would still give
 * (its next number or any later one, whatever the material) is one an
 * object already holds. Numbers given before never change. 0, REG_NOT_FOUND
 * on "id", a reg_problem, or -1.
 */
int register_number_set_pattern(db_t *db, int64_t id, const char *prefix, const char *pattern,
				model_problem *f);

/* Every register by code (arena). 0 or -1. */
int register_number_list(db_t *db, arena_t *a, register_book **items, size_t *n);
/* By code: 0 with *id, 1 none, -1. */
int register_number_find(db_t *db, const char *code, int64_t *id);

/*
 * Takes the next number of register_id for an object of `material` and
 * writes the formatted number into out; *seq gets the running number. Must
 * run inside the caller's write transaction. 0, 1 register not found, -1.
 */
int register_number_take(db_t *db, int64_t register_id, const char *material, int64_t *seq,
			 char *out, size_t len);

#endif
