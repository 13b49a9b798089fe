/*
 * fuzz_media.c - what the media library reads from an uploaded file before
 * anything decodes it: the image header (media_image_size) and the
 * structure walk that refuses truncated files, polyglots and markup in
 * metadata (media_check_structure), for each of the three upload types;
 * and the library's paging cursor from the query string.
 * The first byte picks the type; the rest is the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const mimes[] = {"image/jpeg", "image/png", "image/webp", "image/gif"};
	if (size < 1 || size > 1 << 20)
		return 0;
	const char *mime = mimes[data[0] % 4];
	/* A copy of exactly size-1 bytes, so ASan sees any read past the end. */
	size_t len = size - 1;
	unsigned char *buf = malloc(len > 0 ? len : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	int w = 0, h = 0;
	if (media_image_size(buf, len, mime, &w, &h) == 0 && (w <= 0 || h <= 0))
		abort();
	char why[256];
	why[0] = '\0';
	if (media_check_structure(buf, len, mime, why, sizeof why) != 0 && why[0] == '\0')
		abort(); /* a refusal always says why */
	free(buf);

	char s[64];
	size_t n = len < sizeof s - 1 ? len : sizeof s - 1;
	memcpy(s, data + 1, n);
	s[n] = '\0';
	media_cursor c;
	if (media_cursor_parse(s, &c) == 0) {
		char again[48];
		media_cursor_encode(&c, again, sizeof again);
		media_cursor d;
		if (media_cursor_parse(again, &d) != 0 || d.id != c.id || d.created_at != c.created_at)
			abort();
	}
	return 0;
}
