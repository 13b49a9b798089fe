/*
 * test_search_query.c - what the reader typed, made into a query
 * (src/model/search_query.c): words, phrases, FTS5 syntax as text, refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "search_test_util.h"

static void test_parse(void **state)
{
	fixture *f = *state;
	search_query q = parse_ok(f, "Điện Biên");
	assert_string_equal(q.match, "(\"dien\" OR \"=điện\") AND (\"bien\" OR \"=biên\")");
	assert_string_equal(q.match_folded, "\"dien\" AND \"bien\"");
	assert_int_equal(q.exact_mask, (1u << 1) | (1u << 3));
	assert_true(q.has_accents);
	assert_int_equal(q.nterms, 2);

	q = parse_ok(f, "DIEN BIEN phu");
	assert_string_equal(q.match, "\"dien\" AND \"bien\" AND \"phu\"");
	assert_int_equal(q.exact_mask, 0);
	assert_false(q.has_accents);

	/* Phrases, straight or typographic quotes, accents kept per word. */
	q = parse_ok(f, "\"bảo tàng chiến thang\" “Điện Biên” museum");
	assert_string_equal(q.match, "(\"bao tang chien thang\" OR \"=bảo =tàng =chiến thang\")"
				     " AND (\"dien bien\" OR \"=điện =biên\") AND \"museum\"");
	assert_int_equal(q.nterms, 3);
	assert_true(q.term_is_phrase[0]);
	assert_string_equal(q.terms[0], "bảo tàng chiến thang");
	assert_string_equal(q.terms[1], "Điện Biên");
	assert_false(q.term_is_phrase[2]);
	assert_int_equal(q.nwords, 7);

	/* An unclosed quote runs to the end; a one-word phrase is a word. */
	q = parse_ok(f, "a \"b c");
	assert_string_equal(q.match, "\"a\" AND \"b c\"");
	q = parse_ok(f, "\"x\"");
	assert_false(q.term_is_phrase[0]);

	/* Repeated terms count once; the text shown back is collapsed NFC. */
	q = parse_ok(f, "  ho\xcc\x80\x61   hòa  ");
	assert_string_equal(q.text, "hòa hòa");
	assert_int_equal(q.nterms, 1);

	/* FTS5 syntax is text. */
	q = parse_ok(f, "NEAR(a b) OR c* AND -d ^e f:g");
	assert_string_equal(q.match, "\"near\" AND \"a\" AND \"b\" AND \"or\" AND \"c\" AND \"and\""
				     " AND \"d\" AND \"e\" AND \"f\" AND \"g\"");
}

static void expect_refused(fixture *f, const char *q, size_t len, int code, const char *msg)
{
	search_query sq;
	char why[128];
	assert_int_equal(search_parse(f->arena, q, len, &sq, why, sizeof why), code);
	assert_non_null(strstr(why, msg));
	assert_null(sq.match);
}

static void test_parse_refuses(void **state)
{
	fixture *f = *state;
	expect_refused(f, "", 0, SEARCH_EMPTY, "Hãy nhập từ khóa");
	const char *syntax = "   \"*^:()-%_\\  ";
	expect_refused(f, syntax, strlen(syntax), SEARCH_EMPTY, "Hãy nhập từ khóa");
	expect_refused(f, "ab\xc3", 3, SEARCH_BAD, "UTF-8");
	expect_refused(f, "a\0b", 3, SEARCH_BAD, "UTF-8");
	expect_refused(f, "\xed\xa0\x80", 3, SEARCH_BAD, "UTF-8");   /* a surrogate */
	char *big = malloc(10001);
	memset(big, 'a', 10000);
	big[10000] = '\0';
	expect_refused(f, big, 10000, SEARCH_BAD, "dài quá 200 ký tự");
	/* 201 characters, under the byte cap: counted after NFC. */
	memset(big, 'a', 201);
	expect_refused(f, big, 201, SEARCH_BAD, "dài quá 200 ký tự");
	/* 200 NFC characters typed as NFD (600 bytes) pass. */
	size_t o = 0;
	for (int i = 0; i < 100; i++) {
		memcpy(big + o, "a\xcc\x81 ", 4);   /* á + space */
		o += 4;
	}
	search_query sq;
	char why[128];
	assert_int_equal(search_parse(f->arena, big, o - 1, &sq, why, sizeof why), SEARCH_BAD);
	assert_non_null(strstr(why, "tối đa 20 từ"));
	/* 20 words are fine, 21 are not. */
	o = 0;
	for (int i = 0; i < 21; i++)
		o += (size_t)sprintf(big + o, "w%d ", i);
	assert_int_equal(search_parse(f->arena, big, o, &sq, why, sizeof why), SEARCH_BAD);
	assert_non_null(strstr(why, "20 từ"));
	o = 0;
	for (int i = 0; i < 20; i++)
		o += (size_t)sprintf(big + o, "w%d ", i);
	assert_int_equal(search_parse(f->arena, big, o, &sq, why, sizeof why), 0);
	assert_int_equal(sq.nwords, 20);
	free(big);
}

/* A query typed in NFD is the query typed in NFC: same words, same
 * expression, same articles found. */
static void test_nfd_query(void **state)
{
	fixture *f = *state;
	int64_t id = add(f, f->cat1, "Trống đồng Điện Biên", "Hiện vật.", 1600000000,
			 ARTICLE_PUBLISHED);
	const char *nfd = "\"Tro\xCC\x82\xCC\x81ng \xC4\x91o\xCC\x82\xCC\x80ng\""
			  " \xC4\x90ie\xCC\x82\xCC\xA3n";
	search_query d = parse_ok(f, nfd);
	search_query c = parse_ok(f, "\"Trống đồng\" Điện");
	assert_string_equal(d.text, c.text);
	assert_string_equal(d.match, c.match);
	assert_string_equal(d.match_folded, c.match_folded);
	assert_int_equal(d.nterms, c.nterms);
	assert_true(d.has_accents);
	search_result r;
	assert_int_equal(search_run(f->db, f->arena, &d, NULL, &r), 0);
	assert_int_equal(r.total, 1);
	assert_true(found(&r, id));
	assert_int_equal(r.items[0].exact, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_parse, setup),
		testdb_case(test_parse_refuses, setup),
		testdb_case(test_nfd_query, setup),
	};
	return cmocka_run_group_tests_name("search_query", tests, NULL, NULL);
}
