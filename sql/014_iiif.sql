-- 014_iiif.sql - deep-zoom tiles of the register's photos (issue 13): IIIF
-- Image API level 0 tile sets that libvips dzsave writes once per picture
-- shown on an object card, under MEDIA_DIR/iiif/MEDIA_ID/ (model/media_tiles.c).
--
-- Follows the conventions of 001_init.sql.

-- One row per picture that has (or failed to get) its tile set. The queue
-- is the pictures of object_media whose variants are made (no media_jobs
-- row: the original is stripped of its metadata) and that have no row here
-- or a waiting one; so a photo added to a card is tiled without any other
-- write. state: 0 waiting (an attempt failed; tried again), 1 ready (the
-- folder is complete: it is renamed into place whole), 2 failed for good
-- after 3 attempts (error is a catalog key, never libvips' text).
-- width/height are the picture's, as info.json states them.
CREATE TABLE media_tiles (
	media_id INTEGER PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
	state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),
	attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	width INTEGER NOT NULL DEFAULT 0 CHECK (width BETWEEN 0 AND 100000),
	height INTEGER NOT NULL DEFAULT 0 CHECK (height BETWEEN 0 AND 100000),
	error TEXT NOT NULL DEFAULT '' CHECK (length(CAST(error AS BLOB)) <= 200),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK (state <> 1 OR (width > 0 AND height > 0))
) STRICT;
