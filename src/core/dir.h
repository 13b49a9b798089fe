/*
 * dir.h - walking the entries of one folder; flushing one to the disk.
 */
#ifndef SEN_CORE_DIR_H
#define SEN_CORE_DIR_H

#include <stdbool.h>

/*
 * Calls fn(path, name, ctx) for every entry of dir whose name does not start
 * with '.', path being "dir/name" (valid during the call only), in the order
 * readdir gives. An entry whose path would not fit PATH_MAX is left out
 * (logged). Stops at the first fn that returns nonzero and returns that;
 * 0 after the last entry, -1 when dir cannot be opened.
 */
int dir_each(const char *dir, int (*fn)(const char *path, const char *name, void *ctx),
	     void *ctx);

/* Flushes a file, or a folder's entries (is_dir), to the disk: after a
 * rename, so that what a commit records next is not lost with power. 0 or
 * -1 (errno set). */
int dir_sync(const char *path, bool is_dir);

#endif
