-- 依申请公开 (issue 4), second part: applications are assigned to a handler
-- (分办) by an event, and the applicant is matched across applications by a
-- keyed hash of the identity number (never the number itself), for the
-- 重复申请 and 大量反复 hints. The derived assignee_id is rewritten, like the
-- other derived columns, in the transaction that appends an event.
ALTER TABLE req_events ADD COLUMN assignee_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE req_applications ADD COLUMN assignee_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE req_applications ADD COLUMN applicant_key TEXT NOT NULL DEFAULT '';
CREATE INDEX req_applications_assignee ON req_applications (assignee_id, status, due_on);
CREATE INDEX req_applications_applicant ON req_applications (unit_id, applicant_key, received_on);
-- The documents kept with an application: the answer letter and the
-- notices sent before it (补正、延期、收费), by kind.
ALTER TABLE req_letters ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer';
