/*
 * privdrop.h - giving up root for good before serving.
 *
 * A portal started as root (by an init script, or by hand) must not answer
 * requests as root: one bug in a handler would then own the machine. So
 * `sen serve` does as root only what needs root (read its settings, hand
 * the data directory to the account with privdrop_prepare() while no
 * database file is open yet, bind its port, which may be below 1024), then
 * calls privdrop_serve() before any request reaches a handler, and opens
 * and migrates the database as the account. Requests that arrive in between
 * wait (the `before` hook holds them until the drop is done).
 *
 * privdrop_if_root() never chowns: when the account cannot write the data
 * directory it says which path and which command fixes it, and the caller
 * exits. `sen serve` first calls privdrop_adopt() (through privdrop_prepare()),
 * which hands over only what a root-run `sen init` or `sen serve` made: the
 * entries Sen itself writes, in a directory that holds a sen.db, that root
 * owns, never through a symbolic link and never onto another file system;
 * so a typo in --data cannot give away /etc, and files an administrator
 * gave to someone else stay theirs.
 *
 * No memory is allocated that the caller must free.
 */
#ifndef SEN_CORE_PRIVDROP_H
#define SEN_CORE_PRIVDROP_H

/* The account used when none is named: "sen" if it exists, else "nobody". */
#define PRIVDROP_DEFAULT_USER "sen"
#define PRIVDROP_FALLBACK_USER "nobody"

/*
 * Does nothing and returns 0 unless the process has root in its real,
 * effective or saved user id. As root: looks up `user` (NULL or "" = the
 * default above), refuses an account with uid 0 or gid 0, clears the
 * supplementary groups (setgroups(0)), sets real, effective and saved gid and
 * then uid to the account, and checks that neither setuid(0) nor setgid(0)
 * can undo it. Then checks, as the new user, that data_dir (when not NULL)
 * can be written and searched, and so can DATA_DIR/sen.db, its -wal and
 * -shm files and DATA_DIR/media when they exist.
 *
 * Returns 0 (dropped, or nothing to do), or -1 with one clear message
 * logged: the account is unknown or privileged, a switch failed, or a path
 * is not writable (the message names the path and the fix, e.g.
 * "chown -R sen: /srv/sen/data"). On -1 the process may be half way (groups
 * gone, uid still 0, or uid dropped and data unusable): the caller must exit.
 *
 * set*id() in a threaded program relies on the C library to reach every
 * thread: glibc does (it signals each thread to make the same call), which
 * `sen serve` relies on, since the server's threads exist once the port is
 * bound; tests/http/test_faults.py checks the ids of every thread.
 */
int privdrop_if_root(const char *user, const char *data_dir);

/* The [server] user value that turns the drop off (development only). */
#define PRIVDROP_NONE "none"

/*
 * As root (else returns 0 and does nothing): gives `user` (NULL or "" = the
 * default above) the parts of data_dir that Sen writes and root owns, so a
 * data directory made by `sen init` run as root works after the drop:
 * data_dir itself, sen.db, sen.db-wal, sen.db-shm, sen.db-journal, and the
 * folders media/ and tmp/ with everything below them (at most 16 levels).
 * sen.ini stays root's: the server reads it before dropping and must not be
 * able to change it. Skipped: symbolic links (never followed: every step is
 * relative to an O_NOFOLLOW descriptor), anything but regular files and
 * folders, entries on another file system, entries owned by anyone but root.
 * Refuses (-1, logged) a data_dir without a regular file sen.db, an unknown
 * account and an account with uid or gid 0. *changed (may be NULL) gets how
 * many entries changed owner. Returns 0 or -1.
 */
int privdrop_adopt(const char *user, const char *data_dir, unsigned *changed);

/*
 * What `sen serve` calls first, before the database is opened: as root, and
 * unless user is "none", privdrop_adopt(user, data_dir). Returns 0 or -1
 * (logged); 0 doing nothing when not root.
 *
 * Why before: closing any descriptor of a file drops every POSIX lock the
 * process holds on it, so handing sen.db, -wal or -shm over (open, fchown,
 * close) after SQLite opened them would leave the server without its locks,
 * and the next `sen` command would delete the live WAL (issue 10).
 * privdrop_adopt() refuses to run when a database file is open in the
 * process.
 */
int privdrop_prepare(const char *user, const char *data_dir);

/*
 * What `sen serve` calls once its port is bound, before any request is
 * handled and before it opens the database (so the database is opened as
 * the account). user is the [server] user setting:
 * - not root: nothing changes (the process already runs unprivileged);
 *   when user names another account a note says it is ignored; 0.
 * - root and user "none": stays root, with a warning; 0.
 * - root otherwise: privdrop_if_root(), then (as
 *   the account) checks that read_dir (may be NULL: the static files the
 *   server sends from disk) can be read; -1 when any of it fails, naming
 *   the path and the fix (a closed folder above the path is named too), and
 *   then the caller must exit at once.
 */
int privdrop_serve(const char *user, const char *data_dir, const char *read_dir);

/*
 * For `sen` commands run as root beside (or between runs of) a server that
 * dropped to an account: gives the entries below DATA_DIR/media and
 * DATA_DIR/tmp that root owns to the data directory's owner, so a folder or
 * picture the command made (say `sen import` as root) stays writable by the
 * server. Never touches the database files (SQLite's; see privdrop_prepare).
 * Does nothing (0) when not root or when root owns the data directory.
 * *changed (may be NULL) gets the count. Returns 0 or -1 (logged).
 */
int privdrop_hand_back(const char *data_dir, unsigned *changed);

#endif
