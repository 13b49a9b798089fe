/*
 * print_page.c - what every printed page of the back office shares: the
 * context of themes/default/admin/print_layout (A4 paper, the museum's name,
 * no menu, an "In" button that paper never shows; page numbers come from
 * the style sheet's @page rules, static/css/admin/print.css) and numbers
 * written the way the reader's language writes them.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin_private.h"
#include "admin/register_shared.h"
#include "core/arena.h"
#include "core/fmt.h"
#include "web/web.h"

json_t *admin_print_context(http_req *req, const admin_user *me, const char *title_key,
			    const char *back_url, bool landscape)
{
	json_t *ctx = admin_context(req, me, title_key);
	if (ctx == NULL)
		return NULL;
	/* A printed page has no menu: what is on paper is the document. */
	json_object_del(ctx, "nav");
	char today[11];
	reg_today(today);
	json_object_set_new(ctx, "printed_on", json_string(admin_reg_day(req, today)));
	json_object_set_new(ctx, "back_url", json_string(back_url));
	json_object_set_new(ctx, "landscape", json_boolean(landscape));
	return ctx;
}

void admin_print_sign(http_req *req, json_t *ctx, const char *role_key, const char *name)
{
	json_t *signs = json_object_get(ctx, "signs");
	if (signs == NULL) {
		signs = json_array();
		json_object_set_new(ctx, "signs", signs);
	}
	json_array_append_new(signs, json_pack("{s:s, s:s}", "role", web_text(req, role_key), "name",
					       name != NULL ? name : ""));
}

const char *admin_print_int(http_req *req, int64_t v)
{
	char out[32];
	fmt_int(out, sizeof out, v, web_lang(req));
	return arena_sprintf(req->arena, "%s", out);
}
