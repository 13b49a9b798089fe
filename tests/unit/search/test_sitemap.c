/*
 * test_sitemap.c - the published articles a sitemap lists
 * (src/model/sitemap.c): drafts and future articles left out, pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <time.h>

#include "model/sitemap.h"
#include "search_test_util.h"

static int collect(int64_t id, const char *cat, const char *slug, int64_t updated, void *arg)
{
	(void)cat;
	(void)slug;
	(void)updated;
	int64_t *ids = arg;
	ids[++ids[0]] = id;
	return 0;
}

static void test_sitemap_listing(void **state)
{
	fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	int64_t a = add(f, f->cat1, "Một", "", now - 10, ARTICLE_PUBLISHED);
	add(f, f->cat1, "Nháp", "", now - 10, ARTICLE_DRAFT);
	int64_t b = add(f, f->cat2, "Hai", "", now - 10, ARTICLE_PUBLISHED);
	add(f, f->cat2, "Sau", "", now + 1000, ARTICLE_PUBLISHED);
	int64_t c = add(f, f->cat2, "Ba", "", now - 10, ARTICLE_PUBLISHED);
	int64_t ids[8] = {0};
	assert_int_equal(sitemap_each_article(f->db, 0, 10, collect, ids), 0);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], a);
	assert_int_equal(ids[2], b);
	assert_int_equal(ids[3], c);
	memset(ids, 0, sizeof ids);
	assert_int_equal(sitemap_each_article(f->db, 1, 1, collect, ids), 0);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_sitemap_listing, setup),
	};
	return cmocka_run_group_tests_name("sitemap", tests, NULL, NULL);
}
