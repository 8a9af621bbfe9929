-- The rectification register (整改台账, internal/rectify): a problem's
-- history is rectify_events, only ever appended to (0041 guards it);
-- rectify_problems keeps the state rectify.Apply derives from it, rewritten
-- in the transaction that appends each event. Section 五 of the annual
-- report is written from these rows.
CREATE TABLE rectify_problems (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	year INTEGER NOT NULL,
	source TEXT NOT NULL,
	source_ref TEXT NOT NULL DEFAULT '',
	-- the inspection finding the problem was sent from (issue 14); at most
	-- one problem per finding
	finding_id BIGINT,
	description TEXT NOT NULL,
	-- the measures as derived, a JSON array of {text, added_on, done_on}
	measures TEXT NOT NULL DEFAULT '[]',
	owner_dept BIGINT NOT NULL DEFAULT 0,
	owner_name TEXT NOT NULL DEFAULT '',
	deadline TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	outcome TEXT NOT NULL DEFAULT '',
	done_on TEXT NOT NULL DEFAULT '',
	drop_reason TEXT NOT NULL DEFAULT '',
	events INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX rectify_problems_unit ON rectify_problems (unit_id, year, id);
CREATE INDEX rectify_problems_open ON rectify_problems (status, deadline);
CREATE UNIQUE INDEX rectify_problems_finding ON rectify_problems (finding_id);

CREATE TABLE rectify_events (
	problem_id BIGINT NOT NULL REFERENCES rectify_problems(id),
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,
	at TEXT NOT NULL,
	actor_id BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	-- created, edited: the problem's fields (has_fields = 1)
	has_fields INTEGER NOT NULL DEFAULT 0,
	year INTEGER NOT NULL DEFAULT 0,
	source TEXT NOT NULL DEFAULT '',
	source_ref TEXT NOT NULL DEFAULT '',
	finding_id BIGINT NOT NULL DEFAULT 0,
	description TEXT NOT NULL DEFAULT '',
	owner_dept BIGINT NOT NULL DEFAULT 0,
	owner_name TEXT NOT NULL DEFAULT '',
	deadline TEXT NOT NULL DEFAULT '',
	-- measures, status, closing, dropping
	measure_no INTEGER NOT NULL DEFAULT 0,
	text TEXT NOT NULL DEFAULT '',
	on_day TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (problem_id, seq)
);
