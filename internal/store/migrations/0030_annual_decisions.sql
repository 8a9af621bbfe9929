-- Decisions on the findings of annual reports read from files (issue 15): a
-- reviewer confirms or dismisses a finding, named by its stable id, of a
-- unit's report of a year, with a reason. The history is append-only (0031):
-- the latest decision on a finding applies, the earlier ones stay on record.
-- rule, where_path and message keep the finding as it read when decided.
CREATE TABLE annual_decisions (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	year INTEGER NOT NULL,
	finding_id TEXT NOT NULL,
	verdict TEXT NOT NULL CHECK (verdict IN ('confirm', 'dismiss')),
	reason TEXT NOT NULL,
	rule TEXT NOT NULL,
	where_path TEXT NOT NULL,
	message TEXT NOT NULL,
	user_id BIGINT NOT NULL,
	decided_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX annual_decisions_report ON annual_decisions (unit_id, year, finding_id, id);
