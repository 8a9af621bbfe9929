-- The portal's caches and listing counts: see 0080_portal_cache.sqlite.sql.
CREATE TABLE portal_generation (
	unit_id BIGINT PRIMARY KEY,
	gen BIGINT NOT NULL DEFAULT 0,
	changed_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE pub_counts (
	unit_id BIGINT NOT NULL,
	category_id BIGINT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, category_id)
);
INSERT INTO pub_counts (unit_id, category_id, n)
	SELECT unit_id, category_id, count(*) FROM pub_items WHERE live_until = '' GROUP BY unit_id, category_id;
CREATE INDEX pub_items_unit_from ON pub_items (unit_id, live_from);
CREATE INDEX pub_items_unit_until ON pub_items (unit_id, live_until);

CREATE FUNCTION pub_items_portal() RETURNS trigger AS $$
DECLARE
	u BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN u := OLD.unit_id; ELSE u := NEW.unit_id; END IF;
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (u, 1, extract(epoch FROM now())::bigint)
		ON CONFLICT (unit_id) DO UPDATE SET gen = portal_generation.gen + 1, changed_at = excluded.changed_at;
	IF TG_OP <> 'INSERT' AND OLD.live_until = '' THEN
		UPDATE pub_counts SET n = n - 1 WHERE unit_id = OLD.unit_id AND category_id = OLD.category_id;
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.live_until = '' THEN
		INSERT INTO pub_counts (unit_id, category_id, n) VALUES (NEW.unit_id, NEW.category_id, 1)
			ON CONFLICT (unit_id, category_id) DO UPDATE SET n = pub_counts.n + 1;
	END IF;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pub_items_portal AFTER INSERT OR UPDATE OR DELETE ON pub_items
	FOR EACH ROW EXECUTE FUNCTION pub_items_portal();
