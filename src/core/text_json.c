/*
 * text_json.c - string values of parsed JSON brought to NFC (text_json.h).
 *
 * jansson has already refused invalid UTF-8 and NUL inside strings, so
 * text_nfc() fails here only when memory runs out. Strings that are
 * already NFC (all ASCII ones, and nearly all others) are not copied.
 * Nesting is bounded by jansson's parser (JSON_PARSER_MAX_DEPTH), which
 * bounds the recursion.
 */
#include "core/text_json.h"

#include <string.h>

#include "core/buf.h"
#include "core/text.h"

static int string_nfc(json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	size_t i = 0;
	while (i < len && (unsigned char)s[i] < 0x80)
		i++;
	if (i == len)
		return 0;
	buf_t b = BUF_INIT;
	int rc = -1;
	if (text_nfc(s, len, &b) != 0 || b.failed)
		goto out;
	rc = 0;
	if (b.len != len || memcmp(b.data, s, len) != 0)
		rc = json_string_setn(v, b.data, b.len);
out:
	buf_free(&b);
	return rc;
}

int text_json_nfc(json_t *v)
{
	if (json_is_string(v))
		return string_nfc(v);
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
			if (text_json_nfc(item) != 0)
				return -1;
	} else if (json_is_object(v)) {
		const char *key;
		json_t *item;
		json_object_foreach(v, key, item)
			if (text_json_nfc(item) != 0)
				return -1;
	}
	return 0;
}
