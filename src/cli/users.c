/*
 * users.c - `sen user`: back-office accounts from the command line.
 *
 * There is no default account; `sen user add NAME --role admin` makes the
 * first one. Passwords are never taken from an argument (it would sit in
 * the shell history and in `ps` for everyone to read): from a terminal they
 * are asked twice without echo, otherwise the first line of stdin is the
 * password (for scripts and tests: `printf '%s\n' "$PW" | sen user add ...`).
 * Every change is written to the audit log with the system account that
 * ran the command.
 *
 * Exit status: 0 done, 1 refused or failed (the reason is printed in
 * Vietnamese), 2 wrong usage.
 */
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/fmt.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/user.h"

#define MAX_WORDS 3

static void usage(FILE *out)
{
	fprintf(out,
		"Cách dùng: sen user LỆNH [--data DIR]\n"
		"  Tài khoản của trang quản trị (/admin). Không có tài khoản mặc định.\n\n"
		"  sen user add TÊN --role VAI_TRÒ [--display-name \"Họ tên\"]\n"
		"                                 tạo tài khoản (mật khẩu hỏi hai lần, không hiện)\n"
		"  sen user passwd TÊN            đặt mật khẩu mới\n"
		"  sen user role TÊN VAI_TRÒ      đổi vai trò\n"
		"  sen user disable TÊN           khóa tài khoản (kết thúc mọi phiên)\n"
		"  sen user enable TÊN            mở khóa tài khoản\n"
		"  sen user list                  liệt kê tài khoản\n\n"
		"  VAI_TRÒ: admin (toàn quyền), editor (biên tập, xuất bản, kiểm duyệt),\n"
		"           author (viết bài, gửi duyệt), moderator (chỉ kiểm duyệt bình luận),\n"
		"           curator (sổ đăng ký hiện vật: nhập, phiếu, di chuyển),\n"
		"           council (Hội đồng khoa học: ghi quyết định).\n"
		"  TÊN: 3-64 ký tự a-z, 0-9, '.', '_', '-' (chữ hoa được đổi thành chữ thường).\n"
		"  Mật khẩu: 12-128 ký tự, không nằm trong danh sách mật khẩu phổ biến,\n"
		"  không chứa tên đăng nhập. Khi stdin không phải terminal, dòng đầu tiên của\n"
		"  stdin là mật khẩu.\n");
}

typedef struct {
	const char *data;
	const char *role;
	const char *display_name;
	char *words[MAX_WORDS];
	int nwords;
} options;

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, options *o)
{
	memset(o, 0, sizeof *o);
	o->data = app_default_data_dir();
	bool only_words = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;
		if (!only_words && strcmp(a, "--") == 0) {
			only_words = true;
			continue;
		}
		if (!only_words && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			usage(stdout);
			return 0;
		}
		if (!only_words && strcmp(a, "--data") == 0)
			target = &o->data;
		else if (!only_words && strcmp(a, "--role") == 0)
			target = &o->role;
		else if (!only_words && strcmp(a, "--display-name") == 0)
			target = &o->display_name;
		if (target != NULL) {
			if (i + 1 >= argc) {
				fprintf(stderr, "sen user: %s cần một giá trị\n", a);
				usage(stderr);
				return 2;
			}
			*target = argv[++i];
			continue;
		}
		if (!only_words && strncmp(a, "--data=", 7) == 0) {
			o->data = a + 7;
		} else if (!only_words && strncmp(a, "--role=", 7) == 0) {
			o->role = a + 7;
		} else if (!only_words && strncmp(a, "--display-name=", 15) == 0) {
			o->display_name = a + 15;
		} else if (!only_words && (strcmp(a, "--password") == 0 ||
					   strncmp(a, "--password=", 11) == 0)) {
			fprintf(stderr, "sen user: không nhận mật khẩu qua tham số (nó sẽ nằm trong "
					"lịch sử lệnh); hãy nhập khi được hỏi hoặc qua stdin.\n");
			return 2;
		} else if (!only_words && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "sen user: không hiểu tùy chọn '%s'\n", a);
			usage(stderr);
			return 2;
		} else {
			if (o->nwords >= MAX_WORDS) {
				fprintf(stderr, "sen user: thừa tham số '%s'\n", a);
				usage(stderr);
				return 2;
			}
			o->words[o->nwords++] = argv[i];
		}
	}
	return -1;
}

/* ---- reading a password ---------------------------------------------------------- */

/* Reads one line into buf (without its newline). 0, 1 at end of input,
 * -1 too long or a read error. */
static int read_line(FILE *in, char *buf, size_t size)
{
	if (fgets(buf, (int)size, in) == NULL)
		return ferror(in) ? -1 : 1;
	size_t len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n') {
		buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '\r')
			buf[--len] = '\0';
		return 0;
	}
	if (len + 1 < size)
		return 0; /* the last line, without a newline */
	/* Longer than the buffer: drain it so it is not taken as a command. */
	int c;
	while ((c = fgetc(in)) != EOF && c != '\n')
		;
	sodium_memzero(buf, size);
	return -1;
}

/* Asks on the terminal with echo off. Same returns as read_line. */
static int ask_hidden(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	/* Ctrl-C while echo is off would leave the terminal mute: hold the
	 * signals until echo is back. */
	sigset_t block, saved;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &saved);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
		sigprocmask(SIG_SETMASK, &saved, NULL);
		return -1;
	}
	int rc = read_line(stdin, buf, size);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return rc;
}

/* Why the password policy refused a password (model/user.h), for the person
 * at the terminal. */
static const char *password_problem_text(enum user_password_problem p)
{
	switch (p) {
	case USER_PASSWORD_OK: return "Mật khẩu hợp lệ.";
	case USER_PASSWORD_SHORT: return "Mật khẩu cần ít nhất 12 ký tự.";
	case USER_PASSWORD_LONG: return "Mật khẩu dài quá 128 ký tự; hãy chọn mật khẩu ngắn hơn.";
	case USER_PASSWORD_INVALID:
		return "Mật khẩu chứa ký tự không hợp lệ (ký tự điều khiển hoặc không phải UTF-8).";
	case USER_PASSWORD_COMMON:
		return "Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán; hãy chọn "
		       "mật khẩu khác.";
	case USER_PASSWORD_HAS_NAME: return "Mật khẩu không được chứa tên đăng nhập.";
	case USER_PASSWORD_NO_LIST:
		return "Không đọc được danh sách mật khẩu phổ biến (security/common-passwords.txt); "
		       "chưa thể đặt mật khẩu.";
	}
	return "Mật khẩu không hợp lệ.";
}

/* The new password for `name`, checked against the policy, into buf.
 * 0, or 1 (the reason printed). */
static int get_password(const char *name, char *buf, size_t size)
{
	char again[USER_PASSWORD_INPUT_MAX + 2];
	int rc;
	bool tty = isatty(STDIN_FILENO);
	if (tty) {
		fprintf(stderr, "Mật khẩu: 12-128 ký tự, không phổ biến, không chứa tên đăng nhập.\n");
		rc = ask_hidden("Mật khẩu mới: ", buf, size);
	} else {
		rc = read_line(stdin, buf, size);
	}
	/* In NFC, as the login form sends it (http.h), so a password typed
	 * with its marks apart here still opens the back office. */
	if (rc == 0 && cli_nfc_secret(buf, size) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, rc < 0 ? "Mật khẩu quá dài hoặc không đọc được.\n"
				       : "Không có mật khẩu nào được nhập.\n");
		sodium_memzero(buf, size);
		return 1;
	}
	enum user_password_problem p = user_password_check(name, buf);
	if (p != USER_PASSWORD_OK) {
		fprintf(stderr, "%s\n", password_problem_text(p));
		sodium_memzero(buf, size);
		return 1;
	}
	if (tty) {
		rc = ask_hidden("Nhập lại mật khẩu: ", again, sizeof again);
		bool same = rc == 0 && cli_nfc_secret(again, sizeof again) == 0 &&
			    strcmp(buf, again) == 0;
		sodium_memzero(again, sizeof again);
		if (!same) {
			fprintf(stderr, "Hai lần nhập không khớp.\n");
			sodium_memzero(buf, size);
			return 1;
		}
	}
	return 0;
}

/* ---- audit ------------------------------------------------------------------------ */

static void audit(db_t *db, const char *action, const char *target, const char *details)
{
	struct passwd *pw = getpwuid(geteuid());
	char who[160];
	snprintf(who, sizeof who, "sen user (%s)%s%s", pw != NULL ? pw->pw_name : "?",
		 details != NULL && details[0] != '\0' ? ": " : "", details != NULL ? details : "");
	audit_actor actor = {0, NULL, NULL};
	if (audit_add(db, (int64_t)time(NULL), &actor, action, target, who) != 0)
		fprintf(stderr, "Cảnh báo: không ghi được nhật ký.\n");
}

/* ---- commands ---------------------------------------------------------------------- */

static int parse_role(const char *s, int *role)
{
	*role = user_role_parse(s);
	if (*role != 0)
		return 0;
	fprintf(stderr, "Vai trò không hợp lệ: '%s' (admin, editor, author, moderator, curator hoặc council).\n",
		s != NULL ? s : "");
	return -1;
}

static int find_user(db_t *db, arena_t *a, const char *name, user *u)
{
	int rc = user_get_by_name(db, a, name, u);
	if (rc == 1)
		fprintf(stderr, "Không có tài khoản '%s'.\n", name);
	else if (rc != 0)
		fprintf(stderr, "Không đọc được tài khoản (lỗi cơ sở dữ liệu).\n");
	return rc;
}

static int cmd_add(db_t *db, const options *o)
{
	char login[USER_NAME_MAX + 1];
	char pw[USER_PASSWORD_INPUT_MAX + 2];
	int role;
	if (user_name_normalize(o->words[1], login, sizeof login) != 0) {
		fprintf(stderr, "Tên đăng nhập không hợp lệ: cần 3-64 ký tự a-z, 0-9, '.', '_', '-',"
				" bắt đầu bằng chữ hoặc số.\n");
		return 1;
	}
	if (o->role == NULL) {
		fprintf(stderr, "Cần --role (admin, editor, author, moderator, curator hoặc council).\n");
		return 2;
	}
	if (parse_role(o->role, &role) != 0)
		return 1;
	if (!user_display_name_ok(o->display_name)) {
		fprintf(stderr, "Tên hiển thị không hợp lệ (tối đa %d byte, không có ký tự điều "
				"khiển).\n", USER_DISPLAY_MAX);
		return 1;
	}
	arena_t *a = arena_new(1024);
	user existing;
	if (a == NULL)
		return 1;
	int found = user_get_by_name(db, a, login, &existing);
	arena_free(a);
	if (found == 0) {
		fprintf(stderr, "Tên đăng nhập '%s' đã có.\n", login);
		return 1;
	}
	if (get_password(login, pw, sizeof pw) != 0)
		return 1;
	int64_t id = 0;
	int rc = user_create(db, login, o->display_name, role, pw, (int64_t)time(NULL), &id);
	sodium_memzero(pw, sizeof pw);
	if (rc == 1) {
		fprintf(stderr, "Tên đăng nhập '%s' đã có.\n", login);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "Không tạo được tài khoản.\n");
		return 1;
	}
	char details[64];
	snprintf(details, sizeof details, "role=%s", user_role_name(role));
	audit(db, AUDIT_USER_ADD, login, details);
	printf("Đã tạo tài khoản '%s' (#%" PRId64 ", vai trò %s).\n", login, id,
	       user_role_name(role));
	return 0;
}

static int cmd_passwd(db_t *db, const options *o)
{
	arena_t *a = arena_new(1024);
	user u;
	char pw[USER_PASSWORD_INPUT_MAX + 2];
	int status = 1;
	if (a == NULL || find_user(db, a, o->words[1], &u) != 0)
		goto done;
	if (get_password(u.name, pw, sizeof pw) != 0)
		goto done;
	int rc = user_set_password(db, u.id, pw, (int64_t)time(NULL));
	sodium_memzero(pw, sizeof pw);
	if (rc != 0) {
		fprintf(stderr, "Không đặt được mật khẩu.\n");
		goto done;
	}
	/* A new password set by someone else ends every open session. */
	if (session_delete_user(db, u.id, NULL) != 0)
		fprintf(stderr, "Cảnh báo: không kết thúc được các phiên đang mở.\n");
	audit(db, AUDIT_PASSWORD_RESET, u.name, NULL);
	printf("Đã đặt mật khẩu mới cho '%s'; các phiên đăng nhập cũ đã kết thúc.\n", u.name);
	status = 0;
done:
	arena_free(a);
	return status;
}

static int cmd_role(db_t *db, const options *o)
{
	arena_t *a = arena_new(1024);
	user u;
	int role, status = 1;
	if (a == NULL || parse_role(o->words[2], &role) != 0 || find_user(db, a, o->words[1], &u) != 0)
		goto done;
	int rc = user_set_role(db, u.id, role);
	if (rc == 3) {
		fprintf(stderr, "Không thể bỏ quyền admin của quản trị viên cuối cùng còn hoạt động.\n");
		goto done;
	}
	if (rc != 0) {
		fprintf(stderr, "Không đổi được vai trò.\n");
		goto done;
	}
	if (u.role != role) {
		char details[64];
		snprintf(details, sizeof details, "%s -> %s", user_role_name(u.role),
			 user_role_name(role));
		audit(db, AUDIT_USER_ROLE, u.name, details);
	}
	printf("Tài khoản '%s' giờ có vai trò %s.\n", u.name, user_role_name(role));
	status = 0;
done:
	arena_free(a);
	return status;
}

static int cmd_disable(db_t *db, const options *o, bool disable)
{
	arena_t *a = arena_new(1024);
	user u;
	int status = 1;
	if (a == NULL || find_user(db, a, o->words[1], &u) != 0)
		goto done;
	int rc = user_set_disabled(db, u.id, disable);
	if (rc == 3) {
		fprintf(stderr, "Không thể khóa quản trị viên cuối cùng còn hoạt động.\n");
		goto done;
	}
	if (rc != 0) {
		fprintf(stderr, "Không thay đổi được tài khoản.\n");
		goto done;
	}
	if (u.disabled != disable)
		audit(db, disable ? AUDIT_USER_DISABLE : AUDIT_USER_ENABLE, u.name, NULL);
	printf(disable ? "Đã khóa tài khoản '%s'.\n" : "Đã mở khóa tài khoản '%s'.\n", u.name);
	status = 0;
done:
	arena_free(a);
	return status;
}

static int cmd_list(db_t *db, const app_t *app)
{
	arena_t *a = arena_new(16 * 1024);
	user *items = NULL;
	size_t n = 0;
	if (a == NULL || user_list(db, a, &items, &n) != 0) {
		fprintf(stderr, "Không đọc được danh sách tài khoản.\n");
		arena_free(a);
		return 1;
	}
	if (n == 0)
		printf("Chưa có tài khoản nào. Tạo quản trị viên đầu tiên:\n"
		       "  sen user add TÊN --role admin\n");
	else
		printf("%-6s %-24s %-10s %-10s %-12s %s\n", "MÃ", "TÊN", "VAI TRÒ", "TRẠNG THÁI",
		       "TẠO NGÀY", "TÊN HIỂN THỊ");
	for (size_t i = 0; i < n; i++) {
		char created[32];
		fmt_date(created, sizeof created, items[i].created_at, app->cfg.utc_offset);
		printf("%-6" PRId64 " %-24s %-10s %-10s %-12s %s\n", items[i].id, items[i].name,
		       user_role_name(items[i].role) ? user_role_name(items[i].role) : "?",
		       items[i].disabled ? "khóa" : "hoạt động", created, items[i].display_name);
	}
	arena_free(a);
	return 0;
}

int cli_user(int argc, char **argv)
{
	options o;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.nwords == 0) {
		usage(stderr);
		return 2;
	}
	const char *cmd = o.words[0];
	int want = strcmp(cmd, "add") == 0       ? 2
		   : strcmp(cmd, "passwd") == 0  ? 2
		   : strcmp(cmd, "role") == 0    ? 3
		   : strcmp(cmd, "disable") == 0 ? 2
		   : strcmp(cmd, "enable") == 0  ? 2
		   : strcmp(cmd, "list") == 0    ? 1
						 : -1;
	if (want < 0) {
		fprintf(stderr, "sen user: không có lệnh '%s'.\n", cmd);
		usage(stderr);
		return 2;
	}
	if (o.nwords != want || ((o.role != NULL || o.display_name != NULL) &&
				 strcmp(cmd, "add") != 0)) {
		usage(stderr);
		return 2;
	}
	/* The display name is stored as the back office's form would store
	 * it; login names are ASCII (user_name_normalize). */
	if (o.display_name != NULL && (o.display_name = cli_nfc(o.display_name)) == NULL)
		return 1;
	app_t *app = app_load(o.data);
	if (app == NULL)
		return 1;
	db_t *db = db_get();
	if (db == NULL)
		return 1;
	if (strcmp(cmd, "add") == 0 || strcmp(cmd, "passwd") == 0) {
		char path[sizeof app->share_dir + 64];
		snprintf(path, sizeof path, "%s/security/common-passwords.txt", app->share_dir);
		if (user_common_passwords_load(path) != 0)
			fprintf(stderr, "Không đọc được %s.\n", path);
	}
	if (strcmp(cmd, "add") == 0)
		rc = cmd_add(db, &o);
	else if (strcmp(cmd, "passwd") == 0)
		rc = cmd_passwd(db, &o);
	else if (strcmp(cmd, "role") == 0)
		rc = cmd_role(db, &o);
	else if (strcmp(cmd, "disable") == 0)
		rc = cmd_disable(db, &o, true);
	else if (strcmp(cmd, "enable") == 0)
		rc = cmd_disable(db, &o, false);
	else
		rc = cmd_list(db, app);
	user_common_passwords_free();
	db_thread_close();
	return rc;
}
