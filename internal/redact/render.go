package redact

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// Released is a produced copy: its file name and content.
type Released struct {
	Name        string
	ContentType string
	Content     []byte
}

// FileName is the released copy's name: it is made from the application's
// receipt number and the document's place, never from the source's name,
// which may itself carry withheld text.
func FileName(receipt string, n int, f Format) string {
	ext := map[Format]string{PDF: ".pdf", DOCX: ".docx", Text: ".txt"}[f]
	safe := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' {
			return r
		}
		return -1
	}, receipt)
	return "区分处理公开文本-" + safe + "-" + strconv.Itoa(n) + ext
}

// Render writes the released copy in the source's form (a text file as
// UTF-8 text). fonts names the PDF's fonts as the answer letters do.
func (r *Result) Render(name string, fonts requests.PDFFonts) (Released, error) {
	switch r.Format {
	case PDF:
		b, err := r.PDF(fonts)
		return Released{name, "application/pdf", b}, err
	case DOCX:
		b, err := r.DOCX()
		return Released{name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b}, err
	default:
		return Released{name, "text/plain; charset=utf-8", []byte(r.KeptText())}, nil
	}
}

// piece is a unit of layout: kept text or a removal's label in a box.
type piece struct {
	text string
	box  bool
}

// paragraphs splits a released page into paragraphs of pieces at the line
// breaks of the kept text.
func paragraphs(p ReleasedPage) [][]piece {
	if p.Withheld {
		return [][]piece{{{text: p.Label(), box: true}}}
	}
	paras := [][]piece{nil}
	for _, s := range p.Segments {
		if s.Removed {
			paras[len(paras)-1] = append(paras[len(paras)-1], piece{text: s.Label(), box: true})
			continue
		}
		for i, l := range strings.Split(s.Text, "\n") {
			if i > 0 {
				paras = append(paras, nil)
			}
			if l != "" {
				paras[len(paras)-1] = append(paras[len(paras)-1], piece{text: l})
			}
		}
	}
	return paras
}

func loadFont(path, def, fallback string) ([]byte, string, error) {
	tries := []string{path}
	if path == "" {
		tries = []string{def, fallback}
	}
	for _, p := range tries {
		if b, err := os.ReadFile(p); err == nil {
			return b, p, nil
		}
	}
	return nil, tries[0], errs.E(errs.Unavailable, "找不到生成公开文本PDF所需的字体 %s：请安装 fonts-arphic-gbsn00lp，或在设置 requests.pdf_font 中指定一个 TrueType（.ttf）字体。", tries[0])
}

// PDF writes the released copy as a new A4 PDF, set in the fonts of the
// answer letters (AR PL SungtiL GB for Chinese, DejaVu for Latin): each
// source page starts a new page headed with its number; a removal is a
// framed, grey box holding its label. The document has no title, outline,
// annotation or XMP metadata, and a fixed creation date.
func (r *Result) PDF(fonts requests.PDFFonts) ([]byte, error) {
	cjk, cjkPath, err := loadFont(fonts.CJK, requests.DefaultFontPath, requests.FallbackFontPath)
	if err != nil {
		return nil, err
	}
	latin, latinPath, err := loadFont(fonts.Latin, requests.DefaultLatinFontPath, requests.FallbackLatinFontPath)
	if err != nil {
		return nil, err
	}
	const (
		margin = 25.0
		size   = 12.0
		lineH  = 7.0
	)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetProducer("gongkai", false)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes("cjk", "", cjk)
	if err := pdf.Error(); err != nil {
		return nil, errs.E(errs.Unavailable, "字体 %s 无法使用（需要 TrueType .ttf 字体）：%v", cjkPath, err)
	}
	pdf.AddUTF8FontFromBytes("latin", "", latin)
	if err := pdf.Error(); err != nil {
		return nil, errs.E(errs.Unavailable, "字体 %s 无法使用（需要 TrueType .ttf 字体）：%v", latinPath, err)
	}
	pageW, pageH := pdf.GetPageSize()
	width := pageW - 2*margin
	bottom := pageH - margin
	fontOf := func(r rune) string {
		if r >= 0x2E80 {
			return "cjk"
		}
		return "latin"
	}
	runeW := map[rune]float64{}
	widthOf := func(r rune) float64 {
		if w, ok := runeW[r]; ok {
			return w
		}
		pdf.SetFont(fontOf(r), "", size)
		w := pdf.GetStringWidth(string(r))
		runeW[r] = w
		return w
	}
	// write sets s at the current position in runs of one font.
	write := func(s string) {
		var run []rune
		cur := ""
		flush := func() {
			if len(run) > 0 {
				pdf.SetFont(cur, "", size)
				w := 0.0
				for _, r := range run {
					w += widthOf(r)
				}
				pdf.CellFormat(w, lineH, string(run), "", 0, "L", false, 0, "")
				run = run[:0]
			}
		}
		for _, r := range s {
			if f := fontOf(r); f != cur {
				flush()
				cur = f
			}
			run = append(run, r)
		}
		flush()
	}
	newLine := func() {
		pdf.Ln(lineH)
		if pdf.GetY()+lineH > bottom {
			pdf.AddPage()
		}
	}
	for _, p := range r.Pages {
		pdf.AddPage()
		pdf.SetTextColor(110, 110, 110)
		write("原文第" + strconv.Itoa(p.Number) + "页")
		pdf.SetTextColor(0, 0, 0)
		newLine()
		for _, para := range paragraphs(p) {
			x := 0.0 // used width of the line
			var pending []rune
			pendingX := 0.0
			flush := func() {
				if len(pending) > 0 {
					pdf.SetX(margin + pendingX)
					write(string(pending))
					pending = pending[:0]
				}
			}
			breakLine := func() {
				flush()
				newLine()
				x = 0
			}
			for _, pc := range para {
				if pc.box {
					flush()
					w := 2.0
					for _, r := range pc.text {
						w += widthOf(r)
					}
					if x > 0 && x+w > width {
						breakLine()
					}
					// A label wider than the line is wrapped in boxes line by line.
					label := []rune(pc.text)
					for len(label) > 0 {
						n, lw := 0, 2.0
						for n < len(label) && (x+lw+widthOf(label[n]) <= width || n == 0) {
							lw += widthOf(label[n])
							n++
						}
						pdf.SetFillColor(225, 225, 225)
						pdf.SetDrawColor(0, 0, 0)
						pdf.Rect(margin+x, pdf.GetY()+0.5, lw, lineH-1, "FD")
						pdf.SetX(margin + x + 1)
						write(string(label[:n]))
						x += lw
						label = label[n:]
						if len(label) > 0 {
							breakLine()
						}
					}
					continue
				}
				for _, r := range pc.text {
					w := widthOf(r)
					if x > 0 && x+w > width && !strings.ContainsRune("，。、；：？！）》”’", r) {
						breakLine()
					}
					if len(pending) == 0 {
						pendingX = x
					}
					pending = append(pending, r)
					x += w
				}
			}
			breakLine()
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, errs.E(errs.Internal, "生成公开文本PDF失败：%v", err)
	}
	return buf.Bytes(), nil
}

// DOCX writes the released copy as a new WordprocessingML document of
// three parts (content types, the package relationship, the body): no
// headers, footers, comments, tracked changes or document properties. A
// removal is a bordered, shaded run holding its label; a source page starts
// a new page.
func (r *Result) DOCX() ([]byte, error) {
	var doc strings.Builder
	esc := func(s string) {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		doc.Write(b.Bytes())
	}
	run := func(s string, box bool) {
		doc.WriteString(`<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/>`)
		if box {
			doc.WriteString(`<w:bdr w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:shd w:val="clear" w:color="auto" w:fill="E1E1E1"/>`)
		}
		doc.WriteString(`<w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">`)
		esc(s)
		doc.WriteString(`</w:t></w:r>`)
	}
	doc.WriteString(xml.Header)
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for i, p := range r.Pages {
		doc.WriteString(`<w:p>`)
		if i > 0 {
			doc.WriteString(`<w:r><w:br w:type="page"/></w:r>`)
		}
		run("原文第"+strconv.Itoa(p.Number)+"页", false)
		doc.WriteString(`</w:p>`)
		for _, para := range paragraphs(p) {
			doc.WriteString(`<w:p>`)
			for _, pc := range para {
				run(pc.text, pc.box)
			}
			doc.WriteString(`</w:p>`)
		}
	}
	doc.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", doc.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
