/*
 * xml.c - the escaping XML writer (see xml.h).
 */
#include "core/xml.h"

#include <string.h>

void xml_writer_init(xml_writer *w, buf_t *out)
{
	w->out = out;
	w->tag_open = false;
}

void xml_declaration(xml_writer *w)
{
	buf_puts(w->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

/* The length of the UTF-8 sequence at s (n bytes left) when it is well
 * formed and a character XML allows, else 0. */
static size_t xml_char(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
	size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? (c < 0xf0 ? 3 : 0) : c >= 0xc2 ? 2 : 0;
	if (len == 0 || len > n)
		return 0;
	unsigned cp = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;   /* overlong or beyond Unicode */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;   /* surrogates and the two non-characters XML refuses */
	return len;
}

int xml_escape(buf_t *b, const char *s, size_t len, bool attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, i = 0;   /* bytes [i - run, i) are copied as they are */
	while (i < len) {
		const char *rep = NULL;
		size_t clen = xml_char(p + i, len - i);
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		default: break;
		}
		if (rep == NULL && clen > 0) {
			run += clen;
			i += clen;
			continue;
		}
		if (run > 0 && buf_append(b, s + i - run, run) != 0)
			return -1;
		run = 0;
		if (rep != NULL && buf_puts(b, rep) != 0)
			return -1;
		i += clen > 0 ? clen : 1;   /* a character XML cannot hold is left out */
	}
	return run > 0 ? buf_append(b, s + len - run, run) : 0;
}

static void close_tag(xml_writer *w)
{
	if (w->tag_open) {
		buf_putc(w->out, '>');
		w->tag_open = false;
	}
}

void xml_start(xml_writer *w, const char *name)
{
	close_tag(w);
	buf_putc(w->out, '<');
	buf_puts(w->out, name);
	w->tag_open = true;
}

void xml_attr(xml_writer *w, const char *name, const char *value)
{
	buf_putc(w->out, ' ');
	buf_puts(w->out, name);
	buf_puts(w->out, "=\"");
	if (value != NULL)
		xml_escape(w->out, value, strlen(value), true);
	buf_putc(w->out, '"');
}

void xml_text(xml_writer *w, const char *text)
{
	close_tag(w);
	if (text != NULL)
		xml_escape(w->out, text, strlen(text), false);
}

void xml_end(xml_writer *w, const char *name)
{
	if (w->tag_open) {
		buf_puts(w->out, "/>");
		w->tag_open = false;
		return;
	}
	buf_puts(w->out, "</");
	buf_puts(w->out, name);
	buf_putc(w->out, '>');
}

void xml_element(xml_writer *w, const char *name, const char *text)
{
	xml_start(w, name);
	xml_text(w, text);
	xml_end(w, name);
}
