package web

import (
	"fmt"
	"strconv"

	"gongkai/internal/annual"
)

// ReportView lays out an annual report's tables as the format prints them
// (国办公开办函〔2021〕30号), with each finding marked on the cells it
// concerns and numbered to the list below the tables.
type ReportView struct {
	Report   *annual.Report
	Errors   int
	Warnings int
	Findings []FindingView
	T2       []T2Row
	T3       []T3Row
	T4       []T4Group
	General  []FindingView // findings that concern no single cell
}

// FindingView is a numbered finding.
type FindingView struct {
	N int
	annual.Finding
}

// CellView is one printed cell.
type CellView struct {
	Text     string
	Class    string // "", "cell-error" or "cell-warning"
	Findings []int  // numbers of the findings on this cell
}

// T2Row is a row of table 二; a section's heading rows are printed before
// its first row only.
type T2Row struct {
	Section string // 第二十条第（一）项 …
	First   bool   // the first row of its section
	Label   string
	Heads   []string
	Cells   []CellView
}

// T3Row is a row of table 三.
type T3Row struct {
	Group     string
	GroupSpan int // rows the group cell spans; 0 for rows under a group already printed
	Label     string
	LabelCell CellView // findings on the row as a whole (a garbled or missing label)
	Extra     bool     // a variant row printed under a standard one
	Cells     []CellView
}

// T4Group is one of the three groups of table 四.
type T4Group struct {
	Label string
	Cells []CellView
}

// NewReportView builds the view of a report and its findings.
func NewReportView(r *annual.Report) *ReportView {
	v := &ReportView{Report: r}
	at := map[string][]int{}
	for i, f := range r.Findings {
		fv := FindingView{N: i + 1, Finding: f}
		v.Findings = append(v.Findings, fv)
		if f.Severity == annual.Error {
			v.Errors++
		} else {
			v.Warnings++
		}
		at[f.Where] = append(at[f.Where], i+1)
	}
	used := map[string]bool{}
	cell := func(text string, wheres ...string) CellView {
		c := CellView{Text: text}
		for _, w := range wheres {
			if ns := at[w]; len(ns) > 0 {
				used[w] = true
				c.Findings = append(c.Findings, ns...)
			}
		}
		for _, n := range c.Findings {
			if r.Findings[n-1].Severity == annual.Error {
				c.Class = "cell-error"
			} else if c.Class == "" {
				c.Class = "cell-warning"
			}
		}
		return c
	}

	if t := r.Table2; t != nil {
		docHeads := []string{"本年制发件数", "本年废止件数", "现行有效件数"}
		for _, d := range []struct {
			key, label string
			c          annual.DocCounts
		}{{"regulations", "规章", t.Regulations}, {"normative_documents", "行政规范性文件", t.NormativeDocuments}} {
			p := "table2." + d.key + "."
			v.T2 = append(v.T2, T2Row{Section: "第二十条第（一）项", Label: d.label, Heads: docHeads, Cells: []CellView{
				cell(d.c.Issued.String(), p+"issued"), cell(d.c.Abolished.String(), p+"abolished"), cell(d.c.InForce.String(), p+"in_force")}})
		}
		dec := []string{"本年处理决定数量"}
		v.T2 = append(v.T2,
			T2Row{Section: "第二十条第（五）项", Label: "行政许可", Heads: dec, Cells: []CellView{cell(t.LicensingDecisions.String(), "table2.licensing_decisions")}},
			T2Row{Section: "第二十条第（六）项", Label: "行政处罚", Heads: dec, Cells: []CellView{cell(t.PenaltyDecisions.String(), "table2.penalty_decisions")}},
			T2Row{Section: "第二十条第（六）项", Label: "行政强制", Heads: dec, Cells: []CellView{cell(t.EnforcementDecisions.String(), "table2.enforcement_decisions")}})
		for i := range v.T2 {
			v.T2[i].First = i == 0 || v.T2[i-1].Section != v.T2[i].Section
		}
		fee := ""
		if t.FeesWanYuan != nil {
			fee = *t.FeesWanYuan
		}
		v.T2 = append(v.T2, T2Row{Section: "第二十条第（八）项", First: true, Label: "行政事业性收费", Heads: []string{"本年收费金额（单位：万元）"}, Cells: []CellView{cell(fee, "table2.fees_wan_yuan")}})
	}

	for _, spec := range annual.Table3Rows {
		row := r.Table3.Row(spec.Key)
		label := spec.Label
		if printed := r.Printed.Labels[spec.Key]; printed != "" {
			label = printed // as printed, so that a garbled label is seen as it is
		}
		rowWhere := "table3.rows." + string(spec.Key)
		rv := T3Row{Group: spec.Group, Label: label, LabelCell: cell(label, rowWhere)}
		for col := 0; col < annual.NumColumns; col++ {
			text := "（未印）"
			if row != nil {
				text = row[col].String()
			}
			rv.Cells = append(rv.Cells, cell(text, fmt.Sprintf("%s[%d]", rowWhere, col)))
		}
		v.T3 = append(v.T3, rv)
		for i, e := range r.Table3.ExtraRows {
			if e.CountsAs != spec.Key {
				continue
			}
			ev := T3Row{Group: spec.Group, Label: "其中：" + e.Label, LabelCell: CellView{Text: "其中：" + e.Label}, Extra: true}
			for col := 0; col < annual.NumColumns; col++ {
				ev.Cells = append(ev.Cells, cell(e.Values[col].String(), "table3.extra_rows["+strconv.Itoa(i)+"].values["+strconv.Itoa(col)+"]"))
			}
			v.T3 = append(v.T3, ev)
		}
	}

	for i := range v.T3 {
		if i > 0 && v.T3[i-1].Group == v.T3[i].Group && v.T3[i].Group != "" {
			continue
		}
		n := 1
		for j := i + 1; j < len(v.T3) && v.T3[j].Group == v.T3[i].Group && v.T3[i].Group != ""; j++ {
			n++
		}
		v.T3[i].GroupSpan = n
	}

	if t := r.Table4; t != nil {
		for _, g := range annual.Table4Groups {
			o := g.Get(t)
			gv := T4Group{Label: g.Label}
			for i, c := range o.Cells() {
				w := "table4." + g.Key + "." + annual.OutcomeKeys[i]
				if i == 4 {
					gv.Cells = append(gv.Cells, cell(c.String(), w, "table4."+g.Key))
				} else {
					gv.Cells = append(gv.Cells, cell(c.String(), w))
				}
			}
			v.T4 = append(v.T4, gv)
		}
	}
	for _, f := range v.Findings {
		if !used[f.Where] {
			v.General = append(v.General, f)
		}
	}
	return v
}
