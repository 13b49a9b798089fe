/*
 * encoding.c - Content-Encoding: which coding a client accepts, which
 * bodies are worth compressing, and gzip (zlib) and brotli (libbrotli).
 *
 * Accept-Encoding is outside input: it is read once, left to right, with
 * no allocation, and anything malformed in an element drops that element
 * only (RFC 9110, 12.5.3: "coding [; q=qvalue]", codings compared without
 * regard to case, "*" for any coding not named, q=0 for "not acceptable").
 * brotli wins a tie with gzip: it is smaller for the same text.
 *
 * Three efforts: a body compressed for one answer (a page rendered now)
 * uses fast settings, whose cost stays a fraction of rendering the page; a
 * page kept by the page cache (compressed once a second at most) better
 * ones; a static file (compressed once) the thorough ones.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <brotli/encode.h>
#include <zlib.h>

#include "http/http_private.h"

/* Below this many bytes a body goes as it is: the saving would be a few
 * dozen bytes, less than one packet, for the cost of a compressor. */
#define COMPRESS_MIN_BYTES 860

/* ------------------------------------------------------------------ */
/* Accept-Encoding                                                     */
/* ------------------------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* A qvalue ("0", "0.5", "1.000") as thousandths, or -1 when malformed. */
static int parse_qvalue(const char *s, size_t len)
{
	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000;
	if (len == 1)
		return q;
	if (s[1] != '.' || len > 5)
		return -1;
	int scale = 100;
	for (size_t i = 2; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* The weight of one element's parameters (what follows the coding):
 * 1000 when no q is given, -1 when a parameter is malformed. */
static int element_weight(const char *p, const char *end)
{
	int q = 1000;
	while (p < end) {
		while (p < end && (is_space(*p) || *p == ';'))
			p++;
		if (p == end)
			break;
		const char *stop = p;
		while (stop < end && *stop != ';')
			stop++;
		const char *last = stop;
		while (last > p && is_space(last[-1]))
			last--;
		if (last - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			q = parse_qvalue(p + 2, (size_t)(last - p - 2));
			if (q < 0)
				return -1;
		}
		/* Other parameters mean nothing to the codings we offer. */
		p = stop;
	}
	return q;
}

static bool coding_is(const char *p, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(p, name, len) == 0;
}

http_coding http_accept_encoding(const char *header)
{
	if (header == NULL)
		return HTTP_CODING_IDENTITY;
	/* -1 = not named. */
	int q_gzip = -1, q_br = -1, q_any = -1;
	const char *p = header;
	while (*p != '\0') {
		while (*p == ',' || is_space(*p))
			p++;
		if (*p == '\0')
			break;
		const char *end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		const char *name_end = p;
		while (name_end < end && *name_end != ';' && !is_space(*name_end))
			name_end++;
		size_t name_len = (size_t)(name_end - p);
		int q = element_weight(name_end, end);
		if (q >= 0) {
			/* The highest weight of a coding named twice counts. */
			if (coding_is(p, name_len, "gzip") || coding_is(p, name_len, "x-gzip"))
				q_gzip = q > q_gzip ? q : q_gzip;
			else if (coding_is(p, name_len, "br"))
				q_br = q > q_br ? q : q_br;
			else if (coding_is(p, name_len, "*"))
				q_any = q > q_any ? q : q_any;
		}
		p = end;
	}
	if (q_gzip < 0)
		q_gzip = q_any;
	if (q_br < 0)
		q_br = q_any;
	if (q_br > 0 && q_br >= q_gzip)
		return HTTP_CODING_BR;
	if (q_gzip > 0)
		return HTTP_CODING_GZIP;
	/* "identity;q=0" with nothing else acceptable could be 406; the body
	 * as it is serves every real client better. */
	return HTTP_CODING_IDENTITY;
}

const char *http_coding_name(http_coding coding)
{
	return coding == HTTP_CODING_BR ? "br" : coding == HTTP_CODING_GZIP ? "gzip" : "identity";
}

const char *http_coding_etag(arena_t *a, const char *etag, http_coding coding)
{
	if (etag == NULL || coding == HTTP_CODING_IDENTITY)
		return etag;
	size_t len = strlen(etag);
	/* "abc" becomes "abc-br"; W/"abc" keeps its W/. */
	if (len < 2 || etag[len - 1] != '"')
		return etag;
	return arena_sprintf(a, "%.*s-%s\"", (int)(len - 1), etag,
			     coding == HTTP_CODING_BR ? "br" : "gz");
}

/* ------------------------------------------------------------------ */
/* What is worth compressing                                           */
/* ------------------------------------------------------------------ */

bool http_compressible_type(const char *content_type)
{
	/* No type: the server's default, HTML. */
	if (content_type == NULL || content_type[0] == '\0')
		return true;
	size_t len = strcspn(content_type, "; \t");
	static const char *const types[] = {
	    "application/json",       "application/javascript", "application/xml",
	    "image/svg+xml",          "application/manifest+json",
	    "application/x-javascript",
	};
	if (len >= 5 && strncasecmp(content_type, "text/", 5) == 0)
		return true;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strlen(types[i]) == len && strncasecmp(content_type, types[i], len) == 0)
			return true;
	/* application/rss+xml, atom+xml, feed+json, ld+json ... (not
	 * application/vnd.openxmlformats-...+zip: a zip is compressed already). */
	return len > 12 && strncasecmp(content_type, "application/", 12) == 0 &&
	       ((len > 4 && strncasecmp(content_type + len - 4, "+xml", 4) == 0) ||
		(len > 5 && strncasecmp(content_type + len - 5, "+json", 5) == 0));
}

bool http_compressible_size(uint64_t len)
{
	return len >= COMPRESS_MIN_BYTES && len <= HTTP_COMPRESS_MAX_BYTES;
}

/* ------------------------------------------------------------------ */
/* Compressors                                                         */
/* ------------------------------------------------------------------ */

/* zlib's level and brotli's quality and window for each effort (cpu time
 * for a 21 KB article page on this machine, per call: gzip 3 about 85 us,
 * brotli 3 about 90 us for 6.2 KB; gzip 6 about 310 us, brotli 5 about
 * 290 us for 5.5-5.9 KB; bench/README.md). */
static const struct {
	int gzip_level;
	int br_quality;
	int br_window;
} efforts[HTTP_EFFORTS] = {
    [HTTP_EFFORT_NOW] = {3, 3, 20},
    [HTTP_EFFORT_KEPT] = {6, 5, 20},
    [HTTP_EFFORT_ONCE] = {9, 9, 22},
};

/*
 * Each thread keeps one zlib stream per effort and resets it between
 * bodies: deflateInit2() allocates and clears about 270 KB, which cost more
 * than compressing a page (fresh pages fault in every time). The streams
 * end with their thread (the key's destructor).
 */
typedef struct {
	z_stream z[HTTP_EFFORTS];
	bool ready[HTTP_EFFORTS];
} deflaters;

static pthread_key_t deflaters_key;
static pthread_once_t deflaters_once = PTHREAD_ONCE_INIT;
static bool deflaters_keyed;

static void deflaters_free(void *p)
{
	deflaters *d = p;
	for (int e = 0; e < HTTP_EFFORTS; e++)
		if (d->ready[e])
			deflateEnd(&d->z[e]);
	free(d);
}

static void deflaters_init(void)
{
	deflaters_keyed = pthread_key_create(&deflaters_key, deflaters_free) == 0;
}

/* This thread's stream for effort, reset; NULL when out of memory. */
static z_stream *deflater(http_effort effort)
{
	pthread_once(&deflaters_once, deflaters_init);
	if (!deflaters_keyed)
		return NULL;
	deflaters *d = pthread_getspecific(deflaters_key);
	if (d == NULL) {
		d = calloc(1, sizeof *d);
		if (d == NULL)
			return NULL;
		if (pthread_setspecific(deflaters_key, d) != 0) {
			free(d);
			return NULL;
		}
	}
	z_stream *z = &d->z[effort];
	if (d->ready[effort])
		return deflateReset(z) == Z_OK ? z : NULL;
	/* windowBits 15 + 16: a gzip wrapper, not zlib's. */
	if (deflateInit2(z, efforts[effort].gzip_level, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	d->ready[effort] = true;
	return z;
}

static char *gzip(const char *in, size_t len, http_effort effort, size_t *out_len)
{
	z_stream *z = deflater(effort);
	if (z == NULL)
		return NULL;
	uLong bound = deflateBound(z, (uLong)len);
	char *out = malloc(bound);
	if (out == NULL)
		return NULL;
	z->next_in = (Bytef *)(uintptr_t)in;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)out;
	z->avail_out = (uInt)bound;
	int rc = deflate(z, Z_FINISH);
	*out_len = (size_t)z->total_out;
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static char *brotli(const char *in, size_t len, http_effort effort, size_t *out_len)
{
	size_t bound = BrotliEncoderMaxCompressedSize(len);
	if (bound == 0)
		return NULL;
	char *out = malloc(bound);
	if (out == NULL)
		return NULL;
	*out_len = bound;
	if (BrotliEncoderCompress(efforts[effort].br_quality, efforts[effort].br_window,
				  BROTLI_MODE_TEXT, len, (const uint8_t *)in, out_len,
				  (uint8_t *)out) != BROTLI_TRUE) {
		free(out);
		return NULL;
	}
	return out;
}

char *http_compress(http_coding coding, http_effort effort, const char *in, size_t len,
		    size_t *out_len)
{
	if (len > HTTP_COMPRESS_MAX_BYTES)
		return NULL;
	char *out = coding == HTTP_CODING_BR	  ? brotli(in, len, effort, out_len)
		    : coding == HTTP_CODING_GZIP ? gzip(in, len, effort, out_len)
						  : NULL;
	/* Not smaller: the body goes as it is. */
	if (out != NULL && *out_len >= len) {
		free(out);
		return NULL;
	}
	return out;
}
