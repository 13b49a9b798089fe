/*
 * user.c - accounts, the password policy and Argon2id (see user.h).
 */
#include "model/user.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

#define COMMON_FILE_MAX (4u << 20)

/* ------------------------------------------------------------------ */
/* Roles and names                                                     */
/* ------------------------------------------------------------------ */

static const struct {
	int role;
	const char *name;
} roles[] = {
	{USER_ADMIN, "admin"},
	{USER_EDITOR, "editor"},
	{USER_AUTHOR, "author"},
	{USER_MODERATOR, "moderator"},
	{USER_CURATOR, "curator"},
	{USER_COUNCIL, "council"},
	{USER_PLANNER, "planner"},
	{USER_EMULATION, "emulation"},
};

int user_role_parse(const char *s)
{
	if (s == NULL)
		return 0;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(s, roles[i].name) == 0)
			return roles[i].role;
	return 0;
}

const char *user_role_name(int role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == role)
			return roles[i].name;
	return NULL;
}

int user_name_normalize(const char *in, char *out, size_t outlen)
{
	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (in == NULL || outlen < USER_NAME_MAX + 1)
		return -1;
	size_t len = strnlen(in, USER_NAME_MAX + 1);
	if (len < USER_NAME_MIN || len > USER_NAME_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
			out[0] = '\0';
			return -1;
		}
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

/* True when s[0..len) holds a C0 or C1 control character or DEL. */
static bool has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return true;
		/* U+0080..U+009F are C2 80..C2 9F in UTF-8. */
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] < 0xa0)
			return true;
	}
	return false;
}

bool user_display_name_ok(const char *s)
{
	if (s == NULL)
		return true;
	size_t len = strnlen(s, USER_DISPLAY_MAX + 1);
	return len <= USER_DISPLAY_MAX && utf8_valid(s, len) && !has_control(s, len);
}

/* ------------------------------------------------------------------ */
/* The list of common passwords                                        */
/* ------------------------------------------------------------------ */

static pthread_rwlock_t common_lock = PTHREAD_RWLOCK_INITIALIZER;
static char **common_items;
static size_t common_n;

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_items(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		log_error("user: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	buf_t b = BUF_INIT;
	b.cap = COMMON_FILE_MAX;
	char chunk[8192];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, got) != 0)
			break;
	int failed = ferror(f) || b.failed;
	fclose(f);
	if (failed) {
		log_error("user: cannot read %s (unreadable or larger than %u bytes)", path,
			  COMMON_FILE_MAX);
		buf_free(&b);
		return -1;
	}
	*data = buf_detach(&b, len);
	if (*data == NULL) {
		*data = calloc(1, 1);
		*len = 0;
	}
	return *data != NULL ? 0 : -1;
}

int user_common_passwords_load(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len) != 0)
		return -1;
	char **items = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	buf_t folded = BUF_INIT;
	for (char *line = data; line < data + len;) {
		char *end = memchr(line, '\n', (size_t)(data + len - line));
		size_t l = end != NULL ? (size_t)(end - line) : (size_t)(data + len - line);
		char *next = end != NULL ? end + 1 : data + len;
		if (l > 0 && line[l - 1] == '\r')
			l--;
		if (l == 0 || line[0] == '#' || l > USER_PASSWORD_INPUT_MAX) {
			line = next;
			continue;
		}
		buf_clear(&folded);
		if (text_fold(line, l, &folded) != 0 || folded.len == 0) {
			/* A broken line cannot match anything; it does not spoil the list. */
			line = next;
			continue;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			char **grown = realloc(items, ncap * sizeof *grown);
			if (grown == NULL)
				goto done;
			items = grown;
			cap = ncap;
		}
		items[n] = strndup(folded.data, folded.len);
		if (items[n] == NULL)
			goto done;
		n++;
		line = next;
	}
	if (n > 0)
		qsort(items, n, sizeof *items, compare_strings);
	/* Drop duplicates (folding makes "Password" and "password" one entry). */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (kept > 0 && strcmp(items[kept - 1], items[i]) == 0) {
			free(items[i]);
			continue;
		}
		items[kept++] = items[i];
	}
	n = kept;
	pthread_rwlock_wrlock(&common_lock);
	char **old = common_items;
	size_t old_n = common_n;
	common_items = items;
	common_n = n;
	pthread_rwlock_unlock(&common_lock);
	free_items(old, old_n);
	items = NULL;
	n = 0;
	rc = 0;
done:
	if (rc != 0)
		log_error("user: out of memory loading %s", path);
	free_items(items, n);
	buf_free(&folded);
	free(data);
	return rc;
}

size_t user_common_passwords_count(void)
{
	pthread_rwlock_rdlock(&common_lock);
	size_t n = common_n;
	pthread_rwlock_unlock(&common_lock);
	return n;
}

void user_common_passwords_free(void)
{
	pthread_rwlock_wrlock(&common_lock);
	free_items(common_items, common_n);
	common_items = NULL;
	common_n = 0;
	pthread_rwlock_unlock(&common_lock);
}

/* 1 on the list, 0 not, -1 no list loaded. folded is NUL-terminated. */
static int common_lookup(const char *folded)
{
	pthread_rwlock_rdlock(&common_lock);
	int rc = -1;
	if (common_n > 0) {
		const char *key = folded;
		rc = bsearch(&key, common_items, common_n, sizeof *common_items, compare_strings) !=
		     NULL;
	}
	pthread_rwlock_unlock(&common_lock);
	return rc;
}

bool user_password_is_common(const char *password)
{
	if (password == NULL)
		return false;
	buf_t folded = BUF_INIT;
	size_t len = strnlen(password, USER_PASSWORD_INPUT_MAX + 1);
	bool common = len <= USER_PASSWORD_INPUT_MAX && text_fold(password, len, &folded) == 0 &&
		      folded.len > 0 && common_lookup(folded.data) == 1;
	buf_free(&folded);
	return common;
}

/* ------------------------------------------------------------------ */
/* Policy                                                              */
/* ------------------------------------------------------------------ */

/* NFC form of the password into out; -1 for invalid UTF-8, NUL bytes,
 * control characters or more than the input cap. */
static int normalize_password(const char *password, buf_t *out)
{
	if (password == NULL)
		return -1;
	size_t len = strnlen(password, USER_PASSWORD_INPUT_MAX + 1);
	if (len > USER_PASSWORD_INPUT_MAX || !utf8_valid(password, len) ||
	    has_control(password, len))
		return -1;
	if (text_normalize(password, len, out) != 0 || out->failed)
		return -1;
	/* An empty password leaves out->data NULL; make it a string. */
	return buf_puts(out, "") == 0 ? 0 : -1;
}

enum user_password_problem user_password_check(const char *name, const char *password)
{
	if (password != NULL && strnlen(password, USER_PASSWORD_INPUT_MAX + 1) >
				    USER_PASSWORD_INPUT_MAX)
		return USER_PASSWORD_LONG;
	buf_t norm = BUF_INIT, folded = BUF_INIT;
	enum user_password_problem p = USER_PASSWORD_OK;
	if (normalize_password(password, &norm) != 0) {
		p = USER_PASSWORD_INVALID;
		goto done;
	}
	size_t points = utf8_length(norm.data, norm.len);
	if (points < USER_PASSWORD_MIN) {
		p = USER_PASSWORD_SHORT;
		goto done;
	}
	if (points > USER_PASSWORD_MAX) {
		p = USER_PASSWORD_LONG;
		goto done;
	}
	if (text_fold(norm.data, norm.len, &folded) != 0 || buf_puts(&folded, "") != 0) {
		p = USER_PASSWORD_INVALID;
		goto done;
	}
	char login[USER_NAME_MAX + 1];
	if (name != NULL && user_name_normalize(name, login, sizeof login) == 0 &&
	    strstr(folded.data, login) != NULL) {
		p = USER_PASSWORD_HAS_NAME;
		goto done;
	}
	int common = common_lookup(folded.data);
	if (common < 0)
		p = USER_PASSWORD_NO_LIST;
	else if (common > 0)
		p = USER_PASSWORD_COMMON;
done:
	sodium_memzero(norm.data, norm.size);
	sodium_memzero(folded.data, folded.size);
	buf_free(&norm);
	buf_free(&folded);
	return p;
}

/* ------------------------------------------------------------------ */
/* Hashing                                                             */
/* ------------------------------------------------------------------ */

/*
 * Made once with the current cost (m=65536 KiB, t=2, p=1) from a password
 * shorter than the policy allows, so no real password can ever match it;
 * test_accounts checks that its cost stays the same as USER_PWHASH_*.
 */
static const char dummy_hash[USER_HASH_MAX] =
    "$argon2id$v=19$m=65536,t=2,p=1$AKnbP/dQ965ooTWtPrDcgQ$"
    "gXNk4Rwa7PURrcKMT/ppuQhhah0H10mQLp5+CFSC1kc";

const char *user_password_dummy_hash(void)
{
	return dummy_hash;
}

static int sodium_ready(void)
{
	if (sodium_init() < 0) {
		log_error("user: libsodium cannot start");
		return -1;
	}
	return 0;
}

int user_password_hash(const char *password, char out[USER_HASH_MAX])
{
	buf_t norm = BUF_INIT;
	int rc = -1;
	out[0] = '\0';
	if (sodium_ready() != 0)
		return -1;
	if (normalize_password(password, &norm) != 0) {
		log_error("user: refusing to hash an invalid password");
		goto done;
	}
	if (crypto_pwhash_str(out, norm.data, norm.len, USER_PWHASH_OPSLIMIT,
			      USER_PWHASH_MEMLIMIT) != 0) {
		log_error("user: Argon2id failed (out of memory?)");
		out[0] = '\0';
		goto done;
	}
	rc = 0;
done:
	sodium_memzero(norm.data, norm.size);
	buf_free(&norm);
	return rc;
}

int user_password_verify(const char *hash, const char *password)
{
	buf_t norm = BUF_INIT;
	int rc = 1;
	if (hash == NULL || sodium_ready() != 0)
		return 1;
	if (normalize_password(password, &norm) != 0 ||
	    utf8_length(norm.data, norm.len) > USER_PASSWORD_MAX) {
		/* Still spend the time, so an absurd password does not answer faster. */
		int spent = crypto_pwhash_str_verify(dummy_hash, "", 0);
		(void)spent;
		goto done;
	}
	rc = crypto_pwhash_str_verify(hash, norm.data, norm.len) == 0 ? 0 : 1;
done:
	sodium_memzero(norm.data, norm.size);
	buf_free(&norm);
	return rc;
}

void user_password_verify_dummy(const char *password)
{
	(void)user_password_verify(dummy_hash, password != NULL ? password : "");
}

/* ------------------------------------------------------------------ */
/* Accounts                                                            */
/* ------------------------------------------------------------------ */

#define USER_COLUMNS "id, name, display_name, role, disabled, created_at, password_changed_at"

static int read_user(db_stmt *st, arena_t *a, user *out)
{
	out->id = db_col_int64(st, 0);
	out->name = db_col_copy(a, st, 1, "", NULL);
	out->display_name = db_col_copy(a, st, 2, "", NULL);
	out->role = user_role_parse(db_col_text(st, 3));
	out->disabled = db_col_int64(st, 4) != 0;
	out->created_at = db_col_int64(st, 5);
	out->password_changed_at = db_col_int64(st, 6);
	return out->name != NULL && out->display_name != NULL ? 0 : -1;
}

int user_create(db_t *db, const char *name, const char *display_name, int role,
		const char *password, int64_t now, int64_t *id)
{
	char login[USER_NAME_MAX + 1];
	char hash[USER_HASH_MAX];
	const char *role_name = user_role_name(role);
	if (user_name_normalize(name, login, sizeof login) != 0 || role_name == NULL ||
	    !user_display_name_ok(display_name) ||
	    user_password_check(login, password) != USER_PASSWORD_OK)
		return 2;
	if (user_password_hash(password, hash) != 0)
		return -1;
	db_stmt *st = db_prepare(db, "INSERT INTO users (name, display_name, role, password_hash, "
				     "created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)");
	int rc = -1;
	if (st == NULL || db_bind_text(st, 1, login, -1) != 0 ||
	    db_bind_text(st, 2, display_name != NULL ? display_name : "", -1) != 0 ||
	    db_bind_text(st, 3, role_name, -1) != 0 || db_bind_text(st, 4, hash, -1) != 0 ||
	    db_bind_int64(st, 5, now) != 0 || db_bind_int64(st, 6, now) != 0)
		goto done;
	int step = db_step(st);
	if (step == DB_CONSTRAINT) {
		rc = 1;
		goto done;
	}
	if (step != DB_DONE)
		goto done;
	*id = db_last_insert_id(db);
	rc = 0;
done:
	db_done(st);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* Steps a bound one-row account query and reads the row: 0, 1 none, -1.
 * Takes st (NULL when preparing or binding failed) and returns it. */
static int fetch_one(db_stmt *st, arena_t *a, user *out)
{
	int rc = st != NULL ? db_step(st) : DB_ERROR;
	int result = rc == DB_DONE ? 1 : rc == DB_ROW && read_user(st, a, out) == 0 ? 0 : -1;
	db_done(st);
	return result;
}

int user_get(db_t *db, arena_t *a, int64_t id, user *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?");
	if (st != NULL && db_bind_int64(st, 1, id) != 0) {
		db_done(st);
		st = NULL;
	}
	return fetch_one(st, a, out);
}

int user_get_by_name(db_t *db, arena_t *a, const char *name, user *out)
{
	char login[USER_NAME_MAX + 1];
	memset(out, 0, sizeof *out);
	if (user_name_normalize(name, login, sizeof login) != 0)
		return 1;
	db_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS " FROM users WHERE name = ?");
	if (st != NULL && db_bind_text(st, 1, login, -1) != 0) {
		db_done(st);
		st = NULL;
	}
	return fetch_one(st, a, out);
}

/* Reads the account and its hash by normalised name. 0, 1 none, -1. */
static int load_with_hash(db_t *db, arena_t *a, const char *login, user *out,
			  char hash[USER_HASH_MAX])
{
	db_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS ", password_hash FROM users "
				     "WHERE name = ?");
	if (st == NULL || db_bind_text(st, 1, login, -1) != 0)
		goto fail;
	int rc = db_step(st);
	if (rc == DB_DONE) {
		db_done(st);
		return 1;
	}
	if (rc != DB_ROW || read_user(st, a, out) != 0)
		goto fail;
	const char *h = db_col_text(st, 7);
	if (h == NULL || strlen(h) >= USER_HASH_MAX)
		h = "";
	snprintf(hash, USER_HASH_MAX, "%s", h);
	db_done(st);
	return 0;
fail:
	db_done(st);
	return -1;
}

static int store_hash(db_t *db, int64_t id, const char *hash, int64_t changed_at)
{
	db_stmt *st = changed_at > 0
			  ? db_prepare(db, "UPDATE users SET password_hash = ?, "
					   "password_changed_at = ? WHERE id = ?")
			  : db_prepare(db, "UPDATE users SET password_hash = ? WHERE id = ?");
	int rc = -1;
	if (st == NULL || db_bind_text(st, 1, hash, -1) != 0)
		goto done;
	if (changed_at > 0) {
		if (db_bind_int64(st, 2, changed_at) != 0 || db_bind_int64(st, 3, id) != 0)
			goto done;
	} else if (db_bind_int64(st, 2, id) != 0) {
		goto done;
	}
	if (db_step(st) != DB_DONE)
		goto done;
	rc = db_changes(db) > 0 ? 0 : 1;
done:
	db_done(st);
	return rc;
}

int user_authenticate(db_t *db, arena_t *a, const char *name, const char *password,
		      int64_t now, user *out)
{
	char login[USER_NAME_MAX + 1];
	char hash[USER_HASH_MAX] = "";
	user found;
	memset(out, 0, sizeof *out);
	memset(&found, 0, sizeof found);
	int rc = user_name_normalize(name, login, sizeof login) == 0
		     ? load_with_hash(db, a, login, &found, hash)
		     : 1;
	if (rc < 0) {
		user_password_verify_dummy(password);
		return -1;
	}
	if (rc == 1) {
		user_password_verify_dummy(password);
		return 1;
	}
	/* Verify first and look at `disabled` after, so a disabled account
	 * costs the same time as any other refusal. */
	int ok = user_password_verify(hash, password) == 0;
	if (!ok || found.disabled) {
		out->id = found.id;
		sodium_memzero(hash, sizeof hash);
		return 1;
	}
	if (crypto_pwhash_str_needs_rehash(hash, USER_PWHASH_OPSLIMIT, USER_PWHASH_MEMLIMIT) != 0) {
		char fresh[USER_HASH_MAX];
		/* Best effort: the login stands even if the upgrade fails. */
		if (user_password_hash(password, fresh) == 0 && store_hash(db, found.id, fresh, 0) == 0)
			log_info("user: upgraded the password hash of account %lld",
				 (long long)found.id);
		sodium_memzero(fresh, sizeof fresh);
	}
	sodium_memzero(hash, sizeof hash);
	(void)now;
	*out = found;
	return 0;
}

int user_set_password(db_t *db, int64_t id, const char *password, int64_t now)
{
	arena_t *a = arena_new(1024);
	user u;
	char hash[USER_HASH_MAX];
	int rc = -1;
	if (a == NULL)
		return -1;
	rc = user_get(db, a, id, &u);
	if (rc != 0)
		goto done;
	if (user_password_check(u.name, password) != USER_PASSWORD_OK) {
		rc = 2;
		goto done;
	}
	rc = -1;
	if (user_password_hash(password, hash) != 0)
		goto done;
	rc = store_hash(db, id, hash, now > 0 ? now : 1);
	sodium_memzero(hash, sizeof hash);
done:
	arena_free(a);
	return rc;
}

/* Enabled admins other than id. -1 on error. */
static int64_t other_admins(db_t *db, int64_t id)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM users WHERE role = 'admin' "
				     "AND disabled = 0 AND id <> ?");
	int64_t n = -1;
	if (st != NULL && db_bind_int64(st, 1, id) == 0 && db_step(st) == DB_ROW)
		n = db_col_int64(st, 0);
	db_done(st);
	return n;
}

/* Role and disabled flag of id inside a write. 0, 1 none, -1. */
static int current_state(db_t *db, int64_t id, int *role, bool *disabled)
{
	db_stmt *st = db_prepare(db, "SELECT role, disabled FROM users WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, id) != 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*role = user_role_parse(db_col_text(st, 0));
		*disabled = db_col_int64(st, 1) != 0;
		rc = 0;
	} else {
		rc = rc == DB_DONE ? 1 : -1;
	}
	db_done(st);
	return rc;
}

int user_set_role(db_t *db, int64_t id, int role)
{
	const char *name = user_role_name(role);
	if (name == NULL)
		return 2;
	int nested = 0, rc = -1, old_role = 0;
	bool disabled = false;
	db_stmt *st = NULL;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	rc = current_state(db, id, &old_role, &disabled);
	if (rc != 0)
		goto done;
	rc = -1;
	if (old_role == USER_ADMIN && role != USER_ADMIN && !disabled) {
		int64_t others = other_admins(db, id);
		if (others < 0)
			goto done;
		if (others == 0) {
			rc = 3;
			goto done;
		}
	}
	st = db_prepare(db, "UPDATE users SET role = ? WHERE id = ?");
	if (st == NULL || db_bind_text(st, 1, name, -1) != 0 || db_bind_int64(st, 2, id) != 0 ||
	    db_step(st) != DB_DONE)
		goto done;
	rc = 0;
done:
	db_done(st);
	if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
		rc = -1;
	return rc;
}

int user_set_disabled(db_t *db, int64_t id, bool disabled)
{
	int nested = 0, rc = -1, role = 0;
	bool was = false;
	db_stmt *st = NULL;
	if (db_write_begin(db, &nested) != 0)
		return -1;
	rc = current_state(db, id, &role, &was);
	if (rc != 0)
		goto done;
	rc = -1;
	if (disabled && role == USER_ADMIN && !was) {
		int64_t others = other_admins(db, id);
		if (others < 0)
			goto done;
		if (others == 0) {
			rc = 3;
			goto done;
		}
	}
	st = db_prepare(db, "UPDATE users SET disabled = ? WHERE id = ?");
	if (st == NULL || db_bind_int64(st, 1, disabled ? 1 : 0) != 0 ||
	    db_bind_int64(st, 2, id) != 0 || db_step(st) != DB_DONE)
		goto done;
	db_done(st);
	st = NULL;
	if (disabled) {
		/* A disabled account must not keep working through an open session. */
		st = db_prepare(db, "DELETE FROM sessions WHERE user_id = ?");
		if (st == NULL || db_bind_int64(st, 1, id) != 0 || db_step(st) != DB_DONE)
			goto done;
	}
	rc = 0;
done:
	db_done(st);
	if (db_write_end(db, nested, rc == 0) != 0 && rc == 0)
		rc = -1;
	return rc;
}

int user_list(db_t *db, arena_t *a, user **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	int64_t count = 0;
	if (user_count(db, &count) != 0)
		return -1;
	if (count == 0)
		return 0;
	/* Accounts number in the tens; the cap only bounds a corrupt table. */
	if (count > 100000)
		count = 100000;
	user *out = arena_calloc(a, (size_t)count, sizeof *out);
	db_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS " FROM users ORDER BY name");
	if (out == NULL || st == NULL)
		goto fail;
	size_t i = 0;
	int rc = DB_DONE;
	while (i < (size_t)count && (rc = db_step(st)) == DB_ROW) {
		if (read_user(st, a, &out[i]) != 0)
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
	return -1;
}

int user_count(db_t *db, int64_t *count)
{
	db_stmt *st = db_prepare(db, "SELECT count(*) FROM users");
	int rc = -1;
	if (st != NULL && db_step(st) == DB_ROW) {
		*count = db_col_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	return rc;
}
