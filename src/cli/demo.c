/*
 * demo.c - the sample content of `sen init --demo`: the articles of
 * demo/articles.jsonl with pictures drawn for them, the website links of
 * demo/links.json, and the register's sample objects (model/register_demo.h,
 * loaded also when the articles are already there).
 *
 * The pictures are drawn (render/draw.h) into a temporary folder, so the
 * repository carries no binary pictures and nothing is downloaded; the
 * importer copies them into the media store and the folder is removed.
 * Memory: nothing outlives the call.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli/cli.h"
#include "core/dir.h"
#include "model/article.h"
#include "model/import.h"
#include "model/link.h"
#include "model/exhibition_demo.h"
#include "model/media_image.h"
#include "model/media_tiles.h"
#include "model/award.h"
#include "model/plan.h"
#include "model/task.h"
#include "model/register_demo.h"
#include "render/draw.h"

static uint32_t name_seed(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Draws every image the demo articles name into dir. */
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
			if (app_pathf(path, sizeof path, "%s/%s", dir, src) != 0) {
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

static int load_demo_links(const app_t *app, db_t *db)
{
	char path[PATH_MAX];
	if (app_pathf(path, sizeof path, "%s/demo/links.json", app->share_dir) != 0)
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

static int remove_entry(const char *path, const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	unlink(path);
	return 0;
}

/* Empties dir (files only) and removes it. */
static void remove_dir_files(const char *dir)
{
	if (dir_each(dir, remove_entry, NULL) == 0)
		rmdir(dir);
}

/* The year's plans, then the awards that reward the units and staff the
 * plans' demo brings, and the 2021 plan's key tasks. */
static int demo_plans_load(db_t *db)
{
	return plan_demo_load(db) == 0 && award_demo_load(db) == 0 ? task_demo_load(db) : -1;
}

int cli_demo_load(const app_t *app, db_t *db)
{
	int64_t count = 0;
	if (article_count(db, 0, &count) != 0)
		return -1;
	if (count > 0) {
		fprintf(stderr, "Dữ liệu mẫu: đã có %lld bài viết, không nạp lại.\n",
			(long long)count);
		return register_demo_load(db, NULL) == 0 && exhibition_demo_load(db, NULL, NULL) == 0
			       ? demo_plans_load(db)
			       : -1;
	}
	char jsonl[PATH_MAX], tmp[] = "/tmp/sen-demo-XXXXXX";
	if (app_pathf(jsonl, sizeof jsonl, "%s/demo/articles.jsonl", app->share_dir) != 0)
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
	if (import_articles(db, jsonl, tmp, app->media_dir, stderr, stderr, &rep) != 0)
		goto done;
	if (load_demo_links(app, db) != 0)
		goto done;
	int objects;
	int exhibitions, books;
	if (register_demo_load(db, &objects) != 0 ||
	    exhibition_demo_load(db, &exhibitions, &books) != 0 ||
	    demo_plans_load(db) != 0)
		goto done;
	/* The demo objects' photos get their deep-zoom tiles now (a few
	 * seconds), so the first visitor sees them; a failure is left to the
	 * worker of `sen serve`, which tries again. */
	int tiled = 0;
	if (media_image_init() == 0)
		media_tiles_run_pending(db, app->media_dir, 100, &tiled);
	fprintf(stderr, "Dữ liệu mẫu: đã nạp %ld bài viết, các liên kết website, %d hiện vật"
			" của sổ đăng ký, %d cuộc trưng bày và %d ấn phẩm.\n", rep.imported, objects,
		exhibitions, books);
	rc = 0;
done:
	remove_dir_files(tmp);
	return rc;
}
