package requests

import (
	"bytes"
	"os"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"gongkai/internal/errs"
)

// The fonts letters are written with when the settings name none. fpdf
// reads TrueType (.ttf) only, not the .ttc collections of fonts-noto-cjk:
// Chinese from Debian's fonts-droid-fallback, which has no Latin letters or
// digits, so those come from fonts-dejavu-core.
const (
	DefaultFontPath      = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	DefaultLatinFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

// PDFFonts names the TrueType fonts of a PDF letter ("" for the defaults).
type PDFFonts struct {
	CJK   string // setting requests.pdf_font
	Latin string // setting requests.pdf_latin_font
}

func readFont(path, def, setting, pkg string) ([]byte, string, error) {
	if path == "" {
		path = def
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, path, errs.E(errs.Unavailable, "找不到生成答复书PDF所需的字体 %s：请安装 %s，或在设置 %s 中指定一个 TrueType（.ttf）字体。", path, pkg, setting)
	}
	return b, path, nil
}

// cjkRune reports whether r is set in the Chinese font: CJK ideographs and
// the full-width punctuation; everything else (digits, Latin, “”) is set in
// the Latin font.
func cjkRune(r rune) bool { return r >= 0x2E80 }

// PDF writes the letter as an A4 PDF with the fonts embedded as subsets. A
// missing or unreadable font is one clear error naming the setting and the
// Debian package.
func (l Letter) PDF(fonts PDFFonts) ([]byte, error) {
	cjk, cjkPath, err := readFont(fonts.CJK, DefaultFontPath, "requests.pdf_font", "fonts-droid-fallback")
	if err != nil {
		return nil, err
	}
	latin, latinPath, err := readFont(fonts.Latin, DefaultLatinFontPath, "requests.pdf_latin_font", "fonts-dejavu-core")
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetCatalogSort(true)
	pdf.SetMargins(28, 37, 26)
	pdf.SetAutoPageBreak(true, 35)
	pdf.AddUTF8FontFromBytes("cjk", "", cjk)
	if err := pdf.Error(); err != nil {
		return nil, errs.E(errs.Unavailable, "字体 %s 无法使用（需要 TrueType .ttf 字体）：%v", cjkPath, err)
	}
	pdf.AddUTF8FontFromBytes("latin", "", latin)
	if err := pdf.Error(); err != nil {
		return nil, errs.E(errs.Unavailable, "字体 %s 无法使用（需要 TrueType .ttf 字体）：%v", latinPath, err)
	}
	pdf.SetTitle(l.Title, true)
	pdf.AddPage()
	size := 14.0
	measure := func(s string) float64 {
		w := 0.0
		for _, r := range runsOf(s) {
			pdf.SetFont(r.font, "", size)
			w += pdf.GetStringWidth(r.text)
		}
		return w
	}
	// line writes one line, run by run, aligned "L", "C" or "R".
	line := func(s string, h float64, align string) {
		pageW, _ := pdf.GetPageSize()
		left, _, right, _ := pdf.GetMargins()
		x := left
		switch align {
		case "C":
			x = left + (pageW-left-right-measure(s))/2
		case "R":
			x = pageW - right - measure(s)
		}
		pdf.SetX(x)
		for _, r := range runsOf(s) {
			pdf.SetFont(r.font, "", size)
			pdf.CellFormat(pdf.GetStringWidth(r.text), h, r.text, "", 0, "L", false, 0, "")
		}
		pdf.Ln(h)
	}
	size = 20
	line(l.Title, 14, "C")
	size = 12
	line(l.Number, 10, "R")
	size = 14
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right - 1
	for i, p := range l.Paragraphs {
		if i > 0 {
			p = "　　" + p // two full-width spaces: the first-line indent
		}
		for _, s := range wrapRunes(p, measure, width) {
			line(s, 9, "L")
		}
		pdf.Ln(2)
	}
	pdf.Ln(8)
	for _, s := range l.Signature {
		line(s, 9, "R")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, errs.E(errs.Internal, "生成答复书PDF失败：%v", err)
	}
	return buf.Bytes(), nil
}

type fontRun struct{ font, text string }

// runsOf splits s into runs set in one font each.
func runsOf(s string) []fontRun {
	var out []fontRun
	for _, r := range s {
		f := "latin"
		if cjkRune(r) {
			f = "cjk"
		}
		if n := len(out); n > 0 && out[n-1].font == f {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, fontRun{f, string(r)})
	}
	return out
}

// wrapRunes breaks s into lines no wider than width, character by
// character (fpdf's MultiCell drops the character at a break in text
// without spaces), keeping closing punctuation off the start of a line
// (避头点).
func wrapRunes(s string, measure func(string) float64, width float64) []string {
	var lines []string
	var cur []rune
	for _, r := range s {
		next := append(cur, r)
		if len(cur) > 0 && measure(string(next)) > width && !strings.ContainsRune("，。、；：？！）》”’", r) {
			// An opening bracket does not end a line (避尾点): it moves down.
			var carry []rune
			if last := cur[len(cur)-1]; strings.ContainsRune("（《“‘", last) && len(cur) > 1 {
				cur, carry = cur[:len(cur)-1], []rune{last}
			}
			lines = append(lines, string(cur))
			cur = append(carry, r)
			continue
		}
		cur = next
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}
