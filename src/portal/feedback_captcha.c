/*
 * feedback_captcha.c - "Mã xác thực": the CAPTCHA behind the comment form,
 * its accessible proof-of-work alternative, and the signed form time.
 *
 * The article page is cached for every reader, so the form cannot carry a
 * CAPTCHA of its own. Its picture is <img src="/ma-xac-thuc/moi.png?bai=ID">:
 * that request makes a fresh code (model/captcha.h: random, stored, single
 * use, ten minutes, bound to the article), answers the PNG and names the
 * CAPTCHA in an HttpOnly, SameSite=Strict cookie, which the comment POST
 * reads back. API clients get the id in JSON instead (POST /api/v1/captcha)
 * and fetch the picture from /ma-xac-thuc/ID.png?k=TOKEN, where TOKEN is the
 * code and expiry sealed with a key derived from the site secret (the store
 * has no way to read a code back, by design, and does not need one).
 *
 * Readers who cannot see the picture ask the browser to prove some work
 * instead (/ma-xac-thuc/pow.json): the challenge holds a stored 8-character
 * code, and the browser looks for a nonce so that SHA-256(challenge + nonce)
 * starts with as many zero bits as the code's first two digits say:
 * FEEDBACK_POW_BITS, more when the address has asked for many codes or sent
 * many comments lately (pow_bits()). The difficulty is part of the stored
 * code, so a client that lowers it in the challenge no longer matches the
 * code. Pictures use 6-character codes, so a challenge (whose code is
 * public) can never pass as a picture answer. Each address may hold
 * CAPTCHA_PER_ADDRESS codes at once, and a code is only made for a public
 * article, so a loop cannot fill the table. docs/VISITORS.md explains all of
 * it and its limits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/log.h"
#include "model/captcha.h"
#include "portal/feedback_private.h"
#include "portal/portal.h"
#include "portal/widgets.h"
#include "render/draw.h"

/* Catalog keys (locale/vi.po, en.po), shown through web_text(). */
#define MSG_BOT "portal_comment_bot"
#define MSG_INTERNAL "portal_internal"
#define MSG_NOT_FOUND "portal_not_found"
#define MSG_TOO_MANY "portal_captcha_too_many"
/* A message in the reader's language; every caller has its request in req. */
#define T(key) web_text(req, (key))
#define POW_PREFIX "sen1:"
/* "sen1:" + 32 hex + ":" + code + ":" */
#define POW_CHALLENGE_LEN (sizeof POW_PREFIX - 1 + CAPTCHA_ID_LEN + 1 + FEEDBACK_POW_CODE_LEN + 1)
#define SEAL_PLAIN 16      /* code (8, zero padded) + expiry (8, big-endian) */
#define SEAL_BYTES (crypto_secretbox_MACBYTES + SEAL_PLAIN)

/* ---- keyed hashes of the site secret ------------------------------------ */

/* BLAKE2b keyed with the site secret over a label and a message; the label
 * keeps each use of the secret apart from the others. */
static int keyed_hash(const char *label, const void *msg, size_t len, unsigned char *out,
		      size_t outlen)
{
	const unsigned char *key = portal_visitor_key();
	if (key == NULL)
		return -1;
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, VISITOR_KEY_BYTES, outlen);
	crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
	crypto_generichash_update(&st, msg, len);
	crypto_generichash_final(&st, out, outlen);
	return 0;
}

static bool is_hex_id(const char *s, size_t len)
{
	if (len != CAPTCHA_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* ---- the signed form time ------------------------------------------------------ */

void feedback_form_token(int64_t article_id, int64_t now, char *out, size_t outlen)
{
	char msg[64];
	unsigned char mac[16];
	char hex[2 * sizeof mac + 1];
	out[0] = '\0';
	int n = snprintf(msg, sizeof msg, "%" PRId64 ".%" PRId64, article_id, now);
	if (n < 0 || (size_t)n >= sizeof msg || keyed_hash("sen/form-time/v1", msg, (size_t)n, mac,
							    sizeof mac) != 0)
		return;
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, outlen, "%" PRId64 ".%s", now, hex);
}

enum form_age feedback_form_token_check(const char *token, int64_t article_id, int64_t now)
{
	if (token == NULL)
		return FORM_AGE_INVALID;
	const char *dot = strchr(token, '.');
	if (dot == NULL || dot == token || dot - token > 12)
		return FORM_AGE_INVALID;
	int64_t issued = 0;
	for (const char *p = token; p < dot; p++) {
		if (*p < '0' || *p > '9')
			return FORM_AGE_INVALID;
		issued = issued * 10 + (*p - '0');
	}
	char expected[80];
	feedback_form_token(article_id, issued, expected, sizeof expected);
	size_t len = strlen(expected);
	if (len == 0 || strlen(token) != len ||
	    sodium_memcmp(expected, token, len) != 0)
		return FORM_AGE_INVALID;
	/* A clock stepping back a little must not lock readers out. */
	if (issued > now + 60)
		return FORM_AGE_INVALID;
	if (now - issued < FEEDBACK_FORM_MIN_SECONDS)
		return FORM_AGE_TOO_FAST;
	if (now - issued > FEEDBACK_FORM_MAX_SECONDS)
		return FORM_AGE_STALE;
	return FORM_AGE_OK;
}

/* ---- sealed codes for API pictures --------------------------------------------- */

static int seal_key(unsigned char key[crypto_secretbox_KEYBYTES])
{
	return keyed_hash("sen/captcha-image/v1", "", 0, key, crypto_secretbox_KEYBYTES);
}

/* The nonce is a hash of the CAPTCHA id, which is random and never reused,
 * so no two seals share a nonce; it also ties a token to its id. */
static void seal_nonce(const char *id, unsigned char nonce[crypto_secretbox_NONCEBYTES])
{
	crypto_generichash(nonce, crypto_secretbox_NONCEBYTES, (const unsigned char *)id,
			   CAPTCHA_ID_LEN, NULL, 0);
}

/* Hex token of (code, expires_at) for id. out >= 2 * SEAL_BYTES + 1. */
static int seal_code(const char *id, const char *code, int64_t expires_at, char *out,
		     size_t outlen)
{
	unsigned char key[crypto_secretbox_KEYBYTES], nonce[crypto_secretbox_NONCEBYTES];
	unsigned char plain[SEAL_PLAIN] = {0}, sealed[SEAL_BYTES];
	size_t len = strlen(code);
	if (len > 8 || outlen < 2 * SEAL_BYTES + 1 || seal_key(key) != 0)
		return -1;
	memcpy(plain, code, len);
	for (int i = 0; i < 8; i++)
		plain[8 + i] = (unsigned char)((uint64_t)expires_at >> (56 - 8 * i));
	seal_nonce(id, nonce);
	crypto_secretbox_easy(sealed, plain, sizeof plain, nonce, key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, outlen, sealed, sizeof sealed);
	return 0;
}

/* Opens a token made by seal_code() for id: 0 with code (9 bytes), or -1
 * for anything forged, malformed or expired. */
static int open_code(const char *id, const char *token, int64_t now, char code[9])
{
	unsigned char key[crypto_secretbox_KEYBYTES], nonce[crypto_secretbox_NONCEBYTES];
	unsigned char plain[SEAL_PLAIN], sealed[SEAL_BYTES];
	size_t got = 0;
	if (token == NULL || strlen(token) != 2 * SEAL_BYTES ||
	    sodium_hex2bin(sealed, sizeof sealed, token, 2 * SEAL_BYTES, NULL, &got, NULL) != 0 ||
	    got != SEAL_BYTES || seal_key(key) != 0)
		return -1;
	seal_nonce(id, nonce);
	int rc = crypto_secretbox_open_easy(plain, sealed, sizeof sealed, nonce, key);
	sodium_memzero(key, sizeof key);
	if (rc != 0)
		return -1;
	uint64_t expires = 0;
	for (int i = 0; i < 8; i++)
		expires = (expires << 8) | plain[8 + i];
	if ((int64_t)expires <= now)
		return -1;
	memcpy(code, plain, 8);
	code[8] = '\0';
	return 0;
}

/* ---- the proof of work ----------------------------------------------------------- */

/* Splits "sen1:ID:CODE:" into id (33 bytes), code (9 bytes) and the
 * difficulty the code starts with. 0 or -1. */
static int pow_parse(const char *challenge, char id[CAPTCHA_ID_LEN + 1], char code[9],
		     int *bits)
{
	size_t plen = sizeof POW_PREFIX - 1;
	if (challenge == NULL || strlen(challenge) != POW_CHALLENGE_LEN ||
	    strncmp(challenge, POW_PREFIX, plen) != 0)
		return -1;
	const char *p = challenge + plen;
	if (!is_hex_id(p, CAPTCHA_ID_LEN) || p[CAPTCHA_ID_LEN] != ':')
		return -1;
	const char *c = p + CAPTCHA_ID_LEN + 1;
	for (size_t i = 0; i < FEEDBACK_POW_CODE_LEN; i++)
		if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9')))
			return -1;
	if (c[FEEDBACK_POW_CODE_LEN] != ':' || c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9')
		return -1;
	*bits = (c[0] - '0') * 10 + (c[1] - '0');
	if (*bits < FEEDBACK_POW_BITS || *bits > FEEDBACK_POW_BITS_MAX)
		return -1;
	memcpy(id, p, CAPTCHA_ID_LEN);
	id[CAPTCHA_ID_LEN] = '\0';
	memcpy(code, c, FEEDBACK_POW_CODE_LEN);
	code[FEEDBACK_POW_CODE_LEN] = '\0';
	return 0;
}

/* True when SHA-256(challenge || nonce) starts with `bits` zero bits and
 * the nonce is 1..FEEDBACK_POW_NONCE_MAX letters or digits. */
static bool pow_done(const char *challenge, const char *nonce, int bits)
{
	size_t nlen = nonce != NULL ? strnlen(nonce, FEEDBACK_POW_NONCE_MAX + 1) : 0;
	if (nlen == 0 || nlen > FEEDBACK_POW_NONCE_MAX)
		return false;
	for (size_t i = 0; i < nlen; i++) {
		char ch = nonce[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return false;
	}
	unsigned char msg[POW_CHALLENGE_LEN + FEEDBACK_POW_NONCE_MAX];
	unsigned char hash[crypto_hash_sha256_BYTES];
	memcpy(msg, challenge, POW_CHALLENGE_LEN);
	memcpy(msg + POW_CHALLENGE_LEN, nonce, nlen);
	crypto_hash_sha256(hash, msg, POW_CHALLENGE_LEN + nlen);
	for (size_t i = 0; bits > 0; i++, bits -= 8) {
		unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
		if ((hash[i] & mask) != 0)
			return false;
	}
	return true;
}

/* ---- checking an answer and storing the comment ----------------------------------- */

/* Length of s without surrounding spaces and tabs (as captcha.c trims). */
static size_t trimmed_len(const char *s)
{
	size_t len = strnlen(s, CAPTCHA_ANSWER_MAX + 1);
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len;
}

int feedback_store_comment(db_t *db, const feedback_answer *ans, const comment_input *in,
			   int64_t now, int64_t *comment_id, model_problem *problem)
{
	char pow_id[CAPTCHA_ID_LEN + 1], pow_code[9];
	int bits = 0;
	const char *id = ans->id;
	const char *answer = ans->answer;
	*comment_id = 0;
	if (ans->pow_challenge != NULL && ans->pow_challenge[0] != '\0') {
		if (pow_parse(ans->pow_challenge, pow_id, pow_code, &bits) != 0)
			return model_refuse(problem, COMMENT_CAPTCHA_WRONG, "captcha"), 2;
		id = pow_id;
		/* Without the work the challenge is still spent. */
		answer = pow_done(ans->pow_challenge, ans->pow_nonce, bits) ? pow_code : NULL;
	} else if (answer != NULL && trimmed_len(answer) != FEEDBACK_IMAGE_CODE_LEN) {
		/* Only picture codes are 6 long: a challenge's public code must not
		 * pass as the answer to a picture. */
		answer = NULL;
	}
	if (id == NULL || !is_hex_id(id, strlen(id)))
		return model_refuse(problem, COMMENT_CAPTCHA_WRONG, "captcha"), 2;
	return comment_add_answered(db, in, id, answer, now, comment_id, problem);
}

/* ---- GET /ma-xac-thuc/:name --------------------------------------------------------- */

static int png_response(http_res *res, const char *code)
{
	unsigned char *png = NULL;
	size_t len = 0;
	if (draw_captcha_png(code, &png, &len) != 0)
		return 500;
	int rc = buf_append(&res->body, png, len);
	free(png);
	if (rc != 0)
		return 500;
	res->content_type = "image/png";
	/* Every picture is drawn once for one reader: never keep it. */
	http_res_header(res, "Cache-Control", "no-store");
	res->status = 200;
	return 200;
}

/* The article id in ?bai=, or 0. */
static int64_t query_article(http_req *req)
{
	int64_t id;
	return web_parse_id(http_query(req, "bai"), &id) == 0 ? id : 0;
}

/*
 * A fresh stored CAPTCHA of len characters for article_id (0: any) asked for
 * by this request's address; id gets its id. A proof-of-work code starts
 * with its difficulty (bits > 0: two digits). An enum captcha_result value
 * or -1.
 */
static int new_captcha(http_req *req, int64_t article_id, size_t len, int bits, char *code,
		       size_t codelen, char id[CAPTCHA_ID_LEN + 1], int64_t now)
{
	char address[THROTTLE_KEY_LEN + 1];
	db_t *db = db_get();
	if (db == NULL || len + 1 > codelen || !feedback_address(req, address))
		return -1;
	draw_captcha_code(code, len + 1);
	if (bits > 0) {
		code[0] = (char)('0' + bits / 10);
		code[1] = (char)('0' + bits % 10);
	}
	return captcha_issue(db, article_id, address, code, now, CAPTCHA_TTL, id);
}

/*
 * The proof-of-work difficulty for this request's address: FEEDBACK_POW_BITS
 * plus one bit (twice the work) each time its recent volume doubles past 8,
 * where the volume counts the codes it holds and, twice over, the comments
 * it sent within FEEDBACK_ADDRESS_WINDOW; at most
 * FEEDBACK_POW_BITS_MAX. -1 on error.
 */
static int pow_bits(http_req *req, int64_t now)
{
	char address[THROTTLE_KEY_LEN + 1];
	int64_t held = 0, comments = 0;
	db_t *db = db_get();
	if (db == NULL || !feedback_address(req, address) ||
	    captcha_outstanding(db, address, now, &held) != 0 ||
	    throttle_action_count(db, address, THROTTLE_ACTION_COMMENT,
				  now - FEEDBACK_ADDRESS_WINDOW, &comments) != 0)
		return -1;
	int64_t steps = (held + 2 * comments) / 8;
	int bits = FEEDBACK_POW_BITS;
	while (steps > 0 && bits < FEEDBACK_POW_BITS_MAX) {
		bits++;
		steps /= 2;
	}
	return bits;
}

/* The answer to a new_captcha() that did not give CAPTCHA_OK: JSON under
 * /api/ and for the challenge, a bare status for the picture. */
static int refused(http_req *req, http_res *res, int rc, bool json)
{
	int status = rc == CAPTCHA_NO_ARTICLE ? 404 : rc == CAPTCHA_TOO_MANY ? 429 : 500;
	if (status == 429)
		http_res_header(res, "Retry-After", "600");
	if (!json)
		return status;
	if (status == 404)
		return web_api_error(req, res, 404, "not_found", MSG_NOT_FOUND);
	if (status == 429)
		return web_api_error(req, res, 429, "too_many_captchas", MSG_TOO_MANY);
	return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
}

/* GET /ma-xac-thuc/moi.png?bai=ID: a new picture for the HTML form. */
static int image_for_form(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	int64_t article_id = query_article(req);
	if (article_id == 0)
		return 404;
	if (feedback_is_bot(req))
		return 403;
	char code[FEEDBACK_IMAGE_CODE_LEN + 1], id[CAPTCHA_ID_LEN + 1];
	int rc = new_captcha(req, article_id, FEEDBACK_IMAGE_CODE_LEN, 0, code, sizeof code, id,
			     (int64_t)time(NULL));
	if (rc != CAPTCHA_OK)
		return refused(req, res, rc, false);
	int status = png_response(res, code);
	/* For automated tests of the HTML form only, like "answer" in the API;
	 * config_validate() refuses the setting unless listening on loopback. */
	if (status == 200 && app->cfg.test_captcha_reveal)
		http_res_header(res, "X-Sen-Test-Answer", code);
	sodium_memzero(code, sizeof code);
	if (status != 200)
		return status;
	bool https = strncmp(app->cfg.base_url, "https://", 8) == 0;
	const char *cookie = arena_sprintf(req->arena,
					   FEEDBACK_CAPTCHA_COOKIE "=%s; Max-Age=%d; Path=/; "
					   "HttpOnly; SameSite=Strict%s",
					   id, CAPTCHA_TTL, https ? "; Secure" : "");
	if (cookie == NULL || http_res_header(res, "Set-Cookie", cookie) != 0) {
		buf_clear(&res->body);
		return 500;
	}
	return 200;
}

/* GET /ma-xac-thuc/pow.json?bai=ID: a proof-of-work challenge. */
static int pow_challenge(http_req *req, http_res *res)
{
	int64_t article_id = query_article(req);
	if (article_id == 0)
		return web_api_error(req, res, 404, "not_found", MSG_NOT_FOUND);
	if (feedback_is_bot(req))
		return web_api_error(req, res, 403, "forbidden", MSG_BOT);
	char code[FEEDBACK_POW_CODE_LEN + 1], id[CAPTCHA_ID_LEN + 1];
	int64_t now = (int64_t)time(NULL);
	int bits = pow_bits(req, now);
	if (bits < 0)
		return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
	int rc = new_captcha(req, article_id, FEEDBACK_POW_CODE_LEN, bits, code, sizeof code, id,
			     now);
	if (rc != CAPTCHA_OK)
		return refused(req, res, rc, true);
	const char *challenge = arena_sprintf(req->arena, POW_PREFIX "%s:%s:", id, code);
	if (challenge == NULL)
		return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
	return web_send_json(req, res, 200,
				  json_pack("{s:s, s:s, s:i, s:i}", "id", id, "challenge",
					    challenge, "difficulty", bits,
					    "expires_in", CAPTCHA_TTL));
}

/* GET /ma-xac-thuc/ID.png?k=TOKEN: the picture of an API CAPTCHA. */
static int image_for_api(http_req *req, http_res *res, const char *name)
{
	char id[CAPTCHA_ID_LEN + 1], code[9];
	memcpy(id, name, CAPTCHA_ID_LEN);
	id[CAPTCHA_ID_LEN] = '\0';
	if (open_code(id, http_query(req, "k"), (int64_t)time(NULL), code) != 0)
		return 404;
	int status = png_response(res, code);
	sodium_memzero(code, sizeof code);
	return status;
}

int feedback_captcha_image(http_req *req, http_res *res)
{
	const char *name = req->params[0];
	size_t len = strlen(name);
	if (strcmp(name, "moi.png") == 0)
		return image_for_form(req, res);
	if (strcmp(name, "pow.json") == 0)
		return pow_challenge(req, res);
	if (len == CAPTCHA_ID_LEN + 4 && strcmp(name + CAPTCHA_ID_LEN, ".png") == 0 &&
	    is_hex_id(name, CAPTCHA_ID_LEN))
		return image_for_api(req, res, name);
	return 404;
}

/* ---- POST /api/v1/captcha ------------------------------------------------------------ */

int api_captcha(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	if (feedback_is_bot(req))
		return web_api_error(req, res, 403, "forbidden", MSG_BOT);
	json_t *root = NULL;
	int status = web_json_body(req, res, FEEDBACK_SMALL_BODY_MAX, true, NULL, &root);
	if (status != 0)
		return status;
	/* Optional {"article_id": N}: the code then passes only on that
	 * article; without it, on any. */
	int64_t article_id = 0;
	json_t *v = root != NULL ? json_object_get(root, "article_id") : NULL;
	bool bad = v != NULL && !json_is_null(v) &&
		   (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > INT64_C(999999999999999));
	if (!bad && json_is_integer(v))
		article_id = (int64_t)json_integer_value(v);
	json_decref(root);
	if (bad) {
		json_t *e = json_pack("{s:s, s:s, s:s}", "error", "invalid", "message",
				      T("portal_api_article_id"),
				      "field", "article_id");
		return web_send_json(req, res, 400, e);
	}
	/* new_captcha() checks that the article is public. */
	int64_t now = (int64_t)time(NULL);
	char code[FEEDBACK_IMAGE_CODE_LEN + 1], id[CAPTCHA_ID_LEN + 1];
	char token[2 * SEAL_BYTES + 1];
	int rc = new_captcha(req, article_id, FEEDBACK_IMAGE_CODE_LEN, 0, code, sizeof code, id,
			     now);
	if (rc != CAPTCHA_OK)
		return refused(req, res, rc, true);
	if (seal_code(id, code, now + CAPTCHA_TTL, token, sizeof token) != 0)
		return web_api_error(req, res, 500, "internal_error", MSG_INTERNAL);
	json_t *o = json_pack("{s:s, s:s, s:i}", "id", id, "image_url",
			      arena_sprintf(req->arena, "/ma-xac-thuc/%s.png?k=%s", id, token),
			      "expires_in", CAPTCHA_TTL);
	/* For automated tests only; config_validate() refuses it unless the
	 * server listens on loopback alone. */
	if (o != NULL && app->cfg.test_captcha_reveal)
		json_object_set_new(o, "answer", json_string(code));
	sodium_memzero(code, sizeof code);
	return web_send_json(req, res, 200, o);
}
