/*
 * fuzz_text.c - text_fold, text_normalize, text_slug and the UTF-8 helpers
 * on arbitrary bytes.
 *
 * Invariants checked (abort on violation, so libFuzzer reports it):
 *  - valid UTF-8 in: fold and normalize succeed, their output is valid UTF-8;
 *    invalid in: both return -1 and leave the buffer as it was;
 *  - fold is idempotent, normalize is idempotent, and folding does not care
 *    about tone placement: fold(normalize(x)) == fold(x);
 *  - a slug is [a-z0-9-]* of at most 80 bytes, without leading, trailing
 *    or doubled '-', and its length is what text_slug returned;
 *  - utf8_cut never cuts inside a sequence of valid text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void check_slug(const char *s, size_t len, size_t outlen)
{
	char out[128];
	size_t n = text_slug(s, len, out, outlen);
	if (outlen == 0)
		return;
	CHECK(n == strlen(out));
	CHECK(n < outlen && n <= 80);
	CHECK(strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789-") == n);
	if (n > 0) {
		CHECK(out[0] != '-' && out[n - 1] != '-');
		CHECK(strstr(out, "--") == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	bool valid = utf8_valid(s, size);
	buf_t fold = BUF_INIT, norm = BUF_INIT, again = BUF_INIT;

	/* A prefix in the buffer must survive a failure untouched. */
	buf_puts(&fold, "p:");
	int rc = text_fold(s, size, &fold);
	CHECK(rc == (valid ? 0 : -1));
	if (!valid) {
		CHECK(fold.len == 2 && strcmp(fold.data, "p:") == 0);
	} else {
		CHECK(utf8_valid(fold.data + 2, fold.len - 2));
		CHECK(text_fold(fold.data + 2, fold.len - 2, &again) == 0);
		CHECK(again.len == fold.len - 2 && memcmp(again.data, fold.data + 2, again.len) == 0);
	}

	rc = text_normalize(s, size, &norm);
	CHECK(rc == (valid ? 0 : -1));
	if (valid) {
		CHECK(utf8_valid(norm.data, norm.len));
		buf_clear(&again);
		CHECK(text_normalize(norm.data, norm.len, &again) == 0);
		CHECK(again.len == norm.len && memcmp(again.data, norm.data, norm.len) == 0);
		buf_clear(&again);
		CHECK(text_fold(norm.data, norm.len, &again) == 0);
		CHECK(again.len == fold.len - 2 && memcmp(again.data, fold.data + 2, again.len) == 0);
	} else {
		CHECK(norm.len == 0);
	}

	check_slug(s, size, 128);
	check_slug(s, size, 7);
	check_slug(s, size, 1);
	check_slug(s, size, 0);

	size_t max = size ? data[0] % (size + 1) : 0;
	size_t cut = utf8_cut(s, size, max);
	CHECK(cut <= max || (max >= size && cut == size));
	if (valid) {
		CHECK(utf8_valid(s, cut));
		size_t n = 0;
		for (size_t i = 0; i < size; i++)
			n += (data[i] & 0xC0) != 0x80;
		CHECK(utf8_length(s, size) == n);
	}

	buf_free(&fold);
	buf_free(&norm);
	buf_free(&again);
	return 0;
}
