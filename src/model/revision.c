/*
 * revision.c - saved versions of articles, and comparing two texts line by
 * line (revision.h).
 */
#include "model/revision.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

/* ---- storing ------------------------------------------------------------------- */

/* tags as one name a line; pictures as "FILE<TAB>CAPTION" a line. Neither
 * may hold control characters (article_validate), so the separators are
 * unambiguous. */
static int join_tags(const article_input *in, buf_t *out)
{
	for (size_t i = 0; i < in->ntags; i++) {
		if (i > 0)
			buf_putc(out, '\n');
		buf_puts(out, in->tags[i] != NULL ? in->tags[i] : "");
	}
	buf_putc(out, '\0');
	out->len--;
	return out->failed ? -1 : 0;
}

static int join_images(const article_input *in, buf_t *out)
{
	for (size_t i = 0; i < in->nimages; i++) {
		if (i > 0)
			buf_putc(out, '\n');
		buf_puts(out, in->images[i].file != NULL ? in->images[i].file : "");
		buf_putc(out, '\t');
		buf_puts(out, in->images[i].caption != NULL ? in->images[i].caption : "");
	}
	buf_putc(out, '\0');
	out->len--;
	return out->failed ? -1 : 0;
}

static int add_row(db_t *db, int64_t article_id, const article_input *in, int64_t user_id,
		   const char *user_name, int64_t now, const char *note, int64_t *id)
{
	buf_t tags = BUF_INIT, images = BUF_INIT;
	int result = -1;
	if (join_tags(in, &tags) != 0 || join_images(in, &images) != 0) {
		log_error("revision: out of memory");
		goto done;
	}
	db_stmt *st = db_prepare(db, "INSERT INTO article_revisions (article_id, user_id,"
				     " user_name, created_at, title, summary, body_md, category_id,"
				     " tags, images, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		goto done;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, article_id) == 0 &&
	    (user_id > 0 ? db_bind_int64(st, 2, user_id) : db_bind_null(st, 2)) == 0 &&
	    db_bind_text(st, 3, user_name != NULL ? user_name : "", -1) == 0 &&
	    db_bind_int64(st, 4, now) == 0 && db_bind_text(st, 5, in->title, -1) == 0 &&
	    db_bind_text(st, 6, in->summary != NULL ? in->summary : "", -1) == 0 &&
	    db_bind_text(st, 7, in->body_md != NULL ? in->body_md : "", -1) == 0 &&
	    db_bind_int64(st, 8, in->category_id) == 0 &&
	    db_bind_text(st, 9, tags.data != NULL ? tags.data : "", (long)tags.len) == 0 &&
	    db_bind_text(st, 10, images.data != NULL ? images.data : "", (long)images.len) == 0 &&
	    db_bind_text(st, 11, note != NULL ? note : "", -1) == 0)
		rc = db_step(st);
	if (rc == DB_CONSTRAINT)
		log_error("revision: refused by the database: %s", db_errmsg(db));
	db_done(st);
	if (rc != DB_DONE)
		goto done;
	if (id != NULL)
		*id = db_last_insert_id(db);
	result = 0;
done:
	buf_free(&tags);
	buf_free(&images);
	return result;
}

static int count_rows(db_t *db, int64_t article_id, int64_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM article_revisions WHERE article_id = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, article_id) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*n = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Records the article as it is now, for an article without versions. 0, 1
 * not found, -1. */
static int snapshot(db_t *db, arena_t *a, int64_t article_id)
{
	article art;
	int rc = article_get_any(db, a, article_id, &art);
	if (rc != 0)
		return rc;
	article_image *images = NULL;
	size_t nimages = 0;
	if (article_images(db, a, article_id, &images, &nimages) != 0)
		return -1;
	article_input in = {
		.title = art.title,
		.summary = art.summary,
		.body_md = art.body_md,
		.category_id = art.category_id,
		.status = art.status,
		.tags = art.tags,
		.ntags = art.ntags,
		.images = images,
		.nimages = nimages,
	};
	return add_row(db, article_id, &in, art.author_id,
		       art.author_name != NULL ? art.author_name : "", art.updated_at, "original",
		       NULL);
}

/* 0 when role (with user_id) may edit the article now, 2 when not, 1 when
 * there is no such article, -1. Inside the caller's write transaction. */
static int may_edit_now(db_t *db, int64_t id, int role, int64_t user_id)
{
	db_stmt *st = db_prepare(db, "SELECT status, coalesce(author_id, 0) FROM articles"
				     " WHERE id = ?");
	if (st == NULL)
		return -1;
	int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	int result = rc == DB_DONE ? 1 : -1;
	if (rc == DB_ROW)
		result = article_may(role, user_id, db_col_int64(st, 1), (int)db_col_int64(st, 0),
				     ARTICLE_EDIT)
				 ? 0
				 : 2;
	db_done(st);
	return result;
}

/* role 0: no check (the caller decided); else the save is refused with 2
 * when article_may(ARTICLE_EDIT) says no at the moment of writing. */
static int save(db_t *db, arena_t *a, int64_t *article_id, const article_input *in, int role,
		int64_t user_id, const char *user_name, int64_t now, const char *note,
		int64_t *rev_id)
{
	int nested = 0, result = -1;
	if (db == NULL || a == NULL || article_id == NULL || in == NULL || *article_id < 0)
		return -1;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t id = *article_id;
	if (id != 0 && role != 0) {
		int rc = may_edit_now(db, id, role, user_id);
		if (rc != 0) {
			result = rc;
			goto fail;
		}
	}
	if (id == 0) {
		if (article_create(db, in, &id) != 0)
			goto fail;
	} else {
		int64_t count = 0;
		if (count_rows(db, id, &count) != 0)
			goto fail;
		int rc = count == 0 ? snapshot(db, a, id) : 0;
		if (rc == 0)
			rc = article_update(db, id, in);
		if (rc != 0) {
			result = rc == 1 ? 1 : -1;
			goto fail;
		}
	}
	if (add_row(db, id, in, user_id, user_name, now, note, rev_id) != 0)
		goto fail;
	if (db_write_end(db, nested, 1) != 0)
		return -1;
	*article_id = id;
	return 0;
fail:
	db_write_end(db, nested, 0);
	return result;
}

int revision_save(db_t *db, arena_t *a, int64_t *article_id, const article_input *in,
		  int64_t user_id, const char *user_name, int64_t now, const char *note)
{
	return save(db, a, article_id, in, 0, user_id, user_name, now, note, NULL);
}

int revision_save_as(db_t *db, arena_t *a, int64_t *article_id, const article_input *in,
		     int role, int64_t user_id, const char *user_name, int64_t now)
{
	return save(db, a, article_id, in, role, user_id, user_name, now, NULL, NULL);
}

/* ---- reading ------------------------------------------------------------------- */

/* Columns 0..8 shared by the list and the full read. */
#define REVISION_COLUMNS \
	"id, article_id, coalesce(user_id, 0), user_name, created_at, title, summary," \
	" category_id, note"

static void fill(arena_t *a, db_stmt *st, revision *r, bool *oom)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int64(st, 0);
	r->article_id = db_col_int64(st, 1);
	r->user_id = db_col_int64(st, 2);
	r->user_name = db_col_copy(a, st, 3, "", oom);
	r->created_at = db_col_int64(st, 4);
	r->title = db_col_copy(a, st, 5, "", oom);
	r->summary = db_col_copy(a, st, 6, "", oom);
	r->category_id = db_col_int64(st, 7);
	r->note = db_col_copy(a, st, 8, "", oom);
}

int revision_list(db_t *db, arena_t *a, int64_t article_id, int limit, revision **items,
		  size_t *n)
{
	if (db == NULL || a == NULL || items == NULL || n == NULL || limit < 1 ||
	    limit > REVISION_LIST_MAX)
		return -1;
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(db, "SELECT " REVISION_COLUMNS " FROM article_revisions"
				     " WHERE article_id = ? ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	revision *list = arena_calloc(a, (size_t)limit, sizeof(*list));
	bool oom = list == NULL;
	size_t count = 0;
	int rc = DB_ERROR;
	if (!oom && db_bind_int64(st, 1, article_id) == 0 && db_bind_int64(st, 2, limit) == 0)
		while (count < (size_t)limit && (rc = db_step(st)) == DB_ROW)
			fill(a, st, &list[count++], &oom);
	db_done(st);
	if (oom) {
		log_error("revision: out of memory");
		return -1;
	}
	if (rc != DB_DONE && rc != DB_ROW)
		return -1;
	*items = list;
	*n = count;
	return 0;
}

/* Splits s at '\n' into at most max pieces (arena copies). */
static const char **split_lines(arena_t *a, const char *s, size_t max, size_t *n)
{
	*n = 0;
	const char **out = arena_calloc(a, max > 0 ? max : 1, sizeof(*out));
	if (out == NULL)
		return NULL;
	while (s != NULL && *s != '\0' && *n < max) {
		size_t len = strcspn(s, "\n");
		out[*n] = arena_strndup(a, s, len);
		if (out[*n] == NULL)
			return NULL;
		(*n)++;
		s += len;
		if (*s == '\n')
			s++;
	}
	return out;
}

int revision_get(db_t *db, arena_t *a, int64_t article_id, int64_t id, revision *out)
{
	if (db == NULL || a == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0 || article_id <= 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT " REVISION_COLUMNS ", body_md, tags, images"
				     " FROM article_revisions WHERE id = ? AND article_id = ?");
	if (st == NULL)
		return -1;
	bool oom = false;
	const char *tags = NULL, *images = NULL;
	int rc = DB_ERROR;
	if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, article_id) == 0)
		rc = db_step(st);
	if (rc == DB_ROW) {
		fill(a, st, out, &oom);
		out->body_md = db_col_copy(a, st, 9, "", &oom);
		tags = db_col_copy(a, st, 10, "", &oom);
		images = db_col_copy(a, st, 11, "", &oom);
	}
	db_done(st);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW)
		return -1;
	if (oom)
		goto oom;
	out->tags = split_lines(a, tags, ARTICLE_TAGS_MAX, &out->ntags);
	size_t nlines = 0;
	const char **lines = split_lines(a, images, ARTICLE_IMAGES_MAX, &nlines);
	out->images = arena_calloc(a, nlines > 0 ? nlines : 1, sizeof(*out->images));
	if (out->tags == NULL || lines == NULL || out->images == NULL)
		goto oom;
	for (size_t i = 0; i < nlines; i++) {
		const char *tab = strchr(lines[i], '\t');
		article_image *im = &out->images[out->nimages++];
		im->file = tab != NULL ? arena_strndup(a, lines[i], (size_t)(tab - lines[i]))
				       : lines[i];
		im->caption = tab != NULL ? tab + 1 : "";
		if (im->file == NULL)
			goto oom;
	}
	return 0;
oom:
	log_error("revision: out of memory");
	memset(out, 0, sizeof(*out));
	return -1;
}

static int exists(db_t *db, const char *sql, int64_t id, const char *text, bool *yes)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = (text != NULL ? db_bind_text(st, 1, text, -1) : db_bind_int64(st, 1, id)) == 0
			 ? db_step(st)
			 : DB_ERROR;
	db_done(st);
	*yes = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int revision_restore(db_t *db, arena_t *a, int64_t article_id, int64_t id, int64_t user_id,
		     const char *user_name, int64_t now, int64_t *new_id)
{
	revision r;
	int rc = revision_get(db, a, article_id, id, &r);
	if (rc != 0)
		return rc;
	bool yes = false;
	if (exists(db, "SELECT 1 FROM categories WHERE id = ?", r.category_id, NULL, &yes) != 0)
		return -1;
	if (!yes)
		return 2;
	/* A picture deleted from the media store since cannot come back. */
	article_image *images = arena_calloc(a, r.nimages > 0 ? r.nimages : 1, sizeof(*images));
	size_t nimages = 0;
	if (images == NULL)
		return -1;
	for (size_t i = 0; i < r.nimages; i++) {
		if (exists(db, "SELECT 1 FROM media WHERE file = ?", 0, r.images[i].file, &yes) != 0)
			return -1;
		if (yes)
			images[nimages++] = r.images[i];
	}
	article_input in = {
		.title = r.title,
		.summary = r.summary,
		.body_md = r.body_md,
		.category_id = r.category_id,
		.status = ARTICLE_DRAFT,
		.tags = r.tags,
		.ntags = r.ntags,
		.images = images,
		.nimages = nimages,
	};
	char note[32];
	snprintf(note, sizeof note, "restore %" PRId64, id);
	int64_t aid = article_id;
	return save(db, a, &aid, &in, 0, user_id, user_name, now, note, new_id);
}

char *revision_document(arena_t *a, const revision *r)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "# %s\n", r->title != NULL ? r->title : "");
	if (r->summary != NULL && r->summary[0] != '\0')
		buf_printf(&b, "\n%s\n", r->summary);
	if (r->ntags > 0) {
		buf_puts(&b, "\n");
		for (size_t i = 0; i < r->ntags; i++)
			buf_printf(&b, "%s[%s]", i > 0 ? " " : "", r->tags[i]);
		buf_puts(&b, "\n");
	}
	if (r->nimages > 0)
		buf_puts(&b, "\n");
	for (size_t i = 0; i < r->nimages; i++)
		buf_printf(&b, "![%s](%s)\n", r->images[i].caption, r->images[i].file);
	if (r->body_md != NULL && r->body_md[0] != '\0')
		buf_printf(&b, "\n%s", r->body_md);
	char *out = NULL;
	if (!b.failed && buf_putc(&b, '\0') == 0)
		out = arena_strndup(a, b.data, b.len - 1);
	buf_free(&b);
	return out;
}

/* ---- comparing ------------------------------------------------------------------ */

/* Lines of a text as pointers into an arena copy, and an id per distinct
 * line (equal ids = equal lines), so the comparison compares integers. */
typedef struct {
	const char **text;
	uint32_t *id;
	size_t n;
} lines;

/* Counts the lines of s (0 for ""), stopping past max. */
static size_t count_lines(const char *s, size_t max)
{
	size_t n = 0;
	while (s != NULL && *s != '\0' && n <= max) {
		n++;
		const char *nl = strchr(s, '\n');
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return n;
}

static int cut_lines(arena_t *a, const char *s, size_t n, lines *out)
{
	out->n = 0;
	out->text = arena_calloc(a, n > 0 ? n : 1, sizeof(*out->text));
	out->id = arena_calloc(a, n > 0 ? n : 1, sizeof(*out->id));
	if (out->text == NULL || out->id == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(s, "\n");
		size_t keep = len > 0 && s[len - 1] == '\r' ? len - 1 : len;
		out->text[i] = arena_strndup(a, s, keep);
		if (out->text[i] == NULL)
			return -1;
		s += len;
		if (*s == '\n')
			s++;
	}
	out->n = n;
	return 0;
}

static uint64_t hash_line(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Gives every line of x and y an id, equal for equal lines (an open
 * addressing table of the distinct lines seen). */
static int intern(arena_t *a, lines *x, lines *y)
{
	size_t total = x->n + y->n, size = 16;
	while (size < 2 * total)
		size *= 2;
	const char **slot_text = arena_calloc(a, size, sizeof(*slot_text));
	uint32_t *slot_id = arena_calloc(a, size, sizeof(*slot_id));
	if (slot_text == NULL || slot_id == NULL)
		return -1;
	uint32_t next = 0;
	lines *both[2] = {x, y};
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < both[k]->n; i++) {
			const char *t = both[k]->text[i];
			size_t s = (size_t)hash_line(t) & (size - 1);
			while (slot_text[s] != NULL && strcmp(slot_text[s], t) != 0)
				s = (s + 1) & (size - 1);
			if (slot_text[s] == NULL) {
				slot_text[s] = t;
				slot_id[s] = next++;
			}
			both[k]->id[i] = slot_id[s];
		}
	}
	return 0;
}

typedef struct {
	const lines *x, *y;
	uint32_t *fwd, *rev;         /* one row each, y->n + 1 */
	revision_diff_line *out;
	size_t n;
} diff_ctx;

static void emit(diff_ctx *d, enum revision_op op, const char *line)
{
	d->out[d->n].op = op;
	d->out[d->n].line = line;
	d->n++;
}

/*
 * row[j] = length of the longest common subsequence of x[xlo..xhi) and
 * y[ylo..ylo+j) (forward), or of the same x range and the last j lines of
 * y[ylo..yhi) (reverse, both read backwards). One row, updated in place.
 */
static void lcs_row(const diff_ctx *d, size_t xlo, size_t xhi, size_t ylo, size_t yhi,
		    bool reverse, uint32_t *row)
{
	size_t m = yhi - ylo;
	memset(row, 0, (m + 1) * sizeof(*row));
	for (size_t i = 0; i < xhi - xlo; i++) {
		uint32_t xi = d->x->id[reverse ? xhi - 1 - i : xlo + i];
		uint32_t diag = 0;
		for (size_t j = 1; j <= m; j++) {
			uint32_t yj = d->y->id[reverse ? yhi - j : ylo + j - 1];
			uint32_t up = row[j];
			if (xi == yj)
				row[j] = diag + 1;
			else if (row[j - 1] > row[j])
				row[j] = row[j - 1];
			diag = up;
		}
	}
}

/* Hirschberg: split x in half, find where y splits so that the two halves'
 * common subsequences add up to the longest, and recurse. */
static void hirschberg(diff_ctx *d, size_t xlo, size_t xhi, size_t ylo, size_t yhi)
{
	if (xlo == xhi) {
		for (size_t j = ylo; j < yhi; j++)
			emit(d, REVISION_ADDED, d->y->text[j]);
		return;
	}
	if (ylo == yhi) {
		for (size_t i = xlo; i < xhi; i++)
			emit(d, REVISION_REMOVED, d->x->text[i]);
		return;
	}
	if (xhi - xlo == 1) {
		size_t j = ylo;
		while (j < yhi && d->y->id[j] != d->x->id[xlo])
			j++;
		if (j == yhi) {
			emit(d, REVISION_REMOVED, d->x->text[xlo]);
			for (j = ylo; j < yhi; j++)
				emit(d, REVISION_ADDED, d->y->text[j]);
			return;
		}
		for (size_t k = ylo; k < j; k++)
			emit(d, REVISION_ADDED, d->y->text[k]);
		emit(d, REVISION_SAME, d->x->text[xlo]);
		for (size_t k = j + 1; k < yhi; k++)
			emit(d, REVISION_ADDED, d->y->text[k]);
		return;
	}
	size_t mid = xlo + (xhi - xlo) / 2, m = yhi - ylo;
	lcs_row(d, xlo, mid, ylo, yhi, false, d->fwd);
	lcs_row(d, mid, xhi, ylo, yhi, true, d->rev);
	size_t best = 0;
	uint32_t best_len = 0;
	for (size_t j = 0; j <= m; j++) {
		uint32_t len = d->fwd[j] + d->rev[m - j];
		if (len > best_len || j == 0) {
			best_len = len;
			best = j;
		}
	}
	hirschberg(d, xlo, mid, ylo, ylo + best);
	hirschberg(d, mid, xhi, ylo + best, yhi);
}

/* Within each run of changed lines, removed lines go first, in order. */
static int group_changes(arena_t *a, revision_diff_line *v, size_t n)
{
	revision_diff_line *tmp = arena_calloc(a, n > 0 ? n : 1, sizeof(*tmp));
	if (tmp == NULL)
		return -1;
	size_t i = 0;
	while (i < n) {
		if (v[i].op == REVISION_SAME) {
			i++;
			continue;
		}
		size_t end = i, k = 0;
		while (end < n && v[end].op != REVISION_SAME)
			end++;
		for (size_t j = i; j < end; j++)
			if (v[j].op == REVISION_REMOVED)
				tmp[k++] = v[j];
		for (size_t j = i; j < end; j++)
			if (v[j].op == REVISION_ADDED)
				tmp[k++] = v[j];
		memcpy(&v[i], tmp, k * sizeof(*tmp));
		i = end;
	}
	return 0;
}

int revision_diff(arena_t *a, const char *old_text, const char *new_text,
		  revision_diff_line **out, size_t *n)
{
	if (a == NULL || out == NULL || n == NULL)
		return -1;
	*out = NULL;
	*n = 0;
	size_t nx = count_lines(old_text, REVISION_DIFF_MAX_LINES);
	size_t ny = count_lines(new_text, REVISION_DIFF_MAX_LINES);
	if (nx > REVISION_DIFF_MAX_LINES || ny > REVISION_DIFF_MAX_LINES)
		return 1;
	lines x, y;
	if (cut_lines(a, old_text, nx, &x) != 0 || cut_lines(a, new_text, ny, &y) != 0 ||
	    intern(a, &x, &y) != 0)
		goto oom;
	diff_ctx d = {.x = &x, .y = &y};
	d.fwd = arena_calloc(a, ny + 1, sizeof(*d.fwd));
	d.rev = arena_calloc(a, ny + 1, sizeof(*d.rev));
	d.out = arena_calloc(a, nx + ny > 0 ? nx + ny : 1, sizeof(*d.out));
	if (d.fwd == NULL || d.rev == NULL || d.out == NULL)
		goto oom;
	/* The common beginning and end cost nothing to compare. */
	size_t pre = 0, suf = 0;
	while (pre < nx && pre < ny && x.id[pre] == y.id[pre])
		pre++;
	while (suf < nx - pre && suf < ny - pre && x.id[nx - 1 - suf] == y.id[ny - 1 - suf])
		suf++;
	for (size_t i = 0; i < pre; i++)
		emit(&d, REVISION_SAME, x.text[i]);
	hirschberg(&d, pre, nx - suf, pre, ny - suf);
	for (size_t i = nx - suf; i < nx; i++)
		emit(&d, REVISION_SAME, x.text[i]);
	if (group_changes(a, d.out, d.n) != 0)
		goto oom;
	*out = d.out;
	*n = d.n;
	return 0;
oom:
	log_error("revision: out of memory comparing %zu and %zu lines", nx, ny);
	return -1;
}
