/*
 * taxonomy_shared.c - what the pages of the taxonomy section (taxonomy.c:
 * categories and tags; links_page.c: website links) share (taxonomy.h): the
 * audit lines, the page context, the notice after an action, and reading a
 * new order. Below both files, so neither needs the other's helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/taxonomy.h"
#include "core/fmt.h"
#include "web/web.h"

void taxonomy_audit(http_req *req, const admin_user *me, const char *action, const char *target,
		    const char *details)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db_get(), admin_now(), &actor, action, target != NULL ? target : "",
		  details != NULL ? details : "");
}

void taxonomy_audit_order(http_req *req, const admin_user *me, const char *action, size_t max)
{
	const char *order_text = admin_field(req, "order", max * 16);
	if (order_text == NULL)
		order_text = "";
	taxonomy_audit(req, me, action, "", arena_sprintf(req->arena, "order %.900s", order_text));
}

json_t *taxonomy_context(http_req *req, const admin_user *me, const char *title_key)
{
	json_t *ctx = admin_context(req, me, title_key);
	if (ctx == NULL)
		return NULL;
	json_object_set_new(ctx, "styles", json_pack("[s]", TAXONOMY_CSS));
	json_object_set_new(ctx, "scripts", json_pack("[s]", TAXONOMY_JS));
	return ctx;
}

int taxonomy_parse_order(http_req *req, size_t max, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	/* 16 bytes per id ("123456789012345,") is more than any real id needs. */
	const char *order = admin_field(req, "order", max * 16);
	if (order == NULL || order[0] == '\0')
		return -1;
	int64_t *out = arena_calloc(req->arena, max + 1, sizeof(*out));
	if (out == NULL)
		return -1;
	size_t count = 0;
	const char *p = order;
	while (*p != '\0') {
		size_t len = strspn(p, "0123456789");
		if (len == 0 || len > 15 || count == max || (p[len] != ',' && p[len] != '\0'))
			return -1;
		char digits[16];
		memcpy(digits, p, len);
		digits[len] = '\0';
		if (web_parse_id(digits, &out[count]) != 0)
			return -1;
		count++;
		p += len;
		if (*p == ',')
			p++;
	}
	*ids = out;
	*n = count;
	return 0;
}

const char *taxonomy_notice(http_req *req, const char *const *pairs)
{
	const char *ok = http_query(req, "ok");
	for (size_t i = 0; ok != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
		if (strcmp(ok, pairs[i]) == 0)
			return pairs[i + 1];
	return NULL;
}

