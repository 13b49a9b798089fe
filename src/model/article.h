/*
 * article.h - news articles: the portal's main entity.
 *
 * All strings in returned structs are allocated in the caller's arena.
 * Functions return 0 on success, 1 for "not found" where noted, -1 on a
 * storage error (already logged). Times are Unix seconds (UTC).
 *
 * Public readers see an article only when status is ARTICLE_PUBLISHED and
 * published_at <= now. body_html is rendered from body_md when the article
 * is written (markdown.h), so reading never runs the Markdown parser.
 */
#ifndef SEN_MODEL_ARTICLE_H
#define SEN_MODEL_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/article_sql.h"
#include "model/problem.h"

enum article_status {
	ARTICLE_DRAFT = 0,
	ARTICLE_REVIEW = 1,
	ARTICLE_PUBLISHED = 2,
	ARTICLE_UNPUBLISHED = 3,
};

/* Limits every writer enforces (importer, back office, API). */
#define ARTICLE_TITLE_MAX 300      /* bytes */
#define ARTICLE_SUMMARY_MAX 2000   /* bytes */
#define ARTICLE_BODY_MAX (512 * 1024)
#define ARTICLE_TAGS_MAX 20
#define ARTICLE_TAG_MAX 64
#define ARTICLE_IMAGES_MAX 50
#define ARTICLE_CAPTION_MAX 500

typedef struct {
	const char *file;     /* media file name, e.g. "a1b2c3.png" */
	const char *caption;
	int width, height;    /* pixels, 0 if unknown */
} article_image;

typedef struct {
	int64_t id;
	int64_t category_id;
	const char *category_slug;
	const char *category_name;
	const char *slug;
	const char *title;
	const char *summary;      /* plain text, may be "" */
	const char *body_md;      /* only filled by article_get() */
	const char *body_html;    /* only filled by article_get() */
	const char *image;        /* thumbnail: file of the first image, or NULL */
	const char *image_caption;
	int64_t published_at;
	int64_t updated_at;
	int status;
	const char **tags;        /* only filled by article_get() */
	size_t ntags;
	/* Back office only (article_get_any, article_admin_list); 0 / NULL
	 * elsewhere. */
	int64_t author_id;        /* 0 = none (imported) */
	const char *author_name;  /* login name, or NULL */
} article;

/* A position in a listing ordered newest first: (published_at, id). */
typedef struct {
	int64_t published_at;
	int64_t id;
} article_cursor;

/* Encodes as "PUBLISHEDAT-ID" in base 10 (out >= 48 bytes). */
void article_cursor_encode(const article_cursor *c, char *out, size_t outlen);
/* 0, or -1 for anything malformed or out of range. */
int article_cursor_decode(const char *s, article_cursor *c);

/* One published article by id, with body, tags and images.
 * 0 found, 1 not found or not public. */
int article_get(db_t *db, arena_t *a, int64_t id, article *out);

/* Whether article id is public at now (published, and published_at <= now):
 * the rule readers' votes and CAPTCHAs share. 1 yes, 0 no, -1. In its own
 * file (article_public.c) in the widgets library, which links without the
 * rest of the article model. */
int article_public(db_t *db, int64_t id, int64_t now);

/* Images of an article in order. */
int article_images(db_t *db, arena_t *a, int64_t id, article_image **items, size_t *n);

/*
 * Published articles newest first (no body), optionally only one category
 * (category_id 0 = all), starting after `after` (NULL = from the newest).
 * Keyset pagination: the cost does not grow with the page number.
 * Fills up to `limit` items; *has_more tells whether more follow.
 */
int article_list(db_t *db, arena_t *a, int64_t category_id, const article_cursor *after,
		 int limit, article **items, size_t *n, bool *has_more);

/* Published article count, optionally per category (0 = all). */
int article_count(db_t *db, int64_t category_id, int64_t *count);

/* What a writer supplies. */
typedef struct {
	const char *title;
	const char *summary;     /* NULL or "" = made from the body */
	const char *body_md;
	int64_t category_id;
	int64_t published_at;
	int status;
	const char **tags;
	size_t ntags;
	const article_image *images; /* files already in the media store */
	size_t nimages;
	int64_t author_id;       /* article_create only; 0 = none (importer) */
} article_input;

/* Why article_validate() refuses an input (model_problem.code; problem.h).
 * The field is "title", "summary", "body", "category", "status",
 * "published_at", "tags", "images" or "captions"; for the last three, item is
 * the 1-based tag or picture at fault. TOO_LONG (bytes) and TOO_MANY carry
 * the limit; TOO_LONG of a whole field also the length found. */
enum article_problem {
	ARTICLE_OK = 0,
	ARTICLE_INPUT_MISSING,   /* no input, or a count without its list */
	ARTICLE_EMPTY,           /* blank title or tag; no category chosen */
	ARTICLE_TOO_LONG,
	ARTICLE_TOO_MANY,        /* tags or pictures */
	ARTICLE_NOT_UTF8,
	ARTICLE_CONTROL,         /* a control character (line breaks only in the summary) */
	ARTICLE_NO_WORD,         /* a tag without a letter or digit */
	ARTICLE_BAD_FILE,        /* a picture's file name is not a plain name */
	ARTICLE_OUT_OF_RANGE,    /* status or publication time */
};

/*
 * Checks an input against the limits above (lengths, valid UTF-8, title
 * not blank, category set). Returns 0, or -1 with the first problem found
 * (p may be NULL), the fields in the order of the enum's comment.
 */
int article_validate(const article_input *in, model_problem *p);

/* Creates an article (inside the caller's transaction if one is open).
 * Renders body_html, makes the slug from the title. 0 and *id, or -1. */
int article_create(db_t *db, const article_input *in, int64_t *id);

/* ---- the back office (editorial workflow) ------------------------------------ */

/* The bytes of the longest list of tags written as "a, b, c". */
#define ARTICLE_TAGS_TEXT_MAX (ARTICLE_TAGS_MAX * (ARTICLE_TAG_MAX + 2))

/*
 * One article by id whatever its status or publication time, with body,
 * tags, author_id and author_name (the back office). 0 found, 1 not found.
 */
int article_get_any(db_t *db, arena_t *a, int64_t id, article *out);

/*
 * Replaces the content of an article: title (and so the slug), summary,
 * body (and body_html), category, tags and pictures (the first picture is
 * the thumbnail). Status, publication time and author are left alone
 * (in->status, in->published_at and in->author_id are not read, though
 * in->status must still be valid for article_validate). Inside the
 * caller's transaction if one is open. 0, 1 not found, -1 refused or error
 * (logged).
 */
int article_update(db_t *db, int64_t id, const article_input *in);

/* What someone may do with an article (article_may). */
enum article_action {
	ARTICLE_VIEW = 0,         /* open it in the back office */
	ARTICLE_EDIT,             /* change its content, restore a revision */
	ARTICLE_SUBMIT,           /* draft -> awaiting review */
	ARTICLE_PUBLISH,          /* -> published, now or at a later time */
	ARTICLE_UNPUBLISH,        /* published -> unpublished */
	ARTICLE_RETURN,           /* awaiting review / unpublished -> draft */
	ARTICLE_DELETE,
};

/*
 * The workflow's rules in one place. role is one enum user_role bit (model/
 * user.h), user_id the account acting, author_id and status the article's.
 *   admin, editor: everything, in every status where the action makes sense
 *                  (publish from any status, which also reschedules a
 *                  published one; unpublish a published one; return a
 *                  submitted or unpublished one to draft).
 *   author:        view own articles; edit and submit own drafts; nothing
 *                  else, and nothing once submitted or published.
 *   moderator:     nothing.
 * ARTICLE_SUBMIT needs a draft, ARTICLE_UNPUBLISH a published article,
 * ARTICLE_RETURN one awaiting review or unpublished, whoever asks.
 */
bool article_may(int role, int64_t user_id, int64_t author_id, int status,
		 enum article_action action);

/* Why article_transition refused. */
enum {
	ARTICLE_TRANSITION_OK = 0,
	ARTICLE_TRANSITION_NOT_FOUND = 1,
	ARTICLE_TRANSITION_FORBIDDEN = 2,  /* article_may said no */
	ARTICLE_TRANSITION_BAD_TIME = 3,   /* publication time out of range */
};

/*
 * Moves an article through the workflow (ARTICLE_SUBMIT, _PUBLISH,
 * _UNPUBLISH, _RETURN) after checking article_may() inside the write
 * transaction, so two people acting at once cannot both pass a check made
 * on a stale status. For ARTICLE_PUBLISH, `when` is the publication time
 * (0 = now); a time after `now` schedules it: the article is published
 * but stays invisible until then. *from (may be NULL) gets the status it
 * had. Updates updated_at to now. Returns ARTICLE_TRANSITION_* or -1.
 */
int article_transition(db_t *db, int64_t id, int role, int64_t user_id,
		       enum article_action action, int64_t when, int64_t now, int *from);

/* Deletes an article with its tags, pictures, revisions and widgets (all
 * cascade). 0, 1 not found, -1. */
int article_delete(db_t *db, int64_t id);

/*
 * The earliest publication time after `after` of a published article:
 * when a scheduled article will appear by itself. *at = 0 when there is
 * none. The public page cache expires its pages at that time. 0 or -1.
 */
int article_next_scheduled(db_t *db, int64_t after, int64_t *at);

/* Filters of the back-office list; zero fields do not filter. */
typedef struct {
	int status;               /* -1 = any, else enum article_status */
	int64_t category_id;
	int64_t author_id;        /* authors always get their own id here */
	const char *q;            /* part of the title (ASCII case ignored) */
	int64_t published_after;  /* only published_at > this (scheduled ones: now) */
	bool oldest_first;        /* the review queue: longest waiting first */
	int64_t offset;           /* rows to skip (paging) */
} article_filter;

#define ARTICLE_ADMIN_PAGE_MAX 100
#define ARTICLE_QUERY_MAX 200     /* bytes of the title search */

/*
 * Articles of any status for the back office, newest change first (or
 * oldest first), filtered; up to limit (1..ARTICLE_ADMIN_PAGE_MAX) with
 * author_name, no body. *total (may be NULL) gets how many match. 0 or -1.
 */
int article_admin_list(db_t *db, arena_t *a, const article_filter *f, int limit,
		       article **items, size_t *n, int64_t *total);

/* A picture of the media store the editor can choose. */
typedef struct {
	int64_t id;
	const char *file;
	const char *original_name;
	const char *alt;
	int width, height;
} article_media_choice;

/* The newest pictures of the media store (up to limit, at most 200), for
 * the editor's picture lists. 0 or -1. */
int article_media_choices(db_t *db, arena_t *a, int limit, article_media_choice **items,
			  size_t *n);

#endif
