/*
 * object.c - the object card and the intake book (see object.h).
 */
#include "model/object.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "model/object_filter.h"
#include "model/register_log.h"

const char *const object_kinds[] = {"hien_vat", "tai_lieu", NULL};
const char *const object_classes[] = {"di_vat", "co_vat", "bao_vat", NULL};
const char *const object_states[] = {"tot", "kha", "kem", "hong", NULL};

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- checks ------------------------------------------------------------------ */

static int check_size(model_problem *f, const char *field, double v, double max)
{
	if (!isfinite(v) || v < 0 || v > max)
		return reg_refuse(f, REG_OUT_OF_RANGE, field);
	return 0;
}

int object_check(const object_card *c, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "intake_no", c->intake_no, OBJECT_INTAKE_NO_MAX, false,
				 false)) ||
	    (rc = reg_check_choice(f, "kind", c->kind, object_kinds, false)) ||
	    (rc = reg_check_text(f, "name", c->name, OBJECT_NAME_MAX, true, false)) ||
	    (rc = reg_check_text(f, "other_names", c->other_names, OBJECT_OTHER_NAMES_MAX, false,
				 false)) ||
	    (rc = reg_check_text(f, "material_code", c->material_code, 8, true, false)) ||
	    (rc = reg_check_text(f, "material_note", c->material_note, OBJECT_SHORT_MAX, false,
				 false)) ||
	    (rc = reg_check_text(f, "technique", c->technique, OBJECT_SHORT_MAX, false, false)) ||
	    (rc = check_size(f, "length_cm", c->length_cm, OBJECT_SIZE_MAX)) ||
	    (rc = check_size(f, "width_cm", c->width_cm, OBJECT_SIZE_MAX)) ||
	    (rc = check_size(f, "height_cm", c->height_cm, OBJECT_SIZE_MAX)) ||
	    (rc = check_size(f, "diameter_cm", c->diameter_cm, OBJECT_SIZE_MAX)) ||
	    (rc = check_size(f, "weight_g", c->weight_g, OBJECT_WEIGHT_MAX)) ||
	    (rc = reg_check_text(f, "dating", c->dating, OBJECT_DATING_MAX, false, false)) ||
	    (rc = reg_check_text(f, "origin_place", c->origin_place, OBJECT_SHORT_MAX, false,
				 false)) ||
	    (rc = reg_check_choice(f, "class", c->heritage_class, object_classes, false)) ||
	    (rc = reg_check_text(f, "description", c->description, OBJECT_DESCRIPTION_MAX, false,
				 true)) ||
	    (rc = reg_check_text(f, "notes", c->notes, OBJECT_NOTES_MAX, false, true)))
		return rc;
	if (c->pieces < 0 || c->pieces > OBJECT_PIECES_MAX)
		return reg_refuse(f, REG_OUT_OF_RANGE, "pieces");
	if (c->value < 0 || c->value > OBJECT_VALUE_MAX)
		return reg_refuse(f, REG_OUT_OF_RANGE, "value");
	if (c->acquisition_id <= 0)
		return reg_refuse(f, REG_REQUIRED, "acquisition_id");
	return 0;
}

/* Like reg_exists() with a text key. */
static int exists_text(db_t *db, const char *sql, const char *text)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_bind_text(st, 1, text, -1) == 0 ? db_step(st) : DB_ERROR;
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int object_check_refs(db_t *db, const object_card *c, model_problem *f)
{
	int e = reg_require(db, f, REG_NOT_FOUND, "acquisition_id",
			    "SELECT 1 FROM acquisitions WHERE id = ?", c->acquisition_id);
	if (e != 0)
		return e;
	e = exists_text(db, "SELECT 1 FROM materials WHERE code = ?", c->material_code);
	if (e <= 0)
		return e < 0 ? -1 : reg_refuse(f, REG_NOT_FOUND, "material_code");
	if (c->intake_no != NULL && c->intake_no[0] != '\0') {
		e = exists_text(db, "SELECT 1 FROM objects WHERE intake_no = ?", c->intake_no);
		if (e != 0)
			return e < 0 ? -1 : reg_refuse(f, REG_DUPLICATE, "intake_no");
	}
	return 0;
}

/* ---- writing ----------------------------------------------------------------- */

static int bind_size(db_stmt *st, int idx, double v)
{
	return v > 0 ? db_bind_double(st, idx, v) : db_bind_null(st, idx);
}

/* Binds the writable card fields at 1..20 in the order CARD_SET names them. */
#define CARD_SET                                                                               \
	"acquisition_id = ?1, kind = ?2, name = ?3, other_names = ?4, material_code = ?5,"     \
	" material_note = ?6, technique = ?7, length_cm = ?8, width_cm = ?9, height_cm = ?10," \
	" diameter_cm = ?11, weight_g = ?12, pieces = ?13, dating = ?14, origin_place = ?15,"  \
	" class = ?16, description = ?17, value = ?18, notes = ?19, public = ?20"

static int bind_card(db_stmt *st, const object_card *c)
{
	return db_bind_int64(st, 1, c->acquisition_id) ||
	       db_bind_text(st, 2, c->kind != NULL && c->kind[0] ? c->kind : "hien_vat", -1) ||
	       db_bind_text(st, 3, c->name, -1) || db_bind_text(st, 4, or_empty(c->other_names), -1) ||
	       db_bind_text(st, 5, c->material_code, -1) ||
	       db_bind_text(st, 6, or_empty(c->material_note), -1) ||
	       db_bind_text(st, 7, or_empty(c->technique), -1) || bind_size(st, 8, c->length_cm) ||
	       bind_size(st, 9, c->width_cm) || bind_size(st, 10, c->height_cm) ||
	       bind_size(st, 11, c->diameter_cm) || bind_size(st, 12, c->weight_g) ||
	       db_bind_int64(st, 13, c->pieces > 0 ? c->pieces : 1) ||
	       db_bind_text(st, 14, or_empty(c->dating), -1) ||
	       db_bind_text(st, 15, or_empty(c->origin_place), -1) ||
	       db_bind_text(st, 16, or_empty(c->heritage_class), -1) ||
	       db_bind_text(st, 17, or_empty(c->description), -1) ||
	       db_bind_int64(st, 18, c->value) || db_bind_text(st, 19, or_empty(c->notes), -1) ||
	       db_bind_int64(st, 20, c->public_ ? 1 : 0);
}

int object_intake(db_t *db, const object_card *c, int64_t *id, model_problem *f)
{
	int rc = object_check(c, f);
	if (rc != 0)
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = object_check_refs(db, c, f);
	if (result == 0) {
		/* An INTEGER PRIMARY KEY without AUTOINCREMENT takes max(id) + 1, and
		 * the write lock is held, so the number below names this row. */
		db_stmt *st = db_prepare(
		    db, "INSERT INTO objects (acquisition_id, kind, name, other_names, material_code,"
			" material_note, technique, length_cm, width_cm, height_cm, diameter_cm,"
			" weight_g, pieces, dating, origin_place, class, description, value, notes,"
			" public, intake_no) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, CASE WHEN ?21 = '' THEN 'NT-' ||"
			" substr((SELECT acquired_on FROM acquisitions WHERE id = ?1), 1, 4) || '-' || printf('%05d',"
			" (SELECT ifnull(max(id), 0) + 1 FROM objects)) ELSE ?21 END)");
		int step = DB_ERROR;
		if (st != NULL) {
			if (bind_card(st, c) == 0 &&
			    db_bind_text(st, 21, or_empty(c->intake_no), -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step == DB_CONSTRAINT)
			result = reg_refuse(f, REG_DUPLICATE, "intake_no");
		else if (step != DB_DONE)
			result = -1;
		else
			*id = db_last_insert_id(db);
	}
	return reg_finish(db, nested, result);
}

/* ---- reading ----------------------------------------------------------------- */

int object_find_number(db_t *db, const char *number, int64_t *id)
{
	db_stmt *st = db_prepare(db, "SELECT id FROM objects WHERE reg_number = ?1"
				     " UNION ALL SELECT id FROM objects WHERE intake_no = ?1 LIMIT 1");
	if (st == NULL)
		return -1;
	int rc = db_bind_text(st, 1, number, -1) == 0 ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* ---- updating ---------------------------------------------------------------- */

int object_update(db_t *db, const object_card *c, const char *who, const char *why,
		  model_problem *f)
{
	int rc = object_check(c, f);
	if (rc != 0)
		return rc;
	arena_t *a;
	int nested;
	if (reg_begin_with_arena(db, 4096, &a, &nested) != 0)
		return -1;
	object_card old, next;
	buf_t before = BUF_INIT, after = BUF_INIT;
	int result = object_get(db, a, c->id, &old);
	if (result == 1)
		result = reg_refuse(f, REG_NOT_FOUND, "id");
	if (result == 0 && strcmp(old.status, "returned") == 0)
		result = reg_refuse(f, REG_WRONG_STATE, "status");
	object_card probe = old;
	if (result == 0) {
		/* What the entry would record after the change. */
		next = *c;
		next.id = old.id;
		next.status = old.status;
		next.register_id = old.register_id;
		next.reg_number = old.reg_number;
		if (object_entry_json(&old, &before) != 0 || object_entry_json(&next, &after) != 0 ||
		    buf_putc(&before, '\0') != 0 || buf_putc(&after, '\0') != 0)
			result = -1;
	}
	bool correction = result == 0 && old.reg_number[0] != '\0' &&
			  strcmp(before.data, after.data) != 0;
	if (result == 0 && correction) {
		if ((result = reg_check_text(f, "who", who, REGISTER_WHO_MAX, true, false)) == 0)
			result = reg_check_text(f, "why", why, REGISTER_WHY_MAX, true, true);
	}
	if (result == 0) {
		probe.acquisition_id = c->acquisition_id;
		probe.material_code = c->material_code;
		probe.intake_no = "";   /* the intake number is not edited */
		result = object_check_refs(db, &probe, f);
	}
	int64_t entry = old.log_head;
	if (result == 0 && correction &&
	    register_log_append(db, &next, "correct", old.log_head, who, why, &entry) != 0)
		result = -1;
	if (result == 0) {
		db_stmt *st = db_prepare(db, "UPDATE objects SET " CARD_SET ", log_head = ?21,"
					     " updated_at = unixepoch() WHERE id = ?22");
		int step = DB_ERROR;
		if (st != NULL) {
			if (bind_card(st, c) == 0 &&
			    (entry > 0 ? db_bind_int64(st, 21, entry) : db_bind_null(st, 21)) == 0 &&
			    db_bind_int64(st, 22, c->id) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step != DB_DONE)
			result = -1;
	}
	buf_free(&before);
	buf_free(&after);
	return reg_finish_with_arena(db, nested, a, result);
}

/* The newest log entry of a registered object: 0 with *head, or a refusal
 * (not found; not registered), or -1. */
static int registered_head(db_t *db, int64_t id, int64_t *head, model_problem *f)
{
	db_stmt *st;
	int rc = reg_fetch(db, "SELECT ifnull(log_head, 0), reg_number IS NOT NULL FROM objects"
			       " WHERE id = ?",
			   id, &st);
	if (rc == DB_DONE)
		return reg_refuse(f, REG_NOT_FOUND, "id");
	if (rc != DB_ROW)
		return -1;
	*head = db_col_int64(st, 0);
	bool registered = db_col_int64(st, 1) != 0;
	db_done(st);
	return registered ? 0 : reg_refuse(f, REG_WRONG_STATE, "status");
}

int object_correct(db_t *db, const object_card *c, const char *who, const char *why,
		   model_problem *f)
{
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int64_t before = 0, after = 0;
	int result = registered_head(db, c->id, &before, f);
	if (result == 0)
		result = object_update(db, c, who, why, f);
	if (result == 0)
		result = registered_head(db, c->id, &after, f);
	/* No new entry: the form changed nothing the register records. */
	if (result == 0 && after == before)
		result = reg_refuse(f, REG_REQUIRED, "changes");
	return reg_finish(db, nested, result);
}

int object_get_public(db_t *db, arena_t *a, int64_t id, object_card *out)
{
	int rc = object_get(db, a, id, out);
	if (rc == 0 && !out->public_) {
		memset(out, 0, sizeof *out);
		return 1;
	}
	return rc;
}

int object_delete_intake(db_t *db, int64_t id, model_problem *f)
{
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT status FROM objects WHERE id = ?");
	int result = -1;
	if (st != NULL) {
		int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
		if (rc == DB_DONE)
			result = reg_refuse(f, REG_NOT_FOUND, "id");
		else if (rc == DB_ROW)
			result = strcmp(or_empty(db_col_text(st, 0)), "intake") == 0
				     ? 0
				     : reg_refuse(f, REG_WRONG_STATE, "status");
		db_done(st);
	}
	const char *const steps[] = {"DELETE FROM movements WHERE object_id = ?",
				     "DELETE FROM inventory_findings WHERE object_id = ?",
				     "DELETE FROM objects WHERE id = ?"};
	for (size_t i = 0; result == 0 && i < sizeof steps / sizeof steps[0]; i++) {
		st = db_prepare(db, steps[i]);
		int rc = st != NULL && db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		if (rc != DB_DONE)
			result = -1;
	}
	return reg_finish(db, nested, result);
}

/* ---- conditions, photos, related ----------------------------------------------- */

int object_condition_add(db_t *db, int64_t object_id, const char *checked_on, const char *state,
			 const char *note, const char *checked_by, int64_t *id, model_problem *f)
{
	int rc;
	if ((rc = reg_check_date(f, "checked_on", checked_on, true)) ||
	    (rc = reg_check_choice(f, "state", state, object_states, true)) ||
	    (rc = reg_check_text(f, "note", note, 2000, false, true)) ||
	    (rc = reg_check_text(f, "checked_by", checked_by, 200, false, false)))
		return rc;
	db_stmt *st = db_prepare(db, "INSERT INTO object_conditions (object_id, checked_on, state,"
				     " note, checked_by) SELECT id, ?, ?, ?, ? FROM objects WHERE id = ?");
	if (st == NULL)
		return -1;
	int step = DB_ERROR;
	if (db_bind_text(st, 1, checked_on, -1) == 0 && db_bind_text(st, 2, state, -1) == 0 &&
	    db_bind_text(st, 3, or_empty(note), -1) == 0 &&
	    db_bind_text(st, 4, or_empty(checked_by), -1) == 0 && db_bind_int64(st, 5, object_id) == 0)
		step = db_step(st);
	db_done(st);
	return reg_inserted(db, step, f, "object_id", id);
}

/* Runs sql binding its '?' placeholders, in order, to the first values. */
static int run_bound(db_t *db, const char *sql, int64_t a1, int64_t a2, int64_t a3, int64_t a4)
{
	db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return DB_ERROR;
	int64_t args[] = {a1, a2, a3, a4};
	int rc = DB_DONE;
	int n = 0;
	for (const char *p = sql; (p = strchr(p, '?')) != NULL; p++)
		n++;
	for (int i = 0; i < n && i < 4; i++)
		if (db_bind_int64(st, i + 1, args[i]) != 0)
			rc = DB_ERROR;
	if (rc == DB_DONE)
		rc = db_step(st);
	db_done(st);
	return rc;
}

int object_photos_set(db_t *db, int64_t object_id, const int64_t *media, size_t n, size_t lead,
		      model_problem *f)
{
	if (n > OBJECT_PHOTOS_MAX)
		return reg_refuse(f, REG_OUT_OF_RANGE, "photos");
	if (n > 0 && lead >= n)
		return reg_refuse(f, REG_REQUIRED, "lead");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = reg_require(db, f, REG_NOT_FOUND, "object_id",
				 "SELECT 1 FROM objects WHERE id = ?", object_id);
	if (result == 0 && run_bound(db, "DELETE FROM object_media WHERE object_id = ?", object_id,
				     0, 0, 0) != DB_DONE)
		result = -1;
	for (size_t i = 0; result == 0 && i < n; i++) {
		result = reg_require(db, f, REG_NOT_FOUND, "media_id",
				     "SELECT 1 FROM media WHERE id = ?", media[i]);
		/* A picture the worker could not read has no variants to show. */
		if (result == 0)
			result = reg_require(
			    db, f, REG_NOT_PICTURE, "media_id",
			    "SELECT 1 FROM media WHERE id = ?1 AND mime IN ('image/jpeg',"
			    " 'image/png', 'image/webp', 'image/gif') AND NOT EXISTS (SELECT 1"
			    " FROM media_jobs WHERE media_id = ?1 AND state = 2)",
			    media[i]);
		if (result != 0)
			break;
		int rc = run_bound(db, "INSERT INTO object_media (object_id, position, media_id, lead)"
				       " VALUES (?, ?, ?, ?)",
				   object_id, (int64_t)i, media[i], i == lead ? 1 : 0);
		if (rc == DB_CONSTRAINT)
			result = reg_refuse(f, REG_DUPLICATE, "media_id");
		else if (rc != DB_DONE)
			result = -1;
	}
	return reg_finish(db, nested, result);
}

const char *const object_related_kinds[] = {"person", "unit", "event", "place", NULL};

int object_related_add(db_t *db, int64_t object_id, const char *kind, const char *name,
		       model_problem *f)
{
	int rc;
	if ((rc = reg_check_choice(f, "related_kind", kind, object_related_kinds, true)) ||
	    (rc = reg_check_text(f, "related_name", name, 200, true, false)))
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = reg_require(db, f, REG_NOT_FOUND, "object_id",
				 "SELECT 1 FROM objects WHERE id = ?", object_id);
	const char *const sql[] = {
	    "INSERT INTO related_entities (kind, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
	    "INSERT INTO object_related (object_id, entity_id) SELECT ?, id FROM related_entities"
	    " WHERE kind = ? AND name = ? ON CONFLICT DO NOTHING"};
	for (int i = 0; result == 0 && i < 2; i++) {
		db_stmt *st = db_prepare(db, sql[i]);
		int step = DB_ERROR;
		if (st != NULL) {
			int k = 1;
			if ((i == 0 || db_bind_int64(st, k++, object_id) == 0) &&
			    db_bind_text(st, k, kind, -1) == 0 && db_bind_text(st, k + 1, name, -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step != DB_DONE)
			result = -1;
	}
	return reg_finish(db, nested, result);
}

static int fill_related(arena_t *a, db_stmt *st, void *item)
{
	object_related *r = item;
	r->id = db_col_int64(st, 0);
	const char **dst[] = {&r->kind, &r->name};
	return db_col_copy_texts(a, st, 1, dst, 2);
}

int object_related_list(db_t *db, arena_t *a, int64_t object_id, object_related **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT e.id, e.kind, e.name FROM object_related r"
				     " JOIN related_entities e ON e.id = r.entity_id WHERE r.object_id = ?"
				     " ORDER BY instr('person unit event place', e.kind), e.name, e.id");
	bool bound = st != NULL && db_bind_int64(st, 1, object_id) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, SIZE_MAX, fill_related, items, n, NULL);
}

int object_related_remove(db_t *db, int64_t object_id, int64_t entity_id, model_problem *f)
{
	int rc = run_bound(db, "DELETE FROM object_related WHERE object_id = ? AND entity_id = ?",
			   object_id, entity_id, 0, 0);
	if (rc != DB_DONE)
		return -1;
	return db_changes(db) > 0 ? 0 : reg_refuse(f, REG_NOT_FOUND, "related_id");
}

/* ---- the search index, held ------------------------------------------------ */

int object_index_hold(db_t *db, int64_t *last)
{
	db_stmt *st = db_in_transaction(db) ? db_prepare(db, "SELECT ifnull(max(id), 0) FROM objects")
					    : NULL;
	int step = st != NULL ? db_step(st) : DB_ERROR;
	*last = step == DB_ROW ? db_col_int64(st, 0) : 0;
	db_done(st);
	return step == DB_ROW ? db_exec(db, "INSERT INTO object_fts_hold (id) VALUES (1)") : -1;
}

int object_index_release(db_t *db, int64_t after)
{
	int rc = run_bound(db, "INSERT INTO object_fts (rowid, numbers, name, donor, material, place,"
			       " description, facets) SELECT * FROM object_fts_rows WHERE id > ?",
			   after, 0, 0, 0);
	return rc == DB_DONE && db_exec(db, "DELETE FROM object_fts_hold") == 0 ? 0 : -1;
}

/* ---- lists ------------------------------------------------------------------- */

static int fill_material(arena_t *a, db_stmt *st, void *item)
{
	object_material *m = item;
	const char **dst[] = {&m->code, &m->name};
	return db_col_copy_texts(a, st, 0, dst, 2);
}

int object_material_list(db_t *db, arena_t *a, object_material **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT code, name FROM materials ORDER BY position, code");
	return db_fill_rows(st, true, a, sizeof **items, SIZE_MAX, fill_material, items, n, NULL);
}

const char *object_material_name(db_t *db, arena_t *a, const char *code)
{
	object_material *m;
	size_t n;
	if (object_material_list(db, a, &m, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(m[i].code, code) == 0)
				return m[i].name;
	return NULL;
}

/* The query as an FTS5 expression: each word quoted, so nothing the reader
 * types is FTS syntax. */
static int fts_query(const char *q, buf_t *out)
{
	const char *p = q;
	int words = 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '"')
			p++;
		const char *s = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '"')
			p++;
		if (p > s) {
			buf_printf(out, "%s\"%.*s\"", words++ ? " " : "", (int)(p - s), s);
		}
	}
	return out->failed ? -1 : words;
}

/* The filter's values as the tokens of the index's facets column, ANDed to
 * the words (sql/017_register_search.sql writes the same tokens): FTS5
 * then intersects the words' doclists with the filter's and reads no row
 * that fails it. The words match the six text columns only. The public
 * flag has no token (see the migration): the statement tests it. */
static void facet_tokens(const object_filter *flt, buf_t *out)
{
	const char *const texts[] = {flt->status, flt->material_code};
	const char *const prefixes[] = {"zs", "zm"};
	for (size_t i = 0; i < 2; i++) {
		if (texts[i] == NULL)
			continue;
		buf_printf(out, " AND \"%s", prefixes[i]);
		for (const unsigned char *c = (const unsigned char *)texts[i]; *c != '\0'; c++)
			buf_printf(out, "%02x", *c);
		buf_putc(out, '"');
	}
	if (flt->acquisition_id != 0)
		buf_printf(out, " AND \"za%lld\"", (long long)flt->acquisition_id);
	if (flt->location_id != 0)
		buf_printf(out, " AND \"zl%lld\"", (long long)flt->location_id);
}

int object_filter_bind(db_stmt *st, const object_filter *flt, model_problem *f)
{
	static const object_filter none = {0};
	if (flt == NULL)
		flt = &none;
	int rc = reg_check_text(f, "query", flt->query, OBJECT_QUERY_MAX, false, false);
	if (rc != 0)
		return rc;
	buf_t match = BUF_INIT;
	buf_puts(&match, "{numbers name donor material place description} : (");
	int words = flt->query != NULL ? fts_query(flt->query, &match) : 0;
	buf_putc(&match, ')');
	if (words > 0)
		facet_tokens(flt, &match);
	if (words < 0 || buf_putc(&match, '\0') != 0 || match.failed)
		rc = -1;
	if (rc == 0 && (db_bind_text(st, 2, flt->status, -1) != 0 ||
			db_bind_text(st, 3, flt->material_code, -1) != 0 ||
			db_bind_int64(st, 4, flt->acquisition_id) != 0 ||
			db_bind_int64(st, 5, flt->location_id) != 0 ||
			db_bind_int64(st, 6, flt->public_only ? 1 : 0) != 0 ||
			db_bind_text(st, 7, words > 0 ? match.data : "", -1) != 0))
		rc = -1;
	buf_free(&match);
	return rc;
}

/* The list's query for this filter, with only the conditions it sets (same
 * parameters as OBJECT_FILTER_SQL: ?1 the cursor, ?2..?7 the filter, ?8 the
 * limit). One statement for every filter, with "?2 IS NULL OR ..." for the
 * ones not set, lets SQLite use no index: it walked the objects newest first
 * and tested each, so a status, material or word that few objects have read
 * most of the table (bench/README.md, the register at 1,000,000 objects).
 * Here a set status, material, acquisition,
 * place or the public flag is answered from its index, (column, id) in id
 * order; words are looked up first in the search index, which gives their
 * objects newest first and takes the cursor itself (rowid < ?1), and with
 * a filter, only those the filter selects (its tokens in ?7, see
 * object_filter_bind): walking the words' objects and testing each row
 * cost 158 ms at p95 at 1,000,000 objects. The filter's conditions stay in
 * the statement too, so the answer never depends on the tokens alone. */
const char *object_list_sql(const object_filter *flt, int64_t before, char *sql)
{
	bool words = flt->query != NULL && strspn(flt->query, " \t\"") < strlen(flt->query);
	const char *id = words ? "object_fts.rowid" : "o.id";
	snprintf(sql, OBJECT_LIST_SQL_MAX,
		 "SELECT o.id, o.intake_no, ifnull(o.reg_number, ''), o.name, o.status,"
		 " o.material_code, o.kind FROM %s WHERE %s%s%s%s%s%s%s%s%s ORDER BY %s DESC LIMIT ?8",
		 words ? "object_fts CROSS JOIN objects o" : "objects o",
		 words ? "object_fts MATCH ?7 AND o.id = object_fts.rowid" : "1",
		 before > 0 ? " AND " : "", before > 0 ? id : "", before > 0 ? " < ?1" : "",
		 flt->status != NULL ? " AND o.status = ?2" : "",
		 flt->material_code != NULL ? " AND o.material_code = ?3" : "",
		 flt->acquisition_id != 0 ? " AND o.acquisition_id = ?4" : "",
		 flt->location_id != 0 ? " AND o.location_id = ?5" : "",
		 flt->public_only ? " AND o.public = 1" : "", id);
	return sql;
}

int object_list(db_t *db, arena_t *a, const object_filter *flt, int64_t before, size_t limit,
		object_row **rows, size_t *n, bool *more, model_problem *f)
{
	static const object_filter none = {0};
	if (flt == NULL)
		flt = &none;
	*rows = NULL;
	*n = 0;
	*more = false;
	if (limit == 0 || limit > OBJECT_PAGE_MAX)
		limit = OBJECT_PAGE_MAX;
	object_row *arr = arena_calloc(a, limit + 1, sizeof *arr);
	char sql[OBJECT_LIST_SQL_MAX];
	db_stmt *st = arr == NULL ? NULL : db_prepare(db, object_list_sql(flt, before, sql));
	if (st == NULL)
		return -1;
	int rc = object_filter_bind(st, flt, f);
	if (rc != 0) {
		db_done(st);
		return rc;
	}
	int step = DB_ERROR;
	if (db_bind_int64(st, 1, before > 0 ? before : 0) == 0 &&
	    db_bind_int64(st, 8, (int64_t)limit + 1) == 0) {
		size_t count = 0;
		while ((step = db_step(st)) == DB_ROW) {
			if (count == limit) {
				*more = true;
				continue;
			}
			object_row *r = &arr[count++];
			r->id = db_col_int64(st, 0);
			const char **dst[] = {&r->intake_no, &r->reg_number, &r->name, &r->status,
					      &r->material_code, &r->kind};
			if (db_col_copy_texts(a, st, 1, dst, 6) != 0) {
				step = DB_ERROR;
				break;
			}
		}
		*n = count;
	}
	db_done(st);
	if (step != DB_DONE)
		return -1;
	*rows = arr;
	return 0;
}
