-- 008_listing.sql - listings read only an index.
--
-- At 100,000 articles a listing page (home, category, feeds) cost about 1.3x
-- what it did at 1,000: every row of a page was a lookup into the table, and
-- the table no longer fit in SQLite's page cache (bench/README.md). These two
-- indexes hold every column article_list() reads, in listing order, so a page
-- is one walk of one index whatever the size of the table. They replace the
-- two narrower indexes of 001_init.sql, which they make redundant (same
-- leading columns), so a write still updates two listing indexes, not four.
CREATE INDEX articles_list_category ON articles
	(category_id, status, published_at DESC, id DESC, slug, title, summary, image_id, updated_at);
CREATE INDEX articles_list_all ON articles
	(status, published_at DESC, id DESC, category_id, slug, title, summary, image_id, updated_at);
DROP INDEX articles_published;
DROP INDEX articles_category_published;
