package rcep

import (
	"strconv"
	"strings"
	"unicode"

	"gongkai/internal/errs"
)

// A product-specific rule of origin (产品特定原产地规则, RCEP 附件三A) is
// written as terms joined by 或 (or) and 且 (and), with parentheses:
//
//	WO          完全获得或者完全生产 (wholly obtained, RCEP 第3.3条)
//	CC          章改变: every non-originating material is classified in a
//	            chapter (2 digits) other than the good's
//	CTH         品目改变: … in a heading (4 digits) other than the good's
//	CTSH        子目改变: … in a subheading (6 digits) other than the good's
//	RVC40       区域价值成分不低于 40% (any whole percentage 1–100)
//
//	RVC40 或 CTH          either test
//	CTSH 且 RVC40         both tests
//	(CC 或 CTH) 且 RVC35  parentheses group; 且 binds tighter than 或
//
// "OR"/"or" may stand for 或 and "AND"/"and"/"和" for 且; full-width
// parentheses are accepted. The canonical form (Rule.String) uses 或, 且
// and spaces.

// RuleKind is one kind of test in a rule.
type RuleKind int

// The kinds of rule nodes.
const (
	RuleOr RuleKind = iota + 1
	RuleAnd
	RuleWO
	RuleCC
	RuleCTH
	RuleCTSH
	RuleRVC
)

// Rule is a parsed product-specific rule: an expression tree.
type Rule struct {
	Kind      RuleKind
	Threshold int64   // percent, for RuleRVC
	Kids      []*Rule // for RuleOr and RuleAnd
}

// ParseRule reads a rule written in the grammar above.
func ParseRule(s string) (*Rule, error) {
	toks, err := tokenizeRule(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errs.E(errs.Invalid, "原产地规则为空")
	}
	p := &ruleParser{toks: toks, src: s}
	r, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, p.fail("多余的“" + p.toks[p.i] + "”")
	}
	return r, nil
}

func tokenizeRule(s string) ([]string, error) {
	var toks []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c) || c == '%' || c == '％':
			i++
		case c == '(' || c == '（':
			toks = append(toks, "(")
			i++
		case c == ')' || c == '）':
			toks = append(toks, ")")
			i++
		case c == '或':
			toks = append(toks, "OR")
			i++
		case c == '且' || c == '和':
			toks = append(toks, "AND")
			i++
		case c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			j := i
			for j < len(rs) && rs[j] < 128 && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			toks = append(toks, strings.ToUpper(string(rs[i:j])))
			i = j
		default:
			return nil, errs.E(errs.Invalid, "原产地规则“%s”无法识别：含有不支持的字符“%c”", s, c)
		}
	}
	return toks, nil
}

type ruleParser struct {
	toks []string
	i    int
	src  string
}

func (p *ruleParser) fail(why string) error {
	return errs.E(errs.Invalid, "原产地规则“%s”无法识别：%s。应由 WO、CC、CTH、CTSH、RVC40 等与“或”“且”、括号组成", p.src, why)
}

func (p *ruleParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *ruleParser) or() (*Rule, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	kids := []*Rule{first}
	for p.peek() == "OR" {
		p.i++
		k, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &Rule{Kind: RuleOr, Kids: kids}, nil
}

func (p *ruleParser) and() (*Rule, error) {
	first, err := p.atom()
	if err != nil {
		return nil, err
	}
	kids := []*Rule{first}
	for p.peek() == "AND" {
		p.i++
		k, err := p.atom()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &Rule{Kind: RuleAnd, Kids: kids}, nil
}

func (p *ruleParser) atom() (*Rule, error) {
	t := p.peek()
	if t == "" {
		return nil, p.fail("规则不完整")
	}
	p.i++
	switch t {
	case "(":
		r, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, p.fail("缺少右括号")
		}
		p.i++
		return r, nil
	case "WO":
		return &Rule{Kind: RuleWO}, nil
	case "CC":
		return &Rule{Kind: RuleCC}, nil
	case "CTH":
		return &Rule{Kind: RuleCTH}, nil
	case "CTSH":
		return &Rule{Kind: RuleCTSH}, nil
	}
	if t == "RVC" && p.peek() != "" && p.peek()[0] >= '0' && p.peek()[0] <= '9' {
		t += p.peek() // "RVC 40"
		p.i++
	}
	if rest, ok := strings.CutPrefix(t, "RVC"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > 100 || strings.HasPrefix(rest, "0") {
			return nil, p.fail("“" + t + "”中的百分比应为 1–100 的整数，如 RVC40")
		}
		return &Rule{Kind: RuleRVC, Threshold: int64(n)}, nil
	}
	return nil, p.fail("不认识的“" + t + "”")
}

// String renders the rule in canonical form: "RVC40 或 CTH",
// "(CC 或 CTH) 且 RVC35".
func (r *Rule) String() string { return r.render(false, 0) }

// Describe renders the rule in words: "区域价值成分不低于40% 或 品目改变".
func (r *Rule) Describe() string { return r.render(true, 0) }

func (r *Rule) render(words bool, parent RuleKind) string {
	switch r.Kind {
	case RuleOr, RuleAnd:
		sep := " 或 "
		if r.Kind == RuleAnd {
			sep = " 且 "
		}
		parts := make([]string, len(r.Kids))
		for i, k := range r.Kids {
			parts[i] = k.render(words, r.Kind)
		}
		s := strings.Join(parts, sep)
		if parent == RuleAnd && r.Kind == RuleOr {
			s = "(" + s + ")"
		}
		return s
	case RuleRVC:
		if words {
			return "区域价值成分不低于" + strconv.FormatInt(r.Threshold, 10) + "%"
		}
		return "RVC" + strconv.FormatInt(r.Threshold, 10)
	}
	if words {
		return ruleWords[r.Kind]
	}
	return ruleCodes[r.Kind]
}

var ruleCodes = map[RuleKind]string{RuleWO: "WO", RuleCC: "CC", RuleCTH: "CTH", RuleCTSH: "CTSH"}

var ruleWords = map[RuleKind]string{
	RuleWO:   "完全获得（WO）",
	RuleCC:   "章改变（CC）",
	RuleCTH:  "品目改变（CTH）",
	RuleCTSH: "子目改变（CTSH）",
}

// Needs reports which inputs the rule's tests use: an RVC test needs the
// values; a tariff shift test needs the materials' HS codes.
func (r *Rule) Needs() (rvc, shift bool) {
	switch r.Kind {
	case RuleRVC:
		return true, false
	case RuleCC, RuleCTH, RuleCTSH:
		return false, true
	case RuleOr, RuleAnd:
		for _, k := range r.Kids {
			a, b := k.Needs()
			rvc, shift = rvc || a, shift || b
		}
	}
	return rvc, shift
}
