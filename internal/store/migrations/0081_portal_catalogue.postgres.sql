-- A change to a unit's catalogue moves its generation: see the SQLite file.
CREATE FUNCTION publish_categories_portal() RETURNS trigger AS $$
DECLARE
	u BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN u := OLD.unit_id; ELSE u := NEW.unit_id; END IF;
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (u, 1, extract(epoch FROM now())::bigint)
		ON CONFLICT (unit_id) DO UPDATE SET gen = portal_generation.gen + 1, changed_at = excluded.changed_at;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER publish_categories_portal AFTER INSERT OR UPDATE OR DELETE ON publish_categories
	FOR EACH ROW EXECUTE FUNCTION publish_categories_portal();
