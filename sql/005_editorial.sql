-- 005_editorial.sql - the editorial workflow of the back office (issue 5,
-- "Editorial workflow"): who wrote an article, and every saved version of it.
--
-- Follows the conventions of 001_init.sql.

-- The account that created the article in the back office. NULL for
-- articles that came from `sen import` or the demo, and for articles whose
-- author account is gone (accounts are disabled, never deleted, so in
-- practice only the first). Authors may edit only their own drafts;
-- model/article.c decides with article_may().
ALTER TABLE articles ADD COLUMN author_id INTEGER REFERENCES users(id) ON DELETE SET NULL;

-- The back-office list of one author's articles, newest change first.
CREATE INDEX articles_author ON articles (author_id, updated_at DESC, id DESC)
	WHERE author_id IS NOT NULL;

-- Phiên bản: the content of an article as it was after each save. A row is
-- written in the same transaction as the save it records and is never
-- changed; restoring an old version writes a new one. Only the content is
-- kept (title, summary, body, category, tags, pictures); the workflow state
-- (status, publication time) lives in articles and in the audit log.
--   tags:   the tag names, one per line (names hold no control characters).
--   images: one picture per line, "FILE<TAB>CAPTION" (file names are
--           [A-Za-z0-9._-], captions hold no control characters).
--   category_id is kept without a foreign key: an old version must not stop
--           a category from being deleted; restoring checks it still exists.
--   user_name keeps the name as it was, like audit_log.user_name.
--   note:   why the version exists when it is not an ordinary save
--           ("restore 12", "before the first edit").
CREATE TABLE article_revisions (
	id INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	user_name TEXT NOT NULL DEFAULT '' CHECK (length(user_name) <= 64),
	created_at INTEGER NOT NULL,
	title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 300),
	summary TEXT NOT NULL DEFAULT '' CHECK (length(CAST(summary AS BLOB)) <= 2000),
	body_md TEXT NOT NULL DEFAULT '' CHECK (length(CAST(body_md AS BLOB)) <= 524288),
	category_id INTEGER NOT NULL CHECK (category_id > 0),
	tags TEXT NOT NULL DEFAULT '' CHECK (length(CAST(tags AS BLOB)) <= 1400),
	images TEXT NOT NULL DEFAULT '' CHECK (length(CAST(images AS BLOB)) <= 32000),
	note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) <= 200)
) STRICT;

-- An article's versions, newest first.
CREATE INDEX article_revisions_article ON article_revisions (article_id, id DESC);
