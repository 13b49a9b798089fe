-- 010_address_limits.sql - budgets per address on top of the per-visitor rules.
--
-- A visitor is the keyed hash of address and User-Agent, so a script that
-- changes its User-Agent is a new visitor each time (issue 18). These columns
-- and the table below let the models count what one address did, without
-- keeping the address: `address` is throttle_address_key() of it ('n' and 32
-- hex digits: the keyed hash of an IPv4 address or of an IPv6 /64), or ''
-- for rows made before this migration or by tools. docs/VISITORS.md gives
-- the budgets and why they are what they are.

-- Which address asked for each CAPTCHA and proof-of-work challenge, so one
-- address cannot hold more than CAPTCHA_PER_ADDRESS of them at once.
ALTER TABLE captchas ADD COLUMN address TEXT NOT NULL DEFAULT ''
	CHECK (address = '' OR (length(address) = 33 AND address GLOB 'n*'
				AND substr(address, 2) NOT GLOB '*[^0-9a-f]*'));
CREATE INDEX captchas_address ON captchas (address, expires_at);

-- Which address each vote came from: the budget per address and article,
-- and the moderators' warning when one address gave most of an article's votes.
ALTER TABLE ratings ADD COLUMN address TEXT NOT NULL DEFAULT ''
	CHECK (address = '' OR (length(address) = 33 AND address GLOB 'n*'
				AND substr(address, 2) NOT GLOB '*[^0-9a-f]*'));
CREATE INDEX ratings_address ON ratings (address, created_at);
CREATE INDEX ratings_article_address ON ratings (article_id, address);

-- What one address did recently, for budgets the tables above cannot count
-- (comments keep the visitor, not the address). action: 1 comment.
-- Rows older than a day are deleted as new ones are written.
CREATE TABLE address_actions (
	address TEXT NOT NULL CHECK (length(address) = 33 AND address GLOB 'n*'
				     AND substr(address, 2) NOT GLOB '*[^0-9a-f]*'),
	action INTEGER NOT NULL CHECK (action BETWEEN 1 AND 9),
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX address_actions_recent ON address_actions (address, action, at);
CREATE INDEX address_actions_at ON address_actions (at);
