-- The service desk (issue 6): the 12360 hotline and its call-detail
-- records, web consultations and messages with their event history, the
-- portal forms' abuse counters, website visits, new media, press
-- conferences and outreach, surveys and complaints. Every figure of section
-- 一（三） is counted from these rows; no total is stored.

-- Imports of CSV files (CDR, hotline records, posts, followers, visits).
CREATE TABLE desk_imports (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	file_name TEXT NOT NULL,
	mapping TEXT NOT NULL,
	mode TEXT NOT NULL,
	state TEXT NOT NULL,
	rows_read BIGINT NOT NULL DEFAULT 0,
	rows_imported BIGINT NOT NULL DEFAULT 0,
	rows_duplicate BIGINT NOT NULL DEFAULT 0,
	rows_bad BIGINT NOT NULL DEFAULT 0,
	errors_json TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	finished_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX desk_imports_unit ON desk_imports (unit_id, created_at);

-- Uploaded files kept between the column-mapping step and the import (any
-- instance may serve either step), and column mappings saved by name.
CREATE TABLE desk_uploads (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	content {{blob}} NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE desk_mappings (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	mapping TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (unit_id, kind, name)
);

-- One row per call offered to the hotline, from the telephony system.
CREATE TABLE desk_cdr (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	import_id BIGINT NOT NULL REFERENCES desk_imports(id),
	call_id TEXT NOT NULL,
	started_at TEXT NOT NULL,
	answered INTEGER NOT NULL,
	wait_secs BIGINT NOT NULL,
	talk_secs BIGINT NOT NULL,
	agent TEXT NOT NULL DEFAULT '',
	UNIQUE (unit_id, call_id)
);
CREATE INDEX desk_cdr_time ON desk_cdr (unit_id, started_at);

-- One row per hotline enquiry handled by an agent (热线工单).
CREATE TABLE desk_calls (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	channel TEXT NOT NULL,
	at TEXT NOT NULL,
	caller_type TEXT NOT NULL,
	topic TEXT NOT NULL,
	question TEXT NOT NULL,
	answer TEXT NOT NULL,
	agent_id BIGINT REFERENCES users(id),
	agent_name TEXT NOT NULL,
	transferred TEXT NOT NULL DEFAULT '',
	rating INTEGER NOT NULL DEFAULT 0,
	call_id TEXT NOT NULL DEFAULT '',
	import_id BIGINT REFERENCES desk_imports(id),
	created_at TEXT NOT NULL
);
CREATE INDEX desk_calls_time ON desk_calls (unit_id, at);

-- Web consultations and messages; state is the kind of the last event.
CREATE TABLE desk_enquiries (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	ref TEXT NOT NULL UNIQUE,
	query_hash TEXT NOT NULL,
	received_at TEXT NOT NULL,
	name TEXT NOT NULL,
	phone TEXT NOT NULL,
	email TEXT NOT NULL,
	topic TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	public_ok INTEGER NOT NULL,
	state TEXT NOT NULL,
	answered_at TEXT NOT NULL DEFAULT '',
	published_at TEXT NOT NULL DEFAULT '',
	event_count INTEGER NOT NULL
);
CREATE INDEX desk_enquiries_state ON desk_enquiries (unit_id, state, received_at);
CREATE INDEX desk_enquiries_answered ON desk_enquiries (unit_id, kind, answered_at);

CREATE TABLE desk_enquiry_events (
	id {{id}},
	enquiry_id BIGINT NOT NULL REFERENCES desk_enquiries(id),
	seq INTEGER NOT NULL,
	at TEXT NOT NULL,
	kind TEXT NOT NULL,
	actor_id BIGINT REFERENCES users(id),
	actor_name TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	UNIQUE (enquiry_id, seq)
);

-- Portal form submissions per client (a keyed hash of the address), for
-- the rate limit; and challenge nonces already used.
CREATE TABLE desk_form_hits (
	id {{id}},
	client_key TEXT NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX desk_form_hits_key ON desk_form_hits (client_key, at);

CREATE TABLE desk_nonces (
	nonce TEXT PRIMARY KEY,
	used_at TEXT NOT NULL
);

-- Portal page views per day and page group, counted by the server.
CREATE TABLE desk_visits (
	unit_id BIGINT NOT NULL REFERENCES units(id),
	day TEXT NOT NULL,
	page_group TEXT NOT NULL,
	hits BIGINT NOT NULL,
	import_id BIGINT REFERENCES desk_imports(id),
	PRIMARY KEY (unit_id, day, page_group)
);

-- New media.
CREATE TABLE desk_accounts (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	platform TEXT NOT NULL,
	name TEXT NOT NULL,
	UNIQUE (unit_id, platform, name)
);

CREATE TABLE desk_posts (
	id {{id}},
	account_id BIGINT NOT NULL REFERENCES desk_accounts(id),
	kind TEXT NOT NULL,
	day TEXT NOT NULL,
	title TEXT NOT NULL,
	column_name TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	import_id BIGINT REFERENCES desk_imports(id),
	created_at TEXT NOT NULL,
	UNIQUE (account_id, day, title)
);
CREATE INDEX desk_posts_day ON desk_posts (account_id, day);

CREATE TABLE desk_followers (
	account_id BIGINT NOT NULL REFERENCES desk_accounts(id),
	day TEXT NOT NULL,
	followers BIGINT NOT NULL,
	import_id BIGINT REFERENCES desk_imports(id),
	PRIMARY KEY (account_id, day)
);

-- Press conferences and outreach events.
CREATE TABLE desk_outreach (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	day TEXT NOT NULL,
	title TEXT NOT NULL,
	enterprises BIGINT NOT NULL,
	notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX desk_outreach_day ON desk_outreach (unit_id, day);

-- Surveys: questions and options are fixed once open; one row per response
-- and one per answer.
CREATE TABLE desk_surveys (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	title TEXT NOT NULL,
	intro TEXT NOT NULL,
	state TEXT NOT NULL,
	opened_at TEXT NOT NULL DEFAULT '',
	closed_at TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

CREATE TABLE desk_questions (
	id {{id}},
	survey_id BIGINT NOT NULL REFERENCES desk_surveys(id),
	pos INTEGER NOT NULL,
	kind TEXT NOT NULL,
	text TEXT NOT NULL,
	required INTEGER NOT NULL
);

CREATE TABLE desk_options (
	id {{id}},
	question_id BIGINT NOT NULL REFERENCES desk_questions(id),
	pos INTEGER NOT NULL,
	label TEXT NOT NULL
);

CREATE TABLE desk_responses (
	id {{id}},
	survey_id BIGINT NOT NULL REFERENCES desk_surveys(id),
	at TEXT NOT NULL
);
CREATE INDEX desk_responses_survey ON desk_responses (survey_id, at);

CREATE TABLE desk_answers (
	id {{id}},
	response_id BIGINT NOT NULL REFERENCES desk_responses(id),
	question_id BIGINT NOT NULL REFERENCES desk_questions(id),
	option_id BIGINT REFERENCES desk_options(id),
	text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX desk_answers_question ON desk_answers (question_id);

-- Complaints about disclosure work.
CREATE TABLE desk_complaints (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	received_on TEXT NOT NULL,
	channel TEXT NOT NULL,
	complainant TEXT NOT NULL,
	subject TEXT NOT NULL,
	summary TEXT NOT NULL,
	outcome TEXT NOT NULL DEFAULT '',
	outcome_note TEXT NOT NULL DEFAULT '',
	concluded_on TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
