package export

import (
	"bytes"
	"sort"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/annual"
)

// The workbook read back with excelize holds each grid cell by cell: every
// number in its place and stored as a number, blank cells empty, every
// label and heading, the covered cells empty, and exactly the grid's merges.
func TestXLSXCellByCell(t *testing.T) {
	for _, tc := range testDocs(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := XLSX(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); len(got) != 4 || got[0] != SheetAbout || got[1] != SheetTwo || got[2] != SheetThree || got[3] != SheetFour {
				t.Fatalf("sheets %v", got)
			}
			r := tc.doc.Report
			for cell, want := range map[string]string{"A1": r.Title, "B3": r.Title, "B4": r.Unit, "B5": strconv.Itoa(r.Year), "B6": "本级机关"} {
				if got, _ := f.GetCellValue(SheetAbout, cell); got != want {
					t.Errorf("说明!%s = %q, want %q", cell, got, want)
				}
			}
			numbers := 0
			for _, s := range []struct{ sheet, table string }{{SheetTwo, annual.TableTwo}, {SheetThree, annual.TableThree}, {SheetFour, annual.TableFour}} {
				g := tc.doc.Grid(s.table)
				if got, _ := f.GetCellValue(s.sheet, "A1"); got != g.Title {
					t.Errorf("%s!A1 = %q, want the title %q", s.sheet, got, g.Title)
				}
				wantMerges := []string{}
				if len(g.Widths) > 1 {
					last, _ := excelize.ColumnNumberToName(len(g.Widths))
					wantMerges = append(wantMerges, "A1:"+last+"1")
				}
				cover := g.Cover()
				raw, err := f.GetRows(s.sheet, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				for i, row := range g.Rows {
					y := xlsxFirstRow + i
					for col := range g.Widths {
						at := cover[i][col]
						name, _ := excelize.CoordinatesToCellName(col+1, y)
						got := ""
						if y-1 < len(raw) && col < len(raw[y-1]) {
							got = raw[y-1][col] // as stored: GetCellValue would give a merge's value
						}
						typ, _ := f.GetCellType(s.sheet, name)
						if at[0] < 0 || at[0] != i || g.Rows[at[0]].Cells[at[1]].Col != col {
							if got != "" {
								t.Errorf("%s!%s is covered by a merge but holds %q", s.sheet, name, got)
							}
							continue
						}
						c := row.Cells[at[1]]
						if got != c.Text {
							t.Errorf("%s!%s (%s) = %q, want %q", s.sheet, name, c.Where, got, c.Text)
						}
						if c.Kind == annual.CellNumber && !c.Blank {
							numbers++
							if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
								t.Errorf("%s!%s (%s) is stored as %v, not a number", s.sheet, name, c.Where, typ)
							}
						}
						if c.Kind != annual.CellNumber && typ == excelize.CellTypeNumber {
							t.Errorf("%s!%s: a label stored as a number", s.sheet, name)
						}
						if c.ColSpan > 1 || c.RowSpan > 1 {
							br, _ := excelize.CoordinatesToCellName(col+max(c.ColSpan, 1), y+max(c.RowSpan, 1)-1)
							wantMerges = append(wantMerges, name+":"+br)
						}
					}
				}
				merges, err := f.GetMergeCells(s.sheet)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, m := range merges {
					got = append(got, m.GetStartAxis()+":"+m.GetEndAxis())
				}
				sort.Strings(got)
				sort.Strings(wantMerges)
				if len(got) != len(wantMerges) {
					t.Errorf("%s: merges %v, want %v", s.sheet, got, wantMerges)
				} else {
					for i := range got {
						if got[i] != wantMerges[i] {
							t.Errorf("%s: merge %s, want %s", s.sheet, got[i], wantMerges[i])
						}
					}
				}
				// Column widths follow the grid's: the widest grid column is the
				// widest on the sheet.
				widest, wi := 0, 0
				for i, w := range g.Widths {
					if w > widest {
						widest, wi = w, i
					}
				}
				name, _ := excelize.ColumnNumberToName(wi + 1)
				ww, _ := f.GetColWidth(s.sheet, name)
				for i := range g.Widths {
					n, _ := excelize.ColumnNumberToName(i + 1)
					if w, _ := f.GetColWidth(s.sheet, n); w > ww {
						t.Errorf("%s: column %s (%v) is wider than the grid's widest %s (%v)", s.sheet, n, w, name, ww)
					}
				}
			}
			if numbers < 200 {
				t.Errorf("only %d numbers compared", numbers)
			}
		})
	}
}

// A fee printed with decimals is a number shown with those decimals.
func TestXLSXAmount(t *testing.T) {
	doc := syntheticDoc(false)
	fee := "1.20"
	doc.Report.Table2.FeesWanYuan = &fee
	b, err := XLSX(doc)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := doc.Grid(annual.TableTwo)
	for i, row := range g.Rows {
		for _, c := range row.Cells {
			if c.Where != "table2.fees_wan_yuan" || c.Kind != annual.CellNumber {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(c.Col+1, xlsxFirstRow+i)
			shown, _ := f.GetCellValue(SheetTwo, name)
			raw, _ := f.GetCellValue(SheetTwo, name, excelize.Options{RawCellValue: true})
			if shown != "1.20" || raw != "1.2" {
				t.Errorf("fee shown %q, stored %q", shown, raw)
			}
			return
		}
	}
	t.Fatal("no fee cell in table 二")
}
