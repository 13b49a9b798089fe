/*
 * fuzz_search.c - what a reader types into the search box.
 *
 * Every input must parse into a query or a clean refusal (with a message),
 * and every query that parses must run against a real index without an
 * error: the MATCH expression we build is never a syntax error for FTS5.
 * The snippet cleaner gets the input too, and must give balanced marks and
 * no raw '<' except our own <mark> tags.
 *
 * The database (a few articles) is made once per process in a temporary
 * folder, from the migrations in SEN_SQL_DIR, and removed at exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/article.h"
#include "model/category.h"
#include "model/search.h"

#ifndef SEN_SQL_DIR
#define SEN_SQL_DIR "sql"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static db_t *db;

static void cleanup(void)
{
	char path[128];
	db_thread_close();
	static const char *const files[] = {"sen.db", "sen.db-wal", "sen.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void add(int64_t cat, const char *title, const char *body)
{
	article_input in = {0};
	in.title = title;
	in.body_md = body;
	in.category_id = cat;
	in.published_at = 1600000000;
	in.status = ARTICLE_PUBLISHED;
	int64_t id;
	if (article_create(db, &in, &id) != 0)
		abort();
}

static void open_db(void)
{
	char path[128];
	int64_t cat;
	snprintf(dir, sizeof dir, "/tmp/sen-fuzz-search-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(path, sizeof path, "%s/sen.db", dir);
	if (db_open(path, "normal") != 0 || (db = db_get()) == NULL ||
	    db_migrate(db, SEN_SQL_DIR) != 0 || category_ensure(db, "Tin hoạt động", &cat) != 0)
		abort();
	add(cat, "Hội nghị tại Bảo tàng Chiến thắng lịch sử Điện Biên Phủ",
	    "Sáng ngày 18/01/2021, **Bảo tàng** tổ chức hội nghị. Con đường, dương lịch, hoà bình.");
	add(cat, "AND OR NOT NEAR", "100% a_b c\\d \"quoted\" (paren) * ^ : -");
	add(cat, "Sắc màu phố cổ", "Lứa tuổi thuý hòa.");
}

static void check_html(const char *html)
{
	int depth = 0;
	for (const char *p = html; *p != '\0'; p++) {
		if (*p != '<')
			continue;
		if (strncmp(p, "<mark>", 6) == 0)
			depth++;
		else if (strncmp(p, "</mark>", 7) == 0)
			depth--;
		else
			abort();
		if (depth < 0 || depth > 1)
			abort();
	}
	if (depth != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (db == NULL)
		open_db();
	arena_t *a = arena_new(16 * 1024);
	if (a == NULL)
		return 0;
	const char *q = (const char *)data;
	search_query sq;
	char why[128];
	int rc = search_parse(a, q, size, &sq, why, sizeof why);
	if (rc == SEARCH_EMPTY || rc == SEARCH_BAD) {
		if (why[0] == '\0' || sq.match != NULL)
			abort();
	} else if (rc == 0) {
		if (sq.match == NULL || sq.nterms == 0 || sq.nwords > SEARCH_TERMS_MAX)
			abort();
		search_result r;
		/* Timeouts are allowed; errors are not. */
		int run = search_run(db, a, &sq, NULL, &r);
		if (run != 0 && run != SEARCH_TIMEOUT)
			abort();
		for (size_t i = 0; run == 0 && i < r.n; i++) {
			check_html(r.items[i].title_html);
			check_html(r.items[i].snippet_html);
		}
	} else {
		abort();
	}
	const char *html;
	if (search_marked_html(a, q, size, &html) != 0)
		abort();
	check_html(html);
	arena_free(a);
	return 0;
}
