-- Decisions on findings are a history: append-only in the database, as the
-- other histories are (0011, 0041).
CREATE TRIGGER annual_decisions_no_update BEFORE UPDATE ON annual_decisions
BEGIN
	SELECT RAISE(ABORT, 'annual_decisions is append-only');
END;
CREATE TRIGGER annual_decisions_no_delete BEFORE DELETE ON annual_decisions
BEGIN
	SELECT RAISE(ABORT, 'annual_decisions is append-only');
END;
