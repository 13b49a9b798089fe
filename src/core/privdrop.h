/*
 * privdrop.h - giving up root for good before serving.
 *
 * A portal started as root (by an init script, or by hand) must not answer
 * requests as root: one bug in a handler would then own the machine. So
 * `sen serve` calls privdrop_if_root() before it opens the database or
 * starts a thread, and from then on runs as an ordinary account.
 *
 * Nothing is ever chowned on the way: silently handing a directory tree to
 * another account is how a typo in --data gives away /etc. When the account
 * cannot write the data directory, the function says which path and which
 * command fixes it, and the caller exits.
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
 * Call it before any thread is started: set*id() in a threaded program
 * relies on the C library to reach every thread.
 */
int privdrop_if_root(const char *user, const char *data_dir);

#endif
