/*
 * privdrop.c - giving up root for good before serving (see privdrop.h).
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/log.h"
#include "core/privdrop.h"

/* getpwnam_r's buffer: entries are short, but NSS may ask for more. */
#define PW_BUF 4096

static bool running_as_root(void)
{
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) != 0)
		return geteuid() == 0 || getuid() == 0;
	return r == 0 || e == 0 || s == 0;
}

/* Finds the account; false (logged) when unknown. */
static bool lookup_user(const char *name, struct passwd *pw, char *buf, size_t len)
{
	struct passwd *found = NULL;
	int rc = getpwnam_r(name, pw, buf, len, &found);
	if (found != NULL)
		return true;
	if (rc != 0)
		log_error("privdrop: cannot look up user %s: %s", name, strerror(rc));
	else
		log_error("privdrop: no user %s on this system; create it (adduser --system "
			  "--group %s) or name another with [server] user", name, name);
	return false;
}

/* The default account: "sen" when it exists, otherwise "nobody". */
static const char *default_user(void)
{
	struct passwd pw, *found = NULL;
	char buf[PW_BUF];
	if (getpwnam_r(PRIVDROP_DEFAULT_USER, &pw, buf, sizeof buf, &found) == 0 && found != NULL)
		return PRIVDROP_DEFAULT_USER;
	return PRIVDROP_FALLBACK_USER;
}

/* Every id must now be the account's, and root must be out of reach. */
static bool dropped_for_good(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return false;
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
		return false;
	if (getgroups(0, NULL) != 0)
		return false;
	/* Both calls must fail; if either succeeds the process is privileged. */
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0)
		return false;
	return true;
}

/* -1 (logged, with the fix) when path exists and `mode` access is denied to
 * the current user; 0 when allowed or absent (when may_be_absent). */
static int check_access(const char *path, int mode, bool may_be_absent, const char *user,
			const char *data_dir)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT && may_be_absent)
			return 0;
		log_error("privdrop: user %s cannot reach %s (%s); fix with: chown -R %s: %s",
			  user, path, strerror(errno), user, data_dir);
		return -1;
	}
	if (access(path, mode) != 0) {
		log_error("privdrop: user %s cannot write %s (%s); fix with: chown -R %s: %s",
			  user, path, strerror(errno), user, data_dir);
		return -1;
	}
	return 0;
}

static int check_data_dir(const char *user, const char *dir)
{
	static const char *const files[] = {"sen.db", "sen.db-wal", "sen.db-shm"};
	char path[PATH_MAX];
	if (check_access(dir, W_OK | X_OK, false, user, dir) != 0)
		return -1;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		int n = snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (n < 0 || (size_t)n >= sizeof path) {
			log_error("privdrop: data directory path is too long: %.80s...", dir);
			return -1;
		}
		if (check_access(path, R_OK | W_OK, true, user, dir) != 0)
			return -1;
	}
	int n = snprintf(path, sizeof path, "%s/media", dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return -1;
	return check_access(path, W_OK | X_OK, true, user, dir);
}

int privdrop_if_root(const char *user, const char *data_dir)
{
	if (!running_as_root())
		return 0;
	const char *name = user != NULL && user[0] != '\0' ? user : default_user();
	struct passwd pw;
	char buf[PW_BUF];
	if (!lookup_user(name, &pw, buf, sizeof buf))
		return -1;
	if (pw.pw_uid == 0 || pw.pw_gid == 0) {
		log_error("privdrop: refusing to serve as %s: it has uid or gid 0", name);
		return -1;
	}
	uid_t uid = pw.pw_uid;
	gid_t gid = pw.pw_gid;
	/* Groups first, then the gid, then the uid: after setresuid() the
	 * process no longer has the right to change the other two. */
	if (setgroups(0, NULL) != 0) {
		log_error("privdrop: setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) != 0) {
		log_error("privdrop: setresgid(%u): %s", (unsigned)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) != 0) {
		log_error("privdrop: setresuid(%u): %s", (unsigned)uid, strerror(errno));
		return -1;
	}
	if (!dropped_for_good(uid, gid)) {
		log_error("privdrop: still able to regain root after switching to %s", name);
		return -1;
	}
	log_info("privdrop: running as %s (uid %u, gid %u)", name, (unsigned)uid, (unsigned)gid);
	if (data_dir != NULL && check_data_dir(name, data_dir) != 0)
		return -1;
	return 0;
}
