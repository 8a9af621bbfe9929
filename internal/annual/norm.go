package annual

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// halfWidth maps full-width ASCII forms (ＡＢＣ０１２（）．，) to ASCII and the
// ideographic and no-break spaces to a space.
func halfWidth(s string) string {
	needs := false
	for _, r := range s {
		if (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000 || r == 0x00A0 {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFF01 + 0x21)
		case r == 0x3000 || r == 0x00A0:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimSpace trims white space including the ideographic space.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == 0x3000 || r == 0xFEFF })
}

// removeSpace drops every white space character.
func removeSpace(s string) string {
	if strings.IndexFunc(s, isSpaceRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isSpaceRune(r) {
			return -1
		}
		return r
	}, s)
}

func isSpaceRune(r rune) bool { return unicode.IsSpace(r) || r == 0x3000 || r == 0xFEFF }

// numbering matches the numbering that opens a label, in any width:
// 一、 （一） (1) 1. 1、 1． ①.
var numbering = regexp.MustCompile(`^\s*(?:[一二三四五六七八九十]+\s*[、.．，,]|[（(]\s*[一二三四五六七八九十0-9０-９]+\s*[）)]\s*[、.．]?|[0-9０-９]{1,2}\s*[、.．,，]?|[①-⑳])\s*`)

// stripNumbering removes the numbering that opens a label, repeatedly
// (「三、（一）」).
func stripNumbering(s string) string {
	for range 4 {
		if !mayOpenNumbering(s) {
			break
		}
		loc := numbering.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s = s[loc[1]:]
	}
	return trimSpace(s)
}

// mayOpenNumbering reports whether s starts with a character numbering can
// start with; most labels do not, and skip the regular expression.
func mayOpenNumbering(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch {
	case r >= '0' && r <= '9', r >= '０' && r <= '９', r >= '①' && r <= '⑳':
		return true
	case r == '(' || r == '（' || unicode.IsSpace(r) || r == 0x3000:
		return true
	}
	return strings.ContainsRune("一二三四五六七八九十", r)
}

// labelForm is the form in which labels are compared: half width, without
// numbering, spaces, brackets, quotes or punctuation. 「（二） 部分公开(区分处理的,
// 只计这一情形，不计其他情形)」 becomes 「部分公开区分处理的只计这一情形不计其他情形」.
func labelForm(s string) string {
	s = stripNumbering(removeSpace(halfWidth(s)))
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

// cellKind classifies a table cell.
type cellKind uint8

const (
	cellEmpty cellKind = iota // nothing printed
	cellBlank                 // a dash or slash printed instead of a number
	cellInt
	cellDecimal
	cellText
)

// cell is one cell of a flattened table row.
type cell struct {
	text string
	kind cellKind
	n    int
	pos  int // index of the cell in its line
}

func (c cell) isValue() bool { return c.kind != cellText && c.kind != cellEmpty }

var (
	intPattern     = regexp.MustCompile(`^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)$`)
	decimalPattern = regexp.MustCompile(`^-?\d+\.\d+$`)
)

// classify reads one cell.
func classify(s string) cell {
	t := trimSpace(s)
	if t == "" {
		return cell{kind: cellEmpty}
	}
	if n, ok := plainNumber(t); ok {
		return cell{text: t, kind: cellInt, n: n}
	}
	h := halfWidth(t)
	h = strings.TrimSpace(strings.ReplaceAll(h, "−", "-"))
	switch h {
	case "-", "--", "—", "——", "/", "\\", "－", "–", "―":
		return cell{text: t, kind: cellBlank}
	}
	if len(h) <= 24 && intPattern.MatchString(h) {
		n, err := strconv.Atoi(strings.ReplaceAll(h, ",", ""))
		if err == nil && n > -1e12 && n < 1e12 {
			return cell{text: t, kind: cellInt, n: n}
		}
	}
	if len(h) <= 32 && decimalPattern.MatchString(h) {
		return cell{text: h, kind: cellDecimal}
	}
	return cell{text: t, kind: cellText}
}

// plainNumber reads a cell of ASCII digits only, the common case.
func plainNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 12 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// splitCells turns the cells of a line into classified cells. A text cell that
// ends in numbers separated by spaces (a row flattened with spaces instead of
// tabs: 「（一）予以公开 2 0 0 0 0 0 2」) is split into its label and the numbers.
func splitCells(raw []string) []cell {
	out := make([]cell, 0, len(raw)+8)
	for _, s := range raw {
		c := classify(s)
		if c.kind != cellText {
			c.pos = len(out)
			out = append(out, c)
			continue
		}
		fields := strings.FieldsFunc(c.text, isSpaceRune)
		k := len(fields)
		for k > 0 {
			f := classify(fields[k-1])
			if f.kind != cellInt && f.kind != cellDecimal && f.kind != cellBlank {
				break
			}
			k--
		}
		if k == len(fields) {
			c.pos = len(out)
			out = append(out, c)
			continue
		}
		if k > 0 {
			// The label is the text before the first number, as printed.
			label := c.text
			rest := fields[k:]
			idx := len(label)
			for i := len(fields) - 1; i >= k; i-- {
				idx = strings.LastIndex(label[:idx], fields[i])
				if idx < 0 {
					idx = 0
					break
				}
			}
			out = append(out, cell{text: trimSpace(label[:idx]), kind: cellText, pos: len(out)})
			fields = rest
		}
		for _, f := range fields {
			v := classify(f)
			v.pos = len(out)
			out = append(out, v)
		}
	}
	return out
}

// placeCells chooses which n consecutive cells of cs hold a row's numbers, when
// the flattened row has empty cells that may be layout (a label spanning
// columns, a trailing tab) or blank numbers. Every printed cell must fall in
// the window. When more than one window fits, score (if given) ranks the
// starts; otherwise leading empty cells are taken as layout when leadIsLayout
// and trailing ones otherwise. ambiguous reports that neither the cells nor
// score decided.
func placeCells(cs []cell, n int, leadIsLayout bool, score func(start int) int) (start int, ok, ambiguous bool) {
	l := len(cs)
	if l < n {
		return 0, false, false
	}
	lead := 0
	for lead < l && cs[lead].kind == cellEmpty {
		lead++
	}
	if lead == l {
		return 0, true, false
	}
	trail := 0
	for cs[l-1-trail].kind == cellEmpty {
		trail++
	}
	m := l - lead - trail
	if m > n {
		return 0, false, false
	}
	lo, hi := max(0, lead+m-n), min(lead, l-n)
	if lo == hi {
		return lo, true, false
	}
	if score != nil {
		best, bestScore := -1, 0
		for s := lo; s <= hi; s++ {
			if v := score(s); v > bestScore {
				best, bestScore = s, v
			}
		}
		if best >= 0 {
			return best, true, false
		}
	}
	if leadIsLayout {
		return hi, true, true
	}
	return lo, true, true
}
