/*
 * xml.h - a small XML writer that escapes everything it is given.
 *
 * Feeds and OAI-PMH answers are XML built from text people typed; pasting
 * that text into markup is how a title with "<" or "&" breaks a harvest.
 * Every name and value goes through here instead: text and attribute
 * values are escaped (& < > " and, in attributes, tab and line ends as
 * character references), and characters XML 1.0 cannot hold (C0 controls
 * other than tab, LF and CR; U+FFFE, U+FFFF; bytes that are not UTF-8) are
 * left out. Names are the caller's literals and are written as they are.
 *
 * Usage: xml_start(w, "a"); xml_attr(w, "href", url); xml_text(w, s);
 * xml_end(w, "a"). An element started and ended with nothing in between is
 * written "<a/>". Errors (out of memory) are sticky in w->out->failed.
 */
#ifndef SEN_CORE_XML_H
#define SEN_CORE_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

typedef struct {
	buf_t *out;       /* appended to; owned by the caller */
	bool tag_open;    /* a start tag waits for its '>' (attributes may follow) */
} xml_writer;

/* Starts writing into out (which may already hold text). */
void xml_writer_init(xml_writer *w, buf_t *out);

/* "<?xml version="1.0" encoding="UTF-8"?>" and a line end. */
void xml_declaration(xml_writer *w);

/* "<name": attributes may follow until text, a child or the end. */
void xml_start(xml_writer *w, const char *name);

/* name="value" on the element just started (value escaped; NULL: ""). */
void xml_attr(xml_writer *w, const char *name, const char *value);

/* Escaped character data (NULL or "" writes nothing but closes the tag). */
void xml_text(xml_writer *w, const char *text);

/* "</name>", or "/>" when the element has nothing in it. */
void xml_end(xml_writer *w, const char *name);

/* <name>text</name> in one call. */
void xml_element(xml_writer *w, const char *name, const char *text);

/* Appends s (len bytes) escaped as XML character data or, with attr, as an
 * attribute value; leaves out what XML cannot hold. 0 or -1. */
int xml_escape(buf_t *b, const char *s, size_t len, bool attr);

#endif
