/*
 * tmpl.h - Mustache templates, compiled once, rendered many times.
 *
 * Implements the Mustache spec (v1.3: comments, delimiters, interpolation,
 * inverted, partials, sections, plus ~inheritance and ~dynamic-names).
 * Lambdas are not supported. The data context is a jansson json_t tree.
 *
 * {{name}} escapes & < > " ' ; {{{name}}} and {{&name}} do not. Use the raw
 * forms only for HTML the program produced itself.
 *
 * A tmpl_set is a named collection of compiled templates. Partials
 * ({{>name}}) and parents ({{<name}}) are looked up by name in the same set
 * at render time; a missing partial renders as nothing (as the spec says).
 * After loading, a set is read-only and may be rendered from many threads
 * at once.
 */
#ifndef SEN_RENDER_TMPL_H
#define SEN_RENDER_TMPL_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

typedef struct tmpl_set tmpl_set;

/*
 * Limits. A template source larger than TMPL_MAX_SOURCE bytes is refused at
 * compile time, as is a name longer than TMPL_MAX_NAME bytes. At render time
 * partials, parents and block substitutions may nest TMPL_MAX_DEPTH deep;
 * deeper (runaway recursion) makes tmpl_render() fail. One render also gives
 * up after TMPL_MAX_STEPS node visits, so nested sections over large lists
 * cannot spin for minutes.
 */
#define TMPL_MAX_SOURCE (2u << 20)
#define TMPL_MAX_NAME 255
#define TMPL_MAX_DEPTH 64
#define TMPL_MAX_STEPS (1ul << 24)

/* New empty set; free with tmpl_set_free(), which frees every template in
 * it. NULL when out of memory. */
tmpl_set *tmpl_set_new(void);
void tmpl_set_free(tmpl_set *set);

/*
 * Compiles `src` (len bytes, need not be NUL-terminated; the set keeps its
 * own copy) and stores it under `name` (1..TMPL_MAX_NAME bytes), replacing
 * any template of that name. Not safe while other threads render from the
 * set. On a syntax error returns -1, leaves the set unchanged and writes
 * "NAME:LINE: message" into err (errlen bytes, always NUL-terminated),
 * e.g. "article:12: unclosed section 'items'"; with err NULL the message
 * is logged instead. Messages: unclosed section/block/parent 'x', closing
 * tag 'x' does not match section 'y' opened on line N, unexpected closing
 * tag 'x', unclosed tag, bad delimiters, empty tag, bad tag name (names
 * hold no whitespace), bad dotted name ("a..b"), sections nested deeper
 * than 100.
 */
int tmpl_set_add(tmpl_set *set, const char *name, const char *src, size_t len,
		 char *err, size_t errlen);

/*
 * Compiles every *.mustache file below `dir` (recursively). The name of a
 * template is its path relative to dir without the extension, with '/'
 * separators ("layout", "partials/header"). Files and folders whose name
 * starts with '.' are skipped; symbolic links are followed (16 levels at
 * most). Returns -1 on the first file that cannot be read or compiled,
 * with the message in err ("DIR/partials/header.mustache:3: ..."); the
 * templates loaded before it stay in the set.
 */
int tmpl_set_load_dir(tmpl_set *set, const char *dir, char *err, size_t errlen);

/* Number of templates in the set. */
size_t tmpl_set_count(const tmpl_set *set);

/* 1 if a template of that name exists. */
int tmpl_set_has(const tmpl_set *set, const char *name);

/*
 * Renders template `name` with `data` as the root context, appending to out.
 * Returns 0, or -1 if the template does not exist, the output buffer fails,
 * or partial/parent nesting exceeds a fixed depth (a recursion guard).
 * `data` is borrowed (NULL renders like an empty object). On failure `out`
 * is cut back to its length before the call (its `failed` flag stays set
 * if the buffer itself failed).
 *
 * Sections are falsey for: a missing name, null, false, an empty array and
 * the empty string "" (as in mustache.js); numbers (0 included) are truthy.
 * Integers print without decimals, reals in their shortest round-trip form
 * (1.21 -> "1.21"), true/false as words; null, objects and arrays as nothing.
 */
int tmpl_render(const tmpl_set *set, const char *name, json_t *data, buf_t *out);

#endif
