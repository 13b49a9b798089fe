/*
 * db_sqlite.c - db.h over SQLite 3: one connection per thread, a bounded
 * prepared-statement cache per connection, and result codes mapped to the
 * backend-neutral DB_* values.
 *
 * Each connection is used only by the thread that opened it, so it is opened
 * with SQLITE_OPEN_NOMUTEX ("multi-thread" mode): SQLite's own global state
 * stays protected, but the per-connection mutexes, which would only ever be
 * taken by one thread, are skipped.
 */
#include "db/db.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <sqlite3.h>
#include <stdatomic.h>

#include "core/fault.h"
#include "core/log.h"
#include "db/fts_vn.h"

#define STMT_BUCKETS 64          /* hash buckets; the cache holds at most DB_STMT_CACHE_MAX */
#define SQL_MAX (64 * 1024)      /* longest statement text db_prepare() accepts */
#define PATH_MAX_LEN 4096
#define BUSY_TIMEOUT_MS 5000
#define SAVEPOINT_NAME "sen_write"

struct db_stmt {
	sqlite3_stmt *st;
	db_t *db;
	char *sql;               /* cache key; NULL for a statement outside the cache */
	uint32_t hash;
	bool in_use;
	uint64_t last_used;
	struct db_stmt *next;    /* bucket chain, or the list of loose statements */
};

struct db {
	sqlite3 *conn;
	unsigned generation;     /* which db_open() this connection follows */
	struct db_stmt *buckets[STMT_BUCKETS];
	size_t ncached;
	struct db_stmt *loose;   /* prepared outside the cache, finalized by db_done() */
	uint64_t tick;
	db_stats stats;
	void (*trace)(const char *sql, void *arg);
	void *trace_arg;
	bool content_dirty;      /* this transaction changed what pages show */
	bool quiet;              /* db_set_quiet(): this transaction changes nothing shown */
};

/* ---- process-wide settings ------------------------------------------------ */

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static char db_path[PATH_MAX_LEN];
static int db_synchronous = 1;    /* 1 NORMAL, 2 FULL */
static unsigned db_generation;    /* 0 = db_open() never succeeded */

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t conn_key;
static __thread db_t *thread_db;

/* ---- temporary failures (db_busy_seen, db_full_seen) ------------------------- */

enum { SEEN_BUSY = 1, SEEN_FULL = 2 };
static __thread unsigned failure_seen;

/* Less free space than this on the database's file system is "full". */
#define FULL_BELOW_BYTES (1024 * 1024)

/* True when a write to conn's files cannot grow them: the file system is
 * (nearly) full, or the process's file size limit (ulimit -f) leaves less
 * than a few pages above the database or its WAL. */
static bool storage_exhausted(sqlite3 *conn)
{
	const char *file = conn != NULL ? sqlite3_db_filename(conn, "main") : NULL;
	if (file == NULL || file[0] == '\0')
		return false;
	struct statvfs vfs;
	if (statvfs(file, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < FULL_BELOW_BYTES)
		return true;
	struct rlimit rl;
	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return false;
	char wal[PATH_MAX_LEN + 8];
	snprintf(wal, sizeof wal, "%s-wal", file);
	const char *paths[] = {file, wal};
	for (size_t i = 0; i < 2; i++) {
		struct stat st;
		if (stat(paths[i], &st) == 0 && (rlim_t)st.st_size + 65536 > rl.rlim_cur)
			return true;
	}
	return false;
}

/* Notes why a call on conn failed with rc, when the reason is one a user
 * should hear about: the lock was held too long, or storage is full. */
static void note_failure(sqlite3 *conn, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		failure_seen |= SEEN_BUSY;
		break;
	case SQLITE_FULL:
		failure_seen |= SEEN_FULL;
		break;
	case SQLITE_NOMEM:
		/* A caller may take the failed query for "no rows" (core/fault.h). */
		fault_memory_note("SQLite");
		break;
	case SQLITE_IOERR: {
		/* A write past a file size limit (EFBIG) or a quota is a full disk
		 * to the user; the unix VFS reports those as I/O errors, and the
		 * errno it keeps is often overwritten by then, so the storage is
		 * looked at too. */
		int e = conn != NULL ? sqlite3_system_errno(conn) : 0;
		if (e == ENOSPC || e == EDQUOT || e == EFBIG || storage_exhausted(conn))
			failure_seen |= SEEN_FULL;
		break;
	}
	default:
		break;
	}
}

bool db_busy_seen(void)
{
	return (failure_seen & SEEN_BUSY) != 0;
}

bool db_full_seen(void)
{
	return (failure_seen & SEEN_FULL) != 0;
}

void db_failures_clear(void)
{
	failure_seen = 0;
}

/* ---- allocation faults (test builds, core/fault.h) -------------------------- */

/* SQLite's own allocator, wrapped so that a test can make the Nth allocation
 * of a request fail; installed only when fault injection is on. */
static sqlite3_mem_methods real_mem;

/* A failure is noted here as well as by note_failure(): not every call
 * that meets it goes through a path that looks at SQLITE_NOMEM (a bind). */
static void *fault_malloc(int n)
{
	void *p = fault_alloc_fails() ? NULL : real_mem.xMalloc(n);
	if (p == NULL)
		fault_memory_note("SQLite");
	return p;
}

static void *fault_realloc(void *p, int n)
{
	void *q = fault_alloc_fails() ? NULL : real_mem.xRealloc(p, n);
	if (q == NULL)
		fault_memory_note("SQLite");
	return q;
}

static void install_fault_malloc(void)
{
	if (!fault_enabled())
		return;
	sqlite3_mem_methods m;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK) {
		log_warn("db: cannot read SQLite's allocator; its allocations are not failed");
		return;
	}
	m = real_mem;
	m.xMalloc = fault_malloc;
	m.xRealloc = fault_realloc;
	/* SQLITE_MISUSE once SQLite is initialised: then it stays as it is. */
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		log_warn("db: SQLite already initialised; its allocations are not failed");
}

/* ---- helpers ----------------------------------------------------------------- */

/* Copies the first few words of a statement for a log line: enough to tell
 * which statement failed, never any bound value (the text holds only '?'). */
static void sql_head(const char *sql, char *out, size_t outlen)
{
	size_t o = 0;
	int words = 0;
	bool in_space = true;
	if (outlen == 0)
		return;
	if (sql == NULL)
		sql = "";
	for (;;) {
		/* Leading comments say nothing about the statement. */
		while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
			sql++;
		if (sql[0] == '-' && sql[1] == '-') {
			while (*sql != '\0' && *sql != '\n')
				sql++;
			continue;
		}
		break;
	}
	char prev = ' ';
	for (; *sql != '\0' && o + 2 < outlen && o < 60; sql++) {
		unsigned char c = (unsigned char)*sql;
		if (c <= ' ' || c == 0x7f) {
			if (!in_space && ++words == 4)
				break;
			in_space = true;
			continue;
		}
		/* A literal (string or number) could hold data, and ';' ends the
		 * statement: the head stops there. A digit inside a name (t1) is
		 * not a literal. */
		bool in_name = !in_space && (isalnum((unsigned char)prev) || prev == '_');
		if (c == '\'' || c == '"' || c == ';' || (isdigit(c) && !in_name))
			break;
		if (in_space && o > 0)
			out[o++] = ' ';
		in_space = false;
		out[o++] = (char)c;
		prev = (char)c;
	}
	out[o] = '\0';
}

static uint32_t hash_sql(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void stmt_collect(struct db_stmt *s)
{
	s->db->stats.sorts += (unsigned long)sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_SORT, 1);
	s->db->stats.full_scans +=
	    (unsigned long)sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
}

static void stmt_free(struct db_stmt *s)
{
	sqlite3_finalize(s->st);
	free(s->sql);
	free(s);
}

static void conn_close(db_t *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < STMT_BUCKETS; i++) {
		struct db_stmt *s = db->buckets[i];
		while (s != NULL) {
			struct db_stmt *next = s->next;
			stmt_free(s);
			s = next;
		}
	}
	struct db_stmt *s = db->loose;
	while (s != NULL) {
		struct db_stmt *next = s->next;
		stmt_free(s);
		s = next;
	}
	/* An open transaction is rolled back by the close. */
	if (sqlite3_close_v2(db->conn) != SQLITE_OK)
		log_error("db: close: %s", sqlite3_errmsg(db->conn));
	free(db);
}

static void key_destructor(void *p)
{
	if (p == thread_db)
		thread_db = NULL;
	conn_close(p);
}

static void key_create(void)
{
	if (pthread_key_create(&conn_key, key_destructor) != 0)
		fatal("db: pthread_key_create failed");
}

/* Runs one statement that returns at most rows we ignore (PRAGMAs). */
static int run_simple(sqlite3 *conn, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(conn, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK) {
		char head[80];
		sql_head(sql, head, sizeof head);
		log_error("db: %s: %s", head, sqlite3_errmsg(conn));
		note_failure(conn, rc);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Opens a connection to path and sets it up as db.h promises. */
/* Every commit of any connection in this process bumps the generation, so
 * caches of rendered pages can tell that what they show may have changed. */
static atomic_uint_fast64_t commit_generation = 1;

static int count_commit(void *arg)
{
	(void)arg;
	atomic_fetch_add_explicit(&commit_generation, 1, memory_order_relaxed);
	return 0; /* 0 lets the commit go ahead */
}

/* ---- content generation --------------------------------------------------- */

/* Tables registered by db_quiet_table_add(): writing them does not move the
 * content generation. Written at start-up only; the count is published last,
 * so a reader sees whole names. */
static const char *quiet_tables[DB_QUIET_TABLES_MAX];
static atomic_size_t quiet_count;
static pthread_mutex_t quiet_lock = PTHREAD_MUTEX_INITIALIZER;

int db_quiet_table_add(const char *table)
{
	int rc = 0;
	if (table == NULL)
		return -1;
	pthread_mutex_lock(&quiet_lock);
	size_t n = atomic_load_explicit(&quiet_count, memory_order_relaxed);
	for (size_t i = 0; i < n; i++)
		if (strcmp(quiet_tables[i], table) == 0)
			goto done;
	if (n == DB_QUIET_TABLES_MAX) {
		log_error("db: more than %d quiet tables", DB_QUIET_TABLES_MAX);
		rc = -1;
		goto done;
	}
	quiet_tables[n] = table;
	atomic_store_explicit(&quiet_count, n + 1, memory_order_release);
done:
	pthread_mutex_unlock(&quiet_lock);
	return rc;
}

static atomic_uint_fast64_t content_generation = 1;

static void note_change(void *arg, int op, const char *dbname, const char *table,
			sqlite3_int64 rowid)
{
	(void)op;
	(void)dbname;
	(void)rowid;
	db_t *db = arg;
	if (db->content_dirty)
		return;
	size_t n = atomic_load_explicit(&quiet_count, memory_order_acquire);
	for (size_t i = 0; i < n; i++)
		if (strcmp(table, quiet_tables[i]) == 0)
			return;
	db->content_dirty = true;
}

static void forget_changes(void *arg)
{
	db_t *db = arg;
	db->content_dirty = false;
	db->quiet = false;
}

/* Called by SQLite after a commit is complete and visible to other
 * connections: the right moment to tell page caches. Registering it replaces
 * SQLite's automatic checkpoint, so it checkpoints the same way itself. */
static int after_commit(void *arg, sqlite3 *conn, const char *dbname, int wal_pages)
{
	db_t *db = arg;
	if (db->content_dirty && !db->quiet)
		atomic_fetch_add_explicit(&content_generation, 1, memory_order_release);
	db->content_dirty = false;
	db->quiet = false;
	if (wal_pages >= 1000)
		sqlite3_wal_checkpoint_v2(conn, dbname, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

uint64_t db_content_generation(void)
{
	return atomic_load_explicit(&content_generation, memory_order_acquire);
}

void db_set_quiet(db_t *db)
{
	if (db != NULL)
		db->quiet = true;
}

uint64_t db_commit_generation(void)
{
	return atomic_load_explicit(&commit_generation, memory_order_relaxed);
}

static sqlite3 *conn_open(const char *path, int synchronous)
{
	sqlite3 *conn = NULL;
	sqlite3_stmt *st = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
		    SQLITE_OPEN_EXRESCODE;
	int rc = sqlite3_open_v2(path, &conn, flags, NULL);
	if (rc != SQLITE_OK) {
		log_error("db: cannot open %s: %s", path,
			  conn != NULL ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
		note_failure(conn, rc);
		goto fail;
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, BUSY_TIMEOUT_MS);
	sqlite3_commit_hook(conn, count_commit, NULL);
	/* Defensive mode keeps even a compromised SQL string from corrupting the
	 * file through writable_schema or similar back doors. */
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);

	/* journal_mode answers with the mode actually in force: a file that
	 * cannot take WAL (read-only folder, some network file systems) says so
	 * here rather than failing later. */
	rc = sqlite3_prepare_v2(conn, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		log_error("db: cannot open %s: %s", path, sqlite3_errmsg(conn));
		note_failure(conn, rc);
		goto fail;
	}
	const char *mode = (const char *)sqlite3_column_text(st, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0) {
		log_error("db: %s: WAL journal mode refused (got %s)", path, mode ? mode : "?");
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;

	if (run_simple(conn, synchronous == 2 ? "PRAGMA synchronous=FULL"
					      : "PRAGMA synchronous=NORMAL") != 0 ||
	    run_simple(conn, "PRAGMA foreign_keys=ON") != 0 ||
	    run_simple(conn, "PRAGMA temp_store=MEMORY") != 0)
		goto fail;
	if (run_simple(conn, "PRAGMA cache_size=-" DB_CACHE_KIB) != 0)
		goto fail;
	/* Reads through a memory map of the file (the OS page cache, shared by
	 * every connection) instead of pread() into each connection's own
	 * 8 MB cache: with 100,000 articles a listing's rows are scattered over
	 * hundreds of MB, and copying each page in cost a fifth of the CPU
	 * (bench/README.md). Past the map (2 GiB; SQLite caps it at its
	 * compile-time SQLITE_MAX_MMAP_SIZE, just under 2 GiB on Debian) pages
	 * are read as before; a build of SQLite without mmap ignores it. */
	if (run_simple(conn, "PRAGMA mmap_size=" DB_MMAP_BYTES) != 0)
		goto fail;
	if (sqlite3_db_readonly(conn, "main") == 1)
		log_warn("db: %s is read-only: every write will fail", path);
	/* The search index's tokenizer must be there before any statement
	 * touches it; without FTS5 the rest of the program still works. */
	fts_vn_register(conn);
	return conn;
fail:
	sqlite3_finalize(st);
	sqlite3_close_v2(conn);
	return NULL;
}

/* FTS5 is compiled in on Debian; a custom SQLite might lack it, and search
 * (a later migration) would then fail with a less obvious message. */
static void check_fts5(sqlite3 *conn)
{
	sqlite3_stmt *st = NULL;
	int has = 0;
	if (sqlite3_prepare_v2(conn, "SELECT sqlite_compileoption_used('ENABLE_FTS5')", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		has = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!has) {
		/* It may also come from a loadable or auto extension. */
		if (sqlite3_exec(conn, "CREATE VIRTUAL TABLE temp.sen_fts5_probe USING fts5(x);"
				       "DROP TABLE temp.sen_fts5_probe;",
				 NULL, NULL, NULL) == SQLITE_OK)
			has = 1;
	}
	if (!has)
		log_error("db: this SQLite (%s) was built without FTS5; full-text search will "
			  "not work. Install a SQLite with FTS5 enabled (Debian's libsqlite3-0 has it).",
			  sqlite3_libversion());
}

/* ---- connections ------------------------------------------------------------- */

int db_open(const char *path, const char *synchronous)
{
	int sync;
	if (path == NULL || path[0] == '\0') {
		log_error("db: no database path");
		return -1;
	}
	if (strlen(path) >= PATH_MAX_LEN) {
		log_error("db: database path too long");
		return -1;
	}
	if (synchronous == NULL || strcmp(synchronous, "normal") == 0)
		sync = 1;
	else if (strcmp(synchronous, "full") == 0)
		sync = 2;
	else {
		log_error("db: synchronous must be normal or full, not '%.16s'", synchronous);
		return -1;
	}
	if (sqlite3_threadsafe() == 0) {
		log_error("db: this SQLite was built without thread support");
		return -1;
	}
	pthread_once(&key_once, key_create);
	install_fault_malloc();

	sqlite3 *probe = conn_open(path, sync);
	if (probe == NULL)
		return -1;
	check_fts5(probe);
	sqlite3_close_v2(probe);

	pthread_mutex_lock(&settings_lock);
	memcpy(db_path, path, strlen(path) + 1);
	db_synchronous = sync;
	db_generation++;
	if (db_generation == 0)
		db_generation = 1;
	pthread_mutex_unlock(&settings_lock);
	return 0;
}

void db_thread_close(void)
{
	db_t *db = thread_db;
	if (db == NULL)
		return;
	thread_db = NULL;
	pthread_setspecific(conn_key, NULL);
	conn_close(db);
}

db_t *db_get(void)
{
	char path[PATH_MAX_LEN];
	pthread_mutex_lock(&settings_lock);
	unsigned generation = db_generation;
	int sync = db_synchronous;
	memcpy(path, db_path, sizeof path);
	pthread_mutex_unlock(&settings_lock);

	if (generation == 0) {
		log_error("db: db_get() before db_open()");
		return NULL;
	}
	if (thread_db != NULL) {
		if (thread_db->generation == generation)
			return thread_db;
		db_thread_close();
	}
	db_t *db = calloc(1, sizeof(*db));
	if (db == NULL) {
		log_error("db: out of memory");
		return NULL;
	}
	db->conn = conn_open(path, sync);
	if (db->conn == NULL) {
		free(db);
		return NULL;
	}
	db->generation = generation;
	sqlite3_update_hook(db->conn, note_change, db);
	sqlite3_rollback_hook(db->conn, forget_changes, db);
	sqlite3_wal_hook(db->conn, after_commit, db);
	if (pthread_setspecific(conn_key, db) != 0) {
		log_error("db: pthread_setspecific failed");
		conn_close(db);
		return NULL;
	}
	thread_db = db;
	return db;
}

/* ---- statements -------------------------------------------------------------- */

/* Refuses, at prepare time, what a migration script must not do itself. */
static int script_authorizer(void *arg, int action, const char *a1, const char *a2,
			     const char *dbname, const char *trigger)
{
	(void)arg;
	(void)a2;
	(void)dbname;
	(void)trigger;
	switch (action) {
	case SQLITE_TRANSACTION:
	case SQLITE_SAVEPOINT:
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		if (a1 != NULL && (sqlite3_stricmp(a1, "user_version") == 0 ||
				   sqlite3_stricmp(a1, "journal_mode") == 0 ||
				   sqlite3_stricmp(a1, "writable_schema") == 0))
			return SQLITE_DENY;
		return SQLITE_OK;
	default:
		return SQLITE_OK;
	}
}

int db_exec_script(db_t *db, const char *sql)
{
	if (db == NULL || sql == NULL)
		return -1;
	sqlite3_set_authorizer(db->conn, script_authorizer, NULL);
	int rc = db_exec(db, sql);
	sqlite3_set_authorizer(db->conn, NULL, NULL);
	return rc;
}

int db_exec(db_t *db, const char *sql)
{
	if (db == NULL || sql == NULL)
		return -1;
	const char *tail = sql;
	while (*tail != '\0') {
		sqlite3_stmt *st = NULL;
		const char *start = tail;
		int rc = sqlite3_prepare_v2(db->conn, start, -1, &st, &tail);
		if (rc == SQLITE_OK && st != NULL) {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				;
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			char head[80];
			sql_head(start, head, sizeof head);
			log_error("db: %s: %s", head, sqlite3_errmsg(db->conn));
			note_failure(db->conn, rc);
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
		if (st == NULL && tail == start)
			break;
	}
	return 0;
}

/* Drops the least recently used idle statement; false if all are in use. */
static bool evict_one(db_t *db)
{
	struct db_stmt **victim = NULL;
	for (size_t i = 0; i < STMT_BUCKETS; i++)
		for (struct db_stmt **pp = &db->buckets[i]; *pp != NULL; pp = &(*pp)->next)
			if (!(*pp)->in_use && (victim == NULL || (*pp)->last_used < (*victim)->last_used))
				victim = pp;
	if (victim == NULL)
		return false;
	struct db_stmt *s = *victim;
	*victim = s->next;
	stmt_free(s);
	db->ncached--;
	return true;
}

db_stmt *db_prepare(db_t *db, const char *sql)
{
	if (db == NULL || sql == NULL)
		return NULL;
	size_t len = strlen(sql);
	if (len > SQL_MAX) {
		log_error("db: statement text too long (%zu bytes)", len);
		return NULL;
	}
	uint32_t h = hash_sql(sql, len);
	struct db_stmt **bucket = &db->buckets[h % STMT_BUCKETS];
	bool busy_twin = false;
	for (struct db_stmt *s = *bucket; s != NULL; s = s->next) {
		if (s->hash != h || strcmp(s->sql, sql) != 0)
			continue;
		if (s->in_use) {
			/* The same statement is being stepped further up the stack;
			 * give this caller its own copy. */
			busy_twin = true;
			break;
		}
		s->in_use = true;
		db->stats.cache_hits++;
		if (db->trace != NULL)
			db->trace(sql, db->trace_arg);
		return s;
	}

	struct db_stmt *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		log_error("db: out of memory");
		return NULL;
	}
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(db->conn, sql, (int)len + 1,
				    busy_twin ? 0 : SQLITE_PREPARE_PERSISTENT, &s->st, &tail);
	if (rc != SQLITE_OK || s->st == NULL) {
		char head[80];
		sql_head(sql, head, sizeof head);
		log_error("db: prepare %s: %s", head,
			  rc != SQLITE_OK ? sqlite3_errmsg(db->conn) : "empty statement");
		note_failure(db->conn, rc);
		goto fail;
	}
	/* One statement per call: trailing text would be silently ignored. */
	for (; tail != NULL && *tail != '\0'; tail++)
		if (*tail != ' ' && *tail != '\t' && *tail != '\n' && *tail != '\r' && *tail != ';') {
			char head[80];
			sql_head(sql, head, sizeof head);
			log_error("db: prepare %s: more than one statement", head);
			goto fail;
		}
	s->db = db;
	s->in_use = true;
	s->hash = h;
	db->stats.prepares++;

	if (!busy_twin && (db->ncached < DB_STMT_CACHE_MAX || evict_one(db))) {
		s->sql = strdup(sql);
		if (s->sql != NULL) {
			s->next = *bucket;
			*bucket = s;
			db->ncached++;
			goto done;
		}
	}
	s->next = db->loose;
	db->loose = s;
done:
	if (db->trace != NULL)
		db->trace(sql, db->trace_arg);
	return s;
fail:
	sqlite3_finalize(s->st);
	free(s);
	return NULL;
}

static int bind_result(db_stmt *st, int idx, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	char head[80];
	sql_head(sqlite3_sql(st->st), head, sizeof head);
	log_error("db: %s: bind %d: %s", head, idx, sqlite3_errstr(rc));
	note_failure(sqlite3_db_handle(st->st), rc);
	return -1;
}

int db_bind_int64(db_stmt *st, int idx, int64_t v)
{
	if (st == NULL)
		return -1;
	return bind_result(st, idx, sqlite3_bind_int64(st->st, idx, v));
}

int db_bind_double(db_stmt *st, int idx, double v)
{
	if (st == NULL)
		return -1;
	return bind_result(st, idx, sqlite3_bind_double(st->st, idx, v));
}

int db_bind_text(db_stmt *st, int idx, const char *s, long len)
{
	if (st == NULL)
		return -1;
	if (s == NULL)
		return bind_result(st, idx, sqlite3_bind_null(st->st, idx));
	size_t n = len < 0 ? strlen(s) : (size_t)len;
	if (n > INT_MAX)
		return bind_result(st, idx, SQLITE_TOOBIG);
	return bind_result(st, idx, sqlite3_bind_text(st->st, idx, s, (int)n, SQLITE_TRANSIENT));
}

int db_bind_blob(db_stmt *st, int idx, const void *p, size_t len)
{
	if (st == NULL)
		return -1;
	if (len > INT_MAX)
		return bind_result(st, idx, SQLITE_TOOBIG);
	if (p == NULL)
		return bind_result(st, idx, sqlite3_bind_zeroblob(st->st, idx, 0));
	return bind_result(st, idx, sqlite3_bind_blob(st->st, idx, p, (int)len, SQLITE_TRANSIENT));
}

int db_bind_null(db_stmt *st, int idx)
{
	if (st == NULL)
		return -1;
	return bind_result(st, idx, sqlite3_bind_null(st->st, idx));
}

int db_step(db_stmt *st)
{
	if (st == NULL)
		return DB_ERROR;
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	char head[80];
	sql_head(sqlite3_sql(st->st), head, sizeof head);
	note_failure(st->db->conn, rc);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		/* Often expected (a duplicate name): the caller decides if it matters. */
		log_debug("db: %s: %s", head, sqlite3_errmsg(st->db->conn));
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		log_warn("db: %s: %s", head, sqlite3_errmsg(st->db->conn));
		return DB_BUSY;
	default:
		log_error("db: %s: %s", head, sqlite3_errmsg(st->db->conn));
		return DB_ERROR;
	}
}

int64_t db_col_int64(db_stmt *st, int col)
{
	return st != NULL ? sqlite3_column_int64(st->st, col) : 0;
}

double db_col_double(db_stmt *st, int col)
{
	return st != NULL ? sqlite3_column_double(st->st, col) : 0.0;
}

const char *db_col_text(db_stmt *st, int col)
{
	return st != NULL ? (const char *)sqlite3_column_text(st->st, col) : NULL;
}

const void *db_col_blob(db_stmt *st, int col)
{
	return st != NULL ? sqlite3_column_blob(st->st, col) : NULL;
}

int db_col_bytes(db_stmt *st, int col)
{
	return st != NULL ? sqlite3_column_bytes(st->st, col) : 0;
}

int db_col_is_null(db_stmt *st, int col)
{
	return st == NULL || sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void db_done(db_stmt *st)
{
	if (st == NULL)
		return;
	db_t *db = st->db;
	/* reset() repeats the last step's error, which db_step() already logged. */
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	stmt_collect(st);
	if (st->sql == NULL) {
		for (struct db_stmt **pp = &db->loose; *pp != NULL; pp = &(*pp)->next)
			if (*pp == st) {
				*pp = st->next;
				break;
			}
		stmt_free(st);
		return;
	}
	st->in_use = false;
	st->last_used = ++db->tick;
}

/* ---- transactions ------------------------------------------------------------ */

static int run_cached(db_t *db, const char *sql)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int db_begin(db_t *db)
{
	if (db == NULL)
		return -1;
	if (!sqlite3_get_autocommit(db->conn)) {
		log_error("db: begin inside an open transaction");
		return -1;
	}
	return run_cached(db, "BEGIN IMMEDIATE");
}

int db_commit(db_t *db)
{
	if (db == NULL)
		return -1;
	return run_cached(db, "COMMIT");
}

int db_rollback(db_t *db)
{
	if (db == NULL)
		return -1;
	/* SQLite may already have rolled back on its own (I/O error, full disk);
	 * rolling back nothing is then success, so `goto fail` paths stay simple. */
	if (sqlite3_get_autocommit(db->conn))
		return 0;
	return run_cached(db, "ROLLBACK");
}

int db_in_transaction(db_t *db)
{
	return db != NULL && !sqlite3_get_autocommit(db->conn);
}

int db_write_begin(db_t *db, int *nested)
{
	if (db == NULL || nested == NULL)
		return -1;
	*nested = db_in_transaction(db);
	if (*nested)
		return run_cached(db, "SAVEPOINT " SAVEPOINT_NAME);
	return db_begin(db);
}

int db_write_end(db_t *db, int nested, int ok)
{
	if (db == NULL)
		return -1;
	if (ok) {
		if (nested)
			return run_cached(db, "RELEASE " SAVEPOINT_NAME);
		if (db_commit(db) == 0)
			return 0;
		db_rollback(db);
		return -1;
	}
	if (nested) {
		/* ROLLBACK TO keeps the savepoint open; RELEASE closes it. */
		if (db_in_transaction(db)) {
			run_cached(db, "ROLLBACK TO " SAVEPOINT_NAME);
			run_cached(db, "RELEASE " SAVEPOINT_NAME);
		}
	} else {
		db_rollback(db);
	}
	return -1;
}

int64_t db_last_insert_id(db_t *db)
{
	return db != NULL ? sqlite3_last_insert_rowid(db->conn) : 0;
}

int db_changes(db_t *db)
{
	return db != NULL ? sqlite3_changes(db->conn) : 0;
}

int db_schema_version(db_t *db)
{
	db_stmt *st = db_prepare(db, "PRAGMA user_version");
	if (st == NULL)
		return -1;
	int v = -1;
	if (db_step(st) == DB_ROW)
		v = (int)db_col_int64(st, 0);
	db_done(st);
	return v;
}

const char *db_errmsg(db_t *db)
{
	return db != NULL ? sqlite3_errmsg(db->conn) : "no database connection";
}

void db_set_busy_timeout(db_t *db, int ms)
{
	if (db != NULL)
		sqlite3_busy_timeout(db->conn, ms < 0 ? 0 : ms);
}

void db_set_trace(db_t *db, void (*fn)(const char *sql, void *arg), void *arg)
{
	if (db == NULL)
		return;
	db->trace = fn;
	db->trace_arg = arg;
}

void db_get_stats(db_t *db, db_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (db == NULL)
		return;
	*out = db->stats;
	out->cached = db->ncached;
}

void db_reset_stats(db_t *db)
{
	if (db != NULL)
		memset(&db->stats, 0, sizeof(db->stats));
}

/* ---- Online backup --------------------------------------------------------- */

int db_backup(db_t *db, const char *dest)
{
	if (db == NULL || dest == NULL || db_in_transaction(db)) {
		log_error("db: backup: no connection, or inside a transaction");
		return -1;
	}
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		/* One step for every page: a single read transaction, so the copy
		 * is the database as of one commit, and writers (WAL) go on. */
		sqlite3_backup *b = sqlite3_backup_init(out, "main", db->conn, "main");
		if (b == NULL) {
			rc = sqlite3_errcode(out);
		} else {
			do {
				rc = sqlite3_backup_step(b, -1);
				if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
					sqlite3_sleep(50);
			} while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
			int fin = sqlite3_backup_finish(b);
			if (rc == SQLITE_DONE)
				rc = fin;
		}
	}
	if (rc != SQLITE_OK) {
		log_error("db: backup to %s: %s", dest, out != NULL ? sqlite3_errmsg(out) : "no memory");
		note_failure(out, rc);
	}
	sqlite3_close_v2(out);
	return rc == SQLITE_OK ? 0 : -1;
}
