/*
 * reg_check.h - what the register's models say when they refuse something,
 * and the checks they share (text, dates, decimals, vocabularies).
 *
 * Every refusing function of the register (donor, acquisition, object,
 * council, register_number, register_log, location, movement, inventory)
 * returns 0 when it did the work, -1 on an error it logged (out of memory,
 * storage), or a positive enum reg_problem when it refused the input; then
 * the model_problem (problem.h) holds that code, its field names the field
 * at fault (a column name such as "name" or "acquired_on", a static
 * string), and nothing was written. The caller turns
 * the pair into a message in its reader's language: the importer into
 * "FILE:ROW:COLUMN: reason", the back office into a catalog message beside
 * the field. No model writes prose.
 *
 * Thread-safe; only the storage helpers allocate, from the caller's arena.
 */
#ifndef SEN_MODEL_REG_CHECK_H
#define SEN_MODEL_REG_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/problem.h"

enum reg_problem {
	REG_OK = 0,
	REG_NOT_FOUND = 1,   /* the record, or the one the field points at, does not exist */
	REG_REQUIRED,        /* empty, or only spaces */
	REG_TOO_LONG,        /* more bytes than the field holds */
	REG_BAD_TEXT,        /* not UTF-8, or a control character */
	REG_BAD_CHOICE,      /* not a word of the field's vocabulary */
	REG_BAD_DATE,        /* not a real day written dd/mm/yyyy or yyyy-mm-dd */
	REG_BAD_NUMBER,      /* not a number ("12,5" and "12.5" are) */
	REG_OUT_OF_RANGE,    /* a number outside what the field allows */
	REG_DUPLICATE,       /* another record already holds this value */
	REG_WRONG_STATE,     /* not allowed in the record's state (e.g. already registered) */
	REG_BAD_PATTERN,     /* a registration-number pattern that could repeat a number */
	REG_IN_FUTURE,       /* a date after today */
	REG_UNKNOWN_COLUMN,  /* an imported file's column this register does not know */
	REG_MISSING_COLUMN,  /* an imported file lacks a column every row needs */
	REG_NOT_PICTURE,     /* a library file that is not a usable picture (JPEG, PNG, WebP, GIF) */
};
#define REG_PROBLEM_LAST REG_NOT_PICTURE

/* Sets *f (f may be NULL) to code and field (cleared when code is REG_OK)
 * and returns code, so a check can end with
 * `return reg_refuse(f, REG_REQUIRED, "name");`. */
int reg_refuse(model_problem *f, enum reg_problem code, const char *field);

/* The catalog key of a problem ("reg_required" ...; locale/vi.po). */
const char *reg_problem_key(enum reg_problem code);

/*
 * Text of a field: NULL counts as "". REG_REQUIRED when required and empty
 * after trimming spaces, REG_TOO_LONG over max bytes, REG_BAD_TEXT when not
 * UTF-8 or holding a control character (multiline allows '\n', '\r', '\t').
 */
int reg_check_text(model_problem *f, const char *field, const char *s, size_t max, bool required,
		   bool multiline);

/* 0 when s is one of the NULL-terminated words, else REG_BAD_CHOICE
 * (REG_REQUIRED when s is NULL or "" and required). */
int reg_check_choice(model_problem *f, const char *field, const char *s,
		     const char *const *words, bool required);

/*
 * Reads a day written "dd/mm/yyyy" (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy)
 * or "yyyy-mm-dd" into out as "yyyy-mm-dd". Years 1000..9999, real days
 * only (no 31/04, 29/02 only in leap years). true on success.
 */
bool reg_date_parse(const char *s, char out[11]);

/* 0 when s is a real day "yyyy-mm-dd", else REG_BAD_DATE (REG_REQUIRED when
 * empty and required). */
int reg_check_date(model_problem *f, const char *field, const char *s, bool required);

/*
 * Reads a decimal as Vietnamese offices write it: "12,5", "12.5", "1.234,5"
 * is refused (ambiguous thousands), surrounding spaces and a trailing unit
 * of letters ("12,5 cm", "300 g") are allowed. true with *out on success.
 */
bool reg_decimal_parse(const char *s, double *out);

/* Reads whole đồng as offices write them: "1.500.000", "1 500 000 đ",
 * "1500000 VND" (at most 15 digits). true with *out on success. */
bool reg_money_parse(const char *s, int64_t *out);

/* The day today in local time, "yyyy-mm-dd". */
void reg_today(char out[11]);

/* ---- storage helpers the register's models share ------------------------ */

/* Prepares sql, binds ?1 to id and steps once: DB_ROW with *st positioned
 * on the row (the caller reads it, then calls db_done), DB_DONE when there
 * is none, or DB_ERROR (in both cases the statement is already done). */
int reg_fetch(db_t *db, const char *sql, int64_t id, db_stmt **st);

/* Runs a one-row SELECT of sql with ?1 bound to id: 1 when it returns a
 * row, 0 when none, -1 on error. */
int reg_exists(db_t *db, const char *sql, int64_t id);
/* Runs a one-row SELECT of sql with ?1 bound to id whose first column is
 * an id: 0 with *out, 1 when there is no row, -1 on error. */
int reg_find_id(db_t *db, const char *sql, int64_t id, int64_t *out);
/* Runs a statement that returns no row with ?1 .. ?n bound to v: DB_DONE,
 * DB_CONSTRAINT (a constraint refused it), or DB_ERROR. */
int reg_run_ints(db_t *db, const char *sql, const int64_t *v, int n);
/* reg_exists as a check: 0 when sql returns a row, -1 on error, else the
 * refusal code on field (REG_NOT_FOUND, say). */
int reg_require(db_t *db, model_problem *f, int code, const char *field, const char *sql,
		int64_t id);

/* Ends an "INSERT ... SELECT ... WHERE EXISTS (the row field points at)":
 * -1 when step is not DB_DONE, REG_NOT_FOUND on field when nothing was
 * inserted, else 0 with *id the new row. */
int reg_inserted(db_t *db, int step, model_problem *f, const char *field, int64_t *id);

/* Ends the INSERT (record_id 0) or the UPDATE of record_id that saves a
 * record: -1 when step is not DB_DONE, REG_NOT_FOUND on "id" when no row
 * changed, else 0 with *id (id may be NULL) the row's id. */
int reg_saved(db_t *db, int step, int64_t record_id, int64_t *id, model_problem *f);

/* Ends a unit of writing begun with db_write_begin(): commits when result
 * is 0, rolls back otherwise; returns result, or -1 if the commit failed. */
int reg_finish(db_t *db, int nested, int result);
/* The same pair with a scratch arena of size bytes for the unit:
 * reg_begin_with_arena gives 0 with *a and *nested, or -1 with nothing
 * open and nothing to free; reg_finish_with_arena frees a, then is
 * reg_finish. */
int reg_begin_with_arena(db_t *db, size_t size, arena_t **a, int *nested);
int reg_finish_with_arena(db_t *db, int nested, arena_t *a, int result);

/* The LIKE pattern ("%words%", with '%', '_' and '\\' escaped for ESCAPE
 * '\\') of query folded as core/text.h folds (lower case, marks gone, đ ->
 * d), to compare with sen_fold(column) (db/fts_vn.h): "nguyen van" finds
 * "Nguyễn Văn". "" for an empty query; NULL when out of memory. In a. */
char *reg_like_folded(arena_t *a, const char *query);

/* Reads the current row of st: n_ints integer columns from column 0 into
 * *ints[i], then n_texts text columns into *texts[i] (copied into a; NULL
 * becomes ""). 0 or -1 (out of memory). */
int reg_read_row(arena_t *a, db_stmt *st, int64_t *const *ints, size_t n_ints,
		 const char **const *texts, size_t n_texts);

/* One page of a full-text search: count_sql (a count(*) with ?1 the FTS5
 * expression match and ?2 count_max as its LIMIT) into *total, then, when
 * the page is not past it, list_sql (?1 match, ?2 limit, ?3 offset) into
 * *items, elements of size bytes filled by fill. 0 or -1. */
int reg_search_page(db_t *db, arena_t *a, const char *count_sql, const char *list_sql,
		    const char *match, int64_t offset, size_t limit, int64_t count_max,
		    size_t size, db_fill_fn fill, void *items, size_t *n, int64_t *total);

/* Reads the one row that sql (?1 bound to id) returns into out, an
 * element of size bytes cleared first, with fill: 0, 1 when there is no
 * row, or -1. Strings in a. */
int reg_get_row(db_t *db, arena_t *a, const char *sql, int64_t id, size_t size, db_fill_fn fill,
		void *out);

/* What reg_update() runs before the UPDATE, inside its transaction: 0 to
 * go on, a reg_problem (in *f) or -1. a is a scratch arena freed after. */
typedef int (*reg_guard_fn)(db_t *db, arena_t *a, const void *record, model_problem *f);
/* Binds every parameter of the UPDATE from record: 0 or -1. */
typedef int (*reg_bind_fn)(db_stmt *st, const void *record);

/*
 * Replaces a row in its own unit of writing (or the caller's): guard (may
 * refuse), then sql bound by bind. When the UPDATE changes no row, the
 * answer is REG_NOT_FOUND on missing_field (the row, or one it points at,
 * is gone). 0, a reg_problem, or -1; nothing is written unless 0.
 */
int reg_update(db_t *db, const char *sql, const void *record, reg_guard_fn guard,
	       reg_bind_fn bind, const char *missing_field, model_problem *f);

/* Makes room for one more element in an arena array of n elements of size
 * bytes with *cap slots: the same array, a bigger copy, or NULL. */
void *reg_grow(arena_t *a, void *arr, size_t n, size_t *cap, size_t size);

#endif
