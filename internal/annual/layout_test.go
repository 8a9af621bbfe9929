package annual

import (
	"encoding/json"
	"strings"
	"testing"
)

// checkGrid holds a grid to its contract: every position covered by exactly
// one cell, spans within the grid, every number cell's path distinct.
func checkGrid(t *testing.T, g Grid) {
	t.Helper()
	seen := map[[2]int]bool{}
	paths := map[string]bool{}
	for i, row := range g.Rows {
		for _, c := range row.Cells {
			if c.ColSpan < 1 || c.RowSpan < 1 || c.Col+c.ColSpan > len(g.Widths) || i+c.RowSpan > len(g.Rows) {
				t.Fatalf("%s row %d: cell %q at %d spans %d×%d outside the grid", g.Table, i, c.Text, c.Col, c.RowSpan, c.ColSpan)
			}
			for di := 0; di < c.RowSpan; di++ {
				for dj := 0; dj < c.ColSpan; dj++ {
					p := [2]int{i + di, c.Col + dj}
					if seen[p] {
						t.Fatalf("%s: position %v covered twice (cell %q)", g.Table, p, c.Text)
					}
					seen[p] = true
				}
			}
			if c.Kind == CellNumber {
				if paths[c.Where] {
					t.Fatalf("%s: number path %s twice", g.Table, c.Where)
				}
				paths[c.Where] = true
			}
		}
	}
	if len(seen) != len(g.Rows)*len(g.Widths) {
		t.Fatalf("%s: %d of %d positions covered", g.Table, len(seen), len(g.Rows)*len(g.Widths))
	}
	cover := g.Cover()
	for i := range cover {
		for j := range cover[i] {
			if cover[i][j][0] < 0 {
				t.Fatalf("%s: Cover leaves %d,%d uncovered", g.Table, i, j)
			}
		}
	}
}

func TestGrids(t *testing.T) {
	r, err := Read(readFile(t, "fuzhou_customs_2024.txt"), "seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	d := DocumentOf(r)
	for _, tb := range []string{TableTwo, TableThree, TableFour} {
		checkGrid(t, d.Grid(tb))
	}
	g3 := d.Grid(TableThree)
	if g3.HeadRows != 3 || len(g3.Widths) != 10 {
		t.Fatalf("table 三: %d head rows, %d columns", g3.HeadRows, len(g3.Widths))
	}
	// The customs rows replace （六）3「其他」; the body has one row per
	// standard row otherwise: 25 − 1 + 2.
	if n := len(g3.Rows) - g3.HeadRows; n != 26 {
		t.Errorf("table 三 body has %d rows, want 26", n)
	}
	var labels []string
	for _, row := range g3.Rows[g3.HeadRows:] {
		numbers := 0
		for _, c := range row.Cells {
			if c.Kind == CellNumber {
				numbers++
			}
		}
		if numbers != NumColumns {
			t.Errorf("row %s: %d numbers", row.Where, numbers)
		}
		labels = append(labels, row.Cells[len(row.Cells)-NumColumns-1].Text)
	}
	if got := strings.Join(labels, "|"); !strings.Contains(got, "3. 咨询事项，指引咨询渠道|4. 申请人撤销申请|（七）总计") || strings.Contains(got, "3.其他") {
		t.Errorf("table 三 labels: %s", got)
	}
	// The values sit where the paths say.
	for _, row := range g3.Rows[g3.HeadRows:] {
		for _, c := range row.Cells {
			if c.Where == "table3.rows.received[0]" && c.Text != "5" || c.Where == "table3.extra_rows[1].values[6]" && c.Text != "4" {
				t.Errorf("%s holds %q", c.Where, c.Text)
			}
		}
	}
	// Without the customs rows the standard row is printed.
	r.Table3.ExtraRows = nil
	g := DocumentOf(r).Grid(TableThree)
	checkGrid(t, g)
	if n := len(g.Rows) - g.HeadRows; n != 25 {
		t.Errorf("without extra rows: %d body rows, want 25", n)
	}
	g4 := d.Grid(TableFour)
	if n := len(g4.Rows[len(g4.Rows)-1].Cells); n != 15 {
		t.Errorf("table 四's last row has %d numbers", n)
	}
}

func TestDocumentJSON(t *testing.T) {
	r, err := Read(readFile(t, "fuzhou_customs_2024.txt"), "seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	d := DocumentOf(r)
	n := int64(10289)
	d.Figures = []Figure{{Key: "热线.接听量", Label: "接听", Kind: FigureCount, Text: "10289", Value: &n, Link: "/admin/x"}}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "title", "unit", "year", "template", "table2", "table3", "table4", "findings", "scope", "preface", "sections", "statistics"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if strings.Contains(string(b), "/admin/x") {
		t.Error("a figure's back-office link is exported")
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.SectionText(5) != d.SectionText(5) || back.Report.Table3.Get(RowReceived, ColTotal) != N(6) || len(back.Figures) != 1 {
		t.Errorf("round trip lost content: %q", back.SectionText(5))
	}
}
