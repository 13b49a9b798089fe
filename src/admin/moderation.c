/*
 * moderation.c - the comment moderation queue and the statistics page.
 * (Placeholder table: the section is being written.)
 */
#include "admin/admin_private.h"

static int placeholder(http_req *req, http_res *res, const admin_user *me)
{
	return admin_error(req, res, me, 404, NULL);
}

static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_COMMENTS, NULL, USER_EDITOR | USER_MODERATOR}, placeholder},
};

const admin_page_table admin_moderation_table = {pages, sizeof pages / sizeof pages[0]};
