package annual

import (
	"regexp"
	"strconv"
	"strings"
)

// breakdownKind names a part of a total the narrative may state.
type breakdownKind int

const (
	bdDisclosed    breakdownKind = iota + 1 // 予以公开 N件
	bdPartly                                // 部分公开 N件
	bdWithheld                              // 不予公开 N件
	bdUnavailable                           // 无法提供 N件
	bdNotProcessed                          // 不予处理 N件
	bdOtherHandled                          // 其他处理 N件
	bdUpheld                                // 结果维持 N件
	bdCorrected                             // 结果纠正 N件
	bdOtherResult                           // 其他结果 N件
	bdPending                               // 尚未审结 N件
)

// appeal says which group of table 四 a breakdown of results belongs to.
type appeal int

const (
	appealNone appeal = iota
	appealReconsideration
	appealLitigation
)

// breakdown is one part the narrative states.
type breakdown struct {
	kind   breakdownKind
	n      int
	phrase string
	appeal appeal
}

var (
	// An outcome of table 三 that opens a clause (so that 「属于国家秘密不予公开1件」,
	// a part of 不予公开, is not read as all of it).
	outcomeStated = regexp.MustCompile(`(?:^|[,:、]|其中)(予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)(?:的)?(?:申请)?(?:共计|共|为)?(\d+)件`)
	// A result of table 四.
	resultStated = regexp.MustCompile(`(?:^|[,:、]|其中)(结果维持|维持|结果纠正|纠正|其他结果|尚未审结)(?:原?行政行为|决定)?(?:的)?(?:共计|共|为)?(\d+)(?:件|起|宗)`)
	outcomeKinds = map[string]breakdownKind{"予以公开": bdDisclosed, "部分公开": bdPartly, "不予公开": bdWithheld, "无法提供": bdUnavailable, "不予处理": bdNotProcessed, "其他处理": bdOtherHandled}
	resultKinds  = map[string]breakdownKind{"结果维持": bdUpheld, "维持": bdUpheld, "结果纠正": bdCorrected, "纠正": bdCorrected, "其他结果": bdOtherResult, "尚未审结": bdPending}
)

// statedBreakdowns reads the breakdowns a narrative states: the outcomes of
// applications (予以公开 / 部分公开 / 不予公开 … N件) and the results of
// reconsiderations and lawsuits (结果维持 / 纠正 … N件). A result belongs to
// the 复议 or 诉讼 named last before it in its sentence; when both are named
// together, or neither, it is left out, as is a sentence about another year.
func statedBreakdowns(text string, year int) []breakdown {
	flat := removeSpace(halfWidth(text))
	var out []breakdown
	for _, sentence := range strings.FieldsFunc(flat, func(r rune) bool { return r == '。' || r == ';' || r == '!' || r == '?' }) {
		if otherYearSentence(sentence, year) {
			continue
		}
		for _, m := range outcomeStated.FindAllStringSubmatchIndex(sentence, -1) {
			if otherYear.MatchString(clauseBefore(sentence, m[0])) {
				continue
			}
			n, err := strconv.Atoi(sentence[m[4]:m[5]])
			if err != nil {
				continue
			}
			out = append(out, breakdown{kind: outcomeKinds[sentence[m[2]:m[3]]], n: n, phrase: strings.TrimLeft(sentence[m[0]:m[1]], ",:、")})
		}
		if !strings.Contains(sentence, "复议") && !strings.Contains(sentence, "诉讼") {
			continue
		}
		for _, m := range resultStated.FindAllStringSubmatchIndex(sentence, -1) {
			if otherYear.MatchString(clauseBefore(sentence, m[0])) {
				continue
			}
			a := appealBefore(sentence[:m[0]])
			if a == appealNone {
				continue
			}
			n, err := strconv.Atoi(sentence[m[4]:m[5]])
			if err != nil {
				continue
			}
			out = append(out, breakdown{kind: resultKinds[sentence[m[2]:m[3]]], n: n, appeal: a, phrase: strings.TrimLeft(sentence[m[0]:m[1]], ",:、")})
		}
	}
	return out
}

// appealBefore says whether the text before a result names 复议 or 诉讼 last;
// appealNone when neither, or both together (「复议、诉讼」, 「复议后起诉」).
func appealBefore(s string) appeal {
	r, l := strings.LastIndex(s, "复议"), strings.LastIndex(s, "诉讼")
	switch {
	case r < 0 && l < 0:
		return appealNone
	case r >= 0 && l >= 0 && abs(r-l) <= 12:
		return appealNone
	case r > l:
		if strings.HasPrefix(s[r:], "复议后起诉") {
			return appealNone
		}
		return appealReconsideration
	}
	return appealLitigation
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// breakdowns is rule NARRATIVE.BREAKDOWN (warning, doubt): a breakdown the
// narrative states differs from the tables — an outcome of table 三 from
// its rows' total, a result of table 四 from its group (for lawsuits, the
// two groups' sum, or either alone).
func (c *checker) breakdowns() {
	r := c.r
	text := r.Text.Overview
	if text == "" {
		text = r.Text.Preface
	}
	t := &r.Table3
	sum := func(keys ...RowKey) (int, bool) {
		n, printed := 0, false
		for _, k := range keys {
			if row := t.Row(k); row != nil {
				n += row[ColTotal].Int()
				printed = true
			}
		}
		return n, printed
	}
	rowsOf := func(group string) []RowKey {
		var keys []RowKey
		for _, s := range Table3Rows {
			if s.Group == group {
				keys = append(keys, s.Key)
			}
		}
		return keys
	}
	reported := map[[3]int]bool{}
	report := func(b breakdown, where string, table int, name string) {
		k := [3]int{int(b.kind), int(b.appeal), b.n}
		if reported[k] {
			return
		}
		reported[k] = true
		c.add(RuleNarrativeBreakdown, Warning, where, ptr(table), ptr(b.n), "正文称「%s」，与%s（%d）不一致", b.phrase, name, table)
	}
	for _, b := range statedBreakdowns(text, r.Year) {
		switch b.kind {
		case bdDisclosed, bdPartly, bdWithheld, bdUnavailable, bdNotProcessed, bdOtherHandled:
			var keys []RowKey
			var where, name string
			switch b.kind {
			case bdDisclosed:
				keys, where, name = []RowKey{RowDisclosed}, "table3.rows.disclosed[6]", "表三「予以公开」总计"
			case bdPartly:
				keys, where, name = []RowKey{RowPartlyDisclosed}, "table3.rows.partly_disclosed[6]", "表三「部分公开」总计"
			case bdWithheld:
				keys, where, name = rowsOf("（三）不予公开"), "table3.rows.withheld_state_secret", "表三「不予公开」各项总计之和"
			case bdUnavailable:
				keys, where, name = rowsOf("（四）无法提供"), "table3.rows.unavailable_not_held", "表三「无法提供」各项总计之和"
			case bdNotProcessed:
				keys, where, name = rowsOf("（五）不予处理"), "table3.rows.not_processed_petition", "表三「不予处理」各项总计之和"
			case bdOtherHandled:
				keys, where, name = rowsOf("（六）其他处理"), "table3.rows.other_no_correction", "表三「其他处理」各项总计之和"
			}
			if n, ok := sum(keys...); ok && n != b.n {
				report(b, where, n, name)
			}
		default:
			t4 := r.Table4
			if t4 == nil {
				continue
			}
			col := map[breakdownKind]int{bdUpheld: 0, bdCorrected: 1, bdOtherResult: 2, bdPending: 3}[b.kind]
			cell := func(o *Outcomes) int { return o.Cells()[col].Int() }
			if b.appeal == appealReconsideration {
				if n := cell(&t4.Reconsideration); n != b.n {
					report(b, "table4.reconsideration."+OutcomeKeys[col], n, "表四行政复议「"+OutcomeLabels[col]+"」栏")
				}
				continue
			}
			d, a := cell(&t4.LitigationDirect), cell(&t4.LitigationAfterReconsideration)
			if b.n != d+a && b.n != d && b.n != a {
				report(b, "table4", d+a, "表四行政诉讼「"+OutcomeLabels[col]+"」栏（直接起诉与复议后起诉之和）")
			}
		}
	}
}
