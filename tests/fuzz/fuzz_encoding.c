/*
 * fuzz_encoding.c - Accept-Encoding and the compressors (src/http/encoding.c)
 * on arbitrary bytes.
 *
 * The input is read as a header value (a C string: an embedded NUL cuts it
 * the way a header would be cut) and as a Content-Type; then it is
 * compressed both ways and decompressed again with zlib and libbrotli's
 * decoder, which must give back exactly the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <zlib.h>

#include "http/http_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(http_coding coding, const char *in, size_t len)
{
	size_t clen;
	char *c = http_compress(coding, (http_effort)(len % HTTP_EFFORTS), in, len, &clen);
	if (c == NULL)
		return;    /* not smaller: allowed, the body then goes as it is */
	if (clen >= len)
		abort();
	char *out = malloc(len ? len : 1);
	if (out == NULL)
		abort();
	size_t got = len;
	if (coding == HTTP_CODING_BR) {
		if (BrotliDecoderDecompress(clen, (const uint8_t *)c, &got, (uint8_t *)out) !=
		    BROTLI_DECODER_RESULT_SUCCESS)
			abort();
	} else {
		z_stream z;
		memset(&z, 0, sizeof z);
		if (inflateInit2(&z, 15 + 16) != Z_OK)
			abort();
		z.next_in = (Bytef *)c;
		z.avail_in = (uInt)clen;
		z.next_out = (Bytef *)out;
		z.avail_out = (uInt)len;
		if (inflate(&z, Z_FINISH) != Z_STREAM_END)
			abort();
		got = z.total_out;
		inflateEnd(&z);
	}
	if (got != len || memcmp(out, in, len) != 0)
		abort();
	free(out);
	free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	http_coding c = http_accept_encoding(s);
	if (c != HTTP_CODING_IDENTITY && c != HTTP_CODING_GZIP && c != HTTP_CODING_BR)
		abort();
	(void)http_compressible_type(s);
	round_trip(HTTP_CODING_GZIP, s, size);
	round_trip(HTTP_CODING_BR, s, size);
	free(s);
	return 0;
}
