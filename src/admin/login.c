/*
 * login.c - logging in and out, and changing one's own password.
 *
 * Login answers the same way, in the same time, whether the account exists
 * or not: the failure page and status are one, user_authenticate() always
 * spends one Argon2id verification, and both ways count one failure per
 * key and write one audit entry.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/fmt.h"
#include "core/log.h"
#include "db/db.h"
#include "model/article.h"
#include "model/throttle.h"
#include "web/web.h"

/* Login names longer than this are not names; they are still throttled. */
#define LOGIN_NAME_FIELD_MAX 256

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Where to go after login: a back-office path from our own form, else the
 * dashboard. Never another host ("//evil", "/\evil"), never the login or
 * logout page itself. */
static const char *safe_next(const char *next)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789-._~/%?=&";
	if (next == NULL || strncmp(next, ADMIN_PATH_HOME, strlen(ADMIN_PATH_HOME)) != 0)
		return ADMIN_PATH_HOME;
	size_t len = strnlen(next, 513);
	char after = next[strlen(ADMIN_PATH_HOME)];
	if (len > 512 || (after != '\0' && after != '/' && after != '?') ||
	    strspn(next, allowed) != len || strstr(next, "//") != NULL ||
	    strncmp(next, ADMIN_PATH_LOGIN, strlen(ADMIN_PATH_LOGIN)) == 0 ||
	    strncmp(next, ADMIN_PATH_LOGOUT, strlen(ADMIN_PATH_LOGOUT)) == 0)
		return ADMIN_PATH_HOME;
	return next;
}

/* "Vui lòng thử lại sau 30 giây." in the reader's language. */
static const char *wait_message(http_req *req, int64_t wait)
{
	bool minutes = wait >= 120;
	return arena_sprintf(req->arena, "%s %lld %s", web_text(req, "admin_wait_before"),
			     (long long)(minutes ? (wait + 59) / 60 : wait),
			     web_text(req, minutes ? "admin_wait_minutes" : "admin_wait_seconds"));
}

/* ------------------------------------------------------------------ */
/* Login page                                                          */
/* ------------------------------------------------------------------ */

int admin_login_page(http_req *req, http_res *res, int status, const char *message_key,
		     int64_t wait, const char *name)
{
	unsigned char key[SESSION_KEY_BYTES];
	char fresh[SESSION_TOKEN_LEN + 1], token[SESSION_CSRF_LEN + 1];
	if (admin_site_key(key) != 0)
		return admin_error(req, res, NULL, 500, NULL);
	const char *cookie = admin_pre_cookie(req);
	const char *pre = http_cookie(req, cookie);
	if (!session_token_valid(pre)) {
		session_new_token(fresh);
		pre = fresh;
		admin_cookie_set(req, res, cookie, fresh);
	}
	session_login_token(key, pre, token);
	sodium_memzero(key, sizeof key);
	const char *next = http_form(req, "next");
	if (next == NULL)
		next = http_query(req, "next");
	/* A 401 for a page the user was on: come back to it after login. */
	if (next == NULL && status == 401 && req->method == HTTP_GET)
		next = req->raw_target;
	json_t *ctx = admin_context(req, NULL, "admin_login_title");
	if (ctx == NULL)
		return admin_error(req, res, NULL, 500, NULL);
	json_object_set_new(ctx, "form",
			    json_pack("{s:s, s:s, s:s, s:s}", "action", ADMIN_PATH_LOGIN, "csrf",
				      token, "next", safe_next(next), "name",
				      name != NULL ? name : ""));
	if (message_key != NULL) {
		const char *m = web_text(req, message_key);
		if (wait > 0)
			m = arena_sprintf(req->arena, "%s %s", m, wait_message(req, wait));
		json_object_set_new(ctx, "message", json_string(m != NULL ? m : ""));
	}
	json_object_set_new(ctx, "login_page", json_true());
	return admin_render(req, res, status, "admin/login", ctx);
}

int admin_login_form(http_req *req, http_res *res, const admin_user *me)
{
	(void)me;
	/* Already logged in: nothing to do here. */
	admin_user current;
	if (http_cookie(req, admin_session_cookie(req)) != NULL &&
	    admin_require(req, res, ADMIN_ANY_ROLE, &current) == 0)
		return http_redirect(res, 303, safe_next(http_query(req, "next")));
	return admin_login_page(req, res, 200, NULL, 0, NULL);
}

/* Ends the session the request came with, if any: a new login never
 * continues an old session (session fixation). */
static void end_previous_session(http_req *req, db_t *db, int64_t now)
{
	const char *token = http_cookie(req, admin_session_cookie(req));
	session old;
	if (token != NULL && session_lookup(db, token, now, &old) == 0)
		session_delete(db, old.id);
}

int admin_login_submit(http_req *req, http_res *res, const admin_user *unused)
{
	(void)unused;
	int64_t now = admin_now();
	unsigned char key[SESSION_KEY_BYTES];
	db_t *db = db_get();
	if (db == NULL || admin_site_key(key) != 0)
		return admin_error(req, res, NULL, 500, NULL);
	const char *pre = http_cookie(req, admin_pre_cookie(req));
	if (!session_login_token_ok(key, pre, http_form(req, "csrf"))) {
		sodium_memzero(key, sizeof key);
		return admin_login_page(req, res, 403, "admin_csrf_login", 0, NULL);
	}
	const char *name = admin_field(req, "name", LOGIN_NAME_FIELD_MAX);
	const char *password = admin_field(req, "password", USER_PASSWORD_INPUT_MAX);
	if (name == NULL)
		name = "";
	if (password == NULL)
		password = "";

	char account_key[THROTTLE_KEY_LEN + 1], address_key[THROTTLE_KEY_LEN + 1];
	throttle_account_key(key, name, account_key);
	throttle_address_key(key, req->client_addr, address_key);
	sodium_memzero(key, sizeof key);
	int64_t wait_account = 0, wait_address = 0;
	throttle_purge(db, now);
	if (throttle_wait(db, account_key, now, &wait_account) != 0 ||
	    throttle_wait(db, address_key, now, &wait_address) != 0)
		return admin_error(req, res, NULL, 500, NULL);
	int64_t wait = wait_account > wait_address ? wait_account : wait_address;
	if (wait > 0) {
		char retry[24];
		snprintf(retry, sizeof retry, "%lld", (long long)wait);
		http_res_header(res, "Retry-After", retry);
		return admin_login_page(req, res, 429, "admin_login_throttled", wait, name);
	}

	user u;
	int rc = user_authenticate(db, req->arena, name, password, now, &u);
	if (rc < 0)
		return admin_error(req, res, NULL, 500, NULL);
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, NULL, &actor, addr);
	if (rc == 1) {
		char login[USER_NAME_MAX + 1] = "";
		if (u.id > 0)
			user_name_normalize(name, login, sizeof login);
		actor.user_id = u.id;
		actor.user_name = login;
		if (throttle_fail(db, account_key, now) != 0 || throttle_fail(db, address_key, now) != 0)
			log_error("admin: could not count a failed login");
		/* The name is recorded only when it is an account's: an unknown
		 * "name" is often a password typed in the wrong field. */
		audit_add(db, now, &actor, AUDIT_LOGIN_FAILED, login,
			  u.id > 0 ? "" : "tài khoản không tồn tại");
		return admin_login_page(req, res, 401, "admin_login_failed", 0, name);
	}

	end_previous_session(req, db, now);
	char token[SESSION_TOKEN_LEN + 1], ua[SESSION_UA_MAX + 1];
	session s;
	session_ua_summary(http_header(req, "User-Agent"), ua);
	if (session_create(db, u.id, ua, now, token, &s) != 0)
		return admin_error(req, res, NULL, 500, NULL);
	throttle_clear(db, account_key);
	actor.user_id = u.id;
	actor.user_name = u.name;
	audit_add(db, now, &actor, AUDIT_LOGIN, u.name, ua);
	int ok = admin_cookie_set(req, res, admin_session_cookie(req), token) == 0 &&
		 admin_cookie_set(req, res, admin_pre_cookie(req), NULL) == 0;
	sodium_memzero(token, sizeof token);
	if (!ok)
		return admin_error(req, res, NULL, 500, NULL);
	return http_redirect(res, 303, safe_next(http_form(req, "next")));
}

int admin_logout(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL || session_delete(db, me->session.id) != 0)
		return admin_error(req, res, me, 500, NULL);
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db, admin_now(), &actor, AUDIT_LOGOUT, me->name, "");
	admin_cookie_set(req, res, admin_session_cookie(req), NULL);
	return http_redirect(res, 303, ADMIN_PATH_LOGIN);
}

/* ------------------------------------------------------------------ */
/* Own password                                                        */
const char *admin_password_problem_key(enum user_password_problem p)
{
	switch (p) {
	case USER_PASSWORD_OK: return "admin_pw_ok";
	case USER_PASSWORD_SHORT: return "admin_pw_short";
	case USER_PASSWORD_LONG: return "admin_pw_long";
	case USER_PASSWORD_INVALID: return "admin_pw_invalid";
	case USER_PASSWORD_COMMON: return "admin_pw_common";
	case USER_PASSWORD_HAS_NAME: return "admin_pw_has_name";
	case USER_PASSWORD_NO_LIST: return "admin_pw_no_list";
	}
	return "admin_pw_invalid";
}

/* ------------------------------------------------------------------ */

static int password_page(http_req *req, http_res *res, const admin_user *me, int status,
			 const char *message_key, const char *extra)
{
	json_t *ctx = admin_context(req, me, "admin_password_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_object_set_new(ctx, "form",
			    json_pack("{s:s, s:s?, s:i, s:i}", "action", ADMIN_PATH_PASSWORD, "csrf",
				      admin_csrf_token(req, me, ADMIN_PATH_PASSWORD), "min",
				      USER_PASSWORD_MIN, "max", USER_PASSWORD_MAX));
	if (message_key != NULL) {
		const char *m = web_text(req, message_key);
		if (extra != NULL)
			m = arena_sprintf(req->arena, "%s %s", m, extra);
		json_object_set_new(ctx, status < 400 ? "notice" : "message",
				    json_string(m != NULL ? m : ""));
	}
	return admin_render(req, res, status, "admin/password", ctx);
}

int admin_password_form(http_req *req, http_res *res, const admin_user *me)
{
	const char *ok = http_query(req, "ok");
	return password_page(req, res, me, 200,
			     ok != NULL && strcmp(ok, "1") == 0 ? "admin_password_changed" : NULL,
			     NULL);
}

int admin_password_submit(http_req *req, http_res *res, const admin_user *me)
{
	int64_t now = admin_now();
	db_t *db = db_get();
	unsigned char key[SESSION_KEY_BYTES];
	if (db == NULL || admin_site_key(key) != 0)
		return admin_error(req, res, me, 500, NULL);
	const char *old = admin_field(req, "old", USER_PASSWORD_INPUT_MAX);
	const char *fresh = admin_field(req, "new", USER_PASSWORD_INPUT_MAX);
	const char *confirm = admin_field(req, "confirm", USER_PASSWORD_INPUT_MAX);
	if (old == NULL || fresh == NULL || confirm == NULL) {
		sodium_memzero(key, sizeof key);
		return password_page(req, res, me, 400, "admin_pw_long", NULL);
	}
	/* Re-entering the old password is a login in disguise: the same
	 * throttle applies, or a stolen session could guess it here. */
	char account_key[THROTTLE_KEY_LEN + 1];
	throttle_account_key(key, me->name, account_key);
	sodium_memzero(key, sizeof key);
	int64_t wait = 0;
	if (throttle_wait(db, account_key, now, &wait) != 0)
		return admin_error(req, res, me, 500, NULL);
	if (wait > 0) {
		char retry[24];
		snprintf(retry, sizeof retry, "%lld", (long long)wait);
		http_res_header(res, "Retry-After", retry);
		return password_page(req, res, me, 429, "admin_login_throttled",
				     wait_message(req, wait));
	}
	user check;
	int rc = user_authenticate(db, req->arena, me->name, old, now, &check);
	if (rc < 0)
		return admin_error(req, res, me, 500, NULL);
	if (rc == 1 || check.id != me->id) {
		throttle_fail(db, account_key, now);
		return password_page(req, res, me, 400, "admin_pw_old_wrong", NULL);
	}
	if (strcmp(fresh, confirm) != 0)
		return password_page(req, res, me, 400, "admin_pw_mismatch", NULL);
	if (strcmp(fresh, old) == 0)
		return password_page(req, res, me, 400, "admin_pw_same", NULL);
	admin_common_passwords(req);
	enum user_password_problem p = user_password_check(me->name, fresh);
	if (p != USER_PASSWORD_OK)
		return password_page(req, res, me, 400, admin_password_problem_key(p), NULL);
	rc = user_set_password(db, me->id, fresh, now);
	if (rc == 2)
		return password_page(req, res, me, 400, "admin_pw_invalid", NULL);
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	/* Whoever else holds a session of this account is out. */
	session_delete_user(db, me->id, me->session.id);
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db, now, &actor, AUDIT_PASSWORD_CHANGE, me->name, "");
	return http_redirect(res, 303, ADMIN_PATH_PASSWORD "?ok=1");
}
