/*
 * origin.c - whether a request comes from another site's page.
 */
#include <string.h>
#include <strings.h>

#include "web/web.h"

/* True when origin ("https://host[:port]") is the origin of base_url. */
static bool same_origin_as(const char *origin, const char *base_url)
{
	const char *host = strstr(base_url, "://");
	if (host == NULL)
		return false;
	size_t len = strcspn(host + 3, "/?#") + (size_t)(host + 3 - base_url);
	return strlen(origin) == len && strncasecmp(origin, base_url, len) == 0;
}

bool web_cross_site(http_req *req)
{
	const app_t *app = req->app;
	/* Browsers that send Sec-Fetch-Site say it outright. */
	const char *site = http_header(req, "Sec-Fetch-Site");
	if (site != NULL)
		return strcasecmp(site, "cross-site") == 0;
	const char *origin = http_header(req, "Origin");
	if (origin == NULL)
		return false;
	if (same_origin_as(origin, app->cfg.base_url))
		return false;
	/* Without a configured base_url that matches, compare with the Host the
	 * request came to ("null" and other opaque origins never match). */
	const char *host = http_header(req, "Host");
	const char *p = strstr(origin, "://");
	return host == NULL || p == NULL || strcasecmp(p + 3, host) != 0;
}
