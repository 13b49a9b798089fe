/*
 * fuzz_http.c - the parsers of src/http on arbitrary bytes: percent-decoding,
 * urlencoded fields, Cookie headers, path checks and the router.
 *
 * The first byte picks a method and a cookie name length; the rest is the
 * input, used whole for every parser (as a C string where the parser takes
 * one, so embedded NULs cut it the way a header value would be cut).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/http_private.h"

static int handler(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 200;
}

static const http_route routes[] = {
	{HTTP_GET, "/static/*", handler, 0},
	{HTTP_GET, "/api/v1/articles", handler, 0},
	{HTTP_GET | HTTP_PUT, "/api/v1/articles/:id", handler, 0},
	{HTTP_POST, "/admin/:section/:id/edit", handler, 0},
	{HTTP_GET, "/", handler, 0},
	{HTTP_GET, "/:category", handler, 0},
	{HTTP_GET, "/sitemap-:n.xml", handler, 0},
	{HTTP_GET, "/:category/:slug", handler, 0},
	{HTTP_DELETE, "/*", handler, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 64 * 1024)
		return 0;
	uint8_t control = data[0];
	const char *in = (const char *)data + 1;
	size_t len = size - 1;
	arena_t *a = arena_new(4096);
	if (a == NULL)
		return 0;
	char *cstr = arena_strndup(a, in, len);
	if (cstr == NULL)
		goto done;

	size_t outlen;
	char *d = http_decode(a, in, len, (control & 1) != 0, &outlen);
	if (d != NULL && outlen > len)
		abort();
	(void)http_path_decode(a, in, len);

	http_kv fields[16];
	int n = http_parse_urlencoded(a, in, len, fields, 1 + control % 16);
	if (n > 16)
		abort();
	for (int i = 0; i < n; i++)
		if (strlen(fields[i].value) != fields[i].value_len)
			abort();

	/* A cookie name taken from the input itself, so matches happen. */
	size_t name_len = control % 8;
	if (name_len > strlen(cstr))
		name_len = strlen(cstr);
	char *name = arena_strndup(a, cstr, name_len);
	if (name != NULL)
		(void)http_cookie_parse(a, cstr, name);
	(void)http_cookie_parse(a, cstr, "sid");

	static const enum http_method methods[] = {HTTP_GET,   HTTP_HEAD,  HTTP_POST,
						   HTTP_PUT,   HTTP_DELETE, HTTP_PATCH,
						   HTTP_OPTIONS, HTTP_OTHER};
	http_req req;
	memset(&req, 0, sizeof req);
	req.arena = a;
	req.method = methods[(control >> 1) % 8];
	unsigned allowed;
	/* Both ways the router reads a path: raw (decoding segments) and decoded. */
	req.raw_target = cstr;
	const http_route *r = http_route_match(routes, sizeof routes / sizeof routes[0], &req,
					       &allowed);
	if (r != NULL && req.nparams > HTTP_MAX_PARAMS)
		abort();
	req.raw_target = NULL;
	req.path = cstr;
	(void)http_route_match(routes, sizeof routes / sizeof routes[0], &req, &allowed);

done:
	arena_free(a);
	return 0;
}
