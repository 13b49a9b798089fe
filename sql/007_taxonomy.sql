-- 007_taxonomy.sql - categories, tags and links managed in the back office
-- (issue 5, "Chuyên mục, thẻ, liên kết website").
--
-- Follows the conventions of 001_init.sql.

-- Former slugs of renamed categories. A category's slug is the first segment
-- of its addresses ("/tin-tuc"), which readers bookmark and other sites link
-- to; when a rename changes it, the old one is kept here and still leads to
-- the category (model/category.c looks here when no current slug matches).
-- A slug is either some category's current slug or a former one, never both
-- (the model moves it between the two); deleting a category forgets its
-- former slugs.
CREATE TABLE category_slugs (
	slug TEXT PRIMARY KEY
		CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
	category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
	retired_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT, WITHOUT ROWID;

CREATE INDEX category_slugs_category ON category_slugs (category_id);
