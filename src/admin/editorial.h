/*
 * editorial.h - what the three files of the editorial section share
 * (articles.c: list, review queue, workflow actions and the page table;
 * articles_edit.c: the editor and its preview; revisions.c: versions,
 * comparing and restoring). Nothing outside src/admin/ sees it.
 *
 * Who may do what is decided by article_may() (model/article.h) on the
 * server for every request; the page table only lets editors (and admins)
 * reach the publishing actions at all. An article an author may not view
 * is answered 404 exactly like one that does not exist, so ids cannot be
 * probed.
 */
#ifndef SEN_ADMIN_EDITORIAL_H
#define SEN_ADMIN_EDITORIAL_H

#include "admin/admin_private.h"
#include "model/article.h"

/* Route patterns below ADMIN_PATH_ARTICLES; each is also the CSRF purpose
 * of the form posting to it. */
#define EDITORIAL_PATH_NEW ADMIN_PATH_ARTICLES "/moi"
#define EDITORIAL_PATH_PREVIEW ADMIN_PATH_ARTICLES "/xem-truoc"
#define EDITORIAL_PATH_EDIT ADMIN_PATH_ARTICLES "/:id"
#define EDITORIAL_PATH_SUBMIT ADMIN_PATH_ARTICLES "/:id/gui-duyet"
#define EDITORIAL_PATH_PUBLISH ADMIN_PATH_ARTICLES "/:id/dang"
#define EDITORIAL_PATH_UNPUBLISH ADMIN_PATH_ARTICLES "/:id/go"
#define EDITORIAL_PATH_RETURN ADMIN_PATH_ARTICLES "/:id/tra-lai"
#define EDITORIAL_PATH_DELETE ADMIN_PATH_ARTICLES "/:id/xoa"
#define EDITORIAL_PATH_REVISIONS ADMIN_PATH_ARTICLES "/:id/phien-ban"
#define EDITORIAL_PATH_COMPARE ADMIN_PATH_ARTICLES "/:id/phien-ban/so-sanh"
#define EDITORIAL_PATH_RESTORE ADMIN_PATH_ARTICLES "/:id/phien-ban/:rev/khoi-phuc"

/* The action "audit_log" records for a return to draft (model/audit.h has
 * no name for it yet). */
#define EDITORIAL_AUDIT_RETURN AUDIT_ARTICLE_RETURN

/* ---- articles.c ---- */

/*
 * The article named by the route's first capture, if the user may `action`
 * it. 0 with *out filled; otherwise the status to answer: 404 when it does
 * not exist or the user may not even view it (the same answer, so ids
 * cannot be probed), 403 when they may view it but not do this, 500.
 */
int editorial_article(http_req *req, const admin_user *me, enum article_action action,
		      article *out);

/* The label of a status ("Bản nháp" ...), "scheduled" for a published
 * article whose time has not come. */
const char *editorial_status_label(http_req *req, const article *a, int64_t now);
/* "draft", "review", "published", "unpublished": for the audit log. */
const char *editorial_status_name(int status);
/* A CSS class name for the same ("draft", "review", "published",
 * "scheduled", "unpublished"). */
const char *editorial_status_class(const article *a, int64_t now);

/* "/admin/bai-viet/12" + suffix (e.g. "/dang"), in the arena. */
const char *editorial_url(http_req *req, int64_t id, const char *suffix);

/* Writes an audit entry about article a. */
void editorial_audit(http_req *req, const admin_user *me, const char *action, const article *a,
		     const char *details);

/* "dd/mm/yyyy hh:mm" in site time; "" for 0. */
const char *editorial_datetime(http_req *req, int64_t t);

/* The login name of the user, for revisions. */
const char *editorial_user_name(const admin_user *me);

int editorial_list_page(http_req *req, http_res *res, const admin_user *me);
int editorial_review_page(http_req *req, http_res *res, const admin_user *me);
int editorial_submit(http_req *req, http_res *res, const admin_user *me);
int editorial_unpublish(http_req *req, http_res *res, const admin_user *me);
int editorial_return(http_req *req, http_res *res, const admin_user *me);
int editorial_delete(http_req *req, http_res *res, const admin_user *me);

/* ---- articles_edit.c ---- */

int editorial_new_form(http_req *req, http_res *res, const admin_user *me);
int editorial_create(http_req *req, http_res *res, const admin_user *me);
int editorial_edit_form(http_req *req, http_res *res, const admin_user *me);
int editorial_save(http_req *req, http_res *res, const admin_user *me);
int editorial_preview(http_req *req, http_res *res, const admin_user *me);
/* Publishes or schedules (published_at of the form) the article of the route. */
int editorial_publish(http_req *req, http_res *res, const admin_user *me);

/* Runs a workflow action on the article of the route (when: the publication
 * time for ARTICLE_PUBLISH), audits it as audit_action and goes back to the
 * article, or to the review queue when the form came from there, with ?ok=ok. */
int editorial_transition(http_req *req, http_res *res, const admin_user *me,
			 enum article_action action, int64_t when, const char *audit_action,
			 const char *ok);

/* The editor of article a with the message that its publication time
 * (typed, re-shown in the field) was refused; 400. */
int editorial_publish_refused(http_req *req, http_res *res, const admin_user *me,
			      const article *a, const char *typed);

/* "2026-11-27T14:30" for a datetime-local field, in site time; "" for 0. */
const char *editorial_local_input(http_req *req, int64_t t);
/* Parses a datetime-local value in site time ("" = 0). 0 or -1. */
int editorial_parse_local(http_req *req, const char *s, int64_t *t);

/* ---- revisions.c ---- */

int editorial_revisions_page(http_req *req, http_res *res, const admin_user *me);
int editorial_compare_page(http_req *req, http_res *res, const admin_user *me);
int editorial_restore(http_req *req, http_res *res, const admin_user *me);

#endif
