-- migrate: foreign_keys off
-- 018_plans.sql - units, staff, yearly plans and their indicators (issue
-- 14, "Units and people", "Plans and indicators").
--
-- Follows 009_register.sql: calendar days are TEXT 'YYYY-MM-DD' checked by
-- date(x) IS x, instants INTEGER seconds, vocabularies short ASCII codes
-- (the interface shows the words from the catalog).
--
-- A new role, `planner` (kế hoạch: writes the year's plans, checks in
-- their indicators, keeps units and staff), joins the others. SQLite
-- cannot change a CHECK in place, so users is rebuilt as 011 did it (the
-- first line turns foreign keys off for this file; the runner checks them
-- all before committing).
CREATE TABLE users_new (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
		CHECK (length(name) BETWEEN 3 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'
		       AND name GLOB '[a-z0-9]*'),
	display_name TEXT NOT NULL DEFAULT ''
		CHECK (length(CAST(display_name AS BLOB)) <= 200),
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'moderator', 'curator',
					   'council', 'planner')),
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

-- Đơn vị: the museum (the one root, parent_id NULL) and its departments
-- ("Phòng Nghiệp vụ", "Phòng Hành chính – Tổng hợp", ...), as a tree.
-- These are the museum's own organisation, what plans, tasks and awards
-- point at; the register's related_entities of kind 'unit' name units an
-- object speaks of ("Đại đoàn 308"). entity_id links a unit to that entry
-- when the register also names it (objects the museum's own staff made or
-- kept), so the name is never typed twice for one meaning.
-- kind: bao_tang (the museum), phong (a department), to (a team inside
-- one). Units are closed (active = 0), never deleted once something points
-- at them.
CREATE TABLE units (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
	kind TEXT NOT NULL CHECK (kind IN ('bao_tang', 'phong', 'to')),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	short_name TEXT NOT NULL DEFAULT '' CHECK (length(CAST(short_name AS BLOB)) <= 60),
	position INTEGER NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 1000),
	entity_id INTEGER REFERENCES related_entities(id) ON DELETE SET NULL,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK ((parent_id IS NULL) = (kind = 'bao_tang')),
	CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;

-- One museum; names unique among siblings.
CREATE UNIQUE INDEX units_root ON units (kind) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX units_sibling_name ON units (ifnull(parent_id, 0), name);
CREATE INDEX units_parent ON units (parent_id, position, id);

-- Nhân sự: staff. title is the academic or professional title written
-- before the name ("ThS.", "CN."), position the post ("Trưởng phòng",
-- "Phó Giám đốc"). user_id: the back-office account of this person, at
-- most one person per account.
CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	title TEXT NOT NULL DEFAULT '' CHECK (length(CAST(title AS BLOB)) <= 60),
	unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
	position TEXT NOT NULL DEFAULT '' CHECK (length(CAST(position AS BLOB)) <= 200),
	user_id INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX people_unit ON people (unit_id, name, id);
CREATE INDEX people_name ON people (name, id);

-- Kế hoạch: one plan per year for the whole museum (unit_id NULL) and at
-- most one per unit and year.
CREATE TABLE plans (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	unit_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
	title TEXT NOT NULL DEFAULT '' CHECK (length(CAST(title AS BLOB)) <= 300),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 5000),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE UNIQUE INDEX plans_year_unit ON plans (year, ifnull(unit_id, 0));

-- Chỉ tiêu. measure is the unit of measure as written ("hiện vật",
-- "cuộc", "lượt khách"). source says where the actual comes from:
--   checkin                 dated check-ins (plan_checkins)
--   objects_accessioned     objects of acquisitions dated in the period
--   exhibitions_opened      exhibitions whose opening day is in the period
--   publications_published  publications of the year (by year only)
--   exhibition_visitors     the sum of dated visitor entries
--   articles_published      portal articles published in the period
-- The computed ones are read live by model/plan.c; none stores a number.
CREATE TABLE plan_indicators (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	position INTEGER NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 1000),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 300),
	measure TEXT NOT NULL CHECK (length(CAST(measure AS BLOB)) BETWEEN 1 AND 60),
	target INTEGER NOT NULL CHECK (target BETWEEN 1 AND 1000000000),
	source TEXT NOT NULL CHECK (source IN ('checkin', 'objects_accessioned',
		'exhibitions_opened', 'publications_published', 'exhibition_visitors',
		'articles_published')),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX plan_indicators_plan ON plan_indicators (plan_id, position, id);

-- The split of a target: period 1..4 the quarters, 5..16 the months
-- (5 = January). A split is all four quarters or all twelve months or
-- none; model/plan.c refuses one that does not add up to the target.
CREATE TABLE plan_slices (
	indicator_id INTEGER NOT NULL REFERENCES plan_indicators(id) ON DELETE CASCADE,
	period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 16),
	target INTEGER NOT NULL CHECK (target BETWEEN 0 AND 1000000000),
	PRIMARY KEY (indicator_id, period)
) STRICT, WITHOUT ROWID;

-- Kết quả: dated check-ins of a checkin indicator, with an optional
-- evidence file from the media library. Computed indicators take none
-- (the model refuses; the trigger stands behind it).
CREATE TABLE plan_checkins (
	id INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES plan_indicators(id) ON DELETE CASCADE,
	done_on TEXT NOT NULL CHECK (date(done_on) IS done_on),
	value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 1000000000),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	media_id INTEGER REFERENCES media(id) ON DELETE RESTRICT,
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX plan_checkins_indicator ON plan_checkins (indicator_id, done_on, id);
CREATE INDEX plan_checkins_media ON plan_checkins (media_id) WHERE media_id IS NOT NULL;

CREATE TRIGGER plan_checkins_computed BEFORE INSERT ON plan_checkins
WHEN (SELECT source FROM plan_indicators WHERE id = NEW.indicator_id) <> 'checkin'
BEGIN
	SELECT RAISE(ABORT, 'computed indicator');
END;

-- The figures the actuals are read from, by day.
CREATE INDEX exhibition_visits_day ON exhibition_visits (counted_on);
