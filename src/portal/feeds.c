/*
 * feeds.c - what machines read: RSS 2.0 and Atom feeds (site and per
 * category), sitemap.xml, robots.txt, and the schema.org JSON-LD of the
 * article page.
 *
 * Every URL written is absolute, built from [site] base_url. Text goes
 * through xml_text(), which escapes markup characters and drops what XML 1.0
 * cannot hold; dates are RFC 822 in RSS, RFC 3339 in Atom and sitemaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fmt.h"
#include "core/log.h"
#include "core/text.h"
#include "model/category.h"
#include "model/sitemap.h"
#include "portal/discover.h"
#include "portal/portal.h"
#include "render/i18n.h"

#define FEED_ITEMS 20
/* The sitemap protocol's limit per file; SEN_SITEMAP_URLS may lower it
 * (tests, to see the index without 50,000 articles). */
#define SITEMAP_URLS_MAX 50000
/* A stable identity for feed entries (Atom id, RSS guid), unchanged when an
 * article's title or category (and so its URL) changes. */
#define TAG_DATE "2021"

/* ---- XML --------------------------------------------------------------------- */

/* Appends s as XML character data or attribute value. */
static void xml_text(buf_t *b, const char *s)
{
	if (s == NULL)
		return;
	size_t len = strlen(s);
	if (!utf8_valid(s, len))
		return;
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool bad = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			   /* U+FFFE and U+FFFF are not XML characters. */
			   (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
			    ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF));
		if (!bad)
			continue;
		buf_append_html(b, s + run, i - run);
		run = i + (c == 0xEF ? 3 : 1);
		i = run - 1;
	}
	buf_append_html(b, s + run, len - run);
}

/* "example.org" out of "https://example.org:8080/path". */
static const char *base_host(http_req *req)
{
	const app_t *app = req->app;
	const char *s = strstr(app->cfg.base_url, "://");
	s = s != NULL ? s + 3 : app->cfg.base_url;
	size_t n = strcspn(s, ":/");
	return arena_strndup(req->arena, s, n);
}

static void put_article_url(buf_t *b, const char *base, const char *category_slug,
			    const char *slug, int64_t id)
{
	if (slug != NULL && slug[0] != '\0')
		buf_printf(b, "%s/%s/%s-%lld", base, category_slug, slug, (long long)id);
	else
		buf_printf(b, "%s/%s/%lld", base, category_slug, (long long)id);
}

/* ---- feeds ------------------------------------------------------------------- */

typedef struct {
	bool found;               /* false: unknown category */
	category cat;             /* when per category */
	bool per_category;
	article *items;
	const char **kinds;       /* per item: "bai-viet", "trung-bay" or "an-pham" */
	size_t n;
	int64_t updated;          /* newest publication or edit among the items */
} feed;

/* The museum's feeds, /trung-bay/... and /an-pham/...: the public
 * exhibitions or publications, newest first (by when they were written),
 * as items of a category named after the list. */
static const char *museum_kind(http_req *req)
{
	if (strncmp(req->path, "/trung-bay/", 11) == 0)
		return "trung-bay";
	return strncmp(req->path, "/an-pham/", 9) == 0 ? "an-pham" : NULL;
}

static int load_museum(http_req *req, db_t *db, const char *kind, feed *f)
{
	const app_t *app = req->app;
	sitemap_museum_page *m;
	size_t nm;
	if (sitemap_museum_pages(db, req->arena, SITEMAP_MUSEUM_MAX, &m, &nm) != 0)
		return 500;
	f->items = arena_alloc(req->arena, (nm + 1) * sizeof *f->items);
	f->kinds = arena_alloc(req->arena, (nm + 1) * sizeof *f->kinds);
	if (f->items == NULL || f->kinds == NULL)
		return 500;
	const char *name = i18n_text(app->lang, strcmp(kind, "trung-bay") == 0 ? "exh_title"
									    : "pub_title");
	f->found = f->per_category = true;
	f->cat.name = name;
	f->cat.slug = kind;
	for (size_t k = 0; k < nm && f->n < FEED_ITEMS; k++) {
		if (strcmp(m[k].kind, kind) != 0)
			continue;
		f->kinds[f->n] = kind;
		f->items[f->n++] = (article){.id = m[k].id, .title = m[k].title, .slug = "",
					     .summary = m[k].description, .category_slug = kind,
					     .category_name = name, .published_at = m[k].created_at,
					     .updated_at = m[k].updated_at};
	}
	return 0;
}

static int load_feed(http_req *req, feed *f)
{
	db_t *db = db_get();
	memset(f, 0, sizeof(*f));
	if (db == NULL)
		return 500;
	const char *museum = museum_kind(req);
	int rc = museum != NULL ? load_museum(req, db, museum, f) : 0;
	if (rc != 0)
		return rc;
	f->per_category = f->per_category || req->nparams > 0;
	if (museum == NULL && f->per_category) {
		rc = category_get_by_slug(db, req->arena, req->params[0], &f->cat);
		if (rc != 0)
			return rc == 1 ? 404 : 500;
	}
	bool more;
	if (museum == NULL && article_list(db, req->arena, f->per_category ? f->cat.id : 0, NULL,
					   FEED_ITEMS, &f->items, &f->n, &more) != 0)
		return 500;
	for (size_t i = 0; i < f->n; i++) {
		int64_t t = f->items[i].updated_at > f->items[i].published_at
				    ? f->items[i].updated_at : f->items[i].published_at;
		if (t > f->updated)
			f->updated = t;
	}
	if (f->updated == 0)
		f->updated = (int64_t)time(NULL);
	return 0;
}

/* Headers both feeds share: they change when an article does. */
static void feed_headers(http_res *res, const feed *f, const char *type)
{
	res->content_type = type;
	res->last_modified = f->updated;
	http_res_header(res, "Cache-Control", "no-cache");
}

static const char *feed_title(http_req *req, const feed *f)
{
	const app_t *app = req->app;
	if (f->per_category)
		return arena_sprintf(req->arena, "%s - %s", f->cat.name, app->cfg.site_name);
	return app->cfg.site_name;
}

/* "/tin-hoat-dong" or "" for the whole site. */
static const char *feed_scope(http_req *req, const feed *f)
{
	return f->per_category ? arena_sprintf(req->arena, "/%s", f->cat.slug) : "";
}

/* The page a feed follows: the category page or the home page. */
static const char *feed_page(http_req *req, const feed *f)
{
	const app_t *app = req->app;
	return arena_sprintf(req->arena, "%s%s", app->cfg.base_url,
			     f->per_category ? feed_scope(req, f) : "/");
}

/* RSS <description> holds HTML: readers decode the XML, then render the
 * result as HTML. Plain text is therefore escaped for HTML first and the
 * result for XML, so "</p><script>" in a summary stays text in every reader. */
static void rss_html_text(buf_t *b, const char *text)
{
	buf_t html = BUF_INIT;
	if (text != NULL)
		buf_append_html(&html, text, strlen(text));
	xml_text(b, html.data != NULL ? html.data : "");
	if (html.failed)
		b->failed = 1;
	buf_free(&html);
}

/* What an RSS and an Atom feed differ in: the part before the articles,
 * one article, and the closing tags. base is the site's address and scope
 * the feed's path below it ("" or "/category"); url is the article's. */
typedef struct {
	const char *content_type;
	const char *closing;
	void (*head)(http_req *req, const feed *f, buf_t *b, const char *base, const char *scope);
	void (*item)(http_req *req, buf_t *b, const article *a, const char *url, const char *tag);
} feed_format;

/* The feed of the request in format fmt: 200, or the status to answer. */
static int feed_write(http_req *req, http_res *res, const feed_format *fmt)
{
	const app_t *app = req->app;
	feed f;
	int status = load_feed(req, &f);
	if (status != 0)
		return status;
	const char *base = app->cfg.base_url, *host = base_host(req);
	/* A stable identity per item: its kind and id. */
	buf_t *b = &res->body;
	fmt->head(req, &f, b, base, feed_scope(req, &f));
	for (size_t i = 0; i < f.n; i++) {
		buf_t url = BUF_INIT;
		put_article_url(&url, base, f.items[i].category_slug, f.items[i].slug, f.items[i].id);
		const char *tag = arena_sprintf(req->arena, "tag:%s,%s:%s/%lld", host, TAG_DATE,
						f.kinds != NULL ? f.kinds[i] : "bai-viet",
						(long long)f.items[i].id);
		fmt->item(req, b, &f.items[i], url.data != NULL ? url.data : "", tag);
		if (url.failed)
			b->failed = 1;
		buf_free(&url);
	}
	buf_puts(b, fmt->closing);
	if (b->failed)
		return 500;
	feed_headers(res, &f, fmt->content_type);
	return 200;
}

static void rss_head(http_req *req, const feed *f, buf_t *b, const char *base, const char *scope)
{
	const app_t *app = req->app;
	char date[40];
	fmt_http_date(date, sizeof date, f->updated);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n"
		    "<title>");
	xml_text(b, feed_title(req, f));
	buf_puts(b, "</title>\n<link>");
	xml_text(b, feed_page(req, f));
	buf_puts(b, "</link>\n<description>");
	/* A feed is in the site's language (it has no reader to ask). */
	const char *latest = i18n_text(app->lang, "portal_feed_latest");
	const char *mark = strstr(latest, "{title}");
	rss_html_text(b, mark == NULL ? latest
				      : arena_sprintf(req->arena, "%.*s%s%s", (int)(mark - latest),
						      latest, feed_title(req, f), mark + 7));
	buf_printf(b, "</description>\n<language>%s</language>\n<lastBuildDate>%s</lastBuildDate>\n",
		   strcmp(app->cfg.language, "en") == 0 ? "en" : "vi", date);
	buf_puts(b, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
	xml_text(b, base);
	xml_text(b, scope);
	buf_puts(b, "/rss.xml\"/>\n");
}

static void rss_item(http_req *req, buf_t *b, const article *a, const char *url, const char *tag)
{
	(void)req;
	char date[40];
	fmt_http_date(date, sizeof date, a->published_at);
	buf_puts(b, "<item>\n<title>");
	xml_text(b, a->title);
	buf_puts(b, "</title>\n<link>");
	xml_text(b, url);
	buf_puts(b, "</link>\n<guid isPermaLink=\"false\">");
	xml_text(b, tag);
	buf_printf(b, "</guid>\n<pubDate>%s</pubDate>\n<category>", date);
	xml_text(b, a->category_name);
	buf_puts(b, "</category>\n<description>");
	rss_html_text(b, a->summary);
	buf_puts(b, "</description>\n</item>\n");
}

static const feed_format rss = {"application/rss+xml; charset=utf-8", "</channel>\n</rss>\n",
				rss_head, rss_item};

int feeds_rss(http_req *req, http_res *res)
{
	return feed_write(req, res, &rss);
}

static void atom_head(http_req *req, const feed *f, buf_t *b, const char *base, const char *scope)
{
	const app_t *app = req->app;
	char date[40];
	fmt_iso8601(date, sizeof date, f->updated, app->cfg.utc_offset);
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n<id>",
		   strcmp(app->cfg.language, "en") == 0 ? "en" : "vi");
	xml_text(b, base);
	xml_text(b, scope);
	buf_puts(b, "/atom.xml</id>\n<title>");
	xml_text(b, feed_title(req, f));
	buf_printf(b, "</title>\n<updated>%s</updated>\n<link rel=\"self\" "
		      "type=\"application/atom+xml\" href=\"", date);
	xml_text(b, base);
	xml_text(b, scope);
	buf_puts(b, "/atom.xml\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(b, feed_page(req, f));
	buf_puts(b, "\"/>\n<author><name>");
	xml_text(b, app->cfg.site_name);
	buf_puts(b, "</name></author>\n");
}

static void atom_item(http_req *req, buf_t *b, const article *a, const char *url,
		      const char *tag)
{
	const app_t *app = req->app;
	char published[40], updated[40];
	fmt_iso8601(published, sizeof published, a->published_at, app->cfg.utc_offset);
	fmt_iso8601(updated, sizeof updated,
		    a->updated_at > a->published_at ? a->updated_at : a->published_at,
		    app->cfg.utc_offset);
	buf_puts(b, "<entry>\n<id>");
	xml_text(b, tag);
	buf_puts(b, "</id>\n<title type=\"text\">");
	xml_text(b, a->title);
	buf_puts(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(b, url);
	buf_printf(b, "\"/>\n<published>%s</published>\n<updated>%s</updated>\n"
		      "<category term=\"", published, updated);
	xml_text(b, a->category_slug);
	buf_puts(b, "\" label=\"");
	xml_text(b, a->category_name);
	buf_puts(b, "\"/>\n<summary type=\"text\">");
	xml_text(b, a->summary);
	buf_puts(b, "</summary>\n</entry>\n");
}

static const feed_format atom = {"application/atom+xml; charset=utf-8", "</feed>\n", atom_head,
				 atom_item};

int feeds_atom(http_req *req, http_res *res)
{
	return feed_write(req, res, &atom);
}

/* ---- sitemaps ---------------------------------------------------------------- */

static int64_t sitemap_urls_per_file(void)
{
	const char *s = getenv("SEN_SITEMAP_URLS");
	int64_t n;
	if (s != NULL && parse_int64(s, &n) == 0 && n >= 2 && n <= SITEMAP_URLS_MAX)
		return n;
	return SITEMAP_URLS_MAX;
}

/* Every URL of the site in one numbering: 0 the home page, 1..ncats the
 * categories, then the museum's pages (the exhibitions' and publications'
 * lists, each public one), then the published articles by id, the online
 * collection (/hien-vat) and its objects by id. File k (from 1) holds
 * numbers [(k-1)*per_file, k*per_file). */
typedef struct {
	category *cats;
	size_t ncats;
	sitemap_museum_page *museum;   /* after the categories: the list pages, then these */
	size_t nmuseum;
	int64_t articles;
	int64_t objects;
	int64_t total;
	int64_t per_file;
	int64_t files;
} sitemap_plan;

/* The museum's list pages the sitemap names after the categories. */
static const char *const museum_lists[] = {"/trung-bay", "/an-pham"};
#define MUSEUM_LISTS (sizeof museum_lists / sizeof museum_lists[0])

static int plan_sitemap(http_req *req, db_t *db, sitemap_plan *p)
{
	memset(p, 0, sizeof(*p));
	if (category_list(db, req->arena, &p->cats, &p->ncats) != 0 ||
	    sitemap_museum_pages(db, req->arena, SITEMAP_MUSEUM_MAX, &p->museum, &p->nmuseum) != 0 ||
	    article_count(db, 0, &p->articles) != 0 || sitemap_count_objects(db, &p->objects) != 0)
		return -1;
	p->total = 1 + (int64_t)(p->ncats + MUSEUM_LISTS + p->nmuseum) + p->articles + 1 + p->objects;
	p->per_file = sitemap_urls_per_file();
	p->files = (p->total + p->per_file - 1) / p->per_file;
	return 0;
}

typedef struct {
	buf_t *b;
	const char *base;
	int utc_offset;
} url_writer;

static int write_article_url(int64_t id, const char *category_slug, const char *slug,
			     int64_t updated_at, void *arg)
{
	url_writer *w = arg;
	char lastmod[40];
	fmt_iso8601(lastmod, sizeof lastmod, updated_at, w->utc_offset);
	buf_puts(w->b, "<url><loc>");
	buf_t url = BUF_INIT;
	put_article_url(&url, w->base, category_slug, slug, id);
	xml_text(w->b, url.data);
	buf_free(&url);
	buf_printf(w->b, "</loc><lastmod>%s</lastmod></url>\n", lastmod);
	return w->b->failed ? -1 : 0;
}

static int write_object_url(int64_t id, int64_t updated_at, void *arg)
{
	url_writer *w = arg;
	char lastmod[40];
	fmt_iso8601(lastmod, sizeof lastmod, updated_at, w->utc_offset);
	buf_puts(w->b, "<url><loc>");
	xml_text(w->b, w->base);
	buf_printf(w->b, "/hien-vat/%lld</loc><lastmod>%s</lastmod></url>\n", (long long)id,
		   lastmod);
	return w->b->failed ? -1 : 0;
}

static int write_urlset(http_req *req, http_res *res, db_t *db, const sitemap_plan *p, int64_t file)
{
	const app_t *app = req->app;
	buf_t *b = &res->body;
	int64_t first = (file - 1) * p->per_file, end = first + p->per_file;
	if (end > p->total)
		end = p->total;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	int64_t pages = 1 + (int64_t)(p->ncats + MUSEUM_LISTS + p->nmuseum);
	for (int64_t i = first; i < end && i < pages; i++) {
		int64_t k = i - 1 - (int64_t)p->ncats, m = k - (int64_t)MUSEUM_LISTS;
		buf_puts(b, "<url><loc>");
		xml_text(b, app->cfg.base_url);
		if (i == 0)
			buf_puts(b, "/");
		else if (k < 0)
			xml_text(b, arena_sprintf(req->arena, "/%s", p->cats[i - 1].slug));
		else if (m < 0)
			xml_text(b, museum_lists[k]);
		else
			xml_text(b, arena_sprintf(req->arena, "/%s/%lld", p->museum[m].kind,
						  (long long)p->museum[m].id));
		buf_puts(b, "</loc>");
		if (m >= 0) {
			char lastmod[40];
			fmt_iso8601(lastmod, sizeof lastmod, p->museum[m].updated_at,
				    app->cfg.utc_offset);
			buf_printf(b, "<lastmod>%s</lastmod>", lastmod);
		}
		buf_puts(b, "</url>\n");
	}
	int64_t skip = first > pages - 1 ? first - pages : 0;
	int64_t count = end - (first > pages - 1 ? first : pages);
	url_writer w = {b, app->cfg.base_url, app->cfg.utc_offset};
	if (count > 0 && sitemap_each_article(db, skip, count, write_article_url, &w) != 0)
		return 500;
	/* The collection's page, then its objects. */
	int64_t collection = pages + p->articles;
	if (first <= collection && collection < end) {
		buf_puts(b, "<url><loc>");
		xml_text(b, app->cfg.base_url);
		buf_puts(b, "/hien-vat</loc></url>\n");
	}
	int64_t from = first > collection + 1 ? first : collection + 1;
	if (end > from && sitemap_each_object(db, from - collection - 1, end - from,
					      write_object_url, &w) != 0)
		return 500;
	buf_puts(b, "</urlset>\n");
	if (b->failed)
		return 500;
	res->content_type = "application/xml; charset=utf-8";
	http_res_header(res, "Cache-Control", "no-cache");
	return 200;
}

int feeds_sitemap(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	sitemap_plan p;
	if (db == NULL || plan_sitemap(req, db, &p) != 0)
		return 500;
	if (p.files <= 1)
		return write_urlset(req, res, db, &p, 1);
	buf_t *b = &res->body;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (int64_t k = 1; k <= p.files; k++) {
		buf_puts(b, "<sitemap><loc>");
		xml_text(b, app->cfg.base_url);
		buf_printf(b, "/sitemap-%lld.xml</loc></sitemap>\n", (long long)k);
	}
	buf_puts(b, "</sitemapindex>\n");
	if (b->failed)
		return 500;
	res->content_type = "application/xml; charset=utf-8";
	http_res_header(res, "Cache-Control", "no-cache");
	return 200;
}

/* The N of "sitemap-N.xml" (1 to 999999999, no leading zero), or 0. */
static int64_t sitemap_file_number(const char *digits)
{
	size_t len = strlen(digits);
	if (len == 0 || len > 9 || digits[0] == '0')
		return 0;
	int64_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return 0;
		n = n * 10 + (digits[i] - '0');
	}
	return n;
}

/* /sitemap-N.xml: the route captures N. */
int feeds_sitemap_page(http_req *req, http_res *res)
{
	int64_t file = sitemap_file_number(req->params[0]);
	if (file == 0)
		return 404;
	db_t *db = db_get();
	sitemap_plan p;
	if (db == NULL || plan_sitemap(req, db, &p) != 0)
		return 500;
	if (file > p.files)
		return 404;
	return write_urlset(req, res, db, &p, file);
}

int feeds_robots(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	buf_printf(&res->body, "User-agent: *\nAllow: /\n\nSitemap: %s/sitemap.xml\n",
		   app->cfg.base_url);
	res->content_type = "text/plain; charset=utf-8";
	http_res_header(res, "Cache-Control", "public, max-age=3600");
	return res->body.failed ? 500 : 200;
}

/* ---- JSON-LD ------------------------------------------------------------------ */

void feeds_article_context(http_req *req, json_t *article_obj, const article *art)
{
	const app_t *app = req->app;
	const char *base = app->cfg.base_url;
	char published[40], modified[40];
	fmt_iso8601(published, sizeof published, art->published_at, app->cfg.utc_offset);
	fmt_iso8601(modified, sizeof modified,
		    art->updated_at > art->published_at ? art->updated_at : art->published_at,
		    app->cfg.utc_offset);
	const char *path = web_article_path(req->arena, art);
	const char *url = path != NULL ? arena_sprintf(req->arena, "%s%s", base, path) : NULL;
	json_t *org = json_pack("{s:s, s:s, s:s}", "@type", "Organization", "name",
				app->cfg.site_name, "url", arena_sprintf(req->arena, "%s/", base));
	json_t *publisher = json_pack("{s:s, s:s, s:{s:s, s:s}}", "@type", "Organization", "name",
				      app->cfg.site_name, "logo", "@type", "ImageObject", "url",
				      arena_sprintf(req->arena, "%s/static/img/logo.svg", base));
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:o}",
			       "@context", "https://schema.org", "@type", "NewsArticle",
			       "headline", art->title, "url", url, "datePublished", published,
			       "dateModified", modified, "mainEntityOfPage", "@type", "WebPage",
			       "@id", url, "inLanguage",
			       strcmp(app->cfg.language, "en") == 0 ? "en" : "vi", "author", org,
			       "publisher", publisher);
	if (ld == NULL) {
		log_error("feeds: cannot build the JSON-LD of article %lld", (long long)art->id);
		return;
	}
	if (art->summary != NULL && art->summary[0] != '\0')
		json_object_set_new(ld, "description", json_string(art->summary));
	if (art->category_name != NULL)
		json_object_set_new(ld, "articleSection", json_string(art->category_name));
	if (art->image != NULL)
		json_object_set_new(ld, "image",
				    json_pack("[s]", arena_sprintf(req->arena, "%s/media/%s", base,
								   art->image)));
	if (art->ntags > 0) {
		buf_t k = BUF_INIT;
		for (size_t i = 0; i < art->ntags; i++)
			buf_printf(&k, "%s%s", i > 0 ? ", " : "", art->tags[i]);
		if (!k.failed)
			json_object_set_new(ld, "keywords", json_string(k.data));
		buf_free(&k);
	}
	const char *safe = web_jsonld(req, ld);
	if (safe == NULL) {
		log_error("feeds: cannot write the JSON-LD of article %lld", (long long)art->id);
		return;
	}
	json_object_set_new(article_obj, "jsonld", json_string(safe));
}
