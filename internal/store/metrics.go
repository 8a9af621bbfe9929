package store

import (
	"context"
	"strconv"

	"gongkai/internal/calendar"
	"gongkai/internal/requests"
)

// OpsFigures are the operating figures an operator watches (/metrics):
// applications by urgency of their statutory due date, open inspection
// findings, and the job queue.
type OpsFigures struct {
	// Due maps unit code → urgency ("due_soon", "overdue") → applications.
	Due map[string]map[string]int
	// Findings maps unit code → level → open inspection findings.
	Findings map[string]map[string]int
	// Jobs maps job kind → state (pending, running, done, failed) → jobs.
	Jobs map[string]map[string]int
}

func bump(m map[string]map[string]int, a, b string, n int) {
	if m[a] == nil {
		m[a] = map[string]int{}
	}
	m[a][b] += n
}

// Ops computes the operating figures as of today.
func (db *DB) Ops(ctx context.Context, today calendar.Date) (OpsFigures, error) {
	f := OpsFigures{Due: map[string]map[string]int{}, Findings: map[string]map[string]int{}, Jobs: map[string]map[string]int{}}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return f, err
	}
	soon := requests.DueSoonDays
	if v, err := db.Setting(ctx, settingDueSoonDays, ""); err != nil {
		return f, err
	} else if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		soon = n
	}
	// As the reminders count (RaiseRequestReminders): open applications
	// whose clock runs, by how soon their answer is due.
	rows, err := db.query(ctx, `SELECT u.code, a.due_on FROM req_applications a JOIN units u ON u.id = a.unit_id
		WHERE a.due_on <> '' AND a.due_on <= ? AND a.status IN ('processing', 'consulting', 'awaiting_fee', 'decided')`, today.AddDays(soon*3+15).String())
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var unit, dueOn string
		if err := rows.Scan(&unit, &dueOn); err != nil {
			rows.Close()
			return f, err
		}
		due, err := calendar.ParseDate(dueOn)
		if err != nil {
			continue
		}
		switch u, err := requests.UrgencyOf(cal, today, due, soon); {
		case err != nil:
		case u == requests.Overdue:
			bump(f.Due, unit, "overdue", 1)
		case u == requests.DueSoon:
			bump(f.Due, unit, "due_soon", 1)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	if err := db.counts(ctx, f.Findings, `SELECT u.code, fi.level, count(*) FROM inspect_findings fi JOIN units u ON u.id = fi.unit_id
		WHERE fi.closed_at = '' GROUP BY u.code, fi.level`); err != nil {
		return f, err
	}
	err = db.counts(ctx, f.Jobs, "SELECT kind, state, count(*) FROM jobs GROUP BY kind, state")
	return f, err
}

func (db *DB) counts(ctx context.Context, m map[string]map[string]int, q string) error {
	rows, err := db.query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		var n int
		if err := rows.Scan(&a, &b, &n); err != nil {
			return err
		}
		bump(m, a, b, n)
	}
	return rows.Err()
}
