package calendar

import (
	"fmt"
	"slices"
)

// This file answers the two questions every statutory period asks of the
// calendar: "which day is the Nth working day?" (AddWorkdays) and "how many
// working days have passed?" (WorkdaysBetween). Both follow the same rules:
//
//   - 条例第三十一条: the day of receipt is not counted; a period runs from
//     the next day. So the days examined are from+1, from+2, ….
//   - 条例第三十三条: time spent consulting a third party or another agency
//     is not counted in the answer period; nor, by the platform's default
//     policy, is the wait for a fee to be paid. These are Pauses: a day
//     inside a pause counts for nothing, working day or not.
//   - A working day is what Calendar.IsWorkday says. Where the year's
//     arrangement is not on record the Monday–Friday rule is assumed and
//     the Result carries a warning, so the deadline can be recomputed when
//     the State Council's notice is imported.

// Pause is an interval (暂停计算期间) whose days are not counted, e.g. a
// third-party consultation under 条例第三十三条. From and To are inclusive.
type Pause struct {
	From, To Date
	Reason   string // shown in explanations: 征求第三方意见, 等待缴纳信息处理费
}

// Status says what happened to one day of a period.
type Status int

const (
	// Counted is a working day that counts towards the period (计入).
	Counted Status = iota + 1
	// Skipped is a weekend or holiday, not a working day (跳过).
	Skipped
	// Paused is a day inside a Pause, not counted whatever it is (暂停).
	Paused
)

// String returns the Chinese label: 计入, 跳过 or 暂停.
func (s Status) String() string {
	switch s {
	case Counted:
		return "计入"
	case Skipped:
		return "跳过"
	case Paused:
		return "暂停"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Day is one day of a period and what happened to it.
type Day struct {
	Date   Date
	Status Status
	// Reason is the calendar's reason for a counted or skipped day ("周一",
	// "国庆节调休上班", "周六", "春节") and the pause's reason for a paused day.
	Reason string
	// N is the ordinal of a counted day (1 for the first working day), 0
	// for other days.
	N int
	// Assumed is set when the day's year is not covered and the day has no
	// entry: its status rests on the bare Monday–Friday rule.
	Assumed bool
}

// Result is the answer to AddWorkdays or WorkdaysBetween, with every day
// from From+1 to To accounted for, so the deadline can explain itself.
type Result struct {
	From     Date     // the day of receipt (or other starting event); not counted
	To       Date     // the last day examined: Due for AddWorkdays
	Due      Date     // AddWorkdays only: the Nth working day; zero for WorkdaysBetween
	N        int      // AddWorkdays only: the working days asked for
	Count    int      // working days counted in From+1 … To
	Days     []Day    // From+1 … To, one per calendar day
	Warnings []string // e.g. 2027年的节假日安排尚未录入，按周一至周五计算
}

// maxWalkDays bounds how far a computation may walk: no statutory period
// comes near 20 years, so going further means a wrong n or pause.
const maxWalkDays = 20 * 366

// AddWorkdays returns the Nth working day after from (from itself not
// counted, 条例第三十一条), skipping weekends and holidays and not counting
// days inside pauses (条例第三十三条). With n == 20 it gives the answer
// deadline for an application received on from; with n == 7, the last day
// to ask for a correction (条例第三十条).
//
// n == 0 returns from itself as Due (an answer given on the spot, 当场答复),
// with no days listed. A negative n, a malformed pause, or a walk of more
// than 20 years is an error.
func (c *Calendar) AddWorkdays(from Date, n int, pauses []Pause) (Result, error) {
	if from.IsZero() {
		return Result{}, fmt.Errorf("缺少起算日期")
	}
	if n < 0 {
		return Result{}, fmt.Errorf("工作日数不能为负数：%d", n)
	}
	if err := checkPauses(pauses); err != nil {
		return Result{}, err
	}
	r := Result{From: from, To: from, Due: from, N: n}
	if n == 0 {
		return r, nil
	}
	r.Days = make([]Day, 0, min(n*3/2+10, 512))
	for d := from.AddDays(1); r.Count < n; d = d.AddDays(1) {
		if d.Sub(from) > maxWalkDays {
			return Result{}, fmt.Errorf("计算跨度超过 20 年（%s 起 %d 个工作日），请检查工作日数和暂停区间", from, n)
		}
		r.add(c.day(d, pauses, r.Count))
	}
	r.To = r.Days[len(r.Days)-1].Date
	r.Due = r.To
	r.Warnings = warnings(r.Days)
	return r, nil
}

// WorkdaysBetween counts the working days after from up to and including
// to, on the same rules as AddWorkdays (from not counted, 条例第三十一条;
// paused days not counted, 条例第三十三条): how much of a period has been
// used by day to. WorkdaysBetween(from, to) is 0 when to == from; to before
// from is an error.
//
// For every n ≥ 1, WorkdaysBetween(from, AddWorkdays(from, n).Due) == n.
func (c *Calendar) WorkdaysBetween(from, to Date, pauses []Pause) (Result, error) {
	if from.IsZero() || to.IsZero() {
		return Result{}, fmt.Errorf("缺少起算日期或截止日期")
	}
	if to.Before(from) {
		return Result{}, fmt.Errorf("截止日期 %s 早于起算日期 %s", to, from)
	}
	if to.Sub(from) > maxWalkDays {
		return Result{}, fmt.Errorf("计算跨度超过 20 年（%s 至 %s），请检查日期", from, to)
	}
	if err := checkPauses(pauses); err != nil {
		return Result{}, err
	}
	r := Result{From: from, To: to}
	r.Days = make([]Day, 0, to.Sub(from))
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		r.add(c.day(d, pauses, r.Count))
	}
	r.Warnings = warnings(r.Days)
	return r, nil
}

func (r *Result) add(d Day) {
	if d.Status == Counted {
		r.Count++
	}
	r.Days = append(r.Days, d)
}

// day classifies d; counted is the number of working days before it.
func (c *Calendar) day(d Date, pauses []Pause, counted int) Day {
	for _, p := range pauses {
		if !d.Before(p.From) && !d.After(p.To) {
			return Day{Date: d, Status: Paused, Reason: pauseReason(p)}
		}
	}
	work, reason, known := c.status(d)
	if work {
		return Day{Date: d, Status: Counted, Reason: reason, N: counted + 1, Assumed: !known}
	}
	return Day{Date: d, Status: Skipped, Reason: reason, Assumed: !known}
}

func pauseReason(p Pause) string {
	if p.Reason == "" {
		return "暂停计算（未注明原因）"
	}
	return p.Reason
}

func checkPauses(pauses []Pause) error {
	for i, p := range pauses {
		switch {
		case p.From.IsZero() || p.To.IsZero():
			return fmt.Errorf("第 %d 个暂停区间缺少起止日期", i+1)
		case p.To.Before(p.From):
			return fmt.Errorf("第 %d 个暂停区间的结束日期 %s 早于开始日期 %s", i+1, p.To, p.From)
		}
	}
	return nil
}

// warnings names each year whose arrangement is not on record and on
// which a counted or skipped day depended.
func warnings(days []Day) []string {
	var years []int
	for _, d := range days {
		if d.Assumed && d.Status != Paused && !slices.Contains(years, d.Date.Year()) {
			years = append(years, d.Date.Year())
		}
	}
	var out []string
	for _, y := range years {
		out = append(out, fmt.Sprintf("%d年的节假日安排尚未录入，按周一至周五计算", y))
	}
	return out
}
