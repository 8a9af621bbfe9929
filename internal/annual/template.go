package annual

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// This file is the report template: the prose of sections 一（一）–（四） and
// of section 六 that a unit's staff write once and edit, with the figures
// left as placeholders bound to named statistics. It uses the answer
// letters' placeholder syntax — a name in braces, {热线.接听量} — with an
// optional form after a colon: {网站.访问量:增长} prints the change on last
// year with its verb (「增长16.9%」), {宣讲.覆盖企业:约数} rounds down
// (「700余」), {热线.接听量:上年} prints last year's figure. A figure can
// therefore never be typed over: the template holds no number of its own.

// TextTemplate is a unit's report template: the prose staff write, with
// placeholders for the figures. (Template names the tables' layout.)
type TextTemplate struct {
	Parts []TemplatePart `json:"parts"`
}

// TemplatePart is one part of the template: a part of section 一, or the
// other matters of section 六.
type TemplatePart struct {
	// Key is PartPublishing, PartRequests, PartPlatforms, PartOversight or
	// PartOther.
	Key string `json:"key"`
	// Heading is the part's heading line (「（一）主动公开信息情况。」); empty
	// for section 六.
	Heading string `json:"heading"`
	// Body is the prose, one paragraph a line.
	Body string `json:"body"`
}

// The parts of a template.
const (
	PartPublishing = "1.1" // 一（一）主动公开
	PartRequests   = "1.2" // 一（二）依申请公开
	PartPlatforms  = "1.3" // 一（三）政府信息管理 / 信息公开平台建设
	PartOversight  = "1.4" // 一（四）监督保障
	PartOther      = "6"   // 六、其他需要报告的事项 (after the fees)
)

// PartKeys are the template's parts in printed order, with their names.
var PartKeys = []struct{ Key, Name string }{
	{PartPublishing, "一（一）主动公开"},
	{PartRequests, "一（二）依申请公开"},
	{PartPlatforms, "一（三）平台建设"},
	{PartOversight, "一（四）监督保障"},
	{PartOther, "六、其他需要报告的事项"},
}

// Part returns the part with the given key (empty when the template lacks it).
func (t TextTemplate) Part(key string) TemplatePart {
	for _, p := range t.Parts {
		if p.Key == key {
			return p
		}
	}
	return TemplatePart{Key: key}
}

// Forms of a placeholder.
const (
	FormValue    = ""    // the value as printed
	FormGrowth   = "增长"  // the change on last year with its verb: 增长16.9% / 下降3% / 与上年持平
	FormPrevious = "上年"  // last year's value
	FormAbout    = "约数"  // rounded down, followed by 余: 700余
	MaxTemplate  = 20000 // characters in one part
)

// Piece is a piece of template text: literal text, or a placeholder.
type Piece struct {
	Text string // literal text, or the placeholder as written
	Key  string // the statistic, "" for literal text
	Form string
}

// ParsePlaceholders splits text into literal pieces and placeholders. A
// brace that does not close, or an empty name, is an error saying where.
func ParsePlaceholders(text string) ([]Piece, error) {
	var out []Piece
	rest := text
	for rest != "" {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			out = append(out, Piece{Text: rest})
			break
		}
		if rest[i] == '}' {
			return nil, errs.E(errs.Invalid, "“%s”处有多余的右花括号“}”", excerpt(rest[:i+1]))
		}
		if i > 0 {
			out = append(out, Piece{Text: rest[:i]})
		}
		j := strings.IndexAny(rest[i+1:], "{}\n")
		if j < 0 || rest[i+1+j] != '}' {
			return nil, errs.E(errs.Invalid, "占位符“%s”缺少右花括号“}”", excerpt(rest[i:]))
		}
		inner := strings.TrimSpace(rest[i+1 : i+1+j])
		key, form, _ := strings.Cut(inner, ":")
		if k2, f2, ok := strings.Cut(inner, "："); ok && !strings.Contains(inner, ":") {
			key, form = k2, f2
		}
		key, form = strings.TrimSpace(key), strings.TrimSpace(form)
		if key == "" {
			return nil, errs.E(errs.Invalid, "占位符“%s”没有统计项名称", rest[i:i+2+j])
		}
		out = append(out, Piece{Text: rest[i : i+2+j], Key: key, Form: form})
		rest = rest[i+2+j:]
	}
	return out, nil
}

func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= 12 {
		return s
	}
	r := []rune(s)
	return string(r[:12]) + "…"
}

// FigureDef describes a statistic a template may name: its key, what it
// counts, and its sort (which forms apply).
type FigureDef struct {
	Key   string
	Label string
	Kind  FigureKind
	// HasPrevious is set when last year's value is known (the 增长 and 上年
	// forms).
	HasPrevious bool
}

// FormAllowed reports whether a form applies to a statistic.
func (d FigureDef) FormAllowed(form string) bool {
	switch form {
	case FormValue:
		return true
	case FormGrowth, FormPrevious:
		return d.HasPrevious
	case FormAbout:
		return d.Kind == FigureCount
	}
	return false
}

// ValidateTemplate checks a template against the statistics it may name:
// every placeholder known and in a form that applies to it, every part
// within its length. Each fault is reported on its part's field
// ("part-1.2").
func ValidateTemplate(t TextTemplate, defs []FigureDef) error {
	byKey := make(map[string]FigureDef, len(defs))
	for _, d := range defs {
		byKey[d.Key] = d
	}
	var f errs.Fields
	for _, p := range t.Parts {
		field := "part-" + p.Key
		known := false
		for _, k := range PartKeys {
			known = known || k.Key == p.Key
		}
		if !known {
			f.Add(field, "%s", fmt.Sprintf("未知的模板部分“%s”", p.Key))
			continue
		}
		if utf8.RuneCountInString(p.Body)+utf8.RuneCountInString(p.Heading) > MaxTemplate {
			f.Add(field, "%s", fmt.Sprintf("内容不能超过 %d 个字", MaxTemplate))
			continue
		}
		for _, text := range []string{p.Heading, p.Body} {
			pieces, err := ParsePlaceholders(text)
			if err != nil {
				f.Add(field, "%s", errs.MessageOf(err))
				break
			}
			for _, pc := range pieces {
				if pc.Key == "" {
					continue
				}
				d, ok := byKey[pc.Key]
				if !ok {
					f.Add(field, "%s", fmt.Sprintf("未知的统计项“%s”：请从统计项目录中选择", pc.Text))
					continue
				}
				if !d.FormAllowed(pc.Form) {
					f.Add(field, "%s", fmt.Sprintf("统计项“%s”不能使用“%s”形式", pc.Key, pc.Form))
				}
			}
		}
	}
	return f.Err()
}

// LiteralNumber is a number typed in template prose.
type LiteralNumber struct {
	Part string // the part's key
	Text string // the number as typed, with a following % if any
	// Context is the text around it, for the message.
	Context string
}

// LiteralNumbers lists the numbers typed in a template's prose (outside
// placeholders): candidates for a figure typed over. Full-width digits
// count; a number within a 《title》 or “quote” is a name, not a figure.
func LiteralNumbers(t TextTemplate) []LiteralNumber {
	var out []LiteralNumber
	for _, p := range t.Parts {
		pieces, err := ParsePlaceholders(p.Heading + "\n" + p.Body)
		if err != nil {
			continue
		}
		for _, pc := range pieces {
			if pc.Key != "" {
				continue
			}
			out = append(out, numbersIn(p.Key, pc.Text)...)
		}
	}
	return out
}

func numbersIn(part, s string) []LiteralNumber {
	var out []LiteralNumber
	rs := []rune(s)
	depth := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '《', '“', '「', '"':
			depth++
		case '》', '”', '」':
			if depth > 0 {
				depth--
			}
		}
		if !isDigit(rs[i]) || (i > 0 && (isDigit(rs[i-1]) || isPoint(rs[i-1]) || unicode.IsLetter(rs[i-1]) && rs[i-1] < 0x80)) {
			continue
		}
		j := i
		for j < len(rs) && (isDigit(rs[j]) || isPoint(rs[j]) && j+1 < len(rs) && isDigit(rs[j+1])) {
			j++
		}
		if j < len(rs) && (rs[j] == '%' || rs[j] == '％') {
			j++
		}
		if depth == 0 {
			lo, hi := max(0, i-8), min(len(rs), j+8)
			out = append(out, LiteralNumber{Part: part, Text: halfDigits(string(rs[i:j])), Context: strings.TrimSpace(string(rs[lo:hi]))})
		}
		i = j - 1
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func isPoint(r rune) bool { return r == '.' || r == '．' }

func halfDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '％':
			return '%'
		case r == '．':
			return '.'
		}
		return r
	}, s)
}

// RenderParagraph fills a line of template text from the figures: a
// placeholder becomes a run bound to its statistic, in the form asked.
// A placeholder whose statistic is missing from figures is an error (the
// template was checked when saved; the catalogue may have changed since).
func RenderParagraph(text string, figures map[string]Figure, aboutStep int64) (Paragraph, error) {
	pieces, err := ParsePlaceholders(text)
	if err != nil {
		return Paragraph{}, err
	}
	var p Paragraph
	for _, pc := range pieces {
		if pc.Key == "" {
			p.Runs = append(p.Runs, Run{Text: pc.Text})
			continue
		}
		f, ok := figures[pc.Key]
		if !ok {
			return Paragraph{}, errs.E(errs.Invalid, "模板中的统计项“%s”不存在", pc.Text)
		}
		s, err := FormatFigure(f, pc.Form, aboutStep)
		if err != nil {
			return Paragraph{}, err
		}
		p.Runs = append(p.Runs, Run{Text: s, Figure: pc.Key})
	}
	return p, nil
}

// Fill is RenderParagraph that never gives up on a line: a placeholder
// that cannot be filled is left as written (a run of its own, bound to no
// statistic), and the reasons are returned, one per such placeholder. A
// draft is thus always shown whole, with what is missing plain to see.
func Fill(text string, figures map[string]Figure, aboutStep int64) (Paragraph, []error) {
	pieces, err := ParsePlaceholders(text)
	if err != nil {
		return Plain(text), []error{err}
	}
	var p Paragraph
	var problems []error
	for _, pc := range pieces {
		if pc.Key == "" {
			p.Runs = append(p.Runs, Run{Text: pc.Text})
			continue
		}
		f, ok := figures[pc.Key]
		if !ok {
			problems = append(problems, errs.E(errs.Invalid, "模板中的统计项“%s”不存在", pc.Text))
			p.Runs = append(p.Runs, Run{Text: pc.Text})
			continue
		}
		s, err := FormatFigure(f, pc.Form, aboutStep)
		if err != nil {
			problems = append(problems, err)
			p.Runs = append(p.Runs, Run{Text: pc.Text})
			continue
		}
		p.Runs = append(p.Runs, Run{Text: s, Figure: pc.Key})
	}
	return p, problems
}

// FormatFigure writes a figure in a form.
func FormatFigure(f Figure, form string, aboutStep int64) (string, error) {
	switch form {
	case FormValue:
		return f.Text, nil
	case FormPrevious:
		if f.Previous == nil {
			return "", errs.E(errs.Invalid, "统计项“%s”没有上年数据", f.Key)
		}
		return strconv.FormatInt(*f.Previous, 10), nil
	case FormGrowth:
		if f.Value == nil {
			return "", errs.E(errs.Invalid, "统计项“%s”本年没有记录，无法计算增长", f.Key)
		}
		if f.Previous == nil {
			return "", errs.E(errs.Invalid, "统计项“%s”没有上年数据，无法计算增长", f.Key)
		}
		return GrowthText(*f.Value, *f.Previous), nil
	case FormAbout:
		if f.Value == nil {
			return "", errs.E(errs.Invalid, "统计项“%s”本年没有记录，不能取约数", f.Key)
		}
		return About(*f.Value, aboutStep), nil
	}
	return "", errs.E(errs.Invalid, "未知的占位符形式“%s”", form)
}

// GrowthTenths is (cur − prev) ÷ prev in tenths of a per cent, rounded half
// away from zero; ok is false when prev is not positive.
func GrowthTenths(cur, prev int64) (tenths int64, ok bool) {
	if prev <= 0 {
		return 0, false
	}
	d := (cur - prev) * 1000
	neg := d < 0
	if neg {
		d = -d
	}
	t := (2*d + prev) / (2 * prev)
	if neg {
		t = -t
	}
	return t, true
}

// GrowthText writes the change from prev to cur as a report prints it: 「增长
// 27.4%」, 「下降3%」 (one decimal, no trailing .0), 「与上年持平」; 「上年为0」
// when there is nothing to compare with.
func GrowthText(cur, prev int64) string {
	t, ok := GrowthTenths(cur, prev)
	switch {
	case !ok:
		return "上年为0"
	case t == 0:
		return "与上年持平"
	case t > 0:
		return "增长" + TenthsPercent(t)
	}
	return "下降" + TenthsPercent(-t)
}

// TenthsPercent writes tenths of a per cent without a trailing .0: 169 →
// 「16.9%」, 140 → 「14%」.
func TenthsPercent(t int64) string {
	if t%10 == 0 {
		return strconv.FormatInt(t/10, 10) + "%"
	}
	return fmt.Sprintf("%d.%d%%", t/10, t%10)
}

// About rounds n down to a multiple of step and marks what was rounded off
// with 余 (「700余」 for 742 with step 100); a count below step, or already a
// multiple, is printed exactly.
func About(n, step int64) string {
	if step <= 1 || n < step {
		return strconv.FormatInt(n, 10)
	}
	r := n / step * step
	if r == n {
		return strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(r, 10) + "余"
}
