-- 依申请公开 and the desk: the event histories are append-only in the
-- database, as the audit log is (0002) and 主动公开's are (0009).
-- An application's events and an enquiry's events are history: never
-- changed or removed (the state is derived from them). publish_append_only
-- (0009) raises the error naming the table.
CREATE TRIGGER req_events_no_change BEFORE UPDATE OR DELETE ON req_events
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
CREATE TRIGGER desk_enquiry_events_no_change BEFORE UPDATE OR DELETE ON desk_enquiry_events
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
