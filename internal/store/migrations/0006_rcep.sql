-- 享惠智选: versions of the tariff data, each imported whole and never
-- changed (a question for a date uses the version in force on that date),
-- and one record per question asked, from which the usage statistics are
-- counted.

CREATE TABLE rcep_versions (
	id {{id}},
	effective_date TEXT NOT NULL,
	title TEXT NOT NULL,
	source TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	mode TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX rcep_versions_effective ON rcep_versions (effective_date, id);

CREATE TABLE rcep_agreements (
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	code TEXT NOT NULL,
	short_name TEXT NOT NULL,
	name TEXT NOT NULL,
	effective_date TEXT NOT NULL,
	line INTEGER NOT NULL,
	PRIMARY KEY (version_id, code)
);

CREATE TABLE rcep_parties (
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	agreement TEXT NOT NULL,
	country TEXT NOT NULL,
	name TEXT NOT NULL,
	effective_date TEXT NOT NULL,
	line INTEGER NOT NULL,
	PRIMARY KEY (version_id, agreement, country)
);

CREATE TABLE rcep_goods (
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	hs TEXT NOT NULL,
	name TEXT NOT NULL,
	keywords TEXT NOT NULL,
	line INTEGER NOT NULL,
	PRIMARY KEY (version_id, hs)
);

CREATE TABLE rcep_mfn (
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	importer TEXT NOT NULL,
	hs TEXT NOT NULL,
	rate_bp BIGINT NOT NULL,
	line INTEGER NOT NULL,
	PRIMARY KEY (version_id, importer, hs)
);

CREATE TABLE rcep_lines (
	id {{id}},
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	agreement TEXT NOT NULL,
	importer TEXT NOT NULL,
	origins TEXT NOT NULL,
	hs TEXT NOT NULL,
	base_bp BIGINT NOT NULL,
	staging TEXT NOT NULL,
	line INTEGER NOT NULL
);
CREATE INDEX rcep_lines_hs ON rcep_lines (version_id, hs);

CREATE TABLE rcep_line_rates (
	line_id BIGINT NOT NULL REFERENCES rcep_lines(id),
	year INTEGER NOT NULL,
	rate_bp BIGINT NOT NULL,
	PRIMARY KEY (line_id, year)
);

CREATE TABLE rcep_rules (
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	agreement TEXT NOT NULL,
	hs_prefix TEXT NOT NULL,
	rule TEXT NOT NULL,
	line INTEGER NOT NULL,
	PRIMARY KEY (version_id, agreement, hs_prefix)
);

-- The lines an import in "good rows only" mode skipped, with the reason.
CREATE TABLE rcep_import_issues (
	version_id BIGINT NOT NULL REFERENCES rcep_versions(id),
	line INTEGER NOT NULL,
	message TEXT NOT NULL
);
CREATE INDEX rcep_import_issues_version ON rcep_import_issues (version_id, line);

CREATE TABLE rcep_queries (
	id {{id}},
	at TEXT NOT NULL,
	day TEXT NOT NULL,
	kind TEXT NOT NULL,
	channel TEXT NOT NULL,
	query_date TEXT NOT NULL,
	hs TEXT NOT NULL,
	chapter INTEGER NOT NULL,
	direction TEXT NOT NULL,
	country TEXT NOT NULL,
	agreement TEXT NOT NULL,
	version_id BIGINT NOT NULL,
	outcome TEXT NOT NULL
);
CREATE INDEX rcep_queries_day ON rcep_queries (day);

-- A tariff file whose import was refused for errors is kept, so that the
-- administrator can then choose to import its rows without errors from
-- exactly the bytes that were checked, on whichever instance.
CREATE TABLE rcep_uploads (
	id {{id}},
	sha256 TEXT NOT NULL,
	name TEXT NOT NULL,
	content {{blob}} NOT NULL,
	uploaded_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
