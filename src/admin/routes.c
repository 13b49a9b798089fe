/*
 * routes.c - the back office's rows of the server's route table, and the
 * access hook that enforces each row's rule (admin.h tells the order of
 * the checks).
 */
#include <stdint.h>
#include <string.h>

#include "admin/admin_private.h"
#include "core/log.h"
#include "model/media.h"

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

/* Every section's table. */
static const admin_page_table *const tables[] = {
	&core_table,		  &admin_article_table,	   &admin_taxonomy_table,
	&admin_media_table,	  &admin_moderation_table, &admin_register_table,
	&admin_storage_table,
	&admin_council_table,
	&admin_inventory_table,
	&admin_correction_table,
	&admin_register_io_table,
	&admin_numbering_table,
	&admin_care_table,
	&admin_print_register_table,
	&admin_print_records_table,
	&admin_labels_table,
	&admin_photos_table,
	&admin_donor_table,
	&admin_acquisition_table,
	&admin_exhibition_table,
	&admin_publication_table,
	&admin_plan_table,
	&admin_unit_table,
	&admin_task_table,
	&admin_award_table,
	&admin_emulation_table,
	&admin_report_table,
};

/*
 * The rows the server routes, built once by admin_routes(): one per page,
 * then, so that every answer under /admin - 404 and 405 included - is the
 * back office's page with its headers and comes before any session is
 * asked for, one public row per pattern for the methods its pages do not
 * take (405), and "/admin/" followed by "*" for any method (404; the
 * router prefers every page to it).
 */
#define MAX_ROWS 384

static http_route rows[MAX_ROWS];
static const admin_page *row_page[MAX_ROWS]; /* NULL for the 404 and 405 rows */
static unsigned row_allow[MAX_ROWS];         /* a 405 row: what its pattern takes */
static size_t nrows;
static size_t npage_rows; /* the page rows come first */

/* The index of the row the server chose, or MAX_ROWS for a foreign one
 * (compared as addresses: the row may belong to another table). */
static size_t row_index(const http_req *req)
{
	uintptr_t at = (uintptr_t)req->route, first = (uintptr_t)rows;
	if (at < first || at >= (uintptr_t)(rows + nrows) || (at - first) % sizeof rows[0] != 0)
		return MAX_ROWS;
	return (at - first) / sizeof rows[0];
}

/* A page's row: admin_access has already let the request through unless
 * the page is public. */
static int run_page(http_req *req, http_res *res)
{
	admin_headers(res);
	size_t i = row_index(req);
	if (i == MAX_ROWS || row_page[i] == NULL)
		return 500;
	return row_page[i]->handler(req, res, req->user);
}

static int wrong_method(http_req *req, http_res *res)
{
	admin_headers(res);
	size_t i = row_index(req);
	if (i == MAX_ROWS)
		return 500;
	const char *allow = http_allow_header(req->arena, row_allow[i]);
	if (allow != NULL)
		http_res_header(res, "Allow", allow);
	return admin_error(req, res, NULL, 405, NULL);
}

static int not_found(http_req *req, http_res *res)
{
	admin_headers(res);
	return admin_error(req, res, NULL, 404, NULL);
}

static int add_row(unsigned methods, const char *pattern, http_handler_fn handler,
		   unsigned access, const admin_page *page, unsigned allow)
{
	if (nrows == MAX_ROWS) {
		log_error("admin: more than %d routes; raise MAX_ROWS", MAX_ROWS);
		return -1;
	}
	rows[nrows] = (http_route){methods, pattern, handler, access};
	row_page[nrows] = page;
	row_allow[nrows] = allow;
	nrows++;
	return 0;
}

/* The methods of the pages whose pattern is that of page row i (GET
 * brings HEAD), or 0 when an earlier row has the pattern already. */
static unsigned pattern_methods(size_t i, size_t npages)
{
	unsigned takes = 0;
	for (size_t j = 0; j < npages; j++) {
		if (strcmp(rows[j].pattern, rows[i].pattern) != 0)
			continue;
		if (j < i)
			return 0;
		takes |= rows[j].methods;
	}
	return (takes & HTTP_GET) != 0 ? takes | HTTP_HEAD : takes;
}

static int build_rows(void)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const admin_page *pg = &tables[t]->pages[i];
			/* Every form of the back office, the login's too, must
			 * come from its own pages (cli/serve.c refuses the rest). */
			unsigned access = pg->route.access;
			if ((pg->route.methods & HTTP_POST) != 0)
				access |= HTTP_SAME_SITE;
			if (add_row(pg->route.methods, pg->route.pattern, run_page, access, pg,
				    0) != 0)
				return -1;
		}
	}
	size_t npages = npage_rows = nrows;
	for (size_t i = 0; i < npages; i++) {
		unsigned takes = pattern_methods(i, npages);
		unsigned others = HTTP_ALL_METHODS & ~takes;
		if (takes != 0 && others != 0 &&
		    add_row(others, rows[i].pattern, wrong_method, HTTP_PUBLIC, NULL,
			    takes) != 0)
			return -1;
	}
	if (add_row(HTTP_ALL_METHODS, "/admin/*", not_found, HTTP_PUBLIC, NULL, 0) != 0)
		return -1;
	return 0;
}

int admin_routes(http_route_table *out)
{
	if (nrows == 0 && build_rows() != 0) {
		nrows = 0;
		return -1;
	}
	out->routes = rows;
	out->n = nrows;
	return 0;
}

int admin_page_routes(http_route_table *out)
{
	if (admin_routes(out) != 0)
		return -1;
	out->n = npage_rows;
	return 0;
}

/* What a media upload form carries besides the file: the CSRF token, alt
 * text, a caption. */
#define UPLOAD_FORM_OVERHEAD (64u * 1024u)

size_t admin_upload_gate(http_req *req, int *status)
{
	*status = 415;
	/* Routed on a copy: the server routes the request itself later. */
	http_req probe = *req;
	const http_route *row = http_route_match(rows, nrows, &probe, NULL);
	if (row == NULL || req->method != HTTP_POST)
		return 0;
	bool import = strcmp(row->pattern, ADMIN_PATH_REGISTER_IMPORT) == 0;
	if (!import && strcmp(row->pattern, ADMIN_PATH_MEDIA_UPLOAD) != 0 &&
	    strcmp(row->pattern, ADMIN_PATH_REGISTER_PHOTO_UPLOAD) != 0)
		return 0;
	/* The same check as the access hook's, with the roles of the upload's
	 * row (media.c), so one place says who may upload; its response (a
	 * cleared cookie) is not sent: the refusal is answered before the body
	 * is read. */
	http_res scratch;
	memset(&scratch, 0, sizeof scratch);
	scratch.status = 200;
	scratch.arena = req->arena;
	admin_user me;
	int rc = admin_require(req, &scratch, row->access, &me);
	buf_free(&scratch.body);
	if (rc != 0) {
		*status = rc;
		return 0;
	}
	*status = 0;
	return (size_t)(import ? ADMIN_IMPORT_MAX_BYTES : MEDIA_MAX_BYTES) + UPLOAD_FORM_OVERHEAD;
}

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

int admin_access(http_req *req, http_res *res, const http_route *route)
{
	admin_headers(res);
	admin_user *me = arena_alloc(req->arena, sizeof *me);
	if (me == NULL)
		return 500;
	int status = admin_require(req, res, route->access, me);
	if (status == 401)
		return unauthenticated(req, res);
	if (status == 403) {
		log_info("admin: %s %s refused to account %lld (role %s)", req->method_name,
			 route->pattern, (long long)me->id, user_role_name(me->role));
		return admin_error(req, res, me, 403, "admin_forbidden");
	}
	if (status != 0)
		return admin_error(req, res, NULL, status, NULL);
	/* A form post a browser says comes from another site was refused
	 * already (every POST row is HTTP_SAME_SITE, see build_rows); the token
	 * is the rule for browsers that do not say. */
	if (req->method == HTTP_POST && !admin_csrf_ok(req, me, route->pattern))
		return admin_error(req, res, me, 403, "admin_csrf_bad");
	req->user = me;
	return 0;
}
