/*
 * taxonomy.h - what taxonomy.c (categories, tags, the page table) and
 * links_page.c (the "Liên kết website" links) share. Private to src/admin.
 * Everything returned lives in the request arena.
 */
#ifndef SEN_ADMIN_TAXONOMY_H
#define SEN_ADMIN_TAXONOMY_H

#include "admin/admin_private.h"

/* Pages of the section beyond its first ones (admin_private.h). */
#define ADMIN_PATH_LINK_ADD "/admin/lien-ket/them"
#define ADMIN_PATH_LINK_ORDER "/admin/lien-ket/thu-tu"
#define ADMIN_PATH_LINK_EDIT "/admin/lien-ket/:id/sua"
#define ADMIN_PATH_LINK_UP "/admin/lien-ket/:id/len"
#define ADMIN_PATH_LINK_DOWN "/admin/lien-ket/:id/xuong"
#define ADMIN_PATH_LINK_REMOVE "/admin/lien-ket/:id/xoa"

/* The style sheet and script of every page of the section. */
#define TAXONOMY_CSS "/static/css/admin/taxonomy.css"
#define TAXONOMY_JS "/static/js/admin/taxonomy.js"

/* Writes one audit entry for the request's user. */
void taxonomy_audit(http_req *req, const admin_user *me, const char *action, const char *target,
		    const char *details);
/* Writes the audit entry of a new order: the form field "order" as typed
 * (cut at 900 bytes; read with the cap max ids, as taxonomy_parse_order()). */
void taxonomy_audit_order(http_req *req, const admin_user *me, const char *action, size_t max);
/* A page context (admin_context(), the caller owns the reference) with the
 * section's style sheet and script; NULL on failure. */
json_t *taxonomy_context(http_req *req, const admin_user *me, const char *title_key);
/* The ids of the form field "order" ("3,1,2": a new order made by dragging).
 * 0, or -1 when it is malformed or longer than max ids. */
int taxonomy_parse_order(http_req *req, size_t max, int64_t **ids, size_t *n);

/* A sortable list page of the section (categories, links): the list with
 * up, down, delete and drag-to-order on each row, and an add form. */
typedef struct {
	const char *title_key; /* catalog key of the page title */
	const char *name;      /* template "admin/NAME", and the list's key */
	const char *base;      /* the list's path: a row's pages are base/ID/sua ... */
	/* Route patterns of the forms (their CSRF purposes). */
	const char *up, *down, *remove, *order, *add;
} taxonomy_list;

/* The path base/ID/end ("/admin/lien-ket/7/sua"), in the arena. */
const char *taxonomy_row_path(http_req *req, const char *base, int64_t id, const char *end);

/*
 * Renders spec's list page with status: rows (each an object with "id",
 * to which the row's edit_url, up, down and delete actions, first and last
 * are added), the add form's defaults add, updated with add_values (the
 * values typed before a refusal; may be NULL), and message as the notice
 * (status < 400) or the error message (may be NULL). rows, add and
 * add_values are consumed; NULL rows or add answer 500.
 */
int taxonomy_list_page(http_req *req, http_res *res, const admin_user *me,
		       const taxonomy_list *spec, json_t *rows, json_t *add, json_t *add_values,
		       int status, const char *message);

/* ---- links_page.c ---- */

int admin_links_page(http_req *req, http_res *res, const admin_user *user);
int admin_link_add(http_req *req, http_res *res, const admin_user *user);
int admin_link_order(http_req *req, http_res *res, const admin_user *user);
int admin_link_form(http_req *req, http_res *res, const admin_user *user);
int admin_link_save(http_req *req, http_res *res, const admin_user *user);
int admin_link_up(http_req *req, http_res *res, const admin_user *user);
int admin_link_down(http_req *req, http_res *res, const admin_user *user);
int admin_link_remove(http_req *req, http_res *res, const admin_user *user);

#endif
