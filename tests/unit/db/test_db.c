/*
 * test_db.c - the SQLite backend of db.h and the migrations runner.
 * Every test gets its own temporary folder and database file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db_test_util.h"
#include "../testdb.h"

typedef testdb_fixture fixture;

/* A database that no migration has touched: the tests migrate it themselves. */
static int setup(void **state)
{
	*state = testdb_fixture_new(sizeof(fixture), false);
	return *state != NULL ? 0 : -1;
}

static char *query_text(db_t *db, const char *sql)
{
	db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	char *v = strdup(db_col_text(st, 0));
	db_done(st);
	return v;
}

static int table_exists(db_t *db, const char *name)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM sqlite_schema WHERE name = ?");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, name, -1), 0);
	assert_int_equal(db_step(st), DB_ROW);
	int n = (int)db_col_int64(st, 0);
	db_done(st);
	return n;
}

/* ---- connections ---------------------------------------------------------------- */

static void test_open_pragmas(void **state)
{
	fixture *f = *state;
	char *mode = query_text(f->db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(testdb_query_int(f->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(testdb_query_int(f->db, "PRAGMA synchronous"), 1);
	assert_int_equal(testdb_query_int(f->db, "PRAGMA busy_timeout"), 5000);
	assert_int_equal(testdb_query_int(f->db, "PRAGMA temp_store"), 2);
	assert_true(testdb_query_int(f->db, "PRAGMA cache_size") < 0);
	/* The same thread gets the same connection back. */
	assert_ptr_equal(db_get(), f->db);

	/* Re-opening with "full" gives this thread a new connection. */
	assert_int_equal(db_open(f->path, "full"), 0);
	db_t *db2 = db_get();
	assert_non_null(db2);
	assert_int_equal(testdb_query_int(db2, "PRAGMA synchronous"), 2);
	f->db = db2;

	assert_int_equal(db_open(f->path, "sometimes"), -1);
	assert_int_equal(db_open("", "normal"), -1);
	assert_int_equal(db_open(NULL, "normal"), -1);
	/* A refused db_open() leaves the working settings alone. */
	assert_ptr_equal(db_get(), db2);
}

static void test_stmt_cache(void **state)
{
	fixture *f = *state;
	db_reset_stats(f->db);
	db_stmt *a = db_prepare(f->db, "SELECT 1");
	assert_non_null(a);
	assert_int_equal(db_step(a), DB_ROW);
	db_done(a);
	db_stmt *b = db_prepare(f->db, "SELECT 1");
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(b), DB_ROW);
	assert_int_equal(db_col_int64(b, 0), 1);

	/* Still in use: the same text gets a separate statement. */
	db_stmt *c = db_prepare(f->db, "SELECT 1");
	assert_non_null(c);
	assert_ptr_not_equal(b, c);
	assert_int_equal(db_step(c), DB_ROW);
	db_done(c);
	db_done(b);

	db_stats s;
	db_get_stats(f->db, &s);
	assert_int_equal(s.prepares, 2);
	assert_int_equal(s.cache_hits, 1);
	assert_int_equal(s.cached, 1);

	/* The cache is bounded and keeps working past its size. */
	char sql[64];
	for (int i = 0; i < 3 * DB_STMT_CACHE_MAX; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		db_stmt *st = db_prepare(f->db, sql);
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int64(st, 0), i);
		db_done(st);
	}
	db_get_stats(f->db, &s);
	assert_true(s.cached <= DB_STMT_CACHE_MAX);
	assert_true(s.cached >= DB_STMT_CACHE_MAX / 2);

	/* Recently used statements survive eviction. */
	db_reset_stats(f->db);
	snprintf(sql, sizeof sql, "SELECT %d", 3 * DB_STMT_CACHE_MAX - 1);
	db_done(db_prepare(f->db, sql));
	db_get_stats(f->db, &s);
	assert_int_equal(s.cache_hits, 1);

	/* Two statements in one text, bad SQL and NULLs are refused. */
	assert_null(db_prepare(f->db, "SELECT 1; SELECT 2"));
	assert_null(db_prepare(f->db, "SELEKT 1"));
	assert_null(db_prepare(f->db, ""));
	assert_null(db_prepare(NULL, "SELECT 1"));
	assert_null(db_prepare(f->db, NULL));
	/* A trailing semicolon is fine. */
	db_stmt *st = db_prepare(f->db, "SELECT 2;");
	assert_non_null(st);
	db_done(st);
	db_done(NULL);
}

static void test_bind_columns(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB);"
					"-- a comment\n"),
			 0);
	db_stmt *st = db_prepare(f->db, "INSERT INTO t VALUES (?, ?, ?, ?)");
	assert_non_null(st);
	assert_int_equal(db_bind_int64(st, 1, INT64_MIN), 0);
	assert_int_equal(db_bind_double(st, 2, 2.5), 0);
	assert_int_equal(db_bind_text(st, 3, "Điện Biên Phủ và", 19), 0);
	assert_int_equal(db_bind_blob(st, 4, "\0\1\2", 3), 0);
	assert_int_equal(db_bind_int64(st, 5, 1), -1);   /* no such parameter */
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_changes(f->db), 1);
	assert_int_equal(db_last_insert_id(f->db), 1);

	st = db_prepare(f->db, "INSERT INTO t VALUES (?, ?, ?, ?)");
	assert_int_equal(db_bind_null(st, 1), 0);
	assert_int_equal(db_bind_text(st, 3, NULL, -1), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	st = db_prepare(f->db, "SELECT i, d, s, b FROM t ORDER BY rowid");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int64(st, 0) == INT64_MIN);
	assert_true(db_col_double(st, 1) == 2.5);
	assert_string_equal(db_col_text(st, 2), "Điện Biên Phủ");
	assert_int_equal(db_col_bytes(st, 3), 3);
	assert_memory_equal(db_col_blob(st, 3), "\0\1\2", 3);
	assert_false(db_col_is_null(st, 0));
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 0));
	assert_null(db_col_text(st, 2));
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* db_done() clears bindings: a re-used statement starts from NULLs. */
	st = db_prepare(f->db, "SELECT ?");
	assert_int_equal(db_bind_int64(st, 1, 7), 0);
	db_done(st);
	st = db_prepare(f->db, "SELECT ?");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 0));
	db_done(st);

	assert_int_equal(db_exec(f->db, "INSERT INTO nosuch VALUES (1)"), -1);
	assert_non_null(strstr(db_errmsg(f->db), "nosuch"));
}

/* db_col_copy(): the column's bytes in the arena, SQL NULL as asked. */
static void test_col_copy(void **state)
{
	fixture *f = *state;
	arena_t *a = arena_new(0);
	assert_non_null(a);
	db_stmt *st = db_prepare(f->db, "SELECT 'Điện Biên', NULL, '', 'x', 'y'");
	assert_int_equal(db_step(st), DB_ROW);
	bool oom = false;
	const char *s = db_col_copy(a, st, 0, NULL, &oom);
	assert_string_equal(s, "Điện Biên");
	assert_ptr_not_equal(s, db_col_text(st, 0));
	assert_null(db_col_copy(a, st, 1, NULL, &oom));
	assert_string_equal(db_col_copy(a, st, 1, "", &oom), "");
	assert_string_equal(db_col_copy(a, st, 2, NULL, NULL), "");
	assert_false(oom);
	const char *x = NULL, *y = NULL, *none = NULL;
	const char **dst[] = {&x, &y};
	assert_int_equal(db_col_copy_texts(a, st, 3, dst, 2), 0);
	assert_string_equal(x, "x");
	assert_string_equal(y, "y");
	const char **null_dst[] = {&none};
	assert_int_equal(db_col_copy_texts(a, st, 1, null_dst, 1), 0);
	assert_string_equal(none, "");
	db_done(st);
	arena_free(a);
}

static void test_constraint_mapping(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_migrate(f->db, sql_dir()), 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO categories (slug, name) VALUES ('a', 'A')"),
			 0);
	struct {
		const char *sql;
	} cases[] = {
		{"INSERT INTO categories (slug, name) VALUES ('a', 'B')"},         /* UNIQUE */
		{"INSERT INTO categories (slug, name) VALUES ('Bad Slug', 'C')"},  /* CHECK */
		{"INSERT INTO categories (slug) VALUES ('d')"},                    /* NOT NULL */
		{"INSERT INTO articles (category_id, slug, title) VALUES (99, 'x', 'X')"}, /* FK */
		{"INSERT INTO articles (category_id, slug, title, status) VALUES (1, 'x', 'X', 9)"},
		{"INSERT INTO links (title, url, position) VALUES ('t', 'u', 'first')"}, /* STRICT */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		db_stmt *st = db_prepare(f->db, cases[i].sql);
		assert_non_null(st);
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_CONSTRAINT)
			fail_msg("case %zu: %s gave %d", i, cases[i].sql, rc);
	}
	/* The connection is fine afterwards. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM categories"), 1);
}

static void test_busy_mapping(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (x INTEGER)"), 0);
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1);", NULL,
				      NULL, NULL),
			 SQLITE_OK);

	db_set_busy_timeout(f->db, 50);
	assert_int_equal(db_begin(f->db), -1);
	assert_int_equal(db_in_transaction(f->db), 0);
	db_stmt *st = db_prepare(f->db, "INSERT INTO t VALUES (2)");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_BUSY);
	db_done(st);
	/* Readers are not blocked by a writer in WAL mode. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM t"), 0);

	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(db_begin(f->db), 0);
	st = db_prepare(f->db, "INSERT INTO t VALUES (2)");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM t"), 2);
}

static void test_transactions(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_rollback(f->db), 0);   /* nothing open: fine */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_in_transaction(f->db), 1);
	assert_int_equal(db_begin(f->db), -1);      /* no nesting */
	assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM t"), 0);

	/* A write unit on its own is a transaction. */
	int nested = -1;
	assert_int_equal(db_write_begin(f->db, &nested), 0);
	assert_int_equal(nested, 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(db_write_end(f->db, nested, 1), 0);
	assert_int_equal(db_in_transaction(f->db), 0);

	/* Inside the caller's transaction a failed unit undoes only itself. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (2)"), 0);
	assert_int_equal(db_write_begin(f->db, &nested), 0);
	assert_int_equal(nested, 1);
	assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (3)"), 0);
	assert_int_equal(db_write_end(f->db, nested, 0), -1);
	assert_int_equal(db_in_transaction(f->db), 1);
	assert_int_equal(db_write_begin(f->db, &nested), 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (4)"), 0);
	assert_int_equal(db_write_end(f->db, nested, 1), 0);
	assert_int_equal(db_commit(f->db), 0);
	char *s = query_text(f->db, "SELECT group_concat(x, ',') FROM (SELECT x FROM t ORDER BY x)");
	assert_string_equal(s, "1,2,4");
	free(s);
}

/* ---- threads -------------------------------------------------------------------- */

static void *thread_body(void *arg)
{
	db_t **out = arg;
	db_t *db = db_get();
	*out = db;
	if (db != NULL && db_exec(db, "INSERT INTO t VALUES (42)") != 0)
		*out = NULL;
	/* No db_thread_close(): the key destructor must close it (ASan would
	 * report the leak otherwise). */
	return NULL;
}

static void test_threads(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (x INTEGER)"), 0);
	db_t *seen[4] = {0};
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, thread_body, &seen[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_non_null(seen[i]);
		assert_ptr_not_equal(seen[i], f->db);
	}
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM t WHERE x = 42"), 4);
}

/* ---- migrations ----------------------------------------------------------------- */

/* A migrations folder of the test's own: f->dir/sql. */
static void sql_folder(fixture *f, char *sqld, size_t len)
{
	snprintf(sqld, len, "%s/sql", f->dir);
	assert_int_equal(mkdir(sqld, 0700), 0);
}

static void test_migrate_twice(void **state)
{
	fixture *f = *state;
	capture c;
	assert_int_equal(db_schema_version(f->db), 0);
	capture_begin(&c);
	int rc = db_migrate(f->db, sql_dir());
	char *out = capture_end(&c);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "applied 001_init.sql"));
	free(out);
	int version = db_schema_version(f->db);
	assert_true(version >= 1);
	assert_int_equal(table_exists(f->db, "articles"), 1);
	assert_int_equal(table_exists(f->db, "links"), 1);
	assert_int_equal(db_exec(f->db, "INSERT INTO links (title, url, position)"
					" VALUES ('Bộ VHTTDL', 'https://bvhttdl.gov.vn', 1)"),
			 0);

	/* A new connection, a second run: nothing applied, data kept. */
	db_thread_close();
	f->db = db_get();
	assert_non_null(f->db);
	capture_begin(&c);
	rc = db_migrate(f->db, sql_dir());
	out = capture_end(&c);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "applied"));
	free(out);
	assert_int_equal(db_schema_version(f->db), version);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM links"), 1);
	/* The schema is sound. */
	char *check = query_text(f->db, "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	free(check);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

static void test_migrate_bad_rolls_back(void **state)
{
	fixture *f = *state;
	char sqld[128];
	sql_folder(f, sqld, sizeof sqld);
	assert_int_equal(write_file(sqld, "001_first.sql", "CREATE TABLE a (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "002_second.sql",
				    "CREATE TABLE b (y INTEGER);\n"
				    "INSERT INTO a VALUES (1);\n"
				    "INSERT INTO nosuch VALUES (1);\n"),
			 0);
	assert_int_equal(write_file(sqld, "003_third.sql", "CREATE TABLE c (z INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "README.txt", "not a migration"), 0);

	capture c;
	capture_begin(&c);
	int rc = db_migrate(f->db, sqld);
	char *out = capture_end(&c);
	assert_int_equal(rc, -1);
	/* One line names the file and SQLite's reason. */
	assert_non_null(strstr(out, "002_second.sql failed, nothing was changed: no such table: nosuch"));
	assert_null(strstr(out, "applied"));
	assert_null(strstr(out, "003_third.sql"));
	free(out);
	/* The database is as it was: 001 ran in the same transaction and is
	 * undone with 002; 003 never ran; nothing is recorded. */
	assert_int_equal(db_schema_version(f->db), 0);
	assert_int_equal(table_exists(f->db, "a"), 0);
	assert_int_equal(table_exists(f->db, "b"), 0);
	assert_int_equal(table_exists(f->db, "c"), 0);
	assert_int_equal(table_exists(f->db, "schema_migrations"), 0);
	assert_int_equal(db_in_transaction(f->db), 0);

	/* Fixed, it applies from where it stopped. */
	assert_int_equal(write_file(sqld, "002_second.sql", "CREATE TABLE b (y INTEGER);\n"), 0);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	assert_int_equal(db_schema_version(f->db), 3);
	assert_int_equal(table_exists(f->db, "b"), 1);
	assert_int_equal(table_exists(f->db, "c"), 1);
}

static void test_migrate_refusals(void **state)
{
	fixture *f = *state;
	char sqld[128];
	capture c;
	sql_folder(f, sqld, sizeof sqld);

	/* A file that manages its own transaction is refused, and nothing of it stays. */
	assert_int_equal(write_file(sqld, "001_tx.sql",
				    "CREATE TABLE early (x INTEGER);\nCOMMIT;\n"
				    "CREATE TABLE late (x INTEGER);\n"),
			 0);
	capture_begin(&c);
	int rc = db_migrate(f->db, sqld);
	char *out = capture_end(&c);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(out, "001_tx.sql"));
	free(out);
	assert_int_equal(db_schema_version(f->db), 0);
	assert_int_equal(table_exists(f->db, "early"), 0);
	assert_int_equal(table_exists(f->db, "late"), 0);

	/* So is one that sets the version itself. */
	assert_int_equal(write_file(sqld, "001_tx.sql", "PRAGMA user_version = 50;\n"), 0);
	assert_int_equal(db_migrate(f->db, sqld), -1);
	assert_int_equal(db_schema_version(f->db), 0);

	/* Too big. */
	size_t big = 1024 * 1024 + 1;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, ' ', big);
	text[big] = '\0';
	assert_int_equal(write_file(sqld, "001_tx.sql", text), 0);
	free(text);
	capture_begin(&c);
	rc = db_migrate(f->db, sqld);
	out = capture_end(&c);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(out, "001_tx.sql"));
	assert_non_null(strstr(out, "more than"));
	free(out);

	/* Two files with one number. */
	assert_int_equal(write_file(sqld, "001_tx.sql", "CREATE TABLE a (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "1_again.sql", "CREATE TABLE b (x INTEGER);\n"), 0);
	assert_int_equal(db_migrate(f->db, sqld), -1);
	assert_int_equal(db_schema_version(f->db), 0);
	char path[256];
	snprintf(path, sizeof path, "%s/1_again.sql", sqld);
	assert_int_equal(unlink(path), 0);

	/* A misnamed file is skipped with a warning, not applied. */
	assert_int_equal(write_file(sqld, "002-oops.sql", "CREATE TABLE oops (x INTEGER);\n"), 0);
	capture_begin(&c);
	rc = db_migrate(f->db, sqld);
	out = capture_end(&c);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "002-oops.sql"));
	free(out);
	assert_int_equal(table_exists(f->db, "oops"), 0);
	assert_int_equal(db_schema_version(f->db), 1);

	/* A database newer than the files is left alone. */
	assert_int_equal(db_exec(f->db, "PRAGMA user_version = 7"), 0);
	capture_begin(&c);
	rc = db_migrate(f->db, sqld);
	out = capture_end(&c);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(out, "schema version 7"));
	free(out);
	assert_int_equal(db_schema_version(f->db), 7);

	/* Missing folder; inside an open transaction. */
	snprintf(path, sizeof path, "%s/nowhere", f->dir);
	assert_int_equal(db_migrate(f->db, path), -1);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_migrate(f->db, sqld), -1);
	assert_int_equal(db_rollback(f->db), 0);
}

/* Copies the repository's migrations numbered up to last into dir. */
static void copy_migrations(const char *dir, int last)
{
	static char text[1024 * 1024];
	DIR *d = opendir(sql_dir());
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int n = atoi(e->d_name);
		if (n < 1 || n > last || strstr(e->d_name, ".sql") == NULL)
			continue;
		char path[4096 + 256];
		snprintf(path, sizeof path, "%s/%s", sql_dir(), e->d_name);
		FILE *in = fopen(path, "rb");
		assert_non_null(in);
		size_t got = fread(text, 1, sizeof text - 1, in);
		fclose(in);
		text[got] = '\0';
		assert_int_equal(write_file(dir, e->d_name, text), 0);
	}
	closedir(d);
}

/* The register's roles (sql/011) rebuild users on a database that already
 * has accounts, sessions and an audit log: every row stays, every foreign
 * key still points at users and is enforced afterwards. */
static void test_migrate_roles_upgrade(void **state)
{
	fixture *f = *state;
	char sqld[128];
	sql_folder(f, sqld, sizeof sqld);
	copy_migrations(sqld, 10);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	assert_int_equal(db_schema_version(f->db), 10);
	const char *hash = "'$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo'";
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "INSERT INTO users (id, name, display_name, role, password_hash, created_at,"
		 " password_changed_at) VALUES (1, 'anvan', 'Nguyễn Văn An', 'admin', %s, 1, 2),"
		 " (2, 'binh', '', 'editor', %s, 3, 4)",
		 hash, hash);
	assert_int_equal(db_exec(f->db, sql), 0);
	char sess[512];
	snprintf(sess, sizeof sess,
		 "INSERT INTO sessions (id, user_id, created_at, last_seen_at, csrf_key)"
		 " VALUES ('%064d', 1, 5, 6, '%064d'), ('%063d1', 2, 5, 6, '%064d')",
		 0, 0, 0, 0);
	assert_int_equal(db_exec(f->db, sess), 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO audit_log (at, user_id, user_name, action)"
					" VALUES (7, 1, 'anvan', 'login'), (8, 2, 'binh', 'login')"),
			 0);
	/* A role the old list does not know is refused before the upgrade. */
	assert_int_not_equal(db_exec(f->db, "UPDATE users SET role = 'curator' WHERE id = 2"), 0);

	assert_int_equal(db_migrate(f->db, sql_dir()), 0);
	assert_true(db_schema_version(f->db) >= 11);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM users"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sessions"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM audit_log"
						 " WHERE user_id IS NOT NULL"), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT created_at + password_changed_at FROM users"
						 " WHERE name = 'anvan' AND display_name = 'Nguyễn Văn An'"),
			 3);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* The references still name users, and foreign keys are on again. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sqlite_schema"
						 " WHERE sql LIKE '%users_new%'"),
			 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('sessions')"
						 " WHERE \"table\" = 'users'"),
			 1);
	assert_int_equal(testdb_query_int(f->db, "PRAGMA foreign_keys"), 1);
	/* The new roles are accepted, others still refused. */
	assert_int_equal(db_exec(f->db, "UPDATE users SET role = 'curator' WHERE id = 2"), 0);
	assert_int_equal(db_exec(f->db, "UPDATE users SET role = 'council' WHERE id = 2"), 0);
	assert_int_not_equal(db_exec(f->db, "UPDATE users SET role = 'wizard' WHERE id = 2"), 0);
	/* Enforced: a session for no account is refused; deleting an account
	 * takes its sessions and keeps its log entries (SET NULL). */
	assert_int_not_equal(db_exec(f->db, "INSERT INTO sessions (id, user_id, created_at,"
					    " last_seen_at, csrf_key) VALUES ('"
					    "2222222222222222222222222222222222222222222222222222222222222222',"
					    " 99, 1, 1, '"
					    "2222222222222222222222222222222222222222222222222222222222222222')"),
			 0);
	assert_int_equal(db_exec(f->db, "DELETE FROM users WHERE id = 2"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM audit_log"), 2);
	char *check = query_text(f->db, "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	free(check);
}

/* A migration run with foreign keys off that leaves a row pointing nowhere
 * is rolled back whole, and foreign keys come back on. */
static void test_migrate_keys_off_checked(void **state)
{
	fixture *f = *state;
	char sqld[128];
	sql_folder(f, sqld, sizeof sqld);
	assert_int_equal(write_file(sqld, "001_first.sql",
				    "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
				    "CREATE TABLE child (p INTEGER REFERENCES parent(id));\n"
				    "INSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (1);\n"),
			 0);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	assert_int_equal(write_file(sqld, "002_drop.sql",
				    "-- migrate: foreign_keys off\n"
				    "CREATE TABLE marker (x INTEGER);\nDELETE FROM parent;\n"),
			 0);
	capture c;
	capture_begin(&c);
	int rc = db_migrate(f->db, sqld);
	char *out = capture_end(&c);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(out, "002_drop.sql leaves a row of child"));
	free(out);
	assert_int_equal(db_schema_version(f->db), 1);
	assert_int_equal(table_exists(f->db, "marker"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM parent"), 1);
	assert_int_equal(testdb_query_int(f->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(db_in_transaction(f->db), 0);

	/* The same rebuild done right applies, and the child follows the new parent. */
	assert_int_equal(write_file(sqld, "002_drop.sql",
				    "-- migrate: foreign_keys off\n"
				    "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 0);\n"
				    "INSERT INTO parent_new (id) SELECT id FROM parent;\n"
				    "DROP TABLE parent;\nALTER TABLE parent_new RENAME TO parent;\n"),
			 0);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	assert_int_equal(db_schema_version(f->db), 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM child"), 1);
	assert_int_not_equal(db_exec(f->db, "INSERT INTO child VALUES (5)"), 0);
}

/* Runs the migrations of sqld, which must return rc; what they logged
 * (the caller frees it). */
static char *migrate_logged(fixture *f, const char *sqld, int rc)
{
	capture c;
	capture_begin(&c);
	assert_int_equal(db_migrate(f->db, sqld), rc);
	return capture_end(&c);
}

/* The names of the applied files, in order, joined by ' '. */
static char *applied_names(db_t *db)
{
	return query_text(db, "SELECT coalesce(group_concat(name, ' '), '') FROM"
			      " (SELECT name FROM schema_migrations ORDER BY name)");
}

/* Files land out of order: 003 is applied, then 002 arrives and is applied
 * too; user_version stays the highest number applied. */
static void test_migrate_out_of_order(void **state)
{
	fixture *f = *state;
	char sqld[128];
	sql_folder(f, sqld, sizeof sqld);
	assert_int_equal(write_file(sqld, "001_a.sql", "CREATE TABLE a (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "003_c.sql", "CREATE TABLE c (x INTEGER);\n"), 0);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	assert_int_equal(db_schema_version(f->db), 3);
	assert_int_equal(write_file(sqld, "002_b.sql", "CREATE TABLE b (x INTEGER);\n"
						    "INSERT INTO a VALUES (2);\n"), 0);
	char *out = migrate_logged(f, sqld, 0);
	assert_non_null(strstr(out, "applied 002_b.sql"));
	assert_null(strstr(out, "applied 001_a.sql"));
	assert_null(strstr(out, "applied 003_c.sql"));
	free(out);
	assert_int_equal(table_exists(f->db, "b"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM a"), 1);
	assert_int_equal(db_schema_version(f->db), 3);
	char *names = applied_names(f->db);
	assert_string_equal(names, "001_a.sql 002_b.sql 003_c.sql");
	free(names);
	/* Each row holds the file's SHA-256 and when it was applied. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM schema_migrations WHERE"
						 " length(checksum) = 64 AND applied_at > 1700000000"
						 " AND adopted = 0"), 3);
	/* Run again: nothing applied, nothing changes. */
	out = migrate_logged(f, sqld, 0);
	assert_null(strstr(out, "applied"));
	free(out);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM a"), 1);

	/* A file edited after it was applied is reported, not run again. */
	assert_int_equal(write_file(sqld, "002_b.sql", "CREATE TABLE b (x INTEGER);\n"
						    "INSERT INTO a VALUES (3);\n"), 0);
	out = migrate_logged(f, sqld, 0);
	assert_non_null(strstr(out, "002_b.sql changed after it was applied"));
	free(out);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM a"), 1);
}

/* A database made before the table existed has only user_version: every
 * file up to it counts as applied; a lower file it never had would be
 * missed, as it was before; the ones above are applied. */
static void test_migrate_adopts_old_database(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER);"
					" INSERT INTO a VALUES (1); PRAGMA user_version = 2"), 0);
	char sqld[128];
	sql_folder(f, sqld, sizeof sqld);
	assert_int_equal(write_file(sqld, "001_a.sql", "CREATE TABLE a (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "002_b.sql", "CREATE TABLE b (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "003_c.sql", "CREATE TABLE c (x INTEGER);\n"), 0);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	assert_int_equal(db_schema_version(f->db), 3);
	assert_int_equal(table_exists(f->db, "c"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM a"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM schema_migrations"
						 " WHERE adopted = 1"), 2);
	char *names = applied_names(f->db);
	assert_string_equal(names, "001_a.sql 002_b.sql 003_c.sql");
	free(names);
}

/* A database a newer Sen upgraded (a file above this Sen's newest) is
 * refused, untouched; one this Sen lacks below its newest only warns. */
static void test_migrate_refuses_downgrade(void **state)
{
	fixture *f = *state;
	char sqld[128], path[256];
	sql_folder(f, sqld, sizeof sqld);
	assert_int_equal(write_file(sqld, "001_a.sql", "CREATE TABLE a (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "002_b.sql", "CREATE TABLE b (x INTEGER);\n"), 0);
	assert_int_equal(write_file(sqld, "009_new.sql", "CREATE TABLE n (x INTEGER);\n"), 0);
	assert_int_equal(db_migrate(f->db, sqld), 0);
	snprintf(path, sizeof path, "%s/009_new.sql", sqld);
	assert_int_equal(unlink(path), 0);
	/* user_version alone would not tell: keep it low, as a newer Sen
	 * that landed a low file last might. */
	assert_int_equal(db_exec(f->db, "PRAGMA user_version = 2"), 0);
	assert_int_equal(write_file(sqld, "003_c.sql", "CREATE TABLE c (x INTEGER);\n"), 0);
	char *out = migrate_logged(f, sqld, -1);
	assert_non_null(strstr(out, "refusing to downgrade"));
	assert_non_null(strstr(out, "009_new.sql"));
	free(out);
	assert_int_equal(table_exists(f->db, "c"), 0);
	assert_int_equal(db_schema_version(f->db), 2);

	/* A lower file gone from the folder (renamed) is only reported. */
	assert_int_equal(db_exec(f->db, "DELETE FROM schema_migrations WHERE name = '009_new.sql'"), 0);
	snprintf(path, sizeof path, "%s/002_b.sql", sqld);
	assert_int_equal(unlink(path), 0);
	out = migrate_logged(f, sqld, 0);
	assert_non_null(strstr(out, "has 002_b.sql"));
	free(out);
	assert_int_equal(table_exists(f->db, "c"), 1);
}

static void *migrate_body(void *arg)
{
	int *rc = arg;
	db_t *db = db_get();
	*rc = db != NULL ? db_migrate(db, sql_dir()) : -1;
	db_thread_close();
	return NULL;
}

/* Several processes (here threads, each with its own connection) start at
 * once on a new database: each file is applied exactly once. */
static void test_migrate_concurrent(void **state)
{
	fixture *f = *state;
	pthread_t th[4];
	int rc[4] = {-9, -9, -9, -9};
	capture c;
	capture_begin(&c);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, migrate_body, &rc[i]), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	char *out = capture_end(&c);
	for (int i = 0; i < 4; i++)
		assert_int_equal(rc[i], 0);
	const char *p = strstr(out, "applied 001_init.sql");
	assert_non_null(p);
	assert_null(strstr(p + 1, "applied 001_init.sql"));
	free(out);
	assert_true(db_schema_version(f->db) >= 1);
	assert_int_equal(table_exists(f->db, "articles"), 1);
}

/* ---- faults ----------------------------------------------------------------------- */

static void test_fault_paths(void **state)
{
	fixture *f = *state;
	char path[256];
	db_thread_close();

	/* The database path is a folder. */
	snprintf(path, sizeof path, "%s/folder.db", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(db_open(path, "normal"), -1);

	/* The folder does not exist. */
	snprintf(path, sizeof path, "%s/missing/sen.db", f->dir);
	assert_int_equal(db_open(path, "normal"), -1);

	/* The file is not a database. */
	assert_int_equal(write_file(f->dir, "junk.db",
				    "this is not an SQLite database, only some text that is long "
				    "enough to fill the header SQLite reads first............."),
			 0);
	snprintf(path, sizeof path, "%s/junk.db", f->dir);
	assert_int_equal(db_open(path, "normal"), -1);

	/* None of these changed the working database. */
	f->db = db_get();
	assert_non_null(f->db);
	assert_int_equal(db_exec(f->db, "CREATE TABLE ok (x INTEGER)"), 0);

	/* NULL connections are refused everywhere without crashing. */
	assert_int_equal(db_exec(NULL, "SELECT 1"), -1);
	assert_int_equal(db_begin(NULL), -1);
	assert_int_equal(db_commit(NULL), -1);
	assert_int_equal(db_rollback(NULL), -1);
	assert_int_equal(db_migrate(NULL, sql_dir()), -1);
	assert_int_equal(db_schema_version(NULL), -1);
	assert_int_equal(db_step(NULL), DB_ERROR);
	assert_int_equal(db_bind_int64(NULL, 1, 1), -1);
	assert_null(db_col_text(NULL, 0));
}

/* The database file is corrupted under a running connection. */
static void test_fault_corrupt(void **state)
{
	fixture *f = *state;
	assert_int_equal(db_migrate(f->db, sql_dir()), 0);
	db_thread_close();
	/* Overwrite the header: every later open must fail cleanly. */
	int fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "garbage garbage garbage garbage!", 32, 0), 32);
	close(fd);
	assert_int_equal(db_open(f->path, "normal"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_open_pragmas, setup),
		testdb_case(test_stmt_cache, setup),
		testdb_case(test_bind_columns, setup),
		testdb_case(test_col_copy, setup),
		testdb_case(test_constraint_mapping, setup),
		testdb_case(test_busy_mapping, setup),
		testdb_case(test_transactions, setup),
		testdb_case(test_threads, setup),
		testdb_case(test_migrate_twice, setup),
		testdb_case(test_migrate_bad_rolls_back, setup),
		testdb_case(test_migrate_refusals, setup),
		testdb_case(test_migrate_out_of_order, setup),
		testdb_case(test_migrate_adopts_old_database, setup),
		testdb_case(test_migrate_refuses_downgrade, setup),
		testdb_case(test_migrate_concurrent, setup),
		testdb_case(test_migrate_roles_upgrade, setup),
		testdb_case(test_migrate_keys_off_checked, setup),
		testdb_case(test_fault_paths, setup),
		testdb_case(test_fault_corrupt, setup),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
