/*
 * test_search.c - the Vietnamese tokenizer (src/db/fts_vn.c), the index
 * that follows the articles, and running a search (src/model/search.c)
 * over a real, migrated SQLite database in a temporary folder (one per
 * test). Parsing, snippets, the warm-up and the sitemap have files of
 * their own beside this one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <time.h>

#include "../db/db_test_util.h"
#include "../testdb.h"
#include "search_test_util.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/fts_vn.h"
#include "model/article.h"
#include "model/category.h"
#include "model/import.h"
#include "model/search.h"

/* ---- words and forms ------------------------------------------------------------ */

static char *fold_of(const char *s)
{
	buf_t b = BUF_INIT;
	assert_int_equal(fts_vn_fold(s, strlen(s), &b), 0);
	buf_putc(&b, '\0');
	return b.data;
}

static char *exact_of(const char *s)
{
	buf_t b = BUF_INIT;
	assert_int_equal(fts_vn_exact(s, strlen(s), &b), 0);
	buf_putc(&b, '\0');
	return b.data;
}

static void check_fold(const char *in, const char *want)
{
	char *got = fold_of(in);
	assert_string_equal(got, want);
	free(got);
}

static void check_exact(const char *in, const char *want)
{
	char *got = exact_of(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_forms(void **state)
{
	(void)state;
	check_fold("Điện", "dien");
	check_fold("ĐIỆN", "dien");
	check_fold("\xc3\x90i\xe1\xbb\x87n", "dien");      /* Ðiện, U+00D0 */
	check_fold("\xc6\x89i\xe1\xbb\x87n", "dien");      /* Ɖiện, U+0189 */
	check_fold("đi\xc3\xaa\xcc\xa3n", "dien");         /* NFD: ê + dot below */
	check_fold("ắ", "a");
	check_fold("ố", "o");
	check_fold("ứ", "u");
	check_exact("ĐIỆN", "điện");
	check_exact("\xc3\x90i\xe1\xbb\x87n", "điện");
	check_exact("\xc6\x89I\xe1\xbb\x86N", "điện");     /* ƉIỆN */
	check_exact("đi\xc3\xaa\xcc\xa3n", "điện");
	check_exact("hoà", "hòa");
	check_exact("hòa", "hòa");
	check_exact("thuý", "thúy");
	check_exact("Đường", "đường");
	check_exact("dien", "dien");
	/* Long junk is cut to a bounded token, at a character boundary. */
	char longword[400];
	for (size_t i = 0; i < 100; i++)
		memcpy(longword + 3 * i, "ệ", 3);
	longword[300] = '\0';
	char *f = fold_of(longword);
	assert_int_equal(strlen(f), FTS_VN_TOKEN_MAX);
	free(f);
	char *e = exact_of(longword);
	assert_true(strlen(e) <= FTS_VN_TOKEN_MAX && strlen(e) % 3 == 0);
	free(e);
}

static void expect_words(const char *text, bool html, const char *const *want, size_t n)
{
	size_t pos = 0, start, end, k = 0;
	while (fts_vn_next_word(text, strlen(text), &pos, &start, &end, html)) {
		assert_true(k < n);
		assert_int_equal(end - start, strlen(want[k]));
		assert_memory_equal(text + start, want[k], end - start);
		k++;
	}
	assert_int_equal(k, n);
}

static void test_words(void **state)
{
	(void)state;
	const char *const plain[] = {"Điện", "Biên", "Phủ", "1954", "Covid", "19", "a", "b"};
	expect_words("«Điện Biên Phủ» (1954), Covid-19; a<b", false, plain, 8);
	const char *const html[] = {"Điện", "Biên", "Phủ", "x", "y"};
	expect_words("<p class=\"lead\">Điện&amp;Biên&#272;<br/>Phủ</p> x &lt; y <!-- c -->", true,
		     html, 5);
	/* Stray bytes separate words; they never make one. */
	const char *const junk[] = {"ab", "cd"};
	expect_words("ab\xff\xc3(cd", false, junk, 2);
	expect_words("\xe2\x80", false, NULL, 0);
	/* Marks belong to the word (NFD). */
	const char *const nfd[] = {"đi\xc3\xaa\xcc\xa3n"};
	expect_words(" đi\xc3\xaa\xcc\xa3n ", false, nfd, 1);
}

/* The index holds the folded token and, colocated, the exact one. */
static void test_index_tokens(void **state)
{
	fixture *f = *state;
	add(f, f->cat1, "Điện Biên", "Hoà bình", 1600000000, ARTICLE_PUBLISHED);
	assert_int_equal(db_exec(f->db, "CREATE VIRTUAL TABLE temp.vocab"
					" USING fts5vocab(main, search_fts, row)"), 0);
	const char *terms[] = {"dien", "điện", "bien", "biên", "hoa", "hòa", "binh", "bình"};
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM temp.vocab WHERE term = '%s'", terms[i]);
		if (testdb_query_int(f->db, sql) != 1)
			fail_msg("term %s not in the index", terms[i]);
	}
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM temp.vocab WHERE term = 'hoà'"), 0);
	assert_int_equal(db_exec(f->db, "DROP TABLE temp.vocab"), 0);
}

/* ---- finding --------------------------------------------------------------------- */

static void test_spellings(void **state)
{
	fixture *f = *state;
	int64_t seed = add(f, f->cat1, "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ",
			   "Chiến dịch **Điện Biên Phủ** năm 1954.", 1610940600, ARTICLE_PUBLISHED);
	int64_t other = add(f, f->cat2, "Phố cổ Hội An", "Đèn lồng và phố cổ.", 1600000000,
			    ARTICLE_PUBLISHED);
	add(f, f->cat2, "Ruộng bậc thang", "Mùa lúa chín.", 1600000001, ARTICLE_PUBLISHED);
	add(f, f->cat2, "Chợ phiên vùng cao", "Người dân xuống chợ.", 1600000002, ARTICLE_PUBLISHED);
	const char *queries[] = {
		"dien bien phu", "Điện Biên Phủ", "DIEN BIEN PHU", "điện biên phủ",
		"đi\xc3\xaa\xcc\xa3n bi\xc3\xaan phu\xcc\x89",           /* NFD */
		"\xc3\x90i\xe1\xbb\x87n Bi\xc3\xaan Ph\xe1\xbb\xa7",     /* Ð U+00D0 */
		"\xc6\x89I\xe1\xbb\x86N BI\xc3\x8aN PH\xe1\xbb\xa6",     /* Ɖ U+0189 */
		"\"điện biên phủ\"", "\"dien bien phu\"",
	};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		search_result r = find(f, queries[i], NULL);
		if (r.total != 1 || r.n != 1 || r.items[0].id != seed)
			fail_msg("\"%s\": %" PRId64 " results", queries[i], r.total);
	}
	/* Letters with two marks. */
	search_result r = find(f, "pho co", NULL);
	assert_true(found(&r, other));
	r = find(f, "phố cổ", NULL);
	assert_true(found(&r, other));
}

static void test_tone_placement(void **state)
{
	fixture *f = *state;
	int64_t old_style = add(f, f->cat1, "Hoà bình cho thuý", "Khoá học.", 1600000000,
				ARTICLE_PUBLISHED);
	int64_t new_style = add(f, f->cat1, "Hòa hợp của thúy", "Khóa mới.", 1600000001,
				ARTICLE_PUBLISHED);
	const char *queries[] = {"hoà", "hòa", "HOÀ", "thuý", "thúy", "hoa"};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		search_result r = find(f, queries[i], NULL);
		assert_int_equal(r.total, 2);
		assert_true(found(&r, old_style) && found(&r, new_style));
		/* Both count as exact: the tone placement is normalised. */
		if (strcmp(queries[i], "hoa") != 0)
			assert_int_equal(r.items[0].exact + r.items[1].exact, 2);
	}
	/* ắ ố ứ: each with its two marks, typed in either form. */
	int64_t two = add(f, f->cat2, "Sắc màu lứa tuổi phố núi", "Đắk Lắk.", 1600000002,
			  ARTICLE_PUBLISHED);
	const char *two_marks[] = {"sac mau lua tuoi", "Sắc Màu Lứa Tuổi",
				   "s\x61\xcc\x86\xcc\x81\x63 l\x75\xcc\x9b\xcc\x81\x61",
				   "pho", "phố", "dak lak", "Đắk Lắk"};
	for (size_t i = 0; i < sizeof two_marks / sizeof two_marks[0]; i++) {
		search_result r = find(f, two_marks[i], NULL);
		if (!found(&r, two))
			fail_msg("\"%s\" does not find the article", two_marks[i]);
	}
}

/* "đường" before "dương" for a reader who typed "đường", and the other way. */
static void test_exact_first(void **state)
{
	fixture *f = *state;
	/* The folded-only match is newer and has the word more often: without
	 * the exact-accent tier it would come first. */
	int64_t duong_road = add(f, f->cat1, "Con đường di sản", "Con đường ấy.", 1600000000,
				 ARTICLE_PUBLISHED);
	int64_t duong_sun = add(f, f->cat1, "Dương lịch", "Dương, dương và dương.", 1600000100,
				ARTICLE_PUBLISHED);
	add(f, f->cat2, "Bài khác", "Không liên quan.", 1600000200, ARTICLE_PUBLISHED);
	search_result r = find(f, "đường", NULL);
	assert_int_equal(r.total, 2);
	assert_int_equal(r.items[0].id, duong_road);
	assert_int_equal(r.items[0].exact, 1);
	assert_int_equal(r.items[1].exact, 0);
	r = find(f, "dương", NULL);
	assert_int_equal(r.items[0].id, duong_sun);
	r = find(f, "DƯƠNG", NULL);
	assert_int_equal(r.items[0].id, duong_sun);
	/* Without accents both are equal in kind; bm25 decides. */
	r = find(f, "duong", NULL);
	assert_int_equal(r.total, 2);
	assert_int_equal(r.items[0].exact, 0);
	/* The highlight is on the original, accented text. */
	r = find(f, "duong", NULL);
	for (size_t i = 0; i < r.n; i++)
		assert_true(strstr(r.items[i].title_html, "<mark>Dương</mark>") != NULL ||
			    strstr(r.items[i].title_html, "<mark>đường</mark>") != NULL);
}

static void test_phrases(void **state)
{
	fixture *f = *state;
	int64_t phrase = add(f, f->cat1, "Tham quan", "Đoàn đến Bảo tàng Chiến thắng lịch sử.",
			     1600000000, ARTICLE_PUBLISHED);
	int64_t scattered = add(f, f->cat1, "Chiến thắng", "Bảo tàng tỉnh đón đoàn; trận thắng lớn.",
				1600000100, ARTICLE_PUBLISHED);
	search_result r = find(f, "\"bảo tàng chiến thắng\"", NULL);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.items[0].id, phrase);
	assert_non_null(strstr(r.items[0].snippet_html,
			       "<mark>Bảo tàng Chiến thắng</mark>"));
	r = find(f, "\"bao tang chien thang\"", NULL);
	assert_int_equal(r.total, 1);
	r = find(f, "bảo tàng chiến thắng", NULL);
	assert_int_equal(r.total, 2);
	assert_true(found(&r, scattered));
}

static void test_hostile(void **state)
{
	fixture *f = *state;
	add(f, f->cat1, "Điện Biên", "AND OR NOT NEAR 100% a_b c\\d", 1600000000, ARTICLE_PUBLISHED);
	const char *hostile[] = {
		"\"", "\"\"", "\"\"\"", "*", "^", ":", "(", ")", "()", "NEAR", "NEAR(", "NEAR(a b, 1)",
		"-", "--", "- a", "AND", "OR", "NOT", "a AND", "OR b", "a NOT b", "%", "_", "\\", "%_\\",
		"a*", "^a", "title:a", "{title}: a", "a + b", "'", "';DROP TABLE articles;--",
		"\" OR 1=1 --", "=", "=a", "==điện", "điện=", "\\\"", "\x01\x02", "NEAR/3",
		"100%", "a_b", "c\\d", "“", "”“", "«»", "'\"'", "ß", "İ", "ﬁ", "\xcc\x81", "a\xcc\x81\xcc\x81",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		search_query sq;
		char why[128];
		int rc = search_parse(f->arena, hostile[i], strlen(hostile[i]), &sq, why, sizeof why);
		if (rc == SEARCH_EMPTY || rc == SEARCH_BAD) {
			assert_true(why[0] != '\0');
			continue;
		}
		assert_int_equal(rc, 0);
		search_result r;
		if (search_run(f->db, f->arena, &sq, NULL, &r) != 0)
			fail_msg("\"%s\" (%s) failed", hostile[i], sq.match);
	}
	/* Keywords are ordinary words: the article holding them is found. */
	search_result r = find(f, "AND OR NOT NEAR", NULL);
	assert_int_equal(r.total, 1);
	r = find(f, "100% a_b c\\d", NULL);
	assert_int_equal(r.total, 1);
}

/* ---- the index follows the articles ------------------------------------------------ */

static int64_t count_of(fixture *f, const char *q)
{
	return find(f, q, NULL).total;
}

static void integrity(fixture *f)
{
	assert_int_equal(db_exec(f->db, "INSERT INTO search_fts (search_fts, rank)"
					" VALUES ('integrity-check', 1)"), 0);
}

static void test_triggers(void **state)
{
	fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	int64_t id = add(f, f->cat1, "Lễ hội hoa ban", "Mùa hoa ban nở.", now - 60, ARTICLE_PUBLISHED);
	assert_int_equal(count_of(f, "hoa ban"), 1);
	integrity(f);

	char sql[256];
	/* Edit: the old words go, the new ones come. */
	snprintf(sql, sizeof sql, "UPDATE articles SET title = 'Sa Pa mùa tuyết',"
		 " summary = 'Tuyết đầu mùa.', body_html = '<p>Tuyết rơi ở Sa Pa.</p>', updated_at = updated_at + 1"
		 " WHERE id = %" PRId64, id);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(count_of(f, "hoa ban"), 0);
	assert_int_equal(count_of(f, "tuyết sa pa"), 1);
	integrity(f);
	/* Views and status do not touch the index; status hides the article. */
	snprintf(sql, sizeof sql, "UPDATE articles SET views = views + 1, status = 3"
		 " WHERE id = %" PRId64, id);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(count_of(f, "tuyet"), 0);
	snprintf(sql, sizeof sql, "UPDATE articles SET status = 2 WHERE id = %" PRId64, id);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(count_of(f, "tuyet"), 1);
	/* Drafts, articles waiting for review and future ones are not found. */
	add(f, f->cat1, "Tuyết bản nháp", "", now - 60, ARTICLE_DRAFT);
	add(f, f->cat1, "Tuyết chờ duyệt", "", now - 60, ARTICLE_REVIEW);
	add(f, f->cat1, "Tuyết hẹn giờ", "", now + 3600, ARTICLE_PUBLISHED);
	assert_int_equal(count_of(f, "tuyet"), 1);
	/* Delete. */
	snprintf(sql, sizeof sql, "DELETE FROM articles WHERE id = %" PRId64, id);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(count_of(f, "tuyet"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM search_fts WHERE search_fts MATCH"
					  " 'sa'"), 0);
	integrity(f);
}

static void test_import_indexed(void **state)
{
	fixture *f = *state;
	char jsonl[4096];
	snprintf(jsonl, sizeof jsonl,
		 "{\"title\": \"Nhập từ tệp: Mường Phăng\", \"body\": \"Sở chỉ huy chiến dịch.\","
		 " \"category\": \"Tin hoạt động\", \"published_at\": \"2020-01-01T08:00:00+07:00\"}\n");
	assert_int_equal(write_file(f->dir, "a.jsonl", jsonl), 0);
	char path[256], media[256];
	snprintf(path, sizeof path, "%s/a.jsonl", f->dir);
	snprintf(media, sizeof media, "%s/media", f->dir);
	mkdir(media, 0700);
	import_report rep = {0};
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(import_articles(f->db, path, NULL, media, devnull, NULL, &rep), 0);
	fclose(devnull);
	assert_int_equal(rep.imported, 1);
	assert_int_equal(count_of(f, "muong phang"), 1);
	assert_int_equal(count_of(f, "chiến dịch"), 1);
}

/* ---- results: pages, filters, counts ------------------------------------------------- */

static void test_pages_and_filters(void **state)
{
	fixture *f = *state;
	int64_t base = 1577836800; /* 2020-01-01T00:00:00Z */
	for (int i = 0; i < 25; i++) {
		char title[64];
		snprintf(title, sizeof title, "Hiện vật số %d", i);
		add(f, i % 5 == 0 ? f->cat2 : f->cat1, title, "Trưng bày hiện vật.", base + i * 86400,
		    ARTICLE_PUBLISHED);
	}
	search_filter flt = {0, 0, 0, 1};
	search_result r = find(f, "hien vat", &flt);
	assert_int_equal(r.total, 25);
	assert_int_equal(r.pages, 3);
	assert_int_equal(r.n, SEARCH_PAGE_SIZE);
	/* Equal scores: newest first, and pages do not overlap. */
	assert_string_equal(r.items[0].title, "Hiện vật số 24");
	flt.page = 3;
	r = find(f, "hien vat", &flt);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.page, 3);
	assert_string_equal(r.items[4].title, "Hiện vật số 0");
	flt.page = 4;
	r = find(f, "hien vat", &flt);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.total, 25);
	/* Category. */
	flt.page = 1;
	flt.category_id = f->cat2;
	r = find(f, "hien vat", &flt);
	assert_int_equal(r.total, 5);
	for (size_t i = 0; i < r.n; i++)
		assert_string_equal(r.items[i].category_slug, "trung-bay-trien-lam");
	/* Date range [from, until): days 3..6. */
	flt.category_id = 0;
	flt.from = base + 3 * 86400;
	flt.until = base + 7 * 86400;
	r = find(f, "hien vat", &flt);
	assert_int_equal(r.total, 4);
	assert_string_equal(r.items[0].title, "Hiện vật số 6");
	assert_string_equal(r.items[3].title, "Hiện vật số 3");
	/* More than SEARCH_PAGES_MAX pages are not offered. */
	for (int i = 0; i < SEARCH_PAGE_SIZE * SEARCH_PAGES_MAX + 5; i++)
		add(f, f->cat1, "Gốm Bát Tràng", "", base + i, ARTICLE_PUBLISHED);
	r = find(f, "gom", NULL);
	assert_int_equal(r.total, SEARCH_PAGE_SIZE * SEARCH_PAGES_MAX + 5);
	assert_int_equal(r.pages, SEARCH_PAGES_MAX);
}

/* sen_rank() is FTS5's bm25() (without the exact-accent phrases), and its
 * remembered document counts follow the index. */
static void test_rank_is_bm25(void **state)
{
	fixture *f = *state;
	add(f, f->cat1, "Gốm Bát Tràng", "Gốm men rạn, gốm men lam của làng Bát Tràng.", 1600000000,
	    ARTICLE_PUBLISHED);
	add(f, f->cat1, "Làng nghề", "Làng gốm ven sông Hồng.", 1600000001, ARTICLE_PUBLISHED);
	add(f, f->cat2, "Tranh Đông Hồ", "Tranh dân gian, không phải gốm.", 1600000002,
	    ARTICLE_PUBLISHED);
	add(f, f->cat2, "Chợ quê", "Phiên chợ.", 1600000003, ARTICLE_PUBLISHED);
	for (int round = 0; round < 3; round++) {
		search_query q = parse_ok(f, "gom bat trang");
		assert_int_equal(q.exact_mask, 0);
		assert_string_equal(q.phrase_keys, "gom\nbat\ntrang");
		char what[32];
		snprintf(what, sizeof what, "round %d", round);
		assert_true(rank_like_bm25(f, &q, what) >= 1);
		/* The index changes: counts remembered before must not be used. */
		add(f, f->cat1, "Gốm Bát Tràng ở Hà Nội", "Gốm.", 1600000010 + round,
		    ARTICLE_PUBLISHED);
	}
	/* The exact-accent alternatives are left out of the score. */
	search_query q = parse_ok(f, "gốm");
	assert_string_equal(q.phrase_keys, "gom\n");
	db_stmt *st = db_prepare(f->db, "SELECT bm25(search_fts), sen_rank(search_fts, ?, ?)"
					" FROM search_fts WHERE search_fts MATCH ?");
	assert_int_equal(db_bind_int64(st, 1, (int64_t)q.exact_mask), 0);
	assert_int_equal(db_bind_text(st, 2, q.phrase_keys, -1), 0);
	assert_int_equal(db_bind_text(st, 3, q.match_folded, -1), 0);
	while (db_step(st) == DB_ROW) {
		double want = db_col_double(st, 0), got = db_col_double(st, 1);
		assert_true(got - want < 1e-9 && want - got < 1e-9);
	}
	db_done(st);
}

/* Past SEARCH_CANDIDATES matches the newest candidates are ranked, and past
 * SEARCH_COUNT_MAX the total says "more than". */
static void test_broad_queries(void **state)
{
	fixture *f = *state;
	add_many(f, SEARCH_COUNT_MAX + 50, f->cat1, "gom", "Gốm Chu Đậu", "<p>Gốm men lam.</p>",
		 1500000000);
	int64_t odd = add(f, f->cat2, "Gốm cổ Chu Đậu hiếm", "Gốm Chu Đậu, gốm Chu Đậu.", 1400000000,
			  ARTICLE_PUBLISHED);
	search_result r = find(f, "gom chu dau", NULL);
	assert_int_equal(r.total, SEARCH_COUNT_MAX);
	assert_true(r.total_is_lower_bound);
	assert_int_equal(r.pages, SEARCH_PAGES_MAX);
	/* The words are everywhere, so bm25 says nothing: newest first. */
	char newest[64];
	snprintf(newest, sizeof newest, "Gốm Chu Đậu %d", SEARCH_COUNT_MAX + 50);
	assert_string_equal(r.items[0].title, newest);
	search_filter last = {0, 0, 0, SEARCH_PAGES_MAX};
	r = find(f, "gom chu dau", &last);
	assert_int_equal(r.n, SEARCH_PAGE_SIZE);
	/* A narrower query is counted exactly. */
	search_filter cat = {f->cat2, 0, 0, 1};
	r = find(f, "gom", &cat);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.items[0].id, odd);
	assert_false(r.total_is_lower_bound);
}

/* The deadline stops a runaway statement and says so. */
static void test_deadline(void **state)
{
	fixture *f = *state;
	fts_vn_deadline(20);
	db_stmt *st = db_prepare(f->db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
					" SELECT x + 1 FROM c) SELECT count(*) FROM c");
	assert_non_null(st);
	time_t t0 = time(NULL);
	assert_int_equal(db_step(st), DB_ERROR);
	db_done(st);
	assert_true(fts_vn_deadline_passed());
	assert_true(time(NULL) - t0 < 5);
	fts_vn_deadline(0);
	assert_false(fts_vn_deadline_passed());
	assert_int_equal(testdb_query_int(f->db, "SELECT 1"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_words),
		testdb_case(test_index_tokens, setup),
		testdb_case(test_spellings, setup),
		testdb_case(test_tone_placement, setup),
		testdb_case(test_exact_first, setup),
		testdb_case(test_phrases, setup),
		testdb_case(test_hostile, setup),
		testdb_case(test_triggers, setup),
		testdb_case(test_import_indexed, setup),
		testdb_case(test_pages_and_filters, setup),
		testdb_case(test_rank_is_bm25, setup),
		testdb_case(test_broad_queries, setup),
		testdb_case(test_deadline, setup),
	};
	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
