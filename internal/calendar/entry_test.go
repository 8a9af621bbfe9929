package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseEntries(t *testing.T) {
	in := "\uFEFF# 2024年（国办发明电〔2023〕7号）\n" +
		"\n" +
		"2024-09-29,,workday,国庆节\n" +
		"  2024-10-01 , 2024-10-07 , HOLIDAY , 国庆节  \r\n" +
		"   # an indented comment\n" +
		"2024-10-12,2024-10-12,workday,国庆节\n"
	got, err := ParseEntries(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Start: day(t, "2024-09-29"), End: day(t, "2024-09-29"), Kind: Workday, Name: "国庆节", Line: 3},
		{Start: day(t, "2024-10-01"), End: day(t, "2024-10-07"), Kind: Holiday, Name: "国庆节", Line: 4},
		{Start: day(t, "2024-10-12"), End: day(t, "2024-10-12"), Kind: Workday, Name: "国庆节", Line: 6},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ParseEntries =\n%v\nwant\n%v", got, want)
	}
	if e := got[1]; !e.Contains(day(t, "2024-10-01")) || !e.Contains(day(t, "2024-10-07")) ||
		e.Contains(day(t, "2024-09-30")) || e.Contains(day(t, "2024-10-08")) || e.Days() != 7 {
		t.Errorf("Contains/Days wrong for %v", e)
	}
	// String renders the import format, and parses back to the same entry.
	var lines []string
	for _, e := range got {
		lines = append(lines, e.String())
	}
	if lines[0] != "2024-09-29,,workday,国庆节" || lines[1] != "2024-10-01,2024-10-07,holiday,国庆节" {
		t.Errorf("Entry.String = %q", lines)
	}
	again, err := ParseEntries(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		again[i].Line = got[i].Line
	}
	if !slices.Equal(again, got) {
		t.Errorf("round trip = %v, want %v", again, got)
	}
	if es, err := ParseEntries(strings.NewReader("# nothing but comments\n\n")); err != nil || len(es) != 0 {
		t.Errorf("comments only: %v, %v", es, err)
	}
}

// TestParseEntriesErrors checks that each malformed line is reported with
// its line number (counting comments and blank lines) and its reason.
func TestParseEntriesErrors(t *testing.T) {
	type problem struct {
		line int
		text string // a substring of the message
	}
	for _, tc := range []struct {
		name string
		in   string
		want []problem
	}{
		{"bad date format", "2024/10/01,,holiday,国庆节",
			[]problem{{1, "第1行：起始日期有误，日期格式应为 YYYY-MM-DD：“2024/10/01”"}}},
		{"no such day", "# c\n2023-02-29,,holiday,春节",
			[]problem{{2, "第2行：起始日期有误，日期不存在：2023-02-29"}}},
		{"bad end date", "2024-10-01,2024-10-7,holiday,国庆节",
			[]problem{{1, "第1行：结束日期有误，日期格式应为 YYYY-MM-DD：“2024-10-7”"}}},
		{"end before start", "\n\n2024-10-07,2024-10-01,holiday,国庆节",
			[]problem{{3, "第3行：结束日期 2024-10-01 早于起始日期 2024-10-07"}}},
		{"unknown kind", "2024-10-01,,rest,国庆节",
			[]problem{{1, "第1行：类型应为 holiday（放假）或 workday（调休上班）：“rest”"}}},
		{"missing name", "2024-10-01,2024-10-07,holiday,",
			[]problem{{1, "第1行：缺少节日名称"}}},
		{"blank name", "2024-10-01,2024-10-07,holiday,   ",
			[]problem{{1, "第1行：缺少节日名称"}}},
		{"name too long", "2024-10-01,,holiday," + strings.Repeat("节", 33),
			[]problem{{1, "节日名称过长（33 字，最多 32 字）"}}},
		{"range over 31 days", "2024-01-01,2024-03-01,holiday,春节",
			[]problem{{1, "第1行：区间 2024-01-01 至 2024-03-01 共 61 天，超过 31 天"}}},
		{"workday on a weekday", "2024-10-08,,workday,国庆节",
			[]problem{{1, "第1行：调休上班日只能是周六或周日，以下日期本来就是工作日：2024-10-08（周二）"}}},
		{"workday range with weekdays", "2024-10-11,2024-10-14,workday,国庆节",
			[]problem{{1, "2024-10-11（周五）、2024-10-14（周一）"}}},
		{"holiday only on a weekend", "2024-10-12,2024-10-13,holiday,国庆节",
			[]problem{{1, "第1行：放假区间 2024-10-12 至 2024-10-13 全部是周末，不改变任何工作日；调休上班日应写 workday"}}},
		{"too few fields", "2024-10-01,2024-10-07,holiday",
			[]problem{{1, "第1行：应有 4 个字段（起始日期,结束日期,类型,名称），实际 3 个"}}},
		{"too many fields", "2024-10-01,2024-10-07,holiday,国庆节,备注",
			[]problem{{1, "实际 5 个"}}},
		{"full-width commas", "2024-10-01，2024-10-07，holiday，国庆节",
			[]problem{{1, "实际 1 个；字段之间请用英文逗号“,”分隔"}}},
		{"not UTF-8 (GBK)", "2024-10-01,2024-10-07,holiday,\xb9\xfa\xc7\xec\xbd\xda",
			[]problem{{1, "第1行：不是 UTF-8 编码的文本"}}},
		{"several problems on one line", "2024-13-01,,rest,",
			[]problem{{1, "起始日期有误"}, {1, "类型应为"}, {1, "缺少节日名称"}}},
		{"every bad line is reported",
			"# 2024\n" +
				"2024-09-29,,workday,国庆节\n" +
				"2024-10-01,2024-10-07,holliday,国庆节\n" +
				"2024-10-12,,workday,国庆节\n" +
				"\n" +
				"2024-10-14,,workday,国庆节\n" +
				"2024-10-15,2024-10-16\n" +
				"2024-10-19,2024-10-20,holiday,国庆节\n",
			[]problem{{3, "第3行：类型应为"}, {6, "第6行：调休上班日只能是周六或周日"}, {7, "第7行：应有 4 个字段"}, {8, "第8行：放假区间"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := ParseEntries(strings.NewReader(tc.in))
			if entries != nil {
				t.Errorf("entries = %v, want nil on error", entries)
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("error = %v, want a *ValidationError", err)
			}
			if len(verr.Problems) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(verr.Problems), len(tc.want), err)
			}
			for i, w := range tc.want {
				p := verr.Problems[i]
				if p.Line != w.line || !strings.Contains(p.Message, w.text) {
					t.Errorf("problem %d = line %d %q, want line %d containing %q", i, p.Line, p.Message, w.line, w.text)
				}
			}
			if len(tc.want) > 1 && !strings.HasPrefix(err.Error(), fmt.Sprintf("节假日数据有 %d 处错误：", len(tc.want))) {
				t.Errorf("Error() = %q, want a count first", err)
			}
		})
	}
}

func TestParseEntriesLongLine(t *testing.T) {
	in := "2024-10-01,2024-10-07,holiday,国庆节\n" + strings.Repeat("x", 5000) + "\n"
	_, err := ParseEntries(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "第2行：行太长") {
		t.Fatalf("error = %v, want a long-line problem on line 2", err)
	}
}

func TestValidateOverlaps(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string // one message per problem
	}{
		{"duplicate line",
			"2024-10-01,2024-10-07,holiday,国庆节\n2024-10-12,,workday,国庆节\n2024-10-01,2024-10-07,holiday,国庆节",
			[]string{"第3行（2024-10-01 至 2024-10-07 国庆节 放假）与第1行（2024-10-01 至 2024-10-07 国庆节 放假）重复"}},
		{"overlapping holidays",
			"2024-10-01,2024-10-07,holiday,国庆节\n2024-10-05,2024-10-08,holiday,补假",
			[]string{"第2行（2024-10-05 至 2024-10-08 补假 放假）与第1行（2024-10-01 至 2024-10-07 国庆节 放假）重叠：2024-10-05 至 2024-10-07 同时出现在两处"}},
		{"workday inside a holiday",
			"2024-10-01,2024-10-07,holiday,国庆节\n2024-10-05,,workday,国庆节",
			[]string{"第2行（2024-10-05 国庆节 调休上班）与第1行（2024-10-01 至 2024-10-07 国庆节 放假）重叠：2024-10-05 同时出现在两处"}},
		{"later line first in the file is still named as the later one",
			"2024-10-05,,workday,国庆节\n2024-10-01,2024-10-07,holiday,国庆节",
			[]string{"第2行（2024-10-01 至 2024-10-07 国庆节 放假）与第1行（2024-10-05 国庆节 调休上班）重叠"}},
		{"three-way overlap reports each pair",
			"2024-10-01,2024-10-07,holiday,国庆节\n2024-10-02,,holiday,甲\n2024-10-03,,holiday,乙",
			[]string{"第2行", "第3行"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := ParseEntries(strings.NewReader(tc.in))
			if err != nil {
				t.Fatalf("ParseEntries: %v", err)
			}
			for _, check := range []func() error{
				func() error { return Validate(entries) },
				func() error { _, err := New(entries); return err },
			} {
				err := check()
				var verr *ValidationError
				if !errors.As(err, &verr) {
					t.Fatalf("error = %v, want a *ValidationError", err)
				}
				if len(verr.Problems) != len(tc.want) {
					t.Fatalf("%d problems, want %d:\n%v", len(verr.Problems), len(tc.want), err)
				}
				for i, w := range tc.want {
					if !strings.Contains(verr.Problems[i].Message, w) {
						t.Errorf("problem %d = %q, want it to contain %q", i, verr.Problems[i].Message, w)
					}
				}
			}
		})
	}
}

// TestValidateEntriesBuiltInCode covers entries made in Go rather than
// parsed: they get the same per-entry checks, labelled without a line.
func TestValidateEntriesBuiltInCode(t *testing.T) {
	err := Validate([]Entry{
		{Start: day(t, "2027-10-01"), End: day(t, "2027-10-07"), Kind: Holiday, Name: "国庆节"},
		{Start: day(t, "2027-10-09"), End: day(t, "2027-10-09"), Kind: Workday, Name: "国庆节"},
		{Start: day(t, "2027-10-11"), End: day(t, "2027-10-11"), Kind: Workday, Name: "国庆节"},
		{Start: day(t, "2027-05-01"), Kind: Holiday, Name: "劳动节"},
		{Start: day(t, "2027-06-01"), End: day(t, "2027-06-01"), Name: "无类型"},
	})
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 3 {
		t.Fatalf("error = %v, want 3 problems", err)
	}
	for i, want := range []string{
		"条目（2027-10-11 国庆节 调休上班）：调休上班日只能是周六或周日",
		"条目（2027-05-01 劳动节 放假）：缺少结束日期",
		"条目（2027-06-01 无类型 类型未知）：类型应为 holiday（放假）或 workday（调休上班）",
	} {
		if !strings.Contains(verr.Problems[i].Message, want) {
			t.Errorf("problem %d = %q, want %q", i, verr.Problems[i].Message, want)
		}
	}
}
