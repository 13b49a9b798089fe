/*
 * markdown.h - article bodies from Markdown to HTML with cmark, safe mode.
 *
 * Raw HTML is dropped and javascript:/vbscript:/file:/data: (except
 * image/png|gif|jpeg|webp) link targets are neutralised (cmark safe mode).
 * A paragraph that holds only one image becomes a captioned figure:
 *   <figure class="figure"><img src="SRC" alt="ALT" loading="lazy">
 *   <figcaption>TITLE-or-ALT</figcaption></figure>
 * An image source without a scheme and without a '/' is a media file name
 * and is rewritten to "/media/NAME". Every attribute is HTML-escaped.
 */
#ifndef SEN_RENDER_MARKDOWN_H
#define SEN_RENDER_MARKDOWN_H

#include <stddef.h>

#include "core/buf.h"

/* The largest body accepted, in bytes; larger input is refused. */
#define MARKDOWN_MAX_INPUT (512u * 1024u)

/* Appends the HTML for md (len bytes, UTF-8) to out. Returns 0, or -1 when
 * the input is larger than MARKDOWN_MAX_INPUT, is not valid UTF-8, or
 * memory runs out (out is then left as it was). */
int markdown_to_html(const char *md, size_t len, buf_t *out);

/* Appends plain text (no markup, whitespace collapsed) of at most max_bytes
 * bytes, cut at a word boundary and never inside a UTF-8 character, with
 * "…" appended when cut. For summaries and search snippets.
 * The "…" (3 bytes) counts towards max_bytes; a single word longer than the
 * room is cut between characters. Image alt text and raw HTML tags are left
 * out; text inside inline HTML elements is kept. Returns 0 or -1 as
 * markdown_to_html() does. */
int markdown_to_text(const char *md, size_t len, size_t max_bytes, buf_t *out);

/*
 * A figure markdown_to_html() made of a paragraph holding one media
 * picture ("/media/NAME"), found again in stored HTML so that a page can
 * show the picture at the sizes made since (<picture>, srcset, credit):
 * bytes [start, end) of the HTML are the whole <figure>; file, alt and
 * caption point into the HTML (alt and caption still HTML-escaped; caption
 * has length 0 when the figure has none).
 */
typedef struct {
	size_t start, end;
	const char *file;
	size_t file_len;
	const char *alt;
	size_t alt_len;
	const char *caption;
	size_t caption_len;
} markdown_figure;

/* The first such figure at or after byte from of html: 1 and *f, or 0. */
int markdown_figure_next(const char *html, size_t len, size_t from, markdown_figure *f);

/* Appends s (len bytes, escaped as markdown_to_html() escapes text) with
 * its entities turned back into characters, then a NUL (not counted in
 * out->len). 0 or -1 (out of memory). */
int markdown_unescape(const char *s, size_t len, buf_t *out);

#endif
