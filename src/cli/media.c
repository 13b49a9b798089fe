/*
 * media.c - `sen media variants`: makes the variants (widths for srcset,
 * WebP) of every picture that lacks them (model/media_image.h): pictures of
 * a database from before they were made on every path. One picture at a
 * time, each recorded as it is made, with a line per picture: stopped
 * half-way, it goes on where it stopped when run again; run on a complete
 * library, it makes nothing.
 *
 * A running server fills in the same pictures on its own, slowly; the
 * command is for doing it now.
 *
 * Exit status: 0 every picture has its variants, 1 a picture failed (it
 * stays served as its original; named in the server log format on stderr)
 * or an error, 2 wrong usage.
 */
#include <inttypes.h>
#include <stdio.h>

#include "app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "model/media_image.h"

static void usage(FILE *out)
{
	fprintf(out, "Cách dùng: sen media variants [--data DIR]\n"
		     "  Làm các bản thu nhỏ (nhiều bề rộng, WebP) cho mọi ảnh còn thiếu, từng\n"
		     "  ảnh một; dừng giữa chừng thì chạy lại để làm tiếp.\n");
}

int cli_media(int argc, char **argv)
{
	const char *data;
	int64_t total = 0;
	int status = cli_verb_args(argc, argv, usage, "variants", 1, &data);
	const app_t *app = status < 0 ? app_load(data) : NULL;
	if (app == NULL)
		return status >= 0 ? status : 1;
	db_t *db = db_get();
	if (media_image_missing(db, &total) != 0) {
		fprintf(stderr, "sen media variants: không đọc được thư viện ảnh\n");
		return 1;
	}
	if (total == 0) {
		printf("Mọi ảnh đã có đủ bản thu nhỏ.\n");
		return 0;
	}
	printf("%" PRId64 " ảnh thiếu bản thu nhỏ.\n", total);
	int64_t after = 0, done = 0, failed = 0;
	int rc;
	while ((rc = media_image_complete_next(db, app->media_dir, &after)) == 0 || rc == 2) {
		done++;
		failed += rc == 2;
		printf("Ảnh %" PRId64 "/%" PRId64 " (số %" PRId64 "): %s\n", done, total, after,
		       rc == 0 ? "xong" : "lỗi, vẫn dùng ảnh gốc");
		fflush(stdout);
	}
	if (rc < 0) {
		fprintf(stderr, "sen media variants: không đọc được thư viện ảnh\n");
		return 1;
	}
	printf("Đã làm bản thu nhỏ cho %" PRId64 " ảnh; %" PRId64 " ảnh lỗi.\n", done - failed,
	       failed);
	return failed > 0 ? 1 : 0;
}
