/*
 * i18n.h - interface text from gettext .po catalogs (locale/vi.po, en.po).
 *
 * Templates never hold interface text: they say {{t.nav_home}}, and the
 * page context carries `t`, the catalog of the reader's language. A catalog
 * is an ordinary .po file (msgid = the key, msgstr = the text), so
 * translators use the tools they know (Poedit, Weblate, msgfmt --check).
 * Keys missing from a language fall back to Vietnamese, the site's first
 * language, and then to the key itself.
 *
 * Catalogs are loaded once at start-up and are read-only afterwards.
 */
#ifndef SEN_RENDER_I18N_H
#define SEN_RENDER_I18N_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/fmt.h"

#define I18N_MAX_FILE (1024 * 1024)

/*
 * Parses .po text into a new JSON object {msgid: msgstr}. Supports comments,
 * msgctxt (ignored), multi-line strings and the C escapes \" \\ \n \t.
 * Entries with an empty msgstr are skipped (untranslated). On error returns
 * NULL and "NAME:LINE: reason" in err. The caller owns the object.
 */
json_t *i18n_parse_po(const char *name, const char *text, size_t len, char *err, size_t errlen);

/* Loads DIR/vi.po and DIR/en.po (both required), and merges the pair
 * DIR/PART/vi.po, DIR/PART/en.po of every part folder (a key defined in two
 * catalogs of one language is an error). 0, or -1 with err. */
int i18n_load(const char *dir, char *err, size_t errlen);

/* The catalog of a language (borrowed; never NULL after i18n_load). */
json_t *i18n_catalog(lang_t lang);

/* One message (borrowed), with the fallbacks described above. */
const char *i18n_text(lang_t lang, const char *key);

/*
 * One message with its numbers: {limit}, {count} and {item} in the text
 * become limit, count and item, written the reader's way (4.000, 4,000).
 * For the refusals of models (model/problem.h), whose numbers travel with
 * the code. The result is in the arena, or the message itself when it has
 * nothing to fill or memory runs out.
 */
const char *i18n_fill(arena_t *a, lang_t lang, const char *key, int64_t limit, int64_t count,
		      int64_t item);

/* Frees the catalogs. */
void i18n_free(void);

#endif
