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

#include <stddef.h>
#include <stdint.h>

typedef struct db db_t;
typedef struct db_stmt db_stmt;

enum { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };
/* Extended result for constraint violations (UNIQUE, FOREIGN KEY, CHECK). */
enum { DB_CONSTRAINT = -2, DB_BUSY = -3 };

/* Sets the database file for this process. synchronous: "normal" or
 * "full". Returns 0 or -1 (logged). */
int db_open(const char *path, const char *synchronous);

/* Closes this thread's connection (call at thread exit; safe if none). */
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

/* Schema migrations: applies every sql/NNN_name.sql in dir whose number is
 * above PRAGMA user_version, each in its own transaction, in order, and
 * reports each to stderr. Never drops data. 0 or -1 (with the file named). */
int db_migrate(db_t *db, const char *sql_dir);

/* The schema version currently applied. */
int db_schema_version(db_t *db);

#endif
