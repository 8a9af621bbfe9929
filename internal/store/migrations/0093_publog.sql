-- The public log of answered requests (issue 16): per application, the
-- versions of its public entry — the question with personal data removed
-- as a handler approved or withheld it, the outcome and answer date copied
-- from the application at that moment, and for 予以公开 the released
-- documents the entry lists. The latest version of an application is its
-- entry; only an approved one shows on the portal. Records: append-only
-- (0094).
CREATE TABLE req_publog_versions (
	id {{id}},
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	status TEXT NOT NULL,
	question TEXT NOT NULL,
	outcome TEXT NOT NULL,
	answered_on TEXT NOT NULL,
	files_json TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX req_publog_versions_application ON req_publog_versions (application_id, id);
CREATE INDEX req_publog_versions_unit ON req_publog_versions (unit_id, status, answered_on);

-- The documents released in full (予以公开) that an entry may list.
CREATE TABLE req_publog_files (
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
CREATE INDEX req_publog_files_application ON req_publog_files (application_id, id);
