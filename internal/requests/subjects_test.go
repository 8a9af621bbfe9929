package requests

import (
	"reflect"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func TestParseSubjectList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		msg  string
	}{
		{"统计数据\n报关单证\r\n\n  行政执法信息  \n", []string{"统计数据", "报关单证", "行政执法信息"}, ""},
		{"\n \n", nil, "至少填写一项"},
		{"统计数据\n统计数据", nil, "“统计数据”重复"},
		{strings.Repeat("长", MaxSubjectRunes+1), nil, "超过20个字"},
		{strings.Repeat("长", MaxSubjectRunes), []string{strings.Repeat("长", MaxSubjectRunes)}, ""},
		{"统计\x07数据", nil, "控制字符"},
		{manyLines(MaxSubjects + 1), nil, "最多30项"},
		{manyLines(MaxSubjects), nil, ""},
	} {
		got, err := ParseSubjectList(tc.in)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.in, err)
			} else if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
			}
			continue
		}
		if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), tc.msg) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.msg)
		}
	}
	if err := ValidSubjectList(DefaultSubjects); err != nil {
		t.Errorf("the default list: %v", err)
	}
}

func manyLines(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("分类")
		b.WriteRune(rune('甲' + i))
		b.WriteString("\n")
	}
	return b.String()
}

func TestCheckSubjects(t *testing.T) {
	list := DefaultSubjects
	for _, tc := range []struct {
		chosen []string
		want   []string
		msg    string
	}{
		{[]string{"行政执法信息", "统计数据"}, []string{"统计数据", "行政执法信息"}, ""}, // in the list's order
		{[]string{" 统计数据 ", "统计数据", ""}, []string{"统计数据"}, ""},       // trimmed, once
		{nil, nil, "至少选择一项"},
		{[]string{"", " "}, nil, "至少选择一项"},
		{[]string{"统计数据", "天气预报"}, nil, "“天气预报”不在本单位的申请内容分类中"},
	} {
		got, err := CheckSubjects(tc.chosen, list)
		if tc.msg == "" {
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q: %q %v, want %q", tc.chosen, got, err, tc.want)
			}
			continue
		}
		if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), tc.msg) {
			t.Errorf("%q: %v, want %q", tc.chosen, err, tc.msg)
		}
	}
}

func TestSortSubjectCounts(t *testing.T) {
	list := []string{"统计数据", "报关单证", "行政执法信息", "行政许可"}
	for _, tc := range []struct {
		name string
		in   []SubjectCount
		want []string
	}{
		{"by count", []SubjectCount{{"行政许可", 1}, {"统计数据", 3}, {"报关单证", 2}}, []string{"统计数据", "报关单证", "行政许可"}},
		{"ties by list order", []SubjectCount{{"行政执法信息", 2}, {"报关单证", 2}, {"统计数据", 2}}, []string{"统计数据", "报关单证", "行政执法信息"}},
		{"unlisted after listed, by name", []SubjectCount{{"进出口税收", 2}, {"行政许可", 2}, {"旧分类", 2}, {"统计数据", 1}},
			[]string{"行政许可", "旧分类", "进出口税收", "统计数据"}},
		{"count before list", []SubjectCount{{"统计数据", 1}, {"旧分类", 5}}, []string{"旧分类", "统计数据"}},
	} {
		SortSubjectCounts(tc.in, list)
		var got []string
		for _, c := range tc.in {
			got = append(got, c.Subject)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestSubjectsMarked: the marking is allowed in every state after
// registration, by a handler only, the last one counts, and it never moves
// the clock.
func TestSubjectsMarked(t *testing.T) {
	cal := calendar.Default()
	mark := func(on string, subjects ...string) Event {
		return Event{Kind: SubjectsMarked, On: d(on), Role: org.RoleHandler, Subjects: subjects}
	}
	reg := ev(Registered, "2024-09-20")
	histories := map[string][]Event{
		"办理中":   {reg},
		"征求意见中": {reg, ev(ConsultStarted, "2024-09-23")},
		"待补正":   {reg, {Kind: CorrectionRequested, On: d("2024-09-23"), Note: "文号"}},
		"待缴费":   {reg, {Kind: FeeNoticed, On: d("2024-09-23"), Yuan: 100}},
		"已拟定":   {reg, decide("2024-09-24", annual.RowDisclosed)},
		"已答复":   {reg, decide("2024-09-24", annual.RowDisclosed), ev(Answered, "2024-09-24")},
		"已办结": {reg, decide("2024-09-24", annual.RowDisclosed), ev(Answered, "2024-09-24"), ev(Delivered, "2024-09-25"),
			ev(Closed, "2024-09-26")},
		"已撤回":  {reg, ev(Withdrawn, "2024-09-23")},
		"视为放弃": {reg, {Kind: FeeNoticed, On: d("2024-09-23"), Yuan: 100}, ev(FeeAbandoned, "2024-10-31")},
	}
	for name, h := range histories {
		t.Run(name, func(t *testing.T) {
			before, err := Replay(cal, DefaultSettings, h)
			if err != nil {
				t.Fatal(err)
			}
			after, err := Replay(cal, DefaultSettings, append(append([]Event(nil), h...), mark("2024-11-05", "统计数据"), mark("2024-11-06", "报关单证", "行政许可")))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(after.Subjects, []string{"报关单证", "行政许可"}) {
				t.Errorf("subjects %q", after.Subjects)
			}
			after.Subjects = nil
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the marking changed the state:\n%+v\n%+v", before, after)
			}
			asOf := d("2024-11-06")
			b, errB := before.DueOn(cal, asOf)
			a, errA := after.DueOn(cal, asOf)
			if b != a || errA != nil || errB != nil {
				t.Errorf("due %s → %s", b, a)
			}
		})
	}
	if MovesClock(SubjectsMarked) || MovesClock(Assigned) || !MovesClock(Extended) || !MovesClock(Decided) {
		t.Error("MovesClock")
	}
	for _, tc := range []struct {
		name   string
		before []Event
		bad    Event
		code   errs.Code
		msg    string
	}{
		{"登记前", nil, mark("2024-09-20", "统计数据"), errs.Conflict, "尚未登记"},
		{"早于收到日", []Event{reg}, mark("2024-09-19", "统计数据"), errs.Invalid, "不能早于"},
		{"未选择", []Event{reg}, mark("2024-09-20"), errs.Invalid, "至少选择一项"},
		{"法制审核人员", []Event{reg}, Event{Kind: SubjectsMarked, On: d("2024-09-20"), Role: org.RoleLegal, Subjects: []string{"统计数据"}},
			errs.Forbidden, "标注申请内容"},
		{"公开办负责人", []Event{reg}, Event{Kind: SubjectsMarked, On: d("2024-09-20"), Role: org.RoleOfficeHead, Subjects: []string{"统计数据"}},
			errs.Forbidden, "仅限在本单位具有“依申请公开办理”角色"},
	} {
		s, err := Replay(cal, DefaultSettings, tc.before)
		if err != nil {
			t.Fatal(err)
		}
		was := s
		err = s.Apply(cal, DefaultSettings, tc.bad)
		if errs.CodeOf(err) != tc.code || !strings.Contains(errs.MessageOf(err), tc.msg) {
			t.Errorf("%s: %v, want %s %q", tc.name, err, tc.code, tc.msg)
		}
		if !reflect.DeepEqual(s, was) {
			t.Errorf("%s: a refused marking changed the state", tc.name)
		}
	}
}
