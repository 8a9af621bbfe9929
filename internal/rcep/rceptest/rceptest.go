// Package rceptest builds XLSX import files for the tests of the tariff
// import (internal/rcep, the back office and the command line), with
// excelize, the library that reads them.
package rceptest

import (
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet of a workbook: its name and its rows from row 1; a
// nil row is left empty. A cell is written as its Go type says: a string
// as text, a number as a number, a time.Time as a date, a Styled value with
// its number format.
type Sheet struct {
	Name string
	Rows [][]any
}

// Styled is a cell value with a built-in number format (9 is 0%, 10 is
// 0.00%, 14 a date).
type Styled struct {
	Value  any
	NumFmt int
}

// Workbook writes the sheets, in order, into an XLSX file.
func Workbook(t testing.TB, sheets ...Sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	styles := map[int]int{}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.Rows {
			for c, v := range row {
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				if err != nil {
					t.Fatal(err)
				}
				if st, ok := v.(Styled); ok {
					id, ok := styles[st.NumFmt]
					if !ok {
						if id, err = f.NewStyle(&excelize.Style{NumFmt: st.NumFmt}); err != nil {
							t.Fatal(err)
						}
						styles[st.NumFmt] = id
					}
					if err := f.SetCellStyle(s.Name, cell, cell, id); err != nil {
						t.Fatal(err)
					}
					v = st.Value
				}
				if v == nil {
					continue
				}
				if err := f.SetCellValue(s.Name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FromCSV lays a CSV import file out as a workbook of text cells, each
// record on the row of its line in the file, so that the row numbers of
// the workbook are the line numbers of the file. Comment lines are left
// empty.
func FromCSV(t testing.TB, data []byte, sheet string) []byte {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	var rows [][]any
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		line, _ := cr.FieldPos(0)
		for len(rows) < line {
			rows = append(rows, nil)
		}
		row := make([]any, len(rec))
		for i, c := range rec {
			row[i] = c
		}
		rows[line-1] = row
	}
	return Workbook(t, Sheet{Name: sheet, Rows: rows})
}
