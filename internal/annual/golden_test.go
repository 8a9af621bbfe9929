package annual

import (
	"strings"
	"testing"
)

// The golden files were written by hand from the printed reports, cell by
// cell, with the findings a reader of each report can verify: they are not
// output of this package.
func TestGolden(t *testing.T) {
	for _, name := range []string{"fuzhou_customs_2024", "hongze_district_2023", "huaian_city_2024"} {
		t.Run(name, func(t *testing.T) {
			r := mustRead(t, readFile(t, name+".txt"), name+".txt")
			want := canonical(t, readFile(t, name+".golden.json"))
			got := canonical(t, jsonOf(t, r))
			if got != want {
				t.Errorf("%s differs from its golden file:\n%s", name, diffLines(want, got))
			}
			if len(r.Printed.Notes) != 0 {
				t.Errorf("reader notes: %+v", r.Printed.Notes)
			}
		})
	}
}

// The seed rendered as an HTML page and as a DOCX document reads exactly as
// its extracted text does.
func TestSeedFormsReadIdentically(t *testing.T) {
	want := canonical(t, readFile(t, "fuzhou_customs_2024.golden.json"))
	txt := mustRead(t, readFile(t, "fuzhou_customs_2024.txt"), "fuzhou_customs_2024.txt")
	for _, tc := range []struct {
		name, form string
		data       []byte
	}{
		{"fuzhou_customs_2024.html", "html", readFile(t, "fuzhou_customs_2024.html")},
		{"fuzhou_customs_2024.docx", "docx", seedDOCX(t)},
		// A page laid out with a table around the article.
		{"layout.html", "html", layoutTable(t, readFile(t, "fuzhou_customs_2024.html"))},
		// A name that says nothing: the form is found from the content.
		{"download", "html", readFile(t, "fuzhou_customs_2024.html")},
		{"download", "docx", seedDOCX(t)},
	} {
		t.Run(tc.name+"/"+tc.form, func(t *testing.T) {
			r := mustRead(t, tc.data, tc.name)
			if r.Printed.Form != tc.form {
				t.Errorf("form %q, want %q", r.Printed.Form, tc.form)
			}
			if got := canonical(t, jsonOf(t, r)); got != want {
				t.Errorf("reads differently from the text:\n%s", diffLines(want, got))
			}
			if len(r.Printed.Notes) != 0 {
				t.Errorf("reader notes: %+v", r.Printed.Notes)
			}
			// The narrative is the same text, whatever the layout.
			flat := func(s string) string { return removeSpace(s) }
			if flat(r.Text.Overview) != flat(txt.Text.Overview) {
				t.Errorf("overview differs:\n%q\n%q", r.Text.Overview, txt.Text.Overview)
			}
			if !strings.HasPrefix(flat(r.Text.Problems), flat(txt.Text.Problems)) {
				t.Errorf("problems differ:\n%q\n%q", r.Text.Problems, txt.Text.Problems)
			}
			if !strings.HasPrefix(flat(r.Text.Other), flat(txt.Text.Other)) {
				t.Errorf("section 六 differs:\n%q\n%q", r.Text.Other, txt.Text.Other)
			}
		})
	}
}

// The seed flattened with spaces instead of tabs (as some PDF extractors do)
// reads the same where no cell is blank.
func TestSeedSpaceSeparated(t *testing.T) {
	want := canonical(t, readFile(t, "fuzhou_customs_2024.golden.json"))
	data := strings.ReplaceAll(string(readFile(t, "fuzhou_customs_2024.txt")), "\t", " ")
	r := mustRead(t, []byte(data), "seed.txt")
	if got := canonical(t, jsonOf(t, r)); got != want {
		t.Errorf("reads differently:\n%s", diffLines(want, got))
	}
}

// layoutTable puts the article of a page into the cell of a layout table, as
// many government sites do.
func layoutTable(t *testing.T, page []byte) []byte {
	t.Helper()
	s := string(page)
	for _, r := range [][2]string{
		{`<div class="article">`, `<table width="100%"><tr><td class="nav"><a href="/">首页</a></td><td><div class="article">`},
		{"</div>\n<div class=\"footer\">", "</div></td></tr></table>\n<div class=\"footer\">"},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("page lacks %q", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return []byte(s)
}

// The seed as extracted one cell a line (empty cells dropped), as some PDF
// extractors write tables.
func TestSeedOneCellPerLine(t *testing.T) {
	want := canonical(t, readFile(t, "fuzhou_customs_2024.golden.json"))
	var b strings.Builder
	for _, l := range strings.Split(string(readFile(t, "fuzhou_customs_2024.txt")), "\n") {
		for _, c := range strings.Split(l, "\t") {
			if c != "" || !strings.Contains(l, "\t") {
				b.WriteString(c + "\n")
			}
		}
	}
	r := mustRead(t, []byte(b.String()), "seed.txt")
	if got := canonical(t, jsonOf(t, r)); got != want {
		t.Errorf("reads differently:\n%s", diffLines(want, got))
	}
	if len(r.Printed.Notes) != 0 {
		t.Errorf("notes %+v", r.Printed.Notes)
	}
}
