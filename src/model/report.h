/*
 * report.h - the figures of the annual report ("báo cáo tổng kết năm",
 * issue 14) for one year, read live from the records at every call:
 *   - every indicator of the year's museum-wide plan with its actual and
 *     percent of plan (plan.h: the same numbers as the plans dashboard);
 *   - the objects accessioned in the year, by acquisition mode and by
 *     quarter (acquisition.h's rule: the council's returned ones excepted);
 *   - the exhibitions opened in the year (oldest opening first) and the
 *     count by quarter;
 *   - the publications of the year.
 * Figures only, never prose: the back office writes the summary from its
 * catalog (admin/report_prose.c).
 *
 * And the drafts "Tạo bài viết nháp" made (sql/021_report_drafts.sql), so
 * a second run for a year can say one exists.
 *
 * Strings and arrays returned live in the caller's arena. -1: storage
 * error (logged).
 */
#ifndef SEN_MODEL_REPORT_H
#define SEN_MODEL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"
#include "model/exhibition.h"
#include "model/plan.h"
#include "model/publication.h"

typedef struct {
	plan_indicator indicator;
	int64_t actual;          /* over the year */
	int64_t percent;         /* plan_percent(actual, target) */
	bool over;               /* "vượt kế hoạch" */
} report_indicator;

#define REPORT_MODES_MAX 16

typedef struct {
	int year;
	int64_t plan_id;              /* 0: the year has no museum-wide plan */
	const char *plan_title;       /* "" without a plan */
	report_indicator *indicators;
	size_t nindicators;
	/* Objects accessioned: in all, by acquisition_modes[i], by quarter. */
	int64_t accessioned;
	int64_t by_mode[REPORT_MODES_MAX];
	size_t nmodes;
	int64_t accessioned_quarters[4];
	/* Exhibitions opened in the year, oldest opening first. */
	exhibition *exhibitions;
	size_t nexhibitions;
	int64_t exhibition_quarters[4];
	/* Publications of the year. */
	publication *publications;
	size_t npublications;
} report_year;

/* The figures of year (PLAN_YEAR_MIN .. PLAN_YEAR_MAX): 0, 1 when the year
 * is out of range, -1. */
int report_load(db_t *db, arena_t *a, int year, report_year *out);

/* The first indicator of r whose actual comes from source (plan_sources),
 * NULL when the plan has none. */
const report_indicator *report_indicator_of(const report_year *r, const char *source);

/* The newest draft the report made for year whose article still exists:
 * 0 with *article_id, 1 none, -1. */
int report_draft_find(db_t *db, int year, int64_t *article_id);

/* Creates the article in (a draft of the editorial workflow, its first
 * version saved as revision_save does) and records it as year's report
 * draft, in one unit of writing: 0 with *article_id, or -1 (nothing
 * written). user_id 0: the command line. */
int report_draft_create(db_t *db, arena_t *a, int year, const article_input *in,
			int64_t user_id, const char *user_name, int64_t now,
			int64_t *article_id);

#endif
