/*
 * request.c - parsing what the client sent, and the small response helpers.
 *
 * Percent-decoding, urlencoded fields, cookies, request lookups, response
 * headers, redirects and JSON bodies. Everything here reads bytes that came
 * from the network: every loop is bounded by an explicit length, every
 * output lives in the request arena, and nothing trusts a NUL terminator
 * inside data it was given with a length.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/text.h"
#include "http/http_private.h"

/* A Cookie header longer than this is only read this far; libmicrohttpd's
 * connection memory already bounds it, this keeps the parser bounded on its
 * own (for fuzzing and direct callers). */
#define COOKIE_HEADER_MAX 16384

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

int http_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *http_decode(arena_t *a, const char *s, size_t len, bool plus_is_space, size_t *outlen)
{
	if (a == NULL || (s == NULL && len > 0) || len == SIZE_MAX)
		return NULL;
	/* Decoding never lengthens the text, so len + 1 bytes always suffice. */
	char *out = arena_alloc(a, len + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (len - i < 3)
				return NULL;
			int hi = http_hex_digit((unsigned char)s[i + 1]);
			int lo = http_hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			out[o++] = ' ';
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

const char *http_path_decode(arena_t *a, const char *raw, size_t len)
{
	if (raw == NULL || len == 0 || raw[0] != '/')
		return NULL;
	size_t n;
	char *path = http_decode(a, raw, len, false, &n);
	/* utf8_valid() is false for NUL bytes too, so "%00" ends here. */
	if (path == NULL || !utf8_valid(path, n))
		return NULL;
	return path;
}

/* ------------------------------------------------------------------ */
/* application/x-www-form-urlencoded                                   */
/* ------------------------------------------------------------------ */

int http_parse_urlencoded(arena_t *a, const char *s, size_t len, http_kv *out, size_t max)
{
	if (a == NULL || (s == NULL && len > 0) || (out == NULL && max > 0))
		return -1;
	if (max > INT_MAX)
		max = INT_MAX;
	size_t n = 0;
	size_t i = 0;
	while (i < len && n < max) {
		const char *field = s + i;
		const char *amp = memchr(field, '&', len - i);
		size_t flen = amp != NULL ? (size_t)(amp - field) : len - i;
		i += flen + 1;
		const char *eq = memchr(field, '=', flen);
		size_t name_len = eq != NULL ? (size_t)(eq - field) : flen;
		if (name_len == 0)
			continue;
		const char *value = eq != NULL ? eq + 1 : field + flen;
		size_t value_raw_len = flen - (size_t)(value - field);
		size_t dn, dv;
		char *dname = http_decode(a, field, name_len, true, &dn);
		char *dvalue = http_decode(a, value, value_raw_len, true, &dv);
		if (dname == NULL || dvalue == NULL)
			return -1;
		/* Later code treats names and values as C strings of text, and
		 * stores text in NFC whichever way it was typed (core/text.h). */
		if (!utf8_valid(dname, dn) || !utf8_valid(dvalue, dv))
			return -1;
		const char *nname = text_nfc_arena(a, dname, dn, NULL);
		const char *nvalue = text_nfc_arena(a, dvalue, dv, &dv);
		if (nname == NULL || nvalue == NULL)
			return -1;
		out[n].name = nname;
		out[n].value = nvalue;
		out[n].value_len = dv;
		n++;
	}
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* Cookies                                                             */
/* ------------------------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

const char *http_cookie_parse(arena_t *a, const char *header, const char *name)
{
	if (a == NULL || header == NULL || name == NULL || name[0] == '\0')
		return NULL;
	size_t name_len = strlen(name);
	const char *p = header;
	const char *end = header + strnlen(header, COOKIE_HEADER_MAX);
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *pair_end = semi != NULL ? semi : end;
		while (p < pair_end && is_space(*p))
			p++;
		const char *eq = memchr(p, '=', (size_t)(pair_end - p));
		if (eq != NULL) {
			const char *name_end = eq;
			while (name_end > p && is_space(name_end[-1]))
				name_end--;
			if ((size_t)(name_end - p) == name_len && memcmp(p, name, name_len) == 0) {
				const char *v = eq + 1;
				const char *v_end = pair_end;
				while (v < v_end && is_space(*v))
					v++;
				while (v_end > v && is_space(v_end[-1]))
					v_end--;
				if (v_end - v >= 2 && v[0] == '"' && v_end[-1] == '"') {
					v++;
					v_end--;
				}
				return arena_strndup(a, v, (size_t)(v_end - v));
			}
		}
		p = semi != NULL ? semi + 1 : end;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Request lookups                                                     */
/* ------------------------------------------------------------------ */

const char *http_header(const http_req *req, const char *name)
{
	if (req == NULL || req->conn == NULL || name == NULL)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const http_req *req, const char *name)
{
	if (req == NULL)
		return NULL;
	return http_cookie_parse(req->arena, http_header(req, "Cookie"), name);
}

static const char *find_field(const http_kv *fields, size_t n, const char *name)
{
	if (fields == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return fields[i].value;
	return NULL;
}

const char *http_query(const http_req *req, const char *name)
{
	return req == NULL ? NULL : find_field(req->query, req->nquery, name);
}

const char *http_form(const http_req *req, const char *name)
{
	return req == NULL ? NULL : find_field(req->form, req->nform, name);
}

enum http_method http_method_parse(const char *name)
{
	static const struct {
		const char *name;
		enum http_method method;
	} methods[] = {
		{"GET", HTTP_GET},       {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
		{"PUT", HTTP_PUT},       {"DELETE", HTTP_DELETE}, {"PATCH", HTTP_PATCH},
		{"OPTIONS", HTTP_OPTIONS},
	};
	if (name == NULL)
		return HTTP_OTHER;
	/* Methods are case-sensitive (RFC 9110, 9.1). */
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(methods[i].name, name) == 0)
			return methods[i].method;
	return HTTP_OTHER;
}

/* ------------------------------------------------------------------ */
/* Response helpers                                                    */
/* ------------------------------------------------------------------ */

static bool header_name_ok(const char *s)
{
	if (s[0] == '\0')
		return false;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == ':')
			return false;
	}
	return true;
}

static bool header_value_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

int http_res_header(http_res *res, const char *name, const char *value)
{
	if (res == NULL || res->arena == NULL || name == NULL || value == NULL)
		return -1;
	if (!header_name_ok(name) || !header_value_ok(value)) {
		log_warn("http: refused response header %s (control characters)", name);
		return -1;
	}
	if (strcasecmp(name, "Content-Length") == 0 || strcasecmp(name, "Transfer-Encoding") == 0) {
		log_warn("http: refused response header %s (the server frames responses)", name);
		return -1;
	}
	if (res->nheaders >= HTTP_MAX_HEADERS) {
		log_warn("http: more than %d response headers, %s dropped", HTTP_MAX_HEADERS, name);
		return -1;
	}
	const char *n = arena_strdup(res->arena, name);
	const char *v = arena_strdup(res->arena, value);
	if (n == NULL || v == NULL)
		return -1;
	res->headers[res->nheaders].name = n;
	res->headers[res->nheaders].value = v;
	res->headers[res->nheaders].value_len = strlen(v);
	res->nheaders++;
	return 0;
}

int http_redirect(http_res *res, int status, const char *location)
{
	if (res == NULL)
		return 500;
	if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
		log_error("http: redirect with status %d", status);
		res->status = 500;
		return 500;
	}
	if (http_res_header(res, "Location", location) != 0) {
		res->status = 500;
		return 500;
	}
	res->status = status;
	return status;
}

int http_json(http_res *res, int status, const char *json, size_t len)
{
	if (res == NULL)
		return 500;
	res->content_type = "application/json; charset=utf-8";
	buf_clear(&res->body);
	if (json != NULL && len > 0 && buf_append(&res->body, json, len) != 0) {
		res->status = 500;
		return 500;
	}
	res->status = status;
	return status;
}
