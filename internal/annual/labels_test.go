package annual

import (
	"strings"
	"testing"
)

// Every rule the checker can report has a Chinese name for pages.
func TestRuleLabels(t *testing.T) {
	for _, r := range []string{RuleBalance, RuleRowSum, RuleOutcomes, RuleT4Sum, RuleNegative, RuleBlank, RuleNarrative, RuleFormat,
		RuleYearCarry, RuleInForce, RuleNarrativeBreakdown, RuleProblemsNone, RuleProblemsNoMeasure, RuleFeesStated} {
		if l := RuleLabel(r); l == r || strings.ContainsAny(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("rule %s has no Chinese name: %q", r, l)
		}
	}
}

func TestPlaceLabel(t *testing.T) {
	for where, want := range map[string]string{
		"table3.rows.disclosed[0]":            "表三“予以公开”行“自然人”列",
		"table3.rows.total_handled[6]":        "表三“（七）总计”行“总计”列",
		"table3.extra_rows[1].values[6]":      "表三第2个细分行“总计”列",
		"table2.normative_documents.in_force": "表二“行政规范性文件”“现行有效件数”",
		"table2.licensing_decisions":          "表二“行政许可”",
		"table4.reconsideration.total":        "表四行政复议“总计”",
		"table4.reconsideration":              "表四行政复议",
		"sections.1.2":                        "第一部分（二）依申请公开",
		"preface":                             "开头段",
		"text.problems":                       "第五部分",
		"text.other":                          "第六部分",
		"text.unknown":                        "正文",
		"":                                    "全文",
	} {
		if got := PlaceLabel(where); got != want {
			t.Errorf("PlaceLabel(%q) = %q, want %q", where, got, want)
		}
	}
}

func TestStatusLabel(t *testing.T) {
	for s, want := range map[Status]string{StatusFail: "不通过", StatusDoubt: "存疑", StatusUnknown: "无法判断", "": ""} {
		if got := s.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", s, got, want)
		}
	}
}
