/*
 * test_oai.c - model/oai.c over the demo register in a fresh database:
 * resumption tokens (read back, forged, altered, signed with another key,
 * expired), lists walked by keyset with the count of what remains, deleted
 * records kept when an object leaves the collection, sets by class and by
 * public exhibition, and the set names a harvester may send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "model/exhibition.h"
#include "model/oai.h"
#include "model/register_demo.h"

static int setup(void **state)
{
	testdb_fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	int loaded = 0;
	return f != NULL && register_demo_load(f->db, &loaded) == 0 ? 0 : -1;
}

static oai_position everything(void)
{
	oai_position p = {.records = true, .from = 0, .until = INT64_MAX, .after_datestamp = -1,
			  .expires = 2000000000};
	return p;
}

static void test_tokens(void **state)
{
	testdb_fixture *f = *state;
	unsigned char key[OAI_KEY_BYTES], other[OAI_KEY_BYTES];
	assert_int_equal(oai_key(f->db, key), 0);
	assert_int_equal(oai_key(f->db, other), 0);
	assert_memory_equal(key, other, OAI_KEY_BYTES);   /* one site secret, kept */
	oai_position p = everything(), back;
	snprintf(p.set, sizeof p.set, "exhibition:12");
	p.from = 1577836800;
	p.until = 1796000000;
	p.after_datestamp = 1600000000;
	p.after_id = 77;
	p.cursor = 300;
	char token[OAI_TOKEN_TEXT_MAX];
	assert_int_equal(oai_token_encode(key, &p, token), 0);
	assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			 strlen(token));
	assert_int_equal(oai_token_decode(key, token, 1900000000, &back), 0);
	assert_true(back.records);
	assert_string_equal(back.set, "exhibition:12");
	assert_int_equal(back.from, p.from);
	assert_int_equal(back.until, p.until);
	assert_int_equal(back.after_datestamp, p.after_datestamp);
	assert_int_equal(back.after_id, 77);
	assert_int_equal(back.cursor, 300);
	/* Expired: genuine, but too late. */
	assert_int_equal(oai_token_decode(key, token, 2000000001, &back), 2);
	/* Every single changed character is refused. */
	for (size_t i = 0; token[i] != '\0'; i++) {
		char forged[OAI_TOKEN_TEXT_MAX];
		memcpy(forged, token, sizeof forged);
		forged[i] = forged[i] == 'A' ? 'B' : 'A';
		assert_int_equal(oai_token_decode(key, forged, 1900000000, &back), 1);
	}
	/* Cut short, made up, empty, signed with another key. */
	token[strlen(token) - 1] = '\0';
	assert_int_equal(oai_token_decode(key, token, 1900000000, &back), 1);
	assert_int_equal(oai_token_decode(key, "AAAA", 1900000000, &back), 1);
	assert_int_equal(oai_token_decode(key, "", 1900000000, &back), 1);
	assert_int_equal(oai_token_decode(key, "!!!!", 1900000000, &back), 1);
	memset(other, 7, sizeof other);
	assert_int_equal(oai_token_encode(other, &p, token), 0);
	assert_int_equal(oai_token_decode(key, token, 1900000000, &back), 1);
}

static void test_keyset_and_deleted(void **state)
{
	testdb_fixture *f = *state;
	int64_t shown = testdb_query_int(f->db, "SELECT count(*) FROM objects_shown");
	assert_int_equal(shown, 10);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM oai_records"), shown);
	oai_position p = everything();
	int64_t seen = 0, last_ds = -1, last_id = 0;
	for (;;) {
		oai_record *items;
		size_t n;
		int64_t remaining;
		arena_reset(f->arena);
		assert_int_equal(oai_list(f->db, f->arena, &p, 3, true, &items, &n, &remaining), 0);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			assert_true(items[i].has_card && !items[i].deleted);
			assert_int_equal(items[i].card.id, items[i].id);
			assert_string_equal(items[i].heritage_class, "di_vat");
			assert_true(items[i].material_name[0] != '\0');
			/* (datestamp, id) grows: no record twice, none skipped. */
			assert_true(items[i].datestamp > last_ds ||
				    (items[i].datestamp == last_ds && items[i].id > last_id));
			last_ds = items[i].datestamp;
			last_id = items[i].id;
		}
		seen += (int64_t)n;
		assert_int_equal(seen + remaining, shown);
		p.after_datestamp = items[n - 1].datestamp;
		p.after_id = items[n - 1].id;
	}
	assert_int_equal(seen, shown);
	/* Withdrawn: a deleted record, no card, its class set kept. */
	assert_int_equal(db_exec(f->db, "UPDATE oai_records SET datestamp = 5 WHERE object_id = 3;"
					"UPDATE objects SET public = 0 WHERE id = 3"), 0);
	oai_record r;
	assert_int_equal(oai_get(f->db, f->arena, 3, &r), 0);
	assert_true(r.deleted && !r.has_card);
	assert_true(r.datestamp > 5);
	assert_string_equal(r.heritage_class, "di_vat");
	/* A card's notes or value are not in the record: its datestamp stays. */
	assert_int_equal(db_exec(f->db, "UPDATE oai_records SET datestamp = 5 WHERE object_id = 4;"
					"UPDATE objects SET notes = 'x', value = 9 WHERE id = 4"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT datestamp FROM oai_records WHERE object_id = 4"), 5);
	/* Never shown: no record. */
	int64_t hidden = testdb_query_int(f->db, "SELECT min(id) FROM objects WHERE public = 0"
						 " AND id NOT IN (SELECT object_id FROM oai_records)");
	assert_int_equal(oai_get(f->db, f->arena, hidden, &r), 1);
	int64_t earliest;
	assert_int_equal(oai_earliest(f->db, 999, &earliest), 0);
	assert_int_equal(earliest, 5);
}

static void count_traced(const char *sql, void *arg)
{
	if (strncmp(sql, "SELECT count(*)", 15) == 0)
		++*(int *)arg;
}

/* A harvest counts its list once, and again only after a record changed. */
static void test_counted_once(void **state)
{
	testdb_fixture *f = *state;
	assert_int_equal(db_exec(f->db, "UPDATE oai_records SET datestamp = 5"), 0);
	int counts = 0;
	db_set_trace(f->db, count_traced, &counts);
	oai_position p = everything();
	oai_record *items;
	size_t n;
	int64_t remaining;
	assert_int_equal(oai_list(f->db, f->arena, &p, 3, false, &items, &n, &remaining), 0);
	assert_int_equal(counts, 1);
	assert_int_equal(remaining, 7);
	/* As the handler makes the next token: the size counted now. */
	p.total = p.cursor + (int64_t)n + remaining;
	p.checked = 6;
	p.cursor += (int64_t)n;
	p.after_datestamp = items[n - 1].datestamp;
	p.after_id = items[n - 1].id;
	assert_int_equal(oai_list(f->db, f->arena, &p, 3, false, &items, &n, &remaining), 0);
	assert_int_equal(counts, 1);
	assert_int_equal(n, 3);
	assert_int_equal(remaining, 4);
	/* A record still to come changes: it leaves this harvest, the list is counted again. */
	p.cursor += (int64_t)n;
	p.after_datestamp = items[n - 1].datestamp;
	p.after_id = items[n - 1].id;
	p.until = 5;
	assert_int_equal(db_exec(f->db, "UPDATE oai_records SET datestamp = 50 WHERE object_id ="
					" (SELECT max(object_id) FROM oai_records)"), 0);
	assert_int_equal(oai_list(f->db, f->arena, &p, 3, false, &items, &n, &remaining), 0);
	assert_int_equal(counts, 2);
	assert_int_equal(n, 3);
	assert_int_equal(remaining, 0);
	db_set_trace(f->db, NULL, NULL);
}

static void test_sets(void **state)
{
	testdb_fixture *f = *state;
	oai_set_ref ref;
	assert_int_equal(oai_set_parse("class:co_vat", &ref), 0);
	assert_int_equal(ref.kind, OAI_SET_CLASS);
	assert_int_equal(oai_set_parse("exhibition:4", &ref), 0);
	assert_int_equal(ref.exhibition_id, 4);
	const char *bad[] = {"class", "class:", "class:other", "exhibition:0", "exhibition:04",
			     "exhibition:-4", "exhibition:4x", "exhibition:", "place:1",
			     "exhibition:99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(oai_set_parse(bad[i], &ref), 1);

	model_problem why;
	exhibition e = {.title = "Điện Biên Phủ - Điểm hẹn lịch sử", .kind = "luu_dong",
			.venue = "Nhà văn hóa tỉnh", .province = "Lai Châu", .opens_on = "2020-03-01",
			.closes_on = "2020-04-30", .is_public = 1};
	int64_t ex;
	assert_int_equal(exhibition_add(f->db, &e, "curator", &ex, &why), 0);
	assert_int_equal(db_exec(f->db, "UPDATE oai_records SET datestamp = 5"), 0);
	assert_int_equal(exhibition_object_put(f->db, ex, 2, 0, "", "", "curator", &why), 0);
	assert_int_equal(exhibition_object_put(f->db, ex, 5, 1, "", "", "curator", &why), 0);
	/* Joining a public exhibition is a change of the record (its sets). */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM oai_records WHERE datestamp > 5"), 2);
	oai_position p = everything();
	snprintf(p.set, sizeof p.set, "exhibition:%lld", (long long)ex);
	oai_record *items;
	size_t n;
	int64_t remaining;
	assert_int_equal(oai_list(f->db, f->arena, &p, 10, false, &items, &n, &remaining), 0);
	assert_int_equal(n, 2);
	assert_int_equal(remaining, 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(items[i].nexhibitions, 1);
		assert_int_equal(items[i].exhibitions[0], ex);
		assert_false(items[i].has_card);
	}
	oai_set *sets;
	size_t nsets;
	assert_int_equal(oai_set_list(f->db, f->arena, &sets, &nsets), 0);
	assert_int_equal(nsets, 4);
	assert_string_equal(sets[3].title, e.title);
	/* Withdrawn from the portal, the exhibition is no set and its list is empty. */
	e.id = ex;
	e.is_public = 0;
	assert_int_equal(exhibition_update(f->db, &e, "curator", &why), 0);
	assert_int_equal(oai_list(f->db, f->arena, &p, 10, false, &items, &n, &remaining), 0);
	assert_int_equal(n, 0);
	assert_int_equal(oai_set_list(f->db, f->arena, &sets, &nsets), 0);
	assert_int_equal(nsets, 3);
	/* By class: every demo object is a di vật. */
	snprintf(p.set, sizeof p.set, "class:di_vat");
	assert_int_equal(oai_list(f->db, f->arena, &p, 4, false, &items, &n, &remaining), 0);
	assert_int_equal(n + (size_t)remaining, 10);
	snprintf(p.set, sizeof p.set, "class:bao_vat");
	assert_int_equal(oai_list(f->db, f->arena, &p, 4, false, &items, &n, &remaining), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_tokens, setup),
		testdb_case(test_keyset_and_deleted, setup),
		testdb_case(test_counted_once, setup),
		testdb_case(test_sets, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
