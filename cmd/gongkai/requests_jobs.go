package main

import (
	"context"
	"log/slog"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/jobs"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// beijing is the time zone the statutory days are counted in.
var beijing = time.FixedZone("CST", 8*3600)

// requestReminders is the recurring job requests.reminders (条例第三十三条):
// every hour it raises the day's in-app reminders of overdue and due-soon
// applications for the units' handlers — at most one per application,
// urgency and day, so reruns add nothing — and mails the new ones when the
// SMTP settings are filled in. A mail that cannot be sent fails the run,
// which the runner retries; the in-app reminders stand either way.
func requestReminders(db *store.DB, log *slog.Logger, now func() time.Time) jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		next := now().Add(time.Hour)
		today := calendar.DateOf(now().In(beijing))
		n, mails, err := db.RaiseRequestReminders(ctx, today)
		if err != nil {
			return next, err
		}
		smtp, err := db.RequestSMTP(ctx)
		if err != nil {
			return next, err
		}
		sent := 0
		if smtp.Configured() {
			for _, m := range mails {
				subject, body := requests.ReminderText(m.Unit, today, m.Items)
				if err := smtp.Send([]string{m.Email}, subject, body); err != nil {
					return next, err
				}
				if err := db.MarkReminderMailed(ctx, m); err != nil {
					return next, err
				}
				sent++
			}
		}
		if log != nil && (n > 0 || sent > 0) {
			log.Info("依申请公开办理提醒", "new", n, "mailed", sent)
		}
		return next, nil
	}
}
