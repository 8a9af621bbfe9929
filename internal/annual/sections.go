package annual

import (
	"regexp"
	"strconv"
	"strings"
)

// Sections 五 (存在的主要问题及改进情况) and 六 (其他需要报告的事项) of the
// format (国办公开办函〔2021〕30号): section 五 states the main problems
// and how last year's were remedied; section 六 reports, among other things,
// the information processing fees charged (条例第四十二条, 国办函〔2020〕109号).
// The rules here read sentences; each says nothing where the words leave room
// for another reading.

var (
	// Words that state a problem or a shortcoming.
	problemWords = regexp.MustCompile(`问题|不足|差距|短板|薄弱|有待|仍需|还需|尚需|亟需|亟待|不够|欠缺|不到位|不及时|不全面|不规范|不平衡|不充分|较为单一|比较单一|滞后|偏少|偏低`)
	// Phrases that deny one: 「未发现问题」, 「不存在问题」.
	noProblem = regexp.MustCompile(`(?:未发现|没有发现|未发现明显|不存在|没有|无)(?:明显|突出|重大)?(?:的)?问题`)
	// A sub-heading or sentence about last year's problems and their remedy.
	lastYearMarker = regexp.MustCompile(`上一?年度?|去年|年报中?所提|年度报告中?所提|年报中?提出|整改情况`)
	// Words that name a measure taken.
	measureWords = regexp.MustCompile(`措施|采取|已经|已将|加强|建立|完善|制定|开展|落实|优化|推进|提升|健全|规范了|强化|修订|印发|组织|培训|纳入|压实|整改到位|完成整改|得到整改|进行整改|整改完成|改进`)
	// A sub-heading that opens the next part of section 五: 「（二）目前存在问题」.
	subHeading = regexp.MustCompile(`\([一二三四五六七八九十]\)`)
	// A statement that no information processing fee was charged.
	noFee = regexp.MustCompile(`(?:未|无|没有|不)(?:收取|发生|产生)(?:任何)?(?:政府信息公开)?(?:的)?(?:信息处理费|费用|处理费)|信息处理费(?:为|共计|共)?(?:0|零)(?:\.0+)?(?:万?元)|收取(?:政府信息公开)?信息处理费(?:为|共计|共)?(?:0|零)(?:\.0+)?(?:万?元)`)
	// A statement of an amount charged: 「收取…信息处理费3940元」.
	feeCharged = regexp.MustCompile(`信息处理费(?:共计|共|合计|为)?(\d+(?:\.\d+)?)(万?元)`)
)

// problems is rules S5.NO_PROBLEM and S5.NO_MEASURE (warning, doubt):
// section 五 is printed but states no problem at all; or its account of last
// year's problems (「2023年年报中所提问题整改情况」) names no measure taken. A
// problem stated for the coming year needs no measure.
func (c *checker) problems() {
	r := c.r
	if !r.Printed.Sections[secProblems] {
		return
	}
	text := removeSpace(halfWidth(r.Text.Problems))
	stated := problemWords.MatchString(noProblem.ReplaceAllString(text, ""))
	if !stated {
		c.add(RuleProblemsNone, Warning, "text.problems", nil, nil,
			"第五部分「存在的主要问题及改进情况」没有写明存在的问题，应如实说明本年度工作中存在的主要问题及改进措施")
		return
	}
	for _, part := range lastYearParts(text, r.Year) {
		account := lastYearMarker.ReplaceAllString(part, "")
		if !measureWords.MatchString(account) {
			c.add(RuleProblemsNoMeasure, Warning, "text.problems", nil, nil,
				"第五部分说明了上年度报告所提问题，但没有写明采取了哪些整改措施：「%s」", clip(part, 60))
			return
		}
	}
}

// lastYearParts returns the parts of section 五 that account for last
// year's problems: from a marker (「上年度」, 「2023年年报中所提问题」, 「整改情况」)
// to the next sub-heading.
func lastYearParts(text string, year int) []string {
	var parts []string
	chunks := subHeading.Split(text, -1)
	for _, ch := range chunks {
		head := ch[:min(len(ch), 90)]
		last := lastYearMarker.MatchString(head)
		if year > 0 && strings.Contains(head, strconv.Itoa(year-1)+"年") && (strings.Contains(head, "问题") || strings.Contains(head, "整改")) {
			last = true
		}
		if last && strings.Contains(ch, "问题") {
			parts = append(parts, ch)
		}
	}
	return parts
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// fees is rule S6.FEES (warning, doubt): section 六 says no information
// processing fee was charged, while table 三 counts applications closed
// because the applicant did not pay a fee notice (a fee was charged), or
// section 六 itself states an amount charged.
func (c *checker) fees() {
	r := c.r
	text := removeSpace(halfWidth(r.Text.Other))
	loc := noFee.FindStringIndex(text)
	if loc == nil {
		return
	}
	said := text[loc[0]:loc[1]]
	if m := feeCharged.FindStringSubmatch(text); m != nil {
		if v, err := strconv.ParseFloat(m[1], 64); err == nil && v > 0 {
			c.add(RuleFeesStated, Warning, "text.other", nil, nil,
				"第六部分既称「%s」，又称收取信息处理费%s%s，前后矛盾", said, m[1], m[2])
			return
		}
	}
	if row := r.Table3.Row(RowOtherNoFee); row != nil && row[ColTotal].Int() > 0 {
		n := row[ColTotal].Int()
		c.add(RuleFeesStated, Warning, "table3.rows.other_no_fee[6]", ptr(0), ptr(n),
			"第六部分称「%s」，但表三「申请人逾期未按收费通知要求缴纳费用」为%d件，说明本年度发出过收费通知，请核实是否收取信息处理费", said, n)
	}
}
