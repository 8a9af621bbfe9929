-- Site inspection (网站检查, issue 14; internal/inspect). A run inspects one
-- target of a unit (its own portal, or a site by URL) and keeps its
-- judgements; a finding is one defect of a target, seen by one run or
-- many (inspect_run_findings, only ever appended to, says which runs saw
-- it and at what class), closed when a complete run no longer finds it.

-- The sites a unit is responsible for besides its own portal (a
-- subordinate's site hosted elsewhere).
CREATE TABLE inspect_sites (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	name TEXT NOT NULL,
	url TEXT NOT NULL,
	allow_private INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	UNIQUE (unit_id, url)
);

CREATE TABLE inspect_runs (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	-- 'portal' for the own portal, else the site's URL
	target TEXT NOT NULL,
	own INTEGER NOT NULL,
	url TEXT NOT NULL DEFAULT '',
	site_id BIGINT NOT NULL DEFAULT 0,
	allow_private INTEGER NOT NULL DEFAULT 0,
	trigger_kind TEXT NOT NULL,
	-- the schedule's due time ('' for on-demand runs): one run per target
	-- and due time, whatever number of instances ask
	due_at TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	worker TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	started_at TEXT NOT NULL DEFAULT '',
	finished_at TEXT NOT NULL DEFAULT '',
	reasons TEXT NOT NULL DEFAULT '[]',
	judgements TEXT NOT NULL DEFAULT '[]',
	stats TEXT NOT NULL DEFAULT '{}',
	vetoes INTEGER NOT NULL DEFAULT 0,
	warnings INTEGER NOT NULL DEFAULT 0,
	deductions INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX inspect_runs_due ON inspect_runs (unit_id, target, due_at) WHERE due_at <> '';
CREATE INDEX inspect_runs_unit ON inspect_runs (unit_id, created_at);
CREATE INDEX inspect_runs_status ON inspect_runs (status, created_at);

CREATE TABLE inspect_findings (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	target TEXT NOT NULL,
	indicator TEXT NOT NULL,
	fkey TEXT NOT NULL,
	level TEXT NOT NULL,
	url TEXT NOT NULL DEFAULT '',
	message TEXT NOT NULL,
	context TEXT NOT NULL DEFAULT '',
	item_id BIGINT NOT NULL DEFAULT 0,
	category_id BIGINT NOT NULL DEFAULT 0,
	enquiry_id BIGINT NOT NULL DEFAULT 0,
	account_id BIGINT NOT NULL DEFAULT 0,
	department_id BIGINT NOT NULL DEFAULT 0,
	staff_id BIGINT NOT NULL DEFAULT 0,
	staff_name TEXT NOT NULL DEFAULT '',
	first_run BIGINT NOT NULL,
	last_run BIGINT NOT NULL,
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL,
	-- when a complete run no longer found it ('' while open)
	closed_at TEXT NOT NULL DEFAULT '',
	closed_run BIGINT NOT NULL DEFAULT 0,
	UNIQUE (unit_id, target, indicator, fkey)
);
CREATE INDEX inspect_findings_open ON inspect_findings (unit_id, closed_at, level);
CREATE INDEX inspect_findings_dept ON inspect_findings (unit_id, department_id, first_seen);

CREATE TABLE inspect_run_findings (
	run_id BIGINT NOT NULL REFERENCES inspect_runs(id),
	finding_id BIGINT NOT NULL REFERENCES inspect_findings(id),
	level TEXT NOT NULL,
	message TEXT NOT NULL,
	PRIMARY KEY (run_id, finding_id)
);
CREATE INDEX inspect_run_findings_finding ON inspect_run_findings (finding_id, run_id);

-- Availability probes of home pages: one per address and due time (slot).
CREATE TABLE inspect_probes (
	id {{id}},
	url TEXT NOT NULL,
	slot TEXT NOT NULL,
	at TEXT NOT NULL,
	done INTEGER NOT NULL DEFAULT 0,
	ok INTEGER NOT NULL DEFAULT 0,
	status INTEGER NOT NULL DEFAULT 0,
	millis INTEGER NOT NULL DEFAULT 0,
	error TEXT NOT NULL DEFAULT '',
	UNIQUE (url, slot)
);
CREATE INDEX inspect_probes_at ON inspect_probes (url, at);

-- A finding told to a staff member (in the back office; mailed in the
-- unit's daily digest when SMTP is set).
CREATE TABLE inspect_notices (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users(id),
	unit_id BIGINT NOT NULL,
	finding_id BIGINT NOT NULL REFERENCES inspect_findings(id),
	run_id BIGINT NOT NULL,
	on_date TEXT NOT NULL,
	level TEXT NOT NULL,
	message TEXT NOT NULL,
	read_at TEXT NOT NULL DEFAULT '',
	digest_on TEXT NOT NULL DEFAULT '',
	emailed INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	UNIQUE (user_id, finding_id, on_date)
);
CREATE INDEX inspect_notices_user ON inspect_notices (user_id, read_at);
CREATE INDEX inspect_notices_digest ON inspect_notices (unit_id, digest_on);

-- The daily digest of a unit: one per unit and day.
CREATE TABLE inspect_digests (
	unit_id BIGINT NOT NULL REFERENCES units(id),
	on_date TEXT NOT NULL,
	created_at TEXT NOT NULL,
	notices INTEGER NOT NULL,
	PRIMARY KEY (unit_id, on_date)
);

-- The interaction channels of a new-media account as staff last tested
-- them (留言、评论、私信、自动回复).
CREATE TABLE inspect_channels (
	account_id BIGINT NOT NULL REFERENCES desk_accounts(id),
	name TEXT NOT NULL,
	working INTEGER NOT NULL,
	checked_on TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (account_id, name)
);
