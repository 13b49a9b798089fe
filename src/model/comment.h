/*
 * comment.h - "Bình luận": readers' comments under an article, moderated.
 *
 * A new comment is pending; editors approve, reject or mark it as spam, and
 * only approved comments are shown. A comment keeps the visitor id of its
 * author (visitor.h), never an address, and an optional email that is never
 * shown to the public.
 *
 * Limits count characters (Unicode code points), because that is what a
 * reader counts: name 1..100, body 1..4000, email at most 254 bytes. Text
 * that is too long is refused (with the limit and the actual count in the
 * problem, for the message), never cut. Before counting and storing, surrounding white
 * space is trimmed and CR LF line ends become LF (browsers send CR LF while
 * their maxlength counts one character).
 *
 * All strings in returned structs are allocated in the caller's arena.
 * Functions return 0 on success, 1 for "not found" where noted, -1 on a
 * storage error (already logged). Times are Unix seconds (UTC).
 */
#ifndef SEN_MODEL_COMMENT_H
#define SEN_MODEL_COMMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/problem.h"

enum comment_status {
	COMMENT_PENDING = 0,
	COMMENT_APPROVED = 1,
	COMMENT_REJECTED = 2,
	COMMENT_SPAM = 3,
};

#define COMMENT_NAME_MAX 100     /* characters */
#define COMMENT_EMAIL_MAX 254    /* bytes (RFC 5321 path limit) */
#define COMMENT_BODY_MAX 4000    /* characters */
#define COMMENT_LINKS_MAX 2      /* http://, https:// or www. in the body */
#define COMMENT_LIST_MAX 200     /* largest page of a listing */

typedef struct {
	int64_t id;
	int64_t article_id;
	const char *name;
	const char *email;      /* NULL in public listings */
	const char *body;       /* plain text with LF line ends; escape when shown */
	const char *visitor;    /* NULL in public listings */
	int status;
	int64_t created_at;
} comment;

/* What a reader submits. */
typedef struct {
	int64_t article_id;
	const char *name;
	const char *email;      /* NULL or "" = none */
	const char *body;
	const char *visitor;    /* visitor id (visitor.h), NULL or "" = unknown */
} comment_input;

/* Why a submission is refused (model_problem.code; problem.h). The field
 * is "name", "email", "body" or "captcha"; the LONG codes and LINKS carry
 * the limit and the count found (characters; bytes for the email). */
enum comment_problem {
	COMMENT_OK = 0,
	COMMENT_NAME_MISSING,        /* blank after trimming */
	COMMENT_NAME_LONG,           /* more than COMMENT_NAME_MAX characters */
	COMMENT_NAME_NEWLINE,        /* CR, LF, U+2028 or U+2029 */
	COMMENT_NAME_INVALID,        /* another control character */
	COMMENT_NAME_LINK,           /* http://, https:// or www. */
	COMMENT_EMAIL_LONG,          /* more than COMMENT_EMAIL_MAX bytes */
	COMMENT_EMAIL_INVALID,       /* not local@domain.tld */
	COMMENT_BODY_MISSING,
	COMMENT_BODY_LONG,           /* more than COMMENT_BODY_MAX characters */
	COMMENT_BODY_INVALID,        /* controls other than tab and newlines */
	COMMENT_BODY_LINKS,          /* more than COMMENT_LINKS_MAX links */
	COMMENT_NOT_UTF8,            /* the field is not UTF-8 */
	COMMENT_CAPTCHA_WRONG,       /* comment_add_answered(): wrong, expired or used */
};

/*
 * Checks a submission. Returns 0, or -1 with the first problem found
 * (problem may be NULL): the name, then the email, then the body; invalid
 * UTF-8 is reported before anything else about its field.
 */
int comment_validate(const comment_input *in, model_problem *problem);

/*
 * Validates and stores a pending comment on a published article, created at
 * now. Committed before returning, or inside the caller's transaction.
 * Returns 0 and *id, 1 when the article does not exist or is not public,
 * 2 when the input is refused (*problem as comment_validate()),
 * -1 on a storage error.
 */
int comment_add(db_t *db, const comment_input *in, int64_t now, int64_t *id,
		model_problem *problem);

/*
 * What a reader's submission goes through: the text is checked (a refusal
 * leaves the CAPTCHA unspent), then the CAPTCHA's answer is checked and the
 * CAPTCHA consumed whatever the result, and only when it passes is the
 * comment stored, all in one transaction: a stored comment always had a
 * good answer. A CAPTCHA made without an article (captcha.h) passes on any.
 * answer NULL counts as wrong. Returns as comment_add(), with
 * COMMENT_CAPTCHA_WRONG (field "captcha") among the refusals; when the
 * article is gone or storage fails, the CAPTCHA is not spent.
 */
int comment_add_answered(db_t *db, const comment_input *in, const char *captcha_id,
			 const char *answer, int64_t now, int64_t *id, model_problem *problem);

/*
 * Approved comments of an article, oldest first, after comment id after_id
 * (0 = from the first), at most limit (1..COMMENT_LIST_MAX). email and
 * visitor are left NULL. *has_more tells whether more follow.
 */
int comment_list_approved(db_t *db, arena_t *a, int64_t article_id, int64_t after_id,
			  int limit, comment **items, size_t *n, bool *has_more);

/* Number of approved comments of an article. 0 or -1. */
int comment_count_approved(db_t *db, int64_t article_id, int64_t *count);

/*
 * For moderation: comments newest first, every field filled. status -1 =
 * any status; article_id 0 = every article; before_id 0 = from the newest,
 * otherwise only ids below it. limit 1..COMMENT_LIST_MAX.
 */
int comment_list(db_t *db, arena_t *a, int status, int64_t article_id, int64_t before_id,
		 int limit, comment **items, size_t *n, bool *has_more);

/* One comment by id, any status, every field. 0, 1 not found, -1. */
int comment_get(db_t *db, arena_t *a, int64_t id, comment *out);

/* Number of comments with a status (-1 = all), e.g. the pending queue. */
int comment_count(db_t *db, int status, int64_t *count);

/* Sets the status of a comment. 0, 1 not found, -1 (also for a status
 * outside enum comment_status, logged). */
int comment_set_status(db_t *db, int64_t id, int status);

/* Deletes a comment for good. 0, 1 not found, -1. */
int comment_delete(db_t *db, int64_t id);

/* How many comments this visitor has sent at or after `since` (any status),
 * for the handler's flood limits. 0 or -1. */
int comment_recent_count(db_t *db, const char *visitor, int64_t since, int64_t *count);

/* "pending", "approved", "rejected", "spam" (NULL for anything else), and
 * back (-1 for an unknown name). For the CLI and the back office. */
const char *comment_status_name(int status);
int comment_status_parse(const char *name);

/* ---- moderation (the back office's queue) ---------------------------------- */

#define COMMENT_BULK_MAX 200     /* ids one bulk change takes at most */
#define COMMENT_STATUS_COUNT 4   /* the values of enum comment_status */

/* A comment in the moderation queue with the article it belongs to. The
 * article's strings are in the caller's arena like the comment's. */
typedef struct {
	comment c;
	const char *article_title;
	const char *article_slug;
	const char *category_slug;
	int article_status;          /* enum article_status */
	int64_t article_published_at;
} comment_entry;

/*
 * Number of comments in each status, in one query: counts[COMMENT_PENDING]
 * ... counts[COMMENT_SPAM]; statuses without comments are 0. 0 or -1.
 */
int comment_count_by_status(db_t *db, int64_t counts[COMMENT_STATUS_COUNT]);

/*
 * The queue of one status (not -1), newest first, with the article's title
 * and slugs, before comment id before_id (0 = from the newest), at most
 * limit (1..COMMENT_LIST_MAX); *has_more tells whether older ones follow.
 * Keyset pagination on the index comments_status, so any page costs what
 * the first costs. 0 or -1.
 */
int comment_list_entries(db_t *db, arena_t *a, int status, int64_t before_id, int limit,
			 comment_entry **items, size_t *n, bool *has_more);

/*
 * Sets the status of up to COMMENT_BULK_MAX comments in one transaction
 * (inside the caller's when one is open): all of them or none. Ids that do
 * not exist and comments already in that status are skipped; *changed gets
 * how many changed. 0, or -1 (also for n > COMMENT_BULK_MAX or a status
 * outside enum comment_status; nothing changed, logged).
 */
int comment_set_status_many(db_t *db, const int64_t *ids, size_t n, int status, size_t *changed);

/* Deletes up to COMMENT_BULK_MAX comments in one transaction, all or none;
 * *changed gets how many existed. 0 or -1 (nothing deleted, logged). */
int comment_delete_many(db_t *db, const int64_t *ids, size_t n, size_t *changed);

#endif
