package export

import (
	"encoding/json"
	"strings"
	"testing"

	"gongkai/internal/annual"
)

// readBack reads an export with the reader that reads published reports and
// checks that it gives the document's tables, title, unit and year, and no
// finding.
func readBack(t *testing.T, doc *annual.Document, data []byte, name string) *annual.Report {
	t.Helper()
	r, err := annual.Read(data, name)
	if err != nil {
		t.Fatalf("reading the export back: %v", err)
	}
	r.Findings = annual.Check(r)
	want := doc.Report
	if r.Title != want.Title || r.Unit != want.Unit || r.Year != want.Year {
		t.Errorf("title/unit/year read back as %q/%q/%d, want %q/%q/%d", r.Title, r.Unit, r.Year, want.Title, want.Unit, want.Year)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"table2", r.Table2, want.Table2},
		{"table3", r.Table3, want.Table3},
		{"table4", r.Table4, want.Table4},
	} {
		g, _ := json.Marshal(tc.got)
		w, _ := json.Marshal(tc.want)
		if string(g) != string(w) {
			t.Errorf("%s read back differs:\n got %s\nwant %s", tc.name, g, w)
		}
	}
	if len(r.Findings) != 0 {
		t.Errorf("findings after reading back: %+v", r.Findings)
	}
	if len(r.Printed.Notes) != 0 {
		t.Errorf("reader notes: %+v", r.Printed.Notes)
	}
	// The prose reads back as written, whatever the layout did to it.
	flat := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for _, p := range []struct{ name, got, want string }{
		{"preface", r.Text.Preface, doc.Preface.Text()},
		{"section 一", r.Text.Overview, doc.SectionText(1)},
		{"section 五", r.Text.Problems, doc.SectionText(5)},
		{"section 六", r.Text.Other, doc.SectionText(6)},
	} {
		if flat(p.got) != flat(p.want) {
			t.Errorf("%s reads back as\n%q\nwant\n%q", p.name, p.got, p.want)
		}
	}
	return r
}
