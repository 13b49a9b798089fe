/*
 * reg_check.c - problem codes and shared field checks of the register
 * (see reg_check.h).
 */
#include "model/reg_check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/text.h"

int reg_refuse(model_problem *f, enum reg_problem code, const char *field)
{
	return model_answer(f, (int)code, field, 0);
}

const char *reg_problem_key(enum reg_problem code)
{
	static const char *const keys[] = {
	    [REG_OK] = "reg_ok",
	    [REG_NOT_FOUND] = "reg_not_found",
	    [REG_REQUIRED] = "reg_required",
	    [REG_TOO_LONG] = "reg_too_long",
	    [REG_BAD_TEXT] = "reg_bad_text",
	    [REG_BAD_CHOICE] = "reg_bad_choice",
	    [REG_BAD_DATE] = "reg_bad_date",
	    [REG_BAD_NUMBER] = "reg_bad_number",
	    [REG_OUT_OF_RANGE] = "reg_out_of_range",
	    [REG_DUPLICATE] = "reg_duplicate",
	    [REG_WRONG_STATE] = "reg_wrong_state",
	    [REG_BAD_PATTERN] = "reg_bad_pattern",
	    [REG_IN_FUTURE] = "reg_in_future",
	    [REG_UNKNOWN_COLUMN] = "reg_unknown_column",
	    [REG_MISSING_COLUMN] = "reg_missing_column",
	    [REG_NOT_PICTURE] = "reg_not_picture",
	};
	if ((int)code < 0 || (size_t)code >= sizeof keys / sizeof keys[0])
		return "reg_invalid";
	return keys[code];
}

/* Inputs longer than this are refused without reading on. */
#define SCAN_MAX (1u << 20)

int reg_check_text(model_problem *f, const char *field, const char *s, size_t max, bool required,
		   bool multiline)
{
	if (s == NULL)
		s = "";
	size_t len = strnlen(s, SCAN_MAX + 1);
	if (len > max)
		return reg_refuse(f, REG_TOO_LONG, field);
	if (!utf8_valid(s, len))
		return reg_refuse(f, REG_BAD_TEXT, field);
	bool blank = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (!(multiline && (c == '\n' || c == '\r' || c == '\t')))
				return reg_refuse(f, REG_BAD_TEXT, field);
		} else if (c != ' ') {
			blank = false;
		}
	}
	if (required && blank)
		return reg_refuse(f, REG_REQUIRED, field);
	return reg_refuse(f, REG_OK, field);
}

int reg_check_choice(model_problem *f, const char *field, const char *s,
		     const char *const *words, bool required)
{
	if (s == NULL || s[0] == '\0')
		return reg_refuse(f, required ? REG_REQUIRED : REG_OK, field);
	for (size_t i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return reg_refuse(f, REG_OK, field);
	return reg_refuse(f, REG_BAD_CHOICE, field);
}

static bool real_day(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 ? leap : 0);
}

/* Reads 1..max digits at *p; -1 when there are none or too many. */
static int digits(const char **p, int max)
{
	int v = 0, n = 0;
	while (isdigit((unsigned char)**p)) {
		if (++n > max)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return n == 0 ? -1 : v;
}

bool reg_date_parse(const char *s, char out[11])
{
	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	const char *p = s;
	int a = digits(&p, 4), b, c;
	if (a < 0)
		return false;
	int y, m, d;
	if (p - s == 4 && *p == '-') {
		p++;
		if ((b = digits(&p, 2)) < 0 || *p++ != '-' || (c = digits(&p, 2)) < 0)
			return false;
		y = a, m = b, d = c;
	} else if (p - s <= 2 && (*p == '/' || *p == '-' || *p == '.')) {
		char sep = *p++;
		if ((b = digits(&p, 2)) < 0 || *p++ != sep)
			return false;
		const char *ys = p;
		if ((c = digits(&p, 4)) < 0 || p - ys != 4)
			return false;
		y = c, m = b, d = a;
	} else {
		return false;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0' || !real_day(y, m, d))
		return false;
	char tmp[40];   /* the compiler cannot see y, m, d are in range */
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 11);
	return true;
}

int reg_check_date(model_problem *f, const char *field, const char *s, bool required)
{
	if (s == NULL || s[0] == '\0')
		return reg_refuse(f, required ? REG_REQUIRED : REG_OK, field);
	char iso[11];
	/* Only the stored form is accepted here; reg_date_parse reads the others. */
	if (strlen(s) != 10 || s[4] != '-' || !reg_date_parse(s, iso) || strcmp(iso, s) != 0)
		return reg_refuse(f, REG_BAD_DATE, field);
	return reg_refuse(f, REG_OK, field);
}

bool reg_decimal_parse(const char *s, double *out)
{
	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	char num[64];
	size_t n = 0;
	int seps = 0;
	const char *p = s;
	for (; *p != '\0' && (isdigit((unsigned char)*p) || *p == ',' || *p == '.'); p++) {
		if (n + 1 >= sizeof num)
			return false;
		if (*p == ',' || *p == '.') {
			if (++seps > 1)
				return false;
			num[n++] = '.';
		} else {
			num[n++] = *p;
		}
	}
	num[n] = '\0';
	if (n == 0 || num[0] == '.' || num[n - 1] == '.')
		return false;
	while (*p == ' ')
		p++;
	/* A unit: ASCII letters only ("cm", "mm", "g", "kg"). */
	while (isalpha((unsigned char)*p))
		p++;
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return false;
	char *end;
	double v = strtod(num, &end);
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

void reg_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

bool reg_money_parse(const char *cell, int64_t *v)
{
	int64_t x = 0;
	int digits = 0;
	const char *p = cell;
	for (; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (++digits > 15)
				return false;
			x = x * 10 + (*p - '0');
		} else if (*p != '.' && *p != ' ' && *p != ',') {
			break;
		}
	}
	while (*p == ' ')
		p++;
	if (digits == 0 || !(*p == '\0' || strcmp(p, "đ") == 0 || strcasecmp(p, "d") == 0 ||
			     strcasecmp(p, "vnd") == 0 || strcmp(p, "đồng") == 0))
		return false;
	*v = x;
	return true;
}

/* ---- storage helpers -------------------------------------------------------- */

int reg_fetch(db_t *db, const char *sql, int64_t id, db_stmt **st)
{
	*st = db_prepare(db, sql);
	if (*st == NULL)
		return DB_ERROR;
	int rc = db_bind_int64(*st, 1, id) == 0 ? db_step(*st) : DB_ERROR;
	if (rc != DB_ROW) {
		db_done(*st);
		*st = NULL;
	}
	return rc == DB_ROW || rc == DB_DONE ? rc : DB_ERROR;
}

int reg_exists(db_t *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int reg_find_id(db_t *db, const char *sql, int64_t id, int64_t *out)
{
	db_stmt *st;
	int step = reg_fetch(db, sql, id, &st);
	if (step != DB_ROW)
		return step == DB_DONE ? 1 : -1;
	*out = db_col_int64(st, 0);
	db_done(st);
	return 0;
}

int reg_run_ints(db_t *db, const char *sql, const int64_t *v, int n)
{
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL;
	for (int i = 0; bound && i < n; i++)
		bound = db_bind_int64(st, i + 1, v[i]) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	return step;
}

int reg_require(db_t *db, model_problem *f, int code, const char *field, const char *sql,
		int64_t id)
{
	int e = reg_exists(db, sql, id);
	return e > 0 ? 0 : e < 0 ? -1 : reg_refuse(f, code, field);
}

char *reg_like_folded(arena_t *a, const char *query)
{
	size_t len = query != NULL ? strlen(query) : 0;
	buf_t folded = BUF_INIT;
	if (len > 0 && (text_fold(query, len, &folded) != 0 || folded.failed)) {
		buf_free(&folded);
		buf_append(&folded, query, len);   /* not UTF-8: compared as typed */
	}
	char *out = folded.failed ? NULL : arena_alloc(a, 2 * folded.len + 3);
	if (out != NULL && folded.len > 0) {
		size_t o = 0;
		out[o++] = '%';
		for (size_t i = 0; i < folded.len; i++) {
			if (folded.data[i] == '%' || folded.data[i] == '_' || folded.data[i] == '\\')
				out[o++] = '\\';
			out[o++] = folded.data[i];
		}
		out[o++] = '%';
		out[o] = '\0';
	} else if (out != NULL) {
		out[0] = '\0';
	}
	buf_free(&folded);
	return out;
}

void *reg_grow(arena_t *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *bigger = arena_calloc(a, ncap, size);
	if (bigger == NULL)
		return NULL;
	if (n > 0)
		memcpy(bigger, arr, n * size);
	*cap = ncap;
	return bigger;
}

int reg_inserted(db_t *db, int step, model_problem *f, const char *field, int64_t *id)
{
	if (step != DB_DONE)
		return -1;
	if (db_changes(db) != 1)
		return reg_refuse(f, REG_NOT_FOUND, field);
	*id = db_last_insert_id(db);
	return 0;
}

int reg_finish(db_t *db, int nested, int result)
{
	if (db_write_end(db, nested, result == 0) != 0 && result == 0)
		return -1;
	return result;
}

int reg_begin_with_arena(db_t *db, size_t size, arena_t **a, int *nested)
{
	if ((*a = arena_new(size)) == NULL)
		return -1;
	if (db_write_begin(db, nested) != 0) {
		arena_free(*a);
		*a = NULL;
		return -1;
	}
	return 0;
}

int reg_finish_with_arena(db_t *db, int nested, arena_t *a, int result)
{
	arena_free(a);
	return reg_finish(db, nested, result);
}

int reg_update(db_t *db, const char *sql, const void *record, reg_guard_fn guard,
	       reg_bind_fn bind, const char *missing_field, model_problem *f)
{
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	arena_t *a = arena_new(0);
	int rc = a != NULL ? guard(db, a, record, f) : -1;
	arena_free(a);
	if (rc != 0)
		return reg_finish(db, nested, rc);
	db_stmt *st = db_prepare(db, sql);
	int step = st != NULL && bind(st, record) == 0 ? db_step(st) : DB_ERROR;
	if (st != NULL)
		db_done(st);
	rc = step != DB_DONE ? -1
	     : db_changes(db) == 1 ? 0
				   : reg_refuse(f, REG_NOT_FOUND, missing_field);
	return reg_finish(db, nested, rc);
}

int reg_read_row(arena_t *a, db_stmt *st, int64_t *const *ints, size_t n_ints,
		 const char **const *texts, size_t n_texts)
{
	for (size_t i = 0; i < n_ints; i++)
		*ints[i] = db_col_int64(st, (int)i);
	return db_col_copy_texts(a, st, (int)n_ints, texts, n_texts);
}

int reg_get_row(db_t *db, arena_t *a, const char *sql, int64_t id, size_t size, db_fill_fn fill,
		void *out)
{
	memset(out, 0, size);
	void *items = NULL;
	size_t n = 0;
	db_stmt *st = db_prepare(db, sql);
	if (db_fill_rows(st, st != NULL && db_bind_int64(st, 1, id) == 0, a, size, 1, fill, &items,
			 &n, NULL) != 0)
		return -1;
	if (n == 0)
		return 1;
	memcpy(out, items, size);
	return 0;
}

int reg_saved(db_t *db, int step, int64_t record_id, int64_t *id, model_problem *f)
{
	if (step != DB_DONE)
		return -1;
	if (db_changes(db) == 0)
		return reg_refuse(f, REG_NOT_FOUND, "id");
	if (id != NULL)
		*id = record_id == 0 ? db_last_insert_id(db) : record_id;
	return 0;
}

int reg_search_page(db_t *db, arena_t *a, const char *count_sql, const char *list_sql,
		    const char *match, int64_t offset, size_t limit, int64_t count_max,
		    size_t size, db_fill_fn fill, void *items, size_t *n, int64_t *total)
{
	*(void **)items = NULL;
	*n = 0;
	*total = 0;
	db_stmt *st = db_prepare(db, count_sql);
	int step = st != NULL && db_bind_text(st, 1, match, -1) == 0 &&
			   db_bind_int64(st, 2, count_max) == 0
		       ? db_step(st)
		       : DB_ERROR;
	if (step == DB_ROW)
		*total = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	if (step != DB_ROW)
		return -1;
	if (*total <= offset)
		return 0;
	st = db_prepare(db, list_sql);
	bool bound = st != NULL && db_bind_text(st, 1, match, -1) == 0 &&
		     db_bind_int64(st, 2, (int64_t)limit) == 0 && db_bind_int64(st, 3, offset) == 0;
	return db_fill_rows(st, bound, a, size, limit, fill, items, n, NULL);
}
