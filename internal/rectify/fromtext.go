package rectify

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// FromReportText reads the problems a report states in its section 五
// (annual.Report.Text.Problems of an imported or published report), as
// candidates for the register's problems of that report's year:
//
//   - When the section is divided into parts (（一）（二）…), the part whose
//     heading names the problems that exist (「目前存在问题」「存在的主要问题」) is
//     read — not the one on last year's problems (「…年报中所提问题整改情况」);
//     without such a heading, （二）. Its heading is removed.
//   - What follows the problems — the measures planned, from a sentence that
//     starts with 「针对…」「下一步」「今后」「为此」 or 「2025年，…将」 — is cut off.
//   - Enumerated problems (一是…二是…, 1. 2. / 1、2、, （1）（2）, 第一，第二，, and
//     （一）（二） when the section has no parts) give one candidate each, the
//     words before the first one left out; otherwise the text is one problem,
//     from 「主要表现在：」「如…」 on when it says so.
//
// Candidates have no enumeration marker and no trailing punctuation; whitespace
// that printing put into the text is removed. The text is only read: what is
// registered is what staff confirm.
func FromReportText(text string) []string {
	s := joinLines(text)
	s = dropSectionTitle(s)
	body, sectioned := problemPart(s)
	body = dropHeading(body, sectioned)
	body = cutTail(body)
	if body == "" {
		return nil
	}
	var out []string
	add := func(c string) {
		c = clause(c)
		if utf8.RuneCountInString(c) < 2 {
			return
		}
		for _, x := range out {
			if x == c {
				return
			}
		}
		out = append(out, c)
	}
	if items := enumeration(body, !sectioned); len(items) > 0 {
		for _, it := range items {
			add(it)
		}
		return out
	}
	add(afterPreamble(body))
	return out
}

// marker kinds of enumerations.
const (
	mkShi      = iota // 一是
	mkParenNum        // （1） (1)
	mkDot             // 1. 1、 1．
	mkDi              // 第一， 其一，
	mkParenCN         // （一） (一)
)

type marker struct {
	kind, n    int
	start, end int // byte offsets of the marker in the text
}

// boundary is what may stand before an enumeration marker.
const boundary = "。；;：:，,！？!?“”）) \n"

// markerAt reads an enumeration marker starting at byte offset i of s.
func markerAt(s string, i int) (marker, bool) {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if !strings.ContainsRune(boundary, r) {
			return marker{}, false
		}
	}
	rest := s[i:]
	cn := func(t string) (int, int) { // a Chinese numeral at the start of t: value, bytes
		j := 0
		for j < len(t) && j < 9 {
			r, size := utf8.DecodeRuneInString(t[j:])
			if !strings.ContainsRune("一二三四五六七八九十", r) {
				break
			}
			j += size
		}
		for k := j; k > 0; {
			if n := chineseNumeral(t[:k]); n > 0 {
				return n, k
			}
			_, size := utf8.DecodeLastRuneInString(t[:k])
			k -= size
		}
		return 0, 0
	}
	num := func(t string) (int, int) { // Arabic digits at the start of t
		j, n := 0, 0
		for j < len(t) && j < 3 && t[j] >= '0' && t[j] <= '9' {
			n = n*10 + int(t[j]-'0')
			j++
		}
		return n, j
	}
	if n, k := cn(rest); n > 0 && strings.HasPrefix(rest[k:], "是") {
		return marker{mkShi, n, i, i + k + len("是")}, true
	}
	for _, open := range []string{"（", "("} {
		if !strings.HasPrefix(rest, open) {
			continue
		}
		t := rest[len(open):]
		for _, close := range []string{"）", ")"} {
			if n, k := num(t); n > 0 && strings.HasPrefix(t[k:], close) {
				return marker{mkParenNum, n, i, i + len(open) + k + len(close)}, true
			}
			if n, k := cn(t); n > 0 && strings.HasPrefix(t[k:], close) {
				return marker{mkParenCN, n, i, i + len(open) + k + len(close)}, true
			}
		}
	}
	if n, k := num(rest); n > 0 {
		for _, sep := range []string{".", "、", "．"} {
			if strings.HasPrefix(rest[k:], sep) {
				after := rest[k+len(sep):]
				if after != "" && (after[0] < '0' || after[0] > '9') && !strings.HasPrefix(after, "%") {
					return marker{mkDot, n, i, i + k + len(sep)}, true
				}
			}
		}
	}
	for _, lead := range []string{"第", "其"} {
		if strings.HasPrefix(rest, lead) {
			t := rest[len(lead):]
			if n, k := cn(t); n > 0 {
				for _, sep := range []string{"，", "、", ",", "："} {
					if strings.HasPrefix(t[k:], sep) {
						return marker{mkDi, n, i, i + len(lead) + k + len(sep)}, true
					}
				}
			}
		}
	}
	return marker{}, false
}

func markersIn(s string) []marker {
	var out []marker
	for i := 0; i < len(s); {
		if m, ok := markerAt(s, i); ok {
			out = append(out, m)
			i = m.end
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return out
}

// sequence finds the run of markers of one kind numbered 1, 2, 3… in s; restart
// is where the same kind starts again from 1 after the run (-1 when it does not).
func sequence(ms []marker, kind int) (run []marker, restart int) {
	restart = -1
	for _, m := range ms {
		if m.kind != kind {
			continue
		}
		switch {
		case len(run) == 0 && m.n == 1:
			run = append(run, m)
		case len(run) > 0 && m.n == run[len(run)-1].n+1:
			run = append(run, m)
		case len(run) > 0 && m.n == 1:
			return run, m.start
		}
	}
	return run, restart
}

// enumeration splits s at its enumeration: the kind whose first item comes
// first (a run of two or more preferred), the words before it dropped. The
// last item ends where a new enumeration of the same kind begins (at the
// sentence before it). It returns nil when s is not enumerated.
func enumeration(s string, withParenCN bool) []string {
	ms := markersIn(s)
	kinds := []int{mkShi, mkParenNum, mkDot, mkDi}
	if withParenCN {
		kinds = append(kinds, mkParenCN)
	}
	var best []marker
	bestRestart := -1
	for _, long := range []bool{true, false} {
		for _, k := range kinds {
			run, restart := sequence(ms, k)
			if len(run) == 0 || (long && len(run) < 2) {
				continue
			}
			if best == nil || run[0].start < best[0].start {
				best, bestRestart = run, restart
			}
		}
		if best != nil {
			break
		}
	}
	if best == nil {
		return nil
	}
	var out []string
	for i, m := range best {
		end := len(s)
		if i+1 < len(best) {
			end = best[i+1].start
		} else if bestRestart >= 0 {
			end = bestRestart
			if j := strings.LastIndex(s[m.end:bestRestart], "。"); j >= 0 {
				end = m.end + j
			}
		}
		out = append(out, s[m.end:end])
	}
	return out
}

// dropSectionTitle removes the section's own title when the text starts with it.
func dropSectionTitle(s string) string {
	for _, p := range []string{"五、", "五．", "五."} {
		if strings.HasPrefix(s, p) {
			if i := strings.Index(s, "情况"); i >= 0 && utf8.RuneCountInString(s[:i]) <= 30 {
				return strings.TrimLeft(s[i+len("情况"):], "。：: ")
			}
		}
	}
	return s
}

// joinLines joins the lines of a printed text, removing the whitespace
// printing put in (squash), but keeps a line break where it ends a heading
// printed on its own line: before a line that starts an enumeration, and
// after a short part heading (「（一）存在的问题」) without punctuation. Line
// breaks elsewhere fall inside sentences (a PDF breaks lines at the margin).
func joinLines(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var b strings.Builder
	prev := ""
	for _, raw := range lines {
		line := squash(raw)
		if line == "" {
			continue
		}
		if prev != "" {
			_, starts := markerAt(line, 0)
			pr, _ := utf8.DecodeLastRuneInString(prev)
			lr, _ := utf8.DecodeRuneInString(line)
			switch {
			case strings.ContainsRune("。；;：:！？!?", pr):
			case starts || isPartHeading(prev):
				b.WriteByte('\n')
			case isASCIIWord(pr) && isASCIIWord(lr):
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
		prev = line
	}
	return b.String()
}

// isPartHeading reports a short line that opens a part: 「（一）存在的问题」.
func isPartHeading(line string) bool {
	m, ok := markerAt(line, 0)
	return ok && m.kind == mkParenCN && utf8.RuneCountInString(line) <= 30 && !strings.ContainsAny(line, "。；，,")
}

// heading is a part's first words up to 「。」「：」 or a line break when
// they are short.
func heading(s string) string {
	i := strings.IndexAny(s, "。：:\n")
	if i < 0 || utf8.RuneCountInString(s[:i]) > 40 {
		return ""
	}
	return s[:i]
}

var partWords = []string{"问题", "整改", "改进", "措施", "情况", "打算", "计划"}

// problemPart is the part of a divided section that states the existing
// problems, or s itself when it is not divided (sectioned false).
func problemPart(s string) (part string, sectioned bool) {
	run, _ := sequence(markersIn(s), mkParenCN)
	if len(run) < 2 {
		return s, false
	}
	var parts []string
	for i, m := range run {
		end := len(s)
		if i+1 < len(run) {
			end = run[i+1].start
		}
		parts = append(parts, s[m.end:end])
	}
	divided := false
	for _, p := range parts {
		for _, w := range partWords {
			if strings.Contains(heading(p), w) {
				divided = true
			}
		}
	}
	if !divided {
		return s, false
	}
	for _, p := range parts {
		h := heading(p)
		if strings.Contains(h, "存在") && strings.Contains(h, "问题") && !strings.Contains(h, "所提问题") && !strings.Contains(h, "整改情况") {
			return p, true
		}
	}
	for _, p := range parts {
		h := heading(p)
		if strings.Contains(h, "问题") && !strings.Contains(h, "整改") && !strings.Contains(h, "改进") {
			return p, true
		}
	}
	return parts[1], true
}

var headingRE = regexp.MustCompile(`^(目前|当前|本年度|今年|工作中)?仍?(存在|面临)的?(主要|以下)?(问题|不足|困难)`)

// dropHeading removes a part's heading (「目前存在问题。」「存在的主要问题：」):
// in a part of a divided section, its first words when they name problems;
// otherwise only words that read as a heading, not a sentence that states a
// problem (「标准不统一是当前的主要问题。」).
func dropHeading(s string, sectioned bool) string {
	h := heading(s)
	if h == "" {
		return s
	}
	if (sectioned && (strings.Contains(h, "问题") || strings.Contains(h, "不足"))) || headingRE.MatchString(h) {
		return strings.TrimLeft(s[len(h):], "。：: \n")
	}
	return s
}

var (
	tailStarts = []string{"针对", "下一步", "下一阶段", "今后", "为此", "对此", "接下来", "未来", "我们将", "我局将", "我市将", "我区将", "我县将", "我厅将", "我委将", "我办将"}
	tailYearRE = regexp.MustCompile(`^(\d{4}年|明年|新的一年)[，,、]?.{0,30}?将`)
)

// cutTail cuts s before the first sentence that turns to what will be done.
func cutTail(s string) string {
	starts := []int{0}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if (r == '。' || r == '！' || r == '；' || r == '\n') && i < len(s) {
			starts = append(starts, i)
		}
	}
	for _, st := range starts {
		t := s[st:]
		turns := tailYearRE.MatchString(t)
		for _, w := range tailStarts {
			if strings.HasPrefix(t, w) {
				turns = true
			}
		}
		if turns {
			return strings.TrimSpace(s[:st])
		}
	}
	return s
}

var preambles = []string{"主要表现在", "主要表现为", "具体表现在", "具体表现为", "表现在", "表现为", "主要问题是", "主要是", "主要有"}

// afterPreamble is the problem itself when the text introduces it:
// 「……仍存在一定差距。如A、B等。」 → 「A、B等。」; 「主要表现在：A。」 → 「A。」.
func afterPreamble(s string) string {
	for _, p := range preambles {
		if i := strings.Index(s, p); i >= 0 {
			if t := strings.TrimLeft(s[i+len(p):], "：:，, "); t != "" {
				return t
			}
		}
	}
	if i := strings.Index(s, "。如"); i >= 0 {
		before := s[:i]
		for _, w := range []string{"差距", "不足", "问题", "短板", "薄弱"} {
			if strings.Contains(before, w) {
				return strings.TrimLeft(s[i+len("。如"):], "：:，, ")
			}
		}
	}
	return s
}
