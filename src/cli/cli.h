/*
 * cli.h - the `sen` subcommands, one file per command or area; main.c only
 * dispatches to them.
 *
 * Each takes the argc/argv after the command name (argv[0] is the command),
 * accepts --data DIR and --help, prints Vietnamese messages, and returns the
 * process exit status (0 ok, 1 failure, 2 usage). They reach the data through
 * app_load() (app.h) and models; never SQL.
 */
#ifndef SEN_CLI_CLI_H
#define SEN_CLI_CLI_H

#include <stdio.h>

#include "app.h"
#include "db/db.h"

/* init.c: sen init [--demo]; demo.c: the sample content it loads (into the
 * database db_get() gave, pictures into app->media_dir; 0 or -1). */
int cli_init(int argc, char **argv);
int cli_demo_load(const app_t *app, db_t *db);
/* serve.c: sen serve */
int cli_serve(int argc, char **argv);
/* import.c: sen import articles FILE.jsonl */
int cli_import(int argc, char **argv);
/* comments.c: sen comments list|approve|reject|spam|delete */
int cli_comments(int argc, char **argv);
/* site.c: sen links add|list|remove|move; sen related pin|exclude|clear|list */
int cli_links(int argc, char **argv);
int cli_related(int argc, char **argv);
/* users.c: sen user add|passwd|role|disable|enable|list (back-office accounts) */
int cli_user(int argc, char **argv);
/* objects.c: sen objects import|export (the register from and to spreadsheets) */
int cli_objects(int argc, char **argv);
/* register.c: sen register verify (the register's hash chain) */
int cli_register(int argc, char **argv);
/* media.c: sen media variants (what pictures lack of their variants) */
int cli_media(int argc, char **argv);
/* backup.c: sen backup DEST, sen restore SRC, sen check (model/backup.h) */
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_check(int argc, char **argv);
/* routes.c: sen routes (every URL and who may use it) */
int cli_routes(int argc, char **argv);

/* args.c: the options of a command that takes only --data DIR and --help,
 * then noperands operands, the first of them verb ("sen register verify";
 * verb NULL: any operands, "sen backup DEST").
 * -1 to go on, with *data set (default app_default_data_dir()) and optind
 * at the verb; else the exit status: 0 after --help (usage on stdout), 2
 * for anything else (usage on stderr). */
int cli_verb_args(int argc, char **argv, void (*usage)(FILE *out), const char *verb,
		  int noperands, const char **data);

/* text.c: text a command stores (names, titles, passwords) is brought to
 * NFC first, as the web forms and the API bring theirs, so that text that
 * looks the same compares the same whichever way it was typed.
 * cli_nfc: the NFC form of s, living until the command ends (s itself
 * when it is NFC already); NULL for NULL, and NULL (said on stderr) for
 * text that is not valid UTF-8 or out of memory.
 * cli_nfc_secret: brings the NUL-terminated text in buf (size bytes) to
 * NFC in place, wiping every copy it made; -1 when it does not fit or is
 * not valid UTF-8 (buf unchanged). */
const char *cli_nfc(const char *s);
int cli_nfc_secret(char *buf, size_t size);

#endif
