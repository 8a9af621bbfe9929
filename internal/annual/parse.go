package annual

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The six sections of a report (国办公开办函〔2021〕30号), numbered as printed.
const (
	secOverview = 1 // 一、总体情况
	secTable2   = 2 // 二、主动公开政府信息情况
	secTable3   = 3 // 三、收到和处理政府信息公开申请情况
	secTable4   = 4 // 四、政府信息公开行政复议、行政诉讼情况
	secProblems = 5 // 五、存在的主要问题及改进情况
	secOther    = 6 // 六、其他需要报告的事项
)

// headingWords are the words that tell a section heading from a table row
// that is numbered the same way (table 三 has rows 一、 to 四、).
var headingWords = [7][]string{
	secOverview: {"总体情况"},
	secTable2:   {"主动公开"},
	secTable3:   {"收到和处理", "政府信息公开申请情况"},
	secTable4:   {"复议"},
	secProblems: {"问题"},
	secOther:    {"其他需要报告"},
}

var headingNumerals = [7]string{"", "一", "二", "三", "四", "五", "六"}

// parse reads the structure of a report from its lines.
func parse(lines []line, htmlTitle string) (*Report, error) {
	r := NewReport()
	r.Printed.Labels = map[RowKey]string{}
	lines = lines[skipPreamble(lines):]

	h := findHeadings(lines)
	for k := secOverview; k <= secOther; k++ {
		r.Printed.Sections[k] = h[k] >= 0
	}
	s3, e3 := table3Region(lines, h)
	if s3 < 0 {
		return nil, ErrNotReport
	}

	firstHeading := len(lines)
	for k := secOverview; k <= secOther; k++ {
		if h[k] >= 0 {
			firstHeading = min(firstHeading, h[k])
		}
	}
	title, titleAt := findTitle(lines[:min(firstHeading, s3)], htmlTitle)
	r.Title = title
	r.Unit = unitOf(r.Title)
	r.Year = yearOf(r.Title)

	// Narrative: the preface runs from the title to the first heading, section 一
	// to the next section (or the first table).
	textEnd := s3
	if h[secTable2] >= 0 {
		textEnd = min(textEnd, h[secTable2])
	}
	prefaceEnd := min(firstHeading, textEnd)
	if h[secOverview] >= 0 {
		r.Text.Preface = joinLines(lines[titleAt+1 : min(h[secOverview], textEnd)])
		if h[secOverview] < textEnd {
			r.Text.Overview = joinLines(lines[h[secOverview]+1 : textEnd])
		}
	} else {
		r.Text.Overview = joinLines(lines[titleAt+1 : prefaceEnd])
	}
	if r.Unit == "" {
		r.Unit = unitFromText(r.Text.Preface + r.Text.Overview)
	}
	if r.Year == 0 {
		r.Year = yearFromText(r.Text.Preface + r.Text.Overview)
	}
	if h[secProblems] >= 0 {
		end := len(lines)
		if h[secOther] > h[secProblems] {
			end = h[secOther]
		}
		r.Text.Problems = joinLines(lines[h[secProblems]+1 : end])
	}
	if h[secOther] >= 0 {
		r.Text.Other = joinLines(lines[h[secOther]+1:])
	}

	// Table 二 lies between its heading (or the title) and table 三.
	start2 := titleAt + 1
	if h[secTable2] >= 0 && h[secTable2] < s3 {
		start2 = h[secTable2] + 1
	}
	t2, template := readTable2(lines[start2:s3], r)
	r.Table2 = t2

	if err := readTable3(lines[s3:e3], r); err != nil {
		return nil, err
	}

	end4 := len(lines)
	if h[secProblems] > e3 {
		end4 = h[secProblems]
	}
	r.Table4 = readTable4(lines[e3:end4], r)

	switch {
	case template != "":
		r.Template = template
	case r.Printed.SingleRowOther:
		r.Template = Template2019
	default:
		r.Template = Template2021
	}
	return r, nil
}

// skipPreamble skips what precedes the report in a collected file: blank
// lines, a source address and "#" notes.
func skipPreamble(lines []line) int {
	for i, l := range lines {
		t := strings.TrimSpace(l.text())
		switch {
		case t == "":
		case strings.HasPrefix(t, "http://"), strings.HasPrefix(t, "https://"), strings.HasPrefix(t, "#"):
		default:
			return i
		}
	}
	return len(lines)
}

// single returns the only non-empty cell of a line, or "".
func single(l line) string {
	s := ""
	for _, c := range l.cells {
		if c == "" {
			continue
		}
		if s != "" {
			return ""
		}
		s = c
	}
	return s
}

// headingText returns the text of a line that may be a section heading (one
// short cell opening with a numeral), without spaces; "" for other lines.
func headingText(l line) string {
	t := single(l)
	if t == "" || utf8.RuneCountInString(t) > 40 {
		return ""
	}
	t = removeSpace(halfWidth(t))
	if r, _ := utf8.DecodeRuneInString(t); !strings.ContainsRune("一二三四五六", r) {
		return ""
	}
	return t
}

// isHeading reports whether a heading text (see headingText) is the heading of
// section k.
func isHeading(t string, k int) bool {
	rest, ok := strings.CutPrefix(t, headingNumerals[k])
	if !ok {
		return false
	}
	if r, size := utf8.DecodeRuneInString(rest); r == '、' || r == '.' || r == ',' || r == '．' {
		rest = rest[size:]
	} else {
		return false
	}
	for _, w := range headingWords[k] {
		if strings.Contains(rest, w) {
			return true
		}
	}
	return false
}

// findHeadings returns the line index of each section heading, -1 when it is
// not printed. Headings are taken in order.
func findHeadings(lines []line) [7]int {
	var h [7]int
	for i := range h {
		h[i] = -1
	}
	last := 0
	for i, l := range lines {
		t := headingText(l)
		if t == "" {
			continue
		}
		for k := last + 1; k <= secOther; k++ {
			if isHeading(t, k) {
				h[k] = i
				last = k
				break
			}
		}
		if last == secOther {
			break
		}
	}
	return h
}

// table3Region returns where table 三 lies: after its heading, or from its
// first recognisable line, up to the heading of section 四 or the header of
// table 四. start is -1 when there is no table 三.
func table3Region(lines []line, h [7]int) (start, end int) {
	start = -1
	if h[secTable3] >= 0 {
		start = h[secTable3] + 1
	} else {
		for i, l := range lines {
			t := l.text()
			if strings.Contains(t, "勾稽关系") || strings.Contains(t, "新收政府信息公开申请") || strings.Contains(t, "本年新收") {
				start = i
				break
			}
		}
	}
	if start < 0 {
		return -1, -1
	}
	end = len(lines)
	if h[secTable4] > start {
		return start, h[secTable4]
	}
	for i := start; i < len(lines); i++ {
		if isTable4Header(lines[i]) {
			return start, i
		}
	}
	if h[secProblems] > start {
		end = h[secProblems]
	}
	return start, end
}

// isTable4Header reports whether a line is the first header line of table 四.
func isTable4Header(l line) bool {
	var rec, lit bool
	for _, c := range l.cells {
		// A line flattened with spaces holds the headings in one cell.
		for _, w := range strings.FieldsFunc(c, isSpaceRune) {
			f := labelForm(w)
			rec = rec || f == "行政复议"
			lit = lit || f == "行政诉讼"
		}
	}
	return rec && lit
}

// findTitle finds the title among the lines before the first heading: the
// line naming the 年度报告 (one with a year first, so that a menu link
// 「政府信息公开年度报告」 on a web page is passed over), with the line before it
// when the title is printed on two lines (「洪泽区人民政府」
// 「2023年政府信息公开工作年度报告」).
func findTitle(lines []line, htmlTitle string) (title string, at int) {
	at = -1
	for i, l := range lines {
		if i > 40 {
			break
		}
		t := trimSpace(strings.Join(l.cells, " "))
		if !strings.Contains(t, "年度报告") || utf8.RuneCountInString(t) > 80 {
			continue
		}
		if yearExpr.MatchString(halfWidth(t)) {
			at = i
			break
		}
		if at < 0 {
			at = i
		}
	}
	if at < 0 {
		if strings.Contains(htmlTitle, "年度报告") {
			return htmlTitle, -1
		}
		return "", -1
	}
	t := trimSpace(strings.Join(lines[at].cells, " "))
	h := halfWidth(t)
	startsBare := h != "" && (h[0] >= '0' && h[0] <= '9' || strings.HasPrefix(h, "政府信息公开") || strings.HasPrefix(h, "工作年度报告") || strings.HasPrefix(h, "年度报告"))
	// A title wrapped mid-word: 「福州海关（本级机关）2024年 政府信息公」
	// 「开工作年度报告」.
	wrapped := !yearExpr.MatchString(h)
	if startsBare || wrapped {
		for j := at - 1; j >= 0; j-- {
			p := trimSpace(strings.Join(lines[j].cells, " "))
			if p == "" {
				continue
			}
			if utf8.RuneCountInString(p) <= 30 && !strings.ContainsAny(p, "。，,：:>|/") && (startsBare || yearExpr.MatchString(halfWidth(p))) {
				t = p + t
			}
			break
		}
	}
	return t, at
}

var (
	yearExpr      = regexp.MustCompile(`((?:19|20)\d{2})\s*年度?`)
	unitSuffix    = regexp.MustCompile(`\s*(?:政府信息公开(?:工作)?(?:年度)?报告|工作年度报告|年度报告).*$`)
	unitFromProse = regexp.MustCompile(`(?:梳理|总结|统计)\s*(?:19|20)\d{2}\s*年度?\s*(.{2,30}?)\s*政府信息公开工作`)
	periodYear    = regexp.MustCompile(`自\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日`)
)

// yearOf reads the year from a title.
func yearOf(title string) int {
	m := yearExpr.FindStringSubmatch(halfWidth(title))
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

// yearFromText reads the year from the statistics period of the preface
// (「自2024年1月1日起至2024年12月31日止」).
func yearFromText(s string) int {
	m := periodYear.FindStringSubmatch(halfWidth(s))
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

// unitOf reads the unit from a title: what remains when the year and
// 「政府信息公开工作年度报告」 are taken away.
func unitOf(title string) string {
	t := yearExpr.ReplaceAllString(title, "")
	t = unitSuffix.ReplaceAllString(t, "")
	return strings.Trim(trimSpace(t), "《》“”\" ")
}

func unitFromText(s string) string {
	m := unitFromProse.FindStringSubmatch(removeSpace(s))
	if m == nil {
		return ""
	}
	return m[1]
}

// joinLines returns lines as printed, one per line, without blank lines at
// the ends.
func joinLines(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		t := trimSpace(strings.Join(l.cells, "\t"))
		if t == "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return strings.Trim(b.String(), "\n")
}

// UnitKey is the form in which two reports' units are compared: half width,
// without spaces, so that 「福州海关（本级机关）」 and 「福州海关(本级机关)」 are
// one unit.
func UnitKey(unit string) string {
	return removeSpace(halfWidth(unit))
}
