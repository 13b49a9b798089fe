/*
 * main.c - the `sen` command line: init, serve, import, version.
 *
 * Settings come from defaults < DATA/sen.ini < SEN_* environment < flags.
 * Every command that touches data takes --data DIR (default ./data, or
 * SEN_DATA).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "app.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/fault.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "db/db.h"
#include "http/http.h"
#include "model/article.h"
#include "model/import.h"
#include "model/link.h"
#include "model/media_image.h"
#include "model/register_demo.h"
#include "model/search_warm.h"
#include "portal/portal.h"
#include "portal/widgets.h"
#include "render/draw.h"
#include "render/i18n.h"
#include "render/tmpl.h"

#ifndef SEN_VERSION
#define SEN_VERSION "0.1.0"
#endif

static app_t app;

/* snprintf for paths: a path that would not fit is an error, not a silently
 * shorter path. */
static int pathf(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "sen: đường dẫn quá dài: %.80s...\n", out);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */
/* ------------------------------------------------------------------ */

static int is_share_dir(const char *dir)
{
	char p[PATH_MAX];
	return pathf(p, sizeof p, "%s/sql/001_init.sql", dir) == 0 && access(p, R_OK) == 0;
}

/* The shipped files (sql/, themes/, demo/) live beside the source tree in a
 * checkout (build/sen -> ..), or in PREFIX/share/sen when installed. */
static int find_share_dir(char *out, size_t len)
{
	const char *env = getenv("SEN_SHARE_DIR");
	if (env != NULL && env[0] != '\0') {
		if (!is_share_dir(env)) {
			fprintf(stderr, "sen: SEN_SHARE_DIR=%s không chứa sql/001_init.sql\n", env);
			return -1;
		}
		snprintf(out, len, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe);
		const char *tries[] = {"%s/..", "%s/../share/sen", "%s"};
		for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
			char cand[PATH_MAX], real[PATH_MAX];
			snprintf(cand, sizeof cand, tries[i], dir);
			if (is_share_dir(cand) && realpath(cand, real) != NULL) {
				snprintf(out, len, "%s", real);
				return 0;
			}
		}
	}
	if (is_share_dir(".") && realpath(".", out) != NULL)
		return 0;
	fprintf(stderr, "sen: không tìm thấy thư mục dữ liệu đi kèm (sql/, themes/); "
			"hãy đặt SEN_SHARE_DIR\n");
	return -1;
}

static int set_paths(const char *data_dir)
{
	if (find_share_dir(app.share_dir, sizeof app.share_dir) != 0)
		return -1;
	snprintf(app.data_dir, sizeof app.data_dir, "%s", data_dir);
	if (pathf(app.theme_dir, sizeof app.theme_dir, "%s/themes/default", app.share_dir) != 0 ||
	    pathf(app.static_dir, sizeof app.static_dir, "%s/static", app.theme_dir) != 0 ||
	    pathf(app.media_dir, sizeof app.media_dir, "%s/media", app.data_dir) != 0 ||
	    pathf(app.db_path, sizeof app.db_path, "%s/sen.db", app.data_dir) != 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

typedef struct {
	const char *key;
	const char *value;
} flag_setting;

#define MAX_FLAG_SETTINGS 32

/* defaults < sen.ini < environment < flags; every error names its source. */
static int load_settings(const flag_setting *flags, size_t nflags)
{
	char err[512], ini[PATH_MAX];
	config_defaults(&app.cfg);
	if (pathf(ini, sizeof ini, "%s/sen.ini", app.data_dir) != 0)
		return -1;
	if (config_load_file(&app.cfg, ini, 1, err, sizeof err) != 0 ||
	    config_load_env(&app.cfg, err, sizeof err) != 0)
		goto fail;
	for (size_t i = 0; i < nflags; i++)
		if (config_set(&app.cfg, flags[i].key, flags[i].value, err, sizeof err) != 0)
			goto fail;
	if (config_validate(&app.cfg, err, sizeof err) != 0)
		goto fail;
	app.lang = strcmp(app.cfg.language, "en") == 0 ? LANG_EN : LANG_VI;
	return 0;
fail:
	fprintf(stderr, "sen: %s\n", err);
	return -1;
}

static int add_flag(flag_setting *flags, size_t *n, const char *key, const char *value)
{
	if (*n >= MAX_FLAG_SETTINGS) {
		fprintf(stderr, "sen: quá nhiều tham số\n");
		return -1;
	}
	flags[*n].key = key;
	flags[*n].value = value;
	(*n)++;
	return 0;
}

/* "--set section.key=value" */
static int add_set_flag(flag_setting *flags, size_t *n, char *arg)
{
	char *eq = strchr(arg, '=');
	if (eq == NULL) {
		fprintf(stderr, "sen: --set cần dạng mục.khóa=giá_trị, ví dụ server.threads=4\n");
		return -1;
	}
	*eq = '\0';
	return add_flag(flags, n, arg, eq + 1);
}

const char *app_default_data_dir(void)
{
	const char *d = getenv("SEN_DATA");
	return d != NULL && d[0] != '\0' ? d : "data";
}

/* ------------------------------------------------------------------ */
/* sen init                                                            */
/* ------------------------------------------------------------------ */

static int make_dir(const char *path)
{
	if (mkdir(path, 0750) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "sen: không tạo được thư mục %s: %s\n", path, strerror(errno));
	return -1;
}

static const char ini_template[] =
    "# Cấu hình Sen. Biến môi trường SEN_* và tham số dòng lệnh ghi đè các giá trị này.\n"
    "# Sen settings. SEN_* environment variables and command-line flags override them.\n"
    "# `sen serve --help` lists every key.\n"
    "\n"
    "[site]\n"
    "# name = Bảo tàng Chiến thắng lịch sử Điện Biên Phủ\n"
    "# base_url = http://127.0.0.1:8080\n"
    "# language = vi\n"
    "# utc_offset = +07:00\n"
    "\n"
    "[server]\n"
    "# listen = 127.0.0.1:8080\n"
    "# threads = 0\n"
    "# max_connections = 1024\n"
    "# per_ip_connections = 64\n"
    "# connection_timeout = 30\n"
    "# connection_memory = 16384\n"
    "# max_body = 1048576\n"
    "# Chạy bằng root: tài khoản để phục vụ (trống = sen nếu có, không thì nobody;\n"
    "# none = giữ quyền root, chỉ để phát triển).\n"
    "# user =\n"
    "\n"
    "[storage]\n"
    "# synchronous = normal\n";

static int write_ini_if_missing(void)
{
	char path[PATH_MAX];
	if (pathf(path, sizeof path, "%s/sen.ini", app.data_dir) != 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	ssize_t w = write(fd, ini_template, sizeof ini_template - 1);
	close(fd);
	return w == (ssize_t)(sizeof ini_template - 1) ? 0 : -1;
}

static uint32_t name_seed(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Draws every image the demo articles name into dir, so nothing is
 * downloaded and the repository carries no binary pictures. */
static int draw_demo_images(const char *jsonl, const char *dir)
{
	FILE *f = fopen(jsonl, "r");
	if (f == NULL) {
		fprintf(stderr, "sen: không mở được %s: %s\n", jsonl, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		json_t *imgs = json_object_get(o, "images");
		size_t i;
		json_t *img;
		json_array_foreach(imgs, i, img) {
			const char *src = json_string_value(json_object_get(img, "src"));
			if (src == NULL || strchr(src, '/') != NULL)
				continue;
			char path[PATH_MAX];
			if (pathf(path, sizeof path, "%s/%s", dir, src) != 0) {
				rc = -1;
				break;
			}
			if (access(path, F_OK) == 0)
				continue;
			if (draw_placeholder_png(path, 1200, 800, name_seed(src)) != 0) {
				fprintf(stderr, "sen: không vẽ được ảnh minh họa %s\n", src);
				rc = -1;
				break;
			}
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	return rc;
}

static int load_demo_links(db_t *db)
{
	char path[PATH_MAX];
	if (pathf(path, sizeof path, "%s/demo/links.json", app.share_dir) != 0)
		return -1;
	json_error_t jerr;
	json_t *arr = json_load_file(path, 0, &jerr);
	if (!json_is_array(arr)) {
		fprintf(stderr, "sen: %s:%d: %s\n", path, jerr.line, jerr.text);
		json_decref(arr);
		return -1;
	}
	size_t i;
	json_t *l;
	int rc = 0;
	json_array_foreach(arr, i, l) {
		int64_t id;
		const char *title = json_string_value(json_object_get(l, "title"));
		const char *url = json_string_value(json_object_get(l, "url"));
		if (title == NULL || url == NULL || link_add(db, title, url, &id) != 0) {
			rc = -1;
			break;
		}
	}
	json_decref(arr);
	return rc;
}

static void remove_dir_files(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char p[PATH_MAX];
		if (pathf(p, sizeof p, "%s/%s", dir, e->d_name) == 0)
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int load_demo(db_t *db)
{
	int64_t count = 0;
	if (article_count(db, 0, &count) != 0)
		return -1;
	if (count > 0) {
		fprintf(stderr, "Dữ liệu mẫu: đã có %lld bài viết, không nạp lại.\n",
			(long long)count);
		return register_demo_load(db, NULL);
	}
	char jsonl[PATH_MAX], tmp[] = "/tmp/sen-demo-XXXXXX";
	if (pathf(jsonl, sizeof jsonl, "%s/demo/articles.jsonl", app.share_dir) != 0)
		return -1;
	if (mkdtemp(tmp) == NULL) {
		fprintf(stderr, "sen: không tạo được thư mục tạm: %s\n", strerror(errno));
		return -1;
	}
	int rc = -1;
	import_report rep = {0};
	fprintf(stderr, "Dữ liệu mẫu: vẽ ảnh minh họa...\n");
	if (draw_demo_images(jsonl, tmp) != 0)
		goto done;
	if (import_articles(db, jsonl, tmp, app.media_dir, stderr, stderr, &rep) != 0)
		goto done;
	if (load_demo_links(db) != 0)
		goto done;
	int objects;
	if (register_demo_load(db, &objects) != 0)
		goto done;
	fprintf(stderr, "Dữ liệu mẫu: đã nạp %ld bài viết, các liên kết website và %d hiện vật"
			" của sổ đăng ký.\n", rep.imported, objects);
	rc = 0;
done:
	remove_dir_files(tmp);
	return rc;
}

static int database_exists(void)
{
	struct stat st;
	if (stat(app.db_path, &st) != 0) {
		fprintf(stderr, "sen: chưa có cơ sở dữ liệu %s; hãy chạy `sen init --data %s` trước\n",
			app.db_path, app.data_dir);
		return -1;
	}
	return 0;
}

/* A command run as root beside a server that dropped to an account gives
 * back what it wrote below media/ and tmp/ when it ends (core/privdrop.h). */
static void hand_back_at_exit(void)
{
	unsigned n = 0;
	if (privdrop_hand_back(app.data_dir, &n) != 0)
		fprintf(stderr, "sen: không trả được tệp mới trong %s cho tài khoản phục vụ; "
				"hãy chạy: chown -R --reference=%s %s/media\n", app.data_dir,
			app.data_dir, app.data_dir);
}

static int open_database(int create)
{
	char sql_dir[PATH_MAX];
	if (!create && database_exists() != 0)
		return -1;
	static bool hand_back_registered;
	if (geteuid() == 0 && !hand_back_registered) {
		hand_back_registered = true;
		atexit(hand_back_at_exit);
	}
	if (db_open(app.db_path, app.cfg.synchronous) != 0)
		return -1;
	db_t *db = db_get();
	if (db == NULL)
		return -1;
	if (pathf(sql_dir, sizeof sql_dir, "%s/sql", app.share_dir) != 0)
		return -1;
	return db_migrate(db, sql_dir);
}

app_t *app_load(const char *data_dir)
{
	if (set_paths(data_dir) != 0 || load_settings(NULL, 0) != 0 || open_database(0) != 0)
		return NULL;
	return &app;
}

static void usage_init(FILE *out)
{
	fprintf(out, "Cách dùng: sen init [--data DIR] [--demo]\n"
		     "  Tạo (hoặc nâng cấp) cơ sở dữ liệu trong DIR (mặc định ./data).\n"
		     "  Không bao giờ xóa dữ liệu có sẵn. --demo nạp nội dung mẫu một lần.\n");
}

static int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},
	    {"demo", no_argument, 0, 'D'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	const char *data = app_default_data_dir();
	int demo = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'D': demo = 1; break;
		case 'h': usage_init(stdout); return 0;
		default: usage_init(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage_init(stderr);
		return 2;
	}
	if (set_paths(data) != 0 || make_dir(app.data_dir) != 0)
		return 1;
	if (write_ini_if_missing() != 0) {
		fprintf(stderr, "sen: không ghi được %s/sen.ini\n", app.data_dir);
		return 1;
	}
	if (load_settings(NULL, 0) != 0 || make_dir(app.media_dir) != 0)
		return 1;
	if (open_database(1) != 0)
		return 1;
	db_t *db = db_get();
	fprintf(stderr, "Cơ sở dữ liệu: %s (phiên bản lược đồ %d)\n", app.db_path,
		db_schema_version(db));
	if (demo && load_demo(db) != 0)
		return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* sen serve                                                           */
/* ------------------------------------------------------------------ */

/* A version string for static URLs: changes whenever a file changes. */
static void compute_asset_version(const char *dir, uint64_t *h)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char p[PATH_MAX];
		struct stat st;
		if (pathf(p, sizeof p, "%s/%s", dir, e->d_name) != 0 || stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			compute_asset_version(p, h);
			continue;
		}
		uint64_t parts[3] = {(uint64_t)st.st_size, (uint64_t)st.st_mtime,
				     (uint64_t)st.st_ino};
		for (const char *s = e->d_name; *s; s++)
			*h = (*h ^ (unsigned char)*s) * 1099511628211ull;
		for (int i = 0; i < 3; i++)
			*h = (*h ^ parts[i]) * 1099511628211ull;
	}
	closedir(d);
}

static int load_templates(void)
{
	char err[1024];
	app.tmpl = tmpl_set_new();
	if (app.tmpl == NULL || tmpl_set_load_dir(app.tmpl, app.theme_dir, err, sizeof err) != 0) {
		fprintf(stderr, "sen: lỗi mẫu giao diện: %s\n", err);
		return -1;
	}
	char locale_dir[PATH_MAX];
	if (pathf(locale_dir, sizeof locale_dir, "%s/locale", app.share_dir) != 0 ||
	    i18n_load(locale_dir, err, sizeof err) != 0) {
		fprintf(stderr, "sen: lỗi danh mục ngôn ngữ: %s\n", err);
		return -1;
	}
	uint64_t h = 1469598103934665603ull;
	compute_asset_version(app.static_dir, &h);
	snprintf(app.asset_version, sizeof app.asset_version, "%012llx",
		 (unsigned long long)(h & 0xffffffffffffull));
	return 0;
}

static void usage_serve(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen serve [--data DIR] [--listen ADDR:PORT] [--threads N]\n"
		"                     [--set mục.khóa=giá_trị]... [--quiet]\n"
		"  Phục vụ cổng thông tin cho đến khi nhận SIGTERM/SIGINT.\n\n"
		"Cấu hình (DIR/sen.ini < biến môi trường < tham số):\n");
	config_print_help(out);
}

/* ---- issue 6: privilege drop, temporary failures, fault injection ---- */

/* Set once handlers may run: after the privilege drop (see cmd_serve). */
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

/* The portal's error pages; 503 and 507 say what happened and when to try
 * again (locale/ops/), with Retry-After. JSON under /api/. */
static void error_page_body(http_req *req, http_res *res, int status)
{
	if (status != 503 && status != 507) {
		portal_error_page(req, res, status);
		return;
	}
	bool busy = status == 503;
	const char *title = web_text(req, busy ? "ops_busy_title" : "ops_full_title");
	const char *message = web_text(req, busy ? "ops_busy" : "ops_full");
	buf_clear(&res->body);
	res->status = status;
	http_res_header(res, "Retry-After", busy ? "5" : "60");
	http_res_header(res, "Cache-Control", "no-store");
	if (req->path != NULL && strncmp(req->path, "/api/", 5) == 0) {
		web_api_error_text(res, status, busy ? "unavailable" : "storage_full", message);
		return;
	}
	json_t *ctx = json_pack("{s:s, s:s, s:i, s:s, s:{s:s}}", "page_title", title, "message",
				message, "status", status, "asset_version", app.asset_version,
				"site", "name", app.cfg.site_name);
	if (ctx != NULL)
		web_lang_context(req, ctx);
	if (ctx == NULL || tmpl_render(app.tmpl, "error", ctx, &res->body) != 0) {
		buf_clear(&res->body);
		buf_printf(&res->body, "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
				       "<title>%d</title><h1>%d</h1><p>", status, status);
		buf_append_html(&res->body, message, strlen(message));
		buf_puts(&res->body, "</p></html>");
	}
	json_decref(ctx);
	res->content_type = "text/html; charset=utf-8";
}

/* True when the request as sent was for the back office ("/admin",
 * "/admin/...", "/admin?..."), even when its path could not be decoded. */
static bool admin_target(const http_req *req)
{
	const char *t = req->raw_target != NULL ? req->raw_target : req->path;
	return t != NULL && strncmp(t, "/admin", 6) == 0 &&
	       (t[6] == '\0' || t[6] == '/' || t[6] == '?');
}

/* Every error page; those of the back office (also the ones the server
 * answers before routing: 400, 413, 414 ...) carry its headers. */
static void serve_error_page(http_req *req, http_res *res, int status)
{
	error_page_body(req, res, status);
	if (admin_target(req))
		admin_headers(res);
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},   {"listen", required_argument, 0, 'l'},
	    {"threads", required_argument, 0, 't'}, {"set", required_argument, 0, 's'},
	    {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	flag_setting flags[MAX_FLAG_SETTINGS];
	size_t nflags = 0;
	const char *data = app_default_data_dir();
	int quiet = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case 'd': data = optarg; break;
		case 'l': rc = add_flag(flags, &nflags, "server.listen", optarg); break;
		case 't': rc = add_flag(flags, &nflags, "server.threads", optarg); break;
		case 's': rc = add_set_flag(flags, &nflags, optarg); break;
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
	if (set_paths(data) != 0 || load_settings(flags, nflags) != 0)
		return 1;
	if (load_templates() != 0 || database_exists() != 0)
		return 1;
	/* Uploads are streamed to DATA/tmp (mode 0700); what a crash left
	 * there is deleted now. */
	char upload_dir[PATH_MAX];
	if (pathf(upload_dir, sizeof upload_dir, "%s/tmp", app.data_dir) != 0 ||
	    http_upload_dir_prepare(upload_dir) != 0)
		return 1;
	/* As root, the data directory goes to the account now, while no
	 * database file is open in this process: closing a descriptor of a file
	 * drops every lock SQLite holds on it, so this must never happen after
	 * the database is opened (core/privdrop.h, issue 10). */
	if (privdrop_prepare(app.cfg.user, app.data_dir) != 0) {
		fprintf(stderr, "sen: không giao được thư mục dữ liệu cho tài khoản phục vụ "
				"(xem server.user); dừng.\n");
		return 1;
	}

	char host[128];
	uint16_t port;
	if (config_listen_split(&app.cfg, host, sizeof host, &port) != 0) {
		fprintf(stderr, "sen: địa chỉ lắng nghe không hợp lệ: %s\n", app.cfg.listen);
		return 1;
	}
	/* The back office's routes go first: the public table ends in catch-alls. */
	size_t nroutes = admin_nroutes + portal_nroutes;
	http_route *routes = calloc(nroutes, sizeof *routes);
	if (routes == NULL)
		return 1;
	memcpy(routes, admin_routes, admin_nroutes * sizeof *routes);
	memcpy(routes + admin_nroutes, portal_routes, portal_nroutes * sizeof *routes);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	http_server_config hc = {
	    .host = host,
	    .port = port,
	    .threads = app.cfg.threads ? app.cfg.threads : (unsigned)(cores > 0 ? cores : 1),
	    .max_connections = app.cfg.max_connections,
	    .per_ip_connections = app.cfg.per_ip_connections,
	    .connection_timeout = app.cfg.connection_timeout,
	    .connection_memory = app.cfg.connection_memory,
	    .max_body = app.cfg.max_body,
	    .routes = routes,
	    .nroutes = nroutes,
	    .error_page = serve_error_page,
	    .before = serve_before,
	    .failure_status = serve_failure_status,
	    .app = &app,
	    .quiet = quiet,
	    .trusted_proxy = app.cfg.trusted_proxy[0] ? app.cfg.trusted_proxy : NULL,
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
	if (portal_widgets_register() != 0) {
		free(routes);
		return 1;
	}
	http_server *srv = http_server_start(&hc);
	if (srv == NULL) {
		free(routes);
		return 1;
	}
	/* The port is bound: nothing from here on needs root. Requests wait in
	 * serve_before() until the drop is done and the database is open; a
	 * failed drop ends the process at once, before any handler has run
	 * (core/privdrop.h). The database is opened only now, as the account,
	 * so every file SQLite creates is the account's. */
	if (privdrop_serve(app.cfg.user, app.data_dir, app.static_dir) != 0) {
		fprintf(stderr, "sen: không bỏ được quyền root (xem server.user); dừng.\n");
		_exit(1);
	}
	if (open_database(0) != 0 || visits_start(app.cfg.utc_offset) != 0) {
		fprintf(stderr, "sen: không mở được cơ sở dữ liệu %s; dừng.\n", app.db_path);
		_exit(1);
	}
	atomic_store_explicit(&serve_ready, 1, memory_order_release);
	/* Pictures left waiting by an earlier run are resized in the background. */
	media_image_start(app.media_dir);
	/* The search index's word counts are read ahead, so the first search
	 * of a word costs what later ones do (model/search_warm.h). */
	search_warm_start();
	log_info("Sen %s serving http://%s/ with %u threads (data: %s)", SEN_VERSION,
		 app.cfg.listen, hc.threads, app.data_dir);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("signal %d: finishing requests in flight", sig);
	http_server_stop(srv);
	media_image_stop();
	search_warm_stop();
	free(routes);
	/* After the server: no request can count a view any more. */
	visits_stop();
	db_thread_close();
	tmpl_set_free(app.tmpl);
	i18n_free();
	log_info("stopped");
	return 0;
}

/* ------------------------------------------------------------------ */
/* sen import                                                          */
/* ------------------------------------------------------------------ */

static void usage_import(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen import articles FILE.jsonl [--data DIR]\n"
		"  Mỗi dòng một bài viết JSON: title, body (Markdown), category, published_at\n"
		"  (ISO 8601), tùy chọn summary, tags, images [{src, caption}].\n"
		"  Kiểm tra mọi dòng trước; chỉ nhập khi tất cả hợp lệ (tất cả hoặc không gì cả).\n");
}

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	const char *data = app_default_data_dir();
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h': usage_import(stdout); return 0;
		default: usage_import(stderr); return 2;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "articles") != 0) {
		usage_import(stderr);
		return 2;
	}
	const char *file = argv[optind + 1];
	if (set_paths(data) != 0 || load_settings(NULL, 0) != 0 || open_database(0) != 0)
		return 1;
	import_report rep = {0};
	int rc = import_articles(db_get(), file, NULL, app.media_dir, stderr,
				 isatty(STDERR_FILENO) || getenv("SEN_PROGRESS") ? stderr : NULL, &rep);
	if (rc != 0) {
		fprintf(stderr, "Không nhập bài nào: %ld dòng lỗi trên %ld dòng.\n", rep.bad,
			rep.lines);
		return 1;
	}
	/* A large import leaves its one transaction in the WAL; fold it into the
	 * database now so readers do not search through it page by page. */
	if (db_exec(db_get(), "PRAGMA wal_checkpoint(TRUNCATE)") != 0)
		fprintf(stderr, "sen: không gộp được nhật ký WAL (sẽ tự gộp sau)\n");
	printf("Đã nhập %ld bài viết.\n", rep.imported);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("sen %s\n", SEN_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"init", cmd_init, "tạo hoặc nâng cấp thư mục dữ liệu (--demo: nạp nội dung mẫu)"},
    {"serve", cmd_serve, "phục vụ cổng thông tin"},
    {"import", cmd_import, "nhập bài viết từ tệp JSON Lines"},
    {"comments", cli_comments, "kiểm duyệt bình luận: list, approve, reject, spam, delete"},
    {"links", cli_links, "khối \"Liên kết website\": add, list, remove, move"},
    {"related", cli_related, "tin liên quan: pin, exclude, clear, list"},
    {"user", cli_user, "tài khoản quản trị: add, passwd, role, disable, list"},
    {"objects", cli_objects, "hiện vật của sổ đăng ký: import, export (CSV, XLSX)"},
    {"register", cli_register, "sổ đăng ký: verify (kiểm tra chuỗi băm)"},
    {"version", cmd_version, "in phiên bản"},
    {"help", cmd_help, "hướng dẫn"},
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Sen %s - cổng thông tin và phần mềm nghiệp vụ cho bảo tàng\n\n"
	       "Cách dùng: sen LỆNH [tham số]   (sen LỆNH --help để xem chi tiết)\n\n",
	       SEN_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "sen: không có lệnh '%s'. Xem `sen --help`.\n", argv[1]);
	return 2;
}
