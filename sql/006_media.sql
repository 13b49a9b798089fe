-- 006_media.sql - the media library of the back office (issue 5, "Thư viện
-- ảnh"): resized copies of every picture and the queue of pictures waiting
-- to be processed.
--
-- Follows the conventions of 001_init.sql.

-- Resized copies ("variants") of a stored picture, made by the background
-- worker (src/model/media_image.c) with libvips, metadata stripped: one row
-- per width and format. file is derived from the picture's own name,
-- "3f9c...e1-320.jpg", "3f9c...e1-320.webp", so /media/NAME serves it like
-- the original. Deleting a picture deletes its rows (the files are removed
-- by the model).
CREATE TABLE media_variants (
	media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
	width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 100000),
	height INTEGER NOT NULL CHECK (height BETWEEN 1 AND 100000),
	format TEXT NOT NULL CHECK (format IN ('jpg', 'png', 'webp')),
	file TEXT NOT NULL UNIQUE
		CHECK (length(file) BETWEEN 1 AND 100
		       AND file NOT GLOB '*[^A-Za-z0-9._-]*' AND file NOT GLOB '.*'),
	bytes INTEGER NOT NULL CHECK (bytes >= 0),
	PRIMARY KEY (media_id, format, width)
) STRICT, WITHOUT ROWID;

-- Pictures waiting for (or failed at) processing. A row is written in the
-- same transaction as the upload's media row and deleted when the variants
-- are in, so a restart finds every unfinished picture here and resumes it.
-- state: 0 waiting, 2 failed (error says why; given up after 3 attempts,
-- so a picture that crashes the decoder cannot do it forever). While a
-- picture has a row here its files are not served (the upload is not yet
-- stripped of its metadata).
CREATE TABLE media_jobs (
	media_id INTEGER PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
	state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 2)),
	attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	error TEXT NOT NULL DEFAULT '' CHECK (length(CAST(error AS BLOB)) <= 500),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX media_jobs_waiting ON media_jobs (state, media_id);

-- The library lists newest first with keyset pagination on (created_at, id).
CREATE INDEX media_created ON media (created_at DESC, id DESC);

-- What the library's search looks in: alt text, credit and original name,
-- folded the Vietnamese way (lower case, marks removed: "Trống đồng" ->
-- "trong dong", core/text.h), written by the model with every change of
-- those columns. Rows from before get the ASCII lower case of the same text,
-- which finds them by their unaccented words.
ALTER TABLE media ADD COLUMN search TEXT NOT NULL DEFAULT ''
	CHECK (length(CAST(search AS BLOB)) <= 2000);
UPDATE media SET search = lower(alt || ' ' || credit || ' ' || original_name);
