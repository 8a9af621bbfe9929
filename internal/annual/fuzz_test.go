package annual

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gongkai/internal/annual/pdftext/pdftest"
)

// FuzzRead: no input may make Read or Check panic or hang, and whatever reads
// marshals to JSON.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"fuzhou_customs_2024.txt", "hongze_district_2023.txt", "huaian_city_2024.txt",
		"minimal_2021.txt", "minimal_2019.txt", "fuzhou_customs_2024.html"} {
		f.Add(readFile(f, name))
	}
	f.Add(seedDOCX(f))
	f.Add([]byte("三、收到和处理政府信息公开申请情况\n（七）总计\t1\n\t2\t3\n"))
	f.Add([]byte("<table><tr><td colspan=99999>一、本年新收</td><td>1</td></tr></table>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"report.txt", "report.html"} {
			r, err := Read(data, name)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				continue
			}
			r.Findings = Check(r)
			r.Findings = append(r.Findings, CheckYears(r, r)...)
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}

// FuzzReadPDF: no PDF may make Read or Check panic, or escape the limits of
// pdftext; whatever reads marshals to JSON. The seeds are small PDFs of each
// kind the reader meets (a ruled table, a cross-reference stream with an
// object stream, an unruled report, a scan, an encrypted file); the corpus
// in testdata/fuzz/FuzzReadPDF holds inputs a run found interesting.
func FuzzReadPDF(f *testing.F) {
	for _, seed := range pdfSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Read(data, "report.pdf")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		r.Findings = Check(r)
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}

// pdfSeeds are small PDFs for the fuzzer.
func pdfSeeds(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for _, xs := range []bool{false, true} {
		d := pdftest.New()
		d.XRefStream = xs
		words := "三、收到和处理政府信息公开申请情况本年新收数量（七）总计四结转下年度继续办理0123456789"
		f, enc := d.ChineseFont(words)
		var c strings.Builder
		fmt.Fprintf(&c, "BT /F1 12 Tf 50 780 Td %s Tj ET\n", enc("三、收到和处理政府信息公开申请情况"))
		rows := [][]string{{"一、本年新收数量", "5", "1", "0", "0", "0", "0", "6"}, {"（七）总计", "5", "1", "0", "0", "0", "0", "6"}, {"四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"}}
		xs0 := []float64{50, 250, 285, 320, 355, 390, 425, 460, 495}
		y := 760.0
		for _, row := range rows {
			for i, cell := range row {
				fmt.Fprintf(&c, "BT /F1 9 Tf %g %g Td %s Tj ET\n", xs0[i]+3, y-14, enc(cell))
			}
			fmt.Fprintf(&c, "0.5 w %g %g m %g %g l S\n", xs0[0], y, xs0[len(xs0)-1], y)
			for _, x := range xs0 {
				fmt.Fprintf(&c, "%g %g 0.5 20 re f\n", x, y-20)
			}
			y -= 20
		}
		fmt.Fprintf(&c, "0.5 w %g %g m %g %g l S\n", xs0[0], y, xs0[len(xs0)-1], y)
		d.AddPage(595, 842, c.String(), fmt.Sprintf("/Font << /F1 %d 0 R >>", f), true)
		out = append(out, d.Bytes())
	}
	out = append(out, layoutPDF(t, string(readFile(t, "minimal_2021.txt"))))
	scan := pdftest.New()
	img := scan.Add(pdftest.Stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0}, false))
	scan.AddPage(595, 842, "q 595 0 0 842 0 0 cm /I Do Q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI", fmt.Sprintf("/XObject << /I %d 0 R >>", img), false)
	out = append(out, scan.Bytes())
	enc := pdftest.New()
	enc.Add("<< /Filter /Standard /V 2 /R 3 >>")
	enc.Trailer = "/Encrypt 3 0 R"
	enc.AddPage(595, 842, "", "", false)
	out = append(out, enc.Bytes())
	return out
}
