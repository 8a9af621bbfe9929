-- The annual report's reads at a million records per kind (issue 10's
-- benchmark, internal/store/reportbench_test.go): each read of a build is
-- one range scan of an index that holds every column it needs.
--
-- Section 一（三）: the year's call-detail records with what they add up
-- (answered, waiting and talking time) and the import that must be done;
-- the hotline records with their rating; consultations and messages
-- received, answered (with the times the handling average needs) and
-- dismissed. Each covering index replaces the narrower one it starts with.
CREATE INDEX desk_cdr_figures ON desk_cdr (unit_id, started_at, import_id, answered, wait_secs, talk_secs);
DROP INDEX desk_cdr_time;
CREATE INDEX desk_calls_figures ON desk_calls (unit_id, at, import_id, rating);
DROP INDEX desk_calls_time;
CREATE INDEX desk_enquiries_received ON desk_enquiries (unit_id, kind, received_at);
CREATE INDEX desk_enquiries_handled ON desk_enquiries (unit_id, kind, answered_at, received_at, published_at);
DROP INDEX desk_enquiries_answered;
CREATE INDEX desk_enquiry_events_kind ON desk_enquiry_events (kind, at, enquiry_id);
-- Section 六 and 一（二）: the fees paid in the year.
CREATE INDEX req_events_kind ON req_events (kind, on_date, application_id);
-- Section 一（一）: the items published since a day.
CREATE INDEX publish_events_published ON publish_events (kind, publish_at, item_id);
DROP INDEX publish_events_kind;
