/*
 * test_app.c - the start-up every command shares (src/app.c): paths from
 * SEN_SHARE_DIR, settings from defaults < sen.ini < SEN_* < flags, the
 * --set flag, and opening (and migrating) the database; and the version of
 * the static files (src/http/file.c) that app_load_templates() stores.
 * Each test works in a temporary data folder of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "db/db.h"
#include "http/http.h"

typedef struct {
	char dir[64];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sen-app-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	/* The shipped files are this source tree's. */
	const char *root = getenv("SEN_SOURCE_ROOT");
	if (root == NULL || setenv("SEN_SHARE_DIR", root, 1) != 0)
		return -1;
	unsetenv("SEN_THREADS");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	db_thread_close();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void test_paths(void **state)
{
	fixture *f = *state;
	app_t *a = app_paths(f->dir);
	assert_non_null(a);
	char want[256];
	assert_string_equal(a->data_dir, f->dir);
	snprintf(want, sizeof want, "%s/sen.db", f->dir);
	assert_string_equal(a->db_path, want);
	snprintf(want, sizeof want, "%s/media", f->dir);
	assert_string_equal(a->media_dir, want);
	snprintf(want, sizeof want, "%s/themes/default/static", getenv("SEN_SOURCE_ROOT"));
	assert_string_equal(a->static_dir, want);
	/* A share folder without sql/001_init.sql is refused. */
	assert_int_equal(setenv("SEN_SHARE_DIR", f->dir, 1), 0);
	assert_null(app_paths(f->dir));
	/* A path that does not fit is an error, not a shorter path. */
	char big[5000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(setenv("SEN_SHARE_DIR", getenv("SEN_SOURCE_ROOT"), 1), 0);
	assert_null(app_paths(big));
}

static void test_settings_layers(void **state)
{
	fixture *f = *state;
	app_t *a = app_paths(f->dir);
	assert_non_null(a);
	/* Defaults alone (no sen.ini). */
	assert_int_equal(app_settings(a, NULL, 0), 0);
	assert_int_equal(a->cfg.threads, 0);
	assert_int_equal(a->lang, LANG_VI);
	/* sen.ini < SEN_* < flags. */
	char ini[128];
	snprintf(ini, sizeof ini, "%s/sen.ini", f->dir);
	write_file(ini, "[site]\nlanguage = en\n[server]\nthreads = 3\nmax_body = 2048\n");
	assert_int_equal(app_settings(a, NULL, 0), 0);
	assert_int_equal(a->cfg.threads, 3);
	assert_int_equal(a->lang, LANG_EN);
	assert_int_equal(setenv("SEN_THREADS", "5", 1), 0);
	assert_int_equal(app_settings(a, NULL, 0), 0);
	assert_int_equal(a->cfg.threads, 5);
	app_flag flags[APP_FLAGS_MAX];
	size_t n = 0;
	char set[] = "server.max_body=4096";
	assert_int_equal(app_flag_add(flags, &n, "server.threads", "7"), 0);
	assert_int_equal(app_flag_set(flags, &n, set), 0);
	assert_int_equal(n, 2);
	assert_string_equal(flags[1].key, "server.max_body");
	assert_string_equal(flags[1].value, "4096");
	assert_int_equal(app_settings(a, flags, n), 0);
	assert_int_equal(a->cfg.threads, 7);
	assert_int_equal(a->cfg.max_body, 4096);
	/* A bad value anywhere is refused. */
	n = 0;
	assert_int_equal(app_flag_add(flags, &n, "server.threads", "many"), 0);
	assert_int_equal(app_settings(a, flags, n), -1);
	unsetenv("SEN_THREADS");
}

static void test_flags_refused(void **state)
{
	(void)state;
	app_flag flags[APP_FLAGS_MAX];
	size_t n = 0;
	char no_equals[] = "server.threads";
	assert_int_equal(app_flag_set(flags, &n, no_equals), -1);
	assert_int_equal(n, 0);
	for (int i = 0; i < APP_FLAGS_MAX; i++)
		assert_int_equal(app_flag_add(flags, &n, "server.threads", "1"), 0);
	assert_int_equal(app_flag_add(flags, &n, "server.threads", "1"), -1);
	assert_int_equal(n, APP_FLAGS_MAX);
}

static void test_open_database(void **state)
{
	fixture *f = *state;
	app_t *a = app_paths(f->dir);
	assert_non_null(a);
	assert_int_equal(app_settings(a, NULL, 0), 0);
	/* Without create, a missing database is an error and nothing is made. */
	assert_int_equal(app_database_exists(a), -1);
	assert_int_equal(app_open_database(a, false), -1);
	struct stat st;
	assert_int_equal(stat(a->db_path, &st), -1);
	assert_null(app_load(f->dir));
	/* With create: made and migrated; app_load() opens it from then on. */
	assert_int_equal(app_open_database(a, true), 0);
	assert_int_equal(app_database_exists(a), 0);
	assert_true(db_schema_version(db_get()) > 0);
	db_thread_close();
	assert_ptr_equal(app_load(f->dir), a);
	assert_true(db_schema_version(db_get()) > 0);
}

static void test_static_version(void **state)
{
	fixture *f = *state;
	char v1[24], v2[24], v3[24], path[128];
	snprintf(path, sizeof path, "%s/css", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/css/site.css", f->dir);
	write_file(path, "body{}");
	http_static_version(f->dir, v1, sizeof v1);
	assert_int_equal(strlen(v1), 12);
	assert_int_equal(strspn(v1, "0123456789abcdef"), 12);
	http_static_version(f->dir, v2, sizeof v2);
	assert_string_equal(v1, v2);
	/* A file more, in a sub-folder too, is another version. */
	snprintf(path, sizeof path, "%s/css/print.css", f->dir);
	write_file(path, "p{}");
	http_static_version(f->dir, v3, sizeof v3);
	assert_string_not_equal(v1, v3);
	/* Hidden files do not count. */
	snprintf(path, sizeof path, "%s/.swap", f->dir);
	write_file(path, "x");
	http_static_version(f->dir, v2, sizeof v2);
	assert_string_equal(v2, v3);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_layers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_version, setup, teardown),
	};
	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
