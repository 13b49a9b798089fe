/*
 * object_filter.h - the register's filter (object_filter, object.h) as one
 * piece of SQL, shared by every query that lists objects: the list pages
 * (object_list) and the printed register book (object_book.h). Private to
 * src/model.
 */
#ifndef SEN_MODEL_OBJECT_FILTER_H
#define SEN_MODEL_OBJECT_FILTER_H

#include "db/db.h"
#include "model/object.h"

/* The condition on objects `o`, parameters ?2 to ?7; a query using it binds
 * them with object_filter_bind and numbers its own from ?1 and ?8. */
#define OBJECT_FILTER_SQL                                                                   \
	"(?2 IS NULL OR o.status = ?2) AND (?3 IS NULL OR o.material_code = ?3)"             \
	" AND (?4 = 0 OR o.acquisition_id = ?4) AND (?5 = 0 OR o.location_id = ?5)"         \
	" AND (?6 = 0 OR o.public = 1)"                                                      \
	" AND (?7 = '' OR o.id IN (SELECT rowid FROM object_fts WHERE object_fts MATCH ?7))"

/* Binds flt (NULL: every object) to ?2..?7 of st; the words of flt->query
 * as an FTS expression (each quoted, matched in the six text columns), and
 * with words, the filter's values (but the public flag) ANDed to them as
 * the tokens of the index's facets column (sql/017_register_search.sql), so that FTS5 itself
 * keeps only the objects the filter selects. 0, REG_TOO_LONG on "query"
 * over OBJECT_QUERY_MAX bytes, or -1. */
int object_filter_bind(db_stmt *st, const object_filter *flt, model_problem *f);

/* The list pages' query (object_list) for flt (not NULL) and a cursor
 * (before > 0: ids below it), written into sql, which it returns: only the
 * conditions flt sets, each answerable from an index, with the parameters
 * above (?1 the cursor, ?2..?7 as bound by object_filter_bind, ?8 the limit). */
#define OBJECT_LIST_SQL_MAX 640
const char *object_list_sql(const object_filter *flt, int64_t before, char *sql);

#endif
