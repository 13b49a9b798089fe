-- 012_exhibitions.sql - exhibitions ("trưng bày", "triển lãm") and
-- publications ("ấn phẩm"), issue 13.
--
-- Follows 009_register.sql: calendar days are TEXT 'YYYY-MM-DD' checked by
-- date(x) IS x, instants INTEGER seconds, vocabularies short ASCII codes
-- (the interface shows the words from the catalog).
--
-- An exhibition shows objects of the register. While it is open (opens_on
-- <= today <= closes_on, or no closing day), the objects in it stand in its
-- venue: model/exhibition.c records a movement (reason trung_bay) into the
-- venue when an object is put in, when the exhibition opens, and back to
-- where it came from (home_location_id) when it is taken out or the
-- exhibition closes, in the transaction that makes the change. placed says
-- which objects it has moved, so opening and closing happen once.

-- kind: thuong_truc (permanent), chuyen_de (thematic), luu_dong
-- (travelling), truc_tuyen (online). The venue is a hall of the museum (a
-- place of the storage tree, location_id), or a place elsewhere (venue,
-- province), or neither for an online exhibition. closes_on NULL: open
-- with no announced end (a permanent display).
CREATE TABLE exhibitions (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 300),
	kind TEXT NOT NULL CHECK (kind IN ('thuong_truc', 'chuyen_de', 'luu_dong', 'truc_tuyen')),
	location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	venue TEXT NOT NULL DEFAULT '' CHECK (length(CAST(venue AS BLOB)) <= 300),
	province TEXT NOT NULL DEFAULT '' CHECK (length(CAST(province AS BLOB)) <= 100),
	opens_on TEXT NOT NULL CHECK (date(opens_on) IS opens_on),
	closes_on TEXT CHECK (closes_on IS NULL OR (date(closes_on) IS closes_on
						     AND closes_on >= opens_on)),
	curators TEXT NOT NULL DEFAULT '' CHECK (length(CAST(curators AS BLOB)) <= 1000),
	description TEXT NOT NULL DEFAULT '' CHECK (length(CAST(description AS BLOB)) <= 20000),
	public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK (location_id IS NULL OR (venue = '' AND province = ''))
) STRICT;

-- Current, upcoming and past lists read by dates.
CREATE INDEX exhibitions_opens ON exhibitions (public, opens_on, id);
CREATE INDEX exhibitions_location ON exhibitions (location_id) WHERE location_id IS NOT NULL;

-- Ảnh: pictures from the media library, ordered.
CREATE TABLE exhibition_media (
	exhibition_id INTEGER NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE,
	position INTEGER NOT NULL CHECK (position >= 0),
	media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE RESTRICT,
	caption TEXT NOT NULL DEFAULT '' CHECK (length(CAST(caption AS BLOB)) <= 500),
	PRIMARY KEY (exhibition_id, position)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX exhibition_media_once ON exhibition_media (exhibition_id, media_id);
CREATE INDEX exhibition_media_media ON exhibition_media (media_id);

-- The objects shown, ordered, each with its label as written (Vietnamese,
-- English). placed = 1 while model/exhibition.c has moved the object into
-- the venue; home_location_id is where it stood before (NULL: nowhere yet),
-- where it goes back to.
CREATE TABLE exhibition_objects (
	exhibition_id INTEGER NOT NULL REFERENCES exhibitions(id) ON DELETE RESTRICT,
	object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE RESTRICT,
	position INTEGER NOT NULL CHECK (position >= 0),
	label_vi TEXT NOT NULL DEFAULT '' CHECK (length(CAST(label_vi AS BLOB)) <= 2000),
	label_en TEXT NOT NULL DEFAULT '' CHECK (length(CAST(label_en AS BLOB)) <= 2000),
	placed INTEGER NOT NULL DEFAULT 0 CHECK (placed IN (0, 1)),
	home_location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	PRIMARY KEY (exhibition_id, object_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX exhibition_objects_order ON exhibition_objects (exhibition_id, position, object_id);
-- The exhibitions an object was shown in (its public page, the collection's
-- facet, OAI sets).
CREATE INDEX exhibition_objects_object ON exhibition_objects (object_id, exhibition_id);

-- Lượt khách: visitor numbers as dated entries (one per day and exhibition).
CREATE TABLE exhibition_visits (
	id INTEGER PRIMARY KEY,
	exhibition_id INTEGER NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE,
	counted_on TEXT NOT NULL CHECK (date(counted_on) IS counted_on),
	visitors INTEGER NOT NULL CHECK (visitors BETWEEN 0 AND 100000000),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 500),
	UNIQUE (exhibition_id, counted_on)
) STRICT;

-- Ấn phẩm. isbn is stored normalised: '' or 10 characters (digits, a final
-- X) or 13 digits, without hyphens or spaces; model/publication.c checks
-- the checksum. pages NULL when unknown.
CREATE TABLE publications (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 300),
	authors TEXT NOT NULL DEFAULT '' CHECK (length(CAST(authors AS BLOB)) <= 1000),
	year INTEGER NOT NULL CHECK (year BETWEEN 1800 AND 2100),
	publisher TEXT NOT NULL DEFAULT '' CHECK (length(CAST(publisher AS BLOB)) <= 300),
	isbn TEXT NOT NULL DEFAULT ''
		CHECK (isbn = '' OR (length(isbn) = 13 AND isbn NOT GLOB '*[^0-9]*')
		       OR (length(isbn) = 10 AND substr(isbn, 1, 9) NOT GLOB '*[^0-9]*'
			   AND substr(isbn, 10) GLOB '[0-9X]')),
	pages INTEGER CHECK (pages BETWEEN 1 AND 100000),
	cover_media_id INTEGER REFERENCES media(id) ON DELETE RESTRICT,
	pdf_media_id INTEGER REFERENCES media(id) ON DELETE RESTRICT,
	description TEXT NOT NULL DEFAULT '' CHECK (length(CAST(description AS BLOB)) <= 20000),
	public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE UNIQUE INDEX publications_isbn ON publications (isbn) WHERE isbn <> '';
CREATE INDEX publications_public ON publications (public, year DESC, id DESC);

-- Search: the same Vietnamese folding as articles and objects (tokenizer
-- sen_vn, which reads documents as HTML, hence the escaping). Contentful
-- indexes kept by the triggers below, like object_fts.
CREATE VIRTUAL TABLE exhibition_fts USING fts5(
	title, venue, curators, description,
	tokenize = 'sen_vn'
);

CREATE VIEW exhibition_fts_docs AS
SELECT e.id AS id,
	replace(replace(replace(e.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS title,
	replace(replace(replace(ifnull(l.name, '') || ' ' || e.venue || ' ' || e.province,
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS venue,
	replace(replace(replace(e.curators, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS curators,
	replace(replace(replace(e.description, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS description
FROM exhibitions e
LEFT JOIN locations l ON l.id = e.location_id;

CREATE TRIGGER exhibition_fts_insert AFTER INSERT ON exhibitions
BEGIN
	INSERT INTO exhibition_fts (rowid, title, venue, curators, description)
	SELECT id, title, venue, curators, description FROM exhibition_fts_docs WHERE id = NEW.id;
END;

CREATE TRIGGER exhibition_fts_update AFTER UPDATE OF title, location_id, venue, province,
	curators, description ON exhibitions
BEGIN
	DELETE FROM exhibition_fts WHERE rowid = OLD.id;
	INSERT INTO exhibition_fts (rowid, title, venue, curators, description)
	SELECT id, title, venue, curators, description FROM exhibition_fts_docs WHERE id = NEW.id;
END;

CREATE TRIGGER exhibition_fts_delete AFTER DELETE ON exhibitions
BEGIN
	DELETE FROM exhibition_fts WHERE rowid = OLD.id;
END;

CREATE VIRTUAL TABLE publication_fts USING fts5(
	title, authors, publisher, isbn, description,
	tokenize = 'sen_vn'
);

CREATE VIEW publication_fts_docs AS
SELECT id,
	replace(replace(replace(title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS title,
	replace(replace(replace(authors, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS authors,
	replace(replace(replace(publisher, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS publisher,
	isbn,
	replace(replace(replace(description, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS description
FROM publications;

CREATE TRIGGER publication_fts_insert AFTER INSERT ON publications
BEGIN
	INSERT INTO publication_fts (rowid, title, authors, publisher, isbn, description)
	SELECT id, title, authors, publisher, isbn, description
	FROM publication_fts_docs WHERE id = NEW.id;
END;

CREATE TRIGGER publication_fts_update AFTER UPDATE OF title, authors, publisher, isbn,
	description ON publications
BEGIN
	DELETE FROM publication_fts WHERE rowid = OLD.id;
	INSERT INTO publication_fts (rowid, title, authors, publisher, isbn, description)
	SELECT id, title, authors, publisher, isbn, description
	FROM publication_fts_docs WHERE id = NEW.id;
END;

CREATE TRIGGER publication_fts_delete AFTER DELETE ON publications
BEGIN
	DELETE FROM publication_fts WHERE rowid = OLD.id;
END;
