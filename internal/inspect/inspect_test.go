package inspect

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/publish"
)

var now = time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)

func ago(days int) time.Time { return now.Add(-time.Duration(days) * 24 * time.Hour) }

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// The defaults are 19号's lines; nonsense is refused with the setting named.
func TestSettings(t *testing.T) {
	s := Defaults()
	if s.HomeVetoDays != 14 || s.HomeWarnDays != 10 || s.NewsDays != 14 || s.NoticeMonths != 6 || s.FixedMonths != 12 || s.StaleVetoFirst != 5 || s.StaleVetoAll != 10 ||
		s.StaleWarnFirst != 3 || s.StaleWarnAll != 6 || s.BlankVeto != 5 || s.BlankWarn != 2 || s.AvailVetoPct != 5 || s.AvailWarnPct != 3 || s.ProbeTimeout != 15 ||
		s.AvailDays != 7 || s.MaxPages != 5000 || s.MaxDepth != 8 || s.MaxMinutes != 10 || s.Rate != 2 || s.UnansweredLimit != desk.DefaultUnansweredLimit ||
		s.UnansweredWarn != (desk.Limit{N: 2, Months: true}) || s.AllowPrivate || !s.SameHost {
		t.Errorf("defaults: %+v", s)
	}
	for _, c := range []struct {
		key, value, say string
	}{
		{"home_warn_days", "20", "应小于“首页未更新否决天数”"},
		{"home_veto_days", "两周", "应为整数"},
		{"avail_veto_pct", "150", "应在 0.01 至 100 之间"},
		{"avail_warn_pct", "6", "预警须在否决之前"},
		{"probe_minutes", "120", "每天只有 12 次"},
		{"max_pages", "0", "应在 1 至"},
		{"blank_warn", "5", "应小于"},
		{"unanswered_warn", "4个月", "应短于留言咨询的答复期限"},
		{"unanswered_warn", "两个月", "应写作"},
		{"same_host", "maybe", "应为 1（是）或 0（否）"},
		{"notice_months", "24", "不应长于人事、规划计划类栏目"},
	} {
		_, err := ParseSettings(map[string]string{SettingPrefix + c.key: c.value}, desk.DefaultUnansweredLimit)
		var fe *errs.FormError
		if !errors.As(err, &fe) || !strings.Contains(fe.Of(c.key), c.say) {
			t.Errorf("%s=%s: %v, want %q on the field", c.key, c.value, err, c.say)
		}
	}
	if !s.NextRun(time.Date(2026, 6, 15, 17, 59, 0, 0, time.UTC)).Equal(time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("next run: %s", s.NextRun(time.Date(2026, 6, 15, 17, 59, 0, 0, time.UTC)))
	}
	if got := s.DueRun(time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("due run at the due time: %s", got)
	}
}

func findings(acc *Acc, ind Indicator) []Finding {
	var out []Finding
	for _, f := range acc.Result().Findings {
		if f.Indicator == ind {
			out = append(out, f)
		}
	}
	return out
}

func verdict(acc *Acc, ind Indicator) Judgement {
	for _, j := range acc.Result().Judgements {
		if j.Indicator == ind {
			return j
		}
	}
	return Judgement{}
}

// The column lines count: deductions below the warning lines, warnings
// from 3 stale of the first classes (or 6 overall), veto from 5 (or 10).
func TestColumnLines(t *testing.T) {
	s := Defaults()
	cols := func(news, fixed, blank int) []Column {
		var cs []Column
		for i := 0; i < news; i++ {
			cs = append(cs, Column{CategoryID: int64(100 + i), Name: "动态", Path: "/n", Class: ClassNews, Items: 3, Last: ago(15)})
		}
		for i := 0; i < fixed; i++ {
			cs = append(cs, Column{CategoryID: int64(200 + i), Name: "规划", Path: "/f", Class: ClassFixed, Items: 3, Last: ago(400)})
		}
		for i := 0; i < blank; i++ {
			cs = append(cs, Column{CategoryID: int64(300 + i), Name: "空", Path: "/b", Class: ClassFixed})
		}
		cs = append(cs, Column{CategoryID: 1, Name: "新", Class: ClassNews, Items: 1, Last: ago(13)},
			Column{CategoryID: 2, Name: "导航", Class: ClassNone})
		return cs
	}
	for _, c := range []struct {
		news, fixed, blank int
		stale, blankLevel  Level
	}{
		{2, 0, 1, Deduction, Deduction},
		{3, 0, 2, Warning, Warning},
		{5, 0, 5, Veto, Veto},
		{1, 5, 0, Warning, ""},
		{1, 9, 0, Veto, ""},
	} {
		acc := NewAcc()
		CheckColumns(cols(c.news, c.fixed, c.blank), now, s, acc)
		st := findings(acc, ColumnStale)
		if len(st) != c.news+c.fixed {
			t.Errorf("%+v: %d stale", c, len(st))
		}
		for _, f := range st {
			if f.Level != c.stale {
				t.Errorf("%+v: stale class %s", c, f.Level)
			}
		}
		bl := findings(acc, ColumnBlank)
		if len(bl) != c.blank || (c.blank > 0 && bl[0].Level != c.blankLevel) {
			t.Errorf("%+v: blank %v", c, bl)
		}
		if c.blank == 0 && verdict(acc, ColumnBlank).Verdict != OK {
			t.Errorf("no blank column: %v", verdict(acc, ColumnBlank))
		}
	}
}

func TestHomeAndAvailability(t *testing.T) {
	s := Defaults()
	for _, c := range []struct {
		days int
		want Level
	}{{9, ""}, {10, Warning}, {13, Warning}, {14, Veto}} {
		acc := NewAcc()
		CheckHome(ago(c.days), "/", now, s, acc)
		fs := findings(acc, HomeStale)
		if (c.want == "") != (len(fs) == 0) || (len(fs) == 1 && fs[0].Level != c.want) {
			t.Errorf("%d days: %v", c.days, fs)
		}
	}
	acc := NewAcc()
	CheckHome(time.Time{}, "/", now, s, acc)
	if verdict(acc, HomeStale).Verdict != Unknown {
		t.Error("a home page without dates is judged")
	}
	probes := func(hours, failEvery int) []Probe {
		var ps []Probe
		for i := 1; i <= hours; i++ {
			ps = append(ps, Probe{At: now.Add(-time.Duration(i) * time.Hour), OK: failEvery == 0 || i%failEvery != 0})
		}
		return ps
	}
	for _, c := range []struct {
		hours, failEvery int
		want             Verdict
	}{
		{6 * 24, 0, Unknown},      // less than a week: never 合格
		{8 * 24, 0, OK},           // a clean week
		{8 * 24, 25, VerdictWarn}, // 4%
		{8 * 24, 16, VerdictVeto}, // 6%
	} {
		acc := NewAcc()
		CheckAvailability("https://x.example.cn", probes(c.hours, c.failEvery), now, s, acc)
		if j := verdict(acc, Availability); j.Verdict != c.want {
			t.Errorf("%d hours, 1 in %d failing: %s (%s), want %s", c.hours, c.failEvery, j.Verdict, j.Note, c.want)
		}
	}
	// Hourly probes with gaps below 20 a day are not enough.
	var sparse []Probe
	for i := 1; i <= 8*24; i += 2 {
		sparse = append(sparse, Probe{At: now.Add(-time.Duration(i) * time.Hour), OK: true})
	}
	acc = NewAcc()
	CheckAvailability("https://x.example.cn", sparse, now, s, acc)
	if verdict(acc, Availability).Verdict != Unknown {
		t.Error("12 probes a day judged")
	}
}

func TestEnquiriesAndMedia(t *testing.T) {
	s := Defaults()
	acc := NewAcc()
	CheckEnquiries([]Enquiry{
		{ID: 1, Kind: "message", Ref: "LY1", ReceivedAt: ago(95), Open: true},
		{ID: 2, Kind: "consult", Ref: "ZX2", ReceivedAt: ago(65), Open: true},
		{ID: 3, Kind: "consult", Ref: "ZX3", ReceivedAt: ago(200), AnsweredAt: ago(50)},  // answered late within the year
		{ID: 4, Kind: "consult", Ref: "ZX4", ReceivedAt: ago(600), AnsweredAt: ago(400)}, // late, but before the year
		{ID: 5, Kind: "consult", Ref: "ZX5", ReceivedAt: ago(30), Open: true},
	}, now, s, acc)
	got := map[string]Level{}
	for _, f := range findings(acc, Unanswered) {
		got[f.Key] = f.Level
	}
	if len(got) != 3 || got["enquiry:1"] != Veto || got["enquiry:2"] != Warning || got["enquiry:3"] != Veto {
		t.Errorf("enquiries: %v", got)
	}
	acc = NewAcc()
	CheckMedia([]Account{
		{ID: 1, Name: "A", LastPost: Today(ago(3)), Channels: []Channel{{Name: "留言", Working: true}}},
		{ID: 2, Name: "B", LastPost: Today(ago(10)), Channels: []Channel{{Name: "留言", Working: false}, {Name: "私信", Working: false}}},
		{ID: 3, Name: "C"},
	}, now, s, acc)
	st := findings(acc, MediaStale)
	if len(st) != 2 || st[0].Level != Veto || st[1].Level != Warning {
		t.Errorf("media stale: %v", st)
	}
	in := findings(acc, MediaInteraction)
	if len(in) != 1 || in[0].AccountID != 2 || !strings.Contains(verdict(acc, MediaInteraction).Note, "1 个账号未登记") {
		t.Errorf("interaction: %v %v", in, verdict(acc, MediaInteraction))
	}
}

func TestItemChecks(t *testing.T) {
	if miss := MissingGuideElements("某事项办事指南", "设定依据：x。受理条件：x。申请材料：x。受理地点：x。受理时间：x。咨询电话：x。办理程序：x。"); len(miss) != 0 {
		t.Errorf("synonyms: %v", miss)
	}
	if miss := MissingGuideElements("", "联系电话 12360"); strings.Join(miss, "、") != "事项名称、设定依据、申请条件、办理材料、办理地点、办理时间、办理流程" {
		t.Errorf("missing: %v", miss)
	}
	for _, c := range []struct {
		text, from string
		def        int
		want       string
	}{
		{"有效期至2025年12月31日。", "2020-01-01", 5, "2025-12-31"},
		{"本办法有效期为三年。", "2020-03-01", 5, "2023-02-28"},
		{"有效期5年", "2020-02-29", 0, "2025-02-27"},
		{"无有效期说明", "2020-01-01", 5, "2024-12-31"},
		{"无有效期说明", "2020-01-01", 0, ""},
	} {
		end, _ := TermEnd(Item{Text: c.text, ValidFrom: date(c.from)}, c.def)
		if end.String() != c.want {
			t.Errorf("%q from %s: %s, want %s", c.text, c.from, end, c.want)
		}
	}
	cal := calendar.Default()
	acc := NewAcc()
	ic := &ItemChecks{Settings: Defaults(), Now: now, Calendar: cal}
	ic.Check(Item{ID: 1, Title: "迟发", MadeOn: date("2026-03-02"), PublishedAt: ago(10), LiveFrom: ago(10)}, acc)
	ic.Check(Item{ID: 2, Title: "及时", MadeOn: date("2026-05-28"), PublishedAt: ago(10), LiveFrom: ago(10)}, acc)
	ic.Check(Item{ID: 3, Title: "旧文", DocKind: publish.Normative, Validity: publish.Valid, ValidFrom: date("2015-01-01"), PublishedAt: ago(4000)}, acc)
	ic.Check(Item{ID: 4, Title: "已废止", DocKind: publish.Normative, Validity: publish.Abolished, ValidFrom: date("2015-01-01"), PublishedAt: ago(4000)}, acc)
	ic.Check(Item{ID: 5, Title: "没有日期"}, acc)
	ic.Finish(acc)
	if l := findings(acc, LatePublication); len(l) != 1 || l[0].ItemID != 1 {
		t.Errorf("late: %v", l)
	}
	if n := findings(acc, NormativeValidity); len(n) != 1 || n[0].ItemID != 3 {
		t.Errorf("validity: %v", n)
	}
	if d := findings(acc, NoPublishDate); len(d) != 1 || d[0].ItemID != 5 {
		t.Errorf("no date: %v", d)
	}
}

func TestExpressions(t *testing.T) {
	list, err := ParseExpressions(DefaultExpressions + "\n某某某 => 某某 | 严重\n# 注释\n")
	if err != nil {
		t.Fatal(err)
	}
	acc := NewAcc()
	CheckExpressions(list, "我们要再接再励，继续努力。会议由某某某主持。再接再励！", "item:7", Finding{ItemID: 7}, acc)
	fs := findings(acc, Wording)
	if len(fs) != 2 {
		t.Fatalf("hits: %v", fs)
	}
	for _, f := range fs {
		switch {
		case strings.Contains(f.Message, "再接再励"):
			if f.Level != Deduction || !strings.Contains(f.Context, "【再接再励】") || !strings.Contains(f.Message, "再接再厉") {
				t.Errorf("typo: %+v", f)
			}
		case strings.Contains(f.Message, "某某某"):
			if f.Level != Veto {
				t.Errorf("serious: %+v", f)
			}
		}
	}
	for _, bad := range []string{"=> 正确", "错 => 错", "错 => 错误 | 很严重", "错 => 对错"} {
		if _, err := ParseExpressions(bad); err == nil || !strings.Contains(errs.MessageOf(err), "第 1 行") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := ParseExpressions("甲 => 乙\n甲 => 丙"); err == nil || !strings.Contains(errs.MessageOf(err), "与第 1 行重复") {
		t.Errorf("duplicate: %v", err)
	}
}

// One finding per defect: the same key twice is one finding at its most
// urgent class, with both places.
func TestAccKeepsOneFindingPerDefect(t *testing.T) {
	acc := NewAcc()
	acc.Add(Finding{Indicator: BrokenLink, Level: Deduction, Key: "link:x", Context: "页面A"})
	acc.Add(Finding{Indicator: BrokenLink, Level: Deduction, Key: "link:x", Context: "页面B"})
	acc.Add(Finding{Indicator: ColumnStale, Level: Warning, Key: "c"})
	acc.Add(Finding{Indicator: ColumnStale, Level: Veto, Key: "c"})
	r := acc.Result()
	if len(r.Findings) != 2 || r.Findings[0].Level != Veto || !strings.Contains(r.Findings[1].Context, "页面A；页面B") {
		t.Errorf("%+v", r.Findings)
	}
	for _, j := range r.Judgements {
		if j.Indicator == HomeStale && j.Verdict != Unknown {
			t.Errorf("an indicator no check looked at is %s", j.Verdict)
		}
	}
}
