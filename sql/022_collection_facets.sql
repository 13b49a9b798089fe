-- 022_collection_facets.sql - the online collection's facet counts and
-- words at 1,000,000 objects (issue 13; figures in bench/README.md).
--
-- 1. Counts kept by triggers. /hien-vat shows six facets' counts on every
--    page; counting them over collection_items (015) read every public
--    object six times. Here:
--      collection_facet_totals  (facet, value) -> objects of the collection
--                               with that value: the first page's counts,
--                               and a facet's own counts under one filter;
--      collection_facet_pairs   (facet, value, other, other_value) -> objects
--                               with both values, for the five column facets
--                               (class, material, dating, mode, origin):
--                               every facet under one filter, and the count
--                               under two.
--    The facet names are those of model/collection.c (collection_facet_names);
--    an exhibition's value is its id as text, counted only while the
--    exhibition is public. A row whose count fell to 0 stays (readers skip
--    n = 0).
--
-- 2. A word index of the collection only. A word search looked the words up
--    in object_fts (the whole register: ten times the public objects at the
--    issue's sizes) and kept the public ones. collection_fts holds the
--    visitor's columns (numbers, name, material, description: never the
--    donor or the storage place) of the objects in collection_items, under
--    the same names, so the same column filter works on both.
--
-- The triggers follow collection_items, which 015 keeps from the card
-- (public flag, status, material, dating, origin, class, acquisition), and
-- exhibition_objects and the exhibitions' public flag. collection_items is
-- only ever inserted into and deleted from (the acquisition mode's trigger
-- of 015 is replaced below), so two triggers per table suffice.

DROP TRIGGER collection_acquisition_mode;
CREATE TRIGGER collection_acquisition_mode AFTER UPDATE OF mode ON acquisitions
WHEN NEW.mode IS NOT OLD.mode
BEGIN
	DELETE FROM collection_items
	WHERE object_id IN (SELECT id FROM objects WHERE acquisition_id = NEW.id);
	INSERT INTO collection_items SELECT * FROM collection_rows
	WHERE object_id IN (SELECT id FROM objects WHERE acquisition_id = NEW.id);
END;

CREATE TABLE collection_facet_totals (
	facet TEXT NOT NULL,
	value TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (facet, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE collection_facet_pairs (
	facet TEXT NOT NULL,
	value TEXT NOT NULL,
	other TEXT NOT NULL,
	other_value TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (facet, value, other, other_value)
) STRICT, WITHOUT ROWID;

-- A row's five column facets, one row each (for the first fill and tests).
CREATE VIEW collection_item_facets AS
SELECT object_id, 'class' AS facet, class AS value FROM collection_items
UNION ALL SELECT object_id, 'material', material_code FROM collection_items
UNION ALL SELECT object_id, 'dating', dating FROM collection_items
UNION ALL SELECT object_id, 'mode', mode FROM collection_items
UNION ALL SELECT object_id, 'origin', origin_place FROM collection_items;

-- The public exhibitions' memberships of the collection's objects.
CREATE VIEW collection_exhibition_members AS
SELECT eo.object_id AS object_id, CAST(eo.exhibition_id AS TEXT) AS value
FROM exhibition_objects eo JOIN exhibitions e ON e.id = eo.exhibition_id AND e.public = 1
JOIN collection_items c ON c.object_id = eo.object_id;

CREATE VIRTUAL TABLE collection_fts USING fts5(
	numbers, name, material, description,
	tokenize = 'sen_vn'
);

-- Counts and words of one row in (+1) or out (-1): the same statements,
-- with ?sign spelled out per trigger.
CREATE TRIGGER collection_facets_insert AFTER INSERT ON collection_items
BEGIN
	INSERT INTO collection_facet_totals (facet, value, n) VALUES ('class', NEW.class, 1),
		('material', NEW.material_code, 1), ('dating', NEW.dating, 1), ('mode', NEW.mode, 1),
		('origin', NEW.origin_place, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO collection_facet_totals (facet, value, n)
	SELECT 'exhibition', value, 1 FROM collection_exhibition_members WHERE object_id = NEW.object_id
	ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO collection_facet_pairs (facet, value, other, other_value, n)
	SELECT a.f, a.v, b.f, b.v, 1
	FROM (SELECT 'class' AS f, NEW.class AS v UNION ALL SELECT 'material', NEW.material_code
		UNION ALL SELECT 'dating', NEW.dating UNION ALL SELECT 'mode', NEW.mode
		UNION ALL SELECT 'origin', NEW.origin_place) a
	JOIN (SELECT 'class' AS f, NEW.class AS v UNION ALL SELECT 'material', NEW.material_code
		UNION ALL SELECT 'dating', NEW.dating UNION ALL SELECT 'mode', NEW.mode
		UNION ALL SELECT 'origin', NEW.origin_place) b ON b.f <> a.f
	WHERE true ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO collection_fts (rowid, numbers, name, material, description)
	SELECT id, numbers, name, material, description FROM object_fts_docs WHERE id = NEW.object_id;
END;

CREATE TRIGGER collection_facets_delete BEFORE DELETE ON collection_items
BEGIN
	UPDATE collection_facet_totals SET n = n - 1
	WHERE (facet, value) IN (VALUES ('class', OLD.class), ('material', OLD.material_code),
		('dating', OLD.dating), ('mode', OLD.mode), ('origin', OLD.origin_place));
	UPDATE collection_facet_totals SET n = n - 1 WHERE facet = 'exhibition'
	  AND value IN (SELECT value FROM collection_exhibition_members WHERE object_id = OLD.object_id);
	UPDATE collection_facet_pairs SET n = n - 1
	WHERE (facet, value) IN (VALUES ('class', OLD.class), ('material', OLD.material_code),
		('dating', OLD.dating), ('mode', OLD.mode), ('origin', OLD.origin_place))
	  AND (other, other_value) IN (VALUES ('class', OLD.class), ('material', OLD.material_code),
		('dating', OLD.dating), ('mode', OLD.mode), ('origin', OLD.origin_place))
	  AND other <> facet;
	DELETE FROM collection_fts WHERE rowid = OLD.object_id;
END;

-- A shown object joins or leaves a public exhibition.
CREATE TRIGGER collection_exhibition_join AFTER INSERT ON exhibition_objects
WHEN EXISTS (SELECT 1 FROM collection_items WHERE object_id = NEW.object_id)
	AND (SELECT public FROM exhibitions WHERE id = NEW.exhibition_id) = 1
BEGIN
	INSERT INTO collection_facet_totals (facet, value, n)
	VALUES ('exhibition', CAST(NEW.exhibition_id AS TEXT), 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER collection_exhibition_leave AFTER DELETE ON exhibition_objects
WHEN EXISTS (SELECT 1 FROM collection_items WHERE object_id = OLD.object_id)
	AND (SELECT public FROM exhibitions WHERE id = OLD.exhibition_id) = 1
BEGIN
	UPDATE collection_facet_totals SET n = n - 1
	WHERE facet = 'exhibition' AND value = CAST(OLD.exhibition_id AS TEXT);
END;

-- An exhibition published or withdrawn: its count is recounted.
CREATE TRIGGER collection_exhibition_public AFTER UPDATE OF public ON exhibitions
WHEN NEW.public IS NOT OLD.public
BEGIN
	INSERT INTO collection_facet_totals (facet, value, n)
	SELECT 'exhibition', CAST(NEW.id AS TEXT), CASE WHEN NEW.public = 1 THEN count(*) ELSE 0 END
	FROM exhibition_objects eo JOIN collection_items c ON c.object_id = eo.object_id
	WHERE eo.exhibition_id = NEW.id
	ON CONFLICT DO UPDATE SET n = excluded.n;
END;

-- The visitor's words of a shown object change.
CREATE TRIGGER collection_fts_update AFTER UPDATE OF intake_no, reg_number, name, other_names,
	material_note, description ON objects
WHEN EXISTS (SELECT 1 FROM collection_items WHERE object_id = NEW.id)
BEGIN
	DELETE FROM collection_fts WHERE rowid = NEW.id;
	INSERT INTO collection_fts (rowid, numbers, name, material, description)
	SELECT id, numbers, name, material, description FROM object_fts_docs WHERE id = NEW.id;
END;

INSERT INTO collection_facet_totals (facet, value, n)
SELECT facet, value, count(*) FROM collection_item_facets GROUP BY 1, 2;
INSERT INTO collection_facet_totals (facet, value, n)
SELECT 'exhibition', value, count(*) FROM collection_exhibition_members GROUP BY 2;
INSERT INTO collection_facet_pairs (facet, value, other, other_value, n)
SELECT a.facet, a.value, b.facet, b.value, count(*)
FROM collection_item_facets a JOIN collection_item_facets b
	ON b.object_id = a.object_id AND b.facet <> a.facet
GROUP BY 1, 2, 3, 4;
INSERT INTO collection_fts (rowid, numbers, name, material, description)
SELECT d.id, d.numbers, d.name, d.material, d.description
FROM collection_items c JOIN object_fts_docs d ON d.id = c.object_id;
