-- 主动公开 (issue 5): the catalogue, items with their versions and
-- append-only event history, attachments stored once per content hash, the
-- public projection that the portal reads (pub_*), and the registers of
-- 条例第二十条 (decisions, fees). The search index and the append-only guards
-- differ by engine: migration 0009_publish_search.{sqlite,postgres}.sql.

CREATE TABLE publish_categories (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	parent_id BIGINT REFERENCES publish_categories(id),
	slug TEXT NOT NULL,
	name TEXT NOT NULL,
	sort INTEGER NOT NULL DEFAULT 0,
	noun TEXT NOT NULL DEFAULT '',
	measure TEXT NOT NULL DEFAULT '',
	article TEXT NOT NULL DEFAULT '',
	column_slug TEXT NOT NULL DEFAULT '',
	in_report INTEGER NOT NULL DEFAULT 0,
	intro TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	UNIQUE (unit_id, slug)
);

-- The current state of each item, as its events leave it (publish.Apply).
CREATE TABLE publish_items (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	state TEXT NOT NULL,
	version INTEGER NOT NULL,
	events INTEGER NOT NULL,
	title TEXT NOT NULL,
	doc_no TEXT NOT NULL DEFAULT '',
	department_id BIGINT NOT NULL REFERENCES departments(id),
	made_on TEXT NOT NULL,
	category_id BIGINT NOT NULL REFERENCES publish_categories(id),
	attribute TEXT NOT NULL,
	doc_kind TEXT NOT NULL DEFAULT '',
	author_id BIGINT NOT NULL DEFAULT 0,
	reviewer_id BIGINT NOT NULL DEFAULT 0,
	reviewer_name TEXT NOT NULL DEFAULT '',
	legal_id BIGINT NOT NULL DEFAULT 0,
	legal_name TEXT NOT NULL DEFAULT '',
	publish_at TEXT NOT NULL DEFAULT '',
	published_version INTEGER NOT NULL DEFAULT 0,
	first_publish_at TEXT NOT NULL DEFAULT '',
	validity TEXT NOT NULL DEFAULT '',
	validity_on TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX publish_items_unit_state ON publish_items (unit_id, state);
CREATE INDEX publish_items_unit_kind ON publish_items (unit_id, doc_kind);

-- Every version of every item's content; never changed.
CREATE TABLE publish_versions (
	item_id BIGINT NOT NULL REFERENCES publish_items(id),
	version INTEGER NOT NULL,
	title TEXT NOT NULL,
	doc_no TEXT NOT NULL,
	department_id BIGINT NOT NULL,
	made_on TEXT NOT NULL,
	category_id BIGINT NOT NULL,
	attribute TEXT NOT NULL,
	ground TEXT NOT NULL,
	body TEXT NOT NULL,
	doc_kind TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	legal_review INTEGER NOT NULL,
	interprets BIGINT NOT NULL,
	attachments TEXT NOT NULL,
	author_id BIGINT NOT NULL,
	author_name TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (item_id, version)
);

-- The history of every item; never changed.
CREATE TABLE publish_events (
	id {{id}},
	item_id BIGINT NOT NULL REFERENCES publish_items(id),
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,
	at TEXT NOT NULL,
	actor_id BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	version INTEGER NOT NULL,
	publish_at TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	validity TEXT NOT NULL DEFAULT '',
	validity_on TEXT NOT NULL DEFAULT '',
	UNIQUE (item_id, seq)
);
CREATE INDEX publish_events_kind ON publish_events (kind, publish_at);

CREATE TABLE publish_blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	content {{blob}} NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE publish_attachments (
	id {{id}},
	item_id BIGINT NOT NULL REFERENCES publish_items(id),
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES publish_blobs(sha256),
	text TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX publish_attachments_item ON publish_attachments (item_id);

-- What the portal may show: one row per published version, live from
-- live_from until live_until ('' = open). A scheduled publication is a row
-- whose live_from is still to come. Rows are written and removed in the
-- same transaction as the publish, cancel and withdraw events.
CREATE TABLE pub_items (
	id {{id}},
	item_id BIGINT NOT NULL REFERENCES publish_items(id),
	unit_id BIGINT NOT NULL,
	version INTEGER NOT NULL,
	live_from TEXT NOT NULL,
	live_until TEXT NOT NULL DEFAULT '',
	first_published_at TEXT NOT NULL,
	revision INTEGER NOT NULL DEFAULT 0,
	title TEXT NOT NULL,
	doc_no TEXT NOT NULL,
	department_id BIGINT NOT NULL,
	department TEXT NOT NULL,
	made_on TEXT NOT NULL,
	category_id BIGINT NOT NULL,
	doc_kind TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	validity TEXT NOT NULL,
	validity_on TEXT NOT NULL,
	interprets BIGINT NOT NULL,
	body TEXT NOT NULL,
	search_text TEXT NOT NULL
);
CREATE INDEX pub_items_unit_first ON pub_items (unit_id, first_published_at);
CREATE INDEX pub_items_item ON pub_items (item_id, unit_id);
CREATE INDEX pub_items_category ON pub_items (category_id, first_published_at);
CREATE INDEX pub_items_interprets ON pub_items (interprets, unit_id);

CREATE TABLE pub_attachments (
	id {{id}},
	pub_id BIGINT NOT NULL REFERENCES pub_items(id),
	attachment_id BIGINT NOT NULL,
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL
);
CREATE INDEX pub_attachments_pub ON pub_attachments (pub_id);
CREATE INDEX pub_attachments_att ON pub_attachments (attachment_id);

-- 条例第二十条第（五）（六）项: one row per decision.
CREATE TABLE publish_decisions (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	doc_no TEXT NOT NULL,
	subject TEXT NOT NULL,
	subject_type TEXT NOT NULL,
	credit_code TEXT NOT NULL,
	matter TEXT NOT NULL,
	result TEXT NOT NULL,
	basis TEXT NOT NULL,
	decided_on TEXT NOT NULL,
	publicize INTEGER NOT NULL,
	batch TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (unit_id, kind, doc_no)
);
CREATE INDEX publish_decisions_year ON publish_decisions (unit_id, decided_on);

-- 条例第二十条第（八）项: one row per amount collected, in fen.
CREATE TABLE publish_fees (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	collected_on TEXT NOT NULL,
	item TEXT NOT NULL,
	basis TEXT NOT NULL,
	amount_fen BIGINT NOT NULL,
	payer TEXT NOT NULL,
	receipt_no TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX publish_fees_year ON publish_fees (unit_id, collected_on);

