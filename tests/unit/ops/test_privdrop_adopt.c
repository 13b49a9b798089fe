/*
 * test_privdrop_adopt.c - privdrop_adopt() and privdrop_serve()
 * (core/privdrop.h): as root, the data directory's Sen entries that root
 * owns go to the account, and nothing else does (sen.ini, links, hard links,
 * other owners' files, folders without sen.db); privdrop_serve() keeps root
 * only for "none", refuses what cannot work before dropping, and checks the
 * served files as the account. Not root: nothing changes at all.
 *
 * Issue 10: privdrop_adopt() refuses to run while a database file is open
 * in the process (closing a descriptor drops SQLite's locks), and
 * privdrop_hand_back() gives what a root command wrote below media/ to the
 * data directory's owner without touching the database files.
 *
 * Drops run in a forked child (a dropped process cannot be restored).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../support/files.h"
#include "../support/nobody.h"
#include "core/privdrop.h"

static char base[64];    /* a 0755 folder holding everything below */
static char data[128];   /* the data directory */
static char outside[160]; /* a file of root's outside it */
static uid_t nobody_uid;
static gid_t nobody_gid;

static uid_t owner(const char *rel)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", data, rel);
	assert_int_equal(lstat(p, &st), 0);
	return st.st_uid;
}

static void sub(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", data, rel);
}

/* A fresh data directory as a root `sen init` leaves it, plus traps. */
static void make_data(void)
{
	char p[256], q[256];
	snprintf(data, sizeof data, "%s/data", base);
	assert_int_equal(mkdir(data, 0750), 0);
	put_file(data, "sen.db", "db");
	put_file(data, "sen.db-wal", "wal");
	put_file(data, "sen.ini", "[site]\n");
	sub(p, sizeof p, "media");
	assert_int_equal(mkdir(p, 0750), 0);
	sub(p, sizeof p, "media/2024");
	assert_int_equal(mkdir(p, 0750), 0);
	put_file(data, "media/a.png", "png");
	put_file(data, "media/2024/b.png", "png");
	sub(p, sizeof p, "tmp");
	assert_int_equal(mkdir(p, 0700), 0);
	/* Traps: a symbolic link and a hard link to a file of root's outside,
	 * a link where a folder is expected, a file another account owns. */
	sub(p, sizeof p, "media/link.png");
	assert_int_equal(symlink(outside, p), 0);
	sub(p, sizeof p, "media/hard.png");
	assert_int_equal(link(outside, p), 0);
	sub(p, sizeof p, "media/2024/up");
	assert_int_equal(symlink(base, p), 0);
	put_file(data, "media/theirs.png", "png");
	sub(p, sizeof p, "media/theirs.png");
	assert_int_equal(chown(p, 1, 1), 0);
	snprintf(q, sizeof q, "%s/other", base);
	assert_int_equal(mkdir(q, 0755), 0);
}

static int setup(void **state)
{
	(void)state;
	if (nobody_and_folder(&nobody_uid, &nobody_gid, base, sizeof base,
			      "/tmp/sen-test-adopt-XXXXXX") != 0 ||
	    chmod(base, 0755) != 0)
		return -1;
	snprintf(outside, sizeof outside, "%s/outside.txt", base);
	FILE *f = fopen(outside, "w");
	if (f == NULL)
		return -1;
	fputs("root's", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void clean_data(void)
{
	char cmd[sizeof data + sizeof base + 32];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s/other'", data, base);
	assert_int_equal(system(cmd), 0);
}

static void test_not_root_changes_nothing(void **state)
{
	(void)state;
	if (geteuid() == 0)
		skip();
	snprintf(data, sizeof data, "%s/data", base);
	assert_int_equal(mkdir(data, 0750), 0);
	put_file(data, "sen.db", "db");
	unsigned n = 99;
	assert_int_equal(privdrop_adopt("nobody", data, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(owner("sen.db"), geteuid());
	/* A named account is ignored (with a note): the process is who it is. */
	assert_int_equal(privdrop_serve("nobody", data, NULL), 0);
	assert_int_equal(privdrop_serve("none", data, NULL), 0);
	assert_int_equal(geteuid(), owner("sen.db"));
	clean_data();
}

static void test_adopt_gives_only_sen_entries(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	make_data();
	unsigned n = 0;
	assert_int_equal(privdrop_adopt("nobody", data, &n), 0);
	static const char *const given[] = {".", "sen.db", "sen.db-wal", "media", "media/2024",
					    "media/a.png", "media/2024/b.png", "tmp"};
	for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
		if (owner(given[i]) != nobody_uid)
			fail_msg("%s was not handed over", given[i]);
	assert_int_equal(n, sizeof given / sizeof given[0]);
	char p[256];
	struct stat st;
	sub(p, sizeof p, "sen.db");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_gid, nobody_gid);
	/* The settings stay root's; links were not followed; the file with two
	 * names and the one another account owns are left alone. */
	assert_int_equal(owner("sen.ini"), 0);
	assert_int_equal(owner("media/link.png"), 0);
	assert_int_equal(owner("media/hard.png"), 0);
	assert_int_equal(owner("media/2024/up"), 0);
	assert_int_equal(owner("media/theirs.png"), 1);
	assert_int_equal(stat(outside, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(stat(base, &st), 0);
	assert_int_equal(st.st_uid, 0);
	/* Again: nothing left to hand over. */
	assert_int_equal(privdrop_adopt("nobody", data, &n), 0);
	assert_int_equal(n, 0);
	clean_data();
}

static void test_adopt_refusals(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	make_data();
	unsigned n = 7;
	/* Unknown and privileged accounts. */
	assert_int_equal(privdrop_adopt("sen-no-such-account", data, &n), -1);
	assert_int_equal(privdrop_adopt("root", data, &n), -1);
	/* A folder that is not a Sen data directory: no sen.db, or a sen.db
	 * that is a link. Nothing in it changes. */
	char other[160], p[256];
	snprintf(other, sizeof other, "%s/other", base);
	assert_int_equal(privdrop_adopt("nobody", other, &n), -1);
	snprintf(p, sizeof p, "%s/sen.db", other);
	assert_int_equal(symlink(outside, p), 0);
	assert_int_equal(privdrop_adopt("nobody", other, &n), -1);
	assert_int_equal(n, 0);
	struct stat st;
	assert_int_equal(stat(other, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(stat(outside, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(owner("sen.db"), 0);
	clean_data();
}

static void test_adopt_media_link_not_followed(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	make_data();
	/* media/ itself replaced by a link to a folder of root's. */
	char p[256], cmd[300];
	sub(p, sizeof p, "media");
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
	assert_int_equal(system(cmd), 0);
	char target[160];
	snprintf(target, sizeof target, "%s/other", base);
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(privdrop_adopt("nobody", data, NULL), 0);
	struct stat st;
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(owner("sen.db"), nobody_uid);
	clean_data();
}

/* Runs privdrop_serve() in a child; returns its exit code (0 served as
 * nobody, 1 refused, 2 still root, 3 wrong ids). */
static int serve_in_child(const char *user, const char *read_dir)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (privdrop_prepare(user, data) != 0 || privdrop_serve(user, data, read_dir) != 0)
			_exit(1);
		if (geteuid() == 0 || getuid() == 0)
			_exit(2);
		_exit(geteuid() == nobody_uid && getegid() == nobody_gid ? 0 : 3);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_serve(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	make_data();
	/* "none": stays root, hands nothing over. */
	assert_int_equal(privdrop_prepare("none", data), 0);
	assert_int_equal(privdrop_serve("none", data, NULL), 0);
	assert_int_equal(geteuid(), 0);
	assert_int_equal(owner("sen.db"), 0);
	/* An unknown account: refused before anything changes. */
	assert_int_equal(privdrop_prepare("sen-no-such-account", data), -1);
	assert_int_equal(privdrop_serve("sen-no-such-account", data, NULL), -1);
	assert_int_equal(geteuid(), 0);
	assert_int_equal(owner("sen.db"), 0);
	/* Served files the account cannot read: refused after the drop. */
	char closed[160];
	snprintf(closed, sizeof closed, "%s/closed", base);
	assert_int_equal(mkdir(closed, 0700), 0);
	assert_int_equal(serve_in_child("nobody", closed), 1);
	/* Everything in order: the child runs as nobody. */
	assert_int_equal(serve_in_child("nobody", base), 0);
	assert_int_equal(owner("sen.db"), nobody_uid);
	rmdir(closed);
	clean_data();
}

/* With any descriptor of sen.db, -wal or -shm open in the process (as
 * SQLite keeps them), handing the directory over is refused and changes
 * nothing: the fchown would have meant an open and a close of that file. */
static void test_adopt_refused_while_database_open(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	make_data();
	put_file(data, "sen.db-shm", "shm");
	static const char *const files[] = {"sen.db", "sen.db-wal", "sen.db-shm"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[256];
		sub(p, sizeof p, files[i]);
		int fd = open(p, O_RDWR | O_CLOEXEC);
		assert_true(fd >= 0);
		unsigned n = 5;
		assert_int_equal(privdrop_adopt("nobody", data, &n), -1);
		assert_int_equal(privdrop_prepare("nobody", data), -1);
		assert_int_equal(n, 0);
		assert_int_equal(owner("."), 0);
		assert_int_equal(owner(files[i]), 0);
		close(fd);
	}
	/* Closed again: handed over. */
	assert_int_equal(privdrop_prepare("nobody", data), 0);
	assert_int_equal(owner("sen.db-shm"), nobody_uid);
	clean_data();
}

/* A root command beside the server: new folders and pictures below media/
 * go to the directory's owner; the database files are not touched, and a
 * directory root owns is left as it is. */
static void test_hand_back(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	make_data();
	unsigned n = 9;
	/* Root owns the directory: nothing to hand back to. */
	assert_int_equal(privdrop_hand_back(data, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(owner("media/a.png"), 0);
	assert_int_equal(privdrop_adopt("nobody", data, NULL), 0);
	/* What a root `sen import` writes next. */
	char p[256];
	sub(p, sizeof p, "media/2026");
	assert_int_equal(mkdir(p, 0755), 0);
	put_file(data, "media/2026/c.png", "png");
	put_file(data, "sen.db-shm", "shm");
	assert_int_equal(privdrop_hand_back(data, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(owner("media/2026"), nobody_uid);
	assert_int_equal(owner("media/2026/c.png"), nobody_uid);
	assert_int_equal(owner("sen.db-shm"), 0);
	/* The traps stay as they were. */
	assert_int_equal(owner("media/hard.png"), 0);
	assert_int_equal(owner("media/theirs.png"), 1);
	struct stat st;
	assert_int_equal(stat(outside, &st), 0);
	assert_int_equal(st.st_uid, 0);
	clean_data();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_root_changes_nothing),
		cmocka_unit_test(test_adopt_gives_only_sen_entries),
		cmocka_unit_test(test_adopt_refusals),
		cmocka_unit_test(test_adopt_media_link_not_followed),
		cmocka_unit_test(test_serve),
		cmocka_unit_test(test_adopt_refused_while_database_open),
		cmocka_unit_test(test_hand_back),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
