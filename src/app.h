/*
 * app.h - what every handler may reach: settings, paths, compiled templates.
 *
 * One app_t lives for the whole process; it is filled at start-up and is
 * read-only while serving, so handlers on every thread share it safely.
 */
#ifndef SEN_APP_H
#define SEN_APP_H

#include <limits.h>

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

/* For command-line modules: resolves paths for data_dir, reads settings
 * (sen.ini < SEN_*), opens the database and applies pending migrations.
 * Returns the process's app, or NULL (errors printed for the user). */
app_t *app_load(const char *data_dir);

/* The data directory a command uses when --data is not given (SEN_DATA or
 * ./data). */
const char *app_default_data_dir(void);

#endif
