-- 依申请公开 on the workbench (issue 11): derived, like the columns from
-- status on, and rewritten in the transaction that appends an event:
-- review_pending — a decision awaits the legal reviewer (部分公开、不予公开、
-- disclosure in the public interest); extension_asked — the day a handler
-- asked the office head for an extension still undecided ('' when none).
ALTER TABLE req_applications ADD COLUMN review_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE req_applications ADD COLUMN extension_asked TEXT NOT NULL DEFAULT '';
CREATE INDEX req_applications_review ON req_applications (unit_id, review_pending);
-- Decisions already awaiting review: the last decision of a decided
-- application needs it and no approving review followed it.
UPDATE req_applications SET review_pending = 1 WHERE status = 'decided' AND EXISTS (
	SELECT 1 FROM req_events d WHERE d.application_id = req_applications.id AND d.kind = 'decided'
		AND (d.outcome = 'partly_disclosed' OR d.outcome LIKE 'withheld_%' OR d.public_interest = 1)
		AND d.seq = (SELECT max(x.seq) FROM req_events x WHERE x.application_id = d.application_id AND x.kind = 'decided')
		AND NOT EXISTS (SELECT 1 FROM req_events l WHERE l.application_id = d.application_id AND l.kind = 'legal_reviewed' AND l.seq > d.seq AND l.approved = 1));
