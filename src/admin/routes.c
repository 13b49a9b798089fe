/*
 * routes.c - the back office's route table and its dispatcher (admin.h
 * tells the order of the checks).
 */
#include <string.h>

#include "admin/admin_private.h"
#include "core/log.h"

/*
 * Every page of the back office. flags: the roles that may use it (enum
 * user_role bits; 0 = admin only), or ADMIN_PUBLIC. Deny by default: a row
 * that names no role is open to admins alone.
 */
static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_HOME, NULL, ADMIN_ANY_ROLE}, admin_dashboard},
	{{HTTP_GET, ADMIN_PATH_LOGIN, NULL, ADMIN_PUBLIC}, admin_login_form},
	{{HTTP_POST, ADMIN_PATH_LOGIN, NULL, ADMIN_PUBLIC}, admin_login_submit},
	{{HTTP_POST, ADMIN_PATH_LOGOUT, NULL, ADMIN_ANY_ROLE}, admin_logout},
	{{HTTP_GET, ADMIN_PATH_PASSWORD, NULL, ADMIN_ANY_ROLE}, admin_password_form},
	{{HTTP_POST, ADMIN_PATH_PASSWORD, NULL, ADMIN_ANY_ROLE}, admin_password_submit},
	{{HTTP_GET, ADMIN_PATH_USERS, NULL, 0}, admin_users_page},
	{{HTTP_POST, ADMIN_PATH_USER_ADD, NULL, 0}, admin_user_add},
	{{HTTP_POST, ADMIN_PATH_USER_ROLE, NULL, 0}, admin_user_role},
	{{HTTP_POST, ADMIN_PATH_USER_DISABLE, NULL, 0}, admin_user_disable},
	{{HTTP_POST, ADMIN_PATH_USER_ENABLE, NULL, 0}, admin_user_enable},
	{{HTTP_GET, ADMIN_PATH_AUDIT, NULL, 0}, admin_audit_page},
};

static const admin_page_table core_table = {pages, sizeof pages / sizeof pages[0]};

/* Every table, in the order they are tried. */
static const admin_page_table *const tables[] = {
	&core_table,		  &admin_article_table,	   &admin_taxonomy_table,
	&admin_media_table,	  &admin_moderation_table, &admin_register_table,
};

/* Literal segments of a pattern: "/admin/bai-viet/xem-truoc" (3) is more
 * specific than "/admin/bai-viet/:id" (2). */
static int literal_segments(const char *pattern)
{
	int n = 0;
	for (const char *p = pattern; *p != '\0'; p++)
		if (p[0] == '/' && p[1] != '\0' && p[1] != ':' && p[1] != '*')
			n++;
	return n;
}

/*
 * The page for the request: among the pages whose pattern matches the path,
 * the most specific pattern decides, so a post-only URL such as
 * "/admin/bai-viet/xem-truoc" answers GET with 405 instead of being taken
 * for the id of "/admin/bai-viet/:id". Among equally specific patterns the
 * first whose method fits wins. *allowed collects the methods of the most
 * specific patterns (for 405). NULL when none fits.
 */
static const admin_page *find_page(http_req *req, unsigned *allowed)
{
	const admin_page *best = NULL;
	int best_spec = -1;
	*allowed = 0;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		const admin_page *pg = tables[t]->pages;
		for (size_t i = 0; i < tables[t]->n; i++) {
			unsigned a = 0;
			bool fits = http_route_match(&pg[i].route, 1, req, &a) != NULL;
			if (a == 0)
				continue; /* the path does not match */
			int spec = literal_segments(pg[i].route.pattern);
			if (spec > best_spec) {
				best_spec = spec;
				best = fits ? &pg[i] : NULL;
				*allowed = a;
			} else if (spec == best_spec) {
				*allowed |= a;
				if (best == NULL && fits)
					best = &pg[i];
			}
		}
	}
	/* The captures are those of the last pattern tried: match the chosen
	 * page again to fill req->params. */
	unsigned a = 0;
	if (best != NULL && http_route_match(&best->route, 1, req, &a) == NULL)
		best = NULL;
	return best;
}

/* "GET, HEAD, POST" for an Allow header. */
static const char *allow_header(arena_t *a, unsigned methods)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{HTTP_GET, "GET"},   {HTTP_HEAD, "HEAD"},     {HTTP_POST, "POST"},
		{HTTP_PUT, "PUT"},   {HTTP_DELETE, "DELETE"}, {HTTP_PATCH, "PATCH"},
	};
	if ((methods & HTTP_GET) != 0)
		methods |= HTTP_HEAD;
	char out[64] = "";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((methods & names[i].bit) == 0)
			continue;
		if (out[0] != '\0')
			strcat(out, ", ");
		strcat(out, names[i].name);
	}
	return arena_strdup(a, out);
}

/* Cross-site form posts are refused before the token is even looked at,
 * when the browser says so (Fetch Metadata); the token stays the rule for
 * browsers that do not send the header. */
/* No valid session: a plain visit without any session cookie goes to the
 * login page; anything else (a stale or stolen cookie, a form post) is
 * answered 401 with the login form. */
static int unauthenticated(http_req *req, http_res *res)
{
	bool has_cookie = http_cookie(req, admin_session_cookie(req)) != NULL;
	if (!has_cookie && (req->method == HTTP_GET || req->method == HTTP_HEAD)) {
		const char *target = req->raw_target != NULL ? req->raw_target : ADMIN_PATH_HOME;
		buf_t loc = BUF_INIT;
		buf_puts(&loc, ADMIN_PATH_LOGIN "?next=");
		/* The target as sent is already percent-encoded; '&' '=' '?' '#'
		 * and '+' are encoded again so it stays one parameter. */
		for (const char *p = target; *p != '\0' && loc.len < 1024; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '&' || c == '=' || c == '?' || c == '#' || c == '+' || c == '%' ||
			    c <= 0x20 || c >= 0x7f)
				buf_printf(&loc, "%%%02X", c);
			else
				buf_putc(&loc, (char)c);
		}
		int status = 500;
		if (!loc.failed) {
			const char *l = arena_strdup(req->arena, loc.data);
			status = l != NULL ? http_redirect(res, 303, l) : 500;
		}
		buf_free(&loc);
		return status;
	}
	http_res_header(res, "WWW-Authenticate", "Cookie realm=\"Sen\", form=\"" ADMIN_PATH_LOGIN "\"");
	return admin_login_page(req, res, 401, "admin_session_expired", 0, NULL);
}

static int admin_dispatch(http_req *req, http_res *res)
{
	admin_headers(res);
	unsigned allowed = 0;
	const admin_page *page = find_page(req, &allowed);
	if (page == NULL) {
		if (allowed == 0)
			return admin_error(req, res, NULL, 404, NULL);
		const char *allow = allow_header(req->arena, allowed);
		if (allow != NULL)
			http_res_header(res, "Allow", allow);
		return admin_error(req, res, NULL, 405, NULL);
	}
	if ((page->route.access & ADMIN_PUBLIC) != 0)
		return page->handler(req, res, NULL);

	admin_user me;
	int status = admin_require(req, res, page->route.access, &me);
	if (status == 401)
		return unauthenticated(req, res);
	if (status == 403) {
		log_info("admin: %s %s refused to account %lld (role %s)", req->method_name,
			 page->route.pattern, (long long)me.id, user_role_name(me.role));
		return admin_error(req, res, &me, 403, "admin_forbidden");
	}
	if (status != 0)
		return admin_error(req, res, NULL, status, NULL);
	if (req->method == HTTP_POST &&
	    (web_cross_site(req) || !admin_csrf_ok(req, &me, page->route.pattern)))
		return admin_error(req, res, &me, 403, "admin_csrf_bad");
	return page->handler(req, res, &me);
}

/* Every method, so that even a 405 comes from the dispatcher with the
 * back-office headers. "/admin/" followed by "*" also matches "/admin". */
#define ALL_METHODS                                                                           \
	(HTTP_GET | HTTP_POST | HTTP_PUT | HTTP_DELETE | HTTP_PATCH | HTTP_OPTIONS | HTTP_OTHER)

const http_route admin_routes[] = {
	{ALL_METHODS, "/admin/*", admin_dispatch, HTTP_PUBLIC},
};
const size_t admin_nroutes = sizeof admin_routes / sizeof admin_routes[0];
