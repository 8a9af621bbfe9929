-- A published annual report or its correction moves every unit's portal
-- generation: see the SQLite file.
CREATE FUNCTION annual_report_versions_portal() RETURNS trigger AS $$
BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) SELECT id, 1, extract(epoch FROM now())::bigint FROM units
		ON CONFLICT (unit_id) DO UPDATE SET gen = portal_generation.gen + 1, changed_at = excluded.changed_at;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER annual_report_versions_portal AFTER INSERT ON annual_report_versions
	FOR EACH ROW EXECUTE FUNCTION annual_report_versions_portal();
