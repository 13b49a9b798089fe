/*
 * report_prose.h - the annual report's summary paragraph, written from its
 * figures (model/report.h) in the register's Vietnamese administrative
 * prose, every word from the catalog (locale/report/), so English reads
 * English:
 *   "Năm 2020, Bảo tàng đã sưu tầm được 135 tài liệu, hiện vật, đạt 117%
 *    kế hoạch năm; tổ chức 04 cuộc trưng bày, triển lãm, đạt 133% kế
 *    hoạch năm; ...; biên soạn và xuất bản cuốn sách “…”."
 * Rules: in Vietnamese a count under ten takes a leading zero as agencies
 * write it ("04 cuộc", "09 cá nhân"), larger ones are grouped (61.180); a
 * part whose figure is zero or missing is left out (never "00"); a
 * percent is added only when the plan has an indicator for that part,
 * rounded as plan_percent() rounds (half up: 135/115 -> 117%). Nothing to
 * say gives "".
 *
 * The catalogs must be loaded (i18n_load). Results live in the arena.
 */
#ifndef SEN_ADMIN_REPORT_PROSE_H
#define SEN_ADMIN_REPORT_PROSE_H

#include "core/arena.h"
#include "core/fmt.h"
#include "model/report.h"

/* A count as the prose writes it: "04" (Vietnamese, under ten), "135",
 * "61.180"; in English no leading zero. */
const char *report_prose_count(arena_t *a, lang_t lang, int64_t n);

/* The summary of r; subject names the museum ("Bảo tàng"; NULL: the
 * catalog's word). "" when every part is zero. NULL when out of memory. */
const char *report_prose_summary(arena_t *a, lang_t lang, const report_year *r,
				 const char *subject);

/* The catalog text of key with {name} replaced by values (pairs name,
 * value, ..., NULL); the text itself when nothing is to fill. */
const char *report_prose_fill(arena_t *a, lang_t lang, const char *key,
			      const char *const *pairs);

#endif
