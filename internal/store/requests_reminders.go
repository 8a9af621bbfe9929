package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"gongkai/internal/calendar"
	"gongkai/internal/requests"
)

// Reminders of the statutory clock (条例第三十三条): the recurring job
// requests.reminders calls RaiseRequestReminders once a day or more; every
// handler of the unit (org.RoleHandler) gets an in-app notification for
// each open application that is overdue or due within the setting
// requests.due_soon_days working days, at most one per application,
// urgency and day. The caller mails the new ones when SMTP is configured.

const settingDueSoonDays = "requests.due_soon_days"

// RequestNotification is one reminder shown to a user.
type RequestNotification struct {
	ID            int64
	ApplicationID int64
	ReceiptNo     string
	Kind          requests.Urgency
	DueOn         string
	Message       string
	OnDate        string
	Read          bool
}

// ReminderMail is the reminder one user is to receive by e-mail.
type ReminderMail struct {
	UserID int64
	Email  string
	Unit   string
	Items  []requests.ReminderItem
	ids    []int64
}

// RaiseRequestReminders raises the reminders due on today and returns how
// many are new and, per user with an e-mail address, the new ones to mail.
func (db *DB) RaiseRequestReminders(ctx context.Context, today calendar.Date) (int, []ReminderMail, error) {
	cal, err := db.Calendar(ctx)
	if err != nil {
		return 0, nil, err
	}
	soon := requests.DueSoonDays
	if v, err := db.Setting(ctx, settingDueSoonDays, ""); err != nil {
		return 0, nil, err
	} else if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		soon = n
	}
	// Working days are at most calendar days: a due date more than
	// soon working days away is also more than soon×3+15 calendar days away
	// only approximately, so the SQL bound is generous and UrgencyOf decides.
	bound := today.AddDays(soon*3 + 15).String()
	rows, err := db.query(ctx, `SELECT a.id, a.unit_id, u.name, a.receipt_no, a.applicant_name, a.status, a.due_on
		FROM req_applications a JOIN units u ON u.id = a.unit_id
		WHERE a.due_on <> '' AND a.due_on <= ? AND a.status IN ('processing', 'consulting', 'awaiting_fee', 'decided')
		ORDER BY a.due_on, a.id`, bound)
	if err != nil {
		return 0, nil, err
	}
	type due struct {
		appID, unitID int64
		unit          string
		item          requests.ReminderItem
	}
	var dues []due
	for rows.Next() {
		var d due
		var dueOn string
		if err := rows.Scan(&d.appID, &d.unitID, &d.unit, &d.item.ReceiptNo, &d.item.Applicant, &d.item.Status, &dueOn); err != nil {
			rows.Close()
			return 0, nil, err
		}
		if d.item.DueOn, err = calendar.ParseDate(dueOn); err != nil {
			rows.Close()
			return 0, nil, err
		}
		dues = append(dues, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	created := 0
	mails := map[int64]*ReminderMail{}
	var order []int64
	for _, d := range dues {
		u, err := requests.UrgencyOf(cal, today, d.item.DueOn, soon)
		if err != nil {
			return created, nil, err
		}
		if u == requests.NotUrgent {
			continue
		}
		d.item.Urgency = u
		users, err := db.query(ctx, `SELECT us.id, us.email FROM users us JOIN user_roles r ON r.user_id = us.id
			WHERE r.unit_id = ? AND r.role = 'handler' AND us.disabled = 0 ORDER BY us.id`, d.unitID)
		if err != nil {
			return created, nil, err
		}
		type rcpt struct {
			id    int64
			email string
		}
		var rs []rcpt
		for users.Next() {
			var r rcpt
			if err := users.Scan(&r.id, &r.email); err != nil {
				users.Close()
				return created, nil, err
			}
			rs = append(rs, r)
		}
		users.Close()
		msg := fmt.Sprintf("%s %s：答复期限%s（%s）", u.Label(), d.item.ReceiptNo, requests.ChineseDate(d.item.DueOn), d.item.Status.Label())
		for _, r := range rs {
			var id int64
			err := db.row(ctx, `INSERT INTO req_notifications (user_id, application_id, kind, due_on, message, on_date, emailed, created_at, read_at)
				VALUES (?, ?, ?, ?, ?, ?, 0, ?, '') ON CONFLICT (user_id, application_id, kind, on_date) DO NOTHING RETURNING id`,
				r.id, d.appID, u, d.item.DueOn.String(), msg, today.String(), ts(db.Now())).Scan(&id)
			if err == sql.ErrNoRows {
				continue // raised already today
			}
			if err != nil {
				return created, nil, db.mapErr(err)
			}
			created++
			if r.email == "" {
				continue
			}
			m := mails[r.id]
			if m == nil {
				m = &ReminderMail{UserID: r.id, Email: r.email, Unit: d.unit}
				mails[r.id] = m
				order = append(order, r.id)
			}
			m.Items = append(m.Items, d.item)
			m.ids = append(m.ids, id)
		}
	}
	out := make([]ReminderMail, 0, len(order))
	for _, id := range order {
		out = append(out, *mails[id])
	}
	return created, out, nil
}

// MarkReminderMailed records that a reminder mail went out.
func (db *DB) MarkReminderMailed(ctx context.Context, m ReminderMail) error {
	for _, id := range m.ids {
		if _, err := db.sql.ExecContext(ctx, db.rebind("UPDATE req_notifications SET emailed = 1 WHERE id = ?"), id); err != nil {
			return db.mapErr(err)
		}
	}
	return nil
}

// RequestNotifications lists a user's reminders, the unread first, newest first.
func (db *DB) RequestNotifications(ctx context.Context, userID int64, limit int) ([]RequestNotification, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.query(ctx, `SELECT n.id, n.application_id, a.receipt_no, n.kind, n.due_on, n.message, n.on_date, n.read_at
		FROM req_notifications n JOIN req_applications a ON a.id = n.application_id
		WHERE n.user_id = ? ORDER BY CASE WHEN n.read_at = '' THEN 0 ELSE 1 END, n.on_date DESC, n.id DESC LIMIT `+strconv.Itoa(limit), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestNotification
	for rows.Next() {
		var n RequestNotification
		var read string
		if err := rows.Scan(&n.ID, &n.ApplicationID, &n.ReceiptNo, &n.Kind, &n.DueOn, &n.Message, &n.OnDate, &read); err != nil {
			return nil, err
		}
		n.Read = read != ""
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkRequestNotificationRead marks one of the user's reminders read.
func (db *DB) MarkRequestNotificationRead(ctx context.Context, userID, id int64) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("UPDATE req_notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at = ''"), ts(db.Now()), id, userID)
	return db.mapErr(err)
}
