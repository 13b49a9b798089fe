/*
 * rating.h - "Đánh giá: lượt đánh giá: N, trung bình: X": 1 to 5 stars per
 * article, one vote per visitor.
 *
 * The one-vote rule is the table's PRIMARY KEY (article_id, visitor), not a
 * check before the insert, so two racing requests cannot both vote. The count
 * and sum of each article's votes live in one row updated in the same
 * transaction as the vote, so rating_summary() reads one row.
 *
 * visitor is a visitor id from visitor.h (32 lower-case hex digits).
 * Nothing here allocates memory the caller must free (rating_list() uses
 * the caller's arena).
 */
#ifndef SEN_MODEL_RATING_H
#define SEN_MODEL_RATING_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define RATING_MIN 1
#define RATING_MAX 5

/* What rating_add() returns besides -1 (storage error, logged). */
enum rating_result {
	RATING_OK = 0,          /* the vote is stored and committed */
	RATING_NOT_FOUND = 1,   /* no such article, or not public now */
	RATING_DUPLICATE = 2,   /* this visitor already rated this article */
	RATING_INVALID = 3,     /* stars outside 1..5, or a malformed visitor id */
	RATING_ADDRESS_SPENT = 4, /* the address has used its budget (below) */
};

/*
 * Budgets per address (docs/VISITORS.md says why these numbers): a visitor
 * is address + User-Agent, so a script that changes its User-Agent is a new
 * visitor each time; these hold it to what a crowd behind one shared
 * (carrier NAT) address could plausibly give. The address is
 * throttle_address_key() of the client's.
 */
#define RATING_ADDRESS_PER_ARTICLE 20     /* votes on one article ... */
#define RATING_ADDRESS_ARTICLE_WINDOW 86400 /* ... per day */
#define RATING_ADDRESS_PER_HOUR 60        /* votes on the whole site per hour */
/* The moderators are told about an article when one address gave more than
 * half of its votes and at least this many. */
#define RATING_CONCENTRATED_MIN 10

/*
 * Adds a vote of `stars` by `visitor` to a published article (status
 * published and published_at <= now). Inside the caller's transaction when
 * one is open (then committed with it), otherwise committed before
 * returning. Returns an enum rating_result value or -1.
 */
int rating_add(db_t *db, int64_t article_id, const char *visitor, int stars);

/*
 * rating_add() for a vote from the web: the same, and the vote is refused
 * with RATING_ADDRESS_SPENT when address (throttle_address_key(), 'n' + 32
 * hex digits) already gave RATING_ADDRESS_PER_ARTICLE votes to this article
 * within RATING_ADDRESS_ARTICLE_WINDOW, or RATING_ADDRESS_PER_HOUR votes
 * within the hour before now. A malformed address is RATING_INVALID. The
 * vote keeps the address; checked and stored in one transaction.
 */
int rating_add_from(db_t *db, int64_t article_id, const char *visitor, const char *address,
		    int stars, int64_t now);

/*
 * Number of votes and their mean (0.0 when there are none) for an article;
 * an unknown article has none. Rounding for display is the caller's (fmt.h
 * fmt_decimal1). Returns 0, or -1 (logged; outputs set to 0).
 */
int rating_summary(db_t *db, int64_t article_id, int64_t *count, double *average);

/* The stars this visitor gave this article: 0 and *stars, 1 if they have not
 * rated it, -1 on error. Lets the page show "you rated 4" instead of a form. */
int rating_get(db_t *db, int64_t article_id, const char *visitor, int *stars);

/* ---- for the statistics page (reading only) ------------------------------ */

#define RATING_LIST_MAX 100    /* articles one rating_list() call returns at most */

/* Every vote on the site: number and mean (0.0 when none). 0 or -1. */
int rating_overall(db_t *db, int64_t *count, double *average);

/* How many votes gave 1 .. 5 stars: counts[0] is 1 star, counts[4] is 5.
 * 0 or -1 (counts zeroed). */
int rating_distribution(db_t *db, int64_t counts[RATING_MAX]);

/* A rated article. Strings in the caller's arena. */
typedef struct {
	int64_t article_id;
	const char *title;
	const char *slug;
	const char *category_slug;
	int article_status;     /* enum article_status */
	int64_t count;
	double average;
} rating_entry;

enum rating_order {
	RATING_ORDER_MOST = 0,  /* most votes first (ties: best mean) */
	RATING_ORDER_BEST = 1,  /* best mean first (ties: more votes) */
};

/*
 * Articles with at least min_count votes in the given order, at most limit
 * (1..RATING_LIST_MAX); ties end with the smaller id first. *items lives in
 * arena a. 0 or -1.
 */
int rating_list(db_t *db, arena_t *a, enum rating_order order, int64_t min_count, int limit,
		rating_entry **items, size_t *n);

/* An article most of whose votes came from one address. */
typedef struct {
	int64_t article_id;
	const char *title;      /* in the caller's arena, as the next two */
	const char *slug;
	const char *category_slug;
	int64_t count;          /* all its votes */
	int64_t from_one;       /* votes from the address that gave the most */
} rating_concentration;

/*
 * Articles with at least RATING_CONCENTRATED_MIN votes from one address and
 * more than half of their votes from it, most such votes first, at most
 * limit (1..RATING_LIST_MAX). For the moderators (the comment queue shows
 * them). *items in arena a. 0 or -1.
 */
int rating_concentrated(db_t *db, arena_t *a, int limit, rating_concentration **items,
			size_t *n);

#endif
