package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestDefaultDataIsValid guards the promise that Default never panics: the
// embedded file must parse and validate.
func TestDefaultDataIsValid(t *testing.T) {
	entries, err := ParseEntries(strings.NewReader(builtinData))
	if err != nil {
		t.Fatalf("embedded data/holidays.csv: %v", err)
	}
	if _, err := New(entries); err != nil {
		t.Fatalf("embedded data/holidays.csv: %v", err)
	}
	c := Default()
	if c != Default() {
		t.Error("Default returns a new calendar on each call")
	}
	if got := c.Years(); !slices.Equal(got, []int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}) {
		t.Errorf("Years() = %v", got)
	}
	for _, e := range c.Entries() {
		if e.Source != SourceBuiltin || e.Line == 0 {
			t.Errorf("entry %v: Source %q, Line %d", e, e.Source, e.Line)
		}
	}
}

func TestCovers(t *testing.T) {
	c := Default()
	for y := 2019; y <= 2026; y++ {
		if !c.Covers(y) {
			t.Errorf("Covers(%d) = false", y)
		}
	}
	// The 2019 notice sets 2018-12-29 to 2018-12-31, but 2018's own
	// arrangement is not on record.
	for _, y := range []int{2017, 2018, 2027, 2030} {
		if c.Covers(y) {
			t.Errorf("Covers(%d) = true", y)
		}
	}
}

// notices lists, year by year, what each notice changes — written out day
// by day from the notices' text, independently of the ranges in
// data/holidays.csv: the Monday–Friday days off, and the weekend days
// worked. net is the number of statutory holiday days the notice yields
// (off − worked): 11 a year under the 2013 放假办法, 13 from 2025 under the
// 2024 revision (国务院令第793号: 春节 and 劳动节 one day more each), and 13
// in 2020 because the Spring Festival extension (国办发明电〔2020〕1号) added
// Friday 31 January and cancelled the working Saturday 1 February.
var notices = []struct {
	year   int
	net    int
	off    []string
	worked []string
}{
	{2019, 11, []string{
		"2018-12-31", "2019-01-01", // 元旦 (2018-12-30 至 2019-01-01)
		"2019-02-04", "2019-02-05", "2019-02-06", "2019-02-07", "2019-02-08", // 春节 02-04 至 02-10
		"2019-04-05",                             // 清明节, 与周末连休
		"2019-05-01", "2019-05-02", "2019-05-03", // 劳动节 05-01 至 05-04 (国办发明电〔2019〕3号)
		"2019-06-07",                                                         // 端午节, 与周末连休
		"2019-09-13",                                                         // 中秋节, 与周末连休
		"2019-10-01", "2019-10-02", "2019-10-03", "2019-10-04", "2019-10-07", // 国庆节 10-01 至 10-07
	}, []string{"2018-12-29", "2019-02-02", "2019-02-03", "2019-04-28", "2019-05-05", "2019-09-29", "2019-10-12"}},
	{2020, 13, []string{
		"2020-01-01",
		"2020-01-24", "2020-01-27", "2020-01-28", "2020-01-29", "2020-01-30", "2020-01-31", // 春节 01-24 至 02-02 (延长)
		"2020-04-06",
		"2020-05-01", "2020-05-04", "2020-05-05",
		"2020-06-25", "2020-06-26",
		"2020-10-01", "2020-10-02", "2020-10-05", "2020-10-06", "2020-10-07", "2020-10-08", // 国庆节、中秋节 10-01 至 10-08
	}, []string{"2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"}},
	{2021, 11, []string{
		"2021-01-01",
		"2021-02-11", "2021-02-12", "2021-02-15", "2021-02-16", "2021-02-17",
		"2021-04-05",
		"2021-05-03", "2021-05-04", "2021-05-05",
		"2021-06-14",
		"2021-09-20", "2021-09-21",
		"2021-10-01", "2021-10-04", "2021-10-05", "2021-10-06", "2021-10-07",
	}, []string{"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"}},
	{2022, 11, []string{
		"2022-01-03",
		"2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
		"2022-04-04", "2022-04-05",
		"2022-05-02", "2022-05-03", "2022-05-04",
		"2022-06-03",
		"2022-09-12",
		"2022-10-03", "2022-10-04", "2022-10-05", "2022-10-06", "2022-10-07",
	}, []string{"2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09"}},
	{2023, 11, []string{
		"2023-01-02", // 元旦 2022-12-31 至 2023-01-02
		"2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27",
		"2023-04-05",
		"2023-05-01", "2023-05-02", "2023-05-03",
		"2023-06-22", "2023-06-23",
		"2023-09-29", "2023-10-02", "2023-10-03", "2023-10-04", "2023-10-05", "2023-10-06", // 中秋节、国庆节 09-29 至 10-06
	}, []string{"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"}},
	{2024, 11, []string{
		"2024-01-01",
		"2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", // 春节 02-10 至 02-17; 除夕 02-09 上班
		"2024-04-04", "2024-04-05",
		"2024-05-01", "2024-05-02", "2024-05-03",
		"2024-06-10",
		"2024-09-16", "2024-09-17",
		"2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07",
	}, []string{"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"}},
	{2025, 13, []string{
		"2025-01-01",
		"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
		"2025-04-04",
		"2025-05-01", "2025-05-02", "2025-05-05",
		"2025-06-02",
		"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
	}, []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}},
	{2026, 13, []string{
		"2026-01-01", "2026-01-02",
		"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23", // 春节 02-15 至 02-23
		"2026-04-06",
		"2026-05-01", "2026-05-04", "2026-05-05",
		"2026-06-19",
		"2026-09-25",
		"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
	}, []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}},
}

// TestEmbeddedDataMatchesNotices checks every day from 2018-12-01 to
// 2026-12-31 against the day-by-day lists above: listed days off are not
// working days, listed weekend days are, and every other day follows the
// Monday–Friday rule.
func TestEmbeddedDataMatchesNotices(t *testing.T) {
	c := Default()
	want := map[Date]bool{}
	for _, n := range notices {
		for _, s := range n.off {
			d := day(t, s)
			if isWeekend(d) {
				t.Errorf("%d: %s is listed as a weekday off but is a %s", n.year, s, weekdayName(d.Weekday()))
			}
			want[d] = false
		}
		for _, s := range n.worked {
			d := day(t, s)
			if !isWeekend(d) {
				t.Errorf("%d: %s is listed as a weekend worked but is a %s", n.year, s, weekdayName(d.Weekday()))
			}
			want[d] = true
		}
		if got := len(n.off) - len(n.worked); got != n.net {
			t.Errorf("%d: %d weekdays off − %d weekend days worked = %d, want %d statutory days",
				n.year, len(n.off), len(n.worked), got, n.net)
		}
	}
	for d := day(t, "2018-12-01"); !d.After(day(t, "2026-12-31")); d = d.AddDays(1) {
		w, listed := want[d]
		if !listed {
			w = !isWeekend(d)
		}
		if got, reason := c.IsWorkday(d); got != w {
			t.Errorf("IsWorkday(%s) = %v (%s), want %v", d, got, reason, w)
		}
	}
}

func TestIsWorkday(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		date   string
		work   bool
		reason string
	}{
		{"2024-10-01", false, "国庆节"},
		{"2024-10-07", false, "国庆节"},
		{"2024-09-29", true, "国庆节调休上班"}, // Sunday
		{"2024-10-12", true, "国庆节调休上班"}, // Saturday
		{"2024-09-28", false, "周六"},
		{"2024-10-13", false, "周日"},
		{"2024-10-08", true, "周二"},
		{"2024-02-09", true, "周五"},  // 除夕 2024: not a statutory holiday
		{"2020-01-31", false, "春节"}, // added by the 2020 extension
		{"2020-02-01", false, "春节"}, // was a working Saturday before the extension
		{"2020-02-03", true, "周一"},
		{"2020-01-19", true, "春节调休上班"},
		{"2023-10-07", true, "中秋节、国庆节调休上班"},
		{"2025-10-08", false, "国庆节、中秋节"},
		{"2018-12-29", true, "元旦调休上班"}, // set by the 2019 notice
		{"2022-12-31", false, "元旦"},    // set by the 2023 notice
		{"2019-05-03", false, "劳动节"},   // 国办发明电〔2019〕3号
		{"2019-05-05", true, "劳动节调休上班"},
		{"2026-02-28", true, "春节调休上班"},
		{"2027-01-01", true, "周五"}, // no 2027 data: Monday–Friday rule
		{"2027-01-02", false, "周六"},
	} {
		work, reason := c.IsWorkday(day(t, tc.date))
		if work != tc.work || reason != tc.reason {
			t.Errorf("IsWorkday(%s) = %v, %q; want %v, %q", tc.date, work, reason, tc.work, tc.reason)
		}
	}
}

// TestMerge imports a next year's arrangement, as an administrator does
// when the notice comes out. The 2027 dates here are test data, not a
// notice.
func TestMerge(t *testing.T) {
	base := Default()
	extra, err := ParseEntries(strings.NewReader(
		"# 测试数据\n2027-01-01,2027-01-03,holiday,元旦\n2027-10-01,2027-10-07,holiday,国庆节\n2027-10-09,,workday,国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := base.Merge(extra)
	if err != nil {
		t.Fatal(err)
	}
	if !merged.Covers(2027) || base.Covers(2027) {
		t.Errorf("Covers(2027): merged %v, base %v", merged.Covers(2027), base.Covers(2027))
	}
	if w, why := merged.IsWorkday(day(t, "2027-01-01")); w || why != "元旦" {
		t.Errorf("merged IsWorkday(2027-01-01) = %v, %s", w, why)
	}
	if w, _ := base.IsWorkday(day(t, "2027-01-01")); !w {
		t.Error("Merge changed the base calendar")
	}
	if got, want := len(merged.Entries()), len(base.Entries())+3; got != want {
		t.Errorf("merged has %d entries, want %d", got, want)
	}
	if e := merged.Entries()[len(merged.Entries())-1]; e.Source != SourceImported || e.Line != 4 {
		t.Errorf("imported entry labelled %q line %d", e.Source, e.Line)
	}
	if extra[0].Source != "" {
		t.Error("Merge modified the caller's entries")
	}
	r, err := merged.AddWorkdays(day(t, "2026-12-30"), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 12-31 Thu #1; 2027-01-01 to 01-03 元旦; 01-04 Mon #2; 01-05 Tue #3.
	if r.Due.String() != "2027-01-05" || len(r.Warnings) != 0 {
		t.Errorf("after Merge: Due %s, warnings %v", r.Due, r.Warnings)
	}
}

// TestMergeRejectsOverlap: an import that touches a day already on record
// is refused, naming the imported line and the built-in line.
func TestMergeRejectsOverlap(t *testing.T) {
	base := Default()
	var builtinLine int
	for _, e := range base.Entries() {
		if e.Start.String() == "2024-10-01" {
			builtinLine = e.Line
		}
	}
	extra, err := ParseEntries(strings.NewReader(
		"2027-01-01,,holiday,元旦\n2024-10-07,2024-10-08,holiday,补休\n2024-10-01,2024-10-07,holiday,国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := base.Merge(extra)
	if merged != nil {
		t.Error("Merge returned a calendar with an error")
	}
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 3 {
		t.Fatalf("error = %v, want 3 problems", err)
	}
	builtin := fmt.Sprintf("内置数据第%d行（2024-10-01 至 2024-10-07 国庆节 放假）", builtinLine)
	for _, want := range []string{
		"导入数据第2行（2024-10-07 至 2024-10-08 补休 放假）与" + builtin + "重叠：2024-10-07",
		"导入数据第3行（2024-10-01 至 2024-10-07 国庆节 放假）与" + builtin + "重复",
		"导入数据第3行（2024-10-01 至 2024-10-07 国庆节 放假）与导入数据第2行（2024-10-07 至 2024-10-08 补休 放假）重叠：2024-10-07",
	} {
		found := false
		for _, p := range verr.Problems {
			found = found || strings.Contains(p.Message, want)
		}
		if !found {
			t.Errorf("no problem says %q in:\n%v", want, err)
		}
	}
}

func TestNewFromSeveralSets(t *testing.T) {
	a := []Entry{{Start: day(t, "2030-10-01"), End: day(t, "2030-10-03"), Kind: Holiday, Name: "国庆节"}}
	b := []Entry{{Start: day(t, "2030-09-29"), End: day(t, "2030-09-29"), Kind: Workday, Name: "国庆节"}}
	c, err := New(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if es := c.Entries(); len(es) != 2 || es[0].Kind != Workday {
		t.Errorf("Entries() = %v, want sorted by start", es)
	}
	if !c.Covers(2030) || c.Covers(2029) {
		t.Error("Covers wrong for a calendar built with New")
	}
	empty, err := New()
	if err != nil || len(empty.Entries()) != 0 || empty.Covers(2024) {
		t.Errorf("New() = %v, %v", empty, err)
	}
	if w, why := empty.IsWorkday(day(t, "2024-10-01")); !w || why != "周二" {
		t.Errorf("empty calendar: IsWorkday(2024-10-01) = %v, %s", w, why)
	}
}
