/*
 * router.c - matches a request path against the static route table.
 *
 * Patterns and paths are compared segment by segment. A path segment is
 * compared after percent-decoding, so "/api/v1/%61rticles" is
 * "/api/v1/articles", while "%2F" decodes inside its segment and never
 * splits it: captures are whole decoded segments. The table is checked once
 * at start-up (http_route_valid), so matching need not defend against
 * malformed patterns beyond staying in bounds.
 */
#include <string.h>

#include "core/log.h"
#include "http/http_private.h"

typedef struct {
	const char *s;
	size_t len;
} span;

static bool method_allowed(unsigned methods, enum http_method method)
{
	if ((methods & (unsigned)method) != 0)
		return true;
	return method == HTTP_HEAD && (methods & HTTP_GET) != 0;
}

static unsigned with_head(unsigned methods)
{
	return (methods & HTTP_GET) != 0 ? methods | HTTP_HEAD : methods;
}

/* Compares a raw path segment, decoded on the fly, with a literal pattern
 * segment; no allocation for the common case of literal routes. */
static bool segment_equals(span raw, span lit, bool decode)
{
	if (!decode)
		return raw.len == lit.len && memcmp(raw.s, lit.s, lit.len) == 0;
	size_t i = 0, j = 0;
	while (i < raw.len) {
		unsigned char c = (unsigned char)raw.s[i];
		if (c == '%') {
			if (raw.len - i < 3)
				return false;
			int hi = http_hex_digit((unsigned char)raw.s[i + 1]);
			int lo = http_hex_digit((unsigned char)raw.s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (unsigned char)(hi << 4 | lo);
			i += 3;
		} else {
			i++;
		}
		if (j >= lit.len || (unsigned char)lit.s[j] != c)
			return false;
		j++;
	}
	return j == lit.len;
}

static bool capture(http_req *req, span raw, bool decode)
{
	if (req->nparams >= HTTP_MAX_PARAMS || req->arena == NULL)
		return false;
	const char *value = decode ? http_decode(req->arena, raw.s, raw.len, false, NULL)
				   : arena_strndup(req->arena, raw.s, raw.len);
	if (value == NULL)
		return false;
	req->params[req->nparams++] = value;
	return true;
}

/* Walks pattern and path together; both start with '/'. */
static bool match_pattern(const char *pattern, span path, bool decode, http_req *req)
{
	const char *p = pattern + 1;
	const char *x = path.s + 1;
	const char *x_end = path.s + path.len;
	bool path_left = true; /* another path segment follows */
	for (;;) {
		const char *p_slash = strchr(p, '/');
		span pseg = {p, p_slash != NULL ? (size_t)(p_slash - p) : strlen(p)};
		if (p_slash == NULL && pseg.len == 1 && p[0] == '*') {
			/* The rest of the path, possibly empty ("/static" too). */
			span rest = {x, path_left ? (size_t)(x_end - x) : 0};
			return capture(req, rest, decode);
		}
		if (!path_left)
			return false;
		const char *x_slash = memchr(x, '/', (size_t)(x_end - x));
		span xseg = {x, x_slash != NULL ? (size_t)(x_slash - x) : (size_t)(x_end - x)};
		if (pseg.len > 0 && p[0] == ':') {
			if (xseg.len == 0 || !capture(req, xseg, decode))
				return false;
		} else if (!segment_equals(xseg, pseg, decode)) {
			return false;
		}
		path_left = x_slash != NULL;
		x = path_left ? x_slash + 1 : x_end;
		if (p_slash == NULL)
			return !path_left;
		p = p_slash + 1;
	}
}

const http_route *http_route_match(const http_route *routes, size_t n, http_req *req,
				   unsigned *allowed)
{
	unsigned mask = 0;
	const http_route *found = NULL;
	if (allowed != NULL)
		*allowed = 0;
	if (routes == NULL || req == NULL)
		return NULL;
	span path;
	bool decode;
	if (req->raw_target != NULL) {
		const char *q = strchr(req->raw_target, '?');
		path.s = req->raw_target;
		path.len = q != NULL ? (size_t)(q - req->raw_target) : strlen(req->raw_target);
		decode = true;
	} else if (req->path != NULL) {
		path.s = req->path;
		path.len = strlen(req->path);
		decode = false;
	} else {
		return NULL;
	}
	if (path.len == 0 || path.s[0] != '/')
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const http_route *r = &routes[i];
		if (r->pattern == NULL || r->pattern[0] != '/')
			continue;
		req->nparams = 0;
		if (!match_pattern(r->pattern, path, decode, req))
			continue;
		mask |= with_head(r->methods);
		if (method_allowed(r->methods, req->method)) {
			found = r;
			break;
		}
	}
	if (found == NULL) {
		req->nparams = 0;
		memset(req->params, 0, sizeof req->params);
	}
	if (allowed != NULL)
		*allowed = mask;
	return found;
}

bool http_route_valid(const http_route *route)
{
	const char *pat = route->pattern;
	if (route->handler == NULL || route->methods == 0 || pat == NULL || pat[0] != '/') {
		log_error("http: route %s: needs methods, a handler and a pattern starting with '/'",
			  pat != NULL ? pat : "(null)");
		return false;
	}
	size_t captures = 0;
	for (const char *p = pat + 1;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (memchr(p, '*', len) != NULL && (slash != NULL || len != 1)) {
			log_error("http: route %s: '*' must be the whole last segment", pat);
			return false;
		}
		if (len > 0 && (p[0] == ':' || p[0] == '*'))
			captures++;
		if (len == 1 && p[0] == ':') {
			log_error("http: route %s: a capture needs a name", pat);
			return false;
		}
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	if (captures > HTTP_MAX_PARAMS) {
		log_error("http: route %s: more than %d captures", pat, HTTP_MAX_PARAMS);
		return false;
	}
	return true;
}

const char *http_allow_header(arena_t *a, unsigned methods)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{HTTP_GET, "GET"},       {HTTP_HEAD, "HEAD"},   {HTTP_POST, "POST"},
		{HTTP_PUT, "PUT"},       {HTTP_DELETE, "DELETE"}, {HTTP_PATCH, "PATCH"},
		{HTTP_OPTIONS, "OPTIONS"},
	};
	char out[64];
	size_t o = 0;
	methods = with_head(methods);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((methods & names[i].bit) == 0)
			continue;
		size_t len = strlen(names[i].name);
		if (o + len + 3 > sizeof out)
			break;
		if (o > 0) {
			out[o++] = ',';
			out[o++] = ' ';
		}
		memcpy(out + o, names[i].name, len);
		o += len;
	}
	return arena_strndup(a, out, o);
}
