/*
 * migrate.c - applies the numbered files of sql/ to a database.
 *
 * A migration is a file named NNN_name.sql (NNN: decimal digits, name:
 * letters, digits, '_' or '-'). The schema version is PRAGMA user_version:
 * every file whose number is above it is applied in increasing order, each
 * inside one transaction together with the bump of user_version, so a file
 * is either applied entirely or not at all. Nothing is ever dropped or
 * recreated here; the files themselves only add or alter.
 *
 * A file whose first line is MIGRATE_FOREIGN_KEYS_OFF runs with foreign
 * keys off: SQLite can change a column's CHECK only by rebuilding the table
 * (its "12-step" procedure: create the new table, copy, drop the old one,
 * rename), and with foreign keys on, dropping the old table would delete or
 * nullify every row that points at it (ON DELETE CASCADE / SET NULL). The
 * pragma is a no-op inside a transaction, so it is switched off before
 * BEGIN and back on after the end; before the commit, PRAGMA
 * foreign_key_check must find no row, or the file is rolled back.
 */
#include "db/db.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define MIGRATION_FILE_MAX (1024 * 1024)   /* bytes; a schema change is never bigger */
#define MIGRATIONS_MAX 1000
#define MIGRATION_NAME_MAX 128
#define MIGRATION_NUMBER_MAX 999999
#define MIGRATE_FOREIGN_KEYS_OFF "-- migrate: foreign_keys off\n"

typedef struct {
	int number;
	char name[MIGRATION_NAME_MAX];
} migration;

/* Parses "NNN_name.sql"; returns the number, or -1 when the name is not a
 * migration's. */
static int migration_number(const char *name)
{
	size_t len = strlen(name);
	if (len >= MIGRATION_NAME_MAX || len < 6 || strcmp(name + len - 4, ".sql") != 0)
		return -1;
	long n = 0;
	size_t i = 0;
	for (; name[i] >= '0' && name[i] <= '9'; i++) {
		n = n * 10 + (name[i] - '0');
		if (n > MIGRATION_NUMBER_MAX)
			return -1;
	}
	if (i == 0 || name[i] != '_' || i + 1 == len - 4)
		return -1;
	for (i++; i < len - 4; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return -1;
	}
	return (int)n;
}

static int by_number(const void *a, const void *b)
{
	const migration *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

/* Lists the migrations in dir, sorted. *out is malloc'd (caller frees). */
static int list_migrations(const char *dir, migration **out, size_t *n)
{
	DIR *d = opendir(dir);
	migration *list = NULL;
	size_t count = 0;
	*out = NULL;
	*n = 0;
	if (d == NULL) {
		log_error("migrate: cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	list = calloc(MIGRATIONS_MAX, sizeof(*list));
	if (list == NULL) {
		log_error("migrate: out of memory");
		goto fail;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		int number = migration_number(e->d_name);
		if (number < 0) {
			/* A near miss is most likely a typo that would otherwise be
			 * skipped without anyone noticing. */
			log_warn("migrate: %s/%s is not named NNN_name.sql; skipped", dir, e->d_name);
			continue;
		}
		if (count == MIGRATIONS_MAX) {
			log_error("migrate: more than %d migrations in %s", MIGRATIONS_MAX, dir);
			goto fail;
		}
		list[count].number = number;
		memcpy(list[count].name, e->d_name, len + 1);
		count++;
	}
	qsort(list, count, sizeof(*list), by_number);
	for (size_t i = 1; i < count; i++)
		if (list[i].number == list[i - 1].number) {
			log_error("migrate: %s and %s share the number %d", list[i - 1].name,
				  list[i].name, list[i].number);
			goto fail;
		}
	closedir(d);
	*out = list;
	*n = count;
	return 0;
fail:
	closedir(d);
	free(list);
	return -1;
}

/* Reads a whole migration file (at most MIGRATION_FILE_MAX bytes) as a
 * NUL-terminated string the caller frees. */
static char *read_migration(const char *dir, const char *name)
{
	char path[4096];
	char *text = NULL;
	int fd = -1;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
		log_error("migrate: path too long for %s", name);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		log_error("migrate: cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		log_error("migrate: %s is not a regular file", path);
		goto fail;
	}
	if (st.st_size > MIGRATION_FILE_MAX) {
		log_error("migrate: %s is %lld bytes, more than the %d allowed", name,
			  (long long)st.st_size, MIGRATION_FILE_MAX);
		goto fail;
	}
	size_t size = (size_t)st.st_size;
	text = malloc(size + 1);
	if (text == NULL) {
		log_error("migrate: out of memory");
		goto fail;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, text + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			log_error("migrate: cannot read %s: %s", path,
				  r < 0 ? strerror(errno) : "file shrank");
			goto fail;
		}
		got += (size_t)r;
	}
	text[size] = '\0';
	/* SQLite would stop at a NUL and quietly skip the rest of the file. */
	if (memchr(text, '\0', size) != NULL) {
		log_error("migrate: %s contains a NUL byte", name);
		goto fail;
	}
	close(fd);
	return text;
fail:
	if (fd >= 0)
		close(fd);
	free(text);
	return NULL;
}

/* 1 when the rebuilt tables leave a foreign key pointing nowhere, 0 when
 * none does, -1 on error. */
static int foreign_keys_broken(db_t *db, const char *name)
{
	db_stmt *st = db_prepare(db, "SELECT \"table\", parent FROM pragma_foreign_key_check");
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW)
		log_error("migrate: %s leaves a row of %s pointing at a missing row of %s", name,
			  db_col_text(st, 0), db_col_text(st, 1));
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Sets foreign key enforcement; outside a transaction only (a no-op inside). */
static int foreign_keys(db_t *db, bool on)
{
	if (db_exec(db, on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF") != 0) {
		log_error("migrate: cannot switch foreign keys %s", on ? "on" : "off");
		return -1;
	}
	return 0;
}

static int apply_in_transaction(db_t *db, const migration *m, const char *text, bool keys_off)
{
	if (db_begin(db) != 0) {
		log_error("migrate: %s: cannot start a transaction: %s", m->name, db_errmsg(db));
		return -1;
	}
	/* Another process may have applied it while this one waited for the
	 * write lock: the version read under the lock decides. */
	int version = db_schema_version(db);
	if (version < 0)
		goto fail;
	if (version >= m->number) {
		db_rollback(db);
		return 0;
	}
	char bump[64];
	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", m->number);
	if (db_exec_script(db, text) != 0) {
		log_error("migrate: %s failed, rolled back: %s", m->name, db_errmsg(db));
		goto fail;
	}
	/* A file that commits on its own would break the one-transaction rule. */
	if (!db_in_transaction(db)) {
		log_error("migrate: %s ended the transaction itself (BEGIN/COMMIT/ROLLBACK "
			  "are not allowed in a migration)", m->name);
		goto fail;
	}
	if (keys_off && foreign_keys_broken(db, m->name) != 0)
		goto fail;
	if (db_exec(db, bump) != 0) {
		log_error("migrate: %s: cannot set the schema version: %s", m->name,
			  db_errmsg(db));
		goto fail;
	}
	if (db_commit(db) != 0) {
		log_error("migrate: %s: commit failed, rolled back: %s", m->name, db_errmsg(db));
		goto fail;
	}
	log_info("applied %s", m->name);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static int apply_one(db_t *db, const char *dir, const migration *m)
{
	char *text = read_migration(dir, m->name);
	if (text == NULL)
		return -1;
	bool keys_off = strncmp(text, MIGRATE_FOREIGN_KEYS_OFF,
				sizeof MIGRATE_FOREIGN_KEYS_OFF - 1) == 0;
	int rc = -1;
	if (!keys_off || foreign_keys(db, false) == 0) {
		rc = apply_in_transaction(db, m, text, keys_off);
		/* Back on whatever happened: every other statement relies on it. */
		if (keys_off && foreign_keys(db, true) != 0)
			rc = -1;
	}
	free(text);
	return rc;
}

int db_migrate(db_t *db, const char *sql_dir)
{
	migration *list = NULL;
	size_t n = 0;
	if (db == NULL || sql_dir == NULL)
		return -1;
	if (db_in_transaction(db)) {
		log_error("migrate: called inside an open transaction");
		return -1;
	}
	int version = db_schema_version(db);
	if (version < 0)
		return -1;
	if (list_migrations(sql_dir, &list, &n) != 0)
		return -1;
	int newest = n > 0 ? list[n - 1].number : 0;
	if (version > newest) {
		/* Running an older program against a newer schema could write rows
		 * the newer one no longer accepts. */
		log_error("migrate: the database is at schema version %d but %s only goes to %d; "
			  "use a newer sen", version, sql_dir, newest);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (list[i].number <= version)
			continue;
		if (apply_one(db, sql_dir, &list[i]) != 0)
			goto fail;
	}
	free(list);
	return 0;
fail:
	free(list);
	return -1;
}
