-- 区分处理's records are append-only (0090), as the other histories are.
CREATE TRIGGER red_documents_no_update BEFORE UPDATE ON red_documents
BEGIN
	SELECT RAISE(ABORT, 'red_documents is append-only');
END;
CREATE TRIGGER red_documents_no_delete BEFORE DELETE ON red_documents
BEGIN
	SELECT RAISE(ABORT, 'red_documents is append-only');
END;
CREATE TRIGGER red_marks_no_update BEFORE UPDATE ON red_marks
BEGIN
	SELECT RAISE(ABORT, 'red_marks is append-only');
END;
CREATE TRIGGER red_marks_no_delete BEFORE DELETE ON red_marks
BEGIN
	SELECT RAISE(ABORT, 'red_marks is append-only');
END;
CREATE TRIGGER red_releases_no_update BEFORE UPDATE ON red_releases
BEGIN
	SELECT RAISE(ABORT, 'red_releases is append-only');
END;
CREATE TRIGGER red_releases_no_delete BEFORE DELETE ON red_releases
BEGIN
	SELECT RAISE(ABORT, 'red_releases is append-only');
END;
