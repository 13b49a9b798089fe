/*
 * media_private.h - what media_format.c, media_store.c and media.c share;
 * not for other modules (they use media.h).
 */
#ifndef SEN_MODEL_MEDIA_PRIVATE_H
#define SEN_MODEL_MEDIA_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "model/media_format.h"

/* media_format.c: reads the whole file (a regular file of
 * 1..MEDIA_MAX_BYTES bytes) into *data, a malloc'ed copy the caller frees.
 * 0, or -1 with why. */
int media_read_source(const char *path, unsigned char **data, size_t *len, char *why,
		      size_t whylen);

/* media_format.c: checks bytes already in memory: accepted type, readable
 * header, pixel cap, and with upload the stricter rules of
 * media_check_upload(). 0 and *info, or -1 with why. */
int media_check_bytes(const unsigned char *data, size_t len, bool upload, media_info *info,
		      char *why, size_t whylen);

/* media_store.c: the search key of a picture (the `search` column,
 * 006_media.sql): alt, credit and original name folded, at most 2000
 * bytes, appended to out (the caller frees it with buf_free()). 0 or -1. */
int media_search_key(const char *alt, const char *credit, const char *name, buf_t *out);

/* media_store.c: true when s is NULL, or UTF-8 of at most max bytes. */
bool media_text_ok(const char *s, size_t max);

#endif
