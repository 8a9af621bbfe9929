package annual

import (
	"fmt"
	"strconv"
	"strings"
)

// This file names the checks' rules and places in Chinese, for pages: the
// JSON and the command line keep the codes (they are a contract), people
// read these.

var ruleLabels = map[string]string{
	RuleBalance:            "表三勾稽关系",
	RuleRowSum:             "表三行合计",
	RuleOutcomes:           "表三办理结果合计",
	RuleT4Sum:              "表四合计",
	RuleNegative:           "负数",
	RuleBlank:              "空白单元格",
	RuleNarrative:          "正文与表格不一致",
	RuleFormat:             "格式",
	RuleYearCarry:          "跨年度结转",
	RuleInForce:            "跨年度现行有效件数",
	RuleNarrativeBreakdown: "正文分项与表格不一致",
	RuleProblemsNone:       "第五部分未说明存在的问题",
	RuleProblemsNoMeasure:  "第五部分未说明整改措施",
	RuleFeesStated:         "第六部分收费说明与记录不符",
	// The builder's rules (internal/report).
	"BUILD.PROFILE":     "开头段联系方式",
	"BUILD.PLACEHOLDER": "模板占位符",
	"BUILD.TYPED":       "模板中手工填写的数字",
	"BUILD.EMPTY":       "统计项无内容",
	"BUILD.SECTION5":    "第五部分（整改台账）",
	"BUILD.SECTION6":    "第六部分",
}

// RuleLabel names a rule in Chinese ("表三勾稽关系"); an unknown rule is
// shown as its code.
func RuleLabel(rule string) string {
	if l, ok := ruleLabels[rule]; ok {
		return l
	}
	return rule
}

// RegisterRuleLabel names a rule another package checks.
func RegisterRuleLabel(rule, label string) { ruleLabels[rule] = label }

var sectionParts = map[string]string{
	"1.1": "第一部分（一）主动公开", "1.2": "第一部分（二）依申请公开", "1.3": "第一部分（三）平台建设", "1.4": "第一部分（四）监督保障",
	"5": "第五部分", "6": "第六部分",
}

// textParts name the parts of a report's narrative (Report.Text) that the
// narrative rules point to.
var textParts = map[string]string{
	"preface": "开头段", "overview": "第一部分", "problems": "第五部分", "other": "第六部分",
}

// PlaceLabel names the place a finding's Where path points to, in Chinese:
// 「表三“予以公开”行“自然人”列」, 「表四行政复议“总计”」, 「开头段」.
func PlaceLabel(where string) string {
	switch {
	case where == "":
		return "全文"
	case where == "preface":
		return "开头段"
	case where == "template":
		return "报告格式"
	case strings.HasPrefix(where, "sections."):
		if l, ok := sectionParts[strings.TrimPrefix(where, "sections.")]; ok {
			return l
		}
		return "正文"
	case where == "narrative" || strings.HasPrefix(where, "narrative"):
		return "正文"
	case strings.HasPrefix(where, "text."):
		if l, ok := textParts[strings.TrimPrefix(where, "text.")]; ok {
			return l
		}
		return "正文"
	case strings.HasPrefix(where, "table2"):
		return table2Place(strings.TrimPrefix(strings.TrimPrefix(where, "table2"), "."))
	case strings.HasPrefix(where, "table3"):
		return table3Place(strings.TrimPrefix(strings.TrimPrefix(where, "table3"), "."))
	case strings.HasPrefix(where, "table4"):
		return table4Place(strings.TrimPrefix(strings.TrimPrefix(where, "table4"), "."))
	}
	return where
}

var table2Names = map[string]string{
	"regulations": "规章", "normative_documents": "行政规范性文件", "licensing_decisions": "行政许可",
	"penalty_decisions": "行政处罚", "enforcement_decisions": "行政强制", "fees_wan_yuan": "行政事业性收费",
	"issued": "本年制发件数", "abolished": "本年废止件数", "in_force": "现行有效件数",
}

func table2Place(rest string) string {
	if rest == "" {
		return "表二"
	}
	var names []string
	for _, p := range strings.Split(rest, ".") {
		if n, ok := table2Names[p]; ok {
			names = append(names, "“"+n+"”")
		}
	}
	return "表二" + strings.Join(names, "")
}

func table3Place(rest string) string {
	if rest == "" {
		return "表三"
	}
	col := -1
	if i := strings.LastIndexByte(rest, '['); i >= 0 && strings.HasSuffix(rest, "]") {
		if n, err := strconv.Atoi(rest[i+1 : len(rest)-1]); err == nil {
			col = n
		}
		rest = rest[:i]
	}
	var row string
	switch {
	case strings.HasPrefix(rest, "rows."):
		if spec, ok := Spec(RowKey(strings.TrimPrefix(rest, "rows."))); ok {
			row = "“" + spec.ShortLabel() + "”行"
			if spec.Key == RowTotalHandled {
				row = "“（七）总计”行"
			}
		}
	case strings.HasPrefix(rest, "extra_rows["):
		n := strings.TrimSuffix(strings.TrimPrefix(rest, "extra_rows["), "].values")
		if i, err := strconv.Atoi(strings.TrimSuffix(n, "]")); err == nil {
			row = fmt.Sprintf("第%d个细分行", i+1)
		}
	case rest == "columns":
		row = "表头"
	}
	place := "表三" + row
	if col >= 0 && col < NumColumns {
		place += "“" + ColumnLabels[col] + "”列"
	}
	return place
}

func table4Place(rest string) string {
	if rest == "" {
		return "表四"
	}
	parts := strings.Split(rest, ".")
	place := "表四"
	for _, g := range Table4Groups {
		if g.Key == parts[0] {
			place += g.Label
		}
	}
	if len(parts) > 1 {
		for i, k := range OutcomeKeys {
			if k == parts[1] {
				place += "“" + OutcomeLabels[i] + "”"
			}
		}
	}
	return place
}
