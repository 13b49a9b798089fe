/*
 * search_private.h - what search.c and search_snippet.c share; not for
 * other modules.
 */
#ifndef SEN_MODEL_SEARCH_PRIVATE_H
#define SEN_MODEL_SEARCH_PRIVATE_H

/* The markers the statements of search.c ask snippet() and highlight() to
 * put around matches, and search_marked_html() turns into <mark>. */
#define SEARCH_MARK_OPEN '\x01'
#define SEARCH_MARK_CLOSE '\x02'

#endif
