/*
 * exhibition.c - exhibitions, their objects, photos and visitors (see
 * exhibition.h).
 */
#include "model/exhibition.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "model/movement.h"

const char *const exhibition_kinds[] = {"thuong_truc", "chuyen_de", "luu_dong", "truc_tuyen",
					NULL};

/* The one rule of "open on day ?1" for an exhibition row e. */
#define OPEN_ON_DAY "(e.opens_on <= ?1 AND (e.closes_on IS NULL OR ?1 <= e.closes_on))"
/* Whether its objects stand in its venue on day ?1: open, and a venue to
 * stand in (an online exhibition moves nothing). */
#define PLACED_ON_DAY                                                                        \
	"(" OPEN_ON_DAY " AND e.kind <> 'truc_tuyen' AND (e.location_id IS NOT NULL"           \
	" OR e.venue <> ''))"

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static bool blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t")] == '\0';
}

int exhibition_check(const exhibition *e, model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "title", e->title, EXHIBITION_TITLE_MAX, true, false)) ||
	    (rc = reg_check_choice(f, "kind", e->kind, exhibition_kinds, true)) ||
	    (rc = reg_check_text(f, "venue", e->venue, EXHIBITION_VENUE_MAX, false, false)) ||
	    (rc = reg_check_text(f, "province", e->province, EXHIBITION_PROVINCE_MAX, false, false)))
		return rc;
	bool online = strcmp(e->kind, "truc_tuyen") == 0;
	if (e->location_id <= 0 && blank(e->venue) && !online)
		return reg_refuse(f, REG_REQUIRED, "venue");
	if (e->location_id <= 0 && !blank(e->venue) && blank(e->province))
		return reg_refuse(f, REG_REQUIRED, "province");
	if ((rc = reg_check_date(f, "opens_on", e->opens_on, true)) ||
	    (rc = reg_check_date(f, "closes_on", e->closes_on, false)))
		return rc;
	if (!blank(e->closes_on) && strcmp(e->closes_on, e->opens_on) < 0)
		return reg_refuse(f, REG_OUT_OF_RANGE, "closes_on");
	if ((rc = reg_check_text(f, "curators", e->curators, EXHIBITION_CURATORS_MAX, false, true)))
		return rc;
	return reg_check_text(f, "description", e->description, EXHIBITION_DESCRIPTION_MAX, false,
			      true);
}

/* Runs sql with the integers ?1, ?2, ?3 bound: the step's answer. */
static int run3(db_t *db, const char *sql, int64_t a, int64_t b, int64_t c)
{
	db_stmt *st = db_prepare(db, sql);
	int step = DB_ERROR;
	if (st != NULL) {
		if (db_bind_int64(st, 1, a) == 0 && db_bind_int64(st, 2, b) == 0 &&
		    db_bind_int64(st, 3, c) == 0)
			step = db_step(st);
		db_done(st);
	}
	return step;
}

/* REG_NOT_FOUND on "id" unless exhibition id exists: 0, that, or -1. */
static int exists(db_t *db, int64_t id, model_problem *f)
{
	return reg_require(db, f, REG_NOT_FOUND, "id", "SELECT 1 FROM exhibitions WHERE id = ?", id);
}

/* ---- moving objects ------------------------------------------------------- */

/* The place the exhibition's objects stand in: its hall, or the "outside"
 * place named after its venue elsewhere (made the first time). 0 with
 * *place (0: none), or -1. */
static int venue_place(db_t *db, int64_t id, int64_t *place)
{
	*place = 0;
	db_stmt *st = db_prepare(db, "SELECT ifnull(location_id, 0), venue, province"
				     " FROM exhibitions WHERE id = ?");
	int step = st != NULL && db_bind_int64(st, 1, id) == 0 ? db_step(st) : DB_ERROR;
	char name[512] = "";
	if (step == DB_ROW) {
		*place = db_col_int64(st, 0);
		const char *venue = or_empty(db_col_text(st, 1));
		const char *province = or_empty(db_col_text(st, 2));
		if (*place == 0 && venue[0] != '\0')
			snprintf(name, sizeof name, "%s%s%s", venue, province[0] ? ", " : "", province);
	}
	if (st != NULL)
		db_done(st);
	if (step != DB_ROW)
		return -1;
	if (*place != 0 || name[0] == '\0')
		return 0;
	/* A name over the place's limit is cut at a character boundary. */
	size_t len = strlen(name);
	if (len > 200) {
		len = 200;
		while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
			len--;
		name[len] = '\0';
	}
	const char *const sql[] = {
	    "INSERT INTO locations (parent_id, kind, name) VALUES (NULL, 'outside', ?)"
	    " ON CONFLICT DO NOTHING",
	    "SELECT id FROM locations WHERE parent_id IS NULL AND name = ?"};
	for (int i = 0; i < 2; i++) {
		st = db_prepare(db, sql[i]);
		step = st != NULL && db_bind_text(st, 1, name, -1) == 0 ? db_step(st) : DB_ERROR;
		if (step == DB_ROW)
			*place = db_col_int64(st, 0);
		if (st != NULL)
			db_done(st);
		if (step != (i == 0 ? DB_DONE : DB_ROW))
			return -1;
	}
	return 0;
}

typedef struct {
	int64_t object_id;
	int64_t placed;
	int64_t home;          /* 0: none */
	int64_t at;            /* where the card says it is, 0: nowhere */
	int64_t busy;          /* placed by another exhibition */
	const char *last;      /* its newest move's day, "" */
	const char *day;       /* the day of the change: opening, closing, today */
} pending;

static int fill_pending(arena_t *a, db_stmt *st, void *item)
{
	pending *p = item;
	return reg_read_row(a, st,
			    (int64_t *const[]){&p->object_id, &p->placed, &p->home, &p->at,
					       &p->busy},
			    5, (const char **const[]){&p->last, &p->day}, 2);
}

/* Records one move of the object (reason trung_bay) on day, clamped
 * between its newest move and today. 0, 1 when it could not move, -1. */
static int move(db_t *db, const pending *p, int64_t to, const char *who, const char *note,
		const char *today)
{
	const char *day = p->day;
	if (strcmp(day, p->last) < 0)
		day = p->last;
	if (strcmp(day, today) > 0)
		day = today;
	movement m = {.object_id = p->object_id, .moved_on = day, .to_location_id = to,
		      .who = who, .reason = "trung_bay", .note = note};
	int64_t mid;
	model_problem why = {0};
	int rc = movement_add(db, &m, &mid, &why);
	return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

/* Brings the rows of exhibition id whose placed flag differs from what
 * today says into line (object_only: that object alone; force_out: as if
 * it were closed, before its venue changes). */
static int sync_one(db_t *db, arena_t *a, int64_t id, int64_t object_only, bool force_out,
		    const char *who, const char *today, int *moved)
{
	db_stmt *st = db_prepare(db,
		"SELECT x.object_id, x.placed, ifnull(x.home_location_id, 0),"
		" ifnull(o.location_id, 0), EXISTS (SELECT 1 FROM exhibition_objects y"
		" WHERE y.object_id = x.object_id AND y.exhibition_id <> x.exhibition_id"
		" AND y.placed = 1),"
		" ifnull((SELECT max(moved_on) FROM movements WHERE object_id = x.object_id), ''),"
		" CASE WHEN ?3 <> 0 OR ?4 <> 0 THEN ?1 WHEN x.placed = 1"
		" THEN min(?1, ifnull(e.closes_on, ?1)) ELSE e.opens_on END"
		" FROM exhibition_objects x JOIN exhibitions e ON e.id = x.exhibition_id"
		" JOIN objects o ON o.id = x.object_id"
		" WHERE x.exhibition_id = ?2 AND (?3 = 0 OR x.object_id = ?3)"
		" AND x.placed <> (?4 = 0 AND " PLACED_ON_DAY ") ORDER BY x.position, x.object_id");
	pending *rows = NULL;
	size_t n = 0;
	bool bound = st != NULL && db_bind_text(st, 1, today, -1) == 0 &&
		     db_bind_int64(st, 2, id) == 0 && db_bind_int64(st, 3, object_only) == 0 &&
		     db_bind_int64(st, 4, force_out ? 1 : 0) == 0;
	if (db_fill_rows(st, bound, a, sizeof *rows, EXHIBITION_OBJECTS_MAX, fill_pending, &rows, &n,
			 NULL) != 0)
		return -1;
	if (n == 0)
		return 0;
	int64_t venue;
	if (venue_place(db, id, &venue) != 0)
		return -1;
	const char *title = NULL;
	st = db_prepare(db, "SELECT title FROM exhibitions WHERE id = ?");
	if (st != NULL && db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_ROW)
		title = db_col_copy(a, st, 0, "", NULL);
	if (st != NULL)
		db_done(st);
	if (title == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		pending *p = &rows[i];
		int rc = 0;
		int64_t home = 0;
		if (p->placed == 0) {
			if (p->busy)
				continue;
			/* Already standing in the venue: nothing to move, and
			 * nowhere else to go back to. */
			if (p->at != venue) {
				rc = move(db, p, venue, who, title, today);
				home = p->at;
			}
		} else if (p->home != 0 && p->at == venue) {
			rc = move(db, p, p->home, who, title, today);
		}
		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;
		if (moved != NULL && (p->placed == 0 ? p->at != venue : p->home != 0 && p->at == venue))
			(*moved)++;
		db_stmt *up = db_prepare(db, "UPDATE exhibition_objects SET placed = ?1,"
					     " home_location_id = nullif(?2, 0)"
					     " WHERE exhibition_id = ?3 AND object_id = ?4");
		int step = DB_ERROR;
		if (up != NULL) {
			if (db_bind_int64(up, 1, p->placed == 0) == 0 && db_bind_int64(up, 2, home) == 0 &&
			    db_bind_int64(up, 3, id) == 0 && db_bind_int64(up, 4, p->object_id) == 0)
				step = db_step(up);
			db_done(up);
		}
		if (step != DB_DONE)
			return -1;
	}
	return 0;
}

/* sync_one in the caller's transaction with a scratch arena. */
static int sync_in(db_t *db, int64_t id, int64_t object_only, bool force_out, const char *who,
		   int *moved)
{
	arena_t *a = arena_new(16384);
	if (a == NULL)
		return -1;
	char today[11];
	reg_today(today);
	int rc = sync_one(db, a, id, object_only, force_out, who, today, moved);
	arena_free(a);
	return rc;
}

int exhibition_sync(db_t *db, int64_t id, const char *who, int *moved)
{
	char today[11];
	reg_today(today);
	arena_t *a;
	int nested;
	if (reg_begin_with_arena(db, 16384, &a, &nested) != 0)
		return -1;
	/* Closings first: an object leaving one exhibition can enter the next. */
	db_stmt *st = db_prepare(db,
		"SELECT e.id, max(x.placed) FROM exhibitions e"
		" JOIN exhibition_objects x ON x.exhibition_id = e.id"
		" WHERE (?2 = 0 OR e.id = ?2) AND x.placed <> " PLACED_ON_DAY
		" GROUP BY e.id ORDER BY max(x.placed) DESC, e.opens_on, e.id");
	int64_t ids[EXHIBITION_LIST_MAX];
	size_t n = 0;
	int result = -1;
	if (st != NULL && db_bind_text(st, 1, today, -1) == 0 && db_bind_int64(st, 2, id) == 0) {
		int step;
		while ((step = db_step(st)) == DB_ROW && n < EXHIBITION_LIST_MAX)
			ids[n++] = db_col_int64(st, 0);
		result = step == DB_ERROR ? -1 : 0;
	}
	if (st != NULL)
		db_done(st);
	for (size_t i = 0; result == 0 && i < n; i++)
		result = sync_one(db, a, ids[i], 0, false, who, today, moved);
	return reg_finish_with_arena(db, nested, a, result);
}

/* ---- the record ------------------------------------------------------------ */

static int bind_fields(db_stmt *st, const exhibition *e)
{
	bool hall = e->location_id > 0;
	return db_bind_text(st, 1, e->title, -1) || db_bind_text(st, 2, e->kind, -1) ||
	       (hall ? db_bind_int64(st, 3, e->location_id) : db_bind_null(st, 3)) ||
	       db_bind_text(st, 4, hall ? "" : or_empty(e->venue), -1) ||
	       db_bind_text(st, 5, hall ? "" : or_empty(e->province), -1) ||
	       db_bind_text(st, 6, e->opens_on, -1) ||
	       (blank(e->closes_on) ? db_bind_null(st, 7) : db_bind_text(st, 7, e->closes_on, -1)) ||
	       db_bind_text(st, 8, or_empty(e->curators), -1) ||
	       db_bind_text(st, 9, or_empty(e->description), -1) ||
	       db_bind_int64(st, 10, e->is_public ? 1 : 0) || db_bind_int64(st, 11, e->id);
}

/* Saving a record: insert (?11 is 0), or update row ?11. */
static const char *const save_sql[] = {
	"INSERT INTO exhibitions (title, kind, location_id, venue, province,"
	" opens_on, closes_on, curators, description, public)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE ?11 = 0",
	"UPDATE exhibitions SET title = ?1, kind = ?2, location_id = ?3,"
	" venue = ?4, province = ?5, opens_on = ?6, closes_on = ?7,"
	" curators = ?8, description = ?9, public = ?10,"
	" updated_at = unixepoch() WHERE id = ?11"};

static int save(db_t *db, const exhibition *e, const char *who, int64_t *id, model_problem *f)
{
	int rc = exhibition_check(e, f);
	if (rc != 0)
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = 0;
	if (e->location_id > 0)
		result = reg_require(db, f, REG_NOT_FOUND, "location_id",
				     "SELECT 1 FROM locations WHERE id = ?", e->location_id);
	/* Objects leave the old venue before the exhibition moves to a new one. */
	bool moves = false;
	if (result == 0 && e->id > 0) {
		db_stmt *st = db_prepare(db, "SELECT ifnull(location_id, 0) <> ?2 OR venue <> ?3"
					     " OR province <> ?4 FROM exhibitions WHERE id = ?1");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, e->id) == 0 &&
			    db_bind_int64(st, 2, e->location_id > 0 ? e->location_id : 0) == 0 &&
			    db_bind_text(st, 3, e->location_id > 0 ? "" : or_empty(e->venue), -1) == 0 &&
			    db_bind_text(st, 4, e->location_id > 0 ? "" : or_empty(e->province), -1) == 0)
				step = db_step(st);
			if (step == DB_ROW)
				moves = db_col_int64(st, 0) != 0;
			db_done(st);
		}
		if (step == DB_DONE)
			result = reg_refuse(f, REG_NOT_FOUND, "id");
		else if (step != DB_ROW)
			result = -1;
	}
	if (result == 0 && moves)
		result = sync_in(db, e->id, 0, true, who, NULL);
	if (result == 0) {
		db_stmt *st = db_prepare(db, save_sql[e->id != 0]);
		int step = st != NULL && bind_fields(st, e) == 0 ? db_step(st) : DB_ERROR;
		if (st != NULL)
			db_done(st);
		result = reg_saved(db, step, e->id, id, f);
	}
	if (result == 0 && e->id > 0)
		result = sync_in(db, e->id, 0, false, who, NULL);
	return reg_finish(db, nested, result);
}

int exhibition_add(db_t *db, const exhibition *e, const char *who, int64_t *id, model_problem *f)
{
	exhibition copy = *e;
	copy.id = 0;
	return save(db, &copy, who, id, f);
}

int exhibition_update(db_t *db, const exhibition *e, const char *who, model_problem *f)
{
	if (e->id <= 0)
		return reg_refuse(f, REG_NOT_FOUND, "id");
	return save(db, e, who, NULL, f);
}

int exhibition_delete(db_t *db, int64_t id, model_problem *f)
{
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = exists(db, id, f);
	if (result == 0)
		result = reg_require(db, f, REG_WRONG_STATE, "objects",
				     "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM exhibition_objects"
				     " WHERE exhibition_id = ?)",
				     id);
	if (result == 0 && run3(db, "DELETE FROM exhibitions WHERE id = ?1 AND ?2 = ?2 AND ?3 = ?3",
				id, 0, 0) != DB_DONE)
		result = -1;
	return reg_finish(db, nested, result);
}

/* ---- reading ------------------------------------------------------------------ */

#define COLUMNS                                                                              \
	"SELECT e.id, ifnull(e.location_id, 0), e.public, e.updated_at,"                      \
	" (SELECT count(*) FROM exhibition_objects x WHERE x.exhibition_id = e.id),"         \
	" (SELECT ifnull(sum(visitors), 0) FROM exhibition_visits v"                          \
	" WHERE v.exhibition_id = e.id),"                                                     \
	" ifnull((SELECT media_id FROM exhibition_media m WHERE m.exhibition_id = e.id"       \
	" ORDER BY position LIMIT 1), 0),"                                                     \
	" e.title, e.kind, e.venue, e.province, e.opens_on, ifnull(e.closes_on, ''),"        \
	" e.curators, e.description, ifnull(l.name, '')"                                      \
	" FROM exhibitions e LEFT JOIN locations l ON l.id = e.location_id"

static int fill(arena_t *a, db_stmt *st, void *item)
{
	exhibition *e = item;
	return reg_read_row(a, st,
			      (int64_t *const[]){&e->id, &e->location_id, &e->is_public, &e->updated_at,
						 &e->objects, &e->visitors, &e->cover_media_id},
			      7,
			      (const char **const[]){&e->title, &e->kind, &e->venue, &e->province,
						     &e->opens_on, &e->closes_on, &e->curators,
						     &e->description, &e->hall},
			      9);
}

int exhibition_get(db_t *db, arena_t *a, int64_t id, exhibition *out)
{
	return reg_get_row(db, a, COLUMNS " WHERE e.id = ?", id, sizeof *out, fill, out);
}

int exhibition_list(db_t *db, arena_t *a, enum exhibition_when when, bool only_public,
		    exhibition **items, size_t *n)
{
	static const char *const sql[] = {
	    [EXHIBITION_ALL] = COLUMNS " WHERE (?2 = 0 OR e.public = 1) AND ?1 = ?1"
				       " ORDER BY e.opens_on DESC, e.id DESC LIMIT ?3",
	    [EXHIBITION_CURRENT] = COLUMNS " WHERE (?2 = 0 OR e.public = 1) AND " OPEN_ON_DAY
					   " ORDER BY ifnull(e.closes_on, '9999'), e.opens_on, e.id"
					   " LIMIT ?3",
	    [EXHIBITION_UPCOMING] = COLUMNS " WHERE (?2 = 0 OR e.public = 1) AND e.opens_on > ?1"
					    " ORDER BY e.opens_on, e.id LIMIT ?3",
	    [EXHIBITION_PAST] = COLUMNS " WHERE (?2 = 0 OR e.public = 1) AND e.closes_on < ?1"
					" ORDER BY e.closes_on DESC, e.id DESC LIMIT ?3",
	};
	char today[11];
	reg_today(today);
	db_stmt *st = db_prepare(db, sql[when]);
	bool bound = st != NULL && db_bind_text(st, 1, today, -1) == 0 &&
		     db_bind_int64(st, 2, only_public ? 1 : 0) == 0 &&
		     db_bind_int64(st, 3, EXHIBITION_LIST_MAX) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, EXHIBITION_LIST_MAX, fill, items, n, NULL);
}

int exhibition_list_of_object(db_t *db, arena_t *a, int64_t object_id, bool only_public,
			      exhibition **items, size_t *n)
{
	db_stmt *st = db_prepare(db, COLUMNS " JOIN exhibition_objects x ON x.exhibition_id = e.id"
					     " WHERE x.object_id = ?1 AND (?2 = 0 OR e.public = 1)"
					     " ORDER BY e.opens_on DESC, e.id DESC LIMIT ?3");
	bool bound = st != NULL && db_bind_int64(st, 1, object_id) == 0 &&
		     db_bind_int64(st, 2, only_public ? 1 : 0) == 0 &&
		     db_bind_int64(st, 3, EXHIBITION_LIST_MAX) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, EXHIBITION_LIST_MAX, fill, items, n, NULL);
}

int exhibition_search(db_t *db, arena_t *a, const char *match, int64_t offset, size_t limit,
		      int64_t count_max, exhibition **items, size_t *n, int64_t *total)
{
	return reg_search_page(db, a,
			       "SELECT count(*) FROM (SELECT 1 FROM exhibition_fts f"
			       " JOIN exhibitions e ON e.id = f.rowid"
			       " WHERE exhibition_fts MATCH ?1 AND e.public = 1 LIMIT ?2)",
			       COLUMNS " JOIN (SELECT rowid AS id, rank FROM exhibition_fts"
				       " WHERE exhibition_fts MATCH ?1) f ON f.id = e.id"
				       " WHERE e.public = 1 ORDER BY f.rank, e.id DESC LIMIT ?2 OFFSET ?3",
			       match, offset, limit, count_max, sizeof **items, fill, items, n, total);
}

int exhibition_count_opened(db_t *db, int year, int64_t *count)
{
	*count = 0;
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM exhibitions WHERE opens_on >= ?1 || '-01-01'"
				     " AND opens_on <= ?1 || '-12-31'");
	int step = st != NULL && db_bind_int64(st, 1, year) == 0 ? db_step(st) : DB_ERROR;
	if (step == DB_ROW)
		*count = db_col_int64(st, 0);
	if (st != NULL)
		db_done(st);
	return step == DB_ROW ? 0 : -1;
}

/* ---- objects ------------------------------------------------------------------ */

int exhibition_object_put(db_t *db, int64_t id, int64_t object_id, int64_t position,
			  const char *label_vi, const char *label_en, const char *who,
			  model_problem *f)
{
	int rc;
	if ((rc = reg_check_text(f, "label_vi", label_vi, EXHIBITION_LABEL_MAX, false, true)) ||
	    (rc = reg_check_text(f, "label_en", label_en, EXHIBITION_LABEL_MAX, false, true)))
		return rc;
	if (position < 0 || position > 1000000)
		return reg_refuse(f, REG_OUT_OF_RANGE, "position");
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	char today[11];
	reg_today(today);
	int result = exists(db, id, f);
	if (result == 0)
		result = reg_require(db, f, REG_NOT_FOUND, "object_id",
				     "SELECT 1 FROM objects WHERE id = ?", object_id);
	if (result == 0)
		result = reg_require(db, f, REG_WRONG_STATE, "object_id",
				     "SELECT 1 FROM objects WHERE id = ? AND status <> 'returned'",
				     object_id);
	db_stmt *st = NULL;
	bool present = false;
	if (result == 0) {
		st = db_prepare(db, "SELECT (SELECT count(*) FROM exhibition_objects WHERE exhibition_id = ?1),"
				    " EXISTS (SELECT 1 FROM exhibition_objects WHERE exhibition_id = ?1"
				    " AND object_id = ?2),"
				    " EXISTS (SELECT 1 FROM exhibitions e WHERE e.id = ?1 AND "
				    " (e.opens_on <= ?3 AND (e.closes_on IS NULL OR ?3 <= e.closes_on)))"
				    " AND EXISTS (SELECT 1 FROM exhibition_objects y WHERE y.object_id = ?2"
				    " AND y.exhibition_id <> ?1 AND y.placed = 1)");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, object_id) == 0 &&
			    db_bind_text(st, 3, today, -1) == 0)
				step = db_step(st);
			if (step == DB_ROW) {
				present = db_col_int64(st, 1) != 0;
				if (!present && db_col_int64(st, 0) >= EXHIBITION_OBJECTS_MAX)
					result = reg_refuse(f, REG_OUT_OF_RANGE, "object_id");
				else if (!present && db_col_int64(st, 2) != 0)
					result = reg_refuse(f, REG_DUPLICATE, "object_id");
			} else {
				result = -1;
			}
			db_done(st);
		} else {
			result = -1;
		}
	}
	if (result == 0) {
		st = db_prepare(db, present ? "UPDATE exhibition_objects SET position = ?3,"
					      " label_vi = ?4, label_en = ?5"
					      " WHERE exhibition_id = ?1 AND object_id = ?2"
					    : "INSERT INTO exhibition_objects (exhibition_id, object_id,"
					      " position, label_vi, label_en) VALUES (?1, ?2, ?3, ?4, ?5)");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, object_id) == 0 &&
			    db_bind_int64(st, 3, position) == 0 &&
			    db_bind_text(st, 4, or_empty(label_vi), -1) == 0 &&
			    db_bind_text(st, 5, or_empty(label_en), -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		if (step != DB_DONE)
			result = -1;
	}
	if (result == 0 && !present)
		result = sync_in(db, id, object_id, false, who, NULL);
	return reg_finish(db, nested, result);
}

int exhibition_object_remove(db_t *db, int64_t id, int64_t object_id, const char *who,
			     model_problem *f)
{
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT 1 FROM exhibition_objects WHERE exhibition_id = ?"
				     " AND object_id = ?");
	int step = st != NULL && db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, object_id) == 0
		       ? db_step(st)
		       : DB_ERROR;
	if (st != NULL)
		db_done(st);
	int result = step == DB_ROW    ? 0
		     : step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "object_id")
				       : -1;
	/* Back to where it stood, then out of the list. */
	if (result == 0)
		result = sync_in(db, id, object_id, true, who, NULL);
	if (result == 0 && run3(db, "DELETE FROM exhibition_objects WHERE exhibition_id = ?1"
				    " AND object_id = ?2 AND ?3 = ?3",
				id, object_id, 0) != DB_DONE)
		result = -1;
	return reg_finish(db, nested, result);
}

static int fill_object(arena_t *a, db_stmt *st, void *item)
{
	exhibition_object *o = item;
	return reg_read_row(a, st,
			    (int64_t *const[]){&o->object_id, &o->position, &o->placed,
					       &o->object_public, &o->lead_media_id},
			    5,
			    (const char **const[]){&o->label_vi, &o->label_en, &o->number, &o->name},
			    4);
}

int exhibition_object_list(db_t *db, arena_t *a, int64_t id, bool only_public,
			   exhibition_object **items, size_t *n)
{
	db_stmt *st = db_prepare(db,
		"SELECT x.object_id, x.position, x.placed, o.public,"
		" ifnull((SELECT media_id FROM object_media m WHERE m.object_id = o.id"
		" ORDER BY m.lead DESC, m.position LIMIT 1), 0),"
		" x.label_vi, x.label_en, ifnull(o.reg_number, o.intake_no), o.name"
		" FROM exhibition_objects x JOIN objects o ON o.id = x.object_id"
		" WHERE x.exhibition_id = ?1 AND (?2 = 0 OR o.public = 1)"
		" ORDER BY x.position, x.object_id LIMIT ?3");
	bool bound = st != NULL && db_bind_int64(st, 1, id) == 0 &&
		     db_bind_int64(st, 2, only_public ? 1 : 0) == 0 &&
		     db_bind_int64(st, 3, EXHIBITION_OBJECTS_MAX) == 0;
	return db_fill_rows(st, bound, a, sizeof **items, EXHIBITION_OBJECTS_MAX, fill_object, items,
			    n, NULL);
}

/* ---- photos ---------------------------------------------------------------------- */

int exhibition_photo_add(db_t *db, int64_t id, int64_t media_id, const char *caption,
			 model_problem *f)
{
	int rc = reg_check_text(f, "caption", caption, EXHIBITION_CAPTION_MAX, false, false);
	if (rc != 0)
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	int result = exists(db, id, f);
	if (result == 0)
		result = reg_require(db, f, REG_NOT_FOUND, "media_id", "SELECT 1 FROM media WHERE id = ?",
				     media_id);
	if (result == 0)
		result = reg_require(db, f, REG_NOT_PICTURE, "media_id",
				     "SELECT 1 FROM media WHERE id = ?1 AND mime IN ('image/jpeg',"
				     " 'image/png', 'image/webp', 'image/gif') AND NOT EXISTS (SELECT 1"
				     " FROM media_jobs WHERE media_id = ?1 AND state = 2)",
				     media_id);
	if (result == 0)
		result = reg_require(db, f, REG_OUT_OF_RANGE, "media_id",
				     "SELECT 1 WHERE (SELECT count(*) FROM exhibition_media"
				     " WHERE exhibition_id = ?) < " "100",
				     id);
	if (result == 0) {
		db_stmt *st = db_prepare(db, "INSERT INTO exhibition_media (exhibition_id, position,"
					     " media_id, caption) SELECT ?1, ifnull(max(position) + 1, 0),"
					     " ?2, ?3 FROM exhibition_media WHERE exhibition_id = ?1");
		int step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, media_id) == 0 &&
			    db_bind_text(st, 3, or_empty(caption), -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		result = step == DB_CONSTRAINT ? reg_refuse(f, REG_DUPLICATE, "media_id")
			 : step == DB_DONE     ? 0
					       : -1;
	}
	return reg_finish(db, nested, result);
}

int exhibition_photo_remove(db_t *db, int64_t id, int64_t media_id, model_problem *f)
{
	if (run3(db, "DELETE FROM exhibition_media WHERE exhibition_id = ?1 AND media_id = ?2"
		     " AND ?3 = ?3",
		 id, media_id, 0) != DB_DONE)
		return -1;
	return db_changes(db) == 0 ? reg_refuse(f, REG_NOT_FOUND, "media_id") : 0;
}

static int fill_photo(arena_t *a, db_stmt *st, void *item)
{
	exhibition_photo *p = item;
	return reg_read_row(a, st, (int64_t *const[]){&p->media_id}, 1,
			    (const char **const[]){&p->caption}, 1);
}

int exhibition_photo_list(db_t *db, arena_t *a, int64_t id, exhibition_photo **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT media_id, caption FROM exhibition_media"
				     " WHERE exhibition_id = ? ORDER BY position LIMIT 100");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, id) == 0, a, sizeof **items,
			    EXHIBITION_PHOTOS_MAX, fill_photo, items, n, NULL);
}

/* ---- visitors ----------------------------------------------------------------------- */

int exhibition_visit_add(db_t *db, const exhibition_visit *v, int64_t id, int64_t *visit_id,
			 model_problem *f)
{
	int rc;
	if ((rc = reg_check_date(f, "counted_on", v->counted_on, true)))
		return rc;
	char today[11];
	reg_today(today);
	if (strcmp(v->counted_on, today) > 0)
		return reg_refuse(f, REG_IN_FUTURE, "counted_on");
	if (v->visitors < 0 || v->visitors > EXHIBITION_VISITORS_MAX)
		return model_answer(f, REG_OUT_OF_RANGE, "visitors", EXHIBITION_VISITORS_MAX);
	if ((rc = reg_check_text(f, "note", v->note, EXHIBITION_VISIT_NOTE_MAX, false, false)))
		return rc;
	int nested;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT opens_on <= ?2 FROM exhibitions WHERE id = ?1");
	int step = st != NULL && db_bind_int64(st, 1, id) == 0 &&
			   db_bind_text(st, 2, v->counted_on, -1) == 0
		       ? db_step(st)
		       : DB_ERROR;
	int result = step == DB_ROW	 ? (db_col_int64(st, 0) ? 0 : reg_refuse(f, REG_OUT_OF_RANGE,
										  "counted_on"))
		     : step == DB_DONE ? reg_refuse(f, REG_NOT_FOUND, "id")
				       : -1;
	if (st != NULL)
		db_done(st);
	if (result == 0) {
		st = db_prepare(db, "INSERT INTO exhibition_visits (exhibition_id, counted_on, visitors,"
				    " note) VALUES (?, ?, ?, ?)");
		step = DB_ERROR;
		if (st != NULL) {
			if (db_bind_int64(st, 1, id) == 0 && db_bind_text(st, 2, v->counted_on, -1) == 0 &&
			    db_bind_int64(st, 3, v->visitors) == 0 &&
			    db_bind_text(st, 4, or_empty(v->note), -1) == 0)
				step = db_step(st);
			db_done(st);
		}
		result = step == DB_CONSTRAINT ? reg_refuse(f, REG_DUPLICATE, "counted_on")
			 : step == DB_DONE     ? 0
					       : -1;
		if (result == 0 && visit_id != NULL)
			*visit_id = db_last_insert_id(db);
	}
	return reg_finish(db, nested, result);
}

int exhibition_visit_remove(db_t *db, int64_t id, int64_t visit_id, model_problem *f)
{
	if (run3(db, "DELETE FROM exhibition_visits WHERE exhibition_id = ?1 AND id = ?2 AND ?3 = ?3",
		 id, visit_id, 0) != DB_DONE)
		return -1;
	return db_changes(db) == 0 ? reg_refuse(f, REG_NOT_FOUND, "visit_id") : 0;
}

static int fill_visit(arena_t *a, db_stmt *st, void *item)
{
	exhibition_visit *v = item;
	return reg_read_row(a, st, (int64_t *const[]){&v->id, &v->visitors}, 2,
			    (const char **const[]){&v->counted_on, &v->note}, 2);
}

int exhibition_visit_list(db_t *db, arena_t *a, int64_t id, exhibition_visit **items, size_t *n)
{
	db_stmt *st = db_prepare(db, "SELECT id, visitors, counted_on, note FROM exhibition_visits"
				     " WHERE exhibition_id = ? ORDER BY counted_on DESC LIMIT 10000");
	return db_fill_rows(st, st != NULL && db_bind_int64(st, 1, id) == 0, a, sizeof **items,
			    10000, fill_visit, items, n, NULL);
}
