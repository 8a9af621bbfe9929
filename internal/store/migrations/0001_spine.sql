-- The spine: units, departments, staff, sessions, login throttling, the
-- audit log, settings and the working-day calendar's extensions.

CREATE TABLE units (
	id {{id}},
	parent_id BIGINT REFERENCES units(id),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE departments (
	id {{id}},
	unit_id BIGINT NOT NULL REFERENCES units(id),
	name TEXT NOT NULL,
	UNIQUE (unit_id, name)
);

CREATE TABLE users (
	id {{id}},
	username TEXT NOT NULL,
	username_key TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units(id),
	department_id BIGINT REFERENCES departments(id),
	email TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

CREATE TABLE user_roles (
	user_id BIGINT NOT NULL REFERENCES users(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	role TEXT NOT NULL,
	PRIMARY KEY (user_id, unit_id, role)
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id),
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_seen TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen);

CREATE TABLE login_attempts (
	id {{id}},
	client_key TEXT NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (client_key, at);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY,
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	at TEXT NOT NULL,
	actor_id BIGINT NOT NULL DEFAULT 0,
	actor_name TEXT NOT NULL,
	unit_id BIGINT NOT NULL DEFAULT 0,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	before_json TEXT NOT NULL,
	after_json TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_unit ON audit_log (unit_id, seq);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE calendar_entries (
	id {{id}},
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	source TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX calendar_entries_start ON calendar_entries (start_date);
