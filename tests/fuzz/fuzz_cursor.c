/*
 * fuzz_cursor.c - the inputs the model layer takes straight from a request:
 * listing cursors from the query string and link URLs/titles from the back
 * office.
 * Whatever article_cursor_decode() accepts must be canonical: encoding the
 * result gives back the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "model/article.h"
#include "model/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size, 4096);
	if (s == NULL)
		return 0;

	article_cursor c;
	if (article_cursor_decode(s, &c) == 0) {
		char text[48];
		if (c.published_at < 0 || c.id < 1)
			abort();
		article_cursor_encode(&c, text, sizeof text);
		if (strcmp(text, s) != 0)
			abort();
	}

	/* The first line is the title, the rest the URL. */
	model_problem why;
	char *nl = strchr(s, '\n');
	const char *title = s, *url = "";
	if (nl != NULL) {
		*nl = '\0';
		url = nl + 1;
	}
	if (link_validate(title, url, &why) != 0 && (why.code == LINK_OK || why.field == NULL))
		abort();
	free(s);
	return 0;
}
