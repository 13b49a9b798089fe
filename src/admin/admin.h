/*
 * admin.h - the back office at /admin: its route table and the checks every
 * admin handler starts with.
 *
 * Deny by default: every admin route names the roles that may use it, and
 * the check runs on the server for every request (admin_require). State
 * changes are POST only and carry a CSRF token (admin_csrf_ok).
 *
 * How a request goes: every page is a row of the server's route table
 * (admin_routes() gives the back office's rows), with its roles as the
 * row's access rule, so the router picks it by the most specific pattern
 * (http.h). Every other path under /admin and every method a page does not
 * take have rows too, so 404 and 405 (with Allow) are the back office's
 * pages with its headers (admin_headers) and never ask for a session. Then
 *   1. unless the page is ADMIN_PUBLIC, the server's access hook
 *      (admin_access): admin_require() with the page's roles (401: no valid
 *      session; 403: wrong role);
 *   2. for POST, in the same hook: the CSRF token of the form, whose
 *      purpose is the page's pattern ("/admin/tai-khoan/:id/vai-tro");
 *      missing, wrong or made for another form or another session -> 403;
 *   3. for POST, the login's too: every such row is HTTP_SAME_SITE, so the
 *      server's same_site hook refuses (403) what a browser says comes
 *      from another site's page;
 *   4. the page's handler, with the user.
 * A GET without any session cookie is sent to the login page (303); a
 * request whose session cookie is unknown, expired or logged out gets 401
 * with the login form as its body (so a stolen cookie replayed after logout
 * is visibly refused, and a browser user can log in again at once).
 *
 * Adding a screen: write `int handler(http_req *, http_res *, const
 * admin_user *)`, add a row to its section's pages[] with its roles, and use
 * admin_context() / admin_render() for the page and admin_csrf_token() with
 * the route pattern for each form.
 */
#ifndef SEN_ADMIN_ADMIN_H
#define SEN_ADMIN_ADMIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "model/session.h"
#include "model/user.h"

/* The back office's rows of the server's route table, built on the first
 * call (make it before the server starts; later calls return the same
 * rows). 0, or -1 with the reason logged. */
int admin_routes(http_route_table *out);
/* The page rows alone (the first rows admin_routes gives, without the 404
 * and 405 rows), for `sen routes`. 0, or -1 as admin_routes. */
int admin_page_routes(http_route_table *out);

/* The user a request runs as. Strings live in the request arena. */
typedef struct {
	int64_t id;
	const char *name;
	const char *display_name;    /* may be "" */
	int role;                    /* one enum user_role bit */
	session session;             /* the session of this request */
} admin_user;

/* Route flags beyond the role bits (enum user_role): no session needed. */
#define ADMIN_PUBLIC HTTP_PUBLIC
/* Every role may use the page (the dashboard, one's own password). */
#define ADMIN_ANY_ROLE ((unsigned)USER_ROLES_ALL)

typedef int (*admin_handler_fn)(http_req *req, http_res *res, const admin_user *user);

/*
 * Checks the session cookie and the role. roles is a set of enum user_role
 * bits; admin is always allowed, and 0 means admin only (deny by default).
 * Returns 0 with *out filled; 401 when there is no valid session (an invalid
 * cookie is also cleared through res); 403 when the role may not (*out is
 * filled then, for the page around the refusal); 500 on a storage error.
 */
int admin_require(http_req *req, http_res *res, unsigned roles, admin_user *out);

/*
 * The server's access hook (http_server_config.access), for every row that
 * is not HTTP_PUBLIC: the back-office headers, admin_require() with the
 * row's roles, and for POST the CSRF token made for the row's pattern. 0 with req->user set to the admin_user (in the
 * arena), or the status of the refusal with its page in res.
 */
int admin_access(http_req *req, http_res *res, const http_route *route);

/*
 * The server's upload_gate (http_server_config): asked when a request with
 * a multipart/form-data body has sent its headers, before the body is
 * read. Only POST to ADMIN_PATH_MEDIA_UPLOAD ("/admin/thu-vien/tai-len"),
 * to an object card's photo upload (ADMIN_PATH_REGISTER_PHOTO_UPLOAD, the
 * same limit) or to the register's import (ADMIN_PATH_REGISTER_IMPORT) by a signed-in
 * user of a role its row names is let through; the answer is then the most
 * bytes the body may have (MEDIA_MAX_BYTES or ADMIN_IMPORT_MAX_BYTES, and
 * 64 KiB for the rest of the form). Otherwise 0 with *status: 415 for any other method or
 * path, 401 without a valid session, 403 for another role, 500 on a
 * storage error. The CSRF token is a text field ("csrf") of the form and is
 * checked by the dispatcher once the body is in, as for any POST.
 */
size_t admin_upload_gate(http_req *req, int *status);

/* The CSRF token of the user's session for a form posting to `purpose`
 * (the route pattern), in the request arena. NULL when out of memory. */
const char *admin_csrf_token(http_req *req, const admin_user *user, const char *purpose);

/* True when the request's form field "csrf" is the session's token for
 * purpose (constant-time comparison). */
bool admin_csrf_ok(http_req *req, const admin_user *user, const char *purpose);

/* The back-office headers: Cache-Control no-store, the admin CSP (replacing
 * the public one), X-Frame-Options DENY, Referrer-Policy same-origin,
 * X-Robots-Tag noindex. */
void admin_headers(http_res *res);

/* Sets a response header, replacing any header of that name (the public
 * `before` hook has already set some). 0 or -1 (refused, see
 * http_res_header). */
int admin_set_header(http_res *res, const char *name, const char *value);

/* The context every back-office page starts from: site, language and
 * catalog, page title (the text of catalog key title_key), and when user is
 * not NULL the user, the navigation they may use and the logout form's
 * token. The caller owns the reference; NULL when out of memory. */
json_t *admin_context(http_req *req, const admin_user *user, const char *title_key);

/* Puts form (a form's defaults; consumed, may be NULL) into ctx under key,
 * with the values typed before a refusal (typed: consumed, may be NULL)
 * over the defaults, so the form comes back as the user left it. */
void admin_form(json_t *ctx, const char *key, json_t *form, json_t *typed);

/* Renders admin template `name` (e.g. "admin/users") into res->body,
 * consuming ctx. Returns status, or 500 when rendering fails. */
int admin_render(http_req *req, http_res *res, int status, const char *name, json_t *ctx);

/* Renders the back-office error page for status with the message of
 * catalog key message_key (NULL: the generic one). Returns status. */
int admin_error(http_req *req, http_res *res, const admin_user *user, int status,
		const char *message_key);

/* A page that is not made after all (storage or memory failed: 500; the
 * row is gone: 404): drops what it was building (unbuilt, may be NULL) and
 * answers admin_error() of status. */
int admin_fail(http_req *req, http_res *res, const admin_user *user, int status,
	       json_t *unbuilt);

#endif
