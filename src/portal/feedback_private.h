/*
 * feedback_private.h - what the feedback_*.c files share (not a public API).
 *
 * feedback.c          visitor identity, the article page and article JSON
 *                     context, ratings (form and API)
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
#include "model/throttle.h"
#include "model/visitor.h"

/* ---- policy (docs/VISITORS.md explains the numbers) ---- */

#define FEEDBACK_CAPTCHA_COOKIE "sen_captcha"
#define FEEDBACK_IMAGE_CODE_LEN 6      /* characters in a picture code */
#define FEEDBACK_POW_CODE_LEN 8        /* characters in a proof-of-work challenge code */
#define FEEDBACK_POW_BITS 18           /* leading zero bits the browser must find ... */
#define FEEDBACK_POW_BITS_MAX 24       /* ... growing with the address's volume to this */
#define FEEDBACK_POW_NONCE_MAX 32      /* bytes of nonce accepted */
#define FEEDBACK_FORM_MIN_SECONDS 3    /* a person needs longer to fill the form */
#define FEEDBACK_FORM_MAX_SECONDS 7200 /* an older form is refused as stale */
#define FEEDBACK_FLOOD_COUNT 3         /* comments per visitor ... */
#define FEEDBACK_FLOOD_WINDOW 600      /* ... within this many seconds */
#define FEEDBACK_ADDRESS_COMMENTS 10   /* comments per address (any User-Agent) ... */
#define FEEDBACK_ADDRESS_WINDOW 3600   /* ... within this many seconds */
#define FEEDBACK_COMMENTS_PAGE 50      /* approved comments shown per page */
#define FEEDBACK_SMALL_BODY_MAX 4096   /* bytes of JSON for a rating or a CAPTCHA */
#define FEEDBACK_COMMENT_BODY_MAX (128 * 1024) /* bytes of JSON for a comment */

/* ---- feedback.c ---- */

/* Fills id with the keyed hash of the request's address and User-Agent.
 * false (id = "") when there is no secret. */
bool feedback_visitor(http_req *req, char id[VISITOR_ID_LEN + 1]);

/* Fills address with the keyed hash of the request's address
 * (throttle_address_key: an IPv6 client counts by its /64), which the
 * per-address budgets count; never the address itself. false (address =
 * "") when there is no secret. */
bool feedback_address(http_req *req, char address[THROTTLE_KEY_LEN + 1]);

/* True for crawlers by User-Agent (visitor_is_bot; no User-Agent is one). */
bool feedback_is_bot(http_req *req);

/* The article's public path ("/tin-hoat-dong/slug-12") in the arena, or
 * NULL when it is not public (1 in *missing) or on error. */
const char *feedback_article_path(http_req *req, int64_t id, int *missing);

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

#endif
