/*
 * routes.c - `sen routes`: every URL the server answers, one line per
 * method, with who may use it: "public", or the roles (admin always may).
 * Read from the server's own route tables, so the list an operator or a
 * test sees is the one the server routes by: the end-to-end role matrix
 * (tests/http/test_register_roles.py) fails on a page it does not know.
 *
 * Exit status: 0, 1 when the tables cannot be built, 2 wrong usage.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "cli/cli.h"
#include "http/http.h"
#include "model/user.h"
#include "portal/portal.h"

static const int roles[] = {USER_ADMIN,	USER_EDITOR,  USER_AUTHOR,
			    USER_MODERATOR, USER_CURATOR, USER_COUNCIL,
				 USER_PLANNER};

static void print_table(const http_route_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const http_route *r = &t->routes[i];
		/* HEAD goes with GET: not a line of its own. */
		for (unsigned bit = 1; bit <= HTTP_OPTIONS; bit <<= 1) {
			if ((r->methods & bit) == 0 || bit == HTTP_HEAD)
				continue;
			printf("%s %s", http_method_name(bit), r->pattern);
			if (HTTP_ACCESS_PUBLIC(r->access)) {
				fputs(" public\n", stdout);
				continue;
			}
			unsigned who = r->access | USER_ADMIN;
			for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++)
				if ((who & (unsigned)roles[k]) != 0)
					printf(" %s", user_role_name(roles[k]));
			putchar('\n');
		}
	}
}

int cli_routes(int argc, char **argv)
{
	if (argc > 1) {
		bool help = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0;
		fprintf(help ? stdout : stderr,
			"Cách dùng: sen routes\n"
			"  Liệt kê mọi địa chỉ máy chủ trả lời, mỗi phương thức một dòng, cùng\n"
			"  ai được dùng: public (ai cũng được) hoặc các vai trò.\n");
		return help ? 0 : 2;
	}
	http_route_table portal = {portal_routes, portal_nroutes}, admin;
	if (admin_page_routes(&admin) != 0) {
		fprintf(stderr, "sen routes: không dựng được bảng địa chỉ\n");
		return 1;
	}
	print_table(&portal);
	print_table(&admin);
	return fflush(stdout) == 0 ? 0 : 1;
}
