/*
 * media_take.h - a picture uploaded into the media library, as the library's
 * own upload form (media.c) and the object card's photos page
 * (photos_page.c) both take it: one file in the field "file", an alt text
 * and a credit required, at most MEDIA_MAX_BYTES, the type read from the
 * bytes (media_store_upload), the upload in the audit log (media_upload) and
 * the variants' worker woken. One path, so the two forms cannot differ in
 * what they accept.
 */
#ifndef SEN_ADMIN_MEDIA_TAKE_H
#define SEN_ADMIN_MEDIA_TAKE_H

#include "admin/admin_private.h"
#include "model/media_format.h"

typedef struct {
	int status;           /* 0 stored; 400 or 413 refused; 500 */
	const char *key;      /* the refusal's catalog key (admin_media_...), or NULL */
	const char *detail;   /* why the store refused the file, or NULL */
	const char *alt;      /* as typed, trimmed ("" when too long) */
	const char *credit;
	const char *filename; /* the uploaded file's own name */
	int64_t id;           /* the new picture of the library */
	media_info info;
} admin_media_upload;

/* Checks and stores the upload of req's multipart form into out (strings
 * in the request arena): out->status. pictures_only refuses a document
 * (PDF) before anything is stored: a form whose file must be a picture
 * (an object card's photo). */
int admin_media_take(http_req *req, const admin_user *me, bool pictures_only,
		     admin_media_upload *out);

/* Takes back a picture admin_media_take stored when what it was uploaded
 * for was then refused (the card's photos were full by then): the picture
 * and its files go, and the audit log says so beside the upload. */
void admin_media_untake(http_req *req, const admin_user *me, const admin_media_upload *up);

/* s without ASCII spaces at both ends (an arena copy; NULL for NULL). */
const char *admin_media_trimmed(http_req *req, const char *s);

#endif
