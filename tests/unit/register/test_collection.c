/*
 * test_collection.c - model/collection.c over the demo register in a fresh
 * database: only registered public objects, filters checked (a refusal names
 * the facet), keyset pages, each facet counted under the other filters, the
 * words looked up in the visitor's columns only, the row following the card
 * (public flag, intake), the site search's hits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/collection.h"
#include "model/object.h"
#include "model/register_demo.h"

static int setup(void **state)
{
	testdb_fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	int loaded = 0;
	return f != NULL && register_demo_load(f->db, &loaded) == 0 ? 0 : -1;
}

static int64_t count_of(testdb_fixture *f, const collection_filter *flt)
{
	int64_t n = -1;
	model_problem p;
	assert_int_equal(collection_count(f->db, flt, &n, &p), 0);
	return n;
}

static void test_check_names_the_facet(void **state)
{
	testdb_fixture *f = *state;
	model_problem p;
	collection_filter flt = {0};
	flt.value[COLLECTION_CLASS] = "quy_hiem";
	assert_int_equal(collection_check(&flt, &p), REG_BAD_CHOICE);
	assert_string_equal(p.field, "class");
	flt.value[COLLECTION_CLASS] = "co_vat";
	flt.value[COLLECTION_MODE] = "cuop";
	assert_int_equal(collection_check(&flt, &p), REG_BAD_CHOICE);
	assert_string_equal(p.field, "mode");
	flt.value[COLLECTION_MODE] = "hien_tang";
	flt.value[COLLECTION_EXHIBITION] = "12a";
	assert_int_equal(collection_check(&flt, &p), REG_BAD_NUMBER);
	assert_string_equal(p.field, "exhibition");
	flt.value[COLLECTION_EXHIBITION] = "0";
	assert_int_equal(collection_check(&flt, &p), REG_BAD_NUMBER);
	flt.value[COLLECTION_EXHIBITION] = "12";
	char long_text[COLLECTION_VALUE_MAX + 2];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	flt.value[COLLECTION_ORIGIN] = long_text;
	assert_int_equal(collection_check(&flt, &p), REG_TOO_LONG);
	assert_string_equal(p.field, "origin");
	flt.value[COLLECTION_ORIGIN] = "M\x01";
	assert_int_equal(collection_check(&flt, &p), REG_BAD_TEXT);
	flt.value[COLLECTION_ORIGIN] = "Mường Phăng";
	assert_int_equal(collection_check(&flt, &p), 0);
	/* A material nobody has is no refusal: it finds nothing. */
	collection_filter none = {0};
	none.value[COLLECTION_MATERIAL] = "ZZ";
	assert_int_equal(collection_check(&none, &p), 0);
	assert_int_equal(count_of(f, &none), 0);
}

static void test_pages_are_keyset_newest_first(void **state)
{
	testdb_fixture *f = *state;
	collection_filter flt = {0};
	assert_int_equal(count_of(f, &flt), 10);       /* the demo's ten named objects */
	int64_t before = 0, last = INT64_MAX, seen = 0;
	bool more = true;
	while (more) {
		collection_item *items;
		size_t n;
		model_problem p;
		assert_int_equal(collection_list(f->db, f->arena, &flt, before, 4, &items, &n, &more, &p), 0);
		assert_true(n > 0 && n <= 4);
		for (size_t i = 0; i < n; i++) {
			assert_true(items[i].id < last);
			last = items[i].id;
			assert_true(items[i].reg_number[0] != '\0');
		}
		seen += (int64_t)n;
		before = items[n - 1].id;
	}
	assert_int_equal(seen, 10);
}

static int64_t facet_sum(const collection_facet_counts *c)
{
	int64_t sum = 0;
	for (size_t i = 0; i < c->n; i++)
		sum += c->rows[i].count;
	return sum;
}

static int64_t facet_count(const collection_facet_counts *c, const char *value)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->rows[i].value, value) == 0)
			return c->rows[i].count;
	return -1;
}

static void test_facets_follow_the_other_filters(void **state)
{
	testdb_fixture *f = *state;
	collection_facet_counts all[COLLECTION_FACETS], metal[COLLECTION_FACETS];
	collection_filter flt = {0};
	model_problem p;
	assert_int_equal(collection_facets(f->db, f->arena, &flt, all, &p), 0);
	assert_int_equal(facet_sum(&all[COLLECTION_MATERIAL]), 10);
	assert_int_equal(facet_count(&all[COLLECTION_MATERIAL], "KL"), 4);
	assert_int_equal(facet_count(&all[COLLECTION_MODE], "hien_tang"), 4);
	assert_int_equal(facet_count(&all[COLLECTION_CLASS], "di_vat"), 10);
	assert_int_equal(all[COLLECTION_EXHIBITION].n, 0);
	/* Most objects first. */
	for (size_t i = 1; i < all[COLLECTION_MATERIAL].n; i++)
		assert_true(all[COLLECTION_MATERIAL].rows[i - 1].count >=
			    all[COLLECTION_MATERIAL].rows[i].count);
	flt.value[COLLECTION_MATERIAL] = "KL";
	assert_int_equal(collection_facets(f->db, f->arena, &flt, metal, &p), 0);
	/* Its own facet is counted without it; the others within metal. */
	assert_int_equal(facet_sum(&metal[COLLECTION_MATERIAL]), 10);
	assert_int_equal(facet_sum(&metal[COLLECTION_MODE]), 4);
	assert_int_equal(count_of(f, &flt), 4);
	/* Two filters: the mode counted within metal, metal within the mode. */
	flt.value[COLLECTION_MODE] = "suu_tam";
	collection_facet_counts both[COLLECTION_FACETS];
	assert_int_equal(collection_facets(f->db, f->arena, &flt, both, &p), 0);
	assert_int_equal(facet_count(&both[COLLECTION_MODE], "suu_tam"), count_of(f, &flt));
	assert_int_equal(facet_sum(&both[COLLECTION_MATERIAL]), 3);   /* the three collected */
	/* A chosen value nobody has stays on its facet with 0. */
	collection_filter odd = {0};
	odd.value[COLLECTION_DATING] = "thế kỷ XXX";
	collection_facet_counts c[COLLECTION_FACETS];
	assert_int_equal(collection_facets(f->db, f->arena, &odd, c, &p), 0);
	assert_int_equal(facet_count(&c[COLLECTION_DATING], "thế kỷ XXX"), 0);
	assert_int_equal(facet_sum(&c[COLLECTION_MATERIAL]), 0);
}

static void test_words_only_in_the_visitors_columns(void **state)
{
	testdb_fixture *f = *state;
	collection_filter flt = {.match = "\"mu\" AND \"coi\""};
	assert_int_equal(count_of(f, &flt), 1);
	/* The donor's name and the storage place are in the register's index,
	 * never found from the public side. */
	flt.match = "\"lo\" AND \"van\" AND \"inh\"";
	assert_int_equal(count_of(f, &flt), 0);
	flt.match = "\"kho\" AND \"chinh\"";
	assert_int_equal(count_of(f, &flt), 0);
	collection_item *items;
	size_t n;
	int64_t total;
	assert_int_equal(collection_search(f->db, f->arena, "\"bi\" AND \"dong\"", 0, 10, 5000, &items,
					   &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].name, "Bi đông nhôm");
	assert_int_equal(collection_search(f->db, f->arena, "\"kho\"", 0, 10, 5000, &items, &n, &total), 0);
	assert_int_equal(total, 0);
}

static void test_rows_follow_the_card(void **state)
{
	testdb_fixture *f = *state;
	collection_filter all = {0};
	object_card c;
	model_problem p;
	/* A public card leaves the collection when the flag goes, and comes back. */
	assert_int_equal(collection_get(f->db, f->arena, 3, &c), 0);
	c.public_ = false;
	assert_int_equal(object_update(f->db, &c, NULL, NULL, &p), 0);
	assert_int_equal(collection_get(f->db, f->arena, 3, &c), 1);
	assert_int_equal(count_of(f, &all), 9);
	assert_int_equal(object_get(f->db, f->arena, 3, &c), 0);
	c.public_ = true;
	assert_int_equal(object_update(f->db, &c, NULL, NULL, &p), 0);
	assert_int_equal(count_of(f, &all), 10);
	/* An object in intake marked public is not shown: not registered. */
	int64_t intake = 0;
	db_stmt *st = db_prepare(f->db, "SELECT id FROM objects WHERE status = 'intake' LIMIT 1");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	intake = db_col_int64(st, 0);
	db_done(st);
	assert_int_equal(object_get(f->db, f->arena, intake, &c), 0);
	c.public_ = true;
	assert_int_equal(object_update(f->db, &c, NULL, NULL, &p), 0);
	assert_int_equal(collection_get(f->db, f->arena, intake, &c), 1);
	assert_int_equal(count_of(f, &all), 10);
	/* Unknown: not found. */
	assert_int_equal(collection_get(f->db, f->arena, 99999999, &c), 1);
}

static void test_related_objects(void **state)
{
	testdb_fixture *f = *state;
	collection_item *items;
	size_t n;
	assert_int_equal(collection_related(f->db, f->arena, 1, 6, &items, &n), 0);
	assert_int_equal(n, 6);             /* the campaign links all ten */
	for (size_t i = 0; i < n; i++) {
		assert_true(items[i].id != 1);
		for (size_t j = 0; j < i; j++)
			assert_true(items[i].id != items[j].id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    testdb_case(test_check_names_the_facet, setup),
	    testdb_case(test_pages_are_keyset_newest_first, setup),
	    testdb_case(test_facets_follow_the_other_filters, setup),
	    testdb_case(test_words_only_in_the_visitors_columns, setup),
	    testdb_case(test_rows_follow_the_card, setup),
	    testdb_case(test_related_objects, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
