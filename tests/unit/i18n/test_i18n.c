/*
 * test_i18n.c - the .po reader and the shipped catalogs.
 */
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../support/files.h"
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

/* ---- the shipped catalogs ------------------------------------------------- */

/* A whole file in a malloc'd buffer (*len bytes), or NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *grown = realloc(buf, cap);
			assert_non_null(grown);
			buf = grown;
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The catalog of one file as it is written (no merging, no fallback). */
static json_t *load_po(const char *path)
{
	size_t len = 0;
	char *text = slurp(path, &len);
	if (text == NULL)
		return NULL;
	char err[512] = "";
	json_t *o = i18n_parse_po(path, text, len, err, sizeof err);
	free(text);
	if (o == NULL)
		fail_msg("%s", err);
	return o;
}

/* The folders that hold a catalog pair: locale/ and each locale/PART/. */
static size_t catalog_dirs(const char *root, char dirs[][4096], size_t max)
{
	size_t n = 0;
	snprintf(dirs[n++], 4096, "%s/locale", root);
	DIR *d = opendir(dirs[0]);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < max) {
		struct stat st;
		char sub[4096];
		if (e->d_name[0] == '.' ||
		    snprintf(sub, sizeof sub, "%s/locale/%s", root, e->d_name) >= (int)sizeof sub ||
		    stat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		snprintf(dirs[n++], 4096, "%s", sub);
	}
	closedir(d);
	return n;
}

/*
 * Every key of each vi.po has its English in the en.po of the same folder:
 * read from the files themselves, since after loading English falls back to
 * Vietnamese key by key and would always look complete.
 */
static void test_every_key_translated(void **state)
{
	(void)state;
	const char *root = getenv("SEN_SOURCE_ROOT");
	assert_non_null(root);
	static char dirs[64][4096];
	size_t ndirs = catalog_dirs(root, dirs, 64);
	size_t keys = 0, missing = 0;
	for (size_t i = 0; i < ndirs; i++) {
		char vi_path[4200], en_path[4200];
		snprintf(vi_path, sizeof vi_path, "%s/vi.po", dirs[i]);
		snprintf(en_path, sizeof en_path, "%s/en.po", dirs[i]);
		json_t *vi = load_po(vi_path), *en = load_po(en_path);
		assert_non_null(vi);
		assert_non_null(en);
		const char *key;
		json_t *value;
		json_object_foreach(vi, key, value) {
			keys++;
			const char *e = json_string_value(json_object_get(en, key));
			if (e == NULL || e[0] == '\0') {
				print_error("%s: \"%s\" has no English\n", en_path, key);
				missing++;
			}
		}
		/* And nothing in English that Vietnamese lacks (a typo in a key). */
		json_object_foreach(en, key, value) {
			if (json_object_get(vi, key) == NULL) {
				print_error("%s: \"%s\" is not in vi.po\n", en_path, key);
				missing++;
			}
		}
		json_decref(vi);
		json_decref(en);
	}
	assert_true(keys > 100);
	assert_int_equal(missing, 0);
}

/* Calls fn(key, ctx) for every {{t.KEY}} (any sigil, triple braces too) in
 * the templates under dir, recursively. Returns the number of keys seen. */
static size_t scan_templates(const char *dir, void (*fn)(const char *key, const char *file,
							  void *ctx),
			     void *ctx)
{
	size_t seen = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			seen += scan_templates(path, fn, ctx);
			continue;
		}
		size_t len = strlen(e->d_name), n = 0;
		if (len < 9 || strcmp(e->d_name + len - 9, ".mustache") != 0)
			continue;
		char *text = slurp(path, &n);
		assert_non_null(text);
		for (const char *p = strstr(text, "{{"); p != NULL; p = strstr(p, "{{")) {
			p += 2;
			const char *q = p;
			if (*q == '{')
				q++;
			while (*q == ' ')
				q++;
			if (*q == '#' || *q == '^' || *q == '/' || *q == '&')
				q++;
			while (*q == ' ')
				q++;
			if (strncmp(q, "t.", 2) != 0)
				continue;
			q += 2;
			char key[128];
			size_t k = 0;
			while (k + 1 < sizeof key && (isalnum((unsigned char)q[k]) || q[k] == '_'))
				k++;
			memcpy(key, q, k);
			key[k] = '\0';
			if (k == 0)
				fail_msg("%s: \"{{t.\" without a key", path);
			fn(key, path, ctx);
			seen++;
		}
		free(text);
	}
	closedir(d);
	return seen;
}

typedef struct {
	json_t *vi, *en;
	json_t *reported;   /* each missing key is told once */
	size_t missing;
} key_check;

static void check_key(const char *key, const char *file, void *ctx)
{
	key_check *c = ctx;
	if (json_object_get(c->reported, key) != NULL)
		return;
	json_object_set_new(c->reported, key, json_true());
	if (json_object_get(c->vi, key) == NULL) {
		print_error("%s: {{t.%s}} is in no vi.po\n", file, key);
		c->missing++;
	}
	const char *e = json_string_value(json_object_get(c->en, key));
	if (e == NULL || e[0] == '\0') {
		print_error("%s: {{t.%s}} has no English in any en.po\n", file, key);
		c->missing++;
	}
}

/* Every {{t.KEY}} of every template is in a vi.po and in an en.po. */
static void test_template_keys_exist(void **state)
{
	(void)state;
	const char *root = getenv("SEN_SOURCE_ROOT");
	assert_non_null(root);
	static char dirs[64][4096];
	size_t ndirs = catalog_dirs(root, dirs, 64);
	key_check c = {json_object(), json_object(), json_object(), 0};
	for (size_t i = 0; i < ndirs; i++) {
		for (int l = 0; l < 2; l++) {
			char path[4200];
			snprintf(path, sizeof path, "%s/%s.po", dirs[i], l == 0 ? "vi" : "en");
			json_t *o = load_po(path);
			assert_non_null(o);
			json_object_update(l == 0 ? c.vi : c.en, o);
			json_decref(o);
		}
	}
	char themes[4096];
	snprintf(themes, sizeof themes, "%s/themes/default", root);
	size_t seen = scan_templates(themes, check_key, &c);
	json_decref(c.vi);
	json_decref(c.en);
	json_decref(c.reported);
	assert_true(seen > 100);
	assert_int_equal(c.missing, 0);
}

/* Loading merges the parts; English falls back to Vietnamese, then to the key. */
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
	assert_int_equal(json_object_size(en), json_object_size(vi));
	assert_string_equal(i18n_text(LANG_EN, "links_title"), "Website links");
	assert_string_equal(i18n_text(LANG_VI, "nav_home"), "Trang chủ");
	assert_string_equal(i18n_text(LANG_EN, "nav_home"), "Home");
	/* Public labels that end-to-end tests quote, byte for byte. */
	assert_string_equal(i18n_text(LANG_VI, "portal_captcha_wrong"), "Mã xác thực không đúng.");
	assert_string_equal(i18n_text(LANG_VI, "portal_related_title"), "Tin liên quan");
	assert_string_equal(i18n_text(LANG_EN, "portal_captcha_wrong"),
			    "The verification code is wrong.");
	assert_string_equal(i18n_text(LANG_EN, "no_such_key"), "no_such_key");
	i18n_free();
	assert_int_equal(i18n_load("/nonexistent", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/vi.po"));
}

#define PO_HEAD "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"

/* Part folders are merged into the catalogs; a key two catalogs define is an
 * error that names the file; a part without its English file is refused. */
static void test_part_catalogs(void **state)
{
	(void)state;
	char dir[] = "/tmp/sen-i18n-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[4200], err[512] = "";
	put_file(dir, "vi.po", PO_HEAD "msgid \"a\"\nmsgstr \"Một\"\n");
	put_file(dir, "en.po", PO_HEAD "msgid \"a\"\nmsgstr \"One\"\n");
	snprintf(sub, sizeof sub, "%s/editor", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put_file(sub, "vi.po", PO_HEAD "msgid \"b\"\nmsgstr \"Hai\"\n\nmsgid \"c\"\nmsgstr \"Ba\"\n");
	put_file(sub, "en.po", PO_HEAD "msgid \"b\"\nmsgstr \"Two\"\n");
	assert_int_equal(i18n_load(dir, err, sizeof err), 0);
	assert_string_equal(i18n_text(LANG_VI, "a"), "Một");
	assert_string_equal(i18n_text(LANG_VI, "b"), "Hai");
	assert_string_equal(i18n_text(LANG_EN, "b"), "Two");
	assert_string_equal(i18n_text(LANG_EN, "c"), "Ba"); /* falls back to Vietnamese */

	/* A second part redefining "b": refused, and the catalogs loaded before stay. */
	char sub2[4200];
	snprintf(sub2, sizeof sub2, "%s/media", dir);
	assert_int_equal(mkdir(sub2, 0700), 0);
	put_file(sub2, "vi.po", PO_HEAD "msgid \"b\"\nmsgstr \"Khác\"\n");
	put_file(sub2, "en.po", PO_HEAD);
	assert_int_equal(i18n_load(dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "media/vi.po"));
	assert_non_null(strstr(err, "\"b\""));
	assert_string_equal(i18n_text(LANG_VI, "b"), "Hai");

	/* A part with only one language is refused, naming the missing file. */
	put_file(sub2, "vi.po", PO_HEAD "msgid \"d\"\nmsgstr \"Bốn\"\n");
	char en2[4300];
	snprintf(en2, sizeof en2, "%s/en.po", sub2);
	assert_int_equal(unlink(en2), 0);
	assert_int_equal(i18n_load(dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "media/en.po"));

	/* Clean up. */
	char path[4400];
	const char *files[][2] = {{dir, "vi.po"}, {dir, "en.po"}, {sub, "vi.po"}, {sub, "en.po"},
				  {sub2, "vi.po"}};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", files[i][0], files[i][1]);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(sub2), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
	i18n_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_entries),
	    cmocka_unit_test(test_parse_errors_name_the_line),
	    cmocka_unit_test(test_shipped_catalogs),
	    cmocka_unit_test(test_every_key_translated),
	    cmocka_unit_test(test_template_keys_exist),
	    cmocka_unit_test(test_part_catalogs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
