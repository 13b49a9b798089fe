/*
 * i18n.c - a small .po reader and the two catalogs.
 */
#include "render/i18n.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/text.h"

static json_t *catalogs[2];

enum field { F_NONE, F_CTXT, F_ID, F_STR };

/* Appends the contents of one quoted .po string ("...") at s to out.
 * Returns a pointer past the closing quote, or NULL on a syntax error. */
static const char *read_quoted(const char *s, const char *end, buf_t *out)
{
	if (s >= end || *s != '"')
		return NULL;
	for (s++; s < end; s++) {
		char c = *s;
		if (c == '"')
			return s + 1;
		if (c == '\\') {
			if (++s >= end)
				return NULL;
			switch (*s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return NULL;
			}
		} else if (c == '\n' || c == '\0') {
			return NULL;
		}
		if (buf_putc(out, c) != 0)
			return NULL;
	}
	return NULL;
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s;
}

/* True when the line [p, eol) starts with keyword kw. The input need not be
 * NUL-terminated, so the length is checked before comparing. */
static int starts_with(const char *p, const char *eol, const char *kw)
{
	size_t n = strlen(kw);
	return (size_t)(eol - p) >= n && memcmp(p, kw, n) == 0;
}

static int store(json_t *obj, buf_t *id, buf_t *str)
{
	/* The header entry (empty msgid) and untranslated entries add nothing. */
	if (id->len == 0 || str->len == 0)
		return 0;
	return json_object_set_new(obj, id->data, json_stringn(str->data, str->len));
}

json_t *i18n_parse_po(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	buf_t id = BUF_INIT, str = BUF_INIT, ignored = BUF_INIT;
	json_t *obj = json_object();
	const char *s = text, *end = text + len;
	enum field field = F_NONE;
	int line = 0;
	const char *why = NULL;

	if (obj == NULL)
		goto fail;
	if (len > I18N_MAX_FILE) {
		why = "file too large";
		goto fail;
	}
	if (!utf8_valid(text, len)) {
		why = "not valid UTF-8 (or has a NUL byte)";
		goto fail;
	}
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		if (eol == NULL)
			eol = end;
		line++;
		const char *p = skip_space(s, eol);
		if (p == eol || *p == '#') {
			/* blank line or comment */
		} else if (*p == '"') {
			buf_t *target = field == F_ID ? &id : field == F_STR ? &str : &ignored;
			if (field == F_NONE) {
				why = "string outside an entry";
				goto fail;
			}
			p = read_quoted(p, eol, target);
			if (p == NULL || skip_space(p, eol) != eol) {
				why = "malformed string";
				goto fail;
			}
		} else {
			enum field next;
			size_t kw;
			if (starts_with(p, eol, "msgctxt")) {
				next = F_CTXT;
				kw = 7;
			} else if (starts_with(p, eol, "msgid_plural")) {
				why = "plural forms are not used by Sen";
				goto fail;
			} else if (starts_with(p, eol, "msgid")) {
				next = F_ID;
				kw = 5;
			} else if (starts_with(p, eol, "msgstr")) {
				next = F_STR;
				kw = 6;
			} else {
				why = "expected msgid, msgstr, msgctxt, a string or a comment";
				goto fail;
			}
			if (next == F_ID || next == F_CTXT) {
				/* A new entry begins: keep the finished one. */
				if (field == F_STR && store(obj, &id, &str) != 0)
					goto fail;
				if (field == F_STR || field == F_NONE) {
					buf_clear(&id);
					buf_clear(&str);
				}
			} else if (field != F_ID) {
				why = "msgstr without msgid";
				goto fail;
			}
			field = next;
			buf_clear(&ignored);
			buf_t *target = field == F_ID ? &id : field == F_STR ? &str : &ignored;
			p = skip_space(p + kw, eol);
			p = read_quoted(p, eol, target);
			if (p == NULL || skip_space(p, eol) != eol) {
				why = "malformed string";
				goto fail;
			}
		}
		s = eol < end ? eol + 1 : end;
	}
	if (field == F_ID || field == F_CTXT) {
		why = "msgid without msgstr at end of file";
		goto fail;
	}
	if (field == F_STR && store(obj, &id, &str) != 0)
		goto fail;
	buf_free(&id);
	buf_free(&str);
	buf_free(&ignored);
	return obj;
fail:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s:%d: %s", name, line, why ? why : "out of memory");
	buf_free(&id);
	buf_free(&str);
	buf_free(&ignored);
	json_decref(obj);
	return NULL;
}

static json_t *load_file(const char *dir, const char *lang, char *err, size_t errlen)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s.po", dir, lang);
	if (n < 0 || (size_t)n >= sizeof path) {
		snprintf(err, errlen, "%s: path too long", dir);
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	buf_t text = BUF_INIT;
	text.cap = I18N_MAX_FILE;
	char chunk[8192];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&text, chunk, got) != 0)
			break;
	int bad = ferror(f) || text.failed;
	fclose(f);
	json_t *obj = NULL;
	if (bad)
		snprintf(err, errlen, "%s: cannot read (or larger than %d bytes)", path, I18N_MAX_FILE);
	else
		obj = i18n_parse_po(path, text.data ? text.data : "", text.len, err, errlen);
	buf_free(&text);
	return obj;
}

/* Adds every entry of part to whole; a key defined twice is an error, so
 * two parts of the interface cannot silently fight over one message. */
static int merge_part(json_t *whole, json_t *part, const char *name, char *err, size_t errlen)
{
	const char *key;
	json_t *value;
	json_object_foreach(part, key, value) {
		if (key[0] == '\0')
			continue; /* the header entry: each file has its own */
		if (json_object_get(whole, key) != NULL) {
			snprintf(err, errlen, "%s: key \"%s\" is already defined in another catalog",
				 name, key);
			return -1;
		}
		if (json_object_set(whole, key, value) != 0) {
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The part folders of dir (names of letters, digits, '_' and '-'), sorted
 * so the load order, and so any error, is the same on every machine. */
static int list_parts(const char *dir, char ***out, size_t *n, char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: cannot open", dir);
		return -1;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		const char *nm = e->d_name;
		size_t len = strlen(nm);
		if (len == 0 || len > 64 || nm[0] == '.' || strspn(nm, "abcdefghijklmnopqrstuvwxyz"
							      "0123456789_-") != len)
			continue;
		char path[4096];
		struct stat st;
		if (snprintf(path, sizeof path, "%s/%s", dir, nm) >= (int)sizeof path ||
		    stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **grown = realloc(names, ncap * sizeof *names);
			if (grown == NULL) {
				rc = -1;
				break;
			}
			names = grown;
			cap = ncap;
		}
		if ((names[count] = strdup(nm)) == NULL) {
			rc = -1;
			break;
		}
		count++;
	}
	closedir(d);
	if (rc != 0) {
		snprintf(err, errlen, "%s: out of memory", dir);
		for (size_t i = 0; i < count; i++)
			free(names[i]);
		free(names);
		return -1;
	}
	if (count > 1)
		qsort(names, count, sizeof *names, by_name);
	*out = names;
	*n = count;
	return 0;
}

int i18n_load(const char *dir, char *err, size_t errlen)
{
	json_t *vi = load_file(dir, "vi", err, errlen);
	if (vi == NULL)
		return -1;
	json_t *en = load_file(dir, "en", err, errlen);
	if (en == NULL) {
		json_decref(vi);
		return -1;
	}
	/* Each part of the interface (the back office's editor, media, ...)
	 * may keep its own pair of catalogs in a folder: DIR/PART/vi.po and
	 * DIR/PART/en.po. They are merged into the two catalogs. */
	char **parts = NULL;
	size_t nparts = 0;
	if (list_parts(dir, &parts, &nparts, err, errlen) != 0)
		goto fail;
	int rc = 0;
	for (size_t i = 0; i < nparts; i++) {
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", dir, parts[i]);
		for (int l = 0; l < 2 && rc == 0; l++) {
			json_t *part = load_file(sub, l == 0 ? "vi" : "en", err, errlen);
			if (part == NULL) {
				rc = -1;
				break;
			}
			char name[4200];
			snprintf(name, sizeof name, "%s/%s.po", sub, l == 0 ? "vi" : "en");
			rc = merge_part(l == 0 ? vi : en, part, name, err, errlen);
			json_decref(part);
		}
		free(parts[i]);
	}
	free(parts);
	if (rc != 0)
		goto fail;
	/* English falls back to Vietnamese key by key, so a page is never half
	 * blank while a translation is missing. */
	const char *key;
	json_t *value;
	json_object_foreach(vi, key, value) {
		if (json_object_get(en, key) == NULL)
			json_object_set(en, key, value);
	}
	i18n_free();
	catalogs[LANG_VI] = vi;
	catalogs[LANG_EN] = en;
	return 0;
fail:
	json_decref(vi);
	json_decref(en);
	return -1;
}

json_t *i18n_catalog(lang_t lang)
{
	if (catalogs[LANG_VI] == NULL)
		catalogs[LANG_VI] = json_object();
	json_t *c = catalogs[lang == LANG_EN ? LANG_EN : LANG_VI];
	return c != NULL ? c : catalogs[LANG_VI];
}

const char *i18n_text(lang_t lang, const char *key)
{
	const char *s = json_string_value(json_object_get(i18n_catalog(lang), key));
	return s != NULL ? s : key;
}

const char *i18n_fill(arena_t *a, lang_t lang, const char *key, int64_t limit, int64_t count,
		      int64_t item)
{
	static const char *const names[] = {"{limit}", "{count}", "{item}"};
	const int64_t values[] = {limit, count, item};
	const char *msg = i18n_text(lang, key);
	if (strchr(msg, '{') == NULL)
		return msg;
	buf_t out = BUF_INIT;
	const char *result = msg;
	for (const char *p = msg; *p != '\0';) {
		size_t i = 0;
		while (i < 3 && strncmp(p, names[i], strlen(names[i])) != 0)
			i++;
		if (i == 3) {
			if (buf_putc(&out, *p++) != 0)
				goto done;
			continue;
		}
		char num[32];
		fmt_int(num, sizeof num, values[i], lang);
		if (buf_append(&out, num, strlen(num)) != 0)
			goto done;
		p += strlen(names[i]);
	}
	char *copy = arena_strndup(a, out.data != NULL ? out.data : "", out.len);
	if (copy != NULL)
		result = copy;
done:
	buf_free(&out);
	return result;
}

void i18n_free(void)
{
	json_decref(catalogs[LANG_VI]);
	json_decref(catalogs[LANG_EN]);
	catalogs[LANG_VI] = catalogs[LANG_EN] = NULL;
}
