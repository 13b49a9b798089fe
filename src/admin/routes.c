/*
 * routes.c - the back office route table (placeholder: being written).
 */
#include "admin/admin.h"

static int admin_home(http_req *req, http_res *res)
{
	(void)req;
	(void)res;
	return 404;
}

const http_route admin_routes[] = {
	{HTTP_GET, "/admin", admin_home, 0},
};
const size_t admin_nroutes = sizeof admin_routes / sizeof admin_routes[0];
