/*
 * search_test_util.h - the fixture of the search tests: a migrated database
 * in a temporary folder (../testdb.c) with two categories, and helpers to
 * add articles and run queries. Header-only; every helper is marked unused,
 * since no test binary needs all of them.
 */
#ifndef SEN_TESTS_SEARCH_TEST_UTIL_H
#define SEN_TESTS_SEARCH_TEST_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/seed.h"
#include "../testdb.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"
#include "model/category.h"
#include "model/search.h"

#define UNUSED __attribute__((unused))

typedef struct {
	TESTDB_FIXTURE;
	int64_t cat1, cat2;
} fixture;

UNUSED static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	if (f == NULL || seed_categories(f->db, "Trưng bày - Triển lãm", &f->cat1, &f->cat2) != 0)
		return -1;
	return 0;
}

UNUSED static int64_t add(fixture *f, int64_t cat, const char *title, const char *body,
		   int64_t published_at, int status)
{
	article_input in = {0};
	in.title = title;
	in.body_md = body;
	in.category_id = cat;
	in.published_at = published_at;
	in.status = status;
	int64_t id = 0;
	assert_int_equal(article_create(f->db, &in, &id), 0);
	return id;
}

/* Runs q (which must parse) and returns the result. */
UNUSED static search_result find(fixture *f, const char *q, const search_filter *filter)
{
	search_query sq;
	char why[128];
	int rc = search_parse(f->arena, q, strlen(q), &sq, why, sizeof why);
	if (rc != 0)
		fail_msg("query \"%s\" refused: %s", q, why);
	search_result r;
	assert_int_equal(search_run(f->db, f->arena, &sq, filter, &r), 0);
	return r;
}

UNUSED static bool found(const search_result *r, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].id == id)
			return true;
	return false;
}

UNUSED static search_query parse_ok(fixture *f, const char *q)
{
	search_query sq;
	char why[128];
	int rc = search_parse(f->arena, q, strlen(q), &sq, why, sizeof why);
	if (rc != 0)
		fail_msg("query \"%s\" refused (%d): %s", q, rc, why);
	return sq;
}

#endif
