/*
 * fuzz_markdown.c - markdown_to_html() and markdown_to_text() on any bytes.
 *
 * Both must return 0 or -1 without crashing, leaking or writing past a
 * limit; the text form must respect max_bytes and stay valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/log.h"
#include "fuzz_input.h"
#include "core/text.h"
#include "render/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INITIALIZE_QUIET

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *md = (const char *)data;
	buf_t html = BUF_INIT, text = BUF_INIT;

	int rc = markdown_to_html(md, size, &html);
	if (rc == 0 && !utf8_valid(html.data, html.len))
		abort();
	/* The summary length comes from the input so short and long cuts both
	 * get exercised. */
	size_t max = size > 0 ? (size_t)data[0] * 3 : 0;
	if (markdown_to_text(md, size, max, &text) == 0) {
		if (text.len > max || (text.len > 0 && !utf8_valid(text.data, text.len)))
			abort();
	}
	buf_free(&html);
	buf_free(&text);
	return 0;
}
