-- 依申请公开 and the desk: the event histories are append-only in the
-- database, as the audit log is (0002) and 主动公开's are (0009).
-- An application's events and an enquiry's events are history: never
-- changed or removed (the state is derived from them).
CREATE TRIGGER req_events_no_update BEFORE UPDATE ON req_events
BEGIN
	SELECT RAISE(ABORT, 'req_events is append-only');
END;
CREATE TRIGGER req_events_no_delete BEFORE DELETE ON req_events
BEGIN
	SELECT RAISE(ABORT, 'req_events is append-only');
END;
CREATE TRIGGER desk_enquiry_events_no_update BEFORE UPDATE ON desk_enquiry_events
BEGIN
	SELECT RAISE(ABORT, 'desk_enquiry_events is append-only');
END;
CREATE TRIGGER desk_enquiry_events_no_delete BEFORE DELETE ON desk_enquiry_events
BEGIN
	SELECT RAISE(ABORT, 'desk_enquiry_events is append-only');
END;
