-- Batch audits of published annual reports (issue 15): the reports of a
-- folder or a zip uploaded at once and checked by the background job
-- annual.batch (internal/jobs), a few files per run, each file's result
-- committed on its own, so that a restart resumes with the files still
-- pending and no file is checked twice. Each file's bytes are an
-- annual_uploads row; upload_id is NULL for a file refused before it was
-- stored (too large, not inflatable). A file's row holds, once done, either
-- what was read (the report's JSON and narrative, its unit, year, form and
-- counts) or the one reason it could not be read — never part of both.
CREATE TABLE annual_batches (
	id {{id}},
	name TEXT NOT NULL,
	files INTEGER NOT NULL,
	bytes BIGINT NOT NULL,
	state TEXT NOT NULL DEFAULT 'checking' CHECK (state IN ('checking', 'done')),
	user_id BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	finished_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE annual_batch_files (
	id {{id}},
	batch_id BIGINT NOT NULL REFERENCES annual_batches(id),
	pos INTEGER NOT NULL,
	name TEXT NOT NULL,
	upload_id BIGINT REFERENCES annual_uploads(id),
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
	read_error TEXT NOT NULL DEFAULT '',
	form TEXT NOT NULL DEFAULT '',
	unit TEXT NOT NULL DEFAULT '',
	year INTEGER NOT NULL DEFAULT 0,
	errors INTEGER NOT NULL DEFAULT 0,
	warnings INTEGER NOT NULL DEFAULT 0,
	report_json TEXT NOT NULL DEFAULT '',
	text_json TEXT NOT NULL DEFAULT '',
	checked_at TEXT NOT NULL DEFAULT '',
	UNIQUE (batch_id, pos)
);
CREATE INDEX annual_batch_files_state ON annual_batch_files (batch_id, state, pos);
CREATE INDEX annual_batches_user ON annual_batches (user_id, id);
