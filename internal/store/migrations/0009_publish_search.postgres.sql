-- The parts of 主动公开's schema that differ by engine: the search index
-- (FTS5 on SQLite, tsvector on PostgreSQL) and the append-only guards.
-- The search index: tsvectors built from the pre-segmented tokens
-- (internal/search), written as tsvector/tsquery literals so that no text
-- search parser or locale touches them (the 'simple' behaviour, exactly).
CREATE TABLE pub_search (
	pub_id BIGINT PRIMARY KEY REFERENCES pub_items(id),
	vec_t TSVECTOR NOT NULL,
	vec_u TSVECTOR NOT NULL
);
CREATE INDEX pub_search_t ON pub_search USING GIN (vec_t);
CREATE INDEX pub_search_u ON pub_search USING GIN (vec_u);

-- Versions and events are history: never changed or removed.
CREATE FUNCTION publish_append_only() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER publish_events_no_change BEFORE UPDATE OR DELETE ON publish_events
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
CREATE TRIGGER publish_versions_no_change BEFORE UPDATE OR DELETE ON publish_versions
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
