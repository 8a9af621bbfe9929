-- 第四十四条 (issue 16): the draft items proposed for proactive disclosure
-- from applications that several applicants made, linked to them. A link
-- is a record: never changed.
CREATE TABLE req_proactive_items (
	item_id BIGINT NOT NULL REFERENCES publish_items(id),
	application_id BIGINT NOT NULL REFERENCES req_applications(id),
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (item_id, application_id)
);
CREATE INDEX req_proactive_items_application ON req_proactive_items (application_id);
