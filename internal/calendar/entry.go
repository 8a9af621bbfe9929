package calendar

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind says what an Entry does to the days it covers.
type Kind int

const (
	// Holiday marks days off (放假), whatever day of the week they fall on.
	Holiday Kind = iota + 1
	// Workday marks an adjusted working weekend day (调休上班): a Saturday or
	// Sunday that the State Council's notice turns into a working day.
	Workday
)

// String returns the token used in the import format: "holiday" or "workday".
func (k Kind) String() string {
	switch k {
	case Holiday:
		return "holiday"
	case Workday:
		return "workday"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

func (k Kind) label() string {
	switch k {
	case Holiday:
		return "放假"
	case Workday:
		return "调休上班"
	}
	return "类型未知"
}

// Limits on one entry. No holiday period has come near them (the longest,
// the extended 2020 Spring Festival, ran 10 days); they catch typos such as
// a wrong month in the end date.
const (
	maxEntryDays  = 31
	maxNameLength = 32 // runes
)

// Entry is one line of the holiday data: a period of statutory holiday
// (放假) or an adjusted working weekend (调休上班), named after the holiday it
// belongs to.
type Entry struct {
	Start, End Date   // inclusive; End == Start for a single day
	Kind       Kind   // Holiday or Workday
	Name       string // the holiday, as the notice names it: 春节, 国庆节、中秋节
	Source     string // where the entry came from, for messages: 内置数据, 导入数据
	Line       int    // line number in its source, 0 when not parsed from text
}

// String renders e as a line of the import format, e.g.
// "2024-10-01,2024-10-07,holiday,国庆节".
func (e Entry) String() string {
	end := e.End.String()
	if e.End == e.Start {
		end = ""
	}
	return e.Start.String() + "," + end + "," + e.Kind.String() + "," + e.Name
}

// Days returns the number of days e covers.
func (e Entry) Days() int { return e.End.Sub(e.Start) + 1 }

// Contains reports whether d falls inside e.
func (e Entry) Contains(d Date) bool { return !d.Before(e.Start) && !d.After(e.End) }

// describe renders e for people: "2024-10-01 至 2024-10-07 国庆节 放假".
func (e Entry) describe() string {
	span := e.Start.String()
	if e.End != e.Start && !e.End.IsZero() {
		span += " 至 " + e.End.String()
	}
	return span + " " + e.Name + " " + e.Kind.label()
}

// where names the entry's origin: "内置数据第12行", "第3行" or "条目".
func (e Entry) where() string {
	s := e.Source
	if e.Line > 0 {
		s += fmt.Sprintf("第%d行", e.Line)
	}
	if s == "" {
		s = "条目"
	}
	return s
}

// Problem is one thing wrong with holiday data, tied to the line it was
// found on (0 when the entry was not parsed from text).
type Problem struct {
	Line    int
	Message string // plain Chinese, naming the line(s) and the reason
}

// ValidationError lists every problem found in holiday data, so that an
// administrator can fix a whole file in one pass.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].Message
	}
	var b strings.Builder
	fmt.Fprintf(&b, "节假日数据有 %d 处错误：", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.Message)
	}
	return b.String()
}

const maxLineBytes = 4096

// ParseEntries reads holiday data in the import format described in the
// package documentation. It checks each line on its own — dates, kind,
// name, span, weekday rules — and reports every malformed line in a
// *ValidationError, naming the line number and the reason. Entries that
// collide with each other are caught by Validate (and so by New and
// Merge), which see the whole set.
func ParseEntries(r io.Reader) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxLineBytes)
	var (
		entries  []Entry
		problems []Problem
		line     int
	)
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF") // spreadsheet programs add a BOM
		}
		if !utf8.ValidString(text) {
			problems = append(problems, Problem{line, fmt.Sprintf(
				"第%d行：不是 UTF-8 编码的文本，请将文件另存为 UTF-8 后再导入", line)})
			continue
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		e, msgs := parseLine(text)
		for _, m := range msgs {
			problems = append(problems, Problem{line, fmt.Sprintf("第%d行：%s", line, m)})
		}
		if len(msgs) == 0 {
			e.Line = line
			entries = append(entries, e)
		}
	}
	if err := sc.Err(); err != nil {
		if !errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("读取节假日数据：%w", err)
		}
		problems = append(problems, Problem{line + 1, fmt.Sprintf(
			"第%d行：行太长（超过 %d 字节），文件可能不是节假日数据", line+1, maxLineBytes)})
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return entries, nil
}

// parseLine parses one non-comment line; it returns every reason the line
// is wrong.
func parseLine(text string) (Entry, []string) {
	fields := strings.Split(text, ",")
	if len(fields) != 4 {
		msg := fmt.Sprintf("应有 4 个字段（起始日期,结束日期,类型,名称），实际 %d 个", len(fields))
		if strings.Contains(text, "，") {
			msg += "；字段之间请用英文逗号“,”分隔"
		}
		return Entry{}, []string{msg}
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	var (
		e    Entry
		msgs []string
		err  error
	)
	if e.Start, err = ParseDate(fields[0]); err != nil {
		msgs = append(msgs, "起始日期有误，"+err.Error())
	}
	if fields[1] == "" {
		e.End = e.Start
	} else if e.End, err = ParseDate(fields[1]); err != nil {
		msgs = append(msgs, "结束日期有误，"+err.Error())
	}
	switch strings.ToLower(fields[2]) {
	case "holiday":
		e.Kind = Holiday
	case "workday":
		e.Kind = Workday
	default:
		msgs = append(msgs, fmt.Sprintf("类型应为 holiday（放假）或 workday（调休上班）：“%s”", fields[2]))
	}
	e.Name = fields[3]
	if len(msgs) > 0 {
		// Report the name too, but skip the checks that need good dates.
		if e.Name == "" {
			msgs = append(msgs, "缺少节日名称")
		}
		return e, msgs
	}
	return e, checkEntry(e)
}

// checkEntry applies the rules one entry must meet on its own.
func checkEntry(e Entry) []string {
	var msgs []string
	datesOK := true
	if e.Start.IsZero() {
		msgs, datesOK = append(msgs, "缺少起始日期"), false
	}
	if e.End.IsZero() {
		msgs, datesOK = append(msgs, "缺少结束日期"), false
	}
	if datesOK && e.End.Before(e.Start) {
		msgs, datesOK = append(msgs, fmt.Sprintf("结束日期 %s 早于起始日期 %s", e.End, e.Start)), false
	}
	if datesOK && e.Days() > maxEntryDays {
		msgs = append(msgs, fmt.Sprintf("区间 %s 至 %s 共 %d 天，超过 %d 天；请检查日期或分成多行",
			e.Start, e.End, e.Days(), maxEntryDays))
		datesOK = false
	}
	if e.Kind != Holiday && e.Kind != Workday {
		msgs = append(msgs, "类型应为 holiday（放假）或 workday（调休上班）")
	}
	switch n := utf8.RuneCountInString(e.Name); {
	case strings.TrimSpace(e.Name) == "":
		msgs = append(msgs, "缺少节日名称")
	case n > maxNameLength:
		msgs = append(msgs, fmt.Sprintf("节日名称过长（%d 字，最多 %d 字）", n, maxNameLength))
	case strings.ContainsAny(e.Name, ",\r\n"):
		msgs = append(msgs, "节日名称不能含有英文逗号或换行")
	}
	if !datesOK {
		return msgs
	}
	switch e.Kind {
	case Workday:
		// A Monday–Friday is a working day already; listing it as 调休上班
		// means the date is wrong.
		var wrong []string
		for d := e.Start; !d.After(e.End); d = d.AddDays(1) {
			if !isWeekend(d) {
				wrong = append(wrong, d.String()+"（"+weekdayName(d.Weekday())+"）")
			}
		}
		if len(wrong) > 0 {
			msgs = append(msgs, "调休上班日只能是周六或周日，以下日期本来就是工作日："+strings.Join(wrong, "、"))
		}
	case Holiday:
		// A period made only of weekend days changes nothing; most likely a
		// 调休上班 day was typed as holiday.
		allWeekend := true
		for d := e.Start; !d.After(e.End); d = d.AddDays(1) {
			if !isWeekend(d) {
				allWeekend = false
				break
			}
		}
		if allWeekend {
			msgs = append(msgs, fmt.Sprintf("放假区间 %s 全部是周末，不改变任何工作日；调休上班日应写 workday",
				spanText(e.Start, e.End)))
		}
	}
	return msgs
}

func spanText(from, to Date) string {
	if from == to {
		return from.String()
	}
	return from.String() + " 至 " + to.String()
}

// Validate checks a whole set of entries: each entry on its own (as
// ParseEntries does) and, across entries, that no day is covered twice —
// two entries for the same day are a duplicate or a conflict (a day cannot
// be both 放假 and 调休上班). Every problem is reported, naming both entries.
func Validate(entries []Entry) error {
	var problems []Problem
	valid := make([]int, 0, len(entries))
	for i, e := range entries {
		msgs := checkEntry(e)
		for _, m := range msgs {
			problems = append(problems, Problem{e.Line, e.where() + "（" + e.describe() + "）：" + m})
		}
		if !e.Start.IsZero() && !e.End.IsZero() && !e.End.Before(e.Start) && e.Days() <= maxEntryDays {
			valid = append(valid, i)
		}
	}
	// Sort by start; an entry can only overlap the ones that start before it
	// ends, and entries are at most a month long, so the sweep is short.
	slices.SortStableFunc(valid, func(a, b int) int { return entries[a].Start.Compare(entries[b].Start) })
	for x, i := range valid {
		a := entries[i]
		for _, j := range valid[x+1:] {
			b := entries[j]
			if b.Start.After(a.End) {
				break
			}
			end := a.End
			if b.End.Before(end) {
				end = b.End
			}
			what := "重叠：" + spanText(b.Start, end) + " 同时出现在两处"
			if a.Start == b.Start && a.End == b.End {
				what = "重复"
			}
			// Report against the entry that comes later in the input: the
			// later line of a file, or the imported entry in a Merge.
			first, second := a, b
			if j < i {
				first, second = b, a
			}
			problems = append(problems, Problem{second.Line, fmt.Sprintf("%s（%s）与%s（%s）%s",
				second.where(), second.describe(), first.where(), first.describe(), what)})
		}
	}
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b Problem) int { return a.Line - b.Line })
		return &ValidationError{Problems: problems}
	}
	return nil
}

// arrangementYear returns the year whose holiday arrangement e shows to be
// on record: a holiday period counts for the year it ends in, so the 元旦
// holiday of 2018-12-30 to 2019-01-01 belongs to 2019, as in the notice
// that set it. Workday entries do not count on their own.
func (e Entry) arrangementYear() (int, bool) {
	if e.Kind != Holiday {
		return 0, false
	}
	return e.End.Year(), true
}
