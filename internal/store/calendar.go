package store

import (
	"context"
	"fmt"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// CalendarEntries returns the holiday entries an administrator imported
// (the statutory data built into the calendar package is not stored).
func (db *DB) CalendarEntries(ctx context.Context) ([]calendar.Entry, error) {
	return calendarEntries(ctx, db.sql)
}

func calendarEntries(ctx context.Context, q querier) ([]calendar.Entry, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, start_date, end_date, kind, name FROM calendar_entries ORDER BY start_date, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []calendar.Entry
	for rows.Next() {
		var id int64
		var start, end, kind, name string
		if err := rows.Scan(&id, &start, &end, &kind, &name); err != nil {
			return nil, err
		}
		e := calendar.Entry{Name: name, Source: fmt.Sprintf("导入数据#%d", id)}
		if e.Start, err = calendar.ParseDate(start); err != nil {
			return nil, fmt.Errorf("calendar entry %d: %w", id, err)
		}
		if e.End, err = calendar.ParseDate(end); err != nil {
			return nil, fmt.Errorf("calendar entry %d: %w", id, err)
		}
		switch kind {
		case calendar.Holiday.String():
			e.Kind = calendar.Holiday
		case calendar.Workday.String():
			e.Kind = calendar.Workday
		default:
			return nil, fmt.Errorf("calendar entry %d: unknown kind %q", id, kind)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Calendar returns the calendar in force: the statutory data merged with
// every imported entry.
func (db *DB) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	extra, err := db.CalendarEntries(ctx)
	if err != nil {
		return nil, err
	}
	return calendar.Default().Merge(extra)
}

// ImportCalendar adds entries to the calendar after checking that, together
// with the data in force, no day is covered twice, and recomputes in the
// same transaction the stored answer due dates of the open applications
// (a due date that ran into a year without holiday data was counted Monday
// to Friday). Either every entry is stored, with the new due dates, or
// none is. It returns how many applications' due dates changed.
func (db *DB) ImportCalendar(ctx context.Context, actor audit.Actor, entries []calendar.Entry, source string) (int, error) {
	if len(entries) == 0 {
		return 0, errs.E(errs.Invalid, "导入文件中没有日历条目")
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = db.inTx(ctx, func(tx *Tx) error {
		// Read the current imports inside the transaction, which holds the
		// write lock (SQLite) or an advisory lock (PostgreSQL), so that two
		// imports cannot both pass the overlap check.
		if db.dialect == Postgres {
			if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7263511)"); err != nil {
				return err
			}
		}
		current, err := calendarEntries(ctx, tx.tx)
		if err != nil {
			return err
		}
		base, err := calendar.Default().Merge(current)
		if err != nil {
			return err
		}
		cal, err := base.Merge(entries)
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "%s", err.Error())
		}
		now := ts(db.Now())
		var lines []string
		for _, e := range entries {
			if _, err := tx.exec(ctx, "INSERT INTO calendar_entries (start_date, end_date, kind, name, source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				e.Start.String(), e.End.String(), e.Kind.String(), e.Name, source, actor.Name, now); err != nil {
				return err
			}
			lines = append(lines, e.String())
		}
		if changed, err = tx.recomputeRequestDeadlines(ctx, cal, set); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "calendar.import", ObjectType: "calendar", ObjectID: source,
			After: map[string]any{"entries": lines, "requests_due_changed": changed}})
	})
	return changed, err
}
