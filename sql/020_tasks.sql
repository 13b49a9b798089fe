-- 020_tasks.sql - key tasks ("nhiệm vụ trọng tâm") and their progress
-- notes (issue 14, "Key tasks and action programmes").
--
-- Follows 018_plans.sql: calendar days TEXT 'YYYY-MM-DD' checked by
-- date(x) IS x, instants INTEGER seconds, vocabularies short ASCII codes
-- (the interface shows the words from the catalog).
--
-- A task has a lead unit, supporting units (task_units), a person in
-- charge, a start and a deadline, a status and optionally the plan's
-- indicator it serves. The action programme of a year is its tasks by the
-- quarter and month of their deadline. "Overdue" (deadline passed and not
-- done) is not stored: it depends on today, so model/task.c names the rule
-- once (TASK_OVERDUE) and every list asks it.
--
-- status: chua_bat_dau (not started), dang_thuc_hien (in progress),
-- hoan_thanh (done), tam_dung (paused), huy (cancelled).
CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 300),
	description TEXT NOT NULL DEFAULT '' CHECK (length(CAST(description AS BLOB)) <= 5000),
	lead_unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
	person_id INTEGER REFERENCES people(id) ON DELETE RESTRICT,
	starts_on TEXT CHECK (starts_on IS NULL OR date(starts_on) IS starts_on),
	due_on TEXT NOT NULL CHECK (date(due_on) IS due_on),
	status TEXT NOT NULL DEFAULT 'chua_bat_dau'
		CHECK (status IN ('chua_bat_dau', 'dang_thuc_hien', 'hoan_thanh', 'tam_dung', 'huy')),
	indicator_id INTEGER REFERENCES plan_indicators(id) ON DELETE SET NULL,
	-- The percent done of the latest progress note (0 before any).
	percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
	created_at INTEGER NOT NULL DEFAULT (unixepoch()),
	updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
	CHECK (starts_on IS NULL OR starts_on <= due_on)
) STRICT;

CREATE INDEX tasks_due ON tasks (due_on, id);
CREATE INDEX tasks_lead ON tasks (lead_unit_id, due_on);
CREATE INDEX tasks_person ON tasks (person_id, due_on) WHERE person_id IS NOT NULL;
CREATE INDEX tasks_indicator ON tasks (indicator_id) WHERE indicator_id IS NOT NULL;

-- The units that support a task (the lead unit is not repeated here).
CREATE TABLE task_units (
	task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
	PRIMARY KEY (task_id, unit_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX task_units_unit ON task_units (unit_id, task_id);

-- Dated progress notes: who wrote it (the account, and the name as it
-- was then), the day, the text and the percent done at that day.
CREATE TABLE task_notes (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	noted_on TEXT NOT NULL CHECK (date(noted_on) IS noted_on),
	body TEXT NOT NULL CHECK (length(CAST(body AS BLOB)) BETWEEN 1 AND 2000),
	percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	who TEXT NOT NULL DEFAULT '' CHECK (length(CAST(who AS BLOB)) <= 200),
	created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX task_notes_task ON task_notes (task_id, noted_on, id);
