package redact

import (
	"bytes"
	"errors"
	"math"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/annual"
	"gongkai/internal/annual/pdftext"
	"gongkai/internal/errs"
)

// Format is the form of a source document and of its released copy.
type Format string

// The forms read and written.
const (
	PDF  Format = "pdf"
	DOCX Format = "docx"
	Text Format = "text"
)

// Page is the text of one page of a source document (a DOCX or text file is
// one page). Text has its lines separated by "\n"; offsets into it are
// counted in characters (runes).
type Page struct {
	Text string
	// Scanned is set for a page with an image and no text layer: it can
	// only be withheld whole.
	Scanned bool
}

// Source is a document the handler attaches to a 部分公开 decision, as text.
type Source struct {
	Format Format
	Pages  []Page
}

// Chars is the number of characters of the source's text.
func (s *Source) Chars() int {
	n := 0
	for _, p := range s.Pages {
		n += utf8.RuneCountInString(p.Text)
	}
	return n
}

// MaxSourceBytes bounds a source document (the size of an answer's
// attachment: a few hundred pages).
const MaxSourceBytes = 20 << 20

// Extract reads the text of a document: a PDF through the product's own
// text layer (internal/annual/pdftext), a DOCX through the annual report's
// DOCX reader, UTF-8 or GB18030 text. The form is taken from the content;
// the name only tells a broken DOCX from text.
func Extract(name string, data []byte) (*Source, error) {
	switch {
	case len(data) == 0:
		return nil, errs.E(errs.Invalid, "文件“%s”是空文件。", name)
	case len(data) > MaxSourceBytes:
		return nil, errs.E(errs.Invalid, "文件“%s”超过%dMB。", name, MaxSourceBytes>>20)
	case bytes.HasPrefix(data, []byte("%PDF-")) || bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")):
		return extractPDF(name, data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		paras, err := annual.DOCXParagraphs(data)
		if err != nil {
			return nil, errs.E(errs.Invalid, "文件“%s”无法读取：%v", name, err)
		}
		return &Source{Format: DOCX, Pages: []Page{{Text: strings.Join(paras, "\n")}}}, nil
	case strings.EqualFold(path.Ext(name), ".docx"):
		return nil, errs.E(errs.Invalid, "文件“%s”不是有效的DOCX文件。", name)
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return nil, errs.E(errs.Invalid, "文件“%s”是旧版Word（.doc）文件，请另存为DOCX后再上传。", name)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errs.E(errs.Invalid, "文件“%s”不是PDF、DOCX或文本文件，无法区分处理（图片请先转为PDF）。", name)
	}
	if !utf8.Valid(data) {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.Count(out, []byte("\uFFFD"))*1000 > utf8.RuneCount(out) {
			return nil, errs.E(errs.Invalid, "文件“%s”既不是UTF-8也不是GBK编码的文本。", name)
		}
		data = out
	}
	s := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	// A form feed separates pages, as pdftotext writes them.
	var pages []Page
	for _, p := range strings.Split(s, "\f") {
		pages = append(pages, Page{Text: p})
	}
	return &Source{Format: Text, Pages: pages}, nil
}

func extractPDF(name string, data []byte) (*Source, error) {
	doc, err := pdftext.Open(data, pdftext.DefaultLimits)
	var pages []*pdftext.Page
	if err == nil {
		pages, err = doc.Pages()
	}
	switch {
	case errors.Is(err, pdftext.ErrEncrypted):
		return nil, errs.E(errs.Invalid, "PDF文件“%s”已加密，请提供未加密的文件。", name)
	case errors.Is(err, pdftext.ErrTooLarge), errors.Is(err, pdftext.ErrTooSlow):
		return nil, errs.E(errs.Invalid, "PDF文件“%s”过大或过于复杂，无法读取。", name)
	case err != nil:
		return nil, errs.E(errs.Invalid, "PDF文件“%s”已损坏，无法读取。", name)
	}
	src := &Source{Format: PDF}
	for _, p := range pages {
		text := pageText(p)
		src.Pages = append(src.Pages, Page{Text: text, Scanned: strings.TrimSpace(text) == "" && p.ImageArea > 0})
	}
	return src, nil
}

// pageText puts a page's glyphs in reading order: lines from the top, each
// from the left, a space where a gap wider than a third of the type size
// separates two glyphs.
func pageText(p *pdftext.Page) string {
	gs := make([]pdftext.Glyph, 0, len(p.Glyphs))
	for _, g := range p.Glyphs {
		if g.Text != "" && g.Text != " " {
			gs = append(gs, g)
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Y > gs[j].Y })
	var lines [][]pdftext.Glyph
	for _, g := range gs {
		if n := len(lines); n > 0 {
			first := lines[n-1][0]
			if math.Abs(first.Y-g.Y) < math.Max(first.Size, g.Size)*0.5 {
				lines[n-1] = append(lines[n-1], g)
				continue
			}
		}
		lines = append(lines, []pdftext.Glyph{g})
	}
	var b strings.Builder
	for i, l := range lines {
		sort.SliceStable(l, func(a, c int) bool { return l[a].X < l[c].X })
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, g := range l {
			if j > 0 {
				prev := l[j-1]
				if g.X-(prev.X+prev.W) > math.Max(g.Size, 1)/3 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(g.Text)
		}
	}
	return b.String()
}
