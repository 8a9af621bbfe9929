-- Annual reports read into the system: every uploaded file (kept so that an
-- import re-reads exactly what was checked), and the reports a unit imported
-- as its own history (for year-on-year figures and carry-over checks).
CREATE TABLE annual_uploads (
	id {{id}},
	sha256 TEXT NOT NULL,
	name TEXT NOT NULL,
	size BIGINT NOT NULL,
	content {{blob}} NOT NULL,
	uploaded_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX annual_uploads_sha ON annual_uploads (sha256);

CREATE TABLE annual_history (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	year INTEGER NOT NULL,
	upload_id BIGINT NOT NULL REFERENCES annual_uploads(id),
	report_json TEXT NOT NULL,
	imported_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (unit_id, year)
);
