/*
 * lang.c - the interface language of a request, and text in it.
 *
 * The language is chosen once, on the first web_lang() of a request, and
 * kept on the request, so every part of a page (frame, widgets, messages,
 * cache key, headers) agrees on it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "render/i18n.h"
#include "web/web.h"

static int lang_parse(const char *s, lang_t *out)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "vi") == 0) {
		*out = LANG_VI;
		return 0;
	}
	if (strcmp(s, "en") == 0) {
		*out = LANG_EN;
		return 0;
	}
	return -1;
}

/* Picks vi or en from an Accept-Language header by q-value; ties go to the
 * one listed first. -1 when neither is there. Only used to offer English,
 * never to choose. */
static int accept_language(const char *h, lang_t *out)
{
	double best = 0.0;
	int found = -1;
	for (int guard = 0; h != NULL && *h != '\0' && guard < 32; guard++) {
		while (*h == ' ' || *h == ',')
			h++;
		const char *tag = h;
		while (*h != '\0' && *h != ',' && *h != ';' && *h != ' ')
			h++;
		size_t taglen = (size_t)(h - tag);
		double q = 1.0;
		const char *next = strchr(h, ',');
		const char *qs = strstr(h, "q=");
		if (qs != NULL && (next == NULL || qs < next))
			q = strtod(qs + 2, NULL);
		int match = -1;
		if (taglen >= 2 && (taglen == 2 || tag[2] == '-')) {
			if (strncasecmp(tag, "vi", 2) == 0)
				match = LANG_VI;
			else if (strncasecmp(tag, "en", 2) == 0)
				match = LANG_EN;
		}
		if (match >= 0 && q > best) {
			best = q;
			*out = (lang_t)match;
			found = 0;
		}
		h = next != NULL ? next : h + strlen(h);
	}
	return found;
}

bool web_lang_offered(http_req *req)
{
	lang_t browser;
	return web_lang(req) == LANG_VI && http_query(req, "lang") == NULL &&
	       http_cookie(req, WEB_LANG_COOKIE) == NULL &&
	       accept_language(http_header(req, "Accept-Language"), &browser) == 0 &&
	       browser == LANG_EN;
}

lang_t web_lang(http_req *req)
{
	if (!req->lang_known) {
		const app_t *app = req->app;
		lang_t l = app != NULL ? app->lang : LANG_VI;
		if (lang_parse(http_query(req, "lang"), &l) != 0 &&
		    lang_parse(http_cookie(req, WEB_LANG_COOKIE), &l) != 0)
			l = app != NULL ? app->lang : LANG_VI;
		req->lang = (int)l;
		req->lang_known = true;
	}
	return (lang_t)req->lang;
}

const char *web_lang_code(lang_t lang)
{
	return lang == LANG_EN ? "en" : "vi";
}

const char *web_text(http_req *req, const char *key)
{
	return i18n_text(web_lang(req), key);
}

const char *web_vocab(http_req *req, const char *prefix, const char *code, const char *name)
{
	if (web_lang(req) != LANG_EN || code == NULL || code[0] == '\0')
		return name;
	const char *key = arena_sprintf(req->arena, "%s%s", prefix, code);
	const char *en = key != NULL ? json_string_value(json_object_get(i18n_catalog(LANG_EN), key))
				     : NULL;
	return en != NULL ? en : name;
}

const char *web_textf(http_req *req, const char *key, int64_t n)
{
	lang_t lang = web_lang(req);
	const char *msg = i18n_text(lang, key);
	const char *at = strstr(msg, "{n}");
	if (at == NULL)
		return msg;
	char num[32];
	fmt_int(num, sizeof num, n, lang);
	const char *out = arena_sprintf(req->arena, "%.*s%s%s", (int)(at - msg), msg, num, at + 3);
	return out != NULL ? out : msg;
}

static void url_encode(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

/* The same page in another language: the path, every query field but
 * lang (a search keeps its words), then lang=CODE. */
static const char *switch_url(http_req *req, const char *code)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, req->path != NULL && req->path[0] == '/' ? req->path : "/");
	char sep = '?';
	for (size_t i = 0; i < req->nquery; i++) {
		if (strcmp(req->query[i].name, "lang") == 0)
			continue;
		buf_putc(&b, sep);
		url_encode(&b, req->query[i].name);
		buf_putc(&b, '=');
		url_encode(&b, req->query[i].value);
		sep = '&';
	}
	buf_printf(&b, "%clang=%s", sep, code);
	const char *url = b.failed ? "/" : arena_strdup(req->arena, b.data);
	buf_free(&b);
	return url != NULL ? url : "/";
}

void web_lang_context(http_req *req, json_t *ctx)
{
	lang_t l = web_lang(req);
	lang_t other = l == LANG_VI ? LANG_EN : LANG_VI;
	const char *code = web_lang_code(other);
	json_object_set(ctx, "t", i18n_catalog(l));
	json_object_set_new(ctx, "lang", json_string(web_lang_code(l)));
	const char *url = switch_url(req, code);
	json_object_set_new(ctx, "other_lang",
			    json_pack("{s:s, s:s, s:s}", "code", code, "name",
				      i18n_text(other, "lang_name"), "url", url));
	/* Written in the language it offers, for the reader who cannot read
	 * the page's. */
	if (web_lang_offered(req))
		json_object_set_new(ctx, "lang_offer",
				    json_pack("{s:s, s:s, s:s}", "code", code, "text",
					      i18n_text(other, "lang_offer"), "url", url));
}

void web_lang_headers(http_req *req, http_res *res)
{
	lang_t l;
	if (lang_parse(http_query(req, "lang"), &l) == 0)
		http_res_header(res, "Set-Cookie",
				l == LANG_EN ? WEB_LANG_COOKIE "=en; Path=/; Max-Age=31536000; SameSite=Lax"
					     : WEB_LANG_COOKIE "=vi; Path=/; Max-Age=31536000; SameSite=Lax");
	http_res_header(res, "Content-Language", web_lang_code(web_lang(req)));
	http_res_header(res, "Vary", "Accept-Language, Cookie");
}

const char *web_count(http_req *req, int64_t n)
{
	char out[32];
	fmt_int(out, sizeof out, n, web_lang(req));
	const char *s = arena_strdup(req->arena, out);
	return s != NULL ? s : "";
}

const char *web_decimal(http_req *req, double v)
{
	if (!(v > 0))
		return "";
	char *s = arena_sprintf(req->arena, "%.10g", v);
	if (s == NULL || strchr(s, 'e') != NULL)
		return s != NULL ? s : "";
	/* The whole part grouped as counts are (1.500,5), the rest as typed. */
	char *dot = strchr(s, '.');
	const char *whole = web_count(req, strtoll(s, NULL, 10));
	if (dot == NULL)
		return whole;
	const char *out = arena_sprintf(req->arena, "%s%c%s", whole,
					web_lang(req) == LANG_VI ? ',' : '.', dot + 1);
	return out != NULL ? out : "";
}
