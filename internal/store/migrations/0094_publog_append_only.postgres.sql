-- The public log's records are append-only (0093), as the other histories are.
-- publish_append_only (0009) raises the error naming the table.
CREATE TRIGGER req_publog_versions_no_change BEFORE UPDATE OR DELETE ON req_publog_versions
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
CREATE TRIGGER req_publog_files_no_change BEFORE UPDATE OR DELETE ON req_publog_files
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
