/*
 * test_markdown.c - Markdown to HTML and to plain text.
 *
 * Golden files (golden/NAME.md -> golden/NAME.html) pin the ordinary
 * output; the cases below pin the safety rules: raw HTML dropped, dangerous
 * URLs emptied, figure attributes escaped, size and UTF-8 checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"
#include "core/text.h"
#include "render/markdown.h"

/* Renders md (NUL-terminated) and returns the HTML; the test frees it. */
static char *html_of(const char *md)
{
	buf_t b = BUF_INIT;
	assert_int_equal(markdown_to_html(md, strlen(md), &b), 0);
	assert_non_null(b.data);
	return buf_detach(&b, NULL);
}

static char *text_of(const char *md, size_t max)
{
	buf_t b = BUF_INIT;
	assert_int_equal(markdown_to_text(md, strlen(md), max, &b), 0);
	assert_int_equal(buf_append(&b, "", 0), 0);
	return buf_detach(&b, NULL);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf_t b = BUF_INIT;
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		assert_int_equal(buf_append(&b, tmp, n), 0);
	fclose(f);
	assert_int_equal(buf_append(&b, "", 0), 0);
	return buf_detach(&b, len);
}

/* ------------------------------------------------------------- golden */

static void check_golden(const char *name)
{
	const char *root = getenv("SEN_SOURCE_ROOT");
	if (root == NULL)
		root = ".";
	char path[4096];
	size_t mdlen, htmllen;
	snprintf(path, sizeof path, "%s/tests/unit/markdown/golden/%s.md", root, name);
	char *md = read_file(path, &mdlen);
	snprintf(path, sizeof path, "%s/tests/unit/markdown/golden/%s.html", root, name);
	char *want = read_file(path, &htmllen);

	buf_t got = BUF_INIT;
	assert_int_equal(markdown_to_html(md, mdlen, &got), 0);
	if (got.len != htmllen || memcmp(got.data, want, htmllen) != 0) {
		print_error("golden %s differs.\n--- want\n%s--- got\n%s", name, want, got.data);
		fail();
	}
	buf_free(&got);
	free(md);
	free(want);
}

static void test_golden_headings(void **state)
{
	(void)state;
	check_golden("headings");
}

static void test_golden_lists(void **state)
{
	(void)state;
	check_golden("lists");
}

static void test_golden_emphasis(void **state)
{
	(void)state;
	check_golden("emphasis");
}

static void test_golden_links(void **state)
{
	(void)state;
	check_golden("links");
}

static void test_golden_figures(void **state)
{
	(void)state;
	check_golden("figures");
}

/* ------------------------------------------------------------- safety */

static void test_raw_html_dropped(void **state)
{
	(void)state;
	char *h = html_of("<script>alert(1)</script>\n\nChữ <script>x()</script> và "
			  "<img src=x onerror=alert(1)> <iframe src=\"//evil\"></iframe>\n");
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<img src=x"));
	assert_null(strstr(h, "onerror"));
	assert_null(strstr(h, "<iframe"));
	assert_non_null(strstr(h, "<!-- raw HTML omitted -->"));
	assert_non_null(strstr(h, "Chữ "));
	free(h);
}

static void test_javascript_link_neutralised(void **state)
{
	(void)state;
	char *h = html_of("[bấm](javascript:alert(1)) [b](jAvAsCrIpT:x) "
			  "[c](javascript&#58;alert(1)) [d](vbscript:x) [e](file:///etc/passwd)\n");
	assert_string_equal(h, "<p><a href=\"\">bấm</a> <a href=\"\">b</a> <a href=\"\">c</a> "
			       "<a href=\"\">d</a> <a href=\"\">e</a></p>\n");
	free(h);
}

static void test_figure_escapes_everything(void **state)
{
	(void)state;
	char *h = html_of("![Ảnh \"một\" & <hai> 'ba'](x\"onerror=\"y.png "
			  "\"Chú thích \\\"trích\\\" <b>&amp;</b> 'đơn'\")\n");
	assert_string_equal(h,
			    "<figure class=\"figure\"><img src=\"/media/x%22onerror=%22y.png\" "
			    "alt=\"Ảnh &quot;một&quot; &amp; &lt;hai&gt; &#39;ba&#39;\" loading=\"lazy\">"
			    "<figcaption>Chú thích &quot;trích&quot; &lt;b&gt;&amp;&lt;/b&gt; "
			    "&#39;đơn&#39;</figcaption></figure>\n");
	free(h);
}

static void test_figure_caption_falls_back_to_alt(void **state)
{
	(void)state;
	char *h = html_of("Trước.\n\n![Trống đồng](a1b2c3.jpg)\n\nSau.\n");
	assert_string_equal(h, "<p>Trước.</p>\n"
			       "<figure class=\"figure\"><img src=\"/media/a1b2c3.jpg\" "
			       "alt=\"Trống đồng\" loading=\"lazy\"><figcaption>Trống đồng"
			       "</figcaption></figure>\n<p>Sau.</p>\n");
	free(h);
	/* No alt and no title: no empty figcaption. */
	h = html_of("![](https://example.org/a.png)\n");
	assert_string_equal(h, "<figure class=\"figure\"><img src=\"https://example.org/a.png\" "
			       "alt=\"\" loading=\"lazy\"></figure>\n");
	free(h);
}

static void test_figure_refuses_dangerous_sources(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"![x](javascript:alert(1))\n",
		"![x](JAVASCRIPT:alert(1))\n",
		"![x](javascript&#x3A;alert(1))\n",
		"![x](vbscript:msgbox(1))\n",
		"![x](file:///etc/passwd)\n",
		"![x](data:text/html;base64,PHNjcmlwdD4=)\n",
		"![x](data:image/svg+xml;base64,PHN2Zz4=)\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *h = html_of(bad[i]);
		if (strstr(h, "<img src=\"\" alt=\"x\" loading=\"lazy\">") == NULL)
			fail_msg("not neutralised: %s -> %s", bad[i], h);
		free(h);
	}
	/* Whitespace before the scheme is percent-encoded, so a browser sees a
	 * relative URL, not javascript:. */
	char *h = html_of("![x](<\tjavascript:alert(1)>)\n");
	assert_null(strstr(h, "src=\"javascript"));
	assert_null(strstr(h, "src=\"\tjavascript"));
	free(h);
	/* The allowed data: images stay. */
	h = html_of("![x](data:image/webp;base64,UklGRg==)\n");
	assert_non_null(strstr(h, "<img src=\"data:image/webp;base64,UklGRg==\""));
	free(h);
}

static void test_media_name_rewrite(void **state)
{
	(void)state;
	char *h = html_of("Xem ![a](anh.png), ![b](/static/b.png), ![c](https://x.org/c.png), "
			  "![d](thu-muc/d.png), ![e](../e.png), ![f](#g).\n");
	assert_non_null(strstr(h, "<img src=\"/media/anh.png\" alt=\"a\" />"));
	assert_non_null(strstr(h, "<img src=\"/static/b.png\" alt=\"b\" />"));
	assert_non_null(strstr(h, "<img src=\"https://x.org/c.png\" alt=\"c\" />"));
	assert_non_null(strstr(h, "<img src=\"thu-muc/d.png\" alt=\"d\" />"));
	assert_non_null(strstr(h, "<img src=\"../e.png\" alt=\"e\" />"));
	assert_non_null(strstr(h, "<img src=\"#g\" alt=\"f\" />"));
	free(h);
}

/* The figures of media pictures are found again in the HTML, with their
 * texts unescaped; a figure of another picture is not one of them. */
static void test_media_figures_read_back(void **state)
{
	(void)state;
	char *h = html_of("![Trống & \"đồng\"](anh.png \"Chú <thích> 'một'\")\n\nChữ\n\n"
			  "![](https://x.org/c.png)\n\n![](b-1.webp)\n");
	size_t len = strlen(h);
	markdown_figure f;
	buf_t alt = BUF_INIT, cap = BUF_INIT;
	assert_int_equal(markdown_figure_next(h, len, 0, &f), 1);
	assert_int_equal(f.start, 0);
	assert_int_equal(f.file_len, strlen("anh.png"));
	assert_memory_equal(f.file, "anh.png", f.file_len);
	assert_int_equal(markdown_unescape(f.alt, f.alt_len, &alt), 0);
	assert_string_equal(alt.data, "Trống & \"đồng\"");
	assert_int_equal(markdown_unescape(f.caption, f.caption_len, &cap), 0);
	assert_string_equal(cap.data, "Chú <thích> 'một'");
	assert_memory_equal(h + f.end - strlen("</figure>"), "</figure>", strlen("</figure>"));
	size_t first_end = f.end;
	assert_int_equal(markdown_figure_next(h, len, first_end, &f), 1);
	assert_memory_equal(f.file, "b-1.webp", f.file_len);
	assert_int_equal(f.alt_len, 0);
	assert_int_equal(f.caption_len, 0);
	/* Between them: the paragraph and the other picture's figure, untouched. */
	assert_non_null(strstr(h + first_end, "<p>Chữ</p>"));
	assert_true(strstr(h + first_end, "https://x.org/c.png") < h + f.start);
	assert_int_equal(markdown_figure_next(h, len, f.end, &f), 0);
	buf_free(&alt);
	buf_free(&cap);
	free(h);
}

/* ------------------------------------------------------------- limits */

static void test_oversize_refused(void **state)
{
	(void)state;
	size_t n = MARKDOWN_MAX_INPUT + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "trước"), 0);
	assert_int_equal(markdown_to_html(big, n, &b), -1);
	assert_string_equal(b.data, "trước");
	assert_int_equal(markdown_to_text(big, n, 100, &b), -1);
	assert_string_equal(b.data, "trước");
	/* Exactly the limit is accepted. */
	buf_clear(&b);
	assert_int_equal(markdown_to_html(big, n - 1, &b), 0);
	assert_true(b.len > MARKDOWN_MAX_INPUT);
	buf_free(&b);
	free(big);
}

static void test_invalid_utf8_refused(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{"abc\xC3\x28", 5},          /* broken 2-byte sequence */
		{"\xC0\xAF", 2},             /* overlong '/' */
		{"\xED\xA0\x80", 3},         /* surrogate */
		{"a\xE1\xBB", 3},            /* truncated "ố" */
		{"nul\0byte", 8},            /* NUL byte */
		{"\xF4\x90\x80\x80", 4},     /* above U+10FFFF */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_t b = BUF_INIT;
		assert_int_equal(markdown_to_html(bad[i].s, bad[i].len, &b), -1);
		assert_int_equal(b.len, 0);
		assert_int_equal(markdown_to_text(bad[i].s, bad[i].len, 50, &b), -1);
		assert_int_equal(b.len, 0);
		buf_free(&b);
	}
}

/* ---------------------------------------------------------- plain text */

static void test_text_strips_markup(void **state)
{
	(void)state;
	char *t = text_of("# Tiêu đề\n\n*Chữ*   **đậm** [liên kết](https://x.org) `mã`\n"
			  "dòng hai <b>x</b>\n\n![ảnh bỏ qua](a.png)\n\n- một\n- hai\n\n"
			  "> trích\n\n---\n\n```\nkhối mã\n```\n", 1000);
	assert_string_equal(t, "Tiêu đề Chữ đậm liên kết mã dòng hai x một hai trích khối mã");
	free(t);
	t = text_of("", 10);
	assert_string_equal(t, "");
	free(t);
}

static void test_text_cut_vietnamese(void **state)
{
	(void)state;
	const char *md = "Chiến thắng **Điện Biên Phủ** năm 1954 “lừng lẫy năm châu, "
			 "chấn động địa cầu” — kết thúc chín năm kháng chiến trường kỳ.";
	char *full = text_of(md, 10000);
	size_t full_len = strlen(full);
	static const char ell[] = "\xE2\x80\xA6";

	for (size_t max = 0; max <= full_len + 2; max++) {
		char *t = text_of(md, max);
		size_t n = strlen(t);
		assert_true(n <= max);
		assert_true(utf8_valid(t, n));
		if (max >= full_len) {
			assert_string_equal(t, full);
		} else if (n > 0) {
			/* Cut: ends with the ellipsis, and what comes before it is a
			 * prefix of the full text that ends at a word end. */
			assert_true(n > 3);
			assert_memory_equal(t + n - 3, ell, 3);
			size_t k = n - 3;
			assert_memory_equal(t, full, k);
			assert_true(full[k] == ' ' || k == utf8_cut(full, full_len, max - 3));
			assert_true(t[k - 1] != ' ');
		}
		free(t);
	}
	/* A concrete one: 20 bytes hold "Chiến thắng" (13 bytes) + "…". */
	char *t = text_of(md, 20);
	assert_string_equal(t, "Chiến thắng…");
	free(t);
	/* One long word is cut between characters, never inside one. */
	t = text_of("ĐĐĐĐĐĐĐĐĐĐ", 10); /* 2 bytes each */
	assert_string_equal(t, "ĐĐĐ…");
	free(t);
	free(full);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_headings),
		cmocka_unit_test(test_golden_lists),
		cmocka_unit_test(test_golden_emphasis),
		cmocka_unit_test(test_golden_links),
		cmocka_unit_test(test_golden_figures),
		cmocka_unit_test(test_raw_html_dropped),
		cmocka_unit_test(test_javascript_link_neutralised),
		cmocka_unit_test(test_figure_escapes_everything),
		cmocka_unit_test(test_figure_caption_falls_back_to_alt),
		cmocka_unit_test(test_figure_refuses_dangerous_sources),
		cmocka_unit_test(test_media_name_rewrite),
		cmocka_unit_test(test_media_figures_read_back),
		cmocka_unit_test(test_oversize_refused),
		cmocka_unit_test(test_invalid_utf8_refused),
		cmocka_unit_test(test_text_strips_markup),
		cmocka_unit_test(test_text_cut_vietnamese),
	};
	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
