-- The parts of 主动公开's schema that differ by engine: the search index
-- (FTS5 on SQLite, tsvector on PostgreSQL) and the append-only guards.
-- The search index: FTS5 over the pre-segmented token text (internal/search),
-- keyed by pub_items.id; contentless, the text lives in pub_items.
CREATE VIRTUAL TABLE pub_fts USING fts5(title_t, title_u, body_t, body_u, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

-- Versions and events are history: never changed or removed.
CREATE TRIGGER publish_events_no_update BEFORE UPDATE ON publish_events
BEGIN
	SELECT RAISE(ABORT, 'publish_events is append-only');
END;
CREATE TRIGGER publish_events_no_delete BEFORE DELETE ON publish_events
BEGIN
	SELECT RAISE(ABORT, 'publish_events is append-only');
END;
CREATE TRIGGER publish_versions_no_update BEFORE UPDATE ON publish_versions
BEGIN
	SELECT RAISE(ABORT, 'publish_versions is append-only');
END;
CREATE TRIGGER publish_versions_no_delete BEFORE DELETE ON publish_versions
BEGIN
	SELECT RAISE(ABORT, 'publish_versions is append-only');
END;
