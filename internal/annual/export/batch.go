package export

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// Sheets of a batch audit's summary.
const (
	SheetSummary = "汇总"
	SheetColumns = "栏目说明"
)

// BatchXLSX writes a batch audit's summary as a workbook: the sheet 汇总
// with one row per file under the columns' Chinese headings (numbers as
// numbers, the header row frozen and filtered), and the sheet 栏目说明
// pairing each heading with its key — the header of report check --csv —
// so that a script reads either file by the same names. title heads 汇总.
func BatchXLSX(title string, cols []annual.BatchColumn, rows [][]string) ([]byte, error) {
	out, err := writeBatchXLSX(title, cols, rows)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "批量检查汇总导出为Excel工作簿失败")
	}
	return out, nil
}

func writeBatchXLSX(title string, cols []annual.BatchColumn, rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Subject: "政府信息公开工作年度报告批量检查", Creator: "gongkai",
		LastModifiedBy: "gongkai", Language: "zh-CN"}); err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F3F2F1"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	for j, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(SheetSummary, cell, c.Label); err != nil {
			return nil, err
		}
		name, _ := excelize.ColumnNumberToName(j + 1)
		width := 10.0
		switch c.Key {
		case "file", "unit":
			width = 30
		case "rules", "read_error":
			width = 40
		}
		if err := f.SetColWidth(SheetSummary, name, name, width); err != nil {
			return nil, err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(SheetSummary, "A1", last, head); err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, v := range row {
			if j >= len(cols) || v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if n, err := strconv.Atoi(v); err == nil && cols[j].Number {
				err = f.SetCellInt(SheetSummary, cell, int64(n))
				if err != nil {
					return nil, err
				}
				continue
			}
			if err := f.SetCellStr(SheetSummary, cell, v); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetPanes(SheetSummary, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	end, _ := excelize.CoordinatesToCellName(len(cols), len(rows)+1)
	if err := f.AutoFilter(SheetSummary, "A1:"+end, nil); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(SheetColumns); err != nil {
		return nil, err
	}
	for i, v := range []string{"栏目", "CSV 列名（gongkai report check --csv）"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(SheetColumns, cell, v); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(SheetColumns, "A1", "B1", head); err != nil {
		return nil, err
	}
	for i, c := range cols {
		if err := f.SetCellStr(SheetColumns, "A"+strconv.Itoa(i+2), c.Label); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(SheetColumns, "B"+strconv.Itoa(i+2), c.Key); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(SheetColumns, "A", "B", 36); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
