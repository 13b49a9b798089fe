/*
 * backup.c - `sen backup DEST`, `sen restore SRC`, `sen check` (issue 15;
 * model/backup.h does the work, this file words it).
 *
 * Exit status: 0 done (or all fits), 1 refused or failed (one line says
 * which file and why), 2 wrong usage. docs/OPERATIONS.md is the drill.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "core/log.h"
#include "db/db.h"
#include "model/backup.h"

#ifndef SEN_VERSION
#define SEN_VERSION "0.1.0"
#endif

static const char *problem_text(enum backup_problem p)
{
	switch (p) {
	case BACKUP_DEST_NOT_EMPTY: return "thư mục đích không trống";
	case BACKUP_FULL: return "hết chỗ trên đĩa";
	case BACKUP_WRITE: return "không ghi được";
	case BACKUP_READ: return "không đọc được";
	case BACKUP_DATABASE: return "không sao được cơ sở dữ liệu";
	case BACKUP_NO_MANIFEST: return "không có MANIFEST: không phải bản sao lưu, hoặc bản sao lưu dở dang";
	case BACKUP_MANIFEST_BAD: return "MANIFEST hỏng hoặc bị cắt cụt";
	case BACKUP_FILE_MISSING: return "thiếu tệp";
	case BACKUP_FILE_DAMAGED: return "tệp hỏng (kích thước hoặc mã SHA-256 khác MANIFEST)";
	case BACKUP_OK: break;
	}
	return "lỗi";
}

static void report(const char *cmd, const backup_result *r)
{
	fprintf(stderr, "sen %s: %s: %s%s%s\n", cmd, problem_text(r->problem), r->path,
		r->err != 0 ? ": " : "", r->err != 0 ? strerror(r->err) : "");
}

/* --data DIR and operands (0 or 1) operands (DEST, SRC); cli_verb_args. */
static int parse(int argc, char **argv, void (*usage)(FILE *), int operands, const char **data,
		 const char **operand)
{
	int status = cli_verb_args(argc, argv, usage, NULL, operands, data);
	*operand = status < 0 && operands > 0 ? argv[optind] : NULL;
	return status;
}

static void usage_backup(FILE *out)
{
	fprintf(out, "Cách dùng: sen backup [--data DIR] ĐÍCH\n"
		     "  Sao lưu cơ sở dữ liệu (API sao lưu trực tuyến của SQLite, được khi máy chủ\n"
		     "  đang chạy và ghi), sen.ini và media/ vào thư mục ĐÍCH (mới hoặc trống), kèm\n"
		     "  MANIFEST ghi mã SHA-256 từng tệp. Lỗi (đĩa đầy, không ghi được): ĐÍCH được\n"
		     "  dọn sạch, dữ liệu không bị động đến.\n");
}

int cli_backup(int argc, char **argv)
{
	const char *data, *dest;
	int status = parse(argc, argv, usage_backup, 1, &data, &dest);
	if (status >= 0)
		return status;
	app_t *app = app_load(data);
	if (app == NULL)
		return 1;
	backup_result r;
	if (backup_make(db_get(), app->data_dir, dest, SEN_VERSION, &r) != 0) {
		report("backup", &r);
		return 1;
	}
	printf("Đã sao lưu %lu tệp (%" PRIu64 " byte) vào %s\n", r.files, r.bytes, dest);
	return 0;
}

static void usage_restore(FILE *out)
{
	fprintf(out, "Cách dùng: sen restore [--data DIR] NGUỒN\n"
		     "  Khôi phục bản sao lưu NGUỒN vào thư mục dữ liệu DIR (chưa có hoặc trống).\n"
		     "  Mọi tệp được so với MANIFEST trước khi ghi bất cứ thứ gì; bản sao lưu hỏng\n"
		     "  hoặc dở dang bị từ chối. Sau đó kiểm tra như `sen check`.\n");
}

static int check_and_report(app_t *app);

int cli_restore(int argc, char **argv)
{
	const char *data, *src;
	int status = parse(argc, argv, usage_restore, 1, &data, &src);
	if (status >= 0)
		return status;
	app_t *app = app_paths(data);
	if (app == NULL)
		return 1;
	backup_result r;
	if (backup_restore(src, app->data_dir, &r) != 0) {
		report("restore", &r);
		return 1;
	}
	printf("Đã khôi phục %lu tệp (%" PRIu64 " byte) vào %s\n", r.files, r.bytes, app->data_dir);
	if (app_settings(app, NULL, 0) != 0)
		return 1;
	return check_and_report(app);
}

static void usage_check(FILE *out)
{
	fprintf(out, "Cách dùng: sen check [--data DIR]\n"
		     "  Kiểm tra thư mục dữ liệu: integrity_check, khóa ngoại, chuỗi băm của sổ đăng\n"
		     "  ký, mọi ảnh cơ sở dữ liệu nhắc đến có mặt với đúng kích thước. DIR là một bản\n"
		     "  sao lưu (có MANIFEST): thêm mã SHA-256 của từng tệp. Mã thoát 1 khi có lỗi.\n");
}

static int check_and_report(app_t *app)
{
	if (app_database_exists(app) != 0 || db_open(app->db_path, app->cfg.synchronous) != 0)
		return 1;
	db_t *db = db_get();
	check_result c;
	if (db == NULL || check_data(db, app->media_dir, &c) != 0) {
		fprintf(stderr, "sen check: không đọc được %s (%s)\n", app->db_path, c.detail);
		return 1;
	}
	switch (c.problem) {
	case CHECK_OK:
		printf("Dữ liệu khớp: cơ sở dữ liệu toàn vẹn, khóa ngoại đúng, sổ đăng ký %" PRId64
		       " mục khớp chuỗi băm, %lu tệp ảnh có đủ.\n",
		       c.register_entries, c.media_files);
		return 0;
	case CHECK_INTEGRITY:
		fprintf(stderr, "sen check: cơ sở dữ liệu hỏng (integrity_check): %s\n", c.detail);
		break;
	case CHECK_FOREIGN_KEY:
		fprintf(stderr, "sen check: bảng %s có dòng trỏ tới dòng không tồn tại\n", c.detail);
		break;
	case CHECK_REGISTER:
		fprintf(stderr, "sen check: sổ đăng ký không khớp ở mục %" PRId64 " (hiện vật %" PRId64
				"); chạy `sen register verify` để biết chi tiết\n",
			c.entry, c.object_id);
		break;
	case CHECK_MEDIA_MISSING:
		fprintf(stderr, "sen check: thiếu tệp ảnh media/%s\n", c.detail);
		break;
	case CHECK_MEDIA_SIZE:
		fprintf(stderr, "sen check: tệp ảnh media/%s có kích thước khác với cơ sở dữ liệu\n",
			c.detail);
		break;
	case CHECK_STORAGE:
		fprintf(stderr, "sen check: lỗi đọc (%s)\n", c.detail);
		break;
	}
	return 1;
}

int cli_check(int argc, char **argv)
{
	const char *data, *none;
	int status = parse(argc, argv, usage_check, 0, &data, &none);
	if (status >= 0)
		return status;
	app_t *app = app_paths(data);
	if (app == NULL || app_settings(app, NULL, 0) != 0)
		return 1;
	char manifest[PATH_MAX];
	if (app_pathf(manifest, sizeof manifest, "%s/%s", app->data_dir, BACKUP_MANIFEST) != 0)
		return 1;
	FILE *f = fopen(manifest, "r");
	if (f != NULL) {
		fclose(f);
		backup_result r;
		if (backup_verify(app->data_dir, &r) != 0) {
			report("check", &r);
			return 1;
		}
		printf("Bản sao lưu khớp MANIFEST: %lu tệp (%" PRIu64 " byte).\n", r.files, r.bytes);
	}
	return check_and_report(app);
}
