/*
 * exhibition_shared.c - see exhibition_shared.h.
 */
#include "admin/exhibition_shared.h"

#include <string.h>

#include "model/media.h"

#define LIBRARY_PAGE 24

static bool shows(const media_item *it)
{
	static const char *const pictures[] = {"image/jpeg", "image/png", "image/webp", "image/gif"};
	for (size_t i = 0; i < sizeof pictures / sizeof pictures[0]; i++)
		if (strcmp(it->m.mime, pictures[i]) == 0)
			return it->state == MEDIA_READY;
	return false;
}

int admin_exh_library(http_req *req, db_t *db, const char *q, json_t *ctx)
{
	media_filter flt = {.q = q};
	media_item *items;
	size_t count;
	bool more;
	if (media_list(db, req->arena, &flt, NULL, LIBRARY_PAGE, &items, &count, &more) != 0)
		return -1;
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++)
		if (shows(&items[i]))
			json_array_append_new(
			    list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)items[i].m.id, "thumb",
					    arena_sprintf(req->arena, "/media/%s", items[i].thumb),
					    "label", admin_reg_photo_label(&items[i])));
	json_object_set_new(ctx, "library_empty", json_boolean(json_array_size(list) == 0));
	json_object_set_new(ctx, "library", list);
	return 0;
}

json_t *admin_exh_picture(http_req *req, db_t *db, int64_t media_id)
{
	media_item it;
	if (media_id <= 0 || media_get_item(db, req->arena, media_id, &it) != 0)
		return NULL;
	return json_pack("{s:I, s:s, s:s}", "media_id", (json_int_t)media_id, "thumb",
			 shows(&it) ? arena_sprintf(req->arena, "/media/%s", it.thumb) : "", "label",
			 admin_reg_photo_label(&it));
}

bool admin_exh_day(const char *typed, char out[11])
{
	out[0] = '\0';
	if (typed == NULL || typed[strspn(typed, " ")] == '\0')
		return true;
	return reg_date_parse(typed + strspn(typed, " "), out);
}

/* "01/05/2020 – 30/06/2020", "từ 01/05/2020" with no closing day. */
const char *admin_exh_dates(http_req *req, const exhibition *e)
{
	if (e->closes_on[0] == '\0')
		return arena_sprintf(req->arena, "%s %s", web_text(req, "exh_from"),
				     admin_reg_day(req, e->opens_on));
	return arena_sprintf(req->arena, "%s – %s", admin_reg_day(req, e->opens_on),
			     admin_reg_day(req, e->closes_on));
}

const char *admin_exh_venue(http_req *req, const exhibition *e)
{
	if (e->hall[0] != '\0')
		return e->hall;
	if (e->venue[0] == '\0')
		return web_text(req, "exh_kind_truc_tuyen");
	return arena_sprintf(req->arena, "%s, %s", e->venue, e->province);
}
