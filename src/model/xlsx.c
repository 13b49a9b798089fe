/*
 * xlsx.c - a small reader of the first worksheet of an XLSX file (see
 * sheet.h): libzip opens the archive from memory, libxml2's streaming
 * reader walks xl/sharedStrings.xml and the worksheet, so a large sheet is
 * never held as a tree.
 *
 * The worksheet is the first <sheet> of xl/workbook.xml, found through
 * xl/_rels/workbook.xml.rels; a file without them falls back to
 * xl/worksheets/sheet1.xml. Cells are placed by their reference ("C7"), so
 * empty cells Excel leaves out come back as "". No part is read uncompressed
 * beyond SHEET_BYTES_MAX (a zip bomb stops there); the XML parser loads no
 * DTD, expands no entities and reaches no network.
 */
#include "model/sheet.h"

#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "core/text.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE)
#define STRINGS_MAX 4000000

/* Reads one member of the archive, bounded. 0, or a sheet_status. */
static int read_member(zip_t *z, const char *name, buf_t *out)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(z, name, ZIP_FL_ENC_GUESS, &st) != 0)
		return SHEET_MALFORMED;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > SHEET_BYTES_MAX)
		return SHEET_TOO_BIG;
	zip_file_t *f = zip_fopen(z, name, 0);
	if (f == NULL)
		return SHEET_MALFORMED;
	int rc = SHEET_OK;
	char chunk[65536];
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
		if (n < 0) {
			rc = SHEET_MALFORMED;
			break;
		}
		if (n == 0)
			break;
		/* The size in the directory may lie: count what really comes out. */
		if (out->len + (size_t)n > SHEET_BYTES_MAX) {
			rc = SHEET_TOO_BIG;
			break;
		}
		if (buf_append(out, chunk, (size_t)n) != 0) {
			rc = SHEET_NO_MEMORY;
			break;
		}
	}
	zip_fclose(f);
	return rc;
}

static xmlTextReaderPtr open_xml(const buf_t *b)
{
	if (b->len > INT32_MAX)
		return NULL;
	return xmlReaderForMemory(b->data != NULL ? b->data : "", (int)b->len, NULL, NULL,
				  XML_OPTIONS);
}

static bool is(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);
	return n != NULL && strcmp((const char *)n, name) == 0;
}

/* ---- shared strings ----------------------------------------------------------- */

typedef struct {
	char **s;
	size_t n, cap;
} strings;

static void strings_free(strings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
}

/* Each <si> is one string: the text of all its <t> (rich text has several). */
static int read_strings(const buf_t *xml, strings *out)
{
	xmlTextReaderPtr r = open_xml(xml);
	if (r == NULL)
		return SHEET_MALFORMED;
	buf_t cur = BUF_INIT;
	int rc = SHEET_OK, depth_t = -1, ret;
	bool in_si = false;
	while (rc == SHEET_OK && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT && is(r, "si")) {
			in_si = true;
			buf_clear(&cur);
			if (xmlTextReaderIsEmptyElement(r))
				goto close_si;
		} else if (type == XML_READER_TYPE_ELEMENT && in_si && is(r, "t")) {
			depth_t = xmlTextReaderDepth(r);
		} else if (type == XML_READER_TYPE_END_ELEMENT && is(r, "t")) {
			depth_t = -1;
		} else if ((type == XML_READER_TYPE_TEXT ||
			    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
			   depth_t >= 0) {
			const xmlChar *v = xmlTextReaderConstValue(r);
			if (v != NULL && buf_puts(&cur, (const char *)v) != 0)
				rc = SHEET_NO_MEMORY;
			if (cur.len > SHEET_CELL_MAX)
				rc = SHEET_TOO_BIG;
		} else if (type == XML_READER_TYPE_END_ELEMENT && is(r, "si")) {
		close_si:
			in_si = false;
			if (out->n >= STRINGS_MAX) {
				rc = SHEET_TOO_BIG;
				break;
			}
			if (out->n == out->cap) {
				size_t ncap = out->cap ? out->cap * 2 : 256;
				char **bigger = realloc(out->s, ncap * sizeof *bigger);
				if (bigger == NULL) {
					rc = SHEET_NO_MEMORY;
					break;
				}
				out->s = bigger;
				out->cap = ncap;
			}
			char *copy = strndup(cur.data != NULL ? cur.data : "", cur.len);
			if (copy == NULL) {
				rc = SHEET_NO_MEMORY;
				break;
			}
			out->s[out->n++] = copy;
		}
	}
	if (rc == SHEET_OK && ret != 0)
		rc = SHEET_MALFORMED;
	buf_free(&cur);
	xmlFreeTextReader(r);
	return rc;
}

/* ---- which part is the first worksheet ---------------------------------------- */

/* The value of attribute name of the current element (xmlFree it), or NULL. */
static char *attr(xmlTextReaderPtr r, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

static void first_sheet_path(zip_t *z, char *path, size_t len)
{
	snprintf(path, len, "xl/worksheets/sheet1.xml");
	buf_t wb = BUF_INIT, rels = BUF_INIT;
	char *rid = NULL;
	if (read_member(z, "xl/workbook.xml", &wb) == SHEET_OK) {
		xmlTextReaderPtr r = open_xml(&wb);
		while (r != NULL && rid == NULL && xmlTextReaderRead(r) == 1)
			if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && is(r, "sheet"))
				rid = (char *)xmlTextReaderGetAttributeNs(
				    r, (const xmlChar *)"id",
				    (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/"
						     "2006/relationships");
		if (r != NULL)
			xmlFreeTextReader(r);
	}
	if (rid != NULL && read_member(z, "xl/_rels/workbook.xml.rels", &rels) == SHEET_OK) {
		xmlTextReaderPtr r = open_xml(&rels);
		while (r != NULL && xmlTextReaderRead(r) == 1) {
			if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !is(r, "Relationship"))
				continue;
			char *id = attr(r, "Id"), *target = attr(r, "Target");
			if (id != NULL && target != NULL && strcmp(id, rid) == 0 &&
			    strstr(target, "..") == NULL) {
				if (target[0] == '/')
					snprintf(path, len, "%s", target + 1);
				else
					snprintf(path, len, "xl/%s", target);
			}
			xmlFree(id);
			xmlFree(target);
		}
		if (r != NULL)
			xmlFreeTextReader(r);
	}
	xmlFree(rid);
	buf_free(&wb);
	buf_free(&rels);
}

/* ---- the worksheet ------------------------------------------------------------ */

/* "BC12" -> column 54 (0-based 54), row 11 (0-based); false if malformed. */
static bool cell_ref(const char *ref, size_t *col, size_t *row)
{
	size_t c = 0, r = 0, letters = 0, digits = 0;
	const char *p = ref;
	for (; *p >= 'A' && *p <= 'Z'; p++, letters++)
		if ((c = c * 26 + (size_t)(*p - 'A' + 1)) > SHEET_COLS_MAX)
			return false;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if ((r = r * 10 + (size_t)(*p - '0')) > SHEET_ROWS_MAX)
			return false;
	if (*p != '\0' || letters == 0 || digits == 0 || c == 0 || r == 0)
		return false;
	*col = c - 1;
	*row = r - 1;
	return true;
}

typedef struct {
	sheet *s;
	const strings *shared;
	size_t row, col;         /* where the current cell goes */
	char type[16];           /* the cell's t attribute */
	buf_t value;
	bool in_value;
} walker;

/* Puts the finished cell in place, filling skipped rows and cells with "". */
static int place(walker *w)
{
	const char *v = w->value.data != NULL ? w->value.data : "";
	size_t len = w->value.len;
	if (strcmp(w->type, "s") == 0) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (len == 0 || *end != '\0' || i >= w->shared->n)
			return SHEET_MALFORMED;
		v = w->shared->s[i];
		len = strlen(v);
	} else if (strcmp(w->type, "b") == 0) {
		v = len > 0 && v[0] == '1' ? "TRUE" : "FALSE";
		len = strlen(v);
	}
	if (!utf8_valid(v, len))
		return SHEET_MALFORMED;
	while (w->s->n < w->row + 1)
		if (sheet_add(w->s, true, NULL, 0) != 0)
			return SHEET_TOO_BIG;
	if (w->s->n != w->row + 1)
		return SHEET_MALFORMED;   /* rows out of order */
	sheet_row *r = &w->s->rows[w->row];
	if (r->n > w->col)
		return SHEET_MALFORMED;   /* cells out of order */
	while (r->n < w->col)
		if (sheet_add(w->s, false, "", 0) != 0)
			return SHEET_TOO_BIG;
	/* sheet_add appends to the last row, which is this one. */
	return sheet_add(w->s, false, v, len) == 0 ? SHEET_OK : SHEET_TOO_BIG;
}

static int read_worksheet(const buf_t *xml, const strings *shared, sheet *out)
{
	xmlTextReaderPtr r = open_xml(xml);
	if (r == NULL)
		return SHEET_MALFORMED;
	walker w = {.s = out, .shared = shared};
	int rc = SHEET_OK, ret;
	size_t next_row = 0, next_col = 0;
	bool in_cell = false;
	while (rc == SHEET_OK && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT && is(r, "row")) {
			char *n = attr(r, "r");
			if (n != NULL) {
				char *end;
				unsigned long v = strtoul(n, &end, 10);
				if (*end != '\0' || v == 0 || v > SHEET_ROWS_MAX || v - 1 < next_row)
					rc = SHEET_MALFORMED;
				else
					next_row = v - 1;
			}
			xmlFree(n);
			w.row = next_row++;
			next_col = 0;
		} else if (type == XML_READER_TYPE_ELEMENT && is(r, "c")) {
			char *ref = attr(r, "r"), *t = attr(r, "t");
			size_t col = next_col, row = w.row;
			if (ref != NULL && (!cell_ref(ref, &col, &row) || row != w.row))
				rc = SHEET_MALFORMED;
			snprintf(w.type, sizeof w.type, "%s", t != NULL ? t : "n");
			xmlFree(ref);
			xmlFree(t);
			w.col = col;
			next_col = col + 1;
			buf_clear(&w.value);
			in_cell = !xmlTextReaderIsEmptyElement(r);
		} else if (type == XML_READER_TYPE_ELEMENT && in_cell && (is(r, "v") || is(r, "t"))) {
			w.in_value = true;
		} else if (type == XML_READER_TYPE_END_ELEMENT && (is(r, "v") || is(r, "t"))) {
			w.in_value = false;
		} else if ((type == XML_READER_TYPE_TEXT ||
			    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
			   w.in_value) {
			const xmlChar *v = xmlTextReaderConstValue(r);
			if (v != NULL && buf_puts(&w.value, (const char *)v) != 0)
				rc = SHEET_NO_MEMORY;
			if (w.value.len > SHEET_CELL_MAX)
				rc = SHEET_TOO_BIG;
		} else if (type == XML_READER_TYPE_END_ELEMENT && is(r, "c") && in_cell) {
			in_cell = false;
			if (w.value.len > 0)
				rc = place(&w);
		}
	}
	if (rc == SHEET_OK && ret != 0)
		rc = SHEET_MALFORMED;
	buf_free(&w.value);
	xmlFreeTextReader(r);
	return rc;
}

enum sheet_status sheet_read_xlsx(const void *data, size_t len, sheet *out, sheet_info *info)
{
	memset(out, 0, sizeof *out);
	memset(info, 0, sizeof *info);
	info->encoding = "UTF-8";
	if (len > SHEET_BYTES_MAX)
		return info->status = SHEET_TOO_BIG;
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
	zip_t *z = src != NULL ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
	if (z == NULL) {
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&err);
		return info->status = SHEET_MALFORMED;
	}
	strings shared = {0};
	buf_t part = BUF_INIT;
	char path[256];
	int rc = read_member(z, "xl/sharedStrings.xml", &part);
	if (rc == SHEET_MALFORMED && zip_name_locate(z, "xl/sharedStrings.xml", 0) < 0)
		rc = SHEET_OK;   /* a sheet of numbers has none */
	else if (rc == SHEET_OK)
		rc = read_strings(&part, &shared);
	if (rc == SHEET_OK) {
		first_sheet_path(z, path, sizeof path);
		buf_clear(&part);
		rc = read_member(z, path, &part);
	}
	if (rc == SHEET_OK)
		rc = read_worksheet(&part, &shared, out);
	buf_free(&part);
	strings_free(&shared);
	zip_discard(z);
	zip_error_fini(&err);
	if (rc != SHEET_OK)
		sheet_free(out);
	return info->status = (enum sheet_status)rc;
}
