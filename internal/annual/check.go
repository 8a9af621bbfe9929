package annual

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Check applies the rules of annual-report-json.md to one report and returns
// its findings, rule by rule in the order of that table: T3.BALANCE,
// T3.ROWSUM, T3.OUTCOMES, T4.SUM, NEGATIVE, BLANK, NARRATIVE, FORMAT; then the
// rules of docs/annual-rules.md: NARRATIVE.BREAKDOWN (breakdown.go),
// S5.NO_PROBLEM, S5.NO_MEASURE and S6.FEES (sections.go). The rules that
// compare two years are in CheckYears.
func Check(r *Report) []Finding {
	c := &checker{r: r, out: []Finding{}}
	c.balance()
	c.rowSum()
	c.outcomes()
	c.t4Sum()
	c.negative()
	c.blank()
	c.narrative()
	c.format()
	c.breakdowns()
	c.problems()
	c.fees()
	identify(c.out)
	return c.out
}

type checker struct {
	r   *Report
	out []Finding
}

func (c *checker) add(rule string, sev Severity, where string, expected, actual *int, format string, args ...any) {
	c.out = append(c.out, Finding{Rule: rule, Severity: sev, Where: where, Expected: expected, Actual: actual,
		Message: fmt.Sprintf(format, args...), Status: ruleStatus(rule)})
}

func ptr(n int) *int { return &n }

// columnName names a column of table 三 in a message.
func columnName(col int) string {
	if col == int(ColOtherOrg) {
		return "「法人或其他组织—其他」列"
	}
	return "「" + ColumnLabels[col] + "」列"
}

// rowName names a standard row of table 三 in a message.
func rowName(key RowKey) string {
	if key == RowTotalHandled {
		return "「（七）总计」行" // 「总计」 alone would read as the column
	}
	spec, _ := Spec(key)
	return "「" + spec.ShortLabel() + "」行"
}

// balance is rule T3.BALANCE (error): in every column of table 三,
// received + carried_over = total_handled + carried_forward — the rule the
// format prints in the table's corner (「第一项加第二项之和，等于第三项加第四项之和」,
// 国办公开办函〔2021〕30号).
func (c *checker) balance() {
	t := &c.r.Table3
	if t.Row(RowReceived) == nil || t.Row(RowTotalHandled) == nil {
		return
	}
	for col := range NumColumns {
		in := t.Get(RowReceived, Column(col)).Int() + t.Get(RowCarriedOver, Column(col)).Int()
		out := t.Get(RowTotalHandled, Column(col)).Int() + t.Get(RowCarriedForward, Column(col)).Int()
		if in != out {
			c.add(RuleBalance, Error, fmt.Sprintf("table3.rows.carried_forward[%d]", col), ptr(in), ptr(out),
				"表三%s：本年新收加上年结转为%d，办理结果总计加结转下年度为%d，两者应相等", columnName(col), in, out)
		}
	}
}

// rowSum is rule T3.ROWSUM (error): in every row of table 三 the six applicant
// columns add up to the total column. A standard row that only sums printed
// variant rows is not checked itself; the variant rows are.
func (c *checker) rowSum() {
	t := &c.r.Table3
	derived := c.derivedRows()
	for _, spec := range Table3Rows {
		row := t.Row(spec.Key)
		if row == nil || derived[spec.Key] {
			continue
		}
		if sum := row.Sum(); sum != row[ColTotal].Int() {
			c.add(RuleRowSum, Error, fmt.Sprintf("table3.rows.%s[%d]", spec.Key, ColTotal), ptr(sum), ptr(row[ColTotal].Int()),
				"表三%s：六类申请人之和为%d，总计栏为%d", rowName(spec.Key), sum, row[ColTotal].Int())
		}
	}
	for i, e := range t.ExtraRows {
		if sum := e.Values.Sum(); sum != e.Values[ColTotal].Int() {
			c.add(RuleRowSum, Error, fmt.Sprintf("table3.extra_rows[%d].values[%d]", i, ColTotal), ptr(sum), ptr(e.Values[ColTotal].Int()),
				"表三「%s」行：六类申请人之和为%d，总计栏为%d", e.Label, sum, e.Values[ColTotal].Int())
		}
	}
}

// derivedRows are the standard rows that hold the sum of printed variant rows.
func (c *checker) derivedRows() map[RowKey]bool {
	m := map[RowKey]bool{}
	for _, e := range c.r.Table3.ExtraRows {
		m[e.CountsAs] = true
	}
	return m
}

// outcomes is rule T3.OUTCOMES (error): in every column of table 三 the outcome
// rows (三（一） to 三（六）) add up to （七）总计.
func (c *checker) outcomes() {
	t := &c.r.Table3
	if t.Row(RowTotalHandled) == nil {
		return
	}
	for col := range NumColumns {
		sum := 0
		for _, spec := range Table3Rows {
			if spec.Outcome {
				sum += t.Get(spec.Key, Column(col)).Int()
			}
		}
		if total := t.Get(RowTotalHandled, Column(col)).Int(); sum != total {
			c.add(RuleOutcomes, Error, fmt.Sprintf("table3.rows.total_handled[%d]", col), ptr(sum), ptr(total),
				"表三%s：各项办理结果之和为%d，（七）总计为%d", columnName(col), sum, total)
		}
	}
}

// t4Sum is rule T4.SUM (error): in each group of table 四, 结果维持 + 结果纠正 +
// 其他结果 + 尚未审结 = 总计.
func (c *checker) t4Sum() {
	if c.r.Table4 == nil {
		return
	}
	for _, g := range Table4Groups {
		o := g.Get(c.r.Table4)
		if sum, total := o.Parts(), o.Total.Int(); sum != total {
			c.add(RuleT4Sum, Error, "table4."+g.Key, ptr(sum), ptr(total),
				"%s：结果维持、结果纠正、其他结果、尚未审结之和为%d，总计栏为%d", g.Label, sum, total)
		}
	}
}

// cellRef is one number cell of a report. Its path and name are made only
// for a finding.
type cellRef struct {
	cell  Cell
	table int    // 2, 3 or 4
	key   RowKey // table 三: the standard row, or "" for extra row i
	i     int    // table 三: extra row; table 四: group
	col   int    // column of table 三 or 四
	path  string // table 二: the path
	label string // table 二: the name
}

func (ref cellRef) where() string {
	switch {
	case ref.table == 2:
		return ref.path
	case ref.table == 4:
		return "table4." + Table4Groups[ref.i].Key + "." + OutcomeKeys[ref.col]
	case ref.key == "":
		return fmt.Sprintf("table3.extra_rows[%d].values[%d]", ref.i, ref.col)
	}
	return fmt.Sprintf("table3.rows.%s[%d]", ref.key, ref.col)
}

func (ref cellRef) name(r *Report) string {
	switch {
	case ref.table == 2:
		return ref.label
	case ref.table == 4:
		return "表四" + Table4Groups[ref.i].Label + "「" + OutcomeLabels[ref.col] + "」栏"
	case ref.key == "":
		return "表三「" + r.Table3.ExtraRows[ref.i].Label + "」行" + columnName(ref.col)
	}
	return "表三" + rowName(ref.key) + columnName(ref.col)
}

// cells lists every number cell that the report's format prints, in printed
// order. Cells outside the format (table 二's 本年废止件数 and 收费金额 in the
// 2019 format) and standard rows that only sum variant rows are left out.
func (c *checker) cells() []cellRef {
	r := c.r
	out := make([]cellRef, 0, 200)
	if t := r.Table2; t != nil {
		for _, d := range []struct {
			counts      DocCounts
			path, label string
		}{{t.Regulations, "table2.regulations", "表二「规章」"}, {t.NormativeDocuments, "table2.normative_documents", "表二「行政规范性文件」"}} {
			out = append(out, cellRef{cell: d.counts.Issued, table: 2, path: d.path + ".issued", label: d.label + "的本年制发件数"})
			if r.Template != Template2019 { // the 2019 format has no 本年废止件数
				out = append(out, cellRef{cell: d.counts.Abolished, table: 2, path: d.path + ".abolished", label: d.label + "的本年废止件数"})
			}
			out = append(out, cellRef{cell: d.counts.InForce, table: 2, path: d.path + ".in_force", label: d.label + "的现行有效件数"})
		}
		out = append(out,
			cellRef{cell: t.LicensingDecisions, table: 2, path: "table2.licensing_decisions", label: "表二「行政许可」的本年处理决定数量"},
			cellRef{cell: t.PenaltyDecisions, table: 2, path: "table2.penalty_decisions", label: "表二「行政处罚」的本年处理决定数量"},
			cellRef{cell: t.EnforcementDecisions, table: 2, path: "table2.enforcement_decisions", label: "表二「行政强制」的本年处理决定数量"})
	}
	derived := c.derivedRows()
	for _, spec := range Table3Rows {
		row := r.Table3.Row(spec.Key)
		if row == nil || derived[spec.Key] {
			continue
		}
		for col := range NumColumns {
			out = append(out, cellRef{cell: row[col], table: 3, key: spec.Key, col: col})
		}
	}
	for i, e := range r.Table3.ExtraRows {
		for col := range NumColumns {
			out = append(out, cellRef{cell: e.Values[col], table: 3, i: i, col: col})
		}
	}
	if t := r.Table4; t != nil {
		for gi, g := range Table4Groups {
			for col, cell := range g.Get(t).Cells() {
				out = append(out, cellRef{cell: *cell, table: 4, i: gi, col: col})
			}
		}
	}
	return out
}

// negative is rule NEGATIVE (error): no count is negative.
func (c *checker) negative() {
	for _, ref := range c.cells() {
		if ref.cell.Valid && ref.cell.Value < 0 {
			c.add(RuleNegative, Error, ref.where(), nil, ptr(ref.cell.Value), "%s为负数（%d），数量不能为负", ref.name(c.r), ref.cell.Value)
		}
	}
	if t := c.r.Table2; t != nil && t.FeesWanYuan != nil && strings.HasPrefix(*t.FeesWanYuan, "-") {
		c.add(RuleNegative, Error, "table2.fees_wan_yuan", nil, nil, "表二「行政事业性收费」的本年收费金额为负数（%s万元），金额不能为负", *t.FeesWanYuan)
	}
}

// blank is rule BLANK (warning): a cell that should hold a number is printed
// blank, one finding per cell. A row not printed at all is no BLANK finding.
func (c *checker) blank() {
	for _, ref := range c.cells() {
		if !ref.cell.Valid {
			c.add(RuleBlank, Warning, ref.where(), nil, nil, "%s为空白，应填写数字（没有的填0）", ref.name(c.r))
		}
	}
	if t := c.r.Table2; t != nil && t.FeesWanYuan == nil && c.r.Template != Template2019 {
		c.add(RuleBlank, Warning, "table2.fees_wan_yuan", nil, nil, "表二「行政事业性收费」的本年收费金额为空白，应填写金额（没有的填0）")
	}
}

// narrative is rule NARRATIVE (warning): a figure stated in section 一 of the
// text (applications received, answered, carried over; reconsiderations;
// lawsuits) differs from the tables. Where the words allow more than one
// reading the figure is compared with each, so that no error is invented:
// 「办理答复2件，申请人撤回4件」 answers 2 of 6 handled applications.
func (c *checker) narrative() {
	r := c.r
	text := r.Text.Overview
	if text == "" {
		text = r.Text.Preface
	}
	figs := statedFigures(text, r.Year)
	t := &r.Table3
	total := func(key RowKey) (int, bool) {
		row := t.Row(key)
		if row == nil {
			return 0, false
		}
		return row[ColTotal].Int(), true
	}
	withdrawnIn := map[int]int{}
	for _, f := range figs {
		if f.kind == figWithdrawn {
			withdrawnIn[f.sentence] += f.n
		}
	}
	reported := map[[2]int]bool{}
	report := func(f figure, where string, table int, tableName string) {
		k := [2]int{int(f.kind), f.n}
		if reported[k] {
			return
		}
		reported[k] = true
		c.add(RuleNarrative, Warning, where, ptr(table), ptr(f.n),
			"正文称「%s」，与%s（%d）不一致", f.phrase, tableName, table)
	}
	for _, f := range figs {
		switch f.kind {
		case figReceived:
			rec, ok := total(RowReceived)
			over, _ := total(RowCarriedOver)
			if ok && f.n != rec && f.n != rec+over {
				report(f, "table3.rows.received[6]", rec, "表三本年新收政府信息公开申请总计")
			}
		case figAnswered:
			th, ok := total(RowTotalHandled)
			if !ok {
				continue
			}
			// 「答复」 may count every concluded application, or leave out those
			// concluded without an answer ((六) 其他处理: not corrected, fee
			// unpaid, withdrawn), or be one part of a sentence that lists the rest.
			other := 0
			for _, k := range []RowKey{RowOtherNoCorrection, RowOtherNoFee, RowOtherOther} {
				n, _ := total(k)
				other += n
			}
			withdrawn := 0
			for _, e := range t.ExtraRows {
				if strings.Contains(e.Label, "撤") {
					withdrawn += e.Values[ColTotal].Int()
				}
			}
			if f.n != th && f.n != th-other && f.n != th-withdrawn && f.n+withdrawnIn[f.sentence] != th {
				report(f, "table3.rows.total_handled[6]", th, "表三办理结果总计")
			}
		case figCarriedOver:
			if n, ok := total(RowCarriedOver); ok && f.n != n {
				report(f, "table3.rows.carried_over[6]", n, "表三上年结转政府信息公开申请总计")
			}
		case figCarriedForward:
			if n, ok := total(RowCarriedForward); ok && f.n != n {
				report(f, "table3.rows.carried_forward[6]", n, "表三结转下年度继续办理总计")
			}
		case figReconsideration:
			if t4 := r.Table4; t4 != nil {
				o := &t4.Reconsideration
				if f.n != o.Total.Int() && f.n != o.Parts() {
					report(f, "table4.reconsideration", o.Total.Int(), "表四行政复议总计")
				}
			}
		case figLitigation:
			if t4 := r.Table4; t4 != nil {
				d, a := &t4.LitigationDirect, &t4.LitigationAfterReconsideration
				sum := d.Total.Int() + a.Total.Int()
				if f.n != sum && f.n != d.Parts()+a.Parts() && f.n != d.Total.Int() && f.n != a.Total.Int() {
					report(f, "table4", sum, "表四行政诉讼总计（直接起诉与复议后起诉之和）")
				}
			}
		}
	}
}

// format is rule FORMAT (warning): a report for 2021 or later in the 2019
// format or with its single-row （六）其他处理; a standard row missing and not
// replaced by variant rows; a garbled label; and whatever the reader could
// not read or place. Numbering style, bracket width, spacing and the official
// wordings listed in Table3Rows are not findings.
func (c *checker) format() {
	r := c.r
	recent := r.Year >= 2021
	switch {
	case r.Template == Template2019 && recent:
		c.add(RuleFormat, Warning, "template", nil, nil,
			"%s报告仍使用2019年试行格式，应按国办公开办函〔2021〕30号规定的格式编制", yearText(r.Year))
	case r.Printed.SingleRowOther && recent:
		c.add(RuleFormat, Warning, "table3.rows.other_other", nil, nil,
			"表三把（六）其他处理印成一行，国办公开办函〔2021〕30号格式要求分“申请人无正当理由逾期不补正”“申请人逾期未按收费通知要求缴纳费用”“其他”三行填报")
	}

	noted := map[string]bool{}
	for _, n := range r.Printed.Notes {
		noted[n.Where] = true
	}
	replaced := c.derivedRows()
	for _, spec := range Table3Rows {
		if r.Table3.Row(spec.Key) != nil || replaced[spec.Key] || noted["table3.rows."+string(spec.Key)] {
			continue
		}
		if (spec.Key == RowOtherNoCorrection || spec.Key == RowOtherNoFee) && (r.Printed.SingleRowOther || r.Template == Template2019) {
			continue
		}
		c.add(RuleFormat, Warning, "table3.rows."+string(spec.Key), nil, nil, "表三缺少%s", rowName(spec.Key))
	}

	for _, spec := range Table3Rows {
		label, ok := r.Printed.Labels[spec.Key]
		if !ok || acceptedLabel(spec, label) {
			continue
		}
		c.add(RuleFormat, Warning, "table3.rows."+string(spec.Key), nil, nil,
			"表三「%s」行的文字有误，应为「%s」", label, stripNumbering(spec.Label))
	}

	for _, n := range r.Printed.Notes {
		c.add(RuleFormat, Warning, n.Where, nil, nil, "%s", n.Message)
		c.out[len(c.out)-1].Status = StatusUnknown // what the reader could not read
	}
}

// acceptedLabel reports whether a printed label is an official wording of the
// row: compared without numbering, brackets, punctuation and spaces, after the
// heading it may be printed with; a label cut short by the line end is
// accepted too.
func acceptedLabel(spec RowSpec, label string) bool {
	form := labelForm(label)
	for changed := true; changed; {
		changed = false
		for g := range groupForms {
			if rest, ok := strings.CutPrefix(form, g); ok && rest != "" {
				form, changed = stripNumbering(rest), true
			}
		}
	}
	for _, a := range spec.accepted {
		if strings.HasSuffix(form, a) || (utf8.RuneCountInString(form) >= 2 && strings.HasPrefix(a, form)) {
			return true
		}
	}
	return false
}

func yearText(y int) string { return fmt.Sprintf("%d年度", y) }

// CheckYears applies the rules that compare two consecutive years of one unit
// and returns the findings of the later year, cur: YEAR.CARRY (error) — the
// applications carried over into year Y are those carried forward from year
// Y−1, column by column; YEAR.IN_FORCE (warning) — the documents in force at
// the end of Y are those in force at the end of Y−1, plus those issued and
// less those abolished in Y (规章 and 行政规范性文件 of table 二). It returns
// nothing unless cur.Year = prev.Year + 1.
func CheckYears(prev, cur *Report) []Finding {
	if prev == nil || cur == nil || prev.Year == 0 || cur.Year != prev.Year+1 {
		return nil
	}
	c := &checker{r: cur, out: []Finding{}}
	if from, into := prev.Table3.Row(RowCarriedForward), cur.Table3.Row(RowCarriedOver); from != nil && into != nil {
		for col := range NumColumns {
			if want, got := from[col].Int(), into[col].Int(); want != got {
				c.add(RuleYearCarry, Error, fmt.Sprintf("table3.rows.carried_over[%d]", col), ptr(want), ptr(got),
					"表三%s：上年结转为%d，而%d年度报告的结转下年度继续办理为%d", columnName(col), got, prev.Year, want)
			}
		}
	}
	if p, q := prev.Table2, cur.Table2; p != nil && q != nil {
		for _, d := range []struct {
			key, name  string
			prev, curr DocCounts
		}{{"regulations", "规章", p.Regulations, q.Regulations}, {"normative_documents", "行政规范性文件", p.NormativeDocuments, q.NormativeDocuments}} {
			want := d.prev.InForce.Int() + d.curr.Issued.Int() - d.curr.Abolished.Int()
			if got := d.curr.InForce.Int(); got != want {
				c.add(RuleInForce, Warning, "table2."+d.key+".in_force", ptr(want), ptr(got),
					"表二「%s」现行有效件数为%d，而%d年度的%d件加本年制发%d件、减本年废止%d件应为%d",
					d.name, got, prev.Year, d.prev.InForce.Int(), d.curr.Issued.Int(), d.curr.Abolished.Int(), want)
			}
		}
	}
	identify(c.out)
	return c.out
}

// CheckAcrossYears applies the rules across years (YEAR.CARRY,
// YEAR.IN_FORCE) within a set of reports read together: each report whose
// unit's previous year is also in the set gets those findings appended.
// When a unit's year appears twice, only the first copy takes part.
func CheckAcrossYears(rs []*Report) {
	byUnit := map[string]map[int]*Report{}
	for _, r := range rs {
		if r == nil || r.Unit == "" || r.Year == 0 {
			continue
		}
		k := UnitKey(r.Unit)
		if byUnit[k] == nil {
			byUnit[k] = map[int]*Report{}
		}
		if byUnit[k][r.Year] == nil {
			byUnit[k][r.Year] = r
		}
	}
	for _, r := range rs {
		if r == nil || r.Unit == "" || r.Year == 0 {
			continue
		}
		years := byUnit[UnitKey(r.Unit)]
		if prev := years[r.Year-1]; prev != nil && years[r.Year] == r {
			r.Findings = append(r.Findings, CheckYears(prev, r)...)
		}
	}
}
