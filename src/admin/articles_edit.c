/*
 * articles_edit.c - the article editor: a new article at /admin/bai-viet/moi,
 * an existing one at /admin/bai-viet/ID, and the preview endpoint that
 * editor.js asks while the body is typed.
 *
 * Title, summary, Markdown body (previewed by markdown_to_html, the same
 * code as the public page), category, tags (comma-separated), pictures
 * from the media store with captions (the first is the article's featured
 * picture). Every refusal re-shows the form with everything typed; every
 * save records a revision (model/revision.h). Without JavaScript the
 * "Xem trước" button re-shows the form with the preview.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/editorial.h"
#include "app.h"
#include "core/fmt.h"
#include "core/text.h"
#include "db/db.h"
#include "model/category.h"
#include "model/media.h"
#include "model/revision.h"
#include "render/markdown.h"

/* Picture rows in the form; the first is the featured picture. */
#define IMAGE_ROWS 6
/* Media offered in each picture list (newest first). */
#define MEDIA_CHOICES 100
/* Bytes read from a field before it is refused as too long: above the
 * model's limits, so that a text slightly too long comes back to its
 * writer with a message instead of being lost. */
#define TITLE_INPUT_MAX (4 * ARTICLE_TITLE_MAX)
#define SUMMARY_INPUT_MAX (4 * ARTICLE_SUMMARY_MAX)
#define TAGS_INPUT_MAX (2 * ARTICLE_TAGS_TEXT_MAX)
#define CAPTION_INPUT_MAX (4 * ARTICLE_CAPTION_MAX)
#define BODY_INPUT_MAX ARTICLE_BODY_MAX

/* ---- site time -------------------------------------------------------------------- */

const char *editorial_local_input(http_req *req, int64_t t)
{
	const app_t *app = req->app;
	if (t <= 0)
		return "";
	time_t local = (time_t)(t + app->cfg.utc_offset);
	struct tm tm;
	char out[32];
	if (gmtime_r(&local, &tm) == NULL || strftime(out, sizeof out, "%Y-%m-%dT%H:%M", &tm) == 0)
		return "";
	return arena_strdup(req->arena, out);
}

int editorial_parse_local(http_req *req, const char *s, int64_t *t)
{
	const app_t *app = req->app;
	*t = 0;
	if (s == NULL || s[0] == '\0')
		return 0;
	/* A date alone is not a publication time. */
	if (strchr(s, 'T') == NULL)
		return -1;
	return parse_iso8601(s, app->cfg.utc_offset, t);
}

/* ---- the form ----------------------------------------------------------------------- */

typedef struct {
	const char *title, *summary, *body, *tags, *category;
	const char *file[IMAGE_ROWS], *caption[IMAGE_ROWS];
	bool too_long;              /* some field was over its input cap */
} form_values;

static const char *field(http_req *req, const char *name, size_t max, form_values *v)
{
	const char *s = admin_field(req, name, max);
	if (s == NULL) {
		v->too_long = true;
		return "";
	}
	return s;
}

static void read_form(http_req *req, form_values *v)
{
	memset(v, 0, sizeof(*v));
	v->title = field(req, "title", TITLE_INPUT_MAX, v);
	v->summary = field(req, "summary", SUMMARY_INPUT_MAX, v);
	v->body = field(req, "body", BODY_INPUT_MAX, v);
	v->tags = field(req, "tags", TAGS_INPUT_MAX, v);
	v->category = field(req, "category", 24, v);
	for (int i = 0; i < IMAGE_ROWS; i++) {
		v->file[i] = field(req, arena_sprintf(req->arena, "image_%d", i + 1), 128, v);
		v->caption[i] = field(req, arena_sprintf(req->arena, "caption_%d", i + 1),
				      CAPTION_INPUT_MAX, v);
	}
}

/* The form filled from a stored article. 0 or -1. */
static int values_of(http_req *req, db_t *db, const article *a, form_values *v)
{
	memset(v, 0, sizeof(*v));
	v->title = a->title;
	v->summary = a->summary != NULL ? a->summary : "";
	/* An empty summary is made from the body when saved; the form shows
	 * it empty again (as the newest version keeps it), so that it keeps
	 * following the body. */
	revision *last = NULL;
	size_t nlast = 0;
	if (revision_list(db, req->arena, a->id, 1, &last, &nlast) != 0)
		return -1;
	if (nlast == 1 && last[0].summary[0] == '\0')
		v->summary = "";
	v->body = a->body_md != NULL ? a->body_md : "";
	v->category = arena_sprintf(req->arena, "%lld", (long long)a->category_id);
	buf_t tags = BUF_INIT;
	for (size_t i = 0; i < a->ntags; i++)
		buf_printf(&tags, "%s%s", i > 0 ? ", " : "", a->tags[i]);
	buf_putc(&tags, '\0');
	v->tags = !tags.failed ? arena_strdup(req->arena, tags.data) : NULL;
	buf_free(&tags);
	article_image *imgs = NULL;
	size_t n = 0;
	if (v->tags == NULL || v->category == NULL ||
	    article_images(db, req->arena, a->id, &imgs, &n) != 0)
		return -1;
	for (int i = 0; i < IMAGE_ROWS; i++) {
		v->file[i] = (size_t)i < n ? imgs[i].file : "";
		v->caption[i] = (size_t)i < n ? imgs[i].caption : "";
	}
	return 0;
}

/* Splits "a, b ,c" into trimmed, non-empty names (arena). -1 when there
 * are more than ARTICLE_TAGS_MAX. */
static int split_tags(http_req *req, const char *text, const char ***out, size_t *n)
{
	*n = 0;
	const char **tags = arena_calloc(req->arena, ARTICLE_TAGS_MAX, sizeof(*tags));
	if (tags == NULL)
		return -1;
	const char *p = text;
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		const char *s = p;
		size_t l = len;
		while (l > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			l--;
		}
		while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			l--;
		if (l > 0) {
			if (*n == ARTICLE_TAGS_MAX)
				return -1;
			tags[(*n)++] = arena_strndup(req->arena, s, l);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	*out = tags;
	return 0;
}

/* The catalog key of what article_validate() refused (model/article.h). */
static const char *problem_key(const model_problem *p)
{
	static const struct {
		const char *field;
		int code;            /* 0: any other code */
		const char *key;
	} keys[] = {
		{"title", ARTICLE_EMPTY, "admin_editor_err_title_empty"},
		{"title", ARTICLE_TOO_LONG, "admin_editor_err_title_long"},
		{"title", 0, "admin_editor_err_title_text"},
		{"summary", ARTICLE_TOO_LONG, "admin_editor_err_summary_long"},
		{"summary", 0, "admin_editor_err_summary_text"},
		{"body", ARTICLE_TOO_LONG, "admin_editor_err_body_long"},
		{"body", 0, "admin_editor_err_body_text"},
		{"category", 0, "admin_editor_err_category"},
		{"tags", ARTICLE_TOO_MANY, "admin_editor_err_tags_many"},
		{"tags", 0, "admin_editor_err_tag"},
		{"captions", ARTICLE_TOO_LONG, "admin_editor_err_caption_long"},
		{"captions", 0, "admin_editor_err_caption_text"},
		{"images", 0, "admin_editor_err_image"},
	};
	for (size_t i = 0; p->field != NULL && i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(p->field, keys[i].field) == 0 && (keys[i].code == 0 || keys[i].code == p->code))
			return keys[i].key;
	return "admin_editor_err_invalid";
}

/*
 * Checks the form and fills *in. 0, or -1 with the catalog key of the
 * message in *key, when there is one a detail (the row number, the tag) in
 * *detail, and the form's field at fault, when one is, in *field.
 */
static int check_form(http_req *req, db_t *db, const form_values *v, article_input *in,
		      const char **key, const char **detail, const char **field)
{
	memset(in, 0, sizeof(*in));
	*detail = NULL;
	*field = NULL;
	size_t len;
	if (v->too_long) {
		*key = "admin_editor_err_too_long";
		return -1;
	}
	const char *t = v->title;
	len = strlen(t);
	while (len > 0 && (*t == ' ' || *t == '\t')) {
		t++;
		len--;
	}
	if (len == 0) {
		*key = "admin_editor_err_title_empty";
		*field = "title";
		return -1;
	}
	if (strlen(v->title) > ARTICLE_TITLE_MAX) {
		*key = "admin_editor_err_title_long";
		*field = "title";
		return -1;
	}
	if (strlen(v->summary) > ARTICLE_SUMMARY_MAX) {
		*key = "admin_editor_err_summary_long";
		*field = "summary";
		return -1;
	}
	if (strlen(v->body) > ARTICLE_BODY_MAX) {
		*key = "admin_editor_err_body_long";
		*field = "body";
		return -1;
	}
	int64_t cat_id;
	category cat;
	if (web_parse_id(v->category, &cat_id) != 0 ||
	    category_get(db, req->arena, cat_id, &cat) != 0) {
		*key = "admin_editor_err_category";
		*field = "category";
		return -1;
	}
	const char **tags = NULL;
	size_t ntags = 0;
	if (split_tags(req, v->tags, &tags, &ntags) != 0) {
		*key = "admin_editor_err_tags_many";
		*field = "tags";
		return -1;
	}
	for (size_t i = 0; i < ntags; i++) {
		char slug[96];
		if (strlen(tags[i]) > ARTICLE_TAG_MAX ||
		    text_slug(tags[i], strlen(tags[i]), slug, sizeof slug) == 0) {
			*key = "admin_editor_err_tag";
			*detail = tags[i];
			*field = "tags";
			return -1;
		}
	}
	article_image *images = arena_calloc(req->arena, IMAGE_ROWS, sizeof(*images));
	size_t nimages = 0;
	if (images == NULL) {
		*key = "admin_editor_err_save";
		return -1;
	}
	for (int i = 0; i < IMAGE_ROWS; i++) {
		if (strlen(v->caption[i]) > ARTICLE_CAPTION_MAX) {
			*key = "admin_editor_err_caption_long";
			*detail = arena_sprintf(req->arena, "%d", i + 1);
			*field = "images";
			return -1;
		}
		if (v->file[i][0] == '\0')
			continue;
		media m;
		if (!media_file_name_valid(v->file[i]) ||
		    media_get_by_file(db, req->arena, v->file[i], &m) != 0) {
			*key = "admin_editor_err_image";
			*detail = arena_sprintf(req->arena, "%d", i + 1);
			*field = "images";
			return -1;
		}
		bool twice = false;
		for (size_t j = 0; j < nimages; j++)
			twice = twice || strcmp(images[j].file, v->file[i]) == 0;
		if (twice) {
			*key = "admin_editor_err_image_twice";
			*detail = arena_sprintf(req->arena, "%d", i + 1);
			*field = "images";
			return -1;
		}
		images[nimages].file = v->file[i];
		images[nimages].caption = v->caption[i];
		images[nimages].width = m.width;
		images[nimages].height = m.height;
		nimages++;
	}
	in->title = v->title;
	in->summary = v->summary;
	in->body_md = v->body;
	in->category_id = cat_id;
	in->status = ARTICLE_DRAFT;
	in->tags = tags;
	in->ntags = ntags;
	in->images = images;
	in->nimages = nimages;
	/* Whatever else the model refuses (control characters ...). */
	model_problem problem;
	if (article_validate(in, &problem) != 0) {
		*key = problem_key(&problem);
		*field = problem.field != NULL && strcmp(problem.field, "captions") == 0
				 ? "images"
				 : problem.field;
		if (problem.item > 0)
			*detail = strcmp(problem.field, "tags") == 0 && (size_t)problem.item <= ntags
					  ? tags[problem.item - 1]
					  : arena_sprintf(req->arena, "%d", problem.item);
		return -1;
	}
	return 0;
}

/* ---- the page ----------------------------------------------------------------------- */

static json_t *image_rows(http_req *req, db_t *db, const form_values *v)
{
	article_media_choice *choices = NULL;
	size_t n = 0;
	if (article_media_choices(db, req->arena, MEDIA_CHOICES, &choices, &n) != 0)
		n = 0;
	json_t *rows = json_array();
	for (int i = 0; rows != NULL && i < IMAGE_ROWS; i++) {
		json_t *opts = json_array();
		bool found = v->file[i][0] == '\0';
		for (size_t k = 0; k < n; k++) {
			bool sel = strcmp(choices[k].file, v->file[i]) == 0;
			found = found || sel;
			const char *name = choices[k].original_name[0] != '\0' ? choices[k].original_name
									       : choices[k].file;
			json_array_append_new(
			    opts, json_pack("{s:s, s:s, s:b}", "file", choices[k].file, "label",
					    arena_sprintf(req->arena, "%s (%d×%d)", name, choices[k].width,
							  choices[k].height),
					    "selected", sel));
		}
		/* A picture older than the offered ones, or one typed in, stays chosen. */
		if (!found)
			json_array_insert_new(opts, 0,
					      json_pack("{s:s, s:s, s:b}", "file", v->file[i], "label",
							v->file[i], "selected", 1));
		json_array_append_new(rows, json_pack("{s:i, s:b, s:o, s:s}", "n", i + 1, "featured",
						      i == 0, "options", opts, "caption",
						      v->caption[i]));
	}
	return rows;
}

/* The body as the public page would show it, or NULL (too long, not UTF-8). */
static const char *render_preview(http_req *req, const char *md)
{
	buf_t html = BUF_INIT;
	const char *out = NULL;
	if (markdown_to_html(md, strlen(md), &html) == 0 && buf_putc(&html, '\0') == 0)
		out = arena_strdup(req->arena, html.data);
	buf_free(&html);
	return out;
}

/*
 * Renders the editor. a: the article (NULL for a new one). v: the values
 * shown. message_key/detail: an error; notice_key: a success note;
 * preview: the rendered body to show (NULL: none). publish_typed: the
 * publication time as typed, re-shown after a refusal (NULL: the article's).
 * saved: the page follows a successful save of the form. invalid_field: the
 * field the error is about ("title" ...), marked on the form, or NULL.
 */
static int editor_page(http_req *req, http_res *res, const admin_user *me, int status,
		       const article *a, const form_values *v, const char *message_key,
		       const char *detail, const char *notice_key, const char *preview,
		       const char *publish_typed, bool saved, const char *invalid_field)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, a != NULL ? "admin_editor_edit_title"
						       : "admin_editor_new_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	bool editable = a == NULL || article_may(me->role, me->id, a->author_id, a->status,
						 ARTICLE_EDIT);
	const char *action = a != NULL ? editorial_url(req, a->id, NULL) : EDITORIAL_PATH_NEW;
	json_t *form = json_pack(
	    "{s:s, s:s?, s:s, s:s, s:s, s:s, s:o, s:o, s:s?, s:s, s:s, s:b, s:i, s:i, s:i}",
	    "action", action, "csrf",
	    admin_csrf_token(req, me, a != NULL ? EDITORIAL_PATH_EDIT : EDITORIAL_PATH_NEW), "title",
	    v->title, "summary", v->summary, "body", v->body, "tags", v->tags, "categories",
	    web_categories(req, db, v->category, true), "images", image_rows(req, db, v),
	    "preview_csrf", admin_csrf_token(req, me, EDITORIAL_PATH_PREVIEW), "preview_action",
	    EDITORIAL_PATH_PREVIEW, "draft_key",
	    a != NULL ? arena_sprintf(req->arena, "sen-editor:%lld", (long long)a->id)
		      : arena_sprintf(req->arena, "sen-editor:new:%lld", (long long)me->id),
	    "editable", editable, "title_max", ARTICLE_TITLE_MAX, "summary_max",
	    ARTICLE_SUMMARY_MAX, "caption_max", ARTICLE_CAPTION_MAX);
	if (form != NULL)
		json_object_set_new(form, "new_key",
				    json_string(arena_sprintf(req->arena, "sen-editor:new:%lld",
							      (long long)me->id)));
	if (form != NULL)
		json_object_set_new(form, "may_submit",
				    json_boolean(a == NULL ? me->role == USER_AUTHOR
							   : article_may(me->role, me->id, a->author_id,
									 a->status, ARTICLE_SUBMIT)));
	json_object_set_new(ctx, "form", form);

	if (a != NULL) {
		int64_t now = admin_now();
		bool scheduled = a->status == ARTICLE_PUBLISHED && a->published_at > now;
		json_t *art = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		    (json_int_t)a->id, "status", editorial_status_label(req, a, now), "status_class",
		    editorial_status_class(a, now), "author",
		    a->author_name != NULL ? a->author_name : "", "updated",
		    editorial_datetime(req, a->updated_at), "revisions_url",
		    editorial_url(req, a->id, "/phien-ban"), "submit_action",
		    editorial_url(req, a->id, "/gui-duyet"), "publish_action",
		    editorial_url(req, a->id, "/dang"), "unpublish_action",
		    editorial_url(req, a->id, "/go"), "return_action",
		    editorial_url(req, a->id, "/tra-lai"), "delete_action",
		    editorial_url(req, a->id, "/xoa"), "publish_value",
		    publish_typed != NULL ? publish_typed
		    : scheduled	  ? editorial_local_input(req, a->published_at)
				  : "");
		if (art != NULL) {
			if (a->status == ARTICLE_PUBLISHED)
				json_object_set_new(art, "published",
						    json_string(editorial_datetime(req, a->published_at)));
			if (a->status == ARTICLE_PUBLISHED && !scheduled)
				json_object_set_new(art, "public_url",
						    json_string(arena_sprintf(req->arena, "/%s/%s-%lld",
									      a->category_slug, a->slug,
									      (long long)a->id)));
			static const struct {
				const char *name;
				enum article_action action;
				const char *purpose;
			} acts[] = {
				{"submit", ARTICLE_SUBMIT, EDITORIAL_PATH_SUBMIT},
				{"publish", ARTICLE_PUBLISH, EDITORIAL_PATH_PUBLISH},
				{"unpublish", ARTICLE_UNPUBLISH, EDITORIAL_PATH_UNPUBLISH},
				{"return", ARTICLE_RETURN, EDITORIAL_PATH_RETURN},
				{"delete", ARTICLE_DELETE, EDITORIAL_PATH_DELETE},
			};
			json_t *may = json_object(), *csrf = json_object();
			bool any = false;
			for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
				bool ok = article_may(me->role, me->id, a->author_id, a->status,
						      acts[i].action);
				any = any || ok;
				json_object_set_new(may, acts[i].name, json_boolean(ok));
				if (ok)
					json_object_set_new(csrf, acts[i].name,
							    json_string(admin_csrf_token(req, me,
											 acts[i].purpose)));
			}
			/* The editor's own form carries the publish button when the
			 * text can be edited: publishing then saves it first. */
			json_object_set_new(art, "publish_saves",
					    json_boolean(editable && json_is_true(json_object_get(
									 may, "publish"))));
			json_object_set_new(art, "may", may);
			json_object_set_new(art, "csrf", csrf);
			json_object_set_new(art, "any_action", json_boolean(any));
		}
		json_object_set_new(ctx, "article", art);
	}
	if (form != NULL && invalid_field != NULL)
		json_object_set_new(form, "invalid", json_pack("{s:b}", invalid_field, 1));
	if (message_key != NULL) {
		const char *text = web_text(req, message_key);
		if (detail != NULL && detail[0] != '\0')
			text = arena_sprintf(req->arena, "%s (%s)", text, detail);
		json_object_set_new(ctx, "message", json_string(text));
	}
	if (notice_key != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice_key)));
	/* A page shown after a successful save lets editor.js forget its copy. */
	json_object_set_new(ctx, "saved", json_boolean(saved && status == 200));
	/* Read-only (an author's article once sent for review): the text is
	 * shown as it will read, not as Markdown with a preview to ask for. */
	if (preview == NULL && !editable)
		preview = render_preview(req, v->body);
	if (preview != NULL)
		json_object_set_new(ctx, "preview_html", json_string(preview));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/editor.css"));
	json_object_set_new(ctx, "scripts", json_pack("[s]", "/static/js/admin/editor.js"));
	return admin_render(req, res, status, "admin/editor", ctx);
}

/* ---- handlers ----------------------------------------------------------------------- */

/* saved: the notice follows a save of the form, so the copy editor.js
 * kept is now on the server (after a workflow action it may not be). */
static const struct {
	const char *ok, *key;
	bool saved;
} edit_notices[] = {
	{"tao", "admin_editor_created", true},
	{"luu", "admin_editor_saved", true},
	{"luu-gui-duyet", "admin_editor_submitted", true},
	{"gui-duyet", "admin_editor_submitted", false},
	{"dang", "admin_editor_published", false},
	{"hen-gio", "admin_editor_scheduled", false},
	{"go", "admin_editor_unpublished", false},
	{"tra-lai", "admin_editor_returned", false},
	{"khoi-phuc", "admin_editor_restored", false},
};

int editorial_new_form(http_req *req, http_res *res, const admin_user *me)
{
	form_values v;
	memset(&v, 0, sizeof v);
	v.title = v.summary = v.body = v.tags = v.category = "";
	for (int i = 0; i < IMAGE_ROWS; i++)
		v.file[i] = v.caption[i] = "";
	return editor_page(req, res, me, 200, NULL, &v, NULL, NULL, NULL, NULL, NULL, false, NULL);
}

int editorial_edit_form(http_req *req, http_res *res, const admin_user *me)
{
	article a;
	int status = editorial_article(req, me, ARTICLE_VIEW, &a);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	form_values v;
	if (values_of(req, db_get(), &a, &v) != 0)
		return admin_error(req, res, me, 500, NULL);
	const char *notice = NULL, *message = NULL;
	bool saved = false;
	const char *ok = http_query(req, "ok");
	for (size_t i = 0; ok != NULL && i < sizeof edit_notices / sizeof edit_notices[0]; i++)
		if (strcmp(ok, edit_notices[i].ok) == 0) {
			notice = edit_notices[i].key;
			saved = edit_notices[i].saved;
		}
	const char *err = http_query(req, "loi");
	if (err != NULL && strcmp(err, "xac-nhan") == 0)
		message = "admin_editor_confirm_delete";
	return editor_page(req, res, me, message != NULL ? 400 : 200, &a, &v, message, NULL, notice,
			   NULL, NULL, saved, NULL);
}

/* What the form's buttons ask: "save", "submit" (save and submit for
 * review), "publish" (save, then publish or schedule at the form's
 * published_at) or "preview". */
static const char *form_intent(http_req *req)
{
	const char *s = http_form(req, "do");
	if (s != NULL && (strcmp(s, "preview") == 0 || strcmp(s, "submit") == 0 ||
			  strcmp(s, "publish") == 0))
		return s;
	return "save";
}

int editorial_create(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	if (db == NULL)
		return admin_error(req, res, me, 500, NULL);
	form_values v;
	read_form(req, &v);
	const char *intent = form_intent(req);
	if (strcmp(intent, "preview") == 0)
		return editor_page(req, res, me, 200, NULL, &v, NULL, NULL, NULL,
				   render_preview(req, v.body), NULL, false, NULL);
	article_input in;
	const char *key = NULL, *detail = NULL, *field = NULL;
	if (check_form(req, db, &v, &in, &key, &detail, &field) != 0)
		return editor_page(req, res, me, 400, NULL, &v, key, detail, NULL, NULL, NULL, false,
				   field);
	in.author_id = me->id;
	int64_t id = 0, now = admin_now();
	if (revision_save(db, req->arena, &id, &in, me->id, editorial_user_name(me), now, NULL) != 0)
		return editor_page(req, res, me, 500, NULL, &v, "admin_editor_err_save", NULL, NULL,
				   NULL, NULL, false, NULL);
	article a = {.id = id, .title = in.title};
	editorial_audit(req, me, AUDIT_ARTICLE_CREATE, &a, "");
	const char *ok = "tao";
	if (strcmp(intent, "submit") == 0 &&
	    article_transition(db, id, me->role, me->id, ARTICLE_SUBMIT, 0, now, NULL) == 0) {
		editorial_audit(req, me, AUDIT_ARTICLE_SUBMIT, &a, "draft -> review");
		ok = "luu-gui-duyet";
	}
	return http_redirect(res, 303, arena_sprintf(req->arena, ADMIN_PATH_ARTICLES "/%lld?ok=%s",
						     (long long)id, ok));
}

int editorial_save(http_req *req, http_res *res, const admin_user *me)
{
	article a;
	int status = editorial_article(req, me, ARTICLE_VIEW, &a);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	db_t *db = db_get();
	form_values v;
	read_form(req, &v);
	if (!article_may(me->role, me->id, a.author_id, a.status, ARTICLE_EDIT))
		return editor_page(req, res, me, 403, &a, &v, "admin_editor_not_editable", NULL, NULL,
				   NULL, NULL, false, NULL);
	const char *intent = form_intent(req);
	if (strcmp(intent, "preview") == 0)
		return editor_page(req, res, me, 200, &a, &v, NULL, NULL, NULL,
				   render_preview(req, v.body), NULL, false, NULL);
	/* Publishing from the editor saves what is typed first, so what goes
	 * out is what the editor sees; a bad time or no right to publish
	 * refuses before anything is saved, keeping what was typed. */
	bool publish = strcmp(intent, "publish") == 0;
	if (publish && !article_may(me->role, me->id, a.author_id, a.status, ARTICLE_PUBLISH))
		return editor_page(req, res, me, 403, &a, &v, "admin_editor_not_allowed", NULL, NULL,
				   NULL, NULL, false, NULL);
	const char *when_text = publish ? admin_field(req, "published_at", 64) : NULL;
	int64_t when = 0;
	if (publish && (when_text == NULL || editorial_parse_local(req, when_text, &when) != 0))
		return editor_page(req, res, me, 400, &a, &v, "admin_editor_err_time", NULL, NULL,
				   NULL, when_text != NULL ? when_text : "", false, "published_at");
	article_input in;
	const char *key = NULL, *detail = NULL, *field = NULL;
	if (check_form(req, db, &v, &in, &key, &detail, &field) != 0)
		return editor_page(req, res, me, 400, &a, &v, key, detail, NULL, NULL,
				   publish ? when_text : NULL, false, field);
	int64_t id = a.id, now = admin_now();
	int rc = revision_save_as(db, req->arena, &id, &in, me->role, me->id,
				  editorial_user_name(me), now);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc == 2)   /* submitted or published meanwhile */
		return editor_page(req, res, me, 409, &a, &v, "admin_editor_state_changed", NULL,
				   NULL, NULL, NULL, false, NULL);
	if (rc != 0)
		return editor_page(req, res, me, 500, &a, &v, "admin_editor_err_save", NULL, NULL,
				   NULL, NULL, false, NULL);
	if (publish)
		return editorial_publish(req, res, me);
	const char *ok = "luu";
	if (strcmp(intent, "submit") == 0) {
		rc = article_transition(db, id, me->role, me->id, ARTICLE_SUBMIT, 0, now, NULL);
		if (rc == 0) {
			a.title = in.title;
			editorial_audit(req, me, AUDIT_ARTICLE_SUBMIT, &a, "draft -> review");
			ok = "luu-gui-duyet";
		}
	}
	return http_redirect(res, 303, editorial_url(req, id, arena_sprintf(req->arena, "?ok=%s", ok)));
}

int editorial_preview(http_req *req, http_res *res, const admin_user *me)
{
	const char *body = admin_field(req, "body", BODY_INPUT_MAX);
	if (body == NULL)
		return admin_error(req, res, me, 413, NULL);
	const char *html = render_preview(req, body);
	if (html == NULL)
		return admin_error(req, res, me, 400, NULL);
	buf_clear(&res->body);
	buf_puts(&res->body, html);
	res->content_type = "text/html; charset=utf-8";
	res->status = 200;
	return 200;
}

/* Where to go after an action: back to the queue when the form says so
 * (a fixed value, never a URL from the form), else to the article. */
static const char *after_action(http_req *req, int64_t id, const char *ok)
{
	const char *from = http_form(req, "tu");
	if (from != NULL && strcmp(from, "duyet-bai") == 0)
		return arena_sprintf(req->arena, ADMIN_PATH_REVIEW "?ok=%s", ok);
	return arena_sprintf(req->arena, ADMIN_PATH_ARTICLES "/%lld?ok=%s", (long long)id, ok);
}

int editorial_transition(http_req *req, http_res *res, const admin_user *me,
		      enum article_action action, int64_t when, const char *audit_action,
		      const char *ok)
{
	article a;
	int status = editorial_article(req, me, action, &a);
	if (status == 403)
		return admin_error(req, res, me, 403, "admin_editor_not_allowed");
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int64_t now = admin_now();
	int from = 0;
	int rc = article_transition(db_get(), a.id, me->role, me->id, action, when, now, &from);
	if (rc == ARTICLE_TRANSITION_NOT_FOUND)
		return admin_error(req, res, me, 404, NULL);
	if (rc == ARTICLE_TRANSITION_FORBIDDEN)     /* someone changed it meanwhile */
		return admin_error(req, res, me, 409, "admin_editor_state_changed");
	if (rc == ARTICLE_TRANSITION_BAD_TIME)
		return admin_error(req, res, me, 400, "admin_editor_err_time");
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	int to = action == ARTICLE_SUBMIT      ? ARTICLE_REVIEW
		 : action == ARTICLE_PUBLISH   ? ARTICLE_PUBLISHED
		 : action == ARTICLE_UNPUBLISH ? ARTICLE_UNPUBLISHED
					       : ARTICLE_DRAFT;
	const char *details = arena_sprintf(req->arena, "%s -> %s", editorial_status_name(from),
					    editorial_status_name(to));
	if (action == ARTICLE_PUBLISH && when > now)
		details = arena_sprintf(req->arena, "%s, %s", details, editorial_datetime(req, when));
	editorial_audit(req, me, audit_action, &a, details);
	return http_redirect(res, 303, after_action(req, a.id, ok));
}

int editorial_publish(http_req *req, http_res *res, const admin_user *me)
{
	const char *when_text = admin_field(req, "published_at", 64);
	int64_t when = 0;
	if (when_text == NULL || editorial_parse_local(req, when_text, &when) != 0) {
		article a;
		int status = editorial_article(req, me, ARTICLE_PUBLISH, &a);
		if (status != 0)
			return admin_error(req, res, me, status, NULL);
		return editorial_publish_refused(req, res, me, &a, when_text);
	}
	int64_t now = admin_now();
	bool later = when > now;
	return editorial_transition(req, res, me, ARTICLE_PUBLISH, when,
			  later ? AUDIT_ARTICLE_SCHEDULE : AUDIT_ARTICLE_PUBLISH,
			  later ? "hen-gio" : "dang");
}

int editorial_publish_refused(http_req *req, http_res *res, const admin_user *me,
			      const article *a, const char *typed)
{
	form_values v;
	if (values_of(req, db_get(), a, &v) != 0)
		return admin_error(req, res, me, 500, NULL);
	return editor_page(req, res, me, 400, a, &v, "admin_editor_err_time", NULL, NULL, NULL,
			   typed != NULL ? typed : "", false, NULL);
}
