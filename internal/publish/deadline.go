package publish

import (
	"time"

	"gongkai/internal/calendar"
)

// PublishWorkdays is the period of 条例第二十六条: information that must be
// published proactively is published within 20 working days of the day it
// is made or changed. The day it is made is not counted (条例第三十一条's
// rule for periods, applied by calendar.AddWorkdays).
const PublishWorkdays = 20

// Deadline is the publication deadline of one version.
type Deadline struct {
	From   calendar.Date // the day the information was made or changed
	Due    calendar.Date
	Result calendar.Result // the days counted, to explain the date
	// Done is when the version was published (zero while it is not).
	Done calendar.Date
}

// Overdue reports whether the deadline has passed unmet on today.
func (d Deadline) Overdue(today calendar.Date) bool {
	return d.Done.IsZero() && today.After(d.Due)
}

// Late reports whether the version was published after its deadline.
func (d Deadline) Late() bool { return !d.Done.IsZero() && d.Done.After(d.Due) }

// Left is the number of working days from today to the due date (0 on the
// day, negative when overdue counts days past it).
func (d Deadline) Left(cal *calendar.Calendar, today calendar.Date) int {
	switch {
	case today.Before(d.Due):
		r, err := cal.WorkdaysBetween(today, d.Due, nil)
		if err != nil {
			return 0
		}
		return r.Count
	case today.After(d.Due):
		r, err := cal.WorkdaysBetween(d.Due, today, nil)
		if err != nil {
			return 0
		}
		return -r.Count
	}
	return 0
}

// DeadlineOf computes the publication deadline (条例第二十六条) of an item's
// latest version, on the calendar in force. It applies only to 主动公开
// information; ok is false for other attributes.
func DeadlineOf(cal *calendar.Calendar, it Item, loc *time.Location) (d Deadline, ok bool, err error) {
	if it.Content.Attribute != Active || it.Content.MadeOn.IsZero() {
		return d, false, nil
	}
	res, err := cal.AddWorkdays(it.Content.MadeOn, PublishWorkdays, nil)
	if err != nil {
		return d, false, err
	}
	d = Deadline{From: it.Content.MadeOn, Due: res.Due, Result: res}
	if it.PublishedVersion == it.Version && !it.PublishAt.IsZero() {
		d.Done = calendar.DateOf(it.PublishAt.In(loc))
	}
	return d, true, nil
}
