/*
 * article.c - news articles: reading for the portal, validating and
 * creating for writers (importer, back office).
 */
#include "model/article.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "model/user.h"
#include "render/markdown.h"

_Static_assert(ARTICLE_PUBLISHED == 2, "ARTICLE_PUBLISHED_SQL (article.h) spells the status as 2");

#define LIST_MAX 100              /* items per page, whatever the caller asks */
#define SUMMARY_AUTO_BYTES 300    /* summary made from the body */
#define SLUG_MAX 96               /* text_slug() writes at most 80 bytes */
#define TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */
#define CURSOR_TEXT_MAX 41        /* 19 digits + '-' + 19 digits + spare */
#define FILE_NAME_MAX 100         /* media.file, as in sql/001_init.sql */

/* ---- reading ----------------------------------------------------------------- */

/* Columns shared by article_get() and article_list(); body columns are
 * NULL in the listing so the two can share fill_row(). */
/* The thumbnail is read by scalar subqueries rather than a LEFT JOIN: with
 * few pictures the planner would otherwise scan media for every row. */
#define ARTICLE_COLUMNS \
	"a.id, a.category_id, c.slug, c.name, a.slug, a.title, a.summary, " \
	"(SELECT m.file FROM media m WHERE m.id = a.image_id), " \
	"(SELECT ai.caption FROM article_images ai " \
	"WHERE ai.article_id = a.id AND ai.media_id = a.image_id " \
	"ORDER BY ai.position LIMIT 1), " \
	"a.published_at, a.updated_at, a.status"
#define ARTICLE_FROM " FROM articles a JOIN categories c ON c.id = a.category_id"

static int fill_row(arena_t *a, db_stmt *st, article *out)
{
	bool oom = false;
	memset(out, 0, sizeof(*out));
	out->id = db_col_int64(st, 0);
	out->category_id = db_col_int64(st, 1);
	out->category_slug = db_col_copy(a, st, 2, "", &oom);
	out->category_name = db_col_copy(a, st, 3, "", &oom);
	out->slug = db_col_copy(a, st, 4, "", &oom);
	out->title = db_col_copy(a, st, 5, "", &oom);
	out->summary = db_col_copy(a, st, 6, "", &oom);
	out->image = db_col_copy(a, st, 7, NULL, &oom);
	out->image_caption = out->image != NULL ? db_col_copy(a, st, 8, "", &oom) : NULL;
	out->published_at = db_col_int64(st, 9);
	out->updated_at = db_col_int64(st, 10);
	out->status = (int)db_col_int64(st, 11);
	if (oom) {
		log_error("article: out of memory");
		return -1;
	}
	return 0;
}

static int load_tags(db_t *db, arena_t *a, article *out)
{
	db_stmt *st = db_prepare(db, "SELECT t.name FROM article_tags at"
				     " JOIN tags t ON t.id = at.tag_id"
				     " WHERE at.article_id = ? ORDER BY at.position, t.id LIMIT ?");
	if (st == NULL)
		return -1;
	const char **tags = arena_calloc(a, ARTICLE_TAGS_MAX, sizeof(*tags));
	bool oom = tags == NULL;
	size_t n = 0;
	int rc = DB_ERROR;
	if (!oom && db_bind_int64(st, 1, out->id) == 0 && db_bind_int64(st, 2, ARTICLE_TAGS_MAX) == 0)
		while ((rc = db_step(st)) == DB_ROW && n < ARTICLE_TAGS_MAX)
			tags[n++] = db_col_copy(a, st, 0, "", &oom);
	db_done(st);
	if (oom) {
		log_error("article: out of memory");
		return -1;
	}
	if (rc != DB_DONE && rc != DB_ROW)
		return -1;
	out->tags = tags;
	out->ntags = n;
	return 0;
}

int article_get(db_t *db, arena_t *a, int64_t id, article *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT " ARTICLE_COLUMNS ", a.body_md, a.body_html"
				     ARTICLE_FROM
				     " WHERE a.id = ? AND " ARTICLE_PUBLIC_SQL("a."));
	if (st == NULL)
		return -1;
	int result = -1;
	if (db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, (int64_t)time(NULL)) != 0)
		goto done;
	int rc = db_step(st);
	if (rc == DB_DONE) {
		result = 1;
		goto done;
	}
	if (rc != DB_ROW || fill_row(a, st, out) != 0)
		goto done;
	bool oom = false;
	out->body_md = db_col_copy(a, st, 12, "", &oom);
	out->body_html = db_col_copy(a, st, 13, "", &oom);
	if (oom) {
		log_error("article: out of memory");
		goto done;
	}
	result = 0;
done:
	db_done(st);
	if (result == 0 && load_tags(db, a, out) != 0)
		result = -1;
	if (result != 0)
		memset(out, 0, sizeof(*out));
	return result;
}

int article_images(db_t *db, arena_t *a, int64_t id, article_image **items, size_t *n)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL)
		return -1;
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT m.file, ai.caption, m.width, m.height"
				     " FROM article_images ai JOIN media m ON m.id = ai.media_id"
				     " WHERE ai.article_id = ? ORDER BY ai.position LIMIT ?");
	if (st == NULL)
		return -1;
	article_image *list = arena_calloc(a, ARTICLE_IMAGES_MAX, sizeof(*list));
	bool oom = list == NULL;
	size_t count = 0;
	int rc = DB_ERROR;
	if (!oom && db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, ARTICLE_IMAGES_MAX) == 0) {
		while (count < ARTICLE_IMAGES_MAX && (rc = db_step(st)) == DB_ROW) {
			article_image *im = &list[count++];
			im->file = db_col_copy(a, st, 0, "", &oom);
			im->caption = db_col_copy(a, st, 1, "", &oom);
			im->width = (int)db_col_int64(st, 2);
			im->height = (int)db_col_int64(st, 3);
		}
	}
	db_done(st);
	if (oom) {
		log_error("article: out of memory");
		return -1;
	}
	if (rc != DB_DONE && rc != DB_ROW)
		return -1;
	*items = list;
	*n = count;
	return 0;
}

/*
 * The page condition is written as
 *   published_at <= B AND (published_at < B OR id < I)
 * with B = min(now, cursor time): a single upper bound on published_at, so
 * the index range starts right at the cursor and the cost of a page does not
 * depend on how deep it is; only rows sharing the cursor's second are
 * filtered on id. (A separate "<= now" next to the cursor bound could let
 * the planner pick the weaker of the two.)
 */
static const char list_all_sql[] =
	"SELECT " ARTICLE_COLUMNS ARTICLE_FROM
	" WHERE " ARTICLE_PUBLIC_SQL("a.") " AND (a.published_at < ? OR a.id < ?)"
	" ORDER BY a.published_at DESC, a.id DESC LIMIT ?";
static const char list_category_sql[] =
	"SELECT " ARTICLE_COLUMNS ARTICLE_FROM
	" WHERE " ARTICLE_PUBLIC_SQL("a.") " AND (a.published_at < ? OR a.id < ?)"
	" AND a.category_id = ?"
	" ORDER BY a.published_at DESC, a.id DESC LIMIT ?";

int article_list(db_t *db, arena_t *a, int64_t category_id, const article_cursor *after,
		 int limit, article **items, size_t *n, bool *has_more)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL || has_more == NULL)
		return -1;
	*items = NULL;
	*n = 0;
	*has_more = false;
	if (limit < 1 || category_id < 0) {
		log_error("article: list with limit %d, category %" PRId64, limit, category_id);
		return -1;
	}
	if (limit > LIST_MAX)
		limit = LIST_MAX;

	int64_t bound = (int64_t)time(NULL), bound_id = INT64_MAX;
	if (after != NULL && after->published_at <= bound) {
		bound = after->published_at;
		bound_id = after->id;
	}
	db_stmt *st = db_prepare(db, category_id > 0 ? list_category_sql : list_all_sql);
	if (st == NULL)
		return -1;
	article *list = arena_calloc(a, (size_t)limit, sizeof(*list));
	int result = -1, rc = DB_ERROR;
	size_t count = 0;
	if (list == NULL) {
		log_error("article: out of memory");
		goto done;
	}
	/* One row more than asked tells whether another page follows. */
	int p = 1;
	if (db_bind_int64(st, p++, bound) != 0 || db_bind_int64(st, p++, bound) != 0 ||
	    db_bind_int64(st, p++, bound_id) != 0 ||
	    (category_id > 0 && db_bind_int64(st, p++, category_id) != 0) ||
	    db_bind_int64(st, p, (int64_t)limit + 1) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		if (count == (size_t)limit) {
			*has_more = true;
			rc = DB_DONE;
			break;
		}
		if (fill_row(a, st, &list[count]) != 0)
			goto done;
		count++;
	}
	if (rc != DB_DONE)
		goto done;
	*items = list;
	*n = count;
	result = 0;
done:
	db_done(st);
	if (result != 0)
		*has_more = false;
	return result;
}

int article_count(db_t *db, int64_t category_id, int64_t *count)
{
	if (db == NULL || count == NULL)
		return -1;
	*count = 0;
	db_stmt *st = db_prepare(db, category_id > 0
		? "SELECT count(*) FROM articles"
		  " WHERE " ARTICLE_PUBLIC_SQL("") " AND category_id = ?"
		: "SELECT count(*) FROM articles WHERE " ARTICLE_PUBLIC_SQL(""));
	if (st == NULL)
		return -1;
	int result = -1;
	if (db_bind_int64(st, 1, (int64_t)time(NULL)) == 0 &&
	    (category_id <= 0 || db_bind_int64(st, 2, category_id) == 0) && db_step(st) == DB_ROW) {
		*count = db_col_int64(st, 0);
		result = 0;
	}
	db_done(st);
	return result;
}

/* ---- cursors ----------------------------------------------------------------- */

void article_cursor_encode(const article_cursor *c, char *out, size_t outlen)
{
	if (out == NULL || outlen == 0)
		return;
	snprintf(out, outlen, "%" PRId64 "-%" PRId64, c->published_at, c->id);
}

/* Reads a canonical non-negative decimal (no sign, no leading zero, no
 * overflow) and advances *p past it. */
static int parse_number(const char **p, int64_t *out)
{
	const char *s = *p;
	int64_t v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		int d = *s - '0';
		if (v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

int article_cursor_decode(const char *s, article_cursor *c)
{
	article_cursor tmp;
	if (s == NULL || c == NULL || strnlen(s, CURSOR_TEXT_MAX + 1) > CURSOR_TEXT_MAX)
		return -1;
	const char *p = s;
	if (parse_number(&p, &tmp.published_at) != 0 || *p++ != '-' ||
	    parse_number(&p, &tmp.id) != 0 || *p != '\0')
		return -1;
	if (tmp.id < 1 || tmp.published_at > TIME_MAX)
		return -1;
	*c = tmp;
	return 0;
}

/* ---- validation ------------------------------------------------------------- */

static size_t text_len(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

/* True when s holds nothing but spaces (ASCII or no-break). */
static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
			continue;
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) {
			i++;
			continue;
		}
		return false;
	}
	return true;
}

/* Control characters: never in a one-line field; in multi-line text only
 * tab, CR and LF pass. */
static bool has_control(const char *s, size_t len, bool multiline)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x7f)
			return true;
		if (c < 0x20 && !(multiline && (c == '\t' || c == '\n' || c == '\r')))
			return true;
	}
	return false;
}

/* ASCII whitespace trimmed from both ends. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
			 s[n - 1] == '\r'))
		n--;
	*len = n;
	return s;
}

/* A refusal about item i (0-based) of a list field. */
static int refuse_item(model_problem *p, int code, const char *field, size_t i, int64_t limit)
{
	model_refuse_limit(p, code, field, limit, 0);
	if (p != NULL)
		p->item = (int)(i + 1);
	return -1;
}

int article_validate(const article_input *in, model_problem *p)
{
	model_problem_clear(p);
	if (in == NULL)
		return model_refuse(p, ARTICLE_INPUT_MISSING, NULL);

	size_t len = text_len(in->title);
	if (len > ARTICLE_TITLE_MAX)
		return model_refuse_limit(p, ARTICLE_TOO_LONG, "title", ARTICLE_TITLE_MAX,
					  (int64_t)len);
	if (!utf8_valid(in->title != NULL ? in->title : "", len))
		return model_refuse(p, ARTICLE_NOT_UTF8, "title");
	if (blank(in->title != NULL ? in->title : "", len))
		return model_refuse(p, ARTICLE_EMPTY, "title");
	if (has_control(in->title, len, false))
		return model_refuse(p, ARTICLE_CONTROL, "title");

	len = text_len(in->summary);
	if (len > ARTICLE_SUMMARY_MAX)
		return model_refuse_limit(p, ARTICLE_TOO_LONG, "summary", ARTICLE_SUMMARY_MAX,
					  (int64_t)len);
	if (len > 0 && !utf8_valid(in->summary, len))
		return model_refuse(p, ARTICLE_NOT_UTF8, "summary");
	if (len > 0 && has_control(in->summary, len, true))
		return model_refuse(p, ARTICLE_CONTROL, "summary");

	len = text_len(in->body_md);
	if (len > ARTICLE_BODY_MAX)
		return model_refuse_limit(p, ARTICLE_TOO_LONG, "body", ARTICLE_BODY_MAX,
					  (int64_t)len);
	if (len > 0 && !utf8_valid(in->body_md, len))
		return model_refuse(p, ARTICLE_NOT_UTF8, "body");

	if (in->category_id <= 0)
		return model_refuse(p, ARTICLE_EMPTY, "category");
	if (in->status < ARTICLE_DRAFT || in->status > ARTICLE_UNPUBLISHED)
		return model_refuse(p, ARTICLE_OUT_OF_RANGE, "status");
	if (in->published_at < 0 || in->published_at > TIME_MAX)
		return model_refuse(p, ARTICLE_OUT_OF_RANGE, "published_at");

	if (in->ntags > ARTICLE_TAGS_MAX)
		return model_refuse_limit(p, ARTICLE_TOO_MANY, "tags", ARTICLE_TAGS_MAX,
					  (int64_t)in->ntags);
	if (in->ntags > 0 && in->tags == NULL)
		return model_refuse(p, ARTICLE_INPUT_MISSING, "tags");
	for (size_t i = 0; i < in->ntags; i++) {
		const char *t = in->tags[i];
		len = text_len(t);
		if (len > ARTICLE_TAG_MAX)
			return refuse_item(p, ARTICLE_TOO_LONG, "tags", i, ARTICLE_TAG_MAX);
		if (!utf8_valid(t != NULL ? t : "", len))
			return refuse_item(p, ARTICLE_NOT_UTF8, "tags", i, 0);
		if (blank(t != NULL ? t : "", len))
			return refuse_item(p, ARTICLE_EMPTY, "tags", i, 0);
		if (has_control(t, len, false))
			return refuse_item(p, ARTICLE_CONTROL, "tags", i, 0);
		char slug[SLUG_MAX];
		if (text_slug(t, len, slug, sizeof slug) == 0)
			return refuse_item(p, ARTICLE_NO_WORD, "tags", i, 0);
	}

	if (in->nimages > ARTICLE_IMAGES_MAX)
		return model_refuse_limit(p, ARTICLE_TOO_MANY, "images", ARTICLE_IMAGES_MAX,
					  (int64_t)in->nimages);
	if (in->nimages > 0 && in->images == NULL)
		return model_refuse(p, ARTICLE_INPUT_MISSING, "images");
	for (size_t i = 0; i < in->nimages; i++) {
		const article_image *im = &in->images[i];
		len = text_len(im->file);
		if (len == 0 || len > FILE_NAME_MAX || has_control(im->file, len, false) ||
		    strchr(im->file, '/') != NULL)
			return refuse_item(p, ARTICLE_BAD_FILE, "images", i, 0);
		len = text_len(im->caption);
		if (len > ARTICLE_CAPTION_MAX)
			return refuse_item(p, ARTICLE_TOO_LONG, "captions", i, ARTICLE_CAPTION_MAX);
		if (len > 0 && !utf8_valid(im->caption, len))
			return refuse_item(p, ARTICLE_NOT_UTF8, "captions", i, 0);
		if (len > 0 && has_control(im->caption, len, false))
			return refuse_item(p, ARTICLE_CONTROL, "captions", i, 0);
	}
	return 0;
}

/* ---- writing ----------------------------------------------------------------- */

/* Finds or creates the tag with this slug and links it to the article. */
static int add_tag(db_t *db, int64_t article_id, const char *name, size_t len, const char *slug,
		   int position)
{
	db_stmt *st = db_prepare(db, "INSERT INTO tags (slug, name) VALUES (?, ?)"
				     " ON CONFLICT (slug) DO NOTHING");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, slug, -1) == 0 && db_bind_text(st, 2, name, (long)len) == 0)
		rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;

	st = db_prepare(db, "INSERT INTO article_tags (article_id, tag_id, position)"
			    " SELECT ?, id, ? FROM tags WHERE slug = ?");
	if (st == NULL)
		return -1;
	rc = DB_ERROR;
	if (db_bind_int64(st, 1, article_id) == 0 && db_bind_int64(st, 2, position) == 0 &&
	    db_bind_text(st, 3, slug, -1) == 0)
		rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int media_id(db_t *db, const char *file, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM media WHERE file = ?");
	if (st == NULL)
		return -1;
	int rc = DB_ERROR;
	if (db_bind_text(st, 1, file, -1) == 0)
		rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_done(st);
	if (rc == DB_DONE)
		log_error("article: image %s is not in the media store", file);
	return rc == DB_ROW ? 0 : -1;
}

static int insert_images(db_t *db, int64_t article_id, const article_input *in,
			 const int64_t *ids)
{
	for (size_t i = 0; i < in->nimages; i++) {
		db_stmt *st = db_prepare(db, "INSERT INTO article_images"
					     " (article_id, position, media_id, caption)"
					     " VALUES (?, ?, ?, ?)");
		if (st == NULL)
			return -1;
		const char *caption = in->images[i].caption != NULL ? in->images[i].caption : "";
		int rc = DB_ERROR;
		if (db_bind_int64(st, 1, article_id) == 0 && db_bind_int64(st, 2, (int64_t)i) == 0 &&
		    db_bind_int64(st, 3, ids[i]) == 0 && db_bind_text(st, 4, caption, -1) == 0)
			rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

static int insert_tags(db_t *db, int64_t article_id, const article_input *in)
{
	char slugs[ARTICLE_TAGS_MAX][SLUG_MAX];
	int position = 0;
	for (size_t i = 0; i < in->ntags; i++) {
		size_t len;
		const char *name = trim(in->tags[i], &len);
		text_slug(name, len, slugs[i], sizeof slugs[i]);
		/* "Điện Biên" and "dien bien" are one tag: keep the first. */
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(slugs[j], slugs[i]) == 0;
		if (seen)
			continue;
		if (add_tag(db, article_id, name, len, slugs[i], position++) != 0)
			return -1;
	}
	return 0;
}

/* What a write stores besides the input: the trimmed title, the slug, the
 * rendered body and the summary (given, or made from the body). The
 * buffers are freed by content_free(). */
typedef struct {
	const char *title;
	size_t title_len;
	char slug[SLUG_MAX];
	const char *body;
	size_t body_len;
	buf_t html;
	buf_t made_summary;
	const char *summary;
	size_t summary_len;
} content;

static void content_free(content *c)
{
	buf_free(&c->html);
	buf_free(&c->made_summary);
}

/* Binds what create and update both write, as parameters 1-6: category,
 * slug, title, summary, body_md, body_html. 0 or -1. */
static int bind_content(db_stmt *st, int64_t category_id, const content *c)
{
	return db_bind_int64(st, 1, category_id) == 0 && db_bind_text(st, 2, c->slug, -1) == 0 &&
			       db_bind_text(st, 3, c->title, (long)c->title_len) == 0 &&
			       db_bind_text(st, 4, c->summary != NULL ? c->summary : "",
					    (long)c->summary_len) == 0 &&
			       db_bind_text(st, 5, c->body, (long)c->body_len) == 0 &&
			       db_bind_text(st, 6, c->html.data != NULL ? c->html.data : "",
					    (long)c->html.len) == 0
		   ? 0
		   : -1;
}

static int content_prepare(const article_input *in, content *c)
{
	model_problem why;
	memset(c, 0, sizeof(*c));
	if (article_validate(in, &why) != 0) {
		log_warn("article: refused: problem %d in %s (item %d)", why.code,
			 why.field != NULL ? why.field : "the input", why.item);
		return -1;
	}
	c->title = trim(in->title, &c->title_len);
	if (text_slug(c->title, c->title_len, c->slug, sizeof c->slug) == 0)
		snprintf(c->slug, sizeof c->slug, "bai-viet");

	c->body = in->body_md != NULL ? in->body_md : "";
	c->body_len = strlen(c->body);
	if (markdown_to_html(c->body, c->body_len, &c->html) != 0 ||
	    buf_putc(&c->html, '\0') != 0) {
		log_error("article: cannot render the body of \"%.60s\"", c->title);
		return -1;
	}
	c->html.len--;
	c->summary = in->summary;
	c->summary_len = text_len(c->summary);
	if (c->summary == NULL || blank(c->summary, c->summary_len)) {
		if (markdown_to_text(c->body, c->body_len, SUMMARY_AUTO_BYTES, &c->made_summary) != 0 ||
		    buf_putc(&c->made_summary, '\0') != 0) {
			log_error("article: cannot make a summary for \"%.60s\"", c->title);
			return -1;
		}
		c->made_summary.len--;
		c->summary = c->made_summary.data != NULL ? c->made_summary.data : "";
		c->summary_len = c->made_summary.len;
	}
	return 0;
}

int article_create(db_t *db, const article_input *in, int64_t *id)
{
	content c;
	int64_t image_ids[ARTICLE_IMAGES_MAX];
	int nested = 0, result = -1;
	bool writing = false;
	if (db == NULL || in == NULL || id == NULL)
		return -1;
	if (content_prepare(in, &c) != 0)
		goto fail;

	int64_t now = (int64_t)time(NULL);
	int64_t published_at = in->published_at;
	/* Publishing without a date means publishing now. */
	if (in->status == ARTICLE_PUBLISHED && published_at == 0)
		published_at = now;

	if (db_write_begin(db, &nested) != 0)
		goto fail;
	writing = true;
	for (size_t i = 0; i < in->nimages; i++)
		if (media_id(db, in->images[i].file, &image_ids[i]) != 0)
			goto fail;

	db_stmt *st = db_prepare(db, "INSERT INTO articles (category_id, slug, title, summary,"
				     " body_md, body_html, status, published_at, created_at,"
				     " updated_at, image_id, author_id)"
				     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		goto fail;
	int rc = DB_ERROR;
	if (bind_content(st, in->category_id, &c) == 0 &&
	    db_bind_int64(st, 7, in->status) == 0 && db_bind_int64(st, 8, published_at) == 0 &&
	    db_bind_int64(st, 9, now) == 0 && db_bind_int64(st, 10, now) == 0 &&
	    (in->nimages > 0 ? db_bind_int64(st, 11, image_ids[0]) : db_bind_null(st, 11)) == 0 &&
	    (in->author_id > 0 ? db_bind_int64(st, 12, in->author_id) : db_bind_null(st, 12)) == 0)
		rc = db_step(st);
	if (rc == DB_CONSTRAINT)
		log_error("article: \"%.60s\" refused by the database: %s", c.title, db_errmsg(db));
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	int64_t new_id = db_last_insert_id(db);
	if (insert_tags(db, new_id, in) != 0 || insert_images(db, new_id, in, image_ids) != 0)
		goto fail;
	writing = false;
	if (db_write_end(db, nested, 1) != 0)
		goto fail;
	*id = new_id;
	result = 0;
fail:
	if (writing)
		db_write_end(db, nested, 0);
	content_free(&c);
	return result;
}

/* ---- the back office ------------------------------------------------------------ */

int article_get_any(db_t *db, arena_t *a, int64_t id, article *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT " ARTICLE_COLUMNS ", a.body_md, a.body_html,"
				     " a.author_id, u.name" ARTICLE_FROM
				     " LEFT JOIN users u ON u.id = a.author_id WHERE a.id = ?");
	if (st == NULL)
		return -1;
	int result = -1;
	if (db_bind_int64(st, 1, id) != 0)
		goto done;
	int rc = db_step(st);
	if (rc == DB_DONE) {
		result = 1;
		goto done;
	}
	if (rc != DB_ROW || fill_row(a, st, out) != 0)
		goto done;
	bool oom = false;
	out->body_md = db_col_copy(a, st, 12, "", &oom);
	out->body_html = db_col_copy(a, st, 13, "", &oom);
	out->author_id = db_col_int64(st, 14);
	out->author_name = db_col_copy(a, st, 15, NULL, &oom);
	if (oom) {
		log_error("article: out of memory");
		goto done;
	}
	result = 0;
done:
	db_done(st);
	if (result == 0 && load_tags(db, a, out) != 0)
		result = -1;
	if (result != 0)
		memset(out, 0, sizeof(*out));
	return result;
}

/* Runs one statement bound to a single id; DB_DONE or an error. */
static int exec_id(db_t *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return DB_ERROR;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	db_done(st);
	return rc;
}

int article_update(db_t *db, int64_t id, const article_input *in)
{
	content c;
	int64_t image_ids[ARTICLE_IMAGES_MAX];
	int nested = 0, result = -1;
	bool writing = false;
	if (db == NULL || in == NULL)
		return -1;
	if (content_prepare(in, &c) != 0)
		goto fail;
	if (db_write_begin(db, &nested) != 0)
		goto fail;
	writing = true;
	for (size_t i = 0; i < in->nimages; i++)
		if (media_id(db, in->images[i].file, &image_ids[i]) != 0)
			goto fail;
	db_stmt *st = db_prepare(db, "UPDATE articles SET category_id = ?, slug = ?, title = ?,"
				     " summary = ?, body_md = ?, body_html = ?, updated_at = ?,"
				     " image_id = ? WHERE id = ?");
	if (st == NULL)
		goto fail;
	int rc = DB_ERROR;
	if (bind_content(st, in->category_id, &c) == 0 &&
	    db_bind_int64(st, 7, (int64_t)time(NULL)) == 0 &&
	    (in->nimages > 0 ? db_bind_int64(st, 8, image_ids[0]) : db_bind_null(st, 8)) == 0 &&
	    db_bind_int64(st, 9, id) == 0)
		rc = db_step(st);
	if (rc == DB_CONSTRAINT)
		log_error("article: update of %" PRId64 " refused by the database: %s", id,
			  db_errmsg(db));
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	if (db_changes(db) == 0) {
		result = 1;
		goto fail;
	}
	if (exec_id(db, "DELETE FROM article_tags WHERE article_id = ?", id) != DB_DONE ||
	    exec_id(db, "DELETE FROM article_images WHERE article_id = ?", id) != DB_DONE ||
	    insert_tags(db, id, in) != 0 || insert_images(db, id, in, image_ids) != 0)
		goto fail;
	writing = false;
	if (db_write_end(db, nested, 1) != 0)
		goto fail;
	result = 0;
fail:
	if (writing)
		db_write_end(db, nested, 0);
	content_free(&c);
	return result;
}

bool article_may(int role, int64_t user_id, int64_t author_id, int status,
		 enum article_action action)
{
	if (status < ARTICLE_DRAFT || status > ARTICLE_UNPUBLISHED)
		return false;
	if (role == USER_ADMIN || role == USER_EDITOR) {
		switch (action) {
		case ARTICLE_VIEW:
		case ARTICLE_EDIT:
		case ARTICLE_DELETE:
		case ARTICLE_PUBLISH:
			return true;
		case ARTICLE_SUBMIT:
			return status == ARTICLE_DRAFT;
		case ARTICLE_UNPUBLISH:
			return status == ARTICLE_PUBLISHED;
		case ARTICLE_RETURN:
			return status == ARTICLE_REVIEW || status == ARTICLE_UNPUBLISHED;
		}
		return false;
	}
	if (role != USER_AUTHOR)
		return false;
	bool own = user_id > 0 && author_id == user_id;
	switch (action) {
	case ARTICLE_VIEW:
		return own;
	case ARTICLE_EDIT:
	case ARTICLE_SUBMIT:
		return own && status == ARTICLE_DRAFT;
	default:
		return false;
	}
}

int article_transition(db_t *db, int64_t id, int role, int64_t user_id,
		       enum article_action action, int64_t when, int64_t now, int *from)
{
	int nested = 0, result = -1;
	if (db == NULL)
		return -1;
	int to;
	switch (action) {
	case ARTICLE_SUBMIT: to = ARTICLE_REVIEW; break;
	case ARTICLE_PUBLISH: to = ARTICLE_PUBLISHED; break;
	case ARTICLE_UNPUBLISH: to = ARTICLE_UNPUBLISHED; break;
	case ARTICLE_RETURN: to = ARTICLE_DRAFT; break;
	default:
		log_error("article: %d is not a transition", (int)action);
		return -1;
	}
	if (action == ARTICLE_PUBLISH && (when < 0 || when > TIME_MAX))
		return ARTICLE_TRANSITION_BAD_TIME;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	/* The check runs inside the write transaction: the status it reads is
	 * the one the update replaces. */
	db_stmt *st = db_prepare(db, "SELECT status, coalesce(author_id, 0), published_at"
				     " FROM articles WHERE id = ?");
	if (st == NULL)
		goto done;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	int status = 0;
	int64_t author = 0, published_at = 0;
	if (rc == DB_ROW) {
		status = (int)db_col_int64(st, 0);
		author = db_col_int64(st, 1);
		published_at = db_col_int64(st, 2);
	}
	db_done(st);
	if (rc == DB_DONE) {
		result = ARTICLE_TRANSITION_NOT_FOUND;
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	if (from != NULL)
		*from = status;
	if (!article_may(role, user_id, author, status, action)) {
		result = ARTICLE_TRANSITION_FORBIDDEN;
		goto done;
	}
	if (action == ARTICLE_PUBLISH)
		published_at = when > 0 ? when : now;
	st = db_prepare(db, "UPDATE articles SET status = ?, published_at = ?, updated_at = ?"
			    " WHERE id = ?");
	if (st == NULL)
		goto done;
	rc = DB_ERROR;
	if (db_bind_int64(st, 1, to) == 0 && db_bind_int64(st, 2, published_at) == 0 &&
	    db_bind_int64(st, 3, now) == 0 && db_bind_int64(st, 4, id) == 0)
		rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto done;
	return db_write_end(db, nested, 1) == 0 ? ARTICLE_TRANSITION_OK : -1;
done:
	db_write_end(db, nested, 0);
	return result;
}

int article_delete(db_t *db, int64_t id)
{
	if (db == NULL)
		return -1;
	int rc = exec_id(db, "DELETE FROM articles WHERE id = ?", id);
	if (rc != DB_DONE)
		return -1;
	return db_changes(db) > 0 ? 0 : 1;
}

int article_next_scheduled(db_t *db, int64_t after, int64_t *at)
{
	if (db == NULL || at == NULL)
		return -1;
	*at = 0;
	db_stmt *st = db_prepare(db, "SELECT published_at FROM articles"
				     " WHERE " ARTICLE_PUBLISHED_SQL("") " AND published_at > ?"
				     " ORDER BY published_at LIMIT 1");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, after) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*at = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* The WHERE of the back-office list; every filter is a bound value, so the
 * SQL text is one and the statement cache keeps it. */
#define ADMIN_WHERE \
	" WHERE (? < 0 OR a.status = ?) AND (? = 0 OR a.category_id = ?)" \
	" AND (? = 0 OR a.author_id = ?) AND (? = '' OR sen_fold(a.title) LIKE ? ESCAPE '\\')" \
	" AND (? = 0 OR a.published_at > ?)"

static int bind_filter(db_stmt *st, const article_filter *f, const char *like)
{
	int p = 1;
	int64_t status = f->status;
	return db_bind_int64(st, p++, status) != 0 || db_bind_int64(st, p++, status) != 0 ||
	       db_bind_int64(st, p++, f->category_id) != 0 ||
	       db_bind_int64(st, p++, f->category_id) != 0 ||
	       db_bind_int64(st, p++, f->author_id) != 0 ||
	       db_bind_int64(st, p++, f->author_id) != 0 ||
	       db_bind_text(st, p++, like[0] != '\0' ? "x" : "", -1) != 0 ||
	       db_bind_text(st, p++, like, -1) != 0 ||
	       db_bind_int64(st, p++, f->published_after) != 0 ||
	       db_bind_int64(st, p++, f->published_after) != 0
		   ? -1
		   : p;
}

/* "%part%" of the folded query, with LIKE's wildcards escaped: titles are
 * compared folded (sen_fold, db/fts_vn.h), so "trien lam", "Triển Lãm" and
 * "TRIEN LAM" all find "Triển lãm". */
static char *like_pattern(arena_t *a, const char *query)
{
	size_t qlen = query != NULL ? strnlen(query, ARTICLE_QUERY_MAX + 1) : 0;
	if (qlen == 0)
		return arena_strdup(a, "");
	if (qlen > ARTICLE_QUERY_MAX)
		qlen = ARTICLE_QUERY_MAX;
	buf_t folded = BUF_INIT;
	const char *q = query;
	size_t len = qlen;
	if (text_fold(query, qlen, &folded) == 0 && !folded.failed && folded.data != NULL) {
		q = arena_strdup(a, folded.data);
		len = folded.len;
	}
	buf_free(&folded);
	if (q == NULL)
		return NULL;
	char *out = arena_alloc(a, 2 * len + 3);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	out[o++] = '%';
	for (size_t i = 0; i < len; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			out[o++] = '\\';
		out[o++] = q[i];
	}
	out[o++] = '%';
	out[o] = '\0';
	return out;
}

int article_admin_list(db_t *db, arena_t *a, const article_filter *f, int limit,
		       article **items, size_t *n, int64_t *total)
{
	if (db == NULL || a == NULL || f == NULL || items == NULL || n == NULL)
		return -1;
	*items = NULL;
	*n = 0;
	if (total != NULL)
		*total = 0;
	if (limit < 1 || limit > ARTICLE_ADMIN_PAGE_MAX || f->offset < 0)
		return -1;
	const char *like = like_pattern(a, f->q);
	if (like == NULL) {
		log_error("article: out of memory");
		return -1;
	}
	if (total != NULL) {
		db_stmt *st = db_prepare(db, "SELECT count(*) FROM articles a" ADMIN_WHERE);
		if (st == NULL)
			return -1;
		int rc = bind_filter(st, f, like) > 0 ? db_step(st) : DB_ERROR;
		if (rc == DB_ROW)
			*total = db_col_int64(st, 0);
		db_done(st);
		if (rc != DB_ROW)
			return -1;
	}
	db_stmt *st = db_prepare(db, f->oldest_first
		? "SELECT " ARTICLE_COLUMNS ", NULL, NULL, a.author_id, u.name" ARTICLE_FROM
		  " LEFT JOIN users u ON u.id = a.author_id" ADMIN_WHERE
		  " ORDER BY a.updated_at, a.id LIMIT ? OFFSET ?"
		: "SELECT " ARTICLE_COLUMNS ", NULL, NULL, a.author_id, u.name" ARTICLE_FROM
		  " LEFT JOIN users u ON u.id = a.author_id" ADMIN_WHERE
		  " ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?");
	if (st == NULL)
		return -1;
	article *list = arena_calloc(a, (size_t)limit, sizeof(*list));
	int result = -1, rc = DB_ERROR;
	size_t count = 0;
	int p = list != NULL ? bind_filter(st, f, like) : -1;
	if (p < 0 || db_bind_int64(st, p, limit) != 0 || db_bind_int64(st, p + 1, f->offset) != 0)
		goto done;
	while (count < (size_t)limit && (rc = db_step(st)) == DB_ROW) {
		if (fill_row(a, st, &list[count]) != 0)
			goto done;
		bool oom = false;
		list[count].author_id = db_col_int64(st, 14);
		list[count].author_name = db_col_copy(a, st, 15, NULL, &oom);
		if (oom)
			goto done;
		count++;
	}
	if (rc != DB_DONE && rc != DB_ROW)
		goto done;
	*items = list;
	*n = count;
	result = 0;
done:
	db_done(st);
	return result;
}

int article_media_choices(db_t *db, arena_t *a, int limit, article_media_choice **items,
			  size_t *n)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL || limit < 1)
		return -1;
	*items = NULL;
	*n = 0;
	if (limit > 200)
		limit = 200;
	db_stmt *st = db_prepare(db, "SELECT id, file, original_name, alt, width, height"
				     " FROM media WHERE mime LIKE 'image/%' ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	article_media_choice *list = arena_calloc(a, (size_t)limit, sizeof(*list));
	bool oom = list == NULL;
	size_t count = 0;
	int rc = DB_ERROR;
	if (!oom && db_bind_int64(st, 1, limit) == 0)
		while (count < (size_t)limit && (rc = db_step(st)) == DB_ROW) {
			article_media_choice *m = &list[count++];
			m->id = db_col_int64(st, 0);
			m->file = db_col_copy(a, st, 1, "", &oom);
			m->original_name = db_col_copy(a, st, 2, "", &oom);
			m->alt = db_col_copy(a, st, 3, "", &oom);
			m->width = (int)db_col_int64(st, 4);
			m->height = (int)db_col_int64(st, 5);
		}
	db_done(st);
	if (oom) {
		log_error("article: out of memory");
		return -1;
	}
	if (rc != DB_DONE && rc != DB_ROW)
		return -1;
	*items = list;
	*n = count;
	return 0;
}
