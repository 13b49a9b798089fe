/*
 * objects.c - `sen objects`: the register's objects from and to
 * spreadsheets.
 *
 *   sen objects import FILE.csv|FILE.xlsx [--dry-run]
 *   sen objects export FILE.csv|FILE.xlsx [--status S] [--material CODE] [--query WORDS]
 *
 * An import checks every row and cell first and prints each problem as
 * "FILE:ROW:COLUMN: reason" (ROW as the spreadsheet numbers it, the column
 * by its name in row 1); nothing is written until the file is clean, then
 * everything is written in one transaction. Progress goes to stderr on a
 * terminal (or with SEN_PROGRESS set). The model decides (object_import.h);
 * this file only turns its codes into Vietnamese.
 *
 * Exit status: 0 done, 1 refused or failed, 2 wrong usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "model/object_export.h"
#include "model/object_import.h"
#include "model/reg_check.h"
#include "model/sheet.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen objects LỆNH [--data DIR]\n"
		"  Hiện vật, tài liệu của sổ đăng ký, từ và ra bảng tính.\n\n"
		"  sen objects import TỆP.csv|TỆP.xlsx [--dry-run]\n"
		"      nhập vào sổ nhập tạm; kiểm tra mọi dòng trước, báo lỗi dạng\n"
		"      TỆP:DÒNG:CỘT: lý do, và không nhập gì khi còn lỗi.\n"
		"      --dry-run: chỉ kiểm tra.\n"
		"  sen objects export TỆP.csv|TỆP.xlsx [--status S] [--material MÃ] [--query TỪ]\n"
		"      xuất sổ (hoặc danh sách đã lọc); S: intake, main, reference, returned.\n\n"
		"  Cột (dòng 1): Tên hiện vật*, Chất liệu* (mã KL, ĐD, G... hoặc tên),\n"
		"  Phương thức thu nhận* (sưu tầm, hiến tặng, mua, khai quật, điều chuyển,\n"
		"  trao đổi, thu hồi, khác), Ngày thu nhận* (dd/mm/yyyy), Số nhập tạm, Tên khác,\n"
		"  Loại (hiện vật, tài liệu), Kỹ thuật, Dài/Rộng/Cao/Đường kính (cm),\n"
		"  Trọng lượng (g), Số lượng, Niên đại, Xuất xứ, Phân loại (di vật, cổ vật,\n"
		"  bảo vật quốc gia), Mô tả, Giá trị (đồng), Ghi chú, Người/đơn vị giao,\n"
		"  Số biên bản, Vị trí (Kho > Phòng > Giá > Hộp). (*: bắt buộc)\n"
		"  Tệp CSV: UTF-8 (có hoặc không BOM), dấu phẩy hoặc chấm phẩy; tệp cũ\n"
		"  Windows-1258, TCVN3 (ABC), VNI được nhận ra và chuyển sang Unicode.\n");
}

static const char *reason(enum reg_problem p)
{
	switch (p) {
	case REG_NOT_FOUND: return "không có trong danh mục hoặc cơ sở dữ liệu";
	case REG_REQUIRED: return "bắt buộc, đang để trống";
	case REG_TOO_LONG: return "quá dài";
	case REG_BAD_TEXT: return "có ký tự không hợp lệ";
	case REG_BAD_CHOICE: return "không phải một giá trị được phép";
	case REG_BAD_DATE: return "ngày không hợp lệ (viết dd/mm/yyyy)";
	case REG_BAD_NUMBER: return "không phải là số (ví dụ 12,5 hoặc 12,5 cm)";
	case REG_OUT_OF_RANGE: return "ngoài giới hạn cho phép";
	case REG_DUPLICATE: return "trùng (với dòng khác hoặc với sổ)";
	case REG_WRONG_STATE: return "không được phép ở trạng thái này";
	case REG_BAD_PATTERN: return "mẫu số đăng ký không hợp lệ";
	case REG_IN_FUTURE: return "ngày ở tương lai";
	case REG_UNKNOWN_COLUMN: return "cột không biết";
	case REG_MISSING_COLUMN: return "thiếu cột bắt buộc";
	case REG_NOT_PICTURE: return "không phải ảnh (JPEG, PNG, WebP, GIF)";
	case REG_OK: break;
	}
	return "không hợp lệ";
}

static const char *sheet_reason(const sheet_info *info)
{
	switch (info->status) {
	case SHEET_TOO_BIG: return "tệp vượt giới hạn (dung lượng, số dòng, số cột hoặc độ dài ô)";
	case SHEET_ENCODING:
		return "không đọc được bảng mã: không phải UTF-8, Windows-1258, TCVN3 (ABC) hay VNI";
	case SHEET_MALFORMED: return "tệp hỏng hoặc không đúng định dạng";
	case SHEET_NO_MEMORY: return "không đủ bộ nhớ";
	case SHEET_OK: break;
	}
	return "lỗi";
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcasecmp(s + n - t, tail) == 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct stat st;
	char *data = NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size >= 0 && (size_t)st.st_size <= SHEET_BYTES_MAX &&
	    (data = malloc((size_t)st.st_size + 1)) != NULL) {
		*len = fread(data, 1, (size_t)st.st_size, f);
		if (*len != (size_t)st.st_size) {
			free(data);
			data = NULL;
		}
	} else if (st.st_size > (off_t)SHEET_BYTES_MAX) {
		errno = EFBIG;
	}
	fclose(f);
	return data;
}

static void show_progress(int phase, size_t done, size_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r%s %zu/%zu dòng", phase == 0 ? "Kiểm tra" : "Nhập", done, total);
	fflush(stderr);
}

static int import(const char *file, bool dry_run)
{
	size_t len = 0;
	char *data = read_file(file, &len);
	if (data == NULL) {
		fprintf(stderr, "%s: không đọc được tệp: %s\n", file, strerror(errno));
		return 1;
	}
	sheet s;
	sheet_info info;
	if (ends_with(file, ".xlsx"))
		sheet_read_xlsx(data, len, &s, &info);
	else
		sheet_read_csv(data, len, &s, &info);
	free(data);
	if (info.status != SHEET_OK) {
		fprintf(stderr, "%s: %s\n", file, sheet_reason(&info));
		return 1;
	}
	if (strcmp(info.encoding, "UTF-8") != 0 && strcmp(info.encoding, "UTF-8 BOM") != 0)
		fprintf(stderr, "%s: bảng mã %s, đã chuyển sang Unicode (UTF-8)\n", file,
			info.encoding);
	object_import_report *rep = calloc(1, sizeof *rep);
	if (rep == NULL) {
		sheet_free(&s);
		return 1;
	}
	bool tty = isatty(STDERR_FILENO) || getenv("SEN_PROGRESS") != NULL;
	const char *who = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
	int rc = object_import(db_get(), &s, dry_run, who != NULL && who[0] ? who : "sen",
			       rep, tty ? show_progress : NULL, NULL);
	if (tty)
		fputc('\n', stderr);
	for (size_t i = 0; i < rep->nproblems; i++) {
		const object_import_problem *p = &rep->problems[i];
		fprintf(stderr, "%s:%zu:%s: %s\n", file, p->row, p->header, reason(p->code));
	}
	if (rep->total_problems > rep->nproblems)
		fprintf(stderr, "%s: ... và %zu lỗi nữa\n", file,
			rep->total_problems - rep->nproblems);
	int status = 0;
	if (rc == 1) {
		fprintf(stderr, "Không nhập gì: %zu lỗi trên %zu dòng.\n", rep->total_problems,
			rep->rows);
		status = 1;
	} else if (rc != 0) {
		/* A full disk is the user's to fix: said apart from other failures. */
		fprintf(stderr, db_full_seen() ? "Không nhập gì: hết chỗ lưu trữ (ổ đĩa đầy); giải "
						 "phóng chỗ trống rồi nhập lại.\n"
					       : "Không nhập gì: lỗi khi ghi cơ sở dữ liệu.\n");
		status = 1;
	} else if (dry_run) {
		printf("Tệp hợp lệ: %zu dòng (chưa nhập, --dry-run).\n", rep->rows);
	} else {
		printf("Đã nhập %zu hiện vật vào sổ nhập tạm (%zu đợt thu nhận, %zu người/đơn vị "
		       "giao mới).\n",
		       rep->imported, rep->acquisitions, rep->donors);
	}
	free(rep);
	sheet_free(&s);
	return status;
}

static int export(const char *file, const object_filter *flt)
{
	enum object_export_format fmt = ends_with(file, ".xlsx") ? OBJECT_EXPORT_XLSX
							       : OBJECT_EXPORT_CSV;
	if (!ends_with(file, ".xlsx") && !ends_with(file, ".csv")) {
		fprintf(stderr, "sen objects export: tệp phải là .csv hoặc .xlsx\n");
		return 2;
	}
	size_t rows;
	if (object_export(db_get(), flt, fmt, file, &rows) != 0) {
		fprintf(stderr, "%s: không xuất được\n", file);
		return 1;
	}
	printf("Đã xuất %zu hiện vật vào %s.\n", rows, file);
	return 0;
}

int cli_objects(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},   {"dry-run", no_argument, 0, 'n'},
	    {"status", required_argument, 0, 's'}, {"material", required_argument, 0, 'm'},
	    {"query", required_argument, 0, 'q'},  {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	const char *data = app_default_data_dir();
	bool dry_run = false;
	object_filter flt = {0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'n': dry_run = true; break;
		case 's': flt.status = optarg; break;
		case 'm': flt.material_code = optarg; break;
		case 'q': flt.query = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	const char *verb = argv[optind], *file = argv[optind + 1];
	bool is_import = strcmp(verb, "import") == 0;
	if (!is_import && strcmp(verb, "export") != 0) {
		usage(stderr);
		return 2;
	}
	if (app_load(data) == NULL)
		return 1;
	return is_import ? import(file, dry_run) : export(file, &flt);
}
