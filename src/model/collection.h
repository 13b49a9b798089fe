/*
 * collection.h - the online collection ("Hiện vật trực tuyến"): the
 * register's objects that have a registration number and whose card is
 * marked public, as visitors browse them (/hien-vat), with facets whose
 * counts follow the filters, folded word search and keyset pages.
 *
 * The rows live in collection_items (sql/015_collection.sql), kept by
 * triggers from the objects table, with the facet counts summarised and
 * the visitor's columns indexed for words (collection_fts) by the triggers
 * of sql/022_collection_facets.sql. The public
 * side never reads a field the museum keeps to itself (value, notes,
 * storage place, donor): what these functions return is what the public
 * page may show.
 *
 * Facets: class, material, dating, acquisition mode and origin place are
 * columns of the row; exhibition follows exhibition_objects (public
 * exhibitions only). Each facet is counted with every other facet's filter applied
 * (and the words), never its own, so a reader sees how many objects each
 * other choice would give.
 *
 * Refusals are a positive enum reg_problem with the field (the URL's
 * facet, by its facet_names code) in the model_problem; strings returned
 * live in the caller's arena; strings passed in belong to the caller.
 */
#ifndef SEN_MODEL_COLLECTION_H
#define SEN_MODEL_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/object.h"
#include "model/reg_check.h"

#define COLLECTION_PAGE_MAX 60        /* objects on one page */
#define COLLECTION_VALUE_MAX 300      /* bytes of a facet value (origin_place's limit) */
#define COLLECTION_FACET_VALUES 15    /* a free-text facet shows its most frequent values */
#define COLLECTION_MATCH_MAX 4096     /* bytes of the FTS expression */

enum collection_facet {
	COLLECTION_CLASS,       /* di_vat, co_vat, bao_vat */
	COLLECTION_MATERIAL,    /* a material code: KL, ĐD ... */
	COLLECTION_DATING,      /* the card's dating, as written */
	COLLECTION_MODE,        /* acquisition mode: suu_tam, hien_tang ... */
	COLLECTION_EXHIBITION,  /* an exhibition id, as decimal text */
	COLLECTION_ORIGIN,      /* the card's origin place, as written */
	COLLECTION_FACETS
};

/* The facets' names as the model_problem's field names them: "class",
 * "material", "dating", "mode", "exhibition", "origin". */
extern const char *const collection_facet_names[COLLECTION_FACETS];

typedef struct {
	const char *value[COLLECTION_FACETS];  /* NULL or "": any */
	const char *match;                     /* FTS5 expression of folded words
						* (search_query.match_folded), or NULL */
} collection_filter;

/*
 * Checks a filter: a class or mode outside its vocabulary is REG_BAD_CHOICE,
 * an exhibition that is not a positive id REG_BAD_NUMBER, a value over
 * COLLECTION_VALUE_MAX bytes REG_TOO_LONG, one that is not UTF-8 or holds a
 * control character REG_BAD_TEXT, the field being the facet's name. A
 * material, dating or origin that no object has is no refusal: it finds
 * nothing. 0 or the code.
 */
int collection_check(const collection_filter *flt, model_problem *f);

typedef struct {
	int64_t id;
	const char *reg_number;
	const char *name;
	const char *kind;           /* hien_vat, tai_lieu */
	const char *heritage_class; /* "", di_vat, co_vat, bao_vat */
	const char *material_code;
	const char *material_name;
	const char *dating;
	const char *lead_file;      /* the lead photo's stored file when it is ready, else "" */
} collection_item;

/*
 * One page, newest first: at most limit (1..COLLECTION_PAGE_MAX) objects
 * with id < before (0: from the newest); *more tells whether another page
 * follows (the next starts before the last item's id). The filter is
 * checked first. 0, a reg_problem, or -1.
 */
int collection_list(db_t *db, arena_t *a, const collection_filter *flt, int64_t before,
		    size_t limit, collection_item **items, size_t *n, bool *more, model_problem *f);

/* How many objects the filter finds. 0, a reg_problem, or -1. */
int collection_count(db_t *db, const collection_filter *flt, int64_t *total, model_problem *f);

typedef struct {
	const char *value;   /* as the filter takes it */
	const char *label;   /* the material's or exhibition's name; for the
			      * other facets the value itself (the page names
			      * the vocabularies) */
	int64_t count;
} collection_count_row;

typedef struct {
	collection_count_row *rows;   /* most objects first, then by value */
	size_t n;
} collection_facet_counts;

/*
 * The counts of every facet under flt: facet k counted with every filter
 * but its own. Values without objects are left out, except the one the
 * filter chose (count 0 then, so the page can still show and undo it).
 * Free-text facets (dating, origin) keep their COLLECTION_FACET_VALUES most
 * frequent values. out[COLLECTION_FACETS]. 0, a reg_problem, or -1.
 */
int collection_facets(db_t *db, arena_t *a, const collection_filter *flt,
		      collection_facet_counts *out, model_problem *f);

/* A public object's card (object_get with the public rule): 1 when there is
 * no such object, or it is not registered, or not public. 0, 1, -1. The
 * caller shows only the visitor's fields of it. */
int collection_get(db_t *db, arena_t *a, int64_t id, object_card *out);

/* Up to limit public objects related to id: first those sharing a related
 * person, unit, event or place, then those of the same material and
 * dating; never id itself. 0 or -1. */
int collection_related(db_t *db, arena_t *a, int64_t id, size_t limit, collection_item **items,
		       size_t *n);

/*
 * Word search over the collection for the site's search page: the objects
 * matching match (an FTS5 expression, as collection_filter.match), best
 * first (bm25: names weigh most), offset and limit as a page number asks;
 * *total counts up to count_max. 0 or -1.
 */
int collection_search(db_t *db, arena_t *a, const char *match, int64_t offset, size_t limit,
		      int64_t count_max, collection_item **items, size_t *n, int64_t *total);

#endif
