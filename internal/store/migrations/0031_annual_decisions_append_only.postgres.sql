-- Decisions on findings are a history: append-only in the database, as the
-- other histories are (0011, 0041). publish_append_only (0009) raises the
-- error naming the table.
CREATE TRIGGER annual_decisions_no_change BEFORE UPDATE OR DELETE ON annual_decisions
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
