/*
 * revisions.c - the versions of an article at /admin/bai-viet/ID/phien-ban:
 * the list (who saved, when), comparing any two (a line diff of title,
 * summary, tags, pictures and body, shown with <del> and <ins>), and
 * restoring one (saved again as a new version; audit "article_restore").
 * Whoever may view the article may see its versions; restoring needs the
 * right to edit it.
 */
#include <stdio.h>
#include <string.h>

#include "admin/editorial.h"
#include "core/fmt.h"
#include "db/db.h"
#include "web/web.h"
#include "model/revision.h"

static const char *note_text(http_req *req, const revision *r)
{
	if (r->note == NULL || r->note[0] == '\0')
		return "";
	if (strcmp(r->note, "original") == 0)
		return web_text(req, "admin_editor_rev_original");
	if (strncmp(r->note, "restore ", 8) == 0)
		return arena_sprintf(req->arena, "%s #%s", web_text(req, "admin_editor_rev_restored_from"),
				     r->note + 8);
	return r->note;
}

static json_t *revision_json(http_req *req, const revision *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "when",
			 editorial_datetime(req, r->created_at), "user",
			 r->user_name[0] != '\0' ? r->user_name : "-", "title", r->title, "note",
			 note_text(req, r));
}

int editorial_revisions_page(http_req *req, http_res *res, const admin_user *me)
{
	article a;
	int status = editorial_article(req, me, ARTICLE_VIEW, &a);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	revision *items = NULL;
	size_t n = 0;
	if (revision_list(db_get(), req->arena, a.id, REVISION_LIST_MAX, &items, &n) != 0)
		return admin_error(req, res, me, 500, NULL);
	json_t *ctx = admin_context(req, me, "admin_editor_revisions_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	bool may_restore = article_may(me->role, me->id, a.author_id, a.status, ARTICLE_EDIT);
	const char *restore_csrf = may_restore
				       ? admin_csrf_token(req, me, EDITORIAL_PATH_RESTORE)
				       : NULL;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *row = revision_json(req, &items[i]);
		if (row == NULL)
			continue;
		/* The newest two are chosen for comparing by default. */
		json_object_set_new(row, "checked_a", json_boolean(i == 1 || (n == 1 && i == 0)));
		json_object_set_new(row, "checked_b", json_boolean(i == 0));
		json_object_set_new(row, "current", json_boolean(i == 0));
		if (may_restore && i > 0)
			json_object_set_new(row, "restore_action",
					    json_string(arena_sprintf(req->arena,
								      ADMIN_PATH_ARTICLES
								      "/%lld/phien-ban/%lld/khoi-phuc",
								      (long long)a.id,
								      (long long)items[i].id)));
		json_array_append_new(rows, row);
	}
	json_object_set_new(ctx, "revisions", rows);
	json_object_set_new(ctx, "empty", json_boolean(n == 0));
	json_object_set_new(ctx, "comparable", json_boolean(n >= 2));
	json_object_set_new(ctx, "article",
			    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)a.id, "title", a.title,
				      "url", editorial_url(req, a.id, NULL), "compare_action",
				      editorial_url(req, a.id, "/phien-ban/so-sanh")));
	if (restore_csrf != NULL)
		json_object_set_new(ctx, "restore_csrf", json_string(restore_csrf));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/editor.css"));
	return admin_render(req, res, 200, "admin/revisions", ctx);
}

int editorial_compare_page(http_req *req, http_res *res, const admin_user *me)
{
	article a;
	int status = editorial_article(req, me, ARTICLE_VIEW, &a);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int64_t ida, idb;
	const char *qa = http_query(req, "a"), *qb = http_query(req, "b");
	if (qa == NULL || qb == NULL || web_parse_id(qa, &ida) != 0 ||
	    web_parse_id(qb, &idb) != 0)
		return admin_error(req, res, me, 400, "admin_editor_rev_pick_two");
	db_t *db = db_get();
	revision ra, rb;
	int rc1 = revision_get(db, req->arena, a.id, ida, &ra);
	int rc2 = revision_get(db, req->arena, a.id, idb, &rb);
	if (rc1 < 0 || rc2 < 0)
		return admin_error(req, res, me, 500, NULL);
	if (rc1 != 0 || rc2 != 0)
		return admin_error(req, res, me, 404, NULL);
	json_t *ctx = admin_context(req, me, "admin_editor_compare_title");
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	const char *da = revision_document(req->arena, &ra);
	const char *db_text = revision_document(req->arena, &rb);
	revision_diff_line *lines = NULL;
	size_t n = 0;
	int rc = da != NULL && db_text != NULL ? revision_diff(req->arena, da, db_text, &lines, &n)
					       : -1;
	if (rc < 0)
		return admin_fail(req, res, me, 500, ctx);
	json_t *out = json_array();
	size_t added = 0, removed = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *op = lines[i].op == REVISION_ADDED	 ? "added"
				 : lines[i].op == REVISION_REMOVED ? "removed"
								   : "same";
		added += lines[i].op == REVISION_ADDED;
		removed += lines[i].op == REVISION_REMOVED;
		json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:b}", "op", op, "line",
						     lines[i].line, "added",
						     lines[i].op == REVISION_ADDED, "removed",
						     lines[i].op == REVISION_REMOVED));
	}
	json_object_set_new(ctx, "lines", out);
	json_object_set_new(ctx, "too_large", json_boolean(rc == 1));
	json_object_set_new(ctx, "identical", json_boolean(rc == 0 && added == 0 && removed == 0));
	char added_text[32], removed_text[32];
	fmt_int(added_text, sizeof added_text, (int64_t)added, web_lang(req));
	fmt_int(removed_text, sizeof removed_text, (int64_t)removed, web_lang(req));
	json_object_set_new(ctx, "counts", json_pack("{s:s, s:s}", "added", added_text, "removed",
						     removed_text));
	json_object_set_new(ctx, "old", revision_json(req, &ra));
	json_object_set_new(ctx, "new", revision_json(req, &rb));
	json_object_set_new(ctx, "article",
			    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)a.id, "title", a.title,
				      "url", editorial_url(req, a.id, NULL), "revisions_url",
				      editorial_url(req, a.id, "/phien-ban")));
	json_object_set_new(ctx, "styles", json_pack("[s]", "/static/css/admin/editor.css"));
	return admin_render(req, res, 200, "admin/revisions_compare", ctx);
}

int editorial_restore(http_req *req, http_res *res, const admin_user *me)
{
	article a;
	int status = editorial_article(req, me, ARTICLE_EDIT, &a);
	if (status == 403)
		return admin_error(req, res, me, 403, "admin_editor_not_editable");
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	int64_t rev;
	if (req->nparams < 2 || web_parse_id(req->params[1], &rev) != 0)
		return admin_error(req, res, me, 404, NULL);
	int64_t new_id = 0;
	int rc = revision_restore(db_get(), req->arena, a.id, rev, me->id, editorial_user_name(me),
				  admin_now(), &new_id);
	if (rc == 1)
		return admin_error(req, res, me, 404, NULL);
	if (rc == 2)
		return admin_error(req, res, me, 409, "admin_editor_rev_category_gone");
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	editorial_audit(req, me, AUDIT_ARTICLE_RESTORE, &a,
			arena_sprintf(req->arena, "revision %lld -> %lld", (long long)rev,
				      (long long)new_id));
	return http_redirect(res, 303, editorial_url(req, a.id, "?ok=khoi-phuc"));
}
