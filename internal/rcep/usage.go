package rcep

import (
	"fmt"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// Usage statistics (使用情况) for the annual report's narrative — "升级优化
// RCEP 关税政策服务平台，实现企业享惠智选" — are counted from one record per
// question asked (QueryRecord), never from a stored counter.

// Kinds of question.
const (
	KindChoose = "choose" // 智选
	KindOrigin = "origin" // 原产地计算
)

// Outcomes of a question besides the error codes.
const (
	OutcomeOK             = "ok"              // answered
	OutcomeOriginating    = "originating"     // the calculator found the good originating
	OutcomeNotOriginating = "not_originating" // … not originating
	OutcomeUndetermined   = "undetermined"    // … could not judge it from what was given (materials not listed)
)

// QueryRecord is one question asked of the service (查询记录).
type QueryRecord struct {
	ID        int64
	At        time.Time     // when it was asked
	Day       calendar.Date // the day it was asked, China Standard Time
	Kind      string        // KindChoose or KindOrigin
	Channel   string        // page, api, cli, demo
	Date      calendar.Date // the date the question was about
	HS        string        // the product's code as resolved (or as typed)
	Direction Direction
	Country   string
	Agreement string // the best choice (智选) or the agreement checked (计算器)
	VersionID int64  // the tariff data version that answered, 0 when none
	Outcome   string // ok / originating / not_originating / undetermined, or the error's code
}

// Chapter is the HS chapter of the question (0 when no code was given).
func (r QueryRecord) Chapter() int { return Chapter(r.HS) }

// OutcomeOf turns an answer's error into an outcome.
func OutcomeOf(err error) string {
	if err == nil {
		return OutcomeOK
	}
	return string(errs.CodeOf(err))
}

// Answered reports whether the outcome is an answer rather than an error.
func Answered(outcome string) bool {
	return outcome == OutcomeOK || outcome == OutcomeOriginating || outcome == OutcomeNotOriginating || outcome == OutcomeUndetermined
}

// MonthUsage counts one month's questions.
type MonthUsage struct {
	Month            string // 2024-03
	Choose, ChooseOK int
	Origin, OriginOK int
}

// Total is all questions of the month.
func (m MonthUsage) Total() int { return m.Choose + m.Origin }

// KeyCount is a count by some key (a chapter, a country, an agreement).
type KeyCount struct {
	Key   string
	Label string
	Count int
}

// Usage is the statistics of a period, from the query records.
type Usage struct {
	From, To   calendar.Date // inclusive
	Months     []MonthUsage  // every month of the period, in order
	Chapters   []KeyCount    // most-asked HS chapters (answered 智选 questions)
	Countries  []KeyCount
	Agreements []KeyCount // best choices
	Directions []KeyCount
}

// Totals sums the months.
func (u Usage) Totals() MonthUsage {
	var t MonthUsage
	for _, m := range u.Months {
		t.Choose += m.Choose
		t.ChooseOK += m.ChooseOK
		t.Origin += m.Origin
		t.OriginOK += m.OriginOK
	}
	return t
}

// Peak is the busiest month.
func (u Usage) Peak() (MonthUsage, bool) {
	var best MonthUsage
	found := false
	for _, m := range u.Months {
		if m.Total() > best.Total() {
			best, found = m, true
		}
	}
	return best, found
}

// MonthsOf lists the months from one date's month to another's.
func MonthsOf(from, to calendar.Date) []string {
	var out []string
	y, m := from.Year(), int(from.Month())
	for y < to.Year() || y == to.Year() && m <= int(to.Month()) {
		out = append(out, fmt.Sprintf("%04d-%02d", y, m))
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

// Narrative is a sentence the annual report can use, built from the
// counts: "全年“享惠智选”共受理企业查询 N 次……".
func (u Usage) Narrative() string {
	t := u.Totals()
	if t.Total() == 0 {
		return fmt.Sprintf("%s至%s，“享惠智选”未收到查询。", dayLabel(u.From), dayLabel(u.To))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s至%s，“享惠智选”共受理企业查询 %d 次，其中协定税率智选 %d 次、原产地规则计算 %d 次",
		dayLabel(u.From), dayLabel(u.To), t.Total(), t.Choose, t.Origin)
	if p, ok := u.Peak(); ok {
		fmt.Fprintf(&b, "；查询最多的月份为 %s（%d 次）", monthLabel(p.Month), p.Total())
	}
	if len(u.Chapters) > 0 {
		var parts []string
		for i, c := range u.Chapters {
			if i == 3 {
				break
			}
			parts = append(parts, fmt.Sprintf("%s（%d 次）", c.Label, c.Count))
		}
		fmt.Fprintf(&b, "；企业最关注的商品为%s", strings.Join(parts, "、"))
	}
	b.WriteString("。")
	return b.String()
}

func monthLabel(m string) string {
	var y, mm int
	if _, err := fmt.Sscanf(m, "%d-%d", &y, &mm); err != nil {
		return m
	}
	return fmt.Sprintf("%d年%d月", y, mm)
}

// ChapterLabel names a chapter for the statistics: "第08章 食用水果及坚果".
func ChapterLabel(ch int) string {
	return fmt.Sprintf("第%02d章 %s", ch, ChapterName(ch))
}
