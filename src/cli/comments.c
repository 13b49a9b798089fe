/*
 * comments.c - `sen comments`: moderating readers' comments from the command
 * line until the back office exists.
 *
 *   sen comments list [--status pending|approved|rejected|spam|all] [--article ID]
 *   sen comments approve|reject|spam|delete ID...
 *
 * Comments are written by strangers, so what is printed is made safe for a
 * terminal: control characters (which could move the cursor or retitle the
 * window) are shown as \xNN. The changes reach a running server's pages once
 * its one-second page cache has expired (portal/cache.h).
 * Exit status: 0 done, 1 refused or failed (the reason is printed in
 * Vietnamese; with several ids, the others are still done), 2 wrong usage.
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
#include "model/comment.h"

#define ID_MAX INT64_C(999999999999999) /* ids never reach 15 digits */
#define IDS_MAX 1000                    /* ids in one command */

static void usage(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen comments LỆNH [--data DIR]\n"
		"  Kiểm duyệt bình luận của bạn đọc (mục \"Bình luận\" dưới bài viết).\n\n"
		"  sen comments list [--status TRẠNG_THÁI] [--article MÃ_BÀI]\n"
		"        liệt kê, mới nhất trước; TRẠNG_THÁI: pending (mặc định), approved,\n"
		"        rejected, spam hoặc all\n"
		"  sen comments approve MÃ...    duyệt: bình luận hiện dưới bài viết\n"
		"  sen comments reject MÃ...     từ chối: không hiển thị\n"
		"  sen comments spam MÃ...       đánh dấu là thư rác: không hiển thị\n"
		"  sen comments delete MÃ...     xóa hẳn\n\n"
		"  Trang đang phục vụ hiển thị thay đổi sau tối đa một giây.\n");
}

/* An id: 1..ID_MAX, digits only. */
static int parse_id(const char *what, const char *s, int64_t *id)
{
	int64_t v;
	if (s[0] == '-' || s[0] == '+' || parse_int64(s, &v) != 0 || v < 1 || v > ID_MAX) {
		fprintf(stderr, "Mã %s không hợp lệ: '%s' (cần một số nguyên dương).\n", what, s);
		return -1;
	}
	*id = v;
	return 0;
}

/* ---- printing strangers' text -------------------------------------------------- */

/* Writes s with C0/C1 controls and DEL as \xNN; each LF starts a new line
 * indented by `indent` (tabs stay tabs). */
static void print_safe(const char *s, const char *indent)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; p[i] != '\0'; i++) {
		unsigned char c = p[i];
		if (c == '\n') {
			printf("\n%s", indent);
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			printf("\\x%02x", c);
		} else if (c == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			printf("\\xc2\\x%02x", p[i + 1]);
			i++;
		} else {
			putchar(c);
		}
	}
}

static void print_comment(const comment *c, const app_t *app)
{
	char date[32];
	fmt_datetime(date, sizeof date, c->created_at, app->cfg.utc_offset);
	const char *status = comment_status_name(c->status);
	printf("#%" PRId64 "  [%s]  %s  bài #%" PRId64 "  ", c->id, status ? status : "?", date,
	       c->article_id);
	print_safe(c->name, "");
	if (c->email != NULL && c->email[0] != '\0') {
		printf(" <");
		print_safe(c->email, "");
		printf(">");
	}
	printf("\n    ");
	print_safe(c->body, "    ");
	printf("\n\n");
}

/* ---- list ---------------------------------------------------------------------- */

static int list(db_t *db, const app_t *app, int status, int64_t article_id)
{
	arena_t *a = arena_new(64 * 1024);
	if (a == NULL)
		return 1;
	int64_t before = 0;
	size_t total = 0;
	bool more = true;
	while (more) {
		comment *items = NULL;
		size_t n = 0;
		if (comment_list(db, a, status, article_id, before, COMMENT_LIST_MAX, &items, &n,
				 &more) != 0) {
			fprintf(stderr, "Không đọc được danh sách bình luận.\n");
			arena_free(a);
			return 1;
		}
		for (size_t i = 0; i < n; i++)
			print_comment(&items[i], app);
		total += n;
		if (n == 0)
			break;
		before = items[n - 1].id;
		/* Each page is printed already; its memory can go. */
		arena_reset(a);
	}
	const char *which = status < 0 ? "all" : comment_status_name(status);
	if (total == 0)
		printf("Không có bình luận nào (trạng thái: %s).\n", which);
	else
		printf("Tổng cộng: %zu bình luận (trạng thái: %s).\n", total, which);
	arena_free(a);
	return 0;
}

/* ---- approve / reject / spam / delete ----------------------------------------------- */

static int change(db_t *db, const char *cmd, int64_t id)
{
	int rc;
	const char *done;
	if (strcmp(cmd, "delete") == 0) {
		rc = comment_delete(db, id);
		done = "Đã xóa bình luận #%" PRId64 ".\n";
	} else if (strcmp(cmd, "approve") == 0) {
		rc = comment_set_status(db, id, COMMENT_APPROVED);
		done = "Đã duyệt bình luận #%" PRId64 ".\n";
	} else if (strcmp(cmd, "reject") == 0) {
		rc = comment_set_status(db, id, COMMENT_REJECTED);
		done = "Đã từ chối bình luận #%" PRId64 ".\n";
	} else {
		rc = comment_set_status(db, id, COMMENT_SPAM);
		done = "Đã đánh dấu bình luận #%" PRId64 " là thư rác.\n";
	}
	if (rc == 1) {
		fprintf(stderr, "Không có bình luận #%" PRId64 ".\n", id);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "Không cập nhật được bình luận #%" PRId64 " (lỗi cơ sở dữ liệu).\n", id);
		return 1;
	}
	printf(done, id);
	return 0;
}

/* ---- the command ------------------------------------------------------------------ */

int cli_comments(int argc, char **argv)
{
	const char *data = app_default_data_dir();
	const char *status_name = NULL, *article = NULL;
	const char *words[IDS_MAX + 1];
	int nwords = 0;
	bool only_words = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **value = NULL;
		const char *flag = NULL;
		if (!only_words && strcmp(a, "--") == 0) {
			only_words = true;
			continue;
		}
		if (!only_words && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			usage(stdout);
			return 0;
		}
		if (!only_words && a[0] == '-' && a[1] != '\0') {
			static const char *const names[] = {"--data", "--status", "--article"};
			const char **slots[] = {&data, &status_name, &article};
			for (size_t k = 0; k < 3; k++) {
				size_t len = strlen(names[k]);
				if (strcmp(a, names[k]) == 0) {
					if (i + 1 >= argc) {
						fprintf(stderr, "sen comments: %s cần một giá trị.\n",
							names[k]);
						usage(stderr);
						return 2;
					}
					value = slots[k];
					flag = argv[++i];
				} else if (strncmp(a, names[k], len) == 0 && a[len] == '=') {
					value = slots[k];
					flag = a + len + 1;
				}
			}
			if (value == NULL) {
				fprintf(stderr, "sen comments: không hiểu tùy chọn '%s'.\n", a);
				usage(stderr);
				return 2;
			}
			*value = flag;
			continue;
		}
		if (nwords > IDS_MAX) {
			fprintf(stderr, "sen comments: nhiều nhất %d mã mỗi lần.\n", IDS_MAX);
			return 2;
		}
		words[nwords++] = a;
	}
	if (nwords == 0) {
		usage(stderr);
		return 2;
	}
	const char *cmd = words[0];
	bool is_list = strcmp(cmd, "list") == 0;
	bool is_change = strcmp(cmd, "approve") == 0 || strcmp(cmd, "reject") == 0 ||
			 strcmp(cmd, "spam") == 0 || strcmp(cmd, "delete") == 0;
	if (!is_list && !is_change) {
		fprintf(stderr, "sen comments: không có lệnh '%s'.\n", cmd);
		usage(stderr);
		return 2;
	}
	if ((is_list && nwords != 1) || (is_change && nwords < 2) ||
	    (is_change && (status_name != NULL || article != NULL))) {
		usage(stderr);
		return 2;
	}

	int status = COMMENT_PENDING;
	int64_t article_id = 0;
	if (status_name != NULL) {
		status = strcmp(status_name, "all") == 0 ? -1 : comment_status_parse(status_name);
		if (status < 0 && strcmp(status_name, "all") != 0) {
			fprintf(stderr, "Trạng thái không hợp lệ: '%s' (pending, approved, rejected, "
					"spam hoặc all).\n", status_name);
			return 2;
		}
	}
	if (article != NULL && parse_id("bài viết", article, &article_id) != 0)
		return 1;
	int64_t ids[IDS_MAX];
	for (int i = 1; i < nwords; i++)
		if (parse_id("bình luận", words[i], &ids[i - 1]) != 0)
			return 1;

	app_t *app = app_load(data);
	if (app == NULL)
		return 1;
	db_t *db = db_get();
	if (db == NULL)
		return 1;
	int rc = 0;
	if (is_list) {
		rc = list(db, app, status, article_id);
	} else {
		for (int i = 1; i < nwords; i++)
			if (change(db, cmd, ids[i - 1]) != 0)
				rc = 1;
	}
	db_thread_close();
	return rc;
}
