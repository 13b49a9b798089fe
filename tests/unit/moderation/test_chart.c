/*
 * test_chart.c - the SVG chart generator: escaping, scaling, empty data, one
 * point, huge values, Vietnamese and English number formats, refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"
#include "render/chart.h"

/* Occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Renders and returns a malloc'd string (the test frees it). */
static char *render(const chart_point *pts, size_t n, const chart_opts *o)
{
	buf_t b = BUF_INIT;
	assert_int_equal(chart_svg(&b, pts, n, o), 0);
	assert_non_null(b.data);
	size_t len;
	char *s = buf_detach(&b, &len);
	assert_int_equal(strlen(s), len);
	/* Well-formed enough: one root, closed, every element balanced. */
	assert_true(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_true(len > 6 && strcmp(s + len - 6, "</svg>") == 0);
	assert_int_equal(count(s, "<svg"), 1);
	assert_int_equal(count(s, "<title>"), count(s, "</title>"));
	assert_int_equal(count(s, "<rect"), count(s, "</rect>"));
	assert_int_equal(count(s, "<text"), count(s, "</text>"));
	assert_null(strstr(s, "style="));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
	assert_true(utf8_valid(s, len));
	return s;
}

static void axis_tops_are_round(void **state)
{
	(void)state;
	assert_int_equal(chart_axis_top(-5), 4);
	assert_int_equal(chart_axis_top(0), 4);
	assert_int_equal(chart_axis_top(4), 4);
	assert_int_equal(chart_axis_top(5), 8);
	assert_int_equal(chart_axis_top(9), 20);
	assert_int_equal(chart_axis_top(40), 40);
	assert_int_equal(chart_axis_top(100), 100);
	assert_int_equal(chart_axis_top(101), 200);
	assert_int_equal(chart_axis_top(697826), 800000);
	assert_int_equal(chart_axis_top(INT64_C(4000000000000000000)), INT64_C(4000000000000000000));
	/* Beyond the last round top that fits: the maximum itself. */
	assert_int_equal(chart_axis_top(INT64_MAX), INT64_MAX);
	assert_int_equal(chart_axis_top(INT64_MAX - 1), INT64_MAX - 1);
}

static void escapes_every_caller_text(void **state)
{
	(void)state;
	chart_point pts[] = {
		{"<b>18/01</b> & \"x\"", "<i>'a'</i>", 3},
		{"</title><script>alert(1)</script>", NULL, 1},
	};
	chart_opts o = {.title = "Tiêu đề <svg onload=alert(1)>",
			.unit = "lượt \"truy\" cập & <br>",
			.css_class = "\" onload=\"alert(1)",
			.lang = LANG_VI};
	char *s = render(pts, 2, &o);
	assert_non_null(strstr(s, "<title>Tiêu đề &lt;svg onload=alert(1)&gt;</title>"));
	assert_non_null(strstr(s, "&lt;b&gt;18/01&lt;/b&gt; &amp; &quot;x&quot;: 3 lượt &quot;truy&quot; "
				  "cập &amp; &lt;br&gt;</title>"));
	assert_non_null(strstr(s, ">&lt;i&gt;&#39;a&#39;&lt;/i&gt;</text>"));
	assert_non_null(strstr(s, "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;: 1"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<svg onload"));
	assert_null(strstr(s, "onload=\""));      /* the bad class was dropped */
	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 2);
	free(s);
	/* A harmless class is kept. */
	o.css_class = "chart-month";
	s = render(pts, 2, &o);
	assert_non_null(strstr(s, "class=\"chart chart-type-bar chart-month\""));
	free(s);
}

static void bars_scale_to_the_axis(void **state)
{
	(void)state;
	/* Default size 720 x 240: the plot is 200 units high, bottom at y=212. */
	chart_point pts[] = {{"a", NULL, 0}, {"b", NULL, 50}, {"c", NULL, 100}, {"d", NULL, -7}};
	chart_opts o = {.title = "t", .lang = LANG_VI};
	char *s = render(pts, 4, &o);
	assert_non_null(strstr(s, "viewBox=\"0 0 720 240\""));
	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 4);
	assert_non_null(strstr(s, "y=\"212.00\" width=\"128.80\" height=\"0.00\""));
	assert_non_null(strstr(s, "y=\"112.00\" width=\"128.80\" height=\"100.00\""));
	assert_non_null(strstr(s, "y=\"12.00\" width=\"128.80\" height=\"200.00\""));
	/* A negative count is drawn (and told) as 0. */
	assert_non_null(strstr(s, "<title>d: 0</title>"));
	/* y labels: 0, 25, 50, 75, 100 */
	assert_non_null(strstr(s, ">25</text>"));
	assert_non_null(strstr(s, ">100</text>"));
	/* Bars stay inside the plot: the first starts after the left margin. */
	assert_non_null(strstr(s, "x=\"80.10\""));
	free(s);
}

static void empty_data_draws_axes_and_a_message(void **state)
{
	(void)state;
	chart_opts o = {.title = "Lượt truy cập", .empty_text = "Chưa có <số liệu>", .lang = LANG_VI};
	char *s = render(NULL, 0, &o);
	assert_int_equal(count(s, "<rect"), 0);
	assert_non_null(strstr(s, "class=\"chart-empty\""));
	assert_non_null(strstr(s, "Chưa có &lt;số liệu&gt;"));
	assert_non_null(strstr(s, ">4</text>"));   /* the smallest axis */
	free(s);
	o.empty_text = NULL;
	s = render(NULL, 0, &o);
	assert_non_null(strstr(s, "class=\"chart-empty\""));
	free(s);
}

static void one_point(void **state)
{
	(void)state;
	chart_point pt = {"18/01/2021", "18/01", 7};
	chart_opts o = {.title = "t", .unit = "lượt", .lang = LANG_VI};
	char *s = render(&pt, 1, &o);
	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 1);
	assert_non_null(strstr(s, "<title>18/01/2021: 7 lượt</title>"));
	assert_non_null(strstr(s, ">18/01</text>"));
	free(s);
	/* A line of one point is a dot, not a polyline. */
	o.kind = CHART_LINE;
	s = render(&pt, 1, &o);
	assert_int_equal(count(s, "<circle class=\"chart-point\""), 1);
	assert_null(strstr(s, "<polyline"));
	assert_non_null(strstr(s, "class=\"chart chart-type-line\""));
	free(s);
	chart_point two[] = {{"a", NULL, 1}, {"b", NULL, 2}};
	s = render(two, 2, &o);
	assert_int_equal(count(s, "<polyline"), 1);
	assert_int_equal(count(s, "<circle"), 2);
	free(s);
}

static void huge_values(void **state)
{
	(void)state;
	chart_point pts[] = {{"max", NULL, INT64_MAX}, {"half", NULL, INT64_MAX / 2}, {"0", NULL, 0}};
	chart_opts o = {.title = "t", .lang = LANG_VI};
	char *s = render(pts, 3, &o);
	assert_non_null(strstr(s, "<title>max: 9.223.372.036.854.775.807</title>"));
	assert_non_null(strstr(s, ">9.223.372.036.854.775.807</text>"));   /* the axis top */
	assert_non_null(strstr(s, "height=\"200.00\""));                    /* full, not more */
	assert_non_null(strstr(s, "height=\"100.00\""));
	assert_null(strstr(s, "height=\"-"));
	assert_null(strstr(s, "y=\"-"));
	free(s);
}

static void numbers_in_the_reader_language(void **state)
{
	(void)state;
	chart_point pt = {"Thống kê", NULL, 697826};
	chart_opts o = {.title = "t", .unit = "lượt truy cập", .lang = LANG_VI};
	char *s = render(&pt, 1, &o);
	assert_non_null(strstr(s, "<title>Thống kê: 697.826 lượt truy cập</title>"));
	assert_non_null(strstr(s, ">800.000</text>"));
	assert_non_null(strstr(s, ">200.000</text>"));
	free(s);
	o.lang = LANG_EN;
	o.unit = "visits";
	s = render(&pt, 1, &o);
	assert_non_null(strstr(s, "<title>Thống kê: 697,826 visits</title>"));
	assert_non_null(strstr(s, ">800,000</text>"));
	free(s);
}

static void long_text_is_cut_on_a_character(void **state)
{
	(void)state;
	char title[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(title, "ệ"); /* 3 bytes each: 300 bytes */
	chart_opts o = {.title = title, .lang = LANG_VI};
	chart_point pt = {"x", NULL, 1};
	char *s = render(&pt, 1, &o);
	const char *t = strstr(s, "<title>") + 7;
	size_t len = (size_t)(strstr(t, "</title>") - t);
	assert_int_equal(len, 198); /* 66 whole characters fit in 200 bytes */
	free(s);
}

static void refusals(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	chart_point pt = {"x", NULL, 1};
	chart_opts o = {.title = "t"};
	assert_int_equal(chart_svg(&b, &pt, 1, NULL), -1);
	chart_opts untitled = {.title = NULL};
	assert_int_equal(chart_svg(&b, &pt, 1, &untitled), -1);
	assert_int_equal(chart_svg(&b, NULL, 3, &o), -1);
	assert_int_equal(chart_svg(&b, &pt, CHART_POINTS_MAX + 1, &o), -1);
	chart_opts small = {.title = "t", .width = 50, .height = 240};
	assert_int_equal(chart_svg(&b, &pt, 1, &small), -1);
	chart_opts tall = {.title = "t", .width = 720, .height = 20000};
	assert_int_equal(chart_svg(&b, &pt, 1, &tall), -1);
	assert_int_equal(b.len, 0);
	/* A capped buffer that cannot take the chart reports it. */
	b.cap = 64;
	assert_int_equal(chart_svg(&b, &pt, 1, &o), -1);
	buf_free(&b);
}

static void many_points(void **state)
{
	(void)state;
	chart_point *pts = calloc(365, sizeof(*pts));
	assert_non_null(pts);
	for (int i = 0; i < 365; i++) {
		pts[i].label = "d";
		pts[i].value = i % 7 == 0 ? 1000 + i : 0;
		pts[i].axis_label = i % 30 == 0 ? "01/2026" : NULL;
	}
	chart_opts o = {.title = "365", .lang = LANG_VI};
	char *s = render(pts, 365, &o);
	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 365);
	assert_int_equal(count(s, ">01/2026</text>"), 13);
	free(s);
	free(pts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(axis_tops_are_round),
		cmocka_unit_test(escapes_every_caller_text),
		cmocka_unit_test(bars_scale_to_the_axis),
		cmocka_unit_test(empty_data_draws_axes_and_a_message),
		cmocka_unit_test(one_point),
		cmocka_unit_test(huge_values),
		cmocka_unit_test(numbers_in_the_reader_language),
		cmocka_unit_test(long_text_is_cut_on_a_character),
		cmocka_unit_test(refusals),
		cmocka_unit_test(many_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
