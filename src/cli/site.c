/*
 * site.c - `sen links` (the "Liên kết website" block) and `sen related`
 * (editors' choices for "Tin liên quan"), until the back office exists.
 *
 * Both write straight to the database; a running server shows the change
 * once its one-second page cache has expired (portal/cache.h).
 * Exit status: 0 done, 1 refused or failed (the reason is printed in
 * Vietnamese), 2 wrong usage.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/fmt.h"
#include "db/db.h"
#include "model/article.h"
#include "model/link.h"
#include "model/related.h"

#define ID_MAX INT64_C(999999999999999) /* the portal's ids never reach 15 digits */
#define POSITION_MAX 100000

/* ---- shared ------------------------------------------------------------------ */

/* The remaining words, with flags allowed after them too ("add T U --data D"). */
static int collect(int argc, char **argv, const char **data, char **words, int max, int *nwords,
		   void (*usage)(FILE *))
{
	*nwords = 0;
	*data = app_default_data_dir();
	bool only_words = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_words && strcmp(a, "--") == 0) {
			only_words = true;
		} else if (!only_words && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			usage(stdout);
			return 0;
		} else if (!only_words && strcmp(a, "--data") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: --data cần một thư mục\n", argv[0]);
				usage(stderr);
				return 2;
			}
			*data = argv[++i];
		} else if (!only_words && strncmp(a, "--data=", 7) == 0) {
			*data = a + 7;
		} else if (!only_words && a[0] == '-' && a[1] != '\0' &&
			   !(a[1] >= '0' && a[1] <= '9')) {
			/* "-3" is a position ("move 4 -3" = first), not a flag. */
			fprintf(stderr, "sen %s: không hiểu tùy chọn '%s'\n", argv[0], a);
			usage(stderr);
			return 2;
		} else {
			if (*nwords >= max) {
				fprintf(stderr, "sen %s: thừa tham số '%s'\n", argv[0], a);
				usage(stderr);
				return 2;
			}
			words[(*nwords)++] = argv[i];
		}
	}
	return -1;
}

/* An article or link id: 1..ID_MAX, digits only. */
static int parse_id(const char *what, const char *s, int64_t *id)
{
	int64_t v;
	if (s[0] == '-' || parse_int64(s, &v) != 0 || v < 1 || v > ID_MAX) {
		fprintf(stderr, "Mã %s không hợp lệ: '%s' (cần một số nguyên dương).\n", what, s);
		return -1;
	}
	*id = v;
	return 0;
}

/* ---- sen links ---------------------------------------------------------------- */

static void usage_links(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen links LỆNH [--data DIR]\n"
		"  Khối \"Liên kết website\" ở cột bên của mọi trang.\n\n"
		"  sen links list                 liệt kê theo thứ tự hiển thị\n"
		"  sen links add TÊN ĐỊA_CHỈ      thêm vào cuối (http://, https:// hoặc /đường-dẫn)\n"
		"  sen links remove MÃ            xóa một liên kết\n"
		"  sen links move MÃ VỊ_TRÍ       chuyển tới vị trí (1 = đầu tiên)\n\n"
		"  Trang đang phục vụ hiển thị thay đổi sau tối đa một giây.\n");
}

static int links_list(db_t *db)
{
	arena_t *a = arena_new(16 * 1024);
	link_item *items = NULL;
	size_t n = 0;
	if (a == NULL || link_list(db, a, &items, &n) != 0) {
		fprintf(stderr, "Không đọc được danh sách liên kết.\n");
		arena_free(a);
		return 1;
	}
	if (n == 0)
		printf("Chưa có liên kết nào.\n");
	else
		printf("%-6s %-6s %-40s %s\n", "VỊ TRÍ", "MÃ", "TÊN", "ĐỊA CHỈ");
	for (size_t i = 0; i < n; i++)
		printf("%-6d %-6" PRId64 " %-40s %s\n", items[i].position, items[i].id,
		       items[i].title, items[i].url);
	arena_free(a);
	return 0;
}

/* Why link_validate() refused (model/link.h), for the person at the terminal. */
static void print_link_problem(const model_problem *p)
{
	static const char *const reasons[] = {
		[LINK_TITLE_EMPTY] = "Tên liên kết không được để trống.",
		[LINK_TITLE_LONG] = "Tên liên kết dài quá %" PRId64 " byte.",
		[LINK_TITLE_UTF8] = "Tên liên kết không phải UTF-8 hợp lệ.",
		[LINK_TITLE_CONTROL] = "Tên liên kết chứa ký tự điều khiển.",
		[LINK_URL_EMPTY] = "Địa chỉ liên kết không được để trống.",
		[LINK_URL_LONG] = "Địa chỉ liên kết dài quá %" PRId64 " byte.",
		[LINK_URL_UTF8] = "Địa chỉ liên kết không phải UTF-8 hợp lệ.",
		[LINK_URL_INVALID] = "Địa chỉ liên kết chứa ký tự không hợp lệ.",
		[LINK_URL_SCHEME] = "Địa chỉ liên kết phải bắt đầu bằng http://, https:// hoặc /.",
		[LINK_URL_HOST] = "Địa chỉ liên kết thiếu tên miền.",
		[LINK_URL_USERINFO] = "Địa chỉ liên kết không được chứa tên người dùng (@).",
	};
	const char *reason = "Liên kết không hợp lệ.";
	if (p->code > 0 && (size_t)p->code < sizeof reasons / sizeof reasons[0] &&
	    reasons[p->code] != NULL)
		reason = reasons[p->code];
	fprintf(stderr, "Không thêm được liên kết: ");
	fprintf(stderr, reason, p->limit);
	fputc('\n', stderr);
}

/* title and url are NFC already (or NULL: not valid UTF-8). */
static int links_add(db_t *db, const char *title, const char *url)
{
	model_problem why;
	if (title == NULL || url == NULL)
		return 1;
	if (link_validate(title, url, &why) != 0) {
		print_link_problem(&why);
		return 1;
	}
	int64_t id;
	if (link_add(db, title, url, &id) != 0) {
		fprintf(stderr, "Không thêm được liên kết (đã đủ số liên kết tối đa, hoặc lỗi "
				"cơ sở dữ liệu).\n");
		return 1;
	}
	printf("Đã thêm liên kết #%" PRId64 ".\n", id);
	return 0;
}

static int links_remove(db_t *db, int64_t id)
{
	int rc = link_remove(db, id);
	if (rc == 1) {
		fprintf(stderr, "Không có liên kết #%" PRId64 ".\n", id);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "Không xóa được liên kết #%" PRId64 ".\n", id);
		return 1;
	}
	printf("Đã xóa liên kết #%" PRId64 ".\n", id);
	return 0;
}

static int links_move(db_t *db, int64_t id, const char *where)
{
	int64_t pos;
	if (parse_int64(where, &pos) != 0 || pos < -POSITION_MAX || pos > POSITION_MAX) {
		fprintf(stderr, "Vị trí không hợp lệ: '%s' (cần một số nguyên, 1 = đầu tiên).\n",
			where);
		return 1;
	}
	int rc = link_move(db, id, (int)pos);
	if (rc == 1) {
		fprintf(stderr, "Không có liên kết #%" PRId64 ".\n", id);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "Không chuyển được liên kết #%" PRId64 ".\n", id);
		return 1;
	}
	printf("Đã chuyển liên kết #%" PRId64 ".\n", id);
	return 0;
}

int cli_links(int argc, char **argv)
{
	char *w[3];
	int n;
	const char *data;
	int rc = collect(argc, argv, &data, w, 3, &n, usage_links);
	if (rc >= 0)
		return rc;
	if (n == 0) {
		usage_links(stderr);
		return 2;
	}
	const char *cmd = w[0];
	int want = strcmp(cmd, "list") == 0     ? 1
		   : strcmp(cmd, "add") == 0    ? 3
		   : strcmp(cmd, "remove") == 0 ? 2
		   : strcmp(cmd, "move") == 0   ? 3
						: -1;
	if (want < 0) {
		fprintf(stderr, "sen links: không có lệnh '%s'.\n", cmd);
		usage_links(stderr);
		return 2;
	}
	if (n != want) {
		usage_links(stderr);
		return 2;
	}
	int64_t id = 0;
	if ((strcmp(cmd, "remove") == 0 || strcmp(cmd, "move") == 0) &&
	    parse_id("liên kết", w[1], &id) != 0)
		return 1;
	app_t *app = app_load(data);
	if (app == NULL)
		return 1;
	db_t *db = db_get();
	if (db == NULL)
		return 1;
	if (strcmp(cmd, "list") == 0)
		rc = links_list(db);
	else if (strcmp(cmd, "add") == 0)
		rc = links_add(db, cli_nfc(w[1]), cli_nfc(w[2]));
	else if (strcmp(cmd, "remove") == 0)
		rc = links_remove(db, id);
	else
		rc = links_move(db, id, w[2]);
	db_thread_close();
	return rc;
}

/* ---- sen related ----------------------------------------------------------------- */

static void usage_related(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen related LỆNH [--data DIR]\n"
		"  Mục \"Tin liên quan\" dưới mỗi bài viết (tối đa %d bài).\n\n"
		"  sen related list MÃ              các bài đang hiển thị dưới bài MÃ\n"
		"  sen related pin MÃ MÃ_KHÁC       luôn đưa bài MÃ_KHÁC lên đầu danh sách\n"
		"  sen related exclude MÃ MÃ_KHÁC   không bao giờ hiển thị bài MÃ_KHÁC\n"
		"  sen related clear MÃ [MÃ_KHÁC]   bỏ lựa chọn về MÃ_KHÁC (hoặc mọi lựa chọn)\n\n"
		"  Lựa chọn chỉ theo một chiều: ghim B dưới A không ghim A dưới B.\n",
		RELATED_DEFAULT);
}

static int related_show(db_t *db, int64_t id, const app_t *app)
{
	arena_t *a = arena_new(16 * 1024);
	if (a == NULL)
		return 1;
	article *items = NULL;
	size_t n = 0;
	int rc = related_list(db, a, id, RELATED_DEFAULT, &items, &n);
	if (rc == 1) {
		fprintf(stderr, "Không có bài viết #%" PRId64 ".\n", id);
		arena_free(a);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "Không đọc được tin liên quan của bài #%" PRId64 ".\n", id);
		arena_free(a);
		return 1;
	}
	if (n == 0)
		printf("Bài #%" PRId64 " chưa có tin liên quan (không còn bài nào khác đã đăng).\n",
		       id);
	else
		printf("Tin liên quan của bài #%" PRId64 ":\n", id);
	for (size_t i = 0; i < n; i++) {
		char date[32];
		fmt_date(date, sizeof date, items[i].published_at, app->cfg.utc_offset);
		printf("%zu. #%" PRId64 " %s (%s)\n", i + 1, items[i].id, items[i].title, date);
	}
	arena_free(a);
	return 0;
}

static int related_choose(db_t *db, const char *cmd, int64_t id, int64_t other)
{
	int rc;
	if (strcmp(cmd, "pin") == 0)
		rc = related_pin(db, id, other);
	else
		rc = related_exclude(db, id, other);
	if (rc == 0) {
		printf(strcmp(cmd, "pin") == 0
			   ? "Đã ghim bài #%" PRId64 " vào tin liên quan của bài #%" PRId64 ".\n"
			   : "Đã loại bài #%" PRId64 " khỏi tin liên quan của bài #%" PRId64 ".\n",
		       other, id);
		return 0;
	}
	if (rc == 1 && id == other)
		fprintf(stderr, "Một bài không thể là tin liên quan của chính nó.\n");
	else if (rc == 1)
		fprintf(stderr, "Không có bài viết #%" PRId64 " hoặc #%" PRId64 ".\n", id, other);
	else if (rc == 2)
		fprintf(stderr, "Bài #%" PRId64 " đã có %d bài được ghim; hãy bỏ bớt trước "
				"(sen related clear).\n", id, RELATED_PINS_MAX);
	else
		fprintf(stderr, "Không lưu được lựa chọn (lỗi cơ sở dữ liệu).\n");
	return 1;
}

static int related_unchoose(db_t *db, int64_t id, int64_t other)
{
	int rc = related_clear(db, id, other);
	if (rc < 0) {
		fprintf(stderr, "Không xóa được lựa chọn (lỗi cơ sở dữ liệu).\n");
		return 1;
	}
	if (rc == 1) {
		/* Nothing to clear is what the editor wanted: not a failure. */
		printf("Bài #%" PRId64 " không có lựa chọn nào để bỏ.\n", id);
		return 0;
	}
	if (other != 0)
		printf("Đã bỏ lựa chọn về bài #%" PRId64 " trong tin liên quan của bài #%" PRId64 ".\n",
		       other, id);
	else
		printf("Đã bỏ mọi lựa chọn trong tin liên quan của bài #%" PRId64 ".\n", id);
	return 0;
}

int cli_related(int argc, char **argv)
{
	char *w[3];
	int n;
	const char *data;
	int rc = collect(argc, argv, &data, w, 3, &n, usage_related);
	if (rc >= 0)
		return rc;
	if (n == 0) {
		usage_related(stderr);
		return 2;
	}
	const char *cmd = w[0];
	bool ok_count;
	if (strcmp(cmd, "list") == 0)
		ok_count = n == 2;
	else if (strcmp(cmd, "pin") == 0 || strcmp(cmd, "exclude") == 0)
		ok_count = n == 3;
	else if (strcmp(cmd, "clear") == 0)
		ok_count = n == 2 || n == 3;
	else {
		fprintf(stderr, "sen related: không có lệnh '%s'.\n", cmd);
		usage_related(stderr);
		return 2;
	}
	if (!ok_count) {
		usage_related(stderr);
		return 2;
	}
	int64_t id, other = 0;
	if (parse_id("bài viết", w[1], &id) != 0 || (n == 3 && parse_id("bài viết", w[2], &other) != 0))
		return 1;
	app_t *app = app_load(data);
	if (app == NULL)
		return 1;
	db_t *db = db_get();
	if (db == NULL)
		return 1;
	if (strcmp(cmd, "list") == 0)
		rc = related_show(db, id, app);
	else if (strcmp(cmd, "clear") == 0)
		rc = related_unchoose(db, id, other);
	else
		rc = related_choose(db, cmd, id, other);
	db_thread_close();
	return rc;
}
