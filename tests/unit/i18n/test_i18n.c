/*
 * test_i18n.c - the .po reader and the shipped catalogs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/i18n.h"

static json_t *parse(const char *text, char *err, size_t errlen)
{
	return i18n_parse_po("t.po", text, strlen(text), err, errlen);
}

static void test_parse_entries(void **state)
{
	(void)state;
	char err[256] = "";
	json_t *o = parse("# comment\n"
			  "msgid \"\"\nmsgstr \"\"\n\"Language: vi\\n\"\n\n"
			  "msgid \"nav_home\"\nmsgstr \"Trang chủ\"\n\n"
			  "#. translator note\nmsgctxt \"menu\"\nmsgid \"multi\"\n"
			  "msgstr \"\"\n\"dòng một \"\n\"\\\"và\\\" hai\\n\"\n\n"
			  "msgid \"untranslated\"\nmsgstr \"\"\n",
			  err, sizeof err);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "nav_home")), "Trang chủ");
	assert_string_equal(json_string_value(json_object_get(o, "multi")),
			    "dòng một \"và\" hai\n");
	/* The header and untranslated entries are not messages. */
	assert_null(json_object_get(o, ""));
	assert_null(json_object_get(o, "untranslated"));
	assert_int_equal(json_object_size(o), 2);
	json_decref(o);
}

static void test_parse_errors_name_the_line(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
	    {"msgid \"a\"\nmsgstr \"b\nmsgid \"c\"\n", "t.po:2: malformed string"},
	    {"msgstr \"b\"\n", "t.po:1: msgstr without msgid"},
	    {"\n\n\"loose\"\n", "t.po:3: string outside an entry"},
	    {"msgid \"a\"\n", "t.po:1: msgid without msgstr at end of file"},
	    {"msgid \"a\"\nmsgid_plural \"as\"\n", "t.po:2: plural forms are not used by Sen"},
	    {"msgid \"a\"\nmsgstr \"\\q\"\n", "t.po:2: malformed string"},
	    {"msgid \"a\"\nfoo\n", "t.po:2: expected msgid, msgstr, msgctxt, a string or a comment"},
	    {"msgid \"a\" x\nmsgstr \"b\"\n", "t.po:1: malformed string"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[256] = "";
		json_t *o = parse(cases[i].text, err, sizeof err);
		assert_null(o);
		assert_string_equal(err, cases[i].err);
	}
	char err[256] = "";
	assert_null(i18n_parse_po("t.po", "msgid \"\xff\"\nmsgstr \"x\"\n", 22, err, sizeof err));
	assert_string_equal(err, "t.po:0: not valid UTF-8 (or has a NUL byte)");
}

/* Every key of vi.po has an English translation, and the fallback works. */
static void test_shipped_catalogs(void **state)
{
	(void)state;
	const char *root = getenv("SEN_SOURCE_ROOT");
	assert_non_null(root);
	char dir[4096], err[512] = "";
	snprintf(dir, sizeof dir, "%s/locale", root);
	assert_int_equal(i18n_load(dir, err, sizeof err), 0);
	json_t *vi = i18n_catalog(LANG_VI), *en = i18n_catalog(LANG_EN);
	assert_true(json_object_size(vi) > 20);
	const char *key;
	json_t *value;
	json_object_foreach(vi, key, value) {
		json_t *e = json_object_get(en, key);
		assert_non_null(e);
		if (strcmp(key, "links_title") == 0)
			assert_string_equal(json_string_value(e), "Website links");
	}
	assert_string_equal(i18n_text(LANG_VI, "nav_home"), "Trang chủ");
	assert_string_equal(i18n_text(LANG_EN, "nav_home"), "Home");
	assert_string_equal(i18n_text(LANG_EN, "no_such_key"), "no_such_key");
	i18n_free();
	assert_int_equal(i18n_load("/nonexistent", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/vi.po"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_entries),
	    cmocka_unit_test(test_parse_errors_name_the_line),
	    cmocka_unit_test(test_shipped_catalogs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
