/*
 * url.c - what a URL carries: ids, and the paths of articles.
 */
#include <string.h>

#include "core/buf.h"

#include "web/web.h"

/* Fifteen digits is far beyond any real id and keeps clear of overflow. */
#define ID_DIGITS_MAX 15

int web_parse_id(const char *s, int64_t *id)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > ID_DIGITS_MAX)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

int web_parse_slug_id(const char *s, int64_t *id)
{
	/* "x--1" and "-1" are not ids of anything. */
	const char *dash = strrchr(s, '-');
	if (dash != NULL) {
		if (dash == s || dash[-1] == '-')
			return -1;
		for (const char *p = s; p < dash; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
				return -1;
	}
	return web_parse_id(dash != NULL ? dash + 1 : s, id);
}

const char *web_article_path(arena_t *a, const article *art)
{
	if (art->slug != NULL && art->slug[0] != '\0')
		return arena_sprintf(a, "/%s/%s-%lld", art->category_slug, art->slug,
				     (long long)art->id);
	return arena_sprintf(a, "/%s/%lld", art->category_slug, (long long)art->id);
}

const char *web_url(http_req *req, const char *path, const char *const *pairs)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_t b = BUF_INIT;
	buf_puts(&b, path);
	char sep = '?';
	for (size_t i = 0; pairs[i] != NULL; i += 2) {
		const char *v = pairs[i + 1];
		if (v == NULL || v[0] == '\0')
			continue;
		buf_printf(&b, "%c%s=", sep, pairs[i]);
		sep = '&';
		for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
				buf_putc(&b, (char)*p);
			} else {
				char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
				buf_append(&b, enc, 3);
			}
		}
	}
	const char *out = b.failed || b.data == NULL ? path : arena_sprintf(req->arena, "%.*s",
									      (int)b.len, b.data);
	buf_free(&b);
	return out != NULL ? out : path;
}
