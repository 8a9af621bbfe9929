package annual

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// table3Header are words only the column headings of table 三 print.
var table3Header = []string{"勾稽关系", "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构"}

// groupForms are the headings rows are printed under; a row that carries
// numbers under one of them alone is a subtotal, which the format does not
// have — except （六）其他处理, which the 2019 format prints as one row.
var groupForms = map[string]bool{"本年度办理结果": true, "不予公开": true, "无法提供": true, "不予处理": true, "其他处理": true}

// rawRow is a row of table 三 as flattened: its label cells and the cells
// after them.
type rawRow struct {
	labels []string
	cells  []cell
	merged bool // numbers continued on a following line
}

// readTable3 reads table 三 (收到和处理政府信息公开申请情况) from its lines.
func readTable3(lines []line, r *Report) error {
	rows := collectRows3(lines, r)
	if len(rows) == 0 {
		return ErrNoRows
	}

	type placed struct {
		raw     *rawRow
		key     RowKey
		variant bool
		label   string
	}
	var ps []placed
	seen := map[RowKey]bool{}
	for _, raw := range rows {
		key, variant, label, ok := placeRow3(raw.labels)
		switch {
		case !ok && label != "":
			r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table3",
				Message: fmt.Sprintf("表三「%s」行是小计，格式中没有这一行，未计入", label)})
			continue
		case !ok:
			r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table3",
				Message: fmt.Sprintf("表三有一行无法对应到格式中的行：「%s」（%s），未计入", strings.Join(raw.labels, " "), cellsText(raw.cells))})
			continue
		case !variant && seen[key]:
			r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table3.rows." + string(key),
				Message: fmt.Sprintf("表三「%s」行重复出现（%s），只读第一行", label, cellsText(raw.cells))})
			continue
		}
		if !variant {
			seen[key] = true
			if key == RowOtherOther && groupForms[labelForm(label)] {
				r.Printed.SingleRowOther = true
			}
		}
		ps = append(ps, placed{raw, key, variant, label})
	}

	// Learn where the numbers start on the lines that leave no doubt, then place
	// the numbers of the rows that do.
	starts := map[int]int{}
	for _, p := range ps {
		if p.raw.merged {
			continue
		}
		if s, ok, amb := placeCells(p.raw.cells, NumColumns, true, nil); ok && !amb {
			starts[p.raw.cells[s].pos]++
		}
	}
	for _, p := range ps {
		cs := p.raw.cells
		where := "table3.rows." + string(p.key)
		s, ok, amb := placeCells(cs, NumColumns, true, func(s int) int { return starts[cs[s].pos] })
		if !ok {
			r.Printed.Notes = append(r.Printed.Notes, Note{Where: where,
				Message: fmt.Sprintf("表三「%s」行应有%d栏数字，读出的是「%s」，未能对应到各栏", p.label, NumColumns, cellsText(cs))})
			continue
		}
		if amb {
			r.Printed.Notes = append(r.Printed.Notes, Note{Where: where,
				Message: fmt.Sprintf("表三「%s」行有空白单元格，无法确定是哪一栏为空（%s），已按左侧为版式空格读取", p.label, cellsText(cs))})
		}
		var row Row
		for i := range NumColumns {
			c := cs[s+i]
			switch c.kind {
			case cellInt:
				row[i] = N(c.n)
			case cellText, cellDecimal:
				r.Printed.Notes = append(r.Printed.Notes, Note{Where: fmt.Sprintf("%s[%d]", where, i),
					Message: fmt.Sprintf("表三「%s」行「%s」栏的「%s」不是整数，按空白处理", p.label, ColumnLabels[i], c.text)})
			}
		}
		if p.variant {
			r.Table3.ExtraRows = append(r.Table3.ExtraRows, ExtraRow{Label: p.label, CountsAs: p.key, Values: row})
			continue
		}
		r.Table3.SetRow(p.key, row)
		r.Printed.Labels[p.key] = p.label
	}

	foldVariants(r)
	return nil
}

// foldVariants makes each standard row that printed rows subdivide hold their
// sum. A printed standard row beside them (「3.其他」 with 「4.申请人撤销申请」)
// is one of the parts and moves to extra_rows.
func foldVariants(r *Report) {
	t := &r.Table3
	if len(t.ExtraRows) == 0 {
		return
	}
	parts := map[RowKey]bool{}
	for _, e := range t.ExtraRows {
		parts[e.CountsAs] = true
	}
	for _, spec := range Table3Rows {
		key := spec.Key
		if !parts[key] {
			continue
		}
		if row := t.Rows[key]; row != nil {
			t.ExtraRows = append(t.ExtraRows, ExtraRow{Label: r.Printed.Labels[key], CountsAs: key, Values: *row})
			delete(r.Printed.Labels, key)
		}
		var sum Row
		for _, e := range t.ExtraRows {
			if e.CountsAs != key {
				continue
			}
			for c := range NumColumns {
				if e.Values[c].Valid {
					sum[c] = N(sum[c].Int() + e.Values[c].Value)
				}
			}
		}
		t.SetRow(key, sum)
	}
}

// collectRows3 turns the lines of table 三 into rows: it skips the column
// headings (repeated after a page break), joins a label broken over lines to
// its numbers and numbers broken over lines to their row.
func collectRows3(lines []line, r *Report) []*rawRow {
	var (
		rows    []*rawRow
		pending []string
	)
	for _, l := range lines {
		cs := splitCells(l.cells)
		firstValue := -1
		for i, c := range cs {
			if c.isValue() {
				firstValue = i
				break
			}
		}
		if firstValue < 0 {
			var texts []string
			for _, c := range cs {
				if c.kind == cellText {
					texts = append(texts, c.text)
				}
			}
			switch {
			case len(texts) == 0:
			case isTable3Header(texts), isProse(texts):
				pending = nil
			case blankAfterLabel(cs) >= NumColumns && isStandardRow(append(append([]string(nil), pending...), texts...)):
				// A row printed with its label and every cell blank: a row
				// of blanks, not a label broken over lines.
				rows = append(rows, &rawRow{labels: append(append([]string(nil), pending...), texts...), cells: make([]cell, NumColumns)})
				pending = nil
			default:
				pending = append(pending, texts...)
				if len(pending) > 4 {
					pending = pending[len(pending)-4:]
				}
			}
			continue
		}
		lastLabel := -1
		var labels []string
		for i := 0; i < firstValue; i++ {
			if cs[i].kind == cellText {
				labels = append(labels, cs[i].text)
				lastLabel = i
			}
		}
		cells := cs[lastLabel+1:]
		if len(labels) == 0 {
			if n := len(rows); n > 0 && len(pending) == 0 && len(rows[n-1].cells) < NumColumns {
				rows[n-1].cells = continueCells(rows[n-1].cells, cells)
				rows[n-1].merged = true
				continue
			}
			if len(pending) == 0 {
				r.Printed.Notes = append(r.Printed.Notes, Note{Where: "table3",
					Message: fmt.Sprintf("表三有一行数字没有行名：「%s」，未计入", cellsText(cells))})
				continue
			}
		}
		if isProse(labels) {
			pending = nil
			continue
		}
		rows = append(rows, &rawRow{labels: append(append([]string(nil), pending...), labels...), cells: cells})
		pending = nil
	}
	return rows
}

// blankAfterLabel counts the empty cells after the last text cell of a line.
func blankAfterLabel(cs []cell) int {
	n := 0
	for i := len(cs) - 1; i >= 0 && cs[i].kind == cellEmpty; i-- {
		n++
	}
	return n
}

// isStandardRow reports whether label cells name a row of table 三 (not a
// group heading such as 「三、本年度办理结果」).
func isStandardRow(labels []string) bool {
	_, _, _, ok := placeRow3(labels)
	return ok
}

// continueCells appends the numbers of a continuation line, dropping the
// layout cells at the join when the row would otherwise have too many.
func continueCells(head, tail []cell) []cell {
	joined := append(append([]cell(nil), head...), tail...)
	if len(joined) <= NumColumns {
		return renumber(joined)
	}
	for len(tail) > 0 && tail[0].kind == cellEmpty && len(head)+len(tail) > NumColumns {
		tail = tail[1:]
	}
	for len(head) > 0 && head[len(head)-1].kind == cellEmpty && len(head)+len(tail) > NumColumns {
		head = head[:len(head)-1]
	}
	return renumber(append(append([]cell(nil), head...), tail...))
}

func renumber(cs []cell) []cell {
	for i := range cs {
		cs[i].pos = -1 - i // merged cells say nothing about the layout
	}
	return cs
}

func isTable3Header(texts []string) bool {
	for _, t := range texts {
		for _, w := range table3Header {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

// isProse reports whether label cells are a sentence rather than a row label.
func isProse(texts []string) bool {
	for _, t := range texts {
		if strings.ContainsRune(t, '。') || utf8.RuneCountInString(t) > 80 {
			return true
		}
	}
	return false
}

// placeRow3 places a row of table 三 by its label cells: first by the last
// cell alone (the row's own label), then joined with the cells before it (a
// label broken over lines). It returns the printed label it matched. ok is
// false with a label for a subtotal row, false without one for a row it
// cannot place.
func placeRow3(labels []string) (key RowKey, variant bool, label string, ok bool) {
	if len(labels) == 0 {
		return "", false, "", false
	}
	// A label is broken over a few lines at most.
	if len(labels) > 6 {
		labels = labels[len(labels)-6:]
	}
	last := labels[len(labels)-1]
	if f := labelForm(last); groupForms[f] {
		if f == "其他处理" {
			return RowOtherOther, false, last, true
		}
		return "", false, last, false
	}
	for k := len(labels) - 1; k >= 0; k-- {
		joined := strings.Join(labels[k:], "")
		if k < len(labels)-1 && !joinable(labels[k:]) {
			joined = strings.Join(labels[k:], " ")
		}
		if key, variant, ok := matchRow3(labelForm(joined)); ok {
			return key, variant, joined, true
		}
	}
	return "", false, "", false
}

// joinable reports whether label parts are pieces of one broken label (no
// numbering opens a later part).
func joinable(parts []string) bool {
	for _, p := range parts[1:] {
		if numbering.MatchString(p) {
			return false
		}
	}
	return true
}

// matchRow3 finds the row a label (in labelForm) names: the standard row whose
// longest keyword it contains, or a variant row.
func matchRow3(form string) (key RowKey, variant bool, ok bool) {
	if form == "" {
		return "", false, false
	}
	if form == "其他" {
		return RowOtherOther, false, true
	}
	best := 0
	for _, spec := range Table3Rows {
		for _, k := range spec.keywords {
			if len(k) > best && strings.Contains(form, k) {
				key, best = spec.Key, len(k)
			}
		}
	}
	if best > 0 {
		return key, false, true
	}
	for _, v := range variantRows {
		for _, k := range v.keywords {
			if strings.Contains(form, k) {
				return v.countsAs, true, true
			}
		}
	}
	return "", false, false
}

// cellsText shows cells as printed, blanks as 「空」.
func cellsText(cs []cell) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.kind == cellEmpty {
			parts = append(parts, "空")
			continue
		}
		parts = append(parts, strings.TrimFunc(c.text, unicode.IsSpace))
	}
	return strings.Join(parts, " ")
}
