/*
 * fuzz_oai.c - what OAI-PMH reads from a harvester before any query runs:
 * resumption tokens (oai_token_decode, a fixed key), set names
 * (oai_set_parse), and the XML writer's escaping of any bytes.
 * A token that decodes must encode to one that decodes to the same
 * position; escaped text must hold no markup character, no control
 * character XML refuses, and only UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xml.h"
#include "fuzz_input.h"
#include "model/oai.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size, 4096);
	if (s == NULL)
		return 0;
	static const unsigned char key[OAI_KEY_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
	oai_position p, back;
	if (oai_token_decode(key, s, 0, &p) != 1) {
		char again[OAI_TOKEN_TEXT_MAX];
		if (strlen(p.set) > OAI_SET_MAX || oai_token_encode(key, &p, again) != 0 ||
		    oai_token_decode(key, again, 0, &back) == 1 || memcmp(&p, &back, sizeof p) != 0)
			abort();
	}
	oai_set_ref ref;
	if (oai_set_parse(s, &ref) == 0 && ref.kind == OAI_SET_EXHIBITION && ref.exhibition_id < 1)
		abort();
	buf_t b = BUF_INIT;
	if (xml_escape(&b, (const char *)data, size, true) == 0 && b.len > 0) {
		for (size_t i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.data[i];
			if (c == '<' || c == '>' || c == '"' || c < 0x20)
				abort();
		}
		if (!utf8_valid(b.data, b.len))
			abort();
	}
	buf_free(&b);
	free(s);
	return 0;
}
