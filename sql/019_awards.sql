-- migrate: foreign_keys off
-- 019_awards.sql - emulation and commendation ("thi đua, khen thưởng"),
-- issue 14: campaigns, the year's registrations, award decisions and their
-- recipients (the units and people of 018_plans.sql).
--
-- Follows 018: calendar days are TEXT 'YYYY-MM-DD' checked by
-- date(x) IS x, vocabularies short ASCII codes (the interface shows the
-- words from the catalog; model/award.c says which forms go to a person
-- and which to a collective).
--
-- A new role, `emulation` (cán bộ thi đua - khen thưởng: records
-- campaigns, registrations and decisions), joins the others; users is
-- rebuilt as 018 did it (foreign keys off for this file; the runner checks
-- them all before committing).
CREATE TABLE users_new (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
		CHECK (length(name) BETWEEN 3 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'
		       AND name GLOB '[a-z0-9]*'),
	display_name TEXT NOT NULL DEFAULT ''
		CHECK (length(CAST(display_name AS BLOB)) <= 200),
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'moderator', 'curator',
					   'council', 'planner', 'emulation')),
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

-- Phong trào thi đua: a campaign of a year ("Phong trào thi đua yêu nước
-- năm 2020", "Thi đua lập thành tích chào mừng 70 năm Chiến thắng Điện
-- Biên Phủ"), with optional first and last days.
CREATE TABLE award_campaigns (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 300),
	content TEXT NOT NULL DEFAULT '' CHECK (length(CAST(content AS BLOB)) <= 5000),
	starts_on TEXT CHECK (starts_on IS NULL OR date(starts_on) IS starts_on),
	ends_on TEXT CHECK (ends_on IS NULL OR date(ends_on) IS ends_on),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on)
) STRICT;

CREATE UNIQUE INDEX award_campaigns_name ON award_campaigns (year, name);

-- The forms of commendation are stored as codes; model/award.c keeps the
-- same list with who may receive each.
-- Đăng ký thi đua: a unit (the museum, a department) or a person
-- registers for a title in a year, optionally under a campaign. Once per
-- recipient, year and form.
CREATE TABLE award_registrations (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	campaign_id INTEGER REFERENCES award_campaigns(id) ON DELETE RESTRICT,
	unit_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
	person_id INTEGER REFERENCES people(id) ON DELETE RESTRICT,
	form TEXT NOT NULL CHECK (form IN ('giay_khen', 'bang_khen', 'lao_dong_tien_tien',
		'chien_si_thi_dua_co_so', 'tap_the_lao_dong_tien_tien',
		'tap_the_lao_dong_xuat_sac', 'co_thi_dua', 'chien_si_thi_dua_tinh',
		'bang_khen_thu_tuong', 'huan_chuong_lao_dong')),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK ((unit_id IS NULL) <> (person_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX award_registrations_one
	ON award_registrations (year, ifnull(unit_id, 0), ifnull(person_id, 0), form);

-- Quyết định khen thưởng. number as written ("1025/QĐ-SVHTTDL"), unique
-- for its issuing body and the year of its day; issuer the body ("Sở Văn
-- hóa, Thể thao và Du lịch tỉnh Điện Biên"), signer_title who rewards
-- ("Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên"), signer_name
-- who signed; year the period rewarded and campaign_id the campaign when
-- there is one; place the town written before the date on the
-- certificate; media_id the scanned decision in the media library.
-- A revoked decision keeps its row, with the day and the reason.
CREATE TABLE award_decisions (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL CHECK (length(CAST(number AS BLOB)) BETWEEN 1 AND 60),
	decided_on TEXT NOT NULL CHECK (date(decided_on) IS decided_on),
	issuer TEXT NOT NULL CHECK (length(CAST(issuer AS BLOB)) BETWEEN 1 AND 300),
	signer_title TEXT NOT NULL CHECK (length(CAST(signer_title AS BLOB)) BETWEEN 1 AND 300),
	signer_name TEXT NOT NULL DEFAULT '' CHECK (length(CAST(signer_name AS BLOB)) <= 200),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	campaign_id INTEGER REFERENCES award_campaigns(id) ON DELETE RESTRICT,
	form TEXT NOT NULL CHECK (form IN ('giay_khen', 'bang_khen', 'lao_dong_tien_tien',
		'chien_si_thi_dua_co_so', 'tap_the_lao_dong_tien_tien',
		'tap_the_lao_dong_xuat_sac', 'co_thi_dua', 'chien_si_thi_dua_tinh',
		'bang_khen_thu_tuong', 'huan_chuong_lao_dong')),
	achievement TEXT NOT NULL CHECK (length(CAST(achievement AS BLOB)) BETWEEN 1 AND 2000),
	place TEXT NOT NULL DEFAULT '' CHECK (length(CAST(place AS BLOB)) <= 100),
	media_id INTEGER REFERENCES media(id) ON DELETE RESTRICT,
	revoked_on TEXT CHECK (revoked_on IS NULL OR date(revoked_on) IS revoked_on),
	revoked_reason TEXT NOT NULL DEFAULT ''
		CHECK (length(CAST(revoked_reason AS BLOB)) <= 2000),
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK ((revoked_on IS NULL) = (revoked_reason = ''))
) STRICT;

CREATE UNIQUE INDEX award_decisions_number
	ON award_decisions (issuer, substr(decided_on, 1, 4), number);
CREATE INDEX award_decisions_year ON award_decisions (year, decided_on, id);
CREATE INDEX award_decisions_media ON award_decisions (media_id) WHERE media_id IS NOT NULL;

-- Who a decision rewards, in the decision's order: a unit (the museum as
-- a unit, a department as a collective) or a person.
CREATE TABLE award_recipients (
	id INTEGER PRIMARY KEY,
	decision_id INTEGER NOT NULL REFERENCES award_decisions(id) ON DELETE CASCADE,
	position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 1000),
	unit_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
	person_id INTEGER REFERENCES people(id) ON DELETE RESTRICT,
	CHECK ((unit_id IS NULL) <> (person_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX award_recipients_one
	ON award_recipients (decision_id, ifnull(unit_id, 0), ifnull(person_id, 0));
CREATE INDEX award_recipients_unit ON award_recipients (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX award_recipients_person ON award_recipients (person_id) WHERE person_id IS NOT NULL;

-- The rewards in force: every recipient of a decision not revoked, with
-- the period and form. The rule "one achievement is not rewarded twice in
-- the same form for the same period" and the histories read this one view.
CREATE VIEW award_given AS
	SELECT r.id AS recipient_id, r.decision_id, r.unit_id, r.person_id, d.form, d.year,
	       ifnull(d.campaign_id, 0) AS campaign_id, d.number, d.decided_on
	FROM award_recipients r JOIN award_decisions d ON d.id = r.decision_id
	WHERE d.revoked_on IS NULL;
