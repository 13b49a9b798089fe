/*
 * migrate.c - applies the numbered files of sql/ to a database.
 *
 * A migration is a file named NNN_name.sql (NNN: decimal digits, name:
 * letters, digits, '_' or '-'). Every applied file has a row in the table
 * schema_migrations (name, SHA-256 of the text, when applied), so a file
 * that lands after a higher-numbered one (developers merge out of order:
 * 019 after 022) is still applied: every file without a row runs, in
 * increasing order. PRAGMA user_version stays the highest number applied,
 * for older Sens. A database that predates the table (only user_version)
 * is adopted: the files numbered up to its user_version count as applied.
 *
 * All pending files run in one transaction together with their rows and
 * the bump of user_version: a failure anywhere leaves the database exactly
 * as it was, and the error names the file and SQLite's reason. A database
 * that has a file this Sen does not ship, numbered above its newest (or a
 * user_version above it), was upgraded by a newer Sen: refused, since an
 * older program could write rows the newer schema no longer accepts. A file
 * changed after it was applied is reported, never run again. Nothing is
 * ever dropped or recreated here; the files themselves only add or alter.
 *
 * A file whose first line is MIGRATE_FOREIGN_KEYS_OFF runs with foreign
 * keys off: SQLite can change a column's CHECK only by rebuilding the table
 * (its "12-step" procedure: create the new table, copy, drop the old one,
 * rename), and with foreign keys on, dropping the old table would delete or
 * nullify every row that points at it (ON DELETE CASCADE / SET NULL). The
 * pragma is a no-op inside a transaction, so when such a file is pending it
 * is switched off before BEGIN (for the whole run) and back on after the
 * end; before the commit, PRAGMA foreign_key_check must find no row, or
 * everything is rolled back.
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
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/log.h"

#define MIGRATION_FILE_MAX (1024 * 1024)   /* bytes; a schema change is never bigger */
#define MIGRATIONS_MAX 1000
#define MIGRATION_NAME_MAX 128
#define MIGRATION_NUMBER_MAX 999999
#define MIGRATE_FOREIGN_KEYS_OFF "-- migrate: foreign_keys off\n"

/* The table that records every applied file (created by the runner). */
#define MIGRATIONS_TABLE "schema_migrations"

typedef struct {
	int number;
	char name[MIGRATION_NAME_MAX];
	char *text;    /* the file, read before the transaction starts */
	char sum[65];  /* its SHA-256 in hex */
	bool applied;  /* recorded in MIGRATIONS_TABLE */
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

/* The SHA-256 of text, as 64 hex digits (out: 65 bytes). */
static void checksum(const char *text, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, h, sizeof h);
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
		log_error("migrate: %s leaves a row of %s pointing at a missing row of %s; nothing "
			  "was changed", name, db_col_text(st, 0), db_col_text(st, 1));
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

/* 1 when the ledger table exists, 0 when not, -1 on error. */
static int ledger_exists(db_t *db)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM sqlite_schema"
				     " WHERE type = 'table' AND name = '" MIGRATIONS_TABLE "'");
	if (st == NULL)
		return -1;
	int rc = db_step(st) == DB_ROW ? (db_col_int64(st, 0) > 0) : -1;
	db_done(st);
	return rc;
}

static int ledger_add(db_t *db, const migration *m, int64_t now, bool adopted)
{
	db_stmt *st = db_prepare(db, "INSERT INTO " MIGRATIONS_TABLE
				     " (name, checksum, applied_at, adopted) VALUES (?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	bool ok = db_bind_text(st, 1, m->name, -1) == 0 && db_bind_text(st, 2, m->sum, -1) == 0 &&
		  db_bind_int64(st, 3, now) == 0 && db_bind_int64(st, 4, adopted) == 0 &&
		  db_step(st) == DB_DONE;
	db_done(st);
	if (!ok)
		log_error("migrate: cannot record %s: %s", m->name, db_errmsg(db));
	return ok ? 0 : -1;
}

static migration *find(migration *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	return NULL;
}

/*
 * Under the write lock: a database that predates the ledger gets it, with
 * every file numbered up to its user_version counted as applied (adopted);
 * then each file's row marks it applied, a row naming no file above the
 * newest is a newer Sen's (a downgrade: refused), and a file changed since
 * it was applied is reported. 0, or -1 (logged).
 */
static int ledger_read(db_t *db, const char *sql_dir, migration *list, size_t n, int version,
		       int64_t now)
{
	int exists = ledger_exists(db);
	if (exists < 0)
		return -1;
	if (!exists) {
		if (db_exec(db, "CREATE TABLE " MIGRATIONS_TABLE " (name TEXT PRIMARY KEY,"
				" checksum TEXT NOT NULL, applied_at INTEGER NOT NULL,"
				" adopted INTEGER NOT NULL DEFAULT 0)") != 0) {
			log_error("migrate: cannot create the table of applied migrations: %s",
				  db_errmsg(db));
			return -1;
		}
		for (size_t i = 0; i < n && list[i].number <= version; i++)
			if (ledger_add(db, &list[i], now, true) != 0)
				return -1;
	}
	db_stmt *st = db_prepare(db, "SELECT name, checksum FROM " MIGRATIONS_TABLE);
	if (st == NULL)
		return -1;
	int newest = n > 0 ? list[n - 1].number : 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0), *sum = db_col_text(st, 1);
		migration *m = find(list, n, name);
		if (m != NULL) {
			m->applied = true;
			if (strcmp(m->sum, sum) != 0)
				log_warn("migrate: %s/%s changed after it was applied; an applied "
					 "migration is never run again (add a new file instead)",
					 sql_dir, name);
			continue;
		}
		if (migration_number(name) > newest) {
			/* Running an older program against a newer schema could write
			 * rows the newer one no longer accepts. */
			log_error("migrate: refusing to downgrade: the database was upgraded by a "
				  "newer Sen (it has %s; this Sen's migrations end at %s); run that "
				  "Sen, or restore a backup made before the upgrade", name,
				  n > 0 ? list[n - 1].name : "none");
			db_done(st);
			return -1;
		}
		log_warn("migrate: the database has %s, which %s does not hold", name, sql_dir);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Runs every file not yet applied, in order, then records them; one
 * transaction for all, so a failure leaves the database as it was. */
static int apply_pending(db_t *db, const char *sql_dir, migration *list, size_t n, int version,
			 int64_t now, bool keys_off, bool *changed)
{
	int top = version;
	for (size_t i = 0; i < n; i++) {
		migration *m = &list[i];
		if (m->applied)
			continue;
		if (db_exec_script(db, m->text) != 0) {
			log_error("migrate: %s/%s failed, nothing was changed: %s", sql_dir, m->name,
				  db_errmsg(db));
			return -1;
		}
		/* A file that commits on its own would break the one-transaction rule. */
		if (!db_in_transaction(db)) {
			log_error("migrate: %s ended the transaction itself (BEGIN/COMMIT/ROLLBACK "
				  "are not allowed in a migration)", m->name);
			return -1;
		}
		/* With foreign keys off, each file is checked, so that the one
		 * that broke a reference is named. */
		if (keys_off && foreign_keys_broken(db, m->name) != 0)
			return -1;
		if (ledger_add(db, m, now, false) != 0)
			return -1;
		if (m->number > top)
			top = m->number;
		*changed = true;
	}
	if (top != version) {
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", top);
		if (db_exec(db, bump) != 0) {
			log_error("migrate: cannot set the schema version: %s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static void free_texts(migration *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].text);
	free(list);
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
	if (list_migrations(sql_dir, &list, &n) != 0)
		return -1;
	bool keys_off = false;
	for (size_t i = 0; i < n; i++) {
		list[i].text = read_migration(sql_dir, list[i].name);
		if (list[i].text == NULL) {
			free_texts(list, n);
			return -1;
		}
		checksum(list[i].text, list[i].sum);
	}
	int64_t now = (int64_t)time(NULL);
	int rc = -1;
	bool changed = false;
	/* Which files are pending is known only under the write lock; a file
	 * that rebuilds a table needs foreign keys off, which can change only
	 * outside a transaction: so look first, and start again with them off
	 * when such a file is pending. */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (keys_off && foreign_keys(db, false) != 0)
			break;
		if (db_begin(db) != 0) {
			log_error("migrate: cannot start a transaction: %s", db_errmsg(db));
			break;
		}
		int version = db_schema_version(db);
		int newest = n > 0 ? list[n - 1].number : 0;
		if (version < 0 || ledger_read(db, sql_dir, list, n, version, now) != 0)
			goto undo;
		if (version > newest) {
			log_error("migrate: refusing to downgrade: the database is at schema version "
				  "%d but %s only goes to %d; use a newer sen", version, sql_dir,
				  newest);
			goto undo;
		}
		bool want_off = false;
		for (size_t i = 0; i < n; i++)
			if (!list[i].applied &&
			    strncmp(list[i].text, MIGRATE_FOREIGN_KEYS_OFF,
				    sizeof MIGRATE_FOREIGN_KEYS_OFF - 1) == 0)
				want_off = true;
		if (want_off && !keys_off) {
			db_rollback(db);
			for (size_t i = 0; i < n; i++)
				list[i].applied = false;
			keys_off = true;
			continue;
		}
		if (apply_pending(db, sql_dir, list, n, version, now, keys_off, &changed) != 0)
			goto undo;
		if (db_commit(db) != 0) {
			log_error("migrate: commit failed, nothing was changed: %s", db_errmsg(db));
			goto undo;
		}
		rc = 0;
		break;
undo:
		db_rollback(db);
		changed = false;
		break;
	}
	/* Back on whatever happened: every other statement relies on it. */
	if (keys_off && foreign_keys(db, true) != 0)
		rc = -1;
	if (rc == 0 && changed)
		for (size_t i = 0; i < n; i++)
			if (!list[i].applied)
				log_info("applied %s", list[i].name);
	free_texts(list, n);
	return rc;
}
