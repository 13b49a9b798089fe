-- 013_oai.sql - what OAI-PMH (issue 13, /oai) needs to answer harvesters:
-- one row per object that has ever been in the online collection, with the
-- datestamp of the last change of its public record and whether it is
-- still public.
--
-- An aggregator harvests incrementally ("everything changed since my last
-- visit") and must learn of withdrawals too (deletedRecord "persistent"):
-- an object whose public flag is cleared, or that leaves the registered
-- collection, keeps its row with deleted = 1 for ever. The triggers below
-- keep the rows in the same transaction as the change of the card, whatever
-- path changed it (the card's edit page, a correction, the council, an
-- import, a tool), so no model can forget to.
--
-- The public record is the card's public fields (docs/OAI.md lists them
-- with their Dublin Core elements) and the related people, units, events
-- and places; value, notes, storage and donor are never in it, so changing
-- them does not move the datestamp.

-- The rule of the online collection, named once: registered (main or
-- reference collection) and marked public.
CREATE VIEW objects_shown AS
SELECT id, class FROM objects WHERE public = 1 AND status IN ('main', 'reference');

-- datestamp: Unix seconds (UTC) of the last change of the public record;
-- class: the object's class when last shown, its set ("class:di_vat"),
-- kept on a deleted record so that a harvester of one set hears of it.
CREATE TABLE oai_records (
	object_id INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
	datestamp INTEGER NOT NULL CHECK (datestamp >= 0),
	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
	class TEXT NOT NULL DEFAULT '' CHECK (class IN ('', 'di_vat', 'co_vat', 'bao_vat'))
) STRICT;

-- Lists walk (datestamp, object_id) in order, with or without a set, and
-- count what is left; both indexes cover those queries.
CREATE INDEX oai_records_datestamp ON oai_records (datestamp, object_id, deleted);
CREATE INDEX oai_records_class ON oai_records (class, datestamp, object_id, deleted);

INSERT INTO oai_records (object_id, datestamp, deleted, class)
SELECT o.id, max(o.updated_at, ifnull(o.registered_at, 0)), 0, o.class
FROM objects_shown s JOIN objects o ON o.id = s.id;

-- Each test below looks up one row by key (EXISTS with the id): a trigger
-- runs once per changed row, and "id IN (SELECT ...)" would read the whole
-- collection each time, so an import or the council's bulk acceptance
-- would slow down with the size of the collection.
CREATE TRIGGER oai_object_insert AFTER INSERT ON objects
WHEN EXISTS (SELECT 1 FROM objects_shown WHERE id = NEW.id)
BEGIN
	INSERT INTO oai_records (object_id, datestamp, deleted, class)
	VALUES (NEW.id, unixepoch(), 0, NEW.class);
END;

-- Shown before is what the row says (deleted = 0); shown now is the view.
-- A change of shown-ness always moves the datestamp; a change of a public
-- field moves it only while the object is shown.
CREATE TRIGGER oai_object_update AFTER UPDATE OF status, public, name, other_names, kind,
	reg_number, material_code, material_note, technique, length_cm, width_cm, height_cm,
	diameter_cm, weight_g, pieces, dating, origin_place, class, description ON objects
WHEN EXISTS (SELECT 1 FROM objects_shown WHERE id = NEW.id)
	IS NOT EXISTS (SELECT 1 FROM oai_records WHERE object_id = NEW.id AND deleted = 0)
	OR (EXISTS (SELECT 1 FROM objects_shown WHERE id = NEW.id)
	    AND (NEW.name IS NOT OLD.name OR NEW.other_names IS NOT OLD.other_names
		 OR NEW.kind IS NOT OLD.kind OR NEW.reg_number IS NOT OLD.reg_number
		 OR NEW.status IS NOT OLD.status
		 OR NEW.material_code IS NOT OLD.material_code
		 OR NEW.material_note IS NOT OLD.material_note
		 OR NEW.technique IS NOT OLD.technique OR NEW.length_cm IS NOT OLD.length_cm
		 OR NEW.width_cm IS NOT OLD.width_cm OR NEW.height_cm IS NOT OLD.height_cm
		 OR NEW.diameter_cm IS NOT OLD.diameter_cm OR NEW.weight_g IS NOT OLD.weight_g
		 OR NEW.pieces IS NOT OLD.pieces OR NEW.dating IS NOT OLD.dating
		 OR NEW.origin_place IS NOT OLD.origin_place OR NEW.class IS NOT OLD.class
		 OR NEW.description IS NOT OLD.description))
BEGIN
	INSERT INTO oai_records (object_id, datestamp, deleted, class)
	VALUES (NEW.id, unixepoch(), NOT EXISTS (SELECT 1 FROM objects_shown WHERE id = NEW.id),
		NEW.class)
	ON CONFLICT (object_id) DO UPDATE SET datestamp = excluded.datestamp,
		deleted = excluded.deleted, class = excluded.class;
END;

-- Related people, units, events and places are part of the record
-- (dc:creator, dc:subject, dc:coverage).
CREATE TRIGGER oai_related_insert AFTER INSERT ON object_related
BEGIN
	UPDATE oai_records SET datestamp = unixepoch()
	WHERE object_id = NEW.object_id AND deleted = 0;
END;

CREATE TRIGGER oai_related_delete AFTER DELETE ON object_related
BEGIN
	UPDATE oai_records SET datestamp = unixepoch()
	WHERE object_id = OLD.object_id AND deleted = 0;
END;

-- Sets by exhibition (012): a public exhibition is a set ("exhibition:ID")
-- of the shown objects in it. Joining or leaving one, or the exhibition
-- being published or withdrawn, changes the record's setSpecs, so its
-- datestamp moves, as the protocol asks for a change of set membership.
CREATE TRIGGER oai_exhibition_object_insert AFTER INSERT ON exhibition_objects
WHEN (SELECT public FROM exhibitions WHERE id = NEW.exhibition_id) = 1
BEGIN
	UPDATE oai_records SET datestamp = unixepoch()
	WHERE object_id = NEW.object_id AND deleted = 0;
END;

CREATE TRIGGER oai_exhibition_object_delete AFTER DELETE ON exhibition_objects
WHEN (SELECT public FROM exhibitions WHERE id = OLD.exhibition_id) = 1
BEGIN
	UPDATE oai_records SET datestamp = unixepoch()
	WHERE object_id = OLD.object_id AND deleted = 0;
END;

CREATE TRIGGER oai_exhibition_public AFTER UPDATE OF public ON exhibitions
WHEN NEW.public IS NOT OLD.public
BEGIN
	UPDATE oai_records SET datestamp = unixepoch()
	WHERE deleted = 0
	  AND object_id IN (SELECT object_id FROM exhibition_objects WHERE exhibition_id = NEW.id);
END;
