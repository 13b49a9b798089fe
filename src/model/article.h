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
} article_input;

/*
 * Checks an input against the limits above (lengths, valid UTF-8, title
 * not blank, category set). Returns 0, or -1 with a Vietnamese message
 * in why ("Tiêu đề không được để trống.").
 */
int article_validate(const article_input *in, char *why, size_t whylen);

/* Creates an article (inside the caller's transaction if one is open).
 * Renders body_html, makes the slug from the title. 0 and *id, or -1. */
int article_create(db_t *db, const article_input *in, int64_t *id);

#endif
