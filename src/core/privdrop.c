/*
 * privdrop.c - giving up root for good before serving (see privdrop.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The first folder on the way to path that the current user cannot
 * search, copied to out; false when there is none (or path is too long). */
static bool closed_parent(const char *path, char *out, size_t len)
{
	size_t n = strlen(path);
	if (n == 0 || n >= len)
		return false;
	memcpy(out, path, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (out[i] != '/')
			continue;
		out[i] = '\0';
		bool closed = access(out, X_OK) != 0 && errno == EACCES;
		if (closed)
			return true;
		out[i] = '/';
	}
	return false;
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
		int err = errno;
		char parent[PATH_MAX];
		if (err == EACCES && closed_parent(path, parent, sizeof parent)) {
			/* No chown inside the data directory helps with that. */
			log_error("privdrop: user %s cannot reach %s: the folder %s above it is "
				  "closed to %s (%s); fix with: chmod o+x %s, or keep the data "
				  "directory elsewhere", user, path, parent, user, strerror(err),
				  parent);
			return -1;
		}
		log_error("privdrop: user %s cannot reach %s (%s); fix with: chown -R %s: %s",
			  user, path, strerror(err), user, data_dir);
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


/* ---- the rule that keeps SQLite's locks (issue 10) -------------------------
 *
 * SQLite holds POSIX (fcntl) locks on sen.db and sen.db-shm. The kernel drops
 * *every* such lock a process holds on a file as soon as the process closes
 * *any* descriptor of that file - even one opened for a moment to fchown it.
 * A server that had lost its locks let the next `sen` command believe it was
 * alone: that command checkpointed and deleted the live -wal and -shm, and
 * acknowledged writes were lost after kill -9. So nothing in this file may
 * open a database file while SQLite has it open in this process:
 * privdrop_adopt() runs before the database is opened (privdrop_prepare()),
 * and refuses to run at all when it finds one of them open here
 * (db_file_open_here). Keep it so. */

static const char *const db_files[] = {"sen.db", "sen.db-wal", "sen.db-shm", "sen.db-journal"};

/* True when this process has a descriptor of one of data_dir's database
 * files (dfd: the data directory, opened). Compares device and inode of each
 * descriptor in /proc/self/fd with the files, with fstat() only: looking must
 * not open (and then close) the very files it protects. */
static bool db_file_open_here(int dfd)
{
	struct stat files[sizeof db_files / sizeof db_files[0]];
	bool present[sizeof db_files / sizeof db_files[0]];
	bool any = false;
	for (size_t i = 0; i < sizeof db_files / sizeof db_files[0]; i++) {
		present[i] = fstatat(dfd, db_files[i], &files[i], AT_SYMLINK_NOFOLLOW) == 0;
		any = any || present[i];
	}
	if (!any)
		return false;
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return false; /* no /proc: nothing to compare with; the call order holds it */
	bool open_here = false;
	struct dirent *e;
	while (!open_here && (e = readdir(d)) != NULL) {
		char *end = NULL;
		long fd = strtol(e->d_name, &end, 10);
		struct stat st;
		if (end == e->d_name || *end != '\0' || fd < 0 || fd == dirfd(d) || fd == dfd ||
		    fstat((int)fd, &st) != 0)
			continue;
		for (size_t i = 0; i < sizeof db_files / sizeof db_files[0]; i++)
			if (present[i] && st.st_dev == files[i].st_dev && st.st_ino == files[i].st_ino)
				open_here = true;
	}
	closedir(d);
	return open_here;
}

/* ---- adopting a data directory made by root (privdrop_adopt) ------------ */

/* Folders below data_dir deeper than this are left as they are. */
#define ADOPT_DEPTH 16

struct adopt {
	uid_t uid;
	gid_t gid;
	dev_t dev;          /* the data directory's file system */
	unsigned changed;
	const char *user;
	const char *dir;
};

/* Gives the open entry fd (whose name is `name`, for messages) to the
 * account when root owns it and it lives on the data directory's file
 * system. The stat and the chown are made on the same open file, so the
 * entry cannot be swapped for another between them. */
static int give_fd(struct adopt *ad, int fd, const char *name, const struct stat *st)
{
	if (st->st_uid != 0 || st->st_dev != ad->dev)
		return 0;
	if (fchown(fd, ad->uid, ad->gid) != 0) {
		log_error("privdrop: cannot give %s (in %s) to %s: %s", name, ad->dir, ad->user,
			  strerror(errno));
		return -1;
	}
	ad->changed++;
	return 0;
}

/* One entry of the folder parent: a regular file, or (when `tree`) a folder
 * and everything below it. Links, devices, sockets and FIFOs are skipped;
 * so is a regular file with more than one name (a hard link planted by the
 * account could otherwise hand it a file of root's elsewhere). */
static int adopt_entry(struct adopt *ad, int parent, const char *name, bool tree, int depth)
{
	struct stat st;
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		log_error("privdrop: cannot inspect %s in %s: %s", name, ad->dir, strerror(errno));
		return -1;
	}
	bool is_dir = S_ISDIR(st.st_mode);
	if (st.st_dev != ad->dev || !(S_ISREG(st.st_mode) || (tree && is_dir)))
		return 0;
	int fd = openat(parent, name,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
			    (is_dir ? O_DIRECTORY : 0));
	if (fd < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return 0; /* gone or replaced by a link meanwhile */
		log_error("privdrop: cannot open %s in %s: %s", name, ad->dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	if (fstat(fd, &st) != 0) {
		log_error("privdrop: cannot inspect %s in %s: %s", name, ad->dir, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_nlink == 1)
			rc = give_fd(ad, fd, name, &st);
		close(fd);
		return rc;
	}
	if (!S_ISDIR(st.st_mode) || !tree) {
		close(fd);
		return 0;
	}
	if (give_fd(ad, fd, name, &st) != 0) {
		close(fd);
		return -1;
	}
	if (depth >= ADOPT_DEPTH || st.st_dev != ad->dev) {
		close(fd);
		return 0;
	}
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		log_error("privdrop: cannot read %s in %s: %s", name, ad->dir, strerror(errno));
		close(fd);
		return -1;
	}
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		rc = adopt_entry(ad, dirfd(d), e->d_name, true, depth + 1);
	}
	closedir(d);
	return rc;
}

int privdrop_adopt(const char *user, const char *data_dir, unsigned *changed)
{
	static const char *const trees[] = {"media", "tmp"};
	if (changed != NULL)
		*changed = 0;
	if (!running_as_root())
		return 0;
	if (data_dir == NULL || data_dir[0] == '\0') {
		log_error("privdrop: no data directory");
		return -1;
	}
	const char *name = user != NULL && user[0] != '\0' ? user : default_user();
	struct passwd pw;
	char buf[PW_BUF];
	if (!lookup_user(name, &pw, buf, sizeof buf))
		return -1;
	if (pw.pw_uid == 0 || pw.pw_gid == 0) {
		log_error("privdrop: refusing to serve as %s: it has uid or gid 0", name);
		return -1;
	}
	int dfd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st, db;
	if (dfd < 0 || fstat(dfd, &st) != 0) {
		log_error("privdrop: cannot open the data directory %s: %s", data_dir,
			  strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	/* Only a Sen data directory is handed over: a typo in --data that names
	 * /etc or / finds no sen.db there. */
	if (fstatat(dfd, "sen.db", &db, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(db.st_mode)) {
		log_error("privdrop: %s holds no sen.db; refusing to hand it to %s", data_dir, name);
		close(dfd);
		return -1;
	}
	if (db_file_open_here(dfd)) {
		log_error("privdrop: the database in %s is already open in this process; handing "
			  "it over now would drop SQLite's locks, so it is refused (a bug: "
			  "privdrop_prepare() must run before the database is opened)", data_dir);
		close(dfd);
		return -1;
	}
	struct adopt ad = {pw.pw_uid, pw.pw_gid, st.st_dev, 0, name, data_dir};
	int rc = give_fd(&ad, dfd, ".", &st);
	for (size_t i = 0; rc == 0 && i < sizeof db_files / sizeof db_files[0]; i++)
		rc = adopt_entry(&ad, dfd, db_files[i], false, 0);
	for (size_t i = 0; rc == 0 && i < sizeof trees / sizeof trees[0]; i++)
		rc = adopt_entry(&ad, dfd, trees[i], true, 0);
	close(dfd);
	if (changed != NULL)
		*changed = ad.changed;
	if (rc == 0 && ad.changed > 0)
		log_info("privdrop: gave %u entries of %s that root owned to %s", ad.changed,
			 data_dir, name);
	return rc;
}

int privdrop_prepare(const char *user, const char *data_dir)
{
	if (!running_as_root() || (user != NULL && strcmp(user, PRIVDROP_NONE) == 0))
		return 0;
	return privdrop_adopt(user, data_dir, NULL);
}

int privdrop_serve(const char *user, const char *data_dir, const char *read_dir)
{
	bool none = user != NULL && strcmp(user, PRIVDROP_NONE) == 0;
	if (!running_as_root()) {
		if (user == NULL || user[0] == '\0' || none)
			return 0;
		struct passwd pw, *found = NULL;
		char buf[PW_BUF];
		if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) != 0 || found == NULL ||
		    strcmp(pw.pw_name, user) != 0)
			log_info("privdrop: not started as root, so [server] user = %s is ignored; "
				 "serving as uid %u", user, (unsigned)geteuid());
		return 0;
	}
	if (none) {
		log_warn("privdrop: [server] user = none: serving as root (for development only; "
			 "never on a public server)");
		return 0;
	}
	if (privdrop_if_root(user, data_dir) != 0)
		return -1;
	/* Now as the account: the files served from disk must be readable. */
	if (read_dir != NULL && access(read_dir, R_OK | X_OK) != 0) {
		int err = errno;
		char parent[PATH_MAX];
		if (err == EACCES && closed_parent(read_dir, parent, sizeof parent))
			log_error("privdrop: the server cannot read %s: the folder %s above it is "
				  "closed to it (%s); fix with: chmod o+x %s, or install Sen "
				  "elsewhere", read_dir, parent, strerror(err), parent);
		else
			log_error("privdrop: the server cannot read %s (%s)", read_dir,
				  strerror(err));
		return -1;
	}
	return 0;
}

int privdrop_hand_back(const char *data_dir, unsigned *changed)
{
	static const char *const trees[] = {"media", "tmp"};
	if (changed != NULL)
		*changed = 0;
	if (geteuid() != 0 || data_dir == NULL || data_dir[0] == '\0')
		return 0;
	int dfd = open(data_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (dfd < 0 || fstat(dfd, &st) != 0) {
		if (dfd >= 0)
			close(dfd);
		return 0; /* nothing to hand back to */
	}
	/* Only a directory that `sen serve` adopted belongs to an account. */
	if (st.st_uid == 0 || st.st_gid == 0) {
		close(dfd);
		return 0;
	}
	struct passwd pw, *found = NULL;
	char buf[PW_BUF];
	const char *name = getpwuid_r(st.st_uid, &pw, buf, sizeof buf, &found) == 0 &&
				   found != NULL ? pw.pw_name : "?";
	struct adopt ad = {st.st_uid, st.st_gid, st.st_dev, 0, name, data_dir};
	int rc = 0;
	/* The database files are SQLite's: never opened here (see above); SQLite
	 * itself gives a -wal or -shm it creates as root to sen.db's owner. */
	for (size_t i = 0; rc == 0 && i < sizeof trees / sizeof trees[0]; i++)
		rc = adopt_entry(&ad, dfd, trees[i], true, 0);
	close(dfd);
	if (changed != NULL)
		*changed = ad.changed;
	return rc;
}
