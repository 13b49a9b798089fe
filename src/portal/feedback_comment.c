/*
 * feedback_comment.c - "Bình luận": the comment list and form on the article
 * page, POST /binh-luan/:id, and POST /api/v1/articles/:id/comments.
 *
 * A comment is refused, with a message that says why and everything the
 * reader typed kept, when: the sender is a crawler; the hidden "website"
 * field (a honeypot people never see) is filled; the form came back sooner
 * than FEEDBACK_FORM_MIN_SECONDS after it was made, or later than
 * FEEDBACK_FORM_MAX_SECONDS (the form carries its signed issue time); the
 * visitor sent FEEDBACK_FLOOD_COUNT comments within FEEDBACK_FLOOD_WINDOW, or
 * its address FEEDBACK_ADDRESS_COMMENTS within FEEDBACK_ADDRESS_WINDOW;
 * the model refuses the text (length, links, control characters); or the
 * CAPTCHA answer is wrong. Checks that cost nothing come first, the CAPTCHA
 * last, so a typo in the name does not burn the code the reader solved.
 * A stored comment waits for moderation and is shown only once approved.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/fmt.h"
#include "core/log.h"
#include "model/comment.h"
#include "portal/feedback_private.h"
#include "portal/portal.h"
#include "portal/widgets.h"
#include "render/i18n.h"

/* Catalog keys (locale/vi.po, en.po), shown through web_text(). */
#define MSG_PENDING "portal_comment_pending"
#define MSG_BOT "portal_comment_bot"
#define MSG_CAPTCHA "portal_captcha_wrong"
#define MSG_HONEYPOT "portal_comment_honeypot_filled"
#define MSG_TOO_FAST "portal_comment_too_fast"
#define MSG_STALE "portal_comment_stale"
#define MSG_FORM_INVALID "portal_comment_form_invalid"
#define MSG_FLOOD "portal_comment_flood"
#define MSG_ADDRESS_FLOOD "portal_comment_address_flood"
#define MSG_NOT_FOUND "portal_not_found"
#define MSG_INTERNAL "portal_internal"
/* A message in the reader's language; every caller has its request in req. */
#define T(key) web_text(req, (key))

/* ---- the comment section of the article page -------------------------------------- */

static json_t *comment_json(http_req *req, const comment *c)
{
	const app_t *app = req->app;
	char date[32], iso[40];
	fmt_datetime(date, sizeof date, c->created_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, c->created_at, app->cfg.utc_offset);
	/* The body stays plain text: the template escapes it and CSS
	 * (white-space: pre-line) shows its line breaks. */
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id, "name", c->name,
			 "body", c->body, "date", date, "date_iso", iso);
}

/* ?name=N where N is 0..999999, else 0. */
static int64_t small_query_number(http_req *req, const char *name)
{
	const char *s = http_query(req, name);
	int64_t v = 0;
	if (s == NULL || s[0] == '\0' || strlen(s) > 6)
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* What the empty form needs. Nothing here may differ between readers,
 * because the page is cached: the picture URL makes a new code per reader
 * when the browser fetches it, and the time token is the page's own. */
static json_t *form_context(http_req *req, json_t *art_obj, int64_t article_id)
{
	char token[80];
	feedback_form_token(article_id, (int64_t)time(NULL), token, sizeof token);
	const char *path = json_string_value(json_object_get(art_obj, "path"));
	/* The "Mã khác" link reloads the page under ?ma=N+1 (a new cache
	 * entry, a new picture URL). A form shown again after a POST is never
	 * cached, so a random N keeps the browser from reusing the old picture. */
	int64_t n = req->method == HTTP_POST ? (int64_t)randombytes_uniform(1000000)
					     : small_query_number(req, "ma");
	return json_pack("{s:s, s:s, s:s, s:s, s:i}", "token", token, "captcha_src",
			 arena_sprintf(req->arena, "/ma-xac-thuc/moi.png?bai=%" PRId64 "&n=%" PRId64,
				       article_id, n),
			 "new_code_url",
			 arena_sprintf(req->arena, "%s?ma=%" PRId64 "#binh-luan", path ? path : "",
				       (n + 1) % 1000000),
			 "pow_url",
			 arena_sprintf(req->arena, "/ma-xac-thuc/pow.json?bai=%" PRId64, article_id),
			 "pow_bits", FEEDBACK_POW_BITS);
}

void feedback_comments_context(http_req *req, json_t *art_obj, const article *art)
{
	int64_t article_id = art->id;
	db_t *db = db_get();
	if (db == NULL || art_obj == NULL)
		return;
	int64_t count = 0;
	comment *items = NULL;
	size_t n = 0;
	bool more = false;
	int64_t after = 0;
	const char *s = http_query(req, "binh-luan-sau");
	if (s != NULL && web_parse_id(s, &after) != 0)
		after = 0;
	if (comment_count_approved(db, article_id, &count) != 0 ||
	    comment_list_approved(db, req->arena, article_id, after, FEEDBACK_COMMENTS_PAGE, &items,
				  &n, &more) != 0) {
		log_error("feedback: no comments for article %" PRId64, article_id);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++)
		json_array_append_new(list, comment_json(req, &items[i]));
	char count_text[32];
	fmt_int(count_text, sizeof count_text, count, web_lang(req));
	json_t *c = json_pack("{s:I, s:s, s:o, s:b, s:b}", "count", (json_int_t)count,
			      "count_text", count_text, "items", list, "has_items", n > 0,
			      "is_continuation", after > 0);
	if (c == NULL)
		return;
	const char *path = json_string_value(json_object_get(art_obj, "path"));
	if (more && n > 0 && path != NULL)
		json_object_set_new(c, "next_url",
				    json_string(arena_sprintf(req->arena,
							      "%s?binh-luan-sau=%" PRId64 "#binh-luan",
							      path, items[n - 1].id)));
	if (after > 0 && path != NULL)
		json_object_set_new(c, "first_url",
				    json_string(arena_sprintf(req->arena, "%s#binh-luan", path)));
	const char *done = http_query(req, "binh-luan");
	if (done != NULL && strcmp(done, "cho-duyet") == 0)
		json_object_set_new(c, "notice", json_string(T(MSG_PENDING)));
	json_object_set_new(art_obj, "comments", c);
	json_t *f = form_context(req, art_obj, article_id);
	if (f != NULL)
		json_object_set_new(art_obj, "feedback", f);
}

/* ---- shared by the form and the API ------------------------------------------------- */

/* The catalog key of each refusal of the comment model (model/comment.h). */
static const char *const problem_keys[] = {
	[COMMENT_NAME_MISSING] = "portal_comment_err_name_missing",
	[COMMENT_NAME_LONG] = "portal_comment_err_name_long",
	[COMMENT_NAME_NEWLINE] = "portal_comment_err_name_newline",
	[COMMENT_NAME_INVALID] = "portal_comment_err_name_invalid",
	[COMMENT_NAME_LINK] = "portal_comment_err_name_link",
	[COMMENT_EMAIL_LONG] = "portal_comment_err_email_long",
	[COMMENT_EMAIL_INVALID] = "portal_comment_err_email_invalid",
	[COMMENT_BODY_MISSING] = "portal_comment_err_body_missing",
	[COMMENT_BODY_LONG] = "portal_comment_err_body_long",
	[COMMENT_BODY_INVALID] = "portal_comment_err_body_invalid",
	[COMMENT_BODY_LINKS] = "portal_comment_err_body_links",
	[COMMENT_NOT_UTF8] = "portal_comment_err_utf8",
	[COMMENT_CAPTCHA_WRONG] = MSG_CAPTCHA,
};

/* Why the model refused, in the reader's language. */
static const char *problem_text(http_req *req, const model_problem *p)
{
	const char *key = MSG_FORM_INVALID;
	if (p->code > 0 && (size_t)p->code < sizeof problem_keys / sizeof problem_keys[0] &&
	    problem_keys[p->code] != NULL)
		key = problem_keys[p->code];
	return i18n_fill(req->arena, web_lang(req), key, p->limit, p->count, p->item);
}

/* 1 when this visitor already sent FEEDBACK_FLOOD_COUNT comments within the
 * window, 2 when its address (whatever the User-Agent) sent
 * FEEDBACK_ADDRESS_COMMENTS within FEEDBACK_ADDRESS_WINDOW; 0 when neither,
 * -1 on error. */
static int flooding(db_t *db, const char *visitor, const char *address, int64_t now)
{
	int64_t recent = 0, from_address = 0;
	if (comment_recent_count(db, visitor, now - FEEDBACK_FLOOD_WINDOW, &recent) != 0 ||
	    throttle_action_count(db, address, THROTTLE_ACTION_COMMENT,
				  now - FEEDBACK_ADDRESS_WINDOW, &from_address) != 0)
		return -1;
	if (recent >= FEEDBACK_FLOOD_COUNT)
		return 1;
	return from_address >= FEEDBACK_ADDRESS_COMMENTS ? 2 : 0;
}

/* Counts a stored comment against its address's budget. The comment is
 * already committed: a failure here is logged, not the reader's problem. */
static void count_comment(db_t *db, const char *address, int64_t now)
{
	if (throttle_action_note(db, address, THROTTLE_ACTION_COMMENT, now) != 0)
		log_error("feedback: a comment was not counted against its address");
}

/* ---- POST /binh-luan/:id --------------------------------------------------------------- */

/* The article page again, with what the reader typed and why it was refused
 * (as article.form). field: "name", "email", "body", "captcha" or NULL. */
static int reshow(http_req *req, http_res *res, int64_t id, const comment_input *in,
		  const char *field, const char *message, int status)
{
	json_t *form = json_pack("{s:s, s:s, s:s}", "name", in->name ? in->name : "", "email",
				 in->email ? in->email : "", "body", in->body ? in->body : "");
	if (form == NULL)
		return 500;
	if (field != NULL && strcmp(field, "captcha") == 0) {
		json_object_set_new(form, "captcha_error", json_string(message));
	} else {
		json_object_set_new(form, "error", json_string(message));
		if (field != NULL)
			json_object_set_new(form, arena_sprintf(req->arena, "%s_invalid", field),
					    json_true());
	}
	return portal_article_page(req, res, id, form, status);
}

static const char *form_text(http_req *req, const char *name)
{
	const char *v = http_form(req, name);
	return v != NULL ? v : "";
}

int feedback_comment(http_req *req, http_res *res)
{
	int64_t id;
	if (web_parse_id(req->params[0], &id) != 0)
		return 404;
	int64_t now = (int64_t)time(NULL);
	comment_input in = {id, form_text(req, "name"), form_text(req, "email"),
			    form_text(req, "body"), NULL};
	if (feedback_is_bot(req))
		return reshow(req, res, id, &in, NULL, T(MSG_BOT), 403);
	if (form_text(req, "website")[0] != '\0')
		return reshow(req, res, id, &in, NULL, T(MSG_HONEYPOT), 422);
	switch (feedback_form_token_check(http_form(req, "t"), id, now)) {
	case FORM_AGE_OK:
		break;
	case FORM_AGE_TOO_FAST:
		return reshow(req, res, id, &in, NULL, T(MSG_TOO_FAST), 422);
	case FORM_AGE_STALE:
		return reshow(req, res, id, &in, NULL, T(MSG_STALE), 422);
	default:
		return reshow(req, res, id, &in, NULL, T(MSG_FORM_INVALID), 422);
	}

	char visitor[VISITOR_ID_LEN + 1], address[THROTTLE_KEY_LEN + 1];
	db_t *db = db_get();
	if (db == NULL || !feedback_visitor(req, visitor) || !feedback_address(req, address))
		return 500;
	in.visitor = visitor;
	int flood = flooding(db, visitor, address, now);
	if (flood < 0)
		return 500;
	if (flood)
		return reshow(req, res, id, &in, NULL, T(flood == 2 ? MSG_ADDRESS_FLOOD : MSG_FLOOD),
			      429);

	/* The form names its CAPTCHA through the cookie set with the picture;
	 * a captcha_id field (as the API sends) takes precedence. */
	const char *cid = http_form(req, "captcha_id");
	feedback_answer ans = {cid != NULL && cid[0] != '\0' ? cid
							      : http_cookie(req, FEEDBACK_CAPTCHA_COOKIE),
			       http_form(req, "ma"), http_form(req, "pow_challenge"),
			       http_form(req, "pow_nonce")};
	int64_t comment_id = 0;
	model_problem problem;
	int rc = feedback_store_comment(db, &ans, &in, now, &comment_id, &problem);
	if (rc == 1)
		return 404;
	if (rc == 2)
		return reshow(req, res, id, &in, problem.field, problem_text(req, &problem), 422);
	if (rc != 0)
		return 500;
	count_comment(db, address, now);

	int missing = 0;
	const char *path = feedback_article_path(req, id, &missing);
	const char *to = path != NULL ? arena_sprintf(req->arena,
						      "%s?binh-luan=cho-duyet#binh-luan", path)
				      : NULL;
	if (to == NULL)
		return missing ? 404 : 500;
	http_res_header(res, "Cache-Control", "no-store");
	return http_redirect(res, 303, to);
}

/* ---- POST /api/v1/articles/:id/comments ------------------------------------------------- */

static int api_field_error(http_req *req, http_res *res, int status, const char *code,
			   const char *message, const char *field)
{
	return web_send_json(req, res, status,
			     json_pack("{s:s, s:s, s:s?}", "error", code, "message", message,
				       "field", field));
}

/* A string member or NULL when absent or null; *bad names the member when it
 * has another type. */
static const char *json_text(json_t *o, const char *key, const char **bad)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		if (*bad == NULL)
			*bad = key;
		return NULL;
	}
	return json_string_value(v);
}

int api_comments(http_req *req, http_res *res)
{
	int64_t id;
	if (web_parse_id(req->params[0], &id) != 0)
		return web_api_error(req, res, 404, "not_found", MSG_NOT_FOUND);
	if (feedback_is_bot(req))
		return web_api_error(req, res, 403, "forbidden", MSG_BOT);
	json_t *root = NULL;
	int status = web_json_body(req, res, FEEDBACK_COMMENT_BODY_MAX, false, NULL, &root);
	if (status != 0)
		return status;

	/* The strings stay owned by root until it is released at the end. */
	const char *bad = NULL;
	comment_input in = {id, json_text(root, "name", &bad), json_text(root, "email", &bad),
			    json_text(root, "body", &bad), NULL};
	feedback_answer ans = {json_text(root, "captcha_id", &bad),
			       json_text(root, "captcha_answer", &bad),
			       json_text(root, "pow_challenge", &bad),
			       json_text(root, "pow_nonce", &bad)};
	if (in.name == NULL)
		in.name = "";
	if (in.body == NULL)
		in.body = "";
	int64_t now = (int64_t)time(NULL), comment_id = 0;
	char visitor[VISITOR_ID_LEN + 1], address[THROTTLE_KEY_LEN + 1];
	db_t *db = db_get();
	if (bad != NULL) {
		const char *msg = T("portal_api_field_string"), *at = strstr(msg, "{field}");
		status = api_field_error(req, res, 400, "bad_request",
					 at == NULL ? msg
						    : arena_sprintf(req->arena, "%.*s%s%s",
								    (int)(at - msg), msg, bad, at + 7),
					 bad);
		goto done;
	}
	if (db == NULL || !feedback_visitor(req, visitor) || !feedback_address(req, address)) {
		status = web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
		goto done;
	}
	in.visitor = visitor;
	int flood = flooding(db, visitor, address, now);
	if (flood != 0) {
		status = flood < 0 ? web_api_error(req, res, 500, "internal_error", MSG_INTERNAL)
				   : web_api_error(req, res, 429, "too_many_comments",
						   flood == 2 ? MSG_ADDRESS_FLOOD : MSG_FLOOD);
		goto done;
	}
	model_problem problem;
	int rc = feedback_store_comment(db, &ans, &in, now, &comment_id, &problem);
	if (rc == 0)
		count_comment(db, address, now);
	if (rc == 0)
		status = web_send_json(req, res, 202,
					    json_pack("{s:I, s:s}", "id", (json_int_t)comment_id,
						      "status", "pending"));
	else if (rc == 1)
		status = web_api_error(req, res, 404, "not_found", MSG_NOT_FOUND);
	else if (rc == 2 && problem.code == COMMENT_CAPTCHA_WRONG)
		status = api_field_error(req, res, 422, "captcha_invalid", problem_text(req, &problem),
					 "captcha_answer");
	else if (rc == 2)
		status = api_field_error(req, res, 422, "invalid", problem_text(req, &problem),
					 problem.field);
	else
		status = web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
done:
	json_decref(root);
	return status;
}
