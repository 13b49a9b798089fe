/*
 * chart.c - bar and line charts as SVG (see chart.h).
 *
 * Coordinates are computed in double: a value only ever becomes a ratio of
 * the axis top, so int64 values of any size scale without overflow. Every
 * number printed into the SVG is either a coordinate we computed or a count
 * formatted by fmt_int; every caller text goes through buf_append_html.
 */
#include "render/chart.h"

#include <string.h>

#include "core/text.h"

#define DEFAULT_WIDTH 720
#define DEFAULT_HEIGHT 240
#define MARGIN_LEFT 64.0    /* room for "697.826.000" at font size 11 */
#define MARGIN_RIGHT 12.0
#define MARGIN_TOP 12.0
#define MARGIN_BOTTOM 28.0
#define TICKS 4
#define BAR_FILL "#2f6f4f"
#define LINE_STROKE "#2f6f4f"
#define GRID_STROKE "#d9d9d9"
#define TEXT_FILL "#444444"

int64_t chart_axis_top(int64_t max)
{
	/* Steps of 1, 2, 2.5 and 5 times a power of ten, in tenths; 2.5 only
	 * from 25 up, so that every tick stays a whole number. */
	static const int64_t tenths[] = {10, 20, 25, 50};
	if (max <= TICKS)
		return TICKS;
	int64_t raw = max / TICKS + (max % TICKS != 0);
	for (int64_t p = 1;; p *= 10) {
		for (size_t i = 0; i < sizeof tenths / sizeof tenths[0]; i++) {
			if (p == 1 && tenths[i] == 25)
				continue;
			int64_t step = p >= 10 ? tenths[i] * (p / 10) : tenths[i] / 10;
			if (p >= 10 && p / 10 > INT64_MAX / tenths[i])
				return max;
			if (step >= raw)
				return step > INT64_MAX / TICKS ? max : step * TICKS;
		}
		if (p > INT64_MAX / 10)
			return max;
	}
}

/* Caller text, escaped and cut at CHART_TEXT_MAX bytes (on a character
 * boundary). */
static void put_text(buf_t *out, const char *s)
{
	if (s == NULL)
		return;
	size_t len = strlen(s);
	buf_append_html(out, s, utf8_cut(s, len, CHART_TEXT_MAX));
}

static bool class_ok(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 64)
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == ' ' ||
		      *p == '_' || *p == '-'))
			return false;
	return true;
}

/* "<title>LABEL: VALUE UNIT</title>" for one point. */
static void point_title(buf_t *out, const chart_point *pt, int64_t v, const chart_opts *o)
{
	char num[32];
	fmt_int(num, sizeof num, v, o->lang);
	buf_puts(out, "<title>");
	if (pt->label != NULL && pt->label[0] != '\0') {
		put_text(out, pt->label);
		buf_puts(out, ": ");
	}
	buf_puts(out, num);
	if (o->unit != NULL && o->unit[0] != '\0') {
		buf_putc(out, ' ');
		put_text(out, o->unit);
	}
	buf_puts(out, "</title>");
}

int chart_svg(buf_t *out, const chart_point *points, size_t n, const chart_opts *o)
{
	if (out == NULL || o == NULL || o->title == NULL || n > CHART_POINTS_MAX ||
	    (points == NULL && n > 0))
		return -1;
	int width = o->width != 0 ? o->width : DEFAULT_WIDTH;
	int height = o->height != 0 ? o->height : DEFAULT_HEIGHT;
	if (width < 100 || width > 10000 || height < 100 || height > 10000)
		return -1;
	double pw = width - MARGIN_LEFT - MARGIN_RIGHT;
	double ph = height - MARGIN_TOP - MARGIN_BOTTOM;
	double bottom = MARGIN_TOP + ph;

	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (points[i].value > max)
			max = points[i].value;
	int64_t top = chart_axis_top(max);

	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-type-%s",
		   o->kind == CHART_LINE ? "line" : "bar");
	if (class_ok(o->css_class)) {
		buf_putc(out, ' ');
		buf_puts(out, o->css_class);
	}
	buf_printf(out, "\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
			"font-size=\"11\"><title>",
		   width, height);
	put_text(out, o->title);
	buf_puts(out, "</title>");

	/* The grid and the y labels: 0, top/4, ..., top. */
	buf_puts(out, "<g class=\"chart-grid\">");
	for (int i = 0; i <= TICKS; i++) {
		int64_t v = i == TICKS ? top : top / TICKS * i;
		double y = bottom - ph * (double)i / TICKS;
		char num[32];
		fmt_int(num, sizeof num, v, o->lang);
		buf_printf(out,
			   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>",
			   MARGIN_LEFT, y, MARGIN_LEFT + pw, y, GRID_STROKE, MARGIN_LEFT - 6,
			   y + 4, TEXT_FILL, num);
	}
	buf_puts(out, "</g>");
	buf_printf(out, "<line class=\"chart-axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\"/>",
		   MARGIN_LEFT, bottom, MARGIN_LEFT + pw, bottom, TEXT_FILL);

	if (n == 0) {
		buf_printf(out, "<text class=\"chart-empty\" x=\"%.1f\" y=\"%.1f\" "
				"text-anchor=\"middle\" fill=\"%s\">",
			   MARGIN_LEFT + pw / 2, MARGIN_TOP + ph / 2, TEXT_FILL);
		put_text(out, o->empty_text);
		buf_puts(out, "</text></svg>");
		return out->failed ? -1 : 0;
	}

	double slot = pw / (double)n;
	/* The line first, so the points drawn after it stay on top. */
	if (o->kind == CHART_LINE && n > 1) {
		buf_printf(out, "<polyline class=\"chart-line\" fill=\"none\" stroke=\"%s\" "
				"stroke-width=\"2\" points=\"",
			   LINE_STROKE);
		for (size_t i = 0; i < n; i++) {
			int64_t v = points[i].value > 0 ? points[i].value : 0;
			double x = MARGIN_LEFT + slot * ((double)i + 0.5);
			double y = bottom - ph * ((double)v / (double)top);
			buf_printf(out, "%s%.2f,%.2f", i > 0 ? " " : "", x, y);
		}
		buf_puts(out, "\"/>");
	}
	buf_puts(out, "<g class=\"chart-data\">");
	for (size_t i = 0; i < n; i++) {
		const chart_point *pt = &points[i];
		int64_t v = pt->value > 0 ? pt->value : 0;
		double h = ph * ((double)v / (double)top);
		double cx = MARGIN_LEFT + slot * ((double)i + 0.5);
		if (o->kind == CHART_LINE) {
			buf_printf(out, "<circle class=\"chart-point\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" "
					"fill=\"%s\">",
				   cx, bottom - h, slot < 8 ? 1.5 : 3.0, LINE_STROKE);
			point_title(out, pt, v, o);
			buf_puts(out, "</circle>");
		} else {
			double w = slot * 0.8;
			buf_printf(out, "<rect class=\"chart-bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
					"height=\"%.2f\" fill=\"%s\">",
				   cx - w / 2, bottom - h, w, h, BAR_FILL);
			point_title(out, pt, v, o);
			buf_puts(out, "</rect>");
		}
	}
	buf_puts(out, "</g><g class=\"chart-x\">");
	for (size_t i = 0; i < n; i++) {
		if (points[i].axis_label == NULL || points[i].axis_label[0] == '\0')
			continue;
		buf_printf(out, "<text x=\"%.2f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">",
			   MARGIN_LEFT + slot * ((double)i + 0.5), bottom + 18, TEXT_FILL);
		put_text(out, points[i].axis_label);
		buf_puts(out, "</text>");
	}
	buf_puts(out, "</g></svg>");
	return out->failed ? -1 : 0;
}
