/*
 * router.c - finds the route of a request among the route tables.
 *
 * The path is read once: split at its '/' and each segment percent-decoded
 * into a buffer on the stack, so "%2F" decodes inside its segment and never
 * splits it, and nothing is allocated unless the winning route captures.
 * Every row's pattern is then compared with those segments; among the rows
 * that match, the most specific pattern decides (the order is in http.h).
 * http_routes_check() runs once at start-up and refuses tables in which two
 * rows could tie, so the answer never depends on the order of rows or
 * tables, and matching need not defend against malformed patterns beyond
 * staying in bounds.
 */
#include <string.h>

#include "core/log.h"
#include "http/http_private.h"

/* Segments of a pattern, '*' included; a path may have more (a '*' takes
 * them). */
#define MAX_SEGMENTS 32

typedef struct {
	const char *s;
	size_t len;
} span;

/* ---- patterns ----------------------------------------------------------- */

/* From the least specific to the most: the comparison of two patterns is
 * the comparison of these values, segment by segment. SEG_END is where a
 * pattern without '*' stops: it beats a '*' that would take nothing. */
enum seg_kind { SEG_REST, SEG_END, SEG_PARAM, SEG_AFFIXED, SEG_LITERAL };

typedef struct {
	enum seg_kind kind;
	span prefix; /* SEG_LITERAL: the whole segment; SEG_AFFIXED: before ':' */
	span suffix; /* SEG_AFFIXED: after the capture's name */
	span name;   /* SEG_PARAM, SEG_AFFIXED: the capture's name */
} segment;

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Reads the pattern segment at *cur (just after a '/', or NULL past the
 * last one) and moves *cur to the next. */
static segment pattern_segment(const char **cur)
{
	segment seg = {SEG_END, {"", 0}, {"", 0}, {"", 0}};
	const char *p = *cur;
	if (p == NULL || *p == '\0') {
		*cur = NULL;
		return seg;
	}
	const char *slash = strchr(p, '/');
	size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
	*cur = slash != NULL ? slash + 1 : NULL;
	if (len == 1 && p[0] == '*') {
		seg.kind = SEG_REST;
		return seg;
	}
	const char *colon = memchr(p, ':', len);
	if (colon == NULL) {
		seg.kind = SEG_LITERAL;
		seg.prefix = (span){p, len};
		return seg;
	}
	const char *name_end = colon + 1;
	while (name_end < p + len && name_char(*name_end))
		name_end++;
	seg.prefix = (span){p, (size_t)(colon - p)};
	seg.name = (span){colon + 1, (size_t)(name_end - colon - 1)};
	seg.suffix = (span){name_end, (size_t)(p + len - name_end)};
	seg.kind = seg.prefix.len == 0 && seg.suffix.len == 0 ? SEG_PARAM : SEG_AFFIXED;
	return seg;
}

static bool span_equal(span a, span b)
{
	return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

static bool starts_with(span s, span prefix)
{
	return s.len >= prefix.len && memcmp(s.s, prefix.s, prefix.len) == 0;
}

static bool ends_with(span s, span suffix)
{
	return s.len >= suffix.len && memcmp(s.s + s.len - suffix.len, suffix.s, suffix.len) == 0;
}

/* Literal characters of an affixed segment: the more, the more specific. */
static size_t affix_len(const segment *seg)
{
	return seg->prefix.len + seg->suffix.len;
}

/* >0 when pattern a is more specific than b, <0 when less, 0 when neither
 * (both patterns assumed valid). */
static int pattern_compare(const char *a, const char *b)
{
	const char *ca = a + 1, *cb = b + 1;
	for (;;) {
		segment sa = pattern_segment(&ca), sb = pattern_segment(&cb);
		if (sa.kind != sb.kind)
			return sa.kind > sb.kind ? 1 : -1;
		if (sa.kind == SEG_AFFIXED && affix_len(&sa) != affix_len(&sb))
			return affix_len(&sa) > affix_len(&sb) ? 1 : -1;
		if (sa.kind == SEG_END || sa.kind == SEG_REST)
			return 0;
	}
}

/* Same kinds and same literal text in every segment (capture names may
 * differ): the two patterns match exactly the same paths. */
static bool same_shape(const char *a, const char *b)
{
	const char *ca = a + 1, *cb = b + 1;
	for (;;) {
		segment sa = pattern_segment(&ca), sb = pattern_segment(&cb);
		if (sa.kind != sb.kind || !span_equal(sa.prefix, sb.prefix) ||
		    !span_equal(sa.suffix, sb.suffix))
			return false;
		if (sa.kind == SEG_END || sa.kind == SEG_REST)
			return true;
	}
}

/* True when some non-empty segment fits both a and b. */
static bool segments_overlap(const segment *a, const segment *b)
{
	if (a->kind == SEG_LITERAL && b->kind == SEG_LITERAL)
		return span_equal(a->prefix, b->prefix);
	if (b->kind == SEG_LITERAL) {
		const segment *t = a;
		a = b;
		b = t;
	}
	if (a->kind == SEG_LITERAL) /* b captures: a non-empty middle is needed */
		return a->prefix.len > affix_len(b) && starts_with(a->prefix, b->prefix) &&
		       ends_with(a->prefix, b->suffix);
	/* Two captures: a long enough middle fits both when one prefix begins
	 * the other and one suffix ends the other. */
	return (starts_with(a->prefix, b->prefix) || starts_with(b->prefix, a->prefix)) &&
	       (ends_with(a->suffix, b->suffix) || ends_with(b->suffix, a->suffix));
}

/* True when some path matches both patterns. */
static bool patterns_overlap(const char *a, const char *b)
{
	const char *ca = a + 1, *cb = b + 1;
	for (;;) {
		segment sa = pattern_segment(&ca), sb = pattern_segment(&cb);
		if (sa.kind == SEG_REST || sb.kind == SEG_REST)
			return true; /* '*' takes whatever the other still needs */
		if (sa.kind == SEG_END || sb.kind == SEG_END)
			return sa.kind == sb.kind;
		if (!segments_overlap(&sa, &sb))
			return false;
	}
}

/* ---- paths -------------------------------------------------------------- */

/* A request path cut into decoded segments. */
typedef struct {
	char text[HTTP_MAX_PATH + 1]; /* the decoded path without its first '/' */
	size_t start[MAX_SEGMENTS];   /* where each segment begins in text */
	size_t len[MAX_SEGMENTS];
	size_t n;                     /* segments recorded */
	bool more;                    /* the path has more than MAX_SEGMENTS */
	size_t total;                 /* bytes of text */
} path_segments;

/* Splits raw (len bytes, starting with '/') at its '/' and decodes each
 * segment when decode is set. False for a malformed %XX or a path longer
 * than HTTP_MAX_PATH: such a path matches no route. "/" has no segment,
 * "/a/" has two ("a" and ""). */
static bool path_split(const char *raw, size_t len, bool decode, path_segments *ps)
{
	ps->n = 0;
	ps->more = false;
	ps->total = 0;
	if (len > HTTP_MAX_PATH)
		return false;
	size_t o = 0;
	for (size_t i = 1; i < len || (i == len && i > 1 && raw[i - 1] == '/');) {
		if (ps->n == MAX_SEGMENTS) {
			ps->more = true;
		} else {
			ps->start[ps->n] = o;
		}
		size_t seg_start = o;
		while (i < len && raw[i] != '/') {
			unsigned char c = (unsigned char)raw[i];
			if (c == '%' && decode) {
				if (len - i < 3)
					return false;
				int hi = http_hex_digit((unsigned char)raw[i + 1]);
				int lo = http_hex_digit((unsigned char)raw[i + 2]);
				if (hi < 0 || lo < 0)
					return false;
				c = (unsigned char)(hi << 4 | lo);
				i += 3;
			} else {
				i++;
			}
			ps->text[o++] = (char)c;
		}
		if (!ps->more)
			ps->len[ps->n++] = o - seg_start;
		if (i >= len)
			break;
		ps->text[o++] = '/';
		i++; /* past the '/'; a last '/' opens an empty last segment */
	}
	ps->text[o] = '\0';
	ps->total = o;
	return true;
}

static span path_segment(const path_segments *ps, size_t k)
{
	return (span){ps->text + ps->start[k], ps->len[k]};
}

/* What a '*' at segment k takes: the rest of the path, decoded, possibly
 * empty ("/static" and "/static/" for the pattern "/static/" then "*"). */
static span path_rest(const path_segments *ps, size_t k)
{
	if (k >= ps->n && !ps->more)
		return (span){ps->text + ps->total, 0};
	return (span){ps->text + ps->start[k], ps->total - ps->start[k]};
}

/* The part of a path segment a capture takes: all of it for ":name", the
 * middle for "sitemap-:n.xml". */
static bool segment_fits(const segment *seg, span x, span *captured)
{
	switch (seg->kind) {
	case SEG_LITERAL:
		return span_equal(x, seg->prefix);
	case SEG_PARAM:
	case SEG_AFFIXED:
		if (x.len <= affix_len(seg) || !starts_with(x, seg->prefix) ||
		    !ends_with(x, seg->suffix))
			return false;
		*captured = (span){x.s + seg->prefix.len, x.len - affix_len(seg)};
		return true;
	default:
		return false;
	}
}

/* True when pattern matches the path; with req, also stores the captures
 * in req->params (false when out of memory). */
static bool pattern_matches(const char *pattern, const path_segments *ps, http_req *req)
{
	const char *cur = pattern + 1;
	for (size_t k = 0;; k++) {
		segment seg = pattern_segment(&cur);
		span captured = {"", 0};
		if (seg.kind == SEG_END)
			return k == ps->n && !ps->more;
		if (seg.kind == SEG_REST) {
			if (k > ps->n || (k == ps->n && ps->more))
				return false;
			captured = path_rest(ps, k);
		} else if (k >= ps->n || !segment_fits(&seg, path_segment(ps, k), &captured)) {
			return false;
		}
		if (req != NULL && seg.kind != SEG_LITERAL) {
			if (req->nparams >= HTTP_MAX_PARAMS || req->arena == NULL)
				return false;
			const char *value = arena_strndup(req->arena, captured.s, captured.len);
			if (value == NULL)
				return false;
			req->params[req->nparams++] = value;
		}
		if (seg.kind == SEG_REST)
			return true;
	}
}

/* ---- matching ----------------------------------------------------------- */

static unsigned with_head(unsigned methods)
{
	return (methods & HTTP_GET) != 0 ? methods | HTTP_HEAD : methods;
}

static bool method_allowed(unsigned methods, enum http_method method)
{
	return (with_head(methods) & (unsigned)method) != 0;
}

const http_route *http_route_find(const http_route_table *tables, size_t ntables,
				  http_req *req, unsigned *allowed)
{
	const http_route *best = NULL;  /* a row of the most specific pattern */
	const http_route *found = NULL; /* the row of that pattern taking the method */
	unsigned mask = 0;
	if (allowed != NULL)
		*allowed = 0;
	if (req == NULL)
		return NULL;
	req->route = NULL;
	req->nparams = 0;
	memset(req->params, 0, sizeof req->params);
	span path;
	bool decode = req->raw_target != NULL;
	if (decode) {
		const char *q = strchr(req->raw_target, '?');
		path.s = req->raw_target;
		path.len = q != NULL ? (size_t)(q - req->raw_target) : strlen(req->raw_target);
	} else if (req->path != NULL) {
		path.s = req->path;
		path.len = strlen(req->path);
	} else {
		return NULL;
	}
	path_segments ps;
	if (tables == NULL || path.len == 0 || path.s[0] != '/' ||
	    !path_split(path.s, path.len, decode, &ps))
		return NULL;
	for (size_t t = 0; t < ntables; t++) {
		for (size_t i = 0; i < tables[t].n; i++) {
			const http_route *r = &tables[t].routes[i];
			if (r->pattern == NULL || r->pattern[0] != '/' ||
			    !pattern_matches(r->pattern, &ps, NULL))
				continue;
			int order = best != NULL ? pattern_compare(r->pattern, best->pattern) : 1;
			if (order < 0)
				continue;
			if (order > 0) {
				best = r;
				found = NULL;
				mask = 0;
			}
			mask |= with_head(r->methods);
			if (found == NULL && method_allowed(r->methods, req->method))
				found = r;
		}
	}
	if (found != NULL && !pattern_matches(found->pattern, &ps, req)) {
		/* Out of memory for the captures. */
		req->nparams = 0;
		memset(req->params, 0, sizeof req->params);
		return NULL;
	}
	if (allowed != NULL)
		*allowed = mask;
	req->route = found;
	return found;
}

const http_route *http_route_match(const http_route *routes, size_t n, http_req *req,
				   unsigned *allowed)
{
	http_route_table table = {routes, n};
	return http_route_find(&table, 1, req, allowed);
}

/* ---- start-up checks ---------------------------------------------------- */

bool http_route_valid(const http_route *route)
{
	const char *pat = route->pattern;
	if (route->handler == NULL || route->methods == 0 || pat == NULL || pat[0] != '/') {
		log_error("http: route %s: needs methods, a handler and a pattern starting with '/'",
			  pat != NULL ? pat : "(null)");
		return false;
	}
	if (strcmp(pat, "/") == 0)
		return true;
	size_t captures = 0, segments = 0;
	for (const char *p = pat + 1;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		const char *end = p + len;
		const char *colon = memchr(p, ':', len);
		segments++;
		if (len == 0) {
			log_error("http: route %s: an empty segment (only \"/\" itself may end in '/')",
				  pat);
			return false;
		}
		if (memchr(p, '*', len) != NULL && (slash != NULL || len != 1)) {
			log_error("http: route %s: '*' must be the whole last segment", pat);
			return false;
		}
		if (colon != NULL) {
			const char *name_end = colon + 1;
			while (name_end < end && name_char(*name_end))
				name_end++;
			if (name_end == colon + 1) {
				log_error("http: route %s: a capture needs a name", pat);
				return false;
			}
			if (memchr(name_end, ':', (size_t)(end - name_end)) != NULL) {
				log_error("http: route %s: at most one capture in a segment", pat);
				return false;
			}
		}
		if (colon != NULL || (len == 1 && p[0] == '*'))
			captures++;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	if (captures > HTTP_MAX_PARAMS || segments > MAX_SEGMENTS) {
		log_error("http: route %s: more than %d captures or %d segments", pat, HTTP_MAX_PARAMS,
			  MAX_SEGMENTS);
		return false;
	}
	return true;
}

/* The row at flat index i of the tables. */
static const http_route *table_row(const http_route_table *tables, size_t ntables, size_t i)
{
	for (size_t t = 0; t < ntables; t++) {
		if (i < tables[t].n)
			return &tables[t].routes[i];
		i -= tables[t].n;
	}
	return NULL;
}

int http_routes_check(const http_route_table *tables, size_t ntables)
{
	size_t total = 0;
	for (size_t t = 0; t < ntables; t++) {
		if (tables[t].n > 0 && tables[t].routes == NULL) {
			log_error("http: a route table without rows");
			return -1;
		}
		for (size_t i = 0; i < tables[t].n; i++)
			if (!http_route_valid(&tables[t].routes[i]))
				return -1;
		total += tables[t].n;
	}
	int rc = 0;
	for (size_t i = 0; i < total; i++) {
		const http_route *a = table_row(tables, ntables, i);
		for (size_t j = i + 1; j < total; j++) {
			const http_route *b = table_row(tables, ntables, j);
			/* Where both match, the more specific decides: no tie. */
			if (!patterns_overlap(a->pattern, b->pattern) ||
			    pattern_compare(a->pattern, b->pattern) != 0)
				continue;
			if (!same_shape(a->pattern, b->pattern)) {
				log_error("http: routes %s and %s: a path can match both and neither is "
					  "more specific",
					  a->pattern, b->pattern);
				rc = -1;
			} else if ((with_head(a->methods) & with_head(b->methods)) != 0) {
				log_error("http: routes %s and %s: the same pattern and method twice, so "
					  "one of them could never be reached",
					  a->pattern, b->pattern);
				rc = -1;
			}
		}
	}
	return rc;
}

static const struct {
	unsigned bit;
	const char *name;
} method_names[] = {
	{HTTP_GET, "GET"},       {HTTP_HEAD, "HEAD"},   {HTTP_POST, "POST"},
	{HTTP_PUT, "PUT"},       {HTTP_DELETE, "DELETE"}, {HTTP_PATCH, "PATCH"},
	{HTTP_OPTIONS, "OPTIONS"},
};

const char *http_method_name(unsigned method)
{
	for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
		if (method_names[i].bit == method)
			return method_names[i].name;
	return NULL;
}

const char *http_allow_header(arena_t *a, unsigned methods)
{
	char out[64];
	size_t o = 0;
	methods = with_head(methods);
	for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
		if ((methods & method_names[i].bit) == 0)
			continue;
		size_t len = strlen(method_names[i].name);
		if (o + len + 3 > sizeof out)
			break;
		if (o > 0) {
			out[o++] = ',';
			out[o++] = ' ';
		}
		memcpy(out + o, method_names[i].name, len);
		o += len;
	}
	return arena_strndup(a, out, o);
}
