/*
 * fuzz_tmpl.c - compiles and renders arbitrary Mustache templates.
 *
 * Input: template text, a NUL byte, then a JSON document used as the data.
 * Without a NUL byte the whole input is the template and a fixed document
 * (strings, numbers, lists, nested objects) is the data, so hand-written
 * corpus files need no binary separator. The template is stored under two
 * names ("main" and "p") so {{>p}}, {{<p}} and dynamic names that resolve
 * to "p" reach a real template, including recursion.
 */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "render/tmpl.h"

#define MAX_INPUT (64 * 1024)

static const char default_data[] =
	"{\"a\": \"<b>&'\\\"\", \"n\": 85, \"r\": 1.21, \"t\": true, \"f\": false,"
	" \"z\": null, \"e\": \"\", \"p\": \"p\", \"main\": \"main\","
	" \"l\": [1, \"two\", {\"a\": \"x\", \"l\": []}, [3, 4]],"
	" \"o\": {\"a\": {\"b\": {\"c\": \"deep\"}}, \"p\": \"p\"}}";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Failing renders (recursion, limits) log; keep the fuzzer's output clean. */
	log_set_level((enum log_level)(LOG_ERROR + 1));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	const char *src = (const char *)data;
	const uint8_t *nul = memchr(data, 0, size);
	size_t src_len = nul ? (size_t)(nul - data) : size;

	json_t *root = NULL;
	if (nul != NULL)
		root = json_loadb((const char *)nul + 1, size - src_len - 1,
				  JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	else
		root = json_loads(default_data, 0, NULL);

	tmpl_set *set = tmpl_set_new();
	char err[256];
	if (set != NULL && tmpl_set_add(set, "main", src, src_len, err, sizeof err) == 0 &&
	    tmpl_set_add(set, "p", src, src_len, err, sizeof err) == 0) {
		buf_t out = BUF_INIT;
		out.cap = 1 << 20;
		(void)tmpl_render(set, "main", root, &out);
		buf_free(&out);
	}
	tmpl_set_free(set);
	json_decref(root);
	return 0;
}
