/*
 * report_prose.c - the annual report's summary paragraph (see
 * report_prose.h). The model gives figures; every word here comes from
 * the catalog, joined the way an agency's report joins its clauses: one
 * sentence, clauses separated by semicolons.
 */
#include "admin/report_prose.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "render/i18n.h"

const char *report_prose_count(arena_t *a, lang_t lang, int64_t n)
{
	if (lang == LANG_VI && n >= 0 && n < 10)
		return arena_sprintf(a, "%02d", (int)n);
	char out[32];
	fmt_int(out, sizeof out, n, lang);
	return arena_sprintf(a, "%s", out);
}

const char *report_prose_fill(arena_t *a, lang_t lang, const char *key,
			      const char *const *pairs)
{
	const char *text = i18n_text(lang, key);
	if (strchr(text, '{') == NULL)
		return text;
	buf_t out = BUF_INIT;
	for (const char *p = text; *p != '\0';) {
		size_t i = 0;
		for (; pairs[i] != NULL; i += 2) {
			size_t len = strlen(pairs[i]);
			if (p[0] == '{' && strncmp(p + 1, pairs[i], len) == 0 && p[len + 1] == '}')
				break;
		}
		if (pairs[i] == NULL) {
			buf_putc(&out, *p++);
			continue;
		}
		buf_append(&out, pairs[i + 1], strlen(pairs[i + 1]));
		p += strlen(pairs[i]) + 2;
	}
	const char *result = out.failed ? NULL : arena_strndup(a, out.data != NULL ? out.data : "", out.len);
	buf_free(&out);
	return result;
}

/* One clause "verb N things" and, when the plan measures it, ", đạt P% kế
 * hoạch năm"; nothing when n is 0. */
static void clause(buf_t *out, arena_t *a, lang_t lang, const char *key, int64_t n,
		   const report_indicator *x)
{
	if (n <= 0)
		return;
	if (out->len > 0)
		buf_puts(out, i18n_text(lang, "report_sum_sep"));
	const char *count[] = {"n", report_prose_count(a, lang, n), NULL};
	const char *s = report_prose_fill(a, lang, key, count);
	buf_puts(out, s != NULL ? s : "");
	if (x == NULL || x->indicator.target <= 0)
		return;
	char pct[16];
	plan_percent_format(pct, sizeof pct, x->actual, x->indicator.target);
	const char *percent[] = {"pct", pct, NULL};
	s = report_prose_fill(a, lang, "report_sum_percent", percent);
	buf_puts(out, s != NULL ? s : "");
}

/* "biên soạn và xuất bản cuốn sách “A”" or "... 02 ấn phẩm: “A”, “B”". */
static void books(buf_t *out, arena_t *a, lang_t lang, const report_year *r)
{
	if (r->npublications == 0)
		return;
	buf_t titles = BUF_INIT;
	for (size_t i = 0; i < r->npublications; i++) {
		if (i > 0)
			buf_puts(&titles, ", ");
		const char *quoted[] = {"title", r->publications[i].title, NULL};
		const char *s = report_prose_fill(a, lang, "report_sum_title", quoted);
		buf_puts(&titles, s != NULL ? s : "");
	}
	if (out->len > 0)
		buf_puts(out, i18n_text(lang, "report_sum_sep"));
	const char *pairs[] = {"n", report_prose_count(a, lang, (int64_t)r->npublications),
			       "titles", titles.data != NULL ? titles.data : "", NULL};
	const char *s = report_prose_fill(
	    a, lang, r->npublications == 1 ? "report_sum_book" : "report_sum_books", pairs);
	buf_puts(out, s != NULL ? s : "");
	buf_free(&titles);
}

const char *report_prose_summary(arena_t *a, lang_t lang, const report_year *r,
				 const char *subject)
{
	const report_indicator *visitors = report_indicator_of(r, "exhibition_visitors");
	buf_t parts = BUF_INIT;
	clause(&parts, a, lang, "report_sum_collected", r->accessioned,
	       report_indicator_of(r, "objects_accessioned"));
	clause(&parts, a, lang, "report_sum_exhibitions", (int64_t)r->nexhibitions,
	       report_indicator_of(r, "exhibitions_opened"));
	/* Visitors are counted by dated entries: the plan's indicator says
	 * how many; without one the report has no such figure. */
	if (visitors != NULL)
		clause(&parts, a, lang, "report_sum_visitors", visitors->actual, visitors);
	books(&parts, a, lang, r);
	const char *result = "";
	if (parts.failed)
		result = NULL;
	else if (parts.len > 0) {
		char year[16];
		snprintf(year, sizeof year, "%d", r->year);
		const char *pairs[] = {"year", year, "subject",
				       subject != NULL ? subject : i18n_text(lang, "report_sum_subject"),
				       "parts", parts.data, NULL};
		result = report_prose_fill(a, lang, "report_sum", pairs);
	}
	buf_free(&parts);
	return result;
}
