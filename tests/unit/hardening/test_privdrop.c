/*
 * test_privdrop.c - privdrop_if_root(): as root it must end up as the named
 * account with no way back, chown nothing, and name the path and the fix
 * when that account cannot write the data directory.
 *
 * Every case runs privdrop in a forked child (a dropped process cannot be
 * restored) and reports through its exit status and its stderr, which the
 * parent reads back. Cases that need root are skipped without it.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/nobody.h"
#include "core/log.h"
#include "core/privdrop.h"

static char dir[64];
static uid_t nobody_uid;
static gid_t nobody_gid;

/* What a child reports: its exit status and everything it logged. */
typedef struct {
	int status;
	char err[4096];
} child_result;

typedef int (*child_fn)(void);

/* Runs fn in a child with stderr captured. Exit codes 0..99 are fn's. */
static child_result run_child(child_fn fn)
{
	child_result r = {.status = -1};
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		/* _exit: the atexit handlers and stdio buffers are the
		 * parent's (cmocka's), not the child's to run or flush. */
		_exit(fn());
	}
	close(fds[1]);
	size_t len = 0;
	ssize_t n;
	while ((n = read(fds[0], r.err + len, sizeof r.err - 1 - len)) > 0)
		len += (size_t)n;
	r.err[len] = '\0';
	close(fds[0]);
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return r;
}

static bool is_root(void)
{
	return geteuid() == 0;
}

/* ---- set-up: a data directory owned by nobody --------------------------- */

static int setup(void **state)
{
	(void)state;
	if (nobody_and_folder(&nobody_uid, &nobody_gid, dir, sizeof dir,
			      "/tmp/sen-privdrop-XXXXXX") != 0)
		return -1;
	chmod(dir, 0750);
	if (is_root() && chown(dir, nobody_uid, nobody_gid) != 0)
		return -1;
	return 0;
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			char p[512];
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof p, "%s/%s", path, e->d_name);
			if (unlink(p) != 0)
				remove_tree(p);
		}
		closedir(d);
	}
	rmdir(path);
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(dir);
	return 0;
}

static void touch(const char *name, uid_t uid, gid_t gid, mode_t mode)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chown(p, uid, gid), 0);
	assert_int_equal(chmod(p, mode), 0);
}

/* ---- children ------------------------------------------------------------ */

/* 0 when every id is the account's and root is out of reach. */
static int fully_dropped_to(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 10;
	if (ru != uid || eu != uid || su != uid)
		return 11;
	if (rg != gid || eg != gid || sg != gid)
		return 12;
	if (getgroups(0, NULL) != 0)
		return 13;
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0)
		return 14;
	/* Root-only files stay closed. */
	if (open("/etc/shadow", O_RDONLY) >= 0)
		return 15;
	return 0;
}

static int child_drop_to_nobody(void)
{
	if (privdrop_if_root("nobody", dir) != 0)
		return 1;
	int rc = fully_dropped_to(nobody_uid, nobody_gid);
	if (rc != 0)
		return rc;
	/* The data directory is usable: SQLite will create files in it. */
	char p[256];
	snprintf(p, sizeof p, "%s/written-after-drop", dir);
	int fd = open(p, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		return 20;
	close(fd);
	return 0;
}

static int child_default_user(void)
{
	struct passwd *pw = getpwnam(PRIVDROP_DEFAULT_USER);
	if (pw == NULL)
		pw = getpwnam(PRIVDROP_FALLBACK_USER);
	if (pw == NULL)
		return 30;
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	/* NULL data_dir: only the switch is tested here. */
	if (privdrop_if_root(NULL, NULL) != 0)
		return 1;
	return fully_dropped_to(uid, gid);
}

static int child_drop_expect_failure(void)
{
	return privdrop_if_root("nobody", dir) == -1 ? 0 : 1;
}

static int child_unknown_user(void)
{
	if (privdrop_if_root("sen-no-such-user-x", dir) != -1)
		return 1;
	/* Nothing was given up on the way. */
	return geteuid() == 0 && getuid() == 0 ? 0 : 2;
}

static int child_root_account(void)
{
	if (privdrop_if_root("root", dir) != -1)
		return 1;
	return geteuid() == 0 ? 0 : 2;
}

static int child_not_root(void)
{
	/* Become an ordinary user by hand first (when the tests run as root). */
	if (getuid() == 0 &&
	    (setgroups(0, NULL) != 0 || setresgid(nobody_gid, nobody_gid, nobody_gid) != 0 ||
	     setresuid(nobody_uid, nobody_uid, nobody_uid) != 0))
		return 40;
	uid_t before = getuid();
	/* A directory nobody can write: not looked at, since nothing is dropped. */
	if (privdrop_if_root("sen-no-such-user-x", "/nonexistent/sen") != 0)
		return 1;
	return getuid() == before && geteuid() == before ? 0 : 2;
}

/* ---- cases ------------------------------------------------------------- */

static void test_not_root_does_nothing(void **state)
{
	(void)state;
	child_result r = run_child(child_not_root);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
}

static void test_drops_to_named_user_for_good(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	child_result r = run_child(child_drop_to_nobody);
	if (r.status != 0)
		print_error("child: %s\n", r.err);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "running as nobody"));
}

static void test_default_user(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	child_result r = run_child(child_default_user);
	assert_int_equal(r.status, 0);
}

static void test_unwritable_dir_names_dir_and_fix(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	/* Root's directory, readable but not writable by nobody. */
	assert_int_equal(chown(dir, 0, 0), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	child_result r = run_child(child_drop_expect_failure);
	assert_int_equal(r.status, 0);
	char fix[256];
	snprintf(fix, sizeof fix, "chown -R nobody: %s", dir);
	assert_non_null(strstr(r.err, fix));
	/* Nothing was chowned behind the operator's back. */
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_uid, 0);
}

static void test_unwritable_database_is_named(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	touch("sen.db", 0, 0, 0644);
	child_result r = run_child(child_drop_expect_failure);
	assert_int_equal(r.status, 0);
	char path[256];
	snprintf(path, sizeof path, "%s/sen.db", dir);
	assert_non_null(strstr(r.err, path));
	assert_non_null(strstr(r.err, "chown -R nobody:"));
}

static void test_root_owned_wal_is_named(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	/* The classic trap: sen once ran as root and left a -shm file behind. */
	touch("sen.db", nobody_uid, nobody_gid, 0640);
	touch("sen.db-shm", 0, 0, 0644);
	child_result r = run_child(child_drop_expect_failure);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "sen.db-shm"));
}

static void test_unwritable_media_is_named(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	char p[256];
	snprintf(p, sizeof p, "%s/media", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	child_result r = run_child(child_drop_expect_failure);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, p));
}

static void test_unknown_user_refused(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	child_result r = run_child(child_unknown_user);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "sen-no-such-user-x"));
}

static void test_root_account_refused(void **state)
{
	(void)state;
	if (!is_root())
		skip();
	child_result r = run_child(child_root_account);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "uid or gid 0"));
}

int main(void)
{
	log_set_level(LOG_INFO);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_root_does_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drops_to_named_user_for_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_dir_names_dir_and_fix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_database_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_owned_wal_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_media_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_user_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_account_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
