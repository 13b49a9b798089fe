/*
 * import.c - `sen import articles FILE.jsonl`: articles from JSON Lines,
 * all or nothing (model/import.h does the work and prints each bad line).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "model/import.h"

static void usage_import(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen import articles FILE.jsonl [--data DIR]\n"
		"  Mỗi dòng một bài viết JSON: title, body (Markdown), category, published_at\n"
		"  (ISO 8601), tùy chọn summary, tags, images [{src, caption}].\n"
		"  Kiểm tra mọi dòng trước; chỉ nhập khi tất cả hợp lệ (tất cả hoặc không gì cả).\n");
}

int cli_import(int argc, char **argv)
{
	const char *data;
	int status = cli_verb_args(argc, argv, usage_import, "articles", 2, &data);
	if (status >= 0)
		return status;
	const char *file = argv[optind + 1];
	app_t *app = app_load(data);
	if (app == NULL)
		return 1;
	import_report rep = {0};
	int rc = import_articles(db_get(), file, NULL, app->media_dir, stderr,
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
	if (rep.pictures_failed > 0)
		fprintf(stderr, "%ld ảnh chưa làm được bản thu nhỏ (vẫn dùng ảnh gốc); chạy lại"
				" `sen media variants` sau.\n", rep.pictures_failed);
	return 0;
}
