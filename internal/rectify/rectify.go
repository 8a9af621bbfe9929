// Package rectify is the rectification register (整改台账): the problems a
// unit finds in its disclosure work — stated in last year's annual report,
// found by a site inspection, raised by a complaint, a survey or the
// hotline, or by a superior's check — with the measures taken against each,
// the department that owns it, its deadline, its status and its outcome.
//
// Section 五 of the annual report (存在的主要问题及改进情况, 条例第五十条第（四）项)
// is written from it: （一） says how the problems stated in last year's
// report were rectified, （二） states this year's problems (SectionFive).
//
// A problem's life is an append-only list of events; Apply derives its state
// and refuses a step the rules do not allow (rules.go, which also holds
// Authorize: who may do what). The package imports neither net/http nor a
// SQL driver; the SQL is in internal/store/rectify.go, the pages in
// internal/web/routes_rectify.go.
package rectify

import (
	"sort"
	"strconv"
	"time"

	"gongkai/internal/calendar"
)

// beijing is the clock the register's dates are kept on (UTC+8, no DST).
var beijing = time.FixedZone("CST", 8*3600)

// Today is the civil date of now in Beijing time.
func Today(now time.Time) calendar.Date { return calendar.DateOf(now.In(beijing)) }

// Source is where a problem came from (问题来源).
type Source string

// The sources.
const (
	FromLastReport Source = "last_report" // 上年年报
	FromInspection Source = "inspection"  // 网站检查
	FromComplaint  Source = "complaint"   // 投诉
	FromSurvey     Source = "survey"      // 调查问卷
	FromHotline    Source = "hotline"     // 热线
	FromReview     Source = "review"      // 上级检查/考核
	FromOther      Source = "other"       // 其他
)

// Sources lists the sources in display order.
var Sources = []Source{FromLastReport, FromInspection, FromComplaint, FromSurvey, FromHotline, FromReview, FromOther}

// Label is the source's Chinese name.
func (s Source) Label() string {
	switch s {
	case FromLastReport:
		return "上年年报"
	case FromInspection:
		return "网站检查"
	case FromComplaint:
		return "投诉"
	case FromSurvey:
		return "调查问卷"
	case FromHotline:
		return "热线"
	case FromReview:
		return "上级检查/考核"
	case FromOther:
		return "其他"
	}
	return string(s)
}

// ParseSource accepts a source's key or its Chinese name.
func ParseSource(s string) (Source, bool) {
	for _, x := range Sources {
		if s == string(x) || s == x.Label() {
			return x, true
		}
	}
	return "", false
}

// Status is where a problem stands (整改状态).
type Status string

// The statuses.
const (
	Open       Status = "open"        // 待整改
	InProgress Status = "in_progress" // 整改中
	Done       Status = "done"        // 已整改
	Dropped    Status = "dropped"     // 不再整改 (with a reason)
)

// Statuses lists the statuses in display order.
var Statuses = []Status{Open, InProgress, Done, Dropped}

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case Open:
		return "待整改"
	case InProgress:
		return "整改中"
	case Done:
		return "已整改"
	case Dropped:
		return "不再整改"
	}
	return string(s)
}

// Closed reports whether the problem's rectification is over (done or
// dropped): a closed problem is not edited, except by reopening it.
func (s Status) Closed() bool { return s == Done || s == Dropped }

// Measure is one rectification measure (整改措施): what is done, the day it
// was added to the register and the day it was completed (zero while it is
// planned or under way).
type Measure struct {
	Text    string        `json:"text"`
	AddedOn calendar.Date `json:"added_on"`
	DoneOn  calendar.Date `json:"done_on"`
}

// Done reports whether the measure is completed.
func (m Measure) Done() bool { return !m.DoneOn.IsZero() }

// Fields are the parts of a problem that are stated when it is registered
// and changed by editing it.
type Fields struct {
	// Year is the annual report whose section 五（二） states the problem: a
	// problem raised during year Y belongs to Y; a problem read from last
	// year's report belongs to that report's year.
	Year   int
	Source Source
	// SourceRef says where exactly: free text (「2023年年报」「2024年第三季度网站检查」)
	// or, with FindingID, the inspection finding it was sent from.
	SourceRef string
	// FindingID is the inspection finding (网站检查发现) the problem was sent
	// from, 0 for none; one finding goes to the register at most once.
	FindingID   int64
	Description string        // 问题描述
	OwnerDept   int64         // the department responsible (责任部门), 0 for none
	OwnerName   string        // the person responsible (责任人), free text
	Deadline    calendar.Date // 整改时限, optional
}

// Problem is a problem as its events leave it.
type Problem struct {
	ID     int64
	UnitID int64
	Fields
	Measures   []Measure // in the order they were added
	Status     Status
	Outcome    string        // 整改成效: 「2024年事业单位投诉事项明显下降。」
	DoneOn     calendar.Date // the day it was closed as done
	DropReason string        // why it is no longer rectified
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Events     int // events applied
}

// MeasuresDone counts the completed measures.
func (p Problem) MeasuresDone() int {
	n := 0
	for _, m := range p.Measures {
		if m.Done() {
			n++
		}
	}
	return n
}

// Overdue reports whether the problem is still being rectified after its
// deadline (整改超期): not closed, with a deadline before today (Beijing
// time). The deadline day itself is not overdue.
func (p Problem) Overdue(now time.Time) bool {
	return !p.Status.Closed() && !p.Deadline.IsZero() && p.Deadline.Before(Today(now))
}

// DaysOverdue is how many days past its deadline an overdue problem is;
// 0 for one that is not overdue.
func (p Problem) DaysOverdue(now time.Time) int {
	if !p.Overdue(now) {
		return 0
	}
	return Today(now).Sub(p.Deadline)
}

// DueWithin reports whether an open problem's deadline falls within the
// next days days (today included) without being past.
func (p Problem) DueWithin(now time.Time, days int) bool {
	if p.Status.Closed() || p.Deadline.IsZero() || p.Overdue(now) {
		return false
	}
	return p.Deadline.Sub(Today(now)) < days
}

// SortQueue orders problems as a work queue: overdue first (the longest
// overdue first), then the others still being rectified by deadline (those
// without one after them), then the closed ones, newest first; ties by
// registration order.
func SortQueue(ps []Problem, now time.Time) {
	rank := func(p Problem) int {
		switch {
		case p.Overdue(now):
			return 0
		case !p.Status.Closed():
			return 1
		}
		return 2
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		switch rank(a) {
		case 0, 1:
			if a.Deadline != b.Deadline {
				if a.Deadline.IsZero() || b.Deadline.IsZero() {
					return b.Deadline.IsZero()
				}
				return a.Deadline.Before(b.Deadline)
			}
		case 2:
			if !a.UpdatedAt.Equal(b.UpdatedAt) {
				return a.UpdatedAt.After(b.UpdatedAt)
			}
		}
		return a.ID < b.ID
	})
}

// SortReport orders problems as the report states them: by year, then in
// the order they were registered.
func SortReport(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Year != ps[j].Year {
			return ps[i].Year < ps[j].Year
		}
		return ps[i].ID < ps[j].ID
	})
}

// Counts tallies problems by status, with the overdue ones.
type Counts struct {
	All, Open, InProgress, Done, Dropped, Overdue int
}

// CountOf counts problems.
func CountOf(ps []Problem, now time.Time) Counts {
	var c Counts
	for _, p := range ps {
		c.All++
		switch p.Status {
		case Open:
			c.Open++
		case InProgress:
			c.InProgress++
		case Done:
			c.Done++
		case Dropped:
			c.Dropped++
		}
		if p.Overdue(now) {
			c.Overdue++
		}
	}
	return c
}

// Ref is a short reference to a problem for pages and messages: 「问题 12」.
func Ref(id int64) string { return "问题 " + strconv.FormatInt(id, 10) }
