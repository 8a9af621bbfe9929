-- A published annual report never changes (issue 10): its versions and
-- their files are append-only in the database. publish_append_only (0009)
-- raises the error naming the table.
CREATE TRIGGER annual_report_versions_no_change BEFORE UPDATE OR DELETE ON annual_report_versions
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
CREATE TRIGGER annual_report_files_no_change BEFORE UPDATE OR DELETE ON annual_report_files
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
