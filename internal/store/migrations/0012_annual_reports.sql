-- The annual report as a record (issue 10), and the settings of one unit.

-- Settings of one unit: the 政务公开办公室's address and contacts that the
-- report's opening paragraph prints, the report's options, the template.
CREATE TABLE unit_settings (
	unit_id BIGINT NOT NULL REFERENCES units(id),
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (unit_id, key)
);

-- One report per unit, year and scope (self: 本级机关; all: 全系统). Its
-- columns are derived: the last draft built from the records (when, with how
-- many errors and warnings) and the version now current on the portal.
CREATE TABLE annual_reports (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	year INTEGER NOT NULL,
	scope TEXT NOT NULL,
	draft_at TEXT NOT NULL DEFAULT '',
	draft_by TEXT NOT NULL DEFAULT '',
	draft_errors INTEGER NOT NULL DEFAULT 0,
	draft_warnings INTEGER NOT NULL DEFAULT 0,
	current_version INTEGER NOT NULL DEFAULT 0,
	published_at TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	UNIQUE (unit_id, year, scope)
);

-- Published versions: frozen (the document's JSON and every export, with
-- their SHA-256), never changed; a correction (更正) is a new version with
-- its reason. Append-only by trigger (0013).
CREATE TABLE annual_report_versions (
	id {{id}},
	report_id BIGINT NOT NULL REFERENCES annual_reports(id),
	version INTEGER NOT NULL,
	reason TEXT NOT NULL,
	override_reason TEXT NOT NULL,
	errors INTEGER NOT NULL,
	warnings INTEGER NOT NULL,
	document_json TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	published_by_id BIGINT NOT NULL,
	published_by TEXT NOT NULL,
	published_at TEXT NOT NULL,
	UNIQUE (report_id, version)
);

CREATE TABLE annual_report_files (
	version_id BIGINT NOT NULL REFERENCES annual_report_versions(id),
	format TEXT NOT NULL,
	content {{blob}} NOT NULL,
	sha256 TEXT NOT NULL,
	size BIGINT NOT NULL,
	PRIMARY KEY (version_id, format)
);

-- The earliest year of a unit's publishing (the first year it may report on).
CREATE INDEX publish_items_unit_first ON publish_items (unit_id, first_publish_at);
