-- A published annual report never changes (issue 10): its versions and
-- their files are append-only in the database.
CREATE TRIGGER annual_report_versions_no_update BEFORE UPDATE ON annual_report_versions
BEGIN
	SELECT RAISE(ABORT, 'annual_report_versions is append-only');
END;
CREATE TRIGGER annual_report_versions_no_delete BEFORE DELETE ON annual_report_versions
BEGIN
	SELECT RAISE(ABORT, 'annual_report_versions is append-only');
END;
CREATE TRIGGER annual_report_files_no_update BEFORE UPDATE ON annual_report_files
BEGIN
	SELECT RAISE(ABORT, 'annual_report_files is append-only');
END;
CREATE TRIGGER annual_report_files_no_delete BEFORE DELETE ON annual_report_files
BEGIN
	SELECT RAISE(ABORT, 'annual_report_files is append-only');
END;
