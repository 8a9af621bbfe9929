package store

import (
	"context"
	"fmt"
	"strconv"

	"gongkai/internal/calendar"
	"gongkai/internal/requests"
)

// Reminders of the statutory clock (条例第三十三条): the recurring job
// requests.reminders calls RaiseRequestReminders once a day or more; the
// handler the application is assigned to (分办) — or, while it is not yet
// assigned or its handler no longer holds the role, every handler of the
// unit (org.RoleHandler) — gets an in-app notification for
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
// many are new and, per user with an e-mail address, today's reminders not
// yet mailed (MarkReminderMailed records the sending).
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
	rows, err := db.query(ctx, `SELECT a.id, a.unit_id, a.assignee_id, u.name, a.receipt_no, a.applicant_name, a.status, a.due_on
		FROM req_applications a JOIN units u ON u.id = a.unit_id
		WHERE a.due_on <> '' AND a.due_on <= ? AND a.status IN ('processing', 'consulting', 'awaiting_fee', 'decided')
		ORDER BY a.due_on, a.id`, bound)
	if err != nil {
		return 0, nil, err
	}
	type due struct {
		appID, unitID, assignee int64
		unit                    string
		item                    requests.ReminderItem
	}
	var dues []due
	for rows.Next() {
		var d due
		var dueOn string
		if err := rows.Scan(&d.appID, &d.unitID, &d.assignee, &d.unit, &d.item.ReceiptNo, &d.item.Applicant, &d.item.Status, &dueOn); err != nil {
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
	for _, d := range dues {
		u, err := requests.UrgencyOf(cal, today, d.item.DueOn, soon)
		if err != nil {
			return created, nil, err
		}
		if u == requests.NotUrgent {
			continue
		}
		msg := fmt.Sprintf("%s %s：答复期限%s（%s）", u.Label(), d.item.ReceiptNo, requests.ChineseDate(d.item.DueOn), d.item.Status.Label())
		res, err := db.sql.ExecContext(ctx, db.rebind(`INSERT INTO req_notifications (user_id, application_id, kind, due_on, message, on_date, emailed, created_at, read_at)
			SELECT us.id, ?, ?, ?, ?, ?, 0, ?, '' FROM users us JOIN user_roles r ON r.user_id = us.id
			WHERE r.unit_id = ? AND r.role = 'handler' AND us.disabled = 0
			AND (us.id = ? OR NOT EXISTS (SELECT 1 FROM user_roles r2 JOIN users u2 ON u2.id = r2.user_id AND u2.disabled = 0
				WHERE r2.user_id = ? AND r2.unit_id = ? AND r2.role = 'handler'))
			ON CONFLICT (user_id, application_id, kind, on_date) DO NOTHING`),
			d.appID, u, d.item.DueOn.String(), msg, today.String(), ts(db.Now()), d.unitID, d.assignee, d.assignee, d.unitID)
		if err != nil {
			return created, nil, db.mapErr(err)
		}
		n, _ := res.RowsAffected()
		created += int(n)
	}
	// Consultations whose 15 working days passed without a reply: the
	// clock runs again (requests.Consultation.Lapsed), and the handler
	// must decide.
	lrows, err := db.query(ctx, `SELECT a.id, a.receipt_no, a.consult_until, a.due_on FROM req_applications a
		WHERE a.status = 'consulting' AND a.consult_until <> '' AND a.consult_until < ? ORDER BY a.id`, today.String())
	if err != nil {
		return created, nil, err
	}
	type lapse struct {
		id                 int64
		receipt, until, on string
	}
	var lapses []lapse
	for lrows.Next() {
		var l lapse
		if err := lrows.Scan(&l.id, &l.receipt, &l.until, &l.on); err != nil {
			lrows.Close()
			return created, nil, err
		}
		lapses = append(lapses, l)
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return created, nil, err
	}
	for _, l := range lapses {
		n, err := db.notify(ctx, l.id, string(requests.ConsultLapsed), today,
			fmt.Sprintf("征求意见期满 %s：对方自收到之日起15个工作日（至%s）未答复，答复期限已恢复计算，请登记期满未答复后作出决定", l.receipt, l.until))
		if err != nil {
			return created, nil, err
		}
		created += n
	}
	// The mails: today's reminders not yet mailed, per user with an
	// address — so a run whose mail failed is made up by the next.
	mrows, err := db.query(ctx, `SELECT n.id, n.user_id, us.email, un.name, a.receipt_no, a.applicant_name, a.status, n.due_on, n.kind
		FROM req_notifications n JOIN users us ON us.id = n.user_id JOIN req_applications a ON a.id = n.application_id
		JOIN units un ON un.id = a.unit_id
		WHERE n.on_date = ? AND n.emailed = 0 AND us.email <> '' ORDER BY n.user_id, n.due_on, n.id`, today.String())
	if err != nil {
		return created, nil, err
	}
	defer mrows.Close()
	var out []ReminderMail
	for mrows.Next() {
		var id, user int64
		var email, unit, dueOn string
		var it requests.ReminderItem
		if err := mrows.Scan(&id, &user, &email, &unit, &it.ReceiptNo, &it.Applicant, &it.Status, &dueOn, &it.Urgency); err != nil {
			return created, nil, err
		}
		if it.DueOn, err = optDate(dueOn); err != nil {
			return created, nil, err
		}
		if len(out) == 0 || out[len(out)-1].UserID != user {
			out = append(out, ReminderMail{UserID: user, Email: email, Unit: unit})
		}
		m := &out[len(out)-1]
		m.Items = append(m.Items, it)
		m.ids = append(m.ids, id)
	}
	return created, out, mrows.Err()
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

// notify raises one notification of an application in its own
// transaction (Tx.notifyHandlers) and says how many users got it.
func (db *DB) notify(ctx context.Context, id int64, kind string, on calendar.Date, msg string) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.notifyHandlersN(ctx, id, kind, on, msg)
		return err
	})
	return n, err
}
