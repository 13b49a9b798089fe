-- 017_register_search.sql - the register's search index at a million
-- objects (issue 12; figures in bench/README.md).
--
-- 1. The list's filters inside the search index. A search with a filter
--    ("mu coi" in the main collection) walked every object holding the
--    words, newest first, and read each one's row to test the filter:
--    ~25,000 rows for "mũ cối" at 1,000,000 objects, 158 ms at p95. The
--    index now also holds, in a seventh column `facets`, one token per
--    filter value of the object: status, material, acquisition and place.
--    The list asks FTS5 for the words AND the filter's
--    tokens, so FTS5 intersects the doclists itself (skipping through the
--    longer one) and only matching rows are read. The tokens (see
--    object_facet_tokens in src/model/object.c, which writes the query's):
--      zs + hex of the status     zm + hex of the material code
--      za + acquisition id        zl + location id (when placed)
--    The user's words are matched in the six text columns only, so typing
--    a token finds nothing it should not. The public flag is left out: it
--    is set by hand in tools and tests (UPDATE objects SET public = 1),
--    where a trigger writing the index would need Sen's tokenizer; the
--    list tests it on each row of the words' objects as before.
--
-- 2. A hold on the index triggers for bulk writers. Inside one write
--    transaction, each statement that changed object_fts made FTS5 flush
--    its pending terms to a new segment (SQLite opens a statement
--    savepoint for every INSERT or UPDATE with triggers, and FTS5 flushes
--    at each savepoint): an import of 100,000 rows spent two thirds of its
--    CPU writing and merging one-row segments. A writer that inserts a row
--    into object_fts_hold inside its transaction turns the triggers below
--    off for that transaction, indexes the objects it wrote with one
--    INSERT ... SELECT before it commits, and deletes the row again. Other
--    connections never see the row (it is never committed: a crash rolls
--    it back with the rest).
DROP TRIGGER object_fts_insert;
DROP TRIGGER object_fts_update;
DROP TRIGGER object_fts_donor;
-- (object_fts_delete stays: it names the table, which comes back.)
DROP TABLE object_fts;

CREATE VIRTUAL TABLE object_fts USING fts5(
	numbers, name, donor, material, place, description, facets,
	tokenize = 'sen_vn'
);

CREATE TABLE object_fts_hold (
	id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

-- A whole row of object_fts: the six texts of 009's view and the facets.
CREATE VIEW object_fts_rows AS
SELECT v.*, 'zs' || lower(hex(o.status)) || ' zm' || lower(hex(o.material_code))
		|| ' za' || o.acquisition_id || ifnull(' zl' || o.location_id, '') AS facets
FROM object_fts_docs v JOIN objects o ON o.id = v.id;

CREATE TRIGGER object_fts_insert AFTER INSERT ON objects
WHEN NOT EXISTS (SELECT 1 FROM object_fts_hold)
BEGIN
	INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description, facets)
	SELECT * FROM object_fts_rows WHERE id = NEW.id;
END;

CREATE TRIGGER object_fts_update AFTER UPDATE OF intake_no, reg_number, name, other_names,
	material_code, material_note, origin_place, description, location_id, acquisition_id,
	status ON objects
WHEN NOT EXISTS (SELECT 1 FROM object_fts_hold)
BEGIN
	DELETE FROM object_fts WHERE rowid = OLD.id;
	INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description, facets)
	SELECT * FROM object_fts_rows WHERE id = NEW.id;
END;

CREATE TRIGGER object_fts_donor AFTER UPDATE OF name ON donors
WHEN NOT EXISTS (SELECT 1 FROM object_fts_hold)
BEGIN
	DELETE FROM object_fts WHERE rowid IN (SELECT o.id FROM objects o
		JOIN acquisitions a ON a.id = o.acquisition_id WHERE a.donor_id = NEW.id);
	INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description, facets)
	SELECT * FROM object_fts_rows WHERE id IN (SELECT o.id FROM objects o
		JOIN acquisitions a ON a.id = o.acquisition_id WHERE a.donor_id = NEW.id);
END;

INSERT INTO object_fts (rowid, numbers, name, donor, material, place, description, facets)
SELECT * FROM object_fts_rows;
