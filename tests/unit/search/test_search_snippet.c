/*
 * test_search_snippet.c - titles and passages shown for a hit
 * (src/model/search_snippet.c): escaped, marked, never raw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "search_test_util.h"

static void test_snippets(void **state)
{
	fixture *f = *state;
	add(f, f->cat1, "Tin <script>alert(1)</script> & \"quotes\"",
	    "Mở đầu.\n\n![Ảnh điện](anh-dien-bien.png \"Điện Biên\")\n\n"
	    "Đoạn *thứ hai* nói về Điện Biên Phủ & <b>thẻ</b> lạ \x01 x \x02.", 1600000000,
	    ARTICLE_PUBLISHED);
	search_result r = find(f, "dien bien", NULL);
	assert_int_equal(r.n, 1);
	const search_hit *h = &r.items[0];
	assert_string_equal(h->title, "Tin <script>alert(1)</script> & \"quotes\"");
	assert_string_equal(h->title_html,
			    "Tin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;");
	assert_null(strstr(h->snippet_html, "<script"));
	assert_null(strstr(h->snippet_html, "<b>"));
	assert_null(strstr(h->snippet_html, "png"));
	if (strstr(h->snippet_html, "<mark>Điện Biên</mark>") == NULL)
		fail_msg("snippet: %s", h->snippet_html);
	assert_non_null(strstr(h->snippet_html, "Phủ &amp;"));
	/* Markers typed into the text cannot make marks of their own. */
	const char *p = h->snippet_html;
	int opens = 0, closes = 0;
	while ((p = strstr(p, "<mark>")) != NULL) {
		opens++;
		p++;
	}
	p = h->snippet_html;
	while ((p = strstr(p, "</mark>")) != NULL) {
		closes++;
		p++;
	}
	assert_int_equal(opens, closes);
	/* Picture file names and Markdown are not indexed. */
	r = find(f, "png", NULL);
	assert_int_equal(r.total, 0);
	r = find(f, "anh dien bien png", NULL);
	assert_int_equal(r.total, 0);
}

static void test_marked_html(void **state)
{
	fixture *f = *state;
	const char *out;
	struct {
		const char *in, *want;
	} cases[] = {
		{"a\x01" "b\x02" "c", "a<mark>b</mark>c"},
		{"\x01open", "<mark>open</mark>"},
		{"x\x02\x02y\x01\x01z", "xy<mark>z</mark>"},
		{"<p>one</p>\n<p>two &amp; &lt;b&gt; &#272;&#x110;&nbsp;x</p>", "one two &amp; &lt;b&gt; ĐĐ x"},
		{"&bogus; &#0; &#xD800; &", "&amp;bogus; &amp;#0; &amp;#xD800; &amp;"},
		{"'\"", "&#39;&quot;"},
		{"bad\xff utf", "utf"},
		{"<img alt=\"x\" src=\"y.png\">\x01" "Điện\x02 Biên", "<mark>Điện</mark> Biên"},
		{"unclosed <tag", "unclosed"},
		{"\x01" "a\x02 \x01" "b\x02</p>\n<p>\x01" "c\x02 d", "<mark>a b c</mark> d"},
		{"\x01" "a\x02\x01" "b\x02", "<mark>ab</mark>"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(search_marked_html(f->arena, cases[i].in, strlen(cases[i].in), &out), 0);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\"", i, out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_snippets, setup),
		testdb_case(test_marked_html, setup),
	};
	return cmocka_run_group_tests_name("search_snippet", tests, NULL, NULL);
}
