package annual

import (
	"fmt"
	"strings"
	"unicode"
)

// table4Cells is the number of cells of table 四: three groups of five.
const table4Cells = 15

// readTable4 reads table 四 (政府信息公开行政复议、行政诉讼情况): after its
// headings, one row of fifteen numbers, possibly broken over lines. It returns
// nil (with a note) when the row is not there or cannot be placed.
func readTable4(lines []line, r *Report) *Table4 {
	var (
		cells   []cell
		started bool
		header  bool
	)
	for _, l := range lines {
		cs := splitCells(l.cells)
		values, han := 0, false
		for _, c := range cs {
			if c.isValue() {
				values++
			}
			if c.kind == cellText && hasHan(c.text) {
				han = true
			}
		}
		if han {
			if started {
				break
			}
			if !header && (isTable4Header(l) || containsForm(cs, "结果维持")) {
				header = true
			}
			continue
		}
		if values == 0 {
			if started && len(cs) > 0 && cs[0].kind != cellEmpty {
				break
			}
			continue
		}
		if !header {
			continue
		}
		started = true
		cells = append(cells, cs...)
		if countPrinted(cells) >= table4Cells {
			break
		}
	}
	if !header {
		r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table4", Message: "未找到表四（政府信息公开行政复议、行政诉讼情况）"})
		return nil
	}
	if !started {
		r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table4", Message: "表四（政府信息公开行政复议、行政诉讼情况）没有数字行，未能读出"})
		return nil
	}
	s, ok, amb := placeCells(cells, table4Cells, true, nil)
	if !ok {
		r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table4",
			Message: fmt.Sprintf("表四应有%d个数字，读出的是「%s」，未能对应到各栏", table4Cells, cellsText(cells))})
		return nil
	}
	if amb {
		r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table4",
			Message: fmt.Sprintf("表四有空白单元格，无法确定是哪一栏为空（%s），已按左侧为版式空格读取", cellsText(cells))})
	}
	t := &Table4{}
	for gi, g := range Table4Groups {
		o := g.Get(t)
		for ci, dst := range o.Cells() {
			c := cells[s+gi*5+ci]
			switch c.kind {
			case cellInt:
				*dst = N(c.n)
			case cellText, cellDecimal:
				r.Printed.Notes = append(r.Printed.Notes, Note{Where: fmt.Sprintf("table4.%s.%s", g.Key, OutcomeKeys[ci]),
					Message: fmt.Sprintf("表四%s「%s」栏的「%s」不是整数，按空白处理", g.Label, OutcomeLabels[ci], c.text)})
			}
		}
	}
	return t
}

func countPrinted(cs []cell) int {
	n := 0
	for _, c := range cs {
		if c.kind != cellEmpty {
			n++
		}
	}
	return n
}

func containsForm(cs []cell, form string) bool {
	for _, c := range cs {
		if c.kind != cellText {
			continue
		}
		for _, w := range strings.FieldsFunc(c.text, isSpaceRune) {
			if labelForm(w) == form {
				return true
			}
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
