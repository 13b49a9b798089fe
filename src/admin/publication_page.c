/*
 * publication_page.c - the museum's publications ("Ấn phẩm") at
 * /admin/an-pham: the list, a new publication and one publication (its
 * record as the edit form, and deleting it). The ISBN is checked by its
 * checksum (ISBN-10 or -13, hyphens and spaces allowed) and kept
 * normalised; the cover is a picture of the media library, chosen from its
 * newest pictures or by number; the PDF a file of the library by number.
 *
 * Roles as the register: curators (and admins) write, the Scientific
 * Council reads, editors and authors never reach it. A refusal comes back
 * as the form with the field named and what was typed kept; every change
 * goes to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/exhibition_shared.h"
#include "core/arena.h"
#include "model/publication.h"

#define PATH_LIST ADMIN_PATH_PUBLICATIONS
#define PATH_NEW ADMIN_PATH_PUBLICATIONS "/them"
#define PATH_ONE ADMIN_PATH_PUBLICATIONS "/:id"
#define LABELS "admin_pub_field_"

static const char *const form_fields[] = {"title",	  "authors",	  "year",
					  "publisher",	  "isbn",	  "pages",
					  "cover_media_id", "pdf_media_id", "description",
					  "public",	  NULL};

static const char *target(http_req *req, int64_t id, const char *title)
{
	return arena_sprintf(req->arena, "%lld %.150s", (long long)id, title);
}

static int publication_list_page(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	publication *rows;
	size_t n;
	if (db == NULL || publication_list(db, req->arena, false, &rows, &n) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_pub_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "url",
				    arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)rows[i].id),
				    "title", rows[i].title, "authors", rows[i].authors, "year",
				    (json_int_t)rows[i].year, "publisher", rows[i].publisher, "isbn",
				    rows[i].isbn, "public", rows[i].is_public != 0));
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	if (admin_may(me->role, ADMIN_REGISTER_KEEPERS))
		json_object_set_new(ctx, "new_url", json_string(PATH_NEW));
	const char *const notices[] = {"xoa", "admin_pub_deleted", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	return admin_render(req, res, 200, "admin/publication_list", ctx);
}

/* Renders the form (new: id 0) with the library's pictures to choose a
 * cover from. */
static int form_page(http_req *req, http_res *res, const admin_user *me, int64_t id, int status,
		     const char *message, json_t *values, const char *stored_title)
{
	db_t *db = db_get();
	json_t *ctx = db != NULL ? admin_context(req, me, id == 0 ? "admin_pub_new_title"
								    : "admin_pub_one_title")
				 : NULL;
	if (ctx == NULL || admin_exh_library(req, db, NULL, ctx) != 0) {
		json_decref(ctx);
		json_decref(values);
		return admin_error(req, res, me, 500, NULL);
	}
	const char *cover = json_string_value(json_object_get(values, "cover_media_id"));
	json_t *pic = admin_exh_picture(req, db, cover != NULL ? atoll(cover) : 0);
	if (pic != NULL)
		json_object_set_new(ctx, "cover", pic);
	json_object_set_new(ctx, "is_new", json_boolean(id == 0));
	json_object_set_new(ctx, "may_edit", json_boolean(admin_may(me->role, ADMIN_REGISTER_KEEPERS)));
	json_object_set_new(ctx, "year_min", json_integer(PUBLICATION_YEAR_MIN));
	json_object_set_new(ctx, "year_max", json_integer(PUBLICATION_YEAR_MAX));
	if (stored_title != NULL)
		json_object_set_new(ctx, "stored_title", json_string(stored_title));
	if (id != 0)
		json_object_set_new(ctx, "public_url",
				    json_string(arena_sprintf(req->arena, "/an-pham/%lld",
							      (long long)id)));
	const char *const notices[] = {"them", "admin_pub_added", "luu", "admin_pub_saved", NULL};
	const char *notice = admin_notice(req, notices);
	if (notice != NULL)
		json_object_set_new(ctx, "notice", json_string(web_text(req, notice)));
	const char *action = id == 0 ? PATH_NEW
				     : arena_sprintf(req->arena, PATH_LIST "/%lld", (long long)id);
	return admin_reg_form_render(req, res, me, ctx, status, action, id == 0 ? NULL : PATH_ONE,
				     PATH_LIST, message, values, "admin/publication_form");
}

/* A whole number typed in the form ("" is 0): false when it is not one. */
static bool whole(const char *s, int64_t *out)
{
	*out = 0;
	if (s[0] == '\0')
		return true;
	char *end;
	if (s[0] < '0' || s[0] > '9' || strlen(s) > 9)
		return false;
	*out = strtoll(s, &end, 10);
	return *end == '\0';
}

/* Reads the form into *p and values: 0, or a refusal in *f (too long, a
 * number that is not one). */
static int read_form(http_req *req, publication *p, json_t *values, model_problem *f)
{
	const char *v[11] = {0};
	if (!admin_reg_read_fields(req, form_fields, PUBLICATION_DESCRIPTION_MAX, v, values, f))
		return REG_TOO_LONG;
	*p = (publication){.title = v[0], .authors = v[1], .publisher = v[3], .isbn = v[4],
			   .description = v[8], .is_public = strcmp(v[9], "1") == 0};
	if (v[2][0] == '\0')
		return reg_refuse(f, REG_REQUIRED, "year");
	static const char *const numbers[] = {"year", "pages", "cover_media_id", "pdf_media_id"};
	int64_t *const into[] = {&p->year, &p->pages, &p->cover_media_id, &p->pdf_media_id};
	const char *typed[] = {v[2], v[5], v[6], v[7]};
	for (size_t i = 0; i < 4; i++)
		if (!whole(typed[i], into[i]))
			return reg_refuse(f, i < 2 ? REG_BAD_NUMBER : REG_NOT_FOUND, numbers[i]);
	if (v[5][0] != '\0' && p->pages == 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "pages");
	return 0;
}

static const char *problem(http_req *req, const model_problem *f)
{
	if (f->code == REG_OUT_OF_RANGE && strcmp(f->field, "year") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE, "admin_pub_year_range");
	if (f->code == REG_OUT_OF_RANGE && strcmp(f->field, "pages") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_OUT_OF_RANGE, "admin_pub_pages_range");
	if (f->code == REG_BAD_CHOICE && strcmp(f->field, "pdf_media_id") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_BAD_CHOICE, "admin_pub_not_pdf");
	if (f->code == REG_BAD_NUMBER && strcmp(f->field, "isbn") == 0)
		return admin_reg_problem_as(req, LABELS, f, REG_BAD_NUMBER, "admin_pub_bad_isbn");
	return admin_reg_problem(req, LABELS, f);
}

static int publication_new_form(http_req *req, http_res *res, const admin_user *me)
{
	return form_page(req, res, me, 0, 200, NULL, json_object(), NULL);
}

static int publication_add_submit(http_req *req, http_res *res, const admin_user *me)
{
	json_t *values = json_object();
	publication p;
	model_problem f = {0};
	int rc = read_form(req, &p, values, &f);
	db_t *db = db_get();
	int64_t id = 0;
	if (rc == 0)
		rc = db != NULL ? publication_add(db, &p, &id, &f) : -1;
	if (rc > 0)
		return form_page(req, res, me, 0, 400, problem(req, &f), values, NULL);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_PUBLICATION_CHANGE,
			       target(req, id, rc == 0 ? p.title : ""), "add",
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=them", (long long)id));
}

static int publication_one_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	publication p;
	int rc = admin_get_status(publication_get(db, req->arena, id, &p));
	if (rc != 0)
		return admin_error(req, res, me, rc, NULL);
	json_t *values = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "title", p.title, "authors",
	    p.authors, "year", arena_sprintf(req->arena, "%lld", (long long)p.year), "publisher",
	    p.publisher, "isbn", p.isbn, "pages",
	    p.pages > 0 ? arena_sprintf(req->arena, "%lld", (long long)p.pages) : "",
	    "cover_media_id",
	    p.cover_media_id > 0 ? arena_sprintf(req->arena, "%lld", (long long)p.cover_media_id) : "",
	    "pdf_media_id",
	    p.pdf_media_id > 0 ? arena_sprintf(req->arena, "%lld", (long long)p.pdf_media_id) : "",
	    "description", p.description, "public", p.is_public != 0);
	return form_page(req, res, me, id, 200, NULL, values, p.title);
}

static int publication_save_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	publication old;
	int found = admin_get_status(publication_get(db, req->arena, id, &old));
	if (found != 0)
		return admin_error(req, res, me, found, NULL);
	const char *action = admin_field(req, "action", 16);
	model_problem f = {0};
	if (action != NULL && strcmp(action, "delete") == 0) {
		int rc = publication_delete(db, id, &f);
		if (rc == 0)
			admin_reg_audit(req, me, db, AUDIT_PUBLICATION_CHANGE, target(req, id, old.title),
					"delete");
		return rc == 0 ? http_redirect(res, 303, PATH_LIST "?ok=xoa")
			       : admin_error(req, res, me, rc > 0 ? 404 : 500, NULL);
	}
	json_t *values = json_object();
	publication p;
	int rc = read_form(req, &p, values, &f);
	p.id = id;
	if (rc == 0)
		rc = publication_update(db, &p, &f);
	if (rc > 0)
		return form_page(req, res, me, id, 400, problem(req, &f), values, old.title);
	json_decref(values);
	return admin_reg_saved(req, res, me, db, rc, AUDIT_PUBLICATION_CHANGE,
			       target(req, id, rc == 0 ? p.title : old.title), "edit",
			       arena_sprintf(req->arena, PATH_LIST "/%lld?ok=luu", (long long)id));
}

ADMIN_REG_ROW_PAGE(publication_one, publication_one_row)
ADMIN_REG_ROW_PAGE(publication_save, publication_save_row)

static const admin_page pages[] = {
	{{HTTP_GET, PATH_LIST, NULL, ADMIN_REGISTER_READERS}, publication_list_page},
	{{HTTP_GET, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, publication_new_form},
	{{HTTP_POST, PATH_NEW, NULL, ADMIN_REGISTER_KEEPERS}, publication_add_submit},
	{{HTTP_GET, PATH_ONE, NULL, ADMIN_REGISTER_READERS}, publication_one},
	{{HTTP_POST, PATH_ONE, NULL, ADMIN_REGISTER_KEEPERS}, publication_save},
};

const admin_page_table admin_publication_table = {pages, sizeof pages / sizeof pages[0]};
