-- The register's history is append-only in the database, as the other
-- event histories are (0009, 0011): the problems' state is derived from it.
-- publish_append_only (0009) raises the error naming the table.
CREATE TRIGGER rectify_events_no_change BEFORE UPDATE OR DELETE ON rectify_events
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
