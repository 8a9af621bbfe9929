package annual

import (
	"fmt"
	"strings"
)

// field2 names what a column of table 二 holds.
type field2 int

const (
	f2Ignore field2 = iota
	f2Issued
	f2Abolished
	f2InForce
	f2Decisions
	f2Fees
)

// table2Row names a row of table 二 (条例第二十条).
type table2Row int

const (
	t2Regulations table2Row = iota + 1
	t2Normative
	t2Licensing
	t2Penalty
	t2Enforcement
	t2Fees
)

var table2Rows = map[string]table2Row{
	"规章":      t2Regulations,
	"行政规范性文件": t2Normative,
	"规范性文件":   t2Normative,
	"行政许可":    t2Licensing,
	"行政处罚":    t2Penalty,
	"行政强制":    t2Enforcement,
	"行政事业性收费": t2Fees,
}

var table2Paths = map[table2Row]string{
	t2Regulations: "table2.regulations",
	t2Normative:   "table2.normative_documents",
	t2Licensing:   "table2.licensing_decisions",
	t2Penalty:     "table2.penalty_decisions",
	t2Enforcement: "table2.enforcement_decisions",
	t2Fees:        "table2.fees_wan_yuan",
}

// columnField maps a column heading of table 二 to what it holds. The 2019
// headings map so: 本年新制作数量 → issued, 对外公开总数量 → in_force,
// 处理决定数量 → decisions; 本年新公开数量, 上一年项目数量, 本年增/减 and the
// purchasing columns of 第（九）项 stay out of the shape.
func columnField(heading string) field2 {
	f := labelForm(heading)
	switch {
	case strings.Contains(f, "制发"), strings.Contains(f, "新制作"):
		return f2Issued
	case strings.Contains(f, "废止"):
		return f2Abolished
	case strings.Contains(f, "现行有效"), strings.Contains(f, "公开总数"):
		return f2InForce
	case strings.Contains(f, "处理决定"):
		return f2Decisions
	case strings.Contains(f, "收费金额"):
		return f2Fees
	}
	return f2Ignore
}

// defaultColumns are the columns of each row in the 2021 format, for a table
// printed without its headings.
var defaultColumns = map[table2Row][]field2{
	t2Regulations: {f2Issued, f2Abolished, f2InForce},
	t2Normative:   {f2Issued, f2Abolished, f2InForce},
	t2Licensing:   {f2Decisions},
	t2Penalty:     {f2Decisions},
	t2Enforcement: {f2Decisions},
	t2Fees:        {f2Fees},
}

// readTable2 reads table 二 (主动公开政府信息情况) from the lines before table
// 三. It returns nil (with a note) when the table is not there, and the
// template its headings show ("" when they show none).
func readTable2(lines []line, r *Report) (*Table2, Template) {
	t := &Table2{}
	var (
		columns  []field2
		blankCol []bool
		template Template
		found    bool
	)
	for li := 0; li < len(lines); li++ {
		cs := splitCells(lines[li].cells)
		first := -1
		for i, c := range cs {
			if c.kind != cellEmpty {
				first = i
				break
			}
		}
		if first < 0 || cs[first].kind != cellText {
			continue
		}
		label := labelForm(cs[first].text)
		rest := cs[first+1:]
		if label == "信息内容" || isTable2Heading(rest) {
			columns, blankCol = columns[:0], blankCol[:0]
			for _, c := range rest {
				columns = append(columns, columnField(c.text))
				blankCol = append(blankCol, c.kind == cellEmpty)
				f := labelForm(c.text)
				switch {
				case strings.Contains(f, "新制作") || strings.Contains(f, "公开总数"):
					template = Template2019
				case strings.Contains(f, "制发") && template == "":
					template = Template2021
				}
			}
			continue
		}
		row, ok := table2Rows[label]
		if !ok {
			continue
		}
		found = true
		cols, blank := columns, blankCol
		if len(cols) == 0 || !fitsRow(row, cols) {
			cols, blank = defaultColumns[row], nil
		}
		// Trailing columns without a heading are layout.
		n := len(cols)
		for n > 1 && blank != nil && blank[n-1] && allEmpty(rest, n-1) {
			n--
		}
		// Numbers an extraction put on the following lines, one cell a line.
		for countPrinted(rest) < n && li+1 < len(lines) && numbersOnly(splitCells(lines[li+1].cells)) {
			li++
			rest = append(rest[:len(rest):len(rest)], nonEmpty(splitCells(lines[li].cells))...)
		}
		start, ok, _ := placeCells(rest, n, false, nil)
		if !ok {
			r.Printed.Notes = append(r.Printed.Notes, Note{
				Where:   table2Paths[row],
				Message: fmt.Sprintf("表二「%s」行读出的单元格与表头的%d栏对不上，未能读出", cs[first].text, n),
			})
			continue
		}
		for i := 0; i < n; i++ {
			set2(t, r, row, cols[i], rest[start+i], cs[first].text)
		}
	}
	if !found {
		r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table2", Message: "未找到表二（主动公开政府信息情况）"})
		return nil, template
	}
	return t, template
}

// isTable2Heading reports whether cells are the column headings of table 二.
func isTable2Heading(cs []cell) bool {
	for _, c := range cs {
		if c.kind == cellText && columnField(c.text) != f2Ignore {
			return true
		}
	}
	return false
}

// fitsRow reports whether the headings in force can belong to the row (a
// register of documents has issued/in-force columns, the others a decision or
// amount column).
func fitsRow(row table2Row, cols []field2) bool {
	for _, f := range cols {
		switch row {
		case t2Regulations, t2Normative:
			if f == f2Issued || f == f2InForce || f == f2Abolished {
				return true
			}
		case t2Fees:
			if f == f2Fees {
				return true
			}
			// The 2019 format prints 上一年项目数量/本年增减 for fees: nothing to read.
			if f == f2Ignore {
				continue
			}
		default:
			if f == f2Decisions {
				return true
			}
		}
	}
	return row == t2Fees && len(cols) > 0
}

func allEmpty(cs []cell, from int) bool {
	for i := from; i < len(cs); i++ {
		if cs[i].kind != cellEmpty {
			return false
		}
	}
	return true
}

// set2 stores one cell of table 二.
func set2(t *Table2, r *Report, row table2Row, f field2, c cell, label string) {
	where := table2Paths[row]
	if f == f2Fees {
		switch c.kind {
		case cellInt, cellDecimal:
			s := strings.ReplaceAll(halfWidth(c.text), ",", "")
			t.FeesWanYuan = &s
		case cellText:
			r.Printed.Notes = append(r.Printed.Notes, Note{Where: where,
				Message: fmt.Sprintf("表二「%s」的金额「%s」不是数字，未能读出", label, c.text)})
		}
		return
	}
	var dst *Cell
	switch row {
	case t2Regulations, t2Normative:
		d := &t.Regulations
		if row == t2Normative {
			d = &t.NormativeDocuments
		}
		switch f {
		case f2Issued:
			dst, where = &d.Issued, where+".issued"
		case f2Abolished:
			dst, where = &d.Abolished, where+".abolished"
		case f2InForce:
			dst, where = &d.InForce, where+".in_force"
		}
	case t2Licensing:
		if f == f2Decisions {
			dst = &t.LicensingDecisions
		}
	case t2Penalty:
		if f == f2Decisions {
			dst = &t.PenaltyDecisions
		}
	case t2Enforcement:
		if f == f2Decisions {
			dst = &t.EnforcementDecisions
		}
	}
	if dst == nil {
		return
	}
	switch c.kind {
	case cellInt:
		*dst = N(c.n)
	case cellText, cellDecimal:
		r.Printed.Notes = append(r.Printed.Notes, Note{Where: where,
			Message: fmt.Sprintf("表二「%s」行的「%s」不是整数，未能读出", label, c.text)})
	}
}

// numbersOnly reports whether a line holds numbers and nothing else.
func numbersOnly(cs []cell) bool {
	values := 0
	for _, c := range cs {
		switch {
		case c.isValue():
			values++
		case c.kind != cellEmpty:
			return false
		}
	}
	return values > 0
}

func nonEmpty(cs []cell) []cell {
	out := cs[:0:0]
	for _, c := range cs {
		if c.kind != cellEmpty {
			out = append(out, c)
		}
	}
	return out
}
