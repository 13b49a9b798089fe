/*
 * audit.h - the audit log: who did what to what, when, from where (hashed).
 *
 * Entries are only ever added. Every change made through the back office
 * or `sen user` adds one, in the same spirit as a paper register: logins,
 * failed logins, logouts, password changes, accounts added, role changes,
 * accounts disabled and enabled; later screens add publish, unpublish,
 * delete and settings with their own action names.
 *
 * Strings in returned structs live in the caller's arena. 0 or -1 (logged).
 */
#ifndef SEN_MODEL_AUDIT_H
#define SEN_MODEL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define AUDIT_ACTION_MAX 40        /* a-z and '_' */
#define AUDIT_TARGET_MAX 200       /* bytes; longer is cut at a character boundary */
#define AUDIT_DETAILS_MAX 1000     /* bytes; likewise */
#define AUDIT_ADDRESS_LEN 32       /* hex digits of the keyed address hash */
#define AUDIT_PAGE_MAX 200         /* entries one audit_list() call returns at most */

/* The actions this part of the back office writes. Later screens add theirs
 * to audit_actions[] in audit.c so the log page can filter by them. */
#define AUDIT_LOGIN "login"
#define AUDIT_LOGIN_FAILED "login_failed"
#define AUDIT_LOGOUT "logout"
#define AUDIT_PASSWORD_CHANGE "password_change"   /* by the user, old one re-entered */
#define AUDIT_PASSWORD_RESET "password_reset"     /* by `sen user passwd` */
#define AUDIT_USER_ADD "user_add"
#define AUDIT_USER_ROLE "user_role"
#define AUDIT_USER_DISABLE "user_disable"
#define AUDIT_USER_ENABLE "user_enable"
/* Editorial, media, moderation and settings. */
#define AUDIT_ARTICLE_CREATE "article_create"
#define AUDIT_ARTICLE_SUBMIT "article_submit"
#define AUDIT_ARTICLE_PUBLISH "article_publish"
#define AUDIT_ARTICLE_SCHEDULE "article_schedule"
#define AUDIT_ARTICLE_UNPUBLISH "article_unpublish"
#define AUDIT_ARTICLE_RETURN "article_return"     /* sent back to draft */
#define AUDIT_ARTICLE_RESTORE "article_restore"
#define AUDIT_ARTICLE_DELETE "article_delete"
#define AUDIT_MEDIA_UPLOAD "media_upload"
#define AUDIT_MEDIA_DELETE "media_delete"
#define AUDIT_COMMENT_MODERATE "comment_moderate"
#define AUDIT_CATEGORY_CHANGE "category_change"
#define AUDIT_TAG_CHANGE "tag_change"
#define AUDIT_LINK_CHANGE "link_change"
#define AUDIT_SETTINGS_CHANGE "settings_change"
/* The register (issue 12). */
#define AUDIT_OBJECT_INTAKE "object_intake"
/* Storage, inventory, import and the card's conditions and photos (each its own action). */
#define AUDIT_LOCATION_CHANGE "location_change"
#define AUDIT_OBJECT_MOVE "object_move"
#define AUDIT_INVENTORY_CHANGE "inventory_change"
#define AUDIT_OBJECT_IMPORT "object_import"
#define AUDIT_OBJECT_CARE "object_care"
#define AUDIT_OBJECT_PHOTOS "object_photos"   /* the card's photos: not a register entry */
/* The Scientific Council. */
#define AUDIT_COUNCIL_SESSION "council_session"
#define AUDIT_COUNCIL_DECISION "council_decision"   /* acceptance gives the number */
#define AUDIT_OBJECT_CORRECT "object_correct"       /* a correction entry of a registered card */
#define AUDIT_OBJECT_EDIT "object_edit"   /* an intake card, or what a registered entry does not record */
#define AUDIT_REGISTER_PATTERN "register_pattern"   /* a register's prefix and number pattern */
#define AUDIT_DONOR_CHANGE "donor_change"           /* a source of objects added or edited */
#define AUDIT_ACQUISITION_CHANGE "acquisition_change" /* an acquisition added or edited */
#define AUDIT_EXHIBITION_CHANGE "exhibition_change" /* an exhibition, its objects, photos, visitors */
#define AUDIT_PUBLICATION_CHANGE "publication_change" /* a publication added, edited or deleted */
#define AUDIT_PLAN_CHANGE "plan_change" /* a year's plan, an indicator or a check-in added */
#define AUDIT_AWARD_CHANGE "award_change" /* a campaign, registration or award decision (revocation too) */
#define AUDIT_UNIT_CHANGE "unit_change"     /* a unit added, edited, closed or deleted */
#define AUDIT_PERSON_CHANGE "person_change" /* a staff member added or edited */
#define AUDIT_TASK_CHANGE "task_change"     /* a key task, its status or a progress note */

/* Every known action, NULL-terminated, in the order the filter lists them. */
extern const char *const audit_actions[];

/* Who acted, as the entry records it. */
typedef struct {
	int64_t user_id;           /* 0 = nobody (command line, unknown account) */
	const char *user_name;     /* may be NULL or "" */
	const char *address;       /* audit_address_hash() output, or NULL / "" */
} audit_actor;

/* The keyed hash of a client address (32 hex digits and a NUL), with the
 * site secret (session_site_key), so entries from one address can be told
 * together without keeping the address. */
void audit_address_hash(const unsigned char secret[32], const char *addr,
			char out[AUDIT_ADDRESS_LEN + 1]);

/* True for an action name audit_add() accepts: 1..40 of a-z and '_'. */
bool audit_action_valid(const char *action);

/*
 * Adds one entry at `now`. target and details may be NULL; they are cut to
 * their limits at a UTF-8 boundary (invalid UTF-8 and control characters
 * become '?'). Inside the caller's transaction when one is open.
 * 0, or -1 (logged; also for an invalid action name).
 */
int audit_add(db_t *db, int64_t now, const audit_actor *who, const char *action,
	      const char *target, const char *details);

typedef struct {
	int64_t id;
	int64_t at;
	int64_t user_id;           /* 0 when none */
	const char *user_name;
	const char *action;
	const char *target;
	const char *details;
	const char *address;
} audit_entry;

/* Filters for audit_list(); zero fields do not filter. */
typedef struct {
	int64_t user_id;
	const char *action;        /* NULL or "" = any */
	int64_t from;              /* at >= from (0 = no bound) */
	int64_t to;                /* at < to (0 = no bound) */
	int64_t before_id;         /* keyset: only entries with id < before_id */
} audit_filter;

/*
 * Entries newest first (by id), filtered; up to `limit` (1..AUDIT_PAGE_MAX)
 * into *items (arena), *has_more when more follow; the next page starts at
 * before_id = the last id returned. 0 or -1.
 */
int audit_list(db_t *db, arena_t *a, const audit_filter *f, int limit, audit_entry **items,
	       size_t *n, bool *has_more);

#endif
