/*
 * serve.c - `sen serve`: the portal and the back office over HTTP until
 * SIGTERM or SIGINT.
 *
 * The order of start-up is what keeps the data safe (issue 6 and 10):
 * templates and settings are read, the data directory is handed to the
 * serving account while no database file is open in this process, the port
 * is bound (as root, if it was started as root), root is given up, and
 * only then is the database opened, as the account; requests wait in
 * serve_before() until all of that is done. Stopping runs the other way.
 */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "app.h"
#include "cli/cli.h"
#include "core/fault.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "db/db.h"
#include "http/http.h"
#include "model/exhibition.h"
#include "model/media_image.h"
#include "model/search_warm.h"
#include "portal/cache.h"
#include "portal/portal.h"
#include "portal/widgets.h"
#include "render/i18n.h"

static void usage_serve(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen serve [--data DIR] [--listen ADDR:PORT] [--threads N]\n"
		"                     [--set mục.khóa=giá_trị]... [--quiet]\n"
		"  Phục vụ cổng thông tin cho đến khi nhận SIGTERM/SIGINT.\n\n"
		"Cấu hình (DIR/sen.ini < biến môi trường < tham số):\n");
	config_print_help(out);
}

/* Objects of exhibitions that opened or closed since the last look move. */
static void serve_exhibitions(void)
{
	db_t *db = db_get();
	int moved = 0;
	if (db == NULL || exhibition_sync(db, 0, "Sen", &moved) != 0)
		log_warn("exhibitions: could not move the objects of exhibitions that opened or closed");
	else if (moved > 0)
		log_info("exhibitions: %d objects moved as exhibitions opened or closed", moved);
}

/* ---- what the server asks of the application ------------------------------- */

/* Set once handlers may run: after the privilege drop (see cli_serve). */
static atomic_int serve_ready;

/* Every request: waits until root is given up (the port is bound as root a
 * moment before), starts with no database failure noted and, in test builds,
 * with the allocation failure it asks for (core/fault.h); then the portal's
 * headers. */
static void serve_before(http_req *req, http_res *res)
{
	while (!atomic_load_explicit(&serve_ready, memory_order_acquire)) {
		struct timespec pause = {0, 1000000};
		nanosleep(&pause, NULL);
	}
	db_failures_clear();
	fault_request_begin(req->arena, http_header(req, "X-Sen-Fault-Alloc"));
	portal_before(req, res);
}

/* A handler's 500 caused by the database being locked by another process
 * past the busy timeout is 503; by full storage, 507 (http.h). */
static int serve_failure_status(http_req *req)
{
	(void)req;
	return db_full_seen() ? 507 : db_busy_seen() ? 503 : 500;
}

/* True when the request as sent was for the back office ("/admin",
 * "/admin/...", "/admin?..."), even when its path could not be decoded. */
static bool admin_target(const http_req *req)
{
	const char *t = req->raw_target != NULL ? req->raw_target : req->path;
	return t != NULL && strncmp(t, "/admin", 6) == 0 &&
	       (t[6] == '\0' || t[6] == '/' || t[6] == '?');
}

/* Every error page is the portal's (portal_error_page); those of the back
 * office (also the ones the server answers before routing: 400, 413,
 * 414 ...) carry its headers. */
static void serve_error_page(http_req *req, http_res *res, int status)
{
	portal_error_page(req, res, status);
	if (admin_target(req))
		admin_headers(res);
}

/* A form post to a row marked HTTP_SAME_SITE (the public forms, every
 * back-office form) that a browser says comes from another site's page is
 * refused here, for every such row at once (web_cross_site). */
static int serve_same_site(http_req *req, http_res *res)
{
	if (!web_cross_site(req))
		return 0;
	portal_refusal_page(req, res, 403, "cross_site", "web_cross_site");
	if (admin_target(req))
		admin_headers(res);
	return 403;
}

/* ---- sen serve --------------------------------------------------------------- */

int cli_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},   {"listen", required_argument, 0, 'l'},
	    {"threads", required_argument, 0, 't'}, {"set", required_argument, 0, 's'},
	    {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	app_flag flags[APP_FLAGS_MAX];
	size_t nflags = 0;
	const char *data = app_default_data_dir();
	int quiet = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case 'd': data = optarg; break;
		case 'l': rc = app_flag_add(flags, &nflags, "server.listen", optarg); break;
		case 't': rc = app_flag_add(flags, &nflags, "server.threads", optarg); break;
		case 's': rc = app_flag_set(flags, &nflags, optarg); break;
		case 'q': quiet = 1; break;
		case 'h': usage_serve(stdout); return 0;
		default: usage_serve(stderr); return 2;
		}
		if (rc != 0)
			return 2;
	}
	if (optind != argc) {
		usage_serve(stderr);
		return 2;
	}
	app_t *app = app_paths(data);
	if (app == NULL || app_settings(app, flags, nflags) != 0)
		return 1;
	if (app_load_templates(app) != 0 || app_database_exists(app) != 0)
		return 1;
	/* Uploads are streamed to DATA/tmp (mode 0700); what a crash left
	 * there is deleted now. */
	char upload_dir[PATH_MAX];
	if (app_pathf(upload_dir, sizeof upload_dir, "%s/tmp", app->data_dir) != 0 ||
	    http_upload_dir_prepare(upload_dir) != 0)
		return 1;
	/* As root, the data directory goes to the account now, while no
	 * database file is open in this process: closing a descriptor of a file
	 * drops every lock SQLite holds on it, so this must never happen after
	 * the database is opened (core/privdrop.h, issue 10). */
	if (privdrop_prepare(app->cfg.user, app->data_dir) != 0) {
		fprintf(stderr, "sen: không giao được thư mục dữ liệu cho tài khoản phục vụ "
				"(xem server.user); dừng.\n");
		return 1;
	}

	char host[128];
	uint16_t port;
	if (config_listen_split(&app->cfg, host, sizeof host, &port) != 0) {
		fprintf(stderr, "sen: địa chỉ lắng nghe không hợp lệ: %s\n", app->cfg.listen);
		return 1;
	}
	/* Order does not matter: the most specific pattern wins (http/http.h). */
	http_route_table routes[] = {{portal_routes, portal_nroutes}, {NULL, 0}};
	if (admin_routes(&routes[1]) != 0)
		return 1;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	http_server_config hc = {
	    .host = host,
	    .port = port,
	    .threads = app->cfg.threads ? app->cfg.threads : (unsigned)(cores > 0 ? cores : 1),
	    .max_connections = app->cfg.max_connections,
	    .per_ip_connections = app->cfg.per_ip_connections,
	    .connection_timeout = app->cfg.connection_timeout,
	    .connection_memory = app->cfg.connection_memory,
	    .max_body = app->cfg.max_body,
	    .tables = routes,
	    .ntables = sizeof routes / sizeof routes[0],
	    .access = admin_access,
	    .same_site = serve_same_site,
	    .error_page = serve_error_page,
	    .before = serve_before,
	    .failure_status = serve_failure_status,
	    .app = app,
	    .quiet = quiet,
	    .trusted_proxy = app->cfg.trusted_proxy[0] ? app->cfg.trusted_proxy : NULL,
	    .upload_gate = admin_upload_gate,
	    .upload_dir = upload_dir,
	    .max_upload_files = 8,
	};

	/* Block the stop signals before any thread starts, so that only
	 * sigwait() below sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Past a file size limit (ulimit -f) a write must fail (507), not kill. */
	signal(SIGXFSZ, SIG_IGN);

	/* Before the server answers: the widgets' page parts (portal/widgets.c). */
	if (portal_widgets_register() != 0)
		return 1;
	http_server *srv = http_server_start(&hc);
	if (srv == NULL)
		return 1;
	/* The port is bound: nothing from here on needs root. Requests wait in
	 * serve_before() until the drop is done and the database is open; a
	 * failed drop ends the process at once, before any handler has run
	 * (core/privdrop.h). The database is opened only now, as the account,
	 * so every file SQLite creates is the account's. */
	if (privdrop_serve(app->cfg.user, app->data_dir, app->static_dir) != 0) {
		fprintf(stderr, "sen: không bỏ được quyền root (xem server.user); dừng.\n");
		_exit(1);
	}
	if (page_cache_start() != 0 || app_open_database(app, false) != 0 ||
	    visits_start(app->cfg.utc_offset) != 0) {
		fprintf(stderr, "sen: không mở được cơ sở dữ liệu %s; dừng.\n", app->db_path);
		_exit(1);
	}
	atomic_store_explicit(&serve_ready, 1, memory_order_release);
	/* Pictures left waiting by an earlier run are resized in the background. */
	media_image_start(app->media_dir);
	/* The search index's word counts are read ahead, so the first search
	 * of a word costs what later ones do (model/search_warm.h). */
	search_warm_start();
	log_info("Sen %s serving http://%s/ with %u threads (data: %s)", SEN_VERSION,
		 app->cfg.listen, hc.threads, app->data_dir);
	/* The main thread waits for a stop signal and, every hour meanwhile,
	 * lets the calendar open and close exhibitions: their objects move
	 * into the venue and back (model/exhibition.h). */
	int sig;
	do {
		serve_exhibitions();
		sig = sigtimedwait(&set, NULL, &(struct timespec){3600, 0});
	} while (sig < 0);
	log_info("signal %d: finishing requests in flight", sig);
	http_server_stop(srv);
	media_image_stop();
	search_warm_stop();
	/* After the server: no request can count a view any more. */
	visits_stop();
	db_thread_close();
	tmpl_set_free(app->tmpl);
	i18n_free();
	log_info("stopped");
	return 0;
}
