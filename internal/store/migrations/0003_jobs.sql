-- Background jobs, claimed with row locks so that no job runs twice.
CREATE TABLE jobs (
	id {{id}},
	kind TEXT NOT NULL,
	job_key TEXT NOT NULL DEFAULT '',
	payload TEXT NOT NULL DEFAULT '',
	run_at TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending',
	attempts INTEGER NOT NULL DEFAULT 0,
	locked_by TEXT NOT NULL DEFAULT '',
	locked_until TEXT NOT NULL DEFAULT '',
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	finished_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE UNIQUE INDEX jobs_unfinished_key ON jobs (kind, job_key) WHERE job_key <> '' AND state IN ('pending', 'running');
