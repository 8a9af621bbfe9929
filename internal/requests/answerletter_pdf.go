package requests

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"gongkai/internal/errs"
)

// The fonts letters are written with when the settings name none. fpdf
// reads TrueType (.ttf) only, not the .ttc collections of fonts-noto-cjk.
// Chinese is set in a 宋体-class serif, Debian's fonts-arphic-gbsn00lp (AR PL
// SungtiL GB), the free face nearest the 仿宋/宋体 of GB/T 9704; where it is
// not installed, in fonts-droid-fallback's sans, as before. Latin letters
// and digits come from fonts-dejavu-core's serif (its sans as the
// fallback).
const (
	DefaultFontPath           = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
	FallbackFontPath          = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	DefaultLatinFontPath      = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
	FallbackLatinFontPath     = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	settingPDFFont            = "requests.pdf_font"
	settingPDFLatinFont       = "requests.pdf_latin_font"
	packagePDFFont            = "fonts-arphic-gbsn00lp"
	packagePDFLatinFont       = "fonts-dejavu-core"
	pdfTitleSize, pdfBodySize = 22.0, 16.0 // 2号, 3号 in points
)

// PDFFonts names the TrueType fonts of a PDF letter ("" for the defaults).
type PDFFonts struct {
	CJK   string // setting requests.pdf_font
	Latin string // setting requests.pdf_latin_font
}

// readFont reads the font the setting names, or the default, or — only
// when the setting names none — the fallback.
func readFont(path, def, fallback, setting, pkg string) ([]byte, string, error) {
	tries := []string{path}
	if path == "" {
		tries = []string{def, fallback}
	}
	for _, p := range tries {
		if b, err := os.ReadFile(p); err == nil {
			return b, p, nil
		}
	}
	return nil, tries[0], errs.E(errs.Unavailable, "找不到生成答复书PDF所需的字体 %s：请安装 %s，或在设置 %s 中指定一个 TrueType（.ttf）字体。", tries[0], pkg, setting)
}

// cjkRune reports whether r is set in the Chinese font: CJK ideographs and
// the full-width punctuation; everything else (digits, Latin, “”) is set in
// the Latin font.
func cjkRune(r rune) bool { return r >= 0x2E80 }

// PDF writes the letter as an A4 PDF after GB/T 9704-2012 (see DOCX): the
// 版心 156 × 225 mm, 22 lines of 3号 type, the title in 2号, the page number
// at the foot; the last paragraph of the body starts a new page when it
// and the signature would not fit together, so the agency and the date are
// always on the page of the last paragraph. The fonts are embedded as
// subsets; a missing or unreadable font is one clear error naming the
// setting and the Debian package.
func (l Letter) PDF(fonts PDFFonts) ([]byte, error) {
	cjk, cjkPath, err := readFont(fonts.CJK, DefaultFontPath, FallbackFontPath, settingPDFFont, packagePDFFont)
	if err != nil {
		return nil, err
	}
	latin, latinPath, err := readFont(fonts.Latin, DefaultLatinFontPath, FallbackLatinFontPath, settingPDFLatinFont, packagePDFLatinFont)
	if err != nil {
		return nil, err
	}
	const (
		top, left, right = 37.0, 28.0, 26.0
		bodyH            = 225.0
		pitch            = bodyH / 22 // mm per line
	)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetCatalogSort(true)
	pdf.SetMargins(left, top, right)
	pdf.SetAutoPageBreak(false, 0)
	// Each face is named after its file (/BaseFont /utf8gbsn00lp), so a
	// reader of the PDF can tell which was used.
	cjkFace, latinFace := faceName(cjkPath), faceName(latinPath)
	if cjkFace == latinFace {
		latinFace += "latin"
	}
	pdf.AddUTF8FontFromBytes(cjkFace, "", cjk)
	if err := pdf.Error(); err != nil {
		return nil, errs.E(errs.Unavailable, "字体 %s 无法使用（需要 TrueType .ttf 字体）：%v", cjkPath, err)
	}
	pdf.AddUTF8FontFromBytes(latinFace, "", latin)
	if err := pdf.Error(); err != nil {
		return nil, errs.E(errs.Unavailable, "字体 %s 无法使用（需要 TrueType .ttf 字体）：%v", latinPath, err)
	}
	pdf.SetTitle(l.FullTitle(), true)
	pageW, pageH := pdf.GetPageSize()
	width := pageW - left - right
	bottom := top + bodyH
	size := pdfBodySize
	face := map[string]string{"cjk": cjkFace, "latin": latinFace}
	measure := func(s string) float64 {
		w := 0.0
		for _, r := range runsOf(s) {
			pdf.SetFont(face[r.font], "", size)
			w += pdf.GetStringWidth(r.text)
		}
		return w
	}
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - 28)
		s := "— " + itoa(pdf.PageNo()) + " —"
		pdf.SetFont(latinFace, "", 14)
		w := pdf.GetStringWidth(s)
		pdf.SetX((pageW - w) / 2)
		pdf.CellFormat(w, 7, s, "", 0, "L", false, 0, "")
	})
	pdf.AddPage()
	// line writes one line, run by run, aligned "L", "C" or "R" (with a
	// right inset in mm), breaking the page when the 版心 is full.
	line := func(s string, h float64, align string, inset float64) {
		if pdf.GetY()+h > bottom+0.01 {
			pdf.AddPage()
		}
		x := left
		switch align {
		case "C":
			x = left + (width-measure(s))/2
		case "R":
			x = pageW - right - inset - measure(s)
		}
		pdf.SetX(x)
		for _, r := range runsOf(s) {
			pdf.SetFont(face[r.font], "", size)
			pdf.CellFormat(pdf.GetStringWidth(r.text), h, r.text, "", 0, "L", false, 0, "")
		}
		pdf.Ln(h)
	}
	size = pdfTitleSize
	for _, s := range wrapRunes(l.FullTitle(), measure, width) {
		line(s, 12, "C", 0)
	}
	size = pdfBodySize
	if l.Number != "" {
		line(l.Number, pitch, "C", 0)
	}
	line("", pitch, "L", 0)
	if l.Addressee != "" {
		line(l.Addressee+"：", pitch, "L", 0)
	}
	char := measure("国")
	sig := []string{"", "", l.Agency, ChineseDate(l.Date)}
	var contact []string
	if l.Contact != "" {
		contact = wrapRunes("　　"+l.Contact, measure, width)
	}
	for i, p := range l.Paragraphs {
		lines := wrapRunes("　　"+p, measure, width) // two full-width spaces: the first-line indent
		if i == len(l.Paragraphs)-1 {
			// The last paragraph keeps with the signature and the note.
			need := float64(len(lines)+len(sig)+len(contact)) * pitch
			if pdf.GetY()+need > bottom+0.01 && need <= bodyH {
				pdf.AddPage()
			}
		}
		for _, s := range lines {
			line(s, pitch, "L", 0)
		}
	}
	// 正文下空一行右空四字: room for the seal, then the agency and the date.
	for _, s := range sig {
		line(s, pitch, "R", 4*char)
	}
	for _, s := range contact {
		line(s, pitch, "L", 0)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, errs.E(errs.Internal, "生成答复书PDF失败：%v", err)
	}
	return buf.Bytes(), nil
}

// faceName is a font's name in the PDF: its file's base name, letters and
// digits only.
func faceName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var b strings.Builder
	for _, r := range base {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "font"
	}
	return b.String()
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
