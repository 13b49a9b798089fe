-- 001_init.sql - news, media and links: the first schema of Sen.
--
-- Conventions every later migration follows:
--   * STRICT tables (SQLite >= 3.37): a column holds only its declared type.
--   * Times are INTEGER Unix seconds (UTC). Money and counts are INTEGER.
--   * Lengths are checked in bytes: length(CAST(x AS BLOB)), matching the
--     *_MAX limits in the C headers (length() alone would count characters).
--   * Rows that people refer to (articles, media, and later the register of
--     artifacts) are never deleted by a cascade from a lookup table: foreign
--     keys to them use ON DELETE RESTRICT. Link tables cascade.
--   * Later issues add users, artifacts ("hiện vật"), acquisitions,
--     exhibitions, plans, awards, comments, ratings and visit statistics in
--     their own numbered files; articles.author_id and the full-text index
--     come with users and search.

-- Chuyên mục: "Tin hoạt động", "Tin tức - Sự kiện", ...
CREATE TABLE categories (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE
		CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
	name TEXT NOT NULL UNIQUE
		CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 120),
	position INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Stored files (pictures, later scans of documents). file is a random name
-- inside the media folder: never a path, never the uploader's name.
CREATE TABLE media (
	id INTEGER PRIMARY KEY,
	file TEXT NOT NULL UNIQUE
		CHECK (length(file) BETWEEN 1 AND 100
		       AND file NOT GLOB '*[^A-Za-z0-9._-]*' AND file NOT GLOB '.*'),
	original_name TEXT NOT NULL DEFAULT ''
		CHECK (length(CAST(original_name AS BLOB)) <= 255),
	mime TEXT NOT NULL CHECK (length(mime) BETWEEN 3 AND 100),
	bytes INTEGER NOT NULL CHECK (bytes >= 0),
	width INTEGER NOT NULL DEFAULT 0 CHECK (width >= 0),
	height INTEGER NOT NULL DEFAULT 0 CHECK (height >= 0),
	alt TEXT NOT NULL DEFAULT '' CHECK (length(CAST(alt AS BLOB)) <= 500),
	credit TEXT NOT NULL DEFAULT '' CHECK (length(CAST(credit AS BLOB)) <= 500),
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- Bài viết. status: 0 draft, 1 review, 2 published, 3 unpublished
-- (enum article_status). The public sees status 2 with published_at <= now.
-- body_html is rendered from body_md on every write, so reads never parse
-- Markdown. image_id is the thumbnail (the first picture of the article).
CREATE TABLE articles (
	id INTEGER PRIMARY KEY,
	category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
	slug TEXT NOT NULL
		CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
	title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 300),
	summary TEXT NOT NULL DEFAULT '' CHECK (length(CAST(summary AS BLOB)) <= 2000),
	body_md TEXT NOT NULL DEFAULT '' CHECK (length(CAST(body_md AS BLOB)) <= 524288),
	body_html TEXT NOT NULL DEFAULT '',
	status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),
	published_at INTEGER NOT NULL DEFAULT 0 CHECK (published_at >= 0),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	image_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
	views INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0)
) STRICT;

-- Keyset listing, newest first: WHERE status = 2 AND (published_at, id) < (?, ?)
-- ORDER BY published_at DESC, id DESC walks these indexes without sorting.
CREATE INDEX articles_published ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_category_published
	ON articles (category_id, status, published_at DESC, id DESC);
CREATE INDEX articles_image ON articles (image_id) WHERE image_id IS NOT NULL;

-- Thẻ. Two names with the same slug ("Điện Biên", "dien bien") are one tag;
-- name keeps the spelling it was first written with.
CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE
		CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
	name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 64)
) STRICT;

CREATE TABLE article_tags (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
	PRIMARY KEY (article_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

-- Pictures of an article in order. A picture in use cannot be deleted.
CREATE TABLE article_images (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	position INTEGER NOT NULL CHECK (position >= 0),
	media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE RESTRICT,
	caption TEXT NOT NULL DEFAULT '' CHECK (length(CAST(caption AS BLOB)) <= 500),
	PRIMARY KEY (article_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX article_images_media ON article_images (media_id);

-- Liên kết website: ordered links to related agencies' portals. position is
-- 1-based and renumbered by link_move(); it is not UNIQUE because a
-- renumbering passes through duplicates inside its transaction.
CREATE TABLE links (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
	url TEXT NOT NULL CHECK (length(CAST(url AS BLOB)) BETWEEN 1 AND 2000),
	position INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX links_position ON links (position, id);
