/*
 * fmt.h - numbers and dates the way readers expect them.
 *
 * Vietnamese: 697.826, 4,3, 18/01/2021, 18/01/2021 08:30.
 * English:    697,826, 4.3, 18/01/2021 (day first on this site too).
 * Times are Unix seconds (UTC); displays use the site's UTC offset
 * (Vietnam: +7 h = 25200 s).
 */
#ifndef SEN_CORE_FMT_H
#define SEN_CORE_FMT_H

#include <stddef.h>
#include <stdint.h>

typedef enum { LANG_VI = 0, LANG_EN = 1 } lang_t;

/* 697826 -> "697.826" (vi) or "697,826" (en). Negative numbers keep '-'. */
void fmt_int(char *out, size_t outlen, int64_t v, lang_t lang);

/* One decimal, rounded half up: 4.25 -> "4,3" (vi) / "4.3" (en).
 * Halves round away from zero (-4.25 -> "-4,3"); the whole part is grouped
 * like fmt_int (1234.5 -> "1.234,5"); NaN and infinities give "-". */
void fmt_decimal1(char *out, size_t outlen, double v, lang_t lang);

/* "18/01/2021" in local time (utc_offset seconds east of UTC). */
void fmt_date(char *out, size_t outlen, int64_t t, int utc_offset);
/* "18/01/2021 08:30" in local time. */
void fmt_datetime(char *out, size_t outlen, int64_t t, int utc_offset);
/* ISO 8601 with the offset: "2021-01-18T08:30:00+07:00". */
void fmt_iso8601(char *out, size_t outlen, int64_t t, int utc_offset);
/* RFC 1123 for HTTP and RSS: "Mon, 18 Jan 2021 01:30:00 GMT". */
void fmt_http_date(char *out, size_t outlen, int64_t t);

/* "+07:00" / "-05:30" / "+00:00" for utc_offset seconds east of UTC. */
void fmt_utc_offset(char *out, size_t outlen, int utc_offset);

/*
 * Parses ISO 8601: "2021-01-18", "2021-01-18T08:30", "2021-01-18T08:30:00",
 * optionally followed by "Z" or "+07:00"/"-0500". A time without an offset
 * is taken in default_offset (seconds east of UTC). Checks ranges (month
 * 1-12, day within the month, leap years). Returns 0 and *t, or -1.
 * Details: the year has four digits (0000-9999); the separator is 'T';
 * seconds may carry a fraction of 1-9 digits ("08:30:00.123Z"), which is
 * dropped; hours are 00-23 (no 24:00, no leap second 60); an offset
 * (Z, +hh, +hh:mm, +hhmm, hh <= 23) is only accepted after a time.
 */
int parse_iso8601(const char *s, int default_offset, int64_t *t);

/* Parses a UTC offset "+07:00", "-0530", "+07" or "Z" into seconds east of
 * UTC (hours 00-23, minutes 00-59). Returns 0 or -1. */
int parse_utc_offset(const char *s, int *seconds);

/* Parses a whole decimal int64 with no sign other than a leading '-',
 * no spaces, no overflow. Returns 0 or -1. */
int parse_int64(const char *s, int64_t *v);

#endif
