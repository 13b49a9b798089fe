/*
 * visitor.c - the site's visitor key (model/visitor.h), loaded once for
 * the process: ratings and comments (feedback.c) and the counting of page
 * views (visits.c) tell readers apart with it.
 */
#include <pthread.h>
#include <stdbool.h>

#include "core/log.h"
#include "db/db.h"
#include "model/visitor.h"
#include "portal/portal.h"

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static unsigned char key[VISITOR_KEY_BYTES];
static bool key_ok;

static void key_load(void)
{
	db_t *db = db_get();
	key_ok = db != NULL && visitor_secret_load(db, key) == 0;
	if (!key_ok)
		log_error("portal: no visitor secret; ratings and comments are refused, and "
			  "page views are counted without visitors");
}

const unsigned char *portal_visitor_key(void)
{
	pthread_once(&key_once, key_load);
	return key_ok ? key : NULL;
}
