/*
 * main.c - the `sen` command line: finds the command and runs it. Each
 * command is a file of src/cli/ (cli.h); what they share to start up,
 * paths, settings, the database and templates, is src/app.c.
 *
 * Settings come from defaults < DATA/sen.ini < SEN_* environment < flags.
 * Every command that touches data takes --data DIR (default ./data, or
 * SEN_DATA).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef SEN_VERSION
#define SEN_VERSION "0.1.0"
#endif

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
    {"init", cli_init, "tạo hoặc nâng cấp thư mục dữ liệu (--demo: nạp nội dung mẫu)"},
    {"serve", cli_serve, "phục vụ cổng thông tin"},
    {"import", cli_import, "nhập bài viết từ tệp JSON Lines"},
    {"comments", cli_comments, "kiểm duyệt bình luận: list, approve, reject, spam, delete"},
    {"links", cli_links, "khối \"Liên kết website\": add, list, remove, move"},
    {"related", cli_related, "tin liên quan: pin, exclude, clear, list"},
    {"user", cli_user, "tài khoản quản trị: add, passwd, role, disable, list"},
    {"objects", cli_objects, "hiện vật của sổ đăng ký: import, export (CSV, XLSX)"},
    {"register", cli_register, "sổ đăng ký: verify (kiểm tra chuỗi băm)"},
    {"media", cli_media, "ảnh: variants (làm bản thu nhỏ còn thiếu)"},
    {"backup", cli_backup, "sao lưu dữ liệu khi đang phục vụ (kèm MANIFEST SHA-256)"},
    {"restore", cli_restore, "khôi phục bản sao lưu vào thư mục dữ liệu trống"},
    {"check", cli_check, "kiểm tra thư mục dữ liệu hoặc bản sao lưu"},
    {"routes", cli_routes, "liệt kê mọi địa chỉ và vai trò được dùng"},
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
