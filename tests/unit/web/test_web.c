/*
 * test_web.c - the shared web layer (src/web): ids in URLs, article paths,
 * the language of a request and catalog text in it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"
#include "web/web.h"

static void parse_id_accepts_plain_positive_digits(void **state)
{
	(void)state;
	int64_t id = 0;
	assert_int_equal(web_parse_id("1", &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(web_parse_id("000000000000042", &id), 0);
	assert_int_equal(id, 42);
	assert_int_equal(web_parse_id("999999999999999", &id), 0);
	assert_int_equal(id, 999999999999999LL);
}

static void parse_id_refuses_everything_else(void **state)
{
	(void)state;
	const char *bad[] = {NULL, "", "0", "000", "-1", "+1", " 1", "1 ", "1a", "0x10", "1.0",
			     "1000000000000000" /* 16 digits */, "١"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t id = 7;
		assert_int_equal(web_parse_id(bad[i], &id), -1);
		assert_int_equal(id, 7); /* untouched on refusal */
	}
}

static void parse_slug_id_reads_the_last_number(void **state)
{
	(void)state;
	int64_t id = 0;
	assert_int_equal(web_parse_slug_id("hoi-nghi-2021-12", &id), 0);
	assert_int_equal(id, 12);
	assert_int_equal(web_parse_slug_id("12", &id), 0);
	assert_int_equal(id, 12);
	const char *bad[] = {"-1", "x--1", "Hoa-1", "hoa-", "hoa-0", "hoa-1a", "hoa_1-2", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(web_parse_slug_id(bad[i], &id), -1);
}

static void article_path_with_and_without_slug(void **state)
{
	(void)state;
	arena_t *a = arena_new(1024);
	assert_non_null(a);
	article art = {0};
	art.id = 12;
	art.category_slug = "tin-hoat-dong";
	art.slug = "hoi-nghi";
	assert_string_equal(web_article_path(a, &art), "/tin-hoat-dong/hoi-nghi-12");
	art.slug = "";
	assert_string_equal(web_article_path(a, &art), "/tin-hoat-dong/12");
	arena_free(a);
}

/* A request with a query and no connection (no headers, no cookies). */
typedef struct {
	app_t app;
	http_req req;
	http_kv query[2];
	arena_t *arena;
} fake_request;

static void fake_init(fake_request *f, lang_t site_lang, const char *lang_query)
{
	memset(f, 0, sizeof *f);
	f->app.lang = site_lang;
	f->arena = arena_new(4096);
	assert_non_null(f->arena);
	f->req.arena = f->arena;
	f->req.app = &f->app;
	f->req.path = "/tim-kiem";
	f->req.query = f->query;
	f->query[0] = (http_kv){"q", "hoa sen", 7};
	f->req.nquery = 1;
	if (lang_query != NULL) {
		f->query[1] = (http_kv){"lang", lang_query, strlen(lang_query)};
		f->req.nquery = 2;
	}
}

static void lang_is_the_site_language_unless_chosen(void **state)
{
	(void)state;
	fake_request f;
	fake_init(&f, LANG_VI, NULL);
	assert_int_equal(web_lang(&f.req), LANG_VI);
	arena_free(f.arena);

	fake_init(&f, LANG_VI, "en");
	assert_int_equal(web_lang(&f.req), LANG_EN);
	arena_free(f.arena);

	/* Not a language we have: the site's. */
	fake_init(&f, LANG_VI, "fr");
	assert_int_equal(web_lang(&f.req), LANG_VI);
	arena_free(f.arena);

	fake_init(&f, LANG_EN, "vi");
	assert_int_equal(web_lang(&f.req), LANG_VI);
	arena_free(f.arena);
}

static void lang_is_chosen_once_per_request(void **state)
{
	(void)state;
	fake_request f;
	fake_init(&f, LANG_VI, "en");
	assert_int_equal(web_lang(&f.req), LANG_EN);
	/* Whatever changes later, the request keeps the language it started
	 * with, so all parts of one page agree. */
	f.req.nquery = 1;
	assert_int_equal(web_lang(&f.req), LANG_EN);
	assert_true(f.req.lang_known);
	arena_free(f.arena);
}

static int load_catalogs(void **state)
{
	(void)state;
	const char *root = getenv("SEN_SOURCE_ROOT");
	if (root == NULL)
		return -1;
	char dir[4096], err[512] = "";
	snprintf(dir, sizeof dir, "%s/locale", root);
	return i18n_load(dir, err, sizeof err);
}

static int free_catalogs(void **state)
{
	(void)state;
	i18n_free();
	return 0;
}

static void text_follows_the_request_language(void **state)
{
	(void)state;
	fake_request f;
	fake_init(&f, LANG_VI, "en");
	assert_string_equal(web_text(&f.req, "portal_not_found"), "Article not found.");
	assert_string_equal(web_textf(&f.req, "portal_search_more_than", 4000), "more than 4,000");
	assert_string_equal(web_text(&f.req, "no_such_key_anywhere"), "no_such_key_anywhere");
	arena_free(f.arena);
	fake_init(&f, LANG_VI, NULL);
	assert_string_equal(web_text(&f.req, "portal_not_found"), "Không tìm thấy bài viết.");
	assert_string_equal(web_textf(&f.req, "portal_search_more_than", 4000), "hơn 4.000");
	arena_free(f.arena);
}

static void lang_context_links_the_other_language(void **state)
{
	(void)state;
	fake_request f;
	fake_init(&f, LANG_VI, NULL);
	json_t *ctx = json_object();
	web_lang_context(&f.req, ctx);
	assert_string_equal(json_string_value(json_object_get(ctx, "lang")), "vi");
	json_t *other = json_object_get(ctx, "other_lang");
	assert_string_equal(json_string_value(json_object_get(other, "code")), "en");
	/* The search keeps its words; only lang changes. */
	assert_string_equal(json_string_value(json_object_get(other, "url")),
			    "/tim-kiem?q=hoa%20sen&lang=en");
	assert_true(json_is_object(json_object_get(ctx, "t")));
	json_decref(ctx);
	arena_free(f.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_id_accepts_plain_positive_digits),
		cmocka_unit_test(parse_id_refuses_everything_else),
		cmocka_unit_test(parse_slug_id_reads_the_last_number),
		cmocka_unit_test(article_path_with_and_without_slug),
		cmocka_unit_test(lang_is_the_site_language_unless_chosen),
		cmocka_unit_test(lang_is_chosen_once_per_request),
		cmocka_unit_test(text_follows_the_request_language),
		cmocka_unit_test(lang_context_links_the_other_language),
	};
	return cmocka_run_group_tests(tests, load_catalogs, free_catalogs);
}
