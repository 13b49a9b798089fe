/*
 * feedback_private.h - what the feedback_*.c files share (not a public API).
 *
 * feedback.c          visitor identity, JSON bodies, the article page and
 *                     article JSON context, ratings (form and API)
 * feedback_comment.c  comments (form and API) and their spam controls
 * feedback_captcha.c  CAPTCHA images, the proof-of-work alternative, the
 *                     signed form time, and checking an answer while storing
 *
 * Everything returned here lives in the request's arena or in static
 * storage; nothing needs freeing unless said so.
 */
#ifndef SEN_PORTAL_FEEDBACK_PRIVATE_H
#define SEN_PORTAL_FEEDBACK_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "http/http.h"
#include "model/comment.h"
#include "model/visitor.h"

/* ---- policy (docs/VISITORS.md explains the numbers) ---- */

#define FEEDBACK_CAPTCHA_COOKIE "sen_captcha"
#define FEEDBACK_IMAGE_CODE_LEN 6      /* characters in a picture code */
#define FEEDBACK_POW_CODE_LEN 8        /* characters in a proof-of-work challenge code */
#define FEEDBACK_POW_BITS 18           /* leading zero bits the browser must find */
#define FEEDBACK_POW_NONCE_MAX 32      /* bytes of nonce accepted */
#define FEEDBACK_FORM_MIN_SECONDS 3    /* a person needs longer to fill the form */
#define FEEDBACK_FORM_MAX_SECONDS 7200 /* an older form is refused as stale */
#define FEEDBACK_FLOOD_COUNT 3         /* comments per visitor ... */
#define FEEDBACK_FLOOD_WINDOW 600      /* ... within this many seconds */
#define FEEDBACK_COMMENTS_PAGE 50      /* approved comments shown per page */
#define FEEDBACK_SMALL_BODY_MAX 4096   /* bytes of JSON for a rating or a CAPTCHA */
#define FEEDBACK_COMMENT_BODY_MAX (128 * 1024) /* bytes of JSON for a comment */

/* ---- feedback.c ---- */

/* The 32-byte site secret (model/visitor.h), loaded once per process; NULL
 * when it cannot be loaded (logged once). */
const unsigned char *feedback_secret(void);

/* Fills id with the keyed hash of the request's address and User-Agent.
 * false (id = "") when there is no secret. */
bool feedback_visitor(http_req *req, char id[VISITOR_ID_LEN + 1]);

/* The message `key` of the catalogs (locale/vi.po, en.po) in the reader's
 * language (page_lang); borrowed, static. The key itself when missing. */
const char *feedback_text(http_req *req, const char *key);

/* The same with "{n}" replaced by n, written the reader's way ("4.000" or
 * "4,000"); in the request's arena (or the message itself when out of
 * memory). */
const char *feedback_textf(http_req *req, const char *key, int64_t n);

/* True for crawlers by User-Agent (visitor_is_bot; no User-Agent is one). */
bool feedback_is_bot(http_req *req);

/*
 * True when a browser says this POST comes from another site's page
 * (Sec-Fetch-Site: cross-site, or an Origin that is neither base_url's nor
 * the Host's). A vote or comment carries no secret of the reader's, so
 * another site could otherwise make its visitors' browsers send them.
 * Clients that send neither header (scripts, old browsers) pass.
 */
bool feedback_cross_site(http_req *req);

/* An article id in a URL: 1..15 decimal digits, nothing else. 0 or -1. */
int feedback_parse_id(const char *s, int64_t *id);

/* The article's public path ("/tin-hoat-dong/slug-12") in the arena, or
 * NULL when it is not public (1 in *missing) or on error. */
const char *feedback_article_path(http_req *req, int64_t id, int *missing);

/*
 * Reads the request body as a JSON object of at most cap bytes. Returns 0
 * with *root (the caller decrefs it), or the HTTP status after writing the
 * API error into res: 415 for another Content-Type, 413 over cap, 400 for
 * an empty body, malformed JSON or a value that is not an object.
 * With optional set, an empty body gives 0 and *root NULL. shape (may be
 * NULL) is the message for malformed JSON, saying what was expected.
 */
int feedback_json_body(http_req *req, http_res *res, size_t cap, bool optional,
		       const char *shape, json_t **root);

/* Sends o (consumed) as the JSON body with status; reals print in their
 * short form (4.3, not 4.2999999999999998). Returns the status. */
int feedback_send_json(http_res *res, int status, json_t *o);

/* ---- feedback_captcha.c ---- */

/* "ISSUED.MAC" for the hidden form field: the time the form was made and a
 * keyed BLAKE2b over it and the article, so a bot cannot forge an older one.
 * out holds at least 64 bytes. "" when there is no secret. */
void feedback_form_token(int64_t article_id, int64_t now, char *out, size_t outlen);

enum form_age {
	FORM_AGE_OK = 0,
	FORM_AGE_TOO_FAST = 1,
	FORM_AGE_STALE = 2,
	FORM_AGE_INVALID = 3,      /* missing, malformed, forged or for another article */
};
/* Checks a token made by feedback_form_token(). */
enum form_age feedback_form_token_check(const char *token, int64_t article_id, int64_t now);

/* How the reader answered the CAPTCHA. */
typedef struct {
	const char *id;        /* captcha id (cookie, form field or JSON) */
	const char *answer;    /* the code read from the picture */
	const char *pow_challenge; /* proof of work instead: the challenge ... */
	const char *pow_nonce;     /* ... and the nonce the browser found */
} feedback_answer;

/*
 * Turns the reader's answer (a picture's code, or a proof of work) into a
 * CAPTCHA id and answer, and hands the submission to comment_add_answered()
 * (model/comment.h), which checks the answer and stores the comment in one
 * transaction. Returns as that does: 0 with *comment_id; 1 article not
 * public; 2 refused (*problem; a wrong answer is COMMENT_CAPTCHA_WRONG);
 * -1 storage error.
 */
int feedback_store_comment(db_t *db, const feedback_answer *ans, const comment_input *in,
			   int64_t now, int64_t *comment_id, model_problem *problem);

/* ---- feedback_comment.c ---- */

/* Adds "comments" (count, approved page, notice) and "feedback" (what the
 * empty form needs: time token, CAPTCHA URLs) to the article object. */
void feedback_comments_context(http_req *req, db_t *db, json_t *art_obj, int64_t article_id);

#endif
