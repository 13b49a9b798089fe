/*
 * tmpl.c - Mustache templates: a compiler to a flat node array, a renderer.
 *
 * Compiling a template takes three passes:
 *   1. tokenize: text (cut after every newline) and tags, applying
 *      set-delimiter tags as they are met;
 *   2. standalone lines: a line holding only whitespace and tags that print
 *      nothing themselves loses its whitespace and its newline. As in
 *      mustache.js several such tags may share the line ("{{<a}}{{/a}}"),
 *      except a block opened and closed on the same line, which stands for
 *      inline content;
 *   3. build: one flat array of nodes in document order. A container
 *      (section, inverted section, parent, block) records the index one past
 *      its last child, so rendering walks index ranges: no pointers to chase
 *      and no allocation while rendering.
 *
 * Text, names and indentation strings live in one string pool per template.
 * After loading, nothing in a set changes, so any number of threads may
 * render from it at once; all render state is on the caller's stack.
 *
 * Indentation. A standalone partial or parent prepends its indentation to
 * every line it prints; a block substituted into a parent loses the
 * indentation it had where it was written and gains the indentation of the
 * place it lands (spec ~inheritance). Both are done while rendering: a
 * frame carries the prefix to print at line starts (a chain of pieces on
 * the stack) and the indentation to strip from the template's own lines.
 */
#include "render/tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"

/* Sections, blocks and parents open at once inside one template. */
#define MAX_NESTING 100
/* Nested calls of the node walker (sections and expansions together); keeps
 * the C stack small enough for server threads. */
#define MAX_RECURSION 1024
/* Longest set-delimiter string. */
#define MAX_DELIM 16
/* Directory levels below tmpl_set_load_dir()'s root (stops symlink loops). */
#define MAX_DIR_DEPTH 16

/* ------------------------------------------------------------------------
 * Compiled form
 */

enum op {
	OP_TEXT,      /* literal text: off/len in the pool */
	OP_VAR,       /* {{name}}, escaped */
	OP_RAW,       /* {{{name}}} and {{&name}} */
	OP_SECTION,   /* {{#name}} ... {{/name}} */
	OP_INVERTED,  /* {{^name}} ... {{/name}} */
	OP_PARTIAL,   /* {{>name}} */
	OP_PARENT,    /* {{<name}} ... {{/name}}; only its block children count */
	OP_BLOCK,     /* {{$name}} ... {{/name}} */
};

enum {
	F_BOL = 1,          /* text starts at the start of a source line */
	F_STANDALONE = 2,   /* the tag's line was standalone */
	F_DYNAMIC = 4,      /* {{>*name}}: the name is looked up in the data */
};

struct node {
	uint8_t op;
	uint8_t flags;
	uint16_t parts;       /* dotted name: parts; 0 means "." */
	uint32_t end;         /* containers: one past the last child */
	uint32_t off;         /* text, or first name part (NUL-separated parts) */
	uint32_t len;         /* text length, or name length for static names */
	uint32_t indent_off;  /* partial, parent: indentation of the line; */
	uint32_t indent_len;  /* block: indentation of its content */
	uint32_t hash;        /* static partial and parent names */
};

struct tmpl {
	char *name;
	size_t name_len;
	uint32_t hash;
	char *pool;
	struct node *nodes;
	uint32_t count;
};

struct slot {
	uint32_t hash;
	struct tmpl *tmpl;   /* NULL: free slot */
};

struct tmpl_set {
	struct slot *slots;
	size_t cap;          /* a power of two, or 0 */
	size_t count;
};

static int is_container(const struct node *n)
{
	return n->op == OP_SECTION || n->op == OP_INVERTED || n->op == OP_PARENT ||
	       n->op == OP_BLOCK;
}

/* FNV-1a: short names, good spread, no state. */
static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void tmpl_destroy(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->pool);
	free(t->nodes);
	free(t);
}

/* ------------------------------------------------------------------------
 * Errors
 */

/* Writes "label:line: message" into err, or logs it when err is NULL. */
static void report(char *err, size_t errlen, const char *label, unsigned line,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(char *err, size_t errlen, const char *label, unsigned line,
		   const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (err == NULL) {
		if (line > 0)
			log_error("%s:%u: %s", label, line, msg);
		else
			log_error("%s: %s", label, msg);
		return;
	}
	if (errlen == 0)
		return;
	if (line > 0)
		snprintf(err, errlen, "%s:%u: %s", label, line, msg);
	else
		snprintf(err, errlen, "%s: %s", label, msg);
}

/* ------------------------------------------------------------------------
 * Compiler: tokens
 */

enum { TK_TEXT, TK_TAG };

struct token {
	uint8_t kind;
	char sigil;            /* 0 for a variable, else one of {&#^/><$!= */
	uint8_t removed;       /* text dropped by a standalone line */
	uint8_t standalone;    /* tag on a standalone line */
	uint32_t start, end;   /* text bytes, or the whole tag */
	uint32_t name, name_end;    /* tag content, trimmed */
	uint32_t line;
	uint32_t indent, indent_end;  /* see mark_standalone() */
};

struct compiler {
	const char *label;
	const char *src;
	size_t len;
	char *err;
	size_t errlen;
	struct token *tok;
	size_t ntok, tokcap;
	size_t *stack;         /* scratch for mark_standalone() */
	buf_t pool;
	struct node *nodes;
	size_t nnodes, nodecap;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int push_token(struct compiler *c, const struct token *t)
{
	if (c->ntok == c->tokcap) {
		size_t cap = c->tokcap ? c->tokcap * 2 : 64;
		struct token *p = realloc(c->tok, cap * sizeof *p);
		if (p == NULL) {
			report(c->err, c->errlen, c->label, 0, "out of memory");
			return -1;
		}
		c->tok = p;
		c->tokcap = cap;
	}
	c->tok[c->ntok++] = *t;
	return 0;
}

static unsigned count_lines(const char *s, size_t len)
{
	unsigned n = 0;
	const char *end = s + len;
	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* "{{=<% %>=}}": content "<% %>" gives the new pair. */
static int set_delimiters(struct compiler *c, const char *s, size_t len, unsigned line,
			  char *open, size_t *olen, char *close, size_t *clen)
{
	size_t i = 0, a, b;
	while (i < len && !is_space(s[i]))
		i++;
	a = i;
	while (i < len && is_space(s[i]))
		i++;
	b = i;
	while (i < len && !is_space(s[i]))
		i++;
	if (a == 0 || b == a || i != len || i == b || a > MAX_DELIM || i - b > MAX_DELIM ||
	    memchr(s, '=', len) != NULL) {
		report(c->err, c->errlen, c->label, line, "bad delimiters '%.*s'",
		       (int)(len > 40 ? 40 : len), s);
		return -1;
	}
	memcpy(open, s, a);
	*olen = a;
	memcpy(close, s + b, i - b);
	*clen = i - b;
	return 0;
}

static int tokenize(struct compiler *c)
{
	char open[MAX_DELIM] = "{{", close[MAX_DELIM + 1] = "}}";
	size_t olen = 2, clen = 2;
	const char *src = c->src;
	size_t len = c->len, pos = 0;
	unsigned line = 1;

	while (pos < len) {
		const char *o = memmem(src + pos, len - pos, open, olen);
		size_t text_end = o ? (size_t)(o - src) : len;
		/* Text is cut after each newline: a line then ends with a token. */
		while (pos < text_end) {
			const char *nl = memchr(src + pos, '\n', text_end - pos);
			size_t e = nl ? (size_t)(nl - src) + 1 : text_end;
			struct token t = {.kind = TK_TEXT, .start = (uint32_t)pos,
					  .end = (uint32_t)e, .line = line};
			if (push_token(c, &t) != 0)
				return -1;
			if (nl)
				line++;
			pos = e;
		}
		if (o == NULL)
			break;

		size_t p = pos + olen;
		char sigil = p < len ? src[p] : 0;
		if (sigil != 0 && strchr("{&#^/><$!=", sigil) != NULL)
			p++;
		else
			sigil = 0;
		/* "{{{x}}}" and "{{=a b=}}" end with an extra character. */
		char term[MAX_DELIM + 2];
		size_t tlen = 0;
		if (sigil == '{' || sigil == '=')
			term[tlen++] = sigil == '{' ? '}' : '=';
		memcpy(term + tlen, close, clen);
		tlen += clen;
		const char *e = p <= len ? memmem(src + p, len - p, term, tlen) : NULL;
		if (e == NULL) {
			report(c->err, c->errlen, c->label, line, "unclosed tag '%.*s'",
			       (int)(len - pos > 20 ? 20 : len - pos), src + pos);
			return -1;
		}
		size_t ns = p, ne = (size_t)(e - src);
		while (ns < ne && is_space(src[ns]))
			ns++;
		while (ne > ns && is_space(src[ne - 1]))
			ne--;
		size_t tag_end = (size_t)(e - src) + tlen;
		struct token t = {.kind = TK_TAG, .sigil = sigil, .start = (uint32_t)pos,
				  .end = (uint32_t)tag_end, .name = (uint32_t)ns,
				  .name_end = (uint32_t)ne, .line = line};
		if (sigil == '=' && set_delimiters(c, src + ns, ne - ns, line, open, &olen,
						   close, &clen) != 0)
			return -1;
		if (push_token(c, &t) != 0)
			return -1;
		line += count_lines(src + pos, tag_end - pos);
		pos = tag_end;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Compiler: standalone lines
 */

static int prints_output(char sigil)
{
	return sigil == 0 || sigil == '{' || sigil == '&';
}

static int same_content(const struct compiler *c, const struct token *a, const struct token *b)
{
	size_t la = a->name_end - a->name, lb = b->name_end - b->name;
	return la == lb && memcmp(c->src + a->name, c->src + b->name, la) == 0;
}

/* Text token holds only blanks, apart from the newline that ends a line. */
static int is_blank_text(const struct compiler *c, const struct token *t)
{
	size_t s = t->start, e = t->end;
	if (e > s && c->src[e - 1] == '\n') {
		e--;
		if (e > s && c->src[e - 1] == '\r')
			e--;
	}
	for (; s < e; s++)
		if (!is_blank(c->src[s]))
			return 0;
	return 1;
}

static int line_is_standalone(struct compiler *c, size_t from, size_t to)
{
	size_t tags = 0, depth = 0;
	for (size_t k = from; k < to; k++) {
		const struct token *t = &c->tok[k];
		if (t->kind == TK_TEXT) {
			if (!is_blank_text(c, t))
				return 0;
			continue;
		}
		if (prints_output(t->sigil))
			return 0;
		tags++;
		/* A block opened and closed on this line is inline content. */
		if (strchr("#^<$", t->sigil) != NULL) {
			c->stack[depth++] = k;
		} else if (t->sigil == '/' && depth > 0) {
			const struct token *o = &c->tok[c->stack[--depth]];
			if (o->sigil == '$' && same_content(c, o, t))
				return 0;
		}
	}
	return tags > 0;
}

/*
 * Marks standalone lines and records indentation:
 *  - partial and parent tags on a standalone line: the blanks that start
 *    the line (printed before each line of what they include);
 *  - block tags: the indentation of their content. When the opening tag's
 *    line is standalone that is the indentation of the next line (the
 *    content's first line); when only blanks precede the tag, those blanks;
 *    otherwise none.
 */
static void mark_standalone(struct compiler *c)
{
	size_t i = 0;
	while (i < c->ntok) {
		size_t j = i;
		while (j < c->ntok) {
			const struct token *t = &c->tok[j++];
			if (t->kind == TK_TEXT && c->src[t->end - 1] == '\n')
				break;
		}
		int standalone = line_is_standalone(c, i, j);
		const struct token *first = &c->tok[i];
		uint32_t lead = first->start;
		uint32_t lead_end = first->kind == TK_TEXT ? first->end : first->start;
		for (size_t k = i; k < j; k++) {
			struct token *t = &c->tok[k];
			if (t->kind == TK_TEXT) {
				t->removed = (uint8_t)standalone;
				continue;
			}
			t->standalone = (uint8_t)standalone;
			if (t->sigil == '$') {
				if (standalone) {
					uint32_t s = c->tok[j - 1].end, e = s;
					while (e < c->len && is_blank(c->src[e]))
						e++;
					t->indent = s;
					t->indent_end = e;
				} else if (k == i || (k == i + 1 && first->kind == TK_TEXT &&
						      is_blank_text(c, first))) {
					t->indent = lead;
					t->indent_end = k == i ? lead : lead_end;
				} else {
					t->indent = t->indent_end = t->start;
				}
			} else if (standalone) {
				t->indent = lead;
				t->indent_end = lead_end;
			}
		}
		i = j;
	}
}

/* ------------------------------------------------------------------------
 * Compiler: nodes
 */

static int push_node(struct compiler *c, const struct node *n)
{
	if (c->nnodes == c->nodecap) {
		size_t cap = c->nodecap ? c->nodecap * 2 : 32;
		struct node *p = realloc(c->nodes, cap * sizeof *p);
		if (p == NULL) {
			report(c->err, c->errlen, c->label, 0, "out of memory");
			return -1;
		}
		c->nodes = p;
		c->nodecap = cap;
	}
	c->nodes[c->nnodes++] = *n;
	return 0;
}

static int pool_add(struct compiler *c, const char *s, size_t len, uint32_t *off)
{
	*off = (uint32_t)c->pool.len;
	if (buf_append(&c->pool, s, len) != 0) {
		report(c->err, c->errlen, c->label, 0, "out of memory");
		return -1;
	}
	return 0;
}

static int bad_name(struct compiler *c, const struct token *t, const char *why)
{
	size_t len = t->name_end - t->name;
	report(c->err, c->errlen, c->label, t->line, "%s '%.*s'", why,
	       (int)(len > 60 ? 60 : len), c->src + t->name);
	return -1;
}

/* A name is a non-empty run without whitespace or NUL bytes. */
static int check_name(struct compiler *c, const struct token *t, const char *s, size_t len)
{
	if (len == 0) {
		report(c->err, c->errlen, c->label, t->line, "empty tag");
		return -1;
	}
	if (len > TMPL_MAX_NAME)
		return bad_name(c, t, "name too long");
	for (size_t i = 0; i < len; i++)
		if (is_space(s[i]) || s[i] == '\0')
			return bad_name(c, t, "bad tag name");
	return 0;
}

/* Stores "a.b.c" as "a\0b\0c\0"; "." alone is the implicit iterator. */
static int add_dotted(struct compiler *c, const struct token *t, const char *s, size_t len,
		      struct node *n)
{
	if (check_name(c, t, s, len) != 0)
		return -1;
	if (len == 1 && s[0] == '.') {
		n->parts = 0;
		return 0;
	}
	unsigned parts = 0;
	n->off = (uint32_t)c->pool.len;
	size_t i = 0;
	while (i <= len) {
		const char *dot = memchr(s + i, '.', len - i);
		size_t e = dot ? (size_t)(dot - s) : len;
		uint32_t off;
		if (e == i)
			return bad_name(c, t, "bad dotted name");
		if (pool_add(c, s + i, e - i, &off) != 0 || pool_add(c, "", 1, &off) != 0)
			return -1;
		parts++;
		i = e + 1;
	}
	n->parts = (uint16_t)parts;   /* at most TMPL_MAX_NAME / 2 + 1 */
	return 0;
}

/* Partial and parent names: "name", or "*dotted.name" (spec ~dynamic-names). */
static int add_include_name(struct compiler *c, const struct token *t, struct node *n)
{
	const char *s = c->src + t->name;
	size_t len = t->name_end - t->name;
	if (len > 0 && s[0] == '*') {
		s++;
		len--;
		while (len > 0 && is_space(*s)) {
			s++;
			len--;
		}
		n->flags |= F_DYNAMIC;
		return add_dotted(c, t, s, len, n);
	}
	if (check_name(c, t, s, len) != 0 || pool_add(c, s, len, &n->off) != 0)
		return -1;
	uint32_t nul;
	if (pool_add(c, "", 1, &nul) != 0)
		return -1;
	n->len = (uint32_t)len;
	n->hash = hash_name(s, len);
	return 0;
}

static int add_indent(struct compiler *c, const struct token *t, struct node *n)
{
	n->indent_len = t->indent_end - t->indent;
	return pool_add(c, c->src + t->indent, n->indent_len, &n->indent_off);
}

/* Closing tags match their opening tag by content, "*" and all. */
static int close_matches(const struct compiler *c, const struct token *open,
			 const struct token *close)
{
	if (same_content(c, open, close))
		return 1;
	if (open->sigil != '<')
		return 0;
	/* An opening "{{< * name}}" may be closed by "{{/ *name}}" spelled
	 * without the inner space. */
	const char *a = c->src + open->name, *b = c->src + close->name;
	size_t la = open->name_end - open->name, lb = close->name_end - close->name;
	if (la == 0 || lb == 0 || a[0] != '*' || b[0] != '*')
		return 0;
	for (a++, la--; la > 0 && is_space(*a); a++, la--)
		;
	for (b++, lb--; lb > 0 && is_space(*b); b++, lb--)
		;
	return la == lb && memcmp(a, b, la) == 0;
}

static const char *container_word(char sigil)
{
	switch (sigil) {
	case '$': return "block";
	case '<': return "parent";
	default: return "section";
	}
}

static int build(struct compiler *c)
{
	size_t open[MAX_NESTING];
	size_t open_tok[MAX_NESTING];
	size_t depth = 0;
	uint32_t text_off = 0, text_len = 0;
	uint8_t text_flags = 0;

	for (size_t k = 0; k < c->ntok; k++) {
		const struct token *t = &c->tok[k];
		if (t->kind == TK_TEXT) {
			if (t->removed)
				continue;
			uint32_t off;
			if (text_len == 0)
				text_flags = (t->start == 0 || c->src[t->start - 1] == '\n') ? F_BOL : 0;
			if (pool_add(c, c->src + t->start, t->end - t->start, &off) != 0)
				return -1;
			if (text_len == 0)
				text_off = off;
			text_len += t->end - t->start;
			continue;
		}
		if (t->sigil == '!' || t->sigil == '=')
			continue;
		if (text_len > 0) {
			struct node n = {.op = OP_TEXT, .flags = text_flags, .off = text_off,
					 .len = text_len};
			if (push_node(c, &n) != 0)
				return -1;
			text_len = 0;
		}

		struct node n = {0};
		n.flags = t->standalone ? F_STANDALONE : 0;
		const char *name = c->src + t->name;
		size_t name_len = t->name_end - t->name;
		switch (t->sigil) {
		case 0:
		case '{':
		case '&':
			n.op = t->sigil == 0 ? OP_VAR : OP_RAW;
			if (add_dotted(c, t, name, name_len, &n) != 0)
				return -1;
			break;
		case '#':
		case '^':
			n.op = t->sigil == '#' ? OP_SECTION : OP_INVERTED;
			if (add_dotted(c, t, name, name_len, &n) != 0)
				return -1;
			break;
		case '>':
		case '<':
			n.op = t->sigil == '>' ? OP_PARTIAL : OP_PARENT;
			if (add_include_name(c, t, &n) != 0 || add_indent(c, t, &n) != 0)
				return -1;
			break;
		case '$':
			n.op = OP_BLOCK;
			if (check_name(c, t, name, name_len) != 0 ||
			    pool_add(c, name, name_len, &n.off) != 0 || add_indent(c, t, &n) != 0)
				return -1;
			n.len = (uint32_t)name_len;
			break;
		case '/': {
			if (depth == 0)
				return bad_name(c, t, "unexpected closing tag");
			const struct token *o = &c->tok[open_tok[depth - 1]];
			if (!close_matches(c, o, t)) {
				size_t ol = o->name_end - o->name;
				report(c->err, c->errlen, c->label, t->line,
				       "closing tag '%.*s' does not match %s '%.*s' opened on line %u",
				       (int)(name_len > 60 ? 60 : name_len), name,
				       container_word(o->sigil), (int)(ol > 60 ? 60 : ol),
				       c->src + o->name, (unsigned)o->line);
				return -1;
			}
			depth--;
			c->nodes[open[depth]].end = (uint32_t)c->nnodes;
			continue;
		}
		default:
			continue;
		}
		if (is_container(&n)) {
			if (depth == MAX_NESTING) {
				report(c->err, c->errlen, c->label, t->line,
				       "sections nested deeper than %d", MAX_NESTING);
				return -1;
			}
			open[depth] = c->nnodes;
			open_tok[depth++] = k;
		}
		if (push_node(c, &n) != 0)
			return -1;
	}
	if (text_len > 0) {
		struct node n = {.op = OP_TEXT, .flags = text_flags, .off = text_off,
				 .len = text_len};
		if (push_node(c, &n) != 0)
			return -1;
	}
	if (depth > 0) {
		const struct token *o = &c->tok[open_tok[depth - 1]];
		size_t ol = o->name_end - o->name;
		report(c->err, c->errlen, c->label, o->line, "unclosed %s '%.*s'",
		       container_word(o->sigil), (int)(ol > 60 ? 60 : ol), c->src + o->name);
		return -1;
	}
	return 0;
}

static struct tmpl *compile(const char *label, const char *name, const char *src, size_t len,
			    char *err, size_t errlen)
{
	struct compiler c = {.label = label, .src = src, .len = len, .err = err,
			     .errlen = errlen, .pool = BUF_INIT};
	struct tmpl *t = NULL;
	size_t name_len = strlen(name);

	if (len > TMPL_MAX_SOURCE) {
		report(err, errlen, label, 0, "template larger than %u bytes", TMPL_MAX_SOURCE);
		goto fail;
	}
	if (tokenize(&c) != 0)
		goto fail;
	c.stack = malloc((c.ntok ? c.ntok : 1) * sizeof *c.stack);
	if (c.stack == NULL) {
		report(err, errlen, label, 0, "out of memory");
		goto fail;
	}
	mark_standalone(&c);
	if (build(&c) != 0)
		goto fail;
	/* The pool always exists so offsets into it are valid. */
	if (buf_reserve(&c.pool, 0) != 0) {
		report(err, errlen, label, 0, "out of memory");
		goto fail;
	}

	t = calloc(1, sizeof *t);
	if (t == NULL || (t->name = malloc(name_len + 1)) == NULL) {
		report(err, errlen, label, 0, "out of memory");
		goto fail;
	}
	memcpy(t->name, name, name_len + 1);
	t->name_len = name_len;
	t->hash = hash_name(name, name_len);
	t->pool = buf_detach(&c.pool, NULL);
	t->nodes = c.nodes;
	t->count = (uint32_t)c.nnodes;
	c.nodes = NULL;
	free(c.tok);
	free(c.stack);
	return t;
fail:
	tmpl_destroy(t);
	free(c.tok);
	free(c.stack);
	free(c.nodes);
	buf_free(&c.pool);
	return NULL;
}

/* ------------------------------------------------------------------------
 * Template sets
 */

tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(tmpl_set));
}

void tmpl_set_free(tmpl_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->cap; i++)
		tmpl_destroy(set->slots[i].tmpl);
	free(set->slots);
	free(set);
}

size_t tmpl_set_count(const tmpl_set *set)
{
	return set ? set->count : 0;
}

static struct slot *find_slot(struct slot *slots, size_t cap, const char *name, size_t len,
			      uint32_t hash)
{
	size_t mask = cap - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct slot *s = &slots[i];
		if (s->tmpl == NULL)
			return s;
		if (s->hash == hash && s->tmpl->name_len == len &&
		    memcmp(s->tmpl->name, name, len) == 0)
			return s;
	}
}

static const struct tmpl *set_find(const tmpl_set *set, const char *name, size_t len,
				   uint32_t hash)
{
	if (set->cap == 0)
		return NULL;
	return find_slot(set->slots, set->cap, name, len, hash)->tmpl;
}

static int set_grow(tmpl_set *set)
{
	size_t cap = set->cap ? set->cap * 2 : 16;
	struct slot *slots = calloc(cap, sizeof *slots);
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		struct tmpl *t = set->slots[i].tmpl;
		if (t != NULL)
			*find_slot(slots, cap, t->name, t->name_len, t->hash) = set->slots[i];
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

/* Stores t (taking ownership), replacing a template of the same name. */
static int set_put(tmpl_set *set, struct tmpl *t)
{
	if ((set->count + 1) * 2 > set->cap && set_grow(set) != 0)
		return -1;
	struct slot *s = find_slot(set->slots, set->cap, t->name, t->name_len, t->hash);
	if (s->tmpl == NULL)
		set->count++;
	else
		tmpl_destroy(s->tmpl);
	s->tmpl = t;
	s->hash = t->hash;
	return 0;
}

static int valid_template_name(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	return len > 0 && len <= TMPL_MAX_NAME;
}

static int add_labelled(tmpl_set *set, const char *label, const char *name, const char *src,
			size_t len, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!valid_template_name(name)) {
		report(err, errlen, label ? label : "(null)", 0, "bad template name");
		return -1;
	}
	if (src == NULL && len > 0) {
		report(err, errlen, label, 0, "no source");
		return -1;
	}
	struct tmpl *t = compile(label, name, src ? src : "", len, err, errlen);
	if (t == NULL)
		return -1;
	if (set_put(set, t) != 0) {
		tmpl_destroy(t);
		report(err, errlen, label, 0, "out of memory");
		return -1;
	}
	return 0;
}

int tmpl_set_add(tmpl_set *set, const char *name, const char *src, size_t len, char *err,
		 size_t errlen)
{
	if (set == NULL) {
		report(err, errlen, "tmpl", 0, "no set");
		return -1;
	}
	return add_labelled(set, name, name, src, len, err, errlen);
}

int tmpl_set_has(const tmpl_set *set, const char *name)
{
	if (set == NULL || name == NULL)
		return 0;
	size_t len = strlen(name);
	return set_find(set, name, len, hash_name(name, len)) != NULL;
}

/* ------------------------------------------------------------------------
 * Loading a directory
 */

static int load_file(tmpl_set *set, const char *path, const char *name, char *err,
		     size_t errlen)
{
	char *data = NULL;
	int rc = -1;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		report(err, errlen, path, 0, "%s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0) {
		report(err, errlen, path, 0, "%s", strerror(errno));
		goto fail;
	}
	if (st.st_size > (off_t)TMPL_MAX_SOURCE) {
		report(err, errlen, path, 0, "template larger than %u bytes", TMPL_MAX_SOURCE);
		goto fail;
	}
	size_t size = (size_t)st.st_size;
	data = malloc(size + 1);
	if (data == NULL) {
		report(err, errlen, path, 0, "out of memory");
		goto fail;
	}
	if (fread(data, 1, size, f) != size) {
		report(err, errlen, path, 0, "read error");
		goto fail;
	}
	rc = add_labelled(set, path, name, data, size, err, errlen);
fail:
	free(data);
	fclose(f);
	return rc;
}

/* dir: path on disk; rel: its name relative to the root ("" at the root). */
static int load_tree(tmpl_set *set, const char *dir, const char *rel, int depth, char *err,
		     size_t errlen)
{
	static const char ext[] = ".mustache";
	const size_t ext_len = sizeof ext - 1;
	int rc = 0;

	if (depth > MAX_DIR_DEPTH) {
		report(err, errlen, dir, 0, "directories nested too deeply");
		return -1;
	}
	DIR *d = opendir(dir);
	if (d == NULL) {
		report(err, errlen, dir, 0, "%s", strerror(errno));
		return -1;
	}
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		/* Dot files: ".", "..", editor swap files, hidden folders. */
		if (e->d_name[0] == '.')
			continue;
		char path[4096], name[4096];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
		    (size_t)snprintf(name, sizeof name, "%s%s%s", rel, *rel ? "/" : "",
				     e->d_name) >= sizeof name) {
			report(err, errlen, dir, 0, "path too long");
			rc = -1;
			break;
		}
		struct stat st;
		if (stat(path, &st) != 0) {
			report(err, errlen, path, 0, "%s", strerror(errno));
			rc = -1;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = load_tree(set, path, name, depth + 1, err, errlen);
			continue;
		}
		size_t len = strlen(name);
		if (!S_ISREG(st.st_mode) || len <= ext_len ||
		    memcmp(name + len - ext_len, ext, ext_len) != 0)
			continue;
		name[len - ext_len] = '\0';
		rc = load_file(set, path, name, err, errlen);
	}
	closedir(d);
	return rc;
}

int tmpl_set_load_dir(tmpl_set *set, const char *dir, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (set == NULL || dir == NULL) {
		report(err, errlen, "tmpl", 0, "no set or directory");
		return -1;
	}
	return load_tree(set, dir, "", 0, err, errlen);
}

/* ------------------------------------------------------------------------
 * Rendering
 */

/* The context stack: innermost first, on the C stack. */
struct ctx {
	json_t *value;
	const struct ctx *up;
};

/* Indentation printed at line starts: the outer pieces first. */
struct indent {
	const struct indent *outer;
	const char *s;
	size_t len;
};

/* How the current template's lines are printed. */
struct frame {
	const struct indent *prefix;   /* NULL: nothing to add */
	const char *strip;             /* indentation to remove from source lines */
	size_t strip_len;
};

/* Blocks passed by the parent tags being expanded, innermost first. */
struct env {
	const struct tmpl *tmpl;
	const struct node *parent;
	const struct env *next;
};

/* What the current output line holds so far. */
enum line_mode {
	LINE_EMPTY,    /* nothing: the next content gets the whole prefix */
	LINE_INDENT,   /* exactly the indentation chain `line_at` */
	LINE_TEXT,     /* other content: no prefix until the next newline */
};

struct render {
	const tmpl_set *set;
	buf_t *out;
	unsigned depth;        /* partial/parent/block expansions */
	unsigned recursion;    /* nested render_nodes() calls */
	unsigned long steps;
	enum line_mode line;
	const struct indent *line_at;   /* LINE_INDENT only */
};

static int render_nodes(struct render *r, const struct tmpl *t, uint32_t i, uint32_t end,
			const struct ctx *c, const struct frame *f, const struct env *e);

/*
 * Appends with the common case inline: room in the buffer, no cap hit.
 * Rendering makes many short appends; buf_append() handles the rest.
 */
static inline int put(buf_t *b, const char *s, size_t len)
{
	if (b->len + len < b->size && !b->failed && (b->cap == 0 || b->len + len <= b->cap)) {
		memcpy(b->data + b->len, s, len);
		b->len += len;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append(b, s, len);
}

/* One byte -> entity index; 0 copies the byte. */
static const uint8_t escape_index[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	const char *s;
	size_t len;
} entity[] = {
	{"", 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6}, {"&#39;", 5},
};

/*
 * HTML-escapes s[0..len), which must be followed by a NUL byte (jansson
 * strings are): strcspn() skips the plain runs quickly, the table picks
 * the entity. A NUL inside the string is copied as it is.
 */
static int append_escaped(buf_t *b, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	if (buf_reserve(b, len) != 0)
		return -1;
	while (p < end) {
		size_t run = strcspn(p, "&<>\"'");
		if (run > (size_t)(end - p))
			run = (size_t)(end - p);
		if (run > 0 && put(b, p, run) != 0)
			return -1;
		p += run;
		if (p == end)
			break;
		uint8_t x = escape_index[(unsigned char)*p];
		if ((x ? put(b, entity[x].s, entity[x].len) : put(b, p, 1)) != 0)
			return -1;
		p++;
	}
	return 0;
}

/* Prints the pieces of chain `in` that come after `done` (outer first). */
static int emit_indent(buf_t *b, const struct indent *in, const struct indent *done)
{
	if (in == NULL || in == done)
		return 0;
	if (emit_indent(b, in->outer, done) != 0)
		return -1;
	return put(b, in->s, in->len);
}

/*
 * Called before content is printed: an empty line first gets the frame's
 * whole prefix; a line that already holds part of it (the blanks before an
 * inline block) gets the rest.
 */
static int start_line(struct render *r, const struct frame *f)
{
	int rc = 0;
	if (r->line == LINE_EMPTY) {
		rc = emit_indent(r->out, f->prefix, NULL);
	} else if (r->line == LINE_INDENT) {
		for (const struct indent *x = f->prefix; x != NULL; x = x->outer)
			if (x == r->line_at) {
				rc = emit_indent(r->out, f->prefix, r->line_at);
				break;
			}
	}
	r->line = LINE_TEXT;
	return rc;
}

static int is_bare_newline(const char *s, size_t len)
{
	return (len == 1 && s[0] == '\n') || (len == 2 && s[0] == '\r' && s[1] == '\n');
}

static int emit_text(struct render *r, const struct tmpl *t, const struct node *n,
		     const struct frame *f)
{
	const char *s = t->pool + n->off, *end = s + n->len;
	if (f->prefix == NULL && f->strip_len == 0) {
		r->line = end[-1] == '\n' ? LINE_EMPTY : LINE_TEXT;
		return put(r->out, s, n->len);
	}
	int source_bol = (n->flags & F_BOL) != 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl + 1 : end;
		if (source_bol) {
			size_t k = 0;
			while (k < f->strip_len && s + k < e && s[k] == f->strip[k])
				k++;
			s += k;
		}
		if (s < e) {
			/* Empty lines get no indentation, like mustache.js. */
			if (!is_bare_newline(s, (size_t)(e - s)) && start_line(r, f) != 0)
				return -1;
			if (put(r->out, s, (size_t)(e - s)) != 0)
				return -1;
			r->line = e[-1] == '\n' ? LINE_EMPTY : LINE_TEXT;
		}
		s = e;
		source_bol = 1;
	}
	return 0;
}

static json_t *lookup(const struct ctx *c, const struct tmpl *t, const struct node *n)
{
	if (n->parts == 0)
		return c->value;
	const char *part = t->pool + n->off;
	json_t *v = NULL;
	/* The first part is searched up the context stack, the rest strictly. */
	for (; c != NULL; c = c->up)
		if (json_is_object(c->value) && (v = json_object_get(c->value, part)) != NULL)
			break;
	for (unsigned i = 1; v != NULL && i < n->parts; i++) {
		part += strlen(part) + 1;
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
	}
	return v;
}

static int is_truthy(const json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return 1;
	}
}

/* Writes v in decimal, at least `width` digits (zero padded); returns the
 * length. out holds at least 24 bytes. snprintf() is slow for this. */
static size_t format_int(long long v, int width, char *out)
{
	char tmp[24];
	size_t n = 0, len = 0;
	/* Work on the negative value: it also holds LLONG_MIN. */
	long long x = v < 0 ? v : -v;
	do {
		tmp[n++] = (char)('0' - x % 10);
		x /= 10;
	} while (x != 0);
	while (n < (size_t)width && n < sizeof tmp)
		tmp[n++] = '0';
	if (v < 0)
		out[len++] = '-';
	while (n > 0)
		out[len++] = tmp[--n];
	return len;
}

/*
 * Shortest form that reads back as the same double: 1.21 -> "1.21",
 * 3.0 -> "3", 0.30000000000000004 as is.
 *
 * Most reals in our data are short decimals (prices, ratings,
 * coordinates), and glibc's %g is slow at high precision, so those are
 * found first: d * 10^k is a whole number m, and m / 10^k gives d back.
 * Both m and 10^k are exact doubles, so that division rounds exactly as
 * strtod() would read "m/10^k" written out. Other values fall back to %g
 * with 15, 16, then 17 digits; when 15 digits read back no shorter form
 * differs from them but for trailing zeros, which %g drops.
 */
static size_t format_real(double d, char *out, size_t size)
{
	static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	static const long long iscale[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
					   10000000, 100000000, 1000000000};
	int n = -1;
	if (d > -1e15 && d < 1e15) {   /* false for NaN too */
		for (int k = 0; k < 10; k++) {
			double m = d * scale[k];
			if (m <= -1e15 || m >= 1e15)
				break;
			long long whole = (long long)m;
			if ((double)whole != m || (double)whole / scale[k] != d)
				continue;
			if (k == 0)
				return format_int(whole, 0, out);
			/* |whole| < 1e15: sign, 15 digits, point, 9 decimals fit. */
			long long a = whole < 0 ? -whole : whole;
			size_t len = 0;
			if (whole < 0)
				out[len++] = '-';
			len += format_int(a / iscale[k], 0, out + len);
			out[len++] = '.';
			return len + format_int(a % iscale[k], k, out + len);
		}
	}
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(out, size, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	return n > 0 ? (size_t)n : 0;
}

static int emit_value(struct render *r, const json_t *v, int escape, const struct frame *f)
{
	char num[64];
	const char *s;
	size_t len;
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		len = format_int(json_integer_value(v), 0, num);
		s = num;
		escape = 0;   /* digits and a sign */
		break;
	case JSON_REAL:
		len = format_real(json_real_value(v), num, sizeof num);
		s = num;
		escape = 0;
		break;
	case JSON_TRUE:
		s = "true";
		len = 4;
		escape = 0;
		break;
	case JSON_FALSE:
		s = "false";
		len = 5;
		escape = 0;
		break;
	default:
		return 0;
	}
	if (len == 0)
		return 0;
	if (start_line(r, f) != 0)
		return -1;
	return escape ? append_escaped(r->out, s, len) : put(r->out, s, len);
}

static int enter(struct render *r, const struct tmpl *t)
{
	if (r->depth >= TMPL_MAX_DEPTH) {
		log_error("tmpl: '%s': partials nested deeper than %d", t->name, TMPL_MAX_DEPTH);
		return -1;
	}
	r->depth++;
	return 0;
}

/* Indentation `s` written in the current frame's template, without the
 * part the frame strips. */
static void strip_indent(const struct frame *f, const char **s, size_t *len)
{
	size_t k = 0;
	while (k < *len && k < f->strip_len && (*s)[k] == f->strip[k])
		k++;
	*s += k;
	*len -= k;
}

/* {{>name}} and {{<name}}...{{/name}}. */
static int render_include(struct render *r, const struct tmpl *t, const struct node *n,
			  const struct ctx *c, const struct frame *f, const struct env *e)
{
	const struct tmpl *inc;
	if (n->flags & F_DYNAMIC) {
		json_t *v = lookup(c, t, n);
		if (!json_is_string(v))
			return 0;
		const char *name = json_string_value(v);
		size_t len = json_string_length(v);
		inc = set_find(r->set, name, len, hash_name(name, len));
	} else {
		inc = set_find(r->set, t->pool + n->off, n->len, n->hash);
	}
	if (inc == NULL)
		return 0;

	/* Standalone: each line gets this line's indentation. Inline: the
	 * line's own prefix, then the partial as it is. */
	struct indent in;
	struct frame nf = {NULL, NULL, 0};
	if (n->flags & F_STANDALONE) {
		const char *w = t->pool + n->indent_off;
		size_t wl = n->indent_len;
		strip_indent(f, &w, &wl);
		nf.prefix = f->prefix;
		if (wl > 0) {
			in = (struct indent){f->prefix, w, wl};
			nf.prefix = &in;
		}
	} else if (start_line(r, f) != 0) {
		return -1;
	}
	if (enter(r, inc) != 0)
		return -1;
	struct env ne;
	if (n->op == OP_PARENT) {
		ne = (struct env){t, n, e};
		e = &ne;
	}
	int rc = render_nodes(r, inc, 0, inc->count, c, &nf, e);
	r->depth--;
	return rc;
}

/* {{$name}}: the outermost parent tag that passes this block wins. */
static int render_block(struct render *r, const struct tmpl *t, const struct node *n,
			const struct ctx *c, const struct frame *f, const struct env *e)
{
	const char *name = t->pool + n->off;
	const struct tmpl *ot = NULL;
	const struct node *on = NULL;
	const struct env *oe = NULL;

	for (const struct env *x = e; x != NULL; x = x->next) {
		const struct tmpl *pt = x->tmpl;
		uint32_t k = (uint32_t)(x->parent - pt->nodes) + 1, end = x->parent->end;
		while (k < end) {
			const struct node *ch = &pt->nodes[k];
			if (ch->op == OP_BLOCK && ch->len == n->len &&
			    memcmp(pt->pool + ch->off, name, n->len) == 0) {
				ot = pt;
				on = ch;
				oe = x->next;
				break;
			}
			k = is_container(ch) ? ch->end : k + 1;
		}
	}
	uint32_t self = (uint32_t)(n - t->nodes);
	if (on == NULL)
		return render_nodes(r, t, self + 1, n->end, c, f, e);
	if (enter(r, ot) != 0)
		return -1;

	/* The argument's own indentation goes; the block's place gives it
	 * the indentation it has here. */
	const char *w = t->pool + n->indent_off;
	size_t wl = n->indent_len;
	strip_indent(f, &w, &wl);
	struct indent in = {f->prefix, w, wl};
	struct frame nf = {wl > 0 ? &in : f->prefix, ot->pool + on->indent_off, on->indent_len};
	/* Inline, the blanks before the tag are already printed: the line
	 * holds exactly the new prefix. */
	if (!(n->flags & F_STANDALONE) && wl > 0) {
		r->line = LINE_INDENT;
		r->line_at = &in;
	}
	uint32_t from = (uint32_t)(on - ot->nodes) + 1;
	int rc = render_nodes(r, ot, from, on->end, c, &nf, oe);
	/* `in` dies here. */
	if (r->line == LINE_INDENT && r->line_at == &in)
		r->line = LINE_TEXT;
	r->depth--;
	return rc;
}

static int render_nodes(struct render *r, const struct tmpl *t, uint32_t i, uint32_t end,
			const struct ctx *c, const struct frame *f, const struct env *e)
{
	int rc = -1;
	/* Each call counts as a step too: a section with nothing inside may
	 * still be looped over a long list. */
	r->steps++;
	if (++r->recursion > MAX_RECURSION) {
		log_error("tmpl: '%s': sections nested deeper than %d", t->name, MAX_RECURSION);
		goto done;
	}
	while (i < end) {
		const struct node *n = &t->nodes[i];
		if (++r->steps > TMPL_MAX_STEPS) {
			log_error("tmpl: '%s': render took more than %lu steps", t->name,
				  (unsigned long)TMPL_MAX_STEPS);
			goto done;
		}
		switch (n->op) {
		case OP_TEXT:
			if (emit_text(r, t, n, f) != 0)
				goto done;
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			if (emit_value(r, lookup(c, t, n), n->op == OP_VAR, f) != 0)
				goto done;
			i++;
			break;
		case OP_SECTION: {
			json_t *v = lookup(c, t, n);
			if (!is_truthy(v)) {
				/* nothing */
			} else if (json_is_array(v)) {
				size_t k;
				json_t *item;
				json_array_foreach(v, k, item) {
					struct ctx sub = {item, c};
					if (render_nodes(r, t, i + 1, n->end, &sub, f, e) != 0)
						goto done;
				}
			} else {
				struct ctx sub = {v, c};
				if (render_nodes(r, t, i + 1, n->end, &sub, f, e) != 0)
					goto done;
			}
			i = n->end;
			break;
		}
		case OP_INVERTED:
			if (!is_truthy(lookup(c, t, n)) &&
			    render_nodes(r, t, i + 1, n->end, c, f, e) != 0)
				goto done;
			i = n->end;
			break;
		case OP_PARTIAL:
			if (render_include(r, t, n, c, f, e) != 0)
				goto done;
			i++;
			break;
		case OP_PARENT:
			if (render_include(r, t, n, c, f, e) != 0)
				goto done;
			i = n->end;
			break;
		case OP_BLOCK:
			if (render_block(r, t, n, c, f, e) != 0)
				goto done;
			i = n->end;
			break;
		default:
			i++;
			break;
		}
	}
	rc = 0;
done:
	r->recursion--;
	return rc;
}

int tmpl_render(const tmpl_set *set, const char *name, json_t *data, buf_t *out)
{
	if (set == NULL || name == NULL || out == NULL)
		return -1;
	size_t len = strlen(name);
	const struct tmpl *t = set_find(set, name, len, hash_name(name, len));
	if (t == NULL) {
		log_error("tmpl: no template '%s'", name);
		return -1;
	}
	size_t mark = out->len;
	struct render r = {.set = set, .out = out, .line = LINE_EMPTY};
	struct ctx root = {data, NULL};
	struct frame f = {NULL, NULL, 0};
	if (render_nodes(&r, t, 0, t->count, &root, &f, NULL) == 0 && !out->failed)
		return 0;
	if (out->failed)
		log_error("tmpl: '%s': output buffer full or out of memory", name);
	out->len = mark;
	if (out->data != NULL)
		out->data[mark] = '\0';
	return -1;
}
