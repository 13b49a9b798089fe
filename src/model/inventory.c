/*
 * inventory.c - inventory campaigns and their report (see inventory.h).
 */
#include "model/inventory.h"

#include <stdint.h>
#include <string.h>

#include "core/log.h"
#include "model/location.h"

const char *const inventory_states[] = {"found", "missing", "damaged", "misplaced", NULL};

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

int inventory_start(db_t *db, const char *name, const char *started_on, int64_t root_location_id,
		    int64_t *id, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "name", name, 200, true, false)) ||
	    (rc = reg_check_date(f, "started_on", started_on, true)))
		return rc;
	db_stmt *st = db_prepare(db, "INSERT INTO inventory_campaigns (name, started_on,"
				     " root_location_id) SELECT ?1, ?2, ?3"
				     " WHERE ?3 IS NULL OR EXISTS (SELECT 1 FROM locations WHERE id = ?3)");
	if (st == NULL)
		return -1;
	int step = DB_ERROR;
	if (db_bind_text(st, 1, name, -1) == 0 && db_bind_text(st, 2, started_on, -1) == 0 &&
	    (root_location_id > 0 ? db_bind_int64(st, 3, root_location_id) : db_bind_null(st, 3)) == 0)
		step = db_step(st);
	db_done(st);
	return reg_inserted(db, step, f, "root_location_id", id);
}

/* 0 open, 1 closed, 2 not found, -1. */
static int campaign_state(db_t *db, int64_t id)
{
	db_stmt *st = db_prepare(db, "SELECT closed_on IS NOT NULL FROM inventory_campaigns"
				     " WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	int v = rc == DB_ROW ? (int)db_col_int64(st, 0) : rc == DB_DONE ? 2 : -1;
	db_done(st);
	return v;
}

int inventory_mark(db_t *db, int64_t campaign_id, int64_t object_id, const char *state,
		   int64_t seen_location_id, const char *who, const char *note, model_problem *f)
{
	int rc;
	if ((rc = reg_check_choice(f, "state", state, inventory_states, true)) ||
	    (rc = reg_check_text(f, "who", who, 200, false, false)) ||
	    (rc = reg_check_text(f, "note", note, 2000, false, true)))
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = 0, cs = campaign_state(db, campaign_id);
	if (cs < 0)
		result = -1;
	else if (cs == 2)
		result = reg_refuse(f, REG_NOT_FOUND, "campaign_id");
	else if (cs == 1)
		result = reg_refuse(f, REG_WRONG_STATE, "campaign_id");
	int64_t card_at = 0;
	if (result == 0) {
		db_stmt *st = db_prepare(db, "SELECT ifnull(location_id, 0) FROM objects WHERE id = ?");
		int r = st != NULL && db_bind_int64(st, 1, object_id) == 0 ? db_step(st) : DB_ERROR;
		if (r == DB_ROW)
			card_at = db_col_int64(st, 0);
		if (st != NULL)
			db_done(st);
		if (r == DB_DONE)
			result = reg_refuse(f, REG_NOT_FOUND, "object_id");
		else if (r != DB_ROW)
			result = -1;
	}
	if (result == 0 && seen_location_id > 0)
		result = reg_require(db, f, REG_NOT_FOUND, "seen_location_id",
				     "SELECT 1 FROM locations WHERE id = ?", seen_location_id);
	int64_t seen = seen_location_id > 0 ? seen_location_id : card_at;
	if (result == 0 && strcmp(state, "found") == 0 && seen != card_at)
		state = "misplaced";
	if (result == 0 && strcmp(state, "missing") == 0)
		seen = 0;
	if (result == 0) {
		db_stmt *st = db_prepare(db, "INSERT OR REPLACE INTO inventory_findings (campaign_id,"
					     " object_id, state, seen_location_id, note, checked_by)"
					     " VALUES (?, ?, ?, ?, ?, ?)");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, campaign_id) == 0 && db_bind_int64(st, 2, object_id) == 0 &&
			    db_bind_text(st, 3, state, -1) == 0 &&
			    (seen > 0 ? db_bind_int64(st, 4, seen) : db_bind_null(st, 4)) == 0 &&
			    db_bind_text(st, 5, or_empty(note), -1) == 0 &&
			    db_bind_text(st, 6, or_empty(who), -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step != DB_DONE)
			result = -1;
	}
	return reg_finish(db, nested, result);
}

int inventory_close(db_t *db, int64_t campaign_id, const char *closed_on, model_problem *f)
{
	int rc = reg_check_date(f, "closed_on", closed_on, true);
	if (rc != 0)
		return rc;
	db_stmt *st = db_prepare(db, "UPDATE inventory_campaigns SET closed_on = ?"
				     " WHERE id = ? AND closed_on IS NULL AND started_on <= ?1");
	if (st == NULL)
		return -1;
	int step = db_bind_text(st, 1, closed_on, -1) == 0 && db_bind_int64(st, 2, campaign_id) == 0
		       ? db_step(st)
		       : DB_ERROR;
	db_done(st);
	if (step != DB_DONE)
		return -1;
	if (db_changes(db) == 1)
		return 0;
	int cs = campaign_state(db, campaign_id);
	if (cs < 0)
		return -1;
	if (cs == 2)
		return reg_refuse(f, REG_NOT_FOUND, "campaign_id");
	return reg_refuse(f, cs == 1 ? REG_WRONG_STATE : REG_OUT_OF_RANGE,
			  cs == 1 ? "campaign_id" : "closed_on");
}

static int read_difference(arena_t *a, db_stmt *st, void *item)
{
	inventory_difference *d = item;
	int64_t *const ints[] = {&d->object_id, &d->expected_location, &d->seen_location};
	const char **const texts[] = {&d->number, &d->name, &d->state};
	return reg_read_row(a, st, ints, 3, texts, 3);
}

/* The objects of a campaign: all of them (the sheet) or only those not
 * found where the card places them (the report). */
static int walk(db_t *db, arena_t *a, int64_t campaign_id, bool all, inventory_difference **rows,
		size_t *n, int64_t *checked)
{
	*rows = NULL;
	*n = 0;
	*checked = 0;
	/* Objects the register places under the root (the tree walked by a
	 * recursive CTE), and objects marked in this campaign wherever. */
	db_stmt *st = db_prepare(db,
	    "WITH RECURSIVE c AS (SELECT root_location_id AS root FROM inventory_campaigns"
	    "  WHERE id = ?1),"
	    " tree(id) AS (SELECT l.id FROM locations l, c WHERE c.root IS NULL OR l.id = c.root"
	    "  UNION SELECT l.id FROM locations l JOIN tree t ON l.parent_id = t.id),"
	    " expected AS (SELECT o.id FROM objects o WHERE o.status IN ('main', 'reference')"
	    "  AND o.location_id IN (SELECT id FROM tree)),"
	    " marked AS (SELECT object_id AS id FROM inventory_findings WHERE campaign_id = ?1)"
	    " SELECT o.id, ifnull(o.location_id, 0), ifnull(f.seen_location_id, 0),"
	    "  coalesce(o.reg_number, o.intake_no), o.name, ifnull(f.state, 'unmarked')"
	    " FROM objects o LEFT JOIN inventory_findings f ON f.campaign_id = ?1 AND f.object_id = o.id"
	    " WHERE o.id IN (SELECT id FROM expected UNION SELECT id FROM marked)"
	    "  AND (?2 OR ifnull(f.state, 'unmarked') <> 'found') ORDER BY o.id");
	bool bound = st != NULL && db_bind_int64(st, 1, campaign_id) == 0 &&
		     db_bind_int64(st, 2, all) == 0;
	if (db_fill_rows(st, bound, a, sizeof **rows, SIZE_MAX, read_difference, rows, n, NULL) != 0)
		return -1;
	if (reg_fetch(db, "SELECT count(*) FROM inventory_findings WHERE campaign_id = ?", campaign_id,
		      &st) != DB_ROW)
		return -1;
	*checked = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

int inventory_report(db_t *db, arena_t *a, int64_t campaign_id, inventory_difference **rows,
		     size_t *n, int64_t *checked)
{
	return walk(db, a, campaign_id, false, rows, n, checked);
}

int inventory_sheet(db_t *db, arena_t *a, int64_t campaign_id, inventory_difference **rows,
		    size_t *n, int64_t *checked)
{
	return walk(db, a, campaign_id, true, rows, n, checked);
}

#define CAMPAIGN_COLUMNS                                                                      \
	"SELECT id, ifnull(root_location_id, 0),"                                             \
	" (SELECT count(*) FROM inventory_findings f WHERE f.campaign_id = c.id),"            \
	" name, started_on, ifnull(closed_on, ''), note FROM inventory_campaigns c"

static int campaign_row(arena_t *a, db_stmt *st, void *item)
{
	inventory_campaign *c = item;
	c->id = db_col_int64(st, 0);
	c->root_location_id = db_col_int64(st, 1);
	c->marked = db_col_int64(st, 2);
	const char **dst[] = {&c->name, &c->started_on, &c->closed_on, &c->note};
	return db_col_copy_texts(a, st, 3, dst, 4);
}

int inventory_get(db_t *db, arena_t *a, int64_t id, inventory_campaign *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st;
	int rc = reg_fetch(db, CAMPAIGN_COLUMNS " WHERE id = ?", id, &st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	int result = campaign_row(a, st, out);
	db_done(st);
	return result;
}

int inventory_list(db_t *db, arena_t *a, inventory_campaign **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, CAMPAIGN_COLUMNS " ORDER BY id DESC LIMIT 1000");
	return db_fill_rows(st, st != NULL, a, sizeof **items, SIZE_MAX, campaign_row, items, n,
			    NULL);
}
