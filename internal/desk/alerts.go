package desk

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
)

// Unanswered enquiries (超期未回应的留言和咨询).
//
// 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) fails a site outright
// (单项否决) when messages and consultations from the public go unanswered
// for more than three months. Staff are warned before that happens: an
// enquiry whose reply has not been approved by the time its deadline passes
// is overdue, and one within WarnBefore of its deadline is due soon. The
// limit is policy, kept as the setting SettingUnansweredLimit; three months
// is the default the inspection indicators set.

// SettingUnansweredLimit is the settings key of the limit ("3m", "90d").
const SettingUnansweredLimit = "desk.unanswered_limit"

// DefaultUnansweredLimit is three months (国办秘函〔2019〕19号).
var DefaultUnansweredLimit = Limit{N: 3, Months: true}

// WarnBefore is how long before its deadline an enquiry is shown as due soon.
const WarnBefore = 15 * 24 * time.Hour

// Limit is how long an enquiry may wait for its reply: N months or N days.
type Limit struct {
	N      int
	Months bool
}

// Deadline is when an enquiry received at t becomes overdue. Months are
// calendar months in Beijing time (received 30 November, due 28 February
// when February has 28 days: AddDate's overflow is clipped to the month's end).
func (l Limit) Deadline(received time.Time) time.Time {
	t := received.In(Shanghai)
	if !l.Months {
		return t.AddDate(0, 0, l.N)
	}
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(l.N), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), Shanghai)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), Shanghai)
}

// Urgency says where an open enquiry stands against its deadline.
type Urgency int

// Urgencies, least urgent first.
const (
	OnTime Urgency = iota
	DueSoon
	Overdue
)

// Label is the urgency's Chinese name.
func (u Urgency) Label() string {
	switch u {
	case DueSoon:
		return "即将超期"
	case Overdue:
		return "已超期"
	}
	return "未超期"
}

// UrgencyAt classifies an enquiry received at t that is still unanswered at now.
func (l Limit) UrgencyAt(received, now time.Time) Urgency {
	due := l.Deadline(received)
	switch {
	case !now.Before(due):
		return Overdue
	case due.Sub(now) <= WarnBefore:
		return DueSoon
	}
	return OnTime
}

// String is the stored form, "3m" or "90d".
func (l Limit) String() string {
	if l.Months {
		return strconv.Itoa(l.N) + "m"
	}
	return strconv.Itoa(l.N) + "d"
}

// Label is the Chinese form, "3个月" or "90天".
func (l Limit) Label() string {
	if l.Months {
		return fmt.Sprintf("%d个月", l.N)
	}
	return fmt.Sprintf("%d天", l.N)
}

// ParseLimit reads "3m", "90d", "3个月" or "90天". A limit is 1–12 months
// or 1–366 days: longer than the inspection's three months is allowed (a
// unit may set its own), beyond a year is a typing error.
func ParseLimit(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	var l Limit
	var num string
	switch {
	case strings.HasSuffix(s, "个月"):
		num, l.Months = strings.TrimSuffix(s, "个月"), true
	case strings.HasSuffix(s, "m"):
		num, l.Months = strings.TrimSuffix(s, "m"), true
	case strings.HasSuffix(s, "天"):
		num = strings.TrimSuffix(s, "天")
	case strings.HasSuffix(s, "d"):
		num = strings.TrimSuffix(s, "d")
	default:
		return l, errs.FieldError("limit", "期限应写作“3个月”或“90天”")
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 1 || (l.Months && n > 12) || (!l.Months && n > 366) {
		return l, errs.FieldError("limit", "期限应为 1–12 个月或 1–366 天")
	}
	l.N = n
	return l, nil
}
