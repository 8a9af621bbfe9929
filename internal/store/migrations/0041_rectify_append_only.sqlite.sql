-- The register's history is append-only in the database, as the other
-- event histories are (0009, 0011): the problems' state is derived from it.
CREATE TRIGGER rectify_events_no_update BEFORE UPDATE ON rectify_events
BEGIN
	SELECT RAISE(ABORT, 'rectify_events is append-only');
END;
CREATE TRIGGER rectify_events_no_delete BEFORE DELETE ON rectify_events
BEGIN
	SELECT RAISE(ABORT, 'rectify_events is append-only');
END;
