package export

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/annual"
)

// lookup follows a where path (table3.rows.total_handled[6],
// table3.extra_rows[1].values[3], table2.regulations.issued) through
// decoded JSON.
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		name, idx := part, []int(nil)
		if i := strings.IndexByte(part, '['); i >= 0 {
			name = part[:i]
			for _, m := range regexp.MustCompile(`\[(\d+)\]`).FindAllStringSubmatch(part[i:], -1) {
				n, _ := strconv.Atoi(m[1])
				idx = append(idx, n)
			}
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[name]; !ok {
			return nil, false
		}
		for _, n := range idx {
			arr, ok := v.([]any)
			if !ok || n >= len(arr) {
				return nil, false
			}
			v = arr[n]
		}
	}
	return v, true
}

// The JSON holds every number of every grid at the place its where path
// names, and decodes to the same tables.
func TestJSONCellByCell(t *testing.T) {
	for _, tc := range testDocs(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := JSON(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if v["format"] != annual.Format || v["title"] != tc.doc.Report.Title {
				t.Errorf("format %v, title %v", v["format"], v["title"])
			}
			cells := 0
			for _, table := range []string{annual.TableTwo, annual.TableThree, annual.TableFour} {
				for _, row := range tc.doc.Grid(table).Rows {
					for _, c := range row.Cells {
						if c.Kind != annual.CellNumber {
							continue
						}
						cells++
						got, ok := lookup(v, c.Where)
						if !ok {
							t.Errorf("%s: no %s in the JSON", table, c.Where)
							continue
						}
						var s string
						switch g := got.(type) {
						case nil:
						case float64:
							s = strconv.FormatFloat(g, 'f', -1, 64)
						case string:
							s = g
						default:
							t.Errorf("%s holds %T", c.Where, got)
						}
						if s != c.Text || (got == nil) != c.Blank {
							t.Errorf("%s is %v in the JSON, %q in the grid", c.Where, got, c.Text)
						}
					}
				}
			}
			if cells < 200 {
				t.Errorf("only %d number cells compared", cells)
			}
			var back annual.Document
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			for _, p := range [][2]any{{back.Report.Table2, tc.doc.Report.Table2}, {back.Report.Table3, tc.doc.Report.Table3}, {back.Report.Table4, tc.doc.Report.Table4}} {
				g, _ := json.Marshal(p[0])
				w, _ := json.Marshal(p[1])
				if string(g) != string(w) {
					t.Errorf("decodes to\n%s\nwant\n%s", g, w)
				}
			}
			if !strings.HasPrefix(string(b), "{\n  \"format\"") {
				t.Errorf("not indented: %.40q", b)
			}
		})
	}
}

// A report read without some of its tables (blank cells, a missing table
// 二 or 四) still exports in every form, its blanks left blank.
func TestExportIncompleteReport(t *testing.T) {
	r := annual.NewReport()
	r.Title = "某单位2023年政府信息公开工作年度报告"
	r.Table2, r.Table4 = nil, nil
	r.Table3.Set(annual.RowReceived, annual.ColTotal, 4)
	doc := annual.DocumentOf(r)
	for name, f := range map[string]func() ([]byte, error){
		"json": func() ([]byte, error) { return JSON(doc) },
		"html": func() ([]byte, error) { return HTML(doc, HTMLOptions{}) },
		"docx": func() ([]byte, error) { return DOCX(doc, DOCXOptions{}) },
		"xlsx": func() ([]byte, error) { return XLSX(doc) },
	} {
		b, err := f()
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(DefaultPDFFont); err == nil {
		if _, err := PDF(doc, PDFOptions{}); err != nil {
			t.Errorf("pdf: %v", err)
		}
	}
	for _, f := range []func() ([]byte, error){
		func() ([]byte, error) { return JSON(nil) },
		func() ([]byte, error) { return HTML(&annual.Document{}, HTMLOptions{}) },
		func() ([]byte, error) { return DOCX(nil, DOCXOptions{}) },
		func() ([]byte, error) { return PDF(nil, PDFOptions{}) },
		func() ([]byte, error) { return XLSX(&annual.Document{}) },
	} {
		if _, err := f(); err == nil {
			t.Error("a document without its report was exported")
		}
	}
}
