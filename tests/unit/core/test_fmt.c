/*
 * test_fmt.c - number and date formats, ISO 8601 and integer parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "core/fmt.h"

#define VN (7 * 3600)

static char out[128];

static const char *int_vi(int64_t v)
{
	fmt_int(out, sizeof out, v, LANG_VI);
	return out;
}

static const char *int_en(int64_t v)
{
	fmt_int(out, sizeof out, v, LANG_EN);
	return out;
}

static const char *dec(double v, lang_t lang)
{
	fmt_decimal1(out, sizeof out, v, lang);
	return out;
}

static void test_fmt_int(void **state)
{
	(void)state;
	assert_string_equal(int_vi(697826), "697.826");
	assert_string_equal(int_en(697826), "697,826");
	assert_string_equal(int_vi(0), "0");
	assert_string_equal(int_en(0), "0");
	assert_string_equal(int_vi(7), "7");
	assert_string_equal(int_vi(999), "999");
	assert_string_equal(int_vi(1000), "1.000");
	assert_string_equal(int_vi(4000), "4.000");
	assert_string_equal(int_vi(1234567), "1.234.567");
	assert_string_equal(int_vi(-1), "-1");
	assert_string_equal(int_vi(-999), "-999");
	assert_string_equal(int_vi(-1000), "-1.000");
	assert_string_equal(int_en(-697826), "-697,826");
	assert_string_equal(int_vi(INT64_MAX), "9.223.372.036.854.775.807");
	assert_string_equal(int_vi(INT64_MIN), "-9.223.372.036.854.775.808");
	assert_string_equal(int_en(INT64_MIN), "-9,223,372,036,854,775,808");
	/* A short buffer truncates, always terminated. */
	char small[4];
	fmt_int(small, sizeof small, 697826, LANG_VI);
	assert_string_equal(small, "697");
	small[0] = 'x';
	fmt_int(small, 0, 1, LANG_VI);
	assert_int_equal(small[0], 'x');
}

static void test_fmt_decimal1(void **state)
{
	(void)state;
	assert_string_equal(dec(4.25, LANG_VI), "4,3");
	assert_string_equal(dec(4.25, LANG_EN), "4.3");
	assert_string_equal(dec(4.24, LANG_VI), "4,2");
	assert_string_equal(dec(4.35, LANG_VI), "4,4");
	assert_string_equal(dec(0, LANG_VI), "0,0");
	assert_string_equal(dec(0.05, LANG_VI), "0,1");
	assert_string_equal(dec(0.04, LANG_VI), "0,0");
	assert_string_equal(dec(0.95, LANG_EN), "1.0");
	assert_string_equal(dec(9.96, LANG_VI), "10,0");
	assert_string_equal(dec(-4.25, LANG_VI), "-4,3");
	assert_string_equal(dec(-0.04, LANG_VI), "0,0"); /* no "-0,0" */
	assert_string_equal(dec(117.0, LANG_VI), "117,0");
	assert_string_equal(dec(1234.5, LANG_VI), "1.234,5");
	assert_string_equal(dec(1234.5, LANG_EN), "1,234.5");
	assert_string_equal(dec(697826.04, LANG_VI), "697.826,0");
	assert_string_equal(dec(NAN, LANG_VI), "-");
	assert_string_equal(dec(INFINITY, LANG_VI), "-");
	assert_string_equal(dec(-INFINITY, LANG_EN), "-");
	/* Beyond int64 tenths the point is still the language's. */
	assert_string_equal(dec(1e19, LANG_VI), "10000000000000000000,0");
	assert_string_equal(dec(-1e19, LANG_EN), "-10000000000000000000.0");
}

static void test_fmt_dates(void **state)
{
	(void)state;
	/* 2021-01-17T16:59:59Z is 23:59:59 on the 17th in Vietnam ... */
	fmt_date(out, sizeof out, 1610902799, VN);
	assert_string_equal(out, "17/01/2021");
	fmt_datetime(out, sizeof out, 1610902799, VN);
	assert_string_equal(out, "17/01/2021 23:59");
	/* ... and one second later it is the 18th there, still the 17th in UTC. */
	fmt_date(out, sizeof out, 1610902800, VN);
	assert_string_equal(out, "18/01/2021");
	fmt_date(out, sizeof out, 1610902800, 0);
	assert_string_equal(out, "17/01/2021");
	/* A UTC time just before midnight: 23:59:59Z on the 17th = 18/01 06:59. */
	fmt_date(out, sizeof out, 1610927999, VN);
	assert_string_equal(out, "18/01/2021");
	fmt_datetime(out, sizeof out, 1610927999, VN);
	assert_string_equal(out, "18/01/2021 06:59");
	fmt_date(out, sizeof out, 1610927999, 0);
	assert_string_equal(out, "17/01/2021");

	fmt_datetime(out, sizeof out, 1610933400, VN);
	assert_string_equal(out, "18/01/2021 08:30");
	fmt_iso8601(out, sizeof out, 1610933400, VN);
	assert_string_equal(out, "2021-01-18T08:30:00+07:00");
	fmt_iso8601(out, sizeof out, 1610933400, 0);
	assert_string_equal(out, "2021-01-18T01:30:00+00:00");
	fmt_iso8601(out, sizeof out, 1610933400, -5 * 3600);
	assert_string_equal(out, "2021-01-17T20:30:00-05:00");
	fmt_iso8601(out, sizeof out, 1610933400, 5 * 3600 + 1800);
	assert_string_equal(out, "2021-01-18T07:00:00+05:30");
	fmt_http_date(out, sizeof out, 1610933400);
	assert_string_equal(out, "Mon, 18 Jan 2021 01:30:00 GMT");

	/* Epoch, before it, leap day, far dates. */
	fmt_http_date(out, sizeof out, 0);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 GMT");
	fmt_http_date(out, sizeof out, -1);
	assert_string_equal(out, "Wed, 31 Dec 1969 23:59:59 GMT");
	fmt_date(out, sizeof out, -1, VN);
	assert_string_equal(out, "01/01/1970");
	fmt_http_date(out, sizeof out, 1582934400);
	assert_string_equal(out, "Sat, 29 Feb 2020 00:00:00 GMT");
	fmt_date(out, sizeof out, -2203891200, 0);
	assert_string_equal(out, "01/03/1900");
	fmt_http_date(out, sizeof out, 253402300799);
	assert_string_equal(out, "Fri, 31 Dec 9999 23:59:59 GMT");
	fmt_iso8601(out, sizeof out, -62167219200, 0);
	assert_string_equal(out, "0000-01-01T00:00:00+00:00");
	/* 7 May 1954, 17:30 in Điện Biên Phủ. */
	fmt_datetime(out, sizeof out, -493997400, VN);
	assert_string_equal(out, "07/05/1954 17:30");
	/* Extremes do not crash or overflow (UBSan would say). */
	fmt_iso8601(out, sizeof out, INT64_MAX, VN);
	fmt_iso8601(out, sizeof out, INT64_MIN, -VN);
	fmt_http_date(out, sizeof out, INT64_MIN);

	fmt_utc_offset(out, sizeof out, VN);
	assert_string_equal(out, "+07:00");
	fmt_utc_offset(out, sizeof out, -(3 * 3600 + 1800));
	assert_string_equal(out, "-03:30");
	fmt_utc_offset(out, sizeof out, 0);
	assert_string_equal(out, "+00:00");
}

static void test_dates_every_day(void **state)
{
	(void)state;
	/* Walk 1900..2100 day by day: formatting and parsing agree. */
	int64_t t = -2208988800; /* 1900-01-01T00:00:00Z */
	int year = 1900, month = 1, day = 1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	while (year < 2101) {
		char want[32], iso[32];
		snprintf(want, sizeof want, "%02d/%02d/%04d", day, month, year);
		fmt_date(out, sizeof out, t + 12 * 3600, 0);
		if (strcmp(out, want) != 0)
			fail_msg("%lld: %s, want %s", (long long)t, out, want);
		snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
		int64_t parsed;
		assert_int_equal(parse_iso8601(iso, 0, &parsed), 0);
		assert_int_equal(parsed, t);
		t += 86400;
		int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		int dim = mdays[month - 1] + (month == 2 && leap);
		if (++day > dim) {
			day = 1;
			if (++month > 12) {
				month = 1;
				year++;
			}
		}
	}
}

static void test_parse_iso8601_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int def;
		int64_t t;
	} cases[] = {
		{"2021-01-18", VN, 1610902800},
		{"2021-01-18", 0, 1610928000},
		{"2021-01-18T08:30", VN, 1610933400},
		{"2021-01-18T08:30:00", VN, 1610933400},
		{"2021-01-18T08:30:00+07:00", 0, 1610933400},
		{"2021-01-18T08:30:00+0700", 0, 1610933400},
		{"2021-01-18T08:30:00+07", 0, 1610933400},
		{"2021-01-18T01:30:00Z", VN, 1610933400},
		{"2021-01-18T01:30Z", VN, 1610933400},
		{"2021-01-18T08:30:00-05:00", VN, 1610976600},
		{"2021-01-18T08:30:00-0500", VN, 1610976600},
		{"2021-01-18T01:30:00.123Z", VN, 1610933400},
		{"2021-01-18T01:30:00.999999999Z", VN, 1610933400},
		{"2020-02-29", 0, 1582934400},
		{"2000-02-29", 0, 951782400},
		{"1970-01-01T00:00:00Z", VN, 0},
		{"1969-12-31T23:59:59Z", VN, -1},
		{"1954-05-07T17:30:00+07:00", 0, -493997400},
		{"9999-12-31T23:59:59Z", 0, 253402300799},
		{"0000-01-01T00:00:00Z", 0, -62167219200},
		{"2021-12-31T23:59:59+23:59", 0, 1640995199 - 86340},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = 12345;
		if (parse_iso8601(cases[i].s, cases[i].def, &t) != 0)
			fail_msg("'%s' rejected", cases[i].s);
		if (t != cases[i].t)
			fail_msg("'%s' -> %lld, want %lld", cases[i].s, (long long)t,
				(long long)cases[i].t);
	}
	/* Round trip through fmt_iso8601. */
	int64_t t;
	fmt_iso8601(out, sizeof out, 1610933400, VN);
	assert_int_equal(parse_iso8601(out, 0, &t), 0);
	assert_int_equal(t, 1610933400);
}

static void test_parse_iso8601_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2021", "2021-01", "21-01-18", "2021-1-18", "2021-01-8",
		"2021-02-29", "1900-02-29", "2100-02-29", "2021-04-31", "2021-13-01",
		"2021-00-10", "2021-01-00", "2021-01-32", "2021/01/18", "2021-01-18 08:30",
		"2021-01-18t08:30", "2021-01-18T", "2021-01-18T8:30", "2021-01-18T08",
		"2021-01-18T08:3", "2021-01-18T24:00", "2021-01-18T23:60",
		"2021-01-18T23:59:60", "2021-01-18T08:30:00+24:00", "2021-01-18T08:30:00+07:60",
		"2021-01-18T08:30:00+7", "2021-01-18T08:30:00+07:0", "2021-01-18T08:30:00 +07:00",
		"2021-01-18T08:30:00ZZ", "2021-01-18T08:30:00z", "2021-01-18T08:30:00.",
		"2021-01-18T08:30:00.1234567890Z", "2021-01-18T08:30.5", "2021-01-18Z",
		"2021-01-18+07:00", " 2021-01-18", "2021-01-18 ", "2021-01-18\n", "+2021-01-18",
		"-001-01-18", "20210118", "2021-01-18T08:30:00+07:00x", "２０２１-01-18",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 42;
		if (parse_iso8601(bad[i], 0, &t) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(t, 42);
	}
	int64_t t;
	assert_int_equal(parse_iso8601(NULL, 0, &t), -1);
}

static void test_parse_utc_offset(void **state)
{
	(void)state;
	int s = 1;
	assert_int_equal(parse_utc_offset("+07:00", &s), 0);
	assert_int_equal(s, 25200);
	assert_int_equal(parse_utc_offset("-05:30", &s), 0);
	assert_int_equal(s, -19800);
	assert_int_equal(parse_utc_offset("+0545", &s), 0);
	assert_int_equal(s, 20700);
	assert_int_equal(parse_utc_offset("Z", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(parse_utc_offset("+07", &s), 0);
	assert_int_equal(s, 25200);
	s = 99;
	const char *bad[] = {"", "07:00", "+7:00", "+07:0", "+07:60", "+24:00", "+07:00 ",
		"UTC+7", "+07:00:00", "z"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse_utc_offset(bad[i], &s) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(s, 99);
}

static void test_parse_int64(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(parse_int64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("697826", &v), 0);
	assert_int_equal(v, 697826);
	assert_int_equal(parse_int64("-42", &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(parse_int64("-0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("007", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse_int64("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	v = 5;
	const char *bad[] = {"", "-", "+1", " 1", "1 ", "1a", "0x10", "1.0", "1e3", "--1",
		"9223372036854775808", "-9223372036854775809", "99999999999999999999",
		"18446744073709551616", "1,000", "1.000", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse_int64(bad[i], &v) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(v, 5);
	assert_int_equal(parse_int64(NULL, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_int),
		cmocka_unit_test(test_fmt_decimal1),
		cmocka_unit_test(test_fmt_dates),
		cmocka_unit_test(test_dates_every_day),
		cmocka_unit_test(test_parse_iso8601_valid),
		cmocka_unit_test(test_parse_iso8601_invalid),
		cmocka_unit_test(test_parse_utc_offset),
		cmocka_unit_test(test_parse_int64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
