package annual

import (
	"fmt"
	"strconv"
)

// This file lays tables 二, 三 and 四 out as the format of
// 国办公开办函〔2021〕30号 prints them: which cells are headings, which
// labels span several rows or columns, where each number sits. Every export
// and the back office's views render these grids; none lays a table out in
// its own code.

// Grid is a table laid out as printed: rows of cells on a grid of columns,
// merged cells given by their spans. A row lists only the cells that start
// in it (a cell covered by a span from above or from the left is not
// listed), each with the column it starts in, as an HTML table does.
type Grid struct {
	// Table is TableTwo, TableThree or TableFour.
	Table string
	// Title is the table's heading as the format names it.
	Title string
	// Widths are the columns' relative widths.
	Widths []int
	// HeadRows is the number of leading rows that form the table's header,
	// repeated at the top of each page the table runs onto.
	HeadRows int
	Rows     []GridRow
}

// GridRow is one printed row.
type GridRow struct {
	Cells []GridCell
	// Where is the JSON path of the row ("table3.rows.disclosed",
	// "table3.extra_rows[1]"), "" for header rows.
	Where string
	// KeepWithNext asks a paginating format not to end a page after this
	// row (a section heading row of table 二 stays with its rows).
	KeepWithNext bool
}

// CellKind is what a cell holds.
type CellKind string

// The kinds of cell.
const (
	CellHead   CellKind = "head"   // a column heading or the table's corner
	CellLabel  CellKind = "label"  // a row's label
	CellNumber CellKind = "number" // a figure
)

// GridCell is one printed cell.
type GridCell struct {
	Col     int // the column it starts in, from 0
	ColSpan int // at least 1
	RowSpan int // at least 1
	Kind    CellKind
	Text    string
	// Where is the JSON path of a number's cell
	// ("table3.rows.total_handled[6]"), and of a label, its row's path;
	// findings and the links to the records behind a figure use it.
	Where string
	// Blank is set for a number cell printed blank (an unread or missing
	// value).
	Blank bool
}

// Cover returns, for each row and column, the row and index within that row
// of the cell covering it, or (-1, -1) where no cell does: what formats that
// need a full grid (WordprocessingML's vMerge, spreadsheets' merged ranges,
// a PDF drawn cell by cell) walk.
func (g Grid) Cover() [][][2]int {
	out := make([][][2]int, len(g.Rows))
	for i := range out {
		out[i] = make([][2]int, len(g.Widths))
		for j := range out[i] {
			out[i][j] = [2]int{-1, -1}
		}
	}
	for i, row := range g.Rows {
		for k, c := range row.Cells {
			for di := 0; di < max(c.RowSpan, 1) && i+di < len(out); di++ {
				for dj := 0; dj < max(c.ColSpan, 1) && c.Col+dj < len(g.Widths); dj++ {
					out[i+di][c.Col+dj] = [2]int{i, k}
				}
			}
		}
	}
	return out
}

func head(col, colSpan, rowSpan int, text string) GridCell {
	return GridCell{Col: col, ColSpan: colSpan, RowSpan: rowSpan, Kind: CellHead, Text: text}
}

func label(col, colSpan, rowSpan int, text, where string) GridCell {
	return GridCell{Col: col, ColSpan: colSpan, RowSpan: rowSpan, Kind: CellLabel, Text: text, Where: where}
}

func number(col, colSpan int, c Cell, where string) GridCell {
	return GridCell{Col: col, ColSpan: colSpan, RowSpan: 1, Kind: CellNumber, Text: c.String(), Where: where, Blank: !c.Valid}
}

// Table2Grid lays out table 二: four columns (信息内容 and three counts); each
// item of 第二十条 opens with its heading row and the row of column headings
// for its counts. A nil table gives rows of blanks.
func Table2Grid(t *Table2) Grid {
	if t == nil {
		t = &Table2{}
	}
	g := Grid{Table: TableTwo, Title: "主动公开政府信息情况", Widths: []int{34, 22, 22, 22}}
	section := func(title string) {
		g.Rows = append(g.Rows, GridRow{Cells: []GridCell{head(0, 4, 1, title)}, KeepWithNext: true})
	}
	heads := func(hs ...string) {
		row := GridRow{Cells: []GridCell{head(0, 1, 1, "信息内容")}, KeepWithNext: true}
		if len(hs) == 1 {
			row.Cells = append(row.Cells, head(1, 3, 1, hs[0]))
		} else {
			for i, h := range hs {
				row.Cells = append(row.Cells, head(1+i, 1, 1, h))
			}
		}
		g.Rows = append(g.Rows, row)
	}
	docs := func(key, name string, d DocCounts) {
		p := "table2." + key
		g.Rows = append(g.Rows, GridRow{Where: p, Cells: []GridCell{label(0, 1, 1, name, p),
			number(1, 1, d.Issued, p+".issued"), number(2, 1, d.Abolished, p+".abolished"), number(3, 1, d.InForce, p+".in_force")}})
	}
	one := func(key, name string, c Cell) {
		p := "table2." + key
		g.Rows = append(g.Rows, GridRow{Where: p, Cells: []GridCell{label(0, 1, 1, name, p), number(1, 3, c, p)}})
	}
	section("第二十条第（一）项")
	heads("本年制发件数", "本年废止件数", "现行有效件数")
	docs("regulations", "规章", t.Regulations)
	docs("normative_documents", "行政规范性文件", t.NormativeDocuments)
	section("第二十条第（五）项")
	heads("本年处理决定数量")
	one("licensing_decisions", "行政许可", t.LicensingDecisions)
	section("第二十条第（六）项")
	heads("本年处理决定数量")
	one("penalty_decisions", "行政处罚", t.PenaltyDecisions)
	one("enforcement_decisions", "行政强制", t.EnforcementDecisions)
	section("第二十条第（八）项")
	heads("本年收费金额（单位：万元）")
	fee := GridCell{Col: 1, ColSpan: 3, RowSpan: 1, Kind: CellNumber, Where: "table2.fees_wan_yuan", Blank: t.FeesWanYuan == nil}
	if t.FeesWanYuan != nil {
		fee.Text = *t.FeesWanYuan
	}
	g.Rows = append(g.Rows, GridRow{Where: "table2.fees_wan_yuan", Cells: []GridCell{label(0, 1, 1, "行政事业性收费", "table2.fees_wan_yuan"), fee}})
	return g
}

// Table3Corner is the rule table 三 prints in its corner.
const Table3Corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

// t3Line is one printed row of table 三 before it is placed on the grid.
type t3Line struct {
	group string // the second-level heading it sits under, "" for none
	text  string
	where string
	row   *Row
	outer bool // under 三、本年度办理结果
}

// Table3Grid lays out table 三: three columns of labels (三、本年度办理结果;
// （三）不予公开 and its peers; the numbered rows) and the seven columns of
// table 三, under a header of three rows. Extra rows that subdivide a
// standard row (the customs variant of （六）3「其他」) are printed in its
// place, as the customs reports print them. A standard row not printed
// gives a row of blanks.
func Table3Grid(t *Table3) Grid {
	g := Grid{Table: TableThree, Title: "收到和处理政府信息公开申请情况",
		Widths: []int{9, 9, 34, 7, 7, 7, 7, 7, 7, 7}, HeadRows: 3}
	g.Rows = append(g.Rows,
		GridRow{Cells: []GridCell{head(0, 3, 3, Table3Corner), head(3, 7, 1, "申请人情况")}},
		GridRow{Cells: []GridCell{head(3, 1, 2, "自然人"), head(4, 5, 1, "法人或其他组织"), head(9, 1, 2, "总计")}},
		GridRow{Cells: []GridCell{head(4, 1, 1, "商业企业"), head(5, 1, 1, "科研机构"), head(6, 1, 1, "社会公益组织"), head(7, 1, 1, "法律服务机构"), head(8, 1, 1, "其他")}},
	)
	var lines []t3Line
	for _, spec := range Table3Rows {
		where := "table3.rows." + string(spec.Key)
		row := t.Row(spec.Key)
		var extras []int
		for i, e := range t.ExtraRows {
			if e.CountsAs == spec.Key {
				extras = append(extras, i)
			}
		}
		group := spec.Group
		if group == "三、本年度办理结果" {
			group = "" // （一）、（二） have no second-level heading
		}
		outer := spec.Outcome || spec.Key == RowTotalHandled
		if len(extras) == 0 {
			lines = append(lines, t3Line{group: group, text: spec.Label, where: where, row: row, outer: outer})
			continue
		}
		for _, i := range extras {
			e := t.ExtraRows[i]
			v := e.Values
			lines = append(lines, t3Line{group: group, text: e.Label, where: "table3.extra_rows[" + strconv.Itoa(i) + "]", row: &v, outer: outer})
		}
	}
	// Spans: the outer heading over every outcome row and the total; each
	// second-level heading over its rows.
	firstOuter, nOuter := -1, 0
	for i, l := range lines {
		if l.outer {
			if firstOuter < 0 {
				firstOuter = i
			}
			nOuter++
		}
	}
	for i, l := range lines {
		row := GridRow{Where: l.where}
		switch {
		case !l.outer:
			row.Cells = append(row.Cells, label(0, 3, 1, l.text, l.where))
		case l.group == "":
			if i == firstOuter {
				row.Cells = append(row.Cells, head(0, 1, nOuter, "三、本年度办理结果"))
			}
			row.Cells = append(row.Cells, label(1, 2, 1, l.text, l.where))
		default:
			if i == 0 || lines[i-1].group != l.group {
				n := 0
				for j := i; j < len(lines) && lines[j].group == l.group; j++ {
					n++
				}
				if i == firstOuter {
					row.Cells = append(row.Cells, head(0, 1, nOuter, "三、本年度办理结果"))
				}
				row.Cells = append(row.Cells, head(1, 1, n, l.group))
			}
			row.Cells = append(row.Cells, label(2, 1, 1, l.text, l.where))
		}
		cellsPath := l.where
		if len(l.where) > len("table3.extra_rows") && l.where[:len("table3.extra_rows")] == "table3.extra_rows" {
			cellsPath = l.where + ".values"
		}
		for col := 0; col < NumColumns; col++ {
			var c Cell
			if l.row != nil {
				c = l.row[col]
			}
			row.Cells = append(row.Cells, number(3+col, 1, c, fmt.Sprintf("%s[%d]", cellsPath, col)))
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// Table4Grid lays out table 四: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉)
// over three header rows — 行政复议's five headings span the second and
// third — then one row of fifteen numbers.
func Table4Grid(t *Table4) Grid {
	if t == nil {
		t = &Table4{}
	}
	g := Grid{Table: TableFour, Title: "政府信息公开行政复议、行政诉讼情况", HeadRows: 3}
	for range 15 {
		g.Widths = append(g.Widths, 1)
	}
	g.Rows = append(g.Rows, GridRow{Cells: []GridCell{head(0, 5, 1, "行政复议"), head(5, 10, 1, "行政诉讼")}})
	second := GridRow{}
	for i := range 5 {
		second.Cells = append(second.Cells, head(i, 1, 2, OutcomeLabels[i]))
	}
	second.Cells = append(second.Cells, head(5, 5, 1, "未经复议直接起诉"), head(10, 5, 1, "复议后起诉"))
	third := GridRow{}
	var numbers GridRow
	for gi, grp := range Table4Groups {
		o := grp.Get(t)
		for i, c := range o.Cells() {
			col := gi*5 + i
			if gi > 0 {
				third.Cells = append(third.Cells, head(col, 1, 1, OutcomeLabels[i]))
			}
			numbers.Cells = append(numbers.Cells, number(col, 1, *c, "table4."+grp.Key+"."+OutcomeKeys[i]))
		}
	}
	numbers.Where = "table4"
	g.Rows = append(g.Rows, second, third, numbers)
	return g
}
