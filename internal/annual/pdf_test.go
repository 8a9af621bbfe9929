package annual

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"gongkai/internal/annual/pdftext"
	"gongkai/internal/annual/pdftext/pdftest"
)

// pdfGolden pairs each file of testdata/pdf (made by testdata/pdf/make.sh)
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
	{"hongze_district_2023.cairo.pdf", "hongze_district_2023"},
	{"fuzhou_customs_2024.fpdf.pdf", "fuzhou_customs_2024"},
	{"hongze_district_2023.fpdf.pdf", "hongze_district_2023"},
	{"huaian_city_2024.fpdf.pdf", "huaian_city_2024"},
	// The DOCX LibreOffice wrote on the way (its merged cells as Word
	// writes them) reads the same.
	{"fuzhou_customs_2024.libreoffice.docx", "fuzhou_customs_2024"},
	{"hongze_district_2023.libreoffice.docx", "hongze_district_2023"},
	{"huaian_city_2024.libreoffice.docx", "huaian_city_2024"},
}

func TestPDFGolden(t *testing.T) {
	for _, tc := range pdfGolden {
		t.Run(tc.pdf, func(t *testing.T) {
			r := mustRead(t, readFile(t, "pdf/"+tc.pdf), tc.pdf)
			if r.Printed.Form != strings.TrimPrefix(path.Ext(tc.pdf), ".") {
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

// layoutPDF typesets a report's extracted text as a PDF without ruling, as a
// word processor prints a table without borders: each cell two ems from the
// last, numbers right-aligned in narrow columns, paragraphs wrapped, a page
// number at the foot of each page, tables broken over pages where they
// fall.
func layoutPDF(t testing.TB, txt string) []byte { return layoutPDFWith(t, txt, "", plainTables) }

// How layoutPDFWith prints table 三.
const (
	plainTables   = iota // cells two ems apart
	openTable3           // in ruled columns, no rules between rows
	alignedTable3        // in columns without any rule, numbers right-aligned
)

// layoutPDFWith is layoutPDF with a running header atop every page, and
// with table 三 in ruled columns and no rules between its rows (open): the
// labels in one column wrapped to its width, the numbers on the first line.
func layoutPDFWith(t testing.TB, txt, header string, mode int) []byte {
	open := mode != plainTables
	t.Helper()
	d := pdftest.New()
	f, enc := d.ChineseFont(txt + header + "-0123456789 ")
	res := fmt.Sprintf("/Font << /F1 %d 0 R >>", f)
	width := func(s string, size float64) float64 {
		w := 0.0
		for _, r := range s {
			if r < 0x80 {
				w += size / 2
			} else {
				w += size
			}
		}
		return w
	}
	var page strings.Builder
	const top = 770.0
	y := top
	pageNo := 1
	flush := func() {
		fmt.Fprintf(&page, "BT /F1 9 Tf %g 30 Td %s Tj ET\n", 297.5-width(fmt.Sprintf("- %d -", pageNo), 9)/2, enc(fmt.Sprintf("- %d -", pageNo)))
		if header != "" {
			fmt.Fprintf(&page, "BT /F1 9 Tf 50 805 Td %s Tj ET\n", enc(header))
		}
		d.AddPage(595, 842, page.String(), res, true)
		page.Reset()
		y = top
		pageNo++
	}
	show := func(x float64, s string, size float64) {
		fmt.Fprintf(&page, "BT /F1 %g Tf %g %g Td %s Tj ET\n", size, x, y, enc(s))
	}
	// The open table: column rules from where it starts (or the page's top)
	// down to y, drawn when the table or the page ends.
	colX := []float64{50, 290, 326, 362, 398, 434, 470, 506, 542}
	tableTop := -1.0
	closeTable := func() {
		if tableTop < 0 || mode == alignedTable3 {
			tableTop = -1
			return
		}
		for _, x := range colX {
			fmt.Fprintf(&page, "%g %g m %g %g l S\n", x, tableTop, x, y+9)
		}
		fmt.Fprintf(&page, "%g %g m %g %g l S\n%g %g m %g %g l S\n", colX[0], tableTop, colX[8], tableTop, colX[0], y+9, colX[8], y+9)
		tableTop = -1
	}
	next := func(h float64) {
		y -= h
		if y < 60 {
			inTable := tableTop >= 0
			y += h
			closeTable()
			flush()
			if inTable {
				tableTop = y + 11
			}
		}
	}
	section := ""
	for _, l := range strings.Split(txt, "\n") {
		if strings.HasPrefix(l, "http") || strings.HasPrefix(l, "#") {
			continue
		}
		if open && section == "三" && strings.Contains(l, "\t") {
			cells := strings.Split(l, "\t")
			e := -1
			for k := len(cells) - 1; k >= 0; k-- {
				if c := classify(cells[k]); c.kind == cellInt {
					e = k
					break
				}
			}
			if tableTop < 0 {
				tableTop = y + 11
			}
			if e < 6 {
				// A header line: its words along the table, a rule under the
				// last one.
				x := 52.0
				for _, c := range cells {
					if c = strings.TrimSpace(c); c != "" {
						show(x, c, 7)
						x += width(c, 7) + 10
					}
				}
				next(10)
				if strings.Contains(l, "商业企业") && mode == openTable3 {
					fmt.Fprintf(&page, "%g %g m %g %g l S\n", colX[0], y+8, colX[8], y+8)
				}
				continue
			}
			label := strings.Join(cells[:e-6], "")
			for k, v := range cells[e-6 : e+1] {
				show(colX[k+2]-3-width(strings.TrimSpace(v), 7), strings.TrimSpace(v), 7)
			}
			runes := []rune(label)
			for len(runes) > 0 {
				n := min(len(runes), 32)
				show(52, string(runes[:n]), 7)
				runes = runes[n:]
				next(9)
			}
			next(3)
			continue
		}
		if !strings.Contains(l, "\t") {
			closeTable()
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "三、") {
				section = "三"
			} else if strings.HasPrefix(t, "四、") && len([]rune(t)) < 30 {
				section = "四"
			}
			runes := []rune(strings.TrimSpace(l))
			if len(runes) == 0 {
				continue
			}
			for len(runes) > 0 {
				n := 0
				w := 0.0
				for n < len(runes) && w+width(string(runes[n]), 10.5) <= 495 {
					w += width(string(runes[n]), 10.5)
					n++
				}
				show(50, string(runes[:n]), 10.5)
				runes = runes[n:]
				next(16)
			}
			continue
		}
		x := 50.0
		for _, c := range strings.Split(l, "\t") {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			if classify(c).kind == cellInt || classify(c).kind == cellDecimal {
				slot := 30.0
				show(x+slot-width(c, 9), c, 9)
				x += slot + 18
				continue
			}
			show(x, c, 9)
			x += width(c, 9) + 18
		}
		next(13)
	}
	closeTable()
	flush()
	return d.Bytes()
}

// A table drawn with its columns ruled and no rules between its rows reads
// row by row.
func TestPDFOpenRows(t *testing.T) {
	for _, name := range []string{"fuzhou_customs_2024", "hongze_district_2023"} {
		t.Run(name, func(t *testing.T) {
			data := layoutPDFWith(t, string(readFile(t, name+".txt")), "", openTable3)
			r := mustRead(t, data, name+".pdf")
			want := canonical(t, readFile(t, name+".golden.json"))
			if got := canonical(t, jsonOf(t, r)); got != want {
				t.Errorf("reads differently from its golden file:\n%s", diffLines(want, got))
			}
			if len(r.Printed.Notes) != 0 {
				t.Errorf("reader notes: %+v", r.Printed.Notes)
			}
		})
	}
}

// A PDF whose tables have no ruling reads by the gaps between cells; its
// page numbers are not read as table rows.
func TestPDFWithoutRuling(t *testing.T) {
	for _, name := range []string{"fuzhou_customs_2024", "huaian_city_2024"} {
		t.Run(name, func(t *testing.T) {
			data := layoutPDF(t, string(readFile(t, name+".txt")))
			r := mustRead(t, data, name+".pdf")
			want := canonical(t, readFile(t, name+".golden.json"))
			if got := canonical(t, jsonOf(t, r)); got != want {
				t.Errorf("reads differently from its golden file:\n%s", diffLines(want, got))
			}
			if len(r.Printed.Notes) != 0 {
				t.Errorf("reader notes: %+v", r.Printed.Notes)
			}
		})
	}
}

// A frame drawn around every page is no table: the page reads as it
// would without it.
func TestPDFPageFrame(t *testing.T) {
	const name = "huaian_city_2024"
	data := layoutPDF(t, string(readFile(t, name+".txt")))
	frame := []byte(pdftest.Stream("", []byte("q 1 w 30 30 535 782 re S Q"), false))
	framed := addToEveryPage(t, data, frame)
	r := mustRead(t, framed, name+".pdf")
	want := canonical(t, readFile(t, name+".golden.json"))
	if got := canonical(t, jsonOf(t, r)); got != want {
		t.Errorf("reads differently from its golden file:\n%s", diffLines(want, got))
	}
}

// addToEveryPage appends a content stream object to a PDF written by
// pdftest and makes it the second content stream of every page (an
// incremental update would do as well; rewriting keeps the test short).
func addToEveryPage(t *testing.T, data, stream []byte) []byte {
	t.Helper()
	re := regexp.MustCompile(`/Contents (\d+) 0 R`)
	const frameNum = 99999
	out := re.ReplaceAll(data, []byte(fmt.Sprintf("/Contents [$1 0 R %d 0 R]", frameNum)))
	// The file is read by scanning when its offsets are off: append the
	// object before the cross-reference and let the reader repair.
	i := bytes.LastIndex(out, []byte("xref\n"))
	obj := fmt.Sprintf("%d 0 obj\n%s\nendobj\n", frameNum, stream)
	return append(append(append([]byte(nil), out[:i]...), obj...), out[i:]...)
}

// A running header atop every page (the title again) is read once, not
// between the rows of a table broken over pages.
func TestPDFRunningHeader(t *testing.T) {
	const name = "fuzhou_customs_2024"
	data := layoutPDFWith(t, string(readFile(t, name+".txt")), "福州海关（本级机关）2024年政府信息公开工作年度报告", plainTables)
	r := mustRead(t, data, name+".pdf")
	want := canonical(t, readFile(t, name+".golden.json"))
	// The header is printed without the title's space.
	got := strings.Replace(canonical(t, jsonOf(t, r)), "2024年政府信息公开工作年度报告", "2024年 政府信息公开工作年度报告", 1)
	if got != want {
		t.Errorf("reads differently from its golden file:\n%s", diffLines(want, got))
	}
	ls, err := pdfLines(data)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range ls {
		if strings.Join(l.cells, "") == "福州海关（本级机关）2024年政府信息公开工作年度报告" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the running header is read %d times", n)
	}
}

// A PDF that is no readable report gets one sentence saying why.
func TestPDFRefused(t *testing.T) {
	scanned := pdftest.New()
	img := scanned.Add(pdftest.Stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", []byte("not really a jpeg"), false))
	scanned.AddPage(595, 842, "q 595 0 0 842 0 0 cm /Im1 Do Q", fmt.Sprintf("/XObject << /Im1 %d 0 R >>", img), true)

	empty := pdftest.New()
	empty.AddPage(595, 842, "", "", false)

	noMap := pdftest.New()
	f := noMap.Add("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>")
	noMap.AddPage(595, 842, "BT /F1 10 Tf 50 700 Td <"+strings.Repeat("0102030405", 20)+"> Tj ET", fmt.Sprintf("/Font << /F1 %d 0 R >>", f), true)

	enc := pdftest.New()
	enc.Add("<< /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>")
	enc.Trailer = "/Encrypt 3 0 R"
	enc.AddPage(595, 842, "", "", false)

	notice := pdftest.New()
	nf, ne := notice.ChineseFont("关于做好春节假期值班工作的通知各单位请做好值班安排。")
	notice.AddPage(595, 842, "BT /F1 12 Tf 50 700 Td "+ne("关于做好春节假期值班工作的通知")+" Tj 0 -20 Td "+ne("各单位请做好值班安排。")+" Tj ET", fmt.Sprintf("/Font << /F1 %d 0 R >>", nf), true)

	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(make([]byte, pdftext.MaxStreamBytes+1))
	zw.Close()
	bomb := pdftest.New()
	c := bomb.Add(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
	bomb.AddPageObject(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>", c))

	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"scanned", scanned.Bytes(), ErrPDFScanned},
		{"no text", empty.Bytes(), ErrPDFNoText},
		{"fonts without ToUnicode", noMap.Bytes(), ErrPDFFonts},
		{"encrypted", enc.Bytes(), ErrPDFEncrypted},
		{"broken", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("\x00\xff obj"), 100)...), ErrPDFBroken},
		{"bomb", bomb.Bytes(), ErrPDFTooLarge},
		{"not a report", notice.Bytes(), ErrNotReport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.data, "a.pdf")
			if !errors.Is(err, tc.want) {
				t.Fatalf("Read = %v, %v; want %v", r, err, tc.want)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n。") || !utf8.ValidString(msg) {
				t.Errorf("want one plain sentence, got %q", msg)
			}
		})
	}
}

// A row cut by a page break is joined to its first part; a heading across
// the table, a numbered row or a row of numbers at the top of the next page
// is not.
func TestContinueRow(t *testing.T) {
	prev := func() tableRow {
		return tableRow{cells: []string{"5. 要求行政机关确认或", "0", "1"}, x0: []float64{0, 100, 130}, x1: []float64{100, 130, 160}}
	}
	for _, tc := range []struct {
		name  string
		first tableRow
		want  string // the first part's label after the join
		rows  int    // rows left
	}{
		{"continued", tableRow{cells: []string{"重新出具已获取信息", "", ""}, x0: []float64{0, 100, 130}, x1: []float64{100, 130, 160}}, "5. 要求行政机关确认或重新出具已获取信息", 0},
		{"heading across the table", tableRow{cells: []string{"第二十条第（五）项"}, x0: []float64{0}, x1: []float64{160}}, "5. 要求行政机关确认或", 1},
		{"numbered row", tableRow{cells: []string{"（六）其他处理", "", ""}, x0: []float64{0, 100, 130}, x1: []float64{100, 130, 160}}, "5. 要求行政机关确认或", 1},
		{"row of numbers", tableRow{cells: []string{"重复申请", "0", "0"}, x0: []float64{0, 100, 130}, x1: []float64{100, 130, 160}}, "5. 要求行政机关确认或", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := prev()
			rest := continueRow(&p, []tableRow{tc.first})
			if p.cells[0] != tc.want || len(rest) != tc.rows {
				t.Errorf("label %q, %d rows left", p.cells[0], len(rest))
			}
		})
	}
}

// The text of a grid cell: wrapped lines joined, a number with spaced-out
// digits one number.
func TestGridCellText(t *testing.T) {
	g := func(text string, x, y float64) pdftext.Glyph {
		return pdftext.Glyph{X: x, Y: y, W: 10, Size: 10, Text: text}
	}
	for _, tc := range []struct {
		gs   []pdftext.Glyph
		want string
	}{
		{[]pdftext.Glyph{g("1", 0, 0), g("3", 16, 0), g("4", 32, 0), g("8", 48, 0)}, "1348"},
		{[]pdftext.Glyph{g("部", 0, 12), g("分", 10, 12), g("公", 0, 0), g("开", 10, 0)}, "部分公开"},
		{[]pdftext.Glyph{g("A", 0, 12), g("B", 0, 0)}, "A B"},
		{nil, ""},
	} {
		if got := gridCellText(tc.gs); got != tc.want {
			t.Errorf("gridCellText = %q, want %q", got, tc.want)
		}
	}
}

// A table printed without rules, its numbers right-aligned in columns, has
// its blank cells found by the columns: the PDF reads as its text does.
func TestPDFAlignedColumns(t *testing.T) {
	seed := string(readFile(t, "fuzhou_customs_2024.txt"))
	for _, r := range [][2]string{
		{"二、上年结转政府信息公开申请数量\t\t0\t0\t0", "二、上年结转政府信息公开申请数量\t\t0\t\t0"},
		{"8. 属于行政查询事项\t0\t0\t0\t0\t0\t0", "8. 属于行政查询事项\t0\t0\t0\t\t—\t0"},
	} {
		if !strings.Contains(seed, r[0]) {
			t.Fatalf("seed lacks %q", r[0])
		}
		seed = strings.Replace(seed, r[0], r[1], 1)
	}
	want := canonical(t, jsonOf(t, mustRead(t, []byte(seed), "seed.txt")))
	if !strings.Contains(want, `"carried_over": [`+"\n"+`    0,`+"\n"+`    null,`) {
		t.Fatalf("the text does not read the blank: %s", want[:min(len(want), 2000)])
	}
	r := mustRead(t, layoutPDFWith(t, seed, "", alignedTable3), "seed.pdf")
	if got := canonical(t, jsonOf(t, r)); got != want {
		t.Errorf("reads differently from the text:\n%s", diffLines(want, got))
	}
}
