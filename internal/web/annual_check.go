package web

import (
	"html/template"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
)

// checkedView is a report read from a file as the check pages show it: the
// whole report laid out by the exports' HTML from the grids of its tables
// (annual.DocumentOf), each finding marked on the cell, row or text it
// concerns and numbered to the list below, its rule and place named in
// Chinese.
type checkedView struct {
	Report   *annual.Report
	Form     string // 形式: PDF, Word, 网页, 文本
	Doc      template.HTML
	Anchor   string // the prefix of the findings' ids on the page
	Findings []checkFinding
	Errors   int
	Warnings int
}

// checkFinding is a finding on a check page: its number, its rule, place
// and status in Chinese.
type checkFinding struct {
	N      int
	Anchor string // its id on the page
	Rule   string
	Place  string
	Status string
	annual.Finding
}

// formLabels name the forms a report is read from.
var formLabels = map[string]string{"pdf": "PDF", "docx": "Word", "html": "网页", "text": "文本"}

// newCheckedView lays a checked report out; anchor tells its findings'
// ids apart from another report's on the same page ("finding-r1-").
func newCheckedView(r *annual.Report, anchor string) (*checkedView, error) {
	v := &checkedView{Report: r, Form: formLabels[r.Printed.Form], Anchor: anchor}
	for i, f := range r.Findings {
		v.Findings = append(v.Findings, checkFinding{N: i + 1, Anchor: anchor + itoa(i+1), Rule: annual.RuleLabel(f.Rule),
			Place: annual.PlaceLabel(f.Where), Status: f.Status.Label(), Finding: f})
		if f.Severity == annual.Error {
			v.Errors++
		} else {
			v.Warnings++
		}
	}
	doc := annual.DocumentOf(r)
	html, err := export.HTML(doc, export.HTMLOptions{Marks: export.MarksOf(doc, r.Findings), FindingAnchor: anchor})
	if err != nil {
		return nil, err
	}
	v.Doc = template.HTML(html)
	return v, nil
}
