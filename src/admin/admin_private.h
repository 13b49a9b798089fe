/*
 * admin_private.h - what the files of src/admin share and nobody else sees:
 * the paths of the pages, cookies, and the handlers of the route table.
 * Everything returned lives in the request arena unless said otherwise.
 */
#ifndef SEN_ADMIN_PRIVATE_H
#define SEN_ADMIN_PRIVATE_H

#include "admin/admin.h"
#include "model/audit.h"
#include "model/task.h"
#include "model/user.h"
#include "web/web.h"

/* Route patterns. They are also the CSRF purposes of the forms posting to
 * them, so a form and its route cannot disagree. */
#define ADMIN_PATH_HOME "/admin"
#define ADMIN_PATH_LOGIN "/admin/dang-nhap"
#define ADMIN_PATH_LOGOUT "/admin/dang-xuat"
#define ADMIN_PATH_PASSWORD "/admin/mat-khau"
#define ADMIN_PATH_USERS "/admin/tai-khoan"
#define ADMIN_PATH_USER_ADD "/admin/tai-khoan/them"
#define ADMIN_PATH_USER_ROLE "/admin/tai-khoan/:id/vai-tro"
#define ADMIN_PATH_USER_DISABLE "/admin/tai-khoan/:id/khoa"
#define ADMIN_PATH_USER_ENABLE "/admin/tai-khoan/:id/mo-khoa"
#define ADMIN_PATH_AUDIT "/admin/nhat-ky"
/* The first page of each later section (their other pages live in the
 * section's own file, next to its page table). */
#define ADMIN_PATH_ARTICLES "/admin/bai-viet"
#define ADMIN_PATH_REVIEW "/admin/duyet-bai"
#define ADMIN_PATH_CATEGORIES "/admin/chuyen-muc"
#define ADMIN_PATH_TAGS "/admin/the"
#define ADMIN_PATH_LINKS "/admin/lien-ket"
#define ADMIN_PATH_MEDIA "/admin/thu-vien"
/* The only place a multipart body is accepted (admin_upload_gate). */
#define ADMIN_PATH_MEDIA_UPLOAD "/admin/thu-vien/tai-len"
#define ADMIN_PATH_COMMENTS "/admin/binh-luan"
#define ADMIN_PATH_STATS "/admin/thong-ke"
#define ADMIN_PATH_REGISTER "/admin/so-dang-ky"
#define ADMIN_PATH_STORAGE "/admin/kho"
#define ADMIN_PATH_INVENTORY "/admin/kiem-ke"
/* The register's import: the other place a multipart body is accepted. */
#define ADMIN_PATH_REGISTER_IMPORT "/admin/so-dang-ky/nhap-tep"
#define ADMIN_IMPORT_MAX_BYTES (64u << 20)
/* A new picture for an object card's photos (photos_page.c): the third
 * place, with the media library's limit. */
#define ADMIN_PATH_REGISTER_PHOTO_UPLOAD "/admin/so-dang-ky/:id/anh/tai-len"
/* Print pages of the register (print_page.c). */
#define ADMIN_PATH_PRINT_BOOK "/admin/so-dang-ky/in"

/* Who uses the register (admins always may): curators keep it (intake,
 * cards, movements); the Scientific Council reads it and records its
 * decisions. Editors, authors and moderators never reach it. */
#define ADMIN_REGISTER_KEEPERS ((unsigned)USER_CURATOR)
#define ADMIN_REGISTER_READERS ((unsigned)(USER_CURATOR | USER_COUNCIL))

/*
 * A page of the back office: the route (methods, pattern, unused handler,
 * access = the roles that may use it as enum user_role bits, 0 = admin only,
 * or ADMIN_PUBLIC) and its handler. Each section keeps its own table in its
 * own file; routes.c makes them rows of the server's table, where the most
 * specific pattern wins whatever the order.
 */
typedef struct {
	http_route route;
	admin_handler_fn handler;
} admin_page;

typedef struct {
	const admin_page *pages;
	size_t n;
} admin_page_table;

/* The section tables (articles.c, taxonomy.c, media.c, moderation.c). */
extern const admin_page_table admin_article_table;
extern const admin_page_table admin_taxonomy_table;
extern const admin_page_table admin_media_table;
extern const admin_page_table admin_moderation_table;
extern const admin_page_table admin_register_table;
extern const admin_page_table admin_storage_table;
extern const admin_page_table admin_council_table;
extern const admin_page_table admin_inventory_table;
extern const admin_page_table admin_correction_table;
extern const admin_page_table admin_register_io_table;
extern const admin_page_table admin_numbering_table;
extern const admin_page_table admin_care_table;
extern const admin_page_table admin_print_register_table;
extern const admin_page_table admin_print_records_table;
extern const admin_page_table admin_labels_table;
extern const admin_page_table admin_photos_table;
extern const admin_page_table admin_donor_table;
extern const admin_page_table admin_acquisition_table;
extern const admin_page_table admin_exhibition_table;
extern const admin_page_table admin_publication_table;
extern const admin_page_table admin_plan_table;
extern const admin_page_table admin_unit_table;
extern const admin_page_table admin_task_table;
extern const admin_page_table admin_award_table;
extern const admin_page_table admin_emulation_table;
extern const admin_page_table admin_report_table;

/* Form fields longer than this are refused before any other work. */
#define ADMIN_FIELD_MAX 512

/* ---- auth.c ---- */

/* True when the site is served over HTTPS (base_url starts with https://):
 * cookies then get Secure and the __Host- prefix. */
bool admin_https(const http_req *req);
/* "__Host-sen_session" or "sen_session"; "__Host-sen_pre" or "sen_pre". */
const char *admin_session_cookie(const http_req *req);
const char *admin_pre_cookie(const http_req *req);
/* Sets cookie `name` to value (NULL: deletes it) with HttpOnly,
 * SameSite=Strict, Path=/ and, over HTTPS, Secure. 0 or -1. */
int admin_cookie_set(http_req *req, http_res *res, const char *name, const char *value);
/* The current time (Unix seconds). */
int64_t admin_now(void);
/* The site secret (model/session.h). 0 or -1. */
int admin_site_key(unsigned char key[SESSION_KEY_BYTES]);
/* Fills an audit actor for the request (address hashed). addr must hold
 * AUDIT_ADDRESS_LEN + 1 bytes and outlive *out. */
void admin_actor(http_req *req, const admin_user *user, audit_actor *out,
		 char addr[AUDIT_ADDRESS_LEN + 1]);
/* Loads security/common-passwords.txt from the share folder once per
 * process; later calls do nothing. Without it, passwords cannot be set. */
void admin_common_passwords(http_req *req);
/* A form field, or "" when absent; NULL when longer than max bytes. */
const char *admin_field(http_req *req, const char *name, size_t max);
/* Whether a destructive form's confirmation box ("xac-nhan", the partial
 * admin/confirm) was ticked: what cannot be undone is never done on one
 * stray click. */
bool admin_confirmed(http_req *req);
/* For a handler about one row: the id of the route's :id (its first
 * capture) and this thread's connection. 0, or the status to answer: 404
 * when the id is missing or malformed, 500 without a database. */
int admin_route_row(http_req *req, int64_t *id, db_t **db);
/* The status for a model getter's answer: 0 when found, 404 for 1 (no such
 * row), 500 for anything else. */
int admin_get_status(int rc);

/* ---- page.c ---- */

/* The catalog key of the notice a page shows after a redirect with
 * ?ok=WORD, among pairs {word, key, word, key, ..., NULL}; NULL when there
 * is no ?ok= or the word is not one of them. */
const char *admin_notice(http_req *req, const char *const *pairs);

/* The label of a role in the request's language. */
const char *admin_role_label(http_req *req, int role);

/* True when role may use what is open to roles (enum user_role bits, as in
 * a route's access; admins may use everything, 0 means admins only). */
bool admin_may(int role, unsigned roles);

/* ---- print_page.c ---- */

/*
 * The context of a printed page (themes/default/admin/print_layout): the
 * back office's context without its menu, with back_url (the page the
 * print belongs to), printed_on (today, dd/mm/yyyy) and whether the paper
 * is landscape (else A4 portrait). NULL when out of memory.
 */
json_t *admin_print_context(http_req *req, const admin_user *me, const char *title_key,
			    const char *back_url, bool landscape);

/* Appends a signature block to ctx's "signs" (admin/print_signs): the
 * role (catalog key) over "(Ký, ghi rõ họ tên)", and the name below it
 * (may be ""). */
void admin_print_sign(http_req *req, json_t *ctx, const char *role_key, const char *name);

/* A number as the reader's language writes it: 697.826 / 697,826. */
const char *admin_print_int(http_req *req, int64_t v);

/* ---- award_page.c ---- */

/* The award history of unit unit_id (person_id 0) or person person_id
 * (unit_id 0), newest first, for themes/default/partials/award_history:
 * sets ctx's award_history [{url, number, on, form, year, achievement,
 * issuer, revoked, revoked_on}] and has_award_history. 0 or -1. */
int admin_award_history(http_req *req, db_t *db, json_t *ctx, int64_t unit_id, int64_t person_id);

/* ---- org_shared.c, task_page.c (issue 14: units, staff, key tasks) ---- */

#define ADMIN_PATH_UNITS "/admin/don-vi"
#define ADMIN_PATH_STAFF "/admin/nhan-su"
#define ADMIN_PATH_TASKS "/admin/nhiem-vu"

/* [{value, label, selected}] of the open units in tree order (the label
 * indented by depth), leaving out unit except; NULL on a storage error. */
json_t *admin_unit_choices(http_req *req, db_t *db, int64_t except, const char *selected);

/* {url, title, lead, support, person, starts, due, status, status_code,
 * overdue, percent, indicator} of one task. */
json_t *admin_task_json(http_req *req, const task *t);

/* Sets ctx's tasks [{url, title, lead, support, person, starts, due, status,
 * status_code, overdue, percent, indicator}], has_tasks and overdue_count
 * for the tasks that pass flt (themes/default/partials/task_rows). 0 or -1. */
int admin_task_rows(http_req *req, db_t *db, json_t *ctx, const task_filter *flt);

/* For an account linked to a staff record: sets ctx's my_tasks to the
 * admin_task_rows of the tasks they are in charge of or their unit leads
 * or supports. Nothing for an account with no staff record. 0 or -1. */
int admin_my_tasks_block(http_req *req, db_t *db, json_t *ctx, const admin_user *me);

/* ---- login.c ---- */

/* The catalog key ("admin_pw_short" ...) of a refusal of the password policy
 * (user_password_check), for the account and password pages. */
const char *admin_password_problem_key(enum user_password_problem p);

/* The login page with status (200, 401, 403, 429 ...), an optional message
 * (catalog key), the seconds to wait (429) and the name to keep in the
 * form. Makes the pre-session cookie when the request has none. */
int admin_login_page(http_req *req, http_res *res, int status, const char *message_key,
		     int64_t wait, const char *name);

int admin_login_form(http_req *req, http_res *res, const admin_user *user);
int admin_login_submit(http_req *req, http_res *res, const admin_user *user);
int admin_logout(http_req *req, http_res *res, const admin_user *user);
int admin_password_form(http_req *req, http_res *res, const admin_user *user);
int admin_password_submit(http_req *req, http_res *res, const admin_user *user);

/* ---- dashboard.c ---- */

int admin_dashboard(http_req *req, http_res *res, const admin_user *user);

/* ---- accounts.c ---- */

int admin_users_page(http_req *req, http_res *res, const admin_user *user);
int admin_user_add(http_req *req, http_res *res, const admin_user *user);
int admin_user_role(http_req *req, http_res *res, const admin_user *user);
int admin_user_disable(http_req *req, http_res *res, const admin_user *user);
int admin_user_enable(http_req *req, http_res *res, const admin_user *user);

/* ---- stats_page.c (routed from moderation.c's table) ---- */

int admin_stats_page(http_req *req, http_res *res, const admin_user *me);

/* ---- audit_page.c ---- */

int admin_audit_page(http_req *req, http_res *res, const admin_user *user);

#endif
