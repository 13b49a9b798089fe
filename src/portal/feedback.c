/*
 * feedback.c - rating, comments and CAPTCHA (placeholder: being written).
 */
#include "portal/widgets.h"

void feedback_article_context(http_req *req, json_t *article, int64_t article_id)
{
	(void)req;
	(void)article;
	(void)article_id;
}

void feedback_article_json(http_req *req, json_t *obj, int64_t article_id)
{
	(void)req;
	(void)obj;
	(void)article_id;
}

int feedback_rate(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

int feedback_comment(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

int feedback_captcha_image(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

int api_rating(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

int api_comments(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

int api_captcha(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}
