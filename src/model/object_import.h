/*
 * object_import.h - entering objects into the intake book from a
 * spreadsheet (model/sheet.h), as a register starts when a museum moves
 * from paper: `sen objects import` and the back office's import page.
 *
 * Row 1 holds the column names, as a Vietnamese office writes them ("Tên
 * hiện vật", "Chất liệu", "Ngày thu nhận" ...; the list is
 * object_import_columns, matched without marks or case, a unit in brackets
 * ignored). Every row and every cell is checked first; each problem is
 * reported as (row, column, reg_problem) and nothing is written until the
 * whole file is clean. Then everything is written in one transaction:
 * donors are reused by name, rows with the same mode, date, donor and
 * hand-over number form one acquisition, a "Vị trí" puts the object in that
 * place with a first movement. A process killed in the middle leaves
 * nothing: the transaction never committed.
 *
 * Cells are read as offices write them: dates dd/mm/yyyy (or an Excel date
 * number), decimals "12,5" with an optional unit (cm, mm, m; g, kg), money
 * "1.500.000 đ", vocabularies by their Vietnamese words ("hiến tặng", "tài
 * liệu", "bảo vật quốc gia"), materials by code (KL) or name.
 */
#ifndef SEN_MODEL_OBJECT_IMPORT_H
#define SEN_MODEL_OBJECT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "model/reg_check.h"
#include "model/sheet.h"

/* Problems kept for the report; further ones are only counted. */
#define OBJECT_IMPORT_PROBLEMS_MAX 1000

typedef struct {
	const char *field;    /* the card field, e.g. "name" */
	const char *header;   /* the column name the importer writes, e.g. "Tên hiện vật" */
	bool required;
	const char *aliases;  /* other names offices use, folded, '|'-separated */
} object_import_column;

/* Every column the importer knows, NULL-terminated by field. */
extern const object_import_column object_import_columns[];

typedef struct {
	size_t row;             /* 1-based row of the sheet (1 = the names) */
	size_t column;          /* 0-based column of the sheet */
	const char *header;     /* the column's name as the file writes it ("" if none) */
	enum reg_problem code;
} object_import_problem;

typedef struct {
	object_import_problem problems[OBJECT_IMPORT_PROBLEMS_MAX];
	size_t nproblems;       /* kept */
	size_t total_problems;  /* found */
	size_t rows;            /* data rows (blank rows skipped) */
	size_t imported;        /* objects written */
	size_t acquisitions;    /* acquisitions created */
	size_t donors;          /* donors created */
} object_import_report;

/* Called every few hundred rows while checking (phase 0) and writing
 * (phase 1). */
typedef void (*object_import_progress)(int phase, size_t done, size_t total, void *arg);

/*
 * Checks the sheet and, when it is clean and dry_run is false, imports it.
 * who is written as the mover of the first placements. 0 when clean (and
 * written unless dry_run), 1 when problems were found (nothing written),
 * -1 on an error (logged; nothing written).
 */
int object_import(db_t *db, const sheet *s, bool dry_run, const char *who,
		  object_import_report *rep, object_import_progress progress, void *arg);

#endif
