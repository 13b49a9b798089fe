/*
 * report.c - the annual report's figures and its drafts (see report.h).
 * Every count comes from the function that owns its rule (plan.c for the
 * indicators and the quarters, acquisition.c for the modes, the lists of
 * exhibition.c and publication.c), so the report and the dashboard never
 * disagree.
 */
#include "model/report.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "model/acquisition.h"
#include "model/revision.h"

static int load_plan(db_t *db, arena_t *a, report_year *out)
{
	int64_t plan_id;
	int rc = plan_find(db, out->year, &plan_id);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	plan p;
	plan_indicator *xs = NULL;
	size_t n = 0;
	if (plan_get(db, a, plan_id, &p) != 0 || plan_indicator_list(db, a, plan_id, &xs, &n) != 0)
		return -1;
	out->plan_id = plan_id;
	out->plan_title = p.title;
	out->indicators = arena_alloc(a, (n + 1) * sizeof *out->indicators);
	if (out->indicators == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		report_indicator *r = &out->indicators[i];
		r->indicator = xs[i];
		if (plan_indicator_actual(db, xs[i].id, PLAN_YEAR, &r->actual) != 0)
			return -1;
		r->percent = plan_percent(r->actual, xs[i].target);
		r->over = plan_percent_over(r->actual, xs[i].target);
	}
	out->nindicators = n;
	return 0;
}

/* The exhibitions whose opening day is in the year, oldest first. */
static int load_exhibitions(db_t *db, arena_t *a, report_year *out)
{
	exhibition *all = NULL;
	size_t n = 0;
	if (exhibition_list(db, a, EXHIBITION_ALL, false, &all, &n) != 0)
		return -1;
	out->exhibitions = arena_alloc(a, (n + 1) * sizeof *out->exhibitions);
	if (out->exhibitions == NULL)
		return -1;
	char year[8];
	snprintf(year, sizeof year, "%04d-", out->year);
	/* The list is newest opening first: walk it backwards. */
	for (size_t i = n; i-- > 0;)
		if (strncmp(all[i].opens_on, year, 5) == 0)
			out->exhibitions[out->nexhibitions++] = all[i];
	return 0;
}

static int load_publications(db_t *db, arena_t *a, report_year *out)
{
	publication *all = NULL;
	size_t n = 0;
	if (publication_list(db, a, false, &all, &n) != 0)
		return -1;
	out->publications = arena_alloc(a, (n + 1) * sizeof *out->publications);
	if (out->publications == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (all[i].year == out->year)
			out->publications[out->npublications++] = all[i];
	return 0;
}

int report_load(db_t *db, arena_t *a, int year, report_year *out)
{
	memset(out, 0, sizeof *out);
	if (year < PLAN_YEAR_MIN || year > PLAN_YEAR_MAX)
		return 1;
	out->year = year;
	out->plan_title = "";
	while (acquisition_modes[out->nmodes] != NULL && out->nmodes < REPORT_MODES_MAX)
		out->nmodes++;
	if (load_plan(db, a, out) != 0 || acquisition_count_by_mode(db, year, out->by_mode) != 0 ||
	    load_exhibitions(db, a, out) != 0 || load_publications(db, a, out) != 0)
		return -1;
	for (size_t i = 0; i < out->nmodes; i++)
		out->accessioned += out->by_mode[i];
	for (int q = 0; q < 4; q++)
		if (plan_source_actual(db, "objects_accessioned", 0, year, PLAN_Q1 + q,
				       &out->accessioned_quarters[q]) != 0 ||
		    plan_source_actual(db, "exhibitions_opened", 0, year, PLAN_Q1 + q,
				       &out->exhibition_quarters[q]) != 0)
			return -1;
	return 0;
}

const report_indicator *report_indicator_of(const report_year *r, const char *source)
{
	for (size_t i = 0; i < r->nindicators; i++)
		if (strcmp(r->indicators[i].indicator.source, source) == 0)
			return &r->indicators[i];
	return NULL;
}

/* ---- drafts ------------------------------------------------------------------- */

int report_draft_find(db_t *db, int year, int64_t *article_id)
{
	*article_id = 0;
	db_stmt *st = db_prepare(db, "SELECT article_id FROM report_drafts WHERE year = ?"
				     " ORDER BY id DESC LIMIT 1");
	int rc = st != NULL && db_bind_int64(st, 1, year) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*article_id = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int report_draft_create(db_t *db, arena_t *a, int year, const article_input *in,
			int64_t user_id, const char *user_name, int64_t now,
			int64_t *article_id)
{
	int nested = 0;
	*article_id = 0;
	if (year < PLAN_YEAR_MIN || year > PLAN_YEAR_MAX || db_write_begin(db, &nested) != 0)
		return -1;
	int64_t id = 0;
	int ok = revision_save(db, a, &id, in, user_id, user_name, now, NULL) == 0;
	db_stmt *st = ok ? db_prepare(db, "INSERT INTO report_drafts (year, article_id, created_by,"
					  " created_at) VALUES (?, ?, nullif(?, 0), ?)")
			 : NULL;
	ok = st != NULL && db_bind_int64(st, 1, year) == 0 && db_bind_int64(st, 2, id) == 0 &&
	     db_bind_int64(st, 3, user_id) == 0 && db_bind_int64(st, 4, now) == 0 &&
	     db_step(st) == DB_DONE;
	if (st != NULL)
		db_done(st);
	if (db_write_end(db, nested, ok) != 0) {
		log_error("report: the draft of %d was not saved", year);
		return -1;
	}
	*article_id = id;
	return 0;
}
