package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

var _ auth.Store = (*DB)(nil)

// Account returns what login needs of an account.
func (db *DB) Account(ctx context.Context, username string) (auth.Account, error) {
	var a auth.Account
	u, err := scanUserWith(db.row(ctx, "SELECT "+userCols+", password_hash, failed_logins, locked_until FROM users WHERE username_key = ?",
		strings.ToLower(strings.TrimSpace(username))), &a.PasswordHash, &a.FailedLogins, &a.LockedUntil)
	if err == sql.ErrNoRows {
		return a, errs.E(errs.NotFound, "用户不存在")
	}
	if err != nil {
		return a, db.mapErr(err)
	}
	a.User = u
	return a, db.loadGrants(ctx, db.sql, &a.User)
}

func scanUserWith(row *sql.Row, hash *string, failed *int, locked *time.Time) (u org.User, err error) {
	var dept sql.NullInt64
	var disabled int
	var created, lockedS string
	if err = row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.UnitID, &dept, &u.Email, &disabled, &created, hash, failed, &lockedS); err != nil {
		return u, err
	}
	u.DepartmentID = dept.Int64
	u.Disabled = disabled != 0
	u.CreatedAt = mustTS(created)
	*locked = mustTS(lockedS)
	return u, nil
}

// LoginFailed counts a failed password and records it in the audit log.
func (db *DB) LoginFailed(ctx context.Context, userID int64, lockUntil time.Time) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "UPDATE users SET failed_logins = failed_logins + 1, locked_until = ? WHERE id = ?", ts(lockUntil), userID); err != nil {
			return err
		}
		if err := tx.row(ctx, "SELECT failed_logins FROM users WHERE id = ?", userID).Scan(&n); err != nil {
			return err
		}
		after := map[string]any{"failed_logins": n}
		if !lockUntil.IsZero() {
			after["locked_until"] = ts(lockUntil)
		}
		return tx.appendAudit(ctx, audit.Actor{Name: "登录"}, audit.Change{Action: "login.failed", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), After: after})
	})
	return n, err
}

// LoginSucceeded clears the failure counter and records the login.
func (db *DB) LoginSucceeded(ctx context.Context, userID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = ?", userID); err != nil {
			return err
		}
		var name string
		var unit int64
		if err := tx.row(ctx, "SELECT username, unit_id FROM users WHERE id = ?", userID).Scan(&name, &unit); err != nil {
			return err
		}
		return tx.appendAudit(ctx, audit.Actor{UserID: userID, Name: name, UnitID: unit}, audit.Change{Action: "login", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10)})
	})
}

// ClientFailures counts the failed logins from a client since the window
// start (login_attempts keeps failures only).
func (db *DB) ClientFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := db.row(ctx, "SELECT count(*) FROM login_attempts WHERE client_key = ? AND at >= ?", key, ts(since)).Scan(&n)
	return n, db.mapErr(err)
}

// RecordClientFailure records a failed login from a client. Failures long
// before the window are pruned as it goes.
func (db *DB) RecordClientFailure(ctx context.Context, key string, at, since time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM login_attempts WHERE at < ?", ts(since.Add(-time.Hour))); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO login_attempts (client_key, at) VALUES (?, ?)", key, ts(at))
		return err
	})
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s auth.Session) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)"),
		s.TokenHash, s.UserID, s.CSRF, ts(s.CreatedAt), ts(s.LastSeen))
	return db.mapErr(err)
}

// TouchSession returns a session as it was and moves its last-seen time to
// now. The caller decides whether the old last-seen time means it expired.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, now time.Time) (auth.Session, error) {
	var s auth.Session
	var created, seen string
	err := db.row(ctx, "SELECT token_hash, user_id, csrf, created_at, last_seen FROM sessions WHERE token_hash = ?", tokenHash).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &created, &seen)
	if err == sql.ErrNoRows {
		return s, errs.E(errs.NotFound, "会话不存在")
	}
	if err != nil {
		return s, db.mapErr(err)
	}
	s.CreatedAt, s.LastSeen = mustTS(created), mustTS(seen)
	// Writing on every request would make each page a write; a minute's
	// resolution is plenty for a 30-minute idle timeout.
	if now.Sub(s.LastSeen) >= time.Minute {
		if _, err := db.sql.ExecContext(ctx, db.rebind("UPDATE sessions SET last_seen = ? WHERE token_hash = ?"), ts(now), tokenHash); err != nil {
			return s, db.mapErr(err)
		}
	}
	return s, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE token_hash = ?"), tokenHash)
	return db.mapErr(err)
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE user_id = ?"), userID)
	return db.mapErr(err)
}

// DeleteSessionsIdleSince removes sessions not used since t.
func (db *DB) DeleteSessionsIdleSince(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.sql.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE last_seen < ?"), ts(t))
	if err != nil {
		return 0, db.mapErr(err)
	}
	return res.RowsAffected()
}

// Setting returns a stored setting, or def when it is unset.
func (db *DB) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := db.row(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return def, nil
	}
	return v, db.mapErr(err)
}

// SetSetting stores a setting and audits the change.
func (db *DB) SetSetting(ctx context.Context, actor audit.Actor, key, value string) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.setSetting(ctx, actor, key, value) })
}

// setSetting stores a setting and its audit entry in the transaction.
func (t *Tx) setSetting(ctx context.Context, actor audit.Actor, key, value string) error {
	var old sql.NullString
	if err := t.row(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&old); err != nil && err != sql.ErrNoRows {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM settings WHERE key = ?", key); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", key, value, ts(t.db.Now())); err != nil {
		return err
	}
	var before any
	if old.Valid {
		before = map[string]string{key: old.String}
	}
	return t.appendAudit(ctx, actor, audit.Change{Action: "setting.set", ObjectType: "setting", ObjectID: key, Before: before, After: map[string]string{key: value}})
}

// setting reads a setting in the transaction, def when it is not set.
func (t *Tx) setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := t.row(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return def, nil
	}
	return v, err
}
