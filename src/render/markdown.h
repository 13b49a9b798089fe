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

#endif
