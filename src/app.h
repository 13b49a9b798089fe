/*
 * app.h - what every command and handler may reach: settings, paths,
 * compiled templates; and the bootstrap that fills them (app.c).
 *
 * One app_t lives for the whole process; it is filled at start-up and is
 * read-only while serving, so handlers on every thread share it safely.
 * Functions print what went wrong for the person at the terminal (in
 * Vietnamese) and return 0 / -1, or the app / NULL.
 */
#ifndef SEN_APP_H
#define SEN_APP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/fmt.h"
#include "render/tmpl.h"

typedef struct {
	sen_config cfg;
	char data_dir[PATH_MAX];   /* sen.ini, sen.db, media/ */
	char share_dir[PATH_MAX];  /* sql/, themes/, demo/ shipped with the program */
	char theme_dir[PATH_MAX];  /* share_dir/themes/default */
	char static_dir[PATH_MAX]; /* theme_dir/static */
	char media_dir[PATH_MAX];  /* data_dir/media */
	char db_path[PATH_MAX];
	tmpl_set *tmpl;
	char asset_version[24];    /* appended to static URLs so they can be cached for a year */
	lang_t lang;
} app_t;

/* A setting given on the command line ("--listen", "--set key=value"). */
typedef struct {
	const char *key;
	const char *value;
} app_flag;

#define APP_FLAGS_MAX 32

/* Resolves the paths of the process's app for data_dir (the shipped files
 * are found beside the program, or at SEN_SHARE_DIR). Returns the app, or
 * NULL. Nothing is read or created yet. */
app_t *app_paths(const char *data_dir);

/* Reads the settings: defaults < DATA/sen.ini < SEN_* < flags (nflags of
 * them; every error names its source). 0 or -1. */
int app_settings(app_t *app, const app_flag *flags, size_t nflags);

/* Appends one flag (at most APP_FLAGS_MAX); app_flag_set() takes the
 * "section.key=value" of --set (writing a NUL over its '='). 0 or -1. */
int app_flag_add(app_flag *flags, size_t *n, const char *key, const char *value);
int app_flag_set(app_flag *flags, size_t *n, char *arg);

/* 0 when DATA/sen.db exists; otherwise -1 and tells to run `sen init`. */
int app_database_exists(const app_t *app);

/*
 * Opens sen.db for this thread (db_get) and applies pending migrations;
 * without create, a missing database is an error. Run as root, the
 * process gives back at exit what it wrote below media/ and tmp/ to the
 * serving account (core/privdrop.h). 0 or -1.
 */
int app_open_database(app_t *app, bool create);

/* For command-line modules: app_paths(), app_settings() with no flags and
 * app_open_database(). Returns the process's app, or NULL. */
app_t *app_load(const char *data_dir);

/* Compiles the theme's templates into app->tmpl (freed with
 * tmpl_set_free), reads the catalogs (i18n_free) and computes
 * app->asset_version. 0 or -1. */
int app_load_templates(app_t *app);

/* The data directory a command uses when --data is not given (SEN_DATA or
 * ./data). */
const char *app_default_data_dir(void);

/* snprintf for paths: a path that would not fit is an error (printed), not
 * a silently shorter path. 0 or -1. */
int app_pathf(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
