/*
 * markdown.c - article bodies from Markdown to HTML (cmark, safe mode) and
 * to plain text for summaries.
 *
 * cmark 0.30 is safe by default: raw HTML becomes "<!-- raw HTML omitted -->"
 * and dangerous link targets become empty. The one thing we add is the
 * captioned figure. cmark's HTML renderer writes a custom block's on_enter /
 * on_exit text verbatim whatever the options (html.c, CMARK_NODE_CUSTOM_BLOCK
 * has no CMARK_OPT_UNSAFE check), so the figure HTML built here must be safe
 * on its own: every attribute and the caption are escaped below, and the
 * image source goes through the same dangerous-URL rule cmark applies.
 */
#include "render/markdown.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"

/* cmark options: safe defaults, quotes kept as typed (no CMARK_OPT_SMART). */
#define PARSE_OPTIONS CMARK_OPT_DEFAULT

/* ---------------------------------------------------------------- URLs */

static bool ascii_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != prefix[i])
			return false;
	}
	return true;
}

/* The rule of cmark's scan_dangerous_url(), so a figure refuses exactly what
 * an inline image or a link would. */
static bool url_dangerous(const char *url, size_t len)
{
	if (ascii_prefix_ci(url, len, "data:")) {
		static const char *const allowed[] = {
			"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp",
		};
		for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
			if (ascii_prefix_ci(url, len, allowed[i]))
				return false;
		return true;
	}
	return ascii_prefix_ci(url, len, "javascript:") || ascii_prefix_ci(url, len, "vbscript:") ||
	       ascii_prefix_ci(url, len, "file:");
}

/* True if url starts with an RFC 3986 scheme followed by ':'. */
static bool url_has_scheme(const char *url)
{
	const char *p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	for (p++; *p != '\0'; p++) {
		char c = *p;
		if (c == ':')
			return true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return false;
	}
	return false;
}

/* A bare media file name ("a1b2.png"): no scheme and no '/'. Names starting
 * with '.', '#' or '?' are left alone: they are fragments, queries or
 * relative tricks ("..") rather than files in the media store. */
static bool url_is_media_name(const char *url)
{
	if (url[0] == '\0' || url[0] == '.' || url[0] == '#' || url[0] == '?')
		return false;
	return strchr(url, '/') == NULL && !url_has_scheme(url);
}

/* Percent-encodes what does not belong in an href (as cmark's
 * houdini_escape_href does) and HTML-escapes '&' and '\'' so the result can
 * sit inside a double-quoted attribute. Existing %XX escapes are kept. */
static int append_href(buf_t *b, const char *url, size_t len)
{
	static const char safe[] = "-_.+!*(),%#@?=;:/,+$~";
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];
		int rc;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr(safe, c) != NULL))
			rc = buf_putc(b, (char)c);
		else if (c == '&')
			rc = buf_puts(b, "&amp;");
		else if (c == '\'')
			rc = buf_puts(b, "&#x27;");
		else {
			char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
			rc = buf_append(b, esc, sizeof esc);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- figures */

/* Appends the plain text of an inline subtree (an image's alt text): text,
 * code and inline HTML literals (escaped later, as cmark does for the alt of
 * an inline image), line breaks as spaces. */
static int append_inline_text(buf_t *b, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int rc = 0;
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE: {
			const char *lit = cmark_node_get_literal(n);
			if (lit != NULL)
				rc = buf_puts(b, lit);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			rc = buf_putc(b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

/* Builds the figure for a paragraph holding only `img` and puts it in place
 * of the paragraph as a custom block. */
static int make_figure(cmark_node *para, cmark_node *img)
{
	buf_t alt = BUF_INIT, html = BUF_INIT;
	cmark_node *fig = NULL;
	int rc = -1;

	/* Appending nothing still allocates and NUL-terminates alt.data. */
	if (append_inline_text(&alt, img) != 0 || buf_append(&alt, "", 0) != 0)
		goto fail;
	const char *src = cmark_node_get_url(img);
	const char *title = cmark_node_get_title(img);
	if (src == NULL)
		src = "";
	if (title == NULL)
		title = "";
	const char *caption = title[0] != '\0' ? title : alt.data;

	if (buf_puts(&html, "<figure class=\"figure\"><img src=\"") != 0)
		goto fail;
	if (!url_dangerous(src, strlen(src))) {
		if (url_is_media_name(src) && buf_puts(&html, "/media/") != 0)
			goto fail;
		if (append_href(&html, src, strlen(src)) != 0)
			goto fail;
	}
	if (buf_puts(&html, "\" alt=\"") != 0 || buf_append_html(&html, alt.data, alt.len) != 0 ||
	    buf_puts(&html, "\" loading=\"lazy\">") != 0)
		goto fail;
	if (caption[0] != '\0') {
		if (buf_puts(&html, "<figcaption>") != 0 ||
		    buf_append_html(&html, caption, strlen(caption)) != 0 ||
		    buf_puts(&html, "</figcaption>") != 0)
			goto fail;
	}
	if (buf_puts(&html, "</figure>") != 0)
		goto fail;

	fig = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	if (fig == NULL || !cmark_node_set_on_enter(fig, html.data) ||
	    !cmark_node_set_on_exit(fig, "") || !cmark_node_replace(para, fig))
		goto fail;
	cmark_node_free(para);
	fig = NULL;
	rc = 0;
fail:
	if (fig != NULL)
		cmark_node_free(fig);
	buf_free(&alt);
	buf_free(&html);
	return rc;
}

/* A paragraph whose only child is an image. */
static cmark_node *lone_image(cmark_node *para)
{
	cmark_node *child = cmark_node_first_child(para);
	if (child == NULL || cmark_node_get_type(child) != CMARK_NODE_IMAGE ||
	    cmark_node_next(child) != NULL)
		return NULL;
	return child;
}

/*
 * Rewrites media names in every image and turns lone-image paragraphs into
 * figures. The paragraphs are collected first and replaced after the walk,
 * because replacing the node the iterator stands on would break it.
 */
static int transform(cmark_node *doc)
{
	cmark_node **paras = NULL;
	size_t n = 0, size = 0;
	buf_t url = BUF_INIT;
	int rc = 0;

	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (type == CMARK_NODE_PARAGRAPH && lone_image(node) != NULL) {
			if (n == size) {
				size_t nsize = size ? size * 2 : 16;
				cmark_node **p = realloc(paras, nsize * sizeof *p);
				if (p == NULL) {
					rc = -1;
					break;
				}
				paras = p;
				size = nsize;
			}
			paras[n++] = node;
		} else if (type == CMARK_NODE_IMAGE) {
			const char *src = cmark_node_get_url(node);
			if (src != NULL && url_is_media_name(src)) {
				buf_clear(&url);
				if (buf_puts(&url, "/media/") != 0 || buf_puts(&url, src) != 0 ||
				    !cmark_node_set_url(node, url.data))
					rc = -1;
			}
		}
	}
	cmark_iter_free(it);

	/* Sources are already rewritten, so make_figure must not add /media/
	 * again: url_is_media_name() is false for "/media/NAME". */
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = make_figure(paras[i], lone_image(paras[i]));
	free(paras);
	buf_free(&url);
	return rc;
}

/* ---------------------------------------------------------------- HTML */

static int check_input(const char *md, size_t len)
{
	if (len > MARKDOWN_MAX_INPUT) {
		log_warn("markdown: input of %zu bytes is over the %u byte limit", len,
			 MARKDOWN_MAX_INPUT);
		return -1;
	}
	if (!utf8_valid(md, len)) {
		log_warn("markdown: input is not valid UTF-8");
		return -1;
	}
	return 0;
}

int markdown_to_html(const char *md, size_t len, buf_t *out)
{
	if (md == NULL)
		md = "";
	if (check_input(md, len) != 0)
		return -1;

	cmark_node *doc = cmark_parse_document(md, len, PARSE_OPTIONS);
	char *html = NULL;
	int rc = -1;
	if (doc == NULL)
		goto fail;
	if (transform(doc) != 0)
		goto fail;
	html = cmark_render_html(doc, PARSE_OPTIONS);
	if (html == NULL || buf_puts(out, html) != 0)
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		log_error("markdown: out of memory while rendering");
	free(html);
	if (doc != NULL)
		cmark_node_free(doc);
	return rc;
}

/* ------------------------------------------------- figures, read back */

/* The parts of a figure as make_figure() writes it. */
#define FIGURE_OPEN "<figure class=\"figure\"><img src=\"/media/"
#define FIGURE_ALT "\" alt=\""
#define FIGURE_IMG_END "\" loading=\"lazy\">"
#define FIGCAPTION_OPEN "<figcaption>"
#define FIGCAPTION_CLOSE "</figcaption>"
#define FIGURE_CLOSE "</figure>"

/* When s starts with lit, moves *s past it. */
static bool skip_lit(const char **s, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(end - *s) < n || memcmp(*s, lit, n) != 0)
		return false;
	*s += n;
	return true;
}

/* Moves *s to the next c before end; false when there is none. */
static bool find_char(const char **s, const char *end, char c)
{
	const char *p = memchr(*s, c, (size_t)(end - *s));
	if (p == NULL)
		return false;
	*s = p;
	return true;
}

/* Reads the figure starting at p (just at FIGURE_OPEN). */
static bool read_figure(const char *html, const char *p, const char *end, markdown_figure *f)
{
	const char *s = p + strlen(FIGURE_OPEN);
	f->start = (size_t)(p - html);
	f->file = s;
	if (!find_char(&s, end, '"'))
		return false;
	f->file_len = (size_t)(s - f->file);
	if (!skip_lit(&s, end, FIGURE_ALT))
		return false;
	f->alt = s;
	if (!find_char(&s, end, '"'))
		return false;
	f->alt_len = (size_t)(s - f->alt);
	if (!skip_lit(&s, end, FIGURE_IMG_END))
		return false;
	f->caption = s;
	f->caption_len = 0;
	if (skip_lit(&s, end, FIGCAPTION_OPEN)) {
		f->caption = s;
		if (!find_char(&s, end, '<'))
			return false;
		f->caption_len = (size_t)(s - f->caption);
		if (!skip_lit(&s, end, FIGCAPTION_CLOSE))
			return false;
	}
	if (!skip_lit(&s, end, FIGURE_CLOSE))
		return false;
	f->end = (size_t)(s - html);
	return f->file_len > 0;
}

int markdown_figure_next(const char *html, size_t len, size_t from, markdown_figure *f)
{
	const char *end = html + len, *p = html + (from < len ? from : len);
	size_t open = strlen(FIGURE_OPEN);
	while ((size_t)(end - p) >= open) {
		const char *hit = memmem(p, (size_t)(end - p), FIGURE_OPEN, open);
		if (hit == NULL)
			break;
		if (read_figure(html, hit, end, f))
			return 1;
		p = hit + open;
	}
	return 0;
}

int markdown_unescape(const char *s, size_t len, buf_t *out)
{
	static const struct {
		const char *entity;
		char c;
	} entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
			{"&#39;", '\''}};
	const char *end = s + len;
	while (s < end) {
		size_t k = 0, n = 0;
		if (*s == '&')
			for (k = 0; k < sizeof entities / sizeof entities[0]; k++) {
				n = strlen(entities[k].entity);
				if ((size_t)(end - s) >= n && memcmp(s, entities[k].entity, n) == 0)
					break;
			}
		int rc = *s == '&' && k < sizeof entities / sizeof entities[0]
			     ? buf_putc(out, entities[k].c)
			     : buf_putc(out, *s);
		if (rc != 0)
			return -1;
		s += *s == '&' && k < sizeof entities / sizeof entities[0] ? n : 1;
	}
	return buf_append(out, "", 0);
}

/* ---------------------------------------------------------- plain text */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends s with every whitespace run collapsed into one space; a space is
 * only written between words, never at the start. */
static int append_collapsed(buf_t *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int rc;
		if (is_space(c)) {
			if (b->len == 0 || b->data[b->len - 1] == ' ')
				continue;
			rc = buf_putc(b, ' ');
		} else {
			rc = buf_putc(b, (char)c);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Writes a separator unless the text already ends in one. */
static int append_space(buf_t *b)
{
	return append_collapsed(b, " ", 1);
}

/* Collects the readable text: inline text, code, code blocks; block
 * boundaries and line breaks become spaces; images and raw HTML are left
 * out (an alt text does not belong in a summary). */
static int collect_text(cmark_node *doc, buf_t *b)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int rc = 0, in_image = 0;
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (type == CMARK_NODE_IMAGE) {
			in_image += ev == CMARK_EVENT_ENTER ? 1 : -1;
			continue;
		}
		if (in_image > 0)
			continue;
		switch (type) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK: {
			const char *lit = cmark_node_get_literal(n);
			if (lit != NULL)
				rc = append_collapsed(b, lit, strlen(lit));
			if (rc == 0 && type == CMARK_NODE_CODE_BLOCK)
				rc = append_space(b);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_THEMATIC_BREAK:
			rc = append_space(b);
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_BLOCK_QUOTE:
			if (ev == CMARK_EVENT_EXIT)
				rc = append_space(b);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

int markdown_to_text(const char *md, size_t len, size_t max_bytes, buf_t *out)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
	const size_t ell = sizeof ellipsis - 1;

	if (md == NULL)
		md = "";
	if (check_input(md, len) != 0)
		return -1;

	buf_t text = BUF_INIT;
	int rc = -1;
	cmark_node *doc = cmark_parse_document(md, len, PARSE_OPTIONS);
	if (doc == NULL || collect_text(doc, &text) != 0 || buf_append(&text, "", 0) != 0)
		goto fail;
	while (text.len > 0 && text.data[text.len - 1] == ' ')
		text.len--;

	if (text.len <= max_bytes) {
		rc = buf_append(out, text.data, text.len);
		goto fail;
	}
	/* Cut: leave room for the ellipsis; with no room at all, give nothing
	 * rather than a fragment that looks whole. */
	size_t n = 0;
	if (max_bytes > ell) {
		n = utf8_cut(text.data, text.len, max_bytes - ell);
		/* Back up to the last space when the cut falls inside a word. */
		if (n < text.len && text.data[n] != ' ') {
			size_t k = n;
			while (k > 0 && text.data[k - 1] != ' ')
				k--;
			if (k > 0)
				n = k;
		}
		while (n > 0 && text.data[n - 1] == ' ')
			n--;
	}
	if (n == 0) {
		rc = 0;
		goto fail;
	}
	if (buf_reserve(out, n + ell) != 0)
		goto fail;
	rc = buf_append(out, text.data, n) == 0 && buf_append(out, ellipsis, ell) == 0 ? 0 : -1;
fail:
	if (doc != NULL)
		cmark_node_free(doc);
	buf_free(&text);
	return rc;
}
