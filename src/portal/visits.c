/*
 * visits.c - visitor statistics and related news (placeholder: being written).
 */
#include "portal/widgets.h"

void visits_count(http_req *req, int64_t article_id)
{
	(void)req;
	(void)article_id;
}

void visits_page_context(http_req *req, json_t *ctx)
{
	(void)req;
	(void)ctx;
}

void visits_related_context(http_req *req, json_t *article, int64_t article_id)
{
	(void)req;
	(void)article;
	(void)article_id;
}

void visits_article_json(http_req *req, json_t *obj, int64_t article_id)
{
	(void)req;
	(void)obj;
	(void)article_id;
}

int api_stats(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

int visits_start(int utc_offset)
{
	(void)utc_offset;
	return 0;
}

void visits_stop(void)
{
}
