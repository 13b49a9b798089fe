/*
 * admin.h - the back office at /admin: its route table and the checks every
 * admin handler starts with.
 *
 * Deny by default: every admin route names the roles that may use it, and
 * the check runs on the server for every request (admin_require). State
 * changes are POST only and carry a CSRF token (admin_csrf_ok).
 */
#ifndef SEN_ADMIN_ADMIN_H
#define SEN_ADMIN_ADMIN_H

#include <stddef.h>

#include "http/http.h"

/* Routes under /admin, tried before the public catch-all routes. */
extern const http_route admin_routes[];
extern const size_t admin_nroutes;

#endif
