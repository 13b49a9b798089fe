-- 002_widgets.sql - the widgets around an article: ratings, comments,
-- CAPTCHAs, visit statistics and related news; plus a small settings table.
--
-- Follows the conventions of 001_init.sql, with one stated exception: the
-- comment limits are counted in characters (length() of TEXT, i.e. code
-- points), because comment.h promises readers "4.000 ký tự", not bytes.
-- Everything that hangs off an article cascades with it (like article_tags).

-- Site-wide values the program creates itself: the visitor-hash secret
-- (model/visitor.c) and the related-news cache generation (model/related.c).
CREATE TABLE settings (
	key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
	value ANY NOT NULL
) STRICT;

INSERT INTO settings (key, value) VALUES ('related_generation', 0);

-- Đánh giá. One vote per visitor per article is the PRIMARY KEY itself, so two
-- racing requests cannot both insert. visitor is the 32-hex-digit keyed hash
-- of model/visitor.h, never an address.
CREATE TABLE ratings (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	visitor TEXT NOT NULL CHECK (length(visitor) = 32 AND visitor NOT GLOB '*[^0-9a-f]*'),
	stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (article_id, visitor)
) STRICT, WITHOUT ROWID;

-- Count and sum kept beside the votes, updated in the transaction that adds
-- a vote, so the article page reads one row instead of aggregating.
CREATE TABLE rating_totals (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
	sum INTEGER NOT NULL DEFAULT 0 CHECK (sum >= 0)
) STRICT;

-- Bình luận. status: 0 pending, 1 approved, 2 rejected, 3 spam
-- (enum comment_status). email is for the editors only, never shown.
CREATE TABLE comments (
	id INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	email TEXT NOT NULL DEFAULT '' CHECK (length(CAST(email AS BLOB)) <= 254),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
	status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),
	visitor TEXT NOT NULL DEFAULT '' CHECK (length(visitor) <= 32),
	created_at INTEGER NOT NULL
) STRICT;

-- The article page: approved comments oldest first.
CREATE INDEX comments_article ON comments (article_id, status, id);
-- The moderation queue: one status, newest first.
CREATE INDEX comments_status ON comments (status, id);
-- Flood control: how many comments one visitor sent lately.
CREATE INDEX comments_visitor ON comments (visitor, created_at);

-- Mã xác thực. Rows are single use (deleted by the first answer) and short
-- lived; expired ones are purged when new ones are made.
CREATE TABLE captchas (
	id TEXT PRIMARY KEY CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
	article_id INTEGER NOT NULL,
	code TEXT NOT NULL CHECK (length(code) BETWEEN 4 AND 8 AND code NOT GLOB '*[^A-Z0-9]*'),
	expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX captchas_expires ON captchas (expires_at);

-- Thống kê: visits and page views per local day (the site's UTC offset),
-- written once a second by model/stats.c. Per-article views go to
-- articles.views.
CREATE TABLE visits_daily (
	day TEXT PRIMARY KEY CHECK (length(day) = 10 AND day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	visits INTEGER NOT NULL DEFAULT 0 CHECK (visits >= 0),
	views INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0)
) STRICT, WITHOUT ROWID;

-- Tin liên quan. related_words holds each article's significant folded terms
-- (syllables and two-syllable phrases) with a weight; related_terms counts in
-- how many articles each term occurs, kept exact by the triggers below even
-- when an article's rows go by cascade, so very common terms can be skipped.
CREATE TABLE related_words (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	word TEXT NOT NULL CHECK (length(CAST(word AS BLOB)) BETWEEN 1 AND 64),
	weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 16),
	PRIMARY KEY (article_id, word)
) STRICT, WITHOUT ROWID;

CREATE INDEX related_words_word ON related_words (word, article_id);

CREATE TABLE related_terms (
	word TEXT PRIMARY KEY,
	df INTEGER NOT NULL CHECK (df >= 0)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER related_words_added AFTER INSERT ON related_words
BEGIN
	INSERT INTO related_terms (word, df) VALUES (NEW.word, 1)
		ON CONFLICT (word) DO UPDATE SET df = df + 1;
END;

CREATE TRIGGER related_words_removed AFTER DELETE ON related_words
BEGIN
	UPDATE related_terms SET df = df - 1 WHERE word = OLD.word;
	DELETE FROM related_terms WHERE word = OLD.word AND df <= 0;
END;

-- One row per indexed article: when its terms were written, and which
-- generation (settings 'related_generation') its cached list was computed at.
CREATE TABLE related_state (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	indexed_at INTEGER NOT NULL,
	cache_generation INTEGER NOT NULL DEFAULT -1
) STRICT;

-- The best-scored candidates of an article, in rank order (more than the page
-- shows, so that unpublished or excluded ones can be skipped at read time).
CREATE TABLE related_cache (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	rank INTEGER NOT NULL CHECK (rank >= 0),
	other_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	score INTEGER NOT NULL,
	PRIMARY KEY (article_id, rank)
) STRICT, WITHOUT ROWID;

CREATE INDEX related_cache_other ON related_cache (other_id);

-- Editors' choices for one article's list: kind 1 pinned (shown first, in
-- position order), kind 2 excluded (never shown).
CREATE TABLE related_links (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	other_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
	position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
	PRIMARY KEY (article_id, other_id),
	CHECK (article_id <> other_id)
) STRICT, WITHOUT ROWID;

-- The list reads one article's choices in display order without sorting.
CREATE INDEX related_links_order ON related_links (article_id, kind, position);
CREATE INDEX related_links_other ON related_links (other_id);
