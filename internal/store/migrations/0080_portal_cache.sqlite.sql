-- The portal's caches (internal/web, portal_cache.go) and its listing
-- counts, kept by the database in the write transaction of every change to
-- the public rows (pub_items), whoever makes it: publish, revision,
-- withdrawal, scheduling, a change of validity, a bulk import.
--
-- portal_generation: one counter per unit, bumped by every change to the
-- unit's public rows; every server instance polls it (off the request
-- path) and drops its cached pages of the unit when it moves. changed_at
-- (Unix seconds, the database's clock) is the pages' Last-Modified.
--
-- pub_counts: the number of open public rows (live_until = '') per unit
-- and category — one per published item. What the portal shows is this
-- corrected by the few rows whose time is still to come (a scheduled
-- publication or end), read through the two indexes below
-- (store.Public.Categories).
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

CREATE TRIGGER pub_items_gen_ins AFTER INSERT ON pub_items BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (NEW.unit_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
	INSERT INTO pub_counts (unit_id, category_id, n) SELECT NEW.unit_id, NEW.category_id, 1 WHERE NEW.live_until = ''
		ON CONFLICT (unit_id, category_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER pub_items_gen_del AFTER DELETE ON pub_items BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (OLD.unit_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
	UPDATE pub_counts SET n = n - 1 WHERE OLD.live_until = '' AND unit_id = OLD.unit_id AND category_id = OLD.category_id;
END;
CREATE TRIGGER pub_items_gen_upd AFTER UPDATE ON pub_items BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (NEW.unit_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
	UPDATE pub_counts SET n = n - 1 WHERE OLD.live_until = '' AND unit_id = OLD.unit_id AND category_id = OLD.category_id;
	INSERT INTO pub_counts (unit_id, category_id, n) SELECT NEW.unit_id, NEW.category_id, 1 WHERE NEW.live_until = ''
		ON CONFLICT (unit_id, category_id) DO UPDATE SET n = n + 1;
END;
