/*
 * test_accounts.c - accounts, the password policy, Argon2id, sessions and
 * their timeouts, CSRF tokens, login throttling and the audit log, over a
 * real migrated SQLite database in a temporary folder (one per test).
 * Every time is passed in, so the clock is moved without sleeping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "../db/db_test_util.h"
#include "../testdb.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/throttle.h"
#include "model/user.h"

#define T0 INT64_C(1800000000)
#define GOOD_PW "ngựa ô vượt đèo Pha Đin"

typedef testdb_fixture fixture;

static const char *list_path(void)
{
	static char path[4096];
	const char *root = getenv("SEN_SOURCE_ROOT");
	snprintf(path, sizeof path, "%s/security/common-passwords.txt", root != NULL ? root : ".");
	return path;
}

static int setup(void **state)
{
	if (testdb_fixture_setup(state) != 0 || user_common_passwords_load(list_path()) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	user_common_passwords_free();
	return testdb_fixture_teardown(state);
}

static int64_t add_user(fixture *f, const char *name, int role)
{
	int64_t id = 0;
	assert_int_equal(user_create(f->db, name, NULL, role, GOOD_PW, T0, &id), 0);
	assert_true(id > 0);
	return id;
}

/* ---- names and roles ------------------------------------------------------------ */

static void test_names_and_roles(void **state)
{
	(void)state;
	char out[USER_NAME_MAX + 1];
	assert_int_equal(user_name_normalize("Nguyen.Van-A_1", out, sizeof out), 0);
	assert_string_equal(out, "nguyen.van-a_1");
	assert_int_equal(user_name_normalize("ab", out, sizeof out), -1);
	assert_string_equal(out, "");
	assert_int_equal(user_name_normalize(".abc", out, sizeof out), -1);
	assert_int_equal(user_name_normalize("an toan", out, sizeof out), -1);
	assert_int_equal(user_name_normalize("nguyễn", out, sizeof out), -1);
	assert_int_equal(user_name_normalize("a\nbc", out, sizeof out), -1);
	char longname[80];
	memset(longname, 'a', 65);
	longname[65] = '\0';
	assert_int_equal(user_name_normalize(longname, out, sizeof out), -1);
	longname[64] = '\0';
	assert_int_equal(user_name_normalize(longname, out, sizeof out), 0);

	assert_int_equal(user_role_parse("admin"), USER_ADMIN);
	assert_int_equal(user_role_parse("moderator"), USER_MODERATOR);
	assert_int_equal(user_role_parse("Admin"), 0);
	assert_int_equal(user_role_parse(NULL), 0);
	assert_string_equal(user_role_name(USER_EDITOR), "editor");
	assert_null(user_role_name(USER_EDITOR | USER_AUTHOR));

	assert_true(user_display_name_ok("Nguyễn Văn A"));
	assert_true(user_display_name_ok(NULL));
	assert_false(user_display_name_ok("a\tb"));
	assert_false(user_display_name_ok("\xc3("));
}

/* ---- password policy --------------------------------------------------------------- */

static void test_password_length_in_code_points(void **state)
{
	(void)state;
	assert_int_equal(user_password_check(NULL, "Tq7#vLw2!pZx"), USER_PASSWORD_OK);
	assert_int_equal(user_password_check(NULL, "Tq7#vLw2!pZ"), USER_PASSWORD_SHORT);
	assert_int_equal(user_password_check(NULL, ""), USER_PASSWORD_SHORT);
	/* Eleven Vietnamese letters are 22+ bytes but still eleven characters. */
	assert_int_equal(user_password_check(NULL, "ắằẳẵặấầẩẫậế"), USER_PASSWORD_SHORT);
	assert_int_equal(user_password_check(NULL, "ắằẳẵặấầẩẫậếề"), USER_PASSWORD_OK);

	/* 128 characters pass whole, 129 are refused - never cut. */
	char pw[1024] = "";
	for (int i = 0; i < 64; i++)
		strcat(pw, i % 2 ? "ư" : "q");
	for (int i = 0; i < 64; i++)
		strcat(pw, i % 3 ? "ạ" : "7");
	assert_int_equal(user_password_check(NULL, pw), USER_PASSWORD_OK);
	strcat(pw, "x");
	assert_int_equal(user_password_check(NULL, pw), USER_PASSWORD_LONG);
	char huge[USER_PASSWORD_INPUT_MAX + 10];
	memset(huge, 'k', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_int_equal(user_password_check(NULL, huge), USER_PASSWORD_LONG);

	/* A decomposed "ạ" (a + U+0323) is one character after NFC: 11 and 12. */
	char nfd[256] = "";
	for (int i = 0; i < 3; i++)
		strcat(nfd, "a\xcc\xa3xqz");
	assert_int_equal(user_password_check(NULL, nfd), USER_PASSWORD_OK);
	nfd[strlen(nfd) - 1] = '\0';
	assert_int_equal(user_password_check(NULL, nfd), USER_PASSWORD_SHORT);
	/* Twelve of one letter is on the list (folded: "aaaaaaaaaaaa"). */
	nfd[0] = '\0';
	for (int i = 0; i < 12; i++)
		strcat(nfd, "a\xcc\xa3");
	assert_int_equal(user_password_check(NULL, nfd), USER_PASSWORD_COMMON);

	assert_int_equal(user_password_check(NULL, "tab\there is bad"), USER_PASSWORD_INVALID);
	assert_int_equal(user_password_check(NULL, "c1 control \xc2\x85 bad"), USER_PASSWORD_INVALID);
	assert_int_equal(user_password_check(NULL, "broken \xff utf-8 here"), USER_PASSWORD_INVALID);
	assert_int_equal(user_password_check(NULL, NULL), USER_PASSWORD_INVALID);
}

static void test_password_common_and_name(void **state)
{
	(void)state;
	assert_true(user_common_passwords_count() > 2000);
	const char *common[] = {"123456789012", "password1234", "qwertyuiop12", "matkhau12345",
				"anhyeuem1234", "PassWord1234", "QWERTYUIOP12", "MậtKhẩu12345",
				"AnhYêuEm1234"};
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
		assert_int_equal(user_password_check(NULL, common[i]), USER_PASSWORD_COMMON);
		assert_true(user_password_is_common(common[i]));
	}
	assert_false(user_password_is_common(GOOD_PW));

	assert_int_equal(user_password_check("hoanganh", "hoanganh-secret-99"), USER_PASSWORD_HAS_NAME);
	assert_int_equal(user_password_check("hoanganh", "My HoangAnh Pass"), USER_PASSWORD_HAS_NAME);
	assert_int_equal(user_password_check("bao.tang.db", "bao.tang.db"), USER_PASSWORD_SHORT);
	assert_int_equal(user_password_check("baotangdienbien", "baotangdienbien"),
			 USER_PASSWORD_HAS_NAME);
	assert_int_equal(user_password_check("hoanganh", GOOD_PW), USER_PASSWORD_OK);

	/* Without the list nothing can be set: refuse rather than guess. */
	user_common_passwords_free();
	assert_int_equal(user_common_passwords_count(), 0);
	assert_int_equal(user_password_check(NULL, GOOD_PW), USER_PASSWORD_NO_LIST);
	assert_int_equal(user_common_passwords_load("/nonexistent/list.txt"), -1);
	assert_int_equal(user_common_passwords_load(list_path()), 0);
	assert_int_equal(user_password_check(NULL, GOOD_PW), USER_PASSWORD_OK);
}

static void test_common_list_file_format(void **state)
{
	fixture *f = *state;
	assert_int_equal(write_file(f->dir, "list.txt",
				    "# comment line\n\nAlpha Beta Gamma\r\nalpha beta gamma\n"
				    "Đèn Đỏ Xanh Vàng\n"),
			 0);
	char path[256];
	snprintf(path, sizeof path, "%s/list.txt", f->dir);
	assert_int_equal(user_common_passwords_load(path), 0);
	/* The two spellings fold to one entry; the comment is no entry. */
	assert_int_equal(user_common_passwords_count(), 2);
	assert_true(user_password_is_common("ALPHA BETA GAMMA"));
	assert_true(user_password_is_common("den do xanh vang"));
	assert_false(user_password_is_common("# comment line"));
}

/* ---- hashing ------------------------------------------------------------------------- */

static void test_hash_and_verify(void **state)
{
	(void)state;
	char h[USER_HASH_MAX];
	assert_int_equal(user_password_hash(GOOD_PW, h), 0);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_int_equal(user_password_verify(h, GOOD_PW), 0);
	assert_int_equal(user_password_verify(h, "ngựa ô vượt đèo Pha Đin "), 1);
	assert_int_equal(user_password_verify(h, "Ngựa ô vượt đèo Pha Đin"), 1);
	assert_int_equal(user_password_verify(h, ""), 1);
	assert_int_equal(user_password_verify(h, NULL), 1);
	assert_int_equal(user_password_verify("not a hash", GOOD_PW), 1);
	/* Salted: the same password never gives the same string. */
	char h2[USER_HASH_MAX];
	assert_int_equal(user_password_hash(GOOD_PW, h2), 0);
	assert_string_not_equal(h, h2);

	/* NFC: a password typed decomposed matches the composed one. */
	char composed[64] = "", decomposed[64] = "";
	for (int i = 0; i < 12; i++) {
		strcat(composed, "\xe1\xba\xa1");   /* ạ */
		strcat(decomposed, "a\xcc\xa3");    /* a + combining dot below */
	}
	assert_int_equal(user_password_hash(composed, h), 0);
	assert_int_equal(user_password_verify(h, decomposed), 0);

	/* The dummy hash costs what a real one costs. */
	char dummy[USER_HASH_MAX];
	snprintf(dummy, sizeof dummy, "%s", user_password_dummy_hash());
	assert_int_equal(crypto_pwhash_str_needs_rehash(dummy, USER_PWHASH_OPSLIMIT,
							USER_PWHASH_MEMLIMIT),
			 0);
	assert_int_equal(crypto_pwhash_str_needs_rehash(h, USER_PWHASH_OPSLIMIT,
							USER_PWHASH_MEMLIMIT),
			 0);
}

/* ---- accounts ------------------------------------------------------------------------ */

static void test_create_and_authenticate(void **state)
{
	fixture *f = *state;
	int64_t id = 0;
	assert_int_equal(user_create(f->db, "Hoa.Nguyen", "Nguyễn Thị Hoa", USER_EDITOR, GOOD_PW,
				     T0, &id),
			 0);
	assert_int_equal(user_create(f->db, "hoa.nguyen", NULL, USER_AUTHOR, GOOD_PW, T0, &id), 1);
	assert_int_equal(user_create(f->db, "xy", NULL, USER_AUTHOR, GOOD_PW, T0, &id), 2);
	assert_int_equal(user_create(f->db, "khach", NULL, 0, GOOD_PW, T0, &id), 2);
	assert_int_equal(user_create(f->db, "khach", NULL, USER_AUTHOR, "password1234", T0, &id), 2);
	assert_int_equal(user_create(f->db, "khach", NULL, USER_AUTHOR, "khach-khach-khach", T0, &id),
			 2);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM users"), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM users WHERE password_hash "
					  "LIKE '%ngựa%'"),
			 0);

	user u;
	assert_int_equal(user_authenticate(f->db, f->arena, "HOA.NGUYEN", GOOD_PW, T0, &u), 0);
	assert_string_equal(u.name, "hoa.nguyen");
	assert_string_equal(u.display_name, "Nguyễn Thị Hoa");
	assert_int_equal(u.role, USER_EDITOR);
	int64_t hoa = u.id;

	assert_int_equal(user_authenticate(f->db, f->arena, "hoa.nguyen", "wrong password 1", T0, &u),
			 1);
	assert_int_equal(u.id, hoa); /* for the audit log */
	assert_null(u.name);
	assert_int_equal(user_authenticate(f->db, f->arena, "nobody", GOOD_PW, T0, &u), 1);
	assert_int_equal(u.id, 0);
	assert_int_equal(user_authenticate(f->db, f->arena, "a b", GOOD_PW, T0, &u), 1);
	assert_int_equal(user_authenticate(f->db, f->arena, NULL, NULL, T0, &u), 1);

	/* Disabled: refused like a wrong password. */
	add_user(f, "quantri", USER_ADMIN);
	assert_int_equal(user_set_disabled(f->db, hoa, true), 0);
	assert_int_equal(user_authenticate(f->db, f->arena, "hoa.nguyen", GOOD_PW, T0, &u), 1);
	assert_int_equal(user_set_disabled(f->db, hoa, false), 0);
	assert_int_equal(user_authenticate(f->db, f->arena, "hoa.nguyen", GOOD_PW, T0, &u), 0);

	/* A new password replaces the old one and is stamped. */
	assert_int_equal(user_set_password(f->db, hoa, "password1234", T0 + 5), 2);
	assert_int_equal(user_set_password(f->db, hoa, "một câu mới hoàn toàn", T0 + 5), 0);
	assert_int_equal(user_set_password(f->db, 999, "một câu mới hoàn toàn", T0 + 5), 1);
	assert_int_equal(user_authenticate(f->db, f->arena, "hoa.nguyen", GOOD_PW, T0, &u), 1);
	assert_int_equal(user_authenticate(f->db, f->arena, "hoa.nguyen", "một câu mới hoàn toàn",
					   T0, &u),
			 0);
	assert_int_equal(u.password_changed_at, T0 + 5);

	user *items;
	size_t n;
	assert_int_equal(user_list(f->db, f->arena, &items, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].name, "hoa.nguyen");
	assert_string_equal(items[1].name, "quantri");
	assert_int_equal(user_get_by_name(f->db, f->arena, "QuanTri", &u), 0);
	assert_int_equal(u.role, USER_ADMIN);
	assert_int_equal(user_get(f->db, f->arena, 12345, &u), 1);
}

static void test_old_hash_is_upgraded(void **state)
{
	fixture *f = *state;
	int64_t id = add_user(f, "cu.tai.khoan", USER_AUTHOR);
	char weak[USER_HASH_MAX];
	assert_int_equal(crypto_pwhash_str(weak, GOOD_PW, strlen(GOOD_PW),
					   crypto_pwhash_OPSLIMIT_MIN, 8192 * 1024),
			 0);
	db_stmt *st = db_prepare(f->db, "UPDATE users SET password_hash = ? WHERE id = ?");
	assert_int_equal(db_bind_text(st, 1, weak, -1), 0);
	assert_int_equal(db_bind_int64(st, 2, id), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	user u;
	assert_int_equal(user_authenticate(f->db, f->arena, "cu.tai.khoan", GOOD_PW, T0, &u), 0);
	st = db_prepare(f->db, "SELECT password_hash FROM users WHERE id = ?");
	assert_int_equal(db_bind_int64(st, 1, id), 0);
	assert_int_equal(db_step(st), DB_ROW);
	char now_hash[USER_HASH_MAX];
	snprintf(now_hash, sizeof now_hash, "%s", db_col_text(st, 0));
	db_done(st);
	assert_string_not_equal(now_hash, weak);
	assert_int_equal(crypto_pwhash_str_needs_rehash(now_hash, USER_PWHASH_OPSLIMIT,
							USER_PWHASH_MEMLIMIT),
			 0);
	assert_int_equal(user_authenticate(f->db, f->arena, "cu.tai.khoan", GOOD_PW, T0, &u), 0);
}

static void test_last_admin_is_kept(void **state)
{
	fixture *f = *state;
	int64_t a = add_user(f, "admin.mot", USER_ADMIN);
	int64_t e = add_user(f, "bien.tap", USER_EDITOR);
	assert_int_equal(user_set_role(f->db, a, USER_EDITOR), 3);
	assert_int_equal(user_set_disabled(f->db, a, true), 3);
	assert_int_equal(user_set_role(f->db, e, 0), 2);
	assert_int_equal(user_set_role(f->db, 999, USER_ADMIN), 1);
	assert_int_equal(user_set_disabled(f->db, 999, true), 1);
	assert_int_equal(user_set_role(f->db, e, USER_ADMIN), 0);
	assert_int_equal(user_set_role(f->db, a, USER_MODERATOR), 0);
	assert_int_equal(user_set_disabled(f->db, e, true), 3);
	user u;
	assert_int_equal(user_get(f->db, f->arena, a, &u), 0);
	assert_int_equal(u.role, USER_MODERATOR);
}

/* ---- sessions ------------------------------------------------------------------------ */

static void test_session_tokens_and_storage(void **state)
{
	fixture *f = *state;
	int64_t uid = add_user(f, "phien.lam.viec", USER_AUTHOR);
	char token[SESSION_TOKEN_LEN + 1], token2[SESSION_TOKEN_LEN + 1];
	session s, s2, found;
	assert_int_equal(session_create(f->db, uid, "Firefox / Linux", T0, token, &s), 0);
	assert_int_equal(session_create(f->db, uid, NULL, T0, token2, &s2), 0);
	assert_true(session_token_valid(token));
	assert_int_equal(strlen(token), 64);
	assert_string_not_equal(token, token2);
	assert_string_not_equal(s.id, token);   /* only the hash is stored */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sessions"), 2);
	db_stmt *st = db_prepare(f->db, "SELECT count(*) FROM sessions WHERE id = ? OR csrf_key = ?");
	assert_int_equal(db_bind_text(st, 1, token, -1), 0);
	assert_int_equal(db_bind_text(st, 2, token, -1), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 0);
	db_done(st);

	assert_int_equal(session_lookup(f->db, token, T0 + 10, &found), 0);
	assert_int_equal(found.user_id, uid);
	assert_string_equal(found.id, s.id);
	assert_string_equal(found.user_agent, "Firefox / Linux");
	assert_memory_equal(found.csrf_key, s.csrf_key, SESSION_KEY_BYTES);

	/* Malformed or unknown tokens. */
	assert_int_equal(session_lookup(f->db, NULL, T0, &found), 1);
	assert_int_equal(session_lookup(f->db, "abc", T0, &found), 1);
	char upper[SESSION_TOKEN_LEN + 1];
	memcpy(upper, token, sizeof upper);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 32);
	assert_int_equal(session_lookup(f->db, upper, T0, &found), strcmp(upper, token) ? 1 : 0);
	char other[SESSION_TOKEN_LEN + 1];
	session_new_token(other);
	assert_int_equal(session_lookup(f->db, other, T0, &found), 1);

	/* Logout ends exactly one session; password change ends the others. */
	assert_int_equal(session_delete(f->db, s.id), 0);
	assert_int_equal(session_lookup(f->db, token, T0 + 20, &found), 1);
	assert_int_equal(session_lookup(f->db, token2, T0 + 20, &found), 0);
	char t3[SESSION_TOKEN_LEN + 1];
	session s3;
	assert_int_equal(session_create(f->db, uid, NULL, T0 + 30, t3, &s3), 0);
	assert_int_equal(session_delete_user(f->db, uid, s3.id), 0);
	assert_int_equal(session_lookup(f->db, token2, T0 + 40, &found), 1);
	assert_int_equal(session_lookup(f->db, t3, T0 + 40, &found), 0);
	int64_t count = 0;
	assert_int_equal(session_count_user(f->db, uid, T0 + 40, &count), 0);
	assert_int_equal(count, 1);

	/* Disabling the account ends its sessions too. */
	add_user(f, "quan.tri", USER_ADMIN);
	assert_int_equal(user_set_disabled(f->db, uid, true), 0);
	assert_int_equal(session_lookup(f->db, t3, T0 + 50, &found), 1);
}

static void test_session_idle_timeout(void **state)
{
	fixture *f = *state;
	int64_t uid = add_user(f, "nhan.vien", USER_MODERATOR);
	char token[SESSION_TOKEN_LEN + 1];
	session s, found;
	assert_int_equal(session_create(f->db, uid, NULL, T0, token, &s), 0);
	/* Within the touch interval last_seen_at is not rewritten. */
	assert_int_equal(session_lookup(f->db, token, T0 + SESSION_TOUCH_INTERVAL - 1, &found), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT last_seen_at FROM sessions"), T0);
	assert_int_equal(session_lookup(f->db, token, T0 + 600, &found), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT last_seen_at FROM sessions"), T0 + 600);
	/* 29 min 59 s after the last request: alive, and touched again. */
	assert_int_equal(session_lookup(f->db, token, T0 + 600 + SESSION_IDLE_TIMEOUT - 1, &found),
			 0);
	int64_t seen = T0 + 600 + SESSION_IDLE_TIMEOUT - 1;
	/* Exactly 30 min idle: gone, and the row is deleted. */
	assert_int_equal(session_lookup(f->db, token, seen + SESSION_IDLE_TIMEOUT, &found), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(session_lookup(f->db, token, seen + 1, &found), 1);

	assert_true(session_expired(&(session){.created_at = T0, .last_seen_at = T0},
				    T0 + SESSION_IDLE_TIMEOUT));
	assert_false(session_expired(&(session){.created_at = T0, .last_seen_at = T0},
				     T0 + SESSION_IDLE_TIMEOUT - 1));
	/* A clock far behind the session's birth is not trusted either. */
	assert_true(session_expired(&(session){.created_at = T0, .last_seen_at = T0}, T0 - 3600));
}

static void test_session_absolute_timeout(void **state)
{
	fixture *f = *state;
	int64_t uid = add_user(f, "bien.tap.vien", USER_EDITOR);
	char token[SESSION_TOKEN_LEN + 1];
	session s, found;
	assert_int_equal(session_create(f->db, uid, NULL, T0, token, &s), 0);
	/* Busy all day, never idle: still ends 12 hours after login. */
	int64_t t = T0;
	while (t + 20 * 60 < T0 + SESSION_ABSOLUTE_TIMEOUT) {
		t += 20 * 60;
		assert_int_equal(session_lookup(f->db, token, t, &found), 0);
	}
	assert_int_equal(session_lookup(f->db, token, T0 + SESSION_ABSOLUTE_TIMEOUT - 1, &found), 0);
	assert_int_equal(session_lookup(f->db, token, T0 + SESSION_ABSOLUTE_TIMEOUT, &found), 1);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sessions"), 0);

	/* session_purge() and session_create() sweep expired rows. */
	char t1[SESSION_TOKEN_LEN + 1], t2[SESSION_TOKEN_LEN + 1];
	session s1, s2;
	assert_int_equal(session_create(f->db, uid, NULL, T0, t1, &s1), 0);
	assert_int_equal(session_create(f->db, uid, NULL, T0 + SESSION_IDLE_TIMEOUT, t2, &s2), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM sessions"), 1);
	int purged = -1;
	assert_int_equal(session_purge(f->db, T0 + 2 * SESSION_IDLE_TIMEOUT, &purged), 0);
	assert_int_equal(purged, 1);
}

/* ---- CSRF ------------------------------------------------------------------------------ */

static void test_csrf_tokens(void **state)
{
	fixture *f = *state;
	int64_t uid = add_user(f, "csrf.user", USER_ADMIN);
	char t1[SESSION_TOKEN_LEN + 1], t2[SESSION_TOKEN_LEN + 1];
	session a, b;
	assert_int_equal(session_create(f->db, uid, NULL, T0, t1, &a), 0);
	assert_int_equal(session_create(f->db, uid, NULL, T0, t2, &b), 0);
	char tok[SESSION_CSRF_LEN + 1], again[SESSION_CSRF_LEN + 1];
	session_csrf_token(&a, "/admin/tai-khoan/them", tok);
	session_csrf_token(&a, "/admin/tai-khoan/them", again);
	assert_string_equal(tok, again);   /* stable within a session */
	assert_int_equal(strlen(tok), SESSION_CSRF_LEN);
	assert_true(session_csrf_check(&a, "/admin/tai-khoan/them", tok));
	/* Another form, another session, nothing, garbage, a changed digit. */
	assert_false(session_csrf_check(&a, "/admin/dang-xuat", tok));
	assert_false(session_csrf_check(&b, "/admin/tai-khoan/them", tok));
	assert_false(session_csrf_check(&a, "/admin/tai-khoan/them", NULL));
	assert_false(session_csrf_check(&a, "/admin/tai-khoan/them", ""));
	char shorter[SESSION_CSRF_LEN + 1];
	memcpy(shorter, tok, sizeof shorter);
	shorter[SESSION_CSRF_LEN - 1] = '\0';
	assert_false(session_csrf_check(&a, "/admin/tai-khoan/them", shorter));
	char longer[SESSION_CSRF_LEN + 4];
	snprintf(longer, sizeof longer, "%s00", tok);
	assert_false(session_csrf_check(&a, "/admin/tai-khoan/them", longer));
	tok[10] = tok[10] == '0' ? '1' : '0';
	assert_false(session_csrf_check(&a, "/admin/tai-khoan/them", tok));
	/* The session as read back checks the same tokens. */
	session read;
	assert_int_equal(session_lookup(f->db, t2, T0 + 1, &read), 0);
	session_csrf_token(&b, "/admin/mat-khau", tok);
	assert_true(session_csrf_check(&read, "/admin/mat-khau", tok));

	/* The login form: a token bound to the pre-session cookie and the site. */
	unsigned char key[SESSION_KEY_BYTES], key2[SESSION_KEY_BYTES];
	assert_int_equal(session_site_key(f->db, key), 0);
	assert_int_equal(session_site_key(f->db, key2), 0);
	assert_memory_equal(key, key2, sizeof key);   /* made once, then read back */
	char pre[SESSION_TOKEN_LEN + 1], pre2[SESSION_TOKEN_LEN + 1];
	session_new_token(pre);
	session_new_token(pre2);
	session_login_token(key, pre, tok);
	assert_true(session_login_token_ok(key, pre, tok));
	assert_false(session_login_token_ok(key, pre2, tok));
	assert_false(session_login_token_ok(key, "short", tok));
	assert_false(session_login_token_ok(key, NULL, tok));
	assert_false(session_login_token_ok(key, pre, NULL));
	key2[0] ^= 1;
	assert_false(session_login_token_ok(key2, pre, tok));
	/* A form token is no login token and the other way round. */
	session_csrf_token(&a, pre, again);
	assert_false(session_login_token_ok(key, pre, again));
}

/* ---- throttling ------------------------------------------------------------------------ */

static int64_t failures_of(db_t *db, const char *key)
{
	db_stmt *st = db_prepare(db, "SELECT failures FROM login_attempts WHERE key = ?");
	assert_int_equal(db_bind_text(st, 1, key, -1), 0);
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
	db_done(st);
	return n;
}

static void test_throttle_delays(void **state)
{
	(void)state;
	for (int i = 0; i < THROTTLE_FREE; i++)
		assert_int_equal(throttle_delay(i), 0);
	assert_int_equal(throttle_delay(5), 30);
	assert_int_equal(throttle_delay(6), 60);
	assert_int_equal(throttle_delay(7), 120);
	assert_int_equal(throttle_delay(10), 960);
	assert_int_equal(throttle_delay(11), 1920);
	assert_int_equal(throttle_delay(12), THROTTLE_MAX);
	assert_int_equal(throttle_delay(1000000), THROTTLE_MAX);
}

static void test_throttle_windows(void **state)
{
	fixture *f = *state;
	unsigned char key[SESSION_KEY_BYTES];
	assert_int_equal(session_site_key(f->db, key), 0);
	char k[THROTTLE_KEY_LEN + 1];
	throttle_account_key(key, "Admin1", k);
	int64_t wait = -1;

	/* Four failures: no wait. The fifth: 30 s. */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(throttle_fail(f->db, k, T0 + i), 0);
		assert_int_equal(throttle_wait(f->db, k, T0 + i, &wait), 0);
		assert_int_equal(wait, 0);
	}
	assert_int_equal(throttle_fail(f->db, k, T0 + 10), 0);
	assert_int_equal(throttle_wait(f->db, k, T0 + 10, &wait), 0);
	assert_int_equal(wait, 30);
	assert_int_equal(throttle_wait(f->db, k, T0 + 39, &wait), 0);
	assert_int_equal(wait, 1);
	assert_int_equal(throttle_wait(f->db, k, T0 + 40, &wait), 0);
	assert_int_equal(wait, 0);
	/* One more failure doubles the wait. */
	assert_int_equal(throttle_fail(f->db, k, T0 + 40), 0);
	assert_int_equal(failures_of(f->db, k), 6);
	assert_int_equal(throttle_wait(f->db, k, T0 + 40, &wait), 0);
	assert_int_equal(wait, 60);
	/* Forgotten after the wait plus 15 quiet minutes: a new count. */
	int64_t quiet = T0 + 40 + 60 + THROTTLE_WINDOW;
	assert_int_equal(throttle_wait(f->db, k, quiet - 1, &wait), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(failures_of(f->db, k), 6);
	assert_int_equal(throttle_fail(f->db, k, quiet - 1), 0);
	assert_int_equal(failures_of(f->db, k), 7);
	assert_int_equal(throttle_wait(f->db, k, quiet - 1, &wait), 0);
	assert_int_equal(wait, 120);
	int64_t later = quiet - 1 + 120 + THROTTLE_WINDOW;
	assert_int_equal(throttle_fail(f->db, k, later), 0);
	assert_int_equal(failures_of(f->db, k), 1);

	/* A successful login clears the account's count. */
	assert_int_equal(throttle_clear(f->db, k), 0);
	assert_int_equal(failures_of(f->db, k), 0);
	assert_int_equal(throttle_wait(f->db, k, later, &wait), 0);
	assert_int_equal(wait, 0);

	/* Purge deletes only forgotten keys. */
	char a[THROTTLE_KEY_LEN + 1], b[THROTTLE_KEY_LEN + 1];
	throttle_address_key(key, "192.0.2.1", a);
	throttle_address_key(key, "192.0.2.2", b);
	for (int i = 0; i < 6; i++)
		assert_int_equal(throttle_fail(f->db, a, T0), 0);
	assert_int_equal(throttle_fail(f->db, b, T0), 0);
	assert_int_equal(throttle_purge(f->db, T0 + THROTTLE_WINDOW), 0);
	assert_int_equal(failures_of(f->db, a), 6);
	assert_int_equal(failures_of(f->db, b), 0);
	assert_int_equal(throttle_purge(f->db, T0 + 60 + THROTTLE_WINDOW), 0);
	assert_int_equal(failures_of(f->db, a), 0);

	/* Malformed keys are refused. */
	assert_int_equal(throttle_fail(f->db, "x123", T0), -1);
	assert_int_equal(throttle_wait(f->db, NULL, T0, &wait), -1);
}

static void test_throttle_keys(void **state)
{
	fixture *f = *state;
	unsigned char key[SESSION_KEY_BYTES];
	assert_int_equal(session_site_key(f->db, key), 0);
	char a[THROTTLE_KEY_LEN + 1], b[THROTTLE_KEY_LEN + 1];
	throttle_account_key(key, "Admin1", a);
	throttle_account_key(key, "admin1", b);
	assert_string_equal(a, b);
	assert_int_equal(a[0], 'a');
	assert_int_equal(strlen(a), THROTTLE_KEY_LEN);
	assert_null(strstr(a, "admin"));
	throttle_account_key(key, "admin2", b);
	assert_string_not_equal(a, b);
	/* Junk that is no login name still gets its own key. */
	throttle_account_key(key, "' OR 1=1 --", a);
	throttle_account_key(key, "' or 1=1 --", b);
	assert_string_equal(a, b);

	/* IPv6: one /64 is one key; IPv4 addresses are their own. */
	throttle_address_key(key, "2001:db8:1:2::1", a);
	throttle_address_key(key, "2001:db8:1:2:ffff:1:2:3", b);
	assert_string_equal(a, b);
	assert_int_equal(a[0], 'n');
	throttle_address_key(key, "2001:db8:1:3::1", b);
	assert_string_not_equal(a, b);
	throttle_address_key(key, "192.0.2.1", a);
	throttle_address_key(key, "192.0.2.2", b);
	assert_string_not_equal(a, b);
	throttle_address_key(key, "::ffff:192.0.2.1", b);
	assert_string_not_equal(a, b);
	/* Another site secret, other keys. */
	unsigned char other[SESSION_KEY_BYTES];
	memcpy(other, key, sizeof other);
	other[5] ^= 0x40;
	throttle_address_key(other, "192.0.2.1", b);
	assert_string_not_equal(a, b);
}

/* ---- audit log ------------------------------------------------------------------------- */

static void test_audit_log(void **state)
{
	fixture *f = *state;
	int64_t u1 = add_user(f, "quan.tri.vien", USER_ADMIN);
	int64_t u2 = add_user(f, "tac.gia", USER_AUTHOR);
	unsigned char key[SESSION_KEY_BYTES];
	assert_int_equal(session_site_key(f->db, key), 0);
	char addr[AUDIT_ADDRESS_LEN + 1], addr2[AUDIT_ADDRESS_LEN + 1];
	audit_address_hash(key, "203.0.113.9", addr);
	audit_address_hash(key, "203.0.113.9", addr2);
	assert_string_equal(addr, addr2);
	/* Not the address in any form: hex digits only (an address has dots), and a keyed
	 * hash: another key gives another value. A substring test ("203") would fail by
	 * chance one run in a few hundred. */
	assert_int_equal(strlen(addr), AUDIT_ADDRESS_LEN);
	assert_int_equal(strspn(addr, "0123456789abcdef"), AUDIT_ADDRESS_LEN);
	unsigned char key2[SESSION_KEY_BYTES];
	memcpy(key2, key, sizeof key2);
	key2[0] ^= 1;
	audit_address_hash(key2, "203.0.113.9", addr2);
	assert_string_not_equal(addr, addr2);
	audit_address_hash(key, "203.0.113.10", addr2);
	assert_string_not_equal(addr, addr2);
	audit_actor a1 = {u1, "quan.tri.vien", addr};
	audit_actor a2 = {u2, "tac.gia", NULL};
	audit_actor cli = {0, NULL, NULL};
	assert_int_equal(audit_add(f->db, T0, &a1, AUDIT_LOGIN, "quan.tri.vien", "Firefox / Linux"), 0);
	assert_int_equal(audit_add(f->db, T0 + 86400, &a2, AUDIT_LOGIN_FAILED, "tac.gia", NULL), 0);
	assert_int_equal(audit_add(f->db, T0 + 2 * 86400, &a1, AUDIT_USER_ROLE, "tac.gia",
				   "author -> editor"),
			 0);
	assert_int_equal(audit_add(f->db, T0 + 3 * 86400, &cli, AUDIT_USER_ADD, "moi",
				   "line\nbreak \x01 and \xff"),
			 0);
	assert_int_equal(audit_add(f->db, T0, &a1, "Bad Action", NULL, NULL), -1);
	assert_int_equal(audit_add(f->db, T0, &a1, "", NULL, NULL), -1);
	assert_false(audit_action_valid("drop table"));
	assert_true(audit_action_valid("article_publish"));

	audit_entry *e;
	size_t n;
	bool more;
	assert_int_equal(audit_list(f->db, f->arena, NULL, 10, &e, &n, &more), 0);
	assert_int_equal(n, 4);
	assert_false(more);
	assert_string_equal(e[0].action, AUDIT_USER_ADD); /* newest first */
	assert_int_equal(e[0].user_id, 0);
	assert_string_equal(e[0].details, "line?break ? and ?");
	assert_string_equal(e[3].address, addr);
	assert_string_equal(e[3].user_name, "quan.tri.vien");

	audit_filter flt = {.user_id = u1};
	assert_int_equal(audit_list(f->db, f->arena, &flt, 10, &e, &n, &more), 0);
	assert_int_equal(n, 2);
	flt = (audit_filter){.action = AUDIT_LOGIN_FAILED};
	assert_int_equal(audit_list(f->db, f->arena, &flt, 10, &e, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].target, "tac.gia");
	flt = (audit_filter){.from = T0 + 86400, .to = T0 + 3 * 86400};
	assert_int_equal(audit_list(f->db, f->arena, &flt, 10, &e, &n, &more), 0);
	assert_int_equal(n, 2);
	flt = (audit_filter){.user_id = u1, .action = AUDIT_USER_ROLE, .from = T0 + 1};
	assert_int_equal(audit_list(f->db, f->arena, &flt, 10, &e, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].details, "author -> editor");

	/* Pages of two, by keyset. */
	flt = (audit_filter){0};
	assert_int_equal(audit_list(f->db, f->arena, &flt, 2, &e, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_true(more);
	flt.before_id = e[1].id;
	assert_int_equal(audit_list(f->db, f->arena, &flt, 2, &e, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	assert_string_equal(e[1].action, AUDIT_LOGIN);

	/* Long text is cut at a character boundary. */
	char big[AUDIT_TARGET_MAX + 50] = "";
	while (strlen(big) + 3 < sizeof big - 1)
		strcat(big, "ắ");
	assert_int_equal(audit_add(f->db, T0, &cli, AUDIT_USER_ADD, big, NULL), 0);
	flt = (audit_filter){0};
	assert_int_equal(audit_list(f->db, f->arena, &flt, 1, &e, &n, &more), 0);
	assert_true(strlen(e[0].target) <= AUDIT_TARGET_MAX);
	assert_int_equal(strlen(e[0].target) % 3, 0);
}

static void test_user_agent_summary(void **state)
{
	(void)state;
	char out[SESSION_UA_MAX + 1];
	session_ua_summary("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", out);
	assert_string_equal(out, "Firefox / Linux");
	session_ua_summary("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
			   "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", out);
	assert_string_equal(out, "Safari / iPhone");
	session_ua_summary("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
			   "Gecko) Chrome/120.0 Safari/537.36 Edg/120.0", out);
	assert_string_equal(out, "Edge / Windows");
	session_ua_summary(NULL, out);
	assert_string_equal(out, "?");
	session_ua_summary("Python-urllib/3.11", out);
	assert_string_equal(out, "Python / ?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_and_roles),
	    cmocka_unit_test_setup_teardown(test_password_length_in_code_points, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_common_and_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_common_list_file_format, setup, teardown),
	    cmocka_unit_test(test_hash_and_verify),
	    cmocka_unit_test_setup_teardown(test_create_and_authenticate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_old_hash_is_upgraded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_admin_is_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_tokens_and_storage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_idle_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_absolute_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csrf_tokens, setup, teardown),
	    cmocka_unit_test(test_throttle_delays),
	    cmocka_unit_test_setup_teardown(test_throttle_windows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_log, setup, teardown),
	    cmocka_unit_test(test_user_agent_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
