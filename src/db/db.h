/*
 * db.h - the storage interface every model uses, independent of backend.
 *
 * Today the backend is SQLite (db_sqlite.c); a PostgreSQL backend will
 * implement this same header. SQL passed here uses '?' placeholders,
 * numbered from 1 by the bind calls, and the common subset of SQL both
 * engines accept.
 *
 * Connections: db_open() once per process sets the database path, runs no
 * migrations. db_get() returns this thread's own connection, opened on first
 * use (WAL, foreign_keys=ON, busy_timeout 5 s, synchronous as configured).
 * Prepared statements are cached per connection by SQL text, so preparing
 * the same SQL again is cheap; db_done() resets a statement and returns it
 * to the cache. A db_stmt belongs to the thread that prepared it.
 *
 * Writes go inside db_begin() (BEGIN IMMEDIATE on SQLite) ... db_commit().
 * A commit that returned 0 is durable against the process being killed.
 */
#ifndef SEN_DB_DB_H
#define SEN_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

typedef struct db db_t;
typedef struct db_stmt db_stmt;

enum { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };
/* Extended result for constraint violations (UNIQUE, FOREIGN KEY, CHECK). */
enum { DB_CONSTRAINT = -2, DB_BUSY = -3 };

/* Sets the database file for this process. synchronous: "normal" or
 * "full". Opens the file once to check it can be used (creating it if
 * missing), logs a clear error if this SQLite lacks FTS5 (search needs it),
 * then closes it. Calling it again points connections opened afterwards at
 * the new file; a thread's open connection to the old file is replaced on
 * its next db_get(). A refused call changes nothing. Returns 0 or -1
 * (logged). */
int db_open(const char *path, const char *synchronous);

/* Closes this thread's connection (safe if none). Threads other than main
 * close theirs automatically when they exit; main calls this before exit. */
void db_thread_close(void);

/* This thread's connection, or NULL (logged) if it cannot be opened. */
db_t *db_get(void);

/* Runs statements without parameters (migrations, PRAGMAs). 0 or -1. */
int db_exec(db_t *db, const char *sql);

/* Prepares (or takes from the cache) one statement. NULL on error (logged). */
db_stmt *db_prepare(db_t *db, const char *sql);

int db_bind_int64(db_stmt *st, int idx, int64_t v);
int db_bind_double(db_stmt *st, int idx, double v);
/* len < 0: s is NUL-terminated. s NULL binds NULL. The text is copied. */
int db_bind_text(db_stmt *st, int idx, const char *s, long len);
int db_bind_blob(db_stmt *st, int idx, const void *p, size_t len);
int db_bind_null(db_stmt *st, int idx);

/* DB_ROW, DB_DONE, DB_CONSTRAINT, DB_BUSY or DB_ERROR (logged). */
int db_step(db_stmt *st);

int64_t db_col_int64(db_stmt *st, int col);
double db_col_double(db_stmt *st, int col);
/* Valid until the next step/done on st; NULL for SQL NULL. */
const char *db_col_text(db_stmt *st, int col);
const void *db_col_blob(db_stmt *st, int col);
int db_col_bytes(db_stmt *st, int col);
int db_col_is_null(db_stmt *st, int col);

/* Resets and clears bindings; the statement goes back to the cache. */
void db_done(db_stmt *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. 0 or -1. */
int db_begin(db_t *db);
int db_commit(db_t *db);
int db_rollback(db_t *db);

int64_t db_last_insert_id(db_t *db);
int db_changes(db_t *db);

/* Schema migrations: applies every sql/NNN_name.sql in dir not yet recorded
 * in the table schema_migrations (name, SHA-256, time applied), in order,
 * all in one transaction (a failure changes nothing), keeps PRAGMA
 * user_version at the highest applied, and reports each to stderr. A
 * database without that table is adopted (files up to user_version count
 * as applied); one holding a file above dir's newest (a newer Sen's) is
 * refused. Never drops data. 0 or -1 (with the file named). migrate.c. */
int db_migrate(db_t *db, const char *sql_dir);

/* The schema version currently applied, or -1 (logged). */
int db_schema_version(db_t *db);

/* ---- Added by the storage layer (documented additions to the contract) ---- */

/* Like db_exec() for a migration script: statements that would take control
 * away from the runner (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ATTACH, DETACH,
 * PRAGMA user_version / journal_mode) are refused before they run. 0 or -1
 * (logged; db_errmsg() holds the reason). */
int db_exec_script(db_t *db, const char *sql);

/* 1 when a transaction is open on this connection, else 0. */
int db_in_transaction(db_t *db);

/*
 * One unit of writing that is atomic whether or not the caller already opened
 * a transaction: db_write_begin() runs BEGIN IMMEDIATE when none is open,
 * otherwise a SAVEPOINT inside the caller's transaction, and sets *nested to
 * tell which. db_write_end(db, nested, ok) then commits (or releases the
 * savepoint) when ok is non-zero, and otherwise rolls back only this unit.
 * Both return 0 or -1 (logged); db_write_end() returns -1 when ok was 0.
 */
int db_write_begin(db_t *db, int *nested);
int db_write_end(db_t *db, int nested, int ok);

/* The backend's message for the last error on this connection (never NULL,
 * valid until the next call on db). */
const char *db_errmsg(db_t *db);

/* Changes how long a statement waits for another writer (default 5000 ms);
 * for tools and tests. */
void db_set_busy_timeout(db_t *db, int ms);

/* Calls fn(sql, arg) with the text of every statement db_prepare() hands out
 * on this connection (cached or not); fn NULL turns it off. For tests (query
 * plans) and debugging; the text holds '?' placeholders, never bound values. */
void db_set_trace(db_t *db, void (*fn)(const char *sql, void *arg), void *arg);

/* Counters of this connection since it opened or since db_reset_stats(). */
typedef struct {
	unsigned long prepares;     /* statements compiled (cache misses) */
	unsigned long cache_hits;   /* db_prepare() served from the cache */
	unsigned long sorts;        /* sorts run by finished statements */
	unsigned long full_scans;   /* full-scan steps of finished statements */
	size_t cached;              /* statements held in the cache now */
} db_stats;

/* The page cache of every connection, in KiB (text, for PRAGMA cache_size). */
#define DB_CACHE_KIB "8192"

/* The memory map of every connection, in bytes (text, for PRAGMA mmap_size;
 * SQLite caps it just under 2 GiB). */
#define DB_MMAP_BYTES "2147483648"

/* The statement cache holds at most this many statements per connection. */
#define DB_STMT_CACHE_MAX 128

void db_get_stats(db_t *db, db_stats *out);
void db_reset_stats(db_t *db);

/* A number that changes whenever any connection of this process commits a
 * transaction (a sqlite3_commit_hook). Caches of rendered pages compare it;
 * writes by other processes are not seen, so such caches also expire. */
uint64_t db_commit_generation(void);

/*
 * A number that changes after any commit of this process that changed rows
 * a rendered page can show: rows of any table but the quiet ones below. The
 * page cache keys on it. It moves only once the commit is visible to other
 * connections. Writes by other processes are not seen: caches also expire
 * by time.
 */
uint64_t db_content_generation(void);

#define DB_QUIET_TABLES_MAX 32

/*
 * Registers a table whose rows no rendered page shows (CAPTCHA codes,
 * sessions, statistics ...): writing it does not move
 * db_content_generation(). Whoever keys a cache on the generation knows
 * which tables those are and registers them (portal/cache.c), at start-up,
 * before any connection writes. table is kept, not copied (a string
 * literal). Registering a table twice is harmless. 0, or -1 past
 * DB_QUIET_TABLES_MAX (logged).
 */
int db_quiet_table_add(const char *table);

/* Marks the current transaction as changing nothing a page shows (the view
 * counter flush), so committing it keeps the page cache. */
void db_set_quiet(db_t *db);

/*
 * Copies the whole database of db into a new file dest (which must not
 * exist) with SQLite's online backup API, in one read transaction: the copy
 * is the database as of one commit, while other connections and processes
 * go on writing. A failure (a full disk is noted as db_full_seen()) may
 * leave a partial dest for the caller to remove. 0 or -1 (logged).
 */
int db_backup(db_t *db, const char *dest);

/* ---- Rows into an arena (db_row.c) ---------------------------------------- */

/*
 * The text of column col of the current row of st, copied into arena a with
 * all its bytes. SQL NULL gives null_as (not copied: NULL, "" or another
 * static string). Out of memory gives NULL and sets *oom to true when oom is
 * not NULL; *oom is never cleared, so a row of copies can be checked once.
 */
const char *db_col_copy(arena_t *a, db_stmt *st, int col, const char *null_as, bool *oom);

/* Copies n text columns of the current row of st, from column first on, into
 * the arena strings *dst[i] (NULL columns become ""). 0 or -1 (out of memory). */
int db_col_copy_texts(arena_t *a, db_stmt *st, int first, const char **const *dst, size_t n);

/* Fills the element item from the current row of st. 0 or -1 (logged). */
typedef int (*db_fill_fn)(arena_t *a, db_stmt *st, void *item);

/*
 * Reads the rows of st into an array in arena a, one element of size bytes
 * per row, filled by fill: the loop every list of a model needs. st is what
 * db_prepare() returned (NULL fails) with its parameters bound; bound says
 * whether binding them succeeded. At most max rows are read (SIZE_MAX: all);
 * *more (more may be NULL) tells whether another row followed. items is the
 * address of the caller's array pointer (a T ** for elements of type T):
 * it gets the array, NULL when there are no rows. st is done on return.
 * 0, or -1 when a step, an allocation or fill failed.
 */
int db_fill_rows(db_stmt *st, bool bound, arena_t *a, size_t size, size_t max, db_fill_fn fill,
		 void *items, size_t *n, bool *more);

/* Runs sql, whose rows are (key, count) with no parameters (a GROUP BY), and
 * sets counts[key - first] for each key in first .. first + n - 1; the other
 * counts are 0. 0, or -1 with every count 0. */
int db_count_by(db_t *db, const char *sql, int64_t first, int64_t *counts, size_t n);

/* ---- Temporary failures (issue 6: faults reach users as clear answers) ----
 *
 * Each thread notes why its statements failed, so that the HTTP layer can
 * tell "try again in a moment" from a real server error without every model
 * passing DB_BUSY up. The notes are per thread and stay until cleared; the
 * server clears them at the start of every request. */

/* True when a statement, prepare or connection of this thread failed since
 * the last db_failures_clear() because another connection held a lock past
 * the busy timeout (SQLITE_BUSY, SQLITE_LOCKED). */
bool db_busy_seen(void);

/* True when one failed because storage was full: SQLITE_FULL, or an I/O
 * error whose cause was ENOSPC, EDQUOT or EFBIG (a full disk, a quota, a
 * file size limit). */
bool db_full_seen(void);

/* Forgets both notes of this thread. */
void db_failures_clear(void);

#endif
