-- 003_search.sql - the full-text index behind /tim-kiem and /api/v1/search.
--
-- search_fts is an FTS5 table with external content: it stores only the
-- index, and reads text back from the view search_docs for snippets. The
-- tokenizer sen_vn (src/db/fts_vn.c, registered on every connection) folds
-- Vietnamese ("Điện" -> "dien") and keeps the exact form beside it, so the
-- SQL here needs no function of its own.
--
-- The index reads every column as HTML: the body is body_html (so Markdown
-- syntax and picture file names are never indexed or shown in snippets),
-- and title and summary are escaped here the way HTML escapes text. Snippets
-- are turned back into plain text and escaped again in src/model/search.c.
--
-- Every article is indexed whatever its status; who may see it (status 2,
-- published_at <= now) is decided when searching, so publishing or
-- unpublishing never touches the index. The triggers keep the index in step
-- with every write to the three text columns, whoever writes them (import,
-- editors, later tools); a change of views or status does not reindex.

CREATE VIEW search_docs AS
SELECT id,
	replace(replace(replace(title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS title,
	replace(replace(replace(summary, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS summary,
	body_html AS body
FROM articles;

CREATE VIRTUAL TABLE search_fts USING fts5(
	title, summary, body,
	content = 'search_docs', content_rowid = 'id',
	tokenize = 'sen_vn'
);

-- Searching joins every match with articles to check status, date and
-- category; this index answers that from a few pages instead of the wide
-- article rows (bodies live in the same rows).
CREATE INDEX articles_search ON articles (id, status, published_at, category_id);

CREATE TRIGGER search_articles_insert AFTER INSERT ON articles
BEGIN
	INSERT INTO search_fts (rowid, title, summary, body) VALUES (NEW.id,
		replace(replace(replace(NEW.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		replace(replace(replace(NEW.summary, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		NEW.body_html);
END;

-- External content: the index forgets a row when given exactly the values
-- it indexed, which the OLD row still holds.
CREATE TRIGGER search_articles_delete AFTER DELETE ON articles
BEGIN
	INSERT INTO search_fts (search_fts, rowid, title, summary, body) VALUES ('delete', OLD.id,
		replace(replace(replace(OLD.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		replace(replace(replace(OLD.summary, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		OLD.body_html);
END;

CREATE TRIGGER search_articles_update AFTER UPDATE OF id, title, summary, body_html ON articles
WHEN OLD.id IS NOT NEW.id OR OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
	OR OLD.body_html IS NOT NEW.body_html
BEGIN
	INSERT INTO search_fts (search_fts, rowid, title, summary, body) VALUES ('delete', OLD.id,
		replace(replace(replace(OLD.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		replace(replace(replace(OLD.summary, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		OLD.body_html);
	INSERT INTO search_fts (rowid, title, summary, body) VALUES (NEW.id,
		replace(replace(replace(NEW.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		replace(replace(replace(NEW.summary, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		NEW.body_html);
END;

-- Articles written before this migration.
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
