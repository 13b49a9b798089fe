-- 021_report_drafts.sql - which draft articles the annual report
-- ("báo cáo tổng kết năm", issue 14) made, so that "Tạo bài viết nháp"
-- run a second time for the same year can say a draft already exists and
-- link to it instead of making another one unasked.
--
-- The article is an ordinary article of the editorial workflow; deleting
-- it deletes its line here (the report then makes a new one without
-- asking). created_by is the back-office account (NULL: the command line,
-- or an account since removed).
CREATE TABLE report_drafts (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	article_id INTEGER NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX report_drafts_year ON report_drafts(year, id);
