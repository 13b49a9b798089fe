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
/* The notice key for ?ok=WORD among pairs {word, key, ..., NULL}; NULL
 * when absent or unknown. */
const char *taxonomy_notice(http_req *req, const char *const *pairs);

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
