/*
 * json.c - JSON bodies in and out of the API, and its errors.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/text_json.h"
#include "web/web.h"

static bool is_json(const char *content_type)
{
	static const char json[] = "application/json";
	size_t n = sizeof json - 1;
	if (content_type == NULL || strncasecmp(content_type, json, n) != 0)
		return false;
	char next = content_type[n];
	return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

int web_json_body(http_req *req, http_res *res, size_t cap, bool optional, const char *shape,
		  json_t **root)
{
	*root = NULL;
	if (optional && (req->body == NULL || req->body_len == 0))
		return 0;
	if (!is_json(http_header(req, "Content-Type")))
		return web_api_error(req, res, 415, "unsupported_media_type", "portal_api_not_json");
	if (req->body_len > cap)
		return web_api_error(req, res, 413, "payload_too_large", "portal_api_too_large");
	if (req->body == NULL || req->body_len == 0)
		return web_api_error(req, res, 400, "bad_json", "portal_api_json_missing");
	json_error_t err;
	/* jansson refuses invalid UTF-8 and NUL inside strings by default. */
	json_t *o = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL)
		return shape != NULL ? web_api_error_text(res, 400, "bad_json", shape)
				     : web_api_error(req, res, 400, "bad_json", "portal_api_json_invalid");
	if (!json_is_object(o)) {
		json_decref(o);
		return web_api_error(req, res, 400, "bad_json", "portal_api_json_object");
	}
	/* Text is stored in NFC whichever way it comes in (core/text.h). */
	if (text_json_nfc(o) != 0) {
		json_decref(o);
		return web_api_error(req, res, 500, "internal_error", "portal_internal");
	}
	*root = o;
	return 0;
}

int web_send_json(http_req *req, http_res *res, int status, json_t *o)
{
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
	json_decref(o);
	if (s == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal");
	http_json(res, status, s, strlen(s));
	free(s);
	/* Many answers are one reader's (a vote, a CAPTCHA challenge), and
	 * programs reading the API ask again rather than keep a copy. */
	http_res_header(res, "Cache-Control", "no-store");
	return status;
}

int web_api_error(http_req *req, http_res *res, int status, const char *code, const char *key)
{
	return web_api_error_text(res, status, code, web_text(req, key));
}

int web_api_error_text(http_res *res, int status, const char *code, const char *message)
{
	json_t *o = json_pack("{s:s, s:s}", "error", code, "message", message);
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (s == NULL) {
		static const char fallback[] = "{\"error\":\"internal_error\"}";
		return http_json(res, status, fallback, sizeof fallback - 1);
	}
	http_json(res, status, s, strlen(s));
	free(s);
	return status;
}

const char *web_jsonld(http_req *req, json_t *ld)
{
	char *text = ld != NULL ? json_dumps(ld, JSON_COMPACT) : NULL;
	json_decref(ld);
	if (text == NULL)
		return NULL;
	buf_t b = BUF_INIT;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '<')
			buf_puts(&b, "\\u003c");
		else if (*p == '>')
			buf_puts(&b, "\\u003e");
		else if (*p == '&')
			buf_puts(&b, "\\u0026");
		else if (strncmp(p, "\xe2\x80\xa8", 3) == 0 || strncmp(p, "\xe2\x80\xa9", 3) == 0) {
			buf_puts(&b, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
			p += 2;
		} else
			buf_putc(&b, *p);
	}
	free(text);
	const char *out = b.failed ? NULL : arena_strndup(req->arena, b.data, b.len);
	buf_free(&b);
	return out;
}
