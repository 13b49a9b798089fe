/*
 * import.c - bulk import of articles from JSON Lines (see import.h).
 *
 * Two passes over the file. Pass 1 parses and checks every line, images
 * included (they must exist under the base folder and be accepted by the
 * media store), and writes nothing. Pass 2 reads the file again, so memory
 * stays bounded by one line whatever the file size, and writes everything
 * in one transaction: categories, media (files copied under new names) and
 * articles. If anything fails in pass 2 the transaction is rolled back and
 * the copied files are deleted, so the data folder looks untouched.
 */
#include "model/import.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/buf.h"
#include "core/fmt.h"
#include "core/log.h"
#include "core/text.h"
#include "core/text_json.h"
#include "model/article.h"
#include "model/category.h"
#include "model/media.h"
#include "model/media_image.h"
#include "render/markdown.h"

/* An image path in a line, relative to the base folder. */
#define IMAGE_PATH_MAX 1024
/* How often the progress line may be rewritten: 10 times a second. */
#define PROGRESS_INTERVAL_NS 100000000LL
/* A value quoted in a message is cut to this many bytes. */
#define QUOTE_MAX 60

static int default_offset = IMPORT_DEFAULT_UTC_OFFSET;

void import_set_utc_offset(int seconds)
{
	default_offset = seconds;
}

/* ------------------------------------------------------------- parsing */

typedef struct {
	const char *src;      /* relative path, as in the line */
	const char *caption;  /* "" when absent */
} line_image;

/* One parsed line. Strings point into root and live until line_free(). */
typedef struct {
	json_t *root;
	const char *title;
	const char *body;
	const char *category;
	const char *summary;  /* NULL when absent */
	int64_t published_at;
	const char *tags[ARTICLE_TAGS_MAX];
	size_t ntags;
	line_image images[ARTICLE_IMAGES_MAX];
	size_t nimages;
} parsed_line;

static void line_free(parsed_line *p)
{
	json_decref(p->root);
	p->root = NULL;
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static bool has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/* Writes a value into a message: at most QUOTE_MAX bytes, whole characters,
 * control characters shown as '?', so one bad line cannot flood or forge
 * the error output. */
static void quote(char *out, size_t outlen, const char *s, size_t len)
{
	size_t room = outlen > 4 ? outlen - 4 : 0;  /* for "…" and the NUL */
	size_t n = utf8_valid(s, len) ? utf8_cut(s, len, room < QUOTE_MAX ? room : QUOTE_MAX) : 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[n] = '\0';
	if (n < len && outlen >= 4)
		memcpy(out + n, "\xE2\x80\xA6", 4); /* "…" and its NUL */
}

/* Makes a reason one line: jansson quotes the bad input in its message,
 * raw newlines and all, and every report must stay "FILE:LINE: reason". */
static void one_line(char *why)
{
	for (; *why != '\0'; why++)
		if ((unsigned char)*why < 0x20 || *why == 0x7f)
			*why = '?';
}

/*
 * What article_validate() refused, as a line of the importer's report. The
 * importer speaks to the person running the command, in Vietnamese, like
 * every other line of its report; the model itself only gives the code.
 */
static void article_problem_text(const model_problem *p, char *why, size_t whylen)
{
	static const struct {
		const char *field, *name;
	} fields[] = {
		{"title", "Tiêu đề"},   {"summary", "Tóm tắt"},	  {"body", "Nội dung"},
		{"tags", "Thẻ thứ"},	{"images", "Ảnh thứ"},	  {"captions", "Chú thích ảnh thứ"},
		{"category", "Chuyên mục"}, {"status", "Trạng thái"}, {"published_at", "Ngày đăng"},
	};
	const char *name = "Bài viết";
	for (size_t i = 0; p->field != NULL && i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(p->field, fields[i].field) == 0)
			name = fields[i].name;
	char item[16] = "";
	if (p->item > 0)
		snprintf(item, sizeof item, " %d", p->item);
	switch (p->code) {
	case ARTICLE_TOO_LONG:
		snprintf(why, whylen, "%s%s dài quá %" PRId64 " byte.", name, item, p->limit);
		return;
	case ARTICLE_TOO_MANY:
		snprintf(why, whylen, "%s: nhiều quá %" PRId64 ".", name, p->limit);
		return;
	case ARTICLE_NOT_UTF8:
		snprintf(why, whylen, "%s%s không phải UTF-8 hợp lệ.", name, item);
		return;
	case ARTICLE_EMPTY:
		snprintf(why, whylen, "%s%s không được để trống.", name, item);
		return;
	case ARTICLE_CONTROL:
		snprintf(why, whylen, "%s%s chứa ký tự điều khiển.", name, item);
		return;
	case ARTICLE_NO_WORD:
		snprintf(why, whylen, "%s%s phải có chữ hoặc số.", name, item);
		return;
	case ARTICLE_BAD_FILE:
		snprintf(why, whylen, "%s%s có tên tệp không hợp lệ.", name, item);
		return;
	default:
		snprintf(why, whylen, "%s%s không hợp lệ.", name, item);
	}
}

/* A string field. required: missing or null is an error (else *out=NULL).
 * Sizes are bytes; blank means only spaces. */
static int get_string(json_t *obj, const char *key, bool required, bool allow_blank,
		      size_t max, const char **out, char *why, size_t whylen)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(why, whylen, "Thiếu trường \"%s\".", key);
		return -1;
	}
	if (!json_is_string(v)) {
		snprintf(why, whylen, "Trường \"%s\" phải là chuỗi.", key);
		return -1;
	}
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len > max) {
		snprintf(why, whylen, "Trường \"%s\" dài %zu byte, tối đa %zu.", key, len, max);
		return -1;
	}
	if (strlen(s) != len || !utf8_valid(s, len)) {
		snprintf(why, whylen, "Trường \"%s\" không phải văn bản UTF-8 hợp lệ.", key);
		return -1;
	}
	if (!allow_blank && blank(s, len)) {
		snprintf(why, whylen, "Trường \"%s\" không được để trống.", key);
		return -1;
	}
	*out = s;
	return 0;
}

/* Checks the form of an image path: relative, no "..", no empty or odd
 * parts. The file itself is looked at by check_image_file(). */
static int check_image_path(const char *src, size_t len, char *why, size_t whylen)
{
	char q[QUOTE_MAX + 8];
	quote(q, sizeof q, src, len);
	if (len == 0 || len > IMAGE_PATH_MAX || has_control(src, len)) {
		snprintf(why, whylen, "đường dẫn \"%s\" rỗng, dài quá %d byte hoặc có ký tự điều khiển.",
			 q, IMAGE_PATH_MAX);
		return -1;
	}
	if (src[0] == '/') {
		snprintf(why, whylen, "đường dẫn \"%s\" phải là đường dẫn tương đối.", q);
		return -1;
	}
	for (const char *p = src; *p != '\0';) {
		const char *end = strchr(p, '/');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			snprintf(why, whylen, "đường dẫn \"%s\" không được chứa \"..\".", q);
			return -1;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

/* The image must be a regular file inside base_dir (after following links)
 * that the media store accepts. base_real is realpath(base_dir) or NULL. */
static int check_image_file(const char *base_dir, const char *base_real, const char *src,
			    char *why, size_t whylen)
{
	char path[PATH_MAX], real[PATH_MAX], q[QUOTE_MAX + 8], reason[256];
	quote(q, sizeof q, src, strlen(src));
	int n = snprintf(path, sizeof path, "%s/%s", base_dir, src);
	if (n < 0 || (size_t)n >= sizeof path) {
		snprintf(why, whylen, "đường dẫn \"%s\" quá dài.", q);
		return -1;
	}
	if (base_real == NULL) {
		snprintf(why, whylen, "không mở được thư mục ảnh \"%s\".", base_dir);
		return -1;
	}
	if (realpath(path, real) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			snprintf(why, whylen, "không tìm thấy tệp \"%s\".", q);
		else
			snprintf(why, whylen, "không mở được tệp \"%s\": %s.", q, strerror(errno));
		return -1;
	}
	size_t blen = strlen(base_real);
	if (strncmp(real, base_real, blen) != 0 || (real[blen] != '/' && blen != 1)) {
		snprintf(why, whylen, "tệp \"%s\" nằm ngoài thư mục ảnh.", q);
		return -1;
	}
	if (media_check_file(real, NULL, reason, sizeof reason) != 0) {
		snprintf(why, whylen, "tệp \"%s\": %s", q, reason);
		return -1;
	}
	return 0;
}

/*
 * Brings the text of a line to NFC (core/text.h), as every way in does, so
 * a title exported in NFD compares equal to the same title typed here. The
 * pictures' "src" is left as it is: it names a file, and a file system
 * keeps names as bytes. 0, or -1 when out of memory.
 */
static int text_fields_nfc(json_t *o)
{
	static const char *const fields[] = {"title", "body", "category", "summary", "tags"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (text_json_nfc(json_object_get(o, fields[i])) != 0)
			return -1;
	json_t *images = json_object_get(o, "images");
	size_t i;
	json_t *im;
	if (json_is_array(images))
		json_array_foreach(images, i, im)
			if (json_is_object(im) && text_json_nfc(json_object_get(im, "caption")) != 0)
				return -1;
	return 0;
}

/*
 * Parses and checks one line. base_dir/base_real are where images live;
 * with check_files false (pass 2, where the media store checks each file
 * anyway) only the form of image paths is checked. 0 and *p (release with
 * line_free()), or -1 with why.
 */
static int parse_line(const char *line, size_t len, const char *base_dir,
		      const char *base_real, bool check_files, parsed_line *p, char *why,
		      size_t whylen)
{
	json_error_t err;
	memset(p, 0, sizeof *p);
	p->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	if (p->root == NULL) {
		snprintf(why, whylen, "JSON không hợp lệ (cột %d): %s.", err.column, err.text);
		goto fail;
	}
	json_t *o = p->root;
	if (!json_is_object(o)) {
		snprintf(why, whylen, "Mỗi dòng phải là một đối tượng JSON {...}.");
		goto fail;
	}
	if (text_fields_nfc(o) != 0) {
		snprintf(why, whylen, "Không đủ bộ nhớ.");
		goto fail;
	}
	if (get_string(o, "title", true, false, ARTICLE_TITLE_MAX, &p->title, why, whylen) != 0 ||
	    get_string(o, "body", true, true, ARTICLE_BODY_MAX < MARKDOWN_MAX_INPUT ?
			    ARTICLE_BODY_MAX : MARKDOWN_MAX_INPUT, &p->body, why, whylen) != 0 ||
	    get_string(o, "category", true, false, CATEGORY_NAME_MAX, &p->category, why,
		       whylen) != 0 ||
	    get_string(o, "summary", false, true, ARTICLE_SUMMARY_MAX, &p->summary, why,
		       whylen) != 0)
		goto fail;
	if (has_control(p->category, strlen(p->category))) {
		snprintf(why, whylen, "Trường \"category\" chứa ký tự điều khiển.");
		goto fail;
	}

	const char *when;
	if (get_string(o, "published_at", true, false, 64, &when, why, whylen) != 0)
		goto fail;
	if (parse_iso8601(when, default_offset, &p->published_at) != 0) {
		char q[QUOTE_MAX + 8];
		quote(q, sizeof q, when, strlen(when));
		snprintf(why, whylen, "Trường \"published_at\" không phải ngày giờ ISO 8601 "
			 "(ví dụ 2021-01-18T08:30:00+07:00): \"%s\".", q);
		goto fail;
	}

	json_t *tags = json_object_get(o, "tags");
	if (tags != NULL && !json_is_null(tags)) {
		if (!json_is_array(tags)) {
			snprintf(why, whylen, "Trường \"tags\" phải là mảng chuỗi.");
			goto fail;
		}
		if (json_array_size(tags) > ARTICLE_TAGS_MAX) {
			snprintf(why, whylen, "Trường \"tags\" có %zu thẻ, tối đa %d.",
				 json_array_size(tags), ARTICLE_TAGS_MAX);
			goto fail;
		}
		for (size_t i = 0; i < json_array_size(tags); i++) {
			json_t *t = json_array_get(tags, i);
			if (!json_is_string(t)) {
				snprintf(why, whylen, "tags[%zu] phải là chuỗi.", i);
				goto fail;
			}
			if (json_string_length(t) > ARTICLE_TAG_MAX) {
				snprintf(why, whylen, "tags[%zu] dài %zu byte, tối đa %d.", i,
					 json_string_length(t), ARTICLE_TAG_MAX);
				goto fail;
			}
			p->tags[p->ntags++] = json_string_value(t);
		}
	}

	json_t *images = json_object_get(o, "images");
	if (images != NULL && !json_is_null(images)) {
		if (!json_is_array(images)) {
			snprintf(why, whylen, "Trường \"images\" phải là mảng các {\"src\", \"caption\"}.");
			goto fail;
		}
		if (json_array_size(images) > ARTICLE_IMAGES_MAX) {
			snprintf(why, whylen, "Trường \"images\" có %zu ảnh, tối đa %d.",
				 json_array_size(images), ARTICLE_IMAGES_MAX);
			goto fail;
		}
		for (size_t i = 0; i < json_array_size(images); i++) {
			json_t *im = json_array_get(images, i);
			char reason[512];
			const char *src, *caption;
			if (!json_is_object(im)) {
				snprintf(why, whylen, "images[%zu] phải là {\"src\": ..., \"caption\": ...}.", i);
				goto fail;
			}
			if (get_string(im, "src", true, false, IMAGE_PATH_MAX, &src, reason,
				       sizeof reason) != 0 ||
			    get_string(im, "caption", false, true, ARTICLE_CAPTION_MAX, &caption,
				       reason, sizeof reason) != 0) {
				snprintf(why, whylen, "images[%zu]: %s", i, reason);
				goto fail;
			}
			if (check_image_path(src, strlen(src), reason, sizeof reason) != 0 ||
			    (check_files &&
			     check_image_file(base_dir, base_real, src, reason, sizeof reason) != 0)) {
				snprintf(why, whylen, "images[%zu]: %s", i, reason);
				goto fail;
			}
			p->images[p->nimages].src = src;
			p->images[p->nimages].caption = caption != NULL ? caption : "";
			p->nimages++;
		}
	}

	/* Whatever else article_create() would refuse (control characters,
	 * tags without letters, dates out of range) is caught here, in pass 1.
	 * The category and the stored image names do not exist yet: stand-ins
	 * take their place. */
	article_image ims[ARTICLE_IMAGES_MAX];
	for (size_t i = 0; i < p->nimages; i++)
		ims[i] = (article_image){.file = "pending.jpg", .caption = p->images[i].caption};
	article_input in = {
		.title = p->title, .summary = p->summary, .body_md = p->body,
		.category_id = 1, .published_at = p->published_at, .status = ARTICLE_PUBLISHED,
		.tags = p->tags, .ntags = p->ntags, .images = ims, .nimages = p->nimages,
	};
	model_problem problem;
	if (article_validate(&in, &problem) != 0) {
		article_problem_text(&problem, why, whylen);
		goto fail;
	}
	return 0;
fail:
	if (whylen > 0)
		one_line(why);
	line_free(p);
	return -1;
}

int import_validate_line(const char *line, size_t len, const char *base_dir, char *why,
			 size_t whylen)
{
	if (blank(line, len))
		return 1;
	if (len > IMPORT_LINE_MAX) {
		snprintf(why, whylen, "Dòng dài quá %d byte.", IMPORT_LINE_MAX);
		return -1;
	}
	char base_real[PATH_MAX];
	const char *real = realpath(base_dir, base_real);
	parsed_line p;
	if (parse_line(line, len, base_dir, real, true, &p, why, whylen) != 0)
		return -1;
	line_free(&p);
	return 0;
}

/* ------------------------------------------------------------- reading */

typedef struct {
	FILE *f;
	char *buf;        /* IMPORT_LINE_MAX + 1 bytes */
	size_t len;
	long number;      /* 1-based number of the line in buf */
	bool too_long;
} line_reader;

/* Reads the next line without its "\n" or "\r\n". A line longer than
 * IMPORT_LINE_MAX is read to its end but kept empty, with too_long set.
 * 1 = a line, 0 = end of file, -1 = read error. */
static int next_line(line_reader *r)
{
	FILE *f = r->f;
	int c = EOF;
	r->len = 0;
	r->too_long = false;
	bool any = false;
	while ((c = getc_unlocked(f)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (r->len < IMPORT_LINE_MAX + 1)
			r->buf[r->len++] = (char)c;
		else
			r->too_long = true;
	}
	if (ferror(f))
		return -1;
	if (!any)
		return 0;
	if (r->len > 0 && r->buf[r->len - 1] == '\r')
		r->len--;
	if (r->len > IMPORT_LINE_MAX)
		r->too_long = true;
	if (r->too_long)
		r->len = 0;
	r->number++;
	/* A byte order mark some editors put first is not part of the JSON. */
	if (r->number == 1 && r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->buf, r->buf + 3, r->len - 3);
		r->len -= 3;
	}
	return 1;
}

static long count_lines(FILE *f)
{
	char chunk[65536];
	size_t n;
	long lines = 0;
	int last = '\n';
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		for (char *p = chunk; (p = memchr(p, '\n', (size_t)(chunk + n - p))) != NULL; p++)
			lines++;
		last = (unsigned char)chunk[n - 1];
	}
	if (last != '\n')
		lines++;
	rewind(f);
	return lines;
}

/* ------------------------------------------------------------ progress */

typedef struct {
	FILE *out;
	const char *label;
	long total;
	int64_t last_ns;
	bool shown;       /* a progress line is on screen without its newline */
} progress_t;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void progress_show(progress_t *p, long done, bool force)
{
	if (p->out == NULL)
		return;
	int64_t t = now_ns();
	if (!force && p->last_ns != 0 && t - p->last_ns < PROGRESS_INTERVAL_NS)
		return;
	long total = p->total > 0 ? p->total : 1;
	long pct = done >= total ? 100 : done * 100 / total;
	fprintf(p->out, "\r%s: %ld%% (%ld/%ld)", p->label, pct, done, p->total);
	fflush(p->out);
	p->last_ns = t;
	p->shown = true;
}

static void progress_end(progress_t *p, long done)
{
	if (p->out == NULL)
		return;
	progress_show(p, done, true);
	fputc('\n', p->out);
	fflush(p->out);
	p->shown = false;
}

/* An error line must not be glued to a progress line on the same screen. */
static void report(FILE *errors, progress_t *p, const char *path, long line, const char *why)
{
	if (p->shown) {
		fputc('\n', p->out);
		p->shown = false;
	}
	if (errors != NULL)
		fprintf(errors, "%s:%ld: %s\n", path, line, why);
	else
		log_error("%s:%ld: %s", path, line, why);
}

/* -------------------------------------------------------------- writing */

/* Categories seen in this import, so each name costs one query. */
typedef struct {
	char *name;
	int64_t id;
} category_seen;

typedef struct {
	category_seen *items;
	size_t n, size;
} category_cache;

static int category_id(db_t *db, category_cache *c, const char *name, int64_t *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0) {
			*id = c->items[i].id;
			return 0;
		}
	if (category_ensure(db, name, id) != 0)
		return -1;
	if (c->n == c->size) {
		size_t size = c->size ? c->size * 2 : 16;
		category_seen *p = realloc(c->items, size * sizeof *p);
		if (p == NULL)
			return 0; /* only the cache is lost */
		c->items = p;
		c->size = size;
	}
	char *copy = strdup(name);
	if (copy != NULL)
		c->items[c->n++] = (category_seen){copy, *id};
	return 0;
}

static void category_cache_free(category_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].name);
	free(c->items);
}

/* Names of the files copied so far, to delete them if we roll back. */
typedef struct {
	char (*names)[MEDIA_FILE_MAX];
	size_t n, size;
	int64_t first_id; /* the first picture's row, 0 before any */
} copied_files;

static int copied_add(copied_files *c, const char *name)
{
	if (c->n == c->size) {
		size_t size = c->size ? c->size * 2 : 64;
		char(*p)[MEDIA_FILE_MAX] = realloc(c->names, size * sizeof *p);
		if (p == NULL)
			return -1;
		c->names = p;
		c->size = size;
	}
	snprintf(c->names[c->n++], MEDIA_FILE_MAX, "%s", name);
	return 0;
}

/* Points the body's Markdown image references at the stored files:
 * "](SRC)" and "](SRC \"title\")" become "](FILE...". Appends to out. */
static int rewrite_image_refs(const char *body, const parsed_line *p,
			      char files[][MEDIA_FILE_MAX], buf_t *out)
{
	const char *s = body;
	while (*s != '\0') {
		const char *hit = strstr(s, "](");
		if (hit == NULL)
			break;
		hit += 2;
		if (buf_append(out, s, (size_t)(hit - s)) != 0)
			return -1;
		s = hit;
		for (size_t i = 0; i < p->nimages; i++) {
			size_t n = strlen(p->images[i].src);
			if (strncmp(s, p->images[i].src, n) == 0 && (s[n] == ')' || s[n] == ' ')) {
				if (buf_puts(out, files[i]) != 0)
					return -1;
				s += n;
				break;
			}
		}
	}
	return buf_puts(out, s);
}

/* Writes one parsed line: its images into the media store, then the
 * article. 0, or -1 with why. */
static int write_article(db_t *db, const char *base_dir, const char *media_dir,
			 category_cache *cats, copied_files *copied, parsed_line *p,
			 char *why, size_t whylen)
{
	article_image ims[ARTICLE_IMAGES_MAX];
	char files[ARTICLE_IMAGES_MAX][MEDIA_FILE_MAX];
	int64_t cat, id;

	if (category_id(db, cats, p->category, &cat) != 0) {
		snprintf(why, whylen, "Không tạo được chuyên mục.");
		return -1;
	}
	for (size_t i = 0; i < p->nimages; i++) {
		char path[PATH_MAX], reason[256];
		media_info info;
		int64_t mid;
		int n = snprintf(path, sizeof path, "%s/%s", base_dir, p->images[i].src);
		if (n < 0 || (size_t)n >= sizeof path) {
			snprintf(why, whylen, "images[%zu]: đường dẫn quá dài.", i);
			return -1;
		}
		if (media_store_file_info(db, media_dir, path, p->images[i].src, p->images[i].caption,
					  &mid, files[i], sizeof files[i], &info, reason,
					  sizeof reason) != 0) {
			snprintf(why, whylen, "images[%zu]: %s", i, reason);
			return -1;
		}
		if (copied->first_id == 0)
			copied->first_id = mid;
		if (copied_add(copied, files[i]) != 0) {
			media_remove_file(media_dir, files[i]);
			snprintf(why, whylen, "Không đủ bộ nhớ.");
			return -1;
		}
		ims[i] = (article_image){
			.file = files[i], .caption = p->images[i].caption,
			.width = info.width, .height = info.height,
		};
	}
	buf_t body = BUF_INIT;
	if (rewrite_image_refs(p->body, p, files, &body) != 0) {
		buf_free(&body);
		snprintf(why, whylen, "Không đủ bộ nhớ.");
		return -1;
	}
	article_input in = {
		.title = p->title, .summary = p->summary, .body_md = body.data,
		.category_id = cat, .published_at = p->published_at, .status = ARTICLE_PUBLISHED,
		.tags = p->tags, .ntags = p->ntags, .images = ims, .nimages = p->nimages,
	};
	int rc = article_create(db, &in, &id);
	buf_free(&body);
	if (rc != 0) {
		snprintf(why, whylen, "Không ghi được bài viết vào cơ sở dữ liệu.");
		return -1;
	}
	return 0;
}

/*
 * Makes the variants of the pictures just imported (rows from first_id on,
 * total of them) as an upload gets them (model/media_image.h), one at a
 * time with a progress line. The articles are in already: a picture that
 * fails is counted in rep->pictures_failed and served as its original
 * until `sen media variants` or the server's worker completes it.
 */
static void make_variants(db_t *db, const char *media_dir, int64_t first_id, long total,
			  FILE *progress, import_report *rep)
{
	progress_t prog = {.out = progress, .label = "Ảnh", .total = total};
	int64_t after = first_id - 1;
	long done = 0;
	int rc;
	while ((rc = media_image_complete_next(db, media_dir, &after)) == 0 || rc == 2) {
		if (rc == 2)
			rep->pictures_failed++;
		progress_show(&prog, ++done, false);
	}
	progress_end(&prog, done);
}

/* The folder of path ("." when it has none). */
static void folder_of(const char *path, char *out, size_t outlen)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(out, outlen, ".");
	else if (slash == path)
		snprintf(out, outlen, "/");
	else
		snprintf(out, outlen, "%.*s", (int)(slash - path), path);
}

int import_articles(db_t *db, const char *jsonl_path, const char *media_src_dir,
		    const char *media_dir, FILE *errors, FILE *progress, import_report *rep)
{
	import_report dummy;
	line_reader r = {0};
	progress_t prog = {.out = progress};
	category_cache cats = {0};
	copied_files copied = {0};
	char base_dir[PATH_MAX], base_real_buf[PATH_MAX], why[1024];
	const char *base_real;
	bool in_tx = false;
	long good = 0, written = 0;
	int rc = -1, got;

	if (rep == NULL)
		rep = &dummy;
	memset(rep, 0, sizeof *rep);
	if (media_src_dir != NULL)
		snprintf(base_dir, sizeof base_dir, "%s", media_src_dir);
	else
		folder_of(jsonl_path, base_dir, sizeof base_dir);
	base_real = realpath(base_dir, base_real_buf);

	r.f = fopen(jsonl_path, "rb");
	if (r.f == NULL) {
		snprintf(why, sizeof why, "không mở được tệp: %s", strerror(errno));
		report(errors, &prog, jsonl_path, 0, why);
		return -1;
	}
	r.buf = malloc(IMPORT_LINE_MAX + 1);
	if (r.buf == NULL) {
		log_error("import: out of memory");
		goto out;
	}

	/* Pass 1: check everything, write nothing. */
	prog.label = "Kiểm tra";
	prog.total = progress != NULL ? count_lines(r.f) : 0;
	while ((got = next_line(&r)) == 1) {
		parsed_line p;
		progress_show(&prog, r.number, false);
		if (r.too_long) {
			snprintf(why, sizeof why, "Dòng dài quá %d byte.", IMPORT_LINE_MAX);
		} else if (blank(r.buf, r.len)) {
			continue;
		} else if (parse_line(r.buf, r.len, base_dir, base_real, true, &p, why,
				      sizeof why) == 0) {
			line_free(&p);
			good++;
			continue;
		}
		rep->bad++;
		report(errors, &prog, jsonl_path, r.number, why);
	}
	rep->lines = r.number;
	if (got < 0) {
		snprintf(why, sizeof why, "lỗi khi đọc tệp: %s", strerror(errno));
		report(errors, &prog, jsonl_path, r.number + 1, why);
		goto out;
	}
	prog.total = r.number;
	progress_end(&prog, r.number);
	if (rep->bad > 0)
		goto out;
	if (good == 0) {
		rc = 0;
		goto out;
	}

	/* Pass 2: one transaction for everything. */
	rewind(r.f);
	r.number = 0;
	prog.label = "Nhập";
	prog.total = good;
	if (db_begin(db) != 0) {
		report(errors, &prog, jsonl_path, 0, "không mở được giao dịch cơ sở dữ liệu.");
		goto out;
	}
	in_tx = true;
	while ((got = next_line(&r)) == 1) {
		parsed_line p;
		if (!r.too_long && blank(r.buf, r.len))
			continue;
		/* The file may have changed since pass 1: check again. */
		if (r.too_long) {
			snprintf(why, sizeof why, "Dòng dài quá %d byte.", IMPORT_LINE_MAX);
			goto bad_line;
		}
		if (parse_line(r.buf, r.len, base_dir, base_real, false, &p, why, sizeof why) != 0)
			goto bad_line;
		int wrc = write_article(db, base_dir, media_dir, &cats, &copied, &p, why, sizeof why);
		line_free(&p);
		if (wrc != 0)
			goto bad_line;
		written++;
		progress_show(&prog, written, false);
	}
	if (got < 0) {
		snprintf(why, sizeof why, "lỗi khi đọc tệp: %s", strerror(errno));
		report(errors, &prog, jsonl_path, r.number + 1, why);
		goto out;
	}
	if (db_commit(db) != 0) {
		report(errors, &prog, jsonl_path, 0, "không ghi được giao dịch (COMMIT).");
		goto out;
	}
	in_tx = false;
	progress_end(&prog, written);
	rep->imported = written;
	rc = 0;
	if (copied.n > 0)
		make_variants(db, media_dir, copied.first_id, (long)copied.n, progress, rep);
	goto out;

bad_line:
	rep->bad++;
	report(errors, &prog, jsonl_path, r.number, why);
out:
	if (in_tx) {
		db_rollback(db);
		for (size_t i = 0; i < copied.n; i++)
			media_remove_file(media_dir, copied.names[i]);
		if (prog.shown)
			progress_end(&prog, written);
		if (errors != NULL)
			fprintf(errors, "%s: đã hủy, không có bài viết nào được nhập.\n", jsonl_path);
	}
	category_cache_free(&cats);
	free(copied.names);
	free(r.buf);
	fclose(r.f);
	return rc;
}
