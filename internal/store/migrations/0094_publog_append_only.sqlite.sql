-- The public log's records are append-only (0093), as the other histories are.
CREATE TRIGGER req_publog_versions_no_update BEFORE UPDATE ON req_publog_versions
BEGIN
	SELECT RAISE(ABORT, 'req_publog_versions is append-only');
END;
CREATE TRIGGER req_publog_versions_no_delete BEFORE DELETE ON req_publog_versions
BEGIN
	SELECT RAISE(ABORT, 'req_publog_versions is append-only');
END;
CREATE TRIGGER req_publog_files_no_update BEFORE UPDATE ON req_publog_files
BEGIN
	SELECT RAISE(ABORT, 'req_publog_files is append-only');
END;
CREATE TRIGGER req_publog_files_no_delete BEFORE DELETE ON req_publog_files
BEGIN
	SELECT RAISE(ABORT, 'req_publog_files is append-only');
END;
