/*
 * chart.h - small bar and line charts drawn on the server as SVG.
 *
 * The statistics page shows its charts without any script: chart_svg()
 * writes one self-contained <svg> element (no external references, no
 * style= attributes, colours as presentation attributes and classes so a
 * style sheet may restyle them) with
 *   - role="img" and a <title> (opts->title) naming the chart;
 *   - a y axis from 0 to a round maximum (four steps of 1, 2, 2.5 or 5
 *     times a power of ten), its labels formatted like fmt_int (697.826 in
 *     Vietnamese, 697,826 in English);
 *   - one bar (CHART_BAR) or one point of a line (CHART_LINE) per value,
 *     each with a <title> "LABEL: VALUE UNIT" giving the exact number
 *     (browsers show it on hover, screen readers read it);
 *   - the x labels of the points that have an axis_label.
 * Every text that comes from the caller is HTML-escaped. Values below 0 are
 * drawn as 0; any int64 value scales without overflow. With no points the
 * axes are drawn with opts->empty_text in the middle.
 *
 * A chart is not the only way to the numbers: pages put the same data in a
 * table next to it (see docs/MODERATION.md).
 *
 * Memory: chart_svg() appends to the caller's buf_t (the caller frees it);
 * nothing else is allocated.
 */
#ifndef SEN_RENDER_CHART_H
#define SEN_RENDER_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/fmt.h"

#define CHART_POINTS_MAX 5000   /* points one chart takes at most */
#define CHART_TEXT_MAX 200      /* bytes of a label, title or unit; longer is cut */

enum chart_kind { CHART_BAR = 0, CHART_LINE = 1 };

typedef struct {
	const char *label;        /* full label for the point's <title>, e.g. "18/01/2021" */
	const char *axis_label;   /* short text under the axis ("18/01"), NULL = none */
	int64_t value;
} chart_point;

typedef struct {
	enum chart_kind kind;
	const char *title;        /* accessible name of the chart (required) */
	const char *unit;         /* after each value in a <title>, e.g. "lượt truy cập"; may be NULL */
	const char *empty_text;   /* shown when there are no points; may be NULL */
	const char *css_class;    /* extra class on <svg>, NULL = none; [a-z0-9 _-] only */
	lang_t lang;              /* number format */
	int width, height;        /* viewBox in user units; 0 = 720 x 240 */
} chart_opts;

/*
 * Appends the SVG of the chart to out. Returns 0, or -1 (out may hold part
 * of the chart then; discard it) when out of memory, opts or title is NULL,
 * n > CHART_POINTS_MAX, points is NULL with n > 0, or width/height is
 * outside 100..10000.
 */
int chart_svg(buf_t *out, const chart_point *points, size_t n, const chart_opts *opts);

/*
 * The round top of the y axis for a largest value max: the smallest
 * 4 * step >= max where step is 1, 2 or 5 times 10^k, or 2.5 times 10^k
 * for k >= 1; at least 4; when that would overflow, max itself. Exposed
 * for tests.
 */
int64_t chart_axis_top(int64_t max);

#endif
