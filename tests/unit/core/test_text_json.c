/*
 * test_text_json.c - string values of parsed JSON brought to NFC
 * (src/core/text_json.c): at any depth, keys left alone, NFC strings not
 * replaced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text_json.h"

/* "Điện" in NFD: D-stroke, i, e + circumflex + dot below, n. */
#define DIEN_NFD "\xC4\x90i\x65\xCC\x82\xCC\xA3n"
#define DIEN_NFC "\xC4\x90i\xE1\xBB\x87n"

static void test_values_at_any_depth(void **state)
{
	(void)state;
	json_error_t err;
	const char *text = "{\"title\": \"" DIEN_NFD "\", \"n\": 3, \"ok\": true, \"none\": null,"
			   " \"tags\": [\"" DIEN_NFD "\", \"ascii\", [\"e\\u0301\"]],"
			   " \"" DIEN_NFD "\": {\"caption\": \"x " DIEN_NFD "\"}}";
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	assert_non_null(o);
	json_t *ascii = json_array_get(json_object_get(o, "tags"), 1);
	const char *ascii_before = json_string_value(ascii);
	assert_int_equal(text_json_nfc(o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "title")), DIEN_NFC);
	json_t *tags = json_object_get(o, "tags");
	assert_string_equal(json_string_value(json_array_get(tags, 0)), DIEN_NFC);
	/* A string already NFC is not replaced. */
	assert_ptr_equal(json_string_value(ascii), ascii_before);
	/* An escape is text like any other. */
	assert_string_equal(json_string_value(json_array_get(json_array_get(tags, 2), 0)), "é");
	/* Keys name fields: left as sent; their values are text. */
	json_t *inner = json_object_get(o, DIEN_NFD);
	assert_non_null(inner);
	assert_string_equal(json_string_value(json_object_get(inner, "caption")), "x " DIEN_NFC);
	assert_int_equal(json_integer_value(json_object_get(o, "n")), 3);
	assert_true(json_is_true(json_object_get(o, "ok")));
	json_decref(o);
}

static void test_lone_values(void **state)
{
	(void)state;
	assert_int_equal(text_json_nfc(NULL), 0);
	json_t *s = json_string(DIEN_NFD);
	assert_non_null(s);
	assert_int_equal(text_json_nfc(s), 0);
	assert_string_equal(json_string_value(s), DIEN_NFC);
	assert_int_equal(json_string_length(s), strlen(DIEN_NFC));
	json_decref(s);
	json_t *n = json_integer(7);
	assert_int_equal(text_json_nfc(n), 0);
	json_decref(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_at_any_depth),
		cmocka_unit_test(test_lone_values),
	};
	return cmocka_run_group_tests_name("text_json", tests, NULL, NULL);
}
