package export

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// XLSX sheet names.
const (
	SheetAbout = "说明"
	SheetTwo   = "表二"
	SheetThree = "表三"
	SheetFour  = "表四"
)

// xlsxFirstRow is the spreadsheet row a grid's first row is written to:
// row 1 holds the table's title.
const xlsxFirstRow = 2

// xlsxWidth is the width of a whole table in Excel's character units; the
// grid's relative widths share it.
const xlsxWidth = 120.0

// XLSX writes tables 二, 三 and 四 as an Excel workbook, one sheet each after
// a sheet 说明 with the title, unit, year and scope. Each sheet is its grid:
// the cells where the grid puts them, merged as it spans them, numbers as
// numbers (a decimal amount with the decimals it was printed with; a blank
// cell left empty), headings shaded, column widths from the grid and the
// header rows frozen.
func XLSX(doc *annual.Document) ([]byte, error) {
	if doc == nil || doc.Report == nil {
		return nil, errNoReport
	}
	out, err := writeXLSX(doc)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "年报导出为Excel工作簿失败")
	}
	return out, nil
}

func writeXLSX(doc *annual.Document) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	r := doc.Report
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: r.Title, Subject: "政府信息公开工作年度报告", Creator: "gongkai", LastModifiedBy: "gongkai",
		Language: "zh-CN", Created: "2020-01-01T00:00:00Z", Modified: "2020-01-01T00:00:00Z",
	}); err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetAbout); err != nil {
		return nil, err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, err
	}
	if err := aboutSheet(f, doc, st); err != nil {
		return nil, err
	}
	for _, s := range []struct{ sheet, table string }{{SheetTwo, annual.TableTwo}, {SheetThree, annual.TableThree}, {SheetFour, annual.TableFour}} {
		if _, err := f.NewSheet(s.sheet); err != nil {
			return nil, err
		}
		if err := gridSheet(f, s.sheet, doc.Grid(s.table), st); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type xlsxStyles struct {
	title, key, value, head, label, number int
	decimals                               map[int]int // amount styles by decimals
	f                                      *excelize.File
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold}
	}
	st := &xlsxStyles{decimals: map[int]int{}, f: f}
	for _, s := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(14, true), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.key, excelize.Style{Font: font(11, true), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.value, excelize.Style{Font: font(11, false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}},
		{&st.head, excelize.Style{Font: font(10.5, true), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.label, excelize.Style{Font: font(10.5, false), Border: border, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}}},
		{&st.number, excelize.Style{Font: font(10.5, false), Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return nil, err
		}
		*s.dst = id
	}
	return st, nil
}

// amount is the style of a decimal amount printed with d decimals.
func (st *xlsxStyles) amount(d int) (int, error) {
	if id, ok := st.decimals[d]; ok {
		return id, nil
	}
	code := "0"
	if d > 0 {
		code += "." + strings.Repeat("0", d)
	}
	id, err := st.f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10.5}, CustomNumFmt: &code,
		Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
			{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	if err != nil {
		return 0, err
	}
	st.decimals[d] = id
	return id, nil
}

func aboutSheet(f *excelize.File, doc *annual.Document, st *xlsxStyles) error {
	r := doc.Report
	sh := SheetAbout
	template := "国办公开办函〔2021〕30号"
	if r.Template == annual.Template2019 {
		template = "2019年试行格式"
	}
	rows := [][2]any{
		{"标题", r.Title},
		{"单位", r.Unit},
		{"年度", r.Year},
		{"范围", doc.Scope.Label()},
		{"表格格式", template},
		{"数据格式", annual.Format},
		{"说明", "表二、表三、表四各占一张工作表，按年度报告格式排列，合并单元格与报告中的表格相同；数字均为数值，空白单元格表示该项未填报。"},
	}
	if err := f.SetCellStr(sh, "A1", r.Title); err != nil {
		return err
	}
	if err := f.MergeCell(sh, "A1", "B1"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "B1", st.title); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 1, 36); err != nil {
		return err
	}
	for i, row := range rows {
		a, b := "A"+strconv.Itoa(i+3), "B"+strconv.Itoa(i+3)
		if err := f.SetCellValue(sh, a, row[0]); err != nil {
			return err
		}
		if err := f.SetCellValue(sh, b, row[1]); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, a, a, st.key); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, b, b, st.value); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 12); err != nil {
		return err
	}
	return f.SetColWidth(sh, "B", "B", 80)
}

// gridSheet writes a grid on a sheet under its title.
func gridSheet(f *excelize.File, sh string, g annual.Grid, st *xlsxStyles) error {
	ncol := len(g.Widths)
	if ncol == 0 {
		return nil
	}
	last, _ := excelize.ColumnNumberToName(ncol)
	if err := f.SetCellStr(sh, "A1", g.Title); err != nil {
		return err
	}
	if ncol > 1 {
		if err := f.MergeCell(sh, "A1", last+"1"); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, "A1", last+"1", st.title); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 1, 28); err != nil {
		return err
	}
	// Column widths in character units; a CJK character takes two.
	widths := make([]float64, ncol)
	sum := 0
	for _, w := range g.Widths {
		sum += max(w, 0)
	}
	for i, w := range g.Widths {
		widths[i] = xlsxWidth / float64(ncol)
		if sum > 0 {
			widths[i] = max(6, xlsxWidth*float64(max(w, 0))/float64(sum))
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, widths[i]); err != nil {
			return err
		}
	}
	for i, row := range g.Rows {
		y := xlsxFirstRow + i
		lines := 1
		for _, c := range row.Cells {
			span := min(max(c.ColSpan, 1), ncol-c.Col)
			rowSpan := max(c.RowSpan, 1)
			tl, err := excelize.CoordinatesToCellName(c.Col+1, y)
			if err != nil {
				return err
			}
			br, err := excelize.CoordinatesToCellName(c.Col+span, y+rowSpan-1)
			if err != nil {
				return err
			}
			style := st.label
			switch c.Kind {
			case annual.CellHead:
				style = st.head
			case annual.CellNumber:
				style = st.number
			}
			if c.Kind == annual.CellNumber {
				if !c.Blank && c.Text != "" {
					if n, err := strconv.ParseInt(c.Text, 10, 64); err == nil {
						if err := f.SetCellInt(sh, tl, n); err != nil {
							return err
						}
					} else if v, err := strconv.ParseFloat(c.Text, 64); err == nil {
						d := 0
						if i := strings.IndexByte(c.Text, '.'); i >= 0 {
							d = len(c.Text) - i - 1
						}
						if style, err = st.amount(d); err != nil {
							return err
						}
						if err := f.SetCellFloat(sh, tl, v, -1, 64); err != nil {
							return err
						}
					} else if err := f.SetCellStr(sh, tl, c.Text); err != nil {
						return err
					}
				}
			} else if err := f.SetCellStr(sh, tl, c.Text); err != nil {
				return err
			}
			if span > 1 || rowSpan > 1 {
				if err := f.MergeCell(sh, tl, br); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(sh, tl, br, style); err != nil {
				return err
			}
			if rowSpan == 1 {
				w := 0.0
				for k := c.Col; k < c.Col+span; k++ {
					w += widths[k]
				}
				lines = max(lines, textLines(c.Text, w))
			}
		}
		if err := f.SetRowHeight(sh, y, float64(lines)*14+4); err != nil {
			return err
		}
	}
	if g.HeadRows > 0 {
		top, _ := excelize.CoordinatesToCellName(1, xlsxFirstRow+g.HeadRows)
		if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: xlsxFirstRow + g.HeadRows - 1, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	return nil
}

// textLines estimates the lines a text wraps to in a column w characters
// wide (a CJK character two).
func textLines(s string, w float64) int {
	units := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			units++
		} else {
			units += 2
		}
	}
	room := max(w-1, 1)
	n := int(units/room) + 1
	if units > 0 && float64(int(units/room))*room == units {
		n--
	}
	return max(n, 1)
}
