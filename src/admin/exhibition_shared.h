/*
 * exhibition_shared.h - what the back office's exhibition and publication
 * pages share: a picker over the media library's pictures, and the day a
 * form field holds. Everything returned lives in the request arena.
 */
#ifndef SEN_ADMIN_EXHIBITION_SHARED_H
#define SEN_ADMIN_EXHIBITION_SHARED_H

#include <jansson.h>
#include <stdbool.h>

#include "admin/register_shared.h"
#include "model/exhibition.h"

#define ADMIN_PATH_EXHIBITIONS "/admin/trung-bay"
#define ADMIN_PATH_PUBLICATIONS "/admin/an-pham"

/* Sets ctx's "library" to [{id, thumb, label}] of at most 24 pictures of
 * the library ready to show, newest first, whose text matches q (NULL:
 * all), and "library_empty". 0 or -1. */
int admin_exh_library(http_req *req, db_t *db, const char *q, json_t *ctx);

/* A picture of the library as [{media_id, thumb, label}] (thumb "" when it
 * is not ready), or NULL when there is none. */
json_t *admin_exh_picture(http_req *req, db_t *db, int64_t media_id);

/* The day typed in a form ("dd/mm/yyyy", or yyyy-mm-dd) as yyyy-mm-dd in
 * out; "" stays "". false when it is not a real day. */
bool admin_exh_day(const char *typed, char out[11]);

/* An exhibition's days: "01/05/2020 – 30/06/2020", "từ 01/05/2020" with
 * no closing day. */
const char *admin_exh_dates(http_req *req, const exhibition *e);
/* Where it is: the hall, "venue, province", or "Trực tuyến" online. */
const char *admin_exh_venue(http_req *req, const exhibition *e);

#endif
