-- A change to a unit's catalogue (a category added, renamed, moved or
-- removed) changes its portal pages as a change of its public rows does:
-- it moves the unit's generation (0080) in the same transaction.
CREATE TRIGGER publish_categories_gen_ins AFTER INSERT ON publish_categories BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (NEW.unit_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
END;
CREATE TRIGGER publish_categories_gen_upd AFTER UPDATE ON publish_categories BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (NEW.unit_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
END;
CREATE TRIGGER publish_categories_gen_del AFTER DELETE ON publish_categories BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) VALUES (OLD.unit_id, 1, CAST(strftime('%s', 'now') AS INTEGER))
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
END;
