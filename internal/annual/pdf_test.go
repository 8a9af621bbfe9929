package annual

import (
	"strings"
	"testing"
)

// pdfGolden pairs each PDF of testdata/pdf (made by testdata/pdf/make.sh)
// with the golden file of the report it was made from: read from the PDF,
// the tables and findings are those written by hand for the text.
var pdfGolden = []struct{ pdf, golden string }{
	{"fuzhou_customs_2024.chromium.pdf", "fuzhou_customs_2024"},
	{"fuzhou_customs_2024.libreoffice.pdf", "fuzhou_customs_2024"},
	{"fuzhou_customs_2024.split_noheader.pdf", "fuzhou_customs_2024"},
	{"fuzhou_customs_2024.split_libreoffice.pdf", "fuzhou_customs_2024"},
	{"hongze_district_2023.chromium.pdf", "hongze_district_2023"},
	{"hongze_district_2023.libreoffice.pdf", "hongze_district_2023"},
	{"huaian_city_2024.chromium.pdf", "huaian_city_2024"},
	{"huaian_city_2024.libreoffice.pdf", "huaian_city_2024"},
}

func TestPDFGolden(t *testing.T) {
	for _, tc := range pdfGolden {
		t.Run(tc.pdf, func(t *testing.T) {
			r := mustRead(t, readFile(t, "pdf/"+tc.pdf), tc.pdf)
			if r.Printed.Form != "pdf" {
				t.Errorf("form %q", r.Printed.Form)
			}
			want := canonical(t, readFile(t, tc.golden+".golden.json"))
			if got := canonical(t, jsonOf(t, r)); got != want {
				t.Errorf("reads differently from its golden file:\n%s", diffLines(want, got))
			}
			if len(r.Printed.Notes) != 0 {
				t.Errorf("reader notes: %+v", r.Printed.Notes)
			}
			txt := mustRead(t, readFile(t, tc.golden+".txt"), tc.golden+".txt")
			flat := func(s string) string { return removeSpace(s) }
			if flat(r.Text.Overview) != flat(txt.Text.Overview) {
				t.Errorf("overview differs:\n%q\n%q", r.Text.Overview, txt.Text.Overview)
			}
			if flat(r.Text.Problems) != flat(txt.Text.Problems) {
				t.Errorf("problems differ:\n%q\n%q", r.Text.Problems, txt.Text.Problems)
			}
			if !strings.HasPrefix(flat(r.Text.Other), flat(txt.Text.Other)) {
				t.Errorf("section 六 differs:\n%q\n%q", r.Text.Other, txt.Text.Other)
			}
		})
	}
}
