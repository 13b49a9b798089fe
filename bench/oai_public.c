/*
 * oai_public.c - for bench/oai.py only: marks a share of the register
 * public, as curators would tick the box on many cards, through the
 * storage layer (so the search index's tokenizer is there for the triggers
 * that need it, and sql/013's triggers make the OAI records).
 *
 *   oai_public DATA_DIR COUNT
 *
 * Opens (and migrates) DATA_DIR's database, clears every public flag (the
 * objects shown before stay as deleted OAI records), then sets it on COUNT
 * registered objects taken in an order spread over the table, in one
 * transaction. Exit 0 printing "shown records" (objects now shown, OAI
 * records with the deleted ones), 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "db/db.h"

static int64_t one_number(db_t *db, const char *sql)
{
	db_stmt *st = db_prepare(db, sql);
	int64_t v = st != NULL && db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	if (st != NULL)
		db_done(st);
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s DATA_DIR COUNT\n", argv[0]);
		return 2;
	}
	if (app_load(argv[1]) == NULL)
		return 1;
	db_t *db = db_get();
	db_stmt *st = NULL;
	int ok = db != NULL && db_begin(db) == 0 &&
		 db_exec(db, "UPDATE objects SET public = 0 WHERE public = 1") == 0 &&
		 (st = db_prepare(db, "UPDATE objects SET public = 1 WHERE id IN (SELECT id FROM objects"
				      " WHERE status IN ('main', 'reference')"
				      " ORDER BY (id * 7919) % 1000003 LIMIT ?)")) != NULL &&
		 db_bind_int64(st, 1, strtoll(argv[2], NULL, 10)) == 0 && db_step(st) == DB_DONE;
	if (st != NULL)
		db_done(st);
	if (!ok || db_commit(db) != 0) {
		fprintf(stderr, "oai_public: %s\n", db != NULL ? db_errmsg(db) : "no database");
		return 1;
	}
	printf("%lld %lld\n", (long long)one_number(db, "SELECT count(*) FROM objects_shown"),
	       (long long)one_number(db, "SELECT count(*) FROM oai_records"));
	db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	db_thread_close();
	return 0;
}
