-- 申请内容分类 (issue 10's section 一（二）, issue 11): a handler marks what an
-- application is about with an event (kind 'subjects', its subjects in
-- req_events.subjects, one a line); req_subjects is the projection of the
-- last marking, rewritten in the transaction that appends the event, so
-- that the year's applications can be counted and listed by subject.
-- A unit's list of subjects is the setting requests.subjects.<unit id>.
ALTER TABLE req_events ADD COLUMN subjects TEXT NOT NULL DEFAULT '';
CREATE TABLE req_subjects (
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	subject TEXT NOT NULL,
	pos INTEGER NOT NULL,
	PRIMARY KEY (application_id, subject)
);
CREATE INDEX req_subjects_subject ON req_subjects (subject, application_id);
