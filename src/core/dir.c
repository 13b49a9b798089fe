/*
 * dir.c - walking the entries of one folder (see dir.h).
 */
#include "core/dir.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>

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
