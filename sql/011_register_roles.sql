-- migrate: foreign_keys off
-- 011_register_roles.sql - the register's roles (issue 12): `curator`
-- (intake, object cards, movements) and `council` (records the Scientific
-- Council's decisions) join admin, editor, author and moderator.
--
-- SQLite cannot change a CHECK in place, so users is rebuilt by the
-- documented procedure (https://sqlite.org/lang_altertable.html, "Making
-- Other Kinds Of Table Schema Changes"): create the new table, copy every
-- row with its id, drop the old table, rename the new one. The first line
-- makes the runner (src/db/migrate.c) run this file with foreign keys off,
-- so dropping the old table does not cascade into sessions, audit_log,
-- articles and revisions, whose references name "users" and point at the
-- new table once it is renamed; the runner then runs PRAGMA
-- foreign_key_check and rolls everything back if a row points nowhere.
-- No view or trigger names users, and its only index is the one UNIQUE
-- makes, so nothing else has to be recreated.
CREATE TABLE users_new (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
		CHECK (length(name) BETWEEN 3 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'
		       AND name GLOB '[a-z0-9]*'),
	display_name TEXT NOT NULL DEFAULT ''
		CHECK (length(CAST(display_name AS BLOB)) <= 200),
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'moderator', 'curator',
					   'council')),
	password_hash TEXT NOT NULL
		CHECK (length(password_hash) BETWEEN 20 AND 255 AND password_hash GLOB '$argon2id$*'),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL
) STRICT;

INSERT INTO users_new (id, name, display_name, role, password_hash, disabled, created_at,
		       password_changed_at)
	SELECT id, name, display_name, role, password_hash, disabled, created_at,
	       password_changed_at
	FROM users;

DROP TABLE users;

ALTER TABLE users_new RENAME TO users;
