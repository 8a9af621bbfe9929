package redact

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// MarkKind is how a mark finds what it withholds.
type MarkKind string

// The kinds of marks.
const (
	// Passage is a stretch of one page's text, by character offsets (the
	// handler selects it in the extracted text).
	Passage MarkKind = "passage"
	// Term withholds every occurrence of a literal text (检索词).
	Term MarkKind = "term"
	// Pattern withholds every match of a regular expression (RE2 syntax).
	Pattern MarkKind = "regexp"
	// WholePage withholds a page whole, the only mark a scanned page takes.
	WholePage MarkKind = "page"
)

// Mark is one thing the handler withholds, with its ground.
type Mark struct {
	Kind MarkKind
	// Page is the 1-based page of a Passage or WholePage mark.
	Page int
	// Start and End are a Passage's character offsets in the page's text
	// (End exclusive).
	Start, End int
	// Text is a Term's text or a Pattern's expression.
	Text   string
	Ground Ground
	// Rule names the unit's rule the mark was made from ("" for none).
	Rule string
}

// Rule is a term or expression a unit keeps to mark every document with
// (区分处理规则, like Alaveteli's censor rules): ID numbers, mobile numbers,
// names that recur.
type Rule struct {
	Name   string
	Kind   MarkKind // Term or Pattern
	Text   string
	Ground Ground
}

// Mark is the rule as a mark.
func (r Rule) Mark() Mark { return Mark{Kind: r.Kind, Text: r.Text, Ground: r.Ground, Rule: r.Name} }

// DefaultRules are the rules every unit starts with: the personal data that
// 第十五条 protects and that an answered file most often carries.
var DefaultRules = []Rule{
	{Name: "居民身份证号码", Kind: Pattern, Text: `\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]\b`, Ground: "withheld_third_party_rights"},
	{Name: "手机号码", Kind: Pattern, Text: `\b1[3-9]\d{9}\b`, Ground: "withheld_third_party_rights"},
}

// MaxMarks bounds the marks on one document.
const MaxMarks = 500

// CheckMark validates a mark on its own (not against a document): its
// ground, its kind and what the kind needs.
func CheckMark(m Mark) error {
	if err := CheckGround(m.Ground); err != nil {
		return err
	}
	switch m.Kind {
	case Passage:
		if m.Page < 1 || m.Start < 0 || m.End <= m.Start {
			return errs.FieldError("passage", "请选定要删除的段落（页码和起止位置）。")
		}
	case WholePage:
		if m.Page < 1 {
			return errs.FieldError("page", "请填写要整页不予公开的页码。")
		}
	case Term:
		if strings.TrimSpace(m.Text) == "" || utf8.RuneCountInString(m.Text) > 200 {
			return errs.FieldError("text", "请填写检索词（不超过200个字）。")
		}
	case Pattern:
		re, err := regexp.Compile(m.Text)
		if err != nil || m.Text == "" || len(m.Text) > 500 {
			return errs.FieldError("text", "正则表达式无效，请检查写法。")
		}
		if re.MatchString("") {
			return errs.FieldError("text", "正则表达式会匹配空文本，请改写。")
		}
	default:
		return errs.FieldError("kind", "请选择删除方式（选定段落、检索词、正则表达式或整页）。")
	}
	return nil
}

// Segment is a stretch of a released page: kept text, or one removal.
type Segment struct {
	Text    string // kept text ("" for a removal)
	Removed bool
	Ground  Ground
	Chars   int // characters removed, spaces not counted
}

// Label is the text a removal box shows: its size and its ground with the
// article.
func (s Segment) Label() string {
	g, _ := GroundOf(s.Ground)
	return fmt.Sprintf("［此处删除%d字：%s，%s］", s.Chars, g.Label, g.Article)
}

// ReleasedPage is a page of the released copy.
type ReleasedPage struct {
	Number   int // the source page
	Withheld bool
	Ground   Ground // of a withheld page
	Segments []Segment
}

// Label is the text shown in place of a withheld page.
func (p ReleasedPage) Label() string {
	g, _ := GroundOf(p.Ground)
	return fmt.Sprintf("［原文第%d页整页不予公开：%s，%s］", p.Number, g.Label, g.Article)
}

// LogEntry is what one mark removed (区分处理记录).
type LogEntry struct {
	Mark    Mark
	Matches int // places found
	Chars   int // characters removed by this mark and no earlier one
	Pages   int // whole pages withheld
}

// Result is the released copy as a model, with the log.
type Result struct {
	Format Format
	Pages  []ReleasedPage
	Log    []LogEntry
	// Withheld are the removed texts, for Verify; never written out.
	Withheld []string
}

// Grounds lists the grounds the result applies, in table 三's order, for the
// answer letter.
func (r *Result) Grounds() []GroundSpec {
	used := map[Ground]bool{}
	for _, e := range r.Log {
		if e.Chars > 0 || e.Pages > 0 {
			used[e.Mark.Ground] = true
		}
	}
	var out []GroundSpec
	for _, g := range Grounds {
		if used[g.Key] {
			out = append(out, g)
		}
	}
	return out
}

// Apply applies the marks to the source. A character marked twice counts
// for the first mark. It refuses, with a message for the handler, a mark
// that finds nothing (a term or expression without a match, a page or
// passage outside the document), a passage on a scanned page, and a scanned
// page left unmarked: it has no text to release, so it can only be withheld
// whole.
func Apply(src *Source, marks []Mark) (*Result, error) {
	if len(marks) > MaxMarks {
		return nil, errs.E(errs.Invalid, "一份文件最多%d处删除标记。", MaxMarks)
	}
	runes := make([][]rune, len(src.Pages))
	owner := make([][]int, len(src.Pages))
	pageMark := make([]int, len(src.Pages))
	for i, p := range src.Pages {
		runes[i] = []rune(p.Text)
		owner[i] = make([]int, len(runes[i]))
	}
	log := make([]LogEntry, len(marks))
	claim := func(mi, page, from, to int) {
		for k := from; k < to; k++ {
			if owner[page][k] == 0 && pageMark[page] == 0 {
				owner[page][k] = mi + 1
				if !unicode.IsSpace(runes[page][k]) {
					log[mi].Chars++
				}
			}
		}
	}
	// Whole pages first: a page withheld whole is not also counted in the
	// characters of later marks.
	for mi, m := range marks {
		if err := CheckMark(m); err != nil {
			return nil, fmt.Errorf("第%d处标记：%w", mi+1, err)
		}
		log[mi].Mark = m
		if m.Kind != WholePage {
			continue
		}
		if m.Page > len(src.Pages) {
			return nil, errs.E(errs.Invalid, "第%d处标记：文件只有%d页，没有第%d页。", mi+1, len(src.Pages), m.Page)
		}
		log[mi].Matches = 1
		if pageMark[m.Page-1] == 0 {
			pageMark[m.Page-1] = mi + 1
			log[mi].Pages = 1
		}
	}
	for mi, m := range marks {
		switch m.Kind {
		case Passage:
			if m.Page > len(src.Pages) {
				return nil, errs.E(errs.Invalid, "第%d处标记：文件只有%d页，没有第%d页。", mi+1, len(src.Pages), m.Page)
			}
			p := m.Page - 1
			if src.Pages[p].Scanned {
				return nil, errs.E(errs.Invalid, "第%d页是扫描图像，没有文字层，不能删除其中的段落，只能整页不予公开。", m.Page)
			}
			if m.End > len(runes[p]) {
				return nil, errs.E(errs.Invalid, "第%d处标记：所选段落超出第%d页的文字范围，请重新选定。", mi+1, m.Page)
			}
			log[mi].Matches = 1
			claim(mi, p, m.Start, m.End)
		case Term, Pattern:
			var re *regexp.Regexp
			if m.Kind == Term {
				re = regexp.MustCompile(regexp.QuoteMeta(m.Text))
			} else {
				re = regexp.MustCompile(m.Text)
			}
			for p, page := range src.Pages {
				// Byte offsets of the matches, turned into rune offsets.
				locs := re.FindAllStringIndex(page.Text, -1)
				if len(locs) == 0 {
					continue
				}
				at := byteToRune(page.Text)
				for _, l := range locs {
					log[mi].Matches++
					claim(mi, p, at[l[0]], at[l[1]])
				}
			}
			if log[mi].Matches == 0 {
				what := "检索词"
				if m.Kind == Pattern {
					what = "正则表达式"
				}
				return nil, errs.E(errs.Invalid, "第%d处标记：%s“%s”在文件中没有找到，未作任何删除；请检查后再试。", mi+1, what, m.Text)
			}
		}
	}
	res := &Result{Format: src.Format, Log: log}
	for p, page := range src.Pages {
		rp := ReleasedPage{Number: p + 1}
		if pageMark[p] != 0 {
			rp.Withheld, rp.Ground = true, marks[pageMark[p]-1].Ground
			for _, l := range strings.Split(page.Text, "\n") {
				if strings.TrimSpace(l) != "" {
					res.Withheld = append(res.Withheld, l)
				}
			}
			res.Pages = append(res.Pages, rp)
			continue
		}
		if page.Scanned {
			return nil, errs.E(errs.Invalid, "第%d页是扫描图像，没有文字层：区分处理只能整页不予公开，或请提供该页的文字版本。", p+1)
		}
		rs, own := runes[p], owner[p]
		for k := 0; k < len(rs); {
			j := k
			for j < len(rs) && (own[j] == 0) == (own[k] == 0) && (own[k] == 0 || marks[own[j]-1].Ground == marks[own[k]-1].Ground) {
				j++
			}
			if own[k] == 0 {
				rp.Segments = append(rp.Segments, Segment{Text: string(rs[k:j])})
			} else {
				n := 0
				for _, r := range rs[k:j] {
					if !unicode.IsSpace(r) {
						n++
					}
				}
				rp.Segments = append(rp.Segments, Segment{Removed: true, Ground: marks[own[k]-1].Ground, Chars: n})
				for _, l := range strings.Split(string(rs[k:j]), "\n") {
					if strings.TrimSpace(l) != "" {
						res.Withheld = append(res.Withheld, l)
					}
				}
			}
			k = j
		}
		res.Pages = append(res.Pages, rp)
	}
	return res, nil
}

// byteToRune maps each byte offset of s (and len(s)) to its rune offset.
func byteToRune(s string) []int {
	at := make([]int, len(s)+1)
	n := 0
	for i := range s {
		for k := i; k < len(s) && (k == i || !utf8.RuneStart(s[k])); k++ {
			at[k] = n
		}
		n++
	}
	at[len(s)] = n
	return at
}

// KeptText is the released copy as plain text: the kept text with each
// removal's label in its place, pages separated by form feeds.
func (r *Result) KeptText() string {
	var b strings.Builder
	for i, p := range r.Pages {
		if i > 0 {
			b.WriteString("\f")
		}
		if p.Withheld {
			b.WriteString(p.Label())
			continue
		}
		for _, s := range p.Segments {
			if s.Removed {
				b.WriteString(s.Label())
			} else {
				b.WriteString(s.Text)
			}
		}
	}
	return b.String()
}
