package annual

import (
	"strconv"
	"strings"
	"testing"
)

// balanced returns a consistent report built through the model's API, as the
// report builder will: 3 received and 1 carried over; 2 disclosed, 1 partly
// disclosed; 1 carried forward; one reconsideration upheld.
func balanced() *Report {
	r := NewReport()
	r.Unit, r.Year, r.Title = "示例局", 2024, "示例局2024年政府信息公开工作年度报告"
	fees := "0"
	r.Table2 = &Table2{
		Regulations:          DocCounts{Issued: N(1), Abolished: N(0), InForce: N(5)},
		NormativeDocuments:   DocCounts{Issued: N(2), Abolished: N(1), InForce: N(10)},
		LicensingDecisions:   N(100),
		PenaltyDecisions:     N(20),
		EnforcementDecisions: N(3),
		FeesWanYuan:          &fees,
	}
	for _, spec := range Table3Rows {
		r.Table3.SetRow(spec.Key, Row{N(0), N(0), N(0), N(0), N(0), N(0), N(0)})
	}
	r.Table3.SetRow(RowReceived, *RowOf(2, 1, 0, 0, 0, 0, 3))
	r.Table3.SetRow(RowCarriedOver, *RowOf(1, 0, 0, 0, 0, 0, 1))
	r.Table3.SetRow(RowDisclosed, *RowOf(1, 1, 0, 0, 0, 0, 2))
	r.Table3.SetRow(RowPartlyDisclosed, *RowOf(1, 0, 0, 0, 0, 0, 1))
	r.Table3.SetRow(RowTotalHandled, *RowOf(2, 1, 0, 0, 0, 0, 3))
	r.Table3.SetRow(RowCarriedForward, *RowOf(1, 0, 0, 0, 0, 0, 1))
	r.Table4.Reconsideration = Outcomes{Upheld: N(1), Corrected: N(0), Other: N(0), Pending: N(0), Total: N(1)}
	for _, o := range []*Outcomes{&r.Table4.LitigationDirect, &r.Table4.LitigationAfterReconsideration} {
		for _, c := range o.Cells() {
			*c = N(0)
		}
	}
	return r
}

type want struct {
	rule, where      string
	expected, actual int
	hasNumbers       bool
	messageContains  string
	severity         Severity
}

func TestCheckRules(t *testing.T) {
	if fs := Check(balanced()); len(fs) != 0 {
		t.Fatalf("a balanced report has findings: %+v", fs)
	}
	for _, tc := range []struct {
		name   string
		change func(r *Report)
		want   []want
	}{
		{"T3.BALANCE: carried forward wrong in one column", func(r *Report) {
			r.Table3.Set(RowCarriedForward, ColCommercial, 1)
			r.Table3.Set(RowCarriedForward, ColTotal, 2)
			r.Table3.Set(RowCarriedOver, ColCommercial, 1)
			r.Table3.Set(RowCarriedOver, ColTotal, 1) // carried over 1 commercial, but total unchanged
		}, []want{
			{rule: RuleBalance, where: "table3.rows.carried_forward[6]", expected: 4, actual: 5, hasNumbers: true, severity: Error, messageContains: "「总计」列"},
			{rule: RuleRowSum, where: "table3.rows.carried_over[6]", expected: 2, actual: 1, hasNumbers: true, severity: Error},
		}},
		{"T3.ROWSUM: a row's total", func(r *Report) { r.Table3.Set(RowDisclosed, ColResearch, 1); r.Table3.Set(RowReceived, ColResearch, 1) }, []want{
			{rule: RuleBalance, where: "table3.rows.carried_forward[2]", expected: 1, actual: 0, hasNumbers: true, severity: Error},
			{rule: RuleRowSum, where: "table3.rows.received[6]", expected: 4, actual: 3, hasNumbers: true, severity: Error, messageContains: "「本年新收政府信息公开申请数量」行"},
			{rule: RuleRowSum, where: "table3.rows.disclosed[6]", expected: 3, actual: 2, hasNumbers: true, severity: Error},
			{rule: RuleOutcomes, where: "table3.rows.total_handled[2]", expected: 1, actual: 0, hasNumbers: true, severity: Error},
		}},
		{"T3.OUTCOMES: an outcome not in the total", func(r *Report) {
			r.Table3.SetRow(RowNotProcessedRepeat, *RowOf(1, 0, 0, 0, 0, 0, 1))
		}, []want{
			{rule: RuleOutcomes, where: "table3.rows.total_handled[0]", expected: 3, actual: 2, hasNumbers: true, severity: Error, messageContains: "「自然人」列"},
			{rule: RuleOutcomes, where: "table3.rows.total_handled[6]", expected: 4, actual: 3, hasNumbers: true, severity: Error},
		}},
		{"T4.SUM: total not the sum (洪泽区 2023)", func(r *Report) {
			r.Table4.Reconsideration = Outcomes{Upheld: N(10), Corrected: N(1), Other: N(0), Pending: N(0), Total: N(0)}
		}, []want{
			{rule: RuleT4Sum, where: "table4.reconsideration", expected: 11, actual: 0, hasNumbers: true, severity: Error,
				messageContains: "行政复议：结果维持、结果纠正、其他结果、尚未审结之和为11，总计栏为0"},
			{rule: RuleNarrative, where: "table4.reconsideration", expected: 0, actual: 1, hasNumbers: true, severity: Warning},
		}},
		{"NEGATIVE", func(r *Report) {
			r.Table2.PenaltyDecisions = N(-3)
			r.Table3.Set(RowWithheldStateSecret, ColNaturalPerson, -1)
			r.Table3.Set(RowWithheldStateSecret, ColTotal, -1)
			r.Table3.Set(RowPartlyDisclosed, ColNaturalPerson, 2)
			r.Table3.Set(RowPartlyDisclosed, ColTotal, 2)
		}, []want{
			{rule: RuleNegative, where: "table2.penalty_decisions", actual: -3, severity: Error},
			{rule: RuleNegative, where: "table3.rows.withheld_state_secret[0]", actual: -1, severity: Error},
			{rule: RuleNegative, where: "table3.rows.withheld_state_secret[6]", actual: -1, severity: Error},
		}},
		{"BLANK: one finding per blank cell", func(r *Report) {
			r.Table3.Rows[RowTotalHandled][ColTotal] = Cell{}
			r.Table2.FeesWanYuan = nil
			r.Table4.LitigationDirect.Pending = Cell{}
		}, []want{
			{rule: RuleBalance, where: "table3.rows.carried_forward[6]", expected: 4, actual: 1, hasNumbers: true, severity: Error},
			{rule: RuleRowSum, where: "table3.rows.total_handled[6]", expected: 3, actual: 0, hasNumbers: true, severity: Error},
			{rule: RuleOutcomes, where: "table3.rows.total_handled[6]", expected: 3, actual: 0, hasNumbers: true, severity: Error},
			{rule: RuleBlank, where: "table3.rows.total_handled[6]", severity: Warning, messageContains: "「（七）总计」行「总计」列为空白"},
			{rule: RuleBlank, where: "table4.litigation_direct.pending", severity: Warning},
			{rule: RuleBlank, where: "table2.fees_wan_yuan", severity: Warning},
		}},
		{"FORMAT: a 2021 report in the 2019 template", func(r *Report) {
			r.Template = Template2019
			r.Table3.Rows[RowOtherNoCorrection] = nil
			r.Table3.Rows[RowOtherNoFee] = nil
			r.Printed.SingleRowOther = true
		}, []want{{rule: RuleFormat, where: "template", severity: Warning, messageContains: "国办公开办函〔2021〕30号"}}},
		{"FORMAT: missing row", func(r *Report) { delete(r.Table3.Rows, RowNotProcessedExcessive) }, []want{
			{rule: RuleFormat, where: "table3.rows.not_processed_excessive", severity: Warning, messageContains: "缺少「无正当理由大量反复申请」行"},
		}},
		{"FORMAT: variant rows replace the standard row", func(r *Report) {
			r.Table3.ExtraRows = []ExtraRow{{Label: "3. 咨询事项，指引咨询渠道", CountsAs: RowOtherOther, Values: *RowOf(0, 0, 0, 0, 0, 0, 0)}}
			r.Printed.Labels = map[RowKey]string{RowWithheldProhibitedByLaw: "2. 其他法律法规禁止公开", RowDisclosed: "(一) 予以公开"}
		}, nil},
		{"FORMAT: garbled label", func(r *Report) {
			r.Printed.Labels = map[RowKey]string{RowWithheldProhibitedByLaw: "2.其他法律行政止公开"}
		}, []want{{rule: RuleFormat, where: "table3.rows.withheld_prohibited_by_law", severity: Warning, messageContains: "「2.其他法律行政止公开」"}}},
		{"FORMAT: what the reader noted", func(r *Report) {
			r.Printed.Notes = []Note{{Where: "table4", Message: "未找到表四（政府信息公开行政复议、行政诉讼情况）"}}
			r.Table4 = nil
		}, []want{{rule: RuleFormat, where: "table4", severity: Warning, messageContains: "未找到表四"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := balanced()
			r.Text.Overview = "本年共收到政府信息公开申请3件，发生行政复议1件。"
			tc.change(r)
			got := Check(r)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				f := got[i]
				if f.Rule != w.rule || f.Where != w.where || f.Severity != w.severity {
					t.Errorf("finding %d = %s %s %s, want %s %s %s", i, f.Rule, f.Where, f.Severity, w.rule, w.where, w.severity)
				}
				if w.hasNumbers && (f.Expected == nil || f.Actual == nil || *f.Expected != w.expected || *f.Actual != w.actual) {
					t.Errorf("finding %d expected/actual = %v/%v, want %d/%d", i, deref(f.Expected), deref(f.Actual), w.expected, w.actual)
				}
				if w.rule == RuleNegative && (f.Actual == nil || *f.Actual != w.actual) {
					t.Errorf("finding %d actual = %v, want %d", i, deref(f.Actual), w.actual)
				}
				if !strings.Contains(f.Message, w.messageContains) {
					t.Errorf("finding %d message %q lacks %q", i, f.Message, w.messageContains)
				}
				if f.Message == "" || strings.Contains(f.Message, "\n") {
					t.Errorf("finding %d message %q is not one sentence", i, f.Message)
				}
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// NARRATIVE compares the figures the text states with the tables, reading the
// words as a statistician would and inventing no error.
func TestCheckNarrative(t *testing.T) {
	withdrawn := func(r *Report) {
		// 福州海关 2024: 6 handled, 2 disclosed, 4 withdrawn (printed as a variant row).
		r.Table3.SetRow(RowReceived, *RowOf(5, 1, 0, 0, 0, 0, 6))
		r.Table3.SetRow(RowCarriedOver, *RowOf(0, 0, 0, 0, 0, 0, 0))
		r.Table3.SetRow(RowDisclosed, *RowOf(2, 0, 0, 0, 0, 0, 2))
		r.Table3.SetRow(RowPartlyDisclosed, *RowOf(0, 0, 0, 0, 0, 0, 0))
		r.Table3.ExtraRows = []ExtraRow{{Label: "4. 申请人撤销申请", CountsAs: RowOtherOther, Values: *RowOf(3, 1, 0, 0, 0, 0, 4)}}
		r.Table3.SetRow(RowOtherOther, *RowOf(3, 1, 0, 0, 0, 0, 4))
		r.Table3.SetRow(RowTotalHandled, *RowOf(5, 1, 0, 0, 0, 0, 6))
		r.Table3.SetRow(RowCarriedForward, *RowOf(0, 0, 0, 0, 0, 0, 0))
		r.Table4.Reconsideration = Outcomes{N(0), N(0), N(0), N(0), N(0)}
	}
	for _, tc := range []struct {
		name  string
		setup func(*Report)
		text  string
		want  []string // "where expected actual"
	}{
		{"seed: answered 2 + withdrawn 4 = 6 handled", withdrawn,
			"2024 年本级机关共收到依申请公开 6 件，内容涉及统计数据、报关单证和行政执法信息等，其中办理答复 2 件，申请人撤回 4 件，未出现因依申请公开答复产生的复议、诉讼。", nil},
		{"answered without the withdrawn figure in the sentence", withdrawn,
			"共收到政府信息公开申请6件，办理答复2件。", nil},
		{"answered everything", withdrawn, "共收到政府信息公开申请6件，已全部办结，办结6件。", nil},
		{"answered wrong", withdrawn, "共收到政府信息公开申请6件，答复5件。", []string{"table3.rows.total_handled[6] 6 5"}},
		{"received wrong", nil, "2024年共受理政府信息公开申请21件，均在法定期限内答复。", []string{"table3.rows.received[6] 3 21"}},
		{"received includes last year's", nil, "共收到政府信息公开申请4件（含上年结转1件）。", nil},
		{"received, number first", nil, "全年共收到3件政府信息公开申请。", nil},
		{"carried over and forward", nil, "答复3件（含上年度结转申请1件，另有1件顺延到下年度答复）。", nil},
		{"carried forward wrong", nil, "另有2件结转至下一年度办理。", []string{"table3.rows.carried_forward[6] 1 2"}},
		{"carried over wrong", nil, "上年结转申请3件。", []string{"table3.rows.carried_over[6] 1 3"}},
		{"reconsideration stated none, table has one", nil, "未发生政府信息公开行政复议和行政诉讼案件。", []string{"table4.reconsideration 1 0"}},
		{"reconsideration and litigation figures", func(r *Report) {
			r.Table4.LitigationDirect = Outcomes{N(13), N(4), N(8), N(1), N(26)}
			r.Table4.LitigationAfterReconsideration = Outcomes{N(12), N(1), N(1), N(6), N(20)}
		}, "政府信息公开行政复议1件，其中结果维持1件；政府信息公开行政诉讼46件，其中结果维持25件。", nil},
		{"litigation wrong", nil, "被提起行政诉讼2件。", []string{"table4 0 2"}},
		{"zero stated as 均为0", nil, "行政复议、行政诉讼均为0件。", []string{"table4.reconsideration 1 0"}},
		{"last year's figure is not this year's", nil, "共收到政府信息公开申请3件，较上年的12件有所下降。2023年共收到申请12件。", nil},
		{"other figures are not applications", nil, "答复门户网站咨询471条，办理留言229条，收取信息处理费0元，公开行政复议决定书12件。", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := balanced()
			if tc.setup != nil {
				tc.setup(r)
			}
			r.Text.Overview = tc.text
			var got []string
			for _, f := range Check(r) {
				if f.Rule != RuleNarrative {
					t.Fatalf("the setup is not consistent: %+v", f)
				}
				got = append(got, strings.Join([]string{f.Where, itoa(f.Expected), itoa(f.Actual)}, " "))
				if !strings.HasPrefix(f.Message, "正文称「") {
					t.Errorf("message %q", f.Message)
				}
			}
			if strings.Join(got, ";") != strings.Join(tc.want, ";") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func itoa(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}

func TestCheckYears(t *testing.T) {
	prev, cur := balanced(), balanced()
	prev.Year = 2023
	prev.Table2.Regulations.InForce = N(4)        // + 1 issued = 5
	prev.Table2.NormativeDocuments.InForce = N(9) // + 2 issued − 1 abolished = 10
	if fs := CheckYears(prev, cur); len(fs) != 0 {
		t.Fatalf("consistent years: %+v", fs)
	}
	// 2023 carried 1 forward; 2024 says 2 carried over (natural person).
	cur.Table3.Set(RowCarriedOver, ColNaturalPerson, 2)
	cur.Table3.Set(RowCarriedOver, ColTotal, 2)
	// 2023 had 9 in force; 2024 issued 2, abolished 1: 10, not 12.
	cur.Table2.NormativeDocuments.InForce = N(12)
	fs := CheckYears(prev, cur)
	want := []string{
		"YEAR.CARRY error table3.rows.carried_over[0] 1 2",
		"YEAR.CARRY error table3.rows.carried_over[6] 1 2",
		"YEAR.IN_FORCE warning table2.normative_documents.in_force 10 12",
	}
	var got []string
	for _, f := range fs {
		got = append(got, strings.Join([]string{f.Rule, string(f.Severity), f.Where, itoa(f.Expected), itoa(f.Actual)}, " "))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(fs[0].Message, "2023年度报告") {
		t.Errorf("message %q should name the earlier year", fs[0].Message)
	}
	// Only consecutive years are compared.
	prev.Year = 2022
	if fs := CheckYears(prev, cur); fs != nil {
		t.Errorf("non-consecutive years: %+v", fs)
	}
	if fs := CheckYears(cur, prev); fs != nil {
		t.Errorf("reversed years: %+v", fs)
	}
}

// Two real reports of the same unit in consecutive years: the 2024 report's
// carried_over must equal the 2023 report's carried_forward.
func TestCheckYearsOnReadReports(t *testing.T) {
	y2024 := mustRead(t, readFile(t, "minimal_2021.txt"), "2024.txt")
	y2023 := mustRead(t, minimal(t, "minimal_2021.txt",
		"示例市示例局2024年", "示例市示例局2023年",
		"四、结转下年度继续办理\t\t\t1\t0\t0\t0\t0\t0\t1", "四、结转下年度继续办理\t\t\t2\t0\t0\t0\t0\t0\t2",
		"一、本年新收政府信息公开申请数量\t\t\t2\t1\t0\t0\t0\t0\t3", "一、本年新收政府信息公开申请数量\t\t\t3\t1\t0\t0\t0\t0\t4",
		"规章\t1\t0\t5", "规章\t1\t0\t4",
		"行政规范性文件\t2\t1\t10", "行政规范性文件\t2\t1\t9",
		"2024年，本机关共收到政府信息公开申请3件", "本机关共收到政府信息公开申请4件",
		"1件结转下一年度办理", "2件结转下一年度办理",
	), "2023.txt")
	if len(y2023.Findings) != 0 || y2023.Year != 2023 {
		t.Fatalf("2023: year %d findings %+v", y2023.Year, y2023.Findings)
	}
	got := rules(CheckYears(y2023, y2024))
	want := []string{"YEAR.CARRY table3.rows.carried_over[0]", "YEAR.CARRY table3.rows.carried_over[6]"}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("got %v want %v", got, want)
	}
}

// Every finding has an id derived from its rule, place and numbers: the
// same in every form of one report and in every run, different for every
// finding of a report, new when a number changes.
func TestFindingIDs(t *testing.T) {
	txt := readFile(t, "hongze_district_2023.txt")
	r := mustRead(t, txt, "h.txt")
	ids := map[string]Finding{}
	for _, f := range r.Findings {
		if f.ID == "" || !strings.HasPrefix(f.ID, f.Rule+"-") {
			t.Errorf("finding without a proper id: %+v", f)
		}
		if _, dup := ids[f.ID]; dup {
			t.Errorf("id %s twice", f.ID)
		}
		ids[f.ID] = f
		switch f.Status {
		case StatusFail, StatusDoubt, StatusUnknown:
		default:
			t.Errorf("status %q", f.Status)
		}
	}
	for _, other := range []*Report{
		mustRead(t, txt, "again.txt"),
		mustRead(t, readFile(t, "pdf/hongze_district_2023.chromium.pdf"), "h.pdf"),
	} {
		if len(other.Findings) != len(r.Findings) {
			t.Fatalf("%d findings, want %d", len(other.Findings), len(r.Findings))
		}
		for i, f := range other.Findings {
			if f.ID != r.Findings[i].ID {
				t.Errorf("finding %d: id %s, want %s", i, f.ID, r.Findings[i].ID)
			}
		}
	}
	// 结果维持 10 → 9 in 行政复议: that group's T4.SUM finding is a new one,
	// the other group's keeps its id.
	changed := strings.Replace(string(txt), "\n10\t1\t0\t0\t0\t", "\n9\t1\t0\t0\t0\t", 1)
	if changed == string(txt) {
		t.Fatal("sample lacks table 四's row")
	}
	c := mustRead(t, []byte(changed), "h.txt")
	byWhere := func(fs []Finding, rule, where string) Finding {
		for _, f := range fs {
			if f.Rule == rule && f.Where == where {
				return f
			}
		}
		t.Fatalf("no %s at %s", rule, where)
		return Finding{}
	}
	if a, b := byWhere(r.Findings, RuleT4Sum, "table4.reconsideration"), byWhere(c.Findings, RuleT4Sum, "table4.reconsideration"); a.ID == b.ID {
		t.Errorf("changed number kept id %s", a.ID)
	}
	if a, b := byWhere(r.Findings, RuleT4Sum, "table4.litigation_after_reconsideration"), byWhere(c.Findings, RuleT4Sum, "table4.litigation_after_reconsideration"); a.ID != b.ID {
		t.Errorf("unchanged finding changed id: %s, %s", a.ID, b.ID)
	}

	// What the reader could not read is unknown; two such findings at one
	// place quoting the same numbers still have two ids.
	seed := string(readFile(t, "fuzhou_customs_2024.txt"))
	odd := strings.Replace(seed, "四、结转下年度继续办理", "五、奇怪的一行\t\t1\t0\t0\t0\t0\t0\t1\t\n六、又一行\t\t1\t0\t0\t0\t0\t0\t1\t\n四、结转下年度继续办理", 1)
	o := mustRead(t, []byte(odd), "odd.txt")
	var unknown []Finding
	for _, f := range o.Findings {
		if f.Status == StatusUnknown {
			unknown = append(unknown, f)
		}
	}
	if len(unknown) != 2 || unknown[0].ID == unknown[1].ID {
		t.Errorf("unknown findings %+v", unknown)
	}
}

// The rules of docs/annual-rules.md: each finds what it is for, and says
// nothing where the words leave room for another reading.
func TestNarrativeAndSectionRules(t *testing.T) {
	seed := string(readFile(t, "fuzhou_customs_2024.txt"))
	huaian := string(readFile(t, "huaian_city_2024.txt"))
	const seedMeasures = "采取 3 方面措施进行整改：一是压实工作责任，将事业单位政府信息公开质量和基层政务公开标准化规范化建设情况纳入年度考核事项；二是加强工作指导，对事业单位信息公开情况开展指导，重点提升公开效能；三是主动查摆问题，结合 12345 热线等渠道诉求，征集群众建议，深入剖析成因，改进服务质量。2024 年事业单位投诉事项明显下降。"
	const seedSection5 = "（一）2023 年年报中所提问题整改情况。"
	const seedFeeRow = "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0"
	for _, tc := range []struct {
		name    string
		text    string
		repl    []string // old, new pairs
		want    []string // rule@where that must be found
		without []string // rules that must not be
	}{
		{"seed reads clean", seed, nil, nil, []string{RuleNarrativeBreakdown, RuleProblemsNone, RuleProblemsNoMeasure, RuleFeesStated}},
		{"huaian reads clean (its 复议 and 诉讼 results match)", huaian, nil, nil, []string{RuleNarrativeBreakdown, RuleFeesStated, RuleProblemsNone, RuleProblemsNoMeasure}},
		{"予以公开 stated wrong", seed, []string{"其中办理答复 2 件", "其中予以公开 3 件"},
			[]string{RuleNarrativeBreakdown + "@table3.rows.disclosed[6]"}, nil},
		{"予以公开 stated right", seed, []string{"其中办理答复 2 件", "其中予以公开 2 件"}, nil, []string{RuleNarrativeBreakdown}},
		{"a part of 不予公开 is not its total", seed, []string{"其中办理答复 2 件", "其中办理答复 2 件，因属于国家秘密不予公开 1 件"}, nil, []string{RuleNarrativeBreakdown}},
		{"other outcomes summed", seed, []string{"申请人撤回 4 件", "其他处理 5 件"},
			[]string{RuleNarrativeBreakdown + "@table3.rows.other_no_correction"}, nil},
		{"compared with last year", seed, []string{"其中办理答复 2 件", "较上年予以公开 9 件"}, nil, []string{RuleNarrativeBreakdown}},
		{"复议 结果维持 wrong", huaian, []string{"其中结果维持72件", "其中结果维持70件"},
			[]string{RuleNarrativeBreakdown + "@table4.reconsideration.upheld"}, nil},
		{"诉讼 结果维持 wrong", huaian, []string{"其中结果维持25", "其中结果维持24"},
			[]string{RuleNarrativeBreakdown + "@table4"}, nil},
		{"复议 and 诉讼 together: no reading", seed, []string{"未出现因依申请公开答复产生的复议、诉讼", "行政复议、行政诉讼结果维持 3 件"}, nil, []string{RuleNarrativeBreakdown}},
		{"section 五 states no problem", seed, []string{"五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n\n本年度未发现问题。\n\n六、其他需要报告的事项\n\n2024 年福州海关本级机关无收取信息处理费情况。\nEND"},
			[]string{RuleProblemsNone + "@text.problems"}, nil},
		{"a coming year's problem needs no measure", seed, []string{"五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n\n（一）目前存在问题。热线新媒体与网友互动形式较为单一。\n\n六、其他需要报告的事项\n\n2024 年福州海关本级机关无收取信息处理费情况。\nEND"},
			nil, []string{RuleProblemsNoMeasure, RuleProblemsNone}},
		{"section 五 is empty words", seed, []string{"五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n\n无。\n\n六、其他需要报告的事项\n\n2024 年福州海关本级机关无收取信息处理费情况。\nEND"},
			[]string{RuleProblemsNone + "@text.problems"}, nil},
		{"last year's problems without a measure", seed, []string{seedMeasures, "至今仍在研究。"},
			[]string{RuleProblemsNoMeasure + "@text.problems"}, []string{RuleProblemsNone}},
		{"section 六 says no fee, table 三 counts a fee notice", seed, []string{seedFeeRow, "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1"},
			[]string{RuleFeesStated + "@table3.rows.other_no_fee[6]"}, nil},
		{"section 六 contradicts itself", huaian, []string{"全年收取政府信息公开信息处理费3940元。", "全年未收取信息处理费，收取政府信息公开信息处理费3940元。"},
			[]string{RuleFeesStated + "@text.other"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.text
			for i := 0; i+1 < len(tc.repl); i += 2 {
				if !strings.Contains(text, tc.repl[i]) {
					t.Fatalf("text lacks %q", tc.repl[i])
				}
				text = strings.Replace(text, tc.repl[i], tc.repl[i+1], 1)
			}
			text = strings.Split(text, "\nEND")[0]
			r := mustRead(t, []byte(text), "r.txt")
			got := map[string]bool{}
			rules := map[string]bool{}
			for _, f := range r.Findings {
				got[f.Rule+"@"+f.Where] = true
				rules[f.Rule] = true
				if strings.HasPrefix(f.Rule, "S") || f.Rule == RuleNarrativeBreakdown {
					if f.Status != StatusDoubt || f.Severity != Warning || f.Message == "" {
						t.Errorf("finding %+v", f)
					}
				}
			}
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("no %s among %+v", w, r.Findings)
				}
			}
			for _, w := range tc.without {
				if rules[w] {
					t.Errorf("unexpected %s: %+v", w, r.Findings)
				}
			}
		})
	}
}

// A figure about other work (complaints, consultations, messages) is not
// one of table 三's, however it is worded.
func TestNarrativeOtherWork(t *testing.T) {
	for _, s := range []string{
		"年内收到政府信息公开相关投诉1件，办结1件。",
		"答复门户网站咨询471件，办理留言229件。",
		"收到热线来电10289件。",
	} {
		if fs := statedFigures(s, 2024); len(fs) != 0 {
			t.Errorf("%s: read %+v", s, fs)
		}
	}
	if fs := statedFigures("共收到依申请公开6件，其中办理答复2件。", 2024); len(fs) != 2 {
		t.Errorf("applications' figures not read: %+v", fs)
	}
}
