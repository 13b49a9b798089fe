/*
 * init.c - `sen init`: makes (or upgrades) a data directory: the folder,
 * a commented sen.ini, media/, and the database with every migration;
 * with --demo, the sample content once (demo.c). Never deletes anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cli/cli.h"
#include "db/db.h"

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
    "# rights = http://rightsstatements.org/vocab/InC/1.0/\n"
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

static int write_ini_if_missing(const app_t *app)
{
	char path[PATH_MAX];
	if (app_pathf(path, sizeof path, "%s/sen.ini", app->data_dir) != 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	ssize_t w = write(fd, ini_template, sizeof ini_template - 1);
	close(fd);
	return w == (ssize_t)(sizeof ini_template - 1) ? 0 : -1;
}

static void usage_init(FILE *out)
{
	fprintf(out, "Cách dùng: sen init [--data DIR] [--demo]\n"
		     "  Tạo (hoặc nâng cấp) cơ sở dữ liệu trong DIR (mặc định ./data).\n"
		     "  Không bao giờ xóa dữ liệu có sẵn. --demo nạp nội dung mẫu một lần.\n");
}

int cli_init(int argc, char **argv)
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
	app_t *app = app_paths(data);
	if (app == NULL || make_dir(app->data_dir) != 0)
		return 1;
	if (write_ini_if_missing(app) != 0) {
		fprintf(stderr, "sen: không ghi được %s/sen.ini\n", app->data_dir);
		return 1;
	}
	if (app_settings(app, NULL, 0) != 0 || make_dir(app->media_dir) != 0)
		return 1;
	if (app_open_database(app, true) != 0)
		return 1;
	db_t *db = db_get();
	fprintf(stderr, "Cơ sở dữ liệu: %s (phiên bản lược đồ %d)\n", app->db_path,
		db_schema_version(db));
	if (demo && cli_demo_load(app, db) != 0)
		return 1;
	return 0;
}
