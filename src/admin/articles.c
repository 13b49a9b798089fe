/*
 * articles.c - the editorial workflow: articles, editor, review queue, revisions.
 * (Placeholder table: the section is being written.)
 */
#include "admin/admin_private.h"

static int placeholder(http_req *req, http_res *res, const admin_user *me)
{
	return admin_error(req, res, me, 404, NULL);
}

static const admin_page pages[] = {
	{{HTTP_GET, ADMIN_PATH_ARTICLES, NULL, USER_EDITOR | USER_AUTHOR}, placeholder},
};

const admin_page_table admin_article_table = {pages, sizeof pages / sizeof pages[0]};
