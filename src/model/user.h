/*
 * user.h - back-office accounts: names, roles, the password policy and
 * Argon2id hashing (libsodium).
 *
 * Login names are normalised before they are stored or looked up: ASCII
 * letters folded to lower case; only a-z, 0-9, '.', '_' and '-' allowed;
 * 3..64 characters, starting with a letter or digit. ASCII only, so two
 * names cannot look alike on screen ("аn" with a Cyrillic а).
 *
 * Password policy (OWASP ASVS 4.0.3, 2.1): the password is normalised
 * (text_normalize: NFC, so the same word typed with different Vietnamese
 * keyboards is the same password), then counted in Unicode code points:
 * at least USER_PASSWORD_MIN, at most USER_PASSWORD_MAX, never truncated.
 * Refused: invalid UTF-8 or control characters, a password on the shipped
 * list of common passwords, a password that contains the login name. The
 * list and the name are compared folded (case and Vietnamese marks
 * ignored: text_fold), so "MatKhau12345" and "mậtkhẩu12345" are as common
 * as "matkhau12345". No composition rules (ASVS 2.1.9).
 *
 * Strings in returned structs live in the caller's arena. Functions return
 * 0 on success, 1 for "not found / refused" where noted, -1 on a storage
 * error (logged). Times are Unix seconds passed in by the caller.
 */
#ifndef SEN_MODEL_USER_H
#define SEN_MODEL_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "core/arena.h"
#include "db/db.h"

/* Roles are bits so a route can name several ("editor or admin"). */
enum user_role {
	USER_ADMIN = 1 << 0,     /* everything */
	USER_EDITOR = 1 << 1,    /* all articles, publishes, moderates */
	USER_AUTHOR = 1 << 2,    /* own drafts, submits for review */
	USER_MODERATOR = 1 << 3, /* comments only */
	USER_CURATOR = 1 << 4,   /* the museum's register: intake, object cards, movements */
	USER_COUNCIL = 1 << 5,   /* the register's Scientific Council: records decisions */
	USER_PLANNER = 1 << 6,   /* the year's plans, their check-ins, units and staff */
	USER_EMULATION = 1 << 7, /* emulation and commendation: campaigns, award decisions */
};
#define USER_ROLES_ALL \
	(USER_ADMIN | USER_EDITOR | USER_AUTHOR | USER_MODERATOR | USER_CURATOR | USER_COUNCIL | \
	 USER_PLANNER | USER_EMULATION)

#define USER_NAME_MIN 3
#define USER_NAME_MAX 64
#define USER_DISPLAY_MAX 200         /* bytes */
#define USER_PASSWORD_MIN 12         /* code points */
#define USER_PASSWORD_MAX 128        /* code points; longer is refused, never cut */
/* Bytes read from a form or a terminal before any check: 128 code points of
 * up to 4 bytes, decomposed marks included, fit with room to spare. */
#define USER_PASSWORD_INPUT_MAX 2048
#define USER_HASH_MAX crypto_pwhash_STRBYTES

/*
 * Argon2id cost. INTERACTIVE is 2 passes over 64 MiB: about 60 ms on one
 * core of the build machine, above OWASP's floor for Argon2id (19 MiB, 2
 * passes). MODERATE (3 passes, 256 MiB) takes about 0.4 s and 256 MiB for
 * each login in flight: on a small museum server a handful of concurrent
 * logins would then exhaust memory, and the sanitizer test runs would take
 * minutes. Raise both together if the server grows; existing hashes are
 * upgraded at the next successful login (user_authenticate rehashes).
 */
#define USER_PWHASH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define USER_PWHASH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

typedef struct {
	int64_t id;
	const char *name;
	const char *display_name;    /* may be "" */
	int role;                    /* one enum user_role bit */
	bool disabled;
	int64_t created_at;
	int64_t password_changed_at;
} user;

/* ---- roles and names ---- */

/* "admin" -> USER_ADMIN ...; 0 for anything else (NULL included). */
int user_role_parse(const char *s);
/* USER_ADMIN -> "admin" ...; NULL for anything that is not one role bit. */
const char *user_role_name(int role);

/* Normalises a login name into out (at least USER_NAME_MAX + 1 bytes).
 * 0, or -1 when the name breaks the rules above (out is then ""). */
int user_name_normalize(const char *in, char *out, size_t outlen);

/* Checks a display name: valid UTF-8 without control characters, at most
 * USER_DISPLAY_MAX bytes. NULL counts as "". true when acceptable. */
bool user_display_name_ok(const char *s);

/* ---- password policy ---- */

enum user_password_problem {
	USER_PASSWORD_OK = 0,
	USER_PASSWORD_SHORT,     /* fewer than USER_PASSWORD_MIN code points */
	USER_PASSWORD_LONG,      /* more than USER_PASSWORD_MAX */
	USER_PASSWORD_INVALID,   /* invalid UTF-8, NUL or control characters */
	USER_PASSWORD_COMMON,    /* on the list of common passwords */
	USER_PASSWORD_HAS_NAME,  /* equal to or contains the login name */
	USER_PASSWORD_NO_LIST,   /* the list was not loaded: refuse, do not guess */
};

/*
 * Loads the list of common passwords (one a line; empty lines and lines
 * starting with '#' are skipped; at most 4 MiB) into process memory, folded
 * and sorted. Loading again replaces the list. Thread-safe with the checks
 * below. 0, or -1 (logged) when the file cannot be read.
 */
int user_common_passwords_load(const char *path);
/* Number of distinct entries loaded (0 before loading). */
size_t user_common_passwords_count(void);
/* Frees the list (at exit, for leak checkers). */
void user_common_passwords_free(void);
/* True when the password, folded, is on the list. */
bool user_password_is_common(const char *password);

/* Applies the whole policy; name may be NULL (no name rule). The back office
 * shows the problem from its catalogs (admin_password_problem_key), the
 * command line in its own words (cli/users.c). */
enum user_password_problem user_password_check(const char *name, const char *password);

/* ---- hashing ---- */

/* Argon2id string of the normalised password into out. 0, or -1 (logged;
 * also for a password that is not valid UTF-8 or longer than the input cap;
 * the policy is NOT applied here). */
int user_password_hash(const char *password, char out[USER_HASH_MAX]);
/* 0 when password matches hash, 1 when not (or hash malformed). */
int user_password_verify(const char *hash, const char *password);
/* Spends the time of one verification against a fixed hash made with the
 * current cost, so an unknown account answers as slowly as a known one. */
void user_password_verify_dummy(const char *password);
/* The fixed hash used above (for tests: same cost as USER_PWHASH_*). */
const char *user_password_dummy_hash(void);

/* ---- accounts ---- */

/*
 * Creates an account. name is normalised; display_name may be NULL; role is
 * one enum user_role bit; the password must pass user_password_check (it is
 * checked again here). 0 and *id; 1 when the name is taken; 2 when an
 * argument breaks a rule (name, display name, role, password); -1 on error.
 */
int user_create(db_t *db, const char *name, const char *display_name, int role,
		const char *password, int64_t now, int64_t *id);

/* One account by id or by (normalised or not) name. 0, 1 not found, -1. */
int user_get(db_t *db, arena_t *a, int64_t id, user *out);
int user_get_by_name(db_t *db, arena_t *a, const char *name, user *out);

/*
 * Checks a login. Always spends the time of exactly one Argon2id
 * verification, whether the account exists, is disabled or the password is
 * absurd, so the answer and its timing do not tell which. Returns 0 with
 * *out filled when the name and password match an enabled account; 1 when
 * they do not (*out zeroed, except out->id, which is the id of the account
 * tried when it exists, else 0: for the audit log); -1 on a storage error.
 * A hash made with an older cost is replaced on success.
 */
int user_authenticate(db_t *db, arena_t *a, const char *name, const char *password,
		      int64_t now, user *out);

/* Sets a new password (policy applied: 2 when refused), stamps
 * password_changed_at. 0, 1 not found, 2 refused, -1. */
int user_set_password(db_t *db, int64_t id, const char *password, int64_t now);

/* Changes the role. Refuses (3) to take the admin role from the last
 * enabled admin, so the back office cannot lock itself out. 0, 1 not found,
 * 2 bad role, 3 last admin, -1. */
int user_set_role(db_t *db, int64_t id, int role);

/* Disables or enables an account (disabling also ends its sessions).
 * Refuses (3) to disable the last enabled admin. 0, 1 not found, 3, -1. */
int user_set_disabled(db_t *db, int64_t id, bool disabled);

/* Every account by name. *items is in the arena. 0 or -1. */
int user_list(db_t *db, arena_t *a, user **items, size_t *n);

/* Number of accounts (all, enabled or not). 0 or -1. */
int user_count(db_t *db, int64_t *count);

#endif
