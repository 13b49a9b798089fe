/*
 * nobody.h - what the privilege-drop tests start from: the ids of the
 * account `nobody`, which they drop to, and a fresh folder to work in.
 * Header-only; the caller removes the folder.
 */
#ifndef SEN_TESTS_NOBODY_H
#define SEN_TESTS_NOBODY_H

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* nobody's ids into *uid and *gid, and a new folder made from template
 * (ending in XXXXXX) into dir. 0, or -1 when either is missing. */
static inline int nobody_and_folder(uid_t *uid, gid_t *gid, char *dir, size_t len,
				    const char *template)
{
	struct passwd *pw = getpwnam("nobody");
	if (pw == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	snprintf(dir, len, "%s", template);
	return mkdtemp(dir) != NULL ? 0 : -1;
}

#endif
