/*
 * exhibition.h - the museum's exhibitions ("trưng bày", "triển lãm"): a
 * title, a kind, a venue (a hall of the storage tree, or a place elsewhere
 * with its province, or none when online), opening and closing days,
 * curators, a description, ordered photos of the media library, the
 * objects of the register it shows (ordered, each with its label as
 * written in Vietnamese and English) and visitor numbers as dated entries.
 *
 * The card always says where an object is: while an exhibition with a
 * venue is open (opens_on <= today <= closes_on, or no closing day), its
 * objects stand in the venue. Putting an object in an open exhibition,
 * taking it out, or an exhibition opening or closing with objects in it
 * records a movement (model/movement.h, reason trung_bay) into the venue
 * or back to where the object stood before, inside the transaction that
 * makes the change. A venue elsewhere becomes a top-level "outside" place
 * of the storage tree named "venue, province". Opening and closing by the
 * calendar alone happen at exhibition_sync(), which the server runs at
 * start-up and every day, and which every write of the exhibition runs.
 *
 * Refusals: a positive enum reg_problem, in the model_problem too
 * (reg_check.h); no prose. Strings of returned records live in the
 * caller's arena.
 */
#ifndef SEN_MODEL_EXHIBITION_H
#define SEN_MODEL_EXHIBITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/reg_check.h"

#define EXHIBITION_TITLE_MAX 300
#define EXHIBITION_VENUE_MAX 300
#define EXHIBITION_PROVINCE_MAX 100
#define EXHIBITION_CURATORS_MAX 1000
#define EXHIBITION_DESCRIPTION_MAX 20000
#define EXHIBITION_LABEL_MAX 2000
#define EXHIBITION_CAPTION_MAX 500
#define EXHIBITION_VISIT_NOTE_MAX 500
#define EXHIBITION_VISITORS_MAX 100000000
#define EXHIBITION_OBJECTS_MAX 2000
#define EXHIBITION_PHOTOS_MAX 100
#define EXHIBITION_LIST_MAX 1000

/* thuong_truc (permanent), chuyen_de (thematic), luu_dong (travelling),
 * truc_tuyen (online); NULL-terminated. */
extern const char *const exhibition_kinds[];

typedef struct {
	int64_t id;
	const char *title;
	const char *kind;
	int64_t location_id;      /* a hall (place of the storage tree); 0: none */
	const char *venue;        /* a place elsewhere; "" with a hall */
	const char *province;     /* the venue's province; "" with a hall */
	const char *opens_on;     /* yyyy-mm-dd */
	const char *closes_on;    /* yyyy-mm-dd, or "" when no end is announced */
	const char *curators;     /* as written */
	const char *description;  /* plain text, paragraphs by blank lines */
	int64_t is_public;        /* 1: shown on the portal */
	/* read only */
	const char *hall;         /* the hall's name, "" */
	int64_t objects;          /* objects shown */
	int64_t visitors;         /* sum of the visitor entries */
	int64_t cover_media_id;   /* its first photo, 0 */
	int64_t updated_at;
} exhibition;

/* Checks every field without storage: 0 or a reg_problem (fields: title,
 * kind, venue (REG_REQUIRED when neither a hall nor a venue is given for
 * an exhibition that is not online), province (REG_REQUIRED with a venue
 * elsewhere), opens_on, closes_on (REG_OUT_OF_RANGE before opens_on),
 * curators, description). */
int exhibition_check(const exhibition *e, model_problem *f);

/* Adds one: 0 with *id, a reg_problem (REG_NOT_FOUND on location_id), or
 * -1. who names the person in the movements it records. */
int exhibition_add(db_t *db, const exhibition *e, const char *who, int64_t *id, model_problem *f);
/* Replaces every field of e->id, then moves its objects when that opened
 * or closed it: 0, REG_NOT_FOUND on "id", a reg_problem, or -1. */
int exhibition_update(db_t *db, const exhibition *e, const char *who, model_problem *f);
/* Deletes one that shows no object (REG_WRONG_STATE on "objects"
 * otherwise): 0, REG_NOT_FOUND on "id", or -1. */
int exhibition_delete(db_t *db, int64_t id, model_problem *f);
/* 0, 1 not found, -1. */
int exhibition_get(db_t *db, arena_t *a, int64_t id, exhibition *out);

enum exhibition_when {
	EXHIBITION_ALL,        /* newest opening first */
	EXHIBITION_CURRENT,    /* open today, closing soonest first */
	EXHIBITION_UPCOMING,   /* opening after today, soonest first */
	EXHIBITION_PAST,       /* closed before today, latest first */
};

/* Exhibitions by when (only_public: those shown on the portal), at most
 * EXHIBITION_LIST_MAX (arena). 0 or -1. */
int exhibition_list(db_t *db, arena_t *a, enum exhibition_when when, bool only_public,
		    exhibition **items, size_t *n);

/* The exhibitions an object is or was shown in, latest opening first
 * (only_public: public ones). 0 or -1. */
int exhibition_list_of_object(db_t *db, arena_t *a, int64_t object_id, bool only_public,
			      exhibition **items, size_t *n);

/* The public exhibitions matching match (an FTS5 expression of the
 * site's search, search.h's match_folded), best first: at most limit
 * after offset, and *total counted up to count_max. 0 or -1. */
int exhibition_search(db_t *db, arena_t *a, const char *match, int64_t offset, size_t limit,
		      int64_t count_max, exhibition **items, size_t *n, int64_t *total);

/* How many exhibitions opened in a year (only_public: public ones): the
 * plan's "Tổ chức trưng bày, triển lãm". 0 with *count, or -1. */
int exhibition_count_opened(db_t *db, int year, int64_t *count);

/* ---- objects ------------------------------------------------------------- */

typedef struct {
	int64_t object_id;
	int64_t position;
	const char *label_vi;
	const char *label_en;
	int64_t placed;           /* 1: moved into the venue by this exhibition */
	/* from the card */
	const char *number;       /* registration number, else intake number */
	const char *name;
	int64_t object_public;    /* 1: the card is public */
	int64_t lead_media_id;    /* the card's lead photo, 0 */
} exhibition_object;

/*
 * Puts an object in the exhibition, or changes its position and labels if
 * it is in already. When the exhibition is open the object moves into the
 * venue. Refused: no such exhibition (REG_NOT_FOUND on "id") or object
 * (REG_NOT_FOUND on "object_id"), an object given back (REG_WRONG_STATE on
 * "object_id"), one standing in another open exhibition
 * (REG_DUPLICATE on "object_id"), more than EXHIBITION_OBJECTS_MAX
 * (REG_OUT_OF_RANGE on "object_id"), position < 0 (REG_OUT_OF_RANGE on
 * "position"), labels too long (label_vi, label_en). 0, a reg_problem, -1.
 */
int exhibition_object_put(db_t *db, int64_t id, int64_t object_id, int64_t position,
			  const char *label_vi, const char *label_en, const char *who,
			  model_problem *f);
/* Takes an object out (back to where it stood when it was placed): 0,
 * REG_NOT_FOUND on "object_id", or -1. */
int exhibition_object_remove(db_t *db, int64_t id, int64_t object_id, const char *who,
			     model_problem *f);
/* The objects in order (only_public: those whose card is public). 0 or -1. */
int exhibition_object_list(db_t *db, arena_t *a, int64_t id, bool only_public,
			   exhibition_object **items, size_t *n);

/*
 * Moves the objects of every exhibition (id 0) or of one into or out of
 * its venue as today says; closings first, so an object can go from one
 * exhibition to the next. *moved (may be NULL) counts the movements
 * recorded. An object that cannot move (it stands in another open
 * exhibition) is left for the next run. 0 or -1.
 */
int exhibition_sync(db_t *db, int64_t id, const char *who, int *moved);

/* ---- photos and visitors ------------------------------------------------- */

typedef struct {
	int64_t media_id;
	const char *caption;
} exhibition_photo;

/* Appends a picture of the library: 0, REG_NOT_FOUND (id, media_id),
 * REG_NOT_PICTURE / REG_DUPLICATE on media_id, REG_OUT_OF_RANGE past
 * EXHIBITION_PHOTOS_MAX, a text problem on caption, or -1. */
int exhibition_photo_add(db_t *db, int64_t id, int64_t media_id, const char *caption,
			 model_problem *f);
/* 0, REG_NOT_FOUND on media_id, or -1. */
int exhibition_photo_remove(db_t *db, int64_t id, int64_t media_id, model_problem *f);
/* In order (arena). 0 or -1. */
int exhibition_photo_list(db_t *db, arena_t *a, int64_t id, exhibition_photo **items, size_t *n);

typedef struct {
	int64_t id;
	const char *counted_on;   /* yyyy-mm-dd */
	int64_t visitors;
	const char *note;
} exhibition_visit;

/* Records the visitors of a day: 0 with *visit_id, or REG_NOT_FOUND on
 * "id", REG_BAD_DATE / REG_IN_FUTURE / REG_OUT_OF_RANGE (before opening)
 * / REG_DUPLICATE on counted_on, REG_OUT_OF_RANGE on visitors, a text
 * problem on note, or -1. */
int exhibition_visit_add(db_t *db, const exhibition_visit *v, int64_t id, int64_t *visit_id,
			 model_problem *f);
/* 0, REG_NOT_FOUND on "visit_id", or -1. */
int exhibition_visit_remove(db_t *db, int64_t id, int64_t visit_id, model_problem *f);
/* Newest day first (arena). 0 or -1. */
int exhibition_visit_list(db_t *db, arena_t *a, int64_t id, exhibition_visit **items, size_t *n);

#endif
