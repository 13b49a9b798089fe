-- 009_register.sql - the museum's register of artifacts and documents
-- ("sổ đăng ký hiện vật", issue 12): acquisitions and their sources, the
-- temporary intake book, the object card, the Scientific Council, registers
-- and registration numbers, the location tree, movements, inventory
-- campaigns, and the register's append-only log with its hash chain.
--
-- Follows the conventions of 001_init.sql. In addition:
--   * Calendar dates (acquired, decided, moved, checked) are TEXT
--     'YYYY-MM-DD': a museum records a day, not an instant, and a day must
--     not move when the server's time zone does. CHECK (date(x) IS x)
--     refuses anything else. Instants (created_at) stay INTEGER seconds.
--   * Vocabularies (acquisition modes, classes, decisions, reasons) are
--     short ASCII codes checked here; the interface shows the Vietnamese
--     words from the catalog (docs/REGISTER.md lists both).
--   * A registered entry is a legal record: the triggers at the end refuse
--     any UPDATE or DELETE of register_log, any change of a registration
--     number, and the deletion of a registered object. A correction is a
--     new log entry (model/registry.c).

-- Chất liệu: the controlled list whose codes appear in registration numbers
-- (KL kim loại, ĐD dệt may, G giấy, ...). code is upper-case letters,
-- Vietnamese Đ included.
CREATE TABLE materials (
	code TEXT PRIMARY KEY
		CHECK (length(CAST(code AS BLOB)) BETWEEN 1 AND 8 AND upper(code) = code),
	name TEXT NOT NULL UNIQUE CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 120),
	position INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

INSERT INTO materials (code, name, position) VALUES
	('KL', 'Kim loại và hợp kim', 1),
	('ĐD', 'Dệt may: vải, len, lụa', 2),
	('G', 'Giấy', 3),
	('PA', 'Phim, ảnh', 4),
	('ĐM', 'Gỗ', 5),
	('TN', 'Tre, nứa, mây, tre đan', 6),
	('S', 'Gốm, sành sứ, thủy tinh', 7),
	('DA', 'Da, lông thú, xương, sừng', 8),
	('HH', 'Hội họa', 9),
	('Đ', 'Đá', 10),
	('NH', 'Nhựa, cao su', 11),
	('K', 'Chất liệu khác', 12);

-- Người, tổ chức giao hiện vật: donors, sellers, units transferring objects,
-- kept once and reused by every acquisition.
CREATE TABLE donors (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation')),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	address TEXT NOT NULL DEFAULT '' CHECK (length(CAST(address AS BLOB)) <= 500),
	phone TEXT NOT NULL DEFAULT '' CHECK (length(CAST(phone AS BLOB)) <= 40),
	email TEXT NOT NULL DEFAULT '' CHECK (length(CAST(email AS BLOB)) <= 200),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX donors_name ON donors (name, id);

-- Đợt thu nhận: one acquisition covers many objects. mode: suu_tam,
-- hien_tang, mua, khai_quat, dieu_chuyen, trao_doi, thu_hoi, khac.
-- handover_* is the hand-over record ("biên bản giao nhận"); value in đồng
-- when purchased.
CREATE TABLE acquisitions (
	id INTEGER PRIMARY KEY,
	mode TEXT NOT NULL CHECK (mode IN ('suu_tam', 'hien_tang', 'mua', 'khai_quat',
					    'dieu_chuyen', 'trao_doi', 'thu_hoi', 'khac')),
	donor_id INTEGER REFERENCES donors(id) ON DELETE RESTRICT,
	acquired_on TEXT NOT NULL CHECK (date(acquired_on) IS acquired_on),
	handover_no TEXT NOT NULL DEFAULT '' CHECK (length(CAST(handover_no AS BLOB)) <= 60),
	giver TEXT NOT NULL DEFAULT '' CHECK (length(CAST(giver AS BLOB)) <= 200),
	receiver TEXT NOT NULL DEFAULT '' CHECK (length(CAST(receiver AS BLOB)) <= 200),
	value INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX acquisitions_date ON acquisitions (acquired_on, id);
CREATE INDEX acquisitions_donor ON acquisitions (donor_id) WHERE donor_id IS NOT NULL;

-- Sổ đăng ký: each register numbers its own entries without gaps.
-- pattern builds the number: {prefix} {register} {n} (or {n:W}, zero-padded
-- to W digits) and {material}; it must hold {n} and {register} so that no
-- two registers can ever write one number (model/registry.c checks it when
-- saved, the UNIQUE index on objects.reg_number stands behind it).
-- next_number only grows: a number once given is never given again.
CREATE TABLE registers (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE
		CHECK (length(CAST(code AS BLOB)) BETWEEN 1 AND 16 AND code NOT GLOB '*[ /]*'),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	collection TEXT NOT NULL CHECK (collection IN ('main', 'reference')),
	prefix TEXT NOT NULL CHECK (length(CAST(prefix AS BLOB)) BETWEEN 1 AND 32),
	pattern TEXT NOT NULL DEFAULT '{prefix}.{register}.{n:5}/{material}'
		CHECK (length(CAST(pattern AS BLOB)) BETWEEN 4 AND 100
		       AND instr(pattern, '{n') > 0 AND instr(pattern, '{register}') > 0),
	next_number INTEGER NOT NULL DEFAULT 1 CHECK (next_number >= 1),
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- Kho, phòng, giá, hộp: the storage tree. A store is main or reference
-- (store_kind); rooms, shelves and boxes inherit it from their store.
CREATE TABLE locations (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	kind TEXT NOT NULL CHECK (kind IN ('store', 'room', 'shelf', 'box', 'exhibit', 'outside')),
	code TEXT NOT NULL DEFAULT '' CHECK (length(CAST(code AS BLOB)) <= 40),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	store_kind TEXT NOT NULL DEFAULT '' CHECK (store_kind IN ('', 'main', 'reference')),
	CHECK ((parent_id IS NULL) = (kind IN ('store', 'exhibit', 'outside')))
) STRICT;

CREATE UNIQUE INDEX locations_sibling ON locations (ifnull(parent_id, 0), name);

-- Hiện vật, tài liệu: the object card ("phiếu hiện vật").
--   intake_no  the temporary number of the intake book ("sổ nhập tạm"),
--   status     intake (waiting for the council), main / reference (accepted,
--              registered), returned (given back, never registered),
--   reg_*      set once when the council accepts it, never changed after,
--   kind       hien_vat or tai_lieu (the plans count both),
--   class      '' (not classified), di_vat, co_vat, bao_vat (bảo vật quốc gia),
--   sizes      centimetres; weight in grams; NULL when not measured,
--   value      đồng, 0 when unknown,
--   location_id where it is now (kept by model/movement.c with each move),
--   log_head   the newest register_log entry this row agrees with.
CREATE TABLE objects (
	id INTEGER PRIMARY KEY,
	intake_no TEXT NOT NULL UNIQUE CHECK (length(CAST(intake_no AS BLOB)) BETWEEN 1 AND 40),
	acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id) ON DELETE RESTRICT,
	kind TEXT NOT NULL DEFAULT 'hien_vat' CHECK (kind IN ('hien_vat', 'tai_lieu')),
	status TEXT NOT NULL DEFAULT 'intake'
		CHECK (status IN ('intake', 'main', 'reference', 'returned')),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 300),
	other_names TEXT NOT NULL DEFAULT '' CHECK (length(CAST(other_names AS BLOB)) <= 500),
	register_id INTEGER REFERENCES registers(id) ON DELETE RESTRICT,
	reg_seq INTEGER CHECK (reg_seq >= 1),
	reg_number TEXT UNIQUE CHECK (length(CAST(reg_number AS BLOB)) BETWEEN 1 AND 120),
	registered_at INTEGER,
	material_code TEXT NOT NULL REFERENCES materials(code) ON DELETE RESTRICT,
	material_note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(material_note AS BLOB)) <= 300),
	technique TEXT NOT NULL DEFAULT '' CHECK (length(CAST(technique AS BLOB)) <= 300),
	length_cm REAL CHECK (length_cm > 0),
	width_cm REAL CHECK (width_cm > 0),
	height_cm REAL CHECK (height_cm > 0),
	diameter_cm REAL CHECK (diameter_cm > 0),
	weight_g REAL CHECK (weight_g > 0),
	pieces INTEGER NOT NULL DEFAULT 1 CHECK (pieces BETWEEN 1 AND 100000),
	dating TEXT NOT NULL DEFAULT '' CHECK (length(CAST(dating AS BLOB)) <= 200),
	origin_place TEXT NOT NULL DEFAULT '' CHECK (length(CAST(origin_place AS BLOB)) <= 300),
	class TEXT NOT NULL DEFAULT '' CHECK (class IN ('', 'di_vat', 'co_vat', 'bao_vat')),
	description TEXT NOT NULL DEFAULT '' CHECK (length(CAST(description AS BLOB)) <= 20000),
	value INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
	notes TEXT NOT NULL DEFAULT '' CHECK (length(CAST(notes AS BLOB)) <= 5000),
	public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	log_head INTEGER,
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK ((register_id IS NULL) = (reg_seq IS NULL)
	       AND (register_id IS NULL) = (reg_number IS NULL)
	       AND (register_id IS NULL) = (status NOT IN ('main', 'reference')))
) STRICT;

-- A register's numbers are unique and, by model/registry.c, gapless.
CREATE UNIQUE INDEX objects_register_seq ON objects (register_id, reg_seq)
	WHERE register_id IS NOT NULL;
-- Lists with keyset pagination: newest first, by status, by acquisition,
-- by material, by location, the public collection.
CREATE INDEX objects_status ON objects (status, id);
CREATE INDEX objects_acquisition ON objects (acquisition_id, id);
CREATE INDEX objects_material ON objects (material_code, id);
CREATE INDEX objects_location ON objects (location_id, id) WHERE location_id IS NOT NULL;
CREATE INDEX objects_public ON objects (public, id) WHERE public = 1;

-- Tình trạng bảo quản, dated checks (the newest is the current state).
CREATE TABLE object_conditions (
	id INTEGER PRIMARY KEY,
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
	checked_on TEXT NOT NULL CHECK (date(checked_on) IS checked_on),
	state TEXT NOT NULL CHECK (state IN ('tot', 'kha', 'kem', 'hong')),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	checked_by TEXT NOT NULL DEFAULT '' CHECK (length(CAST(checked_by AS BLOB)) <= 200)
) STRICT;

CREATE INDEX object_conditions_object ON object_conditions (object_id, checked_on DESC, id DESC);

-- Ảnh: pictures from the media library, ordered; at most one lead.
CREATE TABLE object_media (
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
	position INTEGER NOT NULL CHECK (position >= 0),
	media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE RESTRICT,
	lead INTEGER NOT NULL DEFAULT 0 CHECK (lead IN (0, 1)),
	caption TEXT NOT NULL DEFAULT '' CHECK (length(CAST(caption AS BLOB)) <= 500),
	PRIMARY KEY (object_id, position)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX object_media_lead ON object_media (object_id) WHERE lead = 1;
CREATE UNIQUE INDEX object_media_once ON object_media (object_id, media_id);
CREATE INDEX object_media_media ON object_media (media_id);

-- Related people, units and events ("Đại đoàn 308", "Chiến dịch Điện Biên
-- Phủ 1954"), named once and linked to many objects.
CREATE TABLE related_entities (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('person', 'unit', 'event', 'place')),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	UNIQUE (kind, name)
) STRICT;

CREATE TABLE object_related (
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
	entity_id INTEGER NOT NULL REFERENCES related_entities(id) ON DELETE RESTRICT,
	PRIMARY KEY (object_id, entity_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX object_related_entity ON object_related (entity_id, object_id);

-- Hội đồng khoa học: sessions, and per object one decision in a session.
-- decision: main (sưu tập chính), reference (sưu tập tham khảo), returned.
CREATE TABLE council_sessions (
	id INTEGER PRIMARY KEY,
	held_on TEXT NOT NULL CHECK (date(held_on) IS held_on),
	members TEXT NOT NULL DEFAULT '' CHECK (length(CAST(members AS BLOB)) <= 2000),
	minutes TEXT NOT NULL DEFAULT '' CHECK (length(CAST(minutes AS BLOB)) <= 100000),
	minutes_media_id INTEGER REFERENCES media(id) ON DELETE RESTRICT,
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE council_decisions (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES council_sessions(id) ON DELETE RESTRICT,
	object_id INTEGER NOT NULL UNIQUE REFERENCES objects(id) ON DELETE RESTRICT,
	decision TEXT NOT NULL CHECK (decision IN ('main', 'reference', 'returned')),
	register_id INTEGER REFERENCES registers(id) ON DELETE RESTRICT,
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	decided_by TEXT NOT NULL DEFAULT '' CHECK (length(CAST(decided_by AS BLOB)) <= 200),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK ((decision = 'returned') = (register_id IS NULL))
) STRICT;

CREATE INDEX council_decisions_session ON council_decisions (session_id, id);

-- Di chuyển: every move of an object. reason: trung_bay, bao_quan, kiem_ke,
-- cho_muon, tra_ve, nhap_kho, khac. from_location_id is NULL for the first
-- placement.
CREATE TABLE movements (
	id INTEGER PRIMARY KEY,
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE RESTRICT,
	moved_on TEXT NOT NULL CHECK (date(moved_on) IS moved_on),
	from_location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	to_location_id INTEGER NOT NULL REFERENCES locations(id) ON DELETE RESTRICT,
	who TEXT NOT NULL CHECK (length(CAST(who AS BLOB)) BETWEEN 1 AND 200),
	reason TEXT NOT NULL CHECK (reason IN ('trung_bay', 'bao_quan', 'kiem_ke', 'cho_muon',
					       'tra_ve', 'nhap_kho', 'khac')),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX movements_object ON movements (object_id, moved_on DESC, id DESC);
CREATE INDEX movements_to ON movements (to_location_id, id);

-- Kiểm kê: a campaign walks a subtree of locations (root_location_id, NULL
-- = everything) and records one finding per object: found, missing,
-- damaged, misplaced (seen_location_id where it was actually found).
CREATE TABLE inventory_campaigns (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
	root_location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	started_on TEXT NOT NULL CHECK (date(started_on) IS started_on),
	closed_on TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000)
) STRICT;

CREATE TABLE inventory_findings (
	campaign_id INTEGER NOT NULL REFERENCES inventory_campaigns(id) ON DELETE CASCADE,
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE RESTRICT,
	state TEXT NOT NULL CHECK (state IN ('found', 'missing', 'damaged', 'misplaced')),
	seen_location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 2000),
	checked_by TEXT NOT NULL DEFAULT '' CHECK (length(CAST(checked_by AS BLOB)) <= 200),
	checked_at INTEGER NOT NULL DEFAULT (unixepoch()),
	PRIMARY KEY (campaign_id, object_id)
) STRICT, WITHOUT ROWID;

-- The register's log: the legal record. One 'register' entry when an
-- object receives its number, then 'correct' entries (corrects = the entry
-- corrected, why = the reason). payload is the entry's content as canonical
-- JSON (model/registry.c). hash = SHA-256 over the previous entry's hash and
-- this entry's fields, so changing, removing or reordering any entry breaks
-- every hash after it (`sen register verify`).
CREATE TABLE register_log (
	id INTEGER PRIMARY KEY,
	register_id INTEGER NOT NULL REFERENCES registers(id) ON DELETE RESTRICT,
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE RESTRICT,
	kind TEXT NOT NULL CHECK (kind IN ('register', 'correct')),
	corrects INTEGER REFERENCES register_log(id) ON DELETE RESTRICT,
	reg_number TEXT NOT NULL CHECK (length(CAST(reg_number AS BLOB)) BETWEEN 1 AND 120),
	payload TEXT NOT NULL CHECK (length(CAST(payload AS BLOB)) BETWEEN 2 AND 65536),
	who TEXT NOT NULL CHECK (length(CAST(who AS BLOB)) BETWEEN 1 AND 200),
	at INTEGER NOT NULL,
	why TEXT NOT NULL DEFAULT '' CHECK (length(CAST(why AS BLOB)) <= 2000),
	prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64 AND prev_hash NOT GLOB '*[^0-9a-f]*'),
	hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
	CHECK ((kind = 'correct') = (corrects IS NOT NULL AND why <> ''))
) STRICT;

CREATE INDEX register_log_object ON register_log (object_id, id);

CREATE TRIGGER register_log_no_update BEFORE UPDATE ON register_log
BEGIN
	SELECT RAISE(ABORT, 'register_log is append-only');
END;

CREATE TRIGGER register_log_no_delete BEFORE DELETE ON register_log
BEGIN
	SELECT RAISE(ABORT, 'register_log is append-only');
END;

-- A registration number, once given, is never changed or taken back.
CREATE TRIGGER objects_number_fixed BEFORE UPDATE OF register_id, reg_seq, reg_number ON objects
WHEN OLD.reg_number IS NOT NULL AND (NEW.reg_number IS NOT OLD.reg_number
	OR NEW.register_id IS NOT OLD.register_id OR NEW.reg_seq IS NOT OLD.reg_seq)
BEGIN
	SELECT RAISE(ABORT, 'a registration number never changes');
END;

CREATE TRIGGER objects_registered_kept BEFORE DELETE ON objects
WHEN OLD.reg_number IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a registered object is never deleted');
END;

-- The fields a register entry records change on a registered object only
-- together with a new log entry for it (log_head moves to that entry).
CREATE TRIGGER objects_registered_corrected BEFORE UPDATE OF name, other_names, kind,
	material_code, material_note, technique, length_cm, width_cm, height_cm, diameter_cm,
	weight_g, pieces, dating, origin_place, class, description, acquisition_id ON objects
WHEN OLD.reg_number IS NOT NULL
	AND (NEW.name IS NOT OLD.name OR NEW.other_names IS NOT OLD.other_names
	     OR NEW.kind IS NOT OLD.kind OR NEW.material_code IS NOT OLD.material_code
	     OR NEW.material_note IS NOT OLD.material_note OR NEW.technique IS NOT OLD.technique
	     OR NEW.length_cm IS NOT OLD.length_cm OR NEW.width_cm IS NOT OLD.width_cm
	     OR NEW.height_cm IS NOT OLD.height_cm OR NEW.diameter_cm IS NOT OLD.diameter_cm
	     OR NEW.weight_g IS NOT OLD.weight_g OR NEW.pieces IS NOT OLD.pieces
	     OR NEW.dating IS NOT OLD.dating OR NEW.origin_place IS NOT OLD.origin_place
	     OR NEW.class IS NOT OLD.class OR NEW.description IS NOT OLD.description
	     OR NEW.acquisition_id IS NOT OLD.acquisition_id)
	AND (NEW.log_head IS OLD.log_head
	     OR NEW.log_head IS NOT (SELECT max(l.id) FROM register_log l WHERE l.object_id = NEW.id))
BEGIN
	SELECT RAISE(ABORT, 'a registered entry is corrected by a new log entry');
END;

CREATE TRIGGER registers_number_grows BEFORE UPDATE OF next_number ON registers
WHEN NEW.next_number < OLD.next_number
BEGIN
	SELECT RAISE(ABORT, 'a register never reuses a number');
END;

CREATE TRIGGER registers_kept BEFORE DELETE ON registers
WHEN OLD.next_number > 1
BEGIN
	SELECT RAISE(ABORT, 'a register that gave numbers is never deleted');
END;

-- Search: numbers, names, donor, material, place and description, folded
-- by the Vietnamese tokenizer ("mu coi" finds "Mũ cối"). A contentful index
-- (the donor's and material's names are copied in), kept by the triggers
-- below; text is escaped like HTML because sen_vn reads documents as HTML.
CREATE VIRTUAL TABLE object_fts USING fts5(
	numbers, name, donor, material, place, description,
	tokenize = 'sen_vn'
);

CREATE VIEW object_fts_docs AS
SELECT o.id AS id,
	replace(replace(replace(o.intake_no || ' ' || ifnull(o.reg_number, ''),
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS numbers,
	replace(replace(replace(o.name || ' ' || o.other_names,
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS name,
	replace(replace(replace(ifnull(d.name, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS donor,
	replace(replace(replace(m.name || ' ' || o.material_note,
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS material,
	replace(replace(replace(o.origin_place || ' ' || ifnull(l.name, ''),
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS place,
	replace(replace(replace(o.description, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS description
FROM objects o
JOIN acquisitions a ON a.id = o.acquisition_id
LEFT JOIN donors d ON d.id = a.donor_id
JOIN materials m ON m.code = o.material_code
LEFT JOIN locations l ON l.id = o.location_id;

CREATE TRIGGER object_fts_insert AFTER INSERT ON objects
BEGIN
	INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description)
	SELECT id, numbers, name, donor, material, place, description
	FROM object_fts_docs WHERE id = NEW.id;
END;

CREATE TRIGGER object_fts_update AFTER UPDATE OF intake_no, reg_number, name, other_names,
	material_code, material_note, origin_place, description, location_id, acquisition_id
	ON objects
BEGIN
	DELETE FROM object_fts WHERE rowid = OLD.id;
	INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description)
	SELECT id, numbers, name, donor, material, place, description
	FROM object_fts_docs WHERE id = NEW.id;
END;

CREATE TRIGGER object_fts_delete AFTER DELETE ON objects
BEGIN
	DELETE FROM object_fts WHERE rowid = OLD.id;
END;

CREATE TRIGGER object_fts_donor AFTER UPDATE OF name ON donors
BEGIN
	DELETE FROM object_fts WHERE rowid IN (SELECT o.id FROM objects o
		JOIN acquisitions a ON a.id = o.acquisition_id WHERE a.donor_id = NEW.id);
	INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description)
	SELECT v.id, v.numbers, v.name, v.donor, v.material, v.place, v.description
	FROM object_fts_docs v JOIN objects o ON o.id = v.id
	JOIN acquisitions a ON a.id = o.acquisition_id WHERE a.donor_id = NEW.id;
END;
