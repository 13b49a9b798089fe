/*
 * test_tmpl.c - the Mustache engine against the official spec, plus the
 * behaviour the spec leaves to us: error messages, loading a directory,
 * the recursion guard, escaping, limits and rendering from many threads.
 *
 * Every case of every spec file in $SEN_SPEC_DIR becomes its own cmocka
 * test named "FILE: NAME", run in one group per file, so the output shows
 * how many cases of each file pass.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/log.h"
#include "render/tmpl.h"

/* ------------------------------------------------------------------------
 * Helpers
 */

/* Compiles each NULL-terminated (name, source) pair into a new set. */
static tmpl_set *make_set(const char *name, const char *src, ...)
{
	tmpl_set *set = tmpl_set_new();
	char err[256];
	va_list ap;
	assert_non_null(set);
	va_start(ap, src);
	while (name != NULL) {
		if (tmpl_set_add(set, name, src, strlen(src), err, sizeof err) != 0)
			fail_msg("compiling '%s': %s", name, err);
		name = va_arg(ap, const char *);
		if (name != NULL)
			src = va_arg(ap, const char *);
	}
	va_end(ap);
	return set;
}

/* Renders `name` with data given as JSON text; returns a malloc'd string
 * or NULL when rendering fails. */
static char *render_json(const tmpl_set *set, const char *name, const char *json)
{
	json_error_t jerr;
	json_t *data = json_loads(json, JSON_DECODE_ANY, &jerr);
	if (data == NULL)
		fail_msg("bad test JSON: %s", jerr.text);
	buf_t out = BUF_INIT;
	int rc = tmpl_render(set, name, data, &out);
	json_decref(data);
	if (rc != 0) {
		buf_free(&out);
		return NULL;
	}
	/* Nothing appended: the buffer has no memory (and no NUL) yet. */
	char *s = out.data != NULL ? buf_detach(&out, NULL) : strdup("");
	assert_non_null(s);
	return s;
}

/* One template, one render, compared with the expected text. */
static void check_render(const char *src, const char *json, const char *expected)
{
	tmpl_set *set = make_set("t", src, NULL);
	char *got = render_json(set, "t", json);
	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
	tmpl_set_free(set);
}

/* Compiling `src` as `name` must fail with exactly `expected`. */
static void check_error(const char *name, const char *src, const char *expected)
{
	tmpl_set *set = tmpl_set_new();
	char err[256] = "untouched";
	assert_int_equal(tmpl_set_add(set, name, src, strlen(src), err, sizeof err), -1);
	assert_string_equal(err, expected);
	assert_false(tmpl_set_has(set, name));
	tmpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * The official spec, one test per case
 */

struct spec_case {
	json_t *test;          /* borrowed from the file's document */
	tmpl_set *set;
	buf_t out;
};

static void run_spec_case(void **state)
{
	struct spec_case *sc = *state;
	const json_t *t = sc->test;
	const char *src = json_string_value(json_object_get(t, "template"));
	const char *expected = json_string_value(json_object_get(t, "expected"));
	json_t *partials = json_object_get(t, "partials");
	json_t *data = json_object_get(t, "data");
	char err[256];

	assert_non_null(src);
	assert_non_null(expected);
	sc->set = tmpl_set_new();
	assert_non_null(sc->set);
	if (tmpl_set_add(sc->set, "spec-main", src, strlen(src), err, sizeof err) != 0)
		fail_msg("template: %s", err);
	const char *key;
	json_t *value;
	json_object_foreach(partials, key, value) {
		const char *p = json_string_value(value);
		assert_non_null(p);
		if (tmpl_set_add(sc->set, key, p, strlen(p), err, sizeof err) != 0)
			fail_msg("partial '%s': %s", key, err);
	}
	assert_int_equal(tmpl_render(sc->set, "spec-main", data, &sc->out), 0);
	assert_string_equal(sc->out.data ? sc->out.data : "", expected);
}

static int spec_teardown(void **state)
{
	struct spec_case *sc = *state;
	tmpl_set_free(sc->set);
	sc->set = NULL;
	buf_free(&sc->out);
	return 0;
}

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials", "sections",
	"~inheritance", "~dynamic-names",
};

/* Runs one spec file as a cmocka group; returns the number of failures. */
static int run_spec_file(const char *dir, const char *file)
{
	char path[4096];
	json_error_t jerr;
	snprintf(path, sizeof path, "%s/%s.json", dir, file);
	json_t *doc = json_load_file(path, 0, &jerr);
	json_t *tests = json_object_get(doc, "tests");
	if (!json_is_array(tests) || json_array_size(tests) == 0) {
		fprintf(stderr, "%s: cannot load spec tests: %s\n", path, jerr.text);
		json_decref(doc);
		return 1;
	}
	size_t n = json_array_size(tests);
	struct CMUnitTest *cases = calloc(n, sizeof *cases);
	struct spec_case *state = calloc(n, sizeof *state);
	char **names = calloc(n, sizeof *names);
	assert_non_null(cases);
	assert_non_null(state);
	assert_non_null(names);
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(tests, i);
		const char *name = json_string_value(json_object_get(t, "name"));
		size_t len = strlen(file) + strlen(name ? name : "?") + 3;
		names[i] = malloc(len);
		assert_non_null(names[i]);
		snprintf(names[i], len, "%s: %s", file, name ? name : "?");
		state[i].test = t;
		cases[i] = (struct CMUnitTest){.name = names[i], .test_func = run_spec_case,
					       .teardown_func = spec_teardown,
					       .initial_state = &state[i]};
	}
	int failed = _cmocka_run_group_tests(file, cases, n, NULL, NULL);
	printf("spec %s: %zu of %zu cases pass\n", file, n - (size_t)failed, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(cases);
	free(state);
	json_decref(doc);
	return failed;
}

/* ------------------------------------------------------------------------
 * Compile errors name the template and the line
 */

static void test_error_unclosed_section(void **state)
{
	(void)state;
	check_error("article",
		    "<h1>{{title}}</h1>\n\n\n\n\n\n\n\n\n\n\n{{#items}}\n<li>{{.}}</li>\n",
		    "article:12: unclosed section 'items'");
	check_error("t", "{{^a}}\n{{#b}}{{/b}}", "t:1: unclosed section 'a'");
	check_error("t", "x\n{{$title}}", "t:2: unclosed block 'title'");
	check_error("t", "{{<layout}}\n{{$a}}{{/a}}\n", "t:1: unclosed parent 'layout'");
}

static void test_error_mismatched_close(void **state)
{
	(void)state;
	check_error("t", "a\n{{#x}}\n{{/y}}\n",
		    "t:3: closing tag 'y' does not match section 'x' opened on line 2");
	check_error("t", "{{/x}}", "t:1: unexpected closing tag 'x'");
	check_error("t", "{{#a}}{{#b}}{{/a}}{{/b}}",
		    "t:1: closing tag 'a' does not match section 'b' opened on line 1");
}

static void test_error_unclosed_tag(void **state)
{
	(void)state;
	check_error("t", "ok\n\nHello {{name", "t:3: unclosed tag '{{name'");
	check_error("t", "{{{name}}", "t:1: unclosed tag '{{{name}}'");
	check_error("t", "{{", "t:1: unclosed tag '{{'");
}

static void test_error_bad_delimiters(void **state)
{
	(void)state;
	check_error("t", "{{=<%=}}", "t:1: bad delimiters '<%'");
	check_error("t", "\n{{=a b c=}}", "t:2: bad delimiters 'a b c'");
	check_error("t", "{{= =}}", "t:1: bad delimiters ''");
	check_error("t", "{{=<= =>=}}", "t:1: bad delimiters '<= =>'");
	check_error("t", "{{=<% %>=}}<%x", "t:1: unclosed tag '<%x'");
}

static void test_error_bad_names(void **state)
{
	(void)state;
	check_error("t", "{{}}", "t:1: empty tag");
	check_error("t", "{{# }}{{/ }}", "t:1: empty tag");
	check_error("t", "{{first name}}", "t:1: bad tag name 'first name'");
	check_error("t", "{{a..b}}", "t:1: bad dotted name 'a..b'");
	check_error("t", "{{>*}}", "t:1: empty tag");
}

static void test_error_line_after_multiline_tags(void **state)
{
	(void)state;
	/* Newlines inside a comment still count. */
	check_error("t", "{{!\n\n}}\n{{/x}}", "t:4: unexpected closing tag 'x'");
}

static void test_error_keeps_previous_template(void **state)
{
	(void)state;
	tmpl_set *set = make_set("t", "old", NULL);
	char err[128];
	assert_int_equal(tmpl_set_add(set, "t", "{{#x}}", 6, err, sizeof err), -1);
	char *got = render_json(set, "t", "{}");
	assert_string_equal(got, "old");
	free(got);
	/* A NULL err is allowed: the message is logged instead. */
	assert_int_equal(tmpl_set_add(set, "u", "{{#x}}", 6, NULL, 0), -1);
	assert_int_equal(tmpl_set_add(set, "", "x", 1, err, sizeof err), -1);
	assert_int_equal(tmpl_set_count(set), 1);
	tmpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * Rendering rules the spec leaves open
 */

static void test_escaping(void **state)
{
	(void)state;
	check_render("{{x}}|{{{x}}}|{{&x}}", "{\"x\": \"a&b<c>d\\\"e'f\"}",
		     "a&amp;b&lt;c&gt;d&quot;e&#39;f|a&b<c>d\"e'f|a&b<c>d\"e'f");
	check_render("{{x}}", "{\"x\": \"Điện Biên Phủ & Huế\"}", "Điện Biên Phủ &amp; Huế");
	check_render("{{x}}", "{\"x\": \"<<<>>>\"}", "&lt;&lt;&lt;&gt;&gt;&gt;");
	check_render("<a title=\"{{t}}\">", "{\"t\": \"\\\" onmouseover='x'\"}",
		     "<a title=\"&quot; onmouseover=&#39;x&#39;\">");
}

static void test_values(void **state)
{
	(void)state;
	check_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}} {{j}} {{k}}",
		     "{\"a\": 85, \"b\": 1.21, \"c\": -0.5, \"d\": 3.0, \"e\": 0.1,"
		     " \"f\": 1e21, \"g\": -9007199254740993, \"h\": -9223372036854775808,"
		     " \"i\": 0.30000000000000004, \"j\": -1234.0625, \"k\": 2.5e-5}",
		     "85 1.21 -0.5 3 0.1 1e+21 -9007199254740993 -9223372036854775808"
		     " 0.30000000000000004 -1234.0625 0.000025");
	check_render("[{{t}}][{{f}}][{{n}}][{{o}}][{{l}}][{{missing}}]",
		     "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"a\": 1}, \"l\": [1, 2]}",
		     "[true][false][][][][]");
	/* Data without an object root, or no data at all. */
	check_render("{{.}}|{{x}}", "42", "42|");
	tmpl_set *set = make_set("t", "a{{x}}b", NULL);
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(out.data, "ab");
	buf_free(&out);
	tmpl_set_free(set);
}

static void test_truthiness(void **state)
{
	(void)state;
	const char *src = "{{#v}}yes{{/v}}{{^v}}no{{/v}}";
	check_render(src, "{\"v\": \"\"}", "no");        /* like mustache.js */
	check_render(src, "{\"v\": \"x\"}", "yes");
	check_render(src, "{\"v\": 0}", "yes");
	check_render(src, "{\"v\": 0.0}", "yes");
	check_render(src, "{\"v\": {}}", "yes");
	check_render(src, "{\"v\": []}", "no");
	check_render(src, "{\"v\": null}", "no");
	check_render(src, "{}", "no");
	check_render("{{#v}}{{.}}{{/v}}", "{\"v\": [\"a\", \"\", \"b\"]}", "ab");
}

static void test_contexts(void **state)
{
	(void)state;
	/* Sections push objects; names fall back to outer contexts. */
	check_render("{{#a}}{{#b}}{{x}}{{y}}{{z}}{{/b}}{{/a}}",
		     "{\"x\": 1, \"a\": {\"y\": 2, \"b\": {\"z\": 3}}}", "123");
	/* A dotted name binds its first part, then never falls back. */
	check_render("{{#a}}[{{b.c}}]{{/a}}", "{\"a\": {\"b\": {}}, \"b\": {\"c\": \"no\"}}",
		     "[]");
	/* Key present with null stops the search too. */
	check_render("{{#a}}[{{b}}]{{/a}}", "{\"a\": {\"b\": null}, \"b\": \"no\"}", "[]");
	/* Arrays of arrays and scalars. */
	check_render("{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\": [[1, 2], [], [\"x\"]]}",
		     "(12)()(x)");
}

static void test_set_delimiters_and_comments(void **state)
{
	(void)state;
	check_render("{{=<% %>=}}<%a%> {{a}} <%{b}%> <%={{ }}=%>{{a}}",
		     "{\"a\": \"1\", \"b\": \"<\"}", "1 {{a}} < 1");
	check_render("a {{! a comment }}b\n{{!\nmulti\nline\n}}\nc", "{}", "a b\nc");
}

static void test_standalone_and_indentation(void **state)
{
	(void)state;
	/* Indentation of nested standalone partials adds up; empty lines and
	 * interpolated newlines are not indented. */
	tmpl_set *set = make_set("page", "<body>\n  {{>list}}\n</body>\n",
				 "list", "<ul>\n{{#items}}\n  {{>item}}\n{{/items}}\n\n</ul>\n",
				 "item", "<li>{{.}}</li>\n", NULL);
	char *got = render_json(set, "page", "{\"items\": [\"a\", \"b\\nc\"]}");
	assert_string_equal(got, "<body>\n  <ul>\n    <li>a</li>\n    <li>b\nc</li>\n\n"
				 "  </ul>\n</body>\n");
	free(got);
	tmpl_set_free(set);

	/* A block substituted inline keeps the blanks before it and its line's
	 * newline; its later lines get those blanks too, and a standalone
	 * partial inside it adds its own indentation once. */
	set = make_set("layout", "<main>\n  {{$body}}{{/body}}\n</main>\n",
		       "page", "{{<layout}}{{$body}}\n{{#items}}\n  {{>item}}\n{{/items}}\n"
			       "{{/body}}{{/layout}}",
		       "item", "<li>{{.}}</li>\n", NULL);
	got = render_json(set, "page", "{\"items\": [1, 2]}");
	assert_string_equal(got, "<main>\n    <li>1</li>\n    <li>2</li>\n\n</main>\n");
	free(got);
	tmpl_set_free(set);

	/* Several non-printing tags on one line still make it standalone. */
	check_render("a\n  {{#x}}{{^y}}\nb\n  {{/y}}{{/x}}\nc\n", "{\"x\": true}", "a\nb\nc\n");
	/* A variable keeps the line. */
	check_render("a\n{{#x}}{{y}}\n{{/x}}\n", "{\"x\": true, \"y\": \"\"}", "a\n\n");
}

static void test_inheritance_layout(void **state)
{
	(void)state;
	tmpl_set *set = make_set(
		"layout",
		"<html>\n"
		"<head><title>{{$title}}Bảo tàng{{/title}}</title></head>\n"
		"<body>\n"
		"  <main>\n"
		"    {{$content}}\n"
		"    <p>nothing</p>\n"
		"    {{/content}}\n"
		"  </main>\n"
		"  {{>footer}}\n"
		"</body>\n"
		"</html>\n",
		"footer", "<footer>{{$year}}2024{{/year}}</footer>\n",
		"article",
		"{{<layout}}\n"
		"  {{$title}}{{title}} - Bảo tàng{{/title}}\n"
		"  {{$content}}\n"
		"  <h1>{{title}}</h1>\n"
		"  {{#tags}}\n"
		"  <span>{{.}}</span>\n"
		"  {{/tags}}\n"
		"  {{/content}}\n"
		"  {{$year}}2026{{/year}}\n"
		"{{/layout}}\n",
		NULL);
	char *got = render_json(set, "article", "{\"title\": \"Trống đồng <Đông Sơn>\","
						 " \"tags\": [\"đồng\", \"cổ vật\"]}");
	assert_string_equal(got,
			    "<html>\n"
			    "<head><title>Trống đồng &lt;Đông Sơn&gt; - Bảo tàng</title></head>\n"
			    "<body>\n"
			    "  <main>\n"
			    "    <h1>Trống đồng &lt;Đông Sơn&gt;</h1>\n"
			    "    <span>đồng</span>\n"
			    "    <span>cổ vật</span>\n"
			    "  </main>\n"
			    "  <footer>2026</footer>\n"
			    "</body>\n"
			    "</html>\n");
	free(got);
	got = render_json(set, "layout", "{}");
	assert_string_equal(got,
			    "<html>\n"
			    "<head><title>Bảo tàng</title></head>\n"
			    "<body>\n"
			    "  <main>\n"
			    "    <p>nothing</p>\n"
			    "  </main>\n"
			    "  <footer>2024</footer>\n"
			    "</body>\n"
			    "</html>\n");
	free(got);
	tmpl_set_free(set);
}

static void test_dynamic_partials(void **state)
{
	(void)state;
	tmpl_set *set = make_set("list", "{{#items}}{{>*kind}}{{/items}}",
				 "text", "[{{content}}]", "image", "<img src=\"{{url}}\">", NULL);
	char *got = render_json(set, "list",
				"{\"items\": [{\"kind\": \"text\", \"content\": \"a&b\"},"
				" {\"kind\": \"image\", \"url\": \"x.jpg\"},"
				" {\"kind\": \"nope\"}, {\"kind\": 5}, {}]}");
	assert_string_equal(got, "[a&amp;b]<img src=\"x.jpg\">");
	free(got);
	tmpl_set_free(set);

	/* Dynamic parents, closed with or without the inner space. */
	set = make_set("page", "{{< *layout}}{{$a}}[{{x}}]{{/a}}{{/*layout}}",
		       "wide", "wide:{{$a}}-{{/a}}", "narrow", "narrow:{{$a}}-{{/a}}", NULL);
	got = render_json(set, "page", "{\"layout\": \"wide\", \"x\": 1}");
	assert_string_equal(got, "wide:[1]");
	free(got);
	got = render_json(set, "page", "{\"layout\": \"narrow\", \"x\": 2}");
	assert_string_equal(got, "narrow:[2]");
	free(got);
	got = render_json(set, "page", "{\"layout\": \"none\"}");
	assert_string_equal(got, "");
	free(got);
	tmpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * Recursion guard and limits
 */

static void test_recursion_guard(void **state)
{
	(void)state;
	tmpl_set *set = make_set("loop", "x{{>loop}}", "a", "{{>b}}", "b", "{{>a}}",
				 "parent", "{{<parent}}{{/parent}}",
				 "block", "{{<block}}{{$b}}{{$b}}{{/b}}{{/b}}{{/block}}",
				 "tree", "{{name}}({{#children}}{{>tree}}{{/children}})", NULL);
	buf_t out = BUF_INIT;
	assert_int_equal(buf_puts(&out, "kept"), 0);
	assert_int_equal(tmpl_render(set, "loop", NULL, &out), -1);
	assert_string_equal(out.data, "kept");   /* cut back on failure */
	assert_int_equal(tmpl_render(set, "a", NULL, &out), -1);
	assert_int_equal(tmpl_render(set, "parent", NULL, &out), -1);
	assert_string_equal(out.data, "kept");
	buf_free(&out);

	/* Recursion bounded by the data works up to the fixed depth. */
	for (int depth = 1; depth <= 70; depth++) {
		json_t *root = json_object(), *node = root;
		for (int i = 0; i < depth; i++) {
			json_t *child = json_object();
			json_object_set_new(node, "name", json_integer(i));
			json_object_set_new(node, "children", json_pack("[o]", child));
			node = child;
		}
		/* Without its own list the leaf would find its parent's one
		 * (context fall-through) and recurse for ever. */
		json_object_set_new(node, "name", json_string("leaf"));
		json_object_set_new(node, "children", json_array());
		int rc = tmpl_render(set, "tree", root, &out);
		/* The root template is not an expansion; each level is one. */
		assert_int_equal(rc, depth <= TMPL_MAX_DEPTH ? 0 : -1);
		if (depth == 3)
			assert_string_equal(out.data, "0(1(2(leaf())))");
		buf_clear(&out);
		json_decref(root);
	}
	buf_free(&out);
	tmpl_set_free(set);
}

static void test_step_limit(void **state)
{
	(void)state;
	/* 100^5 iterations printing nothing: stopped by the step limit. */
	tmpl_set *set = make_set("t", "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
				 NULL);
	json_t *l = json_array();
	for (int i = 0; i < 100; i++)
		json_array_append_new(l, json_true());
	json_t *data = json_pack("{so}", "l", l);
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "t", data, &out), -1);
	buf_free(&out);
	json_decref(data);
	tmpl_set_free(set);
}

static void test_output_cap(void **state)
{
	(void)state;
	tmpl_set *set = make_set("t", "{{#l}}0123456789{{/l}}", NULL);
	json_t *data = json_pack("{s[iiiii]}", "l", 1, 2, 3, 4, 5);
	buf_t out = BUF_INIT;
	out.cap = 25;
	assert_int_equal(tmpl_render(set, "t", data, &out), -1);
	assert_true(out.failed);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	json_decref(data);
	tmpl_set_free(set);
}

static void test_missing_template(void **state)
{
	(void)state;
	tmpl_set *set = make_set("t", "{{>nope}}ok{{<nope}}{{/nope}}", NULL);
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "absent", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(out.data, "ok");
	buf_free(&out);
	tmpl_set_free(set);
}

static void test_replace_and_many(void **state)
{
	(void)state;
	tmpl_set *set = tmpl_set_new();
	char name[32], src[64], err[128];
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "dir/t%d", i);
		snprintf(src, sizeof src, "%d{{>dir/t%d}}", i, i + 1);
		assert_int_equal(tmpl_set_add(set, name, src, strlen(src), err, sizeof err), 0);
	}
	assert_int_equal(tmpl_set_count(set), 1000);
	assert_int_equal(tmpl_set_add(set, "dir/t500", "new", 3, err, sizeof err), 0);
	assert_int_equal(tmpl_set_count(set), 1000);
	char *got = render_json(set, "dir/t498", "{}");
	assert_string_equal(got, "498499new");
	free(got);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "dir/t%d", i);
		assert_true(tmpl_set_has(set, name));
	}
	assert_false(tmpl_set_has(set, "dir/t1000"));
	/* Sources need not be NUL-terminated. */
	assert_int_equal(tmpl_set_add(set, "cut", "ab{{x}}cd", 2, err, sizeof err), 0);
	got = render_json(set, "cut", "{}");
	assert_string_equal(got, "ab");
	free(got);
	tmpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * Loading a directory
 */

static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	/* Create parent directories as needed. */
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_tree(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_load_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/sen-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "layout.mustache", "<h1>{{$t}}x{{/t}}</h1>\n{{>partials/header}}");
	write_file(dir, "partials/header.mustache", "<header>{{site}}</header>\n");
	write_file(dir, "partials/deep/er/one.mustache", "one");
	write_file(dir, "page.mustache", "{{<layout}}{{$t}}{{title}}{{/t}}{{/layout}}");
	write_file(dir, "notes.txt", "{{#broken");
	write_file(dir, ".hidden/secret.mustache", "{{#broken");
	write_file(dir, "partials/.swp.mustache", "{{#broken");
	write_file(dir, "x.mustache.bak", "{{#broken");

	tmpl_set *set = tmpl_set_new();
	char err[512] = "untouched";
	assert_int_equal(tmpl_set_load_dir(set, dir, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(tmpl_set_count(set), 4);
	assert_true(tmpl_set_has(set, "layout"));
	assert_true(tmpl_set_has(set, "page"));
	assert_true(tmpl_set_has(set, "partials/header"));
	assert_true(tmpl_set_has(set, "partials/deep/er/one"));
	assert_false(tmpl_set_has(set, "notes"));
	assert_false(tmpl_set_has(set, "layout.mustache"));
	char *got = render_json(set, "page", "{\"title\": \"A&B\", \"site\": \"Sen\"}");
	assert_string_equal(got, "<h1>A&amp;B</h1>\n<header>Sen</header>\n");
	free(got);
	tmpl_set_free(set);

	/* A broken file is reported by path and line. */
	write_file(dir, "partials/bad.mustache", "ok\n{{#items}}\n");
	set = tmpl_set_new();
	assert_int_equal(tmpl_set_load_dir(set, dir, err, sizeof err), -1);
	char expected[600];
	snprintf(expected, sizeof expected, "%s/partials/bad.mustache:2: unclosed section 'items'",
		 dir);
	assert_string_equal(err, expected);
	tmpl_set_free(set);

	/* A missing directory. */
	set = tmpl_set_new();
	remove_tree(dir);
	assert_int_equal(tmpl_set_load_dir(set, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, dir));
	tmpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * Many threads, one set
 */

struct thread_job {
	const tmpl_set *set;
	json_t *data;
	const char *expected;
	int failures;
};

static void *render_loop(void *arg)
{
	struct thread_job *job = arg;
	buf_t out = BUF_INIT;
	for (int i = 0; i < 2000; i++) {
		buf_clear(&out);
		if (tmpl_render(job->set, "page", job->data, &out) != 0 ||
		    strcmp(out.data, job->expected) != 0)
			job->failures++;
	}
	buf_free(&out);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	tmpl_set *set = make_set(
		"page", "{{<layout}}{{$body}}\n{{#items}}\n  {{>item}}\n{{/items}}\n{{/body}}{{/layout}}",
		"layout", "<main>\n  {{$body}}\n  {{/body}}\n</main>\n",
		"item", "<li class=\"{{kind}}\">{{name}} {{price}}</li>\n", NULL);
	json_t *data = json_loads("{\"items\": [{\"name\": \"Trống <đồng>\", \"kind\": \"a\","
				  " \"price\": 1.5}, {\"name\": \"Gốm\", \"kind\": \"b\","
				  " \"price\": 20}]}", 0, NULL);
	assert_non_null(data);
	const char *expected = "<main>\n"
			       "    <li class=\"a\">Trống &lt;đồng&gt; 1.5</li>\n"
			       "    <li class=\"b\">Gốm 20</li>\n"
			       "</main>\n";
	buf_t out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "page", data, &out), 0);
	assert_string_equal(out.data, expected);
	buf_free(&out);

	pthread_t th[4];
	struct thread_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct thread_job){set, data, expected, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_loop, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].failures, 0);
	}
	json_decref(data);
	tmpl_set_free(set);
}

int main(void)
{
	const char *dir = getenv("SEN_SPEC_DIR");
	int failed = 0;

	log_set_level((enum log_level)(LOG_ERROR + 1));   /* expected failures would log */
	if (dir == NULL) {
		fprintf(stderr, "SEN_SPEC_DIR is not set\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof spec_files / sizeof spec_files[0]; i++)
		failed += run_spec_file(dir, spec_files[i]);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_unclosed_section),
		cmocka_unit_test(test_error_mismatched_close),
		cmocka_unit_test(test_error_unclosed_tag),
		cmocka_unit_test(test_error_bad_delimiters),
		cmocka_unit_test(test_error_bad_names),
		cmocka_unit_test(test_error_line_after_multiline_tags),
		cmocka_unit_test(test_error_keeps_previous_template),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_set_delimiters_and_comments),
		cmocka_unit_test(test_standalone_and_indentation),
		cmocka_unit_test(test_inheritance_layout),
		cmocka_unit_test(test_dynamic_partials),
		cmocka_unit_test(test_recursion_guard),
		cmocka_unit_test(test_step_limit),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_missing_template),
		cmocka_unit_test(test_replace_and_many),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_threads),
	};
	failed += cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
	return failed != 0;
}
