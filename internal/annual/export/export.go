// Package export writes an annual report (政府信息公开工作年度报告, 条例第四十九条、
// 第五十条) in the forms it is published and archived in: an HTML page (the
// portal's 年报 column and the back office's preview), a Word document laid
// out after GB/T 9704, a PDF, an Excel workbook of tables 二, 三 and 四, and
// the gongkai.annual-report/v1 JSON.
//
// One model renders every format: each writer walks the document's
// Sections and Blocks, and a table block only through the annual.Grid of
// its table (annual/layout.go). No writer lays a table out in its own code;
// what a format needs from a table that the grid does not say belongs in the
// grid.
//
// The package imports neither net/http nor a SQL driver.
package export

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// JSON writes the document as gongkai.annual-report/v1 with its sections'
// text and statistics (annual.Document.MarshalJSON), indented.
func JSON(doc *annual.Document) ([]byte, error) {
	if doc == nil || doc.Report == nil {
		return nil, errNoReport
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "年报导出为JSON失败")
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "年报导出为JSON失败")
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// Mark is what the preview shows on a cell or a block that findings concern:
// its colour (by the worst severity) and the numbers of the findings, as
// superscript links to #finding-N. A mark without numbers only colours the
// place (the other cells of a group a finding names).
type Mark struct {
	Severity annual.Severity
	Findings []int
}

// Class is the CSS class of a marked place: "cell-error" or "cell-warning".
func (m Mark) Class() string {
	switch m.Severity {
	case annual.Error:
		return "cell-error"
	case annual.Warning:
		return "cell-warning"
	}
	return ""
}

// MarksOf places findings, numbered from 1 in their order, on the document:
// a finding goes to the cell, row label or block whose Where is its own; a
// finding that names a group of cells (table4.reconsideration, whose sum
// rule concerns its five cells) colours each of them and shows its number on
// the last, the group's total. A finding that names no place of the
// document (the template, the unit's settings) is not placed: the page lists
// it with the others.
func MarksOf(doc *annual.Document, findings []annual.Finding) map[string]Mark {
	places := map[string]bool{}
	var order []string // every place, in the order it is printed
	add := func(w string) {
		if w != "" && !places[w] {
			places[w] = true
			order = append(order, w)
		}
	}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			add(b.Where)
			if b.Kind != annual.BlockTable {
				continue
			}
			for _, row := range doc.Grid(b.Table).Rows {
				for _, c := range row.Cells {
					add(c.Where)
				}
			}
		}
	}
	marks := map[string]Mark{}
	mark := func(where string, sev annual.Severity, n int) {
		m := marks[where]
		if m.Severity != annual.Error {
			m.Severity = sev
		}
		if n > 0 {
			m.Findings = append(m.Findings, n)
			sort.Ints(m.Findings)
		}
		marks[where] = m
	}
	for i, f := range findings {
		if places[f.Where] {
			mark(f.Where, f.Severity, i+1)
			continue
		}
		var under []string
		for _, w := range order {
			if strings.HasPrefix(w, f.Where+".") || strings.HasPrefix(w, f.Where+"[") {
				under = append(under, w)
			}
		}
		for j, w := range under {
			n := 0
			if j == len(under)-1 {
				n = i + 1
			}
			mark(w, f.Severity, n)
		}
	}
	return marks
}

// errNoReport is returned for a document without its report.
var errNoReport = errs.E(errs.Invalid, "年报文档缺少报告内容，无法导出")
