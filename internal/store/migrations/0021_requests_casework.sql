-- 依申请公开 casework (issue 11): what the steps that send a letter record
-- (how it went, the day its addressee received it: consultations, fee
-- notices, requests for reasons), the consultation's party and reply, the
-- public-interest disclosure of 第三十二条, the published item of 第三十六条
-- 第（一）项, the agency of 第（五）项, the later answer date of 第三十五条, the
-- fee's basis and pages. consult_until is derived, like the other columns
-- from status on: the last day of an open consultation's 15 working days
-- ('' when none is open), for the worklists and reminders.
ALTER TABLE req_events ADD COLUMN sent_by TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN served_on TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN party_name TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN reply TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN public_interest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE req_events ADD COLUMN item_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE req_events ADD COLUMN until_on TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE req_events ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE req_applications ADD COLUMN consult_until TEXT NOT NULL DEFAULT '';
