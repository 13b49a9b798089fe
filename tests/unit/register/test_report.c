/*
 * test_report.c - the annual report's summary paragraph
 * (src/admin/report_prose.c) from figures made by hand: the agencies'
 * leading zero under ten (vi only), grouped thousands, parts with a zero
 * or missing figure left out (never "00"), percents only where the plan
 * measures a part, rounded half up as plan_percent rounds (135/115 -> 117,
 * 4/3 -> 133, 2/3 -> 67, 1/200 -> 1), one book or several, English words
 * from the English catalog, and nothing at all when every part is zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/report_prose.h"
#include "render/i18n.h"

static arena_t *arena;

static int setup(void **state)
{
	(void)state;
	char dir[4200], err[256];
	snprintf(dir, sizeof dir, "%s/locale", getenv("SEN_SOURCE_ROOT"));
	if (i18n_load(dir, err, sizeof err) != 0) {
		print_error("%s\n", err);
		return -1;
	}
	arena = arena_new(4096);
	return arena != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(arena);
	i18n_free();
	return 0;
}

static report_indicator indicators[3];

/* A year with n indicators: collecting, exhibitions, visitors. */
static report_year year_of(int64_t collected, int64_t collect_target, size_t exhibitions,
			   int64_t exhibition_target)
{
	static exhibition shows[12];
	report_year r = {.year = 2020, .accessioned = collected, .exhibitions = shows,
			 .nexhibitions = exhibitions, .indicators = indicators};
	memset(indicators, 0, sizeof indicators);
	if (collect_target > 0)
		indicators[r.nindicators++] = (report_indicator){
		    .indicator = {.source = "objects_accessioned", .target = collect_target},
		    .actual = collected};
	if (exhibition_target > 0)
		indicators[r.nindicators++] = (report_indicator){
		    .indicator = {.source = "exhibitions_opened", .target = exhibition_target},
		    .actual = (int64_t)exhibitions};
	return r;
}

static void test_seed_sentence(void **state)
{
	(void)state;
	report_year r = year_of(135, 115, 4, 3);
	publication book = {.title = "Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ",
			    .year = 2020};
	r.publications = &book;
	r.npublications = 1;
	assert_string_equal(
	    report_prose_summary(arena, LANG_VI, &r, NULL),
	    "Năm 2020, Bảo tàng đã sưu tầm được 135 tài liệu, hiện vật, đạt 117% kế hoạch năm; "
	    "tổ chức 04 cuộc trưng bày, triển lãm, đạt 133% kế hoạch năm; biên soạn và xuất bản "
	    "cuốn sách “Năm đại đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ”.");
	assert_string_equal(
	    report_prose_summary(arena, LANG_EN, &r, NULL),
	    "In 2020, the Museum collected 135 documents and objects, 117% of the year's plan; "
	    "held 4 exhibitions, 133% of the year's plan; wrote and published the book “Năm đại "
	    "đoàn chủ lực tham gia Chiến dịch Điện Biên Phủ”.");
}

static void test_leading_zero_and_grouping(void **state)
{
	(void)state;
	assert_string_equal(report_prose_count(arena, LANG_VI, 0), "00");
	assert_string_equal(report_prose_count(arena, LANG_VI, 4), "04");
	assert_string_equal(report_prose_count(arena, LANG_VI, 9), "09");
	assert_string_equal(report_prose_count(arena, LANG_VI, 10), "10");
	assert_string_equal(report_prose_count(arena, LANG_VI, 61180), "61.180");
	assert_string_equal(report_prose_count(arena, LANG_VI, 697826), "697.826");
	assert_string_equal(report_prose_count(arena, LANG_EN, 9), "9");
	assert_string_equal(report_prose_count(arena, LANG_EN, 61180), "61,180");
	/* Nine objects collected, no plan for them: "09", and no percent. */
	report_year r = year_of(9, 0, 0, 0);
	assert_string_equal(report_prose_summary(arena, LANG_VI, &r, "Bảo tàng tỉnh"),
			    "Năm 2020, Bảo tàng tỉnh đã sưu tầm được 09 tài liệu, hiện vật.");
}

static void test_zero_or_missing_parts_left_out(void **state)
{
	(void)state;
	/* No objects (a target of 115 but nothing collected): the clause is
	 * left out, never "00 tài liệu". */
	report_year r = year_of(0, 115, 2, 3);
	const char *s = report_prose_summary(arena, LANG_VI, &r, NULL);
	assert_string_equal(s, "Năm 2020, Bảo tàng đã tổ chức 02 cuộc trưng bày, triển lãm, đạt "
			       "67% kế hoạch năm.");
	assert_null(strstr(s, "00"));
	r = year_of(0, 0, 0, 0);
	assert_string_equal(report_prose_summary(arena, LANG_VI, &r, NULL), "");
	r = year_of(0, 115, 0, 3);      /* a plan, but nothing done: nothing to write */
	assert_string_equal(report_prose_summary(arena, LANG_VI, &r, NULL), "");
}

static void test_rounding_half_up(void **state)
{
	(void)state;
	static const struct {
		int64_t actual, target;
		const char *pct;
	} cases[] = {{135, 115, "117%"}, {4, 3, "133%"}, {2, 3, "67%"}, {1, 200, "1%"},
		     {1, 8, "13%"}, {115, 115, "100%"}, {1005, 1000, "101%"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		report_year r = year_of(cases[i].actual, cases[i].target, 0, 0);
		const char *s = report_prose_summary(arena, LANG_VI, &r, NULL);
		char want[64];
		snprintf(want, sizeof want, "đạt %s kế hoạch năm.", cases[i].pct);
		if (strstr(s, want) == NULL)
			fail_msg("%lld/%lld: %s", (long long)cases[i].actual,
				 (long long)cases[i].target, s);
	}
}

static void test_visitors_and_several_books(void **state)
{
	(void)state;
	report_year r = year_of(0, 0, 0, 0);
	indicators[0] = (report_indicator){
	    .indicator = {.source = "exhibition_visitors", .target = 65000}, .actual = 61180};
	r.nindicators = 1;
	publication books[2] = {{.title = "Sách A", .year = 2020}, {.title = "Sách B", .year = 2020}};
	r.publications = books;
	r.npublications = 2;
	assert_string_equal(report_prose_summary(arena, LANG_VI, &r, NULL),
			    "Năm 2020, Bảo tàng đã đón 61.180 lượt khách tham quan trưng bày, đạt "
			    "94% kế hoạch năm; biên soạn và xuất bản 02 ấn phẩm: “Sách A”, “Sách B”.");
}

static void test_fill_leaves_unknown_braces(void **state)
{
	(void)state;
	const char *pairs[] = {"museum", "Bảo tàng {year}", "year", "2020", NULL};
	/* A value holding braces is not filled again. */
	assert_string_equal(report_prose_fill(arena, LANG_VI, "report_draft_title", pairs),
			    "Bảo tàng {year} tổng kết công tác năm 2020");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_sentence),
	    cmocka_unit_test(test_leading_zero_and_grouping),
	    cmocka_unit_test(test_zero_or_missing_parts_left_out),
	    cmocka_unit_test(test_rounding_half_up),
	    cmocka_unit_test(test_visitors_and_several_books),
	    cmocka_unit_test(test_fill_leaves_unknown_braces),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
