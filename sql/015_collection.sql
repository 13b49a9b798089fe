-- 015_collection.sql - the online collection ("Hiện vật trực tuyến", issue
-- 13): the register's public objects as a narrow table the public pages
-- count and page through, and a search index of what a visitor may search.
--
-- Why a table of its own: the objects table is wide (a description may hold
-- 20 KB), and the facet counts of /hien-vat read every public object once
-- per facet. At 1,000,000 objects with 100,000 public, reading those rows
-- from objects costs far more than the 50 ms a page may take
-- (bench/README.md); here each facet is a column of a narrow row and has
-- its own (value, object_id) index.
--
-- Words are looked up in the register's index, object_fts, but only in
-- its numbers, name, material and description columns (model/collection.c
-- puts the column filter in front of every expression): its donor and
-- place columns hold the donor's name and the storage location's name,
-- which a visitor must not be able to probe ("which objects are in Hộp 1?").
--
-- Who is in it: the objects of objects_shown (registered, marked public).
-- The triggers below keep it whatever writes the card (the back office,
-- `sen objects import`, the demo): the row is rebuilt when the card's
-- public flag, status or a field it copies changes, and the acquisition's
-- mode follows its acquisition.

CREATE TABLE collection_items (
	object_id INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
	class TEXT NOT NULL,
	material_code TEXT NOT NULL,
	dating TEXT NOT NULL,
	mode TEXT NOT NULL,
	origin_place TEXT NOT NULL
) STRICT;

CREATE INDEX collection_items_class ON collection_items (class, object_id);
CREATE INDEX collection_items_material ON collection_items (material_code, object_id);
CREATE INDEX collection_items_dating ON collection_items (dating, object_id);
CREATE INDEX collection_items_mode ON collection_items (mode, object_id);
CREATE INDEX collection_items_origin ON collection_items (origin_place, object_id);

-- What a row holds, for the objects the online collection shows (the rule
-- is objects_shown, sql/013_oai.sql: registered and marked public); the
-- triggers and the first fill below all read it.
CREATE VIEW collection_rows AS
SELECT o.id AS object_id, o.class AS class, o.material_code AS material_code,
	o.dating AS dating, a.mode AS mode, o.origin_place AS origin_place
FROM objects_shown s JOIN objects o ON o.id = s.id JOIN acquisitions a ON a.id = o.acquisition_id;

CREATE TRIGGER collection_object_insert AFTER INSERT ON objects
WHEN NEW.public = 1
BEGIN
	INSERT INTO collection_items SELECT * FROM collection_rows WHERE object_id = NEW.id;
END;

CREATE TRIGGER collection_object_update AFTER UPDATE OF public, status, material_code, dating,
	origin_place, class, acquisition_id ON objects
WHEN OLD.public = 1 OR NEW.public = 1
BEGIN
	DELETE FROM collection_items WHERE object_id = OLD.id;
	INSERT INTO collection_items SELECT * FROM collection_rows WHERE object_id = NEW.id;
END;

CREATE TRIGGER collection_object_delete AFTER DELETE ON objects
BEGIN
	DELETE FROM collection_items WHERE object_id = OLD.id;
END;

CREATE TRIGGER collection_acquisition_mode AFTER UPDATE OF mode ON acquisitions
BEGIN
	UPDATE collection_items SET mode = NEW.mode
	WHERE object_id IN (SELECT id FROM objects WHERE acquisition_id = NEW.id);
END;

INSERT INTO collection_items SELECT * FROM collection_rows;
