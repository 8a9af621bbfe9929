-- 区分处理 (条例第三十七条, issue 16): the documents a handler attaches to a
-- 部分公开 decision, the marks of what to withhold (each with its ground,
-- 第十四条至第十六条), the released copies produced from the kept text, and
-- the unit's reusable rules. Documents, marks and releases are records:
-- append-only (0091); a mark is withdrawn by a later row that cancels it.
CREATE TABLE red_documents (
	id {{id}},
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	format TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	content {{blob}} NOT NULL,
	pages_json TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX red_documents_application ON red_documents (application_id, id);

CREATE TABLE red_marks (
	id {{id}},
	document_id BIGINT NOT NULL REFERENCES red_documents(id),
	kind TEXT NOT NULL,
	page INTEGER NOT NULL,
	start_pos INTEGER NOT NULL,
	end_pos INTEGER NOT NULL,
	text TEXT NOT NULL,
	ground TEXT NOT NULL,
	rule TEXT NOT NULL,
	cancels BIGINT REFERENCES red_marks(id),
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX red_marks_document ON red_marks (document_id, id);

CREATE TABLE red_releases (
	id {{id}},
	document_id BIGINT NOT NULL REFERENCES red_documents(id),
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	content {{blob}} NOT NULL,
	log_json TEXT NOT NULL,
	last_mark BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX red_releases_application ON red_releases (application_id, id);

-- A unit's rules (区分处理规则): terms and expressions to mark every document
-- with. A rule is retired, not deleted.
CREATE TABLE red_rules (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	text TEXT NOT NULL,
	ground TEXT NOT NULL,
	retired INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX red_rules_unit ON red_rules (unit_id, id);
