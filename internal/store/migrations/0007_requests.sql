-- 依申请公开: applications and their append-only events (issue 4). The
-- columns from status on are derived from the events and rewritten in the
-- transaction that appends one; table 三 is computed from them.
CREATE TABLE req_applications (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	receipt_no TEXT NOT NULL UNIQUE,
	idem_token TEXT NOT NULL UNIQUE,
	query_hash TEXT NOT NULL,
	channel TEXT NOT NULL,
	applicant_type TEXT NOT NULL,
	applicant_name TEXT NOT NULL,
	id_sealed TEXT NOT NULL,
	id_masked TEXT NOT NULL,
	phone TEXT NOT NULL,
	address TEXT NOT NULL,
	email TEXT NOT NULL,
	description TEXT NOT NULL,
	form TEXT NOT NULL,
	delivery TEXT NOT NULL,
	received_on TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	status TEXT NOT NULL,
	due_on TEXT NOT NULL,
	concluded_on TEXT NOT NULL,
	outcome TEXT NOT NULL,
	sub_kind TEXT NOT NULL,
	event_count INTEGER NOT NULL
);
-- Covering indexes for tables 三 and 四: every part of the year's count is
-- an index-only range scan (store.RequestCounts).
CREATE INDEX req_applications_received ON req_applications (unit_id, received_on, applicant_type);
CREATE INDEX req_applications_concluded ON req_applications (unit_id, concluded_on, received_on, applicant_type, outcome, sub_kind);
CREATE INDEX req_applications_due ON req_applications (unit_id, status, due_on);

CREATE TABLE req_events (
	id {{id}},
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,
	on_date TEXT NOT NULL,
	role TEXT NOT NULL,
	outcome TEXT NOT NULL,
	sub_kind TEXT NOT NULL,
	days INTEGER NOT NULL,
	yuan INTEGER NOT NULL,
	approved INTEGER NOT NULL,
	note TEXT NOT NULL,
	actor_id BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (application_id, seq)
);

-- Administrative reconsiderations and lawsuits about an application (table 四).
CREATE TABLE req_appeals (
	id {{id}},
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	kind TEXT NOT NULL,
	filed_on TEXT NOT NULL,
	result TEXT NOT NULL,
	decided_on TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX req_appeals_application ON req_appeals (application_id);

-- In-app reminders of the statutory clock (条例第三十三条), raised by the
-- recurring job requests.reminders: one per user, application, urgency and
-- day, so a rerun on the same day adds nothing.
CREATE TABLE req_notifications (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users(id),
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	kind TEXT NOT NULL,
	due_on TEXT NOT NULL,
	message TEXT NOT NULL,
	on_date TEXT NOT NULL,
	emailed INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	read_at TEXT NOT NULL,
	UNIQUE (user_id, application_id, kind, on_date)
);
CREATE INDEX req_notifications_user ON req_notifications (user_id, read_at);

-- Answer letters as generated (DOCX and PDF), kept with the application
-- with their SHA-256; a new version is a new row.
CREATE TABLE req_letters (
	id {{id}},
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	format TEXT NOT NULL,
	content {{blob}} NOT NULL,
	sha256 TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX req_letters_application ON req_letters (application_id, id);

-- Files attached to an application (limited by requests.CheckAttachments).
CREATE TABLE req_attachments (
	id {{id}},
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	content {{blob}} NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX req_attachments_application ON req_attachments (application_id, id);
