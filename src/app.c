/*
 * app.c - the process's app_t: where its files are, its settings, its
 * database and its templates (app.h).
 *
 * Every command starts here: app_paths() finds the shipped files and names
 * the data directory's, app_settings() reads defaults < sen.ini < SEN_* <
 * flags, app_open_database() opens and migrates sen.db; `sen serve` also
 * compiles the templates and reads the catalogs (app_load_templates).
 * Errors are printed for the person at the terminal, in Vietnamese, once,
 * where they are found.
 *
 * Memory: the one app_t is static and lives until exit; its templates are
 * freed by whoever loaded them (tmpl_set_free, i18n_free).
 */
#include "app.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/privdrop.h"
#include "db/db.h"
#include "http/http.h"
#include "render/i18n.h"

static app_t app;

int app_pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "sen: đường dẫn quá dài: %.80s...\n", out);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */
/* ------------------------------------------------------------------ */

static int is_share_dir(const char *dir)
{
	char p[PATH_MAX];
	return app_pathf(p, sizeof p, "%s/sql/001_init.sql", dir) == 0 && access(p, R_OK) == 0;
}

/* The shipped files (sql/, themes/, demo/) live beside the source tree in a
 * checkout (build/sen -> ..), or in PREFIX/share/sen when installed. */
static int find_share_dir(char *out, size_t len)
{
	const char *env = getenv("SEN_SHARE_DIR");
	if (env != NULL && env[0] != '\0') {
		if (!is_share_dir(env)) {
			fprintf(stderr, "sen: SEN_SHARE_DIR=%s không chứa sql/001_init.sql\n", env);
			return -1;
		}
		snprintf(out, len, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe);
		const char *tries[] = {"%s/..", "%s/../share/sen", "%s"};
		for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
			char cand[PATH_MAX], real[PATH_MAX];
			snprintf(cand, sizeof cand, tries[i], dir);
			if (is_share_dir(cand) && realpath(cand, real) != NULL) {
				snprintf(out, len, "%s", real);
				return 0;
			}
		}
	}
	if (is_share_dir(".") && realpath(".", out) != NULL)
		return 0;
	fprintf(stderr, "sen: không tìm thấy thư mục dữ liệu đi kèm (sql/, themes/); "
			"hãy đặt SEN_SHARE_DIR\n");
	return -1;
}

app_t *app_paths(const char *data_dir)
{
	if (find_share_dir(app.share_dir, sizeof app.share_dir) != 0)
		return NULL;
	snprintf(app.data_dir, sizeof app.data_dir, "%s", data_dir);
	if (app_pathf(app.theme_dir, sizeof app.theme_dir, "%s/themes/default", app.share_dir) != 0 ||
	    app_pathf(app.static_dir, sizeof app.static_dir, "%s/static", app.theme_dir) != 0 ||
	    app_pathf(app.media_dir, sizeof app.media_dir, "%s/media", app.data_dir) != 0 ||
	    app_pathf(app.db_path, sizeof app.db_path, "%s/sen.db", app.data_dir) != 0)
		return NULL;
	return &app;
}

const char *app_default_data_dir(void)
{
	const char *d = getenv("SEN_DATA");
	return d != NULL && d[0] != '\0' ? d : "data";
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

int app_settings(app_t *a, const app_flag *flags, size_t nflags)
{
	char err[512], ini[PATH_MAX];
	config_defaults(&a->cfg);
	if (app_pathf(ini, sizeof ini, "%s/sen.ini", a->data_dir) != 0)
		return -1;
	if (config_load_file(&a->cfg, ini, 1, err, sizeof err) != 0 ||
	    config_load_env(&a->cfg, err, sizeof err) != 0)
		goto fail;
	for (size_t i = 0; i < nflags; i++)
		if (config_set(&a->cfg, flags[i].key, flags[i].value, err, sizeof err) != 0)
			goto fail;
	if (config_validate(&a->cfg, err, sizeof err) != 0)
		goto fail;
	a->lang = strcmp(a->cfg.language, "en") == 0 ? LANG_EN : LANG_VI;
	return 0;
fail:
	fprintf(stderr, "sen: %s\n", err);
	return -1;
}

int app_flag_add(app_flag *flags, size_t *n, const char *key, const char *value)
{
	if (*n >= APP_FLAGS_MAX) {
		fprintf(stderr, "sen: quá nhiều tham số\n");
		return -1;
	}
	flags[*n].key = key;
	flags[*n].value = value;
	(*n)++;
	return 0;
}

int app_flag_set(app_flag *flags, size_t *n, char *arg)
{
	char *eq = strchr(arg, '=');
	if (eq == NULL) {
		fprintf(stderr, "sen: --set cần dạng mục.khóa=giá_trị, ví dụ server.threads=4\n");
		return -1;
	}
	*eq = '\0';
	return app_flag_add(flags, n, arg, eq + 1);
}

/* ------------------------------------------------------------------ */
/* The database                                                        */
/* ------------------------------------------------------------------ */

int app_database_exists(const app_t *a)
{
	struct stat st;
	if (stat(a->db_path, &st) != 0) {
		fprintf(stderr, "sen: chưa có cơ sở dữ liệu %s; hãy chạy `sen init --data %s` trước\n",
			a->db_path, a->data_dir);
		return -1;
	}
	return 0;
}

/* A command run as root beside a server that dropped to an account gives
 * back what it wrote below media/ and tmp/ when it ends (core/privdrop.h). */
static void hand_back_at_exit(void)
{
	unsigned n = 0;
	if (privdrop_hand_back(app.data_dir, &n) != 0)
		fprintf(stderr, "sen: không trả được tệp mới trong %s cho tài khoản phục vụ; "
				"hãy chạy: chown -R --reference=%s %s/media\n", app.data_dir,
			app.data_dir, app.data_dir);
}

int app_open_database(app_t *a, bool create)
{
	char sql_dir[PATH_MAX];
	if (!create && app_database_exists(a) != 0)
		return -1;
	static bool hand_back_registered;
	if (geteuid() == 0 && !hand_back_registered) {
		hand_back_registered = true;
		atexit(hand_back_at_exit);
	}
	if (db_open(a->db_path, a->cfg.synchronous) != 0)
		return -1;
	db_t *db = db_get();
	if (db == NULL)
		return -1;
	if (app_pathf(sql_dir, sizeof sql_dir, "%s/sql", a->share_dir) != 0)
		return -1;
	return db_migrate(db, sql_dir);
}

app_t *app_load(const char *data_dir)
{
	app_t *a = app_paths(data_dir);
	if (a == NULL || app_settings(a, NULL, 0) != 0 || app_open_database(a, false) != 0)
		return NULL;
	return a;
}

/* ------------------------------------------------------------------ */
/* Templates and catalogs                                              */
/* ------------------------------------------------------------------ */

int app_load_templates(app_t *a)
{
	char err[1024] = "out of memory";
	a->tmpl = tmpl_set_new();
	if (a->tmpl == NULL || tmpl_set_load_dir(a->tmpl, a->theme_dir, err, sizeof err) != 0) {
		fprintf(stderr, "sen: lỗi mẫu giao diện: %s\n", err);
		return -1;
	}
	char locale_dir[PATH_MAX];
	if (app_pathf(locale_dir, sizeof locale_dir, "%s/locale", a->share_dir) != 0 ||
	    i18n_load(locale_dir, err, sizeof err) != 0) {
		fprintf(stderr, "sen: lỗi danh mục ngôn ngữ: %s\n", err);
		return -1;
	}
	http_static_version(a->static_dir, a->asset_version, sizeof a->asset_version);
	return 0;
}
