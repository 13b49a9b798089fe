/*
 * media.c - the media library: looking pictures up, listing, describing and
 * deleting them, and what a page needs to show one (media.h).
 *
 * Checking a file is media_format.c, storing it media_store.c, making its
 * variants media_image.c; this file only reads and changes rows (and
 * removes files once their rows are gone).
 *
 * Memory: every string returned is in the caller's arena; nothing here
 * allocates beyond the call otherwise.
 */
#include "model/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "model/media_private.h"
#include "model/media_tiles.h"
#include "model/reg_check.h"

/* -------------------------------------------------------------- lookup */

int media_get_by_file(db_t *db, arena_t *a, const char *file, media *out)
{
	db_stmt *st = db_prepare(db, "SELECT id, file, original_name, mime, bytes, width, height, "
				     "alt, credit, created_at FROM media WHERE file = ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_text(st, 1, file, -1) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	out->id = db_col_int64(st, 0);
	out->file = db_col_copy(a, st, 1, "", NULL);
	out->original_name = db_col_copy(a, st, 2, "", NULL);
	out->mime = db_col_copy(a, st, 3, "", NULL);
	out->bytes = db_col_int64(st, 4);
	out->width = (int)db_col_int64(st, 5);
	out->height = (int)db_col_int64(st, 6);
	out->alt = db_col_copy(a, st, 7, "", NULL);
	out->credit = db_col_copy(a, st, 8, "", NULL);
	out->created_at = db_col_int64(st, 9);
	if (out->file == NULL || out->original_name == NULL || out->mime == NULL ||
	    out->alt == NULL || out->credit == NULL) {
		log_error("media: out of memory");
		goto out;
	}
	rc = 0;
out:
	db_done(st);
	return rc;
}

/* ------------------------------------------------------------- library */

/* The columns of a media_item, in the order fill_item() reads them. */
#define ITEM_COLUMNS                                                                        \
	"m.id, m.file, m.original_name, m.mime, m.bytes, m.width, m.height, m.alt, m.credit, " \
	"m.created_at, CASE WHEN j.media_id IS NULL THEN 0 WHEN j.state = 0 THEN 1 ELSE 2 END, " \
	"COALESCE(j.error, ''), "                                                             \
	"(SELECT v.file FROM media_variants v WHERE v.media_id = m.id "                       \
	" ORDER BY v.format = 'webp', v.width LIMIT 1), "                                     \
	"(SELECT count(*) FROM media_variants v WHERE v.media_id = m.id)"

static int fill_item(arena_t *a, db_stmt *st, media_item *it)
{
	media *m = &it->m;
	m->id = db_col_int64(st, 0);
	m->file = db_col_copy(a, st, 1, "", NULL);
	m->original_name = db_col_copy(a, st, 2, "", NULL);
	m->mime = db_col_copy(a, st, 3, "", NULL);
	m->bytes = db_col_int64(st, 4);
	m->width = (int)db_col_int64(st, 5);
	m->height = (int)db_col_int64(st, 6);
	m->alt = db_col_copy(a, st, 7, "", NULL);
	m->credit = db_col_copy(a, st, 8, "", NULL);
	m->created_at = db_col_int64(st, 9);
	it->state = (int)db_col_int64(st, 10);
	it->error = db_col_copy(a, st, 11, "", NULL);
	it->thumb = db_col_is_null(st, 12) ? m->file : db_col_copy(a, st, 12, "", NULL);
	it->nvariants = (int)db_col_int64(st, 13);
	if (m->file == NULL || m->original_name == NULL || m->mime == NULL || m->alt == NULL ||
	    m->credit == NULL || it->error == NULL || it->thumb == NULL) {
		log_error("media: out of memory");
		return -1;
	}
	return 0;
}

void media_cursor_encode(const media_cursor *c, char *out, size_t len)
{
	snprintf(out, len, "%lld.%lld", (long long)c->created_at, (long long)c->id);
}

static int parse_digits(const char *s, size_t n, int64_t *v)
{
	if (n == 0 || n > 18)
		return -1;
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int media_cursor_parse(const char *s, media_cursor *c)
{
	if (s == NULL)
		return -1;
	const char *dot = strchr(s, '.');
	media_cursor t;
	if (dot == NULL || parse_digits(s, (size_t)(dot - s), &t.created_at) != 0 ||
	    parse_digits(dot + 1, strlen(dot + 1), &t.id) != 0 || t.id <= 0)
		return -1;
	*c = t;
	return 0;
}

/* The stored mime type for a type filter ("jpg" -> "image/jpeg"); "" for
 * none or an unknown one. */
static const char *filter_mime(const char *type)
{
	const char *mime = type != NULL ? media_mime_of_ext(type) : NULL;
	return mime != NULL ? mime : "";
}

/* A LIKE pattern "%text%" with % _ and \ escaped by '\'. */
static char *like_pattern(arena_t *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3);
	if (p == NULL)
		return NULL;
	size_t k = 0;
	p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			p[k++] = '\\';
		p[k++] = q[i];
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

int media_list(db_t *db, arena_t *a, const media_filter *f, const media_cursor *after,
	       size_t limit, media_item **items, size_t *n, bool *more)
{
	*items = NULL;
	*n = 0;
	*more = false;
	if (limit == 0 || limit > MEDIA_PAGE_MAX)
		limit = MEDIA_PAGE_MAX;
	const char *q = f != NULL && f->q != NULL ? f->q : "";
	if (strlen(q) > MEDIA_SEARCH_MAX)
		q = "";
	/* The folded words find the folded key ("trong dong", "TRỐNG ĐỒNG" ->
	 * "Trống đồng"); the text as typed still finds alt and name as stored. */
	buf_t folded = BUF_INIT;
	bool fold_ok = text_fold(q, strlen(q), &folded) == 0 && !folded.failed;
	const char *pat = like_pattern(a, q);
	const char *fpat = fold_ok ? like_pattern(a, folded.data != NULL ? folded.data : "") : pat;
	buf_free(&folded);
	const char *mime = filter_mime(f != NULL ? f->type : NULL);
	int64_t from = f != NULL ? f->from : 0, to = f != NULL ? f->to : 0;
	media_item *out = arena_calloc(a, limit + 1, sizeof *out);
	if (pat == NULL || fpat == NULL || out == NULL)
		return -1;
	db_stmt *st = db_prepare(
	    db, "SELECT " ITEM_COLUMNS " FROM media m LEFT JOIN media_jobs j ON j.media_id = m.id "
		"WHERE (? = '' OR m.search LIKE ? ESCAPE '\\' OR m.alt LIKE ? ESCAPE '\\' "
		"       OR m.original_name LIKE ? ESCAPE '\\') "
		"AND (? = '' OR m.mime = ?) AND (? = 0 OR m.created_at >= ?) "
		"AND (? = 0 OR m.created_at < ?) AND (? = 0 OR (m.created_at, m.id) < (?, ?)) "
		"ORDER BY m.created_at DESC, m.id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	int64_t ac = after != NULL ? after->created_at : 0, ai = after != NULL ? after->id : 0;
	if (db_bind_text(st, 1, q, -1) != 0 || db_bind_text(st, 2, fpat, -1) != 0 ||
	    db_bind_text(st, 3, pat, -1) != 0 || db_bind_text(st, 4, pat, -1) != 0 ||
	    db_bind_text(st, 5, mime, -1) != 0 || db_bind_text(st, 6, mime, -1) != 0 ||
	    db_bind_int64(st, 7, from) != 0 || db_bind_int64(st, 8, from) != 0 ||
	    db_bind_int64(st, 9, to) != 0 || db_bind_int64(st, 10, to) != 0 ||
	    db_bind_int64(st, 11, after != NULL) != 0 || db_bind_int64(st, 12, ac) != 0 ||
	    db_bind_int64(st, 13, ai) != 0 || db_bind_int64(st, 14, (int64_t)limit + 1) != 0)
		goto out;
	size_t k = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (k == limit) {
			*more = true;
			break;
		}
		if (fill_item(a, st, &out[k]) != 0)
			goto out;
		k++;
	}
	if (step != DB_ROW && step != DB_DONE)
		goto out;
	*items = out;
	*n = k;
	rc = 0;
out:
	db_done(st);
	return rc;
}

int media_get_item(db_t *db, arena_t *a, int64_t id, media_item *out)
{
	db_stmt *st = db_prepare(db, "SELECT " ITEM_COLUMNS " FROM media m LEFT JOIN media_jobs j "
				     "ON j.media_id = m.id WHERE m.id = ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE)
		rc = 1;
	else if (step == DB_ROW)
		rc = fill_item(a, st, out);
out:
	db_done(st);
	return rc;
}

int media_update_text(db_t *db, int64_t id, const char *alt, const char *credit)
{
	if (alt == NULL || credit == NULL || !media_text_ok(alt, MEDIA_ALT_MAX) ||
	    !media_text_ok(credit, MEDIA_CREDIT_MAX))
		return 2;
	/* The search key needs the original name, read in the same
	 * transaction as the change. */
	if (db_begin(db) != 0)
		return -1;
	int rc = -1;
	buf_t key = BUF_INIT;
	char *name = NULL;
	db_stmt *st = db_prepare(db, "SELECT original_name FROM media WHERE id = ?");
	if (st == NULL)
		goto out;
	if (db_bind_int64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW) {
			const char *n = db_col_text(st, 0);
			name = strdup(n != NULL ? n : "");
		} else if (step == DB_DONE) {
			rc = 1;
		}
	}
	db_done(st);
	if (name == NULL || media_search_key(alt, credit, name, &key) != 0)
		goto out;
	st = db_prepare(db, "UPDATE media SET alt = ?, credit = ?, search = ? WHERE id = ?");
	if (st == NULL)
		goto out;
	if (db_bind_text(st, 1, alt, -1) == 0 && db_bind_text(st, 2, credit, -1) == 0 &&
	    db_bind_text(st, 3, key.data != NULL ? key.data : "", -1) == 0 &&
	    db_bind_int64(st, 4, id) == 0) {
		int step = db_step(st);
		if (step == DB_DONE)
			rc = 0;
		else if (step == DB_CONSTRAINT)
			rc = 2;
	}
	db_done(st);
out:
	free(name);
	buf_free(&key);
	if (rc == 0) {
		if (db_commit(db) != 0)
			rc = -1;
	} else {
		db_rollback(db);
	}
	return rc;
}

int media_usage(db_t *db, arena_t *a, int64_t id, media_use **uses, size_t *n)
{
	enum { USES_MAX = 50 };
	*uses = NULL;
	*n = 0;
	media_use *out = arena_calloc(a, USES_MAX, sizeof *out);
	if (out == NULL)
		return -1;
	db_stmt *st = db_prepare(
	    db, "SELECT a.id, a.title, c.slug, a.slug, a.status, coalesce(a.author_id, 0), "
		"a.published_at FROM articles a "
		"JOIN categories c ON c.id = a.category_id WHERE a.image_id = ? "
		"OR a.id IN (SELECT article_id FROM article_images WHERE media_id = ?) "
		"ORDER BY a.id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, id) != 0 ||
	    db_bind_int64(st, 3, USES_MAX) != 0)
		goto out;
	size_t k = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		out[k].id = db_col_int64(st, 0);
		out[k].title = db_col_copy(a, st, 1, "", NULL);
		out[k].category_slug = db_col_copy(a, st, 2, "", NULL);
		out[k].slug = db_col_copy(a, st, 3, "", NULL);
		out[k].status = (int)db_col_int64(st, 4);
		out[k].author_id = db_col_int64(st, 5);
		out[k].published_at = db_col_int64(st, 6);
		if (out[k].title == NULL || out[k].category_slug == NULL || out[k].slug == NULL)
			goto out;
		k++;
	}
	if (step != DB_DONE)
		goto out;
	*uses = out;
	*n = k;
	rc = 0;
out:
	db_done(st);
	return rc;
}

int media_variants(db_t *db, arena_t *a, int64_t id, media_variant **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	media_variant *v = arena_calloc(a, MEDIA_VARIANTS_MAX, sizeof *v);
	if (v == NULL)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT file, format, width, height, bytes FROM media_variants "
				     "WHERE media_id = ? ORDER BY format, width LIMIT ?");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_int64(st, 1, id) != 0 || db_bind_int64(st, 2, MEDIA_VARIANTS_MAX) != 0)
		goto out;
	size_t k = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		v[k].file = db_col_copy(a, st, 0, "", NULL);
		v[k].format = db_col_copy(a, st, 1, "", NULL);
		v[k].width = (int)db_col_int64(st, 2);
		v[k].height = (int)db_col_int64(st, 3);
		v[k].bytes = db_col_int64(st, 4);
		if (v[k].file == NULL || v[k].format == NULL)
			goto out;
		k++;
	}
	if (step != DB_DONE)
		goto out;
	*out = v;
	*n = k;
	rc = 0;
out:
	db_done(st);
	return rc;
}

/* One statement run with a single id bound. 0 or -1. */
static int exec_id(db_t *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_DONE ? 0 : -1;
	db_done(st);
	return rc;
}

int media_delete(db_t *db, arena_t *a, const char *media_dir, int64_t id, media *out,
		 media_use **uses, size_t *nuses)
{
	media_item it;
	media_variant *v = NULL;
	size_t nv = 0;
	media_use *u = NULL;
	size_t nu = 0;
	if (uses != NULL)
		*uses = NULL;
	if (nuses != NULL)
		*nuses = 0;
	if (db_begin(db) != 0)
		return -1;
	int rc = media_get_item(db, a, id, &it);
	if (rc != 0)
		goto rollback;
	rc = -1;
	if (media_usage(db, a, id, &u, &nu) != 0 || media_variants(db, a, id, &v, &nv) != 0)
		goto rollback;
	if (nu > 0) {
		if (uses != NULL)
			*uses = u;
		if (nuses != NULL)
			*nuses = nu;
		rc = 3;
		goto rollback;
	}
	/* The register holds it: a card's photo, a council's signed minutes. */
	int held = reg_exists(db, "SELECT 1 FROM object_media WHERE media_id = ?1 UNION ALL"
				  " SELECT 1 FROM council_sessions WHERE minutes_media_id = ?1 LIMIT 1",
			      id);
	if (held != 0) {
		rc = held > 0 ? 4 : -1;
		goto rollback;
	}
	if (exec_id(db, "DELETE FROM media_variants WHERE media_id = ?", id) != 0 ||
	    exec_id(db, "DELETE FROM media_jobs WHERE media_id = ?", id) != 0 ||
	    exec_id(db, "DELETE FROM media WHERE id = ?", id) != 0)
		goto rollback;
	if (db_commit(db) != 0)
		return -1;
	/* The rows are gone, so nothing links to the files any more; a file
	 * that cannot be removed is logged and left behind, harmless. */
	for (size_t i = 0; i < nv; i++)
		media_remove_file(media_dir, v[i].file);
	media_remove_file(media_dir, it.m.file);
	media_tiles_remove(media_dir, id);
	if (out != NULL)
		*out = it.m;
	return 0;
rollback:
	db_rollback(db);
	return rc;
}

/* "/media/a 320w, /media/b 800w" of the variants in one format. */
static const char *srcset_of(arena_t *a, const media_variant *v, size_t n, const char *format)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].format, format) != 0)
			continue;
		buf_printf(&b, "%s/media/%s %dw", b.len > 0 ? ", " : "", v[i].file, v[i].width);
	}
	const char *s = b.failed ? NULL : arena_strdup(a, b.data != NULL ? b.data : "");
	buf_free(&b);
	return s;
}

/* The format variants are made in for a stored type (media_image.c makes
 * PNG for GIF). */
static const char *variant_format(const char *mime)
{
	if (strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(mime, "image/webp") == 0)
		return "webp";
	return "png";
}

int media_responsive_for(db_t *db, arena_t *a, const char *file, media_responsive *out)
{
	media m;
	int rc = media_get_by_file(db, a, file, &m);
	if (rc != 0)
		return rc;
	media_variant *v = NULL;
	size_t n = 0;
	if (media_variants(db, a, m.id, &v, &n) != 0)
		return -1;
	const char *fmt = variant_format(m.mime);
	out->src = arena_sprintf(a, "/media/%s", m.file);
	out->alt = m.alt;
	out->credit = m.credit;
	out->width = m.width;
	out->height = m.height;
	/* The src for browsers without srcset: the largest variant up to 800
	 * pixels, else the smallest. */
	const media_variant *best = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].format, fmt) != 0)
			continue;
		if (best == NULL || (v[i].width <= 800 && (best->width > 800 || v[i].width > best->width)))
			best = &v[i];
	}
	if (best != NULL) {
		out->src = arena_sprintf(a, "/media/%s", best->file);
		out->width = best->width;
		out->height = best->height;
	}
	out->srcset = srcset_of(a, v, n, fmt);
	out->webp_srcset = strcmp(fmt, "webp") == 0 ? arena_strdup(a, "") : srcset_of(a, v, n, "webp");
	if (out->src == NULL || out->srcset == NULL || out->webp_srcset == NULL)
		return -1;
	return 0;
}

int media_servable(db_t *db, const char *file)
{
	if (!media_file_name_valid(file))
		return 1;
	const char *dot = strrchr(file, '.');
	if (dot == NULL || (strcmp(dot, ".jpg") != 0 && strcmp(dot, ".png") != 0 &&
			    strcmp(dot, ".webp") != 0 && strcmp(dot, ".gif") != 0 &&
			    strcmp(dot, ".pdf") != 0))
		return 1;
	db_stmt *st = db_prepare(
	    db, "SELECT 1 FROM media m WHERE m.file = ?"
		" AND (m.mime LIKE 'image/%' OR m.mime = 'application/pdf') AND NOT EXISTS "
		"(SELECT 1 FROM media_jobs j WHERE j.media_id = m.id) "
		"UNION ALL SELECT 1 FROM media_variants v WHERE v.file = ? LIMIT 1");
	if (st == NULL)
		return -1;
	int rc = -1;
	if (db_bind_text(st, 1, file, -1) == 0 && db_bind_text(st, 2, file, -1) == 0) {
		int step = db_step(st);
		rc = step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
	}
	db_done(st);
	return rc;
}
