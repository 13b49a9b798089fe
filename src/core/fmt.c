/*
 * fmt.c - numbers and dates for display, ISO 8601 and integer parsing.
 *
 * Dates are computed arithmetically from Unix seconds (proleptic Gregorian
 * calendar, Howard Hinnant's days/civil algorithms) instead of through
 * localtime() or strftime(): the result must not depend on the process's
 * TZ or locale, and must be the same in every thread.
 */
#include "core/fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY 86400

/* ------------------------------------------------------------------ */
/* Numbers                                                            */
/* ------------------------------------------------------------------ */

static void copy_out(char *out, size_t outlen, const char *s)
{
	if (outlen == 0)
		return;
	snprintf(out, outlen, "%s", s);
}

/* Writes magnitude u with a separator every three digits; returns length. */
static size_t group_digits(char *dst, uint64_t u, char sep)
{
	char rev[32];
	size_t n = 0, digits = 0;
	do {
		if (digits > 0 && digits % 3 == 0)
			rev[n++] = sep;
		rev[n++] = (char)('0' + u % 10);
		u /= 10;
		digits++;
	} while (u != 0);
	for (size_t i = 0; i < n; i++)
		dst[i] = rev[n - 1 - i];
	dst[n] = '\0';
	return n;
}

static uint64_t magnitude(int64_t v)
{
	/* -INT64_MIN does not fit in int64_t; in uint64_t it does. */
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void fmt_int(char *out, size_t outlen, int64_t v, lang_t lang)
{
	char tmp[40];
	size_t n = 0;
	if (v < 0)
		tmp[n++] = '-';
	group_digits(tmp + n, magnitude(v), lang == LANG_VI ? '.' : ',');
	copy_out(out, outlen, tmp);
}

void fmt_decimal1(char *out, size_t outlen, double v, lang_t lang)
{
	char tmp[64];
	char point = lang == LANG_VI ? ',' : '.';
	char sep = lang == LANG_VI ? '.' : ',';
	if (!isfinite(v)) {
		copy_out(out, outlen, "-");
		return;
	}
	double scaled = fabs(v) * 10.0 + 0.5;
	if (scaled >= 9.0e18) {
		/* Beyond int64 tenths: no grouping, but still the right point. */
		snprintf(tmp, sizeof tmp, "%.1f", v);
		char *dot = strchr(tmp, '.');
		if (dot != NULL)
			*dot = point;
		copy_out(out, outlen, tmp);
		return;
	}
	uint64_t tenths = (uint64_t)scaled; /* truncation = floor, scaled > 0 */
	size_t n = 0;
	if (v < 0 && tenths != 0)
		tmp[n++] = '-';
	n += group_digits(tmp + n, tenths / 10, sep);
	tmp[n++] = point;
	tmp[n++] = (char)('0' + tenths % 10);
	tmp[n] = '\0';
	copy_out(out, outlen, tmp);
}

/* ------------------------------------------------------------------ */
/* Calendar                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
	int64_t year;
	int month, day, hour, minute, second, weekday; /* weekday 0 = Sunday */
} civil_t;

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, civil_t *c)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = yoe + era * 400 + (c->month <= 2);
}

/* Splits Unix time t, shifted by utc_offset seconds, into a civil date. */
static void to_civil(int64_t t, int utc_offset, civil_t *c)
{
	/* Day and second-of-day first, so adding the offset cannot overflow
	 * (nor can days * 86400 near INT64_MIN: the remainder comes from %). */
	int64_t days = t / SECONDS_PER_DAY;
	int64_t sod = t % SECONDS_PER_DAY;
	if (sod < 0) {
		sod += SECONDS_PER_DAY;
		days--;
	}
	sod += utc_offset;
	days += floor_div(sod, SECONDS_PER_DAY);
	sod -= floor_div(sod, SECONDS_PER_DAY) * SECONDS_PER_DAY;
	civil_from_days(days, c);
	c->hour = (int)(sod / 3600);
	c->minute = (int)(sod / 60 % 60);
	c->second = (int)(sod % 60);
	/* 1970-01-01 was a Thursday (4). */
	c->weekday = (int)(days - floor_div(days + 4, 7) * 7 + 4);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

void fmt_date(char *out, size_t outlen, int64_t t, int utc_offset)
{
	civil_t c;
	to_civil(t, utc_offset, &c);
	if (outlen > 0)
		snprintf(out, outlen, "%02d/%02d/%04lld", c.day, c.month, (long long)c.year);
}

void fmt_datetime(char *out, size_t outlen, int64_t t, int utc_offset)
{
	civil_t c;
	to_civil(t, utc_offset, &c);
	if (outlen > 0)
		snprintf(out, outlen, "%02d/%02d/%04lld %02d:%02d", c.day, c.month,
			(long long)c.year, c.hour, c.minute);
}

void fmt_utc_offset(char *out, size_t outlen, int utc_offset)
{
	long long a = utc_offset < 0 ? -(long long)utc_offset : utc_offset;
	if (outlen > 0)
		snprintf(out, outlen, "%c%02lld:%02lld", utc_offset < 0 ? '-' : '+', a / 3600,
			a / 60 % 60);
}

void fmt_iso8601(char *out, size_t outlen, int64_t t, int utc_offset)
{
	civil_t c;
	char off[16];
	to_civil(t, utc_offset, &c);
	fmt_utc_offset(off, sizeof off, utc_offset);
	if (outlen > 0)
		snprintf(out, outlen, "%04lld-%02d-%02dT%02d:%02d:%02d%s", (long long)c.year,
			c.month, c.day, c.hour, c.minute, c.second, off);
}

void fmt_http_date(char *out, size_t outlen, int64_t t)
{
	static const char wd[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	civil_t c;
	to_civil(t, 0, &c);
	if (outlen > 0)
		snprintf(out, outlen, "%s, %02d %s %04lld %02d:%02d:%02d GMT", wd[c.weekday],
			c.day, mon[c.month - 1], (long long)c.year, c.hour, c.minute, c.second);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                            */
/* ------------------------------------------------------------------ */

/* Reads exactly n digits at *p; -1 if any is missing. */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

/* Parses an offset at *p (Z, +hh, +hh:mm, +hhmm), advancing *p. */
static int offset_at(const char **p, int *seconds)
{
	const char *s = *p;
	if (*s == 'Z') {
		*seconds = 0;
		*p = s + 1;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	int sign = *s == '-' ? -1 : 1;
	s++;
	int h = digits(&s, 2), m = 0;
	if (h < 0 || h > 23)
		return -1;
	if (*s == ':') {
		s++;
		if ((m = digits(&s, 2)) < 0)
			return -1;
	} else if (*s >= '0' && *s <= '9') {
		if ((m = digits(&s, 2)) < 0)
			return -1;
	}
	if (m > 59)
		return -1;
	*seconds = sign * (h * 3600 + m * 60);
	*p = s;
	return 0;
}

int parse_utc_offset(const char *s, int *seconds)
{
	int v;
	if (s == NULL || offset_at(&s, &v) != 0 || *s != '\0')
		return -1;
	*seconds = v;
	return 0;
}

int parse_iso8601(const char *s, int default_offset, int64_t *t)
{
	if (s == NULL)
		return -1;
	const char *p = s;
	int year = digits(&p, 4);
	if (year < 0 || *p++ != '-')
		return -1;
	int month = digits(&p, 2);
	if (month < 1 || month > 12 || *p++ != '-')
		return -1;
	int day = digits(&p, 2);
	if (day < 1 || day > days_in_month(year, month))
		return -1;
	int hour = 0, minute = 0, second = 0, offset = default_offset;
	if (*p == 'T') {
		p++;
		hour = digits(&p, 2);
		if (hour < 0 || hour > 23 || *p++ != ':')
			return -1;
		minute = digits(&p, 2);
		if (minute < 0 || minute > 59)
			return -1;
		if (*p == ':') {
			p++;
			second = digits(&p, 2);
			if (second < 0 || second > 59)
				return -1;
			if (*p == '.') {
				p++;
				int n = 0;
				while (*p >= '0' && *p <= '9' && n < 10) {
					p++;
					n++;
				}
				if (n == 0 || n > 9)
					return -1;
			}
		}
		if (*p != '\0' && offset_at(&p, &offset) != 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	*t = days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 +
		second - offset;
	return 0;
}

int parse_int64(const char *s, int64_t *v)
{
	if (s == NULL)
		return -1;
	bool neg = *s == '-';
	if (neg)
		s++;
	if (*s == '\0')
		return -1;
	/* Up to 2^63 for a negative number, 2^63 - 1 otherwise. */
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t u = 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (u > (limit - d) / 10)
			return -1;
		u = u * 10 + d;
	}
	if (neg)
		*v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	else
		*v = (int64_t)u;
	return 0;
}
