//go:build ignore

// mkfpdf typesets a report's extracted text (testdata/*.txt) as a PDF with
// go-pdf/fpdf, the library the product writes its own PDFs with: paragraphs
// wrapped, each table row a row of bordered cells (no merged cells, every
// printed cell its own box; table 三 with three label columns), tables
// broken over pages where they fall, with no header repeated. make.sh runs
// it: go run mkfpdf.go in.txt out.pdf
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/go-pdf/fpdf"
)

const font = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	ttf, err := os.ReadFile(font)
	if err != nil {
		fail(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AddUTF8FontFromBytes("cjk", "", ttf)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("cjk", "", 9)
		pdf.CellFormat(0, 5, fmt.Sprintf("- %d -", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	i := 0
	for i < len(lines) && (strings.TrimSpace(lines[i]) == "" || strings.HasPrefix(lines[i], "http") || strings.HasPrefix(lines[i], "#")) {
		i++
	}
	section := ""
	for i < len(lines) {
		l := lines[i]
		if !strings.Contains(l, "\t") {
			t := strings.TrimSpace(l)
			if t != "" {
				pdf.SetFont("cjk", "", 11)
				for _, l := range wrap(pdf, t, 170) {
					pdf.CellFormat(0, 6, l, "", 1, "L", false, 0, "")
				}
				pdf.Ln(1)
				for _, s := range []string{"二、", "三、", "四、"} {
					if strings.HasPrefix(t, s) && len([]rune(t)) < 40 {
						section = s
					}
				}
			}
			i++
			continue
		}
		var rows [][]string
		for i < len(lines) && strings.Contains(lines[i], "\t") {
			rows = append(rows, strings.Split(lines[i], "\t"))
			i++
		}
		table(pdf, rows, section == "三、")
		pdf.Ln(3)
	}
	if err := pdf.OutputFileAndClose(os.Args[2]); err != nil {
		fail(err)
	}
}

// table draws rows of bordered cells. In table 三 the label cells take three
// columns before the seven numbers; elsewhere the row's trailing empty cells
// widen its last printed cell.
func table(pdf *fpdf.Fpdf, rows [][]string, t3 bool) {
	const width = 170.0
	pdf.SetFont("cjk", "", 7.5)
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	for _, r := range rows {
		var cells []string
		var widths []float64
		if t3 {
			e := -1
			for k := len(r) - 1; k >= 0; k-- {
				if t := strings.TrimSpace(r[k]); t != "" && strings.Trim(t, "0123456789") == "" {
					e = k
					break
				}
			}
			if e < 6 {
				// The header: its cells spread over the width.
				var hs []string
				for _, c := range r {
					if strings.TrimSpace(c) != "" {
						hs = append(hs, strings.TrimSpace(c))
					}
				}
				for _, h := range hs {
					cells = append(cells, h)
					widths = append(widths, width/float64(len(hs)))
				}
			} else {
				labels := r[:e-6]
				for len(labels) < 3 {
					labels = append([]string{""}, labels...)
				}
				labels = labels[len(labels)-3:]
				cells = append(append(cells, labels...), r[e-6:e+1]...)
				widths = []float64{22, 28, 64, 8, 8, 8, 8, 8, 8, 8}
			}
		} else {
			n := len(r)
			for n > 1 && strings.TrimSpace(r[n-1]) == "" {
				n--
			}
			w := width / float64(cols)
			for k := 0; k < n; k++ {
				cells = append(cells, strings.TrimSpace(r[k]))
				widths = append(widths, w)
			}
			widths[n-1] += w * float64(cols-n)
		}
		// Each cell wraps within its box; the row is as tall as its tallest.
		// (fpdf's own MultiCell drops the character where it breaks a line
		// of Chinese; wrap rune by rune instead.)
		wrapped := make([][]string, len(cells))
		h := 4.0
		for k, c := range cells {
			wrapped[k] = wrap(pdf, c, widths[k]-2)
			h = max(h, 4*float64(max(len(wrapped[k]), 1)))
		}
		if pdf.GetY()+h > 277 {
			pdf.AddPage()
			pdf.SetFont("cjk", "", 7.5)
		}
		x, y := pdf.GetX(), pdf.GetY()
		for k, c := range cells {
			pdf.Rect(x, y, widths[k], h, "D")
			align := "L"
			if strings.Trim(c, "0123456789.") == "" {
				align = "R"
			}
			for j, l := range wrapped[k] {
				pdf.SetXY(x, y+4*float64(j))
				pdf.CellFormat(widths[k], 4, l, "", 0, align, false, 0, "")
			}
			x += widths[k]
		}
		pdf.SetXY(20, y+h)
	}
}

// wrap breaks text into lines no wider than w.
func wrap(pdf *fpdf.Fpdf, text string, w float64) []string {
	var lines []string
	var cur []rune
	for _, r := range text {
		if len(cur) > 0 && pdf.GetStringWidth(string(append(cur, r))) > w {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
