/*
 * search.c - the search page (/tim-kiem) and the search API
 * (/api/v1/search): read the request, ask model/search.h, render.
 *
 * A refused query or filter is answered 400 with the reason (the page shows
 * the form again with the message; the API gives {"error", "message"}); a
 * search stopped by its deadline is 503. Nothing a reader types can make a
 * 500: the model quotes every word itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"
#include "core/log.h"
#include "core/text.h"
#include "model/category.h"
#include "model/search.h"
#include "portal/discover.h"
#include "portal/portal.h"
#include "render/i18n.h"

#define SUGGEST_TERMS_MAX 5     /* "Thử bỏ bớt từ khóa" links */
#define POPULAR_CATEGORIES 5
#define PAGER_RADIUS 2          /* page links on each side of the current one */
#define WHY_MAX 160
#define TITLE_QUERY_MAX 120     /* bytes of the query repeated in <title> */

/* The kinds of result one search box looks in (loai=...): a row each. The
 * articles are the page's own list (run NULL: search_run with the
 * category and date filters); every other kind brings its run function
 * (search_kind_fn, discover.h), which pages its own hits. Adding a kind is
 * adding its row. */
static const search_kind search_kinds[] = {
	{"bai-viet", "portal_search_kind_articles", NULL},
	{"hien-vat", "portal_search_kind_objects", collection_search_hits},
	{"trung-bay", "portal_search_kind_exhibitions", exhibition_search_hits},
	{"an-pham", "portal_search_kind_publications", publication_search_hits},
};
#define SEARCH_KINDS (sizeof search_kinds / sizeof search_kinds[0])
#define KIND_ALL -1
#define KIND_PREVIEW 3          /* hits of each other kind under the articles */

/* What the request asked for, read the same way for the page and the API. */
typedef struct {
	const char *q;           /* NULL or blank: no search (the page shows the form) */
	const char *category;    /* slug as given, or NULL */
	const char *from_text, *to_text;
	int kind;                /* index in search_kinds, or KIND_ALL */
	search_filter filter;
} search_request;

/* The query parameter names of the page (Vietnamese) and of the API. */
typedef struct {
	const char *q, *category, *from, *to, *page, *kind;
} param_names;

static const param_names page_params = {"q", "chuyen-muc", "tu", "den", "trang", "loai"};
static const param_names api_params = {"q", "category", "from", "to", "page", NULL};

/* Interface text comes from the catalogs (locale/vi.po, en.po) in the
 * reader's language (web_text); "{NAME}" in a message stands for a value. */
static const char *say_with(http_req *req, const char *key, const char *name, const char *value)
{
	const char *msg = web_text(req, key);
	char mark[32];
	snprintf(mark, sizeof mark, "{%s}", name);
	const char *at = strstr(msg, mark);
	if (at == NULL)
		return msg;
	const char *out = arena_sprintf(req->arena, "%.*s%s%s", (int)(at - msg), msg, value,
					at + strlen(mark));
	return out != NULL ? out : msg;
}

static const char *say_n(http_req *req, const char *key, int64_t n)
{
	char num[32];
	fmt_int(num, sizeof num, n, web_lang(req));
	return say_with(req, key, "n", num);
}

static bool blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

static const char *nonempty(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* "YYYY-MM-DD" as local midnight. */
static int parse_day(const char *s, int utc_offset, int64_t *t)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	return parse_iso8601(s, utc_offset, t);
}

/* Reads filters and page. 0, or 400 with the reason in why. */
static int read_request(http_req *req, db_t *db, const param_names *names, search_request *out,
			char *why, size_t whylen)
{
	const app_t *app = req->app;
	memset(out, 0, sizeof(*out));
	out->filter.page = 1;
	out->kind = KIND_ALL;
	out->q = http_query(req, names->q);
	const char *kind = names->kind != NULL ? nonempty(http_query(req, names->kind)) : NULL;
	if (kind != NULL) {
		for (size_t i = 0; i < SEARCH_KINDS && out->kind == KIND_ALL; i++)
			if (strcmp(kind, search_kinds[i].slug) == 0)
				out->kind = (int)i;
		if (out->kind == KIND_ALL) {
			snprintf(why, whylen, "%s", web_text(req, "portal_search_err_kind"));
			return 400;
		}
	}
	out->category = nonempty(http_query(req, names->category));
	out->from_text = nonempty(http_query(req, names->from));
	out->to_text = nonempty(http_query(req, names->to));
	if (out->category != NULL) {
		category cat;
		int rc = category_get_by_slug(db, req->arena, out->category, &cat);
		if (rc < 0)
			return 500;
		if (rc != 0) {
			snprintf(why, whylen, "%s", web_text(req, "portal_search_err_category"));
			return 400;
		}
		out->filter.category_id = cat.id;
	}
	if (out->from_text != NULL &&
	    parse_day(out->from_text, app->cfg.utc_offset, &out->filter.from) != 0) {
		snprintf(why, whylen, "%s", web_text(req, "portal_search_err_from"));
		return 400;
	}
	if (out->to_text != NULL) {
		int64_t day;
		if (parse_day(out->to_text, app->cfg.utc_offset, &day) != 0) {
			snprintf(why, whylen, "%s", web_text(req, "portal_search_err_to"));
			return 400;
		}
		out->filter.until = day + 86400; /* the whole last day */
	}
	if (out->filter.from > 0 && out->filter.until > 0 && out->filter.from >= out->filter.until) {
		snprintf(why, whylen, "%s", web_text(req, "portal_search_err_range"));
		return 400;
	}
	const char *page = nonempty(http_query(req, names->page));
	if (page != NULL) {
		int64_t n;
		if (parse_int64(page, &n) != 0 || n < 1) {
			snprintf(why, whylen, "%s", web_text(req, "portal_search_err_page"));
			return 400;
		}
		if (n > SEARCH_PAGES_MAX) {
			snprintf(why, whylen, "%s",
				 say_n(req, "portal_search_err_page_max", SEARCH_PAGES_MAX));
			return 400;
		}
		out->filter.page = (int)n;
	}
	return 0;
}

/* ---- URLs -------------------------------------------------------------------- */

static void put_encoded(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			buf_putc(b, (char)c);
		else if (c == ' ')
			buf_putc(b, '+');
		else
			buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* "/tim-kiem?q=...&chuyen-muc=...": the page for another query, filters or
 * page number (0 leaves the page out). */
static const char *page_url(http_req *req, const char *q, const search_request *r, bool filters,
			    int page)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "/tim-kiem?q=");
	put_encoded(&b, q);
	if (filters && r->category != NULL) {
		buf_puts(&b, "&chuyen-muc=");
		put_encoded(&b, r->category);
	}
	if (filters && r->from_text != NULL) {
		buf_puts(&b, "&tu=");
		put_encoded(&b, r->from_text);
	}
	if (filters && r->to_text != NULL) {
		buf_puts(&b, "&den=");
		put_encoded(&b, r->to_text);
	}
	if (r->kind != KIND_ALL) {
		buf_puts(&b, "&loai=");
		put_encoded(&b, search_kinds[r->kind].slug);
	}
	if (page > 1)
		buf_printf(&b, "&trang=%d", page);
	const char *url = b.failed ? NULL : arena_strndup(req->arena, b.data, b.len);
	buf_free(&b);
	return url != NULL ? url : "/tim-kiem";
}

/* ---- the page ------------------------------------------------------------------ */

static json_t *hit_json(http_req *req, const search_hit *h)
{
	const app_t *app = req->app;
	char date[32], iso[40];
	fmt_date(date, sizeof date, h->published_at, app->cfg.utc_offset);
	fmt_iso8601(iso, sizeof iso, h->published_at, app->cfg.utc_offset);
	article art = {0};
	art.id = h->id;
	art.slug = h->slug;
	art.category_slug = h->category_slug;
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)h->id,
			 "title", h->title, "title_html", h->title_html, "snippet_html",
			 h->snippet_html, "url", web_article_path(req->arena, &art), "date", date,
			 "date_iso", iso, "category_name", h->category_name, "category_url",
			 arena_sprintf(req->arena, "/%s", h->category_slug));
}

/* The page links around `at` of `npages` (a kind's pages, or the articles'). */
static json_t *pager_json(http_req *req, const search_query *q, const search_request *r, int at,
			  int npages)
{
	json_t *pages = json_array();
	int first = at - PAGER_RADIUS, last = at + PAGER_RADIUS;
	if (first < 1)
		first = 1;
	if (last > npages)
		last = npages;
	for (int p = first; p <= last; p++)
		json_array_append_new(pages, json_pack("{s:i, s:s, s:b}", "number", p, "url",
						       page_url(req, q->text, r, true, p), "current",
						       p == at));
	json_t *pager = json_pack("{s:o, s:b}", "pages", pages, "show", npages > 1);
	if (at > 1 && at <= npages)
		json_object_set_new(pager, "prev_url",
				    json_string(page_url(req, q->text, r, true, at - 1)));
	if (at < npages)
		json_object_set_new(pager, "next_url",
				    json_string(page_url(req, q->text, r, true, at + 1)));
	if (first > 1)
		json_object_set_new(pager, "first_url",
				    json_string(page_url(req, q->text, r, true, 1)));
	if (last < npages)
		json_object_set_new(pager, "last",
				    json_pack("{s:i, s:s}", "number", npages, "url",
					      page_url(req, q->text, r, true, npages)));
	return pager;
}

/* The query without term `skip`, phrases quoted again. */
static const char *query_without(http_req *req, const search_query *q, size_t skip,
				 bool unquote)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < q->nterms; i++) {
		if (i == skip)
			continue;
		if (b.len > 0)
			buf_putc(&b, ' ');
		bool quote = q->term_is_phrase[i] && !unquote;
		buf_printf(&b, quote ? "\"%s\"" : "%s", q->terms[i]);
	}
	const char *s = b.failed ? NULL : arena_strndup(req->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

/* What to try when nothing was found. */
static json_t *suggestions_json(http_req *req, db_t *db, const search_query *q,
				const search_request *r)
{
	json_t *s = json_object();
	bool filtered = r->category != NULL || r->from_text != NULL || r->to_text != NULL;
	if (filtered)
		json_object_set_new(s, "without_filters_url",
				    json_string(page_url(req, q->text, r, false, 0)));
	if (q->nterms > 1) {
		json_t *fewer = json_array();
		for (size_t i = 0; i < q->nterms && i < SUGGEST_TERMS_MAX; i++) {
			const char *text = query_without(req, q, i, false);
			if (text != NULL)
				json_array_append_new(fewer, json_pack("{s:s, s:s}", "text", text, "url",
								       page_url(req, text, r, filtered, 0)));
		}
		json_object_set_new(s, "has_fewer", json_boolean(json_array_size(fewer) > 0));
		json_object_set_new(s, "fewer", fewer);
	}
	bool phrase = false;
	for (size_t i = 0; i < q->nterms; i++)
		phrase |= q->term_is_phrase[i];
	if (phrase) {
		const char *text = query_without(req, q, q->nterms, true);
		if (text != NULL)
			json_object_set_new(s, "unquoted", json_pack("{s:s, s:s}", "text", text, "url",
								     page_url(req, text, r, filtered, 0)));
	}
	/* The categories with the most articles, as somewhere to start. */
	category *cats = NULL;
	size_t n = 0;
	if (category_list(db, req->arena, &cats, &n) == 0 && n > 0) {
		int64_t *counts = arena_calloc(req->arena, n, sizeof(*counts));
		json_t *popular = json_array();
		bool *used = arena_calloc(req->arena, n, sizeof(*used));
		for (size_t i = 0; counts != NULL && used != NULL && i < n; i++)
			if (article_count(db, cats[i].id, &counts[i]) != 0)
				counts[i] = 0;
		for (size_t k = 0; counts != NULL && used != NULL && k < n && k < POPULAR_CATEGORIES;
		     k++) {
			size_t best = n;
			for (size_t i = 0; i < n; i++)
				if (!used[i] && counts[i] > 0 && (best == n || counts[i] > counts[best]))
					best = i;
			if (best == n)
				break;
			used[best] = true;
			char count[32];
			fmt_int(count, sizeof count, counts[best], web_lang(req));
			json_array_append_new(popular,
					      json_pack("{s:s, s:s, s:s}", "name", cats[best].name,
							"url", arena_sprintf(req->arena, "/%s",
									     cats[best].slug),
							"count", count));
		}
		json_object_set_new(s, "has_popular", json_boolean(json_array_size(popular) > 0));
		json_object_set_new(s, "popular", popular);
	}
	return s;
}

/* ---- kinds of results ------------------------------------------------------------ */

/* "19" or "hơn 5.000" in the reader's language. */
static const char *total_text(http_req *req, int64_t total, bool lower_bound)
{
	char count[32];
	fmt_int(count, sizeof count, total, web_lang(req));
	const char *text = lower_bound ? say_with(req, "portal_search_more_than", "n", count)
				       : arena_strdup(req->arena, count);
	return text != NULL ? text : "";
}

/* What the template shows of one list of results (items taken). */
static json_t *results_json(http_req *req, json_t *items, int64_t total, bool lower_bound,
			    int page, int pages, size_t n)
{
	return json_pack("{s:o, s:s, s:b, s:i, s:i, s:i, s:b, s:b}", "items", items, "total",
			 total_text(req, total, lower_bound), "found", total > 0, "page", page,
			 "pages", pages, "first_number", (page - 1) * SEARCH_PAGE_SIZE + 1,
			 "has_items", n > 0, "past_end", n == 0 && total > 0);
}

static json_t *kind_hits_json(const search_kind_result *kr)
{
	json_t *items = json_array();
	for (size_t i = 0; i < kr->n; i++) {
		const search_kind_hit *h = &kr->items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "title", h->title,
						       "url", h->url, "meta", h->meta, "text",
						       h->text, "thumb", h->thumb));
	}
	return items;
}

/*
 * The tabs (every kind with its count, "kinds"), and the hits of the kinds
 * other than articles: a kind chosen with loai= gets its page of results
 * ("kind_results"); with every kind, each that found something shows its
 * first few under a heading that links to all of them ("others").
 * *found_total gets what the page's list found, for the suggestions. 0 or
 * -1.
 */
static int kinds_context(http_req *req, db_t *db, const search_query *q, const search_request *r,
			 const search_result *articles, json_t *ctx, int64_t *found_total)
{
	json_t *tabs = json_array(), *others = json_array();
	int64_t all = 0;
	search_request each = *r;
	for (size_t i = 0; i < SEARCH_KINDS; i++) {
		const search_kind *k = &search_kinds[i];
		bool chosen = r->kind == (int)i;
		search_kind_result kr = {.total = articles->total,
					 .total_is_lower_bound = articles->total_is_lower_bound};
		int page = chosen ? r->filter.page : 1;
		if (k->run != NULL &&
		    k->run(req, db, q, page, chosen ? SEARCH_PAGE_SIZE : KIND_PREVIEW, &kr) != 0) {
			json_decref(tabs);
			json_decref(others);
			return -1;
		}
		all += kr.total;
		each.kind = (int)i;
		const char *url = page_url(req, q->text, &each, true, 0);
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:b}", "name",
						      web_text(req, k->label_key), "count",
						      total_text(req, kr.total, kr.total_is_lower_bound),
						      "url", url, "current", chosen));
		if (k->run == NULL)
			continue;
		int pages = (int)((kr.total + SEARCH_PAGE_SIZE - 1) / SEARCH_PAGE_SIZE);
		if (pages > SEARCH_PAGES_MAX)
			pages = SEARCH_PAGES_MAX;
		if (chosen) {
			json_t *results = results_json(req, kind_hits_json(&kr), kr.total,
						       kr.total_is_lower_bound, page, pages, kr.n);
			json_object_set_new(results, "pager", pager_json(req, q, r, page, pages));
			json_object_set_new(ctx, "kind_results", results);
			*found_total = kr.total;
		} else if (r->kind == KIND_ALL && kr.total > 0) {
			json_array_append_new(others,
					      json_pack("{s:s, s:s, s:s, s:o}", "name",
							web_text(req, k->label_key), "count",
							total_text(req, kr.total, kr.total_is_lower_bound),
							"url", url, "items", kind_hits_json(&kr)));
		}
	}
	each.kind = KIND_ALL;
	json_object_set_new(ctx, "kinds", tabs);
	json_object_set_new(ctx, "kinds_all_url",
			    json_string(page_url(req, q->text, &each, true, 0)));
	json_object_set_new(ctx, "kinds_all_current", json_boolean(r->kind == KIND_ALL));
	json_object_set_new(ctx, "kinds_all_count", json_string(total_text(req, all, false)));
	json_object_set_new(ctx, "others", others);
	if (r->kind == KIND_ALL)
		*found_total = all;
	return 0;
}

/* Why search_parse() refused q, in the reader's language. */
static const char *refusal_text(http_req *req, const search_query *q, const char *why)
{
	if (q->refusal == NULL)
		return why;
	return say_n(req, q->refusal, q->refusal_n);
}

/* The page with an error message instead of results. */
static int render_refusal(http_req *req, http_res *res, json_t *ctx, int status, const char *why)
{
	json_object_set_new(ctx, "error", json_string(why));
	http_res_header(res, "Cache-Control", "no-store");
	int rendered = web_render(req, res, "search", ctx);
	return rendered == 200 ? status : rendered;
}

int portal_search(http_req *req, http_res *res)
{
	int started;
	db_t *db = page_start(req, res, &started);
	if (db == NULL)
		return started;
	char why[WHY_MAX] = "";
	search_request r;
	int status = read_request(req, db, &page_params, &r, why, sizeof why);
	if (status == 500)
		return 500;

	/* What the reader typed goes back into the box and the title; bytes
	 * that are not UTF-8 are refused below and never shown. */
	size_t qlen = r.q != NULL ? strlen(r.q) : 0;
	const char *shown = qlen > 0 && utf8_valid(r.q, qlen) ? r.q : "";
	const char *title = web_text(req, "portal_search_title");
	if (!blank(shown)) {
		const char *cut = arena_strndup(req->arena, shown,
						utf8_cut(shown, strlen(shown), TITLE_QUERY_MAX));
		if (cut != NULL)
			title = say_with(req, "portal_search_title_query", "q", cut);
	}
	json_t *ctx = page_context(req, title, NULL);
	if (ctx == NULL)
		return 500;
	json_t *kinds = json_array();
	for (size_t i = 0; i < SEARCH_KINDS; i++)
		json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "slug", search_kinds[i].slug,
						       "name", web_text(req, search_kinds[i].label_key),
						       "selected", r.kind == (int)i));
	json_object_set_new(ctx, "search",
			    json_pack("{s:s, s:s?, s:s?, s:o, s:o}", "q", shown, "from", r.from_text,
				      "to", r.to_text, "categories",
				      web_categories(req, db, r.category, false), "kinds", kinds));
	if (status != 0)
		return render_refusal(req, res, ctx, status, why);
	if (blank(r.q)) {
		json_object_set_new(ctx, "start", json_true());
		http_res_header(res, "Cache-Control", "no-cache");
		return page_render_cached(req, res, "search", ctx);
	}

	search_query q;
	int rc = search_parse(req->arena, r.q, strlen(r.q), &q, why, sizeof why);
	if (rc == SEARCH_EMPTY || rc == SEARCH_BAD)
		return render_refusal(req, res, ctx, 400, refusal_text(req, &q, why));
	search_result found;
	if (rc == 0)
		rc = search_run(db, req->arena, &q, &r.filter, &found);
	if (rc == SEARCH_TIMEOUT)
		return render_refusal(req, res, ctx, 503, web_text(req, "portal_search_err_timeout"));
	if (rc != 0) {
		json_decref(ctx);
		return 500;
	}

	int64_t found_total = found.total;
	if (kinds_context(req, db, &q, &r, &found, ctx, &found_total) != 0) {
		json_decref(ctx);
		return 500;
	}
	/* With every kind, an empty list of articles gives way to the kinds
	 * that found something. */
	bool articles_shown = r.kind == KIND_ALL ? found.total > 0 || found_total == 0
						 : search_kinds[r.kind].run == NULL;
	if (articles_shown) {
		json_t *items = json_array();
		for (size_t i = 0; i < found.n; i++)
			json_array_append_new(items, hit_json(req, &found.items[i]));
		json_t *results = results_json(req, items, found.total, found.total_is_lower_bound,
					       found.page, found.pages, found.n);
		json_object_set_new(results, "pager",
				    pager_json(req, &q, &r, found.page, found.pages));
		json_object_set_new(ctx, "results", results);
	}
	if (found_total == 0)
		json_object_set_new(ctx, "suggest", suggestions_json(req, db, &q, &r));
	http_res_header(res, "Cache-Control", "no-cache");
	return page_render_cached(req, res, "search", ctx);
}

/* ---- the API ------------------------------------------------------------------- */

int api_search(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	if (db == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	char why[WHY_MAX] = "";
	search_request r;
	int status = read_request(req, db, &api_params, &r, why, sizeof why);
	if (status == 500)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	if (status != 0)
		return web_api_error_text(res, status, "bad_request", why);
	if (blank(r.q))
		return web_api_error(req, res, 400, "missing_query", "portal_search_err_missing");
	search_query q;
	int rc = search_parse(req->arena, r.q, strlen(r.q), &q, why, sizeof why);
	if (rc == SEARCH_EMPTY || rc == SEARCH_BAD)
		return web_api_error_text(res, 400, "bad_query", refusal_text(req, &q, why));
	search_result found;
	if (rc == 0)
		rc = search_run(db, req->arena, &q, &r.filter, &found);
	if (rc == SEARCH_TIMEOUT)
		return web_api_error(req, res, 503, "timeout", "portal_search_err_timeout_api");
	if (rc != 0)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");

	json_t *items = json_array();
	for (size_t i = 0; i < found.n; i++) {
		const search_hit *h = &found.items[i];
		char iso[40];
		fmt_iso8601(iso, sizeof iso, h->published_at, app->cfg.utc_offset);
		article art = {0};
		art.id = h->id;
		art.slug = h->slug;
		art.category_slug = h->category_slug;
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)h->id,
				     "title", h->title, "url",
				     arena_sprintf(req->arena, "%s%s", app->cfg.base_url,
						   web_article_path(req->arena, &art)),
				     "published_at", iso, "category", h->category_slug,
				     "category_name", h->category_name, "snippet", h->snippet_html));
	}
	json_t *o = json_pack("{s:s, s:o, s:I, s:b, s:i, s:i}", "query", q.text, "items", items,
			      "total", (json_int_t)found.total, "total_is_lower_bound",
			      found.total_is_lower_bound, "page", found.page, "pages", found.pages);
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (text == NULL)
		return web_api_error(req, res, 500, "internal_error", "portal_internal_short");
	http_json(res, 200, text, strlen(text));
	free(text);
	http_res_header(res, "Cache-Control", "no-cache");
	return 200;
}
