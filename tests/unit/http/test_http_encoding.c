/*
 * test_http_encoding.c - Content-Encoding (src/http/encoding.c): which coding
 * an Accept-Encoding header chooses, which types and sizes are compressed,
 * the entity tag of a coded body, compress/decompress round trips, and
 * zlib streams kept per thread.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <cmocka.h>
#include <zlib.h>

#include "http/http_private.h"

static void test_accept_encoding(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		http_coding want;
	} cases[] = {
	    {NULL, HTTP_CODING_IDENTITY},
	    {"", HTTP_CODING_IDENTITY},
	    {"identity", HTTP_CODING_IDENTITY},
	    {"gzip", HTTP_CODING_GZIP},
	    {"x-gzip", HTTP_CODING_GZIP},
	    {"br", HTTP_CODING_BR},
	    {"gzip, deflate, br", HTTP_CODING_BR},        /* brotli preferred */
	    {"gzip, deflate, br, zstd", HTTP_CODING_BR},
	    {"deflate", HTTP_CODING_IDENTITY},            /* not offered */
	    {"BR", HTTP_CODING_BR},                       /* no regard to case */
	    {"GZip;Q=1", HTTP_CODING_GZIP},
	    {"br;q=0, gzip", HTTP_CODING_GZIP},           /* q=0: not acceptable */
	    {"br;q=0.0, gzip;q=0", HTTP_CODING_IDENTITY},
	    {"gzip;q=0.5, br;q=0.4", HTTP_CODING_GZIP},   /* weights count */
	    {"gzip;q=0.5, br;q=0.5", HTTP_CODING_BR},     /* a tie: brotli */
	    {"*", HTTP_CODING_BR},
	    {"*;q=0", HTTP_CODING_IDENTITY},
	    {"gzip, *;q=0", HTTP_CODING_GZIP},
	    {"br;q=0, *", HTTP_CODING_GZIP},              /* named beats "*" */
	    {"br ; q=0.001", HTTP_CODING_BR},
	    {"br;q=1.0001", HTTP_CODING_IDENTITY},        /* malformed: ignored */
	    {"br;q=2, gzip", HTTP_CODING_GZIP},
	    {"br;q=, gzip;q=0.1", HTTP_CODING_GZIP},
	    {"br;q=abc", HTTP_CODING_IDENTITY},
	    {"br;level=5", HTTP_CODING_BR},               /* other parameters */
	    {",,, ,gzip,,", HTTP_CODING_GZIP},
	    {"gzip;q=0, gzip;q=1", HTTP_CODING_GZIP},     /* the highest counts */
	    {"brotli, gzipx, xgzip", HTTP_CODING_IDENTITY},
	    {"\tbr\t;\tq=0.9", HTTP_CODING_BR},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		http_coding got = http_accept_encoding(cases[i].header);
		if (got != cases[i].want)
			fail_msg("Accept-Encoding \"%s\": %s, want %s",
				 cases[i].header ? cases[i].header : "(none)", http_coding_name(got),
				 http_coding_name(cases[i].want));
	}
}

static void test_types_and_sizes(void **state)
{
	(void)state;
	static const char *const yes[] = {
	    NULL, "text/html; charset=utf-8", "text/css", "text/javascript; charset=utf-8",
	    "application/javascript", "image/svg+xml; charset=utf-8", "application/json",
	    "application/rss+xml", "application/atom+xml", "application/feed+json",
	    "application/xml; charset=utf-8", "text/xml", "text/plain", "text/csv",
	    "application/ld+json",
	};
	static const char *const no[] = {
	    "image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf",
	    "application/zip", "application/octet-stream", "font/woff2",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "image/x-icon", "application/gzip", "video/mp4",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!http_compressible_type(yes[i]))
			fail_msg("%s should be compressed", yes[i] ? yes[i] : "(default)");
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (http_compressible_type(no[i]))
			fail_msg("%s should not be compressed", no[i]);
	assert_false(http_compressible_size(0));
	assert_false(http_compressible_size(100));
	assert_true(http_compressible_size(2000));
	assert_false(http_compressible_size((uint64_t)HTTP_COMPRESS_MAX_BYTES + 1));
}

static void test_etags(void **state)
{
	(void)state;
	arena_t *a = arena_new(1024);
	assert_non_null(a);
	assert_string_equal(http_coding_etag(a, "\"abc\"", HTTP_CODING_BR), "\"abc-br\"");
	assert_string_equal(http_coding_etag(a, "\"abc\"", HTTP_CODING_GZIP), "\"abc-gz\"");
	assert_string_equal(http_coding_etag(a, "W/\"abc\"", HTTP_CODING_GZIP), "W/\"abc-gz\"");
	assert_string_equal(http_coding_etag(a, "\"abc\"", HTTP_CODING_IDENTITY), "\"abc\"");
	assert_null(http_coding_etag(a, NULL, HTTP_CODING_BR));
	arena_free(a);
}

static size_t inflate_all(const char *in, size_t len, char *out, size_t max)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)max;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	size_t got = z.total_out;
	inflateEnd(&z);
	return got;
}

static void test_round_trips(void **state)
{
	(void)state;
	/* A page-like text: compresses well. */
	size_t len = 0;
	char *page = malloc(64 * 1024);
	assert_non_null(page);
	while (len + 100 < 64 * 1024)
		len += (size_t)snprintf(page + len, 100, "<p class=\"tin\">Bảo tàng %zu — hiện vật</p>\n",
					len);
	char *out = malloc(len);
	assert_non_null(out);
	for (int effort = 0; effort < HTTP_EFFORTS; effort++) {
		size_t clen, got = len;
		char *c = http_compress(HTTP_CODING_GZIP, (http_effort)effort, page, len, &clen);
		assert_non_null(c);
		assert_true(clen < len / 4);
		assert_int_equal(inflate_all(c, clen, out, len), len);
		assert_memory_equal(out, page, len);
		free(c);
		c = http_compress(HTTP_CODING_BR, (http_effort)effort, page, len, &clen);
		assert_non_null(c);
		assert_true(clen < len / 4);
		assert_int_equal(BrotliDecoderDecompress(clen, (const uint8_t *)c, &got, (uint8_t *)out),
				 BROTLI_DECODER_RESULT_SUCCESS);
		assert_int_equal(got, len);
		assert_memory_equal(out, page, len);
		free(c);
	}
	/* Random bytes do not get smaller: NULL, the body goes as it is. */
	for (size_t i = 0; i < 4096; i++)
		page[i] = (char)(rand() >> 7);
	size_t clen;
	assert_null(http_compress(HTTP_CODING_GZIP, HTTP_EFFORT_NOW, page, 4096, &clen));
	assert_null(http_compress(HTTP_CODING_IDENTITY, HTTP_EFFORT_NOW, page, 4096, &clen));
	free(out);
	free(page);
}

/* Each thread keeps its own zlib streams: four threads compressing at once
 * all get back exactly their own text. */
static void *compress_many(void *arg)
{
	const char *word = arg;
	char text[8192], out[8192];
	size_t len = 0;
	while (len + 64 < sizeof text)
		len += (size_t)snprintf(text + len, 64, "<li>%s %zu</li>\n", word, len % 97);
	for (int i = 0; i < 50; i++) {
		size_t clen;
		char *c = http_compress(HTTP_CODING_GZIP, (http_effort)(i % HTTP_EFFORTS), text, len,
					&clen);
		if (c == NULL || inflate_all(c, clen, out, sizeof out) != len ||
		    memcmp(out, text, len) != 0) {
			free(c);
			return (void *)1;
		}
		free(c);
	}
	return NULL;
}

static void test_threads_keep_their_own_streams(void **state)
{
	(void)state;
	static char *const words[] = {"bảo tàng", "hiện vật", "trưng bày", "ấn phẩm"};
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, compress_many, words[i]), 0);
	for (int i = 0; i < 4; i++) {
		void *rc;
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_encoding),
		cmocka_unit_test(test_types_and_sizes),
		cmocka_unit_test(test_etags),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_threads_keep_their_own_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
