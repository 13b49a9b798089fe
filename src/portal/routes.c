/*
 * routes.c - the public route table, static files, error pages, headers.
 */
#include <string.h>

#include "core/log.h"
#include "portal/portal.h"
#include "portal/widgets.h"

/* Order matters: fixed prefixes first, then the two catch-all shapes. */
const http_route portal_routes[] = {
	{HTTP_GET, "/static/*", portal_static, 0},
	{HTTP_GET, "/media/*", portal_media, 0},
	{HTTP_GET, "/api/v1/articles", api_articles, 0},
	{HTTP_GET, "/api/v1/articles/:id", api_article, 0},
	{HTTP_POST, "/api/v1/articles/:id/rating", api_rating, 0},
	{HTTP_POST, "/api/v1/articles/:id/comments", api_comments, 0},
	{HTTP_POST, "/api/v1/captcha", api_captcha, 0},
	{HTTP_GET, "/api/v1/stats", api_stats, 0},
	{HTTP_POST, "/danh-gia/:id", feedback_rate, 0},
	{HTTP_POST, "/binh-luan/:id", feedback_comment, 0},
	{HTTP_GET, "/ma-xac-thuc/:name", feedback_captcha_image, 0},
	{HTTP_GET, "/", portal_home, 0},
	{HTTP_GET, "/:category", portal_category, 0},
	{HTTP_GET, "/:category/:slug", portal_article, 0},
};
const size_t portal_nroutes = sizeof portal_routes / sizeof portal_routes[0];

int portal_static(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	/* Asset URLs carry ?v=VERSION, so a year of caching is safe. */
	return http_send_file(req, res, app->static_dir, req->params[0],
			      "public, max-age=31536000, immutable");
}

int portal_media(http_req *req, http_res *res)
{
	const app_t *app = req->app;
	/* Media names are random and never reused: they can be cached long too. */
	return http_send_file(req, res, app->media_dir, req->params[0],
			      "public, max-age=31536000, immutable");
}

void portal_before(http_req *req, http_res *res)
{
	(void)req;
	http_res_header(res, "Referrer-Policy", "strict-origin-when-cross-origin");
	http_res_header(res, "X-Frame-Options", "SAMEORIGIN");
	http_res_header(res, "Content-Security-Policy",
			"default-src 'self'; img-src 'self' data:; style-src 'self'; "
			"script-src 'self'; object-src 'none'; base-uri 'none'; "
			"frame-ancestors 'self'; form-action 'self'");
}

static const char *status_message(int status, const char **title)
{
	switch (status) {
	case 400:
		*title = "Yêu cầu không hợp lệ";
		return "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ.";
	case 404:
		*title = "Không tìm thấy trang";
		return "Trang bạn tìm không tồn tại hoặc đã được chuyển đi.";
	case 405:
		*title = "Phương thức không được hỗ trợ";
		return "Địa chỉ này không nhận phương thức yêu cầu đó.";
	case 413:
		*title = "Dữ liệu quá lớn";
		return "Dữ liệu gửi lên vượt quá giới hạn cho phép.";
	case 414:
		*title = "Địa chỉ quá dài";
		return "Địa chỉ yêu cầu vượt quá độ dài cho phép.";
	case 431:
		*title = "Tiêu đề yêu cầu quá lớn";
		return "Phần tiêu đề của yêu cầu vượt quá giới hạn cho phép.";
	case 503:
		*title = "Dịch vụ tạm thời gián đoạn";
		return "Hệ thống đang bận, vui lòng thử lại sau ít phút.";
	default:
		if (status >= 500) {
			*title = "Lỗi hệ thống";
			return "Đã có lỗi xảy ra phía máy chủ. Vui lòng thử lại sau.";
		}
		*title = "Không thực hiện được yêu cầu";
		return "Yêu cầu không thực hiện được.";
	}
}

static const char *status_code_name(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 413: return "payload_too_large";
	case 414: return "uri_too_long";
	case 431: return "headers_too_large";
	case 503: return "unavailable";
	default: return status >= 500 ? "internal_error" : "error";
	}
}

void portal_error_page(http_req *req, http_res *res, int status)
{
	const char *title = NULL;
	const char *message = status_message(status, &title);
	buf_clear(&res->body);
	res->status = status;
	if (req->path != NULL && strncmp(req->path, "/api/", 5) == 0) {
		api_error(res, status, status_code_name(status), message);
		return;
	}
	/* The error page must not depend on the database: a 500 may come from it. */
	const app_t *app = req->app;
	json_t *ctx = json_pack("{s:s, s:s, s:i, s:s, s:{s:s, s:s}}", "page_title", title,
				"message", message, "status", status, "asset_version",
				app->asset_version, "site", "name", app->cfg.site_name, "lang",
				app->cfg.language);
	if (ctx == NULL || tmpl_render(app->tmpl, "error", ctx, &res->body) != 0) {
		buf_clear(&res->body);
		buf_printf(&res->body,
			   "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
			   "<title>%d</title><h1>%d</h1><p>",
			   status, status);
		buf_append_html(&res->body, message, strlen(message));
		buf_puts(&res->body, "</p></html>");
	}
	json_decref(ctx);
	res->content_type = "text/html; charset=utf-8";
	http_res_header(res, "Cache-Control", "no-store");
}
