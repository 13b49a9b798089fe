/*
 * collection.c - the online collection (see collection.h).
 *
 * Every query reads collection_items (sql/015_collection.sql), one narrow
 * row per public object with a (value, object_id) index per facet. The SQL
 * of a list or a count holds only the conditions the filter sets, each
 * from a fixed fragment with a fixed parameter number, so every statement
 * is prepared and bound and none is built from what a reader typed:
 *   ?1 class, ?2 material, ?3 dating, ?4 mode, ?5 exhibition, ?6 origin,
 *   ?7 the words (collection_fts MATCH), ?8 the cursor, ?9 the limit.
 *
 * Words: collection_fts (sql/022), the collection's own index of the
 * columns a visitor may search, named as in the register's object_fts; the
 * expression is limited to them (VISITOR_COLUMNS) all the same.
 * Counts: the summaries of sql/022 where they answer (see "facets").
 */
#include "model/collection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"
#include "core/text.h"
#include "model/acquisition.h"

const char *const collection_facet_names[COLLECTION_FACETS] = {
	"class", "material", "dating", "mode", "exhibition", "origin",
};

#define SQL_MAX 2048
#define VISITOR_COLUMNS "{numbers name material description} : "
#define PARAM_MATCH 7
#define PARAM_CURSOR 8
#define PARAM_LIMIT 9
/* The words, in the collection's own index (sql/022_collection_facets.sql). */
#define IN_WORDS " AND c.object_id IN (SELECT rowid FROM collection_fts WHERE collection_fts MATCH ?7)"

/* The condition each facet's filter puts on collection_items `c`; an
 * exhibition counts only when it is public (sql/012_exhibitions.sql). */
static const char *const facet_cond[COLLECTION_FACETS] = {
	"c.class = ?1",
	"c.material_code = ?2",
	"c.dating = ?3",
	"c.mode = ?4",
	"c.object_id IN (SELECT eo.object_id FROM exhibition_objects eo"
	" JOIN exhibitions e ON e.id = eo.exhibition_id WHERE eo.exhibition_id = ?5 AND e.public = 1)",
	"c.origin_place = ?6",
};

/* The same, as a pass's condition (the exhibition's is never one). */
static const char *const facet_where[COLLECTION_FACETS] = {
	" AND c.class = ?1", " AND c.material_code = ?2", " AND c.dating = ?3", " AND c.mode = ?4",
	"", " AND c.origin_place = ?6",
};

static bool set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

int collection_check(const collection_filter *flt, model_problem *f)
{
	for (int k = 0; k < COLLECTION_FACETS; k++) {
		const char *v = flt->value[k], *name = collection_facet_names[k];
		if (!set(v))
			continue;
		int rc = reg_check_text(f, name, v, COLLECTION_VALUE_MAX, false, false);
		if (rc != 0)
			return rc;
		if (k == COLLECTION_CLASS)
			rc = reg_check_choice(f, name, v, object_classes, true);
		else if (k == COLLECTION_MODE)
			rc = reg_check_choice(f, name, v, acquisition_modes, true);
		else if (k == COLLECTION_EXHIBITION) {
			int64_t id;
			if (parse_int64(v, &id) != 0 || id < 1)
				rc = reg_refuse(f, REG_BAD_NUMBER, name);
		}
		if (rc != 0)
			return rc;
	}
	if (flt->match != NULL && strlen(flt->match) > COLLECTION_MATCH_MAX)
		return reg_refuse(f, REG_TOO_LONG, "q");
	model_problem_clear(f);
	return 0;
}

/* Appends " AND cond" for every facet the filter sets except skip (-1:
 * none) and for the words; *used gets the bit of every parameter used. */
static void put_conditions(char *sql, const collection_filter *flt, int skip, unsigned *used)
{
	size_t len = strlen(sql);
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if (k != skip && set(flt->value[k])) {
			len += (size_t)snprintf(sql + len, SQL_MAX - len, " AND %s", facet_cond[k]);
			*used |= 1u << (k + 1);
		}
	if (set(flt->match)) {
		snprintf(sql + len, SQL_MAX - len, IN_WORDS);
		*used |= 1u << PARAM_MATCH;
	}
}

/* The visitor's columns around an expression: "{...} : (expr)", or NULL. */
static char *visitor_match(const char *match)
{
	size_t len = strlen(VISITOR_COLUMNS) + strlen(match) + 3;
	char *out = malloc(len);
	if (out != NULL)
		snprintf(out, len, VISITOR_COLUMNS "(%s)", match);
	return out;
}

/* Binds the filter's parameters that *used names. 0 or -1. */
static int bind_filter(db_stmt *st, const collection_filter *flt, unsigned used)
{
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if ((used & (1u << (k + 1))) != 0 &&
		    db_bind_text(st, k + 1, set(flt->value[k]) ? flt->value[k] : NULL, -1) != 0)
			return -1;
	if ((used & (1u << PARAM_MATCH)) != 0) {
		char *match = visitor_match(flt->match);
		int rc = match != NULL ? db_bind_text(st, PARAM_MATCH, match, -1) : -1;
		free(match);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* ---- lists -------------------------------------------------------------------- */

/* The columns of a collection_item, over `c`, `o` (objects) and `m`
 * (materials); the lead photo only once its variants are made. */
#define ITEM_COLUMNS                                                                          \
	"c.object_id, o.reg_number, o.name, o.kind, c.class, c.material_code, m.name, c.dating," \
	" ifnull((SELECT md.file FROM object_media om JOIN media md ON md.id = om.media_id"     \
	" WHERE om.object_id = c.object_id AND om.lead = 1"                                     \
	" AND NOT EXISTS (SELECT 1 FROM media_jobs j WHERE j.media_id = md.id)), '')"
#define ITEM_FROM                                                                             \
	" FROM collection_items c JOIN objects o ON o.id = c.object_id"                         \
	" JOIN materials m ON m.code = c.material_code"

static int fill_item(arena_t *a, db_stmt *st, void *item)
{
	collection_item *it = item;
	it->id = db_col_int64(st, 0);
	const char **dst[] = {&it->reg_number, &it->name, &it->kind, &it->heritage_class,
			      &it->material_code, &it->material_name, &it->dating, &it->lead_file};
	return db_col_copy_texts(a, st, 1, dst, sizeof dst / sizeof dst[0]);
}

int collection_list(db_t *db, arena_t *a, const collection_filter *flt, int64_t before,
		    size_t limit, collection_item **items, size_t *n, bool *more, model_problem *f)
{
	*items = NULL;
	*n = 0;
	*more = false;
	int rc = collection_check(flt, f);
	if (rc != 0)
		return rc;
	if (limit == 0 || limit > COLLECTION_PAGE_MAX)
		return -1;
	char sql[SQL_MAX] = "SELECT " ITEM_COLUMNS ITEM_FROM " WHERE 1";
	unsigned used = 0;
	put_conditions(sql, flt, -1, &used);
	size_t len = strlen(sql);
	snprintf(sql + len, sizeof sql - len, "%s ORDER BY c.object_id DESC LIMIT ?9",
		 before > 0 ? " AND c.object_id < ?8" : "");
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL && bind_filter(st, flt, used) == 0 &&
		     (before <= 0 || db_bind_int64(st, PARAM_CURSOR, before) == 0) &&
		     db_bind_int64(st, PARAM_LIMIT, (int64_t)limit + 1) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, limit, fill_item, items, n, more);
}

static unsigned filter_mask(const collection_filter *flt)
{
	unsigned mask = 0;
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if (set(flt->value[k]))
			mask |= 1u << k;
	return mask;
}

/* The one facet of a mask that has exactly one, or -1. */
static int only_facet(unsigned mask)
{
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if (mask == 1u << k)
			return k;
	return -1;
}

/* The count from the summaries when they hold it (no words; no filter, one,
 * or two column facets): 0, 1 when they do not, -1. */
static int count_summary(db_t *db, const collection_filter *flt, int64_t *total)
{
	unsigned filters = filter_mask(flt);
	int k[2] = {-1, -1}, n = 0;
	for (int i = 0; i < COLLECTION_FACETS; i++)
		if (filters & (1u << i)) {
			if (n == 2)
				return 1;
			k[n++] = i;
		}
	if (set(flt->match) ||
	    (n == 2 && (k[0] == COLLECTION_EXHIBITION || k[1] == COLLECTION_EXHIBITION)))
		return 1;
	/* Every row has a mode: their sum is the collection's size. */
	static const char *const sql[] = {
		"SELECT ifnull(sum(n), 0) FROM collection_facet_totals WHERE facet = 'mode'",
		"SELECT ifnull(sum(n), 0) FROM collection_facet_totals WHERE facet = ?1 AND value = ?2",
		"SELECT ifnull(sum(n), 0) FROM collection_facet_pairs"
		" WHERE facet = ?1 AND value = ?2 AND other = ?3 AND other_value = ?4",
	};
	db_stmt *st = db_prepare(db, sql[n]);
	bool bound = st != NULL;
	for (int i = 0; i < n && bound; i++)
		bound = db_bind_text(st, 2 * i + 1, collection_facet_names[k[i]], -1) == 0 &&
			db_bind_text(st, 2 * i + 2, flt->value[k[i]], -1) == 0;
	int step = bound ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*total = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	return step == DB_ROW ? 0 : -1;
}

int collection_count(db_t *db, const collection_filter *flt, int64_t *total, model_problem *f)
{
	*total = 0;
	int rc = collection_check(flt, f);
	if (rc != 0)
		return rc;
	rc = count_summary(db, flt, total);
	if (rc <= 0)
		return rc;
	char sql[SQL_MAX] = "SELECT count(*) FROM collection_items c WHERE 1";
	unsigned used = 0;
	put_conditions(sql, flt, -1, &used);
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int step = bind_filter(st, flt, used) == 0 ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*total = db_col_int64(st, 0);
	db_done(st);
	return step == DB_ROW ? 0 : -1;
}

/* ---- facets ------------------------------------------------------------------- */

/*
 * Where a facet's counts come from (sql/022_collection_facets.sql), facet k
 * being counted under F, the filters but its own:
 *  - no words, F empty: collection_facet_totals (the first page, and a
 *    facet's own counts under one filter);
 *  - no words, F one column facet, k a column facet: collection_facet_pairs;
 *  - otherwise one pass in C over a set of collection_items rows that holds
 *    every row any such facet counts (the words' objects; an exhibition's;
 *    or the whole collection), each row counted for facet k when it meets
 *    every filter but k's.
 * Each way gives what one GROUP BY per facet over collection_items gave
 * (tests/unit/register/test_collection.c compares them).
 */

static bool free_text(int k)
{
	return k == COLLECTION_DATING || k == COLLECTION_ORIGIN;
}

static size_t facet_limit(int k)
{
	return free_text(k) ? COLLECTION_FACET_VALUES : COLLECTION_FACET_VALUES * 4;
}

/* The label of a value `v` of facet k, and the join that gives it. */
static const char *const label_sql[COLLECTION_FACETS][2] = {
	{"v", ""},
	{"m.name", " JOIN materials m ON m.code = t.v"},
	{"v", ""},
	{"v", ""},
	{"e.title", " JOIN exhibitions e ON e.id = CAST(t.v AS INTEGER) AND e.public = 1"},
	{"v", ""},
};

static int fill_count(arena_t *a, db_stmt *st, void *item)
{
	collection_count_row *r = item;
	r->count = db_col_int64(st, 2);
	const char **dst[] = {&r->value, &r->label};
	return db_col_copy_texts(a, st, 0, dst, 2);
}

/* Facet k from the totals (other < 0) or from the pairs under other's value:
 * ?1 k, ?2 other, ?3 other's value, ?4 the chosen value, ?5 the limit. */
static int read_summary(db_t *db, arena_t *a, const collection_filter *flt, int k, int other,
			collection_facet_counts *out)
{
	const char *from = other < 0
		? "SELECT value AS v, n FROM collection_facet_totals WHERE facet = ?1"
		: "SELECT other_value AS v, n FROM collection_facet_pairs"
		  " WHERE facet = ?2 AND value = ?3 AND other = ?1";
	char sql[SQL_MAX];
	snprintf(sql, sizeof sql,
		 "SELECT t.v, %s, t.n FROM (%s) t%s WHERE t.v <> '' AND t.n > 0"
		 " ORDER BY t.v IS ?4 DESC, 3 DESC, 1 LIMIT ?5",
		 label_sql[k][0], from, label_sql[k][1]);
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL && db_bind_text(st, 1, collection_facet_names[k], -1) == 0 &&
		     (other < 0 || (db_bind_text(st, 2, collection_facet_names[other], -1) == 0 &&
				    db_bind_text(st, 3, flt->value[other], -1) == 0)) &&
		     db_bind_text(st, 4, free_text(k) && set(flt->value[k]) ? flt->value[k] : NULL,
				  -1) == 0 &&
		     db_bind_int64(st, 5, (int64_t)facet_limit(k)) == 0;
	return db_fill_rows(st, bound, a, sizeof *out->rows, facet_limit(k), fill_count, &out->rows,
			    &out->n, NULL);
}

/* Counts by value: open addressing over strings kept in the arena. */
typedef struct {
	collection_count_row *slots;
	size_t cap, used;
} tally;

static int tally_add(arena_t *a, tally *t, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return 0;
	if (2 * (t->used + 1) > t->cap) {
		tally bigger = {arena_calloc(a, t->cap ? t->cap * 2 : 64, sizeof *t->slots),
				t->cap ? t->cap * 2 : 64, 0};
		if (bigger.slots == NULL)
			return -1;
		for (size_t i = 0; i < t->cap; i++) {
			if (t->slots[i].value == NULL)
				continue;
			size_t j = text_hash(t->slots[i].value) & (bigger.cap - 1);
			while (bigger.slots[j].value != NULL)
				j = (j + 1) & (bigger.cap - 1);
			bigger.slots[j] = t->slots[i];
			bigger.used++;
		}
		*t = bigger;
	}
	size_t j = text_hash(v) & (t->cap - 1);
	while (t->slots[j].value != NULL && strcmp(t->slots[j].value, v) != 0)
		j = (j + 1) & (t->cap - 1);
	if (t->slots[j].value == NULL) {
		if ((t->slots[j].value = arena_strdup(a, v)) == NULL)
			return -1;
		t->used++;
	}
	t->slots[j].count++;
	return 0;
}

static int by_count(const void *x, const void *y)
{
	const collection_count_row *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* A public exhibition's membership of a shown object. */
typedef struct {
	int64_t object_id;
	const char *value;   /* the exhibition's id as text */
} member;

static int fill_member(arena_t *a, db_stmt *st, void *item)
{
	member *m = item;
	m->object_id = db_col_int64(st, 0);
	bool oom = false;
	m->value = db_col_copy(a, st, 1, "", &oom);
	return oom ? -1 : 0;
}

/* The first membership of id in the sorted array, or n. */
static size_t first_member(const member *m, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m[mid].object_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The sets a pass reads, as a condition on `c` (binds ?5 when used). */
#define IN_MEMBERS " AND c.object_id IN (SELECT object_id FROM collection_exhibition_members)"

/* One pass over the rows `where` selects: each row is counted for every
 * facet of targets whose other filters (of the mask filters) it meets. */
static int count_pass(db_t *db, arena_t *a, const collection_filter *flt, const char *where,
		      unsigned used, unsigned filters, unsigned targets, tally *tallies)
{
	member *members = NULL;
	size_t nmembers = 0;
	if ((filters | targets) & (1u << COLLECTION_EXHIBITION)) {
		db_stmt *st = db_prepare(db, "SELECT object_id, value FROM collection_exhibition_members"
					     " ORDER BY object_id");
		if (db_fill_rows(st, st != NULL, a, sizeof *members, SIZE_MAX, fill_member, &members,
				 &nmembers, NULL) != 0)
			return -1;
	}
	char sql[SQL_MAX];
	snprintf(sql, sizeof sql,
		 "SELECT c.object_id, c.class, c.material_code, c.dating, c.mode, c.origin_place"
		 " FROM collection_items c WHERE 1%s", where);
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL || bind_filter(st, flt, used) != 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		size_t m0 = nmembers > 0 ? first_member(members, nmembers, id) : 0;
		unsigned fail = 0;
		for (int k = 0; k < COLLECTION_FACETS; k++) {
			if (!(filters & (1u << k)))
				continue;
			bool ok = false;
			if (k == COLLECTION_EXHIBITION) {
				for (size_t i = m0; i < nmembers && members[i].object_id == id && !ok; i++)
					ok = strcmp(members[i].value, flt->value[k]) == 0;
			} else {
				const char *v = db_col_text(st, k < COLLECTION_EXHIBITION ? k + 1 : k);
				ok = v != NULL && strcmp(v, flt->value[k]) == 0;
			}
			if (!ok)
				fail |= 1u << k;
		}
		for (int k = 0; k < COLLECTION_FACETS && rc == DB_ROW; k++) {
			if (!(targets & (1u << k)) || (fail & ~(1u << k)) != 0)
				continue;
			if (k != COLLECTION_EXHIBITION) {
				if (tally_add(a, &tallies[k],
					      db_col_text(st, k < COLLECTION_EXHIBITION ? k + 1 : k)) != 0)
					rc = DB_ERROR;
				continue;
			}
			for (size_t i = m0; i < nmembers && members[i].object_id == id; i++)
				if (tally_add(a, &tallies[k], members[i].value) != 0)
					rc = DB_ERROR;
		}
		if (rc != DB_ROW)
			break;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The rows of a tally as a facet's: most objects first (the chosen value of
 * a free-text facet first), cut at its limit, with labels. */
static int tally_rows(db_t *db, arena_t *a, const collection_filter *flt, int k, const tally *t,
		      collection_facet_counts *out)
{
	collection_count_row *rows = arena_calloc(a, t->used + 1, sizeof *rows);
	if (rows == NULL)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].value != NULL)
			rows[n++] = t->slots[i];
	const char *chosen = free_text(k) && set(flt->value[k]) ? flt->value[k] : NULL;
	if (n > 1)
		qsort(rows, n, sizeof *rows, by_count);
	for (size_t i = 1; chosen != NULL && i < n; i++)
		if (strcmp(rows[i].value, chosen) == 0) {
			collection_count_row c = rows[i];
			memmove(rows + 1, rows, i * sizeof *rows);
			rows[0] = c;
			break;
		}
	if (n > facet_limit(k))
		n = facet_limit(k);
	out->rows = rows;
	out->n = 0;
	const char *label = k == COLLECTION_MATERIAL ? "SELECT name FROM materials WHERE code = ?"
			    : k == COLLECTION_EXHIBITION
				? "SELECT title FROM exhibitions WHERE id = CAST(? AS INTEGER) AND public = 1"
				: NULL;
	for (size_t i = 0; i < n; i++) {
		rows[i].label = rows[i].value;
		if (label != NULL) {
			db_stmt *st = db_prepare(db, label);
			int rc = st != NULL && db_bind_text(st, 1, rows[i].value, -1) == 0 ? db_step(st)
											  : DB_ERROR;
			bool oom = false;
			if (rc == DB_ROW)
				rows[i].label = db_col_copy(a, st, 0, "", &oom);
			if (st != NULL)
				db_done(st);
			if (oom || (rc != DB_ROW && rc != DB_DONE))
				return -1;
			if (rc == DB_DONE)
				continue;
		}
		rows[out->n++] = rows[i];
	}
	return 0;
}

/* The chosen value stays on its facet's list, to be seen and undone; the
 * list ends sorted by count. */
static int keep_chosen(arena_t *a, const collection_filter *flt, int k,
		       collection_facet_counts *out)
{
	const char *chosen = flt->value[k];
	if (set(chosen)) {
		bool found = false;
		for (size_t i = 0; i < out->n && !found; i++)
			found = strcmp(out->rows[i].value, chosen) == 0;
		if (!found) {
			collection_count_row *rows = arena_calloc(a, out->n + 1, sizeof *rows);
			if (rows == NULL)
				return -1;
			if (out->n > 0)
				memcpy(rows, out->rows, out->n * sizeof *rows);
			const char *copy = arena_strdup(a, chosen);
			if (copy == NULL)
				return -1;
			rows[out->n++] = (collection_count_row){copy, copy, 0};
			out->rows = rows;
		}
	}
	if (out->n > 1)
		qsort(out->rows, out->n, sizeof *out->rows, by_count);
	return 0;
}

int collection_facets(db_t *db, arena_t *a, const collection_filter *flt,
		      collection_facet_counts *out, model_problem *f)
{
	memset(out, 0, COLLECTION_FACETS * sizeof *out);
	int rc = collection_check(flt, f);
	if (rc != 0)
		return rc;
	const unsigned exhibition = 1u << COLLECTION_EXHIBITION, filters = filter_mask(flt);
	const bool words = set(flt->match);
	unsigned scan = 0;
	for (int k = 0; k < COLLECTION_FACETS; k++) {
		unsigned others = filters & ~(1u << k);
		int j = only_facet(others);
		if (!words && others == 0)
			rc = read_summary(db, a, flt, k, -1, &out[k]);
		else if (!words && j >= 0 && j != COLLECTION_EXHIBITION && k != COLLECTION_EXHIBITION)
			rc = read_summary(db, a, flt, k, j, &out[k]);
		else
			scan |= 1u << k;
		if (rc != 0)
			return -1;
	}
	tally tallies[COLLECTION_FACETS];
	memset(tallies, 0, sizeof tallies);
	if (!words && (scan & exhibition)) {
		/* The exhibitions' counts: only their members can count. */
		if (count_pass(db, a, flt, IN_MEMBERS, 0, filters, exhibition, tallies) != 0)
			return -1;
	}
	unsigned rest = words ? scan : scan & ~exhibition;
	if (rest != 0) {
		/* A set holding every row a facet of rest counts: the words'
		 * objects, the chosen exhibition's, the rows of the filter with
		 * fewest objects when no facet of rest is counted without it
		 * (a facet other filters leave to it, as with two filters), or
		 * the whole collection. */
		const char *where = "";
		unsigned used = 0;
		int64_t fewest = INT64_MAX;
		if (words) {
			where = IN_WORDS;
			used = 1u << PARAM_MATCH;
		} else if (filters & exhibition) {
			where = " AND c.object_id IN (SELECT object_id FROM collection_exhibition_members"
				" WHERE value = ?5)";
			used = 1u << (COLLECTION_EXHIBITION + 1);
		} else {
			for (int j = 0; j < COLLECTION_FACETS; j++) {
				collection_filter one = {0};
				one.value[j] = flt->value[j];
				int64_t n = 0;
				if (!(filters & (1u << j)) || (rest & (1u << j)))
					continue;
				if (count_summary(db, &one, &n) != 0)
					return -1;
				if (n < fewest) {
					fewest = n;
					where = facet_where[j];
					used = 1u << (j + 1);
				}
			}
		}
		if (count_pass(db, a, flt, where, used, filters, rest, tallies) != 0)
			return -1;
	}
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if ((scan & (1u << k)) && tally_rows(db, a, flt, k, &tallies[k], &out[k]) != 0)
			return -1;
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if (keep_chosen(a, flt, k, &out[k]) != 0)
			return -1;
	return 0;
}

/* ---- one object ----------------------------------------------------------------- */

int collection_get(db_t *db, arena_t *a, int64_t id, object_card *out)
{
	int rc = object_get_public(db, a, id, out);
	if (rc == 0 && (out->reg_number == NULL || out->reg_number[0] == '\0')) {
		memset(out, 0, sizeof *out);
		return 1;
	}
	return rc;
}

int collection_related(db_t *db, arena_t *a, int64_t id, size_t limit, collection_item **items,
		       size_t *n)
{
	*items = NULL;
	*n = 0;
	if (limit == 0 || limit > COLLECTION_PAGE_MAX)
		return -1;
	/* Objects that share a related entity, as the index gives them (no
	 * sort: an event may be linked to most of the collection). */
	db_stmt *st = db_prepare(db, "SELECT " ITEM_COLUMNS ITEM_FROM
				     " WHERE c.object_id IN (SELECT r2.object_id FROM object_related r1"
				     " JOIN object_related r2 ON r2.entity_id = r1.entity_id"
				     " WHERE r1.object_id = ?1 AND r2.object_id <> ?1) LIMIT ?2");
	bool bound = st != NULL && db_bind_int64(st, 1, id) == 0 &&
		     db_bind_int64(st, 2, (int64_t)limit) == 0;
	collection_item *shared;
	size_t nshared;
	if (db_fill_rows(st, bound, a, sizeof *shared, limit, fill_item, &shared, &nshared, NULL) != 0)
		return -1;
	collection_item *same = NULL;
	size_t nsame = 0;
	if (nshared < limit) {
		/* Then the same material and dating, newest first; one more per
		 * object already taken, which may come again here. */
		st = db_prepare(db, "SELECT " ITEM_COLUMNS ITEM_FROM
				    " JOIN collection_items me ON me.object_id = ?1"
				    " WHERE c.material_code = me.material_code AND c.dating = me.dating"
				    " AND c.object_id <> ?1 ORDER BY c.object_id DESC LIMIT ?2");
		bound = st != NULL && db_bind_int64(st, 1, id) == 0 &&
			db_bind_int64(st, 2, (int64_t)limit) == 0;
		if (db_fill_rows(st, bound, a, sizeof *same, limit, fill_item, &same, &nsame, NULL) != 0)
			return -1;
	}
	collection_item *all = arena_calloc(a, nshared + nsame + 1, sizeof *all);
	if (all == NULL)
		return -1;
	size_t count = 0;
	for (size_t i = 0; i < nshared; i++)
		all[count++] = shared[i];
	for (size_t i = 0; i < nsame && count < limit; i++) {
		bool seen = false;
		for (size_t j = 0; j < nshared && !seen; j++)
			seen = shared[j].id == same[i].id;
		if (!seen)
			all[count++] = same[i];
	}
	*items = count > 0 ? all : NULL;
	*n = count;
	return 0;
}

/* ---- the site's search ------------------------------------------------------------ */

/* Ranking looks at the newest this many matches, as the articles' search
 * does (search.h, SEARCH_CANDIDATES): past it the words are in most of the
 * collection and bm25 tells little apart. */
#define SEARCH_CANDIDATES 1000

int collection_search(db_t *db, arena_t *a, const char *match, int64_t offset, size_t limit,
		      int64_t count_max, collection_item **items, size_t *n, int64_t *total)
{
	*items = NULL;
	*n = 0;
	*total = 0;
	if (!set(match) || strlen(match) > COLLECTION_MATCH_MAX || limit == 0 ||
	    limit > COLLECTION_PAGE_MAX || offset < 0)
		return -1;
	char *visitor = visitor_match(match);
	if (visitor == NULL)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM (SELECT 1 FROM collection_fts"
				     " WHERE collection_fts MATCH ?1 LIMIT ?2)");
	int step = st != NULL && db_bind_text(st, 1, visitor, -1) == 0 &&
			   db_bind_int64(st, 2, count_max) == 0
		       ? db_step(st)
		       : DB_ERROR;
	if (step == DB_ROW)
		*total = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	int rc = step == DB_ROW ? 0 : -1;
	if (rc == 0 && *total > 0 && offset < *total) {
		/* Names weigh most, then numbers, material, description. */
		st = db_prepare(db, "SELECT " ITEM_COLUMNS
				    " FROM (SELECT rowid AS id, bm25(collection_fts, 3.0, 5.0, 1.5, 1.0) AS score"
				    " FROM collection_fts WHERE collection_fts MATCH ?1"
				    " ORDER BY rowid DESC LIMIT ?4) f"
				    " JOIN collection_items c ON c.object_id = f.id"
				    " JOIN objects o ON o.id = c.object_id"
				    " JOIN materials m ON m.code = c.material_code"
				    " ORDER BY round(f.score, 2), c.object_id DESC LIMIT ?2 OFFSET ?3");
		bool bound = st != NULL && db_bind_text(st, 1, visitor, -1) == 0 &&
			     db_bind_int64(st, 2, (int64_t)limit) == 0 &&
			     db_bind_int64(st, 3, offset) == 0 &&
			     db_bind_int64(st, 4, SEARCH_CANDIDATES) == 0;
		rc = db_fill_rows(st, bound, a, sizeof **items, limit, fill_item, items, n, NULL);
	}
	free(visitor);
	return rc;
}
