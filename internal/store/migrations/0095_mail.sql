-- Applications by e-mail (issue 16, 条例第二十九条、第三十一条): each message
-- read from the unit's mailbox or piped by its mail server is kept here
-- until a handler confirms it (it becomes an application, or the 补正 of
-- one) or rejects it. Spam, bounces, auto-replies and unreadable messages
-- are kept apart by kind and never become applications. dedup_key is the
-- Message-ID, or a hash of the message where it has none: a message is
-- ingested once per unit. body has the identity numbers masked; ids_sealed
-- holds them sealed under the data key, as req_applications.id_sealed.
-- sent_date is the sender's Date: header, for display only: the date of
-- receipt is the day the handler confirms (第三十一条, 数据电文).
CREATE TABLE mail_messages (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	dedup_key TEXT NOT NULL,
	message_id TEXT NOT NULL,
	source TEXT NOT NULL,
	kind TEXT NOT NULL,
	why TEXT NOT NULL,
	purpose TEXT NOT NULL,
	target_id BIGINT NOT NULL DEFAULT 0,
	from_addr TEXT NOT NULL,
	from_name TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	ids_sealed TEXT NOT NULL,
	sent_date TEXT NOT NULL,
	refused TEXT NOT NULL,
	warnings TEXT NOT NULL,
	size BIGINT NOT NULL,
	status TEXT NOT NULL,
	application_id BIGINT NOT NULL DEFAULT 0,
	decided_by TEXT NOT NULL DEFAULT '',
	decided_at TEXT NOT NULL DEFAULT '',
	decision_note TEXT NOT NULL DEFAULT '',
	received_at TEXT NOT NULL,
	UNIQUE (unit_id, dedup_key)
);
CREATE INDEX mail_messages_status ON mail_messages (unit_id, status, id);

CREATE TABLE mail_attachments (
	id {{id}},
	mail_id BIGINT NOT NULL REFERENCES mail_messages(id),
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	content {{blob}} NOT NULL
);
CREATE INDEX mail_attachments_mail ON mail_attachments (mail_id, id);

-- The unit's disclosure mailbox read over IMAP: the password sealed under
-- the data key; uid_validity and last_uid remember what was read, so that
-- nothing is read twice and the mailbox is otherwise left as it was.
CREATE TABLE mail_mailboxes (
	unit_id BIGINT PRIMARY KEY REFERENCES units(id),
	address TEXT NOT NULL,
	security TEXT NOT NULL,
	username TEXT NOT NULL,
	password_sealed TEXT NOT NULL,
	mailbox TEXT NOT NULL,
	uid_validity BIGINT NOT NULL DEFAULT 0,
	last_uid BIGINT NOT NULL DEFAULT 0,
	polled_at TEXT NOT NULL DEFAULT '',
	last_error TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);
