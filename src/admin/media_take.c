/*
 * media_take.c - a picture uploaded into the media library (see
 * media_take.h).
 */
#include "admin/media_take.h"

#include <string.h>

#include "app.h"
#include "db/db.h"
#include "model/media.h"
#include "model/media_image.h"
#include "model/media_store.h"

const char *admin_media_trimmed(http_req *req, const char *s)
{
	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* The refusal in out: its status. */
static int refuse(admin_media_upload *out, int status, const char *key)
{
	out->status = status;
	out->key = key;
	return status;
}

static void take_audit(http_req *req, const admin_user *me, const char *action,
		       const char *target, const char *detail)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	audit_add(db_get(), admin_now(), &actor, action, target, detail);
}

int admin_media_take(http_req *req, const admin_user *me, bool pictures_only,
		     admin_media_upload *out)
{
	const app_t *app = req->app;
	const char *alt_raw = admin_field(req, "alt", MEDIA_ALT_MAX);
	const char *credit_raw = admin_field(req, "credit", MEDIA_CREDIT_MAX);
	*out = (admin_media_upload){.alt = admin_media_trimmed(req, alt_raw), .credit = admin_media_trimmed(req, credit_raw),
				    .filename = ""};
	if (alt_raw == NULL || credit_raw == NULL) {
		out->alt = alt_raw == NULL ? "" : out->alt;
		out->credit = credit_raw == NULL ? "" : out->credit;
		return refuse(out, 400, alt_raw == NULL ? "admin_media_alt_long" : "admin_media_credit_long");
	}
	if (out->alt == NULL || out->credit == NULL)
		return refuse(out, 500, NULL);
	const http_upload *file = NULL;
	size_t nfiles = 0;
	for (size_t i = 0; i < req->nuploads; i++) {
		nfiles++;
		if (req->uploads[i].field != NULL && strcmp(req->uploads[i].field, "file") == 0)
			file = &req->uploads[i];
	}
	if (nfiles > 1)
		return refuse(out, 400, "admin_media_one_file");
	if (file == NULL || file->size == 0)
		return refuse(out, 400, "admin_media_no_file");
	if (out->alt[0] == '\0')
		return refuse(out, 400, "admin_media_alt_required");
	if (out->credit[0] == '\0')
		return refuse(out, 400, "admin_media_credit_required");
	if (file->size > MEDIA_MAX_BYTES)
		return refuse(out, 413, "admin_media_too_big");
	db_t *db = db_get();
	if (db == NULL || file->path == NULL)
		return refuse(out, 500, NULL);
	out->filename = file->filename != NULL ? file->filename : "";
	char stored[MEDIA_FILE_MAX], why[256] = "";
	media_info seen;
	if (pictures_only && media_check_upload(file->path, &seen, why, sizeof why) == 0 &&
	    media_is_document(seen.mime))
		return refuse(out, 400, "admin_media_not_picture");
	if (media_store_upload(db, app->media_dir, file->path, out->filename, out->alt, out->credit,
			       &out->id, stored, sizeof stored, &out->info, why, sizeof why) != 0) {
		out->detail = arena_strdup(req->arena, why);
		return refuse(out, 400, "admin_media_refused");
	}
	take_audit(req, me, AUDIT_MEDIA_UPLOAD, stored,
		   arena_sprintf(req->arena, "%s, %d×%d, %zu bytes, \"%s\"", out->info.mime,
				 out->info.width, out->info.height, out->info.bytes, out->filename));
	media_image_wake(app->media_dir);
	return 0;
}

void admin_media_untake(http_req *req, const admin_user *me, const admin_media_upload *up)
{
	media gone;
	if (up->id <= 0 ||
	    media_delete(db_get(), req->arena, ((const app_t *)req->app)->media_dir, up->id, &gone, NULL, NULL) != 0)
		return;
	take_audit(req, me, AUDIT_MEDIA_DELETE, gone.file, "upload taken back: its form was refused");
}
