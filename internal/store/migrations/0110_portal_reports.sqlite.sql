-- A published annual report or its correction (a new row of
-- annual_report_versions) changes the portal's 年报 column and report
-- pages — of its unit's site and of every site above it that lists its
-- subordinates' reports. It moves every unit's portal generation (0080) in
-- the publishing transaction: reports are published a few times a year,
-- so dropping all cached pages then costs nothing, and no site's column
-- can be missed however deep the hierarchy (a trigger cannot recurse up
-- the units here).
CREATE TRIGGER annual_report_versions_gen AFTER INSERT ON annual_report_versions BEGIN
	INSERT INTO portal_generation (unit_id, gen, changed_at) SELECT id, 1, CAST(strftime('%s', 'now') AS INTEGER) FROM units WHERE true
		ON CONFLICT (unit_id) DO UPDATE SET gen = gen + 1, changed_at = excluded.changed_at;
END;
