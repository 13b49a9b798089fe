/*
 * audit.c - the audit log (see audit.h).
 */
#include "model/audit.h"

#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

const char *const audit_actions[] = {
	AUDIT_LOGIN,		 AUDIT_LOGIN_FAILED, AUDIT_LOGOUT,	AUDIT_PASSWORD_CHANGE,
	AUDIT_PASSWORD_RESET, AUDIT_USER_ADD,     AUDIT_USER_ROLE, AUDIT_USER_DISABLE,
	AUDIT_USER_ENABLE,
	AUDIT_ARTICLE_CREATE, AUDIT_ARTICLE_SUBMIT, AUDIT_ARTICLE_PUBLISH,
	AUDIT_ARTICLE_SCHEDULE, AUDIT_ARTICLE_UNPUBLISH, AUDIT_ARTICLE_RETURN,
	AUDIT_ARTICLE_RESTORE,
	AUDIT_ARTICLE_DELETE, AUDIT_MEDIA_UPLOAD, AUDIT_MEDIA_DELETE,
	AUDIT_COMMENT_MODERATE, AUDIT_CATEGORY_CHANGE, AUDIT_TAG_CHANGE,
	AUDIT_LINK_CHANGE, AUDIT_SETTINGS_CHANGE, AUDIT_OBJECT_INTAKE,
	AUDIT_LOCATION_CHANGE, AUDIT_OBJECT_MOVE, AUDIT_INVENTORY_CHANGE, AUDIT_OBJECT_IMPORT,
	AUDIT_OBJECT_CARE, AUDIT_OBJECT_PHOTOS,
	AUDIT_COUNCIL_SESSION, AUDIT_COUNCIL_DECISION, AUDIT_OBJECT_CORRECT, AUDIT_REGISTER_PATTERN,
	AUDIT_DONOR_CHANGE, AUDIT_ACQUISITION_CHANGE, AUDIT_EXHIBITION_CHANGE,
	AUDIT_PUBLICATION_CHANGE, AUDIT_PLAN_CHANGE, AUDIT_UNIT_CHANGE, AUDIT_PERSON_CHANGE,
	AUDIT_TASK_CHANGE,
	NULL,
};

void audit_address_hash(const unsigned char secret[32], const char *addr,
			char out[AUDIT_ADDRESS_LEN + 1])
{
	unsigned char h[AUDIT_ADDRESS_LEN / 2];
	crypto_generichash_state state;
	if (addr == NULL)
		addr = "";
	crypto_generichash_init(&state, secret, 32, sizeof h);
	crypto_generichash_update(&state, (const unsigned char *)"audit", 6);
	crypto_generichash_update(&state, (const unsigned char *)addr, strnlen(addr, 64));
	crypto_generichash_final(&state, h, sizeof h);
	sodium_bin2hex(out, AUDIT_ADDRESS_LEN + 1, h, sizeof h);
}

bool audit_action_valid(const char *action)
{
	if (action == NULL)
		return false;
	size_t len = strnlen(action, AUDIT_ACTION_MAX + 1);
	if (len == 0 || len > AUDIT_ACTION_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((action[i] >= 'a' && action[i] <= 'z') || action[i] == '_'))
			return false;
	return true;
}

/* Copies s into out with invalid UTF-8 and control characters replaced by
 * '?', cut to max bytes at a character boundary. */
static void clean_text(const char *s, size_t max, buf_t *out)
{
	if (s == NULL)
		s = "";
	size_t len = strnlen(s, max * 4 + 4);
	for (size_t i = 0; i < len && out->len < max;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (n == 0 || i + n > len || !utf8_valid(s + i, n) || c < 0x20 || c == 0x7f) {
			buf_putc(out, '?');
			i += n == 0 || i + n > len ? 1 : n;
			continue;
		}
		if (out->len + n > max)
			break;
		buf_append(out, s + i, n);
		i += n;
	}
	buf_puts(out, "");
}

int audit_add(db_t *db, int64_t now, const audit_actor *who, const char *action,
	      const char *target, const char *details)
{
	if (!audit_action_valid(action)) {
		log_error("audit: invalid action name");
		return -1;
	}
	buf_t t = BUF_INIT, d = BUF_INIT, n = BUF_INIT;
	clean_text(target, AUDIT_TARGET_MAX, &t);
	clean_text(details, AUDIT_DETAILS_MAX, &d);
	clean_text(who != NULL ? who->user_name : NULL, 64, &n);
	const char *addr = who != NULL && who->address != NULL ? who->address : "";
	if (strlen(addr) != AUDIT_ADDRESS_LEN)
		addr = "";
	int rc = -1;
	db_stmt *st = NULL;
	if (t.failed || d.failed || n.failed)
		goto done;
	st = db_prepare(db, "INSERT INTO audit_log (at, user_id, user_name, action, target, "
			    "details, address) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL || db_bind_int64(st, 1, now) != 0)
		goto done;
	if (who != NULL && who->user_id > 0 ? db_bind_int64(st, 2, who->user_id)
					    : db_bind_null(st, 2))
		goto done;
	if (db_bind_text(st, 3, n.data, -1) != 0 || db_bind_text(st, 4, action, -1) != 0 ||
	    db_bind_text(st, 5, t.data, -1) != 0 || db_bind_text(st, 6, d.data, -1) != 0 ||
	    db_bind_text(st, 7, addr, -1) != 0 || db_step(st) != DB_DONE)
		goto done;
	rc = 0;
done:
	if (rc != 0)
		log_error("audit: could not record '%s'", action);
	db_done(st);
	buf_free(&t);
	buf_free(&d);
	buf_free(&n);
	return rc;
}

int audit_list(db_t *db, arena_t *a, const audit_filter *f, int limit, audit_entry **items,
	       size_t *n, bool *has_more)
{
	*items = NULL;
	*n = 0;
	*has_more = false;
	if (limit < 1 || limit > AUDIT_PAGE_MAX)
		limit = AUDIT_PAGE_MAX;
	audit_filter none = {0};
	if (f == NULL)
		f = &none;
	/* The statement is put together from fixed pieces, one per filter in
	 * use, so each combination is its own cached statement and the planner
	 * can pick the index of that filter (audit_log_user, _action, _at). No
	 * value ever becomes SQL text. */
	char sql[512];
	int64_t binds[4];
	int nb = 0;
	const char *action = f->action != NULL && f->action[0] != '\0' ? f->action : NULL;
	size_t o = (size_t)snprintf(sql, sizeof sql,
				    "SELECT id, at, coalesce(user_id, 0), user_name, action, target, "
				    "details, address FROM audit_log WHERE 1");
	if (f->user_id > 0) {
		o += (size_t)snprintf(sql + o, sizeof sql - o, " AND user_id = ?");
		binds[nb++] = f->user_id;
	}
	if (action != NULL)
		o += (size_t)snprintf(sql + o, sizeof sql - o, " AND action = ?");
	if (f->from > 0) {
		o += (size_t)snprintf(sql + o, sizeof sql - o, " AND at >= ?");
		binds[nb++] = f->from;
	}
	if (f->to > 0) {
		o += (size_t)snprintf(sql + o, sizeof sql - o, " AND at < ?");
		binds[nb++] = f->to;
	}
	if (f->before_id > 0) {
		o += (size_t)snprintf(sql + o, sizeof sql - o, " AND id < ?");
		binds[nb++] = f->before_id;
	}
	snprintf(sql + o, sizeof sql - o, " ORDER BY id DESC LIMIT ?");
	db_stmt *st = db_prepare(db, sql);
	audit_entry *out = arena_calloc(a, (size_t)limit + 1, sizeof *out);
	if (st == NULL || out == NULL)
		goto fail;
	/* Bind in the order the pieces were added: user, action, from, to, before. */
	int idx = 1, bi = 0;
	if (f->user_id > 0 && db_bind_int64(st, idx++, binds[bi++]) != 0)
		goto fail;
	if (action != NULL && db_bind_text(st, idx++, action, -1) != 0)
		goto fail;
	while (bi < nb)
		if (db_bind_int64(st, idx++, binds[bi++]) != 0)
			goto fail;
	if (db_bind_int64(st, idx, limit + 1) != 0)
		goto fail;
	size_t i = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (i == (size_t)limit) {
			*has_more = true;
			break;
		}
		audit_entry *e = &out[i];
		e->id = db_col_int64(st, 0);
		e->at = db_col_int64(st, 1);
		e->user_id = db_col_int64(st, 2);
		e->user_name = db_col_copy(a, st, 3, "", NULL);
		e->action = db_col_copy(a, st, 4, "", NULL);
		e->target = db_col_copy(a, st, 5, "", NULL);
		e->details = db_col_copy(a, st, 6, "", NULL);
		e->address = db_col_copy(a, st, 7, "", NULL);
		if (e->user_name == NULL || e->action == NULL || e->target == NULL ||
		    e->details == NULL || e->address == NULL)
			goto fail;
		i++;
	}
	if (rc != DB_ROW && rc != DB_DONE)
		goto fail;
	db_done(st);
	*items = out;
	*n = i;
	return 0;
fail:
	db_done(st);
	*has_more = false;
	return -1;
}
