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

/* New empty set; free with tmpl_set_free(). NULL when out of memory. */
tmpl_set *tmpl_set_new(void);
void tmpl_set_free(tmpl_set *set);

/*
 * Compiles `src` (len bytes, need not be NUL-terminated) and stores it under
 * `name`, replacing any template of that name. On a syntax error returns -1
 * and writes "NAME:LINE: message" into err (errlen bytes, always
 * NUL-terminated), e.g. "article:12: unclosed section 'items'".
 */
int tmpl_set_add(tmpl_set *set, const char *name, const char *src, size_t len,
		 char *err, size_t errlen);

/*
 * Compiles every *.mustache file below `dir` (recursively). The name of a
 * template is its path relative to dir without the extension, with '/'
 * separators ("layout", "partials/header"). Returns -1 on the first file
 * that cannot be read or compiled, with the message in err
 * ("DIR/partials/header.mustache:3: ...").
 */
int tmpl_set_load_dir(tmpl_set *set, const char *dir, char *err, size_t errlen);

/* 1 if a template of that name exists. */
int tmpl_set_has(const tmpl_set *set, const char *name);

/*
 * Renders template `name` with `data` as the root context, appending to out.
 * Returns 0, or -1 if the template does not exist, the output buffer fails,
 * or partial/parent nesting exceeds a fixed depth (a recursion guard).
 * `data` is borrowed.
 */
int tmpl_render(const tmpl_set *set, const char *name, json_t *data, buf_t *out);

#endif
