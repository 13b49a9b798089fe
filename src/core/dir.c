/*
 * dir.c - walking the entries of one folder (see dir.h).
 */
#include "core/dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "core/log.h"

int dir_each(const char *dir, int (*fn)(const char *path, const char *name, void *ctx),
	     void *ctx)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (n < 0 || (size_t)n >= sizeof path) {
			log_warn("dir: a path below %s is too long, left out", dir);
			continue;
		}
		rc = fn(path, e->d_name, ctx);
	}
	closedir(d);
	return rc;
}

int dir_sync(const char *path, bool is_dir)
{
	int fd = open(path, (is_dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}
