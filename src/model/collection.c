/*
 * collection.c - the online collection (see collection.h).
 *
 * Every query reads collection_items (sql/015_collection.sql), one narrow
 * row per public object with a (value, object_id) index per facet. The SQL
 * of a list or a count holds only the conditions the filter sets, each
 * from a fixed fragment with a fixed parameter number, so every statement
 * is prepared and bound and none is built from what a reader typed:
 *   ?1 class, ?2 material, ?3 dating, ?4 mode, ?5 exhibition, ?6 origin,
 *   ?7 the words (object_fts MATCH), ?8 the cursor, ?9 the limit.
 *
 * Words: the register's index, object_fts, limited to the columns a
 * visitor may search (VISITOR_COLUMNS): its donor and place columns hold
 * the donor's and the storage location's names.
 */
#include "model/collection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"
#include "model/acquisition.h"

const char *const collection_facet_names[COLLECTION_FACETS] = {
	"class", "material", "dating", "mode", "exhibition", "origin",
};

#define SQL_MAX 2048
#define VISITOR_COLUMNS "{numbers name material description} : "
#define PARAM_MATCH 7
#define PARAM_CURSOR 8
#define PARAM_LIMIT 9

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

/* Facet k's values and their labels, counted over `c` (the material's and
 * the public exhibition's names from their tables). */
static const char *const facet_select[COLLECTION_FACETS] = {
	"SELECT c.class, c.class, count(*) FROM collection_items c",
	"SELECT c.material_code, m.name, count(*) FROM collection_items c"
	" JOIN materials m ON m.code = c.material_code",
	"SELECT c.dating, c.dating, count(*) FROM collection_items c",
	"SELECT c.mode, c.mode, count(*) FROM collection_items c",
	"SELECT CAST(e.id AS TEXT), e.title, count(*) FROM collection_items c"
	" JOIN exhibition_objects eo ON eo.object_id = c.object_id"
	" JOIN exhibitions e ON e.id = eo.exhibition_id AND e.public = 1",
	"SELECT c.origin_place, c.origin_place, count(*) FROM collection_items c",
};

static const char *const facet_column[COLLECTION_FACETS] = {
	"c.class", "c.material_code", "c.dating", "c.mode", "e.title", "c.origin_place",
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
		snprintf(sql + len, SQL_MAX - len,
			 " AND c.object_id IN (SELECT rowid FROM object_fts WHERE object_fts MATCH ?7)");
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

int collection_count(db_t *db, const collection_filter *flt, int64_t *total, model_problem *f)
{
	*total = 0;
	int rc = collection_check(flt, f);
	if (rc != 0)
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

static int fill_count(arena_t *a, db_stmt *st, void *item)
{
	collection_count_row *r = item;
	r->count = db_col_int64(st, 2);
	const char **dst[] = {&r->value, &r->label};
	return db_col_copy_texts(a, st, 0, dst, 2);
}

static int by_count(const void *x, const void *y)
{
	const collection_count_row *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* Facet k under every filter but its own. A free-text facet keeps its most
 * frequent values, the chosen one among them whatever its rank. */
static int count_facet(db_t *db, arena_t *a, const collection_filter *flt, int k,
		       collection_facet_counts *out)
{
	out->rows = NULL;
	out->n = 0;
	bool free_text = k == COLLECTION_DATING || k == COLLECTION_ORIGIN;
	char sql[SQL_MAX];
	snprintf(sql, sizeof sql, "%s WHERE %s <> ''", facet_select[k], facet_column[k]);
	unsigned used = 0;
	put_conditions(sql, flt, k, &used);
	size_t len = strlen(sql);
	if (free_text) {
		snprintf(sql + len, sizeof sql - len,
			 " GROUP BY 1 ORDER BY %s IS ?%d DESC, 3 DESC, 1 LIMIT %d", facet_column[k],
			 k + 1, COLLECTION_FACET_VALUES);
		used |= 1u << (k + 1);
	} else {
		snprintf(sql + len, sizeof sql - len, " GROUP BY 1 HAVING count(*) > 0 ORDER BY 3 DESC, 1");
	}
	db_stmt *st = db_prepare(db, sql);
	bool bound = st != NULL && bind_filter(st, flt, used) == 0;
	if (db_fill_rows(st, bound, a, sizeof *out->rows, COLLECTION_FACET_VALUES * 4, fill_count,
			 &out->rows, &out->n, NULL) != 0)
		return -1;
	/* The chosen value stays on the list, to be seen and undone. */
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
	for (int k = 0; k < COLLECTION_FACETS; k++)
		if (count_facet(db, a, flt, k, &out[k]) != 0)
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
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM (SELECT 1 FROM object_fts"
				     " JOIN collection_items c ON c.object_id = object_fts.rowid"
				     " WHERE object_fts MATCH ?1 LIMIT ?2)");
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
		/* Names weigh most, then numbers, material, description; the
		 * donor and place columns are not searched. */
		st = db_prepare(db, "SELECT " ITEM_COLUMNS
				    " FROM (SELECT object_fts.rowid AS id,"
				    " bm25(object_fts, 3.0, 5.0, 0.0, 1.5, 0.0, 1.0) AS score"
				    " FROM object_fts JOIN collection_items p"
				    " ON p.object_id = object_fts.rowid WHERE object_fts MATCH ?1"
				    " ORDER BY object_fts.rowid DESC LIMIT ?4) f"
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
