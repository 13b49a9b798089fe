/*
 * register_accept.c - for bench/register.py only: the Scientific Council's
 * acceptance of the objects waiting in the intake book, in bulk, through
 * the model (council_decide: the number from the register, the register
 * log entry with its hash, the decision, the search index), as the council
 * page would record them one by one.
 *
 *   register_accept DATA_DIR SESSION_ID MAIN_REGISTER_ID REFERENCE_REGISTER_ID [MAIN_MAX]
 *
 * Every object in intake whose id ends in 8 is accepted into the reference
 * register; those whose id ends in 1 to 7 or 9 into the main one, the first
 * MAIN_MAX of them (default: all); those ending in 0 stay in the intake
 * book. Decisions are committed 5,000 at a time (each decision alone is a
 * savepoint inside that transaction).
 * Exit 0 with the count on stdout, 1 on the first failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "db/db.h"
#include "model/council.h"
#include "model/problem.h"
#include "model/register_number.h"

#define BATCH 5000

/* The next page of waiting object ids after `after`, at most max of them. */
static size_t waiting(db_t *db, int64_t after, int64_t *ids, size_t max)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM objects WHERE status = 'intake' AND id > ?"
				     " AND id % 10 <> 0 ORDER BY id LIMIT ?");
	size_t n = 0;
	if (st == NULL)
		return 0;
	if (db_bind_int64(st, 1, after) == 0 && db_bind_int64(st, 2, (int64_t)max) == 0)
		while (n < max && db_step(st) == DB_ROW)
			ids[n++] = db_col_int64(st, 0);
	db_done(st);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s DATA_DIR SESSION_ID MAIN_REGISTER_ID REFERENCE_REGISTER_ID"
				" [MAIN_MAX]\n",
			argv[0]);
		return 2;
	}
	if (app_load(argv[1]) == NULL)
		return 1;
	db_t *db = db_get();
	int64_t session = strtoll(argv[2], NULL, 10), main_reg = strtoll(argv[3], NULL, 10),
		ref_reg = strtoll(argv[4], NULL, 10);
	long long main_left = argc == 6 ? strtoll(argv[5], NULL, 10) : -1;
	static int64_t ids[BATCH];
	int64_t after = 0;
	size_t total = 0, n;
	while (db != NULL && (n = waiting(db, after, ids, BATCH)) > 0) {
		if (db_begin(db) != 0)
			return 1;
		for (size_t i = 0; i < n; i++) {
			char number[REGISTER_NUMBER_MAX + 1];
			model_problem why;
			bool ref = ids[i] % 10 == 8;
			if (!ref && main_left == 0)
				continue;
			if (!ref && main_left > 0)
				main_left--;
			int rc = council_decide(db, session, ids[i], ref ? "reference" : "main",
						ref ? ref_reg : main_reg, "bench", "", number,
						sizeof number, &why);
			if (rc != 0) {
				fprintf(stderr, "object %lld: %d (%s)\n", (long long)ids[i], rc,
					why.field != NULL ? why.field : "");
				db_rollback(db);
				return 1;
			}
			total++;
		}
		if (db_commit(db) != 0)
			return 1;
		after = ids[n - 1];
		fprintf(stderr, "\r%zu", total);
	}
	fprintf(stderr, "\n");
	printf("%zu\n", total);
	return db != NULL ? 0 : 1;
}
