/*
 * search_snippet.c - the HTML of a title or passage as the index returns it
 * (search.h: search_marked_html).
 *
 * FTS5's highlight() and snippet() return the stored HTML with matches
 * between the bytes SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE. What is shown
 * is rebuilt from it: tags become a space, entities are decoded, everything
 * is escaped again, so nothing of the stored text reaches the page
 * unescaped.
 *
 * Memory: the result is in the caller's arena; the working buffer is freed
 * before returning.
 */
#include "model/search.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "model/search_private.h"

/* The code point of an entity name (between '&' and ';'), or 0. Only what
 * our own escaping and cmark write, plus numeric references. */
static int32_t entity_value(const char *name, size_t len)
{
	static const struct {
		const char *name;
		int32_t cp;
	} named[] = {
		{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0},
	};
	if (len >= 2 && name[0] == '#') {
		bool hex = name[1] == 'x' || name[1] == 'X';
		size_t i = hex ? 2 : 1;
		int32_t v = 0;
		if (i == len || len - i > 7)
			return 0;
		for (; i < len; i++) {
			char c = name[i];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
				: -1;
			if (d < 0)
				return 0;
			v = v * (hex ? 16 : 10) + d;
		}
		if (v < 0x20 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0x7F)
			return 0;
		return v;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strlen(named[i].name) == len && memcmp(named[i].name, name, len) == 0)
			return named[i].cp;
	return 0;
}

static int put_code_point(buf_t *b, int32_t cp)
{
	char enc[4];
	size_t n;
	if (cp < 0x80) {
		enc[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		enc[0] = (char)(0xC0 | (cp >> 6));
		enc[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		enc[0] = (char)(0xE0 | (cp >> 12));
		enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		enc[0] = (char)(0xF0 | (cp >> 18));
		enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append_html(b, enc, n);
}

/* Pending output of search_marked_html(): a space and a closing </mark> are
 * written only once the next visible character shows they are needed, so
 * "<mark>Điện</mark> <mark>Biên</mark>" comes out as one mark. */
typedef struct {
	buf_t b;
	bool open, closing, space;
	int rc;
} marked;

static void flush_pending(marked *m)
{
	if (m->closing) {
		m->rc |= buf_puts(&m->b, "</mark>");
		m->open = m->closing = false;
	}
	if (m->space && m->b.len > 0)
		m->rc |= buf_putc(&m->b, ' ');
	m->space = false;
}

static void mark_open(marked *m)
{
	if (m->open) {
		/* Touching matches (two words of a query) make one mark. */
		m->closing = false;
		return;
	}
	flush_pending(m);
	m->rc |= buf_puts(&m->b, "<mark>");
	m->open = true;
}

int search_marked_html(arena_t *a, const char *text, size_t len, const char **out)
{
	marked m = {BUF_INIT, false, false, false, 0};
	*out = NULL;
	if (text == NULL)
		len = 0;
	/* Text is copied in runs between the bytes that need a decision. */
	for (size_t i = 0; i < len && m.rc == 0;) {
		unsigned char c = (unsigned char)text[i];
		if (c == '<') {
			const char *gt = memchr(text + i, '>', len - i);
			i = gt != NULL ? (size_t)(gt - text) + 1 : len;
			m.space = true;
			continue;
		}
		if (c == (unsigned char)SEARCH_MARK_OPEN) {
			mark_open(&m);
			i++;
			continue;
		}
		if (c == (unsigned char)SEARCH_MARK_CLOSE) {
			m.closing = m.open;
			i++;
			continue;
		}
		if (c <= ' ' || c == 0x7f) {
			m.space = true;
			i++;
			continue;
		}
		if (c == '&') {
			const char *semi = memchr(text + i, ';', len - i < 12 ? len - i : 12);
			int32_t cp = semi != NULL ? entity_value(text + i + 1, (size_t)(semi - text) - i - 1)
						  : 0;
			if (cp == 0xA0) {
				m.space = true;
				i = (size_t)(semi - text) + 1;
				continue;
			}
			flush_pending(&m);
			if (cp != 0) {
				m.rc |= put_code_point(&m.b, cp);
				i = (size_t)(semi - text) + 1;
			} else {
				m.rc |= buf_puts(&m.b, "&amp;");
				i++;
			}
			continue;
		}
		size_t j = i + 1;
		while (j < len) {
			unsigned char d = (unsigned char)text[j];
			if (d <= ' ' || d == '<' || d == '&' || d == 0x7f)
				break;
			j++;
		}
		/* Invalid UTF-8 is not repeated: the page must stay valid UTF-8. */
		if (utf8_valid(text + i, j - i)) {
			flush_pending(&m);
			m.rc |= buf_append_html(&m.b, text + i, j - i);
		}
		i = j;
	}
	if (m.open)
		m.rc |= buf_puts(&m.b, "</mark>");
	if (m.rc == 0)
		*out = arena_strndup(a, m.b.data != NULL ? m.b.data : "", m.b.len);
	buf_free(&m.b);
	return *out != NULL ? 0 : -1;
}
