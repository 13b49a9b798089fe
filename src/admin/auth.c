/*
 * auth.c - who is asking: session cookies, roles, CSRF, and the headers of
 * every back-office answer.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "admin/admin_private.h"
#include "app.h"
#include "core/log.h"
#include "db/db.h"

/* No inline script or style anywhere in the back office; forms post only
 * to this origin; nothing may frame it. */
#define ADMIN_CSP                                                                             \
	"default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "         \
	"frame-ancestors 'none'; form-action 'self'"

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

int admin_set_header(http_res *res, const char *name, const char *value)
{
	size_t kept = 0;
	for (size_t i = 0; i < res->nheaders && i < HTTP_MAX_HEADERS; i++) {
		if (strcasecmp(res->headers[i].name, name) == 0)
			continue;
		res->headers[kept++] = res->headers[i];
	}
	res->nheaders = kept;
	return http_res_header(res, name, value);
}

void admin_headers(http_res *res)
{
	admin_set_header(res, "Content-Security-Policy", ADMIN_CSP);
	admin_set_header(res, "Cache-Control", "no-store");
	admin_set_header(res, "X-Frame-Options", "DENY");
	admin_set_header(res, "Referrer-Policy", "same-origin");
	admin_set_header(res, "X-Robots-Tag", "noindex, nofollow");
	/* CSRF tokens beside reflected input: never compressed (BREACH,
	 * docs/SECURITY.md), the login page's too. */
	res->no_compress = true;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

int64_t admin_now(void)
{
	return (int64_t)time(NULL);
}

bool admin_https(const http_req *req)
{
	const app_t *app = req->app;
	return app != NULL && strncasecmp(app->cfg.base_url, "https://", 8) == 0;
}

const char *admin_session_cookie(const http_req *req)
{
	return admin_https(req) ? "__Host-sen_session" : "sen_session";
}

const char *admin_pre_cookie(const http_req *req)
{
	return admin_https(req) ? "__Host-sen_pre" : "sen_pre";
}

int admin_cookie_set(http_req *req, http_res *res, const char *name, const char *value)
{
	/* No Expires / Max-Age on a live cookie: it ends with the browser, and
	 * the server ends the session anyway (session.h). */
	const char *v = arena_sprintf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
				      name, value != NULL ? value : "",
				      admin_https(req) ? "; Secure" : "",
				      value == NULL ? "; Max-Age=0" : "");
	return v != NULL ? http_res_header(res, "Set-Cookie", v) : -1;
}

int admin_site_key(unsigned char key[SESSION_KEY_BYTES])
{
	db_t *db = db_get();
	return db != NULL ? session_site_key(db, key) : -1;
}

void admin_actor(http_req *req, const admin_user *me, audit_actor *out,
		 char addr[AUDIT_ADDRESS_LEN + 1])
{
	unsigned char key[SESSION_KEY_BYTES];
	addr[0] = '\0';
	if (admin_site_key(key) == 0)
		audit_address_hash(key, req->client_addr, addr);
	sodium_memzero(key, sizeof key);
	out->user_id = me != NULL ? me->id : 0;
	out->user_name = me != NULL ? me->name : NULL;
	out->address = addr;
}

static pthread_mutex_t common_lock = PTHREAD_MUTEX_INITIALIZER;
static bool common_tried;

void admin_common_passwords(http_req *req)
{
	const app_t *app = req->app;
	pthread_mutex_lock(&common_lock);
	if (!common_tried && app != NULL) {
		common_tried = true;
		char path[sizeof app->share_dir + 64];
		snprintf(path, sizeof path, "%s/security/common-passwords.txt", app->share_dir);
		if (user_common_passwords_load(path) != 0)
			log_error("admin: without %s no password can be set or changed", path);
	}
	pthread_mutex_unlock(&common_lock);
}

const char *admin_field(http_req *req, const char *name, size_t max)
{
	const char *v = http_form(req, name);
	if (v == NULL)
		return "";
	return strnlen(v, max + 1) > max ? NULL : v;
}

bool admin_confirmed(http_req *req)
{
	const char *v = http_form(req, "xac-nhan");
	return v != NULL && strcmp(v, "1") == 0;
}

int admin_route_row(http_req *req, int64_t *id, db_t **db)
{
	if (req->nparams < 1 || web_parse_id(req->params[0], id) != 0)
		return 404;
	*db = db_get();
	return *db != NULL ? 0 : 500;
}

int admin_get_status(int rc)
{
	return rc == 0 ? 0 : rc == 1 ? 404 : 500;
}

/* ------------------------------------------------------------------ */
/* Sessions and roles                                                  */
/* ------------------------------------------------------------------ */

int admin_require(http_req *req, http_res *res, unsigned roles, admin_user *out)
{
	memset(out, 0, sizeof *out);
	const char *cookie = admin_session_cookie(req);
	const char *token = http_cookie(req, cookie);
	if (token == NULL)
		return 401;
	db_t *db = db_get();
	if (db == NULL)
		return 500;
	session s;
	int rc = session_lookup(db, token, admin_now(), &s);
	if (rc < 0)
		return 500;
	if (rc == 1) {
		admin_cookie_set(req, res, cookie, NULL);
		return 401;
	}
	user u;
	rc = user_get(db, req->arena, s.user_id, &u);
	if (rc < 0)
		return 500;
	if (rc == 1 || u.disabled || u.role == 0) {
		/* Disabling ends sessions already; this covers a role that is no
		 * longer known and a database edited by hand. */
		session_delete(db, s.id);
		admin_cookie_set(req, res, cookie, NULL);
		return 401;
	}
	out->id = u.id;
	out->name = u.name;
	out->display_name = u.display_name;
	out->role = u.role;
	out->session = s;
	unsigned allowed = (roles & USER_ROLES_ALL) | USER_ADMIN;
	return ((unsigned)u.role & allowed) != 0 ? 0 : 403;
}

/* ------------------------------------------------------------------ */
/* CSRF                                                                */
/* ------------------------------------------------------------------ */

const char *admin_csrf_token(http_req *req, const admin_user *me, const char *purpose)
{
	char token[SESSION_CSRF_LEN + 1];
	if (me == NULL)
		return NULL;
	session_csrf_token(&me->session, purpose, token);
	return arena_strdup(req->arena, token);
}

bool admin_csrf_ok(http_req *req, const admin_user *me, const char *purpose)
{
	if (me == NULL)
		return false;
	return session_csrf_check(&me->session, purpose, http_form(req, "csrf"));
}
