-- 004_accounts.sql - back-office accounts, sessions, login throttling and the
-- audit log (issue 5, "Accounts and security").
--
-- Follows the conventions of 001_init.sql. Nothing here holds a secret in a
-- form that could be used if the file leaked: passwords are Argon2id strings,
-- sessions are stored by the BLAKE2b hash of the token the cookie carries,
-- and addresses only ever appear as keyed hashes (model/throttle.h).
-- There is no default account: `sen user add NAME --role admin` makes the
-- first one.

-- Tài khoản. name is the login name, already normalised (lower-case ASCII
-- letters, digits, '.', '_', '-'; model/user.h), so UNIQUE is enough to keep
-- "An" and "an" from being two accounts. Accounts are disabled, never
-- deleted: the audit log keeps pointing at them.
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
		CHECK (length(name) BETWEEN 3 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'
		       AND name GLOB '[a-z0-9]*'),
	display_name TEXT NOT NULL DEFAULT ''
		CHECK (length(CAST(display_name AS BLOB)) <= 200),
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'moderator')),
	password_hash TEXT NOT NULL
		CHECK (length(password_hash) BETWEEN 20 AND 255 AND password_hash GLOB '$argon2id$*'),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL
) STRICT;

-- Phiên đăng nhập. id is the BLAKE2b-256 of the random token in the cookie
-- (64 hex digits): reading this table does not let anyone log in. csrf_key is
-- the per-session secret the CSRF tokens are keyed with. Both timeouts (idle
-- 30 min from last_seen_at, absolute 12 h from created_at) are checked in
-- model/session.c against the time the caller passes.
CREATE TABLE sessions (
	id TEXT PRIMARY KEY CHECK (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*'),
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	csrf_key TEXT NOT NULL CHECK (length(csrf_key) = 64 AND csrf_key NOT GLOB '*[^0-9a-f]*'),
	user_agent TEXT NOT NULL DEFAULT '' CHECK (length(CAST(user_agent AS BLOB)) <= 80)
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- Failed logins per key: "a" + keyed hash of the account name typed (whether
-- or not such an account exists) or "n" + keyed hash of the client's network
-- (an IPv4 address, or the /64 of an IPv6 one). Never a raw name or address.
-- A row is forgotten once it has been quiet for the window after its lock.
CREATE TABLE login_attempts (
	key TEXT PRIMARY KEY CHECK (length(key) = 33 AND key GLOB '[an]*'
				    AND substr(key, 2) NOT GLOB '*[^0-9a-f]*'),
	failures INTEGER NOT NULL CHECK (failures >= 1),
	first_at INTEGER NOT NULL,
	last_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX login_attempts_last ON login_attempts (last_at);

-- Nhật ký. user_id is who acted (for login and login_failed: the account
-- tried, when it exists); NULL for the command line or an unknown account.
-- user_name keeps the name as it was, so an entry still reads right if the
-- account is renamed one day. address is the keyed hash of the client
-- address (32 hex digits), never the address. Entries are never updated.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	user_name TEXT NOT NULL DEFAULT '' CHECK (length(user_name) <= 64),
	action TEXT NOT NULL
		CHECK (length(action) BETWEEN 1 AND 40 AND action NOT GLOB '*[^a-z_]*'),
	target TEXT NOT NULL DEFAULT '' CHECK (length(CAST(target AS BLOB)) <= 200),
	details TEXT NOT NULL DEFAULT '' CHECK (length(CAST(details AS BLOB)) <= 1000),
	address TEXT NOT NULL DEFAULT ''
		CHECK (address = '' OR (length(address) = 32 AND address NOT GLOB '*[^0-9a-f]*'))
) STRICT;

-- The log page lists newest first (id DESC) with any mix of filters; each
-- index serves one filter without sorting, the date range uses `at`.
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);
